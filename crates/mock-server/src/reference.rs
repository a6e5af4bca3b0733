//! Reference data the mock owns: offices and their daily windows, the
//! gazetteer, the fee table. Loaded from `data/*.json`, compiled in.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time, Weekday};
use mpaspor_domain::PassportType;
use mpaspor_domain::api::{Office, Place};
use mpaspor_domain::fees::FeeTable;
use mpaspor_domain::release::{Release, ReleaseRule};
use mpaspor_domain::schedule::TimeWindow;
use serde::Deserialize;
use std::sync::LazyLock;

/// An office as the data file has it: the served fields and its quota.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct OfficeRecord {
    #[serde(flatten)]
    pub served: Office,
    /// Places in each arrival window (for the ordinary passports).
    pub capacity_per_window: u32,
    /// When the office opens its places; every morning for the day a month
    /// ahead when the data names no rule.
    #[serde(default)]
    pub release: ReleaseRule,
}

impl OfficeRecord {
    pub fn to_office(&self, distance_km: Option<f64>) -> Office {
        Office {
            distance_km: distance_km.map(|d| (d * 10.0).round() / 10.0),
            ..self.served.clone()
        }
    }

    /// Places per window for the polycarbonate e-passport, which has its
    /// own, smaller quota (none where the office does not issue it).
    pub fn polycarbonate_per_window(&self) -> u32 {
        if self
            .served
            .passport_types
            .contains(&PassportType::ElektronikPolikarbonat)
        {
            (self.capacity_per_window / 10).max(2)
        } else {
            0
        }
    }

    /// The quota pools of the office's windows.
    pub fn pools(&self) -> Vec<Pool> {
        let mut pools = vec![Pool::General];
        if self.polycarbonate_per_window() > 0 {
            pools.push(Pool::Polycarbonate);
        }
        pools
    }

    /// The office's wall clock at an instant.
    pub fn local(&self, at: Timestamp) -> DateTime {
        at.to_zoned_datetime(self.served.zone.time_zone())
            .datetime()
    }

    /// The instant of the office's next release after `now`, and what it opens.
    pub fn next_release(&self, now: Timestamp) -> (Timestamp, Release) {
        let next = self.release.next_after(self.local(now));
        (
            self.served.zone.instant(next.at.date(), next.at.time()),
            next,
        )
    }

    /// The arrival windows the office opens on a day; none when it is closed.
    pub fn windows_on(&self, date: Date) -> Vec<TimeWindow> {
        if is_closed(date) {
            return Vec::new();
        }
        let w = |h1, m1, h2, m2| TimeWindow {
            start: Time::constant(h1, m1, 0, 0),
            end: Time::constant(h2, m2, 0, 0),
        };
        if date.weekday() == Weekday::Friday {
            // Friday prayers: a shorter morning and a later afternoon.
            vec![w(8, 0, 10, 0), w(10, 0, 11, 30), w(13, 30, 15, 0)]
        } else {
            vec![w(8, 0, 10, 0), w(10, 0, 12, 0), w(13, 0, 15, 0)]
        }
    }
}

/// A window's places are shared by the passport types of one pool: the
/// polycarbonate e-passport has its own, smaller pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Pool {
    General,
    Polycarbonate,
}

impl Pool {
    pub fn of(passport_type: PassportType) -> Pool {
        match passport_type {
            PassportType::ElektronikPolikarbonat => Pool::Polycarbonate,
            PassportType::Biasa | PassportType::Elektronik => Pool::General,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Pool::General => "general",
            Pool::Polycarbonate => "polikarbonat",
        }
    }

    pub fn parse(s: &str) -> Pool {
        match s {
            "polikarbonat" => Pool::Polycarbonate,
            _ => Pool::General,
        }
    }

    /// Places per window in this pool at an office.
    pub fn capacity(self, office: &OfficeRecord) -> u32 {
        match self {
            Pool::General => office.capacity_per_window,
            Pool::Polycarbonate => office.polycarbonate_per_window(),
        }
    }
}

/// Weekends and the fixed-date national holidays (New Year, Labour Day,
/// Pancasila Day, Independence Day, Christmas Eve leave and Christmas).
/// Holidays of the lunar calendars move each year and are left out.
pub fn is_closed(date: Date) -> bool {
    matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
        || matches!(
            (date.month(), date.day()),
            (1, 1) | (5, 1) | (6, 1) | (8, 17) | (12, 24) | (12, 25)
        )
}

pub static OFFICES: LazyLock<Vec<OfficeRecord>> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../data/offices.json")).expect("data/offices.json reads")
});

pub static PLACES: LazyLock<Vec<Place>> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../data/places.json")).expect("data/places.json reads")
});

pub static FEES: LazyLock<FeeTable> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../data/fees.json")).expect("data/fees.json reads")
});

pub fn office(id: &str) -> Option<&'static OfficeRecord> {
    OFFICES.iter().find(|o| o.served.id == id)
}

/// Great-circle distance in kilometres.
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    6371.0 * 2.0 * a.sqrt().asin()
}

