//! Home: this account's applications and drafts with their status, and a
//! banner while offline or while changes wait to be sent.

use crate::Route;
use crate::components::show_date;
use crate::hooks::{use_applicants, use_home, use_tr};
use crate::i18n::{Language, tr, tr_with};
use crate::services::Services;
use dioxus::prelude::*;
use mpaspor_domain::Step;
use mpaspor_domain::state::ApplicationState;

/// "New application": whom it is for, then the first step, with what is
/// known of that person already filled in.
#[component]
fn NewApplication(people: Vec<mpaspor_core::engine::LocalApplicant>) -> Element {
    let services = use_context::<Services>();
    let lang = use_context::<Signal<Language>>();
    let t = use_tr();
    let mut choosing = use_signal(|| false);
    let mut problem = use_signal(|| None::<String>);
    let start = {
        let services = services.clone();
        move |applicant: String| {
            let begun = services.engine.begin_draft(&applicant);
            match begun {
                Ok(draft) => {
                    services.nudge();
                    navigator().push(Route::Apply {
                        draft,
                        step: Step::Service,
                    });
                }
                Err(e) => problem.set(Some(e.key())),
            }
        }
    };
    rsx! {
        if choosing() {
            section { id: "choose-applicant", class: "card", aria_labelledby: "choose-title",
                h2 { id: "choose-title", {t("home-new-for")} }
                div { class: "options",
                    for person in people {
                        button { id: "new-for-{person.id}", class: "option", r#type: "button",
                            onclick: { let id = person.id.clone(); let mut start = start.clone(); move |_| start(id.clone()) },
                            strong { {person.input.full_name.clone()} }
                            span { {t(&format!("relationship-{}", person.input.relationship.as_str()))} }
                        }
                    }
                }
                if let Some(key) = problem() {
                    p { class: "note note-bad", role: "alert", "⚠ {tr(lang(), &key)}" }
                }
                button { id: "new-cancel", class: "secondary", r#type: "button", onclick: move |_| choosing.set(false), {t("family-cancel")} }
            }
        } else {
            button { id: "new-application", class: "primary", r#type: "button",
                disabled: people.is_empty(),
                onclick: move |_| choosing.set(true),
                {t("home-new")}
            }
        }
    }
}

#[component]
pub fn Home() -> Element {
    let services = use_context::<Services>();
    let lang = use_context::<Signal<Language>>();
    let t = use_tr();
    let status = crate::hooks::use_sync_status();
    let s = status();
    let list = use_home()();
    let people = use_applicants();
    let todo: Vec<crate::reminders::Told> = crate::reminders::due(&services)
        .iter()
        .map(|r| crate::reminders::told(&services, lang(), r))
        .collect();
    let account = services.engine.session().map(|s| s.account);
    let unread = crate::hooks::use_unread()();
    // What an office asked to correct comes first: it has a deadline.
    let asked: Vec<(String, mpaspor_domain::api::Correction)> = list
        .iter()
        .filter(|r| r.state == ApplicationState::Paid)
        .filter_map(|r| {
            services
                .engine
                .application(&r.id.clone().into())
                .ok()
                .flatten()
        })
        .flat_map(|v| {
            let who = v.app.draft.personal.full_name.clone().unwrap_or_default();
            v.app
                .open_corrections()
                .map(move |c| (who.clone(), c.clone()))
                .collect::<Vec<_>>()
        })
        .collect();
    // Walk-in days near the office the latest draft chose.
    let draft_office = list
        .iter()
        .rev()
        .find(|r| r.state == ApplicationState::Draft && r.office.is_some())
        .and_then(|r| r.office.clone());
    let logout = {
        let services = services.clone();
        move |_| {
            let services = services.clone();
            spawn(async move {
                if let Err(e) = crate::views::settings::sign_out(&services, false).await {
                    tracing::warn!("sign-out: {e}");
                }
                navigator().replace(Route::Welcome {});
            });
        }
    };
    rsx! {
        main { id: "home", class: "screen",
            header { class: "bar",
                h1 { {t("home-title")} }
                button { id: "logout", class: "secondary small", r#type: "button", onclick: logout, {t("home-logout")} }
            }
            if let Some(account) = &account {
                p { id: "greeting", class: "greeting", {tr_with(lang(), "home-greeting", &[("name", account.full_name.clone())])} }
            }
            if s.needs_login {
                p { id: "needs-login", class: "note note-warn", role: "status",
                    {t("home-needs-login")} " "
                    Link { to: Route::Login {}, {t("welcome-login")} }
                }
            } else if s.online == Some(false) {
                crate::components::OfflineNote {}
            } else if s.pending > 0 {
                p { id: "pending", class: "note", role: "status",
                    {tr_with(lang(), "home-pending", &[("count", s.pending.to_string())])}
                }
            }
            if s.set_aside > 0 {
                p { id: "set-aside", class: "note note-bad", role: "alert",
                    "⚠ " {tr_with(lang(), "home-set-aside", &[("count", s.set_aside.to_string())])}
                }
            }
            if s.failed > 0 {
                p { id: "refused", class: "note note-bad", role: "alert",
                    "⚠ " {tr_with(lang(), "home-refused", &[("count", s.failed.to_string())])}
                    if let Some((key, _)) = &s.last_error { " " {tr(lang(), key)} }
                }
            }
            if !asked.is_empty() {
                section { id: "corrections-home", class: "card card-alert", aria_labelledby: "corrections-home-title",
                    h2 { id: "corrections-home-title", {t("correction-title")} }
                    ul { class: "plain reminders",
                        for (who, c) in asked {
                            li { id: "asked-{c.id}",
                                strong { {format!("{who}: {}", super::detail::correction_what(lang(), &c))} }
                                p { {c.reason.clone()} }
                                Link { id: "fix-{c.id}", class: "primary", to: Route::ApplicationDetail { id: c.application_id.clone() },
                                    {t("correction-open")} }
                            }
                        }
                    }
                }
            }
            Link { id: "to-inbox", class: if unread > 0 { "secondary inbox-link inbox-unread" } else { "secondary inbox-link" }, to: Route::Inbox {},
                if unread > 0 { {tr_with(lang(), "home-inbox-unread", &[("count", unread.to_string())])} } else { {t("home-inbox")} }
            }
            if !todo.is_empty() {
                section { id: "reminders", class: "card", aria_labelledby: "reminders-title",
                    h2 { id: "reminders-title", {t("remind-title")} }
                    ul { class: "plain reminders",
                        for r in todo {
                            li { id: "remind-{r.application}",
                                Link { to: Route::ApplicationDetail { id: r.application.clone() },
                                    strong { {r.title.clone()} }
                                }
                                p { {r.body.clone()} }
                            }
                        }
                    }
                }
            }
            super::quota::Openings {}
            // The people come with the first sync after logging in.
            NewApplication { people: people() }
            super::quota::Watches {}
            nav { class: "actions",
                Link { id: "to-family", class: "secondary", to: Route::Family {}, {t("home-family")} }
                Link { id: "to-passports", class: "secondary", to: Route::Passports {}, {t("passports-title")} }
                Link { id: "to-settings", class: "secondary", to: Route::Settings {}, {t("settings-title")} }
            }
            if let Some(office) = draft_office.clone() {
                super::quota::NearbyWalkIns { key: "{office}", office }
            }
            section { class: "card", aria_labelledby: "applications-title",
                h2 { id: "applications-title", {t("home-applications")} }
                if list.is_empty() {
                    p { id: "no-applications", class: "muted", {t("home-empty")} }
                } else {
                    ul { class: "rows",
                        for row in list {
                            li { id: "app-{row.id}", class: "row",
                                div { class: "row-main",
                                    strong { {if row.who.is_empty() { t("home-unnamed") } else { row.who.clone() }} }
                                    if let Some(office) = &row.office {
                                        span { class: "muted", {services.office_name(Some(office))} }
                                    }
                                    if let Some(p) = &row.appointment { span { {format!("{} {}", show_date(p.date), p.window.show(p.zone))} } }
                                }
                                div { class: "row-actions",
                                    span { class: "state state-{row.state.as_str()}",
                                        {t(&format!("state-{}", row.state.as_str()))}
                                    }
                                    if row.state != ApplicationState::Draft {
                                        Link { id: "open-{row.id}", class: "secondary small",
                                            to: Route::ApplicationDetail { id: row.id.clone().into() }, {t("home-open")} }
                                    }
                                    if row.has_proof {
                                        Link { id: "proof-{row.id}", class: "secondary small",
                                            to: Route::Proof { id: row.id.clone().into() }, {t("proof-open")} }
                                    }
                                    if let Some(draft) = row.draft.clone() {
                                        Link { id: "resume-{draft}", class: "secondary small",
                                            to: Route::Apply {
                                                step: services.engine.resume_step(&draft).unwrap_or(Step::Service),
                                                draft,
                                            },
                                            {t("home-resume")}
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
mod tests {
    use crate::i18n::{Language, tr};
    use crate::testing::{Phone, assert_every_control_is_named, holder_draft, render_at};
    use mpaspor_domain::DraftField;

    #[test]
    fn home_lists_a_draft_kept_on_the_phone_with_its_state() {
        for lang in Language::ALL {
            let (phone, draft) = holder_draft(lang);
            phone
                .engine()
                .save_field(
                    &draft,
                    DraftField::OfficeId,
                    &serde_json::json!("kanim-bandung"),
                )
                .unwrap();
            let html = render_at(phone.services.clone(), "/home");
            assert!(html.contains(r#"id="home""#));
            assert!(html.contains("Siti Rahayu"), "{html}");
            assert!(html.contains("kanim-bandung"));
            assert!(html.contains(&tr(lang, "state-draft")));
            assert!(!html.contains(r#"id="no-applications""#));
            assert_every_control_is_named(&html);
        }
    }

    #[test]
    fn home_says_when_a_login_is_needed_to_send_changes() {
        let services = Phone::new(Language::Id).services;
        assert!(render_at(services.clone(), "/home").contains(r#"id="no-applications""#));
        // A sync without a session says so; the banner follows the engine's status.
        let engine = services.engine.clone();
        services
            .runtime
            .block_on(async move { engine.sync().await.unwrap() });
        let html = render_at(services, "/home");
        assert!(html.contains(r#"id="needs-login""#), "{html}");
        assert!(html.contains(&tr(Language::Id, "home-needs-login")));
    }
}
