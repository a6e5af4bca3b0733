//! Identifiers from the treasury and the passport: billing code, NTPN, passport number.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("a billing code has 15 digits, this has {found} characters")]
    BillingCodeLength { found: usize },
    #[error("a billing code has only digits")]
    BillingCodeNotDigits,
    #[error("a billing code for non-tax revenue starts with 7, 8 or 9, not {first}")]
    BillingCodeNotPnbp { first: char },
    #[error("an NTPN has 16 letters and digits, this has {found} characters")]
    NtpnLength { found: usize },
    #[error("an NTPN has only letters and digits")]
    NtpnCharacters,
    #[error("a passport number is one letter and seven digits, like C1234567")]
    PassportNumberShape,
}

/// The 15-digit SIMPONI billing code ("Kode Bayar MPN G2"); 7, 8 or 9 first marks PNBP.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = "820241201000123"))]
#[serde(try_from = "String", into = "String")]
pub struct BillingCode(String);

impl BillingCode {
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let found = s.chars().count();
        if found != 15 {
            return Err(IdError::BillingCodeLength { found });
        }
        if !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IdError::BillingCodeNotDigits);
        }
        let first = s.as_bytes()[0] as char;
        if !matches!(first, '7'..='9') {
            return Err(IdError::BillingCodeNotPnbp { first });
        }
        Ok(BillingCode(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Grouped in fives (`82024 12010 00123`), easier to read out and to type into a bank app.
    pub fn grouped(&self) -> String {
        format!("{} {} {}", &self.0[..5], &self.0[5..10], &self.0[10..])
    }
}

/// The state revenue transaction number a bank prints on its receipt: 16 letters and digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = "0A1B2C3D4E5F6G7H"))]
#[serde(try_from = "String", into = "String")]
pub struct Ntpn(String);

impl Ntpn {
    /// Case and surrounding spaces are forgiven: people copy it from receipts.
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let s = s.trim().to_ascii_uppercase();
        let found = s.chars().count();
        if found != 16 {
            return Err(IdError::NtpnLength { found });
        }
        if !s.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(IdError::NtpnCharacters);
        }
        Ok(Ntpn(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An Indonesian passport number: one letter and seven digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = "C1234567"))]
#[serde(try_from = "String", into = "String")]
pub struct PassportNumber(String);

impl PassportNumber {
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let s = s.trim().to_ascii_uppercase();
        let b = s.as_bytes();
        let shaped =
            b.len() == 8 && b[0].is_ascii_uppercase() && b[1..].iter().all(u8::is_ascii_digit);
        if !shaped {
            return Err(IdError::PassportNumberShape);
        }
        Ok(PassportNumber(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The ICAO 9303 check digit printed after the number in the machine-readable zone.
    pub fn check_digit(&self) -> u8 {
        icao_check_digit(&self.0).expect("a passport number is letters and digits")
    }
}

/// ICAO 9303 check digit: weights 7, 3, 1 repeating; digits count as
/// themselves, A-Z as 10-35 and the filler `<` as 0. `None` for any other character.
pub fn icao_check_digit(field: &str) -> Option<u8> {
    const WEIGHTS: [u32; 3] = [7, 3, 1];
    let mut sum = 0u32;
    for (i, c) in field.chars().enumerate() {
        let value = match c {
            '0'..='9' => c as u32 - '0' as u32,
            'A'..='Z' => c as u32 - 'A' as u32 + 10,
            '<' => 0,
            _ => return None,
        };
        sum += value * WEIGHTS[i % 3];
    }
    Some((sum % 10) as u8)
}

macro_rules! string_newtype {
    ($($t:ident),+) => {$(
        impl TryFrom<String> for $t {
            type Error = IdError;
            fn try_from(s: String) -> Result<Self, IdError> { $t::parse(&s) }
        }
        impl From<$t> for String {
            fn from(v: $t) -> String { v.0 }
        }
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(&self.0) }
        }
        impl std::str::FromStr for $t {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, IdError> { $t::parse(s) }
        }
    )+};
}
string_newtype!(BillingCode, Ntpn, PassportNumber);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn billing_codes_are_fifteen_digits_starting_7_to_9() {
        let code = BillingCode::parse("820241201000123").unwrap();
        assert_eq!(code.grouped(), "82024 12010 00123");
        assert_eq!(
            BillingCode::parse("82024120100012"),
            Err(IdError::BillingCodeLength { found: 14 })
        );
        assert_eq!(
            BillingCode::parse("8202412010001234"),
            Err(IdError::BillingCodeLength { found: 16 })
        );
        assert_eq!(
            BillingCode::parse("82024120100012A"),
            Err(IdError::BillingCodeNotDigits)
        );
        assert_eq!(
            BillingCode::parse("620241201000123"),
            Err(IdError::BillingCodeNotPnbp { first: '6' })
        );
        assert!(BillingCode::parse("720241201000123").is_ok());
        assert!(BillingCode::parse("920241201000123").is_ok());
    }

    #[test]
    fn billing_codes_refuse_bad_json() {
        assert!(serde_json::from_str::<BillingCode>("\"820241201000123\"").is_ok());
        assert!(serde_json::from_str::<BillingCode>("\"120241201000123\"").is_err());
    }

    #[test]
    fn ntpn_is_sixteen_alphanumerics_forgiving_case() {
        assert_eq!(
            Ntpn::parse(" 0a1b2c3d4e5f6g7h ").unwrap().as_str(),
            "0A1B2C3D4E5F6G7H"
        );
        assert_eq!(
            Ntpn::parse("0A1B2C3D4E5F6G7"),
            Err(IdError::NtpnLength { found: 15 })
        );
        assert_eq!(
            Ntpn::parse("0A1B2C3D4E5F6G7-"),
            Err(IdError::NtpnCharacters)
        );
    }

    #[test]
    fn passport_numbers_and_their_icao_check_digit() {
        let p = PassportNumber::parse("c1234567").unwrap();
        assert_eq!(p.as_str(), "C1234567");
        // C=12: 12*7 + 1*3 + 2*1 + 3*7 + 4*3 + 5*1 + 6*7 + 7*3 = 190.
        assert_eq!(p.check_digit(), 0);
        assert_eq!(
            PassportNumber::parse("X0000001").unwrap().check_digit(),
            (33 * 7 + 3) % 10
        );
        for bad in ["C123456", "C12345678", "11234567", "CC234567", ""] {
            assert_eq!(
                PassportNumber::parse(bad),
                Err(IdError::PassportNumberShape),
                "{bad}"
            );
        }
    }

    #[test]
    fn icao_check_digit_matches_the_specimen() {
        // ICAO 9303 part 3 specimen document number L898902C3, check digit 6;
        // birth date 740812, check digit 2; expiry 120415, check digit 9.
        assert_eq!(icao_check_digit("L898902C3"), Some(6));
        assert_eq!(icao_check_digit("740812"), Some(2));
        assert_eq!(icao_check_digit("120415"), Some(9));
        assert_eq!(icao_check_digit("AB<<"), Some((10 * 7 + 11 * 3) % 10));
        assert_eq!(icao_check_digit("a"), None);
    }

    proptest! {
        #[test]
        fn a_changed_digit_changes_the_check_digit(n in 0u32..10_000_000, pos in 1usize..8, delta in 1u8..10) {
            let s = format!("C{n:07}");
            let mut b = s.clone().into_bytes();
            b[pos] = b'0' + (b[pos] - b'0' + delta) % 10;
            let changed = String::from_utf8(b).unwrap();
            // Weights 7, 3 and 1 are all prime to 10, so a single changed digit always shows.
            prop_assert_ne!(icao_check_digit(&s), icao_check_digit(&changed));
        }

        #[test]
        fn no_string_panics_the_id_parsers(s in ".{0,20}") {
            let _ = BillingCode::parse(&s);
            let _ = Ntpn::parse(&s);
            let _ = PassportNumber::parse(&s);
            let _ = icao_check_digit(&s);
        }
    }
}

