//! What training asks of a model: one [`Sequential::train_step`] per batch, which owns the
//! order of a step (forward pass, loss, gradients, weight update, the batch's numbers added
//! to the epoch's [`EpochTotals`]), and [`Sequential::measure`] on data it does not train
//! on. The loop around them, over epochs and batches with its callbacks, is
//! [`crate::train`]'s. The output as the loss takes it ([`Output`], [`scored_activation`],
//! [`loss_of`]) and the weights' snapshots are shared with the Functional API's `Model`.

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
    /// output for them as the metrics take it ([`Output::for_metrics`]).
    pub(crate) fn add(
        &mut self,
        loss: &Tensor,
        samples: usize,
        targets: &Tensor,
        for_metrics: &Tensor,
    ) {
        self.loss_sum += loss.double_value(&[]) * samples as f64;
        self.samples += samples;
        self.tally.add(targets, for_metrics);
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

/// The activation whose scores the loss takes instead of the model's output, if any: a
/// softmax output layer trained with a (sparse) categorical cross-entropy, a sigmoid one with
/// the binary cross-entropy (see `Sequential::forward_for_loss`).
pub(crate) fn scored_activation(last: Option<&Layer>, loss: Option<Loss>) -> Option<Activation> {
    match (last, loss) {
        (
            Some(Layer::Dense {
                activation: Activation::Softmax,
                ..
            }),
            Some(Loss::SparseCategoricalCrossEntropy | Loss::CategoricalCrossEntropy),
        ) => Some(Activation::Softmax),
        (
            Some(Layer::Dense {
                activation: Activation::Sigmoid,
                ..
            }),
            Some(Loss::BinaryCrossEntropy),
        ) => Some(Activation::Sigmoid),
        _ => None,
    }
}

/// The `loss` of a model's output against checked targets: what training makes smaller, and
/// the first number of a training epoch and of `evaluate`.
pub(crate) fn loss_of(loss: Loss, targets: &Tensor, output: &Output) -> Tensor {
    match output {
        Output::Predictions(y_pred) => loss.apply(targets, y_pred),
        Output::Scores(scores, _) => loss
            .apply_to_scores(targets, scores)
            .expect("scored_activation() scores only for a cross-entropy"),
    }
}

/// The model's output as the loss takes it: the model's own output, or, for a softmax or
/// sigmoid output trained with a cross-entropy, the scores before that activation (see
/// `Sequential::forward_for_loss`).
pub(crate) enum Output {
    /// What `predict` gives: probabilities, values.
    Predictions(Tensor),
    /// The output layer's scores, `[batch, outputs]`, and the activation that turns them
    /// into the model's output.
    Scores(Tensor, Activation),
}

impl Output {
    /// The output as the metrics take it. The accuracy of a softmax output is the same on
    /// its scores (the softmax keeps their order); every other metric of a scored output is
    /// measured on the probabilities, computed from the scores as the output layer computes
    /// them, with no gradient.
    pub(crate) fn for_metrics(&self, metrics: &[Metric]) -> Tensor {
        match self {
            Output::Predictions(y_pred) => y_pred.shallow_clone(),
            Output::Scores(scores, activation) => {
                let order_only = metrics.iter().all(|m| *m == Metric::Accuracy);
                if metrics.is_empty() || (order_only && *activation == Activation::Softmax) {
                    return scores.shallow_clone();
                }
                tch::no_grad(|| {
                    activation
                        .forward(&scores.detach())
                        .expect("activations accept any float tensor")
                })
            }
        }
    }
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
        epoch
            .tally
            .add(targets, &output.for_metrics(self.metrics()));
    }

    /// The mean loss and every metric on checked data, without training.
    pub(crate) fn measure(&self, x: &Tensor, targets: &Tensor) -> (f64, Vec<(&'static str, f64)>) {
        tch::no_grad(|| {
            let output = self.forward_for_loss(x, false);
            let loss = self.score(targets, &output);
            let mut tally = self.tally();
            tally.add(targets, &output.for_metrics(self.metrics()));
            (loss.double_value(&[]), tally.values())
        })
    }

    /// Empty running totals of the model's metrics, to add batches to.
    fn tally(&self) -> Tally {
        let loss = self.loss().expect("checked by check_data()");
        Tally::new(self.metrics(), loss)
    }

    /// The model's output for `x` as the loss takes it. A softmax output trained with a
    /// (sparse) categorical cross-entropy, and a sigmoid output trained with the binary one,
    /// give the scores before that activation, and the loss is computed from them
    /// ([`Loss::apply_to_scores`]), as PyTorch's `cross_entropy` and Keras on TensorFlow
    /// compute it: with no floor, so that a row the model is sure about and wrong still has
    /// a gradient (its probability may have rounded to 0, where the floor of a cross-entropy
    /// of probabilities would leave none). It is also quicker: fewer operations, and fewer
    /// gradients, per batch. Every other output is the model's own.
    fn forward_for_loss(&self, x: &Tensor, train: bool) -> Output {
        let scored = scored_activation(self.layers.last(), self.loss());
        let Some(activation) = scored else {
            return Output::Predictions(self.forward(x, train));
        };
        let (last, rest) = self.built.split_last().expect("a dense output layer");
        Output::Scores(last.scores(&Self::through(rest, x, train)), activation)
    }

    /// The loss of the model's output against checked targets: what training makes smaller,
    /// and the first number of a training epoch and of `evaluate`.
    fn score(&self, targets: &Tensor, output: &Output) -> Tensor {
        let loss = self.loss().expect("checked by check_data()");
        loss_of(loss, targets, output)
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
