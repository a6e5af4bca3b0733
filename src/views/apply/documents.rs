//! The documents step: the list this case needs, each photographed or picked,
//! checked and shrunk on the phone (`mpaspor_core::photo`), kept sealed, and
//! uploaded by sync with a progress bar. Pictures come in through
//! the services' `DocumentPicker` (a file dialog on desktop, a folder of
//! files for testers, the native plugins on phones) and [`take_photo`].

use crate::hooks::use_tr;
use crate::i18n::{Language, tr_with};
use crate::platform::Source;
use crate::services::Services;
use dioxus::prelude::*;
use mpaspor_core::engine::LocalDocument;
use mpaspor_core::engine::UploadProgress;
use mpaspor_core::engine::Verdict;
use mpaspor_domain::DraftId;
use mpaspor_domain::api::ApplicationDraft;
use mpaspor_domain::draft::required_documents;
use mpaspor_domain::eligibility::DocumentKind;

/// Hands a picture to the engine (on its runtime), which checks, shrinks and
/// attaches it; answers the checks' verdicts, or the translation key of why
/// it cannot be used. The upload goes with the next sync.
pub async fn take_photo(
    services: &Services,
    draft: &DraftId,
    kind: DocumentKind,
    bytes: Vec<u8>,
) -> Result<Vec<Verdict>, String> {
    let engine = services.engine.clone();
    let draft = draft.to_owned();
    services
        .run(async move { engine.attach_photo(&draft, kind, bytes).await })
        .await
        .map_err(|e| e.key())
}

/// The kept picture's preview as a `data:` URL (it never leaves the app's memory as a file).
fn preview_url(services: &Services, draft: &DraftId, kind: DocumentKind) -> Option<String> {
    use base64::Engine as _;
    let jpeg = services.engine.document_thumbnail(draft, kind).ok()??;
    Some(format!(
        "data:image/jpeg;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(jpeg)
    ))
}

