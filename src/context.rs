//! What the root provides to every screen besides the services: the
//! language and the text size (both remembered), and the password held
//! between registering and the OTP.

use crate::i18n::Language;
use dioxus::prelude::*;
use mpaspor_core::Engine;
use mpaspor_core::engine::Preference;

/// Held in memory only, between registering and the OTP: lets the app log
/// in right after the account is verified. Never stored.
#[derive(Clone, Default, PartialEq)]
pub struct JustRegistered {
    pub email: String,
    pub password: String,
    /// When the server allows the OTP to be sent again.
    pub resend_after: Option<jiff::Timestamp>,
}

/// The language the applicant chose last time, Indonesian until they choose.
pub fn stored_language(engine: &Engine) -> Language {
    engine
        .preference(Preference::Language)
        .and_then(|code| Language::from_code(&code))
        .unwrap_or_default()
}

/// Switches the language at once and remembers it across restarts.
pub fn choose_language(engine: &Engine, mut current: Signal<Language>, lang: Language) {
    current.set(lang);
    if let Err(e) = engine.set_preference(Preference::Language, lang.code()) {
        tracing::warn!("language not remembered: {e}");
    }
}

/// How large the app's text is, over the 16 px base: for applicants who need
/// it larger than their phone's own setting gives (which also applies).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum TextSize {
    #[default]
    Normal,
    Large,
    Largest,
}

impl TextSize {
    pub const ALL: [TextSize; 3] = [TextSize::Normal, TextSize::Large, TextSize::Largest];

    pub fn percent(self) -> u32 {
        match self {
            TextSize::Normal => 100,
            TextSize::Large => 115,
            TextSize::Largest => 130,
        }
    }

    fn from_percent(text: &str) -> Option<TextSize> {
        TextSize::ALL
            .into_iter()
            .find(|s| s.percent().to_string() == text)
    }

    /// The root rule every `rem` in the style sheet follows.
    pub fn css(self) -> String {
        format!(
            ":root {{ font-size: {}px; }}",
            16.0 * self.percent() as f64 / 100.0
        )
    }
}

/// The text size chosen last time, normal until one is chosen.
pub fn stored_text_size(engine: &Engine) -> TextSize {
    engine
        .preference(Preference::TextSize)
        .and_then(|s| TextSize::from_percent(&s))
        .unwrap_or_default()
}

pub fn choose_text_size(engine: &Engine, mut current: Signal<TextSize>, size: TextSize) {
    current.set(size);
    if let Err(e) = engine.set_preference(Preference::TextSize, &size.percent().to_string()) {
        tracing::warn!("text size not remembered: {e}");
    }
}
