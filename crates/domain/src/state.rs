//! The application's life: draft to collected, and the side exits.

use serde::{Deserialize, Serialize};

crate::choice::wire_enum! {
    /// States in order, then the side exits.
    ApplicationState {
        Draft = "draft",
        AwaitingPayment = "awaiting_payment",
        /// Paid, appointment confirmed.
        Paid = "paid",
        Interviewed = "interviewed",
        Approved = "approved",
        Printed = "printed",
        ReadyForPickup = "ready_for_pickup",
        Collected = "collected",
        /// Unpaid within 2 hours.
        Expired = "expired",
        Cancelled = "cancelled",
        Rejected = "rejected",
        NoShow = "no_show",
        /// Not picked up within 30 days.
        Uncollected = "uncollected",
    }
}

/// What moves an application from one state to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Transition {
    Submit,
    Pay,
    Expire,
    Cancel,
    Interview,
    Approve,
    Reject,
    Print,
    MakeReady,
    Collect,
    MarkNoShow,
    MarkUncollected,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("an application that is {from} cannot {transition:?}")]
pub struct TransitionRefused {
    pub from: ApplicationState,
    pub transition: Transition,
}

impl ApplicationState {
    /// The one place that says which moves are allowed.
    pub fn apply(self, transition: Transition) -> Result<ApplicationState, TransitionRefused> {
        use ApplicationState::*;
        use Transition::*;
        let to = match (self, transition) {
            (Draft, Submit) => AwaitingPayment,
            (AwaitingPayment, Pay) => Paid,
            (AwaitingPayment, Expire) => Expired,
            (Draft | AwaitingPayment | Paid, Cancel) => Cancelled,
            (Paid, Interview) => Interviewed,
            (Paid, MarkNoShow) => NoShow,
            (Interviewed, Approve) => Approved,
            (Interviewed, Reject) => Rejected,
            (Approved, Print) => Printed,
            (Printed, MakeReady) => ReadyForPickup,
            (ReadyForPickup, Collect) => Collected,
            (ReadyForPickup, MarkUncollected) => Uncollected,
            (from, transition) => return Err(TransitionRefused { from, transition }),
        };
        Ok(to)
    }

    /// No move leads out of these.
    pub fn is_final(self) -> bool {
        Transition::ALL.iter().all(|t| self.apply(*t).is_err())
    }

    /// Holds a place at an office (so one NIK may have only one such application).
    pub fn is_active(self) -> bool {
        use ApplicationState::*;
        matches!(
            self,
            AwaitingPayment | Paid | Interviewed | Approved | Printed | ReadyForPickup
        )
    }
}

impl Transition {
    pub const ALL: &'static [Transition] = &[
        Transition::Submit,
        Transition::Pay,
        Transition::Expire,
        Transition::Cancel,
        Transition::Interview,
        Transition::Approve,
        Transition::Reject,
        Transition::Print,
        Transition::MakeReady,
        Transition::Collect,
        Transition::MarkNoShow,
        Transition::MarkUncollected,
    ];
}

#[cfg(test)]
mod tests {
    use super::*;
    use ApplicationState::*;
    use Transition::*;

    #[test]
    fn the_happy_path_runs_in_order() {
        let mut s = Draft;
        for t in [Submit, Pay, Interview, Approve, Print, MakeReady, Collect] {
            s = s.apply(t).unwrap();
        }
        assert_eq!(s, Collected);
    }

    #[test]
    fn side_exits() {
        assert_eq!(AwaitingPayment.apply(Expire), Ok(Expired));
        assert_eq!(AwaitingPayment.apply(Cancel), Ok(Cancelled));
        assert_eq!(Paid.apply(Cancel), Ok(Cancelled));
        assert_eq!(Paid.apply(MarkNoShow), Ok(NoShow));
        assert_eq!(Interviewed.apply(Reject), Ok(Rejected));
        assert_eq!(ReadyForPickup.apply(MarkUncollected), Ok(Uncollected));
    }

    #[test]
    fn every_other_move_is_refused() {
        let allowed = 12;
        let mut ok = 0;
        for from in ApplicationState::ALL {
            for t in Transition::ALL {
                match from.apply(*t) {
                    Ok(_) => ok += 1,
                    Err(e) => assert_eq!(
                        e,
                        TransitionRefused {
                            from: *from,
                            transition: *t
                        }
                    ),
                }
            }
        }
        assert_eq!(ok, allowed + 2, "Cancel is allowed from three states");
        assert!(
            Expired.apply(Pay).is_err(),
            "an expired code cannot be paid"
        );
        assert!(Paid.apply(Pay).is_err(), "nothing is paid twice");
        assert!(Collected.apply(Cancel).is_err());
    }

    #[test]
    fn final_and_active_states() {
        for s in [Collected, Expired, Cancelled, Rejected, NoShow, Uncollected] {
            assert!(s.is_final(), "{s}");
            assert!(!s.is_active(), "{s}");
        }
        for s in [
            Draft,
            AwaitingPayment,
            Paid,
            Interviewed,
            Approved,
            Printed,
            ReadyForPickup,
        ] {
            assert!(!s.is_final(), "{s}");
        }
        assert!(!Draft.is_active());
        assert!(AwaitingPayment.is_active() && ReadyForPickup.is_active());
    }
}
