//! What every screen may use, provided once at the root: the store, the
//! engine, the runtime engine work runs on, and (in mock mode) the bundled
//! mock's address.

use mpaspor_core::client::ApiConfig;
use mpaspor_core::{Api, Engine, Secrets, Store};
use std::future::Future;
use std::sync::Arc;

#[derive(Clone)]
pub struct Services {
    pub store: Store,
    pub engine: Arc<Engine>,
    /// Engine work (network, sync) runs here, whatever executor the UI uses.
    pub runtime: tokio::runtime::Handle,
    /// The bundled mock's URL when the app runs against it (mock mode).
    pub mock: Option<String>,
    /// Where document pictures come from (see `picker`).
    pub picker: Arc<dyn crate::platform::DocumentPicker>,
    /// Where reminders go as system notifications (see `reminders`).
    pub notifier: Arc<dyn crate::platform::Notifier>,
}

impl Services {
    pub fn new(
        store: Store,
        secrets: Secrets,
        api_url: &str,
        runtime: tokio::runtime::Handle,
        mock: Option<String>,
    ) -> Result<Services, String> {
        let api = Api::new(ApiConfig::new(api_url), secrets).map_err(|e| e.to_string())?;
        Ok(Services {
            engine: Engine::new(store.clone(), api),
            store,
            runtime,
            mock,
            picker: crate::platform::default_picker(),
            notifier: crate::platform::default_notifier(),
        })
    }

    /// The office's name from the kept list, else its id.
    pub fn office_name(&self, id: Option<&str>) -> String {
        let Some(id) = id else { return String::new() };
        self.store
            .reference::<Vec<mpaspor_domain::api::Office>>("offices")
            .ok()
            .flatten()
            .and_then(|all| all.into_iter().find(|o| o.id == id))
            .map(|o| o.name)
            .unwrap_or_else(|| id.to_owned())
    }
    pub fn api(&self) -> &Api {
        self.engine.api()
    }

    /// Runs `work` on the app's runtime and waits for it (from a component's task).
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl Future<Output = T> + Send + 'static,
    ) -> T {
        self.runtime
            .spawn(work)
            .await
            .expect("engine work does not panic")
    }

    /// Waits on the app's runtime (the UI's executor may have no timer).
    pub async fn sleep(&self, duration: std::time::Duration) {
        self.run(async move { tokio::time::sleep(duration).await })
            .await
    }

    /// Syncs now and waits for it (a "check" button, or after an action).
    pub async fn sync_now(&self) {
        let engine = self.engine.clone();
        if let Err(e) = self.run(async move { engine.sync().await }).await {
            tracing::warn!("sync: {e}");
        }
    }

    /// Syncs in the background after a change.
    pub fn nudge(&self) {
        self.engine.nudge();
    }

    /// Services for tests and previews: an in-memory store and keystore, and
    /// an API address nothing listens on.
    #[cfg(test)]
    pub fn for_tests(store: Store) -> Services {
        static RUNTIME: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
        let runtime = RUNTIME.get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .unwrap()
        });
        Services::new(
            store,
            Secrets::in_memory(),
            "http://127.0.0.1:9",
            runtime.handle().clone(),
            None,
        )
        .unwrap()
    }
}
