//! Errors of the engine. The UI shows these by kind, never by SQL text.

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the local database could not be opened or read: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error(
        "the local database was made by a newer version of the app (schema {found}, this app knows up to {known})"
    )]
    SchemaTooNew { found: i64, known: i64 },
}
