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

/// What an operation of the door ([`crate::Engine`]) can end in, whichever
/// part of the engine it came from: the server's answer (or its silence), or
/// this phone (its store, its keystore, the picture's checks). The app shows
/// [`Error::key`]'s message; the detail is for the log.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Api(#[from] crate::client::ApiError),
    #[error("{detail}")]
    Phone { key: &'static str, detail: String },
}

impl Error {
    /// The translation key of the message the app shows.
    pub fn key(&self) -> String {
        match self {
            Error::Api(e) => e.key(),
            Error::Phone { key, .. } => (*key).to_owned(),
        }
    }

    /// The field the server found fault with, e.g. `personal.nik`.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.field(),
            Error::Phone { .. } => None,
        }
    }

    /// Worth trying again later (no network, the server busy).
    pub fn is_transient(&self) -> bool {
        matches!(self, Error::Api(e) if e.is_transient())
    }

    /// The API's error code, when the server gave one.
    pub fn code(&self) -> Option<mpaspor_domain::api::ErrorCode> {
        match self {
            Error::Api(e) => e.code(),
            Error::Phone { .. } => None,
        }
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Error {
        Error::Phone {
            key: e.key(),
            detail: e.to_string(),
        }
    }
}

impl From<crate::photo::PhotoError> for Error {
    fn from(e: crate::photo::PhotoError) -> Error {
        Error::Phone {
            key: e.key(),
            detail: e.to_string(),
        }
    }
}
