//! The outbox: what the applicant asked for that the server has not yet
//! confirmed, in the order it was asked. Each operation gets its
//! idempotency key when it is queued, so a retry after a crash, a restart or
//! a lost response sends the same key and the server does it once.
//!
//! Draft fields are not operations: they are state (`draft_fields.rev` ahead
//! of `synced_rev`), pushed by sync before anything that needs them.

use crate::changes::Change;
use crate::error::StoreError;
use crate::store::{Store, Tx};
use mpaspor_domain::SlotId;
use mpaspor_domain::eligibility::DocumentKind;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

/// One thing to tell the server. `draft` and `applicant` are local ids;
/// `application` is the server's id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Operation {
    CreateApplicant {
        applicant: String,
    },
    UpdateApplicant {
        applicant: String,
    },
    /// Removed here already; `server_id` is what the server knows it by.
    DeleteApplicant {
        applicant: String,
        server_id: String,
    },
    CreateApplication {
        draft: String,
    },
    UploadDocument {
        draft: String,
        kind: DocumentKind,
    },
    Submit {
        draft: String,
        slot_id: SlotId,
    },
    ConfirmPayment {
        draft: String,
        ntpn: String,
    },
    Reschedule {
        draft: String,
        slot_id: SlotId,
    },
    Cancel {
        draft: String,
        accept_forfeit: bool,
    },
    /// A watch made here (its local id), for its draft.
    Watch {
        draft: String,
        watch: String,
    },
    /// Removed here already; `server_id` is what the server knows it by.
    Unwatch {
        watch: String,
        server_id: String,
    },
    /// The language chosen here, for the account's emails.
    SetLanguage {
        language: mpaspor_domain::Language,
    },
}

impl Operation {
    pub fn kind(&self) -> &'static str {
        match self {
            Operation::CreateApplicant { .. } => "create_applicant",
            Operation::UpdateApplicant { .. } => "update_applicant",
            Operation::DeleteApplicant { .. } => "delete_applicant",
            Operation::CreateApplication { .. } => "create_application",
            Operation::UploadDocument { .. } => "upload_document",
            Operation::Submit { .. } => "submit",
            Operation::ConfirmPayment { .. } => "confirm_payment",
            Operation::Reschedule { .. } => "reschedule",
            Operation::Cancel { .. } => "cancel",
            Operation::Watch { .. } => "watch",
            Operation::Unwatch { .. } => "unwatch",
            Operation::SetLanguage { .. } => "set_language",
        }
    }

    /// The local record the operation is about; a failed operation holds back
    /// the later ones of the same target.
    pub fn target(&self) -> &str {
        match self {
            Operation::CreateApplicant { applicant }
            | Operation::UpdateApplicant { applicant }
            | Operation::DeleteApplicant { applicant, .. } => applicant,
            Operation::CreateApplication { draft }
            | Operation::UploadDocument { draft, .. }
            | Operation::Submit { draft, .. }
            | Operation::ConfirmPayment { draft, .. }
            | Operation::Reschedule { draft, .. }
            | Operation::Cancel { draft, .. } => draft,
            // Its own target: a refused watch holds back no submit.
            Operation::Watch { watch, .. } | Operation::Unwatch { watch, .. } => watch,
            Operation::SetLanguage { .. } => "account",
        }
    }
}

/// A queued operation as the store holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub seq: i64,
    pub operation: Operation,
    pub idempotency_key: String,
    /// Set when the server refused it for good: the API's error code and message.
    pub failed: Option<(String, String)>,
}

fn place(seq: i64) -> String {
    format!("outbox/{seq}")
}

