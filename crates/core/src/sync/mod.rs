//! Sync: works the outbox in order, pushes changed draft fields, pulls the
//! server's copies. Safe to kill at any point: an operation leaves the outbox
//! in the transaction that stores the server's answer, and its retry sends
//! the same idempotency key. An answer is kept while the next operation is
//! on its way, unless that operation reads what the answer changes
//! ([`waits_for`]). The conflict rule (also in the README): once submitted,
//! the server's state wins; before, a 409 is answered field by field: what
//! the applicant changed here and the server has not taken wins, every other
//! field takes the server's value.
//!
//! `perform.rs` asks the server for one queued operation; `pull.rs` pushes
//! a draft's changed fields and takes the server's copies.

mod perform;
mod pull;

use crate::client::ApiError;
use crate::client::Api;
use crate::store::Store;
use tokio::sync::{Notify, watch};
use crate::error::StoreError;
use crate::outbox::{Operation, Pending};
use crate::store::Tx;
use jiff::Timestamp;
use mpaspor_domain::eligibility::DocumentKind;
use std::collections::HashSet;

/// How many times `every` [`Sync::run`] waits between pulls while all is
/// sent and the server answers (the feed nudges it when something moves).
const QUIET: u32 = 10;

/// What the UI shows of sync: a banner, a badge, a message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncStatus {
    /// `None` until the first attempt.
    pub online: Option<bool>,
    /// Operations waiting to be sent.
    pub pending: u64,
    /// Operations the server refused; they wait for the applicant.
    pub failed: u64,
    /// Operations that could not be read on this phone (damaged) and were
    /// set aside: they will not be sent.
    pub set_aside: u64,
    /// The translation key and detail of the last error, cleared by a clean run.
    pub last_error: Option<(String, String)>,
    pub needs_login: bool,
    pub last_synced: Option<Timestamp>,
}

/// A document going up: draw `sent / total` as a bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadProgress {
    pub draft: String,
    pub kind: DocumentKind,
    pub sent: u64,
    pub total: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What one run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    pub sent: u32,
    pub refused: u32,
    pub drafts_pushed: u32,
    pub pulled: u32,
    /// Stopped early: no network, or the session ended.
    pub interrupted: bool,
}

/// What a server's answer changes in the store, kept in one transaction
/// with the operation's removal (see [`Engine::perform`]).
type Keep<'p> = Box<dyn FnOnce(&Tx<'_>) -> Result<(), StoreError> + Send + 'p>;

/// An answer that changes nothing here (already done, or a deletion).
fn nothing<'p>() -> Keep<'p> {
    Box::new(|_| Ok(()))
}

/// Whether `next` reads what the answer to `before` changes here, and so
/// starts only once that answer is kept. An answer changes its own target
/// (an applicant, a draft) and nothing else, but a draft is created on the
/// server with its applicant's server id, and a watch with its draft's.
fn waits_for(before: &Operation, next: &Operation) -> bool {
    before.target() == next.target()
        || matches!(next, Operation::Watch { draft, .. } if draft == before.target())
        || matches!(
            before,
            Operation::CreateApplicant { .. }
                | Operation::UpdateApplicant { .. }
                | Operation::DeleteApplicant { .. }
        )
}

enum OpError {
    Api(ApiError),
    Store(StoreError),
    /// Waits for an earlier operation (e.g. the applicant is not on the server yet).
    Deferred,
}

impl From<ApiError> for OpError {
    fn from(e: ApiError) -> Self {
        OpError::Api(e)
    }
}

impl From<StoreError> for OpError {
    fn from(e: StoreError) -> Self {
        OpError::Store(e)
    }
}

/// Sync's own state: the store and the client it works between, what the
/// app hears of it (status, upload progress), and the one run at a time.
pub(crate) struct Sync {
    pub(crate) store: Store,
    pub(crate) api: Api,
    status: watch::Sender<SyncStatus>,
    upload: watch::Sender<Option<UploadProgress>>,
    one_run: tokio::sync::Mutex<()>,
    nudge: Notify,
}

impl Sync {
    pub(crate) fn new(store: Store, api: Api) -> Sync {
        let (pending, failed) = store.outbox_counts().unwrap_or_default();
        Sync {
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
        }
    }

    pub(crate) fn status(&self) -> watch::Receiver<SyncStatus> {
        self.status.subscribe()
    }

    pub(crate) fn upload_progress(&self) -> watch::Receiver<Option<UploadProgress>> {
        self.upload.subscribe()
    }

    pub(crate) fn nudge(&self) {
        self.nudge.notify_one();
    }

    /// Syncs now and then every `every`, or sooner when nudged. Never returns.
    pub(crate) async fn run(&self, every: std::time::Duration) {
        loop {
            if let Err(e) = self.sync().await {
                tracing::warn!("sync stopped: {e}");
            }
            // Every `every` it looks (here, no request) whether anything
            // waits; with nothing waiting and the server answering, the
            // feed tells of what moved there (and nudges), so the pull
            // itself waits up to QUIET times as long.
            let mut waited = 1;
            loop {
                tokio::select! {
                    _ = self.nudge.notified() => break,
                    _ = tokio::time::sleep(every) => {}
                }
                if waited >= QUIET || !self.quiet() {
                    break;
                }
                waited += 1;
            }
        }
    }

    /// Nothing to send (no operation, no changed draft field), and the
    /// server answered last time.
    fn quiet(&self) -> bool {
        let answered = {
            let s = self.status.borrow();
            s.pending == 0 && s.online == Some(true) && s.last_error.is_none()
        };
        answered && self.store.dirty_drafts().is_ok_and(|d| d.is_empty())
    }

