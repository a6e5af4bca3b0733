//! Secrets live only in the OS keystore, through keyring-core: the data key
//! that seals personal data in SQLite, and the session's tokens. Never in
//! SQLite, files or logs.
//!
//! Which keystore: the Android Keystore on Android, the Keychain on iOS and
//! macOS, and on Linux desktops the Secret Service when a keyring daemon
//! answers, else the kernel's keyutils (in memory only: its keys do not
//! survive a reboot, so a desktop's drafts do not either; the desktop build
//! is our test bed, phones keep theirs).

use crate::crypto::{DataKey, KEY_LEN};
use keyring_core::{CredentialStore, Entry};
use mpaspor_domain::api::Session;
use std::sync::Arc;

/// The keystore service name every entry of the app is filed under.
pub const SERVICE: &str = "id.go.imigrasi.mpaspor";
const DATA_KEY: &str = "data-key";
const SESSION: &str = "session";

#[derive(Debug, thiserror::Error)]
pub enum SecretsError {
    #[error("the phone's keystore could not be used: {0}")]
    Keystore(#[from] keyring_core::Error),
    #[error("the keystore holds a damaged entry ({0}); it was left as it is")]
    Damaged(&'static str),
}

/// The app's entries in one keystore. Cheap to clone.
#[derive(Clone)]
pub struct Secrets {
    store: Arc<CredentialStore>,
    service: String,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secrets({:?} in {})", self.service, self.store.vendor())
    }
}

/// The data key, for one kind of whole file (see `Secrets::file_seal`).
#[derive(Clone)]
pub struct FileSeal {
    key: DataKey,
    place: &'static str,
}

impl FileSeal {
    pub fn seal(&self, plain: &[u8]) -> Vec<u8> {
        self.key.seal(self.place, plain)
    }

    /// `None` when the bytes were sealed with another key, for another
    /// place, or changed.
    pub fn open(&self, sealed: &[u8]) -> Option<Vec<u8>> {
        self.key.open(self.place, sealed).ok()
    }
}

/// A session as the keystore keeps it: with the server that issued it.
#[derive(serde::Serialize, serde::Deserialize)]
struct KeptSession {
    #[serde(default)]
    server: Option<String>,
    #[serde(flatten)]
    session: Session,
}

impl Secrets {
    pub fn new(store: Arc<CredentialStore>, service: &str) -> Secrets {
        Secrets {
            store,
            service: service.to_owned(),
        }
    }

    /// An in-memory keystore (keyring-core's mock) for single-process tests and previews.
    pub fn in_memory() -> Secrets {
        Secrets::new(
            keyring_core::mock::Store::new().expect("the mock store always opens"),
            SERVICE,
        )
    }

    /// The platform's keystore (see the module's note for which one).
    pub fn platform(service: &str) -> Result<Secrets, SecretsError> {
        Ok(Secrets::new(platform::store()?, service))
    }

    /// The platform's keystore entries of the data kept in `data_dir`. On a
    /// phone there is one; on a desktop each data directory has its own key
    /// and session.
    pub fn for_data_dir(data_dir: &std::path::Path) -> Result<Secrets, SecretsError> {
        use sha2::Digest;
        let dir = data_dir.to_string_lossy();
        let tag = &hex::encode(sha2::Sha256::digest(dir.as_bytes()))[..12];
        Secrets::platform(&format!("{SERVICE}/{tag}"))
    }

    /// Seals whole files the app writes beside its store (the bundled mock's
    /// database) with the data key, for `place`.
    pub fn file_seal(&self, place: &'static str) -> Result<FileSeal, SecretsError> {
        let (key, _) = self.data_key()?;
        Ok(FileSeal { key, place })
    }

    /// Which keystore this is, for the settings screen and logs.
    pub fn vendor(&self) -> String {
        self.store.vendor()
    }

    fn entry(&self, user: &str) -> Result<Entry, SecretsError> {
        Ok(Entry::new_in_store(&self.store, &self.service, user)?)
    }

