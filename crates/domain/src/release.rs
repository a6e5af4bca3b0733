//! When an office opens its places. Each office releases its quota at fixed
//! local times by its own rule (every morning the day a month ahead; every
//! Friday at 09:00 the week after next; twice a month; on the month's last
//! working day the whole next month). A day's places can be booked only
//! once its release has come; until then the day is not full, it is not
//! open yet, and the app says when it opens instead of "penuh".

use crate::schedule::hh_mm;
use jiff::Span;
use jiff::civil::{Date, DateTime, Time, Weekday};
use serde::{Deserialize, Serialize};

crate::choice::wire_enum! {
    /// A day of the week, as a release rule names it.
    ReleaseWeekday {
        Monday = "monday",
        Tuesday = "tuesday",
        Wednesday = "wednesday",
        Thursday = "thursday",
        Friday = "friday",
        Saturday = "saturday",
        Sunday = "sunday",
    }
}

impl ReleaseWeekday {
    pub fn weekday(self) -> Weekday {
        match self {
            ReleaseWeekday::Monday => Weekday::Monday,
            ReleaseWeekday::Tuesday => Weekday::Tuesday,
            ReleaseWeekday::Wednesday => Weekday::Wednesday,
            ReleaseWeekday::Thursday => Weekday::Thursday,
            ReleaseWeekday::Friday => Weekday::Friday,
            ReleaseWeekday::Saturday => Weekday::Saturday,
            ReleaseWeekday::Sunday => Weekday::Sunday,
        }
    }
}

/// How an office releases its places; times are the office's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "every", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ReleaseRule {
    /// Every day at `at`, the day `days_ahead` days later opens.
    Day {
        #[cfg_attr(feature = "openapi", schema(value_type = String, example = "07:00"))]
        #[serde(with = "hh_mm")]
        at: Time,
        days_ahead: u8,
    },
    /// Every week on `weekday` at `at`, the week (Monday to Sunday)
    /// `weeks_ahead` weeks after the release's own week opens.
    Week {
        weekday: ReleaseWeekday,
        #[cfg_attr(feature = "openapi", schema(value_type = String, example = "09:00"))]
        #[serde(with = "hh_mm")]
        at: Time,
        weeks_ahead: u8,
    },
    /// On the 1st at `at` the 16th to the month's end opens; on the 16th,
    /// the 1st to the 15th of the next month.
    HalfMonth {
        #[cfg_attr(feature = "openapi", schema(value_type = String, example = "10:00"))]
        #[serde(with = "hh_mm")]
        at: Time,
    },
    /// On the month's last working day (Monday to Friday) at `at`, the
    /// whole next month opens.
    MonthEnd {
        #[cfg_attr(feature = "openapi", schema(value_type = String, example = "09:00"))]
        #[serde(with = "hh_mm")]
        at: Time,
    },
}

impl Default for ReleaseRule {
    /// Every morning at 07:00, the day 30 days ahead.
    fn default() -> Self {
        ReleaseRule::Day {
            at: Time::constant(7, 0, 0, 0),
            days_ahead: 30,
        }
    }
}

/// One release: when (office-local) and the days it opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Release {
    pub at: DateTime,
    pub from: Date,
    pub through: Date,
}

fn plus(date: Date, days: i64) -> Date {
    date.checked_add(Span::new().days(days)).unwrap_or(date)
}

fn monday_of(date: Date) -> Date {
    plus(date, -i64::from(date.weekday().to_monday_zero_offset()))
}

fn next_month(date: Date) -> Date {
    plus(date.last_of_month(), 1)
}

fn last_working_day(month: Date) -> Date {
    let mut day = month.last_of_month();
    while matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday) {
        day = plus(day, -1);
    }
    day
}

fn sixteenth(month: Date) -> Date {
    month
        .first_of_month()
        .with()
        .day(16)
        .build()
        .unwrap_or(month)
}

