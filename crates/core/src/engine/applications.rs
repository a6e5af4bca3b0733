//! An application after submit, as the phone keeps it: read it with what
//! waits for the server, submit, pay, reschedule, cancel, and let a refused
//! operation go. Each change is queued in the outbox; sync sends it.

use crate::engine::Engine;
use crate::error::Error;
use crate::outbox::{Operation, Pending};
use jiff::SignedDuration;
use mpaspor_domain::api::{Application, Payment, Receipt};
use mpaspor_domain::{ApplicationId, DraftId, Ntpn, SlotId};

/// An application as its screen shows it, from what the phone keeps.
#[derive(Debug, Clone, PartialEq)]
pub struct ApplicationView {
    pub app: Application,
    /// The local draft its operations (pay, reschedule, cancel) go through.
    pub draft: Option<DraftId>,
    pub payment: Option<Payment>,
    /// Paid: the proof of application is on the phone.
    pub has_proof: bool,
    /// The draft's operations still in the outbox, oldest first, the
    /// refused ones included.
    pub queued: Vec<Pending>,
}

impl Engine {
    /// The kept application `id` (the server's id); `None` if this phone
    /// has never heard of it.
    pub fn application(&self, id: &ApplicationId) -> Result<Option<ApplicationView>, Error> {
        let store = self.store();
        let Some(app) = store.application(id)? else {
            return Ok(None);
        };
        let draft = store.draft_for_server(id)?;
        let queued = match &draft {
            Some(d) => self.queued_for(d)?,
            None => Vec::new(),
        };
        Ok(Some(ApplicationView {
            app,
            payment: store.payment(id)?,
            has_proof: self.receipt(id)?.is_some(),
            draft,
            queued,
        }))
    }

    /// The payment kept for application `id`.
    pub fn payment(&self, id: &ApplicationId) -> Result<Option<Payment>, Error> {
        Ok(self.store().payment(id)?)
    }

    /// The proof of application kept for `id`, to show at the office
    /// offline; only if its signature checks with the server's key kept on
    /// the phone (a doctored copy is never shown).
    pub fn receipt(&self, id: &ApplicationId) -> Result<Option<Receipt>, Error> {
        let Some(kept) = self.store().receipt(id)? else {
            return Ok(None);
        };
        Ok(self.store().checked_receipt(kept)?)
    }

    /// The operations of local draft `draft` still in the outbox.
    pub fn queued_for(&self, draft: &DraftId) -> Result<Vec<Pending>, Error> {
        Ok(self
            .store()
            .outbox()?
            .into_iter()
            .filter(|p| p.operation.target() == draft.as_str())
            .collect())
    }

    /// The applicant lets a refused operation go (to choose another window, say).
    pub fn let_go(&self, seq: i64) -> Result<(), Error> {
        self.store().discard(seq)?;
        self.queued();
        Ok(())
    }

    /// Time left to pay, counted against the server's clock.
    pub fn time_to_pay(&self, payment: &Payment) -> SignedDuration {
        payment.expires_at.duration_since(self.api().server_now())
    }

    /// Queues the submit of a draft with its chosen slot (the applicant has
    /// accepted the declaration on screen).
    pub fn submit(&self, draft: &DraftId, slot_id: &SlotId) -> Result<(), Error> {
        self.queue(Operation::Submit {
            draft: draft.to_string(),
            slot_id: slot_id.clone(),
        })
    }

    /// Queues the NTPN the bank gave as proof of payment.
    pub fn confirm_payment(&self, draft: &DraftId, ntpn: &Ntpn) -> Result<(), Error> {
        self.queue(Operation::ConfirmPayment {
            draft: draft.to_string(),
            ntpn: ntpn.as_str().into(),
        })
    }

    pub fn reschedule(&self, draft: &DraftId, slot_id: &SlotId) -> Result<(), Error> {
        self.queue(Operation::Reschedule {
            draft: draft.to_string(),
            slot_id: slot_id.clone(),
        })
    }

    pub fn cancel(&self, draft: &DraftId, accept_forfeit: bool) -> Result<(), Error> {
        self.queue(Operation::Cancel {
            draft: draft.to_string(),
            accept_forfeit,
        })
    }
}
