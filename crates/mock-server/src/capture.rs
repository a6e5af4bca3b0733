//! What the journal keeps of a request's content, for the console's detail
//! and the HAR export: the headers and the JSON bodies both ways, with
//! personal and secret values masked (`***`) before anything is kept, the
//! latest [`KEPT`] requests only, bodies up to [`BODY_CAP`]. Images, larger
//! bodies and anything not JSON are noted by size and type, never kept; nothing of the
//! tester routes' own content is (OTPs in the outbox, seeded credentials).

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::HeaderMap;
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::response::Response;
use http_body::Body as _;
use mpaspor_domain::api::{CapturedHeader, CapturedMessage};
use serde_json::Value;

/// How many requests keep their content.
pub const KEPT: usize = 200;

/// The most of a body kept, in bytes of its masked JSON.
pub const BODY_CAP: usize = 8 * 1024;

/// Bodies larger than this are not read for the journal at all: reading,
/// masking and writing a 30-day calendar on every request cost the slots
/// route five sixths of its rate (docs/benchmarks.md).
const READ_LIMIT: u64 = BODY_CAP as u64;

/// Keys whose values are a person's or a secret, wherever they appear.
const PERSONAL: &[&str] = &[
    "nik",
    "full_name",
    "name",
    "email",
    "to",
    "phone",
    "password",
    "new_password",
    "otp",
    "address",
    "mother_name",
    "father_name",
    "birth_place",
    "birth_date",
    "refresh_token",
    "access_token",
    "qr_payload",
    "old_passport_number",
    "number",
    "near",
    "body",
];

/// Headers that carry credentials.
const SECRET_HEADERS: &[&str] = &["authorization", "x-tester-token", "cookie", "set-cookie"];

fn headers_of(map: &HeaderMap) -> Vec<CapturedHeader> {
    map.iter()
        .map(|(name, value)| CapturedHeader {
            name: name.as_str().to_owned(),
            value: if SECRET_HEADERS.contains(&name.as_str()) {
                "***".to_owned()
            } else {
                value.to_str().unwrap_or("(not text)").to_owned()
            },
        })
        .collect()
}

fn mask(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if PERSONAL.contains(&key.as_str()) && !v.is_null() {
                    *v = Value::from("***");
                } else {
                    mask(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask),
        _ => {}
    }
}

/// A JSON body as kept: masked, then cut at [`BODY_CAP`].
pub fn masked_body(bytes: &[u8]) -> Option<String> {
    let mut json: Value = serde_json::from_slice(bytes).ok()?;
    mask(&mut json);
    let mut text = json.to_string();
    if text.len() > BODY_CAP {
        let mut cut = BODY_CAP;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.push_str("…(cut)");
    }
    Some(text)
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/json"))
}

