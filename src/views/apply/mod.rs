//! The application, one step per screen and one file per step, every
//! choice saved the moment it is made (a field of the draft in SQLite). This
//! file is the screen around them: the progress, the step's problem, "next"
//! (after the live Dukcapil check on the personal step).

mod documents;
mod kind;
mod office;
mod passport;
mod personal;
mod purpose;
mod replacement;
mod review;
mod schedule;
mod service;

pub use documents::take_photo;
#[cfg(test)]
pub use documents::tests::card_jpeg;

use crate::Route;
use crate::components::Frame;
use crate::hooks::{use_documents, use_draft, use_tr};
use crate::i18n::{Language, tr, tr_with};
use crate::services::Services;
use dioxus::prelude::*;
use mpaspor_core::engine::LocalDocument;
use mpaspor_domain::DraftId;
use mpaspor_domain::eligibility::DocumentKind;
use mpaspor_domain::{DraftField, Step};
use serde_json::Value;

/// The kinds of the pictures attached to a draft (uploaded or waiting to be).
pub(crate) fn kinds(attached: &[LocalDocument]) -> Vec<DocumentKind> {
    attached.iter().map(|a| a.kind).collect()
}

pub(crate) use mpaspor_domain::draft::wire;

#[component]
pub fn Apply(draft: DraftId, step: Step) -> Element {
    let services = use_context::<Services>();
    let lang = use_context::<Signal<Language>>();
    let t = use_tr();
    let mut problem = use_signal(|| None::<String>);
    let mut check_failed = use_signal(|| None::<String>);
    let mut checking = use_signal(|| false);
    let mut offline_ack = use_signal(|| false);
    // A new step opens at its top, not where the last one was scrolled to.
    use_effect(use_reactive!(|step| {
        let _ = step;
        document::eval("window.scrollTo(0, 0)");
    }));
    let kept = use_draft(&draft);
    let attached = use_documents(&draft);
    let Some(current) = kept() else {
        return rsx! {
            main { id: "apply", class: "screen",
                p { class: "note note-bad", role: "alert", {t("store-error-not-found")} }
                Link { class: "primary", to: Route::Home {}, {t("home-title")} }
            }
        };
    };
    let d = current.body.clone();
    let index = step.index();
    let total = Step::ALL.len();
    let save = {
        let services = services.clone();
        let draft = draft.clone();
        move |(field, value): (DraftField, Value)| match services
            .engine
            .save_field(&draft, field, &value)
        {
            Ok(()) => problem.set(None),
            Err(e) => problem.set(Some(e.key())),
        }
    };
    let go_on = {
        let draft = draft.clone();
        move || match step.next() {
            Some(next) => {
                navigator().push(Route::Apply {
                    draft: draft.clone(),
                    step: next,
                });
            }
            None => {
                navigator().replace(Route::Home {});
            }
        }
    };
    let next = {
        let services = services.clone();
        let body = d.clone();
        let applicant = current.applicant_id.clone();
        move |_| {
            services.nudge();
            if step != Step::Personal || offline_ack() {
                go_on();
                return;
            }
            // The live Dukcapil check before leaving the personal data.
            let services = services.clone();
            let body = body.clone();
            let applicant = applicant.clone();
            let go_on = go_on.clone();
            checking.set(true);
            spawn(async move {
                let engine = services.engine.clone();
                let asked = body.clone();
                let verdict = services
                    .run(async move { engine.check_identity(&asked).await })
                    .await;
                checking.set(false);
                match verdict {
                    Ok(None) => {
                        check_failed.set(None);
                        if let Err(e) = services.engine.keep_confirmed_nik(&applicant, &body) {
                            tracing::warn!("the NIK was not kept on the person: {e}");
                        }
                        go_on();
                    }
                    Ok(Some(key)) => check_failed.set(Some(tr(lang(), &key))),
                    Err(e) => {
                        check_failed.set(None);
                        let transient = e.is_transient();
                        problem.set(Some(if transient {
                            "nik-check-offline".into()
                        } else {
                            e.key()
                        }));
                        offline_ack.set(transient);
                    }
                }
            });
        }
    };
    let attached = attached();
    let ready = match step {
        Step::Schedule => current.slot_id.is_some(),
        _ => step.is_complete(&d, &kinds(&attached)),
    };
    rsx! {
        Frame { id: "apply", title: t("apply-title"),
            div { class: "progress",
                p { id: "step-count", {tr_with(lang(), "apply-step-of", &[("n", (index + 1).to_string()), ("total", total.to_string())])} }
                div { class: "progress-track", role: "progressbar", aria_label: t("apply-progress"),
                    aria_valuemin: "1", aria_valuemax: "{total}", aria_valuenow: "{index + 1}",
                    div { class: "progress-fill", style: "width: {(index + 1) * 100 / total}%" }
                }
            }
            if let Some(key) = problem() {
                p { id: "step-error", class: "note note-bad", role: "alert", "⚠ {tr(lang(), &key)}" }
            }
            section { id: "step-{step}", class: "card form", aria_labelledby: "step-title",
                h2 { id: "step-title", {t(&format!("step-{step}"))} }
                match step {
                    Step::Service => rsx! { service::ServiceStep { draft: d.clone(), save: save.clone() } },
                    Step::Kind => rsx! { kind::KindStep { draft: d.clone(), save: save.clone() } },
                    Step::Replacement => rsx! { replacement::ReplacementStep { current: current.clone(), save: save.clone() } },
                    Step::Passport => rsx! { passport::PassportStep { draft: d.clone(), save: save.clone() } },
                    Step::Purpose => rsx! { purpose::PurposeStep { draft: d.clone(), save: save.clone() } },
                    Step::Office => rsx! { office::OfficeStep { draft: d.clone(), save: save.clone() } },
                    Step::Personal => rsx! {
                        personal::PersonalStep { draft: d.clone(), save: save.clone(), check_failed: check_failed() }
                    },
                    Step::Documents => rsx! {
                        documents::DocumentsStep { draft_id: draft.clone(), draft: d.clone(), attached: attached.clone() }
                    },
                    Step::Schedule => rsx! {
                        schedule::ScheduleStep { current: current.clone() }
                    },
                    Step::Review => rsx! {
                        review::ReviewStep { current: current.clone() }
                    },
                }
            }
            p { class: "muted saved", role: "status", {t("apply-saved")} }
            if step != Step::Review {
            button { id: "next", class: "primary", r#type: "button", disabled: !ready || checking(), onclick: next,
                if checking() { {t("nik-checking")} }
                else if step.next().is_some() { {t("apply-next")} } else { {t("apply-save-exit")} }
            }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::i18n::{Language, tr};
    use crate::testing::{assert_every_control_is_named, holder_draft, render_at};
    use mpaspor_domain::{DraftField, Step};
    use serde_json::json;

    #[test]
    fn every_step_renders_in_both_languages_with_its_progress_and_named_controls() {
        for lang in Language::ALL {
            let (phone, draft) = holder_draft(lang);
            for (i, step) in Step::ALL.iter().enumerate() {
                let html = render_at(phone.services.clone(), &format!("/apply/{draft}/{step}"));
                assert!(
                    html.contains(&format!(r#"id="step-{step}""#)),
                    "{step}: {html}"
                );
                assert!(html.contains(&tr(lang, &format!("step-{step}"))));
                assert!(html.contains(&format!(r#"aria-valuenow="{}""#, i + 1)));
                assert_every_control_is_named(&html);
            }
        }
    }

    #[test]
    fn a_choice_is_shown_as_chosen_and_opens_the_next_step() {
        let (phone, draft) = holder_draft(Language::Id);
        let html = render_at(phone.services.clone(), &format!("/apply/{draft}/service"));
        assert!(
            html.contains(r#"id="next" class="primary" type="button" disabled"#),
            "{html}"
        );
        phone
            .engine()
            .save_field(&draft, DraftField::Service, &json!("percepatan"))
            .unwrap();
        let html = render_at(phone.services.clone(), &format!("/apply/{draft}/service"));
        assert!(html.contains(r#"id="service-1" type="button" role="radio" class="option option-on" aria-checked="true""#), "{html}");
        assert!(!html.contains(r#"id="next" class="primary" type="button" disabled"#));
        let services = phone.services.clone();
        assert_eq!(services.engine.resume_step(&draft).unwrap(), Step::Kind);
    }
}