#[component]
pub fn DocumentsStep(
    draft_id: DraftId,
    draft: ApplicationDraft,
    attached: Vec<LocalDocument>,
) -> Element {
    let services = use_context::<Services>();
    let lang = use_context::<Signal<Language>>();
    let t = use_tr();
    let mut progress = use_signal(|| None::<UploadProgress>);
    let mut errors = use_signal(Vec::<(DocumentKind, String)>::new);
    let mut working = use_signal(|| None::<DocumentKind>);
    {
        let services = services.clone();
        use_future(move || {
            let mut rx = services.engine.upload_progress();
            async move {
                while rx.changed().await.is_ok() {
                    let now = rx.borrow_and_update().clone();
                    progress.set(now);
                }
            }
        });
    }
    // Each picture's preview is opened once (the step redraws on every upload
    // progress tick); a new picture has a new SHA-256 and so a new entry.
    let previews = use_hook(|| {
        std::rc::Rc::new(std::cell::RefCell::new(std::collections::HashMap::<
            String,
            Option<String>,
        >::new()))
    });
    let needs = required_documents(&draft);
    let has_camera = services.picker.has_camera();
    let sources: &[Source] = if has_camera {
        &[Source::Camera, Source::Gallery]
    } else {
        &[Source::Gallery]
    };
    rsx! {
        p { class: "muted", {t("documents-intro")} }
        ul { id: "documents", class: "rows",
            for (i, need) in needs.0.iter().enumerate() {
                for kind in need.any_of.iter().copied() {
                    {
                        let doc = attached.iter().find(|a| a.kind == kind).cloned();
                        let going = progress().filter(|p| p.draft == draft_id && p.kind == kind);
                        let error = errors().iter().find(|(k, _)| *k == kind).map(|(_, e)| e.clone());
                        let preview = doc.as_ref().and_then(|d| {
                            previews
                                .borrow_mut()
                                .entry(d.sha256.clone())
                                .or_insert_with(|| preview_url(&services, &draft_id, kind))
                                .clone()
                        });
                        let services = services.clone();
                        let draft_id = draft_id.clone();
                        rsx! {
                            li { id: "doc-{kind.as_str()}", class: "row doc",
                                div { class: "row-main",
                                    strong { {t(&format!("doc-{}", kind.as_str()))} }
                                    if need.any_of.len() > 1 { span { class: "muted", {t("documents-one-of")} } }
                                    if need.optional { span { class: "muted", {t("documents-optional")} } }
                                    match (&doc, &going) {
                                        (_, Some(p)) if p.sent < p.total => rsx! {
                                            div { class: "upload",
                                                progress { id: "progress-{kind.as_str()}", max: "{p.total}", value: "{p.sent}",
                                                    aria_label: t("documents-uploading") }
                                                span { {tr_with(lang(), "documents-sent", &[("sent", (p.sent / 1024).to_string()), ("total", (p.total / 1024).to_string())])} }
                                            }
                                        },
                                        (Some(d), _) if d.uploaded => rsx! { span { class: "ok", "✓ " {t("documents-uploaded")} } },
                                        (Some(_), _) => rsx! { span { class: "muted", "⏳ " {t("documents-waiting")} } },
                                        _ => rsx! {},
                                    }
                                    if let Some(d) = &doc {
                                        for v in d.verdicts.iter() {
                                            span { class: "field-error", "⚠ {t(v.key())}" }
                                        }
                                    }
                                    if let Some(key) = error {
                                        span { class: "field-error", role: "alert", "⚠ {t(&key)}" }
                                    }
                                }
                                if let Some(src) = preview.clone() {
                                    img { id: "preview-{kind.as_str()}", class: "preview", src: "{src}",
                                        alt: tr_with(lang(), "documents-preview", &[("doc", t(&format!("doc-{}", kind.as_str())))]) }
                                }
                                div { class: "pick-actions",
                                    for source in sources.iter().copied() {
                                        {
                                            let services = services.clone();
                                            let draft_id = draft_id.clone();
                                            let (label, id) = match source {
                                                Source::Camera => ("documents-camera", "camera"),
                                                Source::Gallery if has_camera => ("documents-gallery", "pick"),
                                                Source::Gallery => ("documents-take", "pick"),
                                            };
                                            let doc_name = t(&format!("doc-{}", kind.as_str()));
                                            rsx! {
                                                button { id: "{id}-{i}-{kind.as_str()}", class: "secondary small pick", r#type: "button",
                                                    disabled: working().is_some(),
                                                    aria_label: tr_with(lang(), &format!("{label}-named"), &[("doc", doc_name)]),
                                                    onclick: move |_| {
                                                        let services = services.clone();
                                                        let draft_id = draft_id.clone();
                                                        working.set(Some(kind));
                                                        spawn(async move {
                                                            let picker = services.picker.clone();
                                                            let picked = services.run(async move { picker.pick(kind, source).await }).await;
                                                            let taken = match picked {
                                                                Ok(Some(bytes)) => take_photo(&services, &draft_id, kind, bytes).await.map(|_| ()),
                                                                Ok(None) => Ok(()),
                                                                Err(e) => {
                                                                    tracing::warn!("picture not taken: {e}");
                                                                    Err("documents-pick-failed".to_owned())
                                                                }
                                                            };
                                                            working.set(None);
                                                            errors.with_mut(|list| {
                                                                list.retain(|(k, _)| *k != kind);
                                                                if let Err(key) = taken { list.push((kind, key)); }
                                                            });
                                                        });
                                                    },
                                                    if working() == Some(kind) { {t("working")} }
                                                    else if doc.is_some() && source == Source::Gallery && !has_camera { {t("documents-retake")} }
                                                    else { {t(label)} }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
pub mod tests {
    use super::take_photo;
    use crate::i18n::{Language, tr};
    use crate::testing::{assert_every_control_is_named, holder_draft, render_at};
    use crate::views::apply::kinds;
    use mpaspor_domain::eligibility::DocumentKind;
    use mpaspor_domain::{DraftField, Step};
    use serde_json::json;

    /// A document-like picture: a light card with dark text-like strokes, as a JPEG.
    pub fn card_jpeg(seed: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(1600, 1000, |x, y| {
            let text = (y / 20).is_multiple_of(3)
                && !(x / 7 + seed).is_multiple_of(4)
                && x > 100
                && x < 1300;
            if text {
                image::Rgb([30, 30, 40])
            } else {
                image::Rgb([228, 232, 240])
            }
        });
        let mut out = std::io::Cursor::new(Vec::new());
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
            .encode_image(&img)
            .unwrap();
        out.into_inner()
    }

    #[test]
    fn pictures_handed_in_are_checked_kept_and_complete_the_step() {
        let (phone, draft) = holder_draft(Language::En);
        phone
            .engine()
            .save_field(&draft, DraftField::ApplicantKind, &json!("adult"))
            .unwrap();
        let services = phone.services.clone();
        let html = render_at(services.clone(), &format!("/apply/{draft}/documents"));
        for kind in ["ektp", "family_card", "birth_certificate", "diploma"] {
            assert!(html.contains(&format!(r#"id="doc-{kind}""#)), "{kind}");
        }
        assert!(html.contains(&tr(Language::En, "documents-one-of")));
        assert!(html.contains(r#"id="pick-0-ektp""#));
        assert_every_control_is_named(&html);

        let body = || phone.engine().draft(&draft).unwrap().body;
        let rt = tokio::runtime::Runtime::new().unwrap();
        // A PDF is refused by name, and nothing is kept.
        let refused = rt.block_on(take_photo(
            &services,
            &draft,
            DocumentKind::Ektp,
            b"%PDF-1.7 ...".to_vec(),
        ));
        assert_eq!(refused.unwrap_err(), "photo-error-pdf");
        assert!(phone.engine().documents(&draft).unwrap().is_empty());
        for (i, kind) in [
            DocumentKind::Ektp,
            DocumentKind::FamilyCard,
            DocumentKind::Diploma,
        ]
        .into_iter()
        .enumerate()
        {
            assert!(
                !Step::Documents
                    .is_complete(&body(), &kinds(&phone.engine().documents(&draft).unwrap()))
            );
            rt.block_on(take_photo(&services, &draft, kind, card_jpeg(i as u32)))
                .unwrap();
        }
        let docs = phone.engine().documents(&draft).unwrap();
        assert_eq!(docs.len(), 3);
        assert!(
            docs.iter()
                .all(|d| !d.uploaded && d.bytes > 0 && d.width >= 1600)
        );
        assert!(
            Step::Documents.is_complete(&body(), &kinds(&docs)),
            "a diploma stands in for the birth certificate"
        );
        let html = render_at(services, &format!("/apply/{draft}/documents"));
        assert!(html.contains(&tr(Language::En, "documents-waiting")));
        assert!(html.contains(&tr(Language::En, "documents-retake")));
        // Each kept picture is previewed, named for what it shows.
        for kind in ["ektp", "family_card", "diploma"] {
            assert!(
                html.contains(&format!(
                    r#"id="preview-{kind}" class="preview" src="data:image/jpeg;base64,"#
                )),
                "{kind}"
            );
        }
        assert!(!html.contains(r#"id="preview-birth_certificate""#));
        assert!(
            html.contains(r#"alt="The picture kept for e-KTP (identity card)""#),
            "{html}"
        );
    }
}
