//! Training, step 6 of the workflow: [`Sequential::fit`](crate::model::Sequential::fit), a
//! short loop over epochs and batches — one training step per batch — that calls
//! [`Callback`]s (the progress lines, early stopping, a time budget, and any of your own) and
//! returns the [`History`].
//!
//! | module | what |
//! |---|---|
//! | [`options`](mod@options) | [`FitOptions`]: Keras' `fit` arguments as a plain struct |
//! | [`history`](mod@history) | [`History`]: every epoch's loss and metrics |
//! | [`callbacks`] | the [`Callback`] trait and the callbacks `fit` runs |
//! | `fit` | the loop |

pub mod callbacks;
mod fit;
pub mod history;
pub mod options;

pub use callbacks::{Callback, Control, EpochEnd};
pub use history::{History, StopReason};
pub use options::{EarlyStopping, FitOptions, Validation, Verbose};

#[cfg(test)]
mod tests;