/// The ids that name records: opaque strings the side that makes them
/// chooses (the server for applicants, applications, offices and windows;
/// the phone for its drafts), typed so that one is never passed for another.
/// Serialised as the plain string. They read as a `&str` where one is asked.
macro_rules! record_id {
    ($($(#[$doc:meta])* $t:ident, $example:literal;)+) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = $example))]
        #[serde(transparent)]
        pub struct $t(String);

        impl $t {
            pub fn new(id: impl Into<String>) -> Self {
                $t(id.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::ops::Deref for $t {
            type Target = str;
            fn deref(&self) -> &str { &self.0 }
        }
        impl std::borrow::Borrow<str> for $t {
            fn borrow(&self) -> &str { &self.0 }
        }
        impl AsRef<str> for $t {
            fn as_ref(&self) -> &str { &self.0 }
        }
        impl From<String> for $t {
            fn from(s: String) -> Self { $t(s) }
        }
        impl From<&str> for $t {
            fn from(s: &str) -> Self { $t(s.to_owned()) }
        }
        impl From<$t> for String {
            fn from(v: $t) -> String { v.0 }
        }
        impl PartialEq<str> for $t {
            fn eq(&self, other: &str) -> bool { self.0 == other }
        }
        impl PartialEq<&str> for $t {
            fn eq(&self, other: &&str) -> bool { self.0 == *other }
        }
        impl PartialEq<String> for $t {
            fn eq(&self, other: &String) -> bool { &self.0 == other }
        }
        impl PartialEq<$t> for String {
            fn eq(&self, other: &$t) -> bool { *self == other.0 }
        }
        impl PartialEq<$t> for &str {
            fn eq(&self, other: &$t) -> bool { *self == other.0 }
        }
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(&self.0) }
        }
        impl std::str::FromStr for $t {
            type Err = std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> { Ok($t(s.to_owned())) }
        }
    )+};
}

record_id! {
    /// A draft on the phone (its local id, made there).
    DraftId, "3f2a9c0d5b7e4e1f8a6b2c9d0e1f2a3b";
    /// A person on the account, as the server knows them.
    ApplicantId, "apl_x3Jk9QmR2a";
    /// An application, as the server knows it.
    ApplicationId, "app_Qm2a9x3Jk";
    /// An immigration office.
    OfficeId, "kanim-jakarta-selatan";
    /// An arrival window at an office on a day.
    SlotId, "kanim-jakarta-selatan.20270104.0800";
    /// A standing request to be told when a place opens.
    WatchId, "wat_Jk9QmR2ax3";
}
