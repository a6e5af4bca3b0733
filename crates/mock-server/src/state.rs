//! What every handler shares.

use crate::answers::Answers;
use crate::clock::Clock;
use crate::db::{Db, DbLocation};
use crate::gate::TesterToken;
use crate::model::swept::Swept;
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
    /// The tester routes' token; a random one when not given.
    pub tester_token: Option<String>,
    /// Host names (beside addresses and `localhost`) the server answers for.
    pub allowed_hosts: Vec<String>,
    /// The per-account and per-address limits (wrong passwords and codes,
    /// registrations, identity checks). Off only for a load test against
    /// the mock itself (`--no-limits`), never in front of people.
    pub limits: bool,
}

impl Default for MockConfig {
    fn default() -> Self {
        MockConfig {
            db: DbLocation::Memory,
            tester_routes: true,
            seed: 2022,
            tester_token: None,
            allowed_hosts: Vec::new(),
            limits: true,
        }
    }
}

/// Cheap to clone: axum clones the state for every extractor and middleware
/// of every request, so it is one `Arc` (clones and drops of six were a
/// tenth of a small request).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl AppState {
    pub fn new(shared: Shared) -> AppState {
        AppState(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

pub struct Shared {
    pub db: Db,
    pub clock: Clock,
    pub signer: Arc<ReceiptSigner>,
    pub config: Arc<MockConfig>,
    /// Present when the tester routes are served.
    pub tester_token: Option<TesterToken>,
    pub tools: Tools,
    /// Slots answers rendered at the database's current generation.
    pub answers: Answers,
    /// Each office's first free window from its first bookable day, at the
    /// database's current generation.
    pub earliest: Answers<Option<mpaspor_domain::api::Slot>>,
    /// When the deadlines need sweeping again.
    pub swept: Swept,
    /// The live session behind a token's hash, with its expiry, at the current generation.
    pub sessions: Answers<LiveSession>,
}

/// A live session found behind a token's hash: whose, and until when (unix seconds).
#[derive(Debug, Clone)]
pub struct LiveSession {
    pub account_id: String,
    pub session_id: String,
    pub expires: i64,
}
