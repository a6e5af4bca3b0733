//! The arrival day and time window, from the office's quota.

use crate::components::SlotPicker;
use crate::services::Services;
use dioxus::prelude::*;
use mpaspor_domain::api::ApplicationDraft;

/// The slot chosen for a draft (an id, not personal), kept with the settings.
pub(crate) fn slot_key(draft: &str) -> String {
    format!("slot:{draft}")
}

pub fn chosen_slot(services: &Services, draft: &str) -> Option<String> {
    services.store.setting(&slot_key(draft)).ok().flatten()
}

#[component]
pub fn ScheduleStep(draft_id: String, draft: ApplicationDraft, changed: Callback<()>) -> Element {
    let services = use_context::<Services>();
    let chosen = chosen_slot(&services, &draft_id);
    let choose = move |slot: String| {
        let _ = services.store.set_setting(&slot_key(&draft_id), &slot);
        changed.call(());
    };
    rsx! {
        SlotPicker { office: draft.office_id.clone().unwrap_or_default(), chosen, on_choose: choose }
    }
}
