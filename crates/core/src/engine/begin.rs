//! Beginning a draft with what is already known: the person's name, birth
//! date, sex, marital status, NIK and so adult or child; for a renewal, also
//! the passport it replaces and its type.

use crate::engine::Engine;
use crate::error::Error;
use mpaspor_domain::api::TravelDocument;
use mpaspor_domain::draft::wire;
use mpaspor_domain::eligibility::applicant_kind;
use mpaspor_domain::schedule::OfficeZone;
use mpaspor_domain::{DraftField, DraftId};

impl Engine {
    /// A new draft for `applicant` with what is known of the person filled in.
    pub fn begin_draft(&self, applicant: &str) -> Result<DraftId, Error> {
        let store = self.store();
        let draft = store.new_draft(applicant)?;
        let person = store.applicant(applicant)?.input;
        // Adult or child by the server's date, never the phone's.
        let today = OfficeZone::Wib.local_date(self.api().server_now());
        let kind = applicant_kind(person.birth_date, person.marital_status, today);
        let known = [
            (DraftField::ApplicantKind, wire(kind)),
            (DraftField::FullName, wire(&person.full_name)),
            (DraftField::BirthDate, wire(person.birth_date)),
            (DraftField::Sex, wire(person.sex)),
            (DraftField::MaritalStatus, wire(person.marital_status)),
        ];
        for (field, value) in known {
            store.save_field(&draft, field, &value)?;
        }
        if let Some(nik) = &person.nik {
            store.save_field(&draft, DraftField::Nik, &wire(nik))?;
        }
        Ok(draft)
    }

    /// A renewal: a new draft for the person with `old` as the passport
    /// replaced and the same passport type.
    pub fn begin_renewal(&self, applicant: &str, old: &TravelDocument) -> Result<DraftId, Error> {
        let draft = self.begin_draft(applicant)?;
        let store = self.store();
        store.save_field(&draft, DraftField::Replacement, &wire(old.replacement()))?;
        store.save_field(&draft, DraftField::PassportType, &wire(old.passport_type))?;
        Ok(draft)
    }
}
