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

impl From<(&Tensor, &Tensor)> for Validation {
    /// Keras' `validation_data=(x_val, y_val)`: `FitOptions::epochs(200).validation_data((&x_val, &y_val))`.
    fn from((x, y): (&Tensor, &Tensor)) -> Validation {
        Validation::new(x, y)
    }
}

impl From<&Validation> for Validation {
    /// The same tensors, shared: `FitOptions::epochs(200).validation_data(&validation)`.
    fn from(validation: &Validation) -> Validation {
        validation.clone()
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

impl EarlyStopping {
    /// Keras' `EarlyStopping(patience=10)`: stop when the validation loss has not improved
    /// for `patience` epochs; the other settings as [`EarlyStopping::default`].
    ///
    /// ```
    /// use dlintro::prelude::*;
    /// let stopping = EarlyStopping::patience(5).monitor("val_accuracy").restore_best_weights(true);
    /// assert_eq!((stopping.patience, stopping.monitor.as_str()), (5, "val_accuracy"));
    /// assert!(stopping.restore_best_weights);
    /// ```
    pub fn patience(patience: usize) -> EarlyStopping {
        EarlyStopping {
            patience,
            ..EarlyStopping::default()
        }
    }

    /// The metric to watch, e.g. `"val_loss"` or `"val_accuracy"`.
    pub fn monitor(mut self, metric: &str) -> EarlyStopping {
        self.monitor = metric.to_string();
        self
    }

    /// Whether to put back the weights of the best epoch when stopping.
    pub fn restore_best_weights(mut self, restore: bool) -> EarlyStopping {
        self.restore_best_weights = restore;
        self
    }
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
///
/// Write them as Keras' `fit(x, y, epochs=200, batch_size=16, validation_data=(x_val, y_val),
/// callbacks=[EarlyStopping(patience=10)])` reads: start from [`FitOptions::epochs`] and add
/// what differs from the defaults, one call per argument. The fields stay public, so
/// `FitOptions { epochs: 200, ..Default::default() }` works too.
///
/// ```
/// use dlintro::prelude::*;
/// let x_val = Tensor::zeros([4, 2], (Kind::Float, tch::Device::Cpu));
/// let y_val = Tensor::zeros([4, 1], (Kind::Float, tch::Device::Cpu));
/// let options = FitOptions::epochs(200)
///     .batch_size(16)
///     .validation_data((&x_val, &y_val))
///     .early_stopping(EarlyStopping::patience(10))
///     .verbose(Verbose::Silent);
/// assert_eq!((options.epochs, options.batch_size, options.verbose), (200, 16, Verbose::Silent));
/// assert_eq!(options.early_stopping.map(|e| e.patience), Some(10));
/// assert!(options.validation_data.is_some());
/// ```
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

impl FitOptions {
    /// Training for `epochs` passes over the data, everything else the default: Keras'
    /// `fit(x, y, epochs=…)`. A wrong value (0 epochs) is an error of `fit`, which checks
    /// every option before it trains.
    pub fn epochs(epochs: usize) -> FitOptions {
        FitOptions {
            epochs,
            ..FitOptions::default()
        }
    }

    /// How many samples per weight update (Keras' `batch_size`; default 32).
    pub fn batch_size(mut self, batch_size: usize) -> FitOptions {
        self.batch_size = batch_size;
        self
    }

    /// Data to measure after every epoch (Keras' `validation_data`): `(&x_val, &y_val)` or a
    /// [`Validation`] (shared, not copied).
    pub fn validation_data(mut self, validation: impl Into<Validation>) -> FitOptions {
        self.validation_data = Some(validation.into());
        self
    }

    /// The fraction of the data, taken from its end, to keep apart for validation (Keras'
    /// `validation_split`).
    pub fn validation_split(mut self, fraction: f64) -> FitOptions {
        self.validation_split = fraction;
        self
    }

    /// Early stopping (Keras' `callbacks=[EarlyStopping(…)]`).
    pub fn early_stopping(mut self, early_stopping: EarlyStopping) -> FitOptions {
        self.early_stopping = Some(early_stopping);
        self
    }

    /// How much `fit` prints (Keras' `verbose`): [`Verbose::Silent`] for nothing.
    pub fn verbose(mut self, verbose: Verbose) -> FitOptions {
        self.verbose = verbose;
        self
    }

    /// Whether to shuffle the training data before each epoch (Keras' `shuffle`).
    pub fn shuffle(mut self, shuffle: bool) -> FitOptions {
        self.shuffle = shuffle;
        self
    }

    /// The seed of the shuffling, instead of the one given to [`crate::seed()`].
    pub fn seed(mut self, seed: u64) -> FitOptions {
        self.seed = Some(seed);
        self
    }

    /// Stop cleanly once training has taken this long.
    pub fn time_budget(mut self, budget: Duration) -> FitOptions {
        self.time_budget = Some(budget);
        self
    }
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
