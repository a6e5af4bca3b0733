//! Accounts and sessions: register with an emailed OTP, log in, refresh,
//! reset a password, log out, delete everything.

use crate::clock::secs;
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::ids::{new_id, sha256_hex};
use crate::model::bookings::release_place;
use crate::model::people::check_name;
use crate::model::sessions::{self, Caller};
use crate::state::AppState;
use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use axum::extract::State;
use axum::http::StatusCode;
use jiff::{SignedDuration, Timestamp};
use mpaspor_domain::api::{
    Account, ApplicantInput, EmailRequest, ErrorBody, ErrorCode, LoginRequest, OtpSent,
    PasswordResetConfirm, RefreshRequest, RegisterRequest, Relationship, Session, VerifyRequest,
};
use mpaspor_domain::{ApplicationState, MaritalStatus};
use rusqlite::{Connection, OptionalExtension, params};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub const OTP_TTL: SignedDuration = SignedDuration::from_mins(10);
pub const OTP_COOLDOWN: SignedDuration = SignedDuration::from_secs(60);
/// Wrong OTPs before the code is burned.
pub const OTP_MAX_FAILURES: i64 = 5;
/// Failed logins per email within the window before 429.
pub const LOGIN_LIMIT: i64 = 5;
pub const LOGIN_WINDOW: SignedDuration = SignedDuration::from_mins(15);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(verify))
        .routes(routes!(resend_otp))
        .routes(routes!(password_reset))
        .routes(routes!(password_reset_confirm))
        .routes(routes!(delete_account))
        .routes(routes!(login))
        .routes(routes!(refresh))
        .routes(routes!(logout))
}

fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

fn check_email(email: &str) -> ApiResult<()> {
    let ok = email.len() <= 254
        && email.split_once('@').is_some_and(|(user, host)| {
            !user.is_empty() && host.contains('.') && !host.starts_with('.') && !host.ends_with('.')
        })
        && !email.chars().any(char::is_whitespace);
    if ok {
        Ok(())
    } else {
        Err(ApiError::invalid("email", "this is not an email address"))
    }
}

fn check_password(password: &str, field: &str) -> ApiResult<()> {
    let strong = password.chars().count() >= 8
        && password.len() <= 128
        && password.chars().any(|c| c.is_alphabetic())
        && password.chars().any(|c| c.is_ascii_digit());
    if strong {
        Ok(())
    } else {
        Err(ApiError::unprocessable(
            ErrorCode::WeakPassword,
            "a password has 8 to 128 characters, with letters and digits",
        )
        .field(field))
    }
}

/// Indonesian mobile numbers: 08... or +628..., 10 to 15 digits.
fn check_phone(phone: &str) -> ApiResult<()> {
    let digits: String = phone.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let rest = digits
        .strip_prefix("+62")
        .map(|r| format!("0{r}"))
        .unwrap_or(digits);
    let ok = rest.starts_with("08")
        && (10..=15).contains(&rest.len())
        && rest.bytes().all(|b| b.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(ApiError::invalid(
            "phone",
            "a mobile number starts with 08 or +62 and has 10 to 15 digits",
        ))
    }
}

async fn hash_password(password: String) -> ApiResult<String> {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
    })
    .await
    .map_err(|_| ApiError::internal())?
    .map_err(|_| ApiError::internal())
}

async fn password_matches(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .verify_password(password.as_bytes(), hash.as_str())
            .is_ok()
    })
    .await
    .unwrap_or(false)
}

/// Emails a fresh OTP for `purpose`, unless one was sent less than a cooldown ago.
fn issue_otp(tx: &Connection, email: &str, purpose: &str, now: Timestamp) -> ApiResult<OtpSent> {
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
fn check_otp(state: &AppState, email: &str, purpose: &str, otp: &str) -> ApiResult<()> {
    let now = secs(state.clock.now());
    state.db.write(|tx| {
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
    })?
}

/// Register: name, email, phone, password, birth date, sex. Emails an OTP.
#[utoipa::path(post, path = "/v1/accounts", tag = "accounts", request_body = RegisterRequest,
    responses((status = 201, body = OtpSent), (status = 409, description = "email_taken", body = ErrorBody),
              (status = 422, body = ErrorBody), (status = 429, description = "otp_cooldown", body = ErrorBody)))]
