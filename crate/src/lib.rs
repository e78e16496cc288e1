//! # dlintro — the Rust edition of *Introduction to Deep Learning*, Day 1
//!
//! The support crate behind the workshop notebooks. Every notebook starts with
//!
//! ```text
//! :dep dlintro = { path = "../crate" }
//! use dlintro::prelude::*;
//! ```
//!
//! and then calls short functions from the modules below, one per idea on the slides.
//! Everything that can go wrong with a learner's input returns [`Result`], whose [`Error`]
//! says what was wrong and what was expected.
//!
//! | module | slide |
//! |---|---|
//! | [`setup`] | Setup Testing |
//! | [`device`](mod@device) | where the tensors live: CUDA when a GPU is usable, else the CPU |
//! | [`neuron`] | Exercise: calculate the output for one neuron |
//! | [`activation`] | Exercise: activation functions |
//! | [`loss`] | Exercise: loss function |
//! | [`data`] | the workflow's data: penguins, preparation, Playground sets |
//! | [`model`] | Keras-style models: build, compile, fit, evaluate, predict, save |
//! | [`metrics`] | measuring performance: accuracy, confusion matrix |
//! | [`plot`] | every figure, shown inline in the kernel |
//! | [`check`] | the self-checks of the exercises |

pub mod activation;
pub mod check;
pub mod convert;
pub mod data;
pub mod device;
pub mod error;
pub mod loss;
pub mod metrics;
pub mod model;
pub mod neuron;
pub mod plot;
pub mod prelude;
pub mod setup;

pub use device::device;
pub use error::{Error, Result};
pub use model::seed;
pub use ndarray;
pub use tch;
