//! Applications while they are drafts: list, create, read, update
//! (If-Match) and document uploads.

use crate::clock::secs;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query, if_match};
use crate::idempotency;
use crate::ids::new_id;
use crate::model::applications::{load, to_api};
use crate::model::corrections;
use crate::model::lifecycle::{append_timeline, sweep};
use crate::model::people::owned;
use crate::model::sessions::Caller;

use crate::state::AppState;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use mpaspor_domain::api::{
    Application, ApplicationDraft, DocumentInfo, ErrorBody, ErrorCode, Page, PageQuery,
};
use mpaspor_domain::limits::{FileKind, MAX_DOCUMENT_BYTES, MAX_LONG_EDGE_PX};
use mpaspor_domain::{ApplicationState, DocumentKind};
use rusqlite::{OptionalExtension, params};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one, update))
        .routes(routes!(upload_document))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ListQuery {
    applicant_id: Option<String>,
}

/// The account's applications, newest first.
#[utoipa::path(get, path = "/v1/applications", tag = "applications", params(ListQuery, PageQuery), security(("bearer" = [])),
    responses((status = 200, body = Page<Application>), (status = 401, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<ListQuery>,
    Query(page): Query<PageQuery>,
) -> ApiResult<Json<Page<Application>>> {
    let now = state.clock.now();
    let all = state.db.write(|tx| {
        sweep(tx, now)?;
        let ids: Vec<String> = {
            let mut s = tx.prepare_cached("SELECT id FROM applications WHERE account_id = ?1 AND (?2 IS NULL OR applicant_id = ?2) ORDER BY created_at DESC, id")?;
            s.query_map(params![caller.account_id, q.applicant_id], |r| r.get(0))?.collect::<Result<_, _>>()?
        };
        let page_ids = Page::of(ids, page);
        let items = page_ids.items.iter().map(|id| to_api(tx, &load(tx, &caller, id)?)).collect::<ApiResult<Vec<_>>>()?;
        Ok(Page { items, total: page_ids.total, next_offset: page_ids.next_offset })
    })?;
    Ok(Json(all))
}

/// Create a server draft from the local one.
#[utoipa::path(post, path = "/v1/applications", tag = "applications", request_body = ApplicationDraft, security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, body = Application), (status = 404, description = "no such applicant", body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Json(draft): Json<ApplicationDraft>,
) -> ApiResult<Response> {
    let key = idempotency::key(&headers)?;
    let now = state.clock.now();
    state.db.write(|tx| {
        idempotency::once(tx, &caller.account_id, key.as_deref(), "POST /v1/applications", &draft, now, |tx| {
            owned(tx, &caller, &draft.applicant_id).map_err(|e| e.field("applicant_id"))?;
            let id = new_id("app");
            tx.prepare_cached("INSERT INTO applications (id, account_id, applicant_id, version, state, draft, created_at, updated_at) VALUES (?1, ?2, ?3, 1, 'draft', ?4, ?5, ?5)")?.execute(
                params![id, caller.account_id, draft.applicant_id.as_str(), serde_json::to_string(&draft)?, secs(now)],
            )?;
            append_timeline(tx, &id, ApplicationState::Draft, now, None)?;
            Ok((StatusCode::CREATED, to_api(tx, &load(tx, &caller, &id)?)?))
        })
    })
}

/// One application with its status timeline.
#[utoipa::path(get, path = "/v1/applications/{id}", tag = "applications", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = Application), (status = 404, body = ErrorBody)))]
async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Application>> {
    let now = state.clock.now();
    Ok(Json(state.db.write(|tx| {
        sweep(tx, now)?;
        to_api(tx, &load(tx, &caller, &id)?)
    })?))
}

/// Update the draft (`If-Match: <version>`). Only a draft changes freely;
/// after submit, only the fields an open correction asks for, which the
/// change then fixes.
#[utoipa::path(put, path = "/v1/applications/{id}", tag = "applications", request_body = ApplicationDraft, security(("bearer" = [])),
    params(("id" = String, Path), ("If-Match" = u64, Header, description = "the version being changed")),
    responses((status = 200, body = Application), (status = 404, body = ErrorBody), (status = 409, description = "version_conflict or not_editable", body = ErrorBody), (status = 428, body = ErrorBody)))]
async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    Json(draft): Json<ApplicationDraft>,
) -> ApiResult<Json<Application>> {
    let version = if_match(&headers)?;
    let now = state.clock.now();
    Ok(Json(state.db.write(|tx| {
        let (row, fixes) = corrections::draft_gate(tx, &caller, &id, &draft)?;
        if row.version != version {
            return Err(ApiError::version_conflict(row.version));
        }
        owned(tx, &caller, &draft.applicant_id).map_err(|e| e.field("applicant_id"))?;
        tx.prepare_cached("UPDATE applications SET draft = ?2, applicant_id = ?3, version = version + 1, updated_at = ?4 WHERE id = ?1")?.execute(
            params![id, serde_json::to_string(&draft)?, draft.applicant_id.as_str(), secs(now)],
        )?;
        for fix in fixes {
            corrections::fixed(tx, fix, now)?;
        }
        to_api(tx, &load(tx, &caller, &id)?)
    })?))
}

