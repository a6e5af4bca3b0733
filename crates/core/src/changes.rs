//! What changed on this phone: every write of the store announces it after
//! it is committed, and a screen showing that thing reads it again (the
//! app's hooks). A screen never polls the store and never bumps a counter.

use tokio::sync::broadcast;

/// One thing that changed. A write may announce several.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A draft (its local id): a field, a document, the chosen window, its
    /// server copy or its lock.
    Draft(mpaspor_domain::DraftId),
    /// The people the account files for, or their passports.
    Applicants,
    /// The server's copies: applications, payments, proofs of application.
    Applications,
    /// Operations queued, sent, refused, retried or let go.
    Outbox,
    /// Watches, or the feed's events (a place opened, a message came).
    Watches,
    /// The inbox: a message was read.
    Inbox,
    /// Anything at all: the store was emptied, or a subscriber fell so far
    /// behind that it missed some changes.
    Everything,
}

/// Where the store announces (cheap to clone: one channel).
#[derive(Clone)]
pub(crate) struct Announcer(broadcast::Sender<Change>);

impl Announcer {
    /// Room for this many unread changes per subscriber; one that falls
    /// further behind hears `Change::Everything` instead.
    const ROOM: usize = 256;

    pub(crate) fn new() -> Announcer {
        Announcer(broadcast::Sender::new(Self::ROOM))
    }

    pub(crate) fn announce(&self, change: Change) {
        // No subscriber is not an error: nothing is on screen.
        let _ = self.0.send(change);
    }

    pub(crate) fn subscribe(&self) -> Changes {
        Changes(self.0.subscribe())
    }
}

/// The changes from the moment of subscribing, in order.
pub struct Changes(broadcast::Receiver<Change>);

impl Changes {
    /// The next change; `None` once the engine is gone.
    pub async fn next(&mut self) -> Option<Change> {
        match self.0.recv().await {
            Ok(change) => Some(change),
            Err(broadcast::error::RecvError::Lagged(_)) => Some(Change::Everything),
            Err(broadcast::error::RecvError::Closed) => None,
        }
    }

    /// The next change if one is already waiting.
    pub fn try_next(&mut self) -> Option<Change> {
        match self.0.try_recv() {
            Ok(change) => Some(change),
            Err(broadcast::error::TryRecvError::Lagged(_)) => Some(Change::Everything),
            Err(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_subscriber_that_falls_behind_hears_everything_changed() {
        let announcer = Announcer::new();
        let mut changes = announcer.subscribe();
        for _ in 0..Announcer::ROOM + 1 {
            announcer.announce(Change::Outbox);
        }
        assert_eq!(changes.next().await, Some(Change::Everything));
        assert_eq!(changes.next().await, Some(Change::Outbox));
    }

    #[tokio::test]
    async fn the_stream_ends_when_the_announcer_is_gone() {
        let announcer = Announcer::new();
        let mut changes = announcer.subscribe();
        announcer.announce(Change::Applicants);
        drop(announcer);
        assert_eq!(changes.next().await, Some(Change::Applicants));
        assert_eq!(changes.next().await, None);
    }
}
