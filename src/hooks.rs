//! The hooks screens share: their words in the chosen language, and the
//! engine's sync status.

use crate::i18n::{Language, tr};
use crate::services::Services;
use dioxus::prelude::*;
use mpaspor_core::sync::SyncStatus;

/// The screen's words in the chosen language: `t("home-title")`. A screen
/// that reads it redraws when the language changes.
pub fn use_tr() -> impl Fn(&str) -> String + Copy {
    let lang = use_context::<Signal<Language>>();
    move |key: &str| tr(lang(), key)
}

/// The engine's sync status as a signal: a screen that reads it redraws after
/// every sync (new states, payments, refusals).
pub fn use_sync_status() -> Signal<SyncStatus> {
    let services = use_context::<Services>();
    let mut status = use_signal(|| services.engine.status().borrow().clone());
    use_future(move || {
        let mut rx = services.engine.status();
        async move {
            while rx.changed().await.is_ok() {
                let now: SyncStatus = rx.borrow_and_update().clone();
                status.set(now);
            }
        }
    });
    status
}
