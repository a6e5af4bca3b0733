//! The quota: each office's release schedule, the polycarbonate quota
//! beside the others, watches that tell when a place opens, and the feed.

use crate::support::*;
use mpaspor_domain::api::Citizen;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// Monday 4 January 2027, 10:00 WIB.
const MONDAY: &str = "2027-01-04T03:00:00Z";
const OFFICE: &str = "kanim-jakarta-selatan";

fn day<'a>(slots: &'a Value, date: &str) -> &'a Value {
    slots["days"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["date"] == date)
        .unwrap_or_else(|| panic!("{date} in {slots}"))
}

fn capacity_of(slots: &Value, from: &str, to: &str, passport_type: &str) -> u64 {
    slots["days"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["date"].as_str().unwrap() >= from && d["date"].as_str().unwrap() <= to)
        .flat_map(|d| d["slots"].as_array().unwrap().iter())
        .map(|s| {
            s["by_type"]
                .as_array()
                .unwrap()
                .iter()
                .find(|q| q["passport_type"] == passport_type)
                .unwrap()["capacity"]
                .as_u64()
                .unwrap()
        })
        .sum()
}

async fn set_clock(mock: &Mock, at: &str) {
    mock.tester()
        .post("/tester/clock", json!({"set": at}))
        .await
        .ok();
}

