//! The bundled mock's database, kept in one sealed file: the mock runs on an
//! in-memory database, restored from the file at start, and the keeper
//! writes a sealed image of it again shortly after each change (and when the
//! mock stops). No page of it, deleted or not, is ever on the disk in plain.

use crate::db::{Db, Sealer};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// How soon after a change the file is written again.
pub const KEEP_EVERY: Duration = Duration::from_millis(500);

/// Loads the sealed file into `conn` (an empty in-memory database). A file
/// that does not open with this key is set aside, never deleted, and the
/// mock starts empty.
pub fn restore(
    conn: &mut rusqlite::Connection,
    path: &Path,
    sealer: &dyn Sealer,
) -> Result<(), rusqlite::Error> {
    let Ok(sealed) = std::fs::read(path) else {
        return Ok(());
    };
    match sealer.open(&sealed) {
        Some(image) => {
            let size = image.len();
            conn.deserialize_read_exact(rusqlite::MAIN_DB, &image[..], size, false)
        }
        None => {
            let aside = path.with_extension("unreadable");
            tracing::warn!(
                "the bundled mock's file does not open with this key; set aside at {}",
                aside.display()
            );
            let _ = std::fs::rename(path, aside);
            Ok(())
        }
    }
}

/// Writes the sealed image of `db` to `path`: to a new file, then renamed
/// over the old one, so a crash leaves the old or the new, never half.
pub fn keep(db: &Db, path: &Path, sealer: &dyn Sealer) -> std::io::Result<()> {
    let image = db.image().map_err(std::io::Error::other)?;
    let sealed = sealer.seal(&image);
    let fresh = path.with_extension("writing");
    std::fs::write(&fresh, sealed)?;
    std::fs::File::open(&fresh)?.sync_all()?;
    std::fs::rename(&fresh, path)
}

/// Keeps the file up to date while the mock runs: checks for changes every
/// `KEEP_EVERY`, and writes once more when told to stop.
pub async fn keeper(
    db: Db,
    path: PathBuf,
    sealer: Arc<dyn Sealer>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let mut kept = db.generation();
    loop {
        let stopping = tokio::select! {
            _ = tokio::time::sleep(KEEP_EVERY) => false,
            _ = stop.changed() => true,
        };
        let now = db.generation();
        if now != kept || stopping {
            let (db, path, sealer) = (db.clone(), path.clone(), sealer.clone());
            let written =
                tokio::task::spawn_blocking(move || keep(&db, &path, sealer.as_ref())).await;
            match written {
                Ok(Ok(())) => kept = now,
                Ok(Err(e)) => tracing::warn!("the bundled mock's file was not written: {e}"),
                Err(e) => tracing::warn!("the bundled mock's keeper failed: {e}"),
            }
        }
        if stopping {
            return;
        }
    }
}
