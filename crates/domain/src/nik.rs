//! The NIK (Nomor Induk Kependudukan), the 16-digit population number on the e-KTP.
//!
//! `PP KK SS DD MM YY NNNN`: province, regency and district of first
//! registration; birth day (women: day + 40), month, two-digit year; serial.
//! There is no checksum, so the only checks are these digits' meanings.

use crate::choice::Sex;
use jiff::civil::Date;
use std::fmt;

/// A NIK whose every part means something: it can only be made by parsing.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Nik {
    digits: String,
    province: u8,
    regency: u8,
    district: u8,
    birth_date: Date,
    sex: Sex,
    serial: u16,
}

/// Each way a NIK can be wrong, so the app can say which.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NikError {
    #[error("a NIK has 16 digits, this has {found}")]
    Length { found: usize },
    #[error("a NIK has only digits; {found:?} at position {position} is not one")]
    NotDigit { position: usize, found: char },
    #[error("{code:02} is not an Indonesian province code")]
    UnknownProvince { code: u8 },
    #[error("the regency code may not be 00")]
    ZeroRegency,
    #[error("the district code may not be 00")]
    ZeroDistrict,
    #[error("day {day:02}, month {month:02} of year {year_digits:02} is not a date")]
    ImpossibleDate { day: u8, month: u8, year_digits: u8 },
    #[error("the serial number may not be 0000")]
    SerialZero,
    #[error("the NIK says born {nik_day:02}-{nik_month:02}-..{nik_year_digits:02}, not {stated}")]
    BirthDateMismatch {
        nik_day: u8,
        nik_month: u8,
        nik_year_digits: u8,
        stated: Date,
    },
    #[error("the NIK is that of a {in_nik}, not a {stated}")]
    SexMismatch { in_nik: Sex, stated: Sex },
}

/// Province codes in use (Dukcapil): Sumatra, Java, Nusa Tenggara and Bali,
/// Kalimantan, Sulawesi, Maluku, Papua.
pub fn is_province_code(code: u8) -> bool {
    matches!(code, 11..=19 | 21 | 31..=36 | 51..=53 | 61..=65 | 71..=76 | 81..=82 | 91..=97)
}

/// The digits as numbers, before any judgement of their meaning.
struct Fields {
    province: u8,
    regency: u8,
    district: u8,
    day: u8,
    month: u8,
    year_digits: u8,
    serial: u16,
}

fn fields(input: &str) -> Result<Fields, NikError> {
    let found = input.chars().count();
    if found != 16 {
        return Err(NikError::Length { found });
    }
    if let Some((position, found)) = input.chars().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
        return Err(NikError::NotDigit { position, found });
    }
    let b = input.as_bytes();
    let two = |i: usize| (b[i] - b'0') * 10 + (b[i + 1] - b'0');
    let serial = input[12..16].parse::<u16>().expect("four ASCII digits");
    let f = Fields {
        province: two(0),
        regency: two(2),
        district: two(4),
        day: two(6),
        month: two(8),
        year_digits: two(10),
        serial,
    };
    if !is_province_code(f.province) {
        return Err(NikError::UnknownProvince { code: f.province });
    }
    if f.regency == 0 {
        return Err(NikError::ZeroRegency);
    }
    if f.district == 0 {
        return Err(NikError::ZeroDistrict);
    }
    if f.serial == 0 {
        return Err(NikError::SerialZero);
    }
    Ok(f)
}

impl Fields {
    fn sex_and_day(&self) -> Result<(Sex, u8), NikError> {
        match self.day {
            1..=31 => Ok((Sex::Male, self.day)),
            41..=71 => Ok((Sex::Female, self.day - 40)),
            _ => Err(self.impossible()),
        }
    }

    fn impossible(&self) -> NikError {
        NikError::ImpossibleDate {
            day: self.day,
            month: self.month,
            year_digits: self.year_digits,
        }
    }

    fn date_in(&self, year: i16) -> Result<Date, NikError> {
        let (_, day) = self.sex_and_day()?;
        Date::new(year, self.month as i8, day as i8).map_err(|_| self.impossible())
    }

    fn into_nik(self, digits: &str, birth_date: Date) -> Result<Nik, NikError> {
        let (sex, _) = self.sex_and_day()?;
        Ok(Nik {
            digits: digits.to_owned(),
            province: self.province,
            regency: self.regency,
            district: self.district,
            birth_date,
            sex,
            serial: self.serial,
        })
    }
}

