//! The mock's tester routes the app uses in mock mode, typed by the domain's
//! tester bodies: the OTP the mock "emailed", its bank, its sample people.
//! They answer only where the mock serves them (never on a real server).

use super::{Api, ApiError, Call};
use mpaspor_domain::api::{Citizen, OutboxEmail, Page, TesterPayment, TesterPaymentRequest};
use mpaspor_domain::ids::{BillingCode, Ntpn};
use reqwest::Method;

/// The tester routes of the server `Api` talks to.
#[derive(Clone)]
pub struct Tester(Api);

impl Api {
    pub fn tester(&self) -> Tester {
        Tester(self.clone())
    }
}

impl Tester {
    /// The newest OTP the mock "emailed" to `email`, if any.
    pub async fn last_otp(&self, email: &str) -> Result<Option<String>, ApiError> {
        let call = Call::new(Method::GET, "/tester/outbox")
            .anonymous()
            .query("email", email);
        let page: Page<OutboxEmail> = self.0.json(call).await?;
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
            .anonymous()
            .json(&req);
        let paid: TesterPayment = self.0.json(call).await?;
        Ok(paid.ntpn)
    }

    /// The registry's named sample people.
    pub async fn samples(&self) -> Result<Vec<Citizen>, ApiError> {
        self.0
            .json(Call::new(Method::GET, "/tester/citizens/samples").anonymous())
            .await
    }
}
