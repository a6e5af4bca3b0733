//! What needs doing and by when (pay within the window, the appointment today
//! or tomorrow, pick up within 30 days), judged by the server's clock on the
//! kept applications and payments: the domain's rule, fed from the store.

use crate::engine::Engine;
use crate::error::Error;
use mpaspor_domain::reminders::{Reminder, reminders};

impl Engine {
    /// What is due now, most urgent first.
    pub fn reminders(&self) -> Result<Vec<Reminder>, Error> {
        let store = self.store();
        // A payment that cannot be read leaves its reminder out, not the rest.
        let apps: Vec<_> = store
            .applications()?
            .into_iter()
            .map(|a| {
                let payment = store.payment(&a.id).ok().flatten();
                (a, payment)
            })
            .collect();
        Ok(reminders(&apps, self.api().server_now()))
    }

    /// Whether reminder `key` was already sent as a notification.
    pub fn was_notified(&self, key: &str) -> Result<bool, Error> {
        Ok(self.store().was_notified(key)?)
    }

    /// Notes that reminder `key` was sent (it is not sent again).
    pub fn note_notified(&self, key: &str) -> Result<(), Error> {
        Ok(self.store().note_notified(key)?)
    }
}
