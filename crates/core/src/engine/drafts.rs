//! A draft as the applicant fills it: read it, save a field as they type,
//! keep the chosen window, read its pictures, start again from an earlier
//! application.

use crate::documents::LocalDocument;
use crate::drafts::Draft;
use crate::engine::Engine;
use crate::error::Error;
use crate::photo::Verdict;
use mpaspor_domain::api::ApplicationDraft;
use mpaspor_domain::eligibility::DocumentKind;
use mpaspor_domain::{DraftField, DraftId, SlotId, Step};
use serde_json::Value;

impl Engine {
    pub fn draft(&self, id: &DraftId) -> Result<Draft, Error> {
        Ok(self.store().draft(id)?)
    }

    /// Saves one answer the moment it is given (see `Store::save_field`).
    pub fn save_field(
        &self,
        draft: &DraftId,
        field: DraftField,
        value: &Value,
    ) -> Result<(), Error> {
        Ok(self.store().save_field(draft, field, value)?)
    }

    /// Keeps the arrival window chosen for a draft not yet submitted.
    pub fn choose_slot(&self, draft: &DraftId, slot_id: &SlotId) -> Result<(), Error> {
        Ok(self.store().choose_slot(draft, slot_id)?)
    }

    /// The pictures attached to a draft (uploaded or waiting to be).
    pub fn documents(&self, draft: &DraftId) -> Result<Vec<LocalDocument>, Error> {
        Ok(self.store().documents(draft)?)
    }

    /// The small preview of the picture attached for `kind`.
    pub fn document_thumbnail(
        &self,
        draft: &DraftId,
        kind: DocumentKind,
    ) -> Result<Option<Vec<u8>>, Error> {
        Ok(self.store().document_thumbnail(draft, kind)?)
    }

    /// The step a resumed draft opens at: the first still to answer.
    pub fn resume_step(&self, draft: &DraftId) -> Result<Step, Error> {
        let body = self.store().draft(draft)?.body;
        let attached: Vec<DocumentKind> = self.documents(draft)?.iter().map(|d| d.kind).collect();
        Ok(Step::first_open(&body, &attached))
    }

    /// A new draft with the answers of an earlier application (the
    /// documents are picked again).
    pub fn copy_of_application(&self, earlier: &ApplicationDraft) -> Result<DraftId, Error> {
        Ok(self.store().copy_of_application(earlier)?)
    }

    /// Prepares a picture from a camera or gallery (off the async threads:
    /// a 12 MP photo takes a quarter second) and attaches it to `draft`, in
    /// place of any earlier one of its kind; the upload goes with the next
    /// sync. Answers the checks' verdicts.
    pub async fn attach_photo(
        &self,
        draft: &mpaspor_domain::DraftId,
        kind: DocumentKind,
        bytes: Vec<u8>,
    ) -> Result<Vec<Verdict>, Error> {
        let prepared = tokio::task::spawn_blocking(move || crate::photo::prepare(&bytes))
            .await
            .expect("prepare does not panic")?;
        self.store().attach_document(draft, kind, &prepared)?;
        self.nudge();
        Ok(prepared.verdicts)
    }
}
