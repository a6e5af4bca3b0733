//! The mock's clock: one source of time for every rule, moved by testers.
//! Its offset from the real clock is kept in the database, so a restart keeps it.

use crate::db::Db;
use crate::error::ApiError;
use jiff::{SignedDuration, Timestamp};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

#[derive(Clone)]
pub struct Clock {
    offset_ms: Arc<AtomicI64>,
    db: Db,
}

const OFFSET_KEY: &str = "clock_offset_ms";

impl Clock {
    pub fn load(db: Db) -> Result<Clock, ApiError> {
        let offset = db
            .meta(OFFSET_KEY)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        Ok(Clock {
            offset_ms: Arc::new(AtomicI64::new(offset)),
            db,
        })
    }

    pub fn now(&self) -> Timestamp {
        Timestamp::now() + SignedDuration::from_millis(self.offset_ms.load(Ordering::SeqCst))
    }

    pub fn offset(&self) -> SignedDuration {
        SignedDuration::from_millis(self.offset_ms.load(Ordering::SeqCst))
    }

    /// Moves the clock so that it reads `to` now. It may go back as well as forward.
    pub fn set(&self, to: Timestamp) -> Result<(), ApiError> {
        self.store(to.duration_since(Timestamp::now()).as_millis() as i64)
    }

    /// Moves the clock on by exactly `by`.
    pub fn advance(&self, by: SignedDuration) -> Result<(), ApiError> {
        self.store(self.offset_ms.load(Ordering::SeqCst) + by.as_millis() as i64)
    }

    fn store(&self, offset_ms: i64) -> Result<(), ApiError> {
        self.db.set_meta(OFFSET_KEY, &offset_ms.to_string())?;
        self.offset_ms.store(offset_ms, Ordering::SeqCst);
        Ok(())
    }
}

/// Seconds since the epoch, as the database keeps instants.
pub fn secs(t: Timestamp) -> i64 {
    t.as_second()
}

pub fn from_secs(s: i64) -> Timestamp {
    Timestamp::from_second(s).unwrap_or(Timestamp::UNIX_EPOCH)
}
