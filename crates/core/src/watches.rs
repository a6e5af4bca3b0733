//! Watches (tell me when a place opens) and the account's feed, as this
//! phone keeps them. A watch is made here first (sealed, with the plan the
//! applicant chose) and queued; the server's copy joins it once sent. Feed
//! events are kept by the server's number with the cursor in the same
//! transaction, so a feed resumed after a dropped connection loses none and
//! keeps none twice; each is shown as a notification once.

use crate::changes::Change;
use crate::error::StoreError;
use crate::store::{Store, Tx, now};
use jiff::civil::Date;
use mpaspor_domain::api::{FeedEvent, FeedKind, PlaceOpened, Watch};
use mpaspor_domain::{DraftId, OfficeId};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

/// What the applicant asked to watch for a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WatchPlan {
    /// The offices chosen; empty when `near` stands for the nearest few.
    pub offices: Vec<OfficeId>,
    /// `lat,lon` of the place typed, for the nearest offices.
    pub near: Option<String>,
    pub from: Date,
    pub to: Date,
}

/// A watch as kept here: the plan, and the server's copy once it has one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalWatch {
    pub id: String,
    pub draft: DraftId,
    pub plan: WatchPlan,
    pub server: Option<Watch>,
}

impl LocalWatch {
    /// The offices watched: the server's list once it resolved them.
    pub fn offices(&self) -> &[OfficeId] {
        self.server
            .as_ref()
            .map_or(&self.plan.offices, |w| &w.offices)
    }

    pub fn last_match(&self) -> Option<&PlaceOpened> {
        self.server.as_ref().and_then(|w| w.last_match.as_ref())
    }
}

/// A place that opened for one of this account's watches, as the feed told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opening {
    pub seq: u64,
    pub place: PlaceOpened,
}

/// The setting that holds the feed's cursor.
const CURSOR: &str = "feed_cursor";

/// The setting that holds when the account was first signed in here (by
/// the server's clock): the feed's events before it are history.
pub(crate) const SINCE: &str = "feed_since";

fn watch_place(id: &str) -> String {
    format!("watches/{id}")
}

pub(crate) fn feed_place(seq: u64) -> String {
    format!("feed/{seq}")
}

#[derive(Serialize, Deserialize)]
struct Sealed {
    plan: WatchPlan,
    server: Option<Watch>,
}

/// A kept watch's row, opened.
fn opened(store: &Store, id: String, draft: String, sealed: &[u8]) -> Result<LocalWatch, StoreError> {
    let Sealed { plan, server } = store.open_json(&watch_place(&id), sealed)?;
    Ok(LocalWatch {
        id,
        draft: draft.into(),
        plan,
        server,
    })
}

/// One kept watch, read on `conn` (the store's, or a write's).
fn one(store: &Store, conn: &Connection, id: &str) -> Result<Option<LocalWatch>, StoreError> {
    let row: Option<(String, Vec<u8>)> = conn
        .prepare_cached("SELECT draft_id, sealed FROM watches WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    row.map(|(draft, sealed)| opened(store, id.to_owned(), draft, &sealed))
        .transpose()
}

impl Store {
    /// Notes the first sign-in on this phone (see [`SINCE`]); later ones
    /// change nothing.
    pub(crate) fn note_signed_in(&self, at: jiff::Timestamp) -> Result<(), StoreError> {
        if self.setting(SINCE)?.is_none() {
            self.set_setting(SINCE, &at.to_string())?;
        }
        Ok(())
    }

    /// The watches kept here, oldest first.
    pub fn watches(&self) -> Result<Vec<LocalWatch>, StoreError> {
        let rows: Vec<(String, String, Vec<u8>)> = self
            .conn()
            .prepare_cached("SELECT id, draft_id, sealed FROM watches ORDER BY created_at, id")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        rows.into_iter()
            .map(|(id, draft, sealed)| opened(self, id, draft, &sealed))
            .collect()
    }

    pub fn watch(&self, id: &str) -> Result<Option<LocalWatch>, StoreError> {
        one(self, &self.conn(), id)
    }

    /// Where the feed goes on from.
    pub fn feed_cursor(&self) -> Result<u64, StoreError> {
        Ok(self
            .setting(CURSOR)?
            .and_then(|c| c.parse().ok())
            .unwrap_or(0))
    }

    /// Places opened for this account's watches, newest first, not put away.
    pub fn openings(&self) -> Result<Vec<Opening>, StoreError> {
        self.openings_where("dismissed = 0")
    }

    /// Places opened that were not yet shown as a notification, oldest first.
    pub fn openings_to_notify(&self) -> Result<Vec<Opening>, StoreError> {
        let mut found = self.openings_where("notified = 0 AND dismissed = 0")?;
        found.reverse();
        Ok(found)
    }

    fn openings_where(&self, filter: &str) -> Result<Vec<Opening>, StoreError> {
        let sql = format!(
            "SELECT seq, sealed FROM feed WHERE kind = ?1 AND {filter} ORDER BY seq DESC LIMIT 50"
        );
        let rows: Vec<(i64, Vec<u8>)> = self
            .conn()
            .prepare_cached(&sql)?
            .query_map([FeedKind::PlaceOpened.as_str()], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
            .collect::<Result<_, _>>()?;
        rows.into_iter()
            .map(|(seq, sealed)| {
                let seq = seq as u64;
                Ok(Opening {
                    seq,
                    place: self.open_json(&feed_place(seq), &sealed)?,
                })
            })
            .collect()
    }

    /// Notes that an opening was shown as a notification.
    pub fn note_opening_notified(&self, seq: u64) -> Result<(), StoreError> {
        self.conn()
            .prepare_cached("UPDATE feed SET notified = 1 WHERE seq = ?1")?
            .execute([seq as i64])?;
        Ok(())
    }

    /// Puts an opening away (it no longer shows on home).
    pub fn dismiss_opening(&self, seq: u64) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.db
                .prepare_cached("UPDATE feed SET dismissed = 1, notified = 1 WHERE seq = ?1")?
                .execute([seq as i64])?;
            tx.changed(Change::Watches);
            Ok(())
        })
    }
}

