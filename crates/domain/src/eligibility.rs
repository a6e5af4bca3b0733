//! Who may choose what: adult or child, the validities open to each, and the
//! documents a case needs.

use crate::choice::{ApplicantKind, MaritalStatus, Purpose, ReplacementReason, Validity};
use jiff::civil::Date;

crate::choice::wire_enum! {
    /// A document image the applicant uploads; the wire name is the `{kind}`
    /// of `PUT /v1/applications/{id}/documents/{kind}`.
    DocumentKind {
        Ektp = "ektp",
        FamilyCard = "family_card",
        BirthCertificate = "birth_certificate",
        MarriageCertificate = "marriage_certificate",
        Diploma = "diploma",
        BaptismLetter = "baptism_letter",
        OldPassport = "old_passport",
        PoliceReport = "police_report",
        FatherEktp = "father_ektp",
        MotherEktp = "mother_ektp",
        ParentsMarriageCertificate = "parents_marriage_certificate",
        ParentsPassports = "parents_passports",
        ParentsStatement = "parents_statement",
        NameChangeOrder = "name_change_order",
        ReligiousRecommendation = "religious_recommendation",
        /// The local authority's letter that a passport was lost or damaged
        /// in a disaster (force majeure): what waives the replacement charge.
        DisasterLetter = "disaster_letter",
    }
}

/// One line of the document list: any one of `any_of` satisfies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRequirement {
    pub any_of: Vec<DocumentKind>,
    /// Asked for only where it exists (the parents' passports "if any").
    pub optional: bool,
}

impl DocumentRequirement {
    fn one(kind: DocumentKind) -> Self {
        DocumentRequirement {
            any_of: vec![kind],
            optional: false,
        }
    }

    pub fn is_met_by(&self, uploaded: &[DocumentKind]) -> bool {
        self.optional || self.any_of.iter().any(|k| uploaded.contains(k))
    }
}

/// The facts of a case that decide the document list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocumentCase {
    pub applicant: ApplicantKind,
    pub replacement: Option<ReplacementReason>,
    pub purpose: Purpose,
    pub name_changed: bool,
    /// The applicant says the passport was lost or damaged by force majeure.
    pub force_majeure: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequiredDocuments(pub Vec<DocumentRequirement>);

impl RequiredDocuments {
    pub fn for_case(case: &DocumentCase) -> RequiredDocuments {
        use DocumentKind::*;
        let mut list = match case.applicant {
            ApplicantKind::Adult => vec![
                DocumentRequirement::one(Ektp),
                DocumentRequirement::one(FamilyCard),
                DocumentRequirement {
                    any_of: vec![
                        BirthCertificate,
                        MarriageCertificate,
                        Diploma,
                        BaptismLetter,
                    ],
                    optional: false,
                },
            ],
            ApplicantKind::Child => vec![
                DocumentRequirement::one(FamilyCard),
                DocumentRequirement::one(BirthCertificate),
                DocumentRequirement::one(FatherEktp),
                DocumentRequirement::one(MotherEktp),
                DocumentRequirement::one(ParentsMarriageCertificate),
                DocumentRequirement {
                    any_of: vec![ParentsPassports],
                    optional: true,
                },
                DocumentRequirement::one(ParentsStatement),
            ],
        };
        if let Some(reason) = case.replacement {
            let lost = reason == ReplacementReason::Lost;
            // Of a lost passport only a copy of the data page may be left, if any.
            list.push(DocumentRequirement {
                any_of: vec![OldPassport],
                optional: lost,
            });
            if lost {
                list.push(DocumentRequirement::one(PoliceReport));
            }
            // The claim is not taken on the applicant's word: without the
            // letter the application may still go in, at the full fee.
            if case.force_majeure && reason != ReplacementReason::ExpiredOrFull {
                list.push(DocumentRequirement {
                    any_of: vec![DisasterLetter],
                    optional: true,
                });
            }
        }
        if case.name_changed {
            list.push(DocumentRequirement::one(NameChangeOrder));
        }
        if case.purpose == Purpose::UmrahHajj {
            list.push(DocumentRequirement::one(ReligiousRecommendation));
        }
        RequiredDocuments(list)
    }

    /// The requirements not yet met by the uploaded kinds.
    pub fn missing(&self, uploaded: &[DocumentKind]) -> Vec<&DocumentRequirement> {
        self.0.iter().filter(|r| !r.is_met_by(uploaded)).collect()
    }

    /// Every kind this case may upload.
    pub fn accepts(&self, kind: DocumentKind) -> bool {
        self.0.iter().any(|r| r.any_of.contains(&kind))
    }
}

/// Age in whole years on `today`.
pub fn age_on(birth_date: Date, today: Date) -> i16 {
    let mut age = today.year() - birth_date.year();
    if (today.month(), today.day()) < (birth_date.month(), birth_date.day()) {
        age -= 1;
    }
    age
}

