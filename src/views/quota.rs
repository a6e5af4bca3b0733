//! Home's quota panels: places that opened for the applicant's watches (one
//! tap to the review with the place chosen, or what is still missing), the
//! watches themselves, and the walk-in days near the office chosen.

use crate::Route;
use crate::components::{WalkIns, office_day};
use crate::hooks::{use_openings, use_tr, use_watches};
use crate::i18n::{Language, tr, tr_with};
use crate::services::Services;
use dioxus::prelude::*;
use mpaspor_core::engine::Opening;
use mpaspor_domain::api::PlaceOpened;
use mpaspor_domain::{DraftId, Step};

/// "Kanim Jakarta Selatan, Jum 18-12 08:00-10:00 WIB (3 tersisa)...".
pub fn opening_words(services: &Services, lang: Language, place: &PlaceOpened) -> (String, String) {
    let office = services.office_name(Some(&place.office_id));
    let when = format!(
        "{} {}",
        office_day(lang, place.date),
        place.window.show(place.zone)
    );
    (office, when)
}

/// Chooses the opened place for its draft; when everything before the
/// schedule is done, goes to the review (the declaration and "submit" are
/// all that is left), else answers the first step still open, to say what
/// is missing.
fn take(services: &Services, draft: &DraftId, place: &PlaceOpened) -> Result<Option<Step>, String> {
    services
        .engine
        .choose_slot(draft, &place.slot_id)
        .map_err(|e| e.key())?;
    let step = services.engine.resume_step(draft).map_err(|e| e.key())?;
    if matches!(step, Step::Schedule | Step::Review) {
        navigator().push(Route::Apply {
            draft: draft.clone(),
            step: Step::Review,
        });
        return Ok(None);
    }
    Ok(Some(step))
}

#[component]
pub fn Openings() -> Element {
    let services = use_context::<Services>();
    let lang = use_context::<Signal<Language>>();
    let t = use_tr();
    let mut problem = use_signal(|| None::<String>);
    let mut missing = use_signal(|| None::<(DraftId, Step)>);
    let openings = use_openings()();
    if openings.is_empty() {
        return rsx! {};
    }
    rsx! {
        section { id: "openings", class: "card card-good", aria_labelledby: "openings-title",
            h2 { id: "openings-title", {t("opening-title")} }
            if let Some(key) = problem() {
                p { class: "note note-bad", role: "alert", "⚠ {tr(lang(), &key)}" }
            }
            if let Some((draft, step)) = missing() {
                p { id: "opening-missing", class: "note note-warn", role: "alert",
                    {tr_with(lang(), "opening-missing", &[("step", t(&format!("step-{}", step.as_str())))])} " "
                    Link { id: "opening-complete", to: Route::Apply { draft, step }, {t("home-resume")} }
                }
            }
            ul { class: "plain rows",
                for (Opening { seq, place }, draft) in openings {
                    {
                        let (office, when) = opening_words(&services, lang(), &place);
                        rsx! {
                            li { id: "opening-{seq}", class: "row",
                                div { class: "row-main",
                                    p { {tr_with(lang(), "opening-body", &[("office", office), ("when", when), ("left", place.left.to_string())])} }
                                }
                                div { class: "row-actions",
                                    if let Some(draft) = draft {
                                        button { id: "opening-book-{seq}", class: "primary small", r#type: "button",
                                            onclick: {
                                                let services = services.clone();
                                                let place = place.clone();
                                                move |_| match take(&services, &draft, &place) {
                                                    Ok(Some(step)) => missing.set(Some((draft.clone(), step))),
                                                    Ok(None) => {}
                                                    Err(key) => problem.set(Some(key)),
                                                }
                                            },
                                            {t("opening-book")}
                                        }
                                    }
                                    button { id: "opening-dismiss-{seq}", class: "secondary small", r#type: "button",
                                        onclick: {
                                            let services = services.clone();
                                            move |_| if let Err(e) = services.engine.dismiss_opening(seq) { problem.set(Some(e.key())) }
                                        },
                                        {t("opening-dismiss")}
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

#[component]
pub fn Watches() -> Element {
    let services = use_context::<Services>();
    let lang = use_context::<Signal<Language>>();
    let t = use_tr();
    let watches = use_watches()();
    if watches.is_empty() {
        return rsx! {};
    }
    rsx! {
        section { id: "watches", class: "card", aria_labelledby: "watches-title",
            h2 { id: "watches-title", {t("watches-title")} }
            ul { class: "plain rows",
                for w in watches {
                    li { id: "watch-{w.id}", class: "row",
                        div { class: "row-main",
                            strong {
                                {if w.offices().is_empty() { t("watch-nearby") } else {
                                    w.offices().iter().map(|o| services.office_name(Some(o))).collect::<Vec<_>>().join(", ")
                                }}
                            }
                            span { {tr_with(lang(), "watch-days", &[("from", w.plan.from.strftime("%d-%m").to_string()), ("to", w.plan.to.strftime("%d-%m").to_string())])} }
                            span { class: "muted",
                                {match (&w.server, w.last_match()) {
                                    (None, _) => t("watch-sending"),
                                    (Some(_), Some(found)) => tr_with(lang(), "watch-found", &[("when", opening_words(&services, lang(), found).1)]),
                                    (Some(_), None) => t("watch-active"),
                                }}
                            }
                        }
                        div { class: "row-actions",
                            button { id: "watch-remove-{w.id}", class: "secondary small", r#type: "button",
                                aria_label: t("watch-remove"),
                                onclick: {
                                    let services = services.clone();
                                    let id = w.id.clone();
                                    move |_| if let Err(e) = services.engine.unwatch(&id) { tracing::warn!("unwatch: {e}") }
                                },
                                {t("watch-remove")}
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The walk-in days near the office the latest draft chose.
#[component]
pub fn NearbyWalkIns(office: String) -> Element {
    let services = use_context::<Services>();
    let lang = use_context::<Signal<Language>>();
    let found = use_resource({
        let services = services.clone();
        let office = office.clone();
        move || {
            let services = services.clone();
            let office = office.clone();
            async move {
                let engine = services.engine.clone();
                services
                    .run(async move { engine.walk_ins_near(&office).await })
                    .await
                    .unwrap_or_default()
            }
        }
    });
    let days = found().unwrap_or_default();
    if days.is_empty() {
        return rsx! {};
    }
    rsx! {
        section { id: "home-walk-ins", class: "card", aria_labelledby: "home-walk-ins-title",
            h2 { id: "home-walk-ins-title", {tr_with(lang(), "home-walk-ins", &[("office", services.office_name(Some(&office)))])} }
            WalkIns { days, offices: services.engine.kept_offices().unwrap_or_default() }
        }
    }
}