/// What an uploaded image is, or why it is refused.
fn inspect_image(bytes: &[u8]) -> ApiResult<(FileKind, u32, u32)> {
    let kind = FileKind::sniff(bytes);
    if !kind.is_accepted() {
        let what = kind.describe();
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedMediaType,
            format!("this file is {what}; send a JPEG or PNG photo"),
        ));
    }
    let rejected = |m: String| ApiError::unprocessable(ErrorCode::DocumentRejected, m);
    let format = if kind == FileKind::Jpeg {
        image::ImageFormat::Jpeg
    } else {
        image::ImageFormat::Png
    };
    let mut reader = image::ImageReader::with_format(std::io::Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_LONG_EDGE_PX);
    limits.max_image_height = Some(MAX_LONG_EDGE_PX);
    limits.max_alloc = Some(128 * 1024 * 1024);
    reader.limits(limits);
    let decoded = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => rejected(format!(
            "the image is larger than {MAX_LONG_EDGE_PX} pixels on its long edge"
        )),
        _ => rejected("the image is damaged or cut short; take or pick it again".into()),
    })?;
    // A camera file cut short in transfer still decodes as grey: a JPEG must end with its EOI marker.
    if kind == FileKind::Jpeg && !bytes.ends_with(&[0xFF, 0xD9]) {
        return Err(rejected(
            "the image is damaged or cut short; take or pick it again".into(),
        ));
    }
    Ok((kind, decoded.width(), decoded.height()))
}

/// Upload one document image: JPEG or PNG, at most 1 MiB and 4000 px on
/// the long edge. A draft takes any; after submit, only the one an open
/// correction asks for (a different image), which it then fixes.
#[utoipa::path(put, path = "/v1/applications/{id}/documents/{kind}", tag = "applications", security(("bearer" = [])),
    params(("id" = String, Path), ("kind" = DocumentKind, Path)),
    request_body(content = Vec<u8>, content_type = "image/jpeg", description = "the image bytes (image/jpeg or image/png)"),
    responses((status = 200, body = DocumentInfo), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn upload_document(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, kind)): Path<(String, String)>,
    body: Body,
) -> ApiResult<Json<DocumentInfo>> {
    let kind: DocumentKind = kind
        .parse()
        .map_err(|_| ApiError::not_found("document kind"))?;
    let bytes = axum::body::to_bytes(body, MAX_DOCUMENT_BYTES)
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                ErrorCode::PayloadTooLarge,
                "a document image is at most 1 MiB",
            )
        })?;
    // Checked before the image is decoded (no work for a non-draft) and
    // again in the transaction that writes it.
    state
        .db
        .write(|tx| corrections::document_gate(tx, &caller, &id, kind).map(drop))?;
    let inspected = bytes.clone();
    let (file_kind, width, height) = tokio::task::spawn_blocking(move || inspect_image(&inspected))
        .await
        .map_err(|_| ApiError::internal())??;
    let sha256 = crate::ids::sha256_hex(&bytes);
    let now = state.clock.now();
    let media_type = file_kind
        .media_type()
        .unwrap_or("application/octet-stream")
        .to_owned();
    state.db.write(|tx| {
        let fix = corrections::document_gate(tx, &caller, &id, kind)?;
        if fix.is_some() {
            let before: Option<String> = tx
                .prepare_cached("SELECT sha256 FROM documents WHERE application_id = ?1 AND kind = ?2")?
                .query_row(params![id, kind.as_str()], |r| r.get(0))
                .optional()?;
            if before.as_deref() == Some(sha256.as_str()) {
                return Err(ApiError::unprocessable(
                    ErrorCode::DocumentRejected,
                    "this is the same image the office asked to be taken again",
                ));
            }
        }
        tx.prepare_cached("INSERT INTO documents (application_id, kind, media_type, bytes, width, height, sha256, uploaded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (application_id, kind) DO UPDATE SET media_type = excluded.media_type, bytes = excluded.bytes, width = excluded.width,
                height = excluded.height, sha256 = excluded.sha256, uploaded_at = excluded.uploaded_at")?.execute(
            params![id, kind.as_str(), media_type, bytes.as_ref(), width, height, sha256, secs(now)],
        )?;
        tx.prepare_cached("UPDATE applications SET updated_at = ?2 WHERE id = ?1")?.execute( params![id, secs(now)])?;
        if let Some(fix) = fix {
            corrections::fixed(tx, fix, now)?;
        }
        Ok(())
    })?;
    Ok(Json(DocumentInfo {
        kind,
        media_type,
        bytes: bytes.len() as u64,
        width,
        height,
        sha256,
        uploaded_at: now,
    }))
}
