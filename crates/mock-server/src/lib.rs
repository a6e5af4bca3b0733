//! The mock government API: a faithful, stateful stand-in for the immigration
//! back end that M-Paspor's testers and tests run against. See `README.md`.

pub mod answers;
pub mod capture;
pub mod clock;
pub mod db;
pub mod error;
pub mod extract;
pub mod gate;
pub mod idempotency;
pub mod ids;
pub mod letters;
pub mod model;
pub mod receipts;
pub mod reference;
pub mod registry;
pub mod routes;
pub mod scenarios;
pub mod serve;
pub mod snapshot;
pub mod state;
pub mod tools;
pub mod walk_ins;

pub use db::{DbLocation, Sealer};
pub use state::{AppState, MockConfig};

use crate::error::ApiError;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use mpaspor_domain::api::ErrorCode;
use rusqlite::params;
use std::net::SocketAddr;
use std::sync::Arc;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;

/// JSON bodies are small; document images have their own limit.
pub const JSON_BODY_LIMIT: usize = 64 * 1024;

#[derive(OpenApi)]
#[openapi(
    info(title = "M-Paspor government API (mock)", description = "The API the M-Paspor app talks to, served by its bundled mock. Errors are `{\"error\": {\"code\", \"message\", \"field\"}}`."),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

impl AppState {
    /// Opens (or creates) the mock's database and seeds what a new one needs.
    pub fn open(config: MockConfig) -> Result<AppState, ApiError> {
        let db = db::Db::open(&config.db)?;
        db.set_meta(
            model::throttle::LIMITS,
            if config.limits { "on" } else { "off" },
        )?;
        let clock = clock::Clock::load(db.clone())?;
        let signer = Arc::new(receipts::ReceiptSigner::load_or_create(&db)?);
        let tester_token = match config.tester_routes {
            true => Some(
                gate::TesterToken::given_or_new(config.tester_token.as_deref())
                    .map_err(|e| ApiError::invalid("tester_token", e))?,
            ),
            false => None,
        };
        let state = AppState::new(state::Shared {
            db,
            clock,
            signer,
            config: Arc::new(config),
            tester_token,
            tools: tools::Tools::default(),
            answers: answers::Answers::default(),
            earliest: answers::Answers::default(),
            swept: Default::default(),
            sessions: Default::default(),
        });
        state.seed_registry_if_empty()?;
        Ok(state)
    }

    pub fn seed_registry_if_empty(&self) -> Result<(), ApiError> {
        let today = mpaspor_domain::OfficeZone::Wib.local_date(self.clock.now());
        let seed = self.config.seed;
        self.db.write(|tx| {
            let count: i64 = tx
                .prepare_cached("SELECT COUNT(*) FROM citizens")?
                .query_row([], |r| r.get(0))?;
            if count == 0 {
                let mut insert =
                    tx.prepare_cached("INSERT INTO citizens (nik, body) VALUES (?1, ?2)")?;
                for c in registry::population(seed, today) {
                    insert.execute(params![c.nik, serde_json::to_string(&c)?])?;
                }
            }
            Ok(())
        })
    }
}

/// Any status an operation does not list (400 for a malformed query, 401,
/// 413, 415, 429, 503 from an injected fault...) carries the error body.
fn document_error_default(openapi: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    let error = ResponseBuilder::new()
        .description("any other outcome: the error body with its machine-readable code")
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorBody")))
                .build(),
        )
        .build();
    each_operation(openapi, |_, op| {
        op.responses
            .responses
            .entry("default".into())
            .or_insert_with(|| error.clone().into());
    });
}

/// Runs `f` on every operation of the document, with its path.
fn each_operation(
    openapi: &mut utoipa::openapi::OpenApi,
    mut f: impl FnMut(&str, &mut utoipa::openapi::path::Operation),
) {
    for (path, item) in openapi.paths.paths.iter_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for op in operations.into_iter().flatten() {
            f(path, op);
        }
    }
}

/// Every `/tester` operation asks for the tester token.
fn document_tester_token(openapi: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityRequirement};
    openapi
        .components
        .get_or_insert_with(Default::default)
        .add_security_scheme(
            "tester_token",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-Tester-Token",
                "printed when the mock starts, or given with --tester-token / MPASPOR_TESTER_TOKEN",
            ))),
        );
    each_operation(openapi, |path, op| {
        if path.starts_with("/tester/") {
            op.security = Some(vec![SecurityRequirement::new(
                "tester_token",
                Vec::<String>::new(),
            )]);
        }
    });
}

/// The whole API as an axum router, and its OpenAPI document.
pub fn app(state: AppState) -> Router {
    let mut api = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(routes::accounts::router())
        .merge(routes::sessions::router())
        .merge(routes::reference::router())
        .merge(routes::applicants::router())
        .merge(routes::applications::router())
        .merge(routes::submit::router())
        .merge(routes::payments::router())
        .merge(routes::appointments::router())
        .merge(routes::watches::router());
    if state.config.tester_routes {
        api = api
            .merge(
                routes::tester::router().route_layer(axum::middleware::from_fn_with_state(
                    state.clone(),
                    gate::tester_only,
                )),
            )
            .route("/tester", axum::routing::get(routes::tester::console))
            .route("/desk", axum::routing::get(routes::tester::desk))
            .route(
                "/desk/jsQR.js",
                axum::routing::get(routes::tester::desk_decoder),
            );
    }
    let (router, mut openapi) = api.split_for_parts();
    document_error_default(&mut openapi);
    document_tester_token(&mut openapi);
    let openapi = Arc::new(openapi);
    router
        .route(
            "/openapi.json",
            axum::routing::get(move || async move { axum::Json(openapi.as_ref().clone()) }),
        )
        .route("/healthz", axum::routing::get(|| async { "ok" }))
        .fallback(|| async {
            ApiError::new(StatusCode::NOT_FOUND, ErrorCode::NotFound, "no such route")
        })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                ErrorCode::MethodNotAllowed,
                "this route does not take that method",
            )
        })
        .layer(DefaultBodyLimit::max(JSON_BODY_LIMIT))
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
            serve::BODY_READ_TIMEOUT,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            every_request,
        ))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(|_| {
            ApiError::internal().into_response()
        }))
        .with_state(state)
}

