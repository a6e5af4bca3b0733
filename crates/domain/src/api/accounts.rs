//! Accounts and sessions.

use crate::choice::{Language, Sex};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// `POST /v1/accounts`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub full_name: String,
    #[cfg_attr(feature = "openapi", schema(format = Email, max_length = 254))]
    pub email: String,
    /// An Indonesian mobile number: 08... or +628...
    #[cfg_attr(feature = "openapi", schema(pattern = r"^(\+62|0)8[0-9]{8,12}$"))]
    pub phone: String,
    /// 8 to 128 characters with letters and digits.
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 8,
            max_length = 128,
            pattern = r"^[A-Za-z]+[0-9]+[A-Za-z0-9]*$"
        )
    )]
    pub password: String,
    pub birth_date: Date,
    pub sex: Sex,
    /// What the account's emails are written in.
    #[serde(default)]
    pub language: Language,
}

/// `PUT /v1/accounts/current/language`: the language the account's emails
/// are written in from now on (the app sends its own when it changes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LanguageRequest {
    pub language: Language,
}

/// An OTP was emailed: when it stops working, and when another may be asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OtpSent {
    pub email: String,
    pub expires_at: Timestamp,
    pub resend_after: Timestamp,
}

/// `POST /v1/accounts/verify`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerifyRequest {
    pub email: String,
    pub otp: String,
}

/// `POST /v1/accounts/otp` and `POST /v1/accounts/password-reset`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmailRequest {
    #[cfg_attr(feature = "openapi", schema(format = Email, max_length = 254))]
    pub email: String,
}

/// `POST /v1/accounts/password-reset/confirm`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordResetConfirm {
    pub email: String,
    pub otp: String,
    pub new_password: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Account {
    pub id: String,
    pub full_name: String,
    pub email: String,
    pub phone: String,
    pub birth_date: Date,
    pub sex: Sex,
    #[serde(default)]
    pub language: Language,
    pub verified: bool,
    pub created_at: Timestamp,
}

/// `DELETE /v1/accounts/current`: the password again, so a token alone
/// (a phone left unlocked, a token copied) cannot delete the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeleteAccountRequest {
    #[cfg_attr(feature = "openapi", schema(max_length = 128))]
    pub password: String,
}

/// `POST /v1/sessions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// `POST /v1/sessions/refresh`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefreshRequest {
    pub refresh_token: String,
}

/// A logged-in session: a short-lived access token and a refresh token that rotates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Session {
    pub access_token: String,
    pub access_expires_at: Timestamp,
    pub refresh_token: String,
    pub refresh_expires_at: Timestamp,
    pub account: Account,
}
