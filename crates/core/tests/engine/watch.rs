//! Watches and the feed: a watch made offline reaches the server once; the
//! feed goes on from its cursor after a dropped answer or a restart, and
//! tells each opening once.

use super::support::*;
use super::{OFFICE, filed, rini};
use mpaspor_core::engine::WatchPlan;
use mpaspor_core::{Engine, Store};
use serde_json::json;
use std::time::{Duration, Instant};

/// The days the office's next release opens, and when (by the server's clock).
async fn next_release(w: &World) -> (jiff::civil::Date, jiff::Timestamp) {
    let slots = w.engine.office_slots(OFFICE, None).await.unwrap();
    let release = slots.release.expect("the office says how it releases");
    (release.opens_from, release.next_at)
}

fn plan(from: jiff::civil::Date, days: i64) -> WatchPlan {
    WatchPlan {
        offices: vec![OFFICE.into()],
        near: None,
        from,
        to: from + jiff::Span::new().days(days),
    }
}

#[tokio::test]
async fn a_watch_made_offline_reaches_the_server_once() {
    let w = World::new().await;
    let draft = filed(&w, &rini(), "rini.watch@example.com").await;
    let (from, _) = next_release(&w).await;

    w.tester
        .fault(json!({"route": "/v1/**", "error_rate": 1.0}))
        .await;
    let id = w.engine.watch(&draft, plan(from, 6)).unwrap();
    for _ in 0..3 {
        assert!(w.engine.sync().await.unwrap().interrupted);
    }
    let kept = w.engine.watches().unwrap();
    assert_eq!(kept.len(), 1);
    assert!(kept[0].server.is_none(), "not sent yet");
    w.tester.clear_faults().await;
    // The server takes it, then the answer is lost once: the retry carries the same key.
    w.tester
        .fault(json!({"route": "/v1/watches", "method": "POST", "drop_after_commit": true, "times": 1}))
        .await;
    w.engine.sync().await.unwrap();
    w.engine.sync().await.unwrap();
    assert_eq!(w.store().pending_count().unwrap(), 0);
    let on_server = w.api().watches().await.unwrap();
    assert_eq!(on_server.len(), 1, "exactly one watch on the server");
    let kept = w.store().watch(&id).unwrap().unwrap();
    assert_eq!(kept.server.as_ref().unwrap().id, on_server[0].id);
    assert_eq!(kept.offices(), [OFFICE]);

    // Stopped here: gone at once, and from the server with the next sync.
    w.engine.unwatch(&id).unwrap();
    assert!(w.engine.watches().unwrap().is_empty());
    w.engine.sync().await.unwrap();
    assert!(w.api().watches().await.unwrap().is_empty());
}

