//! The end-to-end tests' way in (feature `e2e`, for test builds only; see
//! `tests/README.md`). With `MPASPOR_E2E_PORT_FILE` set, the app listens on
//! 127.0.0.1:0, writes the port into that file, and answers each line it is
//! sent (a JSON string: the body of a JavaScript function) with one JSON line,
//! `{"ok": <what the script returned>}` or `{"error": "..."}`, evaluated in
//! the app's own webview through `document::eval`. The tests tap and type
//! through the X server like a person; this only tells them where things are
//! and what the screen says.

use dioxus::prelude::*;
use std::sync::Mutex;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::sync::{mpsc, oneshot};

type Script = (String, oneshot::Sender<serde_json::Value>);

static SCRIPTS: Mutex<Option<mpsc::UnboundedReceiver<Script>>> = Mutex::new(None);

/// Starts listening when the tests asked for it (on the app's runtime).
pub fn listen(runtime: &tokio::runtime::Handle) -> Result<(), String> {
    let Some(port_file) = std::env::var_os("MPASPOR_E2E_PORT_FILE") else {
        return Ok(());
    };
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .map_err(|e| e.to_string())?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    let (tx, rx) = mpsc::unbounded_channel();
    *SCRIPTS.lock().expect("not poisoned") = Some(rx);
    runtime.spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                while let Ok(Some(line)) = lines.next_line().await {
                    let answer = match serde_json::from_str::<String>(&line) {
                        Err(e) => serde_json::json!({"error": format!("not a JSON string: {e}")}),
                        Ok(script) => {
                            let (done, wait) = oneshot::channel();
                            if tx.send((script, done)).is_err() {
                                break;
                            }
                            wait.await
                                .unwrap_or_else(|_| serde_json::json!({"error": "the app stopped"}))
                        }
                    };
                    let mut out = answer.to_string();
                    out.push('\n');
                    if write.write_all(out.as_bytes()).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    // Written last: once the file has the port, the listener is there.
    let tmp = std::path::PathBuf::from(&port_file).with_extension("tmp");
    std::fs::write(&tmp, port.to_string()).map_err(|e| e.to_string())?;
    std::fs::rename(&tmp, &port_file).map_err(|e| e.to_string())
}

/// Runs the scripts sent, one at a time, in the webview (from the app shell).
pub fn use_scripts() {
    use_future(|| async {
        let Some(mut rx) = SCRIPTS.lock().expect("not poisoned").take() else {
            return;
        };
        while let Some((script, done)) = rx.recv().await {
            let answer = match document::eval(&script).join::<serde_json::Value>().await {
                Ok(v) => serde_json::json!({ "ok": v }),
                Err(e) => serde_json::json!({ "error": e.to_string() }),
            };
            let _ = done.send(answer);
        }
    });
}
