//! `mpaspor-mock --addr 127.0.0.1:8080 --db PATH`: the mock government API.

use mpaspor_mock::{DbLocation, MockConfig};
use std::net::SocketAddr;

const USAGE: &str = "usage: mpaspor-mock [--addr 127.0.0.1:8080] [--db PATH | --ephemeral] \
[--no-tester-routes | --tester-token TOKEN] [--allow-host NAME]... [--no-limits] [--seed N]
  The tester token is taken from --tester-token, else from MPASPOR_TESTER_TOKEN,
  else made at random and printed with the tester console's address.
  --no-limits turns off the per-account and per-address limits, for a load
  test of the mock itself only.";

fn parse() -> Result<(SocketAddr, MockConfig), String> {
    let mut addr: SocketAddr = "127.0.0.1:8080".parse().expect("a literal address");
    let mut config = MockConfig {
        db: DbLocation::File("mpaspor-mock.sqlite".into()),
        tester_token: std::env::var(mpaspor_mock::gate::TESTER_TOKEN_ENV).ok(),
        ..MockConfig::default()
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .ok_or_else(|| format!("{arg} needs a value\n{USAGE}"))
        };
        match arg.as_str() {
            "--addr" => addr = value()?.parse().map_err(|e| format!("--addr: {e}"))?,
            "--db" => config.db = DbLocation::File(value()?.into()),
            "--ephemeral" => config.db = DbLocation::Memory,
            "--no-tester-routes" => config.tester_routes = false,
            "--tester-token" => config.tester_token = Some(value()?),
            "--allow-host" => config.allowed_hosts.push(value()?),
            "--no-limits" => config.limits = false,
            "--seed" => config.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "-h" | "--help" => return Err(USAGE.into()),
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    Ok((addr, config))
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tower_http=info".into()),
        )
        .init();
    let (addr, config) = match parse() {
        Ok(p) => p,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(2);
        }
    };
    let server = match mpaspor_mock::start(config, addr).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("mpaspor-mock: cannot start on {addr}: {e}");
            std::process::exit(1);
        }
    };
    tracing::info!(url = %server.url(), "mock government API listening");
    if let Some(token) = server.tester_token() {
        // On stdout, for the one who started the server (not in the log).
        println!("tester console: {}/tester#token={token}", server.url());
        println!("tester token (header X-Tester-Token): {token}");
    }
    let _ = tokio::signal::ctrl_c().await;
    tracing::info!("shutting down");
    server.stop().await;
}
