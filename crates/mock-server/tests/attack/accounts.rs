//! Accounts as an outsider attacks them: guessing codes across resends,
//! taking over a pending registration, telling which emails have accounts,
//! locking an owner out, and wearing the server down before logging in.

use super::super::support::*;
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn registration(email: &str, password: &str) -> Value {
    json!({"full_name": "Rina Wijaya", "email": email, "phone": "081234567890",
        "password": password, "birth_date": "1995-01-02", "sex": "female"})
}

async fn wait_cooldown(mock: &Mock) {
    mock.tester()
        .post("/tester/clock", json!({"advance_seconds": 61}))
        .await
        .ok();
}

/// Resending a code refilled the guess budget: about 7 000 guesses a day
/// against a password reset. The budget is per email and purpose now.
#[tokio::test]
async fn a_new_code_does_not_refill_the_guess_budget() {
    let mock = Mock::start().await;
    let owner = mock.account_for(&sample("Budi Santoso")).await;
    drop(owner);
    let email = format!("{}@example.com", sample("Budi Santoso").nik);
    let anon = mock.anon();
    let guess = |otp: &str| {
        anon.post(
            "/v1/accounts/password-reset/confirm",
            json!({"email": email, "otp": otp, "new_password": "dicuri-semua-99"}),
        )
    };
    // Four wrong guesses per code (under the five that burn one), a new code
    // each time: the tenth wrong guess spends the hour's budget.
    let mut wrong = 0;
    while wrong < 10 {
        anon.post("/v1/accounts/password-reset", json!({"email": email}))
            .await
            .expect(202);
        for _ in 0..4 {
            if wrong == 10 {
                break;
            }
            guess("000000").await.error(422, "otp_invalid");
            wrong += 1;
        }
        wait_cooldown(&mock).await;
    }
    anon.post("/v1/accounts/password-reset", json!({"email": email}))
        .await
        .expect(202);
    let real = mock.last_otp(&email).await;
    guess(&real).await.error(429, "rate_limited");
    // The owner, an hour later, resets with a fresh code.
    mock.tester()
        .post("/tester/clock", json!({"advance_seconds": 3600}))
        .await
        .ok();
    anon.post("/v1/accounts/password-reset", json!({"email": email}))
        .await
        .expect(202);
    let real = mock.last_otp(&email).await;
    guess(&real).await.expect(204);
}

/// Wrong codes from one client address are bounded whatever the email.
#[tokio::test]
async fn wrong_codes_from_one_address_are_bounded_across_emails() {
    let mock = Mock::start().await;
    let anon = mock.anon();
    anon.post(
        "/v1/accounts",
        registration("rina@example.com", "kuatsekali9"),
    )
    .await
    .created();
    for n in 0..30 {
        anon.post(
            "/v1/accounts/verify",
            json!({"email": format!("guess{n}@example.com"), "otp": "123456"}),
        )
        .await
        .error(422, "otp_invalid");
    }
    let real = mock.last_otp("rina@example.com").await;
    anon.post(
        "/v1/accounts/verify",
        json!({"email": "rina@example.com", "otp": real}),
    )
    .await
    .error(429, "rate_limited");
}

/// Registering an unverified email again replaced its password, so whoever
/// registered second owned the account once the owner typed their code.
#[tokio::test]
async fn a_pending_registration_keeps_its_password() {
    let mock = Mock::start().await;
    let anon = mock.anon();
    let email = "owner@example.com";
    anon.post("/v1/accounts", registration(email, "punyaowner1"))
        .await
        .created();
    wait_cooldown(&mock).await;
    // The stranger's registration only sends the code again.
    anon.post("/v1/accounts", registration(email, "punyaorang2"))
        .await
        .created();
    assert_eq!(mock.outbox(email).await.len(), 2);
    let otp = mock.last_otp(email).await;
    anon.post("/v1/accounts/verify", json!({"email": email, "otp": otp}))
        .await
        .ok();
    let login = |password: &str| {
        anon.post(
            "/v1/sessions",
            json!({"email": email, "password": password}),
        )
    };
    login("punyaorang2").await.error(401, "invalid_credentials");
    login("punyaowner1").await.created();

    // One left waiting a day is let go: a new registration takes the email.
    let other = "forgotten@example.com";
    anon.post("/v1/accounts", registration(other, "pertamakali1"))
        .await
        .created();
    mock.tester()
        .post("/tester/clock", json!({"advance_seconds": 25 * 3600}))
        .await
        .ok();
    anon.post("/v1/accounts", registration(other, "keduakali22"))
        .await
        .created();
    let otp = mock.last_otp(other).await;
    anon.post("/v1/accounts/verify", json!({"email": other, "otp": otp}))
        .await
        .ok();
    anon.post(
        "/v1/sessions",
        json!({"email": other, "password": "keduakali22"}),
    )
    .await
    .created();
}