    /// The data key, made on first use. `None` in the second place means it
    /// existed; `Some(true)` that it was just made (nothing sealed before can open).
    pub fn data_key(&self) -> Result<(DataKey, bool), SecretsError> {
        let entry = self.entry(DATA_KEY)?;
        match entry.get_secret() {
            Ok(bytes) => Ok((
                DataKey::from_bytes(&bytes).map_err(|_| SecretsError::Damaged(DATA_KEY))?,
                false,
            )),
            Err(keyring_core::Error::NoEntry) => {
                let (key, bytes) = DataKey::generate();
                entry.set_secret(&bytes)?;
                debug_assert_eq!(bytes.len(), KEY_LEN);
                Ok((key, true))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// The session the keystore holds for `server`. Tokens are bound to the
    /// server that issued them: a session kept for another address (the
    /// app pointed somewhere else) is dropped, never sent there.
    pub fn session(&self, server: &str) -> Result<Option<Session>, SecretsError> {
        let kept: KeptSession = match self.entry(SESSION)?.get_secret() {
            Ok(bytes) => {
                serde_json::from_slice(&bytes).map_err(|_| SecretsError::Damaged(SESSION))?
            }
            Err(keyring_core::Error::NoEntry) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        // A session kept before tokens were bound names no server: it came
        // from the one the app was pointed at then, which is this one unless
        // the address changed at the same time.
        if kept.server.as_deref().is_some_and(|s| s != server) {
            tracing::warn!("the kept session belongs to another server; signed out");
            self.clear_session()?;
            return Ok(None);
        }
        Ok(Some(kept.session))
    }

    pub fn set_session(&self, server: &str, session: &Session) -> Result<(), SecretsError> {
        let kept = KeptSession {
            server: Some(server.to_owned()),
            session: session.clone(),
        };
        let bytes = serde_json::to_vec(&kept).expect("a session serialises");
        Ok(self.entry(SESSION)?.set_secret(&bytes)?)
    }

    pub fn clear_session(&self) -> Result<(), SecretsError> {
        match self.entry(SESSION)?.delete_credential() {
            Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// Forgets the data key too (account deleted, or the user wipes the phone's copy).
    pub fn forget_everything(&self) -> Result<(), SecretsError> {
        self.clear_session()?;
        match self.entry(DATA_KEY)?.delete_credential() {
            Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
}

#[cfg(target_os = "android")]
mod platform {
    use super::*;
    pub fn store() -> Result<Arc<CredentialStore>, SecretsError> {
        Ok(android_native_keyring_store::Store::new()?)
    }
}

#[cfg(target_vendor = "apple")]
mod platform {
    use super::*;
    pub fn store() -> Result<Arc<CredentialStore>, SecretsError> {
        Ok(apple_native_keyring_store::protected::Store::new()?)
    }
}

#[cfg(target_os = "linux")]
pub mod platform {
    use super::*;

    pub fn store() -> Result<Arc<CredentialStore>, SecretsError> {
        if let Ok(store) = zbus_secret_service_keyring_store::Store::new() {
            let store: Arc<CredentialStore> = store;
            if usable(&store) {
                return Ok(store);
            }
        }
        keyutils()
    }

    /// The kernel keystore, in this process's session keyring.
    pub fn keyutils() -> Result<Arc<CredentialStore>, SecretsError> {
        let store: Arc<CredentialStore> = linux_keyutils_keyring_store::Store::new()?;
        if !usable(&store) {
            // Some containers hand every process a shared default session keyring
            // whose keys the process may add but not read: join a keyring of our own,
            // which the children we start share.
            join_own_session_keyring();
        }
        Ok(store)
    }

    fn usable(store: &Arc<CredentialStore>) -> bool {
        let probe = match Entry::new_in_store(store, SERVICE, "probe") {
            Ok(e) => e,
            Err(_) => return false,
        };
        if probe.set_secret(b"1").is_err() {
            return false;
        }
        let read = probe.get_secret().is_ok();
        let _ = probe.delete_credential();
        read
    }

    /// `keyctl(KEYCTL_JOIN_SESSION_KEYRING, NULL)`: a new anonymous session keyring.
    pub fn join_own_session_keyring() {
        const KEYCTL_JOIN_SESSION_KEYRING: libc::c_long = 1;
        // SAFETY: the call takes a nullable C string; null asks for an anonymous keyring.
        let id = unsafe {
            libc::syscall(
                libc::SYS_keyctl,
                KEYCTL_JOIN_SESSION_KEYRING,
                std::ptr::null::<libc::c_char>(),
            )
        };
        if id < 0 {
            tracing::warn!(
                "could not join a session keyring: {}",
                std::io::Error::last_os_error()
            );
        }
    }
}

#[cfg(not(any(target_os = "android", target_os = "linux", target_vendor = "apple")))]
mod platform {
    use super::*;
    pub fn store() -> Result<Arc<CredentialStore>, SecretsError> {
        Err(SecretsError::Keystore(
            keyring_core::Error::NoStorageAccess("no keystore is known for this platform".into()),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_key_is_made_once_and_then_found() {
        let secrets = Secrets::in_memory();
        let (key, made) = secrets.data_key().unwrap();
        assert!(made);
        let sealed = key.seal("p", b"x");
        let (again, made) = secrets.data_key().unwrap();
        assert!(!made);
        assert_eq!(again.open("p", &sealed).unwrap(), b"x");
        secrets.forget_everything().unwrap();
        let (fresh, made) = secrets.data_key().unwrap();
        assert!(made);
        assert!(fresh.open("p", &sealed).is_err());
    }
}
