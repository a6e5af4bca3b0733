//! The inbox: every message the account was sent (an application moved on,
//! a correction asked, fixed or lapsed, a place opened), newest first, kept
//! on the phone for offline; one tap opens the application it is about.

use crate::Route;
use crate::components::{Frame, show_moment};
use crate::hooks::{use_messages, use_tr};
use crate::i18n::{Language, tr, tr_with};
use crate::services::Services;
use crate::views::detail::correction_what;
use dioxus::prelude::*;
use mpaspor_core::engine::{Message, Said};
use mpaspor_domain::OfficeZone;
use mpaspor_domain::api::CorrectionState;

/// A message's title and one line of detail, for the inbox and for its
/// system notification.
pub fn message_words(services: &Services, lang: Language, message: &Message) -> (String, String) {
    let app = services
        .engine
        .application(message.application())
        .ok()
        .flatten()
        .map(|v| v.app);
    let zone = app
        .as_ref()
        .and_then(|a| a.appointment.as_ref())
        .map_or(OfficeZone::Wib, |a| a.zone);
    let name = app
        .as_ref()
        .and_then(|a| a.draft.personal.full_name.clone())
        .unwrap_or_default();
    match &message.said {
        Said::StateChanged(c) => (
            tr_with(
                lang,
                "msg-state",
                &[
                    ("name", name),
                    ("state", tr(lang, &format!("state-{}", c.state.as_str()))),
                ],
            ),
            show_moment(message.at, zone),
        ),
        Said::Correction(c) => {
            let key = match c.state {
                CorrectionState::Open => "msg-correction-open",
                CorrectionState::Fixed => "msg-correction-fixed",
                CorrectionState::Lapsed => "msg-correction-lapsed",
            };
            let title = tr_with(lang, key, &[("what", correction_what(lang, c))]);
            let body = match c.state {
                CorrectionState::Open => format!(
                    "{} · {}",
                    c.reason.trim_end_matches('.'),
                    tr_with(
                        lang,
                        "correction-due",
                        &[("due", show_moment(c.due_at, zone))]
                    )
                ),
                CorrectionState::Fixed => show_moment(message.at, zone),
                CorrectionState::Lapsed => tr(lang, "correction-lapsed"),
            };
            (title, body)
        }
        Said::PlaceOpened(p) => {
            let (office, when) = crate::views::opening_words(services, lang, p);
            (tr_with(lang, "msg-place", &[("office", office)]), when)
        }
    }
}

#[component]
pub fn Inbox() -> Element {
    let services = use_context::<Services>();
    let lang = use_context::<Signal<Language>>();
    let t = use_tr();
    let messages = use_messages()();
    let unread = messages.iter().any(|m| !m.read);
    rsx! {
        Frame { id: "inbox", title: t("inbox-title"),
            if messages.is_empty() {
                p { id: "inbox-empty", class: "note", {t("inbox-empty")} }
            }
            if unread {
                button { id: "read-all", class: "secondary small", r#type: "button",
                    onclick: { let services = services.clone(); move |_| { let _ = services.engine.mark_read(None); } },
                    {t("inbox-read-all")}
                }
            }
            ul { id: "messages", class: "rows",
                for m in messages {
                    {
                        let (title, body) = message_words(&services, lang(), &m);
                        let id = m.application().clone();
                        let seq = m.seq;
                        let services = services.clone();
                        rsx! {
                            li { id: "message-{m.seq}", class: if m.read { "row message" } else { "row message message-unread" },
                                button { id: "open-message-{m.seq}", class: "row-main link", r#type: "button",
                                    onclick: move |_| {
                                        let _ = services.engine.mark_read(Some(seq));
                                        navigator().push(Route::ApplicationDetail { id: id.clone() });
                                    },
                                    if !m.read { span { class: "badge", {t("inbox-unread")} } }
                                    strong { {title} }
                                    span { class: "muted", {body} }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
