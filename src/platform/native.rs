//! The phone-only parts: the camera/gallery plugin, notifications and, on
//! Android, the system back button. The Kotlin and Swift halves live in `platforms/` and are
//! bound with Dioxus 0.7's `manganis::ffi` (which the `dx` CLI compiles and
//! bundles); this file is compile-checked for Android by `scripts/android-check`
//! and not built at all here for iOS (see `platforms/README.md`).
//!
//! The plugin objects are made once on the UI thread ([`init`], called by the
//! app shell): Android finds app classes only from a thread that has the app's
//! class loader. Their methods are then called from any thread.

use super::{DocumentPicker, Notifier, Picked, Source};
use mpaspor_domain::eligibility::DocumentKind;
use std::sync::OnceLock;
use std::time::Duration;

// Flags are i32 (1 yes, 0 no): manganis 0.7.10's JNI code for `bool` does
// not compile against the jni crate it depends on.
#[cfg(target_os = "android")]
#[manganis::ffi("platforms/android")]
extern "Kotlin" {
    pub type DocumentCamera;
    /// Opens the camera (`camera` 1) or the photo picker (0); 1 if it could.
    pub fn start(this: &DocumentCamera, kind: &str, camera: i32) -> i32;
    /// `pending`, `cancelled`, `error:<why>` or `file:<path of a JPEG or PNG>`.
    pub fn poll(this: &DocumentCamera) -> String;

    pub type BackButton;
    /// How many times back was pressed since the last call.
    pub fn take_presses(this: &BackButton) -> i32;
    /// Sends the app to the background, as back on the first screen does.
    pub fn leave(this: &BackButton);

    pub type Reminders;
    /// Shows a notification; 1 if shown, 0 if notifications are not allowed.
    pub fn show(this: &Reminders, title: &str, body: &str) -> i32;
}

#[cfg(target_os = "ios")]
#[manganis::ffi("platforms/ios")]
extern "Swift" {
    pub type DocumentCamera;
    pub fn start(this: &DocumentCamera, kind: &str, camera: i32) -> i32;
    pub fn poll(this: &DocumentCamera) -> String;

    pub type Reminders;
    pub fn show(this: &Reminders, title: &str, body: &str) -> i32;
}

/// The plugin object, shared by the threads that call its methods.
struct Plugin<T>(T);
// SAFETY: on Android the object is a JNI global reference (usable from any
// attached thread); on iOS the Swift class hops to the main queue itself and
// guards its state with a lock. Neither is ever freed.
unsafe impl<T> Send for Plugin<T> {}
unsafe impl<T> Sync for Plugin<T> {}

static CAMERA: OnceLock<Plugin<DocumentCamera>> = OnceLock::new();
static REMINDERS: OnceLock<Plugin<Reminders>> = OnceLock::new();
#[cfg(target_os = "android")]
static BACK: OnceLock<Plugin<BackButton>> = OnceLock::new();

/// Makes the plugin objects; call on the UI thread before anything else here.
pub fn init() {
    if CAMERA.get().is_none() {
        match DocumentCamera::new() {
            Ok(camera) => {
                let _ = CAMERA.set(Plugin(camera));
            }
            Err(e) => tracing::warn!("no camera plugin: {e}"),
        }
    }
    if REMINDERS.get().is_none() {
        match Reminders::new() {
            Ok(r) => {
                let _ = REMINDERS.set(Plugin(r));
            }
            Err(e) => tracing::warn!("no notifications plugin: {e}"),
        }
    }
    #[cfg(target_os = "android")]
    if BACK.get().is_none() {
        match BackButton::new() {
            Ok(back) => {
                let _ = BACK.set(Plugin(back));
            }
            Err(e) => tracing::warn!("no back button plugin: {e}"),
        }
    }
}

/// Back presses since the last call (always 0 where there is no back button).
pub fn back_presses() -> i32 {
    #[cfg(target_os = "android")]
    if let Some(back) = BACK.get() {
        return take_presses(&back.0).unwrap_or(0);
    }
    0
}

/// Leaves the app as the system would on its first screen.
pub fn leave_app() {
    #[cfg(target_os = "android")]
    if let Some(back) = BACK.get() {
        let _ = leave(&back.0);
    }
}

/// Reminders as the phone's own notifications.
pub struct NativeNotifier;

impl Notifier for NativeNotifier {
    fn notify(&self, title: &str, body: &str) -> Result<(), String> {
        let plugin = &REMINDERS
            .get()
            .ok_or("the notifications plugin did not start")?
            .0;
        match show(plugin, title, body)? {
            1 => Ok(()),
            _ => Err("notifications are not allowed".into()),
        }
    }
}

/// The camera and gallery through the native plugin.
pub struct NativePicker;

impl DocumentPicker for NativePicker {
    fn has_camera(&self) -> bool {
        true
    }

    fn pick(&self, kind: DocumentKind, source: Source) -> Picked {
        Box::pin(async move {
            tokio::task::spawn_blocking(move || wait_for_picture(kind, source))
                .await
                .map_err(|e| e.to_string())?
        })
    }
}

fn wait_for_picture(kind: DocumentKind, source: Source) -> Result<Option<Vec<u8>>, String> {
    let camera = &CAMERA.get().ok_or("the camera plugin did not start")?.0;
    if start(camera, kind.as_str(), i32::from(source == Source::Camera))? != 1 {
        return Err("the camera or gallery cannot be opened".into());
    }
    loop {
        std::thread::sleep(Duration::from_millis(200));
        let state = poll(camera)?;
        if state == "pending" {
            continue;
        }
        if state == "cancelled" {
            return Ok(None);
        }
        if let Some(path) = state.strip_prefix("file:") {
            let bytes = std::fs::read(path).map_err(|e| e.to_string());
            // The plugin's copy is in the app's cache: it goes as soon as it is read.
            let _ = std::fs::remove_file(path);
            return bytes.map(Some);
        }
        return Err(state.strip_prefix("error:").unwrap_or(&state).to_owned());
    }
}
