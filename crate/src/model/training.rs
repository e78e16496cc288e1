//! What training asks of a model: one [`Sequential::train_step`] per batch, which owns the
//! order of a step (forward pass, loss, gradients, weight update, the batch's numbers added
//! to the epoch's [`EpochTotals`]), and [`Sequential::measure`] on data it does not train
//! on. The loop around them, over epochs and batches with its callbacks, is
//! [`crate::train`]'s.

use tch::Tensor;

use crate::activation::Activation;
use crate::loss::Loss;
use crate::metrics::{Metric, Tally};

use super::{Layer, Sequential};

/// A copy of every weight of a model, by name.
pub(crate) type Snapshot = Vec<(String, Tensor)>;

/// An epoch's numbers, summed over its training steps as Keras sums them: the loss weighted
/// by each batch's samples, and the model's metrics (see [`Tally`]). Each batch is measured
/// with the weights before its step's update, as in Keras.
#[derive(Debug)]
pub(crate) struct EpochTotals {
    loss_sum: f64,
    samples: usize,
    tally: Tally,
}

impl EpochTotals {
    /// Empty totals for the loss and metrics of `model`, compiled.
    pub(crate) fn new(model: &Sequential) -> EpochTotals {
        EpochTotals {
            loss_sum: 0.0,
            samples: 0,
            tally: model.tally(),
        }
    }

    /// Empty totals for a model trained with `loss` that reports `metrics`.
    pub(crate) fn of(loss: Loss, metrics: &[Metric]) -> EpochTotals {
        EpochTotals {
            loss_sum: 0.0,
            samples: 0,
            tally: Tally::new(metrics, loss),
        }
    }

    /// Adds one batch of `samples`: its mean `loss`, its checked targets and the model's
    /// `output` for them (probabilities, or the scores before a softmax).
    pub(crate) fn add(&mut self, loss: &Tensor, samples: usize, targets: &Tensor, output: &Tensor) {
        self.loss_sum += loss.double_value(&[]) * samples as f64;
        self.samples += samples;
        self.tally.add(targets, output);
    }

    /// The epoch's mean loss and each metric's value, by name.
    pub(crate) fn means(&self) -> (f64, Vec<(&'static str, f64)>) {
        (self.loss_sum / self.samples as f64, self.tally.values())
    }
}

/// A copy of every weight in `vs`, by name.
pub(crate) fn snapshot(vs: &tch::nn::VarStore) -> Snapshot {
    vs.variables()
        .into_iter()
        .map(|(name, t)| (name, t.detach().copy()))
        .collect()
}

/// Puts back into `vs` the weights of a [`snapshot`].
pub(crate) fn restore(vs: &tch::nn::VarStore, snapshot: &[(String, Tensor)]) {
    let variables = vs.variables();
    tch::no_grad(|| {
        for (name, saved) in snapshot {
            if let Some(v) = variables.get(name) {
                v.shallow_clone().copy_(saved);
            }
        }
    });
}

/// The model's output as the loss takes it: probabilities, or, for a softmax output trained
/// with a cross-entropy, the scores before the softmax (see `Sequential::forward_for_loss`).
struct Output {
    tensor: Tensor,
    scores: bool,
}

impl Sequential {
    /// Gets ready for a fit: the optimizer checks that it still holds every weight.
    pub(crate) fn start_training(&mut self) {
        if let Some(compiled) = self.compiled.as_mut() {
            compiled.update.check_links();
        }
    }

    /// One training step on a batch of checked data (see [`Sequential::check_data`]): the
    /// forward pass, the loss, its gradients, the optimizer's update of every weight, and
    /// then the batch's loss and metrics added to the `epoch`'s.
    pub(crate) fn train_step(&mut self, x: &Tensor, targets: &Tensor, epoch: &mut EpochTotals) {
        let output = self.forward_for_loss(x, true); // [batch, outputs]
        let loss = self.score(targets, &output); // []
        let compiled = self.compiled.as_mut().expect("checked by check_data()");
        compiled.update.backward(&loss);
        compiled.update.step();
        let samples = x.size()[0] as usize;
        epoch.loss_sum += loss.double_value(&[]) * samples as f64;
        epoch.samples += samples;
        epoch.tally.add(targets, &output.tensor);
    }

    /// The mean loss and every metric on checked data, without training.
    pub(crate) fn measure(&self, x: &Tensor, targets: &Tensor) -> (f64, Vec<(&'static str, f64)>) {
        tch::no_grad(|| {
            let output = self.forward_for_loss(x, false);
            let loss = self.score(targets, &output);
            let mut tally = self.tally();
            tally.add(targets, &output.tensor);
            (loss.double_value(&[]), tally.values())
        })
    }

    /// Empty running totals of the model's metrics, to add batches to.
    fn tally(&self) -> Tally {
        let loss = self.loss().expect("checked by check_data()");
        Tally::new(self.metrics(), loss)
    }

    /// The model's output for `x` as the loss takes it. A softmax output trained with a
    /// cross-entropy (and reporting no metric but the accuracy) gives the scores before its
    /// softmax: the loss then takes the logarithm of the softmax in one step (libtorch's
    /// `log_softmax`, floored as the probabilities' logarithm is), which saves three
    /// operations and their gradients per batch. The accuracy is the same on scores as on
    /// probabilities: the softmax keeps the order.
    fn forward_for_loss(&self, x: &Tensor, train: bool) -> Output {
        let softmax_last = matches!(
            self.layers.last(),
            Some(Layer::Dense {
                activation: Activation::Softmax,
                ..
            })
        );
        let cross_entropy = matches!(
            self.loss(),
            Some(Loss::SparseCategoricalCrossEntropy | Loss::CategoricalCrossEntropy)
        );
        let accuracy_only = self.metrics().iter().all(|m| *m == Metric::Accuracy);
        if !(softmax_last && cross_entropy && accuracy_only) {
            return Output {
                tensor: self.forward(x, train),
                scores: false,
            };
        }
        let (last, rest) = self.built.split_last().expect("a softmax layer");
        Output {
            tensor: last.scores(&Self::through(rest, x, train)),
            scores: true,
        }
    }

    /// The loss of the model's output against checked targets: what training makes smaller,
    /// and the first number of a training epoch and of `evaluate`.
    fn score(&self, targets: &Tensor, output: &Output) -> Tensor {
        let loss = self.loss().expect("checked by check_data()");
        if output.scores {
            Loss::apply_to_scores(targets, &output.tensor)
        } else {
            loss.apply(targets, &output.tensor)
        }
    }

    /// A copy of every weight, by name, to put back with [`Sequential::restore`].
    pub(crate) fn snapshot(&self) -> Snapshot {
        snapshot(&self.vs)
    }

    /// Puts back the weights of a [`Sequential::snapshot`].
    pub(crate) fn restore(&mut self, snapshot: &[(String, Tensor)]) {
        restore(&self.vs, snapshot)
    }
}