async fn register(
    State(state): State<AppState>,
    Json(req): Json<RegisterRequest>,
) -> ApiResult<(StatusCode, Json<OtpSent>)> {
    let email = normalise_email(&req.email);
    check_name(&req.full_name, "full_name")?;
    check_email(&email)?;
    check_phone(&req.phone)?;
    check_password(&req.password, "password")?;
    let now = state.clock.now();
    let today = mpaspor_domain::OfficeZone::Wib.local_date(now);
    if req.birth_date > today || mpaspor_domain::eligibility::age_on(req.birth_date, today) < 17 {
        return Err(ApiError::invalid(
            "birth_date",
            "an account holder is 17 or over; add children as family members",
        ));
    }
    let hash = hash_password(req.password.clone()).await?;
    let sent = state.db.write(|tx| {
        let existing: Option<(String, bool)> = tx
            .prepare_cached("SELECT id, verified FROM accounts WHERE email = ?1")?.query_row( [&email], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        match existing {
            Some((_, true)) => return Err(ApiError::conflict(ErrorCode::EmailTaken, "this email already has an account").field("email")),
            // Registering again before activating replaces the unfinished account.
            Some((id, false)) => {
                tx.prepare_cached("UPDATE accounts SET full_name = ?2, phone = ?3, birth_date = ?4, sex = ?5, password_hash = ?6 WHERE id = ?1")?.execute(
                    params![id, req.full_name.trim(), req.phone, req.birth_date.to_string(), req.sex.as_str(), hash],
                )?;
            }
            None => {
                tx.prepare_cached("INSERT INTO accounts (id, email, full_name, phone, birth_date, sex, password_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")?.execute(
                    params![new_id("acc"), email, req.full_name.trim(), req.phone, req.birth_date.to_string(), req.sex.as_str(), hash, secs(now)],
                )?;
            }
        }
        issue_otp(tx, &email, "verify", now)
    })?;
    Ok((StatusCode::CREATED, Json(sent)))
}

/// Activate an account with the emailed OTP. The holder becomes its first applicant.
#[utoipa::path(post, path = "/v1/accounts/verify", tag = "accounts", request_body = VerifyRequest,
    responses((status = 200, body = Account), (status = 422, description = "otp_invalid or otp_expired", body = ErrorBody),
              (status = 429, description = "too many wrong codes", body = ErrorBody)))]
async fn verify(
    State(state): State<AppState>,
    Json(req): Json<VerifyRequest>,
) -> ApiResult<Json<Account>> {
    let email = normalise_email(&req.email);
    let id: Option<(String, bool)> = state.db.write(|tx| {
        Ok(tx
            .prepare_cached("SELECT id, verified FROM accounts WHERE email = ?1")?
            .query_row([&email], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    })?;
    let Some((id, verified)) = id else {
        return Err(ApiError::unprocessable(
            ErrorCode::OtpInvalid,
            "no code is waiting for this email",
        )
        .field("otp"));
    };
    if verified {
        return Err(ApiError::conflict(
            ErrorCode::EmailTaken,
            "this account is already active; log in",
        ));
    }
    check_otp(&state, &email, "verify", &req.otp)?;
    let now = state.clock.now();
    let account = state.db.write(|tx| {
        tx.prepare_cached("UPDATE accounts SET verified = 1 WHERE id = ?1")?.execute( [&id])?;
        let account = sessions::load_account(tx, &id)?;
        let holder = ApplicantInput {
            full_name: account.full_name.clone(),
            relationship: Relationship::Holder,
            birth_date: account.birth_date,
            sex: account.sex,
            marital_status: MaritalStatus::Single,
            nik: None,
        };
        tx.prepare_cached("INSERT INTO applicants (id, account_id, version, body, created_at) VALUES (?1, ?2, 1, ?3, ?4)")?.execute(
            params![new_id("ap"), id, serde_json::to_string(&holder)?, secs(now)],
        )?;
        Ok(account)
    })?;
    Ok(Json(account))
}

/// Send the activation OTP again (after the cooldown).
#[utoipa::path(post, path = "/v1/accounts/otp", tag = "accounts", request_body = EmailRequest,
    responses((status = 202, body = OtpSent), (status = 429, description = "otp_cooldown", body = ErrorBody)))]
