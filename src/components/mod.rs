//! Small parts shared by screens.

mod choice_group;
mod form;
mod frame;
mod icons;
mod language_switch;
mod quota;
mod slot_picker;
mod walk_ins;

pub use choice_group::ChoiceGroup;
pub use form::{ErrorNote, Field, Primary, field_error, parse_date, show_date, show_moment};
pub use frame::{Frame, OfflineNote};
pub use icons::PassportIcon;
pub use language_switch::LanguageSwitch;
pub use quota::{ReleaseLine, WatchOffer, office_day};
pub use slot_picker::SlotPicker;
pub use walk_ins::WalkIns;
