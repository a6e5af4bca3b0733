//! The one door into the engine: what the screens ask for, one file per
//! resource. Each operation is a method of [`Engine`] (defined with sync in
//! `sync.rs`): it reads or writes the store, queues work for sync, or asks
//! the server, and answers in the types of `mpaspor_domain` and this crate.

use crate::client::Api;
use crate::store::Store;
use std::sync::Arc;
use tokio::sync::{Notify, watch};

mod account;
mod applications;
mod begin;
mod drafts;
mod home;
mod identity;
mod offices;
mod open;
mod people;
mod preferences;
mod reference;
mod reminders;

pub use applications::ApplicationView;
pub use home::HomeRow;
pub use offices::FoundOffices;
pub use open::Data;
pub use preferences::Preference;

// The types the door answers in, wherever they are kept.
pub use crate::applicants::LocalApplicant;
pub use crate::changes::{Change, Changes};
pub use crate::client::{Tester, check_address};
pub use crate::documents::LocalDocument;
pub use crate::drafts::Draft;
pub use crate::outbox::{Operation, Pending};
pub use crate::photo::Verdict;
pub use crate::store::OpenError;
pub use crate::sync::{SyncReport, SyncStatus, UploadProgress};

/// The engine the app holds: the store, the API client, and sync between them.
pub struct Engine {
    pub(crate) store: Store,
    pub(crate) api: Api,
    pub(crate) status: watch::Sender<SyncStatus>,
    pub(crate) upload: watch::Sender<Option<UploadProgress>>,
    pub(crate) one_run: tokio::sync::Mutex<()>,
    pub(crate) nudge: Notify,
}

impl Engine {
    pub fn new(store: Store, api: Api) -> Arc<Engine> {
        let (pending, failed) = store.outbox_counts().unwrap_or_default();
        Arc::new(Engine {
            store,
            api,
            status: watch::Sender::new(SyncStatus {
                pending,
                failed,
                ..SyncStatus::default()
            }),
            upload: watch::Sender::new(None),
            one_run: tokio::sync::Mutex::new(()),
            nudge: Notify::new(),
        })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn api(&self) -> &Api {
        &self.api
    }

    pub fn status(&self) -> watch::Receiver<SyncStatus> {
        self.status.subscribe()
    }

    /// What changes on this phone from now on (see `changes`).
    pub fn changes(&self) -> crate::changes::Changes {
        self.store.changes()
    }

    pub fn upload_progress(&self) -> watch::Receiver<Option<UploadProgress>> {
        self.upload.subscribe()
    }

    /// Asks the background loop to sync now (after a change, or when the network returns).
    pub fn nudge(&self) {
        self.nudge.notify_one();
    }

    /// Syncs now and then every `every`, or sooner when nudged. Never returns.
    pub async fn run(&self, every: std::time::Duration) {
        loop {
            if let Err(e) = self.sync().await {
                tracing::warn!("sync stopped: {e}");
            }
            tokio::select! {
                _ = self.nudge.notified() => {}
                _ = tokio::time::sleep(every) => {}
            }
        }
    }

    pub(crate) fn queue(&self, op: crate::outbox::Operation) -> Result<(), crate::Error> {
        self.store.enqueue(&op)?;
        self.queued();
        Ok(())
    }

    /// Something was queued: the counts change, and sync goes soon.
    pub(crate) fn queued(&self) {
        self.publish(|_| {});
        self.nudge();
    }

    pub(crate) fn publish(&self, change: impl FnOnce(&mut SyncStatus)) {
        let (pending, failed) = self.store.outbox_counts().unwrap_or_default();
        self.status.send_modify(|s| {
            change(s);
            s.pending = pending;
            s.failed = failed;
        });
    }
}