async fn resend_otp(
    State(state): State<AppState>,
    Json(req): Json<EmailRequest>,
) -> ApiResult<(StatusCode, Json<OtpSent>)> {
    emailed_code(&state, &req.email, "verify", false)
}

/// Email an OTP to reset the password. Answers the same whether or not the email has an account.
#[utoipa::path(post, path = "/v1/accounts/password-reset", tag = "accounts", request_body = EmailRequest,
    responses((status = 202, body = OtpSent), (status = 429, description = "otp_cooldown", body = ErrorBody)))]
async fn password_reset(
    State(state): State<AppState>,
    Json(req): Json<EmailRequest>,
) -> ApiResult<(StatusCode, Json<OtpSent>)> {
    emailed_code(&state, &req.email, "reset", true)
}

/// Sends a code to an account in the wanted state; for any other email it
/// answers alike and sends nothing, so the route tells nobody who has an account.
fn emailed_code(
    state: &AppState,
    email: &str,
    purpose: &str,
    verified: bool,
) -> ApiResult<(StatusCode, Json<OtpSent>)> {
    let email = normalise_email(email);
    check_email(&email)?;
    let now = state.clock.now();
    let sent = state.db.write(|tx| {
        let found: Option<bool> = tx
            .prepare_cached("SELECT verified FROM accounts WHERE email = ?1")?
            .query_row([&email], |r| r.get(0))
            .optional()?;
        if found == Some(verified) {
            issue_otp(tx, &email, purpose, now)
        } else {
            Ok(OtpSent {
                email: email.clone(),
                expires_at: now + OTP_TTL,
                resend_after: now + OTP_COOLDOWN,
            })
        }
    })?;
    Ok((StatusCode::ACCEPTED, Json(sent)))
}

/// Set a new password with the emailed OTP. Every session of the account ends.
#[utoipa::path(post, path = "/v1/accounts/password-reset/confirm", tag = "accounts", request_body = PasswordResetConfirm,
    responses((status = 204, description = "password changed; all sessions ended"), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
async fn password_reset_confirm(
    State(state): State<AppState>,
    Json(req): Json<PasswordResetConfirm>,
) -> ApiResult<StatusCode> {
    let email = normalise_email(&req.email);
    check_password(&req.new_password, "new_password")?;
    check_otp(&state, &email, "reset", &req.otp)?;
    let hash = hash_password(req.new_password.clone()).await?;
    state.db.write(|tx| {
        tx.prepare_cached("UPDATE accounts SET password_hash = ?2 WHERE email = ?1")?.execute( params![email, hash])?;
        tx.prepare_cached("UPDATE sessions SET ended = 1 WHERE account_id = (SELECT id FROM accounts WHERE email = ?1)")?.execute( [&email])?;
        tx.prepare_cached("DELETE FROM throttle WHERE key = ?1")?.execute( [format!("login:{email}")])?;
        Ok(())
    })?;
    Ok(StatusCode::NO_CONTENT)
}

/// Delete the account and every personal record the mock holds of it:
/// applicants, applications, documents, sessions and emails. Held places are released.
#[utoipa::path(delete, path = "/v1/accounts/current", tag = "accounts", security(("bearer" = [])),
    responses((status = 204, description = "deleted"), (status = 401, body = ErrorBody)))]
