//! Reminders: what needs doing and by when (pay within the window, the
//! appointment today or tomorrow, pick up within 30 days), shown on the home
//! screen and sent once each as a system notification through a
//! [`Notifier`] (see `platform`).

use crate::i18n::{Language, tr, tr_with};
use crate::platform::Notifier;
use crate::services::Services;
use mpaspor_domain::ApplicationId;
use mpaspor_domain::reminders::{Due, Reminder};

/// A reminder in words: a title and a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Told {
    pub application: ApplicationId,
    pub title: String,
    pub body: String,
}

/// What is due now, by the server's clock, most urgent first (none while
/// the store cannot be read).
pub fn due(services: &Services) -> Vec<Reminder> {
    services.engine.reminders().unwrap_or_default()
}

/// The words of a reminder in `lang`.
pub fn told(services: &Services, lang: Language, r: &Reminder) -> Told {
    let kept = services.engine.application(&r.application).ok().flatten();
    let app = kept.as_ref().map(|v| &v.app);
    let who = app
        .as_ref()
        .and_then(|a| a.draft.personal.full_name.clone())
        .unwrap_or_default();
    let office = services.office_name(app.as_ref().and_then(|a| a.draft.office_id.as_deref()));
    let (title, body) = match &r.due {
        Due::Pay { by, zone } => {
            let payment = kept.as_ref().and_then(|v| v.payment.clone());
            (
                tr_with(lang, "remind-pay", &[("when", zone.clock(*by))]),
                tr_with(
                    lang,
                    "remind-pay-body",
                    &[
                        ("who", who),
                        (
                            "code",
                            payment
                                .as_ref()
                                .map(|p| p.billing_code.grouped())
                                .unwrap_or_default(),
                        ),
                        (
                            "amount",
                            payment.map(|p| p.amount.to_string()).unwrap_or_default(),
                        ),
                    ],
                ),
            )
        }
        Due::Appointment {
            appointment,
            tomorrow,
        } => (
            tr_with(
                lang,
                if *tomorrow {
                    "remind-tomorrow"
                } else {
                    "remind-today"
                },
                &[("office", office)],
            ),
            tr_with(
                lang,
                "remind-appointment-body",
                &[
                    ("who", who),
                    ("window", appointment.window.show(appointment.zone)),
                ],
            ),
        ),
        Due::PickUp { by, days_left } => (
            match days_left {
                ..=1 => tr(lang, "remind-pickup-last"),
                2..=7 => tr_with(
                    lang,
                    "remind-pickup-soon",
                    &[("days", days_left.to_string())],
                ),
                _ => tr(lang, "remind-pickup"),
            },
            tr_with(
                lang,
                "remind-pickup-body",
                &[
                    ("who", who),
                    ("date", crate::components::show_date(*by)),
                    ("office", office),
                ],
            ),
        ),
    };
    Told {
        application: r.application.clone(),
        title,
        body,
    }
}

/// Sends each reminder not sent before, once; answers how many went out. A
/// notifier that fails (no notification service) is tried again next time.
pub fn notify_new(services: &Services, notifier: &dyn Notifier, lang: Language) -> usize {
    let mut sent = 0;
    for r in due(services) {
        let key = r.key();
        if services.engine.was_notified(&key).unwrap_or(false) {
            continue;
        }
        let words = told(services, lang, &r);
        match notifier.notify(&words.title, &words.body) {
            Ok(()) => {
                if let Err(e) = services.engine.note_notified(&key) {
                    tracing::warn!("a sent reminder was not noted: {e}");
                }
                sent += 1;
            }
            Err(e) => tracing::info!("notification not shown: {e}"),
        }
    }
    sent
}

#[cfg(test)]
pub mod tests {
    use crate::platform::Notifier;
    use std::sync::Mutex;

    /// Keeps what it was asked to show.
    #[derive(Default)]
    pub struct Recorder(pub Mutex<Vec<(String, String)>>);

    impl Notifier for Recorder {
        fn notify(&self, title: &str, body: &str) -> Result<(), String> {
            self.0.lock().unwrap().push((title.into(), body.into()));
            Ok(())
        }
    }
}

#[cfg(all(test, feature = "bundled-mock"))]
mod live_tests {
    use super::tests::Recorder;
    use super::{due, notify_new};
    use crate::i18n::{Language, tr, tr_with};
    use crate::testing::Live;
    use mpaspor_domain::reminders::Due;

