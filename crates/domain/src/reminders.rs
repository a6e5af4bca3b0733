//! What an applicant must do next and by when, from the applications the
//! phone knows of and the server's clock: the home screen's list and the
//! system notifications come from here.

use crate::api::{Application, Appointment, Payment};
use crate::schedule::{OfficeZone, pickup_last_day};
use crate::state::ApplicationState;
use jiff::Timestamp;
use jiff::civil::Date;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Due {
    /// The billing code must be paid before `by`, or the place is released.
    Pay { by: Timestamp, zone: OfficeZone },
    /// The appointment is today or tomorrow (office local date).
    Appointment {
        appointment: Appointment,
        tomorrow: bool,
    },
    /// The passport is ready: collect it by `by` (office local date), or it
    /// is cancelled; `days_left` counts the days after today up to `by`.
    PickUp { by: Date, days_left: i32 },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    pub application: crate::ApplicationId,
    pub due: Due,
}

impl Reminder {
    /// Names this reminder for "notified already": one notification each.
    pub fn key(&self) -> String {
        let what = match &self.due {
            Due::Pay { .. } => "pay".to_owned(),
            Due::Appointment {
                appointment,
                tomorrow,
            } => format!(
                "appointment-{}-{}",
                appointment.date,
                if *tomorrow { "tomorrow" } else { "today" }
            ),
            // Told when ready, again 7 days before the last day, and the day before.
            Due::PickUp { days_left, .. } => match days_left {
                ..=1 => "pickup-1".to_owned(),
                2..=7 => "pickup-7".to_owned(),
                _ => "pickup".to_owned(),
            },
        };
        format!("{}:{what}", self.application)
    }
}

