//! Whom an account may file for, as the real service works: its holder (the
//! registry's person with the account's own name and birth date) and the
//! people on the holder's family card (KK). Anyone else is refused with
//! `not_on_family_card`, so an account can neither read a stranger's
//! passports nor hold places under strangers' identities.

use crate::error::{ApiError, ApiResult};
use crate::model::identity::citizen;
use crate::model::sessions::load_account;
use crate::registry::{family_card_of, same_name};
use mpaspor_domain::api::{Applicant, Citizen, ErrorCode, Relationship};
use rusqlite::{Connection, OptionalExtension};

/// The registry's person for `nik`, when it is the account holder: the
/// same name and birth date the account was registered with.
fn as_holder(tx: &Connection, account_id: &str, nik: &str) -> ApiResult<Option<Citizen>> {
    let account = load_account(tx, account_id)?;
    Ok(citizen(tx, nik.trim())?.filter(|person| {
        person.birth_date == account.birth_date && same_name(&person.full_name, &account.full_name)
    }))
}

/// The holder's family card, once the holder's record carries their NIK.
fn holder_card(tx: &Connection, account_id: &str) -> ApiResult<Option<String>> {
    let bodies: Vec<String> = {
        let mut q = tx.prepare_cached("SELECT body FROM applicants WHERE account_id = ?1")?;
        q.query_map([account_id], |r| r.get(0))?
            .collect::<Result<_, _>>()?
    };
    for body in bodies {
        let input: mpaspor_domain::api::ApplicantInput = serde_json::from_str(&body)?;
        if input.relationship == Relationship::Holder
            && let Some(nik) = input.nik
        {
            return Ok(as_holder(tx, account_id, &nik)?.map(|p| family_card_of(&p)));
        }
    }
    Ok(None)
}

fn not_on_card(field: &str) -> ApiError {
    ApiError::unprocessable(
        ErrorCode::NotOnFamilyCard,
        "an account files for its holder and the people on the holder's family card (KK) only",
    )
    .field(field)
}

/// Refuses a NIK this account may not file for (`field` names where it was given).
pub fn check_may_file_for(
    tx: &Connection,
    account_id: &str,
    nik: &str,
    field: &str,
) -> ApiResult<()> {
    if as_holder(tx, account_id, nik)?.is_some() {
        return Ok(());
    }
    let card = holder_card(tx, account_id)?;
    let theirs = citizen(tx, nik.trim())?.map(|p| family_card_of(&p));
    match (card, theirs) {
        (Some(card), Some(theirs)) if card == theirs => Ok(()),
        _ => Err(not_on_card(field)),
    }
}

/// Checks the NIK an applicant record is given: the holder's must be the
/// holder's own (the registry's person with the account's name and birth
/// date); anyone else's must be on the holder's family card.
pub fn check_applicant_nik(
    tx: &Connection,
    account_id: &str,
    input: &mpaspor_domain::api::ApplicantInput,
) -> ApiResult<()> {
    let Some(nik) = input.nik.as_deref() else {
        return Ok(());
    };
    if input.relationship == Relationship::Holder {
        return match as_holder(tx, account_id, nik)? {
            Some(_) => Ok(()),
            None => Err(ApiError::unprocessable(
                ErrorCode::IdentityInvalid,
                "the registry has no person with this NIK and the account's name and birth date",
            )
            .field("nik")),
        };
    }
    check_may_file_for(tx, account_id, nik, "nik")
}

/// An applicant's passports, only when this account may file for them.
pub fn may_read(tx: &Connection, account_id: &str, applicant: &Applicant) -> ApiResult<bool> {
    let Some(nik) = applicant.input.nik.as_deref() else {
        return Ok(false);
    };
    Ok(check_may_file_for(tx, account_id, nik, "nik").is_ok())
}

/// How many places this account holds unpaid: at most one per applicant.
pub fn check_unpaid_places(tx: &Connection, account_id: &str) -> ApiResult<()> {
    let (unpaid, applicants): (i64, i64) = tx
        .prepare_cached(
            "SELECT (SELECT count(*) FROM applications WHERE account_id = ?1 AND state = 'awaiting_payment'),
                    (SELECT count(*) FROM applicants WHERE account_id = ?1)",
        )?
        .query_row([account_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .unwrap_or((0, 0));
    if unpaid >= applicants {
        return Err(ApiError::conflict(
            ErrorCode::ApplicantLimit,
            "this account already holds an unpaid place for each of its applicants; pay or cancel one first",
        ));
    }
    Ok(())
}