impl Nik {
    /// Parses a NIK with no stated birth date: the two-digit year is taken as
    /// the latest century that does not put the birth after `today`.
    pub fn parse(input: &str, today: Date) -> Result<Nik, NikError> {
        let f = fields(input)?;
        let recent = f.date_in(2000 + f.year_digits as i16);
        let birth_date = match recent {
            Ok(d) if d <= today => d,
            _ => f.date_in(1900 + f.year_digits as i16)?,
        };
        f.into_nik(input, birth_date)
    }

    /// Parses a NIK against the birth date (and, if known, sex) the applicant
    /// stated: the century comes from the stated date, and any difference is
    /// its own error.
    pub fn parse_stated(
        input: &str,
        stated: Date,
        stated_sex: Option<Sex>,
    ) -> Result<Nik, NikError> {
        let f = fields(input)?;
        let (in_nik, day) = f.sex_and_day()?;
        let birth_date = f.date_in(stated.year() - stated.year() % 100 + f.year_digits as i16)?;
        if birth_date != stated {
            return Err(NikError::BirthDateMismatch {
                nik_day: day,
                nik_month: f.month,
                nik_year_digits: f.year_digits,
                stated,
            });
        }
        if let Some(stated) = stated_sex
            && stated != in_nik
        {
            return Err(NikError::SexMismatch { in_nik, stated });
        }
        f.into_nik(input, birth_date)
    }

    /// Writes the NIK of a person: the inverse of parsing.
    pub fn compose(
        province: u8,
        regency: u8,
        district: u8,
        birth_date: Date,
        sex: Sex,
        serial: u16,
    ) -> Result<Nik, NikError> {
        let day = birth_date.day() as u8 + if sex == Sex::Female { 40 } else { 0 };
        let digits = format!(
            "{province:02}{regency:02}{district:02}{day:02}{:02}{:02}{serial:04}",
            birth_date.month(),
            birth_date.year().rem_euclid(100)
        );
        Nik::parse_stated(&digits, birth_date, Some(sex))
    }

    pub fn as_str(&self) -> &str {
        &self.digits
    }
    pub fn province(&self) -> u8 {
        self.province
    }
    pub fn regency(&self) -> u8 {
        self.regency
    }
    pub fn district(&self) -> u8 {
        self.district
    }
    pub fn birth_date(&self) -> Date {
        self.birth_date
    }
    pub fn sex(&self) -> Sex {
        self.sex
    }
    pub fn serial(&self) -> u16 {
        self.serial
    }
}

impl fmt::Display for Nik {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.digits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    const TODAY: Date = date(2026, 12, 1);

    #[test]
    fn reads_every_part_of_a_mans_nik() {
        let nik = Nik::parse("3174011505900001", TODAY).unwrap();
        assert_eq!((nik.province(), nik.regency(), nik.district()), (31, 74, 1));
        assert_eq!(nik.birth_date(), date(1990, 5, 15));
        assert_eq!(nik.sex(), Sex::Male);
        assert_eq!(nik.serial(), 1);
        assert_eq!(nik.to_string(), "3174011505900001");
    }

    #[test]
    fn a_womans_day_is_plus_forty() {
        let nik = Nik::parse("3273015508050123", TODAY).unwrap();
        assert_eq!(nik.birth_date(), date(2005, 8, 15));
        assert_eq!(nik.sex(), Sex::Female);
        assert_eq!(nik.serial(), 123);
    }

    #[test]
    fn the_century_never_puts_a_birth_in_the_future() {
        // 02-12-26 would be tomorrow in 2026, so it is 1926.
        assert_eq!(
            Nik::parse("3174010212260001", TODAY).unwrap().birth_date(),
            date(1926, 12, 2)
        );
        assert_eq!(
            Nik::parse("3174010112260001", TODAY).unwrap().birth_date(),
            date(2026, 12, 1)
        );
        // 29 February 00 exists in 2000.
        assert_eq!(
            Nik::parse("3174012902000001", TODAY).unwrap().birth_date(),
            date(2000, 2, 29)
        );
    }

    #[test]
    fn the_stated_birth_date_settles_the_century() {
        let nik = Nik::parse_stated("3174010101100001", date(1910, 1, 1), None).unwrap();
        assert_eq!(nik.birth_date(), date(1910, 1, 1));
    }

