//! Sync: works the outbox in order, pushes changed draft fields, pulls the
//! server's copies. Safe to kill at any point: an operation leaves the outbox
//! in the transaction that stores the server's answer, and its retry sends
//! the same idempotency key. An answer is kept while the next operation is
//! on its way, unless that operation reads what the answer changes
//! ([`waits_for`]). The conflict rule (also in the README): once submitted,
//! the server's state wins; before, a 409 is answered field by field: what
//! the applicant changed here and the server has not taken wins, every other
//! field takes the server's value.

use crate::client::{Api, ApiError, Progress};
use crate::drafts::fields_of;
use crate::error::StoreError;
use crate::outbox::{Operation, Pending};
use crate::store::{Store, Tx};
use bytes::Bytes;
use jiff::{SignedDuration, Timestamp};
use mpaspor_domain::api::{Application, Office, Payment, SubmitRequest, TravelDocument};
use mpaspor_domain::eligibility::DocumentKind;
use mpaspor_domain::fees::FeeTable;
use mpaspor_domain::state::ApplicationState;
use std::collections::HashSet;
use std::sync::Arc;
use tokio::sync::{Notify, watch};

const FEES: &str = "fees";
const OFFICES: &str = "offices";

/// What the UI shows of sync: a banner, a badge, a message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncStatus {
    /// `None` until the first attempt.
    pub online: Option<bool>,
    /// Operations waiting to be sent.
    pub pending: u64,
    /// Operations the server refused; they wait for the applicant.
    pub failed: u64,
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
/// server with its applicant's server id.
fn waits_for(before: &Operation, next: &Operation) -> bool {
    before.target() == next.target()
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

/// The engine the app holds: the store, the API client, and sync between them.
pub struct Engine {
    store: Store,
    api: Api,
    status: watch::Sender<SyncStatus>,
    upload: watch::Sender<Option<UploadProgress>>,
    one_run: tokio::sync::Mutex<()>,
    nudge: Notify,
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

    /// The fee table in force: fetched when the network allows, else the copy
    /// kept from the last time (`None` only if it was never fetched).
    pub async fn fees(&self) -> Result<Option<FeeTable>, StoreError> {
        match self.api.fees().await {
            Ok(table) => {
                self.store.keep_reference(FEES, &table)?;
                Ok(Some(table))
            }
            Err(e) => {
                tracing::info!("fee table from the phone's copy: {e}");
                self.store.reference(FEES)
            }
        }
    }

    /// Every office (all pages), fetched or, offline, as last kept.
    pub async fn offices(&self) -> Result<Option<Vec<Office>>, StoreError> {
        match self.api.all_offices().await {
            Ok(all) => {
                self.store.keep_reference(OFFICES, &all)?;
                Ok(Some(all))
            }
            Err(e) => {
                tracing::info!("offices from the phone's copy: {e}");
                self.store.reference(OFFICES)
            }
        }
    }

    /// Asks the server for the passports already issued to this (local)
    /// applicant and keeps them for offline reading; answers what is kept
    /// when the server cannot be asked. `Ok(None)`: nothing known yet (the
    /// person is not on the server yet, or never asked while online).
    pub async fn travel_documents(
        &self,
        applicant: &str,
    ) -> Result<Option<Vec<TravelDocument>>, StoreError> {
        if let Some(server) = self.store.applicant(applicant)?.server_id {
            match self.api.all_travel_documents(&server).await {
                Ok(found) => {
                    self.store.keep_travel_documents(applicant, &found)?;
                    return Ok(Some(found));
                }
                Err(e) => tracing::info!("passports from the phone's copy: {e}"),
            }
        }
        self.store.travel_documents(applicant)
    }

    /// Time left to pay, counted against the server's clock.
    pub fn time_to_pay(&self, payment: &Payment) -> SignedDuration {
        payment.expires_at.duration_since(self.api.server_now())
    }

    /// Queues the submit of a draft with its chosen slot (the applicant has
    /// accepted the declaration on screen).
    pub fn submit(&self, draft: &str, slot_id: &str) -> Result<(), StoreError> {
        self.queue(Operation::Submit {
            draft: draft.into(),
            slot_id: slot_id.into(),
        })
    }

    pub fn confirm_payment(&self, draft: &str, ntpn: &str) -> Result<(), StoreError> {
        self.queue(Operation::ConfirmPayment {
            draft: draft.into(),
            ntpn: ntpn.trim().into(),
        })
    }

    pub fn reschedule(&self, draft: &str, slot_id: &str) -> Result<(), StoreError> {
        self.queue(Operation::Reschedule {
            draft: draft.into(),
            slot_id: slot_id.into(),
        })
    }

    pub fn cancel(&self, draft: &str, accept_forfeit: bool) -> Result<(), StoreError> {
        self.queue(Operation::Cancel {
            draft: draft.into(),
            accept_forfeit,
        })
    }

    fn queue(&self, op: Operation) -> Result<(), StoreError> {
        self.store.enqueue(&op)?;
        self.publish(|_| {});
        self.nudge();
        Ok(())
    }

    fn publish(&self, change: impl FnOnce(&mut SyncStatus)) {
        let (pending, failed) = self.store.outbox_counts().unwrap_or_default();
        self.status.send_modify(|s| {
            change(s);
            s.pending = pending;
            s.failed = failed;
        });
    }

    /// One run: the outbox in order, then changed drafts, then the server's copies.
    pub async fn sync(&self) -> Result<SyncReport, SyncError> {
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

    /// Asks the server; answers what its answer changes here, for the caller
    /// to keep in the same transaction that removes the operation.
    async fn perform<'p>(&self, pending: &'p Pending) -> Result<Keep<'p>, OpError> {
        let key = pending.idempotency_key.as_str();
        Ok(match &pending.operation {
            Operation::CreateApplicant { applicant } => {
                let local = self.store.applicant(applicant)?;
                if local.server_id.is_some() {
                    return Ok(nothing());
                }
                let rev = self.store.applicant_rev(applicant)?;
                let made = self.api.create_applicant(&local.input, key).await?;
                Box::new(move |tx| {
                    tx.applicant_synced(applicant, &made.id, made.version, Some(rev))
                })
            }
            Operation::UpdateApplicant { applicant } => {
                let local = self.store.applicant(applicant)?;
                let (Some(id), Some(version)) = (local.server_id, local.server_version) else {
                    return Err(OpError::Deferred);
                };
                if !local.dirty {
                    return Ok(nothing());
                }
                let rev = self.store.applicant_rev(applicant)?;
                // The applicant's own record: what was typed here wins over a stale version.
                let updated = match self.api.update_applicant(&id, version, &local.input).await {
                    Err(e) if e.code_is("version_conflict") => {
                        let current = match &e {
                            ApiError::Api { body, .. } => body.error.current_version,
                            _ => None,
                        };
                        let Some(current) = current else {
                            return Err(e.into());
                        };
                        self.api
                            .update_applicant(&id, current, &local.input)
                            .await?
                    }
                    other => other?,
                };
                Box::new(move |tx| tx.applicant_synced(applicant, &id, updated.version, Some(rev)))
            }
            Operation::DeleteApplicant { server_id, .. } => {
                match self.api.delete_applicant(server_id).await {
                    Err(e) if e.code_is("not_found") => {}
                    other => other?,
                }
                nothing()
            }
            Operation::CreateApplication { draft } => {
                let local = self.store.draft(draft)?;
                if local.server_id.is_some() {
                    return Ok(nothing());
                }
                if local.body.applicant_id.is_empty() {
                    return Err(OpError::Deferred);
                }
                let made = self.api.create_application(&local.body, key).await?;
                Box::new(move |tx| {
                    tx.draft_synced(draft, &made.id, made.version, &local.dirty)?;
                    tx.keep_application(&made, Some(draft))
                })
            }
            Operation::UploadDocument { draft, kind } => {
                let server_id = self.server_id(draft)?;
                let Some((bytes, sha)) = self.store.document_bytes(draft, *kind)? else {
                    return Ok(nothing());
                };
                let progress = self.progress(draft, *kind);
                let info = self
                    .api
                    .upload_document(
                        &server_id,
                        *kind,
                        Bytes::from(bytes),
                        "image/jpeg",
                        Some(progress),
                    )
                    .await?;
                if info.sha256 != sha {
                    return Err(OpError::Api(ApiError::Decode(format!(
                        "the server stored other bytes for {} than were sent",
                        kind.as_str()
                    ))));
                }
                self.upload.send_replace(None);
                Box::new(move |tx| tx.document_uploaded(draft, *kind, &sha))
            }
            Operation::Submit { draft, slot_id } => {
                self.push_draft(draft).await?;
                let server_id = self.server_id(draft)?;
                let req = SubmitRequest {
                    slot_id: slot_id.clone(),
                    declaration_accepted: true,
                };
                let done = self.api.submit(&server_id, &req, key).await?;
                Box::new(move |tx| {
                    tx.keep_application(&done.application, Some(draft))?;
                    tx.keep_payment(&server_id, &done.payment)?;
                    tx.lock_draft(draft)
                })
            }
            Operation::ConfirmPayment { draft, ntpn } => {
                let server_id = self.server_id(draft)?;
                let payment = self.api.confirm_payment(&server_id, ntpn, key).await?;
                let app = self.api.application(&server_id).await?;
                Box::new(move |tx| {
                    tx.keep_application(&app, Some(draft))?;
                    tx.keep_payment(&server_id, &payment)
                })
            }
            Operation::Reschedule { draft, slot_id } => {
                let server_id = self.server_id(draft)?;
                let app = self.api.reschedule(&server_id, slot_id, key).await?;
                // The proof names the day and window: take the new one.
                let receipt = self.api.receipt(&server_id).await?;
                Box::new(move |tx| {
                    tx.keep_application(&app, Some(draft))?;
                    tx.keep_receipt(&server_id, &receipt)
                })
            }
            Operation::Cancel {
                draft,
                accept_forfeit,
            } => {
                let server_id = self.server_id(draft)?;
                let app = self.api.cancel(&server_id, *accept_forfeit, key).await?;
                Box::new(move |tx| tx.keep_application(&app, Some(draft)))
            }
        })
    }

    fn server_id(&self, draft: &str) -> Result<String, OpError> {
        self.store.draft(draft)?.server_id.ok_or(OpError::Deferred)
    }

    fn progress(&self, draft: &str, kind: DocumentKind) -> Progress {
        let tx = self.upload.clone();
        let draft = draft.to_owned();
        Arc::new(move |sent, total| {
            tx.send_replace(Some(UploadProgress {
                draft: draft.clone(),
                kind,
                sent,
                total,
            }));
        })
    }

    async fn refresh_application(
        &self,
        id: &str,
        draft: Option<&str>,
    ) -> Result<Application, OpError> {
        let app = self.api.application(id).await?;
        self.store.keep_application(&app, draft)?;
        Ok(app)
    }

    /// Sends a draft's changed fields. Answers whether the server took any.
    async fn push_draft(&self, draft: &str) -> Result<bool, OpError> {
        for _ in 0..3 {
            let local = self.store.draft(draft)?;
            if local.locked || local.dirty.is_empty() {
                return Ok(false);
            }
            let (Some(server_id), Some(version)) = (&local.server_id, local.server_version) else {
                return Ok(false);
            };
            match self
                .api
                .update_application(server_id, version, &local.body)
                .await
            {
                Ok(app) => {
                    self.store.write(|tx| {
                        tx.draft_synced(draft, server_id, app.version, &local.dirty)?;
                        tx.keep_application(&app, Some(draft))
                    })?;
                    return Ok(true);
                }
                Err(e) if e.code_is("version_conflict") || e.code_is("not_editable") => {
                    let server = self.refresh_application(server_id, Some(draft)).await?;
                    if server.state != ApplicationState::Draft {
                        // Submitted elsewhere (or a lost answer): the server's copy rules.
                        self.store.lock_draft(draft)?;
                        return Ok(false);
                    }
                    self.merge(draft, &local, &server)?;
                }
                Err(e) => return Err(e.into()),
            }
        }
        Ok(false)
    }

    /// Field-level merge after a 409: see the module's note.
    fn merge(
        &self,
        draft: &str,
        local: &crate::drafts::Draft,
        server: &Application,
    ) -> Result<(), StoreError> {
        let mine = fields_of(&local.body);
        let mut same = Vec::new();
        for (field, theirs) in fields_of(&server.draft) {
            let ours = &mine
                .iter()
                .find(|(f, _)| *f == field)
                .expect("same field list")
                .1;
            match local.dirty.iter().find(|(f, _)| *f == field) {
                Some((_, rev)) if *ours == theirs => same.push((field, *rev)),
                Some(_) => {}
                None if *ours != theirs => self.store.take_server_field(draft, field, &theirs)?,
                None => {}
            }
        }
        self.store
            .draft_synced(draft, &server.id, server.version, &same)
    }

    async fn pull(&self, report: &mut SyncReport) -> Result<(), OpError> {
        for applicant in self.api.all_applicants().await? {
            self.store.keep_server_applicant(&applicant)?;
        }
        for app in self.api.all_applications().await? {
            let mut draft = self.store.draft_for_server(&app.id)?;
            if draft.is_none() && app.state != ApplicationState::Draft {
                draft = self.store.mirror_draft(&app.id, &app.draft.applicant_id)?;
            }
            self.store.keep_application(&app, draft.as_deref())?;
            report.pulled += 1;
            if app.state != ApplicationState::Draft
                && let Some(d) = &draft
            {
                self.store.lock_draft(d)?;
            }
            match app.state {
                ApplicationState::AwaitingPayment => {
                    let payment = self.api.payment(&app.id).await?;
                    self.store.keep_payment(&app.id, &payment)?;
                }
                ApplicationState::Paid
                | ApplicationState::Interviewed
                | ApplicationState::Approved
                | ApplicationState::Printed
                | ApplicationState::ReadyForPickup => {
                    if self.store.receipt(&app.id)?.is_none() {
                        let receipt = self.api.receipt(&app.id).await?;
                        self.store.keep_receipt(&app.id, &receipt)?;
                    }
                    if self.store.payment(&app.id)?.is_none_or(|p| !p.paid) {
                        let payment = self.api.payment(&app.id).await?;
                        self.store.keep_payment(&app.id, &payment)?;
                    }
                }
                _ => {}
            }
        }
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