fn media_type(headers: &HeaderMap) -> Option<String> {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// The body, read when it is JSON and small (else a note of its size), and
/// the same body to send on.
async fn take(
    headers: &HeaderMap,
    body: Body,
    length: Option<u64>,
) -> (Body, Option<String>, Option<String>) {
    let small = length.is_some_and(|n| n <= READ_LIMIT);
    if !is_json(headers) || !small {
        let note = match (length, media_type(headers)) {
            (Some(0), _) | (None, None) => None,
            (Some(n), kind) => Some(format!(
                "{n} bytes of {}, not kept",
                kind.unwrap_or_else(|| "data".into())
            )),
            (None, Some(kind)) => Some(format!("{kind}, not kept")),
        };
        return (body, None, note);
    }
    match axum::body::to_bytes(body, READ_LIMIT as usize).await {
        Ok(bytes) => {
            let kept = masked_body(&bytes);
            let note = kept
                .is_none()
                .then(|| "not valid JSON, not kept".to_owned());
            (Body::from(bytes), kept, note)
        }
        // The client sent less than it said, or broke off: the handler
        // would have failed to read it too.
        Err(_) => (Body::from(Bytes::new()), None, Some("cut short".into())),
    }
}

/// Notes a request's content and hands the request on whole.
pub async fn request(request: Request) -> (Request, CapturedMessage) {
    let (parts, body) = request.into_parts();
    let length = parts
        .headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .or_else(|| body.size_hint().exact());
    let (body, text, note) = take(&parts.headers, body, length).await;
    let message = CapturedMessage {
        headers: headers_of(&parts.headers),
        body: text,
        note,
    };
    (Request::from_parts(parts, body), message)
}

/// Notes a response's content and hands the response on whole. `dropped`:
/// an injected fault made it fail on purpose, so its body is left alone.
pub async fn response(response: Response, dropped: bool) -> (Response, CapturedMessage) {
    let (parts, body) = response.into_parts();
    if dropped {
        let message = CapturedMessage {
            headers: headers_of(&parts.headers),
            body: None,
            note: Some("the connection was dropped (an injected fault)".into()),
        };
        return (Response::from_parts(parts, body), message);
    }
    let length = body.size_hint().upper();
    let (body, text, note) = take(&parts.headers, body, length).await;
    let message = CapturedMessage {
        headers: headers_of(&parts.headers),
        body: text,
        note,
    };
    (Response::from_parts(parts, body), message)
}

/// One HAR 1.2 entry.
pub fn har_entry(
    entry: &mpaspor_domain::api::JournalEntry,
    asked: &CapturedMessage,
    answered: &CapturedMessage,
) -> Value {
    use serde_json::json;
    let header = |list: &[CapturedHeader]| -> Vec<Value> {
        list.iter()
            .map(|h| json!({"name": h.name, "value": h.value}))
            .collect()
    };
    let find = |list: &[CapturedHeader], name: &str| {
        list.iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value.clone())
    };
    let host = find(&asked.headers, "host").unwrap_or_else(|| "127.0.0.1".into());
    let query = entry.path.split_once('?').map_or("", |(_, q)| q);
    let query: Vec<Value> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            json!({"name": k, "value": v})
        })
        .collect();
    let mut request = json!({
        "method": entry.method,
        "url": format!("http://{host}{}", entry.path),
        "httpVersion": "HTTP/1.1",
        "cookies": [],
        "headers": header(&asked.headers),
        "queryString": query,
        "headersSize": -1,
        "bodySize": asked.body.as_ref().map_or(-1, |b| b.len() as i64),
    });
    if let Some(body) = &asked.body {
        request["postData"] = json!({"mimeType": "application/json", "text": body});
    }
    let mime = find(&answered.headers, "content-type").unwrap_or_default();
    let mut content =
        json!({"size": answered.body.as_ref().map_or(0, |b| b.len()), "mimeType": mime});
    if let Some(body) = &answered.body {
        content["text"] = Value::from(body.clone());
    }
    if let Some(note) = &answered.note {
        content["comment"] = Value::from(note.clone());
    }
    json!({
        "startedDateTime": entry.at.to_string(),
        "time": entry.latency_ms,
        "request": request,
        "response": {
            "status": entry.status,
            "statusText": axum::http::StatusCode::from_u16(entry.status).ok().and_then(|s| s.canonical_reason()).unwrap_or(""),
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": header(&answered.headers),
            "content": content,
            "redirectURL": "",
            "headersSize": -1,
            "bodySize": answered.body.as_ref().map_or(-1, |b| b.len() as i64),
        },
        "cache": {},
        "timings": {"send": 0, "wait": entry.latency_ms, "receive": 0},
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_values_are_masked_at_any_depth_and_the_rest_stays() {
        let body = br#"{"email":"budi@example.com","password":"rahasia-77","draft":{"personal":{"nik":"3273011505900003","full_name":"Budi"},"service":"reguler"},"items":[{"to":"a@b.c","subject":"Kode"}]}"#;
        let kept = masked_body(body).unwrap();
        for secret in [
            "budi@example.com",
            "rahasia-77",
            "3273011505900003",
            "Budi",
            "a@b.c",
        ] {
            assert!(!kept.contains(secret), "{secret} in {kept}");
        }
        assert!(kept.contains("reguler") && kept.contains("Kode"), "{kept}");
        assert!(masked_body(b"not json").is_none());
        let long = format!(r#"{{"x":"{}"}}"#, "a".repeat(BODY_CAP * 2));
        assert!(masked_body(long.as_bytes()).unwrap().len() < BODY_CAP + 20);
    }

    #[test]
    fn credentials_in_headers_are_masked() {
        let mut map = HeaderMap::new();
        map.insert("authorization", "Bearer abc".parse().unwrap());
        map.insert("x-tester-token", "secret-token".parse().unwrap());
        map.insert("idempotency-key", "k1".parse().unwrap());
        let kept = headers_of(&map);
        assert!(
            kept.iter()
                .all(|h| !h.value.contains("abc") && !h.value.contains("secret"))
        );
        assert!(kept.iter().any(|h| h.value == "k1"));
    }
}