/// Register and verify answered differently for an existing email; login
/// skipped the hash for unknown ones (1 ms against 28 ms).
#[tokio::test]
async fn nothing_tells_which_emails_have_an_account() {
    let mock = Mock::start().await;
    let budi = sample("Budi Santoso");
    mock.account_for(&budi).await;
    let known = format!("{}@example.com", budi.nik);
    let unknown = "nobody.at.all@example.com";
    let anon = mock.anon();
    let shape = |v: &Value| {
        let mut keys: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        keys
    };
    let a = anon
        .post("/v1/accounts", registration(&known, "kuatsekali9"))
        .await;
    let b = anon
        .post("/v1/accounts", registration(unknown, "kuatsekali9"))
        .await;
    assert_eq!((a.status, shape(&a.body)), (b.status, shape(&b.body)));
    // Verify: an active account and an unknown email, the same words.
    let known_active = anon
        .post(
            "/v1/accounts/verify",
            json!({"email": known, "otp": "123456"}),
        )
        .await;
    let nobody = anon
        .post(
            "/v1/accounts/verify",
            json!({"email": "no.one@example.com", "otp": "123456"}),
        )
        .await;
    assert_eq!(known_active.status, nobody.status);
    assert_eq!(known_active.body, nobody.body);

    // Login: as long for an unknown email as for a wrong password (the
    // fastest of five each: other tests hash at the same time).
    let timed = |email: String| {
        let anon = anon.clone();
        async move {
            let mut took = Vec::new();
            for _ in 0..5 {
                let t = Instant::now();
                anon.post(
                    "/v1/sessions",
                    json!({"email": email, "password": "salahsemua1"}),
                )
                .await
                .error(401, "invalid_credentials");
                took.push(t.elapsed());
            }
            took.into_iter().min().unwrap()
        }
    };
    let known_time = timed(known.clone()).await;
    let unknown_time = timed(format!("x{unknown}")).await;
    let ratio = unknown_time.as_secs_f64() / known_time.as_secs_f64();
    assert!(
        (0.33..3.0).contains(&ratio),
        "known {known_time:?}, unknown {unknown_time:?}"
    );
}

/// Five wrong passwords locked the owner out for 15 minutes, which any
/// stranger could do. Now they slow each try down (a minute at most), and
/// the owner gets in as soon as the wait is over.
#[tokio::test]
async fn a_stranger_slows_an_owner_down_but_never_locks_them_out() {
    let mock = Mock::start().await;
    let budi = sample("Budi Santoso");
    mock.account_for(&budi).await;
    let email = format!("{}@example.com", budi.nik);
    let anon = mock.anon();
    let login = |password: &'static str| {
        anon.post(
            "/v1/sessions",
            json!({"email": email, "password": password}),
        )
    };
    let mut waits = Vec::new();
    for _ in 0..12 {
        let reply = login("tebakan1234").await;
        if reply.status == 429 {
            let wait = reply.body["error"]["retry_after_seconds"].as_i64().unwrap();
            waits.push(wait);
            mock.tester()
                .post("/tester/clock", json!({"advance_seconds": wait}))
                .await
                .ok();
            login("tebakan1234").await.error(401, "invalid_credentials");
        } else {
            reply.error(401, "invalid_credentials");
        }
    }
    // (How long each wait is left depends on how long the tries took: the
    // delays themselves are in throttle.rs's tests.)
    assert!(
        !waits.is_empty() && waits.iter().all(|w| *w <= 60),
        "{waits:?}"
    );
    let wait = login("paspor-baru-2026").await.body["error"]["retry_after_seconds"]
        .as_i64()
        .unwrap();
    assert!(wait <= 60);
    mock.tester()
        .post("/tester/clock", json!({"advance_seconds": wait}))
        .await
        .ok();
    login("paspor-baru-2026").await.created();
}

