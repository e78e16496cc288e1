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
//! Data flows one way, and so do the modules' imports: **data → model → training → metrics
//! → plots**, with the exercises beside them and `display`, `convert` and `error` beneath
//! everything.
//!
//! | module | slide or step | what |
//! |---|---|---|
//! | [`setup`] | Setup Testing | the checklist |
//! | [`neuron`] | one neuron | a neuron and small networks with weights written by hand |
//! | [`activation`] | activation functions | six activations, derivatives by autograd |
//! | [`descent`] | how networks learn | gradient descent on one weight, autograd vs a finite difference |
//! | [`loss`] | loss functions | MSE, MAE, Huber, cross-entropies; [`Loss`](loss::Loss) for training |
//! | [`check`] | every exercise | the self-checks: ✓ or a hint |
//! | [`data`] | workflow steps 2–3 | penguins, weather, [`Table`](data::Table), [`prepare`](data::prepare()), [`next_day`](data::next_day), [`prepare_three_way`](data::prepare_three_way), Playground sets |
//! | [`model`] | steps 4–5, 8, 10 | [`Sequential`](model::Sequential): layers (batch normalisation too), summary, compile with [`Metric`](model::Metric)s, predict, save/load |
//! | [`train`] | step 6 | `fit`: the loop, callbacks, [`History`](train::History) |
//! | [`metrics`] | steps 7–8 | accuracy, confusion matrix, precision, recall; RMSE and MAE through [`Metric`](model::Metric) |
//! | [`plot`] | every figure | lines, training curves of any metric, pair plot, boundaries, confusion matrix, predicted against true |
//! | [`display`] | — | HTML, [`Figure`](display::Figure), [`Animation`](display::Animation) in the kernel |
//! | [`convert`] | — | slices, arrays and tensors; the input checks |
//! | [`device`](mod@device), [`seed`](mod@seed) | — | where tensors live; reproducible runs |
//! | [`error`] | — | the one [`Error`] |

pub mod activation;
pub mod check;
pub mod convert;
pub mod data;
pub mod descent;
pub mod device;
pub mod display;
pub mod error;
pub mod loss;
pub mod metrics;
pub mod model;
pub mod neuron;
pub mod plot;
pub mod prelude;
pub mod seed;
pub mod setup;
pub mod train;

#[cfg(test)]
mod test_support;

pub use device::device;
pub use error::{Error, Result};
pub use ndarray;
pub use seed::seed;
pub use tch;
