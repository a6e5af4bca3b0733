//! What the last sweep of the deadlines found (`lifecycle::sweep`), so a
//! read can skip one that would change nothing. Apart from the rest of the
//! model: the shared state holds it.

use jiff::Timestamp;

/// The next deadline the last sweep found, and the database generation it
/// saw. While the generation has not moved (no write could have added an
/// earlier deadline) and that deadline is still ahead by the mock clock,
/// sweeping again would change nothing, so a read may skip it.
#[derive(Default)]
pub struct Swept(std::sync::Mutex<Option<(u64, Option<Timestamp>)>>);

impl Swept {
    pub fn needed(&self, generation: u64, now: Timestamp) -> bool {
        match *self.0.lock().unwrap_or_else(|p| p.into_inner()) {
            Some((seen, next)) if seen == generation => next.is_some_and(|at| at <= now),
            _ => true,
        }
    }

    /// Notes a sweep's answer, made from the rows of `generation`.
    pub fn record(&self, generation: u64, next: Option<Timestamp>) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some((generation, next));
    }
}

#[cfg(test)]
mod tests {
    use super::Swept;
    use jiff::{SignedDuration, Timestamp};

    #[test]
    fn a_sweep_is_skipped_only_while_nothing_was_written_and_nothing_is_due() {
        let swept = Swept::default();
        let now = Timestamp::from_second(1_800_000_000).unwrap();
        let next = now + SignedDuration::from_hours(2);
        assert!(swept.needed(7, now), "never swept yet");
        swept.record(7, Some(next));
        assert!(!swept.needed(7, now));
        assert!(
            swept.needed(8, now),
            "a write since may have added an earlier deadline"
        );
        assert!(swept.needed(7, next), "the deadline has come");
        swept.record(7, None);
        assert!(!swept.needed(7, next + SignedDuration::from_hours(24 * 365)));
    }
}
