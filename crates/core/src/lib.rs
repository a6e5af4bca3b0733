//! The client engine: everything the app does that is not drawing.
//! See `README.md` beside this folder for the map.

pub mod error;
pub mod photo;
pub mod schema;
pub mod store;

pub use error::StoreError;
pub use store::Store;
