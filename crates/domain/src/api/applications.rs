//! Applications: the draft, documents, submit, payment, changes and the receipt.

use crate::choice::{
    ApplicantKind, MaritalStatus, PassportType, Purpose, ReplacementReason, Service, Sex, Validity,
};
use crate::eligibility::DocumentKind;
use crate::fees::FeeQuote;
use crate::ids::{BillingCode, Ntpn, PassportNumber};
use crate::money::Rupiah;
use crate::schedule::{OfficeZone, TimeWindow};
use crate::state::ApplicationState;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmergencyContact {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub relationship: Option<String>,
}

/// The personal data, as on the e-KTP. Every field may be empty in a draft.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct PersonalData {
    pub nik: Option<String>,
    pub full_name: Option<String>,
    pub sex: Option<Sex>,
    pub birth_place: Option<String>,
    pub birth_date: Option<Date>,
    pub address: Option<String>,
    pub marital_status: Option<MaritalStatus>,
    pub occupation: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub mother_name: Option<String>,
    pub father_name: Option<String>,
    pub emergency_contact: EmergencyContact,
}

/// A passport being replaced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Replacement {
    pub reason: ReplacementReason,
    pub old_passport_number: Option<PassportNumber>,
    /// Lost or damaged by force majeure (disaster): no charge for it.
    #[serde(default)]
    pub force_majeure: bool,
}

/// What the applicant has chosen and typed so far: the body of
/// `POST /v1/applications` and `PUT /v1/applications/{id}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ApplicationDraft {
    pub applicant_id: crate::ApplicantId,
    pub service: Option<Service>,
    pub applicant_kind: Option<ApplicantKind>,
    /// None: a first passport.
    pub replacement: Option<Replacement>,
    pub office_id: Option<crate::OfficeId>,
    pub passport_type: Option<PassportType>,
    pub validity: Option<Validity>,
    pub purpose: Option<Purpose>,
    pub name_changed: bool,
    pub personal: PersonalData,
}

/// A stored document image (`PUT /v1/applications/{id}/documents/{kind}` answers it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentInfo {
    pub kind: DocumentKind,
    pub media_type: String,
    pub bytes: u64,
    pub width: u32,
    pub height: u32,
    /// Hex SHA-256 of the bytes as stored.
    pub sha256: String,
    pub uploaded_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Appointment {
    pub slot_id: crate::SlotId,
    pub office_id: crate::OfficeId,
    pub date: Date,
    pub window: TimeWindow,
    pub zone: OfficeZone,
}

crate::choice::wire_enum! {
    /// What happened when an application stayed in its state.
    TimelineEvent {
        /// The appointment moved to another window.
        Rescheduled = "rescheduled",
        /// The applicant came to the counter (the office's desk).
        CheckedIn = "checked_in",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimelineEntry {
    pub state: ApplicationState,
    pub at: Timestamp,
    /// Set when the entry is not a move to `state` but something that
    /// happened in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<TimelineEvent>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// An application as the server holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Application {
    pub id: crate::ApplicationId,
    /// Sent back as `If-Match` to update.
    pub version: u64,
    pub state: ApplicationState,
    pub draft: ApplicationDraft,
    pub documents: Vec<DocumentInfo>,
    pub appointment: Option<Appointment>,
    pub fee: Option<FeeQuote>,
    pub reschedules_used: u32,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub timeline: Vec<TimelineEntry>,
    /// What the office asked to be fixed, oldest first (open ones, and the
    /// settled ones for the record).
    #[serde(default)]
    pub corrections: Vec<crate::api::Correction>,
}

impl Application {
    /// The corrections still waiting for the applicant.
    pub fn open_corrections(&self) -> impl Iterator<Item = &crate::api::Correction> {
        self.corrections.iter().filter(|c| c.is_open())
    }
}

/// `POST /v1/applications/{id}/submit`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubmitRequest {
    pub slot_id: crate::SlotId,
    /// The applicant declares the data true; submit is refused without it.
    pub declaration_accepted: bool,
}

/// What submit answers: the application with its held place, and the billing code to pay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubmitResponse {
    pub application: Application,
    pub payment: Payment,
}

/// `GET /v1/applications/{id}/payment`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Payment {
    pub billing_code: BillingCode,
    pub amount: Rupiah,
    pub issued_at: Timestamp,
    /// Two hours after issue, by the server's clock.
    pub expires_at: Timestamp,
    pub paid: bool,
    pub paid_at: Option<Timestamp>,
    pub ntpn: Option<Ntpn>,
    pub state: ApplicationState,
}

/// `POST /v1/applications/{id}/payment/confirm`: the NTPN from the bank receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentConfirmRequest {
    pub ntpn: String,
}

/// `POST /v1/applications/{id}/reschedule`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RescheduleRequest {
    pub slot_id: crate::SlotId,
}

/// `POST /v1/applications/{id}/cancel`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CancelRequest {
    /// After payment the fee is forfeited: the applicant must say they know.
    #[serde(default)]
    pub accept_forfeit: bool,
}

/// What the proof of application shows and the QR code carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReceiptDetails {
    pub application_id: crate::ApplicationId,
    pub applicant_name: String,
    pub nik_last4: String,
    pub office_id: crate::OfficeId,
    pub office_name: String,
    pub office_address: String,
    pub date: Date,
    pub window: TimeWindow,
    pub zone: OfficeZone,
    pub service: Service,
    pub passport_type: PassportType,
    pub ntpn: Ntpn,
    /// The originals to bring to the office.
    pub originals: Vec<DocumentKind>,
    pub issued_at: Timestamp,
    /// The appointment this proof is for (a reschedule makes another).
    /// Absent in a proof kept by an older build: it is fetched again.
    #[serde(default)]
    pub slot_id: crate::SlotId,
    /// The end of that appointment's window: the proof is no use after it.
    #[serde(default)]
    pub valid_until: Timestamp,
}

/// `GET /v1/applications/{id}/receipt`: what the proof shows, and its QR
/// code's payload: `MPASPOR1.<base64url of a ProofClaim's JSON>.<base64url
/// of the ed25519 signature>` (see `proof`; nothing personal in it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Receipt {
    pub details: ReceiptDetails,
    pub qr_payload: String,
    pub key_id: String,
}

/// `GET /v1/receipt-key`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReceiptKey {
    pub algorithm: String,
    pub key_id: String,
    /// base64url (no padding) of the 32-byte public key.
    pub public_key: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_draft_is_valid_json_both_ways() {
        let d: ApplicationDraft = serde_json::from_str(r#"{"applicant_id":"ap_1"}"#).unwrap();
        assert_eq!(d.applicant_id, "ap_1");
        assert_eq!(d.personal, PersonalData::default());
        let json = serde_json::to_string(&d).unwrap();
        assert_eq!(serde_json::from_str::<ApplicationDraft>(&json).unwrap(), d);
    }

    #[test]
    fn a_bad_choice_in_a_draft_is_refused() {
        let bad = r#"{"applicant_id":"ap_1","passport_type":"hologram"}"#;
        assert!(serde_json::from_str::<ApplicationDraft>(bad).is_err());
        let bad = r#"{"applicant_id":"ap_1","replacement":{"reason":"lost","old_passport_number":"123"}}"#;
        assert!(serde_json::from_str::<ApplicationDraft>(bad).is_err());
    }
}