impl ReleaseRule {
    /// The local time of day of each release.
    pub fn time(&self) -> Time {
        match *self {
            ReleaseRule::Day { at, .. }
            | ReleaseRule::Week { at, .. }
            | ReleaseRule::HalfMonth { at }
            | ReleaseRule::MonthEnd { at } => at,
        }
    }

    /// When `date`'s places open, office-local.
    pub fn opens_at(&self, date: Date) -> DateTime {
        let day = match *self {
            ReleaseRule::Day { days_ahead, .. } => plus(date, -i64::from(days_ahead)),
            ReleaseRule::Week {
                weekday,
                weeks_ahead,
                ..
            } => plus(
                monday_of(date),
                i64::from(weekday.weekday().to_monday_zero_offset()) - 7 * i64::from(weeks_ahead),
            ),
            ReleaseRule::HalfMonth { .. } if date.day() >= 16 => date.first_of_month(),
            ReleaseRule::HalfMonth { .. } => sixteenth(plus(date.first_of_month(), -1)),
            ReleaseRule::MonthEnd { .. } => last_working_day(plus(date.first_of_month(), -1)),
        };
        day.to_datetime(self.time())
    }

    /// The first release strictly after `after` (office-local).
    pub fn next_after(&self, after: DateTime) -> Release {
        let at = self.time();
        let today = after.date();
        let first_after = |days: &mut dyn Iterator<Item = Date>| {
            days.map(|d| d.to_datetime(at))
                .find(|t| *t > after)
                .unwrap_or(after)
        };
        match *self {
            ReleaseRule::Day { days_ahead, .. } => {
                let at = first_after(&mut (0..2).map(|i| plus(today, i)));
                let opens = plus(at.date(), i64::from(days_ahead));
                Release {
                    at,
                    from: opens,
                    through: opens,
                }
            }
            ReleaseRule::Week {
                weekday,
                weeks_ahead,
                ..
            } => {
                let at = first_after(
                    &mut (0..8)
                        .map(|i| plus(today, i))
                        .filter(|d| d.weekday() == weekday.weekday()),
                );
                let from = plus(monday_of(at.date()), 7 * i64::from(weeks_ahead));
                Release {
                    at,
                    from,
                    through: plus(from, 6),
                }
            }
            ReleaseRule::HalfMonth { .. } => {
                let next = next_month(today);
                let at = first_after(
                    &mut [
                        today.first_of_month(),
                        sixteenth(today),
                        next,
                        sixteenth(next),
                    ]
                    .into_iter(),
                );
                let (from, through) = if at.date().day() == 1 {
                    (sixteenth(at.date()), at.date().last_of_month())
                } else {
                    let month = next_month(at.date());
                    (month, plus(sixteenth(month), -1))
                };
                Release { at, from, through }
            }
            ReleaseRule::MonthEnd { .. } => {
                let at = first_after(
                    &mut [last_working_day(today), last_working_day(next_month(today))].into_iter(),
                );
                let from = next_month(at.date());
                Release {
                    at,
                    from,
                    through: from.last_of_month(),
                }
            }
        }
    }

    /// The releases after `after` up to and including `until`, oldest first.
    pub fn between(&self, after: DateTime, until: DateTime) -> Vec<Release> {
        let mut found = Vec::new();
        let mut from = after;
        // A day's rule over the mock clock's furthest jump is a few thousand.
        while found.len() < 4000 {
            let release = self.next_after(from);
            if release.at > until || release.at <= from {
                break;
            }
            from = release.at;
            found.push(release);
        }
        found
    }

