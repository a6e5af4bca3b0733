//! The reminders already sent as a system notification, so each is sent
//! once (a reminder's key names the application and what is due, nothing
//! personal).

use crate::error::StoreError;
use crate::store::Store;

impl Store {
    /// Whether the reminder with this key was sent before.
    pub fn was_notified(&self, reminder: &str) -> Result<bool, StoreError> {
        Ok(self
            .conn()
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM notified WHERE reminder = ?1)")?
            .query_row([reminder], |r| r.get(0))?)
    }

    /// Notes that the reminder with this key was sent.
    pub fn note_notified(&self, reminder: &str) -> Result<(), StoreError> {
        self.conn()
            .prepare_cached("INSERT OR IGNORE INTO notified (reminder) VALUES (?1)")?
            .execute([reminder])?;
        Ok(())
    }
}
