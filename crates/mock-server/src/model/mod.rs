//! What the routes do to the database, below HTTP: the mock's model. Routes
//! call down into it; nothing here names a route, the shared state or a layer
//! above (a time is passed in, never read from the clock here).

pub mod applications;
pub mod bookings;
pub mod corrections;
pub mod events;
pub mod family;
pub mod identity;
pub mod lifecycle;
pub mod messages;
pub mod otps;
pub mod people;
pub mod proofs;
pub mod sessions;
pub mod swept;
pub mod throttle;
pub mod watches;
