//! What a training run measured, epoch by epoch.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Why training ended before its last epoch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum StopReason {
    /// Early stopping: the monitored metric had not improved for `patience` epochs.
    EarlyStopping {
        /// The metric watched.
        monitor: String,
        /// The epoch where it was best.
        best_epoch: usize,
        /// Whether the model got that epoch's weights back.
        restored: bool,
    },
    /// The time budget ran out.
    TimeBudget {
        /// The budget, in seconds.
        seconds: f64,
        /// Whether it ran out in the middle of an epoch (whose numbers are then not in the
        /// history).
        mid_epoch: bool,
    },
    /// A callback of your own said stop.
    Callback,
    /// Kernel ▸ Interrupt (■, `I I`) stopped it after a batch (see [`crate::interrupt`]):
    /// the model keeps the weights it reached; the history holds the epochs it finished.
    Interrupted,
}

impl fmt::Display for StopReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StopReason::EarlyStopping {
                monitor,
                best_epoch,
                restored,
            } => {
                write!(
                    f,
                    "early stopping: {monitor} has not improved since epoch {best_epoch}"
                )?;
                if *restored {
                    write!(f, "; the model has that epoch's weights again")?;
                }
                Ok(())
            }
            StopReason::TimeBudget { seconds, mid_epoch } => {
                write!(
                    f,
                    "the time budget of {} ran out; the model keeps the weights it has",
                    duration_text(*seconds)
                )?;
                if *mid_epoch {
                    write!(f, ", the history the epochs it finished")?;
                }
                Ok(())
            }
            StopReason::Callback => write!(f, "a callback stopped training"),
            StopReason::Interrupted => write!(
                f,
                "interrupted (Kernel ▸ Interrupt); the model keeps the weights it reached"
            ),
        }
    }
}

/// `seconds` for a person: "0.42 s", "12 s", "3 min 20 s".
pub(crate) fn duration_text(seconds: f64) -> String {
    if seconds < 10.0 {
        format!("{seconds:.2} s")
    } else if seconds < 60.0 {
        format!("{seconds:.0} s")
    } else {
        let whole = seconds.round() as u64;
        format!("{} min {} s", whole / 60, whole % 60)
    }
}

/// The metrics of every epoch of a training run: `loss`, `accuracy`, `val_loss`,
/// `val_accuracy`, whichever apply.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct History {
    /// Per metric, one value per epoch.
    pub metrics: BTreeMap<String, Vec<f64>>,
    /// With early stopping: the epoch (from 1) where the monitored metric was best.
    pub best_epoch: Option<usize>,
    /// Why training stopped before its last epoch, if it did.
    pub stopped: Option<StopReason>,
}

impl History {
    /// How many epochs ran.
    pub fn epochs(&self) -> usize {
        self.metrics.get("loss").map_or(0, Vec::len)
    }

    /// Whether Kernel ▸ Interrupt stopped the training ([`StopReason::Interrupted`]).
    ///
    /// ```
    /// let mut history = dlintro::train::History::default();
    /// assert!(!history.interrupted());
    /// history.stopped = Some(dlintro::train::StopReason::Interrupted);
    /// assert!(history.interrupted());
    /// ```
    pub fn interrupted(&self) -> bool {
        self.stopped == Some(StopReason::Interrupted)
    }

    /// The values of one metric, one per epoch.
    pub fn get(&self, metric: &str) -> Result<&[f64]> {
        self.metrics.get(metric).map(Vec::as_slice).ok_or_else(|| {
            Error::invalid(
                "History::get",
                "metric",
                format!(
                    "is {metric:?}, expected one of {:?}",
                    self.metrics.keys().collect::<Vec<_>>()
                ),
            )
        })
    }

    /// The last value of one metric.
    pub fn last(&self, metric: &str) -> Result<f64> {
        let values = self
            .get(metric)
            .map_err(|e| e.reported_by("History::last", |a| a))?;
        Ok(*values.last().unwrap_or(&f64::NAN))
    }

    /// The epoch (from 1) where `metric` was lowest, and its value there: where a validation
    /// loss or error stopped improving. The first such epoch if there are ties.
    ///
    /// ```
    /// let mut history = dlintro::train::History::default();
    /// history.metrics.insert("val_loss".into(), vec![3.0, 1.5, 2.0, 1.5]);
    /// assert_eq!(history.lowest("val_loss")?, (2, 1.5));
    /// # Ok::<(), dlintro::Error>(())
    /// ```
    pub fn lowest(&self, metric: &str) -> Result<(usize, f64)> {
        let values = self
            .get(metric)
            .map_err(|e| e.reported_by("History::lowest", |a| a))?;
        values
            .iter()
            .enumerate()
            .filter(|(_, v)| v.is_finite())
            .fold(None, |best: Option<(usize, f64)>, (i, &v)| match best {
                Some((_, b)) if b <= v => best,
                _ => Some((i + 1, v)),
            })
            .ok_or_else(|| {
                Error::invalid(
                    "History::lowest",
                    "metric",
                    format!(
                        "is {metric:?}, which has no finite value yet, expected a trained model's"
                    ),
                )
            })
    }

    /// Appends one epoch's metrics.
    pub(crate) fn push(&mut self, metrics: &[(String, f64)]) {
        for (name, value) in metrics {
            self.metrics.entry(name.clone()).or_default().push(*value);
        }
    }
}

impl fmt::Display for History {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "History: {} epochs", self.epochs())?;
        for (name, values) in &self.metrics {
            if let Some(v) = values.last() {
                write!(f, " · {name} {v:.4}")?;
            }
        }
        Ok(())
    }
}
