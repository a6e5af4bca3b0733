//! New or replacement: the passports already issued to the person are
//! offered (travel-document integration); a replacement asks the old number
//! unless the passport was lost, and whether force majeure was the cause.

use super::wire;
use crate::components::Field;
use crate::hooks::use_tr;
use crate::i18n::{Language, tr_with};
use crate::services::Services;
use dioxus::prelude::*;
use mpaspor_core::engine::Draft;
use mpaspor_domain::DraftField;
use mpaspor_domain::api::Replacement;
use mpaspor_domain::choice::ReplacementReason;
use mpaspor_domain::ids::PassportNumber;
use serde_json::Value;

/// New passport, or a replacement: why, and the old passport's number.
#[component]
pub fn ReplacementStep(current: Draft, save: Callback<(DraftField, Value)>) -> Element {
    let lang = use_context::<Signal<Language>>();
    let t = use_tr();
    let r = current.body.replacement.clone();
    let number = use_signal(|| {
        r.as_ref()
            .and_then(|r| r.old_passport_number.as_ref())
            .map(|n| n.as_str().to_owned())
            .unwrap_or_default()
    });
    let typed = number.read().trim().to_uppercase();
    let parsed = (!typed.is_empty()).then(|| PassportNumber::parse(&typed));
    // Save the number as soon as it reads as a passport number (checked against
    // what is saved now, not what this render was given).
    {
        let services = use_context::<Services>();
        let draft = current.id.clone();
        use_effect(move || {
            let typed = number.read().trim().to_uppercase();
            let Ok(n) = PassportNumber::parse(&typed) else {
                return;
            };
            let saved = services
                .engine
                .draft(&draft)
                .ok()
                .and_then(|d| d.body.replacement);
            if let Some(mut rep) = saved
                && rep.old_passport_number.as_ref() != Some(&n)
            {
                rep.old_passport_number = Some(n);
                save.call((DraftField::Replacement, wire(&rep)));
            }
        });
    }
    // The passports already issued to this person, from the travel-document
    // integration: one tap fills the reason and the old number.
    let services = use_context::<Services>();
    let mut passports = use_signal(|| {
        services
            .engine
            .kept_travel_documents(&current.applicant_id)
            .ok()
            .flatten()
            .unwrap_or_default()
    });
    {
        let services = services.clone();
        let applicant = current.applicant_id.clone();
        use_future(move || {
            let services = services.clone();
            let applicant = applicant.clone();
            async move {
                let engine = services.engine.clone();
                if let Ok(Some(found)) = services
                    .run(async move { engine.travel_documents(&applicant).await })
                    .await
                {
                    passports.set(found);
                }
            }
        });
    }
    let passports = passports();
    let mut number_typed = number;
    let reason_of = |reason: ReplacementReason| {
        wire(Replacement {
            reason,
            old_passport_number: r.as_ref().and_then(|r| r.old_passport_number.clone()),
            force_majeure: false,
        })
    };
    rsx! {
        if !passports.is_empty() {
            section { id: "old-passports", class: "note old-passports",
                strong { {t("old-passports-title")} }
                ul { class: "plain",
                    for p in passports.iter() {
                        {
                            let chosen = r.as_ref().and_then(|r| r.old_passport_number.as_ref()) == Some(&p.number);
                            let n = p.number.clone();
                            let replacement = wire(p.replacement());
                            let can_renew = p.can_be_replaced();
                            rsx! {
                                li { id: "old-passport-{p.number.as_str()}", class: "old-passport",
                                    div {
                                        strong { "{p.number.as_str()}" }
                                        p { {tr_with(lang(), "old-passport-line", &[
                                            ("type", t(&format!("passport-{}", p.passport_type.as_str()))),
                                            ("expires", crate::components::show_date(p.expires_on)),
                                            ("status", t(&format!("passport-status-{}", p.status.as_str()))),
                                        ])} }
                                    }
                                    if chosen {
                                        span { class: "ok", "✓ " {t("old-passport-chosen")} }
                                    } else if can_renew {
                                        button { id: "use-passport-{p.number.as_str()}", class: "secondary", r#type: "button",
                                            onclick: move |_| {
                                                number_typed.set(n.as_str().to_owned());
                                                save.call((DraftField::Replacement, replacement.clone()));
                                            },
                                            {t("old-passport-use")}
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        div { class: "options", role: "radiogroup", id: "replacement",
            button { id: "replacement-new", r#type: "button", role: "radio",
                class: if r.is_none() { "option option-on" } else { "option" },
                aria_checked: if r.is_none() { "true" } else { "false" },
                onclick: move |_| save.call((DraftField::Replacement, Value::Null)),
                strong { {t("replacement-none")} }
                span { {t("replacement-none-note")} }
            }
            for reason in [ReplacementReason::ExpiredOrFull, ReplacementReason::Lost, ReplacementReason::Damaged] {
                button { id: "replacement-{reason.as_str()}", r#type: "button", role: "radio",
                    class: if r.as_ref().map(|r| r.reason) == Some(reason) { "option option-on" } else { "option" },
                    aria_checked: if r.as_ref().map(|r| r.reason) == Some(reason) { "true" } else { "false" },
                    onclick: { let v = reason_of(reason); move |_| save.call((DraftField::Replacement, v.clone())) },
                    strong { {t(&format!("replacement-{}", reason.as_str()))} }
                }
            }
        }
        if let Some(rep) = r.clone() {
            Field { id: "old_passport", label: t("field-old-passport"), value: number,
                hint: t("field-old-passport-hint"),
                error: match &parsed { Some(Err(_)) => Some(t("old-passport-bad")), _ => None } }
            if rep.reason != ReplacementReason::ExpiredOrFull {
                label { class: "check", r#for: "force_majeure",
                    input { id: "force_majeure", r#type: "checkbox", checked: rep.force_majeure,
                        onchange: { let rep = rep.clone(); move |e: FormEvent| {
                            let mut rep = rep.clone();
                            rep.force_majeure = e.checked();
                            save.call((DraftField::Replacement, wire(&rep)));
                        } } }
                    span { {t("field-force-majeure")} }
                }
                if rep.force_majeure {
                    p { id: "force-majeure-note", class: "field-hint", {t("field-force-majeure-note")} }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::i18n::{Language, tr};
    #[cfg(feature = "bundled-mock")]
    use crate::testing::Live;
    use crate::testing::{assert_every_control_is_named, holder_draft, render_at};
    use mpaspor_domain::{DraftField, Step};
    use serde_json::json;

    #[test]
    #[cfg(feature = "bundled-mock")]
    fn the_passports_already_issued_are_offered_for_replacement() {
        for lang in Language::ALL {
            let live = Live::dewi(lang);
            let draft = live.phone.empty_draft(&live.holder);
            let path = format!("/apply/{draft}/replacement");
            // The step asks the server when it opens; here the engine is asked first.
            let engine = live.services.engine.clone();
            let holder = live.holder.clone();
            live.rt
                .block_on(async move { engine.travel_documents(&holder).await })
                .unwrap();
            let html = live.render(&path);
            assert!(html.contains(r#"id="old-passport-C1234567""#), "{html}");
            assert!(html.contains(&tr(lang, "passport-status-expired")));
            assert!(html.contains(r#"id="use-passport-C1234567""#));
            assert_every_control_is_named(&html);
            // What the button saves: a replacement of that passport, shown as chosen.
            live.services.engine
                .save_field(
                    &draft,
                    DraftField::Replacement,
                    &json!({"reason": "expired_or_full", "old_passport_number": "C1234567", "force_majeure": false}),
                )
                .unwrap();
            let html = live.render(&path);
            assert!(html.contains(&tr(lang, "old-passport-chosen")));
            assert!(!html.contains(r#"id="use-passport-C1234567""#));
            assert!(html.contains(r#"value="C1234567""#), "{html}");
        }
    }

    #[test]
    fn a_replacement_needs_the_old_number_unless_it_was_lost() {
        let (phone, draft) = holder_draft(Language::En);
        let body = || phone.engine().draft(&draft).unwrap().body;
        assert!(
            Step::Replacement.is_complete(&body(), &[]),
            "a first passport"
        );
        let expired = json!({"reason": "expired_or_full", "old_passport_number": null, "force_majeure": false});
        phone
            .engine()
            .save_field(&draft, DraftField::Replacement, &expired)
            .unwrap();
        assert!(!Step::Replacement.is_complete(&body(), &[]));
        let lost = json!({"reason": "lost", "old_passport_number": null, "force_majeure": true});
        phone
            .engine()
            .save_field(&draft, DraftField::Replacement, &lost)
            .unwrap();
        assert!(Step::Replacement.is_complete(&body(), &[]));
        // The claim says where the waiver comes from, on this step and beside the fee.
        let html = render_at(
            phone.services.clone(),
            &format!("/apply/{draft}/replacement"),
        );
        assert!(html.contains(r#"id="force-majeure-note""#), "{html}");
        let numbered =
            json!({"reason": "damaged", "old_passport_number": "C1234567", "force_majeure": false});
        phone
            .engine()
            .save_field(&draft, DraftField::Replacement, &numbered)
            .unwrap();
        assert!(Step::Replacement.is_complete(&body(), &[]));
        let html = render_at(
            phone.services.clone(),
            &format!("/apply/{draft}/replacement"),
        );
        assert!(html.contains(r#"id="old_passport""#) && html.contains(r#"id="force_majeure""#));
        assert_every_control_is_named(&html);
    }
}
