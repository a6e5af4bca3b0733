//! M-Paspor: the app. Screens live in `views/`, small parts in `components/`,
//! text in `i18n`; everything that is not drawing is in `mpaspor-core`.

mod app;
mod components;
mod config;
#[cfg(feature = "e2e")]
mod e2e;
mod i18n;
mod mock_mode;
#[cfg(any(target_os = "android", target_os = "ios"))]
mod native;
mod picker;
mod reminders;
mod services;
mod views;

fn fail(message: impl std::fmt::Display) -> ! {
    eprintln!("mpaspor: {message}");
    std::process::exit(1);
}

fn main() {
    let config = match config::Config::from_env_and_args() {
        Ok(c) => c,
        Err(message) => {
            eprintln!("mpaspor: {message}");
            std::process::exit(2);
        }
    };
    // First, before any thread starts: the keystore (keyutils may join a
    // session keyring, which only threads started afterwards inherit).
    let secrets = config.secrets().unwrap_or_else(|e| fail(e));
    let (store, opened) = config.open_store(&secrets).unwrap_or_else(|e| fail(e));
    if let Some(aside) = opened.set_aside {
        eprintln!(
            "mpaspor: the keystore had lost the data key; the old data was set aside at {}",
            aside.display()
        );
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("mpaspor-engine")
        .enable_all()
        .build()
        .unwrap_or_else(|e| fail(e));
    // An address set in the app's settings (for testers) counts when none is
    // given here, if it is still one the app may use (else the bundled mock).
    let chosen = config.api.clone().or_else(|| {
        store
            .setting(views::API_ADDRESS_SETTING)
            .ok()
            .flatten()
            .filter(|a| !a.is_empty() && mpaspor_core::client::check_address(a).is_ok())
    });
    let (api, mock) = match &chosen {
        Some(url) => (url.clone(), None),
        None => {
            let url = mock_mode::start(&runtime, &config.data_dir).unwrap_or_else(|e| fail(e));
            (url.clone(), Some(url))
        }
    };
    #[cfg(feature = "e2e")]
    e2e::listen(runtime.handle()).unwrap_or_else(|e| fail(format!("e2e: {e}")));
    let services = services::Services::new(store, secrets, &api, runtime.handle().clone(), mock)
        .unwrap_or_else(|e| fail(e));
    let engine = services.engine.clone();
    runtime.spawn(async move { engine.run(std::time::Duration::from_secs(30)).await });
    app::launch(services);
    drop(runtime);
}
