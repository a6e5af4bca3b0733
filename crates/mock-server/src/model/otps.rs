//! One-time codes sent by email (activation and password reset): issued
//! with a cooldown, checked with a limit on wrong tries per code, per email
//! and purpose over an hour (a new code does not refill it), and per client
//! address.

use crate::clock::secs;
use crate::error::{ApiError, ApiResult};
use crate::ids::sha256_hex;
use crate::model::throttle::{self, OTP_FAILURES_PER_ADDRESS, OTP_FAILURES_PER_EMAIL};
use axum::http::StatusCode;
use jiff::{SignedDuration, Timestamp};
use mpaspor_domain::api::{ErrorCode, OtpSent};
use rusqlite::{Connection, OptionalExtension, params};

pub const OTP_TTL: SignedDuration = SignedDuration::from_mins(10);
pub const OTP_COOLDOWN: SignedDuration = SignedDuration::from_secs(60);
/// Wrong OTPs before the code is burned.
pub const OTP_MAX_FAILURES: i64 = 5;

/// Emails a fresh OTP for `purpose`, unless one was sent less than a cooldown ago.
pub fn issue_otp(
    tx: &Connection,
    email: &str,
    purpose: &str,
    now: Timestamp,
) -> ApiResult<OtpSent> {
    let resend_after: Option<i64> = tx
        .prepare_cached("SELECT resend_after FROM otps WHERE email = ?1 AND purpose = ?2")?
        .query_row(params![email, purpose], |r| r.get(0))
        .optional()?;
    if let Some(after) = resend_after
        && after > secs(now)
    {
        let mut e = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::OtpCooldown,
            "a code was sent a moment ago; wait before asking again",
        );
        e.body.error.retry_after_seconds = Some((after - secs(now)) as u64);
        return Err(e);
    }
    let mut n = [0u8; 4];
    getrandom::fill(&mut n).expect("the OS has randomness");
    let code = format!("{:06}", u32::from_le_bytes(n) % 1_000_000);
    let (expires, resend) = (now + OTP_TTL, now + OTP_COOLDOWN);
    tx.prepare_cached("INSERT INTO otps (email, purpose, code, expires_at, resend_after, failures) VALUES (?1, ?2, ?3, ?4, ?5, 0)
         ON CONFLICT (email, purpose) DO UPDATE SET code = excluded.code, expires_at = excluded.expires_at,
            resend_after = excluded.resend_after, failures = 0")?.execute(
        params![email, purpose, sha256_hex(code.as_bytes()), secs(expires), secs(resend)],
    )?;
    let (subject, body) = match purpose {
        "verify" => (
            "Kode aktivasi M-Paspor",
            format!(
                "Kode aktivasi akun M-Paspor Anda: {code}. Berlaku 10 menit. Jangan berikan kode ini kepada siapa pun."
            ),
        ),
        _ => (
            "Kode atur ulang kata sandi M-Paspor",
            format!(
                "Kode untuk mengatur ulang kata sandi M-Paspor Anda: {code}. Berlaku 10 menit. Abaikan email ini jika Anda tidak memintanya."
            ),
        ),
    };
    send_email(tx, email, subject, &body, Some(&code), now)?;
    Ok(OtpSent {
        email: email.to_owned(),
        expires_at: expires,
        resend_after: resend,
    })
}

/// "Sends" an email: the mock keeps it in its outbox for testers.
pub fn send_email(
    tx: &Connection,
    to: &str,
    subject: &str,
    body: &str,
    otp: Option<&str>,
    now: Timestamp,
) -> ApiResult<()> {
    tx.prepare_cached(
        "INSERT INTO outbox (to_email, subject, body, otp, sent_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![to, subject, body, otp, secs(now)])?;
    Ok(())
}

/// What a registration answers when it sends no code (the email already
/// has an active account, or a code went out a moment ago): the same as
/// when it does, so the answer tells nobody which.
pub fn as_if_sent(email: &str, now: Timestamp) -> OtpSent {
    OtpSent {
        email: email.to_owned(),
        expires_at: now + OTP_TTL,
        resend_after: now + OTP_COOLDOWN,
    }
}

/// Counts a wrong code against the email's budget for `purpose` and the
/// client address's; the answer to give.
fn wrong_code(
    tx: &Connection,
    email: &str,
    purpose: &str,
    address: &str,
    now: Timestamp,
    answer: ApiError,
) -> ApiResult<ApiResult<()>> {
    throttle::count(
        tx,
        &OTP_FAILURES_PER_EMAIL,
        &format!("{purpose}:{email}"),
        now,
    )?;
    throttle::count(tx, &OTP_FAILURES_PER_ADDRESS, address, now)?;
    Ok(Err(answer))
}

/// Checks an OTP. A wrong code counts against it, against the email's
/// budget and the address's (and those counts are kept even though the
/// request fails); the fifth wrong code burns it.
/// The inner answer is the verdict; the outer one fails only when the
/// database does, so the count of a wrong code is kept.
pub fn check_otp(
    tx: &Connection,
    email: &str,
    purpose: &str,
    otp: &str,
    address: &str,
    at: Timestamp,
) -> ApiResult<ApiResult<()>> {
    let now = secs(at);
    {
        let budgets = throttle::check(tx, &OTP_FAILURES_PER_ADDRESS, address, at).and_then(|_| {
            throttle::check(
                tx,
                &OTP_FAILURES_PER_EMAIL,
                &format!("{purpose}:{email}"),
                at,
            )
        });
        if let Err(spent) = budgets {
            return Ok(Err(spent));
        }
        let row: Option<(String, i64, i64)> = tx
            .prepare_cached(
                "SELECT code, expires_at, failures FROM otps WHERE email = ?1 AND purpose = ?2",
            )?
            .query_row(params![email, purpose], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?;
        let Some((code, expires, failures)) = row else {
            return wrong_code(tx, email, purpose, address, at, no_code_waiting());
        };
        if failures >= OTP_MAX_FAILURES {
            return Ok(Err(ApiError::rate_limited(OTP_COOLDOWN.as_secs() as u64)));
        }
        if expires <= now {
            return Ok(Err(ApiError::unprocessable(
                ErrorCode::OtpExpired,
                "this code has expired; ask for a new one",
            )
            .field("otp")));
        }
        if code != sha256_hex(otp.trim().as_bytes()) {
            tx.prepare_cached(
                "UPDATE otps SET failures = failures + 1 WHERE email = ?1 AND purpose = ?2",
            )?
            .execute(params![email, purpose])?;
            let wrong = ApiError::unprocessable(ErrorCode::OtpInvalid, "wrong code").field("otp");
            return wrong_code(tx, email, purpose, address, at, wrong);
        }
        tx.prepare_cached("DELETE FROM otps WHERE email = ?1 AND purpose = ?2")?
            .execute(params![email, purpose])?;
        Ok(Ok(()))
    }
}

/// The answer for an email with no code waiting: whether it has no account,
/// an active one, or a code that was used (nothing tells them apart).
pub fn no_code_waiting() -> ApiError {
    ApiError::unprocessable(
        ErrorCode::OtpInvalid,
        "no code is waiting for this email; ask for one",
    )
    .field("otp")
}
