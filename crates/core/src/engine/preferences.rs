//! The app's own preferences (language, text size, the API's address):
//! kept when everything else is forgotten, never personal.

use crate::engine::Engine;
use crate::error::Error;
use crate::error::StoreError;
use crate::store::Store;

/// One of the app's preferences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preference {
    Language,
    TextSize,
    ApiAddress,
}

impl Preference {
    fn key(self) -> &'static str {
        let key = match self {
            Preference::Language => "language",
            Preference::TextSize => "text_size",
            Preference::ApiAddress => "api_address",
        };
        debug_assert!(Store::PREFERENCES.contains(&key));
        key
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

impl Engine {
    pub fn preference(&self, which: Preference) -> Option<String> {
        self.store().preference(which)
    }

    pub fn set_preference(&self, which: Preference, value: &str) -> Result<(), Error> {
        Ok(self.store().set_preference(which, value)?)
    }
}