/// Queues `op` unless the same operation is already waiting (then nothing changes).
pub(crate) fn enqueue(store: &Store, conn: &Connection, op: &Operation) -> Result<(), StoreError> {
    let waiting: Vec<(i64, Vec<u8>)> = conn
        .prepare_cached(
            "SELECT seq, sealed FROM outbox WHERE kind = ?1 AND target = ?2 AND failed_code IS NULL",
        )?
        .query_map(params![op.kind(), op.target()], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    for (seq, sealed) in waiting {
        if store.open_json::<Operation>(&place(seq), &sealed)? == *op {
            return Ok(());
        }
    }
    let key = uuid::Uuid::new_v4().to_string();
    conn.prepare_cached(
        "INSERT INTO outbox (kind, target, sealed, idempotency_key, created_at)
         VALUES (?1, ?2, x'', ?3, ?4)",
    )?
    .execute(params![op.kind(), op.target(), key, crate::store::now()])?;
    let seq = conn.last_insert_rowid();
    conn.prepare_cached("UPDATE outbox SET sealed = ?1 WHERE seq = ?2")?
        .execute(params![store.seal_json(&place(seq), op), seq])?;
    store.announce(Change::Outbox);
    Ok(())
}

/// Queues an operation on its own (the ones the applicant starts: submit,
/// pay, reschedule, cancel) in one transaction of its own (its row is
/// inserted, then sealed under its number: both or neither); the others are
/// queued inside the write that makes them.
pub fn queue(store: &Store, op: &Operation) -> Result<(), StoreError> {
    store.write(|tx| enqueue(store, tx.db, op))
}

impl Store {

    /// Everything waiting, oldest first, failed ones included. A row that
    /// cannot be opened (written half by an older build, or damaged) is set
    /// aside, logged and counted (`set_aside_count`), never blocking the rest.
    pub fn outbox(&self) -> Result<Vec<Pending>, StoreError> {
        struct Row {
            seq: i64,
            sealed: Vec<u8>,
            idempotency_key: String,
            failed_code: Option<String>,
            failed_message: Option<Vec<u8>>,
        }
        let rows: Vec<Row> = self
            .conn()
            .prepare_cached(
                "SELECT seq, sealed, idempotency_key, failed_code, failed_message
                 FROM outbox ORDER BY seq",
            )?
            .query_map([], |r| {
                Ok(Row {
                    seq: r.get(0)?,
                    sealed: r.get(1)?,
                    idempotency_key: r.get(2)?,
                    failed_code: r.get(3)?,
                    failed_message: r.get(4)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        let open = |row: Row| -> Result<Pending, StoreError> {
            let failed = match (row.failed_code, row.failed_message) {
                (Some(code), Some(m)) => Some((
                    code,
                    self.open_json::<String>(&format!("{}/failed", place(row.seq)), &m)?,
                )),
                (Some(code), None) => Some((code, String::new())),
                _ => None,
            };
            Ok(Pending {
                seq: row.seq,
                operation: self.open_json(&place(row.seq), &row.sealed)?,
                idempotency_key: row.idempotency_key,
                failed,
            })
        };
        let mut pending = Vec::with_capacity(rows.len());
        let mut unreadable = Vec::new();
        for row in rows {
            let seq = row.seq;
            match open(row) {
                Ok(p) => pending.push(p),
                Err(e @ (StoreError::Corrupt(_) | StoreError::Sealed(_))) => {
                    unreadable.push((seq, e.to_string()))
                }
                Err(e) => return Err(e),
            }
        }
        if !unreadable.is_empty() {
            self.set_aside(&unreadable)?;
        }
        Ok(pending)
    }

    /// Moves rows that cannot be opened out of the outbox, whole (still
    /// sealed), with why.
    fn set_aside(&self, rows: &[(i64, String)]) -> Result<(), StoreError> {
        self.write(|tx| {
            for (seq, why) in rows {
                tracing::warn!(seq, why, "an outbox operation cannot be opened; it is set aside");
                tx.db
                    .prepare_cached(
                        "INSERT OR REPLACE INTO outbox_set_aside
                            (seq, kind, target, sealed, idempotency_key, reason, set_aside_at)
                         SELECT seq, kind, target, sealed, idempotency_key, ?2, ?3
                         FROM outbox WHERE seq = ?1",
                    )?
                    .execute(params![seq, why, crate::store::now()])?;
                tx.db
                    .prepare_cached("DELETE FROM outbox WHERE seq = ?1")?
                    .execute([seq])?;
            }
            tx.changed(Change::Outbox);
            Ok(())
        })
    }

    /// How many operations were set aside because they could not be opened.
    pub fn set_aside_count(&self) -> Result<u64, StoreError> {
        Ok(self
            .conn()
            .prepare_cached("SELECT count(*) FROM outbox_set_aside")?
            .query_row([], |r| r.get(0))?)
    }

    /// How many operations wait to be sent (failed ones not counted).
    pub fn pending_count(&self) -> Result<u64, StoreError> {
        Ok(self.outbox_counts()?.0)
    }

    /// Operations waiting to be sent, and operations the server refused.
    /// Read after every operation sync sends: both counts come from indexes
    /// (all of them, and the few refused), not from the outbox's rows.
    pub fn outbox_counts(&self) -> Result<(u64, u64), StoreError> {
        let (all, refused): (u64, u64) = self
            .conn()
            .prepare_cached(
                "SELECT (SELECT count(*) FROM outbox),
                    (SELECT count(*) FROM outbox WHERE failed_code IS NOT NULL)",
            )?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok((all - refused, refused))
    }

    pub(crate) fn mark_failed(
        &self,
        seq: i64,
        code: &str,
        message: &str,
    ) -> Result<(), StoreError> {
        self.conn()
            .prepare_cached(
                "UPDATE outbox SET failed_code = ?1, failed_message = ?2 WHERE seq = ?3",
            )?
            .execute(params![
                code,
                self.seal_json(&format!("{}/failed", place(seq)), message),
                seq
            ])?;
        self.announce(Change::Outbox);
        Ok(())
    }

    /// The applicant's answer to a refused operation: try it again (same key)...
    pub fn retry_failed(&self, seq: i64) -> Result<(), StoreError> {
        self.conn()
            .prepare_cached(
                "UPDATE outbox SET failed_code = NULL, failed_message = NULL WHERE seq = ?1",
            )?
            .execute([seq])?;
        self.announce(Change::Outbox);
        Ok(())
    }

    /// ... or let it go (e.g. choose another slot instead).
    pub fn discard(&self, seq: i64) -> Result<(), StoreError> {
        let gone = self
            .conn()
            .prepare_cached("DELETE FROM outbox WHERE seq = ?1 RETURNING seq")?
            .query_row([seq], |r| r.get::<_, i64>(0))
            .optional()?;
        gone.ok_or(StoreError::NotFound("queued operation"))?;
        self.announce(Change::Outbox);
        Ok(())
    }
}

impl Tx<'_> {
    /// The server has answered the operation: it leaves the outbox.
    pub(crate) fn complete(&self, seq: i64) -> Result<(), StoreError> {
        self.db
            .prepare_cached("DELETE FROM outbox WHERE seq = ?1")?
            .execute([seq])?;
        self.changed(Change::Outbox);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_that_fails_keeps_none_of_its_changes() {
        let store = Store::open_in_memory().unwrap();
        queue(
            &store,
            &Operation::DeleteApplicant {
                applicant: "a".into(),
                server_id: "apl_1".into(),
            },
        )
        .unwrap();
        let seq = store.outbox().unwrap()[0].seq;
        let mut changes = store.changes();
        let failed = store.write(|tx| {
            tx.complete(seq)?;
            Err::<(), _>(StoreError::NotFound("what the answer named"))
        });
        assert!(failed.is_err());
        // The removal inside the failed write was rolled back with it, and
        // was not announced.
        assert_eq!(store.outbox().unwrap().len(), 1);
        store.write(|tx| tx.complete(seq)).unwrap();
        assert!(store.outbox().unwrap().is_empty());
        let first = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(changes.next());
        assert_eq!(first, Some(Change::Outbox));
        assert_eq!(changes.try_next(), None, "announced once, after the commit");
    }

    fn delete_applicant(n: u32) -> Operation {
        Operation::DeleteApplicant {
            applicant: format!("a{n}"),
            server_id: format!("apl_{n}"),
        }
    }

    /// An enqueue interrupted between its insert and its seal (two commits
    /// before) left an empty row that made every later outbox read fail.
    #[test]
    fn an_interrupted_enqueue_leaves_no_row_behind() {
        let store = Store::open_in_memory().unwrap();
        // The seal's update fails, as a crash or a full disk would stop it.
        store
            .conn()
            .execute_batch(
                "CREATE TRIGGER stop_the_seal BEFORE UPDATE OF sealed ON outbox
                 BEGIN SELECT RAISE(ABORT, 'interrupted'); END;",
            )
            .unwrap();
        assert!(queue(&store, &delete_applicant(1)).is_err());
        let rows: i64 = store
            .conn()
            .query_row("SELECT count(*) FROM outbox", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 0, "the insert went with the failed seal");
        store.conn().execute_batch("DROP TRIGGER stop_the_seal").unwrap();
        queue(&store, &delete_applicant(2)).unwrap();
        assert_eq!(store.outbox().unwrap().len(), 1);
    }

    /// A row that cannot be opened is set aside, whole, and the others go on.
    #[test]
    fn a_row_that_cannot_be_opened_is_set_aside_and_never_blocks_the_rest() {
        let store = Store::open_in_memory().unwrap();
        queue(&store, &delete_applicant(1)).unwrap();
        store
            .conn()
            .execute(
                "INSERT INTO outbox (kind, target, sealed, idempotency_key, created_at)
                 VALUES ('submit', 'd1', x'', 'k-empty', '2026-12-07T00:00:00Z'),
                        ('cancel', 'd2', x'00112233445566778899aabbccddeeff00112233445566778899', 'k-junk', '2026-12-07T00:00:00Z')",
                [],
            )
            .unwrap();
        queue(&store, &delete_applicant(3)).unwrap();
        let pending = store.outbox().unwrap();
        assert_eq!(
            pending.iter().map(|p| p.operation.clone()).collect::<Vec<_>>(),
            vec![delete_applicant(1), delete_applicant(3)]
        );
        assert_eq!(store.set_aside_count().unwrap(), 2);
        assert_eq!(store.pending_count().unwrap(), 2);
        // Kept whole, with its key, for whoever can open it later.
        let kept: (String, Vec<u8>) = store
            .conn()
            .query_row(
                "SELECT idempotency_key, sealed FROM outbox_set_aside WHERE kind = 'cancel'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(kept.0, "k-junk");
        assert_eq!(kept.1.len(), 26);
        // Read again: nothing more to set aside.
        assert_eq!(store.outbox().unwrap().len(), 2);
        assert_eq!(store.set_aside_count().unwrap(), 2);
    }
}
