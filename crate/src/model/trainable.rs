//! What the training loop ([`crate::train`]) asks of any model, [`Sequential`] or the
//! Functional API's [`Model`](super::Model): check the data, take one training step per
//! batch, measure data it does not train on, and keep or put back its weights. The loop, its
//! callbacks and its history are written once, over this trait.

use tch::Tensor;

use crate::error::Result;
use crate::metrics::Metric;
use crate::optimizer::Optimizer;

use super::{EpochTotals, Expected, Layer, Sequential, Snapshot};

/// A compiled model the training loop can train.
pub(crate) trait Trainable {
    /// The name of its `fit`, for error messages: `"Sequential::fit"`.
    const FIT: &'static str;

    /// What it expects of its data.
    fn expected(&self) -> Expected<'_>;

    /// Checks `x` and `y`, which the learner passed as `names`, and returns them as a
    /// training step takes them.
    fn check_data_as(
        &self,
        function: &'static str,
        names: [&'static str; 2],
        x: &Tensor,
        y: &Tensor,
    ) -> Result<(Tensor, Tensor)> {
        self.expected().check_data(function, names, x, y)
    }

    /// Whether a layer normalises batches (then every batch needs two samples or more).
    fn normalises(&self) -> bool;

    /// The metrics `fit` reports besides the loss.
    fn metrics(&self) -> &[Metric];

    /// The optimizer chosen by `compile`.
    fn optimizer(&self) -> Option<Optimizer>;

    /// Gets ready for a fit.
    fn start_training(&mut self);

    /// Empty totals of an epoch, for the model's loss and metrics.
    fn epoch_totals(&self) -> EpochTotals;

    /// One training step on a batch of checked data, its numbers added to `epoch`'s.
    fn train_step(&mut self, x: &Tensor, targets: &Tensor, epoch: &mut EpochTotals);

    /// The mean loss and every metric on checked data, without training.
    fn measure(&self, x: &Tensor, targets: &Tensor) -> (f64, Vec<(&'static str, f64)>);

    /// A copy of every weight.
    fn snapshot(&self) -> Snapshot;

    /// Puts back the weights of a snapshot.
    fn restore(&mut self, snapshot: &[(String, Tensor)]);
}

impl Trainable for Sequential {
    const FIT: &'static str = "Sequential::fit";

    fn expected(&self) -> Expected<'_> {
        Sequential::expected(self)
    }

    fn normalises(&self) -> bool {
        self.layers().contains(&Layer::BatchNormalization)
    }

    fn metrics(&self) -> &[Metric] {
        Sequential::metrics(self)
    }

    fn optimizer(&self) -> Option<Optimizer> {
        Sequential::optimizer(self)
    }

    fn start_training(&mut self) {
        Sequential::start_training(self)
    }

    fn epoch_totals(&self) -> EpochTotals {
        EpochTotals::new(self)
    }

    fn train_step(&mut self, x: &Tensor, targets: &Tensor, epoch: &mut EpochTotals) {
        Sequential::train_step(self, x, targets, epoch)
    }

    fn measure(&self, x: &Tensor, targets: &Tensor) -> (f64, Vec<(&'static str, f64)>) {
        Sequential::measure(self, x, targets)
    }

    fn snapshot(&self) -> Snapshot {
        Sequential::snapshot(self)
    }

    fn restore(&mut self, snapshot: &[(String, Tensor)]) {
        Sequential::restore(self, snapshot)
    }
}