/// One client address may get only so many passwords wrong, whatever the
/// emails: the 31st try in a quarter hour waits.
#[tokio::test]
async fn wrong_passwords_from_one_address_are_bounded_across_emails() {
    let mock = Mock::start().await;
    let anon = mock.anon();
    for n in 0..30 {
        anon.post(
            "/v1/sessions",
            json!({"email": format!("spray{n}@example.com"), "password": "paspor-baru-2026"}),
        )
        .await
        .error(401, "invalid_credentials");
    }
    anon.post(
        "/v1/sessions",
        json!({"email": "spray99@example.com", "password": "paspor-baru-2026"}),
    )
    .await
    .error(429, "rate_limited");
}

/// 400 logins with 60 KB emails grew the database from 0.5 to 49 MB.
#[tokio::test]
async fn oversized_credentials_keep_no_rows() {
    let mock = Mock::start().await;
    let anon = mock.anon();
    let long = format!("{}@example.com", "a".repeat(60_000));
    for _ in 0..50 {
        anon.post(
            "/v1/sessions",
            json!({"email": long, "password": "paspor-baru-2026"}),
        )
        .await
        .error(401, "invalid_credentials");
    }
    assert_eq!(mock.count("SELECT count(*) FROM throttle"), 0);
    // An ordinary wrong login keeps its rows keyed by a hash, not the email.
    anon.post(
        "/v1/sessions",
        json!({"email": "someone@example.com", "password": "paspor-baru-2026"}),
    )
    .await
    .error(401, "invalid_credentials");
    assert_eq!(
        mock.count("SELECT count(*) FROM throttle WHERE length(key) = 64"),
        2
    );
}

/// Registrations at once hash passwords a few at a time; the rest wait
/// (or are told the server is busy), and other requests are not held up.
#[tokio::test]
async fn a_burst_of_registrations_does_not_hold_up_the_server() {
    let mock = Mock::start().await;
    let burst: Vec<_> = (0..24)
        .map(|n| {
            let anon = mock.anon();
            tokio::spawn(async move {
                anon.post(
                    "/v1/accounts",
                    registration(&format!("burst{n}@example.com"), "kuatsekali9"),
                )
                .await
                .status
            })
        })
        .collect();
    let t = Instant::now();
    mock.anon().get("/v1/offices").await.ok();
    let other = t.elapsed();
    let statuses: Vec<u16> = futures::future::join_all(burst)
        .await
        .into_iter()
        .map(|s| s.unwrap())
        .collect();
    assert!(
        statuses.iter().all(|s| *s == 201 || *s == 503),
        "{statuses:?}"
    );
    assert!(other < Duration::from_secs(2), "{other:?}");
}

