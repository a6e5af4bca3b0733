//! My passports: those already issued to each family member (from the
//! travel-document integration, kept for offline), a warning when one
//! expires within six months, and "renew", which starts an application with
//! the old passport filled in.

use crate::Route;
use crate::components::{Frame, show_date};
use crate::hooks::{use_applicants, use_tr, use_travel_documents};
use crate::i18n::{Language, tr, tr_with};
use crate::services::Services;
use dioxus::prelude::*;
use mpaspor_core::engine::LocalApplicant;
use mpaspor_domain::{OfficeZone, Step};

#[component]
pub fn Passports() -> Element {
    let services = use_context::<Services>();
    let _lang = use_context::<Signal<Language>>();
    let t = use_tr();
    let people = use_applicants()();
    // Asks the registry once per visit; the kept copy shows meanwhile and
    // offline, and each person's answer shows when it is kept.
    {
        let services = services.clone();
        let ids: Vec<String> = people.iter().map(|p| p.id.clone()).collect();
        use_hook(move || {
            spawn(async move {
                for id in ids {
                    let engine = services.engine.clone();
                    let _ = services
                        .run(async move { engine.travel_documents(&id).await })
                        .await;
                }
            });
        });
    }
    rsx! {
        Frame { id: "passports", title: t("passports-title"),
            p { class: "muted", {t("passports-intro")} }
            for person in people {
                Person { person }
            }
        }
    }
}

#[component]
fn Person(person: LocalApplicant) -> Element {
    let services = use_context::<Services>();
    let lang = use_context::<Signal<Language>>();
    let t = use_tr();
    let mut problem = use_signal(|| None::<String>);
    let known = use_travel_documents(&person.id)();
    let today = OfficeZone::Wib.local_date(services.engine.server_now());
    rsx! {
        section { id: "passports-{person.id}", class: "card", aria_labelledby: "person-{person.id}",
            h2 { id: "person-{person.id}", {person.input.full_name.clone()} }
            match known {
                _ if person.input.nik.is_none() => rsx! {
                    p { id: "no-nik-{person.id}", class: "muted", {t("passports-no-nik")} }
                    Link { class: "secondary small", to: Route::Family {}, {t("home-family")} }
                },
                None => rsx! { p { class: "muted", {t("passports-unknown")} } },
                Some(list) if list.is_empty() => rsx! { p { class: "muted", {t("passports-none")} } },
                Some(list) => rsx! {
                    ul { class: "plain",
                        for doc in list {
                            {
                                let soon = doc.expires_within_six_months(today);
                                let expired = doc.expires_on < today;
                                let doc2 = doc.clone();
                                let services = services.clone();
                                let applicant = person.id.clone();
                                rsx! {
                                    li { id: "passport-{doc.number.as_str()}", class: "old-passport",
                                        div {
                                            strong { "{doc.number.as_str()}" }
                                            p { {tr_with(lang(), "passport-line", &[
                                                ("type", t(&format!("passport-{}", doc.passport_type.as_str()))),
                                                ("issued", show_date(doc.issued_on)),
                                                ("expires", show_date(doc.expires_on)),
                                            ])} }
                                            p { {t(&format!("passport-status-{}", doc.status.as_str()))} }
                                            if soon && !expired {
                                                p { id: "expires-soon-{doc.number.as_str()}", class: "note note-warn", role: "status",
                                                    "⚠ " {tr_with(lang(), "passports-expires-soon", &[("date", show_date(doc.expires_on))])} }
                                            }
                                        }
                                        if doc.can_be_replaced() {
                                            button { id: "renew-{doc.number.as_str()}", class: "primary", r#type: "button",
                                                onclick: move |_| match services.engine.begin_renewal(&applicant, &doc2) {
                                                    Ok(draft) => {
                                                        services.nudge();
                                                        navigator().push(Route::Apply { draft, step: Step::Service });
                                                    }
                                                    Err(e) => problem.set(Some(e.key())),
                                                },
                                                {t("passports-renew")}
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                },
            }
            if let Some(key) = problem() {
                p { class: "note note-bad", role: "alert", "⚠ {tr(lang(), &key)}" }
            }
        }
    }
}

#[cfg(all(test, feature = "bundled-mock"))]
mod tests {
    use crate::i18n::{Language, tr, tr_with};
    use crate::testing::{Live, assert_every_control_is_named};
    use mpaspor_domain::api::{TravelDocument, TravelDocumentStatus};
    use mpaspor_domain::{PassportNumber, PassportType};

    #[test]
    fn each_persons_passports_with_a_warning_and_renew_filling_the_old_one() {
        for lang in Language::ALL {
            let live = Live::dewi(lang);
            let engine = live.services.engine.clone();
            let holder = live.holder.clone();
            let known = live
                .rt
                .block_on(async move { engine.travel_documents(&holder).await })
                .unwrap()
                .unwrap();
            assert_eq!(known[0].number.as_str(), "C1234567");
            // A second passport of hers, valid for three more months (kept as the sync keeps them).
            let today =
                mpaspor_domain::OfficeZone::Wib.local_date(live.services.engine.server_now());
            let soon = TravelDocument {
                number: PassportNumber::parse("E7654321").unwrap(),
                passport_type: PassportType::Elektronik,
                issued_on: today - jiff::Span::new().years(5),
                expires_on: today + jiff::Span::new().months(3),
                status: TravelDocumentStatus::Valid,
                issuing_office: "Kantor Imigrasi Jakarta Selatan".into(),
            };
            let mut both = known.clone();
            both.push(soon.clone());
            live.phone.keep_travel_documents(&live.holder, &both);

            let html = live.render("/passports");
            assert!(html.contains("Dewi Lestari"), "{html}");
            assert!(html.contains(r#"id="passport-C1234567""#));
            assert!(html.contains(&tr(lang, "passport-status-expired")));
            assert!(!html.contains(r#"id="expires-soon-C1234567""#));
            assert!(html.contains(r#"id="expires-soon-E7654321""#));
            let date = crate::components::show_date(soon.expires_on);
            assert!(html.contains(&tr_with(lang, "passports-expires-soon", &[("date", date)])));
            assert!(html.contains(r#"id="renew-C1234567""#));
            assert_every_control_is_named(&html);

            // What "renew" does: a draft for her with the old passport as the one replaced.
            let draft = live
                .services
                .engine
                .begin_renewal(&live.holder, &known[0])
                .unwrap();
            let body = live.services.engine.draft(&draft).unwrap().body;
            let r = body.replacement.unwrap();
            assert_eq!(r.old_passport_number.unwrap().as_str(), "C1234567");
            assert_eq!(r.reason, mpaspor_domain::ReplacementReason::ExpiredOrFull);
            assert_eq!(body.passport_type, Some(known[0].passport_type));
            assert_eq!(body.personal.full_name.as_deref(), Some("Dewi Lestari"));
            let html = live.render(&format!("/apply/{draft}/replacement"));
            assert!(html.contains(&tr(lang, "old-passport-chosen")), "{html}");
        }
    }
}
