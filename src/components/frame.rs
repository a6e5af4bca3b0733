//! The frame of every screen but the first ones: a back button, the title, the body.

use crate::i18n::{Language, tr};
use dioxus::prelude::*;

/// A screen's frame: a back button, the title, the body.
#[component]
pub fn Frame(id: String, title: String, children: Element) -> Element {
    let lang = use_context::<Signal<Language>>();
    rsx! {
        main { id: "{id}", class: "screen",
            header { class: "bar",
                button {
                    id: "back",
                    class: "back",
                    r#type: "button",
                    aria_label: tr(lang(), "back"),
                    onclick: move |_| crate::go_back(|| {}),
                    "‹"
                }
                h1 { {title} }
            }
            {children}
            // Along the bottom, over nothing typed: it must not move the form under a finger.
            OfflineNote { bar: true }
        }
    }
}

/// While the phone cannot reach the server: says so, and how many changes
/// wait on the phone to be sent.
#[component]
pub fn OfflineNote(#[props(default)] bar: bool) -> Element {
    let lang = use_context::<Signal<Language>>();
    let status = crate::hooks::use_sync_status();
    let s = status();
    rsx! {
        if s.online == Some(false) {
            if bar {
                // Keeps the end of the screen clear of the bar.
                div { class: "offline-space" }
            }
            p { id: "offline", class: if bar { "note note-warn offline-bar" } else { "note note-warn" }, role: "status",
                "⚡ "
                if s.pending == 0 {
                    {crate::i18n::tr(lang(), "offline-kept")}
                } else {
                    {crate::i18n::tr_with(lang(), "home-offline", &[("count", s.pending.to_string())])}
                }
            }
        }
    }
}
