//! The mock's tester routes the app uses in mock mode, typed by the domain's
//! tester bodies: the OTP the mock "emailed", its bank, its sample people.
//! They answer only where the mock serves them (never on a real server), and
//! only to the tester token the mock was started with.

use super::{Api, ApiError, Call};
use mpaspor_domain::api::{Citizen, OutboxEmail, Page, TesterPayment, TesterPaymentRequest};
use mpaspor_domain::ids::{BillingCode, Ntpn};
use reqwest::Method;

/// The tester routes of the server `Api` talks to, with their token.
#[derive(Clone)]
pub struct Tester {
    api: Api,
    token: String,
}

impl Api {
    pub fn tester(&self, token: String) -> Tester {
        Tester {
            api: self.clone(),
            token,
        }
    }
}

impl Tester {
    /// The newest OTP the mock "emailed" to `email`, if any.
    pub async fn last_otp(&self, email: &str) -> Result<Option<String>, ApiError> {
        let call = Call::new(Method::GET, "/tester/outbox")
            .tester_call(&self.token)
            .query("email", email);
        let page: Page<OutboxEmail> = self.api.json(call).await?;
        Ok(page.items.into_iter().find_map(|mail| mail.otp))
    }

    /// Pays a billing code as a bank would; with `notify` false the
    /// immigration side is not told ("paid but still pending"). Answers the
    /// NTPN printed on the bank's receipt.
    pub async fn pay(&self, billing_code: &BillingCode, notify: bool) -> Result<Ntpn, ApiError> {
        let req = TesterPaymentRequest {
            billing_code: billing_code.clone(),
            notify,
            channel: Some("mock bank".into()),
        };
        let call = Call::new(Method::POST, "/tester/payments")
            .tester_call(&self.token)
            .json(&req);
        let paid: TesterPayment = self.api.json(call).await?;
        Ok(paid.ntpn)
    }

    /// The registry's named sample people.
    pub async fn samples(&self) -> Result<Vec<Citizen>, ApiError> {
        let call = Call::new(Method::GET, "/tester/citizens/samples").tester_call(&self.token);
        self.api.json(call).await
    }
}
