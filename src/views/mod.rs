//! One component per screen.

mod welcome;

pub use welcome::Welcome;
