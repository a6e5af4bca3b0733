//! The draft: its fields by name, the steps that ask them, and what it still
//! lacks before it can be submitted. The app's steps and the mock's submit
//! both ask [`lacks`], so "ready to submit" means one thing on both sides.

use crate::api::ApplicationDraft;
use crate::choice::{ApplicantKind, Purpose, ReplacementReason};
use crate::eligibility::{
    DocumentCase, DocumentKind, DocumentRequirement, RequiredDocuments, allowed_validities,
};

crate::choice::wire_enum! {
    /// A field of the draft; its wire name is its dotted path in
    /// [`ApplicationDraft`] (and in the API's error `field`).
    DraftField {
        Service = "service",
        ApplicantKind = "applicant_kind",
        Replacement = "replacement",
        OfficeId = "office_id",
        PassportType = "passport_type",
        Validity = "validity",
        Purpose = "purpose",
        NameChanged = "name_changed",
        Nik = "personal.nik",
        FullName = "personal.full_name",
        Sex = "personal.sex",
        BirthPlace = "personal.birth_place",
        BirthDate = "personal.birth_date",
        Address = "personal.address",
        MaritalStatus = "personal.marital_status",
        Occupation = "personal.occupation",
        Phone = "personal.phone",
        Email = "personal.email",
        MotherName = "personal.mother_name",
        FatherName = "personal.father_name",
        EmergencyName = "personal.emergency_contact.name",
        EmergencyPhone = "personal.emergency_contact.phone",
        EmergencyRelationship = "personal.emergency_contact.relationship",
    }
}

crate::choice::wire_enum! {
    /// A step of the application in the app, in order; the name rides in the route.
    Step {
        Service = "service",
        Kind = "kind",
        Replacement = "replacement",
        Passport = "passport",
        Purpose = "purpose",
        Office = "office",
        Personal = "personal",
        Documents = "documents",
        Schedule = "schedule",
        Review = "review",
    }
}

impl DraftField {
    /// The step that asks for this field.
    pub fn step(self) -> Step {
        use DraftField::*;
        match self {
            Service => Step::Service,
            ApplicantKind => Step::Kind,
            Replacement => Step::Replacement,
            PassportType | Validity => Step::Passport,
            Purpose => Step::Purpose,
            OfficeId => Step::Office,
            _ => Step::Personal,
        }
    }

    /// What the field is, in the words of the mock's "still missing" message.
    fn what(self) -> &'static str {
        use DraftField::*;
        match self {
            Service => "the service (reguler or percepatan)",
            ApplicantKind => "adult or child",
            Replacement => "the replacement",
            OfficeId => "the office",
            PassportType => "the passport type",
            Validity => "the validity",
            Purpose => "the purpose of travel",
            NameChanged => "whether the name changed",
            Nik => "the NIK",
            FullName => "the full name",
            Sex => "the sex",
            BirthPlace => "the birth place",
            BirthDate => "the birth date",
            Address => "the address",
            MaritalStatus => "the marital status",
            Occupation => "the occupation",
            Phone => "the phone number",
            Email => "the email address",
            MotherName => "the mother's name",
            FatherName => "the father's name",
            EmergencyName => "the emergency contact's name",
            EmergencyPhone => "the emergency contact's phone",
            EmergencyRelationship => "the emergency contact's relationship",
        }
    }
}

