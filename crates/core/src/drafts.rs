//! Drafts, saved field by field as the applicant types (the people they
//! are for: `applicants.rs`). A field's `rev` goes up with every save; `synced_rev` is
//! the rev the server last took. A field whose rev is ahead is "dirty".

use crate::changes::Change;
use crate::error::StoreError;
use crate::outbox::{Operation, enqueue};
use crate::store::{Store, Tx, now};
use mpaspor_domain::api::ApplicationDraft;
use mpaspor_domain::{ApplicationId, DraftId, SlotId};
use mpaspor_domain::draft::DraftField;
pub use mpaspor_domain::draft::fields_of;
use rusqlite::{OptionalExtension, params};
use serde_json::{Map, Value};

/// A draft assembled from its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub id: DraftId,
    pub applicant_id: String,
    pub server_id: Option<ApplicationId>,
    pub server_version: Option<u64>,
    /// Submitted: the server's copy rules from now on.
    pub locked: bool,
    /// `applicant_id` inside is the server's id of the applicant, empty until known.
    pub body: ApplicationDraft,
    /// Fields saved here that the server has not taken yet, with their revs.
    pub dirty: Vec<(DraftField, i64)>,
    /// The arrival window chosen for it (a slot id), until submit takes it.
    pub slot_id: Option<SlotId>,
}

