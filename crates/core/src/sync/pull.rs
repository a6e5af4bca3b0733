//! A draft's changed fields pushed (with the conflict rule), and the
//! server's copies pulled: people, applications, payments, proofs.

use super::{OpError, SyncReport};
use crate::drafts::{fields_of, set_field};
use super::Sync;
use crate::error::StoreError;
use mpaspor_domain::DraftField;
use mpaspor_domain::api::{Application, ApplicationDraft};
use mpaspor_domain::state::ApplicationState;

impl Sync {
    /// Sends a draft's changed fields. Answers whether the server took any.
    pub(super) async fn push_draft(&self, draft: &str) -> Result<bool, OpError> {
        for _ in 0..3 {
            let local = self.store.draft(draft)?;
            if local.locked {
                return self.push_correction(draft, &local).await;
            }
            if local.dirty.is_empty() {
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

    /// Sends the fields of a submitted draft that the office asked to
    /// correct: the server's copy with just those fields changed. A field
    /// whose correction closed meanwhile is let go (the server's copy rules).
    async fn push_correction(
        &self,
        draft: &str,
        local: &crate::drafts::Draft,
    ) -> Result<bool, OpError> {
        let Some(mut app) = self.store.application_of_draft(draft)? else {
            return Ok(false);
        };
        for _ in 0..3 {
            let asked: Vec<_> = app.open_corrections().filter_map(|c| c.field).collect();
            let fixes: Vec<(DraftField, i64)> = local
                .dirty
                .iter()
                .filter(|(f, _)| asked.contains(f))
                .copied()
                .collect();
            if fixes.is_empty() {
                self.store
                    .draft_synced(draft, &app.id, app.version, &local.dirty)?;
                return Ok(false);
            }
            let mine = fields_of(&local.body);
            let mut body = serde_json::to_value(&app.draft).expect("a draft serialises");
            for (field, _) in &fixes {
                let value = &mine.iter().find(|(f, _)| f == field).expect("every field").1;
                set_field(&mut body, *field, value.clone());
            }
            let body: ApplicationDraft =
                serde_json::from_value(body).map_err(|e| StoreError::BadValue {
                    field: "draft".into(),
                    reason: e.to_string(),
                })?;
            match self.api.update_application(&app.id, app.version, &body).await {
                Ok(fixed) => {
                    self.store.write(|tx| {
                        tx.draft_synced(draft, &fixed.id, fixed.version, &fixes)?;
                        tx.keep_application(&fixed, Some(draft))
                    })?;
                    return Ok(true);
                }
                Err(e) if e.code_is("version_conflict") || e.code_is("not_editable") => {
                    app = self.refresh_application(&app.id, Some(draft)).await?;
                }
                Err(e) => return Err(e.into()),
            }
        }
        Ok(false)
    }

    /// Field-level merge after a 409: see the module's note.
    pub(super) fn merge(
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

    /// Whether a proof from the server checks with the server's published
    /// key (kept; fetched again once when it does not check, as the key may
    /// have changed).
    async fn proof_checks(&self, receipt: &mpaspor_domain::api::Receipt) -> Result<bool, OpError> {
        if self.store.checked_receipt(receipt.clone())?.is_some() {
            return Ok(true);
        }
        let key = self.api.receipt_key().await?;
        self.store
            .keep_reference(crate::store::Store::RECEIPT_KEY, &key)?;
        Ok(self.store.checked_receipt(receipt.clone())?.is_some())
    }

    pub(super) async fn pull(&self, report: &mut SyncReport) -> Result<(), OpError> {
        let applicants = self.api.all_applicants().await?;
        let removed = self.store.removals_waiting()?;
        for applicant in applicants {
            // Removed here, the server not told yet: not brought back.
            if !removed.iter().any(|id| *id == applicant.id.as_str()) {
                self.store.keep_server_applicant(&applicant)?;
            }
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
                    // Fetched again whenever the application moved to another
                    // appointment (a reschedule makes another proof).
                    let stale = self.store.receipt(&app.id)?.is_none_or(|kept| {
                        app.appointment.as_ref().map(|a| &a.slot_id) != Some(&kept.details.slot_id)
                    });
                    if stale {
                        let receipt = self.api.receipt(&app.id).await?;
                        if self.proof_checks(&receipt).await? {
                            self.store.keep_receipt(&app.id, &receipt)?;
                        } else {
                            tracing::warn!("a proof of application did not verify; not kept");
                        }
                    }
                    if self.store.payment(&app.id)?.is_none_or(|p| !p.paid) {
                        let payment = self.api.payment(&app.id).await?;
                        self.store.keep_payment(&app.id, &payment)?;
                    }
                }
                _ => {}
            }
        }
        // Watches are asked for only while this phone keeps some: most
        // applicants have none, and their sync costs no request for it.
        if !self.store.watches()?.is_empty() {
            let watches = self.api.watches().await?;
            self.store.write(|tx| tx.keep_server_watches(&watches))?;
        }
        Ok(())
    }
}
