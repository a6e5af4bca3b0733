//! The people an account files for (the holder and up to four more), each
//! sealed as one value; the server hears of every change through the outbox.

use crate::changes::Change;
use crate::drafts::new_id;
use crate::error::StoreError;
use crate::outbox::{Operation, enqueue};
use crate::store::{Store, Tx, now};
use mpaspor_domain::api::{Applicant, ApplicantInput, MAX_APPLICANTS, Relationship};
use rusqlite::{OptionalExtension, params};

/// An applicant as this phone holds them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalApplicant {
    pub id: String,
    pub server_id: Option<String>,
    pub server_version: Option<u64>,
    pub input: ApplicantInput,
    pub dirty: bool,
}

fn applicant_place(id: &str) -> String {
    format!("applicants/{id}")
}

impl Store {
    /// Adds a person to file for; the server hears of it on the next sync.
    pub fn add_applicant(&self, input: &ApplicantInput) -> Result<String, StoreError> {
        let id = new_id();
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let count: usize = tx
            .prepare_cached("SELECT count(*) FROM applicants")?
            .query_row([], |r| r.get(0))?;
        if count >= MAX_APPLICANTS {
            return Err(StoreError::ApplicantLimit(MAX_APPLICANTS));
        }
        tx.prepare_cached("INSERT INTO applicants (id, sealed, updated_at) VALUES (?1, ?2, ?3)")?
            .execute(params![
                id,
                self.seal_json(&applicant_place(&id), input),
                now()
            ])?;
        enqueue(
            self,
            &tx,
            &Operation::CreateApplicant {
                applicant: id.clone(),
            },
        )?;
        tx.commit()?;
        self.announce(Change::Applicants);
        Ok(id)
    }

