//! What happened, when, and the steps still to come.

use crate::components::show_moment;
use crate::hooks::use_tr;
use crate::i18n::Language;
use dioxus::prelude::*;
use mpaspor_domain::OfficeZone;
use mpaspor_domain::api::{Application, TimelineEntry, TimelineEvent};
use mpaspor_domain::state::ApplicationState;

/// The main path, for the timeline's steps still to come.
const PATH: [ApplicationState; 8] = [
    ApplicationState::Draft,
    ApplicationState::AwaitingPayment,
    ApplicationState::Paid,
    ApplicationState::Interviewed,
    ApplicationState::Approved,
    ApplicationState::Printed,
    ApplicationState::ReadyForPickup,
    ApplicationState::Collected,
];

/// What an entry says: a move to its state, or what happened within one (a
/// copy kept from a server that did not name the event: a state entered
/// again was a reschedule).
fn entry_key(timeline: &[TimelineEntry], i: usize) -> String {
    let e = &timeline[i];
    match e.event {
        Some(TimelineEvent::Rescheduled) => "timeline-rescheduled".into(),
        Some(TimelineEvent::CheckedIn) => "timeline-checked-in".into(),
        None if i > 0 && timeline[i - 1].state == e.state => "timeline-rescheduled".into(),
        None => format!("state-{}", e.state.as_str()),
    }
}

/// What happened, when (in the office's zone), and the steps still to come.
#[component]
pub fn Timeline(app: Application, zone: OfficeZone) -> Element {
    let _lang = use_context::<Signal<Language>>();
    let t = use_tr();
    let to_come: Vec<ApplicationState> = if app.state.is_final() {
        Vec::new()
    } else {
        PATH.iter()
            .skip_while(|s| **s != app.state)
            .skip(1)
            .copied()
            .collect()
    };
    rsx! {
        section { id: "timeline", class: "card", aria_labelledby: "timeline-title",
            h2 { id: "timeline-title", {t("timeline-title")} }
            ol { class: "timeline",
                for (i, e) in app.timeline.iter().enumerate() {
                    li { id: "timeline-{i}", class: "done",
                        span { class: "mark", aria_hidden: "true", "✓" }
                        div {
                            // The server's notes are in one language: the app says it in the applicant's.
                            strong { {t(entry_key(&app.timeline, i).as_str())} }
                            span { class: "muted", " · {show_moment(e.at, zone)}" }
                        }
                    }
                }
                for s in to_come {
                    li { class: "to-come",
                        span { class: "mark", aria_hidden: "true", "○" }
                        div { span { {t(&format!("state-{}", s.as_str()))} } span { class: "muted", " · " {t("timeline-to-come")} } }
                    }
                }
            }
        }
    }
}
