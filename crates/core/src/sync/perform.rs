//! One queued operation sent to the server, and what its answer changes here.

use super::{Keep, OpError, UploadProgress, nothing};
use crate::client::{ApiError, Progress};
use super::Sync;
use crate::outbox::{Operation, Pending};
use bytes::Bytes;
use mpaspor_domain::api::{Application, SubmitRequest, WatchRequest};
use mpaspor_domain::eligibility::DocumentKind;
use std::sync::Arc;

impl Sync {
    /// Asks the server; answers what its answer changes here, for the caller
    /// to keep in the same transaction that removes the operation.
    pub(super) async fn perform<'p>(&self, pending: &'p Pending) -> Result<Keep<'p>, OpError> {
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
            Operation::Watch { draft, watch } => {
                let Some(local) = self.store.watch(watch)? else {
                    return Ok(nothing());
                };
                if local.server.is_some() {
                    return Ok(nothing());
                }
                // The server reads the passport type and the NIK from the draft.
                self.push_draft(draft).await?;
                let req = WatchRequest {
                    application_id: self.server_id(draft)?,
                    offices: local.plan.offices,
                    near: local.plan.near,
                    from: local.plan.from,
                    to: local.plan.to,
                };
                let made = self.api.create_watch(&req, key).await?;
                Box::new(move |tx| tx.watch_synced(watch, &made))
            }
            Operation::Unwatch { server_id, .. } => {
                match self.api.delete_watch(server_id).await {
                    Err(e) if e.code_is("not_found") => {}
                    other => other?,
                }
                nothing()
            }
            Operation::SetLanguage { language } => {
                self.api.set_language(*language).await?;
                nothing()
            }
        })
    }

    pub(super) fn server_id(&self, draft: &str) -> Result<mpaspor_domain::ApplicationId, OpError> {
        self.store.draft(draft)?.server_id.ok_or(OpError::Deferred)
    }

    pub(super) fn progress(&self, draft: &str, kind: DocumentKind) -> Progress {
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

    pub(super) async fn refresh_application(
        &self,
        id: &str,
        draft: Option<&str>,
    ) -> Result<Application, OpError> {
        let app = self.api.application(id).await?;
        self.store.keep_application(&app, draft)?;
        Ok(app)
    }
}
