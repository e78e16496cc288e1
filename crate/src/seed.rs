//! Reproducible runs: one seed for libtorch (weight initialisation, dropout) and for the
//! crate's own shuffling.
//!
//! The seed lives in the process's environment (`DLINTRO_SEED`), not in a Rust static:
//! evcxr links the crate into every cell anew, so each cell would see its own copy of a
//! static, and a `seed(42)` in one cell would not reach the `fit` of the next.

/// The environment variable that holds the seed.
const VARIABLE: &str = "DLINTRO_SEED";

/// Makes a run reproducible: seeds libtorch (weight initialisation, dropout) and the
/// shuffling of [`Sequential::fit`](crate::model::Sequential::fit). The same seed gives a
/// bit-identical [`History`](crate::train::History) on the CPU.
///
/// ```
/// dlintro::seed(42);
/// assert_eq!(dlintro::seed::current(), 42);
/// ```
pub fn seed(n: u64) {
    tch::manual_seed(n as i64);
    std::env::set_var(VARIABLE, n.to_string());
}

/// The seed last given to [`seed`] in this process (0 before any).
pub fn current() -> u64 {
    std::env::var(VARIABLE)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}
