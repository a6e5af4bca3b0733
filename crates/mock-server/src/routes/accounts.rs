//! Accounts: register with an emailed OTP, reset a password, delete
//! everything.

use crate::clock::secs;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ClientAddress, Json};
use crate::ids::new_id;
use crate::model::bookings::release_place;
use crate::model::otps::{as_if_sent, check_otp, issue_otp, no_code_waiting, send_email};
use crate::model::people::{
    check_email, check_name, check_password, check_phone, hash_password, normalise_email,
    password_matches,
};
use crate::model::sessions::{self, Caller};
use crate::model::throttle::{self, REGISTRATIONS_PER_ADDRESS};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use mpaspor_domain::api::{
    Account, ApplicantInput, DeleteAccountRequest, EmailRequest, ErrorBody, ErrorCode,
    LanguageRequest, OtpSent, PasswordResetConfirm, RegisterRequest, Relationship, VerifyRequest,
};
use mpaspor_domain::{ApplicationState, MaritalStatus};
use rusqlite::{OptionalExtension, params};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(verify))
        .routes(routes!(resend_otp))
        .routes(routes!(password_reset))
        .routes(routes!(password_reset_confirm))
        .routes(routes!(delete_account))
        .routes(routes!(set_language))
}

/// How long a registration waits for its code before another may take the email.
pub const PENDING_TTL: jiff::SignedDuration = jiff::SignedDuration::from_hours(24);

/// Register: name, email, phone, password, birth date, sex. Emails an OTP.
/// Answers alike whether or not the email has an account: the email tells
/// its owner (a code for a new account; for an active one, a note that
/// someone tried). A registration waiting for its code keeps its details
/// (for a day); registering the email again only sends the code again.
#[utoipa::path(post, path = "/v1/accounts", tag = "accounts", request_body = RegisterRequest,
    responses((status = 201, body = OtpSent), (status = 422, body = ErrorBody),
              (status = 429, description = "rate_limited", body = ErrorBody)))]
