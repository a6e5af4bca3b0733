//! The root: services in context, the language, the routes.

use crate::i18n::{Language, tr};
pub use crate::services::Services;
use crate::views::{Apply, Family, Forgot, Home, Login, Register, Verify, Welcome};
use dioxus::prelude::*;
use mpaspor_core::Store;

#[derive(Routable, Clone, PartialEq, Debug)]
pub enum Route {
    #[route("/")]
    Welcome {},
    #[route("/register")]
    Register {},
    #[route("/verify/:email")]
    Verify { email: String },
    #[route("/login")]
    Login {},
    #[route("/forgot")]
    Forgot {},
    #[route("/home")]
    Home {},
    #[route("/family")]
    Family {},
    #[route("/apply/:draft/:step")]
    Apply { draft: String, step: String },
}

/// Held in memory only, between registering and the OTP: lets the app log
/// in right after the account is verified. Never stored.
#[derive(Clone, Default, PartialEq)]
pub struct JustRegistered {
    pub email: String,
    pub password: String,
    /// When the server allows the OTP to be sent again.
    pub resend_after: Option<jiff::Timestamp>,
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
    use_context_provider(|| Signal::new(None::<JustRegistered>));
    rsx! {
        document::Title { {tr(lang(), "app-name")} }
        style { {STYLE} }
        div { class: "app", lang: lang().code(), Router::<Route> {} }
    }
}
