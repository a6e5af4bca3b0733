//! One router module per resource.

pub mod accounts;
pub mod applicants;
pub mod applications;
pub mod reference;
pub mod tester;
