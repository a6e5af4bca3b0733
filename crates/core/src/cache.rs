//! The server's copies kept on the phone so they open offline: applications
//! with their timelines, payments, proofs of application and the passports
//! already issued to each person (sealed, they are personal), and reference
//! data such as the fee table (plain).

use crate::changes::Change;
use crate::error::StoreError;
use crate::store::{Store, Tx, now};
use mpaspor_domain::api::{Application, Correction, Payment, Receipt, TravelDocument};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use serde::de::DeserializeOwned;

fn place(id: &str, part: &str) -> String {
    format!("applications/{id}/{part}")
}

impl Store {
    /// Keeps the passports the server says were issued to this (local) applicant.
    pub fn keep_travel_documents(
        &self,
        applicant: &str,
        documents: &[TravelDocument],
    ) -> Result<(), StoreError> {
        self.conn().prepare_cached("INSERT INTO travel_documents (applicant_id, sealed, fetched_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (applicant_id) DO UPDATE SET sealed = excluded.sealed,
                 fetched_at = excluded.fetched_at")?.execute(
            params![
                applicant,
                self.seal_json(&format!("travel_documents/{applicant}"), documents),
                now()
            ],
        )?;
        self.announce(Change::Applicants);
        Ok(())
    }

    /// The passports last heard of for this applicant (`None`: never asked).
    pub fn travel_documents(
        &self,
        applicant: &str,
    ) -> Result<Option<Vec<TravelDocument>>, StoreError> {
        let sealed: Option<Vec<u8>> = self
            .conn()
            .prepare_cached("SELECT sealed FROM travel_documents WHERE applicant_id = ?1")?
            .query_row([applicant], |r| r.get(0))
            .optional()?;
        sealed
            .map(|s| self.open_json(&format!("travel_documents/{applicant}"), &s))
            .transpose()
    }

    /// Keeps the server's copy of an application (and ties it to its local
    /// draft). A copy equal to the one kept is left as it is: most pulls
    /// bring back what the phone has, and comparing the copies' keyed digests
    /// costs less than sealing and writing it again (or opening the kept one).
    pub fn keep_application(
        &self,
        app: &Application,
        draft: Option<&str>,
    ) -> Result<(), StoreError> {
        self.write(|tx| tx.keep_application(app, draft))
    }

