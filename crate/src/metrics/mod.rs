//! Measuring performance (steps 7 and 8 of the workflow), the one home of every metric.
//!
//! A [`Metric`] is what a model reports besides its loss while it trains and in `evaluate`
//! (Keras' `metrics=[…]`): accuracy, root mean squared error, mean absolute error. The same
//! metric measures any predictions: `Metric::RootMeanSquaredError.compute(&y_true, &y_pred)`.
//! For class labels there are [`accuracy`], the [`ConfusionMatrix`] with class names, and
//! per-class precision and recall.
//!
//! Metrics are tensor maths on predictions and targets: they sit beneath the model, which is
//! compiled with them, and know nothing of models or training.
//!
//! | module | what |
//! |---|---|
//! | [`metric`](mod@metric) | [`Metric`]: computed on tensors, summed over an epoch's batches |
//! | [`classes`] | [`accuracy`], [`ConfusionMatrix`] with precision and recall |

pub mod classes;
pub mod metric;

pub use classes::{accuracy, ConfusionMatrix};
pub use metric::Metric;
pub(crate) use metric::Tally;
