//! The service: reguler, or percepatan (same day, extra fee).

use super::wire;
use crate::components::ChoiceGroup;
use crate::hooks::use_tr;
use crate::i18n::Language;
use dioxus::prelude::*;
use mpaspor_domain::DraftField;
use mpaspor_domain::api::ApplicationDraft;
use mpaspor_domain::choice::Service;
use serde_json::Value;

#[component]
pub fn ServiceStep(draft: ApplicationDraft, save: Callback<(DraftField, Value)>) -> Element {
    let _lang = use_context::<Signal<Language>>();
    let t = use_tr();
    rsx! {
        ChoiceGroup { id: "service", chosen: draft.service.map(wire),
            on_choose: move |v| save.call((DraftField::Service, v)),
            options: [Service::Reguler, Service::Percepatan].into_iter()
                .map(|x| (wire(x), t(&format!("service-{}", x.as_str())), Some(t(&format!("service-{}-note", x.as_str()))))).collect() }
    }
}
