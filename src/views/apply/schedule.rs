//! The arrival day and time window, from the office's quota.

use crate::components::SlotPicker;
use crate::services::Services;
use dioxus::prelude::*;
use mpaspor_domain::api::ApplicationDraft;

#[component]
pub fn ScheduleStep(
    draft_id: String,
    draft: ApplicationDraft,
    /// The window chosen so far, kept beside the draft.
    chosen: Option<String>,
    changed: Callback<()>,
) -> Element {
    let services = use_context::<Services>();
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
