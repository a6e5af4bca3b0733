//! What happened, when, and the steps still to come.

use crate::components::show_moment;
use crate::hooks::use_tr;
use crate::i18n::Language;
use dioxus::prelude::*;
use mpaspor_domain::OfficeZone;
use mpaspor_domain::api::Application;
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
                            // A state entered again is a reschedule (the only move that stays in a state).
                            if i > 0 && app.timeline[i - 1].state == e.state {
                                strong { {t("timeline-rescheduled")} }
                            } else {
                                strong { {t(&format!("state-{}", e.state.as_str()))} }
                            }
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
