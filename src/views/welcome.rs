use crate::Route;
use crate::components::{LanguageSwitch, PassportIcon};
use crate::i18n::{Language, tr};
use crate::services::Services;
use dioxus::prelude::*;

/// The first screen: what the app is, in the applicant's language.
#[component]
pub fn Welcome() -> Element {
    let lang = use_context::<Signal<Language>>();
    let services = use_context::<Services>();
    let t = |key: &str| tr(lang(), key);
    let signed_in = services.engine.session().is_some();
    rsx! {
        main { id: "welcome", class: "screen welcome",
            header { class: "welcome-hero",
                PassportIcon {}
                h1 { id: "app-name", {t("app-name")} }
                p { id: "app-tagline", class: "tagline", {t("app-tagline")} }
            }
            nav { class: "actions", aria_label: t("welcome-actions"),
                if signed_in {
                    Link { id: "to-home", class: "primary", to: Route::Home {}, {t("welcome-continue")} }
                } else {
                    Link { id: "to-login", class: "primary", to: Route::Login {}, {t("welcome-login")} }
                    Link { id: "to-register", class: "secondary", to: Route::Register {}, {t("welcome-register")} }
                }
            }
            if services.mock.is_some() && !signed_in {
                p { id: "mock-account", class: "note note-mock", role: "note",
                    {crate::i18n::tr_with(lang(), "mock-account", &[
                        ("email", crate::mock_mode::SAMPLE_EMAIL.to_owned()),
                        ("password", crate::mock_mode::SAMPLE_PASSWORD.to_owned()),
                    ])}
                }
            }
            section { class: "card", aria_labelledby: "language-title",
                h2 { id: "language-title", {t("language-label")} }
                LanguageSwitch {}
            }
            section { class: "card", aria_labelledby: "points-title",
                h2 { id: "points-title", {t("welcome-points-title")} }
                ul { class: "points",
                    li { {t("welcome-point-draft")} }
                    li { {t("welcome-point-quota")} }
                    li { {t("welcome-point-pay")} }
                }
            }
            footer { class: "footnote", {t("welcome-footer")} }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::i18n::{Language, tr};
    use crate::testing::{Phone, assert_every_control_is_named, render_app, render_in};

    #[test]
    fn opens_in_indonesian_when_nothing_was_chosen() {
        let html = render_app(&Phone::unset());
        assert!(html.contains(r#"id="welcome""#));
        assert!(html.contains(&tr(Language::Id, "app-tagline")));
        assert!(html.contains(r#"lang="id""#));
        assert!(!html.contains(&tr(Language::En, "app-tagline")));
        // The chosen language is the pressed button.
        assert!(
            html.contains(r#"id="lang-id" class="chip chip-on""#),
            "{html}"
        );
    }

    #[test]
    fn opens_in_the_language_chosen_before() {
        let html = render_in(Language::En);
        assert!(html.contains(&tr(Language::En, "app-tagline")));
        assert!(html.contains(&tr(Language::En, "welcome-point-quota")));
        assert!(!html.contains(&tr(Language::Id, "welcome-point-quota")));
        assert!(
            html.contains(r#"id="lang-en" class="chip chip-on""#),
            "{html}"
        );
    }

    #[test]
    fn choosing_a_language_switches_the_text_at_once_and_is_remembered() {
        use crate::app::Root;
        use crate::context::choose_language;
        use dioxus::prelude::{ReadableExt, ScopeId, Signal, VirtualDom, consume_context};
        let phone = Phone::unset();
        let services = phone.services.clone();
        let mut dom = VirtualDom::new(Root).with_root_context(services.clone());
        dom.rebuild_in_place();
        assert!(dioxus_ssr::render(&dom).contains(&tr(Language::Id, "app-tagline")));
        // What the English button's click handler does.
        let lang = dom.in_scope(ScopeId::APP, || {
            let lang = consume_context::<Signal<Language>>();
            choose_language(&services.engine, lang, Language::En);
            lang
        });
        dom.render_immediate(&mut dioxus::core::NoOpMutations);
        let html = dioxus_ssr::render(&dom);
        assert!(html.contains(&tr(Language::En, "app-tagline")), "{html}");
        assert_eq!(dom.in_scope(ScopeId::APP, || *lang.read()), Language::En);
        // A restart reads the choice back.
        assert!(render_app(&phone.restarted()).contains(&tr(Language::En, "app-tagline")));
    }

    #[test]
    fn every_control_has_an_accessible_name() {
        for lang in Language::ALL {
            assert_every_control_is_named(&render_in(lang));
        }
    }
}
