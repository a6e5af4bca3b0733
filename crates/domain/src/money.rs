//! Whole rupiah. Never negative, never fractional.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount in whole rupiah, shown as `Rp650.000`.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Rupiah(pub u64);

impl Rupiah {
    pub const ZERO: Rupiah = Rupiah(0);

    pub fn checked_add(self, other: Rupiah) -> Option<Rupiah> {
        self.0.checked_add(other.0).map(Rupiah)
    }
}

impl std::iter::Sum for Rupiah {
    fn sum<I: Iterator<Item = Rupiah>>(iter: I) -> Rupiah {
        Rupiah(iter.map(|r| r.0).sum())
    }
}

impl fmt::Display for Rupiah {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.0.to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 2);
        out.push_str("Rp");
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push('.');
            }
            out.push(c);
        }
        f.write_str(&out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formats_with_dot_thousands() {
        assert_eq!(Rupiah(650_000).to_string(), "Rp650.000");
        assert_eq!(Rupiah(1_000_000).to_string(), "Rp1.000.000");
        assert_eq!(Rupiah(1_950_000).to_string(), "Rp1.950.000");
        assert_eq!(Rupiah(0).to_string(), "Rp0");
        assert_eq!(Rupiah(999).to_string(), "Rp999");
        assert_eq!(Rupiah(1_000).to_string(), "Rp1.000");
    }

    #[test]
    fn sums_and_refuses_overflow() {
        let total: Rupiah = [Rupiah(650_000), Rupiah(1_000_000)].into_iter().sum();
        assert_eq!(total, Rupiah(1_650_000));
        assert_eq!(Rupiah(u64::MAX).checked_add(Rupiah(1)), None);
    }

    proptest! {
        #[test]
        fn formatting_drops_nothing_but_the_dots(n in any::<u64>()) {
            let shown = Rupiah(n).to_string();
            let back: u64 = shown.trim_start_matches("Rp").replace('.', "").parse().unwrap();
            prop_assert_eq!(back, n);
        }
    }
}
