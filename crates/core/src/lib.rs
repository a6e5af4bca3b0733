//! The client engine: everything the app does that is not drawing.
//! See `README.md` beside this folder for the map.

pub mod account;
pub mod begin;
pub mod cache;
pub mod client;
pub mod crypto;
pub mod documents;
pub mod drafts;
pub mod error;
pub mod home;
pub mod identity;
pub mod notified;
pub mod offices;
pub mod outbox;
pub mod photo;
pub mod reminders;
pub mod schema;
pub mod secrets;
pub mod store;
pub mod sync;

pub use client::{Api, ApiError};
pub use crypto::DataKey;
pub use error::StoreError;
pub use secrets::Secrets;
pub use store::Store;
pub use sync::Engine;
