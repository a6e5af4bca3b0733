//! The mock's state in SQLite: one connection behind a lock, so every
//! operation is one serialised transaction (this is what makes booking a
//! place atomic under any concurrency). Every committed transaction that
//! changed a row moves the database's generation on, so an answer rendered
//! at one generation is known to be current while it has not moved.

use crate::error::ApiError;
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OptionalExtension};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

#[derive(Clone)]
pub enum DbLocation {
    File(PathBuf),
    Memory,
    /// In memory, kept in one sealed file (see `snapshot`): nothing in it
    /// is readable without the sealer's key (the app's bundled mock).
    Sealed {
        path: PathBuf,
        sealer: Arc<dyn Sealer>,
    },
}

impl std::fmt::Debug for DbLocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DbLocation::File(path) => f.debug_tuple("File").field(path).finish(),
            DbLocation::Memory => f.write_str("Memory"),
            DbLocation::Sealed { path, .. } => f.debug_tuple("Sealed").field(path).finish(),
        }
    }
}

/// Seals and opens a whole snapshot of the database (authenticated
/// encryption with a key the mock never sees).
pub trait Sealer: Send + Sync {
    fn seal(&self, plain: &[u8]) -> Vec<u8>;
    /// `None` when the bytes were not sealed with this key, or were changed.
    fn open(&self, sealed: &[u8]) -> Option<Vec<u8>>;
}

#[derive(Clone)]
pub struct Db {
    conn: Arc<Mutex<Connection>>,
    generation: Arc<AtomicU64>,
    /// The generation, for those waiting for a change (the change feed).
    changed: tokio::sync::watch::Sender<u64>,
}

