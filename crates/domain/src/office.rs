//! Whether an office can take an application: the one rule the office step
//! and the mock's submit share.

use crate::api::{ApplicationDraft, Office};
use crate::choice::{PassportType, Service};

/// Why an office cannot take an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfficeRefusal {
    /// It does not issue the chosen passport type.
    PassportType(PassportType),
    /// It has no same-day (percepatan) service.
    NoExpress,
}

impl OfficeRefusal {
    /// The translation key of the app's message.
    pub fn key(self) -> &'static str {
        match self {
            OfficeRefusal::PassportType(_) => "office-no-type",
            OfficeRefusal::NoExpress => "office-no-express",
        }
    }

    /// The draft field the refusal is about.
    pub fn field(self) -> &'static str {
        match self {
            OfficeRefusal::PassportType(_) => "passport_type",
            OfficeRefusal::NoExpress => "service",
        }
    }

    /// In words (English: the API's message).
    pub fn message(self, office: &Office) -> String {
        match self {
            OfficeRefusal::PassportType(t) => {
                format!("{} does not issue {t} passports", office.name)
            }
            OfficeRefusal::NoExpress => format!("{} has no same-day service", office.name),
        }
    }
}

impl Office {
    /// Why this office cannot take `draft` as chosen so far, if it cannot.
    pub fn refuses(&self, draft: &ApplicationDraft) -> Option<OfficeRefusal> {
        if let Some(t) = draft.passport_type
            && !self.passport_types.contains(&t)
        {
            return Some(OfficeRefusal::PassportType(t));
        }
        if draft.service == Some(Service::Percepatan) && !self.express {
            return Some(OfficeRefusal::NoExpress);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::OfficeKind;
    use crate::schedule::OfficeZone;

    fn ulp() -> Office {
        Office {
            id: "ulp-b".into(),
            name: "ULP B".into(),
            kind: OfficeKind::Ulp,
            address: "Jl. B".into(),
            city: "Kota B".into(),
            province: "Jawa Barat".into(),
            lat: -6.8,
            lon: 107.5,
            zone: OfficeZone::Wib,
            passport_types: vec![PassportType::Biasa],
            express: false,
            distance_km: None,
        }
    }

    #[test]
    fn an_office_refuses_a_type_it_does_not_issue_then_express_it_lacks() {
        let mut d = ApplicationDraft::default();
        assert_eq!(ulp().refuses(&d), None, "nothing chosen yet");
        d.service = Some(Service::Percepatan);
        assert_eq!(ulp().refuses(&d), Some(OfficeRefusal::NoExpress));
        d.passport_type = Some(PassportType::Elektronik);
        let refusal = ulp().refuses(&d).unwrap();
        assert_eq!(
            refusal,
            OfficeRefusal::PassportType(PassportType::Elektronik)
        );
        assert_eq!(
            refusal.message(&ulp()),
            "ULP B does not issue elektronik passports"
        );
        assert_eq!(
            (refusal.key(), refusal.field()),
            ("office-no-type", "passport_type")
        );
        d.passport_type = Some(PassportType::Biasa);
        d.service = Some(Service::Reguler);
        assert_eq!(ulp().refuses(&d), None);
    }
}
