//! The hooks screens share: their words in the chosen language, the
//! engine's sync status, and what the engine keeps (a draft, its pictures,
//! the people, the home list, an application), each read again when the
//! engine announces a change to it. A screen never reads the store itself
//! and never forces a redraw.

use crate::i18n::{Language, tr};
use crate::services::Services;
use dioxus::prelude::*;
use mpaspor_core::engine::Change;
use mpaspor_core::engine::LocalDocument;
use mpaspor_core::engine::Pending;
use mpaspor_core::engine::SyncStatus;
use mpaspor_core::engine::{ApplicationView, HomeRow};
use mpaspor_core::engine::{Draft, LocalApplicant, LocalWatch, Opening};
use mpaspor_domain::api::TravelDocument;
use mpaspor_domain::{ApplicationId, DraftId};

/// The screen's words in the chosen language: `t("home-title")`. A screen
/// that reads it redraws when the language changes.
pub fn use_tr() -> impl Fn(&str) -> String + Copy {
    let lang = use_context::<Signal<Language>>();
    move |key: &str| tr(lang(), key)
}

/// The engine's sync status as a signal: a screen that reads it redraws after
/// every sync (new states, payments, refusals).
pub fn use_sync_status() -> Signal<SyncStatus> {
    let services = use_context::<Services>();
    let mut status = use_signal(|| services.engine.status().borrow().clone());
    use_future(move || {
        let mut rx = services.engine.status();
        async move {
            while rx.changed().await.is_ok() {
                let now: SyncStatus = rx.borrow_and_update().clone();
                status.set(now);
            }
        }
    });
    status
}

/// The last change the engine announced, provided once by the root: the
/// hooks below read it so that their values are read again after it.
#[derive(Clone, Copy)]
pub struct Announced(Signal<Option<Change>>);

/// Listens to the engine's announcements for the whole app (the root calls it).
pub fn use_announcements() {
    let services = use_context::<Services>();
    let mut last = use_context_provider(|| Announced(Signal::new(None))).0;
    use_future(move || {
        let mut changes = services.engine.changes();
        async move {
            while let Some(change) = changes.next().await {
                last.set(Some(change));
            }
        }
    });
}

/// `read` from the engine for `key`, read again after each change `about`
/// says may concern it (and when `key` changes); a screen redraws only when
/// the value read differs.
fn use_kept<K: Clone + PartialEq + 'static, T: Clone + PartialEq + 'static>(
    key: K,
    read: fn(&Services, &K) -> T,
    about: fn(&Change) -> bool,
) -> Memo<T> {
    let services = use_context::<Services>();
    let announced = use_context::<Announced>().0;
    let mut heard = use_signal(|| ());
    use_effect(move || {
        if announced.read().as_ref().is_some_and(about) {
            heard.set(());
        }
    });
    use_memo(use_reactive((&key,), move |(key,)| {
        heard.read();
        read(&services, &key)
    }))
}

fn drafts(c: &Change) -> bool {
    matches!(c, Change::Draft(_) | Change::Everything)
}

/// A draft as kept (`None`: not on this phone).
pub fn use_draft(id: &DraftId) -> Memo<Option<Draft>> {
    use_kept(id.clone(), |s, id| s.engine.draft(id).ok(), drafts)
}

/// The pictures attached to a draft.
pub fn use_documents(draft: &DraftId) -> Memo<Vec<LocalDocument>> {
    use_kept(
        draft.clone(),
        |s, d| s.engine.documents(d).unwrap_or_default(),
        drafts,
    )
}

/// The people the account files for.
pub fn use_applicants() -> Memo<Vec<LocalApplicant>> {
    use_kept(
        (),
        |s, _| s.engine.applicants().unwrap_or_default(),
        |c| matches!(c, Change::Applicants | Change::Everything),
    )
}

/// The home list: applications, then drafts only this phone has.
pub fn use_home() -> Memo<Vec<HomeRow>> {
    use_kept(
        (),
        |s, _| s.engine.home_rows().unwrap_or_default(),
        |_| true,
    )
}

/// An application with what waits for the server (`None`: never heard of).
pub fn use_application(id: &ApplicationId) -> Memo<Option<ApplicationView>> {
    use_kept(
        id.clone(),
        |s, id| s.engine.application(id).ok().flatten(),
        |c| !matches!(c, Change::Applicants),
    )
}

/// A draft's operations still waiting for the server (refused ones included).
pub fn use_queued(draft: &DraftId) -> Memo<Vec<Pending>> {
    use_kept(
        draft.clone(),
        |s, d| s.engine.queued_for(d).unwrap_or_default(),
        |c| matches!(c, Change::Outbox | Change::Everything),
    )
}

/// The watches kept on this phone, oldest first.
pub fn use_watches() -> Memo<Vec<LocalWatch>> {
    use_kept(
        (),
        |s, _| s.engine.watches().unwrap_or_default(),
        |c| matches!(c, Change::Watches | Change::Everything),
    )
}

/// Places the feed brought for drafts still waiting for one, newest first.
pub fn use_openings() -> Memo<Vec<(Opening, Option<DraftId>)>> {
    use_kept(
        (),
        |s, _| s.engine.openings().unwrap_or_default(),
        |c| matches!(c, Change::Watches | Change::Draft(_) | Change::Everything),
    )
}

/// The passports last heard of for a person (`None`: never asked).
pub fn use_travel_documents(applicant: &str) -> Memo<Option<Vec<TravelDocument>>> {
    use_kept(
        applicant.to_owned(),
        |s, a| s.engine.kept_travel_documents(a).ok().flatten(),
        |c| matches!(c, Change::Applicants | Change::Everything),
    )
}

/// The inbox, newest first.
pub fn use_messages() -> Memo<Vec<mpaspor_core::engine::Message>> {
    use_kept(
        (),
        |s, _| s.engine.messages().unwrap_or_default(),
        |c| {
            matches!(
                c,
                Change::Inbox | Change::Watches | Change::Applications | Change::Everything
            )
        },
    )
}

/// How many messages are not read yet.
pub fn use_unread() -> Memo<u64> {
    use_kept(
        (),
        |s, _| s.engine.unread_messages().unwrap_or_default(),
        |c| matches!(c, Change::Inbox | Change::Watches | Change::Everything),
    )
}
