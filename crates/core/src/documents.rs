//! Document images attached to a draft: the prepared JPEG (sealed, and
//! dropped once the server holds the same bytes), its check verdicts and
//! whether it is uploaded.

use crate::changes::Change;
use crate::error::StoreError;
use crate::outbox::{Operation, enqueue};
use crate::photo::{PreparedPhoto, Verdict};
use crate::store::{Store, Tx, now};
use mpaspor_domain::eligibility::DocumentKind;
use rusqlite::{OptionalExtension, params};
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, PartialEq)]
pub struct LocalDocument {
    pub kind: DocumentKind,
    pub media_type: String,
    pub bytes: u64,
    pub width: u32,
    pub height: u32,
    pub sha256: String,
    pub verdicts: Vec<Verdict>,
    pub uploaded: bool,
}

fn place(draft: &str, kind: DocumentKind) -> String {
    format!("documents/{draft}/{}", kind.as_str())
}

fn thumbnail_place(draft: &str, kind: DocumentKind) -> String {
    format!("documents/{draft}/{}/thumbnail", kind.as_str())
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl Store {
    /// Keeps a prepared photo for a draft (replacing an earlier one of that
    /// kind) and queues its upload.
    pub fn attach_document(
        &self,
        draft: &str,
        kind: DocumentKind,
        photo: &PreparedPhoto,
    ) -> Result<(), StoreError> {
        // After submit, only the document the office asked to be taken again.
        let asked = self
            .asked_corrections(draft)?
            .iter()
            .any(|c| c.document == Some(kind));
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let locked: bool = tx
            .prepare_cached("SELECT locked FROM drafts WHERE id = ?1")?
            .query_row([draft], |r| r.get(0))
            .optional()?
            .ok_or(StoreError::NotFound("draft"))?;
        if locked && !asked {
            return Err(StoreError::Locked);
        }
        tx.prepare_cached(
            "INSERT INTO documents (draft_id, kind, sealed, media_type, bytes, width, height,
                                    sha256, verdicts, uploaded, updated_at, thumbnail)
             VALUES (?1, ?2, ?3, 'image/jpeg', ?4, ?5, ?6, ?7, ?8, 0, ?9, ?10)
             ON CONFLICT (draft_id, kind) DO UPDATE SET sealed = excluded.sealed,
                 thumbnail = excluded.thumbnail,
                 bytes = excluded.bytes, width = excluded.width, height = excluded.height,
                 sha256 = excluded.sha256, verdicts = excluded.verdicts, uploaded = 0,
                 updated_at = excluded.updated_at",
        )?
        .execute(params![
            draft,
            kind.as_str(),
            self.key.seal(&place(draft, kind), &photo.jpeg),
            photo.jpeg.len() as u64,
            photo.width,
            photo.height,
            sha256_hex(&photo.jpeg),
            serde_json::to_string(&photo.verdicts).expect("verdicts serialise"),
            now(),
            self.key
                .seal(&thumbnail_place(draft, kind), &photo.thumbnail),
        ])?;
        enqueue(
            self,
            &tx,
            &Operation::UploadDocument {
                draft: draft.to_owned(),
                kind,
            },
        )?;
        tx.commit()?;
        self.announce(Change::Draft(draft.into()));
        Ok(())
    }

    pub fn documents(&self, draft: &str) -> Result<Vec<LocalDocument>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT kind, media_type, bytes, width, height, sha256, verdicts, uploaded
             FROM documents WHERE draft_id = ?1 ORDER BY kind",
        )?;
        let rows = stmt.query_map([draft], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, u64>(2)?,
                r.get::<_, u32>(3)?,
                r.get::<_, u32>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, bool>(7)?,
            ))
        })?;
        rows.map(|row| {
            let (kind, media_type, bytes, width, height, sha256, verdicts, uploaded) = row?;
            Ok(LocalDocument {
                kind: kind
                    .parse()
                    .map_err(|_| StoreError::Corrupt(kind.clone()))?,
                media_type,
                bytes,
                width,
                height,
                sha256,
                verdicts: serde_json::from_str(&verdicts)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                uploaded,
            })
        })
        .collect()
    }

    /// The small preview JPEG of the picture kept for `kind` (pictures kept
    /// before previews existed have none).
    pub fn document_thumbnail(
        &self,
        draft: &str,
        kind: DocumentKind,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        let sealed: Option<Option<Vec<u8>>> = self
            .conn()
            .prepare_cached("SELECT thumbnail FROM documents WHERE draft_id = ?1 AND kind = ?2")?
            .query_row(params![draft, kind.as_str()], |r| r.get(0))
            .optional()?;
        match sealed.flatten() {
            Some(sealed) => Ok(Some(self.key.open(&thumbnail_place(draft, kind), &sealed)?)),
            None => Ok(None),
        }
    }

    /// The bytes still to upload (`None` once uploaded: they are gone from the phone).
    pub(crate) fn document_bytes(
        &self,
        draft: &str,
        kind: DocumentKind,
    ) -> Result<Option<(Vec<u8>, String)>, StoreError> {
        let row: Option<(Option<Vec<u8>>, String)> = self
            .conn()
            .prepare_cached(
                "SELECT sealed, sha256 FROM documents WHERE draft_id = ?1 AND kind = ?2",
            )?
            .query_row(params![draft, kind.as_str()], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        match row {
            Some((Some(sealed), sha)) => {
                Ok(Some((self.key.open(&place(draft, kind), &sealed)?, sha)))
            }
            _ => Ok(None),
        }
    }
}

impl Tx<'_> {
    /// The server holds these bytes: forget them here (only if they are still the attached ones).
    pub(crate) fn document_uploaded(
        &self,
        draft: &str,
        kind: DocumentKind,
        sha256: &str,
    ) -> Result<(), StoreError> {
        self.db
            .prepare_cached(
                "UPDATE documents SET uploaded = 1, sealed = NULL
             WHERE draft_id = ?1 AND kind = ?2 AND sha256 = ?3",
            )?
            .execute(params![draft, kind.as_str(), sha256])?;
        self.changed(Change::Draft(draft.into()));
        Ok(())
    }
}
