//! Walk-in days the mock owns and serves: each office's everyday lane for
//! those who need not book (over 60, with a disability, under 5, pregnant),
//! Paspor Simpatik on the first and third Saturday at a few offices in each
//! time zone, and an Eazy Passport outreach visit at two of them. Made from
//! the date, so they are always ahead of the mock's clock.

use crate::reference::OfficeRecord;
use jiff::Span;
use jiff::civil::{Date, Time, Weekday};
use mpaspor_domain::api::{WalkInDay, WalkInFor, WalkInKind};
use mpaspor_domain::schedule::TimeWindow;

/// Offices with weekend days, in each of the three zones.
const SIMPATIK: &[&str] = &[
    "kanim-jakarta-selatan",
    "kanim-bandung",
    "kanim-denpasar",
    "kanim-makassar",
    "kanim-jayapura",
];

/// Outreach visits: the office and the venue.
const OUTREACH: &[(&str, &str, i64)] = &[
    (
        "kanim-jakarta-selatan",
        "Mal Kota Kasablanka, Atrium Utama",
        9,
    ),
    ("kanim-denpasar", "Universitas Udayana, Kampus Jimbaran", 12),
];

fn window(h1: i8, h2: i8) -> TimeWindow {
    TimeWindow {
        start: Time::constant(h1, 0, 0, 0),
        end: Time::constant(h2, 0, 0, 0),
    }
}

fn day(office: &OfficeRecord, kind: WalkInKind, date: Date, hours: (i8, i8)) -> WalkInDay {
    let (who, places, venue) = match kind {
        WalkInKind::PriorityLane => (
            vec![
                WalkInFor::Over60,
                WalkInFor::Disabled,
                WalkInFor::Under5,
                WalkInFor::Pregnant,
            ],
            20,
            office.served.name.clone(),
        ),
        WalkInKind::PasporSimpatik => (vec![WalkInFor::Everyone], 150, office.served.name.clone()),
        WalkInKind::EazyPassport => (vec![WalkInFor::Everyone], 80, String::new()),
    };
    WalkInDay {
        office_id: office.served.id.clone(),
        kind,
        date,
        window: window(hours.0, hours.1),
        zone: office.served.zone,
        venue,
        who,
        passport_types: office.served.passport_types.clone(),
        places,
    }
}

/// The walk-in days of `office` from `from` for `days` days.
pub fn of_office(office: &OfficeRecord, from: Date, days: i64) -> Vec<WalkInDay> {
    let id = office.served.id.as_str();
    let mut out = Vec::new();
    for n in 0..days {
        let date = from + Span::new().days(n);
        if !office.windows_on(date).is_empty() {
            out.push(day(office, WalkInKind::PriorityLane, date, (8, 10)));
        }
        let first_or_third = matches!((date.day() - 1) / 7, 0 | 2);
        if date.weekday() == Weekday::Saturday && first_or_third && SIMPATIK.contains(&id) {
            out.push(day(office, WalkInKind::PasporSimpatik, date, (8, 12)));
        }
    }
    // An outreach visit some days ahead, at its venue.
    for (at, venue, ahead) in OUTREACH {
        if *at == id && *ahead < days {
            let mut visit = day(
                office,
                WalkInKind::EazyPassport,
                from + Span::new().days(*ahead),
                (9, 15),
            );
            visit.venue = (*venue).to_owned();
            visit
                .passport_types
                .retain(|t| *t != mpaspor_domain::PassportType::Biasa);
            out.push(visit);
        }
    }
    out
}

/// The walk-in days of the given offices, soonest first.
pub fn of_offices<'a>(
    offices: impl IntoIterator<Item = &'a OfficeRecord>,
    today: impl Fn(&OfficeRecord) -> Date,
    days: i64,
) -> Vec<WalkInDay> {
    let mut all: Vec<WalkInDay> = offices
        .into_iter()
        .flat_map(|o| of_office(o, today(o), days))
        .collect();
    all.sort_by_key(|d| (d.date, d.window.start));
    all
}
