//! Time at the office: its zone (WIB/WITA/WIT), arrival windows, and the
//! deadlines, judged against a time passed in (the server's clock).

use crate::state::ApplicationState;
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

/// Indonesia's three zones. None keeps daylight saving time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum OfficeZone {
    /// Western Indonesia, UTC+7 (Sumatra, Java, West and Central Kalimantan).
    #[serde(rename = "WIB")]
    Wib,
    /// Central Indonesia, UTC+8 (Bali, Nusa Tenggara, Sulawesi, South, East and North Kalimantan).
    #[serde(rename = "WITA")]
    Wita,
    /// Eastern Indonesia, UTC+9 (Maluku, Papua).
    #[serde(rename = "WIT")]
    Wit,
}

impl OfficeZone {
    pub const ALL: [OfficeZone; 3] = [OfficeZone::Wib, OfficeZone::Wita, OfficeZone::Wit];

    /// The abbreviation Indonesians read on clocks and tickets.
    pub fn label(self) -> &'static str {
        match self {
            OfficeZone::Wib => "WIB",
            OfficeZone::Wita => "WITA",
            OfficeZone::Wit => "WIT",
        }
    }

    pub fn iana_name(self) -> &'static str {
        match self {
            OfficeZone::Wib => "Asia/Jakarta",
            OfficeZone::Wita => "Asia/Makassar",
            OfficeZone::Wit => "Asia/Jayapura",
        }
    }

    pub fn time_zone(self) -> TimeZone {
        TimeZone::get(self.iana_name())
            .expect("the bundled time-zone database has Indonesia's zones")
    }

    /// The office's calendar date at an instant.
    pub fn local_date(self, at: Timestamp) -> Date {
        at.to_zoned_datetime(self.time_zone()).date()
    }

    /// The instant of a local date and time at the office.
    pub fn instant(self, date: Date, time: Time) -> Timestamp {
        date.to_datetime(time)
            .to_zoned_datetime(self.time_zone())
            .expect("Indonesian zones have no gaps")
            .timestamp()
    }

    /// "14:05 WITA" for an instant.
    pub fn clock(self, at: Timestamp) -> String {
        let t = at.to_zoned_datetime(self.time_zone()).time();
        format!("{:02}:{:02} {}", t.hour(), t.minute(), self.label())
    }
}

/// An arrival window at the office, in its local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimeWindow {
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "08:00"))]
    #[serde(with = "hh_mm")]
    pub start: Time,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "10:00"))]
    #[serde(with = "hh_mm")]
    pub end: Time,
}

impl TimeWindow {
    /// "08:00-10:00 WIB".
    pub fn show(&self, zone: OfficeZone) -> String {
        format!(
            "{:02}:{:02}-{:02}:{:02} {}",
            self.start.hour(),
            self.start.minute(),
            self.end.hour(),
            self.end.minute(),
            zone.label()
        )
    }
}

/// Windows travel as "HH:MM", as people write them.
pub(crate) mod hh_mm {
    use jiff::civil::Time;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(t: &Time, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("{:02}:{:02}", t.hour(), t.minute()))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Time, D::Error> {
        let s = String::deserialize(d)?;
        let bad = || D::Error::custom(format!("{s:?} is not a time of day as HH:MM"));
        let (h, m) = s.split_once(':').ok_or_else(bad)?;
        if h.len() != 2 || m.len() != 2 {
            return Err(bad());
        }
        let (h, m): (i8, i8) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
        Time::new(h, m, 0, 0).map_err(|_| bad())
    }
}

/// An unpaid billing code expires this long after it is issued.
pub const PAYMENT_WINDOW: SignedDuration = SignedDuration::from_hours(2);
/// A ready passport not collected within this many days is cancelled.
pub const PICKUP_DAYS: i32 = 30;

pub fn payment_deadline(issued: Timestamp) -> Timestamp {
    issued + PAYMENT_WINDOW
}

/// The last office-local date on which a passport ready on `ready_at` may be collected.
pub fn pickup_last_day(ready_at: Timestamp, zone: OfficeZone) -> Date {
    zone.local_date(ready_at) + jiff::Span::new().days(PICKUP_DAYS)
}

/// Why a reschedule is not allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum RescheduleRefusal {
    #[error("only a paid application can be rescheduled (this one is {state})")]
    NotPaid { state: ApplicationState },
    #[error("an application can be rescheduled only once")]
    AlreadyRescheduled,
    #[error("rescheduling closes the day before the appointment; the last day was {last_day}")]
    TooLate { last_day: Date },
    #[error("the new date must be after today ({today}) at the office")]
    NewDateNotAhead { today: Date },
}

/// The last office-local date on which an appointment can still be moved (H-1).
pub fn reschedule_last_day(appointment: Date) -> Date {
    appointment
        .yesterday()
        .expect("appointments are not at the start of time")
}

