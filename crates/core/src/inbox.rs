//! The inbox: the account's messages as this phone keeps them, from the
//! feed (`watches.rs` keeps its pages). Every event is a message: an
//! application moved on, the office asked for a correction (or it was fixed
//! or lapsed), a place opened. Each is read or not, and shown as a system
//! notification once.

use crate::changes::Change;
use crate::error::StoreError;
use crate::store::Store;
use crate::watches::feed_place;
use jiff::Timestamp;
use mpaspor_domain::ApplicationId;
use mpaspor_domain::api::{ApplicationChanged, Correction, FeedKind, PlaceOpened};

/// What a message says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Said {
    StateChanged(ApplicationChanged),
    Correction(Correction),
    PlaceOpened(PlaceOpened),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The feed's number: newer messages have larger ones.
    pub seq: u64,
    pub at: Timestamp,
    pub said: Said,
    pub read: bool,
}

impl Message {
    /// The application it is about.
    pub fn application(&self) -> &ApplicationId {
        match &self.said {
            Said::StateChanged(c) => &c.application_id,
            Said::Correction(c) => &c.application_id,
            Said::PlaceOpened(p) => &p.application_id,
        }
    }
}

/// Most messages the inbox lists.
pub const SHOWN: u32 = 100;

impl Store {
    fn messages_where(&self, filter: &str, newest_first: bool) -> Result<Vec<Message>, StoreError> {
        let order = if newest_first { "DESC" } else { "ASC" };
        let sql = format!(
            "SELECT seq, kind, sealed, at, read FROM feed WHERE {filter} ORDER BY seq {order} LIMIT {SHOWN}"
        );
        let rows: Vec<(i64, String, Vec<u8>, String, bool)> = self
            .conn()
            .prepare_cached(&sql)?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?
            .collect::<Result<_, _>>()?;
        let mut out = Vec::with_capacity(rows.len());
        for (seq, kind, sealed, at, read) in rows {
            let seq = seq as u64;
            let place = feed_place(seq);
            let said = match kind.parse::<FeedKind>() {
                Ok(FeedKind::ApplicationChanged) => {
                    Said::StateChanged(self.open_json(&place, &sealed)?)
                }
                Ok(FeedKind::Correction) => Said::Correction(self.open_json(&place, &sealed)?),
                Ok(FeedKind::PlaceOpened) => Said::PlaceOpened(self.open_json(&place, &sealed)?),
                // A kind a later build keeps: not this build's to show.
                Err(_) => continue,
            };
            out.push(Message {
                seq,
                at: at.parse().unwrap_or(Timestamp::UNIX_EPOCH),
                said,
                read,
            });
        }
        Ok(out)
    }

    /// The inbox, newest first.
    pub fn messages(&self) -> Result<Vec<Message>, StoreError> {
        self.messages_where("1", true)
    }

    /// How many messages are not read yet.
    pub fn unread_messages(&self) -> Result<u64, StoreError> {
        Ok(self
            .conn()
            .prepare_cached("SELECT count(*) FROM feed WHERE read = 0")?
            .query_row([], |r| r.get::<_, i64>(0))? as u64)
    }

    /// Messages not yet shown as a notification, oldest first (a place
    /// opened is told by its own notification, with the window).
    pub fn messages_to_notify(&self) -> Result<Vec<Message>, StoreError> {
        let filter = format!("notified = 0 AND kind != '{}'", FeedKind::PlaceOpened.as_str());
        self.messages_where(&filter, false)
    }

    /// Notes that a message was shown as a notification.
    pub fn note_message_notified(&self, seq: u64) -> Result<(), StoreError> {
        self.conn()
            .prepare_cached("UPDATE feed SET notified = 1 WHERE seq = ?1")?
            .execute([seq as i64])?;
        Ok(())
    }

    /// Marks messages read: one, or with `None` all of them.
    pub fn mark_read(&self, seq: Option<u64>) -> Result<(), StoreError> {
        let changed = self
            .conn()
            .prepare_cached("UPDATE feed SET read = 1 WHERE read = 0 AND (?1 IS NULL OR seq = ?1)")?
            .execute([seq.map(|s| s as i64)])?;
        if changed > 0 {
            self.announce(Change::Inbox);
        }
        Ok(())
    }
}
