//! The PNBP fee table and the arithmetic of a quote. The table is data the
//! mock server owns and serves; the app computes with the one it last fetched.

use crate::choice::{PassportType, ReplacementReason, Service, Validity};
use crate::money::Rupiah;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Whether a lost or damaged passport's charge comes on top of the passport
/// fee or in its place (the regulation's text leaves it open, so the table says).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReplacementChargeMode {
    Adds,
    Replaces,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PassportFee {
    pub passport_type: PassportType,
    pub validity: Validity,
    pub amount: Rupiah,
}

/// The fee table in force (`GET /v1/fees`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeeTable {
    /// The regulation the amounts come from, e.g. "PP 45/2024".
    pub regulation: String,
    pub effective_from: Date,
    pub passports: Vec<PassportFee>,
    /// Added for same-day (percepatan) service.
    pub express_surcharge: Rupiah,
    pub lost_charge: Rupiah,
    pub damaged_charge: Rupiah,
    pub replacement_charge_mode: ReplacementChargeMode,
}

/// What the applicant chose, as far as the fee depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeeChoice {
    pub passport_type: PassportType,
    pub validity: Validity,
    pub service: Service,
    pub replacement: Option<ReplacementReason>,
    /// The loss or damage was due to force majeure (disaster): no charge for it.
    pub force_majeure: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FeeItem {
    Passport {
        passport_type: PassportType,
        validity: Validity,
    },
    Express,
    LostPassport,
    DamagedPassport,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeeLine {
    pub item: FeeItem,
    pub amount: Rupiah,
}

/// The lines of a fee and their total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeeQuote {
    pub lines: Vec<FeeLine>,
    pub total: Rupiah,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeeError {
    #[error("the fee table has no price for a {passport_type} passport valid {validity}")]
    NotInTable {
        passport_type: PassportType,
        validity: Validity,
    },
    #[error("the fee is too large to add up")]
    Overflow,
}

impl FeeTable {
    pub fn passport_fee(&self, passport_type: PassportType, validity: Validity) -> Option<Rupiah> {
        self.passports
            .iter()
            .find(|f| f.passport_type == passport_type && f.validity == validity)
            .map(|f| f.amount)
    }

    /// The fee of a choice. Force majeure waives the lost/damaged charge only,
    /// so the passport itself is still paid for.
    pub fn quote(&self, choice: &FeeChoice) -> Result<FeeQuote, FeeError> {
        let FeeChoice {
            passport_type,
            validity,
            ..
        } = *choice;
        let passport = self
            .passport_fee(passport_type, validity)
            .ok_or(FeeError::NotInTable {
                passport_type,
                validity,
            })?;
        let charge = match (choice.replacement, choice.force_majeure) {
            (_, true) | (None | Some(ReplacementReason::ExpiredOrFull), _) => None,
            (Some(ReplacementReason::Lost), false) => {
                Some((FeeItem::LostPassport, self.lost_charge))
            }
            (Some(ReplacementReason::Damaged), false) => {
                Some((FeeItem::DamagedPassport, self.damaged_charge))
            }
        };
        let mut lines = Vec::new();
        if charge.is_none() || self.replacement_charge_mode == ReplacementChargeMode::Adds {
            lines.push(FeeLine {
                item: FeeItem::Passport {
                    passport_type,
                    validity,
                },
                amount: passport,
            });
        }
        if let Some((item, amount)) = charge {
            lines.push(FeeLine { item, amount });
        }
        if choice.service == Service::Percepatan {
            lines.push(FeeLine {
                item: FeeItem::Express,
                amount: self.express_surcharge,
            });
        }
        let total = lines
            .iter()
            .try_fold(Rupiah::ZERO, |sum, l| sum.checked_add(l.amount))
            .ok_or(FeeError::Overflow)?;
        Ok(FeeQuote { lines, total })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PassportType::*;
    use Validity::*;

    /// The table the mock server serves: these tests check the real data too.
    fn pp_45_2024() -> FeeTable {
        serde_json::from_str(include_str!("../../mock-server/data/fees.json")).unwrap()
    }

    fn choice(passport_type: PassportType, validity: Validity) -> FeeChoice {
        FeeChoice {
            passport_type,
            validity,
            service: Service::Reguler,
            replacement: None,
            force_majeure: false,
        }
    }

    #[test]
    fn the_pp_45_2024_amounts() {
        let t = pp_45_2024();
        let total = |c: FeeChoice| t.quote(&c).unwrap().total.to_string();
        assert_eq!(total(choice(Biasa, FiveYears)), "Rp350.000");
        assert_eq!(total(choice(Biasa, TenYears)), "Rp650.000");
        assert_eq!(total(choice(Elektronik, FiveYears)), "Rp650.000");
        assert_eq!(total(choice(Elektronik, TenYears)), "Rp950.000");
        assert_eq!(total(choice(ElektronikPolikarbonat, TenYears)), "Rp950.000");
    }

    #[test]
    fn express_adds_a_million() {
        let t = pp_45_2024();
        let q = t
            .quote(&FeeChoice {
                service: Service::Percepatan,
                ..choice(Elektronik, TenYears)
            })
            .unwrap();
        assert_eq!(q.total, Rupiah(1_950_000));
        assert_eq!(q.lines.len(), 2);
        assert_eq!(q.lines[1].item, FeeItem::Express);
    }

    #[test]
    fn lost_and_damaged_charges_follow_the_tables_mode() {
        let mut t = pp_45_2024();
        let lost = FeeChoice {
            replacement: Some(ReplacementReason::Lost),
            ..choice(Biasa, TenYears)
        };
        let damaged = FeeChoice {
            replacement: Some(ReplacementReason::Damaged),
            ..choice(Biasa, TenYears)
        };
        assert_eq!(t.quote(&lost).unwrap().total, Rupiah(1_650_000));
        assert_eq!(t.quote(&damaged).unwrap().total, Rupiah(1_150_000));
        t.replacement_charge_mode = ReplacementChargeMode::Replaces;
        let q = t.quote(&lost).unwrap();
        assert_eq!(q.total, Rupiah(1_000_000));
        assert_eq!(
            q.lines,
            vec![FeeLine {
                item: FeeItem::LostPassport,
                amount: Rupiah(1_000_000)
            }]
        );
        assert_eq!(t.quote(&damaged).unwrap().total, Rupiah(500_000));
    }

    #[test]
    fn force_majeure_waives_the_charge_but_not_the_passport() {
        let t = pp_45_2024();
        let q = t
            .quote(&FeeChoice {
                replacement: Some(ReplacementReason::Lost),
                force_majeure: true,
                ..choice(Elektronik, FiveYears)
            })
            .unwrap();
        assert_eq!(q.total, Rupiah(650_000));
        let expired = FeeChoice {
            replacement: Some(ReplacementReason::ExpiredOrFull),
            ..choice(Elektronik, FiveYears)
        };
        assert_eq!(t.quote(&expired).unwrap().total, Rupiah(650_000));
    }

    #[test]
    fn a_price_missing_from_the_table_is_an_error_not_zero() {
        let mut t = pp_45_2024();
        t.passports.retain(|f| f.passport_type != Biasa);
        assert_eq!(
            t.quote(&choice(Biasa, FiveYears)),
            Err(FeeError::NotInTable {
                passport_type: Biasa,
                validity: FiveYears
            })
        );
    }

    #[test]
    fn the_table_is_served_as_json_and_read_back() {
        let t = pp_45_2024();
        assert_eq!(t.regulation, "PP 45/2024");
        let json = serde_json::to_string(&t).unwrap();
        assert!(json.contains("\"replacement_charge_mode\":\"adds\""));
        assert_eq!(serde_json::from_str::<FeeTable>(&json).unwrap(), t);
    }
}