    /// The last day whose places are open at `now` (office-local).
    pub fn open_through(&self, now: DateTime) -> Date {
        plus(self.next_after(now).from, -1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time};
    use proptest::prelude::*;

    const NINE: Time = Time::constant(9, 0, 0, 0);

    fn rules() -> [ReleaseRule; 4] {
        [
            ReleaseRule::default(),
            ReleaseRule::Week {
                weekday: ReleaseWeekday::Friday,
                at: NINE,
                weeks_ahead: 2,
            },
            ReleaseRule::HalfMonth {
                at: Time::constant(10, 0, 0, 0),
            },
            ReleaseRule::MonthEnd { at: NINE },
        ]
    }

    #[test]
    fn a_friday_release_opens_the_week_after_next() {
        let rule = rules()[1];
        // Monday 7 December 2026, noon: the next release is Friday the 11th at 09:00.
        let r = rule.next_after(date(2026, 12, 7).to_datetime(time(12, 0, 0, 0)));
        assert_eq!(r.at, date(2026, 12, 11).to_datetime(NINE));
        assert_eq!(
            (r.from, r.through),
            (date(2026, 12, 21), date(2026, 12, 27))
        );
        assert_eq!(rule.opens_at(date(2026, 12, 24)), r.at);
        // A minute before it, the open days end on Sunday the 20th; a minute after, the 27th.
        let before = r.at.checked_sub(Span::new().minutes(1)).unwrap();
        assert_eq!(rule.open_through(before), date(2026, 12, 20));
        assert_eq!(rule.open_through(r.at), date(2026, 12, 27));
    }

    #[test]
    fn the_other_rules_open_what_they_say() {
        let [day, _, half, month_end] = rules();
        let noon = date(2026, 12, 7).to_datetime(time(12, 0, 0, 0));
        let r = day.next_after(noon);
        assert_eq!(r.at, date(2026, 12, 8).to_datetime(time(7, 0, 0, 0)));
        assert_eq!((r.from, r.through), (date(2027, 1, 7), date(2027, 1, 7)));
        let r = half.next_after(noon);
        assert_eq!(r.at, date(2026, 12, 16).to_datetime(time(10, 0, 0, 0)));
        assert_eq!((r.from, r.through), (date(2027, 1, 1), date(2027, 1, 15)));
        let r = half.next_after(r.at);
        assert_eq!(r.at, date(2027, 1, 1).to_datetime(time(10, 0, 0, 0)));
        assert_eq!((r.from, r.through), (date(2027, 1, 16), date(2027, 1, 31)));
        // 31 January 2027 is a Sunday: the last working day is Friday the 29th.
        let r = month_end.next_after(date(2027, 1, 2).to_datetime(NINE));
        assert_eq!(r.at, date(2027, 1, 29).to_datetime(NINE));
        assert_eq!((r.from, r.through), (date(2027, 2, 1), date(2027, 2, 28)));
        assert_eq!(
            month_end
                .between(noon, date(2027, 3, 1).to_datetime(NINE))
                .len(),
            3,
            "December, January and February's last working days"
        );
    }

    #[test]
    fn rules_read_as_the_data_files_write_them() {
        let rule: ReleaseRule = serde_json::from_str(
            r#"{"every": "week", "weekday": "friday", "at": "09:00", "weeks_ahead": 2}"#,
        )
        .unwrap();
        assert_eq!(rule, rules()[1]);
        let back = serde_json::to_value(rules()[3]).unwrap();
        assert_eq!(
            back,
            serde_json::json!({"every": "month_end", "at": "09:00"})
        );
        assert!(serde_json::from_str::<ReleaseRule>(r#"{"every": "hour"}"#).is_err());
    }

    proptest! {
        #[test]
        fn a_day_is_open_exactly_when_its_release_has_come(
            rule in 0usize..4, day in 0i64..800, offset in -60i64..90, minute in 0i64..1440,
        ) {
            let rule = rules()[rule];
            let now = date(2026, 1, 1)
                .to_datetime(Time::midnight())
                .checked_add(Span::new().days(day).minutes(minute))
                .unwrap();
            let asked = plus(now.date(), offset);
            prop_assert_eq!(rule.opens_at(asked) <= now, asked <= rule.open_through(now));
            let next = rule.next_after(now);
            prop_assert!(next.at > now);
            prop_assert!(next.from <= next.through);
            for d in [next.from, next.through] {
                prop_assert_eq!(rule.opens_at(d), next.at);
            }
        }
    }
}
