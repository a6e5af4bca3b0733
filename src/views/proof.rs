//! The proof of application: the signed QR code the office scans, the day and
//! time window in the office's zone, the office and its address, and the
//! originals to bring. Drawn from the copy kept on the phone, so it opens
//! with no network at all.

use crate::Route;
use crate::components::{Frame, show_date};
use crate::hooks::use_tr;
use crate::i18n::{Language, tr_with};
use crate::services::Services;
use dioxus::prelude::*;
use mpaspor_domain::{ApplicationId, ApplicationState};
use qrcode::{EcLevel, QrCode};

/// The QR code of a receipt's signed payload (medium error correction: it
/// still scans from a cracked or dim phone screen).
pub fn qr_code(payload: &str) -> Option<QrCode> {
    QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M).ok()
}

fn qr_svg(code: &QrCode) -> String {
    code.render::<qrcode::render::svg::Color>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build()
}

#[component]
pub fn Proof(id: ApplicationId) -> Element {
    let services = use_context::<Services>();
    let lang = use_context::<Signal<Language>>();
    let t = use_tr();
    let receipt = services.engine.receipt(&id).ok().flatten();
    // A proof stands only while the application does (not cancelled, not
    // expired, not missed) and until its appointment is over.
    let state = services
        .engine
        .application(&id)
        .ok()
        .flatten()
        .map(|v| v.app.state);
    let stands = matches!(
        state,
        Some(
            ApplicationState::Paid
                | ApplicationState::Interviewed
                | ApplicationState::Approved
                | ApplicationState::Printed
                | ApplicationState::ReadyForPickup
        )
    );
    rsx! {
        Frame { id: "proof", title: t("proof-title"),
            match receipt {
                None => rsx! {
                    p { id: "no-proof", class: "note", {t("proof-none")} }
                    Link { class: "secondary", to: Route::Home {}, {t("home-title")} }
                },
                Some(_) if !stands => rsx! {
                    p { id: "proof-void", class: "note note-warn", role: "status", {t("proof-void")} }
                    Link { class: "secondary", to: Route::Home {}, {t("home-title")} }
                },
                Some(r) => {
                    let d = &r.details;
                    let svg = qr_code(&r.qr_payload).map(|c| qr_svg(&c));
                    rsx! {
                        section { class: "card proof",
                            if let Some(svg) = svg {
                                div { id: "qr", class: "qr", role: "img", aria_label: t("proof-qr"),
                                    dangerous_inner_html: svg }
                            }
                            p { class: "muted center", {t("proof-show")} }
                            dl { class: "facts",
                                dt { {t("proof-for")} }
                                dd { id: "proof-name", "{d.applicant_name}" br {} span { class: "muted", "NIK …{d.nik_last4}" } }
                                dt { {t("proof-when")} }
                                dd { id: "proof-when", "{show_date(d.date)} {d.window.show(d.zone)}" }
                                dt { {t("proof-office")} }
                                dd { id: "proof-office", strong { "{d.office_name}" } br {} "{d.office_address}" }
                                dt { {t("proof-ntpn")} }
                                dd { id: "proof-ntpn", "{d.ntpn.as_str()}" }
                            }
                        }
                        section { class: "card",
                            h2 { {t("proof-bring")} }
                            ul { id: "originals",
                                for kind in d.originals.iter() {
                                    li { {t(&format!("doc-{}", kind.as_str()))} }
                                }
                            }
                            p { class: "field-hint", {tr_with(lang(), "proof-arrive", &[("zone", d.zone.label().to_string())])} }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(all(test, feature = "bundled-mock"))]
mod tests {
    use super::qr_code;
    use crate::i18n::{Language, tr};
    use crate::testing::{Live, assert_every_control_is_named};

    /// What the office's scanner reads back from the code the screen draws.
    fn scan(payload: &str) -> String {
        let code = qr_code(payload).unwrap();
        let img = code
            .render::<image::Luma<u8>>()
            .module_dimensions(4, 4)
            .build();
        let mut prepared = rqrr::PreparedImage::prepare(img);
        let grids = prepared.detect_grids();
        assert_eq!(grids.len(), 1);
        grids[0].decode().unwrap().1
    }

    #[test]
    fn the_proof_shows_a_scannable_signed_code_and_opens_offline() {
        for lang in Language::ALL {
            let live = Live::dewi(lang);
            let id = live.paid_application();
            let receipt = live
                .services
                .engine
                .receipt(&id)
                .unwrap()
                .expect("kept by sync");
            // The code on screen carries the signed payload as it came.
            assert_eq!(scan(&receipt.qr_payload), receipt.qr_payload);
            assert!(receipt.qr_payload.starts_with("MPASPOR1."));
            // Offline: every request fails, the screen draws from the phone's copy.
            live.cut_network();
            let html = live.render(&format!("/proof/{id}"));
            assert!(
                html.contains(r#"id="qr""#) && html.contains("<svg"),
                "{html}"
            );
            assert!(html.contains(&receipt.details.office_name));
            assert!(html.contains(&receipt.details.office_address));
            assert!(html.contains(receipt.details.ntpn.as_str()));
            assert!(html.contains(&receipt.details.window.show(receipt.details.zone)));
            assert!(html.contains("WIB") || html.contains("WITA") || html.contains("WIT"));
            for kind in &receipt.details.originals {
                assert!(html.contains(&tr(lang, &format!("doc-{}", kind.as_str()))));
            }
            assert_every_control_is_named(&html);
            // Home leads to it.
            let html = live.render("/home");
            assert!(html.contains(&format!(r#"id="proof-{id}""#)), "{html}");
        }
    }

    /// A proof kept after its application was cancelled (the fee
    /// forfeited) drew its QR code as if it still stood.
    #[test]
    fn a_cancelled_application_shows_no_code() {
        let live = Live::dewi(Language::En);
        let id = live.paid_application();
        let draft = live
            .services
            .engine
            .application(&id)
            .unwrap()
            .unwrap()
            .draft
            .expect("filed from this phone");
        live.services.engine.cancel(&draft, true).unwrap();
        live.sync();
        assert_eq!(live.state(&id), mpaspor_domain::ApplicationState::Cancelled);
        let html = live.render(&format!("/proof/{id}"));
        assert!(html.contains(r#"id="proof-void""#), "{html}");
        assert!(!html.contains(r#"id="qr""#));
    }
}
