//! The root: services in context, the language, the routes.

use crate::i18n::{Language, tr};
pub use crate::services::Services;
use crate::views::{
    ApplicationDetail, Apply, Family, Forgot, Home, Login, Passports, Proof, Register, Settings,
    Verify, Welcome,
};
use dioxus::prelude::*;
use mpaspor_core::Store;
use mpaspor_domain::Step;

#[derive(Routable, Clone, PartialEq, Debug)]
pub enum Route {
    #[layout(Shell)]
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
    Apply { draft: String, step: Step },
    #[route("/settings")]
    Settings {},
    #[route("/application/:id")]
    ApplicationDetail { id: String },
    #[route("/passports")]
    Passports {},
    #[route("/proof/:id")]
    Proof { id: String },
}

impl Route {
    /// The first screens: back from here leaves the app, as on any phone app.
    pub fn is_first(&self) -> bool {
        matches!(self, Route::Welcome {} | Route::Home {})
    }

    /// Where back leads when it is not simply the screen before: from an
    /// application's detail, home (not back through the steps that filed it).
    pub fn up(&self) -> Option<Route> {
        match self {
            Route::ApplicationDetail { .. } => Some(Route::Home {}),
            _ => None,
        }
    }
}

/// What the system back button (Android) and Escape or Alt+Left (desktop) do:
/// the screen before, as the on-screen back arrow; leave on the first screens.
pub fn go_back(leave: impl FnOnce()) {
    let nav = navigator();
    let here = router().current::<Route>();
    if here.is_first() {
        leave();
    } else if let Some(up) = here.up() {
        nav.replace(up);
    } else if nav.can_go_back() {
        nav.go_back();
    } else {
        nav.replace(Route::Home {});
    }
}

/// Around every screen: the phone's back button.
#[component]
fn Shell() -> Element {
    #[cfg(any(target_os = "android", target_os = "ios"))]
    use_hook(crate::native::init);
    #[cfg(target_os = "android")]
    {
        let services = use_context::<Services>();
        use_future(move || {
            let services = services.clone();
            async move {
                loop {
                    // The plugin counts presses; the UI thread asks every tenth of a second.
                    for _ in 0..crate::native::back_presses() {
                        go_back(crate::native::leave_app);
                    }
                    services.sleep(std::time::Duration::from_millis(100)).await;
                }
            }
        });
    }
    #[cfg(feature = "e2e")]
    crate::e2e::use_scripts();
    {
        // Reminders as system notifications, each once, checked every half minute.
        let services = use_context::<Services>();
        let lang = use_context::<Signal<Language>>();
        use_future(move || {
            let services = services.clone();
            async move {
                loop {
                    crate::reminders::notify_new(&services, &*services.notifier, lang());
                    services.sleep(std::time::Duration::from_secs(30)).await;
                }
            }
        });
    }
    rsx! {
        div {
            class: "shell",
            tabindex: "-1",
            onkeydown: move |e: KeyboardEvent| {
                let back = e.key() == Key::Escape
                    || (e.modifiers().alt() && e.key() == Key::ArrowLeft);
                if back {
                    go_back(|| {});
                }
            },
            Outlet::<Route> {}
        }
    }
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

/// How large the app's text is, over the 16 px base: for applicants who need
/// it larger than their phone's own setting gives (which also applies).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum TextSize {
    #[default]
    Normal,
    Large,
    Largest,
}

const TEXT_SIZE_SETTING: &str = "text_size";

impl TextSize {
    pub const ALL: [TextSize; 3] = [TextSize::Normal, TextSize::Large, TextSize::Largest];

    pub fn percent(self) -> u32 {
        match self {
            TextSize::Normal => 100,
            TextSize::Large => 115,
            TextSize::Largest => 130,
        }
    }

    fn from_percent(text: &str) -> Option<TextSize> {
        TextSize::ALL
            .into_iter()
            .find(|s| s.percent().to_string() == text)
    }

    /// The root rule every `rem` in the style sheet follows.
    fn css(self) -> String {
        format!(
            ":root {{ font-size: {}px; }}",
            16.0 * self.percent() as f64 / 100.0
        )
    }
}

pub fn choose_text_size(store: &Store, mut current: Signal<TextSize>, size: TextSize) {
    current.set(size);
    if let Err(e) = store.set_setting(TEXT_SIZE_SETTING, &size.percent().to_string()) {
        tracing::warn!("text size not remembered: {e}");
    }
}

/// The root component; [`Services`] come from the launcher's context.
#[component]
pub fn Root() -> Element {
    let services = use_context::<Services>();
    let lang = use_context_provider(|| Signal::new(stored_language(&services.store)));
    use_context_provider(|| Signal::new(None::<JustRegistered>));
    let text_size = use_context_provider(|| {
        let stored = services.store.setting(TEXT_SIZE_SETTING).ok().flatten();
        Signal::new(
            stored
                .and_then(|s| TextSize::from_percent(&s))
                .unwrap_or_default(),
        )
    });
    rsx! {
        document::Title { {tr(lang(), "app-name")} }
        style { {STYLE} }
        style { {text_size().css()} }
        div { class: "app", lang: lang().code(), Router::<Route> {} }
    }
}
