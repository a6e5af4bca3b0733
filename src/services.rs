//! What every screen may use, provided once at the root: the engine (the
//! one door to what the app keeps and asks the server), the runtime engine
//! work runs on, and (in mock mode) the bundled mock's tester side.

use mpaspor_core::Engine;
use mpaspor_core::engine::Tester;
use std::future::Future;
use std::sync::Arc;

#[derive(Clone)]
pub struct Services {
    pub engine: Arc<Engine>,
    /// Engine work (network, sync) runs here, whatever executor the UI uses.
    pub runtime: tokio::runtime::Handle,
    /// The bundled mock's tester routes (its OTP outbox, its bank, its
    /// sample people) when the app runs against it: mock mode.
    pub mock: Option<Tester>,
    /// Where document pictures come from (see `picker`).
    pub picker: Arc<dyn crate::platform::DocumentPicker>,
    /// Where reminders go as system notifications (see `reminders`).
    pub notifier: Arc<dyn crate::platform::Notifier>,
    /// The application a tapped notification is about: the shell opens it.
    pub tapped: Arc<tokio::sync::watch::Sender<Option<mpaspor_domain::ApplicationId>>>,
}

impl Services {
    pub fn new(
        engine: Arc<Engine>,
        runtime: tokio::runtime::Handle,
        mock: Option<Tester>,
    ) -> Services {
        Services {
            engine,
            runtime,
            mock,
            picker: crate::platform::default_picker(),
            notifier: crate::platform::default_notifier(),
            tapped: Arc::new(tokio::sync::watch::Sender::new(None)),
        }
    }

    /// The office's name from the kept list, else its id.
    pub fn office_name(&self, id: Option<&str>) -> String {
        id.map(|id| self.engine.office_name(id)).unwrap_or_default()
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
    pub fn for_tests(store: mpaspor_core::Store) -> Services {
        static RUNTIME: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
        let runtime = RUNTIME.get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .unwrap()
        });
        Services::on(store, "http://127.0.0.1:9", runtime.handle().clone(), None)
    }

    /// Services over `store` talking to `api_url`, in mock mode when given
    /// the mock's tester token (tests only: the app opens its data through
    /// the engine's door, `Data`).
    #[cfg(test)]
    pub fn on(
        store: mpaspor_core::Store,
        api_url: &str,
        runtime: tokio::runtime::Handle,
        tester_token: Option<String>,
    ) -> Services {
        use mpaspor_core::client::{Api, ApiConfig};
        let api = Api::new(ApiConfig::new(api_url), mpaspor_core::Secrets::in_memory()).unwrap();
        let engine = Engine::new(store, api);
        let mock = tester_token.map(|token| engine.tester(token));
        Services::new(engine, runtime, mock)
    }
}
