//! Money the phone could talk the server out of: the applicant's own
//! "force majeure" tick waived the lost-passport charge (Rp1.950.000 became
//! Rp950.000). Nothing is waived on the applicant's word now: the claim
//! needs the local authority's letter among the documents.

use super::super::support::*;
use serde_json::json;

#[tokio::test]
async fn a_force_majeure_claim_waives_nothing_without_its_letter() {
    let mock = Mock::start().await;
    let budi = sample("Budi Santoso");
    let api = mock.account_for(&budi).await;
    let office = "kanim-jakarta-selatan";
    let mut amounts = Vec::new();
    for with_letter in [false, true] {
        let mut draft = api.draft_for(&budi, office).await;
        let id = draft["id"].as_str().unwrap().to_owned();
        draft["draft"]["replacement"] =
            json!({"reason": "lost", "old_passport_number": null, "force_majeure": true});
        api.put(
            &format!("/v1/applications/{id}"),
            draft["draft"].clone(),
            draft["version"].as_u64(),
        )
        .await
        .ok();
        api.upload_required(&id).await;
        let mut kinds = vec!["police_report"];
        if with_letter {
            kinds.push("disaster_letter");
        }
        for kind in kinds {
            api.put_bytes(
                &format!("/v1/applications/{id}/documents/{kind}"),
                jpeg(96, 64),
            )
            .await
            .ok();
        }
        let slot = api.free_slot(office, 0).await;
        let submitted = api.submit(&id, &slot).await.created();
        amounts.push(submitted["payment"]["amount"].as_u64().unwrap());
        api.post(
            &format!("/v1/applications/{id}/cancel"),
            json!({"accept_forfeit": false}),
        )
        .await
        .ok();
    }
    // The passport's Rp950.000 plus the Rp1.000.000 for a lost one, unless
    // the letter is there.
    assert_eq!(amounts, vec![1_950_000, 950_000]);
}