/// Around every request, in one layer (each `from_fn` layer costs a boxed
/// future and a clone of the state per request): the tester's faults, the
/// journal, the `Date` by the mock's clock, one log line; a request for a
/// host this server is not is refused first.
async fn every_request(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    if !gate::host_allowed(request.headers(), &state.config.allowed_hosts) {
        return gate::wrong_host().into_response();
    }
    let seen = tools::Seen::of(state.clock.now(), &request);
    // The console's own reads are not journaled; no tester route's content
    // is kept (outbox codes, seeded credentials): only the API's.
    let (mut response, content) = if seen.quiet() || request.uri().path().starts_with("/tester") {
        (tools::with_faults(&state.tools, request, next).await, None)
    } else {
        let (request, asked) = capture::request(request).await;
        let response = tools::with_faults(&state.tools, request, next).await;
        let dropped = tools::Seen::dropped(&response);
        let (response, answered) = capture::response(response, dropped).await;
        (response, Some((asked, answered)))
    };
    response
        .headers_mut()
        .insert(axum::http::header::DATE, http_date(state.clock.now()));
    seen.done(&state.tools, &response, content);
    response
}

/// `Date` is the mock's clock, which a tester may have moved: clients count
/// deadlines against it, so it must agree with the times in the bodies.
/// Rendered once a second on each thread.
fn http_date(now: jiff::Timestamp) -> axum::http::HeaderValue {
    thread_local! {
        static RENDERED: std::cell::RefCell<Option<(i64, axum::http::HeaderValue)>> =
            const { std::cell::RefCell::new(None) };
    }
    RENDERED.with_borrow_mut(|rendered| match rendered {
        Some((second, value)) if *second == now.as_second() => value.clone(),
        _ => {
            let text = jiff::fmt::rfc2822::DateTimePrinter::new()
                .timestamp_to_rfc9110_string(&now)
                .expect("the clock is within HTTP's range");
            let value = axum::http::HeaderValue::from_str(&text)
                .expect("an HTTP date is a valid header value");
            *rendered = Some((now.as_second(), value.clone()));
            value
        }
    })
}

/// A mock server running in this process.
pub struct RunningMock {
    pub addr: SocketAddr,
    pub state: AppState,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
    /// Sweeps the deadlines as they come, with no request to prompt it.
    ticker: tokio::task::JoinHandle<()>,
    /// Keeps a sealed database's file (see `snapshot`).
    keeper: Option<(
        tokio::sync::watch::Sender<bool>,
        tokio::task::JoinHandle<()>,
    )>,
}

impl RunningMock {
    /// The base URL, e.g. `http://127.0.0.1:41234`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The tester routes' token (none when they are not served).
    pub fn tester_token(&self) -> Option<&str> {
        self.state.tester_token.as_ref().map(|t| t.reveal())
    }

    /// Stops accepting, lets requests in flight finish, and waits.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        self.ticker.abort();
        if let Some((stop, keeper)) = self.keeper.take() {
            let _ = stop.send(true);
            let _ = keeper.await;
        }
    }
}

/// Starts the mock on `addr` (port 0 picks a free one) in the current tokio runtime.
pub async fn start(config: MockConfig, addr: SocketAddr) -> std::io::Result<RunningMock> {
    let state = AppState::open(config).map_err(|e| std::io::Error::other(e.body.error.message))?;
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let router = app(state.clone());
    let task = tokio::spawn(serve::serve(listener, router, async {
        let _ = rx.await;
    }));
    let keeper = match &state.config.db {
        DbLocation::Sealed { path, sealer } => {
            let (stop, stopped) = tokio::sync::watch::channel(false);
            let keeper = tokio::spawn(snapshot::keeper(
                state.db.clone(),
                path.clone(),
                sealer.clone(),
                stopped,
            ));
            Some((stop, keeper))
        }
        _ => None,
    };
    let ticker = tokio::spawn(routes::reference::keep_swept(state.clone()));
    Ok(RunningMock {
        addr,
        state,
        shutdown: Some(tx),
        task: Some(task),
        ticker,
        keeper,
    })
}

#[cfg(test)]
mod tests {
    use super::http_date;

    #[test]
    fn the_date_header_follows_the_clock_it_is_given() {
        let now: jiff::Timestamp = "2026-12-07T03:00:00.250Z".parse().unwrap();
        assert_eq!(http_date(now), "Mon, 07 Dec 2026 03:00:00 GMT");
        let later = now + jiff::SignedDuration::from_millis(500);
        assert_eq!(http_date(later), "Mon, 07 Dec 2026 03:00:00 GMT");
        // A tester moved the mock's clock two hours on.
        let moved = now + jiff::SignedDuration::from_hours(2);
        assert_eq!(http_date(moved), "Mon, 07 Dec 2026 05:00:00 GMT");
        assert_eq!(http_date(now), "Mon, 07 Dec 2026 03:00:00 GMT");
    }
}
