//! The training loop, [`Sequential::fit`] and [`Sequential::fit_with`] (and [`Model::fit`] of
//! the Functional API): epochs → batches → the model's `train_step` on each batch →
//! callbacks. What a step does, and in which order, is the model's (`model/training.rs`,
//! `model/functional/training.rs`); the loop, written once over `Trainable`, sums the steps'
//! numbers into the epoch's.

use std::time::Instant;

use tch::Tensor;

use crate::data::batch_order;
use crate::error::{Error, Result};
use crate::model::{Model, Sequential, Trainable};
use crate::train::callbacks::{Callback, Control, EarlyStopper, EpochEnd, Progress, TimeBudget};
use crate::train::history::History;
use crate::train::options::FitOptions;

/// Checked training data, and validation data if any.
struct Data {
    x: Tensor,
    y: Tensor,
    validation: Option<(Tensor, Tensor)>,
}

impl Data {
    fn new<M: Trainable>(model: &M, x: &Tensor, y: &Tensor, options: &FitOptions) -> Result<Data> {
        let f = M::FIT;
        let (x, y) = model.check_data_as(f, ["x", "y"], x, y)?;
        let n = x.size()[0];
        if let Some(validation) = &options.validation_data {
            let names = ["validation_data.x", "validation_data.y"];
            let (vx, vy) = model.check_data_as(f, names, &validation.x, &validation.y)?;
            return Ok(Data {
                x,
                y,
                validation: Some((vx, vy)),
            });
        }
        if options.validation_split == 0.0 {
            return Ok(Data {
                x,
                y,
                validation: None,
            });
        }
        let held = ((n as f64) * options.validation_split).round() as i64;
        if held == 0 || held == n {
            return Err(Error::invalid(
                f,
                "validation_split",
                format!(
                    "of {} leaves {held} of {n} samples for validation, expected some for each",
                    options.validation_split
                ),
            ));
        }
        // Keras holds out the last samples, before any shuffling.
        let train = n - held;
        Ok(Data {
            validation: Some((x.narrow(0, train, held), y.narrow(0, train, held))),
            x: x.narrow(0, 0, train),
            y: y.narrow(0, 0, train),
        })
    }

    /// The metrics every epoch reports, in order: the loss and the model's metrics, then the
    /// same on the validation data (`val_…`) if there are some.
    fn metric_names<M: Trainable>(&self, model: &M) -> Vec<String> {
        let mut names = vec!["loss".to_string()];
        names.extend(model.metrics().iter().map(|m| m.name().to_string()));
        if self.validation.is_some() {
            let validation: Vec<String> = names.iter().map(|n| format!("val_{n}")).collect();
            names.extend(validation);
        }
        names
    }
}

fn check_options(function: &'static str, options: &FitOptions) -> Result<()> {
    if options.epochs == 0 {
        return Err(Error::invalid(
            function,
            "epochs",
            "is 0, expected at least 1",
        ));
    }
    if options.batch_size == 0 {
        return Err(Error::invalid(
            function,
            "batch_size",
            "is 0, expected at least 1 (e.g. 32)",
        ));
    }
    if !(0.0..1.0).contains(&options.validation_split) {
        return Err(Error::invalid(
            function,
            "validation_split",
            format!(
                "is {}, expected a fraction from 0 up to (not including) 1",
                options.validation_split
            ),
        ));
    }
    if let Some(budget) = options.time_budget {
        if budget.is_zero() {
            return Err(Error::invalid(
                function,
                "time_budget",
                "is 0 s, expected some time (e.g. Duration::from_secs(30))",
            ));
        }
    }
    Ok(())
}

/// Batch normalisation needs two samples or more in every batch: one sample has no variance.
fn check_batch_norm(function: &'static str, batch_size: usize, samples: i64) -> Result<()> {
    if batch_size < 2 {
        return Err(Error::invalid(
            function,
            "batch_size",
            format!(
                "is {batch_size}, but batch normalisation needs at least 2 samples per batch \
                 to measure their variance (e.g. 32)"
            ),
        ));
    }
    if samples < 2 {
        return Err(Error::invalid(
            function,
            "x",
            format!(
                "has {samples} training sample(s), but batch normalisation needs at least 2 \
                 to measure their variance"
            ),
        ));
    }
    Ok(())
}

