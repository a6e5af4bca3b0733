//! The passport type and validity, with the fee from the served table.

use super::wire;
use crate::components::ChoiceGroup;
use crate::hooks::use_tr;
use crate::i18n::{Language, tr, tr_with};
use crate::services::Services;
use dioxus::prelude::*;
use mpaspor_domain::DraftField;
use mpaspor_domain::api::ApplicationDraft;
use mpaspor_domain::choice::{ApplicantKind, PassportType, Service};
use mpaspor_domain::eligibility::allowed_validities;
use mpaspor_domain::fees::{FeeChoice, FeeTable};
use serde_json::Value;

#[component]
pub fn PassportStep(draft: ApplicationDraft, save: Callback<(DraftField, Value)>) -> Element {
    let services = use_context::<Services>();
    let _lang = use_context::<Signal<Language>>();
    let t = use_tr();
    // The fee table: the kept copy at once, refreshed from the server.
    let mut fees = use_signal(|| services.engine.kept_fees());
    use_future(move || {
        let services = services.clone();
        async move {
            let engine = services.engine.clone();
            if let Ok(Some(table)) = services.run(async move { engine.fees().await }).await {
                fees.set(Some(table));
            }
        }
    });
    rsx! {
        h3 { class: "sub", {t("passport-type-title")} }
        ChoiceGroup { id: "passport-type", chosen: draft.passport_type.map(wire),
            on_choose: move |v| save.call((DraftField::PassportType, v)),
            options: [PassportType::Elektronik, PassportType::ElektronikPolikarbonat, PassportType::Biasa].into_iter()
                .map(|p| (wire(p), t(&format!("passport-{}", p.as_str())), None)).collect() }
        h3 { class: "sub", {t("validity-title")} }
        ChoiceGroup { id: "validity", chosen: draft.validity.map(wire),
            on_choose: move |v| save.call((DraftField::Validity, v)),
            options: allowed_validities(draft.applicant_kind.unwrap_or(ApplicantKind::Adult)).iter()
                .map(|v| (wire(*v), t(&format!("validity-{}", v.as_str())), None)).collect() }
        FeeLine { draft: draft.clone(), table: fees() }
    }
}

/// The fee for what is chosen so far, from the served table.
#[component]
fn FeeLine(draft: ApplicationDraft, table: Option<FeeTable>) -> Element {
    let lang = use_context::<Signal<Language>>();
    let (Some(passport_type), Some(validity), Some(table)) =
        (draft.passport_type, draft.validity, table)
    else {
        return rsx! {};
    };
    // The full fee until the evidence of a force majeure claim is attached
    // (the server charges the same); what it comes to with it, beside.
    let choice = FeeChoice {
        passport_type,
        validity,
        service: draft.service.unwrap_or(Service::Reguler),
        replacement: draft.replacement.as_ref().map(|r| r.reason),
        force_majeure: false,
    };
    let claimed = draft.replacement.as_ref().is_some_and(|r| r.force_majeure);
    let waived = claimed
        .then(|| {
            table.quote(&FeeChoice {
                force_majeure: true,
                ..choice
            })
        })
        .and_then(Result::ok)
        .map(|q| q.total);
    match table.quote(&choice) {
        Ok(quote) => rsx! {
            div { id: "fee", class: "note fee", role: "status",
                for line in quote.lines.iter() {
                    p { class: "fee-line",
                        span { {tr(lang(), fee_item_key(&line.item))} }
                        span { {line.amount.to_string()} }
                    }
                }
                p { class: "fee-line fee-total",
                    strong { {tr_with(lang(), "apply-fee", &[("amount", quote.total.to_string())])} }
                }
                if let Some(waived) = waived.filter(|w| *w != quote.total) {
                    p { id: "fee-waived", class: "field-hint",
                        {tr_with(lang(), "apply-fee-waived", &[("amount", waived.to_string())])} }
                }
            }
        },
        Err(_) => rsx! {
            p { id: "fee", class: "note note-warn", role: "status", {tr(lang(), "apply-fee-unknown")} }
        },
    }
}

fn fee_item_key(item: &mpaspor_domain::fees::FeeItem) -> &'static str {
    use mpaspor_domain::fees::FeeItem::*;
    match item {
        Passport { .. } => "fee-item-passport",
        Express => "fee-item-express",
        LostPassport => "fee-item-lost",
        DamagedPassport => "fee-item-damaged",
    }
}

#[cfg(test)]
mod tests {
    use crate::i18n::{Language, tr};
    use crate::testing::{holder_draft, render_at};
    use mpaspor_domain::DraftField;
    use serde_json::json;

    #[test]
    fn the_fee_follows_the_choices_from_the_served_table() {
        let (phone, draft) = holder_draft(Language::Id);
        let table: mpaspor_domain::fees::FeeTable =
            serde_json::from_str(include_str!("../../../crates/mock-server/data/fees.json"))
                .unwrap();
        phone.keep_reference("fees", &table);
        for (field, value) in [
            (DraftField::Service, json!("reguler")),
            (DraftField::ApplicantKind, json!("adult")),
            (DraftField::PassportType, json!("elektronik")),
            (DraftField::Validity, json!("10y")),
        ] {
            phone.engine().save_field(&draft, field, &value).unwrap();
        }
        let html = render_at(phone.services.clone(), &format!("/apply/{draft}/passport"));
        assert!(html.contains("Biaya: Rp950.000"), "{html}");
        phone
            .engine()
            .save_field(&draft, DraftField::Service, &json!("percepatan"))
            .unwrap();
        let html = render_at(phone.services.clone(), &format!("/apply/{draft}/passport"));
        assert!(html.contains("Biaya: Rp1.950.000"), "{html}");
        assert!(html.contains(&tr(Language::Id, "fee-item-express")));
        assert!(html.contains("Rp1.000.000"));
    }
}