    #[test]
    fn reminders_follow_the_application_on_home_and_notify_once_each() {
        let lang = Language::Id;
        let live = Live::dewi(lang);
        let draft = live.ready_draft();
        let id = live.submit(&draft, &live.free_slot());
        let notes = Recorder::default();

        // Submitted: pay before the code expires, on home and as one notification.
        let payment = live.services.engine.payment(&id).unwrap().unwrap();
        let title = tr_with(
            lang,
            "remind-pay",
            &[(
                "when",
                mpaspor_domain::OfficeZone::Wib.clock(payment.expires_at),
            )],
        );
        let html = live.render("/home");
        assert!(html.contains(&format!(r#"id="remind-{id}""#)), "{html}");
        assert!(html.contains(&title));
        assert!(html.contains(&payment.billing_code.grouped()));
        assert_eq!(notify_new(&live.services, &notes, lang), 1);
        assert_eq!(notify_new(&live.services, &notes, lang), 0, "once each");
        assert_eq!(notes.0.lock().unwrap()[0].0, title);

        // Paid: nothing until the day before the appointment (by the server's clock).
        live.pay_at_bank(&id, true);
        let day = live
            .services
            .engine
            .application(&id)
            .unwrap()
            .unwrap()
            .app
            .appointment
            .unwrap()
            .date;
        let today = mpaspor_domain::OfficeZone::Wib.local_date(live.services.engine.server_now());
        if day > today.tomorrow().unwrap() {
            assert!(due(&live.services).is_empty());
            let days = (day - today).get_days() as i64 - 1;
            live.advance_clock(days * 86_400);
        }
        let found = due(&live.services);
        assert!(
            matches!(&found[0].due, Due::Appointment { tomorrow: true, .. }),
            "{found:?}"
        );
        assert_eq!(notify_new(&live.services, &notes, lang), 1);
        let (title, body) = notes.0.lock().unwrap()[1].clone();
        assert!(
            title.starts_with(&tr_with(
                lang,
                "remind-tomorrow",
                &[("office", String::new())]
            )),
            "{title}"
        );
        assert!(body.contains("WIB"), "{body}");

        // Ready at the office: collect within 30 days.
        for to in ["interviewed", "approved", "printed", "ready"] {
            live.advance(&id, to);
        }
        let html = live.render("/home");
        assert!(html.contains(&tr(lang, "remind-pickup")), "{html}");
        assert_eq!(notify_new(&live.services, &notes, lang), 1);
        live.advance(&id, "collected");
        assert!(due(&live.services).is_empty());
    }
}

/// Shows each place the feed brought as a notification, once; answers how
/// many were shown. One the notifier could not show stays on home.
pub fn notify_openings(services: &Services, notifier: &dyn Notifier, lang: Language) -> usize {
    let openings = match services.engine.take_openings_to_notify() {
        Ok(o) => o,
        Err(e) => {
            tracing::warn!("the openings could not be read: {e}");
            return 0;
        }
    };
    let mut shown = 0;
    for (opening, _) in openings {
        let (office, when) = crate::views::opening_words(services, lang, &opening.place);
        let title = tr_with(lang, "opening-notify-title", &[("office", office)]);
        let body = tr_with(lang, "opening-notify-body", &[("when", when)]);
        match notifier.notify(&title, &body) {
            Ok(()) => shown += 1,
            Err(e) => tracing::info!("notification not shown: {e}"),
        }
    }
    shown
}

/// Shows each new message of the inbox as a notification, once (a place
/// opened has its own, above); tapped, it opens the application it is
/// about. Answers how many were shown.
pub fn notify_messages(services: &Services, notifier: &dyn Notifier, lang: Language) -> usize {
    let messages = match services.engine.take_messages_to_notify() {
        Ok(m) => m,
        Err(e) => {
            tracing::warn!("the messages could not be read: {e}");
            return 0;
        }
    };
    let mut shown = 0;
    for message in messages {
        let (title, body) = crate::views::message_words(services, lang, &message);
        let tapped = services.tapped.clone();
        let about = message.application().clone();
        let open: crate::platform::OnTap = Box::new(move || {
            tapped.send_replace(Some(about));
        });
        match notifier.notify_tappable(&title, &body, open) {
            Ok(()) => shown += 1,
            Err(e) => tracing::info!("notification not shown: {e}"),
        }
    }
    shown
}