    #[test]
    fn each_fault_is_its_own_error() {
        use NikError::*;
        let p = |s: &str| Nik::parse(s, TODAY).unwrap_err();
        assert_eq!(p("317401150590001"), Length { found: 15 });
        assert_eq!(p("31740115059000012"), Length { found: 17 });
        assert_eq!(p(""), Length { found: 0 });
        assert_eq!(
            p("31740115O5900001"),
            NotDigit {
                position: 8,
                found: 'O'
            }
        );
        assert_eq!(
            p("317401150590000١"),
            NotDigit {
                position: 15,
                found: '١'
            }
        );
        assert_eq!(p("2074011505900001"), UnknownProvince { code: 20 });
        assert_eq!(p("9874011505900001"), UnknownProvince { code: 98 });
        assert_eq!(p("3100011505900001"), ZeroRegency);
        assert_eq!(p("3174001505900001"), ZeroDistrict);
        assert_eq!(p("3174011505900000"), SerialZero);
        assert!(matches!(
            p("3174013505900001"),
            ImpossibleDate { day: 35, .. }
        ));
        assert!(matches!(
            p("3174017205900001"),
            ImpossibleDate { day: 72, .. }
        ));
        assert!(matches!(
            p("3174013102900001"),
            ImpossibleDate {
                day: 31,
                month: 2,
                ..
            }
        ));
        assert!(matches!(
            p("3174011513900001"),
            ImpossibleDate { month: 13, .. }
        ));
        assert!(matches!(
            p("3174010000900001"),
            ImpossibleDate { day: 0, .. }
        ));
        // 29 February 1999 never was.
        assert!(matches!(p("3174012902990001"), ImpossibleDate { .. }));
    }

    #[test]
    fn a_stated_birth_date_or_sex_that_differs_is_a_mismatch() {
        let err = Nik::parse_stated("3174011505900001", date(1990, 5, 16), None).unwrap_err();
        assert_eq!(
            err,
            NikError::BirthDateMismatch {
                nik_day: 15,
                nik_month: 5,
                nik_year_digits: 90,
                stated: date(1990, 5, 16)
            }
        );
        let err = Nik::parse_stated("3174011505900001", date(1991, 5, 15), None).unwrap_err();
        assert!(matches!(err, NikError::BirthDateMismatch { .. }));
        let err = Nik::parse_stated("3174011505900001", date(1990, 5, 15), Some(Sex::Female))
            .unwrap_err();
        assert_eq!(
            err,
            NikError::SexMismatch {
                in_nik: Sex::Male,
                stated: Sex::Female
            }
        );
        assert!(Nik::parse_stated("3174011505900001", date(1990, 5, 15), Some(Sex::Male)).is_ok());
    }

    #[test]
    fn every_province_range_is_known_and_nothing_else() {
        let known: Vec<u8> = (0..100).filter(|c| is_province_code(*c)).collect();
        assert_eq!(known.len(), 9 + 1 + 6 + 3 + 5 + 6 + 2 + 7);
        for c in [11, 19, 21, 31, 36, 51, 53, 61, 65, 71, 76, 81, 82, 91, 97] {
            assert!(is_province_code(c), "{c}");
        }
        for c in [
            0, 10, 20, 22, 30, 37, 50, 54, 60, 66, 70, 77, 80, 83, 90, 98, 99,
        ] {
            assert!(!is_province_code(c), "{c}");
        }
    }

    fn province() -> impl Strategy<Value = u8> {
        (0u8..100).prop_filter("province", |c| is_province_code(*c))
    }

    proptest! {
        #[test]
        fn every_composed_nik_parses_back_to_itself(
            province in province(), regency in 1u8..100, district in 1u8..100,
            days in 0i32..(366 * 120), female: bool, serial in 1u16..10000,
        ) {
            let birth = date(1907, 1, 1).checked_add(jiff::Span::new().days(days)).unwrap();
            let sex = if female { Sex::Female } else { Sex::Male };
            let nik = Nik::compose(province, regency, district, birth, sex, serial).unwrap();
            let again = Nik::parse_stated(nik.as_str(), birth, Some(sex)).unwrap();
            prop_assert_eq!(&again, &nik);
            // Without a stated date, a birth within the last hundred years comes back the same.
            let today = birth.checked_add(jiff::Span::new().days(1 + days % 30000)).unwrap();
            prop_assert_eq!(Nik::parse(nik.as_str(), today).unwrap(), nik);
        }

        #[test]
        fn no_string_panics_the_parser(s in ".{0,24}") {
            let _ = Nik::parse(&s, TODAY);
            let _ = Nik::parse_stated(&s, TODAY, Some(Sex::Female));
        }

        #[test]
        fn no_sixteen_digits_panic_the_parser(s in "[0-9]{16}") {
            let _ = Nik::parse(&s, TODAY);
            let _ = Nik::parse_stated(&s, date(1990, 1, 1), None);
        }
    }
}
