//! One typed call per route of `shared/api.md`.

use super::{Api, ApiError, Body, Call, Progress};
use bytes::Bytes;
use jiff::civil::Date;
use mpaspor_domain::api::*;
use mpaspor_domain::choice::PassportType;
use mpaspor_domain::eligibility::DocumentKind;
use mpaspor_domain::fees::FeeTable;
use reqwest::Method;

/// Follows `next_offset` from the first page to the last, the largest pages the API gives.
async fn every_page<T, F, Fut>(mut fetch: F) -> Result<Vec<T>, ApiError>
where
    F: FnMut(PageQuery) -> Fut,
    Fut: std::future::Future<Output = Result<Page<T>, ApiError>>,
{
    let mut all = Vec::new();
    let mut p = PageQuery {
        offset: 0,
        limit: PageQuery::MAX_LIMIT,
    };
    loop {
        let got = fetch(p).await?;
        all.extend(got.items);
        match got.next_offset {
            Some(next) => p.offset = next,
            None => return Ok(all),
        }
    }
}

fn page(call: Call<'_>, page: PageQuery) -> Call<'_> {
    call.query("offset", page.offset).query("limit", page.limit)
}

impl Api {
    // Reference data.

    pub async fn offices(&self, q: &OfficeQuery, p: PageQuery) -> Result<Page<Office>, ApiError> {
        let mut call = Call::new(Method::GET, "/v1/offices").anonymous();
        if let Some(near) = &q.near {
            call = call.query("near", near);
        }
        if let Some(text) = &q.q {
            call = call.query("q", text);
        }
        if let Some(t) = q.passport_type {
            call = call.query("passport_type", t.as_str());
        }
        self.json(page(call, p)).await
    }

    pub async fn office_slots(
        &self,
        office: &str,
        from: Option<Date>,
        days: Option<u32>,
    ) -> Result<OfficeSlots, ApiError> {
        self.office_slots_for(office, from, days, None).await
    }

    /// An office's windows with the quota of one passport type.
    pub async fn office_slots_for(
        &self,
        office: &str,
        from: Option<Date>,
        days: Option<u32>,
        passport_type: Option<PassportType>,
    ) -> Result<OfficeSlots, ApiError> {
        let mut call = Call::new(Method::GET, format!("/v1/offices/{office}/slots")).anonymous();
        if let Some(t) = passport_type {
            call = call.query("passport_type", t.as_str());
        }
        if let Some(from) = from {
            call = call.query("from", from);
        }
        if let Some(days) = days {
            call = call.query("days", days);
        }
        self.json(call).await
    }

    /// The earliest free windows across the offices nearest `near` (`lat,lon`).
    /// The walk-in days of the offices nearest `near` for the next `days` days.
    pub async fn walk_ins(&self, near: &str, days: u32) -> Result<Page<WalkInDay>, ApiError> {
        let call = Call::new(Method::GET, "/v1/walk-ins")
            .anonymous()
            .query("near", near)
            .query("days", days)
            .query("limit", 100);
        self.json(call).await
    }

    pub async fn earliest_slots(
        &self,
        near: &str,
        passport_type: Option<PassportType>,
        p: PageQuery,
    ) -> Result<Page<EarliestSlot>, ApiError> {
        let mut call = Call::new(Method::GET, "/v1/slots/earliest")
            .anonymous()
            .query("near", near);
        if let Some(t) = passport_type {
            call = call.query("passport_type", t.as_str());
        }
        self.json(page(call, p)).await
    }

    pub async fn fees(&self) -> Result<FeeTable, ApiError> {
        self.json(Call::new(Method::GET, "/v1/fees").anonymous())
            .await
    }

    pub async fn places(&self, q: &str, p: PageQuery) -> Result<Page<Place>, ApiError> {
        let call = Call::new(Method::GET, "/v1/places")
            .anonymous()
            .query("q", q);
        self.json(page(call, p)).await
    }

    /// The live Dukcapil check. It only reads, so it may be retried.
    pub async fn nik_check(&self, req: &NikCheckRequest) -> Result<NikCheckResponse, ApiError> {
        self.json(
            Call::new(Method::POST, "/v1/identity/nik-check")
                .json(req)
                .read_only(),
        )
        .await
    }

    pub async fn receipt_key(&self) -> Result<ReceiptKey, ApiError> {
        self.json(Call::new(Method::GET, "/v1/receipt-key").anonymous())
            .await
    }

    // Applicants.

    pub async fn applicants(&self, p: PageQuery) -> Result<Page<Applicant>, ApiError> {
        self.json(page(Call::new(Method::GET, "/v1/applicants"), p))
            .await
    }

    pub async fn create_applicant(
        &self,
        input: &ApplicantInput,
        key: &str,
    ) -> Result<Applicant, ApiError> {
        self.json(
            Call::new(Method::POST, "/v1/applicants")
                .json(input)
                .key(key),
        )
        .await
    }

    pub async fn update_applicant(
        &self,
        id: &str,
        version: u64,
        input: &ApplicantInput,
    ) -> Result<Applicant, ApiError> {
        self.json(
            Call::new(Method::PUT, format!("/v1/applicants/{id}"))
                .json(input)
                .if_match(version),
        )
        .await
    }

    pub async fn delete_applicant(&self, id: &str) -> Result<(), ApiError> {
        self.send(Call::new(Method::DELETE, format!("/v1/applicants/{id}")))
            .await
            .map(|_| ())
    }

    pub async fn travel_documents(
        &self,
        applicant: &str,
        p: PageQuery,
    ) -> Result<Page<TravelDocument>, ApiError> {
        let call = Call::new(
            Method::GET,
            format!("/v1/applicants/{applicant}/travel-documents"),
        );
        self.json(page(call, p)).await
    }

    /// Every passport issued to this applicant, all pages.
    pub async fn all_travel_documents(
        &self,
        applicant: &str,
    ) -> Result<Vec<TravelDocument>, ApiError> {
        every_page(|p| self.travel_documents(applicant, p)).await
    }

    // Applications.

    pub async fn applications(&self, p: PageQuery) -> Result<Page<Application>, ApiError> {
        self.json(page(Call::new(Method::GET, "/v1/applications"), p))
            .await
    }

    /// Every application of the account, all pages.
    pub async fn all_applications(&self) -> Result<Vec<Application>, ApiError> {
        every_page(|p| self.applications(p)).await
    }

    /// Every applicant of the account, all pages.
    pub async fn all_applicants(&self) -> Result<Vec<Applicant>, ApiError> {
        every_page(|p| self.applicants(p)).await
    }

    /// Every office, all pages.
    pub async fn all_offices(&self) -> Result<Vec<Office>, ApiError> {
        let all = OfficeQuery::default();
        every_page(|p| self.offices(&all, p)).await
    }

    pub async fn application(&self, id: &str) -> Result<Application, ApiError> {
        self.json(Call::new(Method::GET, format!("/v1/applications/{id}")))
            .await
    }

    pub async fn create_application(
        &self,
        draft: &ApplicationDraft,
        key: &str,
    ) -> Result<Application, ApiError> {
        self.json(
            Call::new(Method::POST, "/v1/applications")
                .json(draft)
                .key(key),
        )
        .await
    }

    pub async fn update_application(
        &self,
        id: &str,
        version: u64,
        draft: &ApplicationDraft,
    ) -> Result<Application, ApiError> {
        self.json(
            Call::new(Method::PUT, format!("/v1/applications/{id}"))
                .json(draft)
                .if_match(version),
        )
        .await
    }

    /// Uploads one document image, reporting (sent, total) as it goes.
    pub async fn upload_document(
        &self,
        id: &str,
        kind: DocumentKind,
        bytes: Bytes,
        media_type: &'static str,
        progress: Option<Progress>,
    ) -> Result<DocumentInfo, ApiError> {
        let mut call = Call::new(
            Method::PUT,
            format!("/v1/applications/{id}/documents/{}", kind.as_str()),
        );
        call.body = Body::Upload {
            data: bytes,
            media_type,
            progress,
        };
        self.json(call).await
    }

    pub async fn submit(
        &self,
        id: &str,
        req: &SubmitRequest,
        key: &str,
    ) -> Result<SubmitResponse, ApiError> {
        self.json(
            Call::new(Method::POST, format!("/v1/applications/{id}/submit"))
                .json(req)
                .key(key),
        )
        .await
    }

    pub async fn payment(&self, id: &str) -> Result<Payment, ApiError> {
        self.json(Call::new(
            Method::GET,
            format!("/v1/applications/{id}/payment"),
        ))
        .await
    }

    pub async fn confirm_payment(
        &self,
        id: &str,
        ntpn: &str,
        key: &str,
    ) -> Result<Payment, ApiError> {
        let req = PaymentConfirmRequest { ntpn: ntpn.into() };
        self.json(
            Call::new(
                Method::POST,
                format!("/v1/applications/{id}/payment/confirm"),
            )
            .json(&req)
            .key(key),
        )
        .await
    }

    pub async fn reschedule(
        &self,
        id: &str,
        slot_id: &str,
        key: &str,
    ) -> Result<Application, ApiError> {
        let req = RescheduleRequest {
            slot_id: slot_id.into(),
        };
        self.json(
            Call::new(Method::POST, format!("/v1/applications/{id}/reschedule"))
                .json(&req)
                .key(key),
        )
        .await
    }

    pub async fn cancel(
        &self,
        id: &str,
        accept_forfeit: bool,
        key: &str,
    ) -> Result<Application, ApiError> {
        let req = CancelRequest { accept_forfeit };
        self.json(
            Call::new(Method::POST, format!("/v1/applications/{id}/cancel"))
                .json(&req)
                .key(key),
        )
        .await
    }

    // Watches and the feed.

    pub async fn create_watch(&self, req: &WatchRequest, key: &str) -> Result<Watch, ApiError> {
        self.json(Call::new(Method::POST, "/v1/watches").json(req).key(key))
            .await
    }

    pub async fn watches(&self) -> Result<Vec<Watch>, ApiError> {
        every_page(|p| self.json(page(Call::new(Method::GET, "/v1/watches"), p))).await
    }

    pub async fn delete_watch(&self, id: &str) -> Result<(), ApiError> {
        self.send(Call::new(Method::DELETE, format!("/v1/watches/{id}")))
            .await
            .map(|_| ())
    }

    /// The account's events after `after`; the server holds the request up
    /// to `wait` when there are none.
    pub async fn events(
        &self,
        after: u64,
        wait: std::time::Duration,
    ) -> Result<FeedPage, ApiError> {
        let call = Call::new(Method::GET, "/v1/events")
            .query("after", after)
            .query("wait", wait.as_secs())
            .held_open(wait);
        self.json(call).await
    }

    pub async fn receipt(&self, id: &str) -> Result<Receipt, ApiError> {
        self.json(Call::new(
            Method::GET,
            format!("/v1/applications/{id}/receipt"),
        ))
        .await
    }
}
