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
];

/// The schema version this build writes.
pub const VERSION: i64 = STEPS.len() as i64;

pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > VERSION {
        return Err(StoreError::SchemaTooNew {
            found,
            known: VERSION,
        });
    }
    let tx = conn.transaction()?;
    for step in &STEPS[found as usize..] {
        tx.execute_batch(step)?;
    }
    tx.pragma_update(None, "user_version", VERSION)?;
    tx.commit()?;
    Ok(())
}