#[tokio::test]
async fn a_release_opens_exactly_its_places_at_its_time() {
    let mock = Mock::start().await;
    set_clock(&mock, MONDAY).await;
    let anon = mock.anon();
    let path = format!("/v1/offices/{OFFICE}/slots?days=30");
    let slots = anon.get(&path).await.ok();
    let release = &slots["release"];
    assert_eq!(
        release["rule"],
        json!({"every": "week", "weekday": "friday", "at": "09:00", "weeks_ahead": 2})
    );
    // Friday 8 January at 09:00 WIB opens Monday the 18th to Sunday the 24th.
    assert_eq!(release["next_at"], "2027-01-08T02:00:00Z");
    assert_eq!(release["opens_from"], "2027-01-18");
    assert_eq!(release["opens_through"], "2027-01-24");
    assert_eq!(release["open_through"], "2027-01-17");
    assert_eq!(
        day(&slots, "2027-01-15")["slots"].as_array().unwrap().len(),
        3
    );
    let closed = day(&slots, "2027-01-18");
    assert_eq!(closed["open"], true, "the office works that day");
    assert!(closed["slots"].as_array().unwrap().is_empty());
    assert_eq!(closed["opens_at"], "2027-01-08T02:00:00Z");
    assert_eq!(
        day(&slots, "2027-01-25")["opens_at"],
        "2027-01-15T02:00:00Z"
    );
    assert!(
        day(&slots, "2027-01-16").get("opens_at").is_none(),
        "a Saturday"
    );

    // A day not yet released cannot be booked, and the refusal says when it opens.
    let people = adults(1);
    let mut api = mock.account_for(&people[0]).await;
    let id = api.ready_draft(&people[0], OFFICE).await;
    let early = format!("{OFFICE}.20270118.0800");
    let refused = api.submit(&id, &early).await;
    refused.error(422, "validation_failed");
    assert!(
        refused.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("open on 2027-01-08 at 09:00 WIB"),
        "{}",
        refused.body
    );

    // A second before the release, still closed; at 09:00 exactly the week opens.
    set_clock(&mock, "2027-01-08T01:59:59Z").await;
    let before = anon.get(&path).await.ok();
    assert!(
        day(&before, "2027-01-18")["slots"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    set_clock(&mock, "2027-01-08T02:00:00Z").await;
    let after = anon.get(&path).await.ok();
    assert_eq!(after["release"]["open_through"], "2027-01-24");
    assert_eq!(after["release"]["next_at"], "2027-01-15T02:00:00Z");
    // Five working days of three windows: 60 ordinary and 6 polycarbonate places each.
    assert_eq!(
        capacity_of(&after, "2027-01-18", "2027-01-24", "biasa"),
        15 * 60
    );
    assert_eq!(
        capacity_of(
            &after,
            "2027-01-18",
            "2027-01-24",
            "elektronik_polikarbonat"
        ),
        15 * 6
    );
    assert!(
        day(&after, "2027-01-25")["slots"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    api.refresh_tokens().await;
    api.submit(&id, &early).await.created();
}

#[tokio::test]
async fn the_polycarbonate_quota_is_its_own() {
    let mock = Mock::start().await;
    set_clock(&mock, MONDAY).await;
    let people = adults(2);
    mock.one_family(&people);
    let api = mock.account_for(&people[0]).await;
    let slot = api.free_slot(OFFICE, 0).await;
    mock.leave_places(&slot, "polikarbonat", 0);

    let date = &slot[OFFICE.len() + 1..OFFICE.len() + 9];
    let date = format!("{}-{}-{}", &date[..4], &date[4..6], &date[6..]);
    let slots = api
        .get(&format!(
            "/v1/offices/{OFFICE}/slots?days=3&passport_type=elektronik_polikarbonat"
        ))
        .await
        .ok();
    let window = day(&slots, &date)["slots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == slot.as_str())
        .unwrap()
        .clone();
    assert_eq!(
        (window["capacity"].as_u64(), window["left"].as_u64()),
        (Some(6), Some(0))
    );
    assert_eq!(
        window["by_type"],
        json!([
            {"passport_type": "biasa", "capacity": 60, "left": 60},
            {"passport_type": "elektronik", "capacity": 60, "left": 60},
            {"passport_type": "elektronik_polikarbonat", "capacity": 6, "left": 0},
        ])
    );

    // The polycarbonate draft finds the window full; the electronic one books it.
    let poly = api.ready_draft(&people[0], OFFICE).await;
    let version = api.get(&format!("/v1/applications/{poly}")).await.ok()["version"].as_u64();
    let mut draft = api.get(&format!("/v1/applications/{poly}")).await.ok()["draft"].clone();
    draft["passport_type"] = json!("elektronik_polikarbonat");
    api.put(&format!("/v1/applications/{poly}"), draft, version)
        .await
        .ok();
    api.submit(&poly, &slot).await.error(409, "slot_full");
    let other = api.add_applicant(&people[1]).await;
    let id = api.draft_with(&people[1], OFFICE, &other).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    api.upload_required(&id).await;
    api.submit(&id, &slot).await.created();
    assert_eq!(api.slot_left(OFFICE, &slot).await, 59);
}

/// A draft ready to submit at the office, watched from `from` to `to`.
async fn watching(api: &Client, person: &Citizen, from: &str, to: &str) -> (String, Value) {
    let id = api.ready_draft(person, OFFICE).await;
    let watch = api
        .post(
            "/v1/watches",
            json!({"application_id": id, "offices": [OFFICE], "from": from, "to": to}),
        )
        .await
        .created();
    (id, watch)
}

#[tokio::test]
async fn two_watchers_of_one_freed_place_are_told_and_one_books_it() {
    let mock = Mock::start().await;
    set_clock(&mock, MONDAY).await;
    let people = adults(3);
    // Someone holds a place; then the office fills up.
    let holder = mock.account_for(&people[2]).await;
    let slot = holder.free_slot(OFFICE, 4).await;
    let held = holder.ready_draft(&people[2], OFFICE).await;
    holder.submit(&held, &slot).await.created();
    mock.tester()
        .post("/tester/seed", json!({"scenario": "quota_release"}))
        .await
        .ok();
    assert_eq!(holder.slot_left(OFFICE, &slot).await, 0);

    let (a, b) = (
        mock.account_for(&people[0]).await,
        mock.account_for(&people[1]).await,
    );
    let (a_draft, a_watch) = watching(&a, &people[0], "2027-01-05", "2027-01-15").await;
    let (b_draft, _) = watching(&b, &people[1], "2027-01-05", "2027-01-15").await;
    assert_eq!(a_watch["offices"], json!([OFFICE]));
    assert_eq!(a_watch["passport_type"], "elektronik");
    assert!(a_watch.get("last_match").is_none());
    // Nothing yet: a feed asked to wait answers empty after its wait.
    let quiet = a.get("/v1/events?after=0&wait=1").await.ok();
    assert_eq!(quiet, json!({"events": [], "cursor": 0}));

    // A is waiting on the feed when the holder cancels.
    let waiting = {
        let a = a.clone();
        tokio::spawn(async move {
            let asked = Instant::now();
            let page = a.get("/v1/events?after=0&wait=20").await.ok();
            (page, asked.elapsed())
        })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    holder
        .post(&format!("/v1/applications/{held}/cancel"), json!({}))
        .await
        .ok();
    let (page, took) = waiting.await.unwrap();
    assert!(took < Duration::from_secs(5), "told in {took:?}");
    let event = &page["events"][0];
    assert_eq!(event["kind"], "place_opened");
    assert_eq!(event["place_opened"]["slot_id"], slot.as_str());
    assert_eq!(event["place_opened"]["application_id"], a_draft.as_str());
    assert_eq!(event["place_opened"]["zone"], "WIB");
    assert_eq!(event["place_opened"]["left"], 1);
    assert_eq!(page["cursor"], event["seq"]);
    // B was told too, and both by email; the feed goes on from the cursor.
    let b_page = b.get("/v1/events").await.ok();
    assert_eq!(
        b_page["events"][0]["place_opened"]["slot_id"],
        slot.as_str()
    );
    let after = a
        .get(&format!("/v1/events?after={}", page["cursor"]))
        .await
        .ok();
    assert!(after["events"].as_array().unwrap().is_empty());
    for person in &people[..2] {
        let mail = mock.outbox(&format!("{}@example.com", person.nik)).await;
        assert!(
            mail.iter()
                .any(|m| m["subject"].as_str().unwrap().contains("Kuota terbuka")),
            "{mail:?}"
        );
    }
    let listed = a.get("/v1/watches").await.ok();
    assert_eq!(listed["items"][0]["last_match"]["slot_id"], slot.as_str());

    // Told is not held: both try, exactly one books it.
    let (ra, rb) = tokio::join!(a.submit(&a_draft, &slot), b.submit(&b_draft, &slot));
    let statuses = [ra.status, rb.status];
    assert!(
        statuses.contains(&201) && statuses.contains(&409),
        "{statuses:?}"
    );
    let (winner, loser) = if ra.status == 201 { (&a, &b) } else { (&b, &a) };
    assert_eq!(
        winner.get("/v1/watches").await.ok()["total"],
        0,
        "booked: the watch is done"
    );
    assert_eq!(loser.get("/v1/watches").await.ok()["total"], 1);
}

#[tokio::test]
async fn a_watch_is_only_for_the_accounts_own_people_and_a_few_each() {
    let mock = Mock::start().await;
    set_clock(&mock, MONDAY).await;
    let people = adults(2);
    let (a, b) = (
        mock.account_for(&people[0]).await,
        mock.account_for(&people[1]).await,
    );
    // A draft of A's carrying B's NIK: watching for a stranger is refused.
    let holder = a.holder_id().await;
    let stranger = a.draft_with(&people[1], OFFICE, &holder).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let body = |id: &str| json!({"application_id": id, "offices": [OFFICE], "from": "2027-01-05", "to": "2027-01-20"});
    a.post("/v1/watches", body(&stranger))
        .await
        .error(422, "not_on_family_card");
    // B cannot watch with A's draft at all.
    let own = a.draft_for(&people[0], OFFICE).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    b.post("/v1/watches", body(&own))
        .await
        .error(404, "not_found");

    // Bounds: the range, the offices, what the office issues.
    let mut bad = body(&own);
    bad["to"] = json!("2027-01-01");
    a.post("/v1/watches", bad)
        .await
        .error(422, "validation_failed");
    let mut bad = body(&own);
    bad["offices"] = json!([
        "kanim-bandung",
        "kanim-bogor",
        "kanim-depok",
        "kanim-bekasi",
        "kanim-tangerang",
        OFFICE
    ]);
    a.post("/v1/watches", bad)
        .await
        .error(422, "validation_failed");
    let mut bad = body(&own);
    bad["offices"] = json!(["mpp-kota-tangerang"]);
    a.post("/v1/watches", bad)
        .await
        .error(422, "office_cannot_issue");
    let mut bad = body(&own);
    bad["offices"] = json!([]);
    a.post("/v1/watches", bad)
        .await
        .error(422, "validation_failed");

    // Near a place: the three nearest offices that issue the passport type.
    let near = a
        .post(
            "/v1/watches",
            json!({"application_id": own, "near": "-6.26,106.81", "from": "2027-01-05", "to": "2027-01-20"}),
        )
        .await
        .created();
    assert_eq!(near["offices"].as_array().unwrap().len(), 3);
    assert!(near["offices"].as_array().unwrap().contains(&json!(OFFICE)));
    // Three per person, then watch_limit; removing one makes room.
    a.post("/v1/watches", body(&own)).await.created();
    a.post("/v1/watches", body(&own)).await.created();
    a.post("/v1/watches", body(&own))
        .await
        .error(409, "watch_limit");
    let id = near["id"].as_str().unwrap();
    b.request(reqwest::Method::DELETE, &format!("/v1/watches/{id}"), None)
        .await
        .error(404, "not_found");
    a.request(reqwest::Method::DELETE, &format!("/v1/watches/{id}"), None)
        .await
        .expect(204);
    a.post("/v1/watches", body(&own)).await.created();
    assert_eq!(b.get("/v1/watches").await.ok()["total"], 0);

    // The feed: bounded, and only for its account.
    a.get("/v1/events?wait=31").await.error(400, "bad_request");
    mock.anon()
        .get("/v1/events")
        .await
        .error(401, "unauthorized");

    // A cancelled draft's watches go; so do watches whose last day has passed.
    a.post(&format!("/v1/applications/{own}/cancel"), json!({}))
        .await
        .ok();
    assert_eq!(a.get("/v1/watches").await.ok()["total"], 0);
    let again = a.draft_for(&people[0], OFFICE).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    a.post("/v1/watches", body(&again)).await.created();
    set_clock(&mock, "2027-01-21T03:00:00Z").await;
    mock.anon()
        .get(&format!("/v1/offices/{OFFICE}/slots?days=1"))
        .await
        .ok();
    assert_eq!(mock.count("SELECT COUNT(*) FROM watches"), 0);
}

#[tokio::test]
async fn a_tester_cancels_the_scenarios_booking_and_the_watcher_is_told() {
    let mock = Mock::start().await;
    set_clock(&mock, MONDAY).await;
    let tester = mock.tester();
    let report = tester
        .post("/tester/seed", json!({"scenario": "quota_release"}))
        .await
        .ok();
    let held = report["application_id"].as_str().unwrap();
    let people = adults(1);
    let api = mock.account_for(&people[0]).await;
    assert_eq!(api.free_slots(OFFICE).await.len(), 0, "the office is full");
    watching(&api, &people[0], "2027-01-05", "2027-01-15").await;
    let cancelled = tester
        .post(
            &format!("/tester/applications/{held}/advance"),
            json!({"to": "cancelled"}),
        )
        .await
        .ok();
    assert_eq!(cancelled["state"], "cancelled");
    let page = api.get("/v1/events?wait=5").await.ok();
    let slot = page["events"][0]["place_opened"]["slot_id"]
        .as_str()
        .unwrap();
    assert_eq!(api.slot_left(OFFICE, slot).await, 1);
    assert_eq!(api.free_slots(OFFICE).await.len(), 1);
    // Cancelled once: a second time is refused and frees nothing more.
    tester
        .post(
            &format!("/tester/applications/{held}/advance"),
            json!({"to": "cancelled"}),
        )
        .await
        .error(409, "transition_refused");
    assert_eq!(api.free_slots(OFFICE).await.len(), 1);
}

#[tokio::test]
async fn an_expired_billing_code_frees_its_place_and_tells_the_waiting_watcher() {
    let mock = Mock::start().await;
    set_clock(&mock, MONDAY).await;
    let people = adults(2);
    let mut holder = mock.account_for(&people[1]).await;
    let slot = holder.free_slot(OFFICE, 0).await;
    let held = holder.ready_draft(&people[1], OFFICE).await;
    holder.submit(&held, &slot).await.created();
    mock.tester()
        .post("/tester/seed", json!({"scenario": "quota_release"}))
        .await
        .ok();
    let watcher = mock.account_for(&people[0]).await;
    watching(&watcher, &people[0], "2027-01-05", "2027-01-15").await;
    // The watcher waits on the feed; the clock passes the two hours: the
    // code expires, its place is freed and the waiting watcher told.
    let waiting = {
        let watcher = watcher.clone();
        tokio::spawn(async move { watcher.get("/v1/events?wait=20").await.ok() })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let asked = Instant::now();
    mock.tester()
        .post("/tester/clock", json!({"advance_seconds": 2 * 3600 + 60}))
        .await
        .ok();
    let page = waiting.await.unwrap();
    assert!(
        asked.elapsed() < Duration::from_secs(5),
        "{:?}",
        asked.elapsed()
    );
    assert_eq!(page["events"][0]["place_opened"]["slot_id"], slot.as_str());
    holder.refresh_tokens().await;
    assert_eq!(
        holder.get(&format!("/v1/applications/{held}")).await.ok()["state"],
        "expired"
    );
    // The holder's phone hears of each move of its application through its own feed.
    let moves: Vec<Value> = holder.get("/v1/events").await.ok()["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "application_changed")
        .map(|e| e["application_changed"].clone())
        .collect();
    assert_eq!(
        moves,
        [
            json!({"application_id": held, "state": "awaiting_payment"}),
            json!({"application_id": held, "state": "expired"}),
        ]
    );
}
