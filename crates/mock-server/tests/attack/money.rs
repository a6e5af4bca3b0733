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

/// Proofs never expired and could not be revoked: after a reschedule or a
/// cancel the old QR still verified, and it carried the full name and the
/// NTPN in clear.
#[tokio::test]
async fn a_proof_stands_only_for_its_appointment_and_says_nothing_personal() {
    use base64::Engine as _;
    let mock = Mock::start().await;
    let (budi, siti) = (sample("Budi Santoso"), sample("Siti Rahayu"));
    let api = mock.account_for(&budi).await;
    let office = "kanim-jakarta-selatan";
    let m = &mock;
    let paid = move |api: Client, person: mpaspor_domain::api::Citizen, nth: usize| {
        let mock = m;
        async move {
            let id = api.ready_draft(&person, office).await;
            let slot = api.free_slot(office, nth).await;
            let code = api.submit(&id, &slot).await.created()["payment"]["billing_code"].clone();
            mock.tester()
                .post("/tester/payments", json!({"billing_code": code}))
                .await
                .created();
            id
        }
    };
    let check = move |payload: serde_json::Value| async move {
        m.anon()
            .post("/v1/proofs/verify", json!({ "qr_payload": payload }))
            .await
            .ok()["verdict"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let id = paid(api.clone(), budi.clone(), 0).await;
    let first = api
        .get(&format!("/v1/applications/{id}/receipt"))
        .await
        .ok();
    assert_eq!(check(first["qr_payload"].clone()).await, "valid");
    // The QR's signed part names the application and the appointment only.
    let payload = first["qr_payload"].as_str().unwrap();
    let body = payload.split('.').nth(1).unwrap();
    let claim = String::from_utf8(
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(body)
            .unwrap(),
    )
    .unwrap();
    let ntpn = first["details"]["ntpn"].as_str().unwrap();
    for personal in [budi.full_name.as_str(), budi.nik.as_str(), ntpn, "0001"] {
        assert!(!claim.contains(personal), "{personal} in {claim}");
    }
    // Rescheduled: the old proof is superseded, the new one stands.
    let later = api.free_slot(office, 3).await;
    api.post(
        &format!("/v1/applications/{id}/reschedule"),
        json!({ "slot_id": later }),
    )
    .await
    .ok();
    assert_eq!(check(first["qr_payload"].clone()).await, "superseded");
    let second = api
        .get(&format!("/v1/applications/{id}/receipt"))
        .await
        .ok();
    assert_eq!(check(second["qr_payload"].clone()).await, "valid");
    // Past its appointment, it is no use.
    let until: jiff::Timestamp = second["details"]["valid_until"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let wait = until
        .duration_since(mock.server.state.clock.now())
        .as_secs()
        + 60;
    // Cancelled (fee forfeited): the proof says so.
    let hers = mock.account_for(&siti).await;
    let other = paid(hers.clone(), siti.clone(), 1).await;
    let theirs = hers
        .get(&format!("/v1/applications/{other}/receipt"))
        .await
        .ok();
    hers.post(
        &format!("/v1/applications/{other}/cancel"),
        json!({"accept_forfeit": true}),
    )
    .await
    .ok();
    assert_eq!(check(theirs["qr_payload"].clone()).await, "cancelled");
    mock.tester()
        .post("/tester/clock", json!({ "advance_seconds": wait }))
        .await
        .ok();
    assert_eq!(check(second["qr_payload"].clone()).await, "expired");
    // Not the server's: invalid.
    let forged = format!("{}x", second["qr_payload"].as_str().unwrap());
    assert_eq!(check(json!(forged)).await, "invalid");
    assert_eq!(check(json!("MPASPOR1.e30.AAAA")).await, "invalid");
}
