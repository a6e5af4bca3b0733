//! Cancel, with its consequence stated before it is confirmed: nothing owed
//! before payment, the fee forfeited after.

use crate::hooks::use_tr;
use crate::i18n::{Language, tr_with};
use crate::services::Services;
use dioxus::prelude::*;
use mpaspor_domain::DraftId;
use mpaspor_domain::state::ApplicationState;

#[component]
pub fn Cancel(state: ApplicationState, amount: String, draft: DraftId, sending: bool) -> Element {
    let services = use_context::<Services>();
    let lang = use_context::<Signal<Language>>();
    let t = use_tr();
    let mut confirming = use_signal(|| false);
    let mut accepted = use_signal(|| false);
    let paid = state == ApplicationState::Paid;
    let cancel = move |_| {
        if services.engine.cancel(&draft, paid).is_ok() {
            confirming.set(false);
            let services = services.clone();
            spawn(async move { services.sync_now().await });
        }
    };
    rsx! {
        section { id: "cancel", class: "card", aria_labelledby: "cancel-title",
            h2 { id: "cancel-title", {t("cancel-title")} }
            // The consequence is in view before anything is pressed.
            p { id: "cancel-consequence", class: if paid { "note note-warn" } else { "muted" },
                if paid { {tr_with(lang(), "cancel-forfeit", &[("amount", amount.clone())])} } else { {t("cancel-free")} }
            }
            if paid {
                label { class: "check", r#for: "accept-forfeit",
                    input { id: "accept-forfeit", r#type: "checkbox", checked: accepted(), onchange: move |e: FormEvent| accepted.set(e.checked()) }
                    span { {t("cancel-accept")} }
                }
            }
            if sending {
                p { id: "cancel-waiting", class: "note", role: "status", {t("cancel-waiting")} }
            } else if confirming() {
                p { class: "note note-bad", role: "alert", {t("cancel-sure")} }
                button { id: "cancel-confirm", class: "danger", r#type: "button", onclick: cancel, {t("cancel-confirm")} }
                button { id: "cancel-keep", class: "secondary", r#type: "button", onclick: move |_| confirming.set(false), {t("cancel-keep")} }
            } else {
                button { id: "cancel-open", class: "secondary", r#type: "button", disabled: paid && !accepted(),
                    onclick: move |_| confirming.set(true), {t("cancel-open")} }
            }
        }
    }
}
