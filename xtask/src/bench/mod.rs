//! `cargo xtask bench`: training speed against PyTorch and Keras, the notebooks' cell latency,
//! the kernel settings compared, set-up times and memory, written to BENCHMARKS.md.

pub mod commands;
pub mod compare;
pub mod latency;
pub mod machine;
pub mod report;
pub mod stats;
pub mod training;
