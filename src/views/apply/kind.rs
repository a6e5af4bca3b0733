//! Adult or child.

use super::wire;
use crate::components::ChoiceGroup;
use crate::hooks::use_tr;
use crate::i18n::Language;
use dioxus::prelude::*;
use mpaspor_domain::DraftField;
use mpaspor_domain::api::ApplicationDraft;
use mpaspor_domain::choice::ApplicantKind;
use serde_json::Value;

#[component]
pub fn KindStep(draft: ApplicationDraft, save: Callback<(DraftField, Value)>) -> Element {
    let _lang = use_context::<Signal<Language>>();
    let t = use_tr();
    rsx! {
        ChoiceGroup { id: "kind", chosen: draft.applicant_kind.map(wire),
            on_choose: move |v| save.call((DraftField::ApplicantKind, v)),
            options: [ApplicantKind::Adult, ApplicantKind::Child].into_iter()
                .map(|x| (wire(x), t(&format!("kind-{}", x.as_str())), Some(t(&format!("kind-{}-note", x.as_str()))))).collect() }
    }
}