/// Whether the appointment may still be moved at all: once, after payment,
/// no later than the day before it (H-1, office local date).
pub fn can_reschedule(
    state: ApplicationState,
    reschedules_used: u32,
    appointment: Date,
    zone: OfficeZone,
    now: Timestamp,
) -> Result<(), RescheduleRefusal> {
    if state != ApplicationState::Paid {
        return Err(RescheduleRefusal::NotPaid { state });
    }
    if reschedules_used >= 1 {
        return Err(RescheduleRefusal::AlreadyRescheduled);
    }
    let last_day = reschedule_last_day(appointment);
    if zone.local_date(now) > last_day {
        return Err(RescheduleRefusal::TooLate { last_day });
    }
    Ok(())
}

/// [`can_reschedule`], and to a date after today at the office.
pub fn check_reschedule(
    state: ApplicationState,
    reschedules_used: u32,
    appointment: Date,
    new_date: Date,
    zone: OfficeZone,
    now: Timestamp,
) -> Result<(), RescheduleRefusal> {
    can_reschedule(state, reschedules_used, appointment, zone, now)?;
    let today = zone.local_date(now);
    if new_date <= today {
        return Err(RescheduleRefusal::NewDateNotAhead { today });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time};

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn the_three_zones_are_utc_plus_7_8_9() {
        let noon_utc = ts("2026-12-01T12:00:00Z");
        assert_eq!(OfficeZone::Wib.clock(noon_utc), "19:00 WIB");
        assert_eq!(OfficeZone::Wita.clock(noon_utc), "20:00 WITA");
        assert_eq!(OfficeZone::Wit.clock(noon_utc), "21:00 WIT");
        // 16:30 UTC is already the next day in Jayapura but not in Jakarta.
        let late = ts("2026-12-01T16:30:00Z");
        assert_eq!(OfficeZone::Wib.local_date(late), date(2026, 12, 1));
        assert_eq!(OfficeZone::Wit.local_date(late), date(2026, 12, 2));
        assert_eq!(
            OfficeZone::Wita.instant(date(2026, 12, 2), time(8, 0, 0, 0)),
            ts("2026-12-02T00:00:00Z")
        );
    }

    #[test]
    fn windows_read_and_show_as_hh_mm() {
        let w: TimeWindow = serde_json::from_str(r#"{"start":"08:00","end":"10:00"}"#).unwrap();
        assert_eq!(w.show(OfficeZone::Wita), "08:00-10:00 WITA");
        assert_eq!(
            serde_json::to_string(&w).unwrap(),
            r#"{"start":"08:00","end":"10:00"}"#
        );
        for bad in [
            r#"{"start":"8:00","end":"10:00"}"#,
            r#"{"start":"25:00","end":"10:00"}"#,
        ] {
            assert!(serde_json::from_str::<TimeWindow>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn payment_and_pickup_deadlines() {
        assert_eq!(
            payment_deadline(ts("2026-12-01T01:30:00Z")),
            ts("2026-12-01T03:30:00Z")
        );
        assert_eq!(
            pickup_last_day(ts("2026-12-01T16:30:00Z"), OfficeZone::Wit),
            date(2027, 1, 1)
        );
    }

    #[test]
    fn reschedule_once_after_payment_until_h_minus_1() {
        use ApplicationState::*;
        let appt = date(2026, 12, 10);
        let new = date(2026, 12, 15);
        let zone = OfficeZone::Wib;
        // 9 December, 23:59 in Jakarta: still H-1.
        let h1_late = ts("2026-12-09T16:59:00Z");
        assert_eq!(check_reschedule(Paid, 0, appt, new, zone, h1_late), Ok(()));
        // 10 December, 00:01 in Jakarta: too late, though still 9 December in UTC.
        let h0 = ts("2026-12-09T17:01:00Z");
        assert_eq!(
            check_reschedule(Paid, 0, appt, new, zone, h0),
            Err(RescheduleRefusal::TooLate {
                last_day: date(2026, 12, 9)
            })
        );
        // The same instant is already 10 December in Makassar: too late there, an hour earlier.
        let wita = ts("2026-12-09T16:30:00Z");
        assert!(check_reschedule(Paid, 0, appt, new, OfficeZone::Wita, wita).is_err());
        assert!(check_reschedule(Paid, 0, appt, new, OfficeZone::Wib, wita).is_ok());
        assert_eq!(
            check_reschedule(Paid, 1, appt, new, zone, h1_late),
            Err(RescheduleRefusal::AlreadyRescheduled)
        );
        assert_eq!(
            check_reschedule(AwaitingPayment, 0, appt, new, zone, h1_late),
            Err(RescheduleRefusal::NotPaid {
                state: AwaitingPayment
            })
        );
        assert_eq!(
            check_reschedule(Paid, 0, appt, date(2026, 12, 9), zone, h1_late),
            Err(RescheduleRefusal::NewDateNotAhead {
                today: date(2026, 12, 9)
            })
        );
    }
}