#[tokio::test]
async fn the_feed_goes_on_from_its_cursor_and_tells_each_opening_once() {
    let w = World::new().await;
    let draft = filed(&w, &rini(), "rini.feed@example.com").await;
    let (from, first_release) = next_release(&w).await;
    w.engine.watch(&draft, plan(from, 13)).unwrap();
    w.engine.sync().await.unwrap();
    assert_eq!(w.engine.follow_once(Duration::ZERO).await.unwrap(), 0);

    // The release comes while the feed is held open: told within seconds,
    // with no request but the held one.
    let asked = Instant::now();
    let waiting = {
        let engine = w.engine.clone();
        tokio::spawn(async move { engine.follow_once(Duration::from_secs(20)).await })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let now = w.api().server_now();
    w.tester
        .advance_clock(first_release.duration_since(now).as_secs() + 1)
        .await;
    assert_eq!(waiting.await.unwrap().unwrap(), 1);
    assert!(
        asked.elapsed() < Duration::from_secs(5),
        "{:?}",
        asked.elapsed()
    );
    let openings = w.engine.openings().unwrap();
    assert_eq!(openings.len(), 1);
    assert_eq!(openings[0].1.as_ref(), Some(&draft));
    assert_eq!(openings[0].0.place.date, from);
    assert_eq!(openings[0].0.place.office_id, OFFICE);

    // The next release's answers are lost on the way (each retry too):
    // nothing is kept, and the next turn brings the same event, kept once.
    let (_, second_release) = next_release(&w).await;
    let now = w.api().server_now();
    w.tester
        .advance_clock(second_release.duration_since(now).as_secs() + 1)
        .await;
    w.tester
        .fault(json!({"route": "/v1/events", "drop_after_commit": true, "times": 4}))
        .await;
    assert!(w.engine.follow_once(Duration::ZERO).await.is_err());
    assert_eq!(w.engine.openings().unwrap().len(), 1);
    assert_eq!(w.engine.follow_once(Duration::ZERO).await.unwrap(), 1);
    assert_eq!(w.engine.follow_once(Duration::ZERO).await.unwrap(), 0);
    assert_eq!(w.engine.openings().unwrap().len(), 2);

    // Each is shown as a notification once, across a restart too.
    assert_eq!(w.engine.take_openings_to_notify().unwrap().len(), 2);
    assert!(w.engine.take_openings_to_notify().unwrap().is_empty());
    let (key, _) = w.secrets.data_key().unwrap();
    let again = Engine::new(
        Store::open(&w.db_path(), key).unwrap(),
        mpaspor_core::Api::new(fast(w.api().base_url()), w.secrets.clone()).unwrap(),
    );
    assert_eq!(again.follow_once(Duration::ZERO).await.unwrap(), 0);
    assert!(again.take_openings_to_notify().unwrap().is_empty());
    assert_eq!(again.openings().unwrap().len(), 2);
    // Put away, an opening leaves home.
    let seq = again.openings().unwrap()[0].0.seq;
    again.dismiss_opening(seq).unwrap();
    assert_eq!(again.openings().unwrap().len(), 1);
}

#[tokio::test]
async fn a_watch_on_a_new_draft_goes_with_the_draft_in_one_sync() {
    let w = World::new().await;
    let person = rini();
    w.tester.add_citizen(&person).await;
    w.sign_up(&person, "rini.new@example.com", "paspor-baru-2026")
        .await;
    let holder = w.holder().await;
    let draft = w.store().new_draft(&holder).unwrap();
    for (field, value) in complete_draft_fields(&person, OFFICE) {
        w.store().save_field(&draft, field, &value).unwrap();
    }
    let (from, _) = next_release(&w).await;
    w.engine.watch(&draft, plan(from, 6)).unwrap();
    w.engine.sync().await.unwrap();
    assert!(w.engine.watches().unwrap()[0].server.is_some());
    assert_eq!(w.store().pending_count().unwrap(), 0);
}

#[tokio::test]
async fn an_application_that_moves_on_the_server_is_pulled_at_once_while_the_feed_runs() {
    let w = World::new().await;
    let draft = filed(&w, &rini(), "rini.moves@example.com").await;
    let slot = free_slot(w.api(), OFFICE, 0).await;
    w.engine.submit(&draft, &slot).unwrap();
    w.engine.sync().await.unwrap();
    let id = w.store().applications().unwrap()[0].id.clone();
    // The app as it runs: sync with a long wait between pulls, and the feed.
    let (syncing, following) = {
        let (a, b) = (w.engine.clone(), w.engine.clone());
        (
            tokio::spawn(async move { a.run(Duration::from_secs(600)).await }),
            tokio::spawn(async move { b.follow().await }),
        )
    };
    tokio::time::sleep(Duration::from_millis(500)).await;
    // The two hours pass on the server: the billing code expires there.
    let moved = Instant::now();
    w.tester.advance_clock(2 * 3600 + 60).await;
    loop {
        let state = w.engine.application(&id).unwrap().unwrap().app.state;
        if state == mpaspor_domain::ApplicationState::Expired {
            break;
        }
        assert!(moved.elapsed() < Duration::from_secs(10), "still {state}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    syncing.abort();
    following.abort();
}
