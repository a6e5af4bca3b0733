//! A group of big radio buttons: one choice, told at once.

use dioxus::prelude::*;
use serde_json::Value;

/// Big radio buttons; `on_choose` hears the value chosen.
#[component]
pub fn ChoiceGroup(
    id: String,
    options: Vec<(Value, String, Option<String>)>,
    chosen: Option<Value>,
    on_choose: Callback<Value>,
) -> Element {
    rsx! {
        div { id: "{id}", class: "options", role: "radiogroup",
            for (i, (value, label, note)) in options.into_iter().enumerate() {
                button {
                    id: "{id}-{i}",
                    r#type: "button",
                    role: "radio",
                    class: if chosen.as_ref() == Some(&value) { "option option-on" } else { "option" },
                    aria_checked: if chosen.as_ref() == Some(&value) { "true" } else { "false" },
                    onclick: { let value = value.clone(); move |_| on_choose.call(value.clone()) },
                    strong { {label} }
                    if let Some(note) = note { span { {note} } }
                }
            }
        }
    }
}
