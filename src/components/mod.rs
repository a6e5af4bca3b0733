//! Small parts that several screens use.

mod icons;
mod language_switch;

pub use icons::PassportIcon;
pub use language_switch::LanguageSwitch;