/// The batches of one epoch of `samples` samples, as (first row, rows): chunks of
/// `batch_size`. With batch normalisation (`normalises`) a last batch of a single sample
/// joins the one before it: one sample has no variance to normalise with, and libtorch's
/// running variance would become NaN.
fn batch_ranges(samples: usize, batch_size: usize, normalises: bool) -> Vec<(usize, usize)> {
    let mut ranges: Vec<(usize, usize)> = (0..samples)
        .step_by(batch_size)
        .map(|start| (start, batch_size.min(samples - start)))
        .collect();
    if normalises && ranges.len() > 1 && ranges.last().is_some_and(|r| r.1 == 1) {
        ranges.pop();
        if let Some(last) = ranges.last_mut() {
            last.1 += 1;
        }
    }
    ranges
}

/// The one line `fit` prints when Kernel ▸ Interrupt stopped it after `done` of `epochs`.
fn interrupted_line(done: usize, epochs: usize) -> String {
    format!(
        "Interrupted after {done} of {epochs} epochs: the model keeps the weights it reached, \
         the history the {done} epochs (`history.interrupted()` is true)."
    )
}

impl Sequential {
    /// Trains the model on `x` (`[samples, features]`) and `y` (class indices, one-hot rows
    /// or targets, as the loss takes them) and returns the [`History`]. What it prints is
    /// set by [`FitOptions::verbose`]: by default the first epoch with an estimate of the
    /// whole fit's duration, about ten more lines and the last epoch.
    ///
    /// Kernel ▸ Interrupt (■) stops it after the batch it is running ([`crate::interrupt`]):
    /// it prints one line, the model keeps the weights it reached, and the [`History`] it
    /// returns holds the epochs it finished and says so ([`History::interrupted`]).
    pub fn fit(&mut self, x: &Tensor, y: &Tensor, options: FitOptions) -> Result<History> {
        self.fit_with(x, y, options, &mut [])
    }

    /// [`Sequential::fit`] that also calls `callbacks` (Keras' `callbacks=[…]`), after the
    /// built-in ones its options ask for.
    pub fn fit_with(
        &mut self,
        x: &Tensor,
        y: &Tensor,
        options: FitOptions,
        callbacks: &mut [&mut dyn Callback],
    ) -> Result<History> {
        fit_model(self, x, y, options, callbacks)
    }
}

impl Model {
    /// Trains the model as [`Sequential::fit`] trains one: the same loop, options, progress
    /// lines and [`History`]. Keras' `model.fit(…)`.
    pub fn fit(&mut self, x: &Tensor, y: &Tensor, options: FitOptions) -> Result<History> {
        self.fit_with(x, y, options, &mut [])
    }

    /// [`Model::fit`] that also calls `callbacks` (Keras' `callbacks=[…]`), after the
    /// built-in ones its options ask for.
    pub fn fit_with(
        &mut self,
        x: &Tensor,
        y: &Tensor,
        options: FitOptions,
        callbacks: &mut [&mut dyn Callback<Model>],
    ) -> Result<History> {
        fit_model(self, x, y, options, callbacks)
    }
}