/// A half-sent request was held open indefinitely (slowloris); so was an
/// idle connection.
#[tokio::test]
async fn a_half_sent_request_and_an_idle_connection_are_closed() {
    let mock = Mock::start().await;
    let mut half = tokio::net::TcpStream::connect(mock.server.addr)
        .await
        .unwrap();
    half.write_all(b"POST /v1/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        .await
        .unwrap();
    let mut idle = tokio::net::TcpStream::connect(mock.server.addr)
        .await
        .unwrap();
    // One request answered, then nothing: kept alive only so long.
    let mut kept = tokio::net::TcpStream::connect(mock.server.addr)
        .await
        .unwrap();
    kept.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .await
        .unwrap();
    let mut answer = [0u8; 512];
    let n = kept.read(&mut answer).await.unwrap();
    assert!(answer[..n].starts_with(b"HTTP/1.1 200"));
    let limit = mpaspor_mock::serve::HEADER_READ_TIMEOUT + Duration::from_secs(3);
    for (what, stream) in [
        ("half-sent", &mut half),
        ("idle", &mut idle),
        ("kept-alive", &mut kept),
    ] {
        let t = Instant::now();
        let mut buf = [0u8; 512];
        // The server closes it (or answers 408 and closes): the read ends.
        loop {
            match tokio::time::timeout(limit, stream.read(&mut buf)).await {
                Ok(Ok(0)) | Ok(Err(_)) => break,
                Ok(Ok(_)) => continue,
                Err(_) => panic!("the {what} connection was still open after {limit:?}"),
            }
        }
        assert!(t.elapsed() < limit);
    }
}

/// A bare length of 8 let `password1` and `rinawijaya95` through; the
/// strength check (zxcvbn) counts common words, dates and the account's own
/// name and email as easy to guess.
#[tokio::test]
async fn guessable_passwords_are_refused_at_registration_and_reset() {
    let mock = Mock::start().await;
    let anon = mock.anon();
    for weak in [
        "password1",
        "12345678",
        "rinawijaya95",
        "rina@example.com",
        "jakarta2024",
    ] {
        anon.post("/v1/accounts", registration("rina@example.com", weak))
            .await
            .error(422, "weak_password");
    }
    anon.post(
        "/v1/accounts",
        registration("rina@example.com", "kuat-sekali-9"),
    )
    .await
    .created();
    anon.post(
        "/v1/accounts/password-reset/confirm",
        json!({"email": "rina@example.com", "otp": "123456", "new_password": "Passw0rd!"}),
    )
    .await
    .error(422, "weak_password");
}

/// The NIK check was an oracle: an unknown NIK and a mismatched name
/// answered differently, 300 answers in 0.3 s. One answer for both now
/// (`reference_routes_answer_and_refuse_bad_queries` in api.rs), and 30 checks an hour per account.
#[tokio::test]
async fn the_nik_check_answers_a_person_not_a_harvester() {
    let mock = Mock::start().await;
    let budi = sample("Budi Santoso");
    let api = mock.account_for(&budi).await;
    for n in 0..30 {
        let nik = format!("31740115059{n:05}");
        let answer = api
            .post(
                "/v1/identity/nik-check",
                json!({"nik": nik, "full_name": "Siapa Saja", "birth_date": "1990-05-15"}),
            )
            .await
            .ok();
        assert!(
            ["no_match", "malformed"].contains(&answer["failure"].as_str().unwrap()),
            "{answer}"
        );
    }
    api.post(
        "/v1/identity/nik-check",
        json!({"nik": budi.nik, "full_name": budi.full_name, "birth_date": budi.birth_date}),
    )
    .await
    .error(429, "rate_limited");
}

/// After an account was deleted, its email and name were still in the
/// mock's file: freed pages kept their bytes, and the log kept them too.
#[tokio::test]
async fn a_deleted_account_leaves_no_marker_in_the_mock_files() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mock.sqlite");
    let mock = Mock::start_at(&file).await;
    let email = "qqmarkerqq@example.com";
    let api = mock
        .signed_up(
            "Rina Qqmarkerqq",
            email,
            jiff::civil::date(1995, 1, 2),
            mpaspor_domain::Sex::Female,
        )
        .await;
    api.request(
        reqwest::Method::DELETE,
        "/v1/accounts/current",
        Some(json!({"password": "paspor-baru-2026"})),
    )
    .await
    .expect(204);
    for name in ["mock.sqlite", "mock.sqlite-wal"] {
        let bytes = std::fs::read(dir.path().join(name)).unwrap_or_default();
        for marker in ["qqmarkerqq", "Qqmarkerqq"] {
            assert!(
                !bytes.windows(marker.len()).any(|w| w == marker.as_bytes()),
                "{marker} left in {name}"
            );
        }
    }
}

/// A load test of the mock itself (`--no-limits`) is not throttled; the
/// default is.
#[tokio::test]
async fn the_limits_are_off_only_when_the_mock_is_started_without_them() {
    let mock = Mock::start_with(mpaspor_mock::MockConfig {
        limits: false,
        ..Default::default()
    })
    .await;
    let api = mock.account_for(&sample("Budi Santoso")).await;
    for n in 0..40 {
        api.post(
            "/v1/identity/nik-check",
            json!({"nik": format!("31740115059{n:05}"), "full_name": "Siapa", "birth_date": "1990-05-15"}),
        )
        .await
        .ok();
    }
}