/// Adult: 17 or over, or ever married. Child: under 17 and never married.
pub fn applicant_kind(birth_date: Date, marital: MaritalStatus, today: Date) -> ApplicantKind {
    if age_on(birth_date, today) >= 17 || marital.has_married() {
        ApplicantKind::Adult
    } else {
        ApplicantKind::Child
    }
}

/// Ten years only for adults.
pub fn allowed_validities(kind: ApplicantKind) -> &'static [Validity] {
    match kind {
        ApplicantKind::Adult => &[Validity::FiveYears, Validity::TenYears],
        ApplicantKind::Child => &[Validity::FiveYears],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DocumentKind::*;
    use jiff::civil::date;

    fn case(applicant: ApplicantKind) -> DocumentCase {
        DocumentCase {
            applicant,
            replacement: None,
            purpose: Purpose::Tourism,
            name_changed: false,
            force_majeure: false,
        }
    }

    #[test]
    fn seventeen_or_married_is_adult() {
        let today = date(2026, 12, 1);
        assert_eq!(
            applicant_kind(date(2009, 12, 1), MaritalStatus::Single, today),
            ApplicantKind::Adult
        );
        assert_eq!(
            applicant_kind(date(2009, 12, 2), MaritalStatus::Single, today),
            ApplicantKind::Child
        );
        assert_eq!(
            applicant_kind(date(2010, 1, 1), MaritalStatus::Married, today),
            ApplicantKind::Adult
        );
        assert_eq!(
            applicant_kind(date(2010, 1, 1), MaritalStatus::Divorced, today),
            ApplicantKind::Adult
        );
        assert_eq!(age_on(date(2000, 2, 29), date(2017, 2, 28)), 16);
        assert_eq!(age_on(date(2000, 2, 29), date(2017, 3, 1)), 17);
    }

    #[test]
    fn ten_years_only_for_adults() {
        assert!(allowed_validities(ApplicantKind::Adult).contains(&Validity::TenYears));
        assert_eq!(
            allowed_validities(ApplicantKind::Child),
            &[Validity::FiveYears]
        );
    }

    #[test]
    fn an_adult_needs_ektp_kk_and_one_civil_record() {
        let docs = RequiredDocuments::for_case(&case(ApplicantKind::Adult));
        assert_eq!(docs.0.len(), 3);
        assert_eq!(docs.missing(&[Ektp, FamilyCard]).len(), 1);
        assert!(docs.missing(&[Ektp, FamilyCard, Diploma]).is_empty());
        assert!(docs.missing(&[Ektp, FamilyCard, BaptismLetter]).is_empty());
        assert!(!docs.accepts(OldPassport));
    }

    #[test]
    fn a_child_needs_the_parents_papers_but_not_their_passports() {
        let docs = RequiredDocuments::for_case(&case(ApplicantKind::Child));
        let all = [
            FamilyCard,
            BirthCertificate,
            FatherEktp,
            MotherEktp,
            ParentsMarriageCertificate,
            ParentsStatement,
        ];
        assert!(docs.missing(&all).is_empty());
        assert!(docs.accepts(ParentsPassports));
        assert_eq!(docs.missing(&all[1..]).len(), 1);
        assert!(!docs.accepts(Ektp));
    }

    #[test]
    fn replacement_lost_name_change_and_umrah_add_their_papers() {
        let expired = RequiredDocuments::for_case(&DocumentCase {
            replacement: Some(ReplacementReason::ExpiredOrFull),
            ..case(ApplicantKind::Adult)
        });
        assert!(expired.accepts(OldPassport) && !expired.accepts(PoliceReport));
        let damaged = RequiredDocuments::for_case(&DocumentCase {
            replacement: Some(ReplacementReason::Damaged),
            ..case(ApplicantKind::Adult)
        });
        assert!(damaged.accepts(OldPassport));
        let lost = RequiredDocuments::for_case(&DocumentCase {
            replacement: Some(ReplacementReason::Lost),
            name_changed: true,
            purpose: Purpose::UmrahHajj,
            ..case(ApplicantKind::Adult)
        });
        assert!(lost.accepts(PoliceReport) && lost.accepts(OldPassport));
        assert!(lost.accepts(NameChangeOrder));
        assert!(lost.accepts(ReligiousRecommendation));
        assert_eq!(lost.0.len(), 7);
        let adult = [Ektp, FamilyCard, Diploma];
        let missing: Vec<_> = lost.missing(&adult).iter().map(|r| r.any_of[0]).collect();
        assert_eq!(
            missing,
            vec![PoliceReport, NameChangeOrder, ReligiousRecommendation]
        );
        assert_eq!(damaged.missing(&adult).len(), 1);
    }
}