/// The training loop, for any model: checks, then epochs of batches, the callbacks after each.
fn fit_model<M: Trainable>(
    model: &mut M,
    x: &Tensor,
    y: &Tensor,
    options: FitOptions,
    callbacks: &mut [&mut dyn Callback<M>],
) -> Result<History> {
    let function = M::FIT;
    check_options(function, &options)?;
    let data = Data::new(model, x, y, &options)?;
    if model.normalises() {
        check_batch_norm(function, options.batch_size, data.x.size()[0])?;
    }
    let names = data.metric_names(model);
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut early = match options.early_stopping.clone() {
        Some(settings) => Some(EarlyStopper::new(function, settings, &names)?),
        None => None,
    };
    let mut budget = options.time_budget.map(TimeBudget::new);
    model.start_training();
    let mut progress = Progress::new(options.verbose);
    let mut all: Vec<&mut dyn Callback<M>> = Vec::new();
    if let Some(early) = early.as_mut() {
        all.push(early);
    }
    if let Some(budget) = budget.as_mut() {
        all.push(budget);
    }
    for callback in callbacks.iter_mut() {
        all.push(&mut **callback);
    }
    all.push(&mut progress);
    for callback in all.iter_mut() {
        callback.on_train_begin(options.epochs)?;
    }

    let seed = options.seed.unwrap_or_else(crate::seed::current);
    let learning_rate = model.optimizer().map_or(f64::NAN, |o| o.learning_rate());
    let start = Instant::now();
    let mut history = History::default();
    for epoch in 1..=options.epochs {
        let epoch_start = Instant::now();
        let samples = data.x.size()[0] as usize;
        let order = batch_order(samples, options.shuffle, seed, epoch);
        let (loss, measured) = match train_epoch(model, &data, &order, &options, &mut all, start) {
            Ok(sums) => sums,
            Err(reason) => {
                history.stopped = Some(reason);
                break;
            }
        };
        if !loss.is_finite() {
            return Err(Error::invalid(
                function,
                "learning_rate",
                format!(
                    "made the loss {loss} at epoch {epoch}: training diverged. Try a smaller \
                         learning rate (now {learning_rate}) or standardise the features"
                ),
            ));
        }
        let mut metrics = vec![("loss".to_string(), loss)];
        metrics.extend(measured.into_iter().map(|(n, v)| (n.to_string(), v)));
        if let Some((vx, vy)) = &data.validation {
            let (val_loss, val_measured) = model.measure(vx, vy);
            metrics.push(("val_loss".into(), val_loss));
            metrics.extend(
                val_measured
                    .into_iter()
                    .map(|(n, v)| (format!("val_{n}"), v)),
            );
        }
        history.push(&metrics);
        let end = EpochEnd {
            epoch,
            epochs: options.epochs,
            metrics: &metrics,
            epoch_time: epoch_start.elapsed(),
            elapsed: start.elapsed(),
        };
        for callback in all.iter_mut() {
            if let Control::Stop(reason) = callback.on_epoch_end(model, &end)? {
                history.stopped.get_or_insert(reason);
            }
        }
        if history.stopped.is_some() {
            break;
        }
    }
    for callback in all.iter_mut() {
        callback.on_train_end(model, &mut history);
    }
    if history.interrupted() && crate::interrupt::first_report() {
        println!("{}", interrupted_line(history.epochs(), options.epochs));
    }
    Ok(history)
}

/// One pass over the training data in `order`, a weight update per batch: the mean loss
/// and the model's metrics over the epoch (summed over its batches, as Keras does), or
/// why a callback stopped it midway.
#[allow(clippy::type_complexity)]
fn train_epoch<M: Trainable>(
    model: &mut M,
    data: &Data,
    order: &[i64],
    options: &FitOptions,
    callbacks: &mut [&mut dyn Callback<M>],
    start: Instant,
) -> std::result::Result<(f64, Vec<(&'static str, f64)>), crate::train::StopReason> {
    // One gather per epoch puts the samples in this epoch's order; each batch is then a
    // view of consecutive rows, not a copy.
    let (x, y) = if options.shuffle {
        let index = Tensor::from_slice(order).to_device(data.x.device());
        (
            data.x.index_select(0, &index),
            data.y.index_select(0, &index),
        )
    } else {
        (data.x.shallow_clone(), data.y.shallow_clone())
    };
    let mut totals = model.epoch_totals();
    let normalises = model.normalises();
    for (first, rows) in batch_ranges(order.len(), options.batch_size, normalises) {
        if crate::interrupt::requested() {
            return Err(crate::train::StopReason::Interrupted);
        }
        let xb = x.narrow(0, first as i64, rows as i64); // [batch, features…]
        let yb = y.narrow(0, first as i64, rows as i64);
        model.train_step(&xb, &yb, &mut totals);
        for callback in callbacks.iter_mut() {
            if let Control::Stop(reason) = callback.on_batch_end(start.elapsed()) {
                return Err(reason);
            }
        }
    }
    Ok(totals.means())
}
