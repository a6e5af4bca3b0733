//! The quota in words: when an office opens its next places (with a
//! countdown in the office's zone), and the offer to be told when a place
//! opens when the calendar is full.

use crate::hooks::use_tr;
use crate::i18n::{Language, tr, tr_with};
use crate::services::Services;
use dioxus::prelude::*;
use jiff::{SignedDuration, Timestamp};
use mpaspor_core::engine::WatchPlan;
use mpaspor_domain::api::QuotaRelease;
use mpaspor_domain::schedule::OfficeZone;
use mpaspor_domain::{DraftId, PassportType};

/// "2 hari 3 jam lagi", "5 jam 10 menit lagi", "sebentar lagi".
pub fn time_left(lang: Language, left: SignedDuration) -> String {
    let minutes = left.as_mins().max(0);
    let (days, hours, mins) = (minutes / (24 * 60), minutes / 60 % 24, minutes % 60);
    let n = |v: i64| v.to_string();
    if days > 0 {
        tr_with(
            lang,
            "release-in-days",
            &[("days", n(days)), ("hours", n(hours))],
        )
    } else if hours > 0 {
        tr_with(
            lang,
            "release-in-hours",
            &[("hours", n(hours)), ("minutes", n(mins))],
        )
    } else if mins > 0 {
        tr_with(lang, "release-in-minutes", &[("minutes", n(mins))])
    } else {
        tr(lang, "release-in-moment")
    }
}

/// "Jum 11-12": a day with its weekday.
pub fn office_day(lang: Language, date: jiff::civil::Date) -> String {
    format!(
        "{} {}",
        super::slot_picker::weekday(lang, date),
        date.strftime("%d-%m")
    )
}

/// "Jum 11-12 09:00 WIB": a moment as the office's clock shows it, with its weekday.
pub fn office_moment(lang: Language, at: Timestamp, zone: OfficeZone) -> String {
    format!(
        "{} {}",
        office_day(lang, zone.local_date(at)),
        zone.clock(at)
    )
}

/// The server's clock, read again every half minute (for countdowns).
fn use_server_now() -> Signal<Timestamp> {
    let services = use_context::<Services>();
    let mut now = use_signal(|| services.engine.server_now());
    use_future(move || {
        let services = services.clone();
        async move {
            loop {
                services.sleep(std::time::Duration::from_secs(30)).await;
                now.set(services.engine.server_now());
            }
        }
    });
    now
}

/// The next release of each of the offices nearest `office`, in words:
/// "Kanim X: dibuka Jum 11-12 09:00 WIB (3 hari 6 jam lagi)".
#[component]
fn NearbyReleases(office: String, passport_type: Option<PassportType>) -> Element {
    let services = use_context::<Services>();
    let lang = use_context::<Signal<Language>>();
    let t = use_tr();
    let now = use_server_now();
    let found = use_resource(move || {
        let services = services.clone();
        let office = office.clone();
        async move {
            let engine = services.engine.clone();
            services
                .run(async move { engine.releases_near(&office, passport_type).await })
                .await
                .unwrap_or_default()
        }
    });
    let releases = found().unwrap_or_default();
    if releases.is_empty() {
        return rsx! {};
    }
    rsx! {
        p { class: "sub", {t("watch-nearby-releases")} }
        ul { id: "nearby-releases", class: "plain",
            for (office, release) in releases {
                li { id: "release-{office.id}",
                    strong { {office.name.clone()} }
                    " "
                    {tr_with(lang(), "release-at", &[
                        ("when", office_moment(lang(), release.next_at, office.zone)),
                        ("left", time_left(lang(), release.next_at.duration_since(now()))),
                    ])}
                }
            }
        }
    }
}

/// When the office opens its next places, the days they are for, and how
/// long until then.
#[component]
pub fn ReleaseLine(release: QuotaRelease, zone: OfficeZone) -> Element {
    let lang = use_context::<Signal<Language>>();
    let now = use_server_now();
    let left = release.next_at.duration_since(now());
    rsx! {
        p { id: "release", class: "note", role: "status",
            {tr_with(lang(), "release-next", &[
                ("when", office_moment(lang(), release.next_at, zone)),
                ("left", time_left(lang(), left)),
                ("from", release.opens_from.strftime("%d-%m").to_string()),
                ("to", release.opens_through.strftime("%d-%m").to_string()),
            ])}
        }
    }
}

/// "Tell me when a place opens": at this office, or at it and the nearest
/// others that issue the passport type, over the next days the applicant
/// could come. Queued like any change, so it works offline too.
#[component]
pub fn WatchOffer(
    draft: DraftId,
    office: String,
    passport_type: Option<PassportType>,
    from: jiff::civil::Date,
    to: jiff::civil::Date,
    near: Option<String>,
) -> Element {
    let services = use_context::<Services>();
    let lang = use_context::<Signal<Language>>();
    let t = use_tr();
    let mut done = use_signal(|| None::<Result<(), String>>);
    let offers_nearby = near.is_some();
    let office_id = office.clone();
    let watch = {
        let services = services.clone();
        move |nearby: bool| {
            let plan = WatchPlan {
                offices: if nearby {
                    Vec::new()
                } else {
                    vec![office.clone().into()]
                },
                near: if nearby { near.clone() } else { None },
                from,
                to,
            };
            done.set(Some(
                services
                    .engine
                    .watch(&draft, plan)
                    .map(|_| ())
                    .map_err(|e| e.key()),
            ));
        }
    };
    let kind = passport_type
        .map(|p| tr(lang(), &format!("passport-short-{}", p.as_str())))
        .unwrap_or_default();
    rsx! {
        section { id: "watch-offer", class: "card", aria_labelledby: "watch-offer-title",
            h3 { id: "watch-offer-title", class: "sub", {t("watch-offer-title")} }
            p { {tr_with(lang(), "watch-offer-body", &[
                ("type", kind),
                ("from", from.strftime("%d-%m").to_string()),
                ("to", to.strftime("%d-%m").to_string()),
            ])} }
            match done() {
                Some(Ok(())) => rsx! {
                    p { id: "watch-saved", class: "note note-ok", role: "status", {t("watch-saved")} }
                    Link { id: "watch-home", class: "secondary", to: crate::Route::Home {}, {t("watch-see-home")} }
                },
                other => rsx! {
                    if let Some(Err(key)) = other {
                        p { class: "note note-bad", role: "alert", "⚠ {tr(lang(), &key)}" }
                    }
                    button { id: "watch-office", class: "primary", r#type: "button",
                        onclick: { let mut watch = watch.clone(); move |_| watch(false) },
                        {t("watch-this-office")}
                    }
                    if offers_nearby {
                        button { id: "watch-nearby", class: "secondary", r#type: "button",
                            onclick: { let mut watch = watch.clone(); move |_| watch(true) },
                            {t("watch-nearby")}
                        }
                        NearbyReleases { office: office_id.clone(), passport_type }
                    }
                },
            }
        }
    }
}
