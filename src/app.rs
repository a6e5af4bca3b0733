//! The root component: services, language and text size in context, the
//! routes; and the phone-sized window it is launched in.

use crate::Route;
use crate::context::{JustRegistered, stored_language, stored_text_size};
use crate::i18n::tr;
use crate::services::Services;
use dioxus::prelude::*;

const STYLE: &str = include_str!("../assets/main.css");

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

/// The root component; [`Services`] come from the launcher's context.
#[component]
pub fn Root() -> Element {
    let services = use_context::<Services>();
    let lang = use_context_provider(|| Signal::new(stored_language(&services.engine)));
    use_context_provider(|| Signal::new(None::<JustRegistered>));
    let text_size = use_context_provider(|| Signal::new(stored_text_size(&services.engine)));
    crate::hooks::use_announcements();
    rsx! {
        document::Title { {tr(lang(), "app-name")} }
        style { {STYLE} }
        style { {text_size().css()} }
        div { class: "app", lang: lang().code(), Router::<Route> {} }
    }
}
