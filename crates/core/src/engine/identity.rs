//! The live Dukcapil check of a draft's NIK, name and birth date, and a
//! confirmed NIK kept on the person.

use crate::engine::Engine;
use crate::error::Error;
use mpaspor_domain::api::{ApplicationDraft, NikCheckRequest};

impl Engine {
    /// `Ok(None)`: the registry confirms the person; `Ok(Some(key))`: the
    /// translation key of why not; `Err`: no answer.
    pub async fn check_identity(&self, draft: &ApplicationDraft) -> Result<Option<String>, Error> {
        let p = &draft.personal;
        let (Some(nik), Some(full_name), Some(birth_date)) = (&p.nik, &p.full_name, p.birth_date)
        else {
            return Ok(Some("nik-check-incomplete".into()));
        };
        let answer = self
            .api()
            .nik_check(&NikCheckRequest {
                nik: nik.trim().to_owned(),
                full_name: full_name.trim().to_owned(),
                birth_date,
            })
            .await?;
        Ok((!answer.valid).then(|| {
            answer
                .failure
                .map(|f| format!("nik-check-{}", f.as_str()))
                .unwrap_or_else(|| "nik-check-no_match".into())
        }))
    }

    /// Keeps a NIK Dukcapil has just confirmed on the person too, when their
    /// record has none: "my passports" and the next application need it.
    pub fn keep_confirmed_nik(
        &self,
        applicant: &str,
        draft: &ApplicationDraft,
    ) -> Result<(), Error> {
        let Some(nik) = draft.personal.nik.clone() else {
            return Ok(());
        };
        let person = self.store().applicant(applicant)?;
        if person.input.nik.is_some() {
            return Ok(());
        }
        let mut input = person.input;
        input.nik = Some(nik);
        self.store().update_applicant(applicant, &input)?;
        self.nudge();
        Ok(())
    }
}
