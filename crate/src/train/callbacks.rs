//! Callbacks: what [`Sequential::fit_with`](crate::model::Sequential::fit_with) calls after
//! every batch and epoch, as Keras' `callbacks=[…]`. `fit` itself runs the built-in ones its
//! options ask for: the progress lines, early stopping and the time budget.

use std::time::Duration;

use crate::error::{Error, Result};
use crate::model::{Sequential, Snapshot, Trainable};
use crate::train::history::{duration_text, History, StopReason};
use crate::train::options::{EarlyStopping, Verbose};

/// Whether training goes on.
#[derive(Debug, Clone, PartialEq)]
pub enum Control {
    /// Go on.
    Continue,
    /// Stop now, for this reason.
    Stop(StopReason),
}

/// One finished epoch, as callbacks see it.
#[derive(Debug, Clone, PartialEq)]
pub struct EpochEnd<'a> {
    /// The epoch, from 1.
    pub epoch: usize,
    /// How many epochs the fit asked for.
    pub epochs: usize,
    /// This epoch's metrics, e.g. `("loss", 0.31)`, `("val_accuracy", 0.97)`.
    pub metrics: &'a [(String, f64)],
    /// How long this epoch took.
    pub epoch_time: Duration,
    /// How long training has taken so far.
    pub elapsed: Duration,
}

impl EpochEnd<'_> {
    /// The value of one metric this epoch.
    pub fn metric(&self, name: &str) -> Option<f64> {
        self.metrics
            .iter()
            .find(|(n, _)| n == name)
            .map(|&(_, v)| v)
    }
}

/// Something to do while a model trains. Every method has a default that does nothing. `M` is
/// the kind of model it watches: a [`Sequential`] unless said otherwise (a
/// [`Model`](crate::model::Model) of the Functional API takes `Callback<Model>`).
pub trait Callback<M = Sequential> {
    /// Before the first epoch, with the number of epochs asked for.
    fn on_train_begin(&mut self, _epochs: usize) -> Result<()> {
        Ok(())
    }

    /// After every batch, with the time training has taken so far.
    fn on_batch_end(&mut self, _elapsed: Duration) -> Control {
        Control::Continue
    }

    /// After every epoch; the model has that epoch's weights.
    fn on_epoch_end(&mut self, _model: &mut M, _end: &EpochEnd<'_>) -> Result<Control> {
        Ok(Control::Continue)
    }

    /// After training, with the history as `fit` will return it.
    fn on_train_end(&mut self, _model: &mut M, _history: &mut History) {}
}

/// The progress lines of [`Verbose::Compact`] and [`Verbose::EveryEpoch`].
pub(crate) struct Progress {
    verbose: Verbose,
    epochs: usize,
    last_printed: usize,
    last_line: Option<(usize, String)>,
    /// Every line printed, in order.
    printed: Vec<String>,
}

impl Progress {
    pub(crate) fn new(verbose: Verbose) -> Progress {
        Progress {
            verbose,
            epochs: 0,
            last_printed: 0,
            last_line: None,
            printed: Vec::new(),
        }
    }

    fn print(&mut self, line: String) {
        println!("{line}");
        self.printed.push(line);
    }

    fn due(&self, epoch: usize) -> bool {
        match self.verbose {
            Verbose::Silent => false,
            Verbose::EveryEpoch => true,
            Verbose::Compact => {
                let every = self.epochs.div_ceil(10).max(1);
                epoch == 1 || epoch.is_multiple_of(every) || epoch == self.epochs
            }
        }
    }
}

impl<M> Callback<M> for Progress {
    fn on_train_begin(&mut self, epochs: usize) -> Result<()> {
        self.epochs = epochs;
        Ok(())
    }

