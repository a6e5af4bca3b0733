//! Limits on how often something may be tried: wrong passwords, wrong
//! codes, registrations, identity checks; per account, per client address.
//! A row is keyed by a hash of what it counts (so no email is kept in the
//! clear, and a key of any length costs the same) and is pruned once it no
//! longer matters.

use crate::clock::secs;
use crate::error::{ApiError, ApiResult};
use crate::ids::sha256_hex;
use jiff::{SignedDuration, Timestamp};
use rusqlite::{Connection, OptionalExtension, params};

/// What is counted, and how much of it is let through.
pub struct Limit {
    /// Names the counter (part of its key).
    pub name: &'static str,
    /// Attempts let through within the window without waiting.
    pub free: i64,
    pub window: SignedDuration,
    /// Past `free`: `None` refuses until the window ends; `Some(cap)` lets
    /// one more through after a delay that doubles with each (1 s, 2 s,
    /// 4 s...) up to `cap`, so a stranger slows an account's owner down but
    /// never locks them out.
    pub growing_to: Option<SignedDuration>,
}

/// The `meta` key that says whether the limits apply (the server's start
/// sets it from its configuration).
pub const LIMITS: &str = "limits";

fn limits_off(tx: &Connection) -> ApiResult<bool> {
    Ok(tx
        .prepare_cached("SELECT value = 'off' FROM meta WHERE key = ?1")?
        .query_row([LIMITS], |r| r.get(0))
        .optional()?
        .unwrap_or(false))
}

fn key(limit: &Limit, subject: &str) -> String {
    sha256_hex(format!("{}\u{0}{subject}", limit.name).as_bytes())
}

fn delay(limit: &Limit, count: i64, cap: SignedDuration) -> i64 {
    let over = (count - limit.free).clamp(0, 30) as u32;
    2i64.saturating_pow(over).min(cap.as_secs())
}