/// The reminders for `apps` (each with its payment when known) at `now`, the
/// most urgent first.
pub fn reminders(apps: &[(Application, Option<Payment>)], now: Timestamp) -> Vec<Reminder> {
    let mut out: Vec<(Timestamp, Reminder)> = Vec::new();
    for (app, payment) in apps {
        let zone = app
            .appointment
            .as_ref()
            .map(|a| a.zone)
            .unwrap_or(OfficeZone::Wib);
        let due = match app.state {
            ApplicationState::AwaitingPayment => payment
                .as_ref()
                .filter(|p| !p.paid && p.expires_at > now)
                .map(|p| {
                    (
                        p.expires_at,
                        Due::Pay {
                            by: p.expires_at,
                            zone,
                        },
                    )
                }),
            ApplicationState::Paid => app.appointment.as_ref().and_then(|a| {
                let today = a.zone.local_date(now);
                let tomorrow = today.tomorrow().ok()?;
                (a.date == today || a.date == tomorrow).then(|| {
                    (
                        now,
                        Due::Appointment {
                            appointment: a.clone(),
                            tomorrow: a.date == tomorrow,
                        },
                    )
                })
            }),
            ApplicationState::ReadyForPickup => app
                .timeline
                .iter()
                .rev()
                .find(|e| e.state == ApplicationState::ReadyForPickup)
                .map(|e| {
                    let by = pickup_last_day(e.at, zone);
                    let days_left = zone
                        .local_date(now)
                        .until(by)
                        .map_or(0, |span| span.get_days());
                    (e.at, Due::PickUp { by, days_left })
                }),
            _ => None,
        };
        if let Some((when, due)) = due {
            out.push((
                when,
                Reminder {
                    application: app.id.clone(),
                    due,
                },
            ));
        }
    }
    out.sort_by_key(|(when, _)| *when);
    out.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{ApplicationDraft, TimelineEntry};
    use crate::ids::BillingCode;
    use crate::money::Rupiah;
    use crate::schedule::TimeWindow;
    use jiff::civil::{date, time};

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn app(id: &str, state: ApplicationState, day: Date) -> Application {
        Application {
            id: id.into(),
            version: 1,
            state,
            draft: ApplicationDraft::default(),
            documents: vec![],
            appointment: Some(Appointment {
                slot_id: format!("kanim-makassar.{}.0800", day.strftime("%Y%m%d")).into(),
                office_id: "kanim-makassar".into(),
                date: day,
                window: TimeWindow {
                    start: time(8, 0, 0, 0),
                    end: time(10, 0, 0, 0),
                },
                zone: OfficeZone::Wita,
            }),
            fee: None,
            reschedules_used: 0,
            created_at: ts("2026-12-01T00:00:00Z"),
            updated_at: ts("2026-12-01T00:00:00Z"),
            timeline: vec![],
            corrections: vec![],
        }
    }

    fn payment(expires: &str, paid: bool) -> Payment {
        Payment {
            billing_code: BillingCode::parse("820261201000017").unwrap(),
            amount: Rupiah(650_000),
            issued_at: ts("2026-12-01T00:00:00Z"),
            expires_at: ts(expires),
            paid,
            paid_at: None,
            ntpn: None,
            state: ApplicationState::AwaitingPayment,
        }
    }

    #[test]
    fn what_is_due_and_when_by_the_servers_clock() {
        // 2 December, 09:00 in Makassar (WITA, UTC+8).
        let now = ts("2026-12-02T01:00:00Z");
        let mut ready = app(
            "ready",
            ApplicationState::ReadyForPickup,
            date(2026, 11, 10),
        );
        ready.timeline.push(TimelineEntry {
            state: ApplicationState::ReadyForPickup,
            at: ts("2026-11-20T02:00:00Z"),
            event: None,
            note: None,
        });
        let apps = vec![
            (
                app(
                    "unpaid",
                    ApplicationState::AwaitingPayment,
                    date(2026, 12, 9),
                ),
                Some(payment("2026-12-02T02:30:00Z", false)),
            ),
            (
                app(
                    "lapsed",
                    ApplicationState::AwaitingPayment,
                    date(2026, 12, 9),
                ),
                Some(payment("2026-12-02T00:59:59Z", false)),
            ),
            (
                app("tomorrow", ApplicationState::Paid, date(2026, 12, 3)),
                None,
            ),
            (
                app("later", ApplicationState::Paid, date(2026, 12, 4)),
                None,
            ),
            (ready, None),
            (
                app("done", ApplicationState::Collected, date(2026, 11, 1)),
                None,
            ),
        ];
        let found = reminders(&apps, now);
        let keys: Vec<String> = found.iter().map(Reminder::key).collect();
        assert_eq!(
            keys,
            [
                "ready:pickup",
                "tomorrow:appointment-2026-12-03-tomorrow",
                "unpaid:pay"
            ]
        );
        assert_eq!(
            found[0].due,
            Due::PickUp {
                by: date(2026, 12, 20),
                days_left: 18
            }
        );
        // 23:30 in Makassar is still the 2nd (tomorrow); 00:30 is the 3rd (today).
        let late = ts("2026-12-02T15:30:00Z");
        let found = reminders(&apps[2..3], late);
        assert_eq!(found[0].key(), "tomorrow:appointment-2026-12-03-tomorrow");
        let next_day = ts("2026-12-02T16:30:00Z");
        assert_eq!(
            reminders(&apps[2..3], next_day)[0].key(),
            "tomorrow:appointment-2026-12-03-today"
        );
    }

    #[test]
    fn a_ready_passport_is_told_when_ready_a_week_before_and_the_day_before() {
        let mut ready = app(
            "ready",
            ApplicationState::ReadyForPickup,
            date(2026, 11, 10),
        );
        ready.timeline.push(TimelineEntry {
            state: ApplicationState::ReadyForPickup,
            at: ts("2026-11-20T02:00:00Z"),
            event: None,
            note: None,
        });
        let apps = [(ready, None)];
        // The last day is 20 December (WITA): told at 18, 7 and 1 day left.
        for (now, key) in [
            ("2026-12-02T01:00:00Z", "ready:pickup"),
            ("2026-12-12T01:00:00Z", "ready:pickup"),
            ("2026-12-13T01:00:00Z", "ready:pickup-7"),
            ("2026-12-18T01:00:00Z", "ready:pickup-7"),
            ("2026-12-19T01:00:00Z", "ready:pickup-1"),
            ("2026-12-20T15:00:00Z", "ready:pickup-1"),
        ] {
            assert_eq!(reminders(&apps, ts(now))[0].key(), key, "at {now}");
        }
    }
}