async fn delete_account(State(state): State<AppState>, caller: Caller) -> ApiResult<StatusCode> {
    state.db.write(|tx| {
        let email: String = tx.prepare_cached("SELECT email FROM accounts WHERE id = ?1")?.query_row( [&caller.account_id], |r| r.get(0))?;
        let held: Vec<(String, String)> = {
            let mut q = tx.prepare_cached("SELECT id, state FROM applications WHERE account_id = ?1 AND slot_id IS NOT NULL")?;
            q.query_map([&caller.account_id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?
        };
        for (id, st) in held {
            if st.parse::<ApplicationState>().is_ok_and(|s| s.is_active()) {
                release_place(tx, &id)?;
            }
        }
        tx.prepare_cached("DELETE FROM treasury WHERE application_id IN (SELECT id FROM applications WHERE account_id = ?1)")?.execute( [&caller.account_id])?;
        tx.prepare_cached("DELETE FROM accounts WHERE id = ?1")?.execute( [&caller.account_id])?;
        tx.prepare_cached("DELETE FROM outbox WHERE to_email = ?1")?.execute( [&email])?;
        tx.prepare_cached("DELETE FROM otps WHERE email = ?1")?.execute( [&email])?;
        tx.prepare_cached("DELETE FROM throttle WHERE key = ?1")?.execute( [format!("login:{email}")])?;
        tx.prepare_cached("DELETE FROM idempotency WHERE scope = ?1")?.execute( [&caller.account_id])?;
        Ok(())
    })?;
    Ok(StatusCode::NO_CONTENT)
}

/// Log in: an access token (15 minutes) and a refresh token (30 days, rotating).
#[utoipa::path(post, path = "/v1/sessions", tag = "sessions", request_body = LoginRequest,
    responses((status = 201, body = Session), (status = 401, description = "invalid_credentials", body = ErrorBody),
              (status = 403, description = "account_not_verified", body = ErrorBody), (status = 429, description = "rate_limited", body = ErrorBody)))]
async fn login(
    State(state): State<AppState>,
    Json(req): Json<LoginRequest>,
) -> ApiResult<(StatusCode, Json<Session>)> {
    let email = normalise_email(&req.email);
    let throttle_key = format!("login:{email}");
    let now = state.clock.now();
    // The attempt is counted in its own transaction, so a failed login still counts.
    let found: Option<(String, String, bool)> = state.db.write(|tx| {
        sessions::throttle(tx, &throttle_key, LOGIN_LIMIT, LOGIN_WINDOW, now)?;
        Ok(tx
            .prepare_cached("SELECT id, password_hash, verified FROM accounts WHERE email = ?1")?
            .query_row([&email], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?)
    })?;
    let wrong = || {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::InvalidCredentials,
            "wrong email or password",
        )
    };
    let Some((id, hash, verified)) = found else {
        return Err(wrong());
    };
    if !password_matches(req.password.clone(), hash).await {
        return Err(wrong());
    }
    if !verified {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            ErrorCode::AccountNotVerified,
            "activate the account with the emailed code first",
        ));
    }
    let session = state.db.write(|tx| {
        sessions::throttle_clear(tx, &throttle_key)?;
        sessions::open_session(tx, &id, now)
    })?;
    Ok((StatusCode::CREATED, Json(session)))
}

/// Rotate tokens. Presenting an already-rotated refresh token ends the session.
#[utoipa::path(post, path = "/v1/sessions/refresh", tag = "sessions", request_body = RefreshRequest,
    responses((status = 200, body = Session), (status = 401, description = "unauthorized, token_expired or session_ended", body = ErrorBody)))]
async fn refresh(
    State(state): State<AppState>,
    Json(req): Json<RefreshRequest>,
) -> ApiResult<Json<Session>> {
    let now = state.clock.now();
    // A reuse ends the session even though the request fails: commit that first.
    let outcome = state
        .db
        .write(|tx| match sessions::rotate(tx, &req.refresh_token, now) {
            Err(e) if e.body.code() == Some(ErrorCode::SessionEnded) => Ok(Err(e)),
            other => other.map(Ok),
        })?;
    Ok(Json(outcome?))
}

/// Log out: this session's tokens stop working.
#[utoipa::path(delete, path = "/v1/sessions/current", tag = "sessions", security(("bearer" = [])),
    responses((status = 204, description = "logged out"), (status = 401, body = ErrorBody)))]
async fn logout(State(state): State<AppState>, caller: Caller) -> ApiResult<StatusCode> {
    state.db.write(|tx| {
        tx.prepare_cached("UPDATE sessions SET ended = 1 WHERE id = ?1")?
            .execute([&caller.session_id])?;
        Ok(())
    })?;
    Ok(StatusCode::NO_CONTENT)
}
