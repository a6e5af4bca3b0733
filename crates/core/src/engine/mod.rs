//! The one door into the engine: what the screens ask for, one file per
//! resource. Each operation is a method of [`Engine`]: it reads or writes
//! the store, queues work for sync, or asks the server, and answers in the
//! types of `mpaspor_domain` and this crate.

use crate::client::Api;
use crate::store::Store;
use crate::sync::Sync;
use std::sync::Arc;
use tokio::sync::watch;

mod account;
mod applications;
mod begin;
mod drafts;
mod home;
mod identity;
mod inbox;
mod offices;
mod open;
mod people;
mod pickup;
mod preferences;
mod reference;
mod reminders;
mod watches;

pub use applications::ApplicationView;
pub use home::HomeRow;
pub use offices::FoundOffices;
pub use open::Data;
pub use watches::FEED_WAIT;

// The types the door answers in, wherever they are kept.
pub use crate::applicants::LocalApplicant;
pub use crate::attorney::Party;
pub use crate::changes::{Change, Changes};
pub use crate::client::{Tester, check_address};
pub use crate::documents::LocalDocument;
pub use crate::drafts::Draft;
pub use crate::inbox::{Message, Said};
pub use crate::outbox::{Operation, Pending};
pub use crate::photo::Verdict;
pub use crate::store::{OpenError, Preference};
pub use crate::sync::{SyncError, SyncReport, SyncStatus, UploadProgress};
pub use crate::watches::{LocalWatch, Opening, WatchPlan};

/// The engine the app holds: the store, the API client, and sync between
/// them (`sync/`, the engine's own part, which never sees this door).
pub struct Engine {
    sync: Sync,
}

impl Engine {
    pub fn new(store: Store, api: Api) -> Arc<Engine> {
        Arc::new(Engine {
            sync: Sync::new(store, api),
        })
    }

    /// The parts below the door: the crate's own, and with `internals` its
    /// tests', benches' and examples'.
    #[cfg(feature = "internals")]
    pub fn store(&self) -> &Store {
        &self.sync.store
    }

    #[cfg(not(feature = "internals"))]
    pub(crate) fn store(&self) -> &Store {
        &self.sync.store
    }

    #[cfg(feature = "internals")]
    pub fn api(&self) -> &Api {
        &self.sync.api
    }

    #[cfg(not(feature = "internals"))]
    pub(crate) fn api(&self) -> &Api {
        &self.sync.api
    }

    pub fn status(&self) -> watch::Receiver<SyncStatus> {
        self.sync.status()
    }

    /// What changes on this phone from now on (see `changes`).
    pub fn changes(&self) -> crate::changes::Changes {
        self.store().changes()
    }

    pub fn upload_progress(&self) -> watch::Receiver<Option<UploadProgress>> {
        self.sync.upload_progress()
    }

    /// Asks the background loop to sync now (after a change, or when the network returns).
    pub fn nudge(&self) {
        self.sync.nudge();
    }

    /// Syncs now and then every `every` while something waits to be sent or
    /// the server is out of reach; ten times as long while all is sent (the
    /// feed, see [`Engine::follow`], nudges it when the server has news);
    /// at once when nudged. Never returns.
    pub async fn run(&self, every: std::time::Duration) {
        self.sync.run(every).await
    }

    /// One run: the outbox in order, then changed drafts, then the server's copies.
    pub async fn sync(&self) -> Result<SyncReport, SyncError> {
        self.sync.sync().await
    }

    pub(crate) fn queue(&self, op: crate::outbox::Operation) -> Result<(), crate::Error> {
        crate::outbox::queue(self.store(), &op)?;
        self.queued();
        Ok(())
    }

    /// Something was queued: the counts change, and sync goes soon.
    pub(crate) fn queued(&self) {
        self.sync.publish(|_| {});
        self.nudge();
    }
}
