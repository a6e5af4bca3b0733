//! Whom an account files for: any account could add a stranger as an
//! applicant and read the passports issued to them, and submit under a
//! stranger's NIK, name and birth date (blocking that person's own
//! application, and holding places under four identities at once).

use super::super::support::*;
use serde_json::json;

fn applicant_body(person: &mpaspor_domain::api::Citizen, nik: bool) -> serde_json::Value {
    let mut body = json!({"full_name": person.full_name, "relationship": "sibling",
        "birth_date": person.birth_date, "sex": person.sex, "marital_status": person.marital_status});
    if nik {
        body["nik"] = json!(person.nik);
    }
    body
}

#[tokio::test]
async fn an_account_files_only_for_its_holder_and_the_people_on_the_holders_family_card() {
    let mock = Mock::start().await;
    let (budi, siti, dewi) = (
        sample("Budi Santoso"),
        sample("Siti Rahayu"),
        sample("Dewi Lestari"),
    );
    let api = mock.account_for(&budi).await;
    // Siti is on Budi's family card; Dewi, with her expired passport, is not.
    api.post("/v1/applicants", applicant_body(&siti, true))
        .await
        .created();
    api.post("/v1/applicants", applicant_body(&dewi, true))
        .await
        .error(422, "not_on_family_card");
    // Without a NIK she may be kept as a contact, but her passports stay hers.
    let dewi_id = api
        .post("/v1/applicants", applicant_body(&dewi, false))
        .await
        .created()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let passports = api
        .get(&format!("/v1/applicants/{dewi_id}/travel-documents"))
        .await
        .ok();
    assert_eq!(passports["total"], 0);
    // Nor can the holder become her: the holder's NIK is the account's own.
    let holder = api.holder_id().await;
    api.put(
        &format!("/v1/applicants/{holder}"),
        json!({"full_name": dewi.full_name, "relationship": "holder", "birth_date": dewi.birth_date,
            "sex": dewi.sex, "marital_status": dewi.marital_status, "nik": dewi.nik}),
        Some(2),
    )
    .await
    .error(422, "identity_invalid");
    // And no application goes in under her identity.
    let draft = api
        .draft_with(&dewi, "kanim-jakarta-selatan", &dewi_id)
        .await;
    let id = draft["id"].as_str().unwrap();
    api.upload_required(id).await;
    let slot = api.free_slot("kanim-jakarta-selatan", 0).await;
    api.submit(id, &slot).await.error(422, "not_on_family_card");
    // Her own account files for her.
    let hers = mock.account_for(&dewi).await;
    let own = hers.ready_draft(&dewi, "kanim-jakarta-selatan").await;
    hers.submit(&own, &slot).await.created();
    super::no_server_error(&mock).await;
}

#[tokio::test]
async fn an_account_holds_at_most_one_unpaid_place_per_applicant() {
    let mock = Mock::start().await;
    let (budi, siti) = (sample("Budi Santoso"), sample("Siti Rahayu"));
    let api = mock.account_for(&budi).await;
    let holder = api.holder_id().await;
    let office = "kanim-jakarta-selatan";
    let slot = api.free_slot(office, 0).await;
    // Two drafts under the holder alone: Budi's, and one for his wife.
    let mine = api.ready_draft(&budi, office).await;
    let hers = api.draft_with(&siti, office, &holder).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    api.upload_required(&hers).await;
    api.submit(&mine, &slot).await.created();
    api.submit(&hers, &slot).await.error(409, "applicant_limit");
    // Once she is one of the account's applicants, a second place is fine.
    api.post("/v1/applicants", applicant_body(&siti, true))
        .await
        .created();
    api.submit(&hers, &slot).await.created();
}