    /// The feed could not reach the server: the app says it is offline
    /// (sync goes again once the feed is answered).
    pub(crate) fn unreachable(&self, e: &ApiError) {
        if e.is_transient() {
            self.stopped(e);
        }
    }

    /// Tells the app the outbox's counts, with `change` to the rest.
    pub(crate) fn publish(&self, change: impl FnOnce(&mut SyncStatus)) {
        let (pending, failed) = self.store.outbox_counts().unwrap_or_default();
        let set_aside = self.store.set_aside_count().unwrap_or_default();
        self.status.send_modify(|s| {
            change(s);
            s.pending = pending;
            s.failed = failed;
            s.set_aside = set_aside;
        });
    }

    /// One run: the outbox in order, then changed drafts, then the server's copies.
    pub(crate) async fn sync(&self) -> Result<SyncReport, SyncError> {
        let _one_at_a_time = self.one_run.lock().await;
        let mut report = SyncReport::default();
        if self.api.session().is_none() {
            self.publish(|s| s.needs_login = true);
            report.interrupted = true;
            return Ok(report);
        }
        let outcome = async {
            self.push(&mut report).await?;
            self.pull(&mut report).await
        }
        .await;
        match outcome {
            Ok(()) | Err(OpError::Deferred) => {}
            Err(OpError::Store(e)) => return Err(e.into()),
            Err(OpError::Api(e)) => {
                self.stopped(&e);
                report.interrupted = true;
                return Ok(report);
            }
        }
        let now = self.api.server_now();
        self.publish(|s| {
            s.online = Some(true);
            s.needs_login = false;
            s.last_synced = Some(now);
            if report.refused == 0 {
                s.last_error = None;
            }
        });
        Ok(report)
    }

    fn stopped(&self, e: &ApiError) {
        let (offline, login) = (e.is_transient(), matches!(e, ApiError::NotLoggedIn));
        tracing::info!("sync paused: {e}");
        self.publish(|s| {
            if offline {
                s.online = Some(false);
            }
            s.needs_login = login;
            s.last_error = Some((e.key(), e.to_string()));
        });
    }

    async fn push(&self, report: &mut SyncReport) -> Result<(), OpError> {
        let outbox = self.store.outbox()?;
        let mut held: HashSet<String> = HashSet::new();
        // The last answer not yet kept: kept while the next request is on its way.
        let mut answered: Option<(&Pending, Keep<'_>)> = None;
        for pending in &outbox {
            let target = pending.operation.target().to_owned();
            if pending.failed.is_some() {
                held.insert(target);
                continue;
            }
            if held.contains(&target) {
                continue;
            }
            let outcome = match answered.take() {
                Some(before) if !waits_for(&before.0.operation, &pending.operation) => {
                    // `perform` reads the store and sends; the keeping runs while it waits.
                    let (outcome, kept) = tokio::join!(
                        biased;
                        self.perform(pending),
                        async { self.keep(before, report) },
                    );
                    kept?;
                    outcome
                }
                Some(before) => {
                    self.keep(before, report)?;
                    self.perform(pending).await
                }
                None => self.perform(pending).await,
            };
            match outcome {
                Ok(keep) => answered = Some((pending, keep)),
                Err(OpError::Deferred) => {
                    held.insert(target);
                }
                Err(OpError::Api(e))
                    if !e.is_transient() && !matches!(e, ApiError::NotLoggedIn) =>
                {
                    tracing::info!(op = pending.operation.kind(), "refused: {e}");
                    let code = e
                        .code()
                        .map(|c| c.as_str().to_owned())
                        .unwrap_or_else(|| e.key());
                    let message = match &e {
                        ApiError::Api { body, .. } => body.error.message.clone(),
                        other => other.to_string(),
                    };
                    self.store.mark_failed(pending.seq, &code, &message)?;
                    report.refused += 1;
                    held.insert(target);
                    self.publish(|s| s.last_error = Some((e.key(), e.to_string())));
                }
                Err(e) => return Err(e),
            }
        }
        if let Some(last) = answered {
            self.keep(last, report)?;
        }
        // Drafts with changed fields and nothing queued ahead of them.
        for draft in self.store.dirty_drafts()? {
            if held.contains(&draft) {
                continue;
            }
            if self.push_draft(&draft).await? {
                report.drafts_pushed += 1;
            }
        }
        Ok(())
    }

    /// Keeps what an answer changes here and removes its operation: one transaction.
    fn keep(
        &self,
        (pending, keep): (&Pending, Keep<'_>),
        report: &mut SyncReport,
    ) -> Result<(), StoreError> {
        self.store.write(|tx| {
            keep(tx)?;
            tx.complete(pending.seq)
        })?;
        report.sent += 1;
        self.publish(|_| {});
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_operation_waits_for_its_own_target_and_for_any_applicant_change() {
        let create = |draft: &str| Operation::CreateApplication {
            draft: draft.into(),
        };
        let upload = |draft: &str| Operation::UploadDocument {
            draft: draft.into(),
            kind: DocumentKind::Ektp,
        };
        // The upload needs the server id that the create's answer brings.
        assert!(waits_for(&create("d1"), &upload("d1")));
        assert!(!waits_for(&create("d1"), &upload("d2")));
        assert!(!waits_for(&upload("d1"), &create("d2")));
        // A draft is created with its applicant's server id.
        let person = Operation::CreateApplicant {
            applicant: "a1".into(),
        };
        assert!(waits_for(&person, &create("d1")));
        let changed = Operation::UpdateApplicant {
            applicant: "a1".into(),
        };
        assert!(waits_for(&changed, &create("d1")));
        assert!(!waits_for(&create("d1"), &changed));
    }
}
