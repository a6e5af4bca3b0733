//! Bodies of the mock's tester routes.

use crate::api::applicants::TravelDocument;
use crate::choice::{MaritalStatus, Sex};
use crate::ids::{BillingCode, Ntpn};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// An email the mock "sent" (`GET /tester/outbox?email=`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutboxEmail {
    pub to: String,
    pub subject: String,
    pub body: String,
    /// The OTP the email carries, for tests to read.
    pub otp: Option<String>,
    pub sent_at: Timestamp,
}

/// `POST /tester/payments`: pay a billing code as a bank would.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TesterPaymentRequest {
    pub billing_code: BillingCode,
    /// false: the treasury records it but immigration is not told ("paid but still pending").
    #[serde(default = "yes")]
    pub notify: bool,
    /// e.g. "BNI mobile", "Indomaret".
    #[serde(default)]
    pub channel: Option<String>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TesterPayment {
    pub billing_code: BillingCode,
    pub ntpn: Ntpn,
    pub paid_at: Timestamp,
    pub notified: bool,
}

crate::choice::wire_enum! {
    /// Where `POST /tester/applications/{id}/advance` moves an application.
    AdvanceTo {
        Interviewed = "interviewed",
        Approved = "approved",
        Rejected = "rejected",
        Printed = "printed",
        Ready = "ready",
        Collected = "collected",
        NoShow = "no_show",
        Uncollected = "uncollected",
        /// Cancelled by the office (the applicant asked at the counter, or
        /// by phone): the place is released at once.
        Cancelled = "cancelled",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdvanceRequest {
    pub to: AdvanceTo,
}

/// `POST /tester/citizens`: a person in the Dukcapil registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Citizen {
    pub nik: String,
    pub full_name: String,
    pub birth_place: String,
    pub birth_date: Date,
    pub sex: Sex,
    pub marital_status: MaritalStatus,
    pub address: String,
    #[serde(default)]
    pub mother_name: Option<String>,
    #[serde(default)]
    pub passports: Vec<TravelDocument>,
    /// The family card (KK) number the person is on: 16 digits. Absent, the
    /// person is on a card of their own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(pattern = r"^[0-9]{16}$"))]
    pub family_card: Option<String>,
}

impl Citizen {
    /// The draft's fields the civil registry knows for this person, as a
    /// draft keeps them (what "fill in from a sample person" saves).
    pub fn draft_fields(&self) -> Vec<(crate::DraftField, serde_json::Value)> {
        use crate::DraftField;
        use serde_json::json;
        vec![
            (DraftField::Nik, json!(self.nik)),
            (DraftField::FullName, json!(self.full_name)),
            (DraftField::BirthPlace, json!(self.birth_place)),
            (DraftField::BirthDate, json!(self.birth_date)),
            (DraftField::Sex, json!(self.sex)),
            (DraftField::Address, json!(self.address)),
            (DraftField::MaritalStatus, json!(self.marital_status)),
            (DraftField::MotherName, json!(self.mother_name)),
        ]
    }
}

/// `POST /tester/clock`: move the mock's clock forward, or set it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClockRequest {
    #[serde(default)]
    pub advance_seconds: Option<i64>,
    #[serde(default)]
    pub set: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClockState {
    pub now: Timestamp,
    /// How far the mock's clock is ahead of the real one.
    pub offset_seconds: i64,
}

/// An active fault rule, as listed by `GET /tester/faults`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActiveFault {
    pub id: u64,
    #[serde(flatten)]
    pub rule: FaultRule,
    /// How many requests it has hit so far.
    pub hits: u64,
}

/// `POST /tester/faults`: what goes wrong on requests whose path matches `route`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct FaultRule {
    /// A path pattern: `*` matches one segment, a trailing `/**` any rest.
    pub route: String,
    /// Only this method, or any when absent.
    pub method: Option<String>,
    pub latency_ms: u64,
    /// 0.0 to 1.0: the share of requests answered 503 `injected_fault`.
    pub error_rate: f64,
    /// With `error_rate`: answer this status instead of 503.
    pub status: Option<u16>,
    /// Close the connection without answering.
    pub drop_connection: bool,
    /// Do the work, commit it, then close without answering.
    pub drop_after_commit: bool,
    /// Apply to this many matching requests, then stop.
    pub times: Option<u32>,
    /// 0.0 to 1.0: apply to this share of matching requests (all when
    /// absent); the others go on to the next matching rule.
    pub share: Option<f64>,
}

/// `POST /tester/seed`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SeedRequest {
    pub scenario: String,
}

/// One request as the journal keeps it (`GET /tester/requests`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JournalEntry {
    pub id: u64,
    pub method: String,
    pub path: String,
    pub status: u16,
    pub at: Timestamp,
    pub latency_ms: u64,
    pub idempotency_key: Option<String>,
    pub injected_fault: bool,
    /// Which fault: `latency`, `error`, `drop_connection`, `drop_after_commit`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fault: Option<String>,
}

/// `GET /tester/requests/totals`: every request since the last reset,
/// counted without the journal's bound.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestTotals {
    pub requests: u64,
    /// Answers by status code (`"200"`, `"503"`, ...).
    pub by_status: std::collections::BTreeMap<String, u64>,
    /// Requests a fault rule changed (latency included).
    pub injected: u64,
    /// The changed ones by fault: `latency`, `error`, `drop_connection`, `drop_after_commit`.
    pub by_fault: std::collections::BTreeMap<String, u64>,
    /// 5xx answers no fault rule made: each one a bug in the mock.
    pub server_errors_not_injected: u64,
}

/// What `POST /tester/seed` set up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SeedReport {
    pub scenario: String,
    /// What the scenario made, in words.
    pub description: String,
    /// Credentials of an account the scenario made, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// When the scenario's places appear (quota release).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_at: Option<Timestamp>,
    /// An application the scenario made (quota release: one holding a
    /// place, for a tester to cancel).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_id: Option<crate::ApplicationId>,
}

/// `POST /tester/desk/lookup`: a proof as the office's desk scanned or
/// pasted it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeskLookupRequest {
    #[cfg_attr(feature = "openapi", schema(max_length = 2048))]
    pub qr_payload: String,
}

/// What the desk shows an officer: what the proof is worth now, and the
/// application it names, whole (the desk is behind the tester token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeskLookup {
    pub verdict: crate::proof::ProofVerdict,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim: Option<crate::proof::ProofClaim>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application: Option<crate::api::Application>,
}

/// A header as the journal keeps it (credentials as `***`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CapturedHeader {
    pub name: String,
    pub value: String,
}

/// One side of a request as the journal keeps it: its headers, and its
/// JSON body with personal and secret values masked (`***`), or a note of
/// what it was when it is not kept (an image, too large, not JSON).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CapturedMessage {
    pub headers: Vec<CapturedHeader>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `GET /tester/requests/{id}`: one journaled request with what was sent
/// and answered (kept for the latest 200 requests).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestDetail {
    pub entry: JournalEntry,
    pub request: CapturedMessage,
    pub response: CapturedMessage,
}
