//! Reproducible runs: one seed for libtorch (weight initialisation, dropout) and for the
//! crate's own shuffling.

use std::sync::atomic::{AtomicU64, Ordering};

static SEED: AtomicU64 = AtomicU64::new(0);

/// Makes a run reproducible: seeds libtorch (weight initialisation, dropout) and the
/// shuffling of [`Sequential::fit`](crate::model::Sequential::fit). The same seed gives a
/// bit-identical [`History`](crate::train::History) on the CPU.
pub fn seed(n: u64) {
    tch::manual_seed(n as i64);
    SEED.store(n, Ordering::Relaxed);
}

/// The seed last given to [`seed`] (0 before any).
pub fn current() -> u64 {
    SEED.load(Ordering::Relaxed)
}
