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

/// How far a tester may move the clock from the real one, either way: ten
/// years covers every deadline the rules have (a passport's validity).
pub const MAX_OFFSET: SignedDuration = SignedDuration::from_hours(10 * 366 * 24);

fn within_bounds(offset_ms: i64) -> bool {
    offset_ms.unsigned_abs() <= MAX_OFFSET.as_millis().unsigned_abs() as u64
}

impl Clock {
    /// The clock as a restart finds it; an offset kept out of bounds (or
    /// unreadable) is cleared with a log line, never a failed start.
    pub fn load(db: Db) -> Result<Clock, ApiError> {
        let kept = db.meta(OFFSET_KEY)?;
        let offset = match kept.as_deref().map(str::parse::<i64>) {
            None => 0,
            Some(Ok(ms)) if within_bounds(ms) => ms,
            Some(other) => {
                tracing::warn!(kept = ?kept, parsed = ?other, "the kept clock offset is out of bounds; the clock is reset");
                db.set_meta(OFFSET_KEY, "0")?;
                0
            }
        };
        Ok(Clock {
            offset_ms: Arc::new(AtomicI64::new(offset)),
            db,
        })
    }

    /// The real time moved by the offset (which `store` keeps within bounds,
    /// so the sum is always a valid instant; should it not be, the real time).
    pub fn now(&self) -> Timestamp {
        let real = Timestamp::now();
        real.checked_add(self.offset()).unwrap_or(real)
    }

    pub fn offset(&self) -> SignedDuration {
        SignedDuration::from_millis(self.offset_ms.load(Ordering::SeqCst))
    }

    /// Moves the clock so that it reads `to` now. It may go back as well as forward.
    pub fn set(&self, to: Timestamp) -> Result<(), ApiError> {
        let offset = to.duration_since(Timestamp::now()).as_millis();
        self.store(i64::try_from(offset).unwrap_or(i64::MAX), "set")
    }

    /// Moves the clock on by exactly `by` (seconds, as a tester gives them).
    pub fn advance(&self, by_seconds: i64) -> Result<(), ApiError> {
        let offset = by_seconds
            .checked_mul(1000)
            .and_then(|by| by.checked_add(self.offset_ms.load(Ordering::SeqCst)))
            .unwrap_or(i64::MAX);
        self.store(offset, "advance_seconds")
    }

    /// Keeps an offset within bounds; beyond them, a 422 naming the field.
    fn store(&self, offset_ms: i64, field: &str) -> Result<(), ApiError> {
        if !within_bounds(offset_ms) {
            return Err(ApiError::invalid(
                field,
                format!(
                    "the clock moves at most {} days from the real time either way",
                    MAX_OFFSET.as_hours() / 24
                ),
            ));
        }
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
