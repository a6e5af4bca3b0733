//! Errors of the engine. The UI shows these by kind, never by SQL text.

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the local database could not be opened or read: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error(
        "the local database was made by a newer version of the app (schema {found}, this app knows up to {known})"
    )]
    SchemaTooNew { found: i64, known: i64 },
    #[error("a saved value could not be opened with this phone's data key")]
    Sealed(#[from] crate::crypto::CryptoError),
    #[error("a saved value is damaged: {0}")]
    Corrupt(String),
    #[error("there is no {0} with that id on this phone")]
    NotFound(&'static str),
    #[error("`{field}` does not take that value: {reason}")]
    BadValue { field: String, reason: String },
    #[error("this application has been submitted and can no longer be changed")]
    Locked,
    #[error("an account files for at most {0} people, the holder included")]
    ApplicantLimit(usize),
    #[error("the account holder cannot be removed")]
    HolderStays,
}

impl StoreError {
    /// The translation key of the message the UI shows.
    pub fn key(&self) -> &'static str {
        match self {
            StoreError::Sqlite(_) | StoreError::Corrupt(_) => "store-error-damaged",
            StoreError::SchemaTooNew { .. } => "store-error-too-new",
            StoreError::Sealed(_) => "store-error-sealed",
            StoreError::NotFound(_) => "store-error-not-found",
            StoreError::BadValue { .. } => "store-error-bad-value",
            StoreError::Locked => "store-error-locked",
            StoreError::ApplicantLimit(_) => "error-applicant_limit",
            StoreError::HolderStays => "store-error-holder-stays",
        }
    }
}