fn set_path(root: &mut Map<String, Value>, path: &str, value: Value) {
    match path.split_once('.') {
        None => {
            root.insert(path.to_owned(), value);
        }
        Some((head, rest)) => {
            let child = root
                .entry(head.to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            if !child.is_object() {
                *child = Value::Object(Map::new());
            }
            set_path(child.as_object_mut().expect("made an object"), rest, value);
        }
    }
}

/// Sets one field in a draft's JSON.
pub fn set_field(draft: &mut Value, field: DraftField, value: Value) {
    if let Some(root) = draft.as_object_mut() {
        set_path(root, field.as_str(), value);
    }
}

/// Refuses a value the field does not take.
pub fn check_field(field: DraftField, value: &Value) -> Result<(), StoreError> {
    let mut root = Map::new();
    set_path(&mut root, field.as_str(), value.clone());
    serde_json::from_value::<ApplicationDraft>(Value::Object(root))
        .map(|_| ())
        .map_err(|e| StoreError::BadValue {
            field: field.as_str().to_owned(),
            reason: e.to_string(),
        })
}

/// Why a write to a draft changed nothing: it was submitted, or it is not here.
fn unchanged(conn: &rusqlite::Connection, draft: &str) -> Result<StoreError, StoreError> {
    let locked: Option<bool> = conn
        .prepare_cached("SELECT locked FROM drafts WHERE id = ?1")?
        .query_row([draft], |r| r.get(0))
        .optional()?;
    Ok(match locked {
        Some(true) => StoreError::Locked,
        _ => StoreError::NotFound("draft"),
    })
}

fn field_place(draft: &str, field: DraftField) -> String {
    format!("draft_fields/{draft}/{field}")
}

pub(crate) fn new_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

impl Store {
    /// Starts a draft for an applicant; the server gets a copy on the next sync.
    pub fn new_draft(&self, applicant_id: &str) -> Result<DraftId, StoreError> {
        let id = new_id();
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.prepare_cached("INSERT INTO drafts (id, applicant_id, created_at) VALUES (?1, ?2, ?3)")?
            .execute(params![id, applicant_id, now()])
            .map_err(|e| match e {
                rusqlite::Error::SqliteFailure(f, _)
                    if f.code == rusqlite::ErrorCode::ConstraintViolation =>
                {
                    StoreError::NotFound("applicant")
                }
                e => e.into(),
            })?;
        enqueue(
            self,
            &tx,
            &Operation::CreateApplication { draft: id.clone() },
        )?;
        tx.commit()?;
        self.announce(Change::Draft(id.clone().into()));
        Ok(id.into())
    }

    /// Saves one field as the applicant types. One statement, sealed; refused
    /// without change for a value the field does not take or a submitted
    /// draft (but for a field the office asked to correct).
    pub fn save_field(
        &self,
        draft: &str,
        field: DraftField,
        value: &Value,
    ) -> Result<(), StoreError> {
        check_field(field, value)?;
        // After submit, only what the office asked to correct.
        let asked = self
            .asked_corrections(draft)?
            .iter()
            .any(|c| c.field == Some(field));
        let sealed = self.seal_json(&field_place(draft, field), value);
        let conn = self.conn();
        let changed = conn
            .prepare_cached(
                "INSERT INTO draft_fields (draft_id, field, sealed, rev)
                 SELECT ?1, ?2, ?3, 1 FROM drafts WHERE id = ?1 AND (locked = 0 OR ?4)
                 ON CONFLICT (draft_id, field) DO UPDATE SET sealed = excluded.sealed, rev = rev + 1",
            )?
            .execute(params![draft, field.as_str(), sealed, asked])?;
        if changed == 0 {
            return Err(unchanged(&conn, draft)?);
        }
        self.announce(Change::Draft(draft.into()));
        Ok(())
    }

    /// Keeps the arrival window chosen for a draft not yet submitted.
    pub fn choose_slot(&self, draft: &str, slot_id: &SlotId) -> Result<(), StoreError> {
        let conn = self.conn();
        let changed = conn
            .prepare_cached("UPDATE drafts SET slot_id = ?2 WHERE id = ?1 AND locked = 0")?
            .execute(params![draft, slot_id.as_str()])?;
        if changed == 0 {
            return Err(unchanged(&conn, draft)?);
        }
        self.announce(Change::Draft(draft.into()));
        Ok(())
    }

    /// One field's saved value, `None` if never saved.
    pub fn field(&self, draft: &str, field: DraftField) -> Result<Option<Value>, StoreError> {
        let sealed: Option<Vec<u8>> = self
            .conn()
            .prepare_cached("SELECT sealed FROM draft_fields WHERE draft_id = ?1 AND field = ?2")?
            .query_row(params![draft, field.as_str()], |r| r.get(0))
            .optional()?;
        sealed
            .map(|s| self.open_json(&field_place(draft, field), &s))
            .transpose()
    }

    /// The local ids of every draft, oldest first.
    pub fn drafts(&self) -> Result<Vec<String>, StoreError> {
        Ok(self
            .conn()
            .prepare_cached("SELECT id FROM drafts ORDER BY created_at, rowid")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?)
    }

    /// Drafts with a field the server has not taken (a submitted one only
    /// holds such a field when the office asked to correct it), in the
    /// order of [`Store::drafts`] (found without opening a value).
    pub fn dirty_drafts(&self) -> Result<Vec<String>, StoreError> {
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT d.id FROM drafts d WHERE EXISTS
                     (SELECT 1 FROM draft_fields f WHERE f.draft_id = d.id AND f.rev > f.synced_rev)
                 ORDER BY d.created_at, d.rowid",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?)
    }

    pub fn draft(&self, id: &str) -> Result<Draft, StoreError> {
        let conn = self.conn();
        let (applicant_id, server_id, server_version, locked, applicant_server_id, slot_id) = conn
            .prepare_cached(
                "SELECT d.applicant_id, d.server_id, d.server_version, d.locked, a.server_id, d.slot_id
                 FROM drafts d JOIN applicants a ON a.id = d.applicant_id WHERE d.id = ?1",
            )?
            .query_row([id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, Option<u64>>(2)?,
                    r.get::<_, bool>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, Option<String>>(5)?,
                ))
            })
            .optional()?
            .ok_or(StoreError::NotFound("draft"))?;
        let rows: Vec<(String, Vec<u8>, i64, i64)> = conn
            .prepare_cached(
                "SELECT field, sealed, rev, synced_rev FROM draft_fields WHERE draft_id = ?1",
            )?
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<Result<_, _>>()?;
        drop(conn);
        let mut root = Map::new();
        root.insert(
            "applicant_id".into(),
            Value::String(applicant_server_id.unwrap_or_default()),
        );
        let mut dirty = Vec::new();
        for (name, sealed, rev, synced_rev) in rows {
            let field: DraftField =
                name.parse()
                    .map_err(|e: mpaspor_domain::choice::UnknownValue| {
                        StoreError::Corrupt(e.to_string())
                    })?;
            let value: Value = self.open_json(&field_place(id, field), &sealed)?;
            set_path(&mut root, field.as_str(), value);
            if rev > synced_rev {
                dirty.push((field, rev));
            }
        }
        let body = serde_json::from_value(Value::Object(root))
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok(Draft {
            id: id.into(),
            applicant_id,
            server_id: server_id.map(ApplicationId::from),
            server_version,
            locked,
            body,
            dirty,
            slot_id: slot_id.map(SlotId::from),
        })
    }

    /// The server holds the draft as `version`; the listed fields are in it at those revs.
    pub(crate) fn draft_synced(
        &self,
        id: &str,
        server_id: &str,
        version: u64,
        taken: &[(DraftField, i64)],
    ) -> Result<(), StoreError> {
        self.write(|tx| tx.draft_synced(id, server_id, version, taken))
    }

    /// Takes the server's value of a field the applicant has not changed here.
    pub(crate) fn take_server_field(
        &self,
        draft: &str,
        field: DraftField,
        value: &Value,
    ) -> Result<(), StoreError> {
        let sealed = self.seal_json(&field_place(draft, field), value);
        self.conn()
            .prepare_cached(
                "INSERT INTO draft_fields (draft_id, field, sealed, rev, synced_rev)
             VALUES (?1, ?2, ?3, 1, 1)
             ON CONFLICT (draft_id, field) DO UPDATE SET sealed = excluded.sealed,
                 rev = rev + 1, synced_rev = rev + 1",
            )?
            .execute(params![draft, field.as_str(), sealed])?;
        self.announce(Change::Draft(draft.into()));
        Ok(())
    }

    /// After submit the server's copy rules: no more local edits.
    pub(crate) fn lock_draft(&self, id: &str) -> Result<(), StoreError> {
        self.write(|tx| tx.lock_draft(id))
    }

    /// A locked local draft for an application filed on another phone, so that
    /// paying, rescheduling and cancelling go through the outbox like the rest.
    /// Answers `None` while its applicant is unknown here.
    pub(crate) fn mirror_draft(
        &self,
        server_id: &str,
        applicant_server_id: &str,
    ) -> Result<Option<DraftId>, StoreError> {
        let Some(applicant) = self.applicant_for_server(applicant_server_id)? else {
            return Ok(None);
        };
        let id = new_id();
        self.conn().prepare_cached("INSERT INTO drafts (id, applicant_id, server_id, locked, created_at) VALUES (?1, ?2, ?3, 1, ?4)")?.execute(
            params![id, applicant, server_id, now()],
        )?;
        self.announce(Change::Draft(id.clone().into()));
        Ok(Some(id.into()))
    }

    /// A new draft with the answers of an earlier application (one that
    /// expired unpaid, say): the same person, every field as it was; the
    /// documents are picked again.
    pub fn copy_of_application(&self, earlier: &ApplicationDraft) -> Result<DraftId, StoreError> {
        let applicant = self
            .applicant_for_server(&earlier.applicant_id)?
            .ok_or(StoreError::NotFound("applicant"))?;
        let draft = self.new_draft(&applicant)?;
        for (field, value) in fields_of(earlier) {
            if !value.is_null() {
                self.save_field(&draft, field, &value)?;
            }
        }
        Ok(draft)
    }

    /// The local draft that mirrors a server application, if any.
    pub fn draft_for_server(&self, server_id: &str) -> Result<Option<DraftId>, StoreError> {
        Ok(self
            .conn()
            .prepare_cached("SELECT id FROM drafts WHERE server_id = ?1")?
            .query_row([server_id], |r| r.get::<_, String>(0))
            .optional()?
            .map(DraftId::from))
    }
}

