//! Where document pictures come from, behind one trait: a file dialog on the
//! desktop, a folder of files for testers and end-to-end tests
//! (`MPASPOR_PICK_DIR`), and on phones the native camera and gallery plugins
//! of `platforms/` (`crate::native`; see `platforms/README.md`).

use mpaspor_domain::eligibility::DocumentKind;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;

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

/// The picker this build and environment use.
pub fn default_picker() -> std::sync::Arc<dyn DocumentPicker> {
    if let Some(dir) = std::env::var_os("MPASPOR_PICK_DIR") {
        return std::sync::Arc::new(FolderPicker(dir.into()));
    }
    #[cfg(feature = "desktop")]
    return std::sync::Arc::new(DialogPicker);
    #[cfg(all(
        not(feature = "desktop"),
        any(target_os = "android", target_os = "ios")
    ))]
    return std::sync::Arc::new(crate::native::NativePicker);
    #[cfg(all(
        not(feature = "desktop"),
        not(any(target_os = "android", target_os = "ios"))
    ))]
    return std::sync::Arc::new(FolderPicker(std::env::temp_dir()));
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
