//! Offices for what the applicant typed: the nearest to a place of the
//! gazetteer with the earliest free windows around it, or, when the words
//! name no place, the offices whose names hold them.

use crate::engine::Engine;
use crate::error::Error;
use mpaspor_domain::api::{
    EarliestSlot, Office, OfficeQuery, OfficeSlots, PageQuery, QuotaRelease, WalkInDay,
};
use mpaspor_domain::choice::PassportType;

/// What a search found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FoundOffices {
    /// The place the words named, if they named one.
    pub place: Option<String>,
    /// Nearest first from the place, else by name.
    pub offices: Vec<Office>,
    /// The earliest free windows near the place (none for a search by name).
    pub earliest: Vec<EarliestSlot>,
    /// The walk-in days of the offices near the place in the next two weeks
    /// (none for a search by name).
    pub walk_ins: Vec<WalkInDay>,
}

const FIRST_TEN: PageQuery = PageQuery {
    offset: 0,
    limit: 10,
};

impl Engine {
    /// An office's arrival windows over the next month, with the places
    /// left for a passport type (and each type's beside it), and when the
    /// office releases more.
    pub async fn office_slots(
        &self,
        office: &str,
        passport_type: Option<PassportType>,
    ) -> Result<OfficeSlots, Error> {
        Ok(self
            .api()
            .office_slots_for(office, None, Some(30), passport_type)
            .await?)
    }

    /// An office's name from the kept list, else its id.
    pub fn office_name(&self, id: &str) -> String {
        self.kept_offices()
            .and_then(|all| all.into_iter().find(|o| o.id == id))
            .map(|o| o.name)
            .unwrap_or_else(|| id.to_owned())
    }

    /// The walk-in days of the next two weeks near a kept office (none
    /// when the office is not in the kept list).
    pub async fn walk_ins_near(&self, office: &str) -> Result<Vec<WalkInDay>, Error> {
        let Some(at) = self
            .kept_offices()
            .and_then(|all| all.into_iter().find(|o| o.id == office))
        else {
            return Ok(Vec::new());
        };
        let near = format!("{:.4},{:.4}", at.lat, at.lon);
        Ok(self.api().walk_ins(&near, 14).await?.items)
    }

    /// The next quota release of each of the three offices nearest a kept
    /// office that issue the passport type (the office itself among them):
    /// what a full calendar shows beside "watch the nearest three".
    pub async fn releases_near(
        &self,
        office: &str,
        passport_type: Option<PassportType>,
    ) -> Result<Vec<(Office, QuotaRelease)>, Error> {
        let Some(at) = self
            .kept_offices()
            .and_then(|all| all.into_iter().find(|o| o.id == office))
        else {
            return Ok(Vec::new());
        };
        let query = OfficeQuery {
            near: Some(format!("{:.4},{:.4}", at.lat, at.lon)),
            q: None,
            passport_type,
        };
        let first_three = PageQuery {
            offset: 0,
            limit: 3,
        };
        let mut found = Vec::new();
        for near in self.api().offices(&query, first_three).await?.items {
            let slots = self
                .api()
                .office_slots_for(&near.id, None, Some(1), passport_type)
                .await?;
            if let Some(release) = slots.release {
                found.push((near, release));
            }
        }
        Ok(found)
    }

    pub async fn find_offices(
        &self,
        text: &str,
        passport_type: Option<PassportType>,
    ) -> Result<FoundOffices, Error> {
        let api = self.api();
        let places = api.places(text, FIRST_TEN).await?;
        let Some(place) = places.items.first() else {
            let query = OfficeQuery {
                near: None,
                q: Some(text.to_owned()),
                passport_type: None,
            };
            return Ok(FoundOffices {
                place: None,
                offices: api.offices(&query, FIRST_TEN).await?.items,
                earliest: vec![],
                walk_ins: vec![],
            });
        };
        let near = format!("{:.4},{:.4}", place.lat, place.lon);
        let query = OfficeQuery {
            near: Some(near.clone()),
            q: None,
            passport_type: None,
        };
        let offices = api.offices(&query, FIRST_TEN).await?.items;
        let first_five = PageQuery {
            offset: 0,
            limit: 5,
        };
        let earliest = api
            .earliest_slots(&near, passport_type, first_five)
            .await?
            .items;
        let walk_ins = api.walk_ins(&near, 14).await?.items;
        Ok(FoundOffices {
            place: Some(place.name.clone()),
            offices,
            earliest,
            walk_ins,
        })
    }
}
