//! The accept loop: each connection served by hyper with the limits a
//! public server needs (axum's own `serve` sets none of them): a client
//! must send a request's headers within a few seconds (so a half-sent
//! request, slowloris, cannot hold a connection open), a body must keep
//! coming, and the server holds at most so many connections at once. Each
//! request carries the client's address (`ConnectInfo`) for the throttles.

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use std::sync::Arc;
use std::time::Duration;
use tower::ServiceExt;

/// A request's headers must arrive within this, and an idle kept-alive
/// connection is closed after it.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// A body must arrive within this (a document photo over a slow phone link).
pub const BODY_READ_TIMEOUT: Duration = Duration::from_secs(120);

/// Connections served at once; more wait in the kernel's backlog.
pub const MAX_CONNECTIONS: usize = 1024;

/// Serves `router` on `listener` until `shutdown` resolves, then lets the
/// requests in flight finish (for at most a few seconds).
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl std::future::Future<Output = ()>,
) {
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = slots.clone().acquire_owned() => permit.expect("the semaphore is never closed"),
            _ = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: wait, do not spin.
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let builder = builder();
        let router = router.clone();
        let graceful = graceful.watcher();
        tokio::spawn(async move {
            // A connection that sends nothing at all is closed as one that
            // sends half a request would be (hyper's timer starts with the
            // first byte, once it knows the HTTP version).
            let mut first = [0u8; 1];
            if !matches!(
                tokio::time::timeout(HEADER_READ_TIMEOUT, stream.peek(&mut first)).await,
                Ok(Ok(1))
            ) {
                drop(permit);
                return;
            }
            let service =
                hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
                    request.extensions_mut().insert(ConnectInfo(peer));
                    router.clone().oneshot(request.map(Body::new))
                });
            let connection = builder
                .serve_connection_with_upgrades(TokioIo::new(stream), service)
                .into_owned();
            if let Err(e) = graceful.watch(connection).await {
                tracing::debug!("connection from {peer} ended: {e}");
            }
            drop(permit);
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(Duration::from_secs(5), graceful.shutdown()).await;
}

/// How each connection is served: HTTP/1.1 or 2, with timers.
fn builder() -> auto::Builder<TokioExecutor> {
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT);
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(HEADER_READ_TIMEOUT);
    builder
}