const STEPS: &[&str] = &[
    // 1: the whole first schema.
    "
    CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) STRICT;

    CREATE TABLE accounts (
        id TEXT PRIMARY KEY NOT NULL,
        email TEXT NOT NULL UNIQUE,
        full_name TEXT NOT NULL,
        phone TEXT NOT NULL,
        birth_date TEXT NOT NULL,
        sex TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        verified INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE otps (
        email TEXT NOT NULL,
        purpose TEXT NOT NULL,
        code TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        resend_after INTEGER NOT NULL,
        failures INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (email, purpose)
    ) STRICT;

    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        to_email TEXT NOT NULL,
        subject TEXT NOT NULL,
        body TEXT NOT NULL,
        otp TEXT,
        sent_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX outbox_by_email ON outbox (to_email);

    CREATE TABLE sessions (
        id TEXT PRIMARY KEY NOT NULL,
        account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        refresh_hash TEXT NOT NULL UNIQUE,
        refresh_expires_at INTEGER NOT NULL,
        access_hash TEXT NOT NULL UNIQUE,
        access_expires_at INTEGER NOT NULL,
        ended INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL
    ) STRICT;

    -- Refresh tokens already rotated away: presenting one again ends the session.
    CREATE TABLE spent_refresh (
        refresh_hash TEXT PRIMARY KEY NOT NULL,
        session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE
    ) STRICT;

    CREATE TABLE throttle (
        key TEXT PRIMARY KEY NOT NULL,
        window_start INTEGER NOT NULL,
        count INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE applicants (
        id TEXT PRIMARY KEY NOT NULL,
        account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        body TEXT NOT NULL,
        created_at INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE applications (
        id TEXT PRIMARY KEY NOT NULL,
        account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        applicant_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        state TEXT NOT NULL,
        draft TEXT NOT NULL,
        nik TEXT,
        fee TEXT,
        slot_id TEXT,
        reschedules_used INTEGER NOT NULL DEFAULT 0,
        billing_code TEXT UNIQUE,
        issued_at INTEGER,
        expires_at INTEGER,
        paid_at INTEGER,
        ntpn TEXT,
        ready_at INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX applications_by_account ON applications (account_id);
    CREATE INDEX applications_awaiting ON applications (state, expires_at);

    CREATE TABLE timeline (
        application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        state TEXT NOT NULL,
        at INTEGER NOT NULL,
        note TEXT,
        PRIMARY KEY (application_id, seq)
    ) STRICT;

    CREATE TABLE documents (
        application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        media_type TEXT NOT NULL,
        bytes BLOB NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        uploaded_at INTEGER NOT NULL,
        PRIMARY KEY (application_id, kind)
    ) STRICT;

    -- Places taken per slot; capacity comes from the office's schedule or an override.
    CREATE TABLE slot_bookings (
        slot_id TEXT PRIMARY KEY NOT NULL,
        booked INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE slot_capacity (
        slot_id TEXT PRIMARY KEY NOT NULL,
        capacity INTEGER NOT NULL
    ) STRICT;

    -- The treasury's own record of billing codes and payments (SIMPONI).
    CREATE TABLE treasury (
        billing_code TEXT PRIMARY KEY NOT NULL,
        application_id TEXT NOT NULL,
        amount INTEGER NOT NULL,
        ntpn TEXT UNIQUE,
        paid_at INTEGER,
        notified INTEGER NOT NULL DEFAULT 0
    ) STRICT;

    CREATE TABLE citizens (
        nik TEXT PRIMARY KEY NOT NULL,
        body TEXT NOT NULL
    ) STRICT;

    CREATE TABLE idempotency (
        scope TEXT NOT NULL,
        key TEXT NOT NULL,
        route TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        status INTEGER NOT NULL,
        body TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (scope, key)
    ) STRICT;
    ",
    // 2: throttle rows keyed by a hash, with the last attempt (for growing
    // delays) and when the row stops mattering (so old rows are pruned).
    "
    DROP TABLE throttle;
    CREATE TABLE throttle (
        key TEXT PRIMARY KEY NOT NULL,
        window_start INTEGER NOT NULL,
        count INTEGER NOT NULL,
        last_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX throttle_expiry ON throttle (expires_at);
    ",
    // 3: when each refresh token was rotated away (the last one still
    // rotates for a moment: a lost answer is not a theft).
    "ALTER TABLE spent_refresh ADD COLUMN spent_at INTEGER NOT NULL DEFAULT 0;",
    // 4: quota per passport type (the polycarbonate e-passport has its
    // own), releases by each office's schedule instead of capacity
    // overrides, watches that tell when a place opens, and the account's
    // change feed.
    "
    CREATE TABLE slot_places (
        slot_id TEXT NOT NULL,
        pool TEXT NOT NULL,
        booked INTEGER NOT NULL,
        PRIMARY KEY (slot_id, pool)
    ) STRICT;
    INSERT INTO slot_places (slot_id, pool, booked) SELECT slot_id, 'general', booked FROM slot_bookings;
    DROP TABLE slot_bookings;
    ALTER TABLE slot_places RENAME TO slot_bookings;
    DROP TABLE slot_capacity;
    DELETE FROM meta WHERE key = 'quota_release';
    ALTER TABLE applications ADD COLUMN slot_pool TEXT NOT NULL DEFAULT 'general';

    CREATE TABLE watches (
        id TEXT PRIMARY KEY NOT NULL,
        account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
        nik TEXT NOT NULL,
        from_date TEXT NOT NULL,
        to_date TEXT NOT NULL,
        passport_type TEXT NOT NULL,
        service TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        last_match TEXT
    ) STRICT;
    CREATE INDEX watches_by_nik ON watches (nik);
    CREATE INDEX watches_by_account ON watches (account_id);
    CREATE INDEX watches_by_application ON watches (application_id);
    CREATE INDEX watches_by_end ON watches (to_date);
    CREATE TABLE watch_offices (
        office_id TEXT NOT NULL,
        watch_id TEXT NOT NULL REFERENCES watches (id) ON DELETE CASCADE,
        PRIMARY KEY (office_id, watch_id)
    ) STRICT;
    CREATE INDEX watch_offices_by_watch ON watch_offices (watch_id);

    CREATE TABLE events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        body TEXT NOT NULL,
        at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX events_by_account ON events (account_id, seq);
    CREATE INDEX events_by_time ON events (at);
    ",
    // 5: the account's language (its emails are written in it), what
    // happened within a state on the timeline (rescheduled, checked in), and
    // the corrections an office asks for before the appointment.
    "
    ALTER TABLE accounts ADD COLUMN language TEXT NOT NULL DEFAULT 'id';
    ALTER TABLE timeline ADD COLUMN event TEXT;
    CREATE TABLE corrections (
        id TEXT PRIMARY KEY NOT NULL,
        application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
        document TEXT,
        field TEXT,
        reason TEXT NOT NULL,
        asked_at INTEGER NOT NULL,
        due_at INTEGER NOT NULL,
        state TEXT NOT NULL,
        settled_at INTEGER
    ) STRICT;
    CREATE INDEX corrections_by_application ON corrections (application_id);
    CREATE INDEX corrections_open ON corrections (state, due_at);
    ",
];

impl Db {
    pub fn open(location: &DbLocation) -> Result<Db, rusqlite::Error> {
        let mut conn = match location {
            DbLocation::File(path) => Connection::open(path)?,
            DbLocation::Memory => Connection::open_in_memory()?,
            DbLocation::Sealed { path, sealer } => {
                let mut conn = Connection::open_in_memory()?;
                crate::snapshot::restore(&mut conn, path, sealer.as_ref())?;
                conn
            }
        };
        // Freed pages are zeroed: a deleted account leaves no bytes behind.
        conn.pragma_update(None, "secure_delete", "ON")?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // Every statement the handlers run stays prepared (parsing was a quarter of a slots read).
        conn.set_prepared_statement_cache_capacity(256);
        // One plan per statement, whatever the values bound: without this, SQLite
        // (3.54) prepares a join or an ORDER BY anew each time a new value is bound.
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
        let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let tx = conn.transaction()?;
        for step in STEPS.iter().skip(found.max(0) as usize) {
            tx.execute_batch(step)?;
        }
        tx.pragma_update(None, "user_version", STEPS.len() as i64)?;
        tx.commit()?;
        Ok(Db {
            conn: Arc::new(Mutex::new(conn)),
            generation: Arc::new(AtomicU64::new(0)),
            changed: tokio::sync::watch::Sender::new(0),
        })
    }

    /// The whole database as bytes (SQLite's own image of it), taken under
    /// the lock.
    pub fn image(&self) -> Result<Vec<u8>, rusqlite::Error> {
        let mut conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        Ok(conn.serialize(rusqlite::MAIN_DB)?.to_vec())
    }

    /// Folds the write-ahead log into the file and empties it (after a
    /// deletion, so no deleted bytes stay in the log).
    pub fn checkpoint(&self) -> Result<(), ApiError> {
        let conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        Ok(())
    }

    /// Runs `f` in one transaction; it commits only if `f` returns Ok.
    ///
    /// BEGIN and COMMIT are kept prepared like every other statement
    /// (rusqlite's `Transaction` parses them anew each time, a twentieth of
    /// a small request); a panic or an error inside `f` rolls back.
    pub fn write<T>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        struct Open<'c>(&'c Connection);
        impl Drop for Open<'_> {
            fn drop(&mut self) {
                if !self.0.is_autocommit() {
                    let _ = self
                        .0
                        .prepare_cached("ROLLBACK")
                        .and_then(|mut s| s.execute([]));
                }
            }
        }
        let conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        let changes = conn.total_changes();
        conn.prepare_cached("BEGIN")?.execute([])?;
        let open = Open(&conn);
        let out = f(open.0)?;
        open.0.prepare_cached("COMMIT")?.execute([])?;
        if conn.total_changes() != changes {
            // Still under the lock: no reader sees the new rows with the old generation.
            let generation = self.generation.fetch_add(1, Ordering::Release) + 1;
            self.changed.send_replace(generation);
        }
        Ok(out)
    }

    /// Runs `f`, which only reads, with one statement, under the lock but
    /// outside a transaction: one statement sees one state by itself, and
    /// BEGIN and COMMIT around it cost more than the read (a NIK check).
    pub fn read<T>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        let changes = conn.total_changes();
        let out = f(&conn);
        debug_assert_eq!(conn.total_changes(), changes, "Db::read is for reads");
        out
    }

    /// How many committed transactions have changed the database since it was opened.
    /// Read inside [`Db::write`], it is the generation of the rows that closure sees.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Wakes when a committed write changes the database (not before the
    /// changes are readable).
    pub fn subscribe(&self) -> tokio::sync::watch::Receiver<u64> {
        self.changed.subscribe()
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>, ApiError> {
        self.write(|tx| {
            Ok(tx
                .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
                .query_row([key], |r| r.get(0))
                .optional()?)
        })
    }

    pub fn set_meta(&self, key: &str, value: &str) -> Result<(), ApiError> {
        self.write(|tx| {
            tx.prepare_cached(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?
            .execute([key, value])?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_statement_is_not_prepared_again_for_each_new_value() {
        let db = Db::open(&DbLocation::Memory).unwrap();
        let conn = db.conn.lock().unwrap();
        // An ORDER BY on a bound key: the shape SQLite re-planned on every bind.
        let sql = "SELECT state FROM timeline WHERE application_id = ?1 ORDER BY seq";
        for id in ["a", "b", "c", "d"] {
            let mut q = conn.prepare_cached(sql).unwrap();
            assert_eq!(
                q.query_map([id], |r| r.get::<_, String>(0))
                    .unwrap()
                    .count(),
                0
            );
        }
        let q = conn.prepare_cached(sql).unwrap();
        assert_eq!(q.get_status(rusqlite::StatementStatus::RePrepare), 0);
    }
}