impl Step {
    /// Where this step stands in [`Step::ALL`], from 0.
    pub fn index(self) -> usize {
        Step::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

    /// The step after this one; none after the review.
    pub fn next(self) -> Option<Step> {
        Step::ALL.get(self.index() + 1).copied()
    }

    /// Whether the step has what it needs to go on. The schedule and the
    /// review are never "complete": the one needs a chosen window, the other
    /// ends with submit.
    pub fn is_complete(self, draft: &ApplicationDraft, attached: &[DocumentKind]) -> bool {
        !matches!(self, Step::Schedule | Step::Review)
            && lacks(draft, attached).iter().all(|l| l.step() != self)
    }

    /// The first step still to answer (where a resumed draft opens).
    pub fn first_open(draft: &ApplicationDraft, attached: &[DocumentKind]) -> Step {
        let lacking = lacks(draft, attached);
        Step::ALL
            .iter()
            .copied()
            .find(|s| {
                matches!(s, Step::Schedule | Step::Review) || lacking.iter().any(|l| l.step() == *s)
            })
            .unwrap_or(Step::Review)
    }
}

/// One thing a draft lacks before it can be submitted, with its reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lack {
    /// A field still to answer (blank text counts as unanswered).
    Unanswered(DraftField),
    /// A passport that was not lost is replaced: its number is on it.
    OldPassportNumber,
    /// A 10-year passport for a child.
    ValidityNotForChild,
    /// A document the case needs, none of whose kinds is attached.
    Document(DocumentRequirement),
}

impl Lack {
    /// The step where the applicant mends it.
    pub fn step(&self) -> Step {
        match self {
            Lack::Unanswered(field) => field.step(),
            Lack::OldPassportNumber => Step::Replacement,
            Lack::ValidityNotForChild => Step::Passport,
            Lack::Document(_) => Step::Documents,
        }
    }

    /// The API error's `field` for it.
    pub fn field(&self) -> &'static str {
        match self {
            Lack::Unanswered(field) => field.as_str(),
            Lack::OldPassportNumber => "replacement.old_passport_number",
            Lack::ValidityNotForChild => DraftField::Validity.as_str(),
            Lack::Document(_) => "documents",
        }
    }

    /// What is lacking, in words (English: the API's messages).
    pub fn what(&self) -> String {
        match self {
            Lack::Unanswered(field) => field.what().to_owned(),
            Lack::OldPassportNumber => "the old passport's number".to_owned(),
            Lack::ValidityNotForChild => "a 10-year passport is only for adults".to_owned(),
            Lack::Document(r) => r
                .any_of
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join(" or "),
        }
    }

    /// A field still to answer or a number still to give (not a document,
    /// not a choice that does not fit).
    pub fn is_unanswered(&self) -> bool {
        matches!(self, Lack::Unanswered(_) | Lack::OldPassportNumber)
    }
}

/// The documents this draft's case needs (as an adult while the kind is unanswered).
/// A field's value as a draft keeps it and the API carries it (the JSON of
/// the field's type): what `save_field` takes for a `DraftField`.
/// The value of `path` in a draft's JSON, `null` when absent.
pub fn get_path<'v>(root: &'v serde_json::Value, path: &str) -> &'v serde_json::Value {
    path.split('.')
        .try_fold(root, |v, key| v.get(key))
        .unwrap_or(&serde_json::Value::Null)
}

/// A draft's fields with their values, in the wire's shape.
pub fn fields_of(draft: &ApplicationDraft) -> Vec<(DraftField, serde_json::Value)> {
    let json = serde_json::to_value(draft).expect("a draft serialises");
    DraftField::ALL
        .iter()
        .map(|f| (*f, get_path(&json, f.as_str()).clone()))
        .collect()
}

/// The fields whose values differ between two drafts.
pub fn changed_fields(before: &ApplicationDraft, after: &ApplicationDraft) -> Vec<DraftField> {
    fields_of(before)
        .into_iter()
        .zip(fields_of(after))
        .filter(|((_, a), (_, b))| a != b)
        .map(|((f, _), _)| f)
        .collect()
}

pub fn wire<T: serde::Serialize>(value: T) -> serde_json::Value {
    serde_json::to_value(value).expect("draft values serialise")
}

pub fn required_documents(draft: &ApplicationDraft) -> RequiredDocuments {
    RequiredDocuments::for_case(&DocumentCase {
        applicant: draft.applicant_kind.unwrap_or(ApplicantKind::Adult),
        replacement: draft.replacement.as_ref().map(|r| r.reason),
        purpose: draft.purpose.unwrap_or(Purpose::Other),
        name_changed: draft.name_changed,
        force_majeure: draft.replacement.as_ref().is_some_and(|r| r.force_majeure),
    })
}

