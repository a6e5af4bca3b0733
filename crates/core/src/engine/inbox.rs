//! The inbox through the door: the messages, how many are unread, reading
//! them, and the ones to show as notifications (each once).

use crate::engine::Engine;
use crate::error::Error;
use crate::inbox::Message;

impl Engine {
    /// The account's messages, newest first.
    pub fn messages(&self) -> Result<Vec<Message>, Error> {
        Ok(self.store().messages()?)
    }

    pub fn unread_messages(&self) -> Result<u64, Error> {
        Ok(self.store().unread_messages()?)
    }

    /// Marks one message read, or all of them with `None`.
    pub fn mark_read(&self, seq: Option<u64>) -> Result<(), Error> {
        Ok(self.store().mark_read(seq)?)
    }

    /// Messages not yet shown as a notification; each is answered once.
    pub fn take_messages_to_notify(&self) -> Result<Vec<Message>, Error> {
        let store = self.store();
        let waiting = store.messages_to_notify()?;
        for message in &waiting {
            store.note_message_notified(message.seq)?;
        }
        Ok(waiting)
    }
}