    fn on_epoch_end(&mut self, _model: &mut M, end: &EpochEnd<'_>) -> Result<Control> {
        let metrics: String = end
            .metrics
            .iter()
            .map(|(name, value)| format!(" · {name} {value:.4}"))
            .collect();
        let mut line = format!(
            "Epoch {}/{}{metrics} · {} ms",
            end.epoch,
            end.epochs,
            end.epoch_time.as_millis()
        );
        if end.epoch == 1 && end.epochs > 1 && self.verbose != Verbose::Silent {
            let estimate = end.epoch_time.as_secs_f64() * end.epochs as f64;
            line.push_str(&format!(
                " · all {} epochs: about {}",
                end.epochs,
                duration_text(estimate)
            ));
        }
        if self.due(end.epoch) {
            self.print(line.clone());
            self.last_printed = end.epoch;
        }
        self.last_line = Some((end.epoch, line));
        Ok(Control::Continue)
    }

    fn on_train_end(&mut self, _model: &mut M, history: &mut History) {
        if self.verbose == Verbose::Silent {
            return;
        }
        if let Some((epoch, line)) = self.last_line.take() {
            if epoch != self.last_printed {
                self.print(line);
            }
        }
        // `fit` itself reports an interrupt, in one line, whatever the verbosity.
        if let Some(reason) = history
            .stopped
            .as_ref()
            .filter(|r| **r != StopReason::Interrupted)
        {
            let epochs = history.epochs();
            let noun = if epochs == 1 { "epoch" } else { "epochs" };
            self.print(format!("Stopped after {epochs} {noun}: {reason}."));
        }
    }
}

/// Keras' `EarlyStopping` callback, made by `fit` from [`FitOptions::early_stopping`]
/// (crate::train::FitOptions::early_stopping).
pub(crate) struct EarlyStopper {
    settings: EarlyStopping,
    /// The best value so far, its epoch and, if they are to be restored, the weights then.
    best: Option<(f64, usize, Snapshot)>,
}

impl EarlyStopper {
    /// Checks that `settings.monitor` is one of the `metrics` the fit reports.
    pub(crate) fn new(
        function: &'static str,
        settings: EarlyStopping,
        metrics: &[&str],
    ) -> Result<EarlyStopper> {
        let monitor = settings.monitor.as_str();
        if monitor.starts_with("val_") && !metrics.iter().any(|m| m.starts_with("val_")) {
            return Err(Error::invalid(
                function,
                "early_stopping",
                format!(
                    "monitors {monitor:?}, which needs validation data: set validation_split \
                     or validation_data"
                ),
            ));
        }
        if !metrics.contains(&monitor) {
            return Err(Error::invalid(
                function,
                "early_stopping",
                format!(
                    "monitors {monitor:?}, expected one of the metrics this fit reports: {}",
                    metrics.join(", ")
                ),
            ));
        }
        Ok(EarlyStopper {
            settings,
            best: None,
        })
    }
}

impl<M: Trainable> Callback<M> for EarlyStopper {
    fn on_epoch_end(&mut self, model: &mut M, end: &EpochEnd<'_>) -> Result<Control> {
        let value = end.metric(&self.settings.monitor).unwrap_or(f64::NAN);
        let larger_is_better = self.settings.monitor.ends_with("accuracy");
        let improved = self.best.as_ref().is_none_or(|(best, _, _)| {
            if larger_is_better {
                value > *best
            } else {
                value < *best
            }
        });
        if improved {
            let weights = if self.settings.restore_best_weights {
                model.snapshot()
            } else {
                Vec::new()
            };
            self.best = Some((value, end.epoch, weights));
            return Ok(Control::Continue);
        }
        let Some((_, best_epoch, weights)) = &self.best else {
            return Ok(Control::Continue);
        };
        if end.epoch - best_epoch < self.settings.patience {
            return Ok(Control::Continue);
        }
        let restored = self.settings.restore_best_weights;
        if restored {
            model.restore(weights);
        }
        Ok(Control::Stop(StopReason::EarlyStopping {
            monitor: self.settings.monitor.clone(),
            best_epoch: *best_epoch,
            restored,
        }))
    }

    fn on_train_end(&mut self, _model: &mut M, history: &mut History) {
        history.best_epoch = self.best.as_ref().map(|(_, epoch, _)| *epoch);
    }
}

