//! `cargo xtask bench` (`commands`): training speed against PyTorch and Keras (`training`),
//! the notebooks' cell latency (`latency`), the kernel settings compared (`compare`), the
//! machine (`machine`), set-up times and memory, written to BENCHMARKS.md (`report`). It
//! stands on `setup`, for the environment and the kernel, and on `base`.

pub mod commands;
pub mod compare;
pub mod latency;
pub mod machine;
pub mod report;
pub mod stats;
pub mod training;
