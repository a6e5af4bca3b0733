//! Requests raced against each other, as a quick double tap or two phones
//! of one account would send them.

use super::super::support::*;
use serde_json::json;

/// A document upload racing a submit replaced the e-KTP of an application
/// already awaiting payment: the state was checked before the image was
/// decoded and not when it was written. A trigger records every document
/// written to an application that is no longer a draft; there must be none.
#[tokio::test]
async fn an_upload_racing_a_submit_never_changes_a_submitted_application() {
    let mock = Mock::start().await;
    mock.server
        .state
        .db
        .write(|tx| {
            tx.execute_batch(
                "CREATE TABLE late_writes (application_id TEXT, state TEXT);
                 CREATE TRIGGER late_insert AFTER INSERT ON documents
                 WHEN (SELECT state FROM applications WHERE id = NEW.application_id) != 'draft'
                 BEGIN INSERT INTO late_writes SELECT NEW.application_id, state FROM applications WHERE id = NEW.application_id; END;
                 CREATE TRIGGER late_update AFTER UPDATE ON documents
                 WHEN (SELECT state FROM applications WHERE id = NEW.application_id) != 'draft'
                 BEGIN INSERT INTO late_writes SELECT NEW.application_id, state FROM applications WHERE id = NEW.application_id; END;",
            )?;
            Ok(())
        })
        .unwrap();
    let budi = sample("Budi Santoso");
    let api = mock.account_for(&budi).await;
    // Big enough that decoding it takes a while: the window the race needs.
    let photo = jpeg(1800, 1200);
    let (mut submitted, mut refused) = (0, 0);
    for _ in 0..25 {
        let id = api.ready_draft(&budi, "kanim-jakarta-selatan").await;
        let slot = api.free_slot("kanim-jakarta-selatan", 0).await;
        let path = format!("/v1/applications/{id}/documents/ektp");
        let (upload, submit) = tokio::join!(api.put_bytes(&path, photo.clone()), async {
            tokio::task::yield_now().await;
            api.submit(&id, &slot).await
        });
        assert_eq!(submit.status, 201, "{}", submit.body);
        submitted += 1;
        match upload.status {
            200 => {}
            409 => {
                upload.error(409, "not_editable");
                refused += 1;
            }
            other => panic!("{other}: {}", upload.body),
        }
        api.post(
            &format!("/v1/applications/{id}/cancel"),
            json!({"accept_forfeit": false}),
        )
        .await
        .ok();
    }
    assert_eq!(submitted, 25);
    assert_eq!(mock.count("SELECT count(*) FROM late_writes"), 0);
    // The race did happen both ways at least once.
    assert!(refused > 0, "no upload ever arrived after a submit");
    super::no_server_error(&mock).await;
}
