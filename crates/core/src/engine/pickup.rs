//! Collecting the passport: the office it waits at, and the power of
//! attorney (surat kuasa) for someone who is not on the applicant's family
//! card, made from what the phone keeps and what the applicant typed.

use crate::attorney::{Party, PowerOfAttorney};
use crate::engine::Engine;
use crate::error::Error;
use mpaspor_domain::api::Office;
use mpaspor_domain::{ApplicationId, Nik, OfficeZone};

fn refused(key: &'static str, detail: &str) -> Error {
    Error::Phone {
        key,
        detail: detail.to_owned(),
    }
}

impl Engine {
    /// An office as the kept list has it (name, address, city).
    pub fn kept_office(&self, id: &str) -> Option<Office> {
        self.kept_offices()?.into_iter().find(|o| o.id == id)
    }

    /// The letter for `proxy` to collect application `id`'s passport, as PDF
    /// bytes: the applicant's data from the kept application, signed today
    /// (the server's clock, the office's zone) in the office's city. Refused
    /// with a message key when the proxy's name, NIK or address is missing.
    pub fn power_of_attorney(
        &self,
        id: &ApplicationId,
        proxy: Party,
        relationship: &str,
    ) -> Result<Vec<u8>, Error> {
        let app = self
            .application(id)?
            .ok_or_else(|| refused("attorney-unknown", "no such application here"))?
            .app;
        let zone = app.appointment.as_ref().map_or(OfficeZone::Wib, |a| a.zone);
        let today = zone.local_date(self.server_now());
        let proxy = Party {
            name: proxy.name.trim().to_owned(),
            nik: proxy.nik.trim().to_owned(),
            born: proxy.born.trim().to_owned(),
            address: proxy.address.trim().to_owned(),
        };
        if proxy.name.is_empty() {
            return Err(refused("attorney-name", "the collector's name is missing"));
        }
        if Nik::parse(&proxy.nik, today).is_err() {
            return Err(refused(
                "attorney-nik",
                "the collector's NIK is not a valid NIK",
            ));
        }
        if proxy.address.is_empty() {
            return Err(refused(
                "attorney-address",
                "the collector's address is missing",
            ));
        }
        let p = &app.draft.personal;
        let born = match (&p.birth_place, p.birth_date) {
            (Some(place), Some(date)) => format!("{place}, {}", date.strftime("%d-%m-%Y")),
            (None, Some(date)) => date.strftime("%d-%m-%Y").to_string(),
            (Some(place), None) => place.clone(),
            (None, None) => String::new(),
        };
        let office = app
            .draft
            .office_id
            .as_deref()
            .and_then(|o| self.kept_office(o));
        let letter = PowerOfAttorney {
            grantor: Party {
                name: p.full_name.clone().unwrap_or_default(),
                nik: p.nik.clone().unwrap_or_default(),
                born,
                address: p.address.clone().unwrap_or_default(),
            },
            proxy,
            relationship: relationship.trim().to_owned(),
            office: office
                .as_ref()
                .map(|o| o.name.clone())
                .or_else(|| app.draft.office_id.as_ref().map(|o| o.to_string()))
                .unwrap_or_default(),
            application_id: app.id.to_string(),
            place: office.map(|o| o.city).unwrap_or_default(),
            date: today,
        };
        Ok(letter.pdf())
    }
}
