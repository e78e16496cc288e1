//! The options of [`Sequential::fit`](crate::model::Sequential::fit).

use std::fmt;
use std::time::Duration;

use tch::Tensor;

/// Validation data `(x, y)` that [`FitOptions::validation_data`] measures every epoch: Keras'
/// `validation_data=(x_val, y_val)`.
pub struct Validation {
    /// The features.
    pub x: Tensor,
    /// The labels or targets.
    pub y: Tensor,
}

impl Validation {
    /// Validation data from `x` and `y` (the tensors are shared, not copied).
    pub fn new(x: &Tensor, y: &Tensor) -> Validation {
        Validation {
            x: x.shallow_clone(),
            y: y.shallow_clone(),
        }
    }
}

impl Clone for Validation {
    /// Shares the same tensors.
    fn clone(&self) -> Self {
        Validation::new(&self.x, &self.y)
    }
}

impl fmt::Debug for Validation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Validation {{ x: {:?}, y: {:?} }}",
            self.x.size(),
            self.y.size()
        )
    }
}

/// How much `fit` prints.
///
/// Keras prints a progress bar per epoch by default; a notebook cell with 100 of them is a
/// page of scrolling, so the default here is [`Verbose::Compact`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Verbose {
    /// Nothing.
    Silent,
    /// The first epoch with an estimate of how long the whole fit takes, then about ten
    /// evenly spaced epochs, the last one, and why training stopped early, if it did.
    #[default]
    Compact,
    /// One line per epoch (Keras' `verbose=2`).
    EveryEpoch,
}

/// Stops training when the monitored metric has not improved for `patience` epochs: Keras'
/// `EarlyStopping` callback.
#[derive(Debug, Clone, PartialEq)]
pub struct EarlyStopping {
    /// The metric to watch: `val_loss` (smaller is better), an accuracy (larger is better)
    /// or any other metric of the [`History`](crate::train::History) (smaller is better).
    pub monitor: String,
    /// How many epochs without improvement to wait.
    pub patience: usize,
    /// Whether to put back the weights of the best epoch when stopping.
    pub restore_best_weights: bool,
}

impl Default for EarlyStopping {
    /// `val_loss`, patience 10, weights not restored. Keras' defaults, except the patience:
    /// Keras' 0 stops at the first epoch that is not a new best, which a noisy validation
    /// loss reaches within a few epochs; the lesson itself uses 10.
    fn default() -> Self {
        EarlyStopping {
            monitor: "val_loss".into(),
            patience: 10,
            restore_best_weights: false,
        }
    }
}

/// The options of [`Sequential::fit`](crate::model::Sequential::fit): Keras' arguments as a
/// plain struct, with Keras' defaults (100 epochs instead of Keras' 1, so that the default
/// trains).
#[derive(Debug, Clone)]
pub struct FitOptions {
    /// How many passes over the training data.
    pub epochs: usize,
    /// How many samples per weight update: 32.
    pub batch_size: usize,
    /// Whether to shuffle the training data before each epoch: true.
    pub shuffle: bool,
    /// The shuffling seed; `None` takes the one given to [`crate::seed()`].
    pub seed: Option<u64>,
    /// The fraction of the data, taken from its end, kept apart for validation.
    pub validation_split: f64,
    /// Validation data, instead of a split.
    pub validation_data: Option<Validation>,
    /// Early stopping, if any.
    pub early_stopping: Option<EarlyStopping>,
    /// Stop cleanly when training has taken this long: the model keeps the weights it has
    /// and the history the epochs it finished.
    pub time_budget: Option<Duration>,
    /// How much to print.
    pub verbose: Verbose,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            epochs: 100,
            batch_size: 32,
            shuffle: true,
            seed: None,
            validation_split: 0.0,
            validation_data: None,
            early_stopping: None,
            time_budget: None,
            verbose: Verbose::default(),
        }
    }
}
