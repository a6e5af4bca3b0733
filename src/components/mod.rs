//! Small parts that several screens use.

mod language_switch;

pub use language_switch::LanguageSwitch;
