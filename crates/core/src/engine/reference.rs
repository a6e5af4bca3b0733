//! Reference data the screens show offline: the fee table and the offices,
//! fetched when the network allows and kept for the next time.

use crate::client::ApiError;
use crate::error::Error;
use mpaspor_domain::api::Office;
use mpaspor_domain::fees::FeeTable;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::Engine;

pub(crate) const FEES: &str = "fees";
pub(crate) const OFFICES: &str = "offices";

impl Engine {
    /// The fee table in force: fetched when the network allows, else the copy
    /// kept from the last time (`None` only if it was never fetched).
    pub async fn fees(&self) -> Result<Option<FeeTable>, Error> {
        self.fetched_or_kept(FEES, self.api().fees().await)
    }

    /// The fee table kept from the last time it was fetched.
    pub fn kept_fees(&self) -> Option<FeeTable> {
        self.kept(FEES)
    }

    /// Every office (all pages), fetched or, offline, as last kept.
    pub async fn offices(&self) -> Result<Option<Vec<Office>>, Error> {
        self.fetched_or_kept(OFFICES, self.api().all_offices().await)
    }

    /// The offices kept from the last time the list was fetched.
    pub fn kept_offices(&self) -> Option<Vec<Office>> {
        self.kept(OFFICES)
    }

    /// Keeps what the server answered for `name`; without an answer, the
    /// copy kept from the last time.
    fn fetched_or_kept<T: Serialize + DeserializeOwned>(
        &self,
        name: &str,
        fetched: Result<T, ApiError>,
    ) -> Result<Option<T>, Error> {
        match fetched {
            Ok(value) => {
                self.store().keep_reference(name, &value)?;
                Ok(Some(value))
            }
            Err(e) => {
                tracing::info!("{name} from the phone's copy: {e}");
                Ok(self.store().reference(name)?)
            }
        }
    }

    fn kept<T: DeserializeOwned>(&self, name: &str) -> Option<T> {
        self.store().reference(name).ok().flatten()
    }
}
