//! Corrections: the office asks, before the appointment, for one document
//! to be photographed again or one field to be fixed; the applicant fixes
//! just that, nothing is paid again and the appointment stays.

use crate::draft::DraftField;
use crate::eligibility::DocumentKind;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// The longest reason an office may give.
pub const MAX_CORRECTION_REASON: usize = 500;

/// Most corrections open on one application at once.
pub const MAX_OPEN_CORRECTIONS: usize = 5;

crate::choice::wire_enum! {
    CorrectionState {
        /// Asked, not yet fixed, the deadline still ahead.
        Open = "open",
        /// The applicant sent the fix and the server took it.
        Fixed = "fixed",
        /// The deadline passed unfixed: the applicant brings the right
        /// original to the appointment, where the officer decides.
        Lapsed = "lapsed",
    }
}

/// What the office asks; exactly one of `document` and `field`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CorrectionRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<DocumentKind>,
    /// One of the fields the applicant typed (address, occupation, phone,
    /// email, parents' names, birth place, the emergency contact); the
    /// fields the civil registry vouches for are not asked again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<DraftField>,
    /// Why, in words the applicant reads.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 500))]
    pub reason: String,
    /// Fix by then; absent, the end of the day before the appointment in
    /// the office's zone (the latest it may be).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_at: Option<Timestamp>,
}

/// A correction the office asked for, and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Correction {
    pub id: String,
    pub application_id: crate::ApplicationId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<DocumentKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<DraftField>,
    pub reason: String,
    pub asked_at: Timestamp,
    pub due_at: Timestamp,
    pub state: CorrectionState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settled_at: Option<Timestamp>,
}

impl Correction {
    pub fn is_open(&self) -> bool {
        self.state == CorrectionState::Open
    }
}

impl DraftField {
    /// The fields an office may ask to be fixed: what the applicant typed,
    /// not what the civil registry vouches for (NIK, name, birth date, sex,
    /// marital status) nor the choices the fee and the place depend on.
    pub fn correctable(self) -> bool {
        use DraftField::*;
        matches!(
            self,
            BirthPlace
                | Address
                | Occupation
                | Phone
                | Email
                | MotherName
                | FatherName
                | EmergencyName
                | EmergencyPhone
                | EmergencyRelationship
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_typed_fields_may_be_asked_again() {
        assert!(DraftField::Address.correctable());
        assert!(DraftField::MotherName.correctable());
        for vouched in [
            DraftField::Nik,
            DraftField::FullName,
            DraftField::BirthDate,
            DraftField::Sex,
            DraftField::OfficeId,
            DraftField::PassportType,
        ] {
            assert!(!vouched.correctable(), "{vouched:?}");
        }
    }
}
