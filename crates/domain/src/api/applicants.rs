//! The people an account files for, and the passports already issued to them.

use crate::choice::{MaritalStatus, PassportType, Sex};
use crate::ids::PassportNumber;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// At most five applicants per account, the holder included.
pub const MAX_APPLICANTS: usize = 5;

crate::choice::wire_enum! {
    /// How an applicant is related to the account holder.
    Relationship {
        Holder = "holder",
        Spouse = "spouse",
        Child = "child",
        Parent = "parent",
        Sibling = "sibling",
        Other = "other",
    }
}

/// `POST /v1/applicants` and `PUT /v1/applicants/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicantInput {
    pub full_name: String,
    pub relationship: Relationship,
    pub birth_date: Date,
    pub sex: Sex,
    pub marital_status: MaritalStatus,
    /// Optional until an application is submitted.
    #[serde(default)]
    pub nik: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Applicant {
    pub id: crate::ApplicantId,
    pub version: u64,
    #[serde(flatten)]
    pub input: ApplicantInput,
}

crate::choice::wire_enum! {
    TravelDocumentStatus {
        Valid = "valid",
        Expired = "expired",
        Lost = "lost",
        Damaged = "damaged",
        Replaced = "replaced",
    }
}

/// A passport already issued to a NIK (travel-document integration).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TravelDocument {
    pub number: PassportNumber,
    pub passport_type: PassportType,
    pub issued_on: Date,
    pub expires_on: Date,
    pub status: TravelDocumentStatus,
    pub issuing_office: String,
}

impl TravelDocument {
    /// Many countries refuse entry on a passport with less than six months left.
    pub fn expires_within_six_months(&self, today: Date) -> bool {
        self.status == TravelDocumentStatus::Valid
            && self.expires_on <= today + jiff::Span::new().months(6)
    }

    /// Whether a new passport can be asked for in its place (not one already replaced).
    pub fn can_be_replaced(&self) -> bool {
        self.status != TravelDocumentStatus::Replaced
    }

    /// The application's "replacement" answer for renewing this passport.
    pub fn replacement(&self) -> super::Replacement {
        use crate::choice::ReplacementReason;
        let reason = match self.status {
            TravelDocumentStatus::Lost => ReplacementReason::Lost,
            TravelDocumentStatus::Damaged => ReplacementReason::Damaged,
            _ => ReplacementReason::ExpiredOrFull,
        };
        super::Replacement {
            reason,
            old_passport_number: Some(self.number.clone()),
            force_majeure: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn six_month_warning() {
        let mut doc = TravelDocument {
            number: PassportNumber::parse("C1234567").unwrap(),
            passport_type: PassportType::Elektronik,
            issued_on: date(2017, 6, 1),
            expires_on: date(2027, 6, 1),
            status: TravelDocumentStatus::Valid,
            issuing_office: "Kantor Imigrasi Jakarta Selatan".into(),
        };
        assert!(doc.expires_within_six_months(date(2026, 12, 1)));
        assert!(!doc.expires_within_six_months(date(2026, 11, 30)));
        assert_eq!(
            doc.replacement().reason,
            crate::choice::ReplacementReason::ExpiredOrFull
        );
        doc.status = TravelDocumentStatus::Lost;
        assert_eq!(
            doc.replacement().reason,
            crate::choice::ReplacementReason::Lost
        );
        assert_eq!(
            doc.replacement().old_passport_number,
            Some(doc.number.clone())
        );
        doc.status = TravelDocumentStatus::Replaced;
        assert!(!doc.expires_within_six_months(date(2026, 12, 1)));
        assert!(!doc.can_be_replaced());
    }

    #[test]
    fn an_applicant_is_its_input_flattened_with_id_and_version() {
        let a = Applicant {
            id: "ap_1".into(),
            version: 3,
            input: ApplicantInput {
                full_name: "Siti Aminah".into(),
                relationship: Relationship::Child,
                birth_date: date(2015, 3, 2),
                sex: Sex::Female,
                marital_status: MaritalStatus::Single,
                nik: None,
            },
        };
        let v = serde_json::to_value(&a).unwrap();
        assert_eq!(v["relationship"], "child");
        assert_eq!(v["birth_date"], "2015-03-02");
        assert_eq!(serde_json::from_value::<Applicant>(v).unwrap(), a);
    }
}
