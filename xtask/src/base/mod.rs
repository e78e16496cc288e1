//! The base every job stands on, importing nothing above it: `Failure`, running processes,
//! the repository's root, clock times and dates.

pub mod clock;
pub mod failure;
pub mod process;
pub mod repo;
