//! Accounts: register with an emailed OTP, reset a password, delete
//! everything.

use crate::clock::secs;
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::ids::new_id;
use crate::model::bookings::release_place;
use crate::model::otps::{OTP_COOLDOWN, OTP_TTL, check_otp, issue_otp};
use crate::model::people::{
    check_email, check_name, check_password, check_phone, hash_password, normalise_email,
};
use crate::model::sessions::{self, Caller};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use mpaspor_domain::api::{
    Account, ApplicantInput, EmailRequest, ErrorBody, ErrorCode, OtpSent, PasswordResetConfirm,
    RegisterRequest, Relationship, VerifyRequest,
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
    state
        .db
        .write(|tx| check_otp(tx, &email, "verify", &req.otp, state.clock.now()))??;
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
    state
        .db
        .write(|tx| check_otp(tx, &email, "reset", &req.otp, state.clock.now()))??;
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