/// Whether the replacement charge is waived: a force majeure claim with
/// its evidence, the local authority's letter, among the documents. The
/// applicant's tick alone waives nothing.
pub fn waiver_evidenced(draft: &ApplicationDraft, attached: &[DocumentKind]) -> bool {
    draft.replacement.as_ref().is_some_and(|r| r.force_majeure)
        && attached.contains(&DocumentKind::DisasterLetter)
}

/// Everything `draft` still lacks before it can be submitted, with
/// `attached` the kinds of the documents it has: the choices, the personal
/// data, the old passport's number, the validity, then the documents. The
/// API's "still missing" message lists them, and names the first, in this
/// order; the app looks them up by step.
pub fn lacks(draft: &ApplicationDraft, attached: &[DocumentKind]) -> Vec<Lack> {
    use DraftField::*;
    let p = &draft.personal;
    let blank = |s: &Option<String>| s.as_deref().is_none_or(|s| s.trim().is_empty());
    let unanswered = [
        (Service, draft.service.is_none()),
        (ApplicantKind, draft.applicant_kind.is_none()),
        (OfficeId, draft.office_id.is_none()),
        (PassportType, draft.passport_type.is_none()),
        (Validity, draft.validity.is_none()),
        (Purpose, draft.purpose.is_none()),
        (Nik, blank(&p.nik)),
        (FullName, blank(&p.full_name)),
        (Sex, p.sex.is_none()),
        (BirthPlace, blank(&p.birth_place)),
        (BirthDate, p.birth_date.is_none()),
        (Address, blank(&p.address)),
        (MaritalStatus, p.marital_status.is_none()),
        (Occupation, blank(&p.occupation)),
        (Phone, blank(&p.phone)),
        (MotherName, blank(&p.mother_name)),
        (EmergencyName, blank(&p.emergency_contact.name)),
        (EmergencyPhone, blank(&p.emergency_contact.phone)),
    ];
    let mut found: Vec<Lack> = unanswered
        .into_iter()
        .filter(|(_, absent)| *absent)
        .map(|(field, _)| Lack::Unanswered(field))
        .collect();
    if draft
        .replacement
        .as_ref()
        .is_some_and(|r| r.reason != ReplacementReason::Lost && r.old_passport_number.is_none())
    {
        found.push(Lack::OldPassportNumber);
    }
    if let (Some(kind), Some(validity)) = (draft.applicant_kind, draft.validity)
        && !allowed_validities(kind).contains(&validity)
    {
        found.push(Lack::ValidityNotForChild);
    }
    found.extend(
        required_documents(draft)
            .missing(attached)
            .into_iter()
            .cloned()
            .map(Lack::Document),
    );
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{PersonalData, Replacement};
    use crate::choice::{MaritalStatus, PassportType, Service, Sex, Validity};
    use crate::ids::PassportNumber;
    use proptest::prelude::*;

    fn complete() -> ApplicationDraft {
        let text = |s: &str| Some(s.to_owned());
        ApplicationDraft {
            applicant_id: "ap_1".into(),
            service: Some(Service::Reguler),
            applicant_kind: Some(ApplicantKind::Adult),
            replacement: None,
            office_id: Some("kanim-jakarta-selatan".into()),
            passport_type: Some(PassportType::Elektronik),
            validity: Some(Validity::TenYears),
            purpose: Some(Purpose::Tourism),
            name_changed: false,
            personal: PersonalData {
                nik: text("3174054708920001"),
                full_name: text("Dewi Lestari"),
                sex: Some(Sex::Female),
                birth_place: text("Jakarta"),
                birth_date: Some(jiff::civil::date(1992, 8, 7)),
                address: text("Jl. Melati 1"),
                marital_status: Some(MaritalStatus::Single),
                occupation: text("Guru"),
                phone: text("081234567890"),
                email: None,
                mother_name: text("Sri"),
                father_name: None,
                emergency_contact: crate::api::EmergencyContact {
                    name: text("Budi"),
                    phone: text("081298765432"),
                    relationship: None,
                },
            },
        }
    }

    const ADULT_PAPERS: [DocumentKind; 3] = [
        DocumentKind::Ektp,
        DocumentKind::FamilyCard,
        DocumentKind::Diploma,
    ];

    #[test]
    fn wire_names_are_the_draft_paths_and_the_route_names() {
        assert_eq!(DraftField::ALL.len(), 23);
        assert_eq!(
            "personal.emergency_contact.phone".parse::<DraftField>(),
            Ok(DraftField::EmergencyPhone)
        );
        assert_eq!("documents".parse::<Step>(), Ok(Step::Documents));
        assert!("payment".parse::<Step>().is_err());
        assert_eq!(Step::Service.next(), Some(Step::Kind));
        assert_eq!(Step::Review.next(), None);
        assert_eq!(Step::Schedule.index(), 8);
    }

    #[test]
    fn a_complete_draft_with_its_papers_lacks_nothing() {
        assert_eq!(lacks(&complete(), &ADULT_PAPERS), vec![]);
        assert_eq!(Step::first_open(&complete(), &ADULT_PAPERS), Step::Schedule);
        let missing = lacks(&complete(), &ADULT_PAPERS[..2]);
        assert_eq!(missing.len(), 1);
        assert_eq!(missing[0].field(), "documents");
        assert_eq!(
            missing[0].what(),
            "birth_certificate or marriage_certificate or diploma or baptism_letter"
        );
    }

    #[test]
    fn blank_text_is_unanswered_and_each_lack_has_its_step() {
        let mut d = complete();
        d.personal.mother_name = Some("  ".into());
        d.service = None;
        let found = lacks(&d, &ADULT_PAPERS);
        assert_eq!(
            found,
            vec![
                Lack::Unanswered(DraftField::Service),
                Lack::Unanswered(DraftField::MotherName)
            ]
        );
        assert_eq!(found[0].what(), "the service (reguler or percepatan)");
        assert_eq!(Step::first_open(&d, &ADULT_PAPERS), Step::Service);
        assert!(!Step::Personal.is_complete(&d, &ADULT_PAPERS));
        assert!(Step::Kind.is_complete(&d, &ADULT_PAPERS));
    }

    #[test]
    fn lacks_come_in_the_order_submit_reports_them_not_the_steps() {
        let mut d = complete();
        d.office_id = None;
        d.passport_type = None;
        d.personal.phone = None;
        d.replacement = Some(Replacement {
            reason: ReplacementReason::Damaged,
            old_passport_number: None,
            force_majeure: false,
        });
        let found = lacks(&d, &ADULT_PAPERS);
        assert_eq!(
            found,
            vec![
                Lack::Unanswered(DraftField::OfficeId),
                Lack::Unanswered(DraftField::PassportType),
                Lack::Unanswered(DraftField::Phone),
                Lack::OldPassportNumber,
                Lack::Document(required_documents(&d).0.last().unwrap().clone()),
            ]
        );
        assert_eq!(Step::first_open(&d, &ADULT_PAPERS), Step::Replacement);
    }

    #[test]
    fn a_replacement_needs_the_old_number_unless_it_was_lost() {
        let mut d = complete();
        let papers = [&ADULT_PAPERS[..], &[DocumentKind::OldPassport]].concat();
        d.replacement = Some(Replacement {
            reason: ReplacementReason::ExpiredOrFull,
            old_passport_number: None,
            force_majeure: false,
        });
        assert_eq!(lacks(&d, &papers), vec![Lack::OldPassportNumber]);
        assert_eq!(
            lacks(&d, &papers)[0].field(),
            "replacement.old_passport_number"
        );
        d.replacement = Some(Replacement {
            reason: ReplacementReason::Lost,
            old_passport_number: None,
            force_majeure: true,
        });
        assert_eq!(lacks(&d, &papers).len(), 1, "the police report");
        d.replacement = Some(Replacement {
            reason: ReplacementReason::Damaged,
            old_passport_number: Some(PassportNumber::parse("C1234567").unwrap()),
            force_majeure: false,
        });
        assert_eq!(lacks(&d, &papers), vec![]);
    }

    #[test]
    fn ten_years_for_a_child_is_lacking_at_the_passport_step() {
        let mut d = complete();
        d.applicant_kind = Some(ApplicantKind::Child);
        let found = lacks(&d, &[]);
        assert!(found.contains(&Lack::ValidityNotForChild));
        assert!(!Step::Passport.is_complete(&d, &[]));
        assert!(!found.iter().any(|l| l.is_unanswered()));
    }

    fn some<T: std::fmt::Debug + Clone>(values: &'static [T]) -> impl Strategy<Value = Option<T>> {
        proptest::option::of(proptest::sample::select(values))
    }

    fn text() -> impl Strategy<Value = Option<String>> {
        proptest::option::of(prop_oneof![
            Just(String::new()),
            Just(" ".into()),
            "[a-z]{1,8}"
        ])
    }

    prop_compose! {
        fn any_draft()(
            service in some(Service::ALL),
            kind in some(ApplicantKind::ALL),
            reason in some(ReplacementReason::ALL),
            numbered in any::<bool>(),
            office in text(),
            passport_type in some(PassportType::ALL),
            validity in some(Validity::ALL),
            purpose in some(Purpose::ALL),
            name_changed in any::<bool>(),
            texts in proptest::collection::vec(text(), 10),
            sex in some(Sex::ALL),
            marital in some(MaritalStatus::ALL),
            born in any::<bool>(),
        ) -> ApplicationDraft {
            let mut d = complete();
            d.service = service;
            d.applicant_kind = kind;
            d.replacement = reason.map(|reason| Replacement {
                reason,
                old_passport_number: numbered.then(|| PassportNumber::parse("C1234567").unwrap()),
                force_majeure: false,
            });
            d.office_id = office.map(Into::into);
            d.passport_type = passport_type;
            d.validity = validity;
            d.purpose = purpose;
            d.name_changed = name_changed;
            let p = &mut d.personal;
            for (slot, value) in [
                &mut p.nik, &mut p.full_name, &mut p.birth_place, &mut p.address,
                &mut p.occupation, &mut p.phone, &mut p.mother_name, &mut p.father_name,
                &mut p.emergency_contact.name, &mut p.emergency_contact.phone,
            ].into_iter().zip(texts) {
                *slot = value;
            }
            p.sex = sex;
            p.marital_status = marital;
            p.birth_date = born.then(|| jiff::civil::date(1992, 8, 7));
            d
        }
    }

    proptest! {
        /// The app lets a draft through to the schedule exactly when every
        /// step before it is complete; that is exactly when nothing is lacking.
        #[test]
        fn every_step_complete_is_lacking_nothing(
            d in any_draft(),
            attached in proptest::collection::vec(proptest::sample::select(DocumentKind::ALL), 0..8),
        ) {
            let steps_done = Step::ALL[..Step::Schedule.index()]
                .iter()
                .all(|s| s.is_complete(&d, &attached));
            prop_assert_eq!(steps_done, lacks(&d, &attached).is_empty());
            let open = Step::first_open(&d, &attached);
            prop_assert_eq!(open == Step::Schedule, steps_done);
        }
    }

    #[test]
    fn only_the_letter_evidences_a_force_majeure_claim() {
        let mut d = complete();
        d.replacement = Some(Replacement {
            reason: crate::choice::ReplacementReason::Lost,
            old_passport_number: None,
            force_majeure: true,
        });
        let docs = [DocumentKind::Ektp, DocumentKind::PoliceReport];
        assert!(!waiver_evidenced(&d, &docs));
        assert!(waiver_evidenced(&d, &[DocumentKind::DisasterLetter]));
        // The letter is asked for (but may be left out, at the full fee).
        let letter = required_documents(&d)
            .0
            .into_iter()
            .find(|r| r.any_of == [DocumentKind::DisasterLetter])
            .expect("the letter is listed");
        assert!(letter.optional);
        d.replacement.as_mut().unwrap().force_majeure = false;
        assert!(!waiver_evidenced(&d, &[DocumentKind::DisasterLetter]));
    }
}
