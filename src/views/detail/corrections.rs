//! What the office asked to correct, at the top of the application: the
//! document to photograph again (the same checks and upload as the
//! documents step) or the field to fix, the reason, the deadline in the
//! office's time, and what happens if it passes. Nothing is paid again.

use crate::components::{Field, show_moment};
use crate::hooks::{use_documents, use_tr};
use crate::i18n::{Language, tr, tr_with};
use crate::platform::Source;
use crate::services::Services;
use crate::views::take_photo;
use dioxus::prelude::*;
use mpaspor_domain::api::{Application, Correction, CorrectionState};
use mpaspor_domain::draft::{fields_of, wire};
use mpaspor_domain::{DraftId, OfficeZone};

/// What a correction is about, in words.
pub fn what(lang: Language, c: &Correction) -> String {
    match (c.document, c.field) {
        (Some(doc), _) => tr(lang, &format!("doc-{}", doc.as_str())),
        (_, Some(field)) => tr(lang, &format!("fix-{}", field.as_str().replace('.', "-"))),
        _ => String::new(),
    }
}

/// The corrections asked of `app`, open ones with their fix, settled ones
/// with their outcome.
#[component]
pub fn Corrections(app: Application, draft: Option<DraftId>, zone: OfficeZone) -> Element {
    let t = use_tr();
    if app.corrections.is_empty() {
        return rsx! {};
    }
    let open = app.open_corrections().count() > 0;
    rsx! {
        section { id: "corrections", class: if open { "card card-alert" } else { "card" }, aria_labelledby: "corrections-title",
            h2 { id: "corrections-title", {t("correction-title")} }
            for c in app.corrections.iter().rev() {
                CorrectionItem { key: "{c.id}", correction: c.clone(), app: app.clone(), draft: draft.clone(), zone }
            }
        }
    }
}

#[component]
fn CorrectionItem(
    correction: Correction,
    app: Application,
    draft: Option<DraftId>,
    zone: OfficeZone,
) -> Element {
    let lang = use_context::<Signal<Language>>();
    let t = use_tr();
    let c = correction;
    let due = show_moment(c.due_at, zone);
    rsx! {
        div { id: "correction-{c.id}", class: "correction correction-{c.state.as_str()}",
            p { strong { {tr_with(lang(), "correction-what", &[("what", what(lang(), &c))])} } }
            p { class: "muted", {tr_with(lang(), "correction-reason", &[("reason", c.reason.clone())])} }
            match c.state {
                CorrectionState::Open => rsx! {
                    p { id: "correction-due-{c.id}", {tr_with(lang(), "correction-due", &[("due", due.clone())])} }
                    p { class: "muted", {t("correction-if-not")} }
                    if let Some(draft) = draft.clone() {
                        if c.document.is_some() {
                            Retake { correction: c.clone(), draft }
                        } else {
                            FixField { correction: c.clone(), app: app.clone(), draft }
                        }
                    }
                },
                CorrectionState::Fixed => rsx! { p { class: "ok", "✓ " {t("correction-fixed")} } },
                CorrectionState::Lapsed => rsx! { p { class: "note note-warn", {t("correction-lapsed")} } },
            }
        }
    }
}

/// The document again: picked or photographed, checked and shrunk here,
/// uploaded by sync; the server clears the request when it takes it.
#[component]
fn Retake(correction: Correction, draft: DraftId) -> Element {
    let services = use_context::<Services>();
    let lang = use_context::<Signal<Language>>();
    let t = use_tr();
    let Some(kind) = correction.document else {
        return rsx! {};
    };
    let mut working = use_signal(|| false);
    let mut problem = use_signal(|| None::<String>);
    let docs = use_documents(&draft)();
    let waiting = docs.iter().any(|d| d.kind == kind && !d.uploaded);
    let source = if services.picker.has_camera() {
        Source::Camera
    } else {
        Source::Gallery
    };
    let doc = tr(lang(), &format!("doc-{}", kind.as_str()));
    rsx! {
        button { id: "retake-{kind.as_str()}", class: "primary", r#type: "button", disabled: working(),
            onclick: move |_| {
                let services = services.clone();
                let draft = draft.clone();
                working.set(true);
                spawn(async move {
                    let picker = services.picker.clone();
                    let picked = services.run(async move { picker.pick(kind, source).await }).await;
                    let taken = match picked {
                        Ok(Some(bytes)) => take_photo(&services, &draft, kind, bytes).await.map(|_| ()),
                        Ok(None) => Ok(()),
                        Err(_) => Err("documents-pick-failed".to_owned()),
                    };
                    working.set(false);
                    problem.set(taken.err());
                });
            },
            if working() { {t("working")} } else { {tr_with(lang(), "correction-retake", &[("doc", doc)])} }
        }
        if waiting {
            p { id: "retake-waiting", class: "muted", role: "status", "⏳ " {t("correction-waiting")} }
        }
        if let Some(key) = problem() {
            p { class: "field-error", role: "alert", "⚠ {tr(lang(), &key)}" }
        }
    }
}

