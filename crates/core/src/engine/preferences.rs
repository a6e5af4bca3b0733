//! The app's own preferences (language, text size, the API's address):
//! kept when everything else is forgotten, never personal.

use crate::engine::Engine;
use crate::error::Error;
use crate::outbox::{Operation, enqueue};
use crate::store::Preference;

impl Engine {
    pub fn preference(&self, which: Preference) -> Option<String> {
        self.store().preference(which)
    }

    /// Keeps a preference. A language chosen while signed in is also sent,
    /// so the account's emails come in it.
    pub fn set_preference(&self, which: Preference, value: &str) -> Result<(), Error> {
        self.store().set_preference(which, value)?;
        if which == Preference::Language
            && self.session().is_some()
            && let Ok(language) = value.parse::<mpaspor_domain::Language>()
        {
            self.store()
                .write(|tx| enqueue(tx.store, tx.db, &Operation::SetLanguage { language }))?;
            self.queued();
        }
        Ok(())
    }
}
