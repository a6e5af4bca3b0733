//! The choices an applicant makes, as the API spells them.

macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $wire)] $variant),+
        }

        impl $name {
            /// Every value, in the order the app offers them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name used on the wire and in translation keys.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }
        }

        // Written out rather than derived: the derive does not see serde's
        // renames through this macro, and would document the Rust names.
        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($wire),+]))
                    .into()
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}

        impl std::str::FromStr for $name {
            type Err = crate::choice::UnknownValue;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($wire => Ok($name::$variant),)+
                    _ => Err(crate::choice::UnknownValue { kind: stringify!($name), value: s.to_owned() }),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use wire_enum;

/// A string that names no value of the enum it was parsed as.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not a known {kind}")]
pub struct UnknownValue {
    pub kind: &'static str,
    pub value: String,
}

wire_enum! {
    /// Reguler: ready 4 working days after the interview; percepatan: same day, extra fee.
    Service { Reguler = "reguler", Percepatan = "percepatan" }
}

wire_enum! {
    /// Adult: 17 or over, or married. Child: under 17 and unmarried.
    ApplicantKind { Adult = "adult", Child = "child" }
}

wire_enum! {
    PassportType {
        /// Non-electronic, 48 pages.
        Biasa = "biasa",
        Elektronik = "elektronik",
        ElektronikPolikarbonat = "elektronik_polikarbonat",
    }
}

wire_enum! {
    Validity { FiveYears = "5y", TenYears = "10y" }
}

impl Validity {
    pub fn years(self) -> i16 {
        match self {
            Validity::FiveYears => 5,
            Validity::TenYears => 10,
        }
    }
}

wire_enum! {
    Purpose {
        Tourism = "tourism",
        /// Needs a Ministry of Religious Affairs recommendation letter.
        UmrahHajj = "umrah_hajj",
        Work = "work",
        Study = "study",
        VisitFamily = "visit_family",
        Medical = "medical",
        Business = "business",
        Other = "other",
    }
}

wire_enum! {
    /// Why an earlier passport is being replaced.
    ReplacementReason { ExpiredOrFull = "expired_or_full", Lost = "lost", Damaged = "damaged" }
}

wire_enum! {
    Sex { Male = "male", Female = "female" }
}

wire_enum! {
    /// The language an account is written to in (its emails): Indonesian
    /// unless the applicant chose English.
    #[derive(Default)]
    Language { #[default] Id = "id", En = "en" }
}

wire_enum! {
    MaritalStatus { Single = "single", Married = "married", Divorced = "divorced", Widowed = "widowed" }
}

impl MaritalStatus {
    /// Whoever has ever married counts as an adult under Indonesian law.
    pub fn has_married(self) -> bool {
        !matches!(self, MaritalStatus::Single)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_round_trip_through_serde_and_from_str() {
        for t in PassportType::ALL {
            let json = serde_json::to_string(t).unwrap();
            assert_eq!(json, format!("\"{}\"", t.as_str()));
            assert_eq!(serde_json::from_str::<PassportType>(&json).unwrap(), *t);
            assert_eq!(t.as_str().parse::<PassportType>().unwrap(), *t);
        }
        assert_eq!("10y".parse::<Validity>().unwrap(), Validity::TenYears);
        let err = "hologram".parse::<PassportType>().unwrap_err();
        assert_eq!(err.kind, "PassportType");
    }

    #[test]
    fn only_single_people_have_never_married() {
        assert!(!MaritalStatus::Single.has_married());
        assert!(MaritalStatus::Divorced.has_married());
        assert!(MaritalStatus::Widowed.has_married());
    }
}
