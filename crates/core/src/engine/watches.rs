//! Tell me when a place opens: watches made here and queued like every
//! other change, and the feed the app follows while it is open, which
//! brings what the server found (no phone polls the slots for it).

use crate::engine::Engine;
use crate::error::{Error, StoreError};
use crate::outbox::{Operation, enqueue};
use crate::watches::{LocalWatch, Opening, WatchPlan};
use mpaspor_domain::DraftId;
use mpaspor_domain::api::{MAX_FEED_WAIT, MAX_WATCH_OFFICES};
use std::time::Duration;

/// How long the feed's request is held open by the server: the only
/// request an idle open app makes.
pub const FEED_WAIT: Duration = Duration::from_secs(25);

/// The longest pause after a failed feed request (no network, a server
/// down): the pauses double from one second up to this.
const MOST_PAUSE: Duration = Duration::from_secs(30);

impl Engine {
    /// Keeps a watch for a draft and queues it for the server.
    pub fn watch(&self, draft: &DraftId, plan: WatchPlan) -> Result<String, Error> {
        let bad = |reason: &str| StoreError::BadValue {
            field: "watch".into(),
            reason: reason.into(),
        };
        if plan.from > plan.to {
            return Err(bad("the last day is before the first").into());
        }
        if plan.offices.is_empty() == plan.near.is_none() || plan.offices.len() > MAX_WATCH_OFFICES
        {
            return Err(bad("name one to five offices, or a place").into());
        }
        let id = self.store().write(|tx| {
            let id = tx.add_watch(draft, plan)?;
            let op = Operation::Watch {
                draft: draft.to_string(),
                watch: id.clone(),
            };
            enqueue(tx.store, tx.db, &op)?;
            Ok(id)
        })?;
        self.queued();
        Ok(id)
    }

    /// Stops a watch: gone here at once, and the server told.
    pub fn unwatch(&self, id: &str) -> Result<(), Error> {
        self.store().write(|tx| {
            if let Some(server_id) = tx.remove_watch(id)? {
                let op = Operation::Unwatch {
                    watch: id.to_owned(),
                    server_id,
                };
                enqueue(tx.store, tx.db, &op)?;
            }
            Ok(())
        })?;
        self.queued();
        Ok(())
    }

    /// The watches kept here, oldest first.
    pub fn watches(&self) -> Result<Vec<LocalWatch>, Error> {
        Ok(self.store().watches()?)
    }

    /// Places that opened for a draft still waiting for one, newest first.
    pub fn openings(&self) -> Result<Vec<(Opening, Option<DraftId>)>, Error> {
        let store = self.store();
        let mut found = Vec::new();
        for opening in store.openings()? {
            let draft = store.draft_for_server(&opening.place.application_id)?;
            let waiting = match &draft {
                Some(d) => !store.draft(d)?.locked,
                None => false,
            };
            if waiting {
                found.push((opening, draft));
            }
        }
        Ok(found)
    }

    /// Openings not yet shown as a notification; each is answered once.
    pub fn take_openings_to_notify(&self) -> Result<Vec<(Opening, Option<DraftId>)>, Error> {
        let mut waiting = self.openings()?;
        let store = self.store();
        let mut out = Vec::new();
        for opening in store.openings_to_notify()? {
            store.note_opening_notified(opening.seq)?;
            if let Some(at) = waiting.iter().position(|(o, _)| o.seq == opening.seq) {
                out.push(waiting.swap_remove(at));
            }
        }
        Ok(out)
    }

    pub fn dismiss_opening(&self, seq: u64) -> Result<(), Error> {
        Ok(self.store().dismiss_opening(seq)?)
    }

    /// One turn of the feed: the events after the kept cursor, waiting up
    /// to `wait` for one, kept with the new cursor in one transaction; an
    /// application that moved has sync fetch the server's copies now.
    /// Answers how many events came.
    pub async fn follow_once(&self, wait: Duration) -> Result<usize, Error> {
        let wait = wait.min(Duration::from_secs(MAX_FEED_WAIT));
        let cursor = self.store().feed_cursor()?;
        let page = self.api().events(cursor, wait).await?;
        let cursor = page.cursor.max(cursor);
        self.store()
            .write(|tx| tx.keep_events(&page.events, cursor))?;
        // An application moved on, or a correction came or went: the
        // server's copies are pulled at once.
        if page
            .events
            .iter()
            .any(|e| e.application_changed.is_some() || e.correction.is_some())
        {
            self.nudge();
        }
        Ok(page.events.len())
    }

    /// Follows the feed while signed in, one held request at a time; after a
    /// failure it pauses (1 s, doubling to 30 s) and goes on from the kept
    /// cursor, so an event is neither lost nor kept twice; once the server
    /// answers again, sync goes at once (what waited is sent). Never returns.
    pub async fn follow(&self) {
        let mut pause = Duration::from_secs(1);
        loop {
            if self.api().session().is_none() {
                tokio::time::sleep(MOST_PAUSE).await;
                continue;
            }
            match self.follow_once(FEED_WAIT).await {
                Ok(_) => {
                    if pause > Duration::from_secs(1) {
                        self.nudge();
                    }
                    pause = Duration::from_secs(1);
                }
                Err(e) => {
                    if let Error::Api(e) = &e {
                        self.sync.unreachable(e);
                    }
                    tracing::debug!("the feed: {e}; again in {pause:?}");
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(MOST_PAUSE);
                }
            }
        }
    }
}
