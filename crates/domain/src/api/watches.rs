//! Watches (tell me when a place opens) and the account's change feed.

use crate::choice::{PassportType, Service};
use crate::schedule::{OfficeZone, TimeWindow};
use crate::{ApplicationId, OfficeId, SlotId, WatchId};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Active watches one person (one NIK) may have, across every account.
pub const MAX_WATCHES_PER_NIK: usize = 3;
/// Offices one watch may name.
pub const MAX_WATCH_OFFICES: usize = 5;
/// When a watch names a place instead of offices: this many of the nearest.
pub const NEAREST_WATCHED: usize = 3;
/// How long `GET /v1/events` may hold a request open, in seconds.
pub const MAX_FEED_WAIT: u64 = 30;

/// `POST /v1/watches`: tell me when a place opens for this draft. The
/// passport type and service are the draft's; its NIK binds the watch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WatchRequest {
    pub application_id: ApplicationId,
    /// The offices to watch (1 to 5); or leave empty and give `near`.
    #[serde(default)]
    pub offices: Vec<OfficeId>,
    /// `lat,lon`: watch the three offices nearest it that can serve the draft.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub near: Option<String>,
    /// The first and last office-local day that would do.
    pub from: Date,
    pub to: Date,
}

/// A standing watch, with the last place it found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Watch {
    pub id: WatchId,
    pub application_id: ApplicationId,
    pub offices: Vec<OfficeId>,
    pub from: Date,
    pub to: Date,
    pub passport_type: PassportType,
    pub service: Service,
    pub created_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_match: Option<PlaceOpened>,
}

/// A place that opened and fits a watch. The watch tells, it does not
/// hold: whoever books first has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlaceOpened {
    pub watch_id: WatchId,
    pub application_id: ApplicationId,
    pub office_id: OfficeId,
    pub office_name: String,
    pub slot_id: SlotId,
    pub date: Date,
    pub window: TimeWindow,
    pub zone: OfficeZone,
    pub passport_type: PassportType,
    /// Places left in that window for the watch's passport type when it was found.
    pub left: u32,
    pub at: Timestamp,
}

crate::choice::wire_enum! {
    /// What an event in the feed says.
    FeedKind {
        /// A place fitting a watch opened (`place_opened`).
        PlaceOpened = "place_opened",
        /// One of the account's applications moved to another state
        /// (`application_changed`): paid, expired, interviewed, ready...
        ApplicationChanged = "application_changed",
        /// The office asked for a correction, or one was fixed or lapsed
        /// (`correction`).
        Correction = "correction",
    }
}

/// An application of the account that moved to another state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicationChanged {
    pub application_id: ApplicationId,
    pub state: crate::ApplicationState,
}

/// One event for the account, numbered in the order it happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeedEvent {
    /// Increases with every event; give the last one seen as `after`.
    pub seq: u64,
    pub at: Timestamp,
    pub kind: FeedKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place_opened: Option<PlaceOpened>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_changed: Option<ApplicationChanged>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correction: Option<crate::api::Correction>,
}

/// `GET /v1/events?after=&wait=`: the events after a cursor, oldest first.
/// With `wait`, an answer with none comes only after that many seconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeedPage {
    pub events: Vec<FeedEvent>,
    /// Where to go on from: the last event's `seq`, or `after` when there were none.
    pub cursor: u64,
}
