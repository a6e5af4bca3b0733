//! The client engine: everything the app does that is not drawing.
//! See `README.md` beside this folder for the map.
//!
//! The app goes through one door, [`Engine`] (`engine/`), and names only the
//! types it answers in. The parts below the door (the store, the outbox,
//! sync, the HTTP client) are the engine's own; the `internals` feature
//! opens them to this crate's tests, benches and examples and to the app's
//! tests, never to the app itself (its Android check builds without it).

pub mod attorney;
pub mod changes;
pub mod engine;
pub mod error;
pub mod photo;
pub mod secrets;

/// The modules below the door: public with `internals`, else the crate's own
/// (then what only tests use of them is dead code, and allowed to be).
macro_rules! below_the_door {
    ($($name:ident),* $(,)?) => {
        $(
            #[cfg(feature = "internals")]
            pub mod $name;
            #[cfg(not(feature = "internals"))]
            #[allow(dead_code)]
            mod $name;
        )*
    };
}

below_the_door!(
    applicants, cache, client, crypto, documents, drafts, inbox, notified, outbox, schema, store,
    sync, watches,
);

pub use client::ApiError;
pub use engine::Engine;
pub use error::{Error, StoreError};
pub use secrets::Secrets;

#[cfg(feature = "internals")]
pub use {client::Api, crypto::DataKey, store::Store};
