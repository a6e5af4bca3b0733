//! The desktop's ways: a folder of files (testers, end-to-end tests:
//! `MPASPOR_PICK_DIR`), the file dialog, and freedesktop notifications.

use super::{DocumentPicker, Notifier, Picked, Source};
use mpaspor_domain::eligibility::DocumentKind;
use std::path::PathBuf;

/// Takes `<dir>/<kind>.jpg` (or `.png`): how tests and testers hand in files.
pub struct FolderPicker(pub PathBuf);

impl DocumentPicker for FolderPicker {
    fn pick(&self, kind: DocumentKind, _source: Source) -> Picked {
        let dir = self.0.clone();
        Box::pin(async move {
            for ext in ["jpg", "jpeg", "png"] {
                let path = dir.join(format!("{}.{ext}", kind.as_str()));
                if path.exists() {
                    return std::fs::read(&path).map(Some).map_err(|e| e.to_string());
                }
            }
            Ok(None)
        })
    }
}

/// The desktop's file dialog (through the XDG desktop portal on Linux).
#[cfg(feature = "desktop")]
pub struct DialogPicker;

#[cfg(feature = "desktop")]
impl DocumentPicker for DialogPicker {
    fn pick(&self, _kind: DocumentKind, _source: Source) -> Picked {
        Box::pin(async move {
            let Some(file) = rfd::AsyncFileDialog::new()
                .add_filter("JPEG / PNG", &["jpg", "jpeg", "png"])
                .pick_file()
                .await
            else {
                return Ok(None);
            };
            Ok(Some(file.read().await))
        })
    }
}

/// Desktop notifications through the freedesktop D-Bus service (or the
/// macOS and Windows ones).
#[cfg(feature = "desktop")]
pub struct DesktopNotifier;

#[cfg(feature = "desktop")]
impl DesktopNotifier {
    fn build(title: &str, body: &str) -> notify_rust::Notification {
        let mut n = notify_rust::Notification::new();
        n.appname("M-Paspor").summary(title).body(body);
        n
    }
}

#[cfg(feature = "desktop")]
impl Notifier for DesktopNotifier {
    fn notify(&self, title: &str, body: &str) -> Result<(), String> {
        Self::build(title, body)
            .show()
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    /// The default action is the tap; a thread waits for it (or for the
    /// notification to close) and then ends.
    #[cfg(all(unix, not(target_os = "macos")))]
    fn notify_tappable(&self, title: &str, body: &str, tapped: super::OnTap) -> Result<(), String> {
        let shown = Self::build(title, body)
            .action("default", "Buka")
            .show()
            .map_err(|e| e.to_string())?;
        std::thread::spawn(move || {
            shown.wait_for_action(|action| {
                if action == "default" {
                    tapped();
                }
            })
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{DocumentPicker, FolderPicker, Source};
    use mpaspor_domain::eligibility::DocumentKind;

    #[test]
    fn a_folder_hands_in_the_file_named_for_the_kind() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("ektp.jpg"), b"jpeg bytes").unwrap();
        std::fs::write(dir.path().join("family_card.png"), b"png bytes").unwrap();
        let picker = FolderPicker(dir.path().to_owned());
        let rt = tokio::runtime::Runtime::new().unwrap();
        assert_eq!(
            rt.block_on(picker.pick(DocumentKind::Ektp, Source::Camera))
                .unwrap()
                .unwrap(),
            b"jpeg bytes"
        );
        assert_eq!(
            rt.block_on(picker.pick(DocumentKind::FamilyCard, Source::Gallery))
                .unwrap()
                .unwrap(),
            b"png bytes"
        );
        assert_eq!(
            rt.block_on(picker.pick(DocumentKind::Diploma, Source::Gallery))
                .unwrap(),
            None,
            "cancelled"
        );
    }
}
