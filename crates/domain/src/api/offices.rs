//! Offices, their quota, the fee table's route, the Dukcapil check and places.

use crate::choice::PassportType;
use crate::release::ReleaseRule;
use crate::schedule::{OfficeZone, TimeWindow};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

crate::choice::wire_enum! {
    /// Kantor Imigrasi, Unit Layanan Paspor, Unit Kerja Kantor, Mal Pelayanan Publik.
    OfficeKind { Kanim = "kanim", Ulp = "ulp", Ukk = "ukk", Mpp = "mpp" }
}

crate::choice::wire_enum! {
    /// What kind of walk-in day: the office's weekend service (Paspor
    /// Simpatik), an outreach visit elsewhere (Eazy Passport), or the
    /// everyday lane for those who need not book.
    WalkInKind {
        PasporSimpatik = "paspor_simpatik",
        EazyPassport = "eazy_passport",
        PriorityLane = "priority_lane",
    }
}

crate::choice::wire_enum! {
    /// Who may come to a walk-in day without a booked place.
    WalkInFor {
        Everyone = "everyone",
        Over60 = "over_60",
        Disabled = "disabled",
        Under5 = "under_5",
        Pregnant = "pregnant",
    }
}

/// `GET /v1/walk-ins`: a day an office takes applicants without a booked
/// place, first come, first served.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WalkInDay {
    pub office_id: crate::OfficeId,
    pub kind: WalkInKind,
    pub date: Date,
    pub window: TimeWindow,
    pub zone: OfficeZone,
    /// Where: the office itself, or the venue of an outreach visit.
    pub venue: String,
    pub who: Vec<WalkInFor>,
    pub passport_types: Vec<PassportType>,
    /// Places that day.
    pub places: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Office {
    /// A stable slug, e.g. `kanim-jakarta-selatan`.
    pub id: crate::OfficeId,
    pub name: String,
    pub kind: OfficeKind,
    pub address: String,
    pub city: String,
    pub province: String,
    pub lat: f64,
    pub lon: f64,
    pub zone: OfficeZone,
    pub passport_types: Vec<PassportType>,
    /// Offers same-day (percepatan) service.
    pub express: bool,
    /// With `?near=`: kilometres from that point.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance_km: Option<f64>,
}

/// `GET /v1/offices?near=lat,lon&q=&passport_type=`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct OfficeQuery {
    /// `lat,lon`: sort by distance from that point.
    #[cfg_attr(
        feature = "openapi",
        param(pattern = r"^-?[0-8]?[0-9](\.[0-9]{1,6})?,-?1?[0-7]?[0-9](\.[0-9]{1,6})?$")
    )]
    pub near: Option<String>,
    /// Words to find in the name, city or province.
    pub q: Option<String>,
    pub passport_type: Option<PassportType>,
}

/// One arrival window on one day, with its quota.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Slot {
    /// Names the office, the day and the window: what submit and reschedule take.
    pub id: crate::SlotId,
    pub date: Date,
    pub window: TimeWindow,
    /// The quota of the passport type asked for (`passport_type`), or of
    /// the ordinary passports when none was.
    pub capacity: u32,
    pub left: u32,
    /// Each passport type the office issues, with its quota: the
    /// polycarbonate e-passport has its own, smaller one, so a window can
    /// be full for it and open for the others.
    #[serde(default)]
    pub by_type: Vec<TypeQuota>,
}

/// A window's quota for one passport type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TypeQuota {
    pub passport_type: PassportType,
    pub capacity: u32,
    pub left: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlotDay {
    pub date: Date,
    /// No windows at all: the office is closed that day (weekend or holiday).
    pub open: bool,
    pub slots: Vec<Slot>,
    /// An open day whose places are not released yet: when they will be
    /// (its `slots` are empty until then; the day is not full).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opens_at: Option<Timestamp>,
}

/// `GET /v1/offices/{id}/slots?from=&days=&passport_type=`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfficeSlots {
    pub office_id: crate::OfficeId,
    pub zone: OfficeZone,
    pub days: Vec<SlotDay>,
    /// How and when the office releases its places.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release: Option<QuotaRelease>,
}

/// An office's quota release: its rule, the next release and what it opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuotaRelease {
    pub rule: ReleaseRule,
    /// The next release (show it in the office's zone).
    pub next_at: Timestamp,
    /// The days the next release opens.
    pub opens_from: Date,
    pub opens_through: Date,
    /// The last day whose places are open now.
    pub open_through: Date,
}

/// `GET /v1/slots/earliest`: a free window at one of the nearest offices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EarliestSlot {
    pub office: Office,
    pub slot: Slot,
}

/// `POST /v1/identity/nik-check`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NikCheckRequest {
    pub nik: String,
    pub full_name: String,
    pub birth_date: Date,
}

crate::choice::wire_enum! {
    /// Why Dukcapil did not confirm an identity: what the NIK's own digits
    /// say (malformed, or another birth date), or `no_match`, which is all
    /// the registry says (an unknown NIK and one whose name or birth date
    /// differ answer alike, so the check tells nobody who is registered).
    /// `unknown_nik` and `name_mismatch` are no longer sent.
    NikCheckFailure {
        Malformed = "malformed",
        UnknownNik = "unknown_nik",
        NameMismatch = "name_mismatch",
        BirthDateMismatch = "birth_date_mismatch",
        NoMatch = "no_match",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NikCheckResponse {
    pub valid: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<NikCheckFailure>,
    pub message: String,
}

crate::choice::wire_enum! {
    PlaceKind { City = "city", Regency = "regency" }
}

/// `GET /v1/places?q=`: a city or regency, for a typed address.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Place {
    pub name: String,
    pub kind: PlaceKind,
    pub province: String,
    pub lat: f64,
    pub lon: f64,
}
