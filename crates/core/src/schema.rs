//! The local schema as numbered steps. `PRAGMA user_version` says how many
//! have run; each opening runs the rest in one transaction. Never edit a
//! step that has shipped: add a new one.

use crate::error::StoreError;
use rusqlite::Connection;

const STEPS: &[&str] = &[
    // 1: settings the app remembers across restarts (language, API address).
    "CREATE TABLE settings (
        key TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL
    ) STRICT;",
    // 2: the people filed for, drafts field by field, documents, server copies,
    // cached reference data and the outbox. Every personal value is a sealed BLOB
    // (see crypto.rs); ids, states, revisions and times are plain.
    "CREATE TABLE applicants (
        id TEXT PRIMARY KEY NOT NULL,
        server_id TEXT UNIQUE,
        server_version INTEGER,
        sealed BLOB NOT NULL,
        rev INTEGER NOT NULL DEFAULT 1,
        synced_rev INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE drafts (
        id TEXT PRIMARY KEY NOT NULL,
        applicant_id TEXT NOT NULL REFERENCES applicants (id) ON DELETE CASCADE,
        server_id TEXT UNIQUE,
        server_version INTEGER,
        locked INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE draft_fields (
        draft_id TEXT NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
        field TEXT NOT NULL,
        sealed BLOB NOT NULL,
        rev INTEGER NOT NULL,
        synced_rev INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (draft_id, field)
    ) STRICT, WITHOUT ROWID;
    CREATE TABLE documents (
        draft_id TEXT NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        sealed BLOB,
        media_type TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        verdicts TEXT NOT NULL,
        uploaded INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (draft_id, kind)
    ) STRICT;
    CREATE TABLE applications (
        id TEXT PRIMARY KEY NOT NULL,
        draft_id TEXT REFERENCES drafts (id) ON DELETE SET NULL,
        state TEXT NOT NULL,
        version INTEGER NOT NULL,
        sealed BLOB NOT NULL,
        payment BLOB,
        receipt BLOB,
        fetched_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE reference (
        name TEXT PRIMARY KEY NOT NULL,
        body TEXT NOT NULL,
        fetched_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        target TEXT NOT NULL,
        sealed BLOB NOT NULL,
        idempotency_key TEXT NOT NULL UNIQUE,
        attempts INTEGER NOT NULL DEFAULT 0,
        failed_code TEXT,
        failed_message BLOB,
        created_at TEXT NOT NULL
    ) STRICT;",
    // 3: a small sealed preview of each kept picture, which stays after the
    // full one is uploaded and dropped; the passports already issued to each
    // person (travel-document integration), sealed, for offline reading.
    "ALTER TABLE documents ADD COLUMN thumbnail BLOB;
    CREATE TABLE travel_documents (
        applicant_id TEXT PRIMARY KEY NOT NULL REFERENCES applicants (id) ON DELETE CASCADE,
        sealed BLOB NOT NULL,
        fetched_at TEXT NOT NULL
    ) STRICT;",
    // 4: a keyed digest of each kept server copy (see crypto.rs), so a pull
    // tells an unchanged copy without opening it; an index that counts the
    // refused operations without reading the outbox; and the outbox's attempt
    // count goes, as nothing ever read it.
    "ALTER TABLE applications ADD COLUMN digest BLOB;
    CREATE INDEX outbox_refused ON outbox (failed_code) WHERE failed_code IS NOT NULL;
    ALTER TABLE outbox DROP COLUMN attempts;",
    // 5: what was kept as settings gets its own place: the window chosen for
    // a draft (an id, nothing personal) beside the draft, and the reminders
    // already sent as a notification in a table of their own.
    "ALTER TABLE drafts ADD COLUMN slot_id TEXT;
    UPDATE drafts SET slot_id = (SELECT value FROM settings WHERE key = 'slot:' || drafts.id);
    DELETE FROM settings WHERE key LIKE 'slot:%';
    CREATE TABLE notified (
        reminder TEXT PRIMARY KEY NOT NULL
    ) STRICT, WITHOUT ROWID;
    INSERT INTO notified (reminder) SELECT substr(key, 10) FROM settings WHERE key LIKE 'notified:%';
    DELETE FROM settings WHERE key LIKE 'notified:%';",
    // 6: outbox rows that cannot be opened are set aside here, whole (still
    // sealed) with why, so they never block the others and nothing is lost.
    "CREATE TABLE outbox_set_aside (
        seq INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        target TEXT NOT NULL,
        sealed BLOB NOT NULL,
        idempotency_key TEXT NOT NULL,
        reason TEXT NOT NULL,
        set_aside_at TEXT NOT NULL
    ) STRICT;",
    // 7: watches (tell me when a place opens), each sealed, with the
    // server's id once it has it; the account's feed of events by the
    // server's number (a number kept once is never shown twice), and
    // whether each was shown as a notification or put away.
    "CREATE TABLE watches (
        id TEXT PRIMARY KEY NOT NULL,
        draft_id TEXT NOT NULL,
        server_id TEXT UNIQUE,
        sealed BLOB NOT NULL,
        created_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE feed (
        seq INTEGER PRIMARY KEY NOT NULL,
        kind TEXT NOT NULL,
        sealed BLOB NOT NULL,
        at TEXT NOT NULL,
        notified INTEGER NOT NULL DEFAULT 0,
        dismissed INTEGER NOT NULL DEFAULT 0
    ) STRICT;",
    // 8: the feed is the inbox: every event is a message, read or not.
    "ALTER TABLE feed ADD COLUMN read INTEGER NOT NULL DEFAULT 0;",
];

/// The schema version this build writes.
pub const VERSION: i64 = STEPS.len() as i64;

pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    migrate_to(conn, VERSION)
}

/// Runs the steps up to `version` only: how the fixture of an old schema is made.
pub fn migrate_to(conn: &mut Connection, version: i64) -> Result<(), StoreError> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > VERSION {
        return Err(StoreError::SchemaTooNew {
            found,
            known: VERSION,
        });
    }
    let tx = conn.transaction()?;
    for step in STEPS.iter().take(version as usize).skip(found as usize) {
        tx.execute_batch(step)?;
    }
    tx.pragma_update(None, "user_version", version.max(found))?;
    tx.commit()?;
    Ok(())
}
