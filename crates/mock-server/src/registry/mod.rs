//! The Dukcapil registry: a deterministic synthetic population (the same seed
//! always makes the same people), plus anyone testers add.

mod names;

use jiff::Span;
use jiff::civil::{Date, date};
use mpaspor_domain::api::{Citizen, TravelDocument, TravelDocumentStatus};
use mpaspor_domain::{MaritalStatus, Nik, PassportNumber, PassportType, Sex};
use names::{AREAS, FAMILY, MEN, WOMEN};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::collections::HashSet;

/// How many people the seeded registry holds, besides the named samples.
pub const POPULATION: usize = 1000;

/// Every field of a complete adult first-passport draft for `person` at
/// `office`, by the app's draft field paths: what the engine's and the app's
/// tests fill a draft with.
pub fn complete_draft_fields(
    person: &Citizen,
    office: &str,
) -> Vec<(mpaspor_domain::DraftField, serde_json::Value)> {
    use mpaspor_domain::DraftField;
    use serde_json::json;
    let mut fields = vec![
        (DraftField::Service, json!("reguler")),
        (DraftField::ApplicantKind, json!("adult")),
        (DraftField::OfficeId, json!(office)),
        (DraftField::PassportType, json!("elektronik")),
        (DraftField::Validity, json!("10y")),
        (DraftField::Purpose, json!("tourism")),
    ];
    fields.extend(person.draft_fields());
    fields.extend([
        (DraftField::Occupation, json!("Karyawan swasta")),
        (DraftField::Phone, json!("081234567890")),
        (DraftField::EmergencyName, json!("Keluarga Dekat")),
        (DraftField::EmergencyPhone, json!("081298765432")),
        (DraftField::EmergencyRelationship, json!("saudara")),
    ]);
    fields
}

/// Named people documentation and the app's mock mode point to.
pub fn samples(today: Date) -> Vec<Citizen> {
    let passport = |n: &str, t, issued: Date, years: i16, status| TravelDocument {
        number: PassportNumber::parse(n).expect("sample passport numbers are well formed"),
        passport_type: t,
        issued_on: issued,
        expires_on: issued + Span::new().years(years),
        status,
        issuing_office: "Kantor Imigrasi Kelas I Khusus TPI Jakarta Selatan".into(),
    };
    let soon = today + Span::new().months(3);
    let mut people = vec![
        citizen(
            "3174011505900001",
            "Budi Santoso",
            "Jakarta",
            date(1990, 5, 15),
            Sex::Male,
            MaritalStatus::Married,
            AREAS[0].4,
            "Sri Wahyuni",
            vec![],
        ),
        citizen(
            "3273016108920002",
            "Siti Rahayu",
            "Bandung",
            date(1992, 8, 21),
            Sex::Female,
            MaritalStatus::Married,
            AREAS[4].4,
            "Aminah",
            vec![],
        ),
        citizen(
            "3174015402150004",
            "Putri Santoso",
            "Jakarta",
            date(2015, 2, 14),
            Sex::Female,
            MaritalStatus::Single,
            AREAS[0].4,
            "Siti Rahayu",
            vec![],
        ),
        citizen(
            "3578017011880005",
            "Dewi Lestari",
            "Surabaya",
            date(1988, 11, 30),
            Sex::Female,
            MaritalStatus::Single,
            AREAS[8].4,
            "Kartini",
            vec![passport(
                "C1234567",
                PassportType::Elektronik,
                date(2020, 6, 1),
                5,
                TravelDocumentStatus::Expired,
            )],
        ),
        citizen(
            "5171011003850003",
            "Made Wirawan",
            "Denpasar",
            date(1985, 3, 10),
            Sex::Male,
            MaritalStatus::Married,
            AREAS[11].4,
            "Ni Wayan Sukerti",
            vec![passport(
                "B7654321",
                PassportType::Biasa,
                soon - Span::new().years(5),
                5,
                TravelDocumentStatus::Valid,
            )],
        ),
        citizen(
            "9171042007800006",
            "Yohanes Rumbiak",
            "Jayapura",
            date(1980, 7, 20),
            Sex::Male,
            MaritalStatus::Married,
            AREAS[16].4,
            "Maria Rumbiak",
            vec![],
        ),
    ];
    // Budi, Siti and their daughter Putri are on one family card; the
    // others are each on their own.
    for (person, card) in people.iter_mut().zip([
        "3174010101200001",
        "3174010101200001",
        "3174010101200001",
        "3578010101200005",
        "5171010101200003",
        "9171040101200006",
    ]) {
        person.family_card = Some(card.into());
    }
    people
}

/// The family card (KK) `person` is on: the one the registry names, or a
/// card of their own (made from the NIK) when it names none.
pub fn family_card_of(person: &Citizen) -> String {
    person
        .family_card
        .clone()
        .unwrap_or_else(|| format!("{}00{}", &person.nik[..6], &person.nik[8..]))
}

/// Whether `card` is written as a family card number is: 16 digits.
pub fn is_family_card(card: &str) -> bool {
    card.len() == 16 && card.bytes().all(|b| b.is_ascii_digit())
}

#[allow(clippy::too_many_arguments)]
fn citizen(
    nik: &str,
    name: &str,
    place: &str,
    birth: Date,
    sex: Sex,
    marital: MaritalStatus,
    address: &str,
    mother: &str,
    passports: Vec<TravelDocument>,
) -> Citizen {
    Citizen {
        nik: nik.into(),
        full_name: name.into(),
        birth_place: place.into(),
        birth_date: birth,
        sex,
        marital_status: marital,
        address: address.into(),
        mother_name: Some(mother.into()),
        passports,
        family_card: None,
    }
}