/// Stops training when it has taken `budget`: after a batch once the budget is spent, or
/// after an epoch when one more epoch would not fit.
pub(crate) struct TimeBudget {
    budget: Duration,
}

impl TimeBudget {
    pub(crate) fn new(budget: Duration) -> TimeBudget {
        TimeBudget { budget }
    }

    fn stop(&self, mid_epoch: bool) -> Control {
        Control::Stop(StopReason::TimeBudget {
            seconds: self.budget.as_secs_f64(),
            mid_epoch,
        })
    }
}

impl<M> Callback<M> for TimeBudget {
    fn on_batch_end(&mut self, elapsed: Duration) -> Control {
        if elapsed >= self.budget {
            self.stop(true)
        } else {
            Control::Continue
        }
    }

    fn on_epoch_end(&mut self, _model: &mut M, end: &EpochEnd<'_>) -> Result<Control> {
        let mean_epoch = end.elapsed / end.epoch as u32;
        if end.epoch < end.epochs && end.elapsed + mean_epoch > self.budget {
            return Ok(self.stop(false));
        }
        Ok(Control::Continue)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn end(epoch: usize, epochs: usize, metrics: &[(String, f64)]) -> EpochEnd<'_> {
        EpochEnd {
            epoch,
            epochs,
            metrics,
            epoch_time: Duration::from_millis(25),
            elapsed: Duration::from_millis(25 * epoch as u64),
        }
    }

    #[test]
    fn compact_progress_estimates_the_whole_fit_after_the_first_epoch() {
        let mut model = crate::model::Sequential::input_features(1);
        let metrics = [("loss".to_string(), 0.5)];
        let mut progress = Progress::new(Verbose::Compact);
        Callback::<Sequential>::on_train_begin(&mut progress, 100).unwrap();
        for epoch in 1..=100 {
            progress
                .on_epoch_end(&mut model, &end(epoch, 100, &metrics))
                .unwrap();
        }
        progress.on_train_end(&mut model, &mut History::default());
        assert_eq!(
            progress.printed[0],
            "Epoch 1/100 · loss 0.5000 · 25 ms · all 100 epochs: about 2.50 s"
        );
        let epochs: Vec<&str> = progress
            .printed
            .iter()
            .map(|l| l.split(' ').nth(1).unwrap())
            .collect();
        assert_eq!(
            epochs,
            [
                "1/100", "10/100", "20/100", "30/100", "40/100", "50/100", "60/100", "70/100",
                "80/100", "90/100", "100/100"
            ]
        );
    }

    #[test]
    fn an_early_stop_prints_the_last_epoch_and_the_reason() {
        let mut model = crate::model::Sequential::input_features(1);
        let metrics = [("loss".to_string(), 0.5)];
        let mut progress = Progress::new(Verbose::Compact);
        Callback::<Sequential>::on_train_begin(&mut progress, 1000).unwrap();
        for epoch in 1..=37 {
            progress
                .on_epoch_end(&mut model, &end(epoch, 1000, &metrics))
                .unwrap();
        }
        let mut history = History::default();
        history.push(&metrics);
        history.stopped = Some(StopReason::TimeBudget {
            seconds: 30.0,
            mid_epoch: true,
        });
        progress.on_train_end(&mut model, &mut history);
        let n = progress.printed.len();
        assert!(progress.printed[n - 2].starts_with("Epoch 37/1000 · loss 0.5000"));
        assert_eq!(
            progress.printed[n - 1],
            "Stopped after 1 epoch: the time budget of 30 s ran out; the model keeps the weights \
             it has, the history the epochs it finished."
        );
        let mut silent = Progress::new(Verbose::Silent);
        Callback::<Sequential>::on_train_begin(&mut silent, 10).unwrap();
        silent
            .on_epoch_end(&mut model, &end(1, 10, &metrics))
            .unwrap();
        silent.on_train_end(&mut model, &mut history);
        assert!(silent.printed.is_empty());
    }
}
