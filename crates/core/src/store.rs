//! The SQLite file on the phone.

use crate::changes::{Announcer, Change, Changes};
use crate::crypto::DataKey;
use crate::error::StoreError;
use crate::schema;
use crate::secrets::{Secrets, SecretsError};
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OptionalExtension, params};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

/// How the store was opened.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Opened {
    /// The earlier file, set aside because its key was gone (or this
    /// keystore holds another one).
    pub set_aside: Option<PathBuf>,
    /// The keystore whose key sealed the file set aside, as it recorded it.
    pub sealed_by: Option<String>,
}

/// Settings that record which key sealed the file: a value sealed with it,
/// and the keystore it came from. They outlive "forget this phone".
const KEY_CHECK: &str = "key_check";
const KEYSTORE: &str = "keystore";

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(transparent)]
    Secrets(#[from] SecretsError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the unreadable store could not be set aside: {0}")]
    SetAside(String),
    #[error("the data directory could not be made: {0}")]
    Directory(String),
}

/// The phone's clock as RFC 3339, for local bookkeeping only (never for deadlines).
pub(crate) fn now() -> String {
    jiff::Timestamp::now().to_string()
}

/// Inside [`Store::write`]: the store's writes that can be grouped into one
/// transaction (sync keeps a server's answer and removes its operation
/// together). It holds the store's lock: call no `Store` method inside.
pub(crate) struct Tx<'a> {
    pub(crate) store: &'a Store,
    pub(crate) db: &'a Connection,
    /// Announced once the transaction is committed (never if it rolls back).
    changed: std::cell::RefCell<Vec<Change>>,
}

impl Tx<'_> {
    pub(crate) fn changed(&self, change: Change) {
        self.changed.borrow_mut().push(change);
    }
}

/// The local store. Cheap to clone; one connection shared behind a lock.
/// Personal values are sealed with `key` before they reach SQLite.
#[derive(Clone)]
pub struct Store {
    conn: Arc<Mutex<Connection>>,
    pub(crate) key: DataKey,
    announcer: Announcer,
}

impl Store {
    /// Opens (creating if needed) and migrates the database at `path`.
    pub fn open(path: &Path, key: DataKey) -> Result<Store, StoreError> {
        Self::setup(Connection::open(path)?, key)
    }

    /// Opens the store at `path` with the data key the keystore holds, made on
    /// first use. When the keystore has lost the key (keyutils after a reboot,
    /// a restored phone) the old file cannot be read: it is set aside, never
    /// deleted, and a fresh store is opened; `Opened::set_aside` says where.
    pub fn open_with(path: &Path, secrets: &Secrets) -> Result<(Store, Opened), OpenError> {
        let (key, made) = secrets.data_key()?;
        let mut opened = Opened::default();
        if path.exists() {
            let store = Store::open(path, key.clone())?;
            // The file records which key sealed it: another keystore's key (a
            // flip between backends) is told at once, not by every read failing.
            let readable = match store.setting(KEY_CHECK)? {
                Some(check) => hex::decode(check)
                    .ok()
                    .is_some_and(|sealed| key.open(KEY_CHECK, &sealed).is_ok()),
                None => !(made && store.holds_sealed_data()?),
            };
            if !readable {
                opened.sealed_by = store.setting(KEYSTORE)?;
                drop(store);
                let stamp = jiff::Timestamp::now().as_second();
                let aside = path.with_extension(format!("unreadable-{stamp}"));
                for suffix in ["", "-wal", "-shm"] {
                    let from = PathBuf::from(format!("{}{suffix}", path.display()));
                    if from.exists() {
                        std::fs::rename(&from, format!("{}{suffix}", aside.display()))
                            .map_err(|e| OpenError::SetAside(e.to_string()))?;
                    }
                }
                tracing::warn!(
                    sealed_by = ?opened.sealed_by,
                    keystore = %secrets.vendor(),
                    "this keystore does not hold the key that sealed the store; set it aside"
                );
                opened.set_aside = Some(aside);
            }
        }
        let store = Store::open(path, key.clone())?;
        if store.setting(KEY_CHECK)?.is_none() {
            store.set_setting(KEY_CHECK, &hex::encode(key.seal(KEY_CHECK, KEY_CHECK.as_bytes())))?;
            store.set_setting(KEYSTORE, &secrets.vendor())?;
        }
        Ok((store, opened))
    }