/// Refuses (429, with when to try again) when `subject` has used up `limit`;
/// counts nothing.
pub fn check(tx: &Connection, limit: &Limit, subject: &str, now: Timestamp) -> ApiResult<()> {
    if limits_off(tx)? {
        return Ok(());
    }
    let now = secs(now);
    let row: Option<(i64, i64, i64)> = tx
        .prepare_cached("SELECT window_start, count, last_at FROM throttle WHERE key = ?1")?
        .query_row([key(limit, subject)], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    let Some((start, count, last)) = row else {
        return Ok(());
    };
    if now - start >= limit.window.as_secs() || count < limit.free {
        return Ok(());
    }
    let ready_at = match limit.growing_to {
        Some(cap) => last + delay(limit, count, cap),
        None => start + limit.window.as_secs(),
    };
    if now >= ready_at {
        Ok(())
    } else {
        Err(ApiError::rate_limited((ready_at - now) as u64))
    }
}

/// Counts one attempt of `subject` against `limit`; prunes rows that no
/// longer matter.
pub fn count(tx: &Connection, limit: &Limit, subject: &str, now: Timestamp) -> ApiResult<()> {
    if limits_off(tx)? {
        return Ok(());
    }
    let now = secs(now);
    tx.prepare_cached("DELETE FROM throttle WHERE expires_at <= ?1")?
        .execute([now])?;
    let window = limit.window.as_secs();
    let longest_wait = limit.growing_to.map_or(0, |cap| cap.as_secs());
    tx.prepare_cached(
        "INSERT INTO throttle (key, window_start, count, last_at, expires_at)
         VALUES (?1, ?2, 1, ?2, ?2 + ?3)
         ON CONFLICT (key) DO UPDATE SET
            window_start = CASE WHEN ?2 - window_start >= ?4 THEN ?2 ELSE window_start END,
            count = CASE WHEN ?2 - window_start >= ?4 THEN 1 ELSE count + 1 END,
            last_at = ?2,
            expires_at = max(CASE WHEN ?2 - window_start >= ?4 THEN ?2 ELSE window_start END + ?4, ?2 + ?5)",
    )?
    .execute(params![key(limit, subject), now, window, window, longest_wait])?;
    Ok(())
}

/// `check`, then `count`: for what is counted whether it succeeds or not.
pub fn take(tx: &Connection, limit: &Limit, subject: &str, now: Timestamp) -> ApiResult<()> {
    check(tx, limit, subject, now)?;
    count(tx, limit, subject, now)
}

/// Forgets `subject`'s count (its owner proved who they are).
pub fn clear(tx: &Connection, limit: &Limit, subject: &str) -> ApiResult<()> {
    tx.prepare_cached("DELETE FROM throttle WHERE key = ?1")?
        .execute([key(limit, subject)])?;
    Ok(())
}

/// Wrong passwords for one email, from anywhere: a growing delay past five
/// (at most a minute), never a lock-out of the owner.
pub const LOGIN_FAILURES_PER_EMAIL: Limit = Limit {
    name: "login-email",
    free: 5,
    window: SignedDuration::from_hours(24),
    growing_to: Some(SignedDuration::from_mins(1)),
};

/// Wrong passwords from one client address, whatever the email.
pub const LOGIN_FAILURES_PER_ADDRESS: Limit = Limit {
    name: "login-address",
    free: 30,
    window: SignedDuration::from_mins(15),
    growing_to: None,
};

/// Wrong codes for one email and purpose, however many codes were sent
/// (a new code does not refill it): ten an hour.
pub const OTP_FAILURES_PER_EMAIL: Limit = Limit {
    name: "otp-email",
    free: 10,
    window: SignedDuration::from_hours(1),
    growing_to: None,
};

/// Wrong codes from one client address, whatever the email.
pub const OTP_FAILURES_PER_ADDRESS: Limit = Limit {
    name: "otp-address",
    free: 30,
    window: SignedDuration::from_hours(1),
    growing_to: None,
};

/// Registrations (each hashes a password) from one client address.
pub const REGISTRATIONS_PER_ADDRESS: Limit = Limit {
    name: "register-address",
    free: 300,
    window: SignedDuration::from_hours(1),
    growing_to: None,
};

/// Identity checks by one account: a person checks a handful of people.
pub const NIK_CHECKS_PER_ACCOUNT: Limit = Limit {
    name: "nik-account",
    free: 30,
    window: SignedDuration::from_hours(1),
    growing_to: None,
};

/// Identity checks from one client address, whatever the account.
pub const NIK_CHECKS_PER_ADDRESS: Limit = Limit {
    name: "nik-address",
    free: 1000,
    window: SignedDuration::from_hours(1),
    growing_to: None,
};

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) STRICT;
             CREATE TABLE throttle (key TEXT PRIMARY KEY NOT NULL, window_start INTEGER NOT NULL,
             count INTEGER NOT NULL, last_at INTEGER NOT NULL, expires_at INTEGER NOT NULL) STRICT;",
        )
        .unwrap();
        conn
    }

    fn at(s: i64) -> Timestamp {
        Timestamp::from_second(1_800_000_000 + s).unwrap()
    }

    const PLAIN: Limit = Limit {
        name: "t",
        free: 3,
        window: SignedDuration::from_secs(100),
        growing_to: None,
    };
    const GROWING: Limit = Limit {
        name: "g",
        free: 2,
        window: SignedDuration::from_secs(1000),
        growing_to: Some(SignedDuration::from_secs(8)),
    };

    #[test]
    fn a_plain_limit_refuses_until_its_window_ends() {
        let tx = db();
        for s in 0..3 {
            take(&tx, &PLAIN, "x", at(s)).unwrap();
        }
        let refused = take(&tx, &PLAIN, "x", at(10)).unwrap_err();
        assert_eq!(refused.body.error.retry_after_seconds, Some(90));
        take(&tx, &PLAIN, "y", at(10)).unwrap();
        take(&tx, &PLAIN, "x", at(100)).unwrap();
    }

    #[test]
    fn a_growing_limit_delays_more_each_time_up_to_its_cap() {
        let tx = db();
        let mut t = 0;
        let mut waits = Vec::new();
        for _ in 0..7 {
            if let Err(e) = check(&tx, &GROWING, "x", at(t)) {
                let wait = e.body.error.retry_after_seconds.unwrap() as i64;
                waits.push(wait);
                t += wait;
                check(&tx, &GROWING, "x", at(t)).unwrap();
            }
            count(&tx, &GROWING, "x", at(t)).unwrap();
        }
        assert_eq!(waits, vec![1, 2, 4, 8, 8]);
        clear(&tx, &GROWING, "x").unwrap();
        check(&tx, &GROWING, "x", at(t)).unwrap();
    }

    #[test]
    fn rows_are_keyed_by_a_hash_and_pruned_once_they_no_longer_matter() {
        let tx = db();
        let long = "a".repeat(60_000);
        count(&tx, &PLAIN, &long, at(0)).unwrap();
        let key_len: i64 = tx
            .query_row("SELECT length(key) FROM throttle", [], |r| r.get(0))
            .unwrap();
        assert_eq!(key_len, 64);
        count(&tx, &PLAIN, "later", at(101)).unwrap();
        let rows: i64 = tx
            .query_row("SELECT count(*) FROM throttle", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 1, "the first row's window is over: pruned");
    }
}
