//! Opening the engine, in two steps: this phone's data first (the SQLite
//! file, with the key the keystore holds), then the API, whose address may
//! be a preference kept in that data.

use super::{Engine, Preference};
use crate::client::{Api, ApiConfig};
use crate::error::Error;
use crate::secrets::Secrets;
use crate::store::{OpenError, Store};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The file the data is kept in, inside the data directory.
const FILE: &str = "mpaspor.sqlite";

/// This phone's data, open, before the API is chosen.
pub struct Data {
    store: Store,
    /// The earlier file, set aside (never deleted) because this keystore
    /// does not hold its key (lost, or another keystore's): it cannot be
    /// read here, and a fresh one was started.
    pub set_aside: Option<PathBuf>,
    /// The keystore that sealed it, as the file recorded it.
    pub sealed_by: Option<String>,
}

impl Data {
    /// Opens (making it if needed) the data kept in `dir`.
    pub fn open(dir: &Path, secrets: &Secrets) -> Result<Data, OpenError> {
        std::fs::create_dir_all(dir).map_err(|e| OpenError::Directory(e.to_string()))?;
        let (store, opened) = Store::open_with(&dir.join(FILE), secrets)?;
        Ok(Data {
            store,
            set_aside: opened.set_aside,
            sealed_by: opened.sealed_by,
        })
    }

    pub fn preference(&self, which: Preference) -> Option<String> {
        self.store.preference(which)
    }

    /// The engine over this data, talking to the API at `api_url`.
    pub fn engine(self, api_url: &str, secrets: Secrets) -> Result<Arc<Engine>, Error> {
        let api = Api::new(ApiConfig::new(api_url), secrets)?;
        Ok(Engine::new(self.store, api))
    }
}
