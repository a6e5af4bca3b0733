//! The arrival day and time window, from the office's quota.

use crate::components::SlotPicker;
use crate::services::Services;
use dioxus::prelude::*;
use mpaspor_core::engine::Draft;
use mpaspor_domain::SlotId;

/// `current.slot_id`: the window chosen so far, kept with the draft.
#[component]
pub fn ScheduleStep(current: Draft) -> Element {
    let services = use_context::<Services>();
    let office = current.body.office_id.clone().unwrap_or_default();
    let chosen = current.slot_id.clone();
    let passport_type = current.body.passport_type;
    let draft = Some(current.id.clone());
    let choose = move |slot: SlotId| {
        if let Err(e) = services.engine.choose_slot(&current.id, &slot) {
            tracing::warn!("the window was not kept: {e}");
        }
    };
    rsx! {
        SlotPicker { office, chosen, on_choose: choose, passport_type, draft }
    }
}
