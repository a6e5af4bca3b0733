//! Reference data the screens show offline: the fee table and the offices,
//! fetched when the network allows and kept for the next time.

use crate::error::Error;
use mpaspor_domain::api::Office;
use mpaspor_domain::fees::FeeTable;

use super::Engine;

pub(crate) const FEES: &str = "fees";
pub(crate) const OFFICES: &str = "offices";

impl Engine {
    /// The fee table in force: fetched when the network allows, else the copy
    /// kept from the last time (`None` only if it was never fetched).
    pub async fn fees(&self) -> Result<Option<FeeTable>, Error> {
        match self.api().fees().await {
            Ok(table) => {
                self.store().keep_reference(FEES, &table)?;
                Ok(Some(table))
            }
            Err(e) => {
                tracing::info!("fee table from the phone's copy: {e}");
                Ok(self.store().reference(FEES)?)
            }
        }
    }

    /// The fee table kept from the last time it was fetched.
    pub fn kept_fees(&self) -> Option<FeeTable> {
        self.store().reference(FEES).ok().flatten()
    }

    /// Every office (all pages), fetched or, offline, as last kept.
    pub async fn offices(&self) -> Result<Option<Vec<Office>>, Error> {
        match self.api().all_offices().await {
            Ok(all) => {
                self.store().keep_reference(OFFICES, &all)?;
                Ok(Some(all))
            }
            Err(e) => {
                tracing::info!("offices from the phone's copy: {e}");
                Ok(self.store().reference(OFFICES)?)
            }
        }
    }
}
