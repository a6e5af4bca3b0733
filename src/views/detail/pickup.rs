//! The passport is ready: where, by when (30 days, by the server's clock, in
//! the office's zone), who may collect it and what each brings, and the
//! power of attorney (surat kuasa) for anyone else, made here as a PDF.

use crate::components::{Field, show_date};
use crate::hooks::use_tr;
use crate::i18n::{Language, tr, tr_with};
use crate::services::Services;
use dioxus::prelude::*;
use mpaspor_core::engine::Party;
use mpaspor_domain::api::Application;
use mpaspor_domain::schedule::pickup_last_day;
use mpaspor_domain::{ApplicationState, OfficeZone};

#[component]
pub fn Pickup(app: Application, zone: OfficeZone) -> Element {
    let services = use_context::<Services>();
    let lang = use_context::<Signal<Language>>();
    let t = use_tr();
    let ready_at = app
        .timeline
        .iter()
        .rev()
        .find(|e| e.state == ApplicationState::ReadyForPickup)
        .map(|e| e.at);
    let office_id = app.draft.office_id.clone().unwrap_or_default();
    let office = services.engine.kept_office(&office_id);
    let name = office
        .as_ref()
        .map_or(office_id.to_string(), |o| o.name.clone());
    let address = office.map(|o| o.address).unwrap_or_default();
    rsx! {
        section { id: "pickup", class: "card", aria_labelledby: "pickup-title",
            h2 { id: "pickup-title", {t("pickup-title")} }
            p { id: "pickup-where", {tr_with(lang(), "pickup-where", &[("office", name), ("address", address)])} }
            if let Some(at) = ready_at {
                p { id: "pickup-by", strong { {tr_with(lang(), "pickup-by", &[("date", show_date(pickup_last_day(at, zone)))])} } }
            }
            h3 { class: "sub", {t("pickup-who")} }
            dl { class: "pickup-who",
                dt { {t("pickup-self")} }
                dd { {t("pickup-self-brings")} }
                dt { {t("pickup-family")} }
                dd { {t("pickup-family-brings")} }
                dt { {t("pickup-proxy")} }
                dd { {t("pickup-proxy-brings")} }
            }
            Attorney { app: app.clone() }
        }
    }
}

/// The collector's details, and the letter made from them.
#[component]
fn Attorney(app: Application) -> Element {
    let services = use_context::<Services>();
    let lang = use_context::<Signal<Language>>();
    let t = use_tr();
    let name = use_signal(String::new);
    let nik = use_signal(String::new);
    let born = use_signal(String::new);
    let address = use_signal(String::new);
    let relationship = use_signal(String::new);
    let mut saved = use_signal(|| None::<std::path::PathBuf>);
    let mut problem = use_signal(|| None::<String>);
    let id = app.id.clone();
    rsx! {
        details { id: "attorney", class: "attorney",
            summary { {t("attorney-title")} }
            p { class: "muted", {t("attorney-intro")} }
            Field { id: "attorney-name", label: t("attorney-field-name"), value: name, autocomplete: "off" }
            Field { id: "attorney-nik", label: t("attorney-field-nik"), value: nik, inputmode: "numeric", autocomplete: "off" }
            Field { id: "attorney-born", label: t("attorney-field-born"), value: born, autocomplete: "off" }
            Field { id: "attorney-address", label: t("attorney-field-address"), value: address, autocomplete: "off" }
            Field { id: "attorney-relationship", label: t("attorney-field-relationship"), value: relationship, autocomplete: "off" }
            button { id: "attorney-make", class: "primary", r#type: "button",
                onclick: move |_| {
                    let proxy = Party {
                        name: name.read().clone(),
                        nik: nik.read().clone(),
                        born: born.read().clone(),
                        address: address.read().clone(),
                    };
                    let made = services
                        .engine
                        .power_of_attorney(&id, proxy, &relationship.read())
                        .map_err(|e| e.key())
                        .and_then(|pdf| {
                            crate::platform::save_document(&format!("surat-kuasa-{id}.pdf"), &pdf).map_err(|e| {
                                tracing::warn!("the letter was not saved: {e}");
                                "attorney-save-failed".to_owned()
                            })
                        });
                    match made {
                        Ok(path) => {
                            problem.set(None);
                            saved.set(Some(path));
                        }
                        Err(key) => problem.set(Some(key)),
                    }
                },
                {t("attorney-make")}
            }
            if let Some(key) = problem() {
                p { id: "attorney-problem", class: "field-error", role: "alert", "⚠ {tr(lang(), &key)}" }
            }
            if let Some(path) = saved() {
                p { id: "attorney-saved", class: "ok", role: "status",
                    "✓ " {tr_with(lang(), "attorney-saved", &[("path", path.display().to_string())])}
                }
                button { id: "attorney-open", class: "secondary", r#type: "button",
                    onclick: move |_| {
                        if let Err(e) = crate::platform::open_document(&path) {
                            tracing::info!("the letter was not opened: {e}");
                            problem.set(Some("attorney-open-failed".into()));
                        }
                    },
                    {t("attorney-open")}
                }
            }
        }
    }
}

#[cfg(all(test, feature = "bundled-mock"))]
mod live_tests {
    use crate::i18n::{Language, tr};
    use crate::testing::{Live, assert_every_control_is_named};

    #[test]
    fn a_ready_passport_says_where_by_when_who_and_offers_the_letter() {
        for lang in Language::ALL {
            let live = Live::dewi(lang);
            let id = live.paid_application();
            for to in ["interviewed", "approved", "printed", "ready"] {
                live.advance(&id, to);
            }
            let html = live.render(&format!("/application/{id}"));
            assert!(html.contains(r#"id="pickup-by""#), "{html}");
            // The page escapes the apostrophes of "collector's".
            let plain = html.replace("&#39;", "'").replace("&#x27;", "'");
            for key in [
                "pickup-self-brings",
                "pickup-family-brings",
                "pickup-proxy-brings",
                "attorney-make",
            ] {
                assert!(plain.contains(&tr(lang, key)), "{key} in {plain}");
            }
            assert!(html.contains(r#"id="attorney-nik""#));
            assert_every_control_is_named(&html);
        }
    }
}
