//! The account: registering with an email OTP, logging in, a forgotten
//! password; and leaving: signing out (the server is told when it can be;
//! the tokens leave the keystore either way), forgetting what this phone
//! holds, and deleting the account.

use crate::client::Tester;
use crate::engine::Engine;
use crate::error::Error;
use jiff::Timestamp;
use mpaspor_domain::api::{Account, OtpSent, PasswordResetConfirm, RegisterRequest, Session};

impl Engine {
    /// Opens an account; the server emails an OTP to confirm the address.
    pub async fn register(&self, req: &RegisterRequest) -> Result<OtpSent, Error> {
        Ok(self.api().register(req).await?)
    }

    pub async fn verify(&self, email: &str, otp: &str) -> Result<Account, Error> {
        Ok(self.api().verify(email, otp).await?)
    }

    pub async fn resend_otp(&self, email: &str) -> Result<OtpSent, Error> {
        Ok(self.api().resend_otp(email).await?)
    }

    /// Logs in; sync starts at once (the people and applications come down).
    pub async fn login(&self, email: &str, password: &str) -> Result<Session, Error> {
        let session = self.api().login(email, password).await?;
        self.store().note_signed_in(self.server_now())?;
        self.nudge();
        Ok(session)
    }

    /// The session in the keystore, if the applicant is logged in.
    pub fn session(&self) -> Option<Session> {
        self.api().session()
    }

    /// Emails an OTP to set a new password.
    pub async fn password_reset(&self, email: &str) -> Result<OtpSent, Error> {
        Ok(self.api().password_reset(email).await?)
    }

    pub async fn password_reset_confirm(&self, req: &PasswordResetConfirm) -> Result<(), Error> {
        Ok(self.api().password_reset_confirm(req).await?)
    }

    /// Now by the server's clock (deadlines, ages and "today" follow it, not the phone's).
    pub fn server_now(&self) -> Timestamp {
        self.api().server_now()
    }

    /// The mock's tester routes, for mock mode (they answer nowhere else),
    /// with the token the bundled mock was started with.
    pub fn tester(&self, token: String) -> Tester {
        self.api().tester(token)
    }

    /// Ends the session and, with `forget`, deletes everything this phone
    /// holds of the applicant (the preferences stay).
    pub async fn sign_out(&self, forget: bool) -> Result<(), Error> {
        if let Err(e) = self.api().logout().await {
            tracing::info!("the server was not told of the sign-out: {e}");
        }
        if forget {
            self.store().forget_everything()?;
        }
        Ok(())
    }

    /// Deletes the account on the server (which must answer, and asks for
    /// the password again), then everything here.
    pub async fn delete_account(&self, password: &str) -> Result<(), Error> {
        self.api().delete_account(password).await?;
        self.store().forget_everything()?;
        Ok(())
    }
}
