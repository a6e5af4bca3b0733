//! One component per screen.

mod account;
mod apply;
pub mod documents;
mod family;
mod finish;
mod home;
pub mod personal;
mod settings;
mod welcome;

pub use account::{Forgot, Login, Register, Verify};
pub use apply::{Apply, first_open_step};
pub use family::Family;
pub use home::Home;
pub use settings::{API_ADDRESS_SETTING, Settings};
pub use welcome::Welcome;

#[cfg(test)]
pub(crate) mod testing {
    //! Renders screens without a window, in a chosen language, for tests.
    use crate::app::{Root, Services};
    use crate::i18n::Language;
    use dioxus::prelude::*;
    use mpaspor_core::Store;

    /// The whole app as it starts with `store`, rendered to HTML.
    pub fn render_app(store: &Store) -> String {
        let mut dom = VirtualDom::new(Root).with_root_context(Services::for_tests(store.clone()));
        dom.rebuild_in_place();
        dioxus_ssr::render(&dom)
    }

    /// The app opened at `path` (e.g. `/login`) on `services`, rendered to HTML.
    pub fn render_at(services: Services, path: &str) -> String {
        #[component]
        fn At(path: String) -> Element {
            use_hook(|| {
                dioxus::history::provide_history_context(std::rc::Rc::new(
                    dioxus::history::MemoryHistory::with_initial_path(path),
                ))
            });
            rsx! { Root {} }
        }
        let mut dom = VirtualDom::new_with_props(
            At,
            AtProps {
                path: path.to_owned(),
            },
        )
        .with_root_context(services);
        dom.rebuild_in_place();
        dioxus_ssr::render(&dom)
    }

    /// A fresh store where `lang` was chosen.
    pub fn store_in(lang: Language) -> Store {
        let store = Store::open_in_memory().unwrap();
        store.set_setting("language", lang.code()).unwrap();
        store
    }

    /// Every button and input in `html` has a name a screen reader can say.
    pub fn assert_every_control_is_named(html: &str) {
        for button in html.split("<button").skip(1) {
            let text = button.split_once('>').map(|(_, rest)| rest).unwrap_or("");
            let label = text.split("</button>").next().unwrap_or("").trim();
            assert!(
                !label.is_empty() || button.contains("aria-label"),
                "unnamed button: {button}"
            );
        }
        for input in html.split("<input").skip(1) {
            let tag = input.split_once('>').map(|(t, _)| t).unwrap_or(input);
            let id = tag
                .split("id=\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
                .unwrap_or_else(|| panic!("input without an id: {tag}"));
            assert!(
                html.contains(&format!("for=\"{id}\"")),
                "input {id} has no label"
            );
        }
    }

    /// The app against a real mock server on 127.0.0.1, logged in as the
    /// bundled sample account (Dewi Lestari, whose passport has expired) and
    /// synced once: for screens whose content comes from the server.
    pub struct Live {
        pub rt: tokio::runtime::Runtime,
        /// Serves for as long as the test holds it.
        _mock: mpaspor_mock::RunningMock,
        pub store: Store,
        pub services: Services,
        /// Dewi, the account holder (local applicant id).
        pub holder: String,
    }

    impl Live {
        pub fn dewi(lang: Language) -> Live {
            let rt = tokio::runtime::Runtime::new().unwrap();
            let mock = rt
                .block_on(mpaspor_mock::start(
                    Default::default(),
                    "127.0.0.1:0".parse().unwrap(),
                ))
                .unwrap();
            rt.block_on(mpaspor_mock::scenarios::seed(
                &mock.state,
                "expired_passport",
            ))
            .unwrap();
            let store = store_in(lang);
            let services = Services::new(
                store.clone(),
                mpaspor_core::Secrets::in_memory(),
                &mock.url(),
                rt.handle().clone(),
                Some(mock.url()),
            )
            .unwrap();
            rt.block_on(async {
                services
                    .api()
                    .login(
                        crate::mock_mode::SAMPLE_EMAIL,
                        crate::mock_mode::SAMPLE_PASSWORD,
                    )
                    .await
                    .unwrap();
                services.engine.sync().await.unwrap();
            });
            let holder = store.applicants().unwrap()[0].id.clone();
            Live {
                rt,
                _mock: mock,
                store,
                services,
                holder,
            }
        }

        pub fn render(&self, path: &str) -> String {
            render_at(self.services.clone(), path)
        }
    }

    /// The app rendered on a fresh store where `lang` was chosen before.
    pub fn render_in(lang: Language) -> String {
        let store = Store::open_in_memory().unwrap();
        store.set_setting("language", lang.code()).unwrap();
        render_app(&store)
    }
}
