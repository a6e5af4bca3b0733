//! The home screen's list: every application with whom it is for, its office,
//! state and appointment, then the drafts the server has not heard of yet;
//! read in a few queries, not one or two per row.

use crate::engine::Engine;
use crate::error::Error;
use crate::error::StoreError;
use crate::store::Store;
use mpaspor_domain::api::Appointment;
use mpaspor_domain::state::ApplicationState;
use mpaspor_domain::{DraftId, OfficeId};
use std::collections::HashMap;

/// One line of the home list.
#[derive(Debug, Clone, PartialEq)]
pub struct HomeRow {
    /// The server's id, or the local draft's while the server has none.
    pub id: String,
    /// The local draft, while it can still be changed here.
    pub draft: Option<DraftId>,
    pub who: String,
    pub office: Option<OfficeId>,
    pub state: ApplicationState,
    pub appointment: Option<Appointment>,
    /// Paid: the proof of application is on the phone.
    pub has_proof: bool,
}

impl Store {
    /// For each kept application: its local draft, and whether its proof is kept.
    fn application_links(&self) -> Result<HashMap<String, (Option<String>, bool)>, StoreError> {
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT a.id, d.id, a.receipt IS NOT NULL
                 FROM applications a LEFT JOIN drafts d ON d.server_id = a.id",
            )?
            .query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?
            .collect::<Result<_, _>>()?)
    }

    /// Drafts the server has not heard of yet, oldest first.
    fn local_drafts(&self) -> Result<Vec<String>, StoreError> {
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT id FROM drafts WHERE server_id IS NULL ORDER BY created_at, rowid",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?)
    }
}

impl Engine {
    /// The applications, newest first, then the drafts only this phone has.
    pub fn home_rows(&self) -> Result<Vec<HomeRow>, Error> {
        let store = self.store();
        let people = store.applicants()?;
        let name_of = |found: &dyn Fn(&crate::applicants::LocalApplicant) -> bool| {
            people
                .iter()
                .find(|a| found(a))
                .map(|a| a.input.full_name.clone())
                .unwrap_or_default()
        };
        let links = store.application_links()?;
        let mut rows: Vec<HomeRow> = store
            .applications()?
            .into_iter()
            .map(|a| {
                let (draft, has_proof) = links.get(a.id.as_str()).cloned().unwrap_or_default();
                let who = a.draft.personal.full_name.clone().unwrap_or_else(|| {
                    name_of(&|p| p.server_id.as_deref() == Some(a.draft.applicant_id.as_str()))
                });
                HomeRow {
                    draft: draft
                        .filter(|_| a.state == ApplicationState::Draft)
                        .map(DraftId::from),
                    who,
                    office: a.draft.office_id,
                    state: a.state,
                    appointment: a.appointment,
                    has_proof,
                    id: a.id.into(),
                }
            })
            .collect();
        for id in store.local_drafts()? {
            // One damaged draft does not hide the rest of the list.
            let Ok(d) = store.draft(&id) else { continue };
            let who = d
                .body
                .personal
                .full_name
                .unwrap_or_else(|| name_of(&|p| p.id == d.applicant_id));
            rows.push(HomeRow {
                draft: Some(id.clone().into()),
                id,
                who,
                office: d.body.office_id,
                state: ApplicationState::Draft,
                appointment: None,
                has_proof: false,
            });
        }
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use crate::client::ApiConfig;
    use crate::{Api, Engine, Secrets, Store};
    use mpaspor_domain::DraftField;
    use mpaspor_domain::api::{ApplicantInput, Application, Relationship};
    use mpaspor_domain::choice::{MaritalStatus, Sex};
    use mpaspor_domain::state::ApplicationState;
    use serde_json::json;

    #[test]
    fn the_list_has_the_servers_applications_then_the_drafts_only_here() {
        let store = Store::open_in_memory().unwrap();
        let rini = store
            .add_applicant(&ApplicantInput {
                full_name: "Rini Kartika".into(),
                relationship: Relationship::Holder,
                birth_date: jiff::civil::date(1988, 3, 22),
                sex: Sex::Female,
                marital_status: MaritalStatus::Married,
                nik: None,
            })
            .unwrap();
        let sent = store.new_draft(&rini).unwrap();
        let here = store.new_draft(&rini).unwrap();
        store
            .save_field(&here, DraftField::OfficeId, &json!("kanim-bandung"))
            .unwrap();
        let app: Application = serde_json::from_value(json!({
            "id": "app_1", "version": 2, "state": "draft",
            "draft": {"applicant_id": "", "personal": {"full_name": "Rini K."}},
            "documents": [], "appointment": null, "fee": null, "reschedules_used": 0,
            "created_at": "2026-11-30T02:00:00Z", "updated_at": "2026-11-30T02:00:00Z", "timeline": []
        }))
        .unwrap();
        store.draft_synced(&sent, "app_1", 2, &[]).unwrap();
        store.keep_application(&app, Some(&sent)).unwrap();
        let api = Api::new(ApiConfig::new("http://127.0.0.1:9"), Secrets::in_memory()).unwrap();
        let rows = Engine::new(store, api).home_rows().unwrap();
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert_eq!(
            (
                rows[0].id.as_str(),
                rows[0].draft.as_deref(),
                rows[0].who.as_str()
            ),
            ("app_1", Some(sent.as_str()), "Rini K.")
        );
        assert!(!rows[0].has_proof && rows[0].appointment.is_none());
        assert_eq!(
            (
                rows[1].id.as_str(),
                rows[1].who.as_str(),
                rows[1].office.as_deref()
            ),
            (here.as_str(), "Rini Kartika", Some("kanim-bandung"))
        );
        assert_eq!(rows[1].state, ApplicationState::Draft);
    }
}
