//! The people an account files for (the holder and up to four more), and
//! the passports last heard of for each.

use crate::applicants::LocalApplicant;
use crate::engine::Engine;
use crate::error::Error;
use mpaspor_domain::api::{ApplicantInput, TravelDocument};

impl Engine {
    pub fn applicants(&self) -> Result<Vec<LocalApplicant>, Error> {
        Ok(self.store().applicants()?)
    }

    /// Adds a person; the server hears of it on the next sync.
    pub fn add_applicant(&self, input: &ApplicantInput) -> Result<String, Error> {
        let id = self.store().add_applicant(input)?;
        self.queued();
        Ok(id)
    }

    pub fn update_applicant(&self, id: &str, input: &ApplicantInput) -> Result<(), Error> {
        self.store().update_applicant(id, input)?;
        self.queued();
        Ok(())
    }

    /// Removes a family member (with their drafts) here at once, and from
    /// the server on the next sync. The holder stays.
    pub fn remove_applicant(&self, id: &str) -> Result<(), Error> {
        self.store().remove_applicant(id)?;
        self.queued();
        Ok(())
    }

    /// The passports kept from the last time the server was asked (`None`:
    /// never asked); [`Engine::travel_documents`] asks again.
    pub fn kept_travel_documents(
        &self,
        applicant: &str,
    ) -> Result<Option<Vec<TravelDocument>>, Error> {
        Ok(self.store().travel_documents(applicant)?)
    }

    /// Asks the server for the passports already issued to this (local)
    /// applicant and keeps them for offline reading; answers what is kept
    /// when the server cannot be asked. `Ok(None)`: nothing known yet (the
    /// person is not on the server yet, or never asked while online).
    pub async fn travel_documents(
        &self,
        applicant: &str,
    ) -> Result<Option<Vec<TravelDocument>>, Error> {
        if let Some(server) = self.store().applicant(applicant)?.server_id {
            match self.api().all_travel_documents(&server).await {
                Ok(found) => {
                    self.store().keep_travel_documents(applicant, &found)?;
                    return Ok(Some(found));
                }
                Err(e) => tracing::info!("passports from the phone's copy: {e}"),
            }
        }
        Ok(self.store().travel_documents(applicant)?)
    }
}
