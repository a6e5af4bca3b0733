//! The bodies of every route of the government API (`shared/api.md`), shared
//! by the app's client and the mock server so the contract cannot drift.
//! Times are RFC 3339 instants; dates are office-local `YYYY-MM-DD`; money is
//! whole rupiah.

pub mod accounts;
pub mod applicants;
pub mod applications;
pub mod corrections;
pub mod error;
pub mod offices;
pub mod tester;
pub mod watches;

pub use accounts::*;
pub use applicants::*;
pub use applications::*;
pub use corrections::*;
pub use error::*;
pub use offices::*;
pub use tester::*;
pub use watches::*;

use serde::{Deserialize, Serialize};

/// Every list is paginated: `?offset=&limit=`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    /// How many there are in all.
    pub total: u64,
    /// Where the next page starts; absent on the last page.
    pub next_offset: Option<u64>,
}

/// The query of a paginated list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct PageQuery {
    #[serde(default)]
    pub offset: u64,
    /// At most 100; 20 when absent.
    #[serde(default = "PageQuery::default_limit")]
    pub limit: u64,
}

impl PageQuery {
    pub const MAX_LIMIT: u64 = 100;
    fn default_limit() -> u64 {
        20
    }
}

impl Default for PageQuery {
    fn default() -> Self {
        PageQuery {
            offset: 0,
            limit: Self::default_limit(),
        }
    }
}

impl<T> Page<T> {
    /// Cuts one page out of a whole list.
    pub fn of(all: Vec<T>, query: PageQuery) -> Page<T> {
        let total = all.len() as u64;
        let limit = query.limit.clamp(1, PageQuery::MAX_LIMIT);
        let items: Vec<T> = all
            .into_iter()
            .skip(query.offset as usize)
            .take(limit as usize)
            .collect();
        let end = query.offset + items.len() as u64;
        Page {
            items,
            total,
            next_offset: (end < total).then_some(end),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_cut_a_list_and_point_to_the_next() {
        let p = Page::of(
            (0..45).collect(),
            PageQuery {
                offset: 0,
                limit: 20,
            },
        );
        assert_eq!((p.items.len(), p.total, p.next_offset), (20, 45, Some(20)));
        let p = Page::of(
            (0..45).collect(),
            PageQuery {
                offset: 40,
                limit: 20,
            },
        );
        assert_eq!((p.items, p.next_offset), (vec![40, 41, 42, 43, 44], None));
        let p = Page::of(
            (0..500).collect::<Vec<_>>(),
            PageQuery {
                offset: 0,
                limit: 10_000,
            },
        );
        assert_eq!(p.items.len(), 100);
        let p = Page::of(
            (0..5).collect::<Vec<i32>>(),
            PageQuery {
                offset: 99,
                limit: 5,
            },
        );
        assert!(p.items.is_empty() && p.next_offset.is_none());
    }
}
