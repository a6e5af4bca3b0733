//! The screens: one component per screen, the steps of an application under
//! `apply/`, an application's panels under `detail/`, the account screens
//! under `account/`.

mod account;
mod apply;
mod detail;
mod family;
mod home;
mod inbox;
mod passports;
mod proof;
mod quota;
mod settings;
mod welcome;

pub use account::{Forgot, Login, Register, Verify};
pub use apply::Apply;
#[cfg(test)]
pub(crate) use apply::card_jpeg;
pub(crate) use apply::take_photo;
pub use detail::ApplicationDetail;
pub use family::Family;
pub use home::Home;
pub use inbox::{Inbox, message_words};
pub use passports::Passports;
pub use proof::Proof;
pub use quota::opening_words;
pub use settings::Settings;
pub use welcome::Welcome;

/// The operations of a draft (`queued`) that the server refused: they wait
/// for the applicant, and each screen says why next to its cause.
pub(crate) fn refused(
    queued: &[mpaspor_core::engine::Pending],
) -> Vec<mpaspor_core::engine::Pending> {
    queued
        .iter()
        .filter(|p| p.failed.is_some())
        .cloned()
        .collect()
}
