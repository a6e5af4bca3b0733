//! Days offices take applicants without a booked place: for the office
//! step (near the place typed) and home (near the office chosen).

use crate::hooks::use_tr;
use crate::i18n::{Language, tr_with};
use dioxus::prelude::*;
use mpaspor_domain::api::{Office, WalkInDay, WalkInKind};

/// Days the offices near the place take applicants without a booked
/// place: weekend services and outreach visits listed, and the everyday lane
/// for those who need not book said once.
#[component]
pub fn WalkIns(days: Vec<WalkInDay>, offices: Vec<Office>) -> Element {
    let lang = use_context::<Signal<Language>>();
    let t = use_tr();
    if days.is_empty() {
        return rsx! {};
    }
    let listed: Vec<WalkInDay> = days
        .into_iter()
        .filter(|d| d.kind != WalkInKind::PriorityLane)
        .collect();
    let office_name = |id: &str| {
        offices
            .iter()
            .find(|o| o.id == id)
            .map(|o| o.name.clone())
            .unwrap_or_else(|| id.to_owned())
    };
    rsx! {
        h3 { class: "sub", {t("walk-in-title")} }
        if !listed.is_empty() {
            ul { id: "walk-ins", class: "rows",
                for d in listed.iter() {
                    li { id: "walk-in-{d.office_id}-{d.date}", class: "row",
                        div { class: "row-main",
                            strong { {t(&format!("walk-in-{}", d.kind.as_str()))} }
                            span { {format!("{} {}", d.date.strftime("%d-%m-%Y"), d.window.show(d.zone))} }
                            span { {if d.venue.is_empty() { office_name(&d.office_id) } else { format!("{} ({})", d.venue, office_name(&d.office_id)) }} }
                            span { class: "muted",
                                {d.who.iter().map(|w| t(&format!("walk-in-for-{}", w.as_str()))).collect::<Vec<_>>().join(", ")}
                                " · " {tr_with(lang(), "walk-in-places", &[("count", d.places.to_string())])}
                            }
                        }
                    }
                }
            }
        }
        p { id: "walk-in-lane", class: "field-hint", {t("walk-in-lane")} }
        p { class: "field-hint", {t("walk-in-bring")} }
    }
}