    pub fn update_applicant(&self, id: &str, input: &ApplicantInput) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let changed = tx
            .prepare_cached(
                "UPDATE applicants SET sealed = ?2, rev = rev + 1, updated_at = ?3 WHERE id = ?1",
            )?
            .execute(params![
                id,
                self.seal_json(&applicant_place(id), input),
                now()
            ])?;
        if changed == 0 {
            return Err(StoreError::NotFound("applicant"));
        }
        enqueue(
            self,
            &tx,
            &Operation::UpdateApplicant {
                applicant: id.to_owned(),
            },
        )?;
        tx.commit()?;
        self.announce(Change::Applicants);
        Ok(())
    }

    /// Removes a family member here at once (with their drafts), and from the
    /// server on the next sync. The holder stays.
    pub fn remove_applicant(&self, id: &str) -> Result<(), StoreError> {
        let found = self.applicant(id)?;
        if found.input.relationship == Relationship::Holder {
            return Err(StoreError::HolderStays);
        }
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        // What was queued for them, and for their drafts, is moot now.
        tx.prepare_cached(
            "DELETE FROM outbox WHERE target = ?1
                OR target IN (SELECT id FROM drafts WHERE applicant_id = ?1)",
        )?
        .execute([id])?;
        tx.prepare_cached("DELETE FROM applicants WHERE id = ?1")?
            .execute([id])?;
        if let Some(server_id) = found.server_id {
            enqueue(
                self,
                &tx,
                &Operation::DeleteApplicant {
                    applicant: id.to_owned(),
                    server_id,
                },
            )?;
        }
        tx.commit()?;
        self.announce(Change::Applicants);
        Ok(())
    }

    pub fn applicants(&self) -> Result<Vec<LocalApplicant>, StoreError> {
        let ids: Vec<String> = self
            .conn()
            .prepare_cached("SELECT id FROM applicants ORDER BY rowid")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        ids.iter().map(|id| self.applicant(id)).collect()
    }

    pub fn applicant(&self, id: &str) -> Result<LocalApplicant, StoreError> {
        let row = self
            .conn()
            .prepare_cached("SELECT server_id, server_version, sealed, rev > synced_rev FROM applicants WHERE id = ?1")?.query_row(
                [id],
                |r| {
                    Ok((
                        r.get::<_, Option<String>>(0)?,
                        r.get::<_, Option<u64>>(1)?,
                        r.get::<_, Vec<u8>>(2)?,
                        r.get::<_, bool>(3)?,
                    ))
                },
            )
            .optional()?
            .ok_or(StoreError::NotFound("applicant"))?;
        Ok(LocalApplicant {
            id: id.to_owned(),
            server_id: row.0,
            server_version: row.1,
            input: self.open_json(&applicant_place(id), &row.2)?,
            dirty: row.3,
        })
    }

    /// The server took the applicant at `rev` (or later): remember its id and version.
    /// Takes the server's copy of an applicant (the holder the server made at
    /// registration, or one added on another phone), unless it was changed here.
    /// The server's ids of the people removed here whose removal the server
    /// has not been told of yet (a pull must not bring them back).
    pub(crate) fn removals_waiting(&self) -> Result<Vec<String>, StoreError> {
        Ok(self
            .outbox()?
            .into_iter()
            .filter_map(|p| match p.operation {
                Operation::DeleteApplicant { server_id, .. } => Some(server_id),
                _ => None,
            })
            .collect())
    }

    pub(crate) fn keep_server_applicant(&self, server: &Applicant) -> Result<(), StoreError> {
        let conn = self.conn();
        let local: Option<(String, bool)> = conn
            .prepare_cached("SELECT id, rev > synced_rev FROM applicants WHERE server_id = ?1")?
            .query_row([server.id.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        match local {
            Some((_, true)) => return Ok(()),
            Some((id, false)) => {
                conn.prepare_cached(
                    "UPDATE applicants SET sealed = ?2, server_version = ?3 WHERE id = ?1",
                )?
                .execute(params![
                    id,
                    self.seal_json(&applicant_place(&id), &server.input),
                    server.version
                ])?;
            }
            None => {
                let id = new_id();
                conn.prepare_cached("INSERT INTO applicants (id, server_id, server_version, sealed, rev, synced_rev, updated_at)
                     VALUES (?1, ?2, ?3, ?4, 1, 1, ?5)")?.execute(
                    params![
                        id,
                        server.id.as_str(),
                        server.version,
                        self.seal_json(&applicant_place(&id), &server.input),
                        now()
                    ],
                )?;
            }
        }
        self.announce(Change::Applicants);
        Ok(())
    }

    pub(crate) fn applicant_rev(&self, id: &str) -> Result<i64, StoreError> {
        Ok(self
            .conn()
            .prepare_cached("SELECT rev FROM applicants WHERE id = ?1")?
            .query_row([id], |r| r.get(0))?)
    }

    /// The local id of the applicant the server knows as `server_id`.
    pub(crate) fn applicant_for_server(
        &self,
        server_id: &str,
    ) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn()
            .prepare_cached("SELECT id FROM applicants WHERE server_id = ?1")?
            .query_row([server_id], |r| r.get(0))
            .optional()?)
    }
}

impl Tx<'_> {
    pub(crate) fn applicant_synced(
        &self,
        id: &str,
        server_id: &str,
        version: u64,
        rev: Option<i64>,
    ) -> Result<(), StoreError> {
        let kept = self
            .db
            .prepare_cached(
                "UPDATE applicants SET server_id = ?2, server_version = ?3,
                    synced_rev = coalesce(?4, rev) WHERE id = ?1",
            )?
            .execute(params![id, server_id, version, rev])?;
        if kept == 0 {
            // Removed here while the server was making them: the server's
            // record goes too (else the next pull would bring them back).
            enqueue(
                self.store,
                self.db,
                &Operation::DeleteApplicant {
                    applicant: id.to_owned(),
                    server_id: server_id.to_owned(),
                },
            )?;
        }
        self.changed(Change::Applicants);
        Ok(())
    }
}
