//! One router module per resource.

pub mod accounts;
pub mod applicants;
pub mod applications;
pub mod appointments;
pub mod payments;
pub mod reference;
pub mod sessions;
pub mod submit;
pub mod tester;
pub mod watches;
