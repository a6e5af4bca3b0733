//! What differs between a desktop and a phone, behind two traits: where
//! document pictures come from, and where reminders go. The desktop's are in
//! `desktop.rs`; the phones' plugins of `platforms/` are bound in `native.rs`
//! (see `platforms/README.md`).

mod desktop;
#[cfg(any(target_os = "android", target_os = "ios"))]
pub mod native;

pub use desktop::FolderPicker;
use mpaspor_domain::eligibility::DocumentKind;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

pub type Picked = Pin<Box<dyn Future<Output = Result<Option<Vec<u8>>, String>> + Send>>;

/// Where the applicant wants the picture from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Camera,
    /// The gallery on a phone, files on a desktop.
    Gallery,
}

pub trait DocumentPicker: Send + Sync {
    /// The bytes of the picture chosen for `kind`; `None` if the applicant cancelled.
    fn pick(&self, kind: DocumentKind, source: Source) -> Picked;
    /// Whether [`Source::Camera`] is offered (phones only).
    fn has_camera(&self) -> bool {
        false
    }
}

/// What a tapped notification does.
pub type OnTap = Box<dyn FnOnce() + Send>;

/// Where reminders go as system notifications.
pub trait Notifier: Send + Sync {
    /// Shows one system notification.
    fn notify(&self, title: &str, body: &str) -> Result<(), String>;

    /// Shows one that does `tapped` when the applicant taps it (where the
    /// platform tells the app; elsewhere the tap opens the app as it was).
    fn notify_tappable(&self, title: &str, body: &str, tapped: OnTap) -> Result<(), String> {
        drop(tapped);
        self.notify(title, body)
    }
}

/// The picker this build and environment use.
pub fn default_picker() -> Arc<dyn DocumentPicker> {
    if let Some(dir) = std::env::var_os("MPASPOR_PICK_DIR") {
        return Arc::new(FolderPicker(dir.into()));
    }
    #[cfg(feature = "desktop")]
    return Arc::new(desktop::DialogPicker);
    #[cfg(all(
        not(feature = "desktop"),
        any(target_os = "android", target_os = "ios")
    ))]
    return Arc::new(native::NativePicker);
    #[cfg(all(
        not(feature = "desktop"),
        not(any(target_os = "android", target_os = "ios"))
    ))]
    return Arc::new(FolderPicker(std::env::temp_dir()));
}

/// The platform's notifier.
pub fn default_notifier() -> Arc<dyn Notifier> {
    #[cfg(any(target_os = "android", target_os = "ios"))]
    return Arc::new(native::NativeNotifier);
    #[cfg(all(
        feature = "desktop",
        not(any(target_os = "android", target_os = "ios"))
    ))]
    return Arc::new(desktop::DesktopNotifier);
    #[cfg(not(any(feature = "desktop", target_os = "android", target_os = "ios")))]
    {
        struct Quiet;
        impl Notifier for Quiet {
            fn notify(&self, _: &str, _: &str) -> Result<(), String> {
                Err("this build has no notifications".into())
            }
        }
        Arc::new(Quiet)
    }
}

/// Keeps a document the applicant asked for (a letter to print) where they
/// can open, print or share it: the downloads folder on a desktop; on a
/// phone, the app's own documents folder (the share sheet comes with the
/// plugins of `platforms/`). Answers where it went.
pub fn save_document(file_name: &str, bytes: &[u8]) -> Result<std::path::PathBuf, String> {
    let dir = match std::env::var_os("XDG_DOWNLOAD_DIR") {
        Some(dir) => std::path::PathBuf::from(dir),
        None => std::env::var_os("HOME")
            .map(|home| std::path::PathBuf::from(home).join("Downloads"))
            .unwrap_or_else(std::env::temp_dir),
    };
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let path = dir.join(file_name);
    std::fs::write(&path, bytes).map_err(|e| e.to_string())?;
    Ok(path)
}

/// Opens a saved document in the system's viewer.
pub fn open_document(path: &std::path::Path) -> Result<(), String> {
    #[cfg(target_os = "linux")]
    let opener = "xdg-open";
    #[cfg(target_os = "macos")]
    let opener = "open";
    #[cfg(not(any(target_os = "linux", target_os = "macos")))]
    return Err(format!("open {} from the files app", path.display()));
    #[cfg(any(target_os = "linux", target_os = "macos"))]
    std::process::Command::new(opener)
        .arg(path)
        .spawn()
        .map(drop)
        .map_err(|e| e.to_string())
}
