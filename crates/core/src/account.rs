//! Leaving: signing out (the server is told when it can be; the tokens leave
//! the keystore either way), forgetting what this phone holds, and deleting
//! the account.

use crate::ApiError;
use crate::error::StoreError;
use crate::sync::Engine;

/// Why deleting the account did not finish.
#[derive(Debug, thiserror::Error)]
pub enum LeaveError {
    /// The server must answer before anything here is deleted.
    #[error(transparent)]
    Server(#[from] ApiError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl LeaveError {
    /// The translation key of the message the app shows.
    pub fn key(&self) -> String {
        match self {
            LeaveError::Server(e) => e.key(),
            LeaveError::Store(e) => e.key().to_owned(),
        }
    }
}

impl Engine {
    /// Ends the session and, with `forget`, deletes everything this phone
    /// holds of the applicant (the preferences stay).
    pub async fn sign_out(&self, forget: bool) -> Result<(), StoreError> {
        if let Err(e) = self.api().logout().await {
            tracing::info!("the server was not told of the sign-out: {e}");
        }
        if forget {
            self.store().forget_everything()?;
        }
        Ok(())
    }

    /// Deletes the account on the server (which must answer), then
    /// everything here.
    pub async fn delete_account(&self) -> Result<(), LeaveError> {
        self.api().delete_account().await?;
        self.store().forget_everything()?;
        Ok(())
    }
}
