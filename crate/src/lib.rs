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
//! The modules are a house of four floors, and imports only go down (or along a floor, one
//! way, never in a circle):
//!
//! 1. **The exercises**: [`check`], the self-checks of every notebook.
//! 2. **The lessons**, each for one notebook and named after its idea: [`setup`] (00),
//!    [`intro`] and [`neuron`] (01), [`descent`] (03), [`playground`] (05). What exists for
//!    one notebook lives in its lesson; the core below knows no notebook.
//! 3. **The core**, where data flows one way: **data → metrics → model → train → plot**.
//!    The metrics sit beneath the model, which is compiled with them and reports them; a plot
//!    draws what the others computed and never trains. The model is built from three
//!    building blocks beneath it: [`activation`] (02), [`loss`] (04) and [`optimizer`].
//! 4. **The foundation**, beneath everything: [`error`], [`convert`], [`display`], [`device`](mod@device),
//!    [`seed`](mod@seed) and [`interrupt`].
//!
//! The [`prelude`] gathers what a notebook needs; its `data` and `plot` include the lessons'
//! data sets and figures (`data::Playground`, `plot::decision_boundary`, `plot::descent`, `plot::fields`).
//!
//! | module | slide or step | what |
//! |---|---|---|
//! | [`check`] | every exercise | the self-checks: ✓ or a hint |
//! | [`setup`] | 00 Setup Testing | the checklist |
//! | [`intro`] | 01 what is deep learning? | the first slide's figure: deep learning inside machine learning inside AI |
//! | [`neuron`] | 01 one neuron | a neuron and small networks with weights written by hand |
//! | [`descent`] | 03 how networks learn | gradient descent on one weight, autograd vs a finite difference, the descent figure |
//! | [`playground`] | 05 TensorFlow Playground | [`Playground`](playground::Playground) data sets, decision planes and boundaries, neuron maps, [`BoundaryRecorder`](playground::BoundaryRecorder) |
//! | [`data`] | workflow steps 2–3 | penguins, weather, [`Table`](data::Table), [`prepare`](data::prepare()), [`next_day`](data::next_day), [`prepare_three_way`](data::prepare_three_way), images, batches |
//! | [`metrics`] | steps 7–8 | [`Metric`](metrics::Metric) (accuracy, RMSE, MAE) for training and any predictions; accuracy, confusion matrix, precision, recall on class labels |
//! | [`model`] | steps 4–5, 8, 10 | [`Sequential`](model::Sequential): layers (batch normalisation too), summary, compile with [`Metric`](metrics::Metric)s, one training step, predict, evaluate, save/load; Keras' Functional API: [`Input`](model::Input), [`Layer::apply`](model::Layer::apply), [`layers`](model::layers)`::concatenate`/`add`, [`Model`](model::Model) |
//! | [`train`] | step 6 | `fit` of either model: epochs → batches → training step → callbacks; [`History`](train::History) |
//! | [`plot`] | every figure | lines, activation curves, training curves of any metric, pair plot, confusion matrix, predicted against true, a model's architecture, images |
//! | [`activation`] | 02 activation functions | six activations, derivatives by autograd |
//! | [`loss`] | 04 loss functions | MSE, MAE, Huber, cross-entropies; [`Loss`](loss::Loss) for training |
//! | [`optimizer`] | step 5 | [`Optimizer`](optimizer::Optimizer): Keras' SGD and Adam, their defaults and updates |
//! | [`display`] | — | HTML, [`Figure`](display::Figure), [`Animation`](display::Animation) in the kernel |
//! | [`convert`] | — | slices, arrays and tensors; the input checks |
//! | [`device`](mod@device), [`seed`](mod@seed) | — | where tensors live; reproducible runs |
//! | [`interrupt`] | — | Kernel ▸ Interrupt stops the long loops and keeps every variable |
//! | [`error`] | — | the one [`Error`] |

pub mod activation;
pub mod check;
pub mod convert;
pub mod data;
pub mod descent;
pub mod device;
pub mod display;
pub mod error;
pub mod interrupt;
pub mod intro;
pub mod loss;
pub mod metrics;
pub mod model;
pub mod neuron;
pub mod optimizer;
pub mod playground;
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
