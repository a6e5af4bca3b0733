//! The purpose of travel.

use super::wire;
use crate::components::ChoiceGroup;
use crate::hooks::use_tr;
use crate::i18n::Language;
use dioxus::prelude::*;
use mpaspor_domain::DraftField;
use mpaspor_domain::api::ApplicationDraft;
use mpaspor_domain::choice::Purpose;
use serde_json::Value;

#[component]
pub fn PurposeStep(draft: ApplicationDraft, save: Callback<(DraftField, Value)>) -> Element {
    let _lang = use_context::<Signal<Language>>();
    let t = use_tr();
    rsx! {
        ChoiceGroup { id: "purpose", chosen: draft.purpose.map(wire),
            on_choose: move |v| save.call((DraftField::Purpose, v)),
            options: Purpose::ALL.iter().copied()
                .map(|x| (wire(x), t(&format!("purpose-{}", x.as_str())), None)).collect() }
    }
}
