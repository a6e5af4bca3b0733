//! M-Paspor: the app. Screens live in `views/`, small parts in `components/`,
//! text in `i18n`; everything that is not drawing is in `mpaspor-core`. The
//! routes are here, at the root, where every screen can name them.

mod app;
mod components;
mod config;
mod context;
#[cfg(feature = "e2e")]
mod e2e;
mod hooks;
mod i18n;
mod mock_mode;
mod platform;
mod reminders;
mod services;
#[cfg(test)]
mod testing;
mod views;

use dioxus::prelude::*;
use mpaspor_domain::{ApplicationId, DraftId, Step};
use views::{
    ApplicationDetail, Apply, Family, Forgot, Home, Inbox, Login, Passports, Proof, Register,
    Settings, Verify, Welcome,
};

fn fail(message: impl std::fmt::Display) -> ! {
    eprintln!("mpaspor: {message}");
    std::process::exit(1);
}

fn main() {
    let config = match config::Config::from_env_and_args() {
        Ok(c) => c,
        Err(message) => {
            eprintln!("mpaspor: {message}");
            std::process::exit(2);
        }
    };
    // First, before any thread starts: the keystore (keyutils may join a
    // session keyring, which only threads started afterwards inherit).
    let secrets = config.secrets().unwrap_or_else(|e| fail(e));
    let data = config.open_data(&secrets).unwrap_or_else(|e| fail(e));
    if let Some(aside) = &data.set_aside {
        eprintln!(
            "mpaspor: this keystore ({}) does not hold the key that sealed the data (made with {}); \
             the old data was set aside at {}",
            secrets.vendor(),
            data.sealed_by
                .as_deref()
                .unwrap_or("a keystore it did not record"),
            aside.display()
        );
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("mpaspor-engine")
        .enable_all()
        .build()
        .unwrap_or_else(|e| fail(e));
    // An address set in the app's settings (for testers) counts when none is
    // given here, if it is still one the app may use (else the bundled mock).
    let chosen = config.api.clone().or_else(|| {
        data.preference(mpaspor_core::engine::Preference::ApiAddress)
            .filter(|a| !a.is_empty() && mpaspor_core::engine::check_address(a).is_ok())
    });
    let (api, tester_token) = match &chosen {
        Some(url) => (url.clone(), None),
        None => {
            let mock =
                mock_mode::start(&runtime, &config.data_dir, &secrets).unwrap_or_else(|e| fail(e));
            (mock.url, Some(mock.tester_token))
        }
    };
    #[cfg(feature = "e2e")]
    e2e::listen(runtime.handle()).unwrap_or_else(|e| fail(format!("e2e: {e}")));
    let engine = data.engine(&api, secrets).unwrap_or_else(|e| fail(e));
    // The bundled mock's tester token lives only here, in memory.
    let mock = tester_token.map(|token| engine.tester(token));
    let services = services::Services::new(engine, runtime.handle().clone(), mock);
    let engine = services.engine.clone();
    runtime.spawn(async move { engine.run(std::time::Duration::from_secs(30)).await });
    // The account's feed, held open while the app is: a place that opens is
    // told within seconds, and an idle app makes no other request for it.
    let engine = services.engine.clone();
    runtime.spawn(async move { engine.follow().await });
    app::launch(services);
    drop(runtime);
}

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
    Apply { draft: DraftId, step: Step },
    #[route("/settings")]
    Settings {},
    #[route("/application/:id")]
    ApplicationDetail { id: ApplicationId },
    #[route("/passports")]
    Passports {},
    #[route("/inbox")]
    Inbox {},
    #[route("/proof/:id")]
    Proof { id: ApplicationId },
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
    use_hook(crate::platform::native::init);
    #[cfg(target_os = "android")]
    {
        let services = use_context::<services::Services>();
        use_future(move || {
            let services = services.clone();
            async move {
                loop {
                    // The plugin counts presses; the UI thread asks every tenth of a second.
                    for _ in 0..crate::platform::native::back_presses() {
                        go_back(crate::platform::native::leave_app);
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
        let services = use_context::<services::Services>();
        let lang = use_context::<Signal<i18n::Language>>();
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
    {
        // A tapped notification opens the application it is about.
        let services = use_context::<services::Services>();
        use_future(move || {
            let mut tapped = services.tapped.subscribe();
            async move {
                while tapped.changed().await.is_ok() {
                    let about = tapped.borrow_and_update().clone();
                    if let Some(id) = about {
                        #[cfg(feature = "desktop")]
                        dioxus::desktop::window().set_focus();
                        navigator().push(Route::ApplicationDetail { id });
                    }
                }
            }
        });
    }
    {
        // Places and messages the feed brought, as system notifications, each once.
        let services = use_context::<services::Services>();
        let lang = use_context::<Signal<i18n::Language>>();
        use_future(move || {
            let services = services.clone();
            async move {
                let mut changes = services.engine.changes();
                crate::reminders::notify_openings(&services, &*services.notifier, lang());
                crate::reminders::notify_messages(&services, &*services.notifier, lang());
                while let Some(change) = changes.next().await {
                    if matches!(
                        change,
                        mpaspor_core::engine::Change::Watches
                            | mpaspor_core::engine::Change::Everything
                    ) {
                        crate::reminders::notify_openings(&services, &*services.notifier, lang());
                        crate::reminders::notify_messages(&services, &*services.notifier, lang());
                    }
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
