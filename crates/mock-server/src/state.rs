//! What every handler shares.

use crate::answers::Answers;
use crate::clock::Clock;
use crate::db::{Db, DbLocation};
use crate::receipts::ReceiptSigner;
use crate::tools::Tools;
use std::sync::Arc;

/// How a mock server is started.
#[derive(Debug, Clone)]
pub struct MockConfig {
    pub db: DbLocation,
    /// Serve the `/tester` routes (on by default; off, they are absent: 404).
    pub tester_routes: bool,
    /// Seeds the synthetic Dukcapil population.
    pub seed: u64,
}

impl Default for MockConfig {
    fn default() -> Self {
        MockConfig {
            db: DbLocation::Memory,
            tester_routes: true,
            seed: 2022,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub clock: Clock,
    pub signer: Arc<ReceiptSigner>,
    pub config: Arc<MockConfig>,
    pub tools: Tools,
    /// Slots answers rendered at the database's current generation.
    pub answers: Answers,
}