/// The field again: typed here and sent when the applicant says so (a half
/// typed value would otherwise clear the request).
#[component]
fn FixField(correction: Correction, app: Application, draft: DraftId) -> Element {
    let services = use_context::<Services>();
    let lang = use_context::<Signal<Language>>();
    let t = use_tr();
    let Some(field) = correction.field else {
        return rsx! {};
    };
    let now = fields_of(&app.draft)
        .into_iter()
        .find(|(f, _)| *f == field)
        .and_then(|(_, v)| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let value = use_signal(|| now.clone());
    let mut problem = use_signal(|| None::<String>);
    let mut sent = use_signal(|| false);
    let id = format!("fix-{}", field.as_str().replace('.', "-"));
    rsx! {
        Field { id: id.clone(), label: tr(lang(), &id), value }
        button { id: "send-{id}", class: "primary", r#type: "button",
            onclick: move |_| {
                let typed = value.read().trim().to_owned();
                if typed.is_empty() {
                    problem.set(Some("correction-empty".into()));
                    return;
                }
                match services.engine.save_field(&draft, field, &wire(typed)) {
                    Ok(()) => {
                        problem.set(None);
                        sent.set(true);
                        services.nudge();
                    }
                    Err(e) => problem.set(Some(e.key())),
                }
            },
            {t("correction-send")}
        }
        if sent() {
            p { id: "fix-waiting", class: "muted", role: "status", "⏳ " {t("correction-waiting")} }
        }
        if let Some(key) = problem() {
            p { class: "field-error", role: "alert", "⚠ {tr(lang(), &key)}" }
        }
    }
}

#[cfg(all(test, feature = "bundled-mock"))]
mod live_tests {
    use crate::i18n::{Language, tr};
    use crate::testing::{Live, assert_every_control_is_named};
    use mpaspor_domain::DraftField;
    use serde_json::json;

    #[test]
    fn a_correction_shows_on_home_and_in_the_application_and_the_inbox_tells_it() {
        for lang in Language::ALL {
            let live = Live::dewi(lang);
            let draft = live.ready_draft();
            let id = live.submit(&draft, &live.far_slot());
            live.pay_at_bank(&id, true);
            live.ask_correction(
                &id,
                json!({"document": "family_card", "reason": "Foto buram"}),
            );
            live.ask_correction(
                &id,
                json!({"field": "personal.address", "reason": "RT/RW kosong"}),
            );

            let home = live.render("/home");
            assert!(home.contains(r#"id="corrections-home""#), "{home}");
            assert!(home.contains("Foto buram") && home.contains("RT/RW kosong"));
            assert!(home.contains(r#"id="to-inbox""#));
            assert_every_control_is_named(&home);

            let detail = live.render(&format!("/application/{id}"));
            assert!(detail.contains(r#"id="retake-family_card""#), "{detail}");
            assert!(detail.contains(r#"id="fix-personal-address""#), "{detail}");
            assert!(detail.contains(&tr(lang, "correction-if-not")));
            assert_every_control_is_named(&detail);

            let inbox = live.render("/inbox");
            assert!(inbox.contains(&tr(lang, "inbox-unread")), "{inbox}");
            assert!(inbox.contains(&tr(lang, "state-paid")));
            assert_every_control_is_named(&inbox);

            // The address sent from here clears its request; the card goes.
            live.services
                .engine
                .save_field(
                    &draft,
                    DraftField::Address,
                    &json!("Jl. Melati No. 5, RT 003/RW 002"),
                )
                .unwrap();
            live.sync();
            live.follow();
            let detail = live.render(&format!("/application/{id}"));
            assert!(detail.contains(&tr(lang, "correction-fixed")), "{detail}");
            assert!(!detail.contains(r#"id="send-fix-personal-address""#));
        }
    }
}
