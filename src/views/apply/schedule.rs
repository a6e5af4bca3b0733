//! The arrival day and time window, from the office's quota.

use crate::components::SlotPicker;
use crate::services::Services;
use dioxus::prelude::*;
use mpaspor_domain::api::ApplicationDraft;

/// The window chosen for a draft (kept beside the draft), if one was.
pub fn chosen_slot(services: &Services, draft: &str) -> Option<String> {
    services.store.draft(draft).ok().and_then(|d| d.slot_id)
}

#[component]
pub fn ScheduleStep(draft_id: String, draft: ApplicationDraft, changed: Callback<()>) -> Element {
    let services = use_context::<Services>();
    let chosen = chosen_slot(&services, &draft_id);
    let choose = move |slot: String| {
        if let Err(e) = services.store.choose_slot(&draft_id, &slot) {
            tracing::warn!("the window was not kept: {e}");
        }
        changed.call(());
    };
    rsx! {
        SlotPicker { office: draft.office_id.clone().unwrap_or_default(), chosen, on_choose: choose }
    }
}