impl Tx<'_> {
    /// Keeps a new watch (not yet sent); answers its local id.
    pub(crate) fn add_watch(&self, draft: &str, plan: WatchPlan) -> Result<String, StoreError> {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let sealed = self.store.seal_json(
            &watch_place(&id),
            &Sealed {
                plan,
                server: None,
            },
        );
        self.db
            .prepare_cached(
                "INSERT INTO watches (id, draft_id, sealed, created_at) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![id, draft, sealed, now()])?;
        self.changed(Change::Watches);
        Ok(id)
    }

    /// Forgets a watch here; answers the server's id, if it had one.
    pub(crate) fn remove_watch(&self, id: &str) -> Result<Option<String>, StoreError> {
        let server: Option<Option<String>> = self
            .db
            .prepare_cached("SELECT server_id FROM watches WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?;
        self.db
            .prepare_cached("DELETE FROM watches WHERE id = ?1")?
            .execute([id])?;
        self.changed(Change::Watches);
        Ok(server.flatten())
    }

    fn seal_watch(&self, id: &str, plan: WatchPlan, server: &Watch) -> Result<(), StoreError> {
        let sealed = self.store.seal_json(
            &watch_place(id),
            &Sealed {
                plan,
                server: Some(server.clone()),
            },
        );
        self.db
            .prepare_cached("UPDATE watches SET server_id = ?2, sealed = ?3 WHERE id = ?1")?
            .execute(params![id, server.id.as_str(), sealed])?;
        self.changed(Change::Watches);
        Ok(())
    }

    /// The server took a watch: its copy joins the plan.
    pub(crate) fn watch_synced(&self, id: &str, server: &Watch) -> Result<(), StoreError> {
        let Some(local) = self.store_watch(id)? else {
            return Ok(());
        };
        self.seal_watch(id, local.plan, server)
    }

    fn store_watch(&self, id: &str) -> Result<Option<LocalWatch>, StoreError> {
        one(self.store, self.db, id)
    }

    /// The server's watches: each kept copy is brought up to date, and a
    /// sent watch the server no longer has (booked, its days passed, or
    /// removed on another phone) goes. Watches not sent yet stay.
    pub(crate) fn keep_server_watches(&self, server: &[Watch]) -> Result<(), StoreError> {
        let sent: Vec<(String, String)> = self
            .db
            .prepare_cached("SELECT id, server_id FROM watches WHERE server_id IS NOT NULL")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        for (id, server_id) in sent {
            match server.iter().find(|w| w.id == server_id.as_str()) {
                Some(copy) => {
                    if let Some(local) = self.store_watch(&id)?
                        && local.server.as_ref() != Some(copy)
                    {
                        self.seal_watch(&id, local.plan, copy)?;
                    }
                }
                None => {
                    self.remove_watch(&id)?;
                }
            }
        }
        Ok(())
    }

    /// Keeps a page of the feed and where it goes on from, together. What
    /// happened before the account was first signed in on this phone is
    /// history: kept read and notified, so nothing old pops up.
    pub(crate) fn keep_events(&self, events: &[FeedEvent], cursor: u64) -> Result<(), StoreError> {
        let since: Option<jiff::Timestamp> = self
            .db
            .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
            .query_row([SINCE], |r| r.get::<_, String>(0))
            .optional()?
            .and_then(|v| v.parse().ok());
        for event in events {
            let history = since.is_some_and(|since| event.at < since);
            let place = feed_place(event.seq);
            let sealed = match (&event.place_opened, &event.application_changed, &event.correction) {
                (Some(p), _, _) => self.store.seal_json(&place, p),
                (_, Some(c), _) => self.store.seal_json(&place, c),
                (_, _, Some(c)) => self.store.seal_json(&place, c),
                _ => continue,
            };
            self.db
                .prepare_cached(
                    "INSERT OR IGNORE INTO feed (seq, kind, sealed, at, notified, read) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                )?
                .execute(params![
                    event.seq as i64,
                    event.kind.as_str(),
                    sealed,
                    event.at.to_string(),
                    history,
                ])?;
            let Some(place) = &event.place_opened else {
                continue;
            };
            // The watch's copy learns of its match at once.
            let id: Option<String> = self
                .db
                .prepare_cached("SELECT id FROM watches WHERE server_id = ?1")?
                .query_row([place.watch_id.as_str()], |r| r.get(0))
                .optional()?;
            if let Some(id) = id
                && let Some(local) = self.store_watch(&id)?
                && let Some(mut copy) = local.server
            {
                copy.last_match = Some(place.clone());
                self.seal_watch(&id, local.plan, &copy)?;
            }
        }
        self.db
            .prepare_cached(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?
            .execute(params![CURSOR, cursor.to_string()])?;
        // One announcement for the page: the inbox listens to it too (a
        // screen may hear only the last of two changes in a row).
        if !events.is_empty() {
            self.changed(Change::Watches);
        }
        Ok(())
    }
}