async fn register(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Json(req): Json<RegisterRequest>,
) -> ApiResult<(StatusCode, Json<OtpSent>)> {
    let email = normalise_email(&req.email);
    check_name(&req.full_name, "full_name")?;
    check_email(&email)?;
    check_phone(&req.phone)?;
    check_password(&req.password, "password", &[&req.full_name, &email])?;
    let now = state.clock.now();
    let today = mpaspor_domain::OfficeZone::Wib.local_date(now);
    if req.birth_date > today || mpaspor_domain::eligibility::age_on(req.birth_date, today) < 17 {
        return Err(ApiError::invalid(
            "birth_date",
            "an account holder is 17 or over; add children as family members",
        ));
    }
    state
        .db
        .write(|tx| throttle::take(tx, &REGISTRATIONS_PER_ADDRESS, &address.to_string(), now))?;
    // Hashed whatever the email turns out to be: every answer takes the same time.
    let hash = hash_password(req.password.clone()).await?;
    let sent = state.db.write(|tx| {
        let existing: Option<(String, bool, i64)> = tx
            .prepare_cached("SELECT id, verified, created_at FROM accounts WHERE email = ?1")?
            .query_row([&email], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        match existing {
            Some((_, true, _)) => {
                send_email(
                    tx,
                    &email,
                    "Akun M-Paspor Anda",
                    "Seseorang mencoba mendaftar M-Paspor dengan email ini, yang sudah memiliki akun. \
                     Jika itu Anda, masuk saja, atau atur ulang kata sandi jika lupa. Jika bukan, abaikan email ini.",
                    None,
                    now,
                )?;
                return Ok(as_if_sent(&email, now));
            }
            // A registration waiting for its code keeps its details: only the
            // code goes out again (or, within the cooldown, nothing).
            Some((_, false, created)) if secs(now) - created < PENDING_TTL.as_secs() => {
                return Ok(issue_otp(tx, &email, "verify", now).unwrap_or_else(|_| as_if_sent(&email, now)));
            }
            // One left waiting a day is let go; this registration takes the email.
            Some((id, false, _)) => {
                tx.prepare_cached("UPDATE accounts SET full_name = ?2, phone = ?3, birth_date = ?4, sex = ?5, password_hash = ?6, created_at = ?7, language = ?8 WHERE id = ?1")?.execute(
                    params![id, req.full_name.trim(), req.phone, req.birth_date.to_string(), req.sex.as_str(), hash, secs(now), req.language.as_str()],
                )?;
                tx.prepare_cached("DELETE FROM otps WHERE email = ?1")?.execute([&email])?;
            }
            None => {
                tx.prepare_cached("INSERT INTO accounts (id, email, full_name, phone, birth_date, sex, password_hash, created_at, language) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")?.execute(
                    params![new_id("acc"), email, req.full_name.trim(), req.phone, req.birth_date.to_string(), req.sex.as_str(), hash, secs(now), req.language.as_str()],
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
    ClientAddress(address): ClientAddress,
    Json(req): Json<VerifyRequest>,
) -> ApiResult<Json<Account>> {
    let email = normalise_email(&req.email);
    let address = address.to_string();
    let now = state.clock.now();
    // An email with no account and one already active answer alike (and
    // count against the address like a wrong code).
    let id: String = state.db.write(|tx| {
        let waiting: Option<String> = tx
            .prepare_cached("SELECT id FROM accounts WHERE email = ?1 AND verified = 0")?
            .query_row([&email], |r| r.get(0))
            .optional()?;
        // No code waits for an email without a pending account: the check
        // refuses it, counted like any wrong code.
        let verdict = check_otp(tx, &email, "verify", &req.otp, &address, now)?;
        Ok(verdict.and_then(|_| waiting.ok_or_else(no_code_waiting)))
    })??;
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
            Ok(as_if_sent(&email, now))
        }
    })?;
    Ok((StatusCode::ACCEPTED, Json(sent)))
}

/// Set a new password with the emailed OTP. Every session of the account ends.
#[utoipa::path(post, path = "/v1/accounts/password-reset/confirm", tag = "accounts", request_body = PasswordResetConfirm,
    responses((status = 204, description = "password changed; all sessions ended"), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
async fn password_reset_confirm(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Json(req): Json<PasswordResetConfirm>,
) -> ApiResult<StatusCode> {
    let email = normalise_email(&req.email);
    check_email(&email)?;
    check_password(&req.new_password, "new_password", &[&email])?;
    let (address, now) = (address.to_string(), state.clock.now());
    state
        .db
        .write(|tx| check_otp(tx, &email, "reset", &req.otp, &address, now))??;
    let hash = hash_password(req.new_password.clone()).await?;
    state.db.write(|tx| {
        tx.prepare_cached("UPDATE accounts SET password_hash = ?2 WHERE email = ?1")?.execute( params![email, hash])?;
        tx.prepare_cached("UPDATE sessions SET ended = 1 WHERE account_id = (SELECT id FROM accounts WHERE email = ?1)")?.execute( [&email])?;
        throttle::clear(tx, &throttle::LOGIN_FAILURES_PER_EMAIL, &email)?;
        Ok(())
    })?;
    Ok(StatusCode::NO_CONTENT)
}

/// Delete the account and every personal record the mock holds of it:
/// applicants, applications, documents, sessions and emails. Held places are
/// released. Asks for the password again (a wrong one counts like a wrong
/// login).
#[utoipa::path(delete, path = "/v1/accounts/current", tag = "accounts", security(("bearer" = [])),
    request_body = DeleteAccountRequest,
    responses((status = 204, description = "deleted"), (status = 401, body = ErrorBody),
              (status = 403, description = "invalid_credentials: the password is wrong", body = ErrorBody)))]
async fn delete_account(
    State(state): State<AppState>,
    caller: Caller,
    Json(req): Json<DeleteAccountRequest>,
) -> ApiResult<StatusCode> {
    let now = state.clock.now();
    let (email, hash): (String, String) = state.db.write(|tx| {
        let found: (String, String) = tx
            .prepare_cached("SELECT email, password_hash FROM accounts WHERE id = ?1")?
            .query_row([&caller.account_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        throttle::check(tx, &throttle::LOGIN_FAILURES_PER_EMAIL, &found.0, now)?;
        Ok(found)
    })?;
    let matches = req.password.len() <= 128 && password_matches(req.password, Some(hash)).await?;
    if !matches {
        state
            .db
            .write(|tx| throttle::count(tx, &throttle::LOGIN_FAILURES_PER_EMAIL, &email, now))?;
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            ErrorCode::InvalidCredentials,
            "the password is wrong; the account was not deleted",
        )
        .field("password"));
    }
    state.db.write(|tx| {
        let held: Vec<(String, String)> = {
            let mut q = tx.prepare_cached("SELECT id, state FROM applications WHERE account_id = ?1 AND slot_id IS NOT NULL")?;
            q.query_map([&caller.account_id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?
        };
        for (id, st) in held {
            if st.parse::<ApplicationState>().is_ok_and(|s| s.is_active()) {
                release_place(tx, &id, now)?;
            }
        }
        tx.prepare_cached("DELETE FROM treasury WHERE application_id IN (SELECT id FROM applications WHERE account_id = ?1)")?.execute( [&caller.account_id])?;
        tx.prepare_cached("DELETE FROM accounts WHERE id = ?1")?.execute( [&caller.account_id])?;
        tx.prepare_cached("DELETE FROM outbox WHERE to_email = ?1")?.execute( [&email])?;
        tx.prepare_cached("DELETE FROM otps WHERE email = ?1")?.execute( [&email])?;
        throttle::clear(tx, &throttle::LOGIN_FAILURES_PER_EMAIL, &email)?;
        tx.prepare_cached("DELETE FROM idempotency WHERE scope = ?1")?.execute( [&caller.account_id])?;
        Ok(())
    })?;
    // The zeroed pages leave the write-ahead log too.
    state.db.checkpoint()?;
    Ok(StatusCode::NO_CONTENT)
}

/// The language the account's emails are written in from now on.
#[utoipa::path(put, path = "/v1/accounts/current/language", tag = "accounts", security(("bearer" = [])),
    request_body = LanguageRequest,
    responses((status = 200, body = Account), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_language(
    State(state): State<AppState>,
    caller: Caller,
    Json(req): Json<LanguageRequest>,
) -> ApiResult<Json<Account>> {
    Ok(Json(state.db.write(|tx| {
        tx.prepare_cached("UPDATE accounts SET language = ?2 WHERE id = ?1")?
            .execute(params![caller.account_id, req.language.as_str()])?;
        sessions::load_account(tx, &caller.account_id)
    })?))
}
