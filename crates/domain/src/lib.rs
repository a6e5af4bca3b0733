//! The rules of applying for an Indonesian passport, and the wire types the
//! app and the mock server exchange. Nothing here does I/O; every judgement
//! of time takes the time as an argument (the server's clock).

pub mod api;
pub mod choice;
pub mod draft;
pub mod eligibility;
pub mod fees;
pub mod ids;
pub mod limits;
pub mod money;
pub mod nik;
pub mod office;
pub mod proof;
pub mod release;
pub mod reminders;
pub mod schedule;
pub mod state;

pub use choice::{
    ApplicantKind, Language, MaritalStatus, PassportType, Purpose, ReplacementReason, Service, Sex,
    Validity,
};
pub use draft::{DraftField, Lack, Step};
pub use eligibility::{DocumentKind, DocumentRequirement, RequiredDocuments};
pub use fees::{FeeChoice, FeeLine, FeeQuote, FeeTable};
pub use ids::{
    ApplicantId, ApplicationId, BillingCode, DraftId, Ntpn, OfficeId, PassportNumber, SlotId,
    WatchId,
};
pub use money::Rupiah;
pub use nik::{Nik, NikError};
pub use office::OfficeRefusal;
pub use schedule::{OfficeZone, RescheduleRefusal};
pub use state::{ApplicationState, Transition};
