//! The account screens: register, the emailed OTP, log in, forgotten password.

mod forgot;
mod login;
mod register;
mod verify;

pub use forgot::Forgot;
pub use login::Login;
pub use register::Register;
pub use verify::Verify;

use crate::i18n::{Language, tr};
use crate::services::Services;
use dioxus::prelude::*;

/// A required field left empty, as a field error.
pub(super) fn required(lang: Language, value: &Signal<String>) -> Option<String> {
    value
        .read()
        .trim()
        .is_empty()
        .then(|| tr(lang, "form-required"))
}

/// Seconds left until `at` by the server's clock (never below zero).
pub(super) fn seconds_until(services: &Services, at: jiff::Timestamp) -> i64 {
    at.duration_since(services.engine.server_now())
        .as_secs()
        .max(0)
}

#[cfg(test)]
mod tests {
    use crate::i18n::{Language, tr};
    use crate::testing::{Phone, assert_every_control_is_named};

    #[test]
    fn every_account_screen_renders_in_both_languages_with_named_controls() {
        let screens = [
            ("/register", "register", "register-title", "register-submit"),
            ("/login", "login", "login-title", "login-forgot"),
            ("/forgot", "forgot", "forgot-title", "forgot-send"),
            (
                "/verify/budi%40example.com",
                "verify",
                "verify-title",
                "verify-resend",
            ),
        ];
        for lang in Language::ALL {
            for (path, id, title, action) in screens {
                let html = Phone::new(lang).render(path);
                assert!(html.contains(&format!(r#"id="{id}""#)), "{path}: {html}");
                assert!(html.contains(&tr(lang, title)), "{path} in {lang:?}");
                assert!(html.contains(&tr(lang, action)), "{path} in {lang:?}");
                assert_every_control_is_named(&html);
            }
        }
    }

    #[test]
    fn register_asks_for_everything_the_account_needs() {
        let html = Phone::new(Language::Id).render("/register");
        for field in ["full_name", "email", "phone", "password", "birth_date"] {
            assert!(html.contains(&format!(r#"id="{field}""#)), "{field}");
        }
        assert!(html.contains(r#"id="sex-male""#) && html.contains(r#"id="sex-female""#));
        assert!(html.contains(r#"autocomplete="new-password""#));
        assert!(html.contains(&tr(Language::Id, "field-date-hint")));
    }

    #[test]
    fn the_verify_screen_names_the_address_the_code_went_to() {
        let html = Phone::new(Language::En).render("/verify/budi%40example.com");
        assert!(html.contains("budi@example.com"), "{html}");
        assert!(html.contains(r#"autocomplete="one-time-code""#));
    }
}
