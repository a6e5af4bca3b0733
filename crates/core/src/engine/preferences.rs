//! The app's own preferences (language, text size, the API's address):
//! kept when everything else is forgotten, never personal.

use crate::engine::Engine;
use crate::error::Error;
use crate::store::Preference;

impl Engine {
    pub fn preference(&self, which: Preference) -> Option<String> {
        self.store().preference(which)
    }

    pub fn set_preference(&self, which: Preference, value: &str) -> Result<(), Error> {
        Ok(self.store().set_preference(which, value)?)
    }
}
