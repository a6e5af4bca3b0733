//! Form parts: a labelled field with its hint and error, an error note, a
//! primary button that says when it is working.

use crate::i18n::{Language, tr};
use dioxus::prelude::*;
use mpaspor_core::Error;

/// A labelled input. `error` shows under it and is tied to it for screen
/// readers; `on_input` hears every change (a draft's field saves on each).
#[component]
pub fn Field(
    id: String,
    label: String,
    value: Signal<String>,
    #[props(default = "text".to_string())] kind: String,
    #[props(default)] autocomplete: Option<String>,
    #[props(default)] inputmode: Option<String>,
    #[props(default)] hint: Option<String>,
    #[props(default)] error: Option<String>,
    #[props(default)] on_input: Option<EventHandler<String>>,
) -> Element {
    let mut value = value;
    let described = match (&hint, &error) {
        (_, Some(_)) => Some(format!("{id}-error")),
        (Some(_), None) => Some(format!("{id}-hint")),
        _ => None,
    };
    rsx! {
        div { class: if error.is_some() { "field field-bad" } else { "field" },
            label { r#for: "{id}", {label} }
            input {
                id: "{id}",
                name: "{id}",
                r#type: "{kind}",
                // Uncontrolled: the page keeps what is typed, the signal follows it.
                // (Writing the value back on every render loses keys typed quickly.)
                initial_value: "{value}",
                autocomplete: autocomplete.clone(),
                inputmode: inputmode.clone(),
                aria_invalid: if error.is_some() { "true" } else { "false" },
                aria_describedby: described,
                oninput: move |e| {
                    let text = e.value();
                    value.set(text.clone());
                    if let Some(heard) = &on_input {
                        heard.call(text);
                    }
                },
            }
            if let Some(error) = &error {
                p { id: "{id}-error", class: "field-error", role: "alert", "⚠ {error}" }
            } else if let Some(hint) = &hint {
                p { id: "{id}-hint", class: "field-hint", {hint.clone()} }
            }
        }
    }
}

/// An error the API or the engine gave, in the applicant's words, unless it
/// belongs to one of `fields` (then that field shows it).
#[component]
pub fn ErrorNote(error: Option<Error>, #[props(default)] fields: Vec<String>) -> Element {
    let lang = use_context::<Signal<Language>>();
    let Some(error) = error else { return rsx! {} };
    if error.field().is_some_and(|f| fields.iter().any(|x| x == f)) {
        return rsx! {};
    }
    rsx! {
        p { id: "form-error", class: "note note-bad", role: "alert", "⚠ {tr(lang(), &error.key())}" }
    }
}

/// A date as Indonesians write it: DD-MM-YYYY.
pub fn show_date(date: jiff::civil::Date) -> String {
    date.strftime("%d-%m-%Y").to_string()
}

/// An instant as the office's clock shows it: `02-12-2026 14:05 WITA`.
pub fn show_moment(at: jiff::Timestamp, zone: mpaspor_domain::schedule::OfficeZone) -> String {
    format!("{} {}", show_date(zone.local_date(at)), zone.clock(at))
}

/// A date as Indonesians write it, `DD-MM-YYYY` (also with `/` or `.`), or ISO `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<jiff::civil::Date> {
    let parts: Vec<&str> = text.trim().split(['-', '/', '.']).collect();
    let [a, b, c] = parts[..] else { return None };
    let (y, m, d) = if a.len() == 4 { (a, b, c) } else { (c, b, a) };
    if y.len() != 4 {
        return None;
    }
    jiff::civil::Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()
}

/// The message for `field` when the API's error names it.
pub fn field_error(lang: Language, error: &Option<Error>, field: &str) -> Option<String> {
    error
        .as_ref()
        .filter(|e| e.field() == Some(field))
        .map(|e| tr(lang, &e.key()))
}

/// The main action of a screen; while `busy` it is disabled and says so.
#[component]
pub fn Primary(id: String, label: String, busy: bool, onclick: EventHandler<()>) -> Element {
    let lang = use_context::<Signal<Language>>();
    rsx! {
        button {
            id: "{id}",
            class: "primary",
            r#type: "button",
            disabled: busy,
            aria_busy: if busy { "true" } else { "false" },
            onclick: move |_| onclick.call(()),
            if busy { {tr(lang(), "working")} } else { {label} }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_date;
    use jiff::civil::date;

    #[test]
    fn dates_are_read_as_written_in_indonesia() {
        assert_eq!(parse_date("15-05-1990"), Some(date(1990, 5, 15)));
        assert_eq!(parse_date(" 5/5/1990 "), Some(date(1990, 5, 5)));
        assert_eq!(parse_date("15.05.1990"), Some(date(1990, 5, 15)));
        assert_eq!(parse_date("1990-05-15"), Some(date(1990, 5, 15)));
        assert_eq!(parse_date("31-02-1990"), None);
        assert_eq!(parse_date("15-05-90"), None);
        assert_eq!(parse_date("kemarin"), None);
    }
}
