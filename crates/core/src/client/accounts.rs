//! The account routes: register with an email OTP, log in and out, reset a
//! forgotten password, delete the account.

use super::{Api, ApiError, Call};
use mpaspor_domain::Language;
use mpaspor_domain::api::*;
use reqwest::Method;

impl Api {
    pub async fn register(&self, req: &RegisterRequest) -> Result<OtpSent, ApiError> {
        self.json(
            Call::new(Method::POST, "/v1/accounts")
                .anonymous()
                .json(req),
        )
        .await
    }

    /// The language the account's emails are written in from now on.
    pub async fn set_language(&self, language: Language) -> Result<Account, ApiError> {
        self.json(
            Call::new(Method::PUT, "/v1/accounts/current/language")
                .json(&LanguageRequest { language }),
        )
        .await
    }

    pub async fn verify(&self, email: &str, otp: &str) -> Result<Account, ApiError> {
        let req = VerifyRequest {
            email: email.into(),
            otp: otp.into(),
        };
        self.json(
            Call::new(Method::POST, "/v1/accounts/verify")
                .anonymous()
                .json(&req),
        )
        .await
    }

    pub async fn resend_otp(&self, email: &str) -> Result<OtpSent, ApiError> {
        let req = EmailRequest {
            email: email.into(),
        };
        self.json(
            Call::new(Method::POST, "/v1/accounts/otp")
                .anonymous()
                .json(&req),
        )
        .await
    }

    pub async fn password_reset(&self, email: &str) -> Result<OtpSent, ApiError> {
        let req = EmailRequest {
            email: email.into(),
        };
        self.json(
            Call::new(Method::POST, "/v1/accounts/password-reset")
                .anonymous()
                .json(&req),
        )
        .await
    }

    pub async fn password_reset_confirm(&self, req: &PasswordResetConfirm) -> Result<(), ApiError> {
        self.send(
            Call::new(Method::POST, "/v1/accounts/password-reset/confirm")
                .anonymous()
                .json(req),
        )
        .await?;
        self.keep_session(None)
    }

    /// Deletes the account on the server (with the password again), then
    /// forgets the session here.
    pub async fn delete_account(&self, password: &str) -> Result<(), ApiError> {
        let req = DeleteAccountRequest {
            password: password.into(),
        };
        self.send(Call::new(Method::DELETE, "/v1/accounts/current").json(&req))
            .await?;
        self.keep_session(None)
    }

    /// Logs in and keeps the session (tokens in the keystore only).
    pub async fn login(&self, email: &str, password: &str) -> Result<Session, ApiError> {
        let req = LoginRequest {
            email: email.into(),
            password: password.into(),
        };
        let session: Session = self
            .json(
                Call::new(Method::POST, "/v1/sessions")
                    .anonymous()
                    .json(&req),
            )
            .await?;
        self.keep_session(Some(session.clone()))?;
        Ok(session)
    }

    /// Ends the session on the server (if it can be reached) and here (always).
    pub async fn logout(&self) -> Result<(), ApiError> {
        let told = match self.session() {
            Some(_) => self
                .send(Call::new(Method::DELETE, "/v1/sessions/current"))
                .await
                .map(|_| ()),
            None => Ok(()),
        };
        self.keep_session(None)?;
        match told {
            Err(ApiError::NotLoggedIn) => Ok(()),
            other => other,
        }
    }
}
