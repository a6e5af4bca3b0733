//! One-time codes sent by email (activation and password reset): issued
//! with a cooldown, checked with a limit on wrong tries.

use crate::clock::secs;
use crate::error::{ApiError, ApiResult};
use crate::ids::sha256_hex;
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
    tx.prepare_cached(
        "INSERT INTO outbox (to_email, subject, body, otp, sent_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![email, subject, body, code, secs(now)])?;
    Ok(OtpSent {
        email: email.to_owned(),
        expires_at: expires,
        resend_after: resend,
    })
}

/// Checks an OTP. A wrong code counts against it (and that count is kept
/// even though the request fails); the fifth wrong code burns it.
/// The inner answer is the verdict; the outer one fails only when the
/// database does, so the count of a wrong code is kept.
pub fn check_otp(
    tx: &Connection,
    email: &str,
    purpose: &str,
    otp: &str,
    now: Timestamp,
) -> ApiResult<ApiResult<()>> {
    let now = secs(now);
    {
        let row: Option<(String, i64, i64)> = tx
            .prepare_cached(
                "SELECT code, expires_at, failures FROM otps WHERE email = ?1 AND purpose = ?2",
            )?
            .query_row(params![email, purpose], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?;
        let Some((code, expires, failures)) = row else {
            return Ok(Err(ApiError::unprocessable(
                ErrorCode::OtpInvalid,
                "no code is waiting for this email; ask for one",
            )
            .field("otp")));
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
            return Ok(Err(ApiError::unprocessable(
                ErrorCode::OtpInvalid,
                "wrong code",
            )
            .field("otp")));
        }
        tx.prepare_cached("DELETE FROM otps WHERE email = ?1 AND purpose = ?2")?
            .execute(params![email, purpose])?;
        Ok(Ok(()))
    }
}
