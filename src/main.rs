//! M-Paspor: the app. Screens live in `views/`, small parts in `components/`,
//! text in `i18n`; everything that is not drawing is in `mpaspor-core`.

mod app;
mod components;
mod config;
mod i18n;
mod views;

fn main() {
    let config = match config::Config::from_env_and_args() {
        Ok(c) => c,
        Err(message) => {
            eprintln!("mpaspor: {message}");
            std::process::exit(2);
        }
    };
    let opened = config
        .secrets()
        .and_then(|secrets| config.open_store(&secrets));
    let store = match opened {
        Ok((store, opened)) => {
            if let Some(aside) = opened.set_aside {
                eprintln!(
                    "mpaspor: the keystore had lost the data key; the old data was set aside at {}",
                    aside.display()
                );
            }
            store
        }
        Err(e) => {
            eprintln!("mpaspor: {e}");
            std::process::exit(1);
        }
    };
    app::launch(app::Services { store });
}