/// The seeded population: the samples, then `POPULATION` generated people.
pub fn population(seed: u64, today: Date) -> Vec<Citizen> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut people = samples(today);
    // Generated people come in households of one to four on one family
    // card, numbered from the area of the household's first person.
    let mut household: Option<(String, usize)> = None;
    let mut niks: HashSet<String> = people.iter().map(|c| c.nik.clone()).collect();
    let mut numbers: HashSet<String> = HashSet::new();
    let oldest = date(1945, 1, 1);
    let span_days = (today - Span::new().days(1))
        .since(oldest)
        .expect("dates subtract")
        .get_days();
    while people.len() < POPULATION + samples(today).len() {
        let sex = if rng.random_range(0..2) == 0 {
            Sex::Male
        } else {
            Sex::Female
        };
        let given = match sex {
            Sex::Male => MEN[rng.random_range(0..MEN.len())],
            Sex::Female => WOMEN[rng.random_range(0..WOMEN.len())],
        };
        let family = FAMILY[rng.random_range(0..FAMILY.len())];
        let birth = oldest + Span::new().days(rng.random_range(0..span_days as i64));
        let area = AREAS[rng.random_range(0..AREAS.len())];
        let serial = rng.random_range(1..10_000u16);
        let Ok(nik) = Nik::compose(area.0, area.1, area.2, birth, sex, serial) else {
            continue;
        };
        if !niks.insert(nik.to_string()) {
            continue;
        }
        let age = mpaspor_domain::eligibility::age_on(birth, today);
        let marital = if age < 19 || rng.random_range(0..10) < 3 {
            MaritalStatus::Single
        } else if rng.random_range(0..10) < 8 {
            MaritalStatus::Married
        } else if rng.random_range(0..2) == 0 {
            MaritalStatus::Divorced
        } else {
            MaritalStatus::Widowed
        };
        let mut passports = Vec::new();
        if age >= 1 && rng.random_range(0..10) < 3 {
            // Issued some time in the last twelve years; its status follows from the dates.
            let issued = today - Span::new().days(rng.random_range(30..12 * 365));
            let years = if age >= 17 && rng.random_range(0..2) == 0 {
                10
            } else {
                5
            };
            let expires = issued + Span::new().years(years);
            let letter = ['A', 'B', 'C', 'E', 'X'][rng.random_range(0..5)];
            let number = format!("{letter}{:07}", rng.random_range(0..10_000_000u32));
            if numbers.insert(number.clone()) {
                passports.push(TravelDocument {
                    number: PassportNumber::parse(&number).expect("letter and seven digits"),
                    passport_type: if rng.random_range(0..3) == 0 {
                        PassportType::Biasa
                    } else {
                        PassportType::Elektronik
                    },
                    issued_on: issued,
                    expires_on: expires,
                    status: if expires < today {
                        TravelDocumentStatus::Expired
                    } else {
                        TravelDocumentStatus::Valid
                    },
                    issuing_office: format!("Kantor Imigrasi {}", area.3),
                });
            }
        }
        let mother = WOMEN[rng.random_range(0..WOMEN.len())];
        let card = match household.take() {
            Some((card, left)) if left > 0 => {
                household = Some((card.clone(), left - 1));
                card
            }
            _ => {
                let card = format!(
                    "{:02}{:02}{:02}{:010}",
                    area.0,
                    area.1,
                    area.2,
                    people.len()
                );
                household = Some((card.clone(), rng.random_range(0..4)));
                card
            }
        };
        people.push(citizen(
            nik.as_str(),
            &format!("{given} {family}"),
            area.3,
            birth,
            sex,
            marital,
            area.4,
            &format!("{mother} {}", FAMILY[rng.random_range(0..FAMILY.len())]),
            passports,
        ));
        people.last_mut().expect("just pushed").family_card = Some(card);
    }
    people
}

/// Dukcapil compares names without regard to case or repeated spaces.
pub fn same_name(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    norm(a) == norm(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: Date = date(2026, 12, 1);

    #[test]
    fn the_population_is_deterministic_valid_and_varied() {
        let a = population(7, TODAY);
        assert_eq!(a, population(7, TODAY));
        assert_ne!(a, population(8, TODAY));
        assert!(a.len() >= POPULATION);
        for c in &a {
            let nik = Nik::parse_stated(&c.nik, c.birth_date, Some(c.sex)).unwrap();
            assert_eq!(nik.birth_date(), c.birth_date);
        }
        let with_passport: Vec<_> = a.iter().filter(|c| !c.passports.is_empty()).collect();
        assert!(with_passport.len() > 100);
        let expired = with_passport
            .iter()
            .filter(|c| c.passports[0].status == TravelDocumentStatus::Expired)
            .count();
        let expiring = with_passport
            .iter()
            .filter(|c| c.passports[0].expires_within_six_months(TODAY))
            .count();
        assert!(
            expired > 10 && expiring > 3,
            "expired {expired}, expiring {expiring}"
        );
        assert!(a.iter().any(|c| c.marital_status == MaritalStatus::Widowed));
        assert!(
            a.iter()
                .any(|c| mpaspor_domain::eligibility::age_on(c.birth_date, TODAY) < 17)
        );
    }

    #[test]
    fn names_match_without_case_or_spacing() {
        assert!(same_name("Budi  Santoso", "budi santoso "));
        assert!(!same_name("Budi Santoso", "Budi Santosa"));
    }
}