    pub fn application(&self, id: &str) -> Result<Option<Application>, StoreError> {
        let sealed: Option<Vec<u8>> = self
            .conn()
            .prepare_cached("SELECT sealed FROM applications WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?;
        sealed
            .map(|s| self.open_json(&place(id, "body"), &s))
            .transpose()
    }

    /// The server's copy of a draft's application, once submitted.
    pub fn application_of_draft(&self, draft: &str) -> Result<Option<Application>, StoreError> {
        let found: Option<(String, Vec<u8>)> = self
            .conn()
            .prepare_cached("SELECT id, sealed FROM applications WHERE draft_id = ?1")?
            .query_row([draft], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        found
            .map(|(id, s)| self.open_json(&place(&id, "body"), &s))
            .transpose()
    }

    /// The corrections the office asks of a submitted draft, still open:
    /// what of it may change after submit.
    pub fn asked_corrections(&self, draft: &str) -> Result<Vec<Correction>, StoreError> {
        Ok(self
            .application_of_draft(draft)?
            .map(|app| app.open_corrections().cloned().collect())
            .unwrap_or_default())
    }

    /// Every application the phone knows of, newest first.
    pub fn applications(&self) -> Result<Vec<Application>, StoreError> {
        let rows: Vec<(String, Vec<u8>)> = self
            .conn()
            .prepare_cached("SELECT id, sealed FROM applications")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let mut apps: Vec<Application> = rows
            .iter()
            .map(|(id, s)| self.open_json(&place(id, "body"), s))
            .collect::<Result<_, _>>()?;
        apps.sort_by_key(|a| std::cmp::Reverse(a.created_at));
        Ok(apps)
    }

    fn part<T: DeserializeOwned>(&self, id: &str, column: &str) -> Result<Option<T>, StoreError> {
        let sql = format!("SELECT {column} FROM applications WHERE id = ?1");
        let sealed: Option<Option<Vec<u8>>> = self
            .conn()
            .prepare_cached(&sql)?
            .query_row([id], |r| r.get(0))
            .optional()?;
        sealed
            .flatten()
            .map(|s| self.open_json(&place(id, column), &s))
            .transpose()
    }

    pub fn keep_payment(&self, id: &str, payment: &Payment) -> Result<(), StoreError> {
        self.write(|tx| tx.keep_payment(id, payment))
    }

    pub fn payment(&self, id: &str) -> Result<Option<Payment>, StoreError> {
        self.part(id, "payment")
    }

    /// The proof of application, so it opens at the office without a network.
    pub fn keep_receipt(&self, id: &str, receipt: &Receipt) -> Result<(), StoreError> {
        self.write(|tx| tx.keep_receipt(id, receipt))
    }

    pub fn receipt(&self, id: &str) -> Result<Option<Receipt>, StoreError> {
        self.part(id, "receipt")
    }

    /// Public reference data (the fee table, the offices) as last fetched.
    /// The server's key for proofs of application, as kept by name.
    pub const RECEIPT_KEY: &'static str = "receipt_key";

    /// The kept receipt `r`, if it checks with the kept proof key.
    pub fn checked_receipt(
        &self,
        r: mpaspor_domain::api::Receipt,
    ) -> Result<Option<mpaspor_domain::api::Receipt>, StoreError> {
        let key: Option<mpaspor_domain::api::ReceiptKey> = self.reference(Self::RECEIPT_KEY)?;
        Ok(key
            .filter(|key| mpaspor_domain::proof::check_receipt(&r, key).is_ok())
            .map(|_| r))
    }

    pub fn keep_reference<T: Serialize>(&self, name: &str, value: &T) -> Result<(), StoreError> {
        self.conn().prepare_cached("INSERT INTO reference (name, body, fetched_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (name) DO UPDATE SET body = excluded.body, fetched_at = excluded.fetched_at")?.execute(
            params![name, serde_json::to_string(value).expect("serialises"), now()],
        )?;
        Ok(())
    }

    pub fn reference<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, StoreError> {
        let body: Option<String> = self
            .conn()
            .prepare_cached("SELECT body FROM reference WHERE name = ?1")?
            .query_row([name], |r| r.get(0))
            .optional()?;
        body.map(|b| serde_json::from_str(&b).map_err(|e| StoreError::Corrupt(e.to_string())))
            .transpose()
    }
}

impl Tx<'_> {
    pub(crate) fn keep_application(
        &self,
        app: &Application,
        draft: Option<&str>,
    ) -> Result<(), StoreError> {
        let place = place(&app.id, "body");
        let plain = serde_json::to_vec(app).expect("plain data serialises");
        let digest = self.store.key.digest(&place, &plain);
        let kept: Option<(Option<String>, Option<Vec<u8>>)> = self
            .db
            .prepare_cached("SELECT draft_id, digest FROM applications WHERE id = ?1")?
            .query_row([app.id.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if let Some((kept_draft, Some(kept_digest))) = kept
            && (draft.is_none() || kept_draft.as_deref() == draft)
            && kept_digest == digest
        {
            return Ok(());
        }
        self.db
            .prepare_cached(
                "INSERT INTO applications (id, draft_id, state, version, sealed, digest, fetched_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (id) DO UPDATE SET draft_id = coalesce(excluded.draft_id, draft_id),
                 state = excluded.state, version = excluded.version, sealed = excluded.sealed,
                 digest = excluded.digest, fetched_at = excluded.fetched_at",
            )?
            .execute(params![
                app.id.as_str(),
                draft,
                app.state.as_str(),
                app.version,
                self.store.key.seal(&place, &plain),
                digest,
                now()
            ])?;
        self.changed(Change::Applications);
        if let Some(draft) = draft {
            self.changed(Change::Draft(draft.into()));
        }
        Ok(())
    }

    pub(crate) fn keep_payment(&self, id: &str, payment: &Payment) -> Result<(), StoreError> {
        self.keep_part(id, "payment", payment)
    }

    pub(crate) fn keep_receipt(&self, id: &str, receipt: &Receipt) -> Result<(), StoreError> {
        self.keep_part(id, "receipt", receipt)
    }

    fn keep_part<T: Serialize>(&self, id: &str, column: &str, value: &T) -> Result<(), StoreError> {
        let sql = format!("UPDATE applications SET {column} = ?2 WHERE id = ?1");
        let changed = self
            .db
            .prepare_cached(&sql)?
            .execute(params![id, self.store.seal_json(&place(id, column), value)])?;
        if changed == 0 {
            return Err(StoreError::NotFound("application"));
        }
        self.changed(Change::Applications);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mpaspor_domain::api::TimelineEntry;
    use mpaspor_domain::state::ApplicationState;

    fn copy() -> Application {
        let at: jiff::Timestamp = "2026-12-02T03:00:00Z".parse().unwrap();
        Application {
            id: "app_1".into(),
            version: 3,
            state: ApplicationState::Draft,
            draft: Default::default(),
            documents: Vec::new(),
            appointment: None,
            fee: None,
            reschedules_used: 0,
            created_at: at,
            updated_at: at,
            timeline: vec![TimelineEntry {
                state: ApplicationState::Draft,
                at,
                event: None,
                note: None,
            }],
            corrections: Vec::new(),
        }
    }

    fn sealed(store: &Store) -> Vec<u8> {
        store
            .conn()
            .query_row(
                "SELECT sealed FROM applications WHERE id = 'app_1'",
                [],
                |r| r.get(0),
            )
            .unwrap()
    }

    #[test]
    fn an_unchanged_copy_is_not_written_again_and_a_changed_one_is() {
        let store = Store::open_in_memory().unwrap();
        let mut app = copy();
        store.keep_application(&app, None).unwrap();
        let first = sealed(&store);
        // Sealing draws a fresh nonce: equal bytes mean the row was left alone.
        store.keep_application(&app, None).unwrap();
        assert_eq!(sealed(&store), first);

        // A change that keeps the version (a note on the timeline) is still a change.
        app.timeline[0].note = Some("berkas diterima".into());
        store.keep_application(&app, None).unwrap();
        assert_ne!(sealed(&store), first);
        assert_eq!(store.application("app_1").unwrap(), Some(app.clone()));

        // A copy kept before digests (schema 3) has none: kept again, it gets one.
        store
            .conn()
            .execute("UPDATE applications SET digest = NULL", [])
            .unwrap();
        let before = sealed(&store);
        store.keep_application(&app, None).unwrap();
        assert_ne!(sealed(&store), before);
        let again = sealed(&store);
        store.keep_application(&app, None).unwrap();
        assert_eq!(sealed(&store), again);
    }
}
