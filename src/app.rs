//! The root: services in context, the language, the routes.

use crate::i18n::{Language, tr};
use crate::views::Welcome;
use dioxus::prelude::*;
use mpaspor_core::Store;

/// What every screen may use, provided once at the root.
#[derive(Clone)]
pub struct Services {
    pub store: Store,
}

#[derive(Routable, Clone, PartialEq, Debug)]
pub enum Route {
    #[route("/")]
    Welcome {},
}

const STYLE: &str = include_str!("../assets/main.css");
const LANGUAGE_SETTING: &str = "language";

pub fn launch(services: Services) {
    #[cfg(feature = "desktop")]
    {
        use dioxus::desktop::{Config, LogicalSize, WindowBuilder};
        // A phone-sized window: the desktop build is how we run and test the phone app.
        let window = WindowBuilder::new()
            .with_title("M-Paspor")
            .with_inner_size(LogicalSize::new(390.0, 844.0))
            .with_min_inner_size(LogicalSize::new(320.0, 568.0));
        dioxus::LaunchBuilder::desktop()
            .with_cfg(Config::new().with_menu(None).with_window(window))
            .with_context(services)
            .launch(Root);
    }
    #[cfg(not(feature = "desktop"))]
    dioxus::LaunchBuilder::new()
        .with_context(services)
        .launch(Root);
}

/// The language the applicant chose last time, Indonesian until they choose.
pub fn stored_language(store: &Store) -> Language {
    store
        .setting(LANGUAGE_SETTING)
        .ok()
        .flatten()
        .and_then(|code| Language::from_code(&code))
        .unwrap_or_default()
}

/// Switches the language at once and remembers it across restarts.
pub fn choose_language(store: &Store, mut current: Signal<Language>, lang: Language) {
    current.set(lang);
    if let Err(e) = store.set_setting(LANGUAGE_SETTING, lang.code()) {
        tracing::warn!("language not remembered: {e}");
    }
}

/// The root component; [`Services`] come from the launcher's context.
#[component]
pub fn Root() -> Element {
    let services = use_context::<Services>();
    let lang = use_context_provider(|| Signal::new(stored_language(&services.store)));
    rsx! {
        document::Title { {tr(lang(), "app-name")} }
        style { {STYLE} }
        div { class: "app", lang: lang().code(), Router::<Route> {} }
    }
}
