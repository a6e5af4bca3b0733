//! Small parts shared by screens.

mod form;
mod frame;
mod icons;
mod language_switch;

pub use form::{ErrorNote, Field, Primary, field_error, parse_date, show_date, show_moment};
pub use frame::{Frame, OfflineNote};
pub use icons::PassportIcon;
pub use language_switch::LanguageSwitch;