/// The `n` offices nearest a point that `keep` lets through, with their
/// distance in km, nearest first.
pub fn nearest(
    (lat, lon): (f64, f64),
    n: usize,
    keep: impl Fn(&OfficeRecord) -> bool,
) -> Vec<(f64, &'static OfficeRecord)> {
    let mut found: Vec<(f64, &'static OfficeRecord)> = OFFICES
        .iter()
        .filter(|o| keep(o))
        .map(|o| (distance_km(lat, lon, o.served.lat, o.served.lon), o))
        .collect();
    found.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal));
    found.truncate(n);
    found
}

/// Reads `lat,lon`.
pub fn parse_point(s: &str) -> Option<(f64, f64)> {
    let (lat, lon) = s.split_once(',')?;
    let (lat, lon): (f64, f64) = (lat.trim().parse().ok()?, lon.trim().parse().ok()?);
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some((lat, lon))
}

/// A slot is named by office, day and window start: `kanim-bandung.20261203.0800`.
#[derive(Debug, Clone, PartialEq)]
pub struct SlotRef {
    pub office: &'static OfficeRecord,
    pub date: Date,
    pub window: TimeWindow,
}

impl SlotRef {
    pub fn id(&self) -> String {
        format!(
            "{}.{:04}{:02}{:02}.{:02}{:02}",
            self.office.served.id,
            self.date.year(),
            self.date.month(),
            self.date.day(),
            self.window.start.hour(),
            self.window.start.minute()
        )
    }

    /// The slot an id names, if the office opens that window that day.
    pub fn parse(id: &str) -> Option<SlotRef> {
        let mut parts = id.rsplitn(3, '.');
        let (hhmm, ymd, office_id) = (parts.next()?, parts.next()?, parts.next()?);
        let office = office(office_id)?;
        if ymd.len() != 8
            || hhmm.len() != 4
            || !ymd.bytes().chain(hhmm.bytes()).all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let date = Date::new(
            ymd[..4].parse().ok()?,
            ymd[4..6].parse().ok()?,
            ymd[6..].parse().ok()?,
        )
        .ok()?;
        let start = Time::new(hhmm[..2].parse().ok()?, hhmm[2..].parse().ok()?, 0, 0).ok()?;
        let window = office
            .windows_on(date)
            .into_iter()
            .find(|w| w.start == start)?;
        Some(SlotRef {
            office,
            date,
            window,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use mpaspor_domain::api::OfficeKind;
    use mpaspor_domain::schedule::OfficeZone;

    #[test]
    fn the_reference_data_is_real_and_complete() {
        assert!(OFFICES.len() >= 30);
        for zone in OfficeZone::ALL {
            assert!(
                OFFICES.iter().filter(|o| o.served.zone == zone).count() >= 5,
                "{zone:?}"
            );
        }
        for id in [
            "kanim-jakarta-selatan",
            "kanim-jakarta-pusat",
            "kanim-tangerang",
            "kanim-bandung",
            "kanim-surabaya",
            "kanim-denpasar",
            "kanim-makassar",
            "kanim-jayapura",
        ] {
            assert!(office(id).is_some(), "{id}");
        }
        for kind in OfficeKind::ALL {
            assert!(OFFICES.iter().any(|o| o.served.kind == *kind), "{kind}");
        }
        assert!(
            OFFICES
                .iter()
                .all(|o| o.served.passport_types.contains(&PassportType::Biasa))
        );
        assert!(PLACES.len() >= 50);
        assert_eq!(FEES.regulation, "PP 45/2024");
    }

    #[test]
    fn slot_ids_round_trip_and_refuse_closed_days() {
        let bandung = office("kanim-bandung").unwrap();
        let thursday = date(2026, 12, 3);
        let w = bandung.windows_on(thursday)[1];
        let slot = SlotRef {
            office: bandung,
            date: thursday,
            window: w,
        };
        assert_eq!(slot.id(), "kanim-bandung.20261203.1000");
        assert_eq!(SlotRef::parse(&slot.id()), Some(slot));
        assert_eq!(
            SlotRef::parse("kanim-bandung.20261205.0800"),
            None,
            "a Saturday"
        );
        assert_eq!(
            SlotRef::parse("kanim-bandung.20261225.0800"),
            None,
            "Christmas"
        );
        assert_eq!(
            SlotRef::parse("kanim-bandung.20261203.0900"),
            None,
            "no such window"
        );
        assert_eq!(SlotRef::parse("kanim-nowhere.20261203.0800"), None);
        assert_eq!(SlotRef::parse("../../etc/passwd"), None);
        assert_eq!(
            bandung.windows_on(date(2026, 12, 4))[1].end,
            Time::constant(11, 30, 0, 0)
        );
    }

    #[test]
    fn distances_and_points() {
        let d = distance_km(-6.2603, 106.8300, -6.8990, 107.6260);
        assert!(
            (d - 113.0).abs() < 10.0,
            "Jakarta to Bandung is about 113 km, got {d}"
        );
        assert_eq!(parse_point("-6.2,106.8"), Some((-6.2, 106.8)));
        assert_eq!(parse_point("91,0"), None);
        assert_eq!(parse_point("abc"), None);
    }
}