impl Tx<'_> {
    pub(crate) fn draft_synced(
        &self,
        id: &str,
        server_id: &str,
        version: u64,
        taken: &[(DraftField, i64)],
    ) -> Result<(), StoreError> {
        self.db
            .prepare_cached("UPDATE drafts SET server_id = ?2, server_version = ?3 WHERE id = ?1")?
            .execute(params![id, server_id, version])?;
        for (field, rev) in taken {
            self.db
                .prepare_cached(
                    "UPDATE draft_fields SET synced_rev = max(synced_rev, ?3)
                 WHERE draft_id = ?1 AND field = ?2",
                )?
                .execute(params![id, field.as_str(), rev])?;
        }
        self.changed(Change::Draft(id.into()));
        Ok(())
    }

    pub(crate) fn lock_draft(&self, id: &str) -> Result<(), StoreError> {
        self.db
            .prepare_cached("UPDATE drafts SET locked = 1 WHERE id = ?1")?
            .execute([id])?;
        // The server's copy rules from now on: nothing left to push.
        self.db
            .prepare_cached("UPDATE draft_fields SET synced_rev = rev WHERE draft_id = ?1 AND synced_rev < rev")?
            .execute([id])?;
        self.changed(Change::Draft(id.into()));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mpaspor_domain::api::ApplicantInput;
    use serde_json::json;

    /// A store in memory with its holder, Rini; answers her local id.
    fn store_with_holder() -> (Store, String) {
        let store = Store::open_in_memory().unwrap();
        let holder = store
            .add_applicant(&ApplicantInput {
                full_name: "Rini Kartika".into(),
                relationship: mpaspor_domain::api::Relationship::Holder,
                birth_date: jiff::civil::date(1988, 3, 22),
                sex: mpaspor_domain::choice::Sex::Female,
                marital_status: mpaspor_domain::choice::MaritalStatus::Married,
                nik: None,
            })
            .unwrap();
        (store, holder)
    }

    #[test]
    fn dirty_drafts_are_the_unsubmitted_ones_with_a_field_not_yet_taken() {
        let (store, holder) = store_with_holder();
        let (a, b) = (
            store.new_draft(&holder).unwrap(),
            store.new_draft(&holder).unwrap(),
        );
        store
            .save_field(&a, DraftField::Service, &json!("reguler"))
            .unwrap();
        store
            .save_field(&b, DraftField::Purpose, &json!("tourism"))
            .unwrap();
        assert_eq!(store.dirty_drafts().unwrap(), vec![a.clone(), b.clone()]);
        let taken = store.draft(&a).unwrap().dirty;
        store.draft_synced(&a, "app_1", 1, &taken).unwrap();
        assert_eq!(store.dirty_drafts().unwrap(), vec![b.clone()]);
        store
            .save_field(&a, DraftField::Service, &json!("percepatan"))
            .unwrap();
        store.lock_draft(&b).unwrap();
        assert_eq!(store.dirty_drafts().unwrap(), vec![a]);
    }

    #[test]
    fn a_saved_field_is_announced_for_its_draft_and_a_refused_one_is_not() {
        let (store, holder) = store_with_holder();
        let draft = store.new_draft(&holder).unwrap();
        let mut changes = store.changes();
        store
            .save_field(&draft, DraftField::Service, &json!("reguler"))
            .unwrap();
        assert_eq!(changes.try_next(), Some(Change::Draft(draft.clone())));
        store
            .save_field(&draft, DraftField::Service, &json!("kilat"))
            .unwrap_err();
        store.lock_draft(&draft).unwrap();
        assert_eq!(changes.try_next(), Some(Change::Draft(draft.clone())));
        store
            .save_field(&draft, DraftField::Service, &json!("percepatan"))
            .unwrap_err();
        assert_eq!(changes.try_next(), None);
        store.remove_applicant(&holder).unwrap_err();
        store.choose_slot(&draft, &"slot_1".into()).unwrap_err();
        assert_eq!(changes.try_next(), None);
    }

    #[test]
    fn every_listed_field_is_a_real_path_of_the_draft() {
        for field in DraftField::ALL.iter().copied() {
            let sample = match field.as_str() {
                "service" => json!("reguler"),
                "applicant_kind" => json!("adult"),
                "replacement" => {
                    json!({"reason": "expired_or_full", "old_passport_number": null, "force_majeure": false})
                }
                "passport_type" => json!("elektronik"),
                "validity" => json!("10y"),
                "purpose" => json!("tourism"),
                "name_changed" => json!(true),
                "personal.sex" => json!("female"),
                "personal.birth_date" => json!("1990-05-15"),
                "personal.marital_status" => json!("married"),
                _ => json!("teks"),
            };
            check_field(field, &sample).unwrap_or_else(|e| panic!("{field}: {e}"));
            let mut root = Map::new();
            set_path(&mut root, field.as_str(), sample.clone());
            let draft: ApplicationDraft = serde_json::from_value(Value::Object(root)).unwrap();
            let back = fields_of(&draft);
            assert_eq!(back.iter().find(|(f, _)| *f == field).unwrap().1, sample);
        }
        assert!("personal.shoe_size".parse::<DraftField>().is_err());
        assert!(matches!(
            check_field(DraftField::PassportType, &json!("hologram")),
            Err(StoreError::BadValue { .. })
        ));
    }
}