    fn holds_sealed_data(&self) -> Result<bool, StoreError> {
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT (SELECT count(*) FROM applicants) + (SELECT count(*) FROM applications)
                  + (SELECT count(*) FROM outbox)",
            )?
            .query_row([], |r| r.get::<_, i64>(0))?
            > 0)
    }

    /// A store that lives in memory only, for tests and previews.
    pub fn open_in_memory() -> Result<Store, StoreError> {
        Self::setup(Connection::open_in_memory()?, DataKey::generate().0)
    }

    fn setup(mut conn: Connection, key: DataKey) -> Result<Store, StoreError> {
        // WAL: a crash never loses a committed save; temp tables stay off the disk.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // Freed pages are zeroed, so a deleted value leaves no bytes behind.
        conn.pragma_update(None, "secure_delete", "ON")?;
        // Every statement stays prepared: parsing SQL anew cost more than running it.
        conn.set_prepared_statement_cache_capacity(128);
        // One plan per statement, whatever the values bound: without this, SQLite
        // (3.54) prepares a join or an ORDER BY anew each time a new value is bound.
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
        schema::migrate(&mut conn)?;
        Ok(Store {
            conn: Arc::new(Mutex::new(conn)),
            key,
            announcer: Announcer::new(),
        })
    }

    /// Tells the subscribers what a committed write changed.
    pub(crate) fn announce(&self, change: Change) {
        self.announcer.announce(change);
    }

    /// What the store's writes change, from now on.
    pub fn changes(&self) -> Changes {
        self.announcer.subscribe()
    }

    /// Settings that are the app's, not the applicant's: kept by [`Store::forget_everything`].
    /// What "forget this phone" keeps: how the app looks. The API address
    /// a tester set goes with the rest (it could point the app anywhere).
    pub const PREFERENCES: &'static [&'static str] = &["language", "text_size"];

    pub(crate) fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves SQLite consistent (each save is one statement).
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` in one write transaction: all of its changes or none (an
    /// error or a panic inside rolls back). BEGIN and COMMIT stay prepared.
    pub(crate) fn write<T>(
        &self,
        f: impl FnOnce(&Tx<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
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
        let conn = self.conn();
        conn.prepare_cached("BEGIN IMMEDIATE")?.execute([])?;
        let open = Open(&conn);
        let tx = Tx {
            store: self,
            db: open.0,
            changed: Default::default(),
        };
        let out = f(&tx)?;
        open.0.prepare_cached("COMMIT")?.execute([])?;
        let changed = tx.changed.take();
        drop(open);
        drop(conn);
        for change in changed {
            self.announce(change);
        }
        Ok(out)
    }

    pub fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn()
            .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
            .query_row([key], |r| r.get(0))
            .optional()?)
    }

    /// Seals a JSON value for `place` (see `crypto`).
    pub(crate) fn seal_json<T: serde::Serialize + ?Sized>(
        &self,
        place: &str,
        value: &T,
    ) -> Vec<u8> {
        self.key.seal(
            place,
            &serde_json::to_vec(value).expect("plain data serialises"),
        )
    }

    pub(crate) fn open_json<T: serde::de::DeserializeOwned>(
        &self,
        place: &str,
        sealed: &[u8],
    ) -> Result<T, StoreError> {
        let plain = self.key.open(place, sealed)?;
        serde_json::from_slice(&plain).map_err(|e| StoreError::Corrupt(e.to_string()))
    }

    /// Checks every page of the file (`PRAGMA integrity_check`).
    pub fn integrity_check(&self) -> Result<(), StoreError> {
        let verdict: String = self
            .conn()
            .prepare_cached("PRAGMA integrity_check")?
            .query_row([], |r| r.get(0))?;
        if verdict == "ok" {
            Ok(())
        } else {
            Err(StoreError::Corrupt(verdict))
        }
    }

    /// Deletes everything this phone holds of the applicant (people, drafts,
    /// documents, server copies, the outbox, passports, reference data) and
    /// keeps only the app's preferences (`PREFERENCES`). With `secure_delete`
    /// on, the freed pages are zeroed; the WAL is folded in and emptied.
    pub fn forget_everything(&self) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        for table in [
            "feed",
            "watches",
            "notified",
            "outbox",
            "outbox_set_aside",
            "travel_documents",
            "documents",
            "applications",
            "draft_fields",
            "drafts",
            "applicants",
            "reference",
        ] {
            tx.execute(&format!("DELETE FROM {table}"), [])?;
        }
        let keep = Self::PREFERENCES
            .iter()
            .chain(&[KEY_CHECK, KEYSTORE])
            .map(|k| format!("'{k}'"))
            .collect::<Vec<_>>()
            .join(", ");
        tx.execute(
            &format!("DELETE FROM settings WHERE key NOT IN ({keep})"),
            [],
        )?;
        tx.commit()?;
        conn.execute_batch("VACUUM; PRAGMA wal_checkpoint(TRUNCATE);")?;
        drop(conn);
        self.announce(Change::Everything);
        Ok(())
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.conn()
            .prepare_cached(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?
            .execute(params![key, value])?;
        Ok(())
    }
}

/// One of the app's settings the applicant (or a tester) chooses. Language
/// and text size outlive "forget this phone"; the API address does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preference {
    Language,
    TextSize,
    ApiAddress,
}

impl Preference {
    fn key(self) -> &'static str {
        match self {
            Preference::Language => "language",
            Preference::TextSize => "text_size",
            Preference::ApiAddress => "api_address",
        }
    }
}

impl Store {
    pub fn preference(&self, which: Preference) -> Option<String> {
        self.setting(which.key()).ok().flatten()
    }

    pub fn set_preference(&self, which: Preference, value: &str) -> Result<(), StoreError> {
        self.set_setting(which.key(), value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_survive_a_reopen_of_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mpaspor.sqlite");
        let key = DataKey::generate().0;
        let store = Store::open(&path, key.clone()).unwrap();
        assert_eq!(store.setting("language").unwrap(), None);
        store.set_setting("language", "en").unwrap();
        store.set_setting("language", "id").unwrap();
        drop(store);
        let store = Store::open(&path, key).unwrap();
        assert_eq!(store.setting("language").unwrap().as_deref(), Some("id"));
        let mode: String = store
            .conn()
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }

    #[test]
    fn a_kept_statement_is_not_prepared_again_for_each_new_value() {
        let store = Store::open_in_memory().unwrap();
        // A join on a bound key (how a draft is read): SQLite re-planned it on every bind.
        let sql = "SELECT d.server_id FROM drafts d JOIN applicants a ON a.id = d.applicant_id
                   WHERE d.id = ?1";
        let conn = store.conn();
        for id in ["a", "b", "c", "d"] {
            let mut q = conn.prepare_cached(sql).unwrap();
            assert_eq!(
                q.query_map([id], |r| r.get::<_, Option<String>>(0))
                    .unwrap()
                    .count(),
                0
            );
        }
        let q = conn.prepare_cached(sql).unwrap();
        assert_eq!(q.get_status(rusqlite::StatementStatus::RePrepare), 0);
    }

    #[test]
    fn a_database_from_a_newer_app_is_refused_not_damaged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("future.sqlite");
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", schema::VERSION + 1)
            .unwrap();
        drop(conn);
        match Store::open(&path, DataKey::generate().0) {
            Err(StoreError::SchemaTooNew { found, known }) => {
                assert_eq!((found, known), (schema::VERSION + 1, schema::VERSION));
            }
            other => panic!("expected SchemaTooNew, got {:?}", other.err()),
        }
    }
}
