//! What training asks of a Functional model ([`Trainable`]): the same steps as a
//! `Sequential`'s, over the model's graph. The loop is [`crate::train`]'s.

use tch::Tensor;

use crate::activation::Activation;
use crate::error::Result;
use crate::loss::Loss;
use crate::metrics::Metric;
use crate::model::{EpochTotals, Layer, Snapshot, Trainable};
use crate::optimizer::Optimizer;

use super::{Action, Model};

impl Model {
    /// The output for checked `x` as the loss takes it, and whether it is the scores before
    /// a softmax: as `Sequential`'s, a softmax output trained with a cross-entropy (and
    /// reporting no metric but the accuracy) gives its scores, and the loss takes the
    /// logarithm of the softmax in one step.
    fn forward_for_loss(&self, x: &Tensor, train: bool) -> (Tensor, bool) {
        let last = self.steps.last().expect("a model has steps");
        let softmax_layer = match last.kind {
            Action::Layer(i) => matches!(
                self.layers[i].0,
                Layer::Dense {
                    activation: Activation::Softmax,
                    ..
                }
            )
            .then_some(i),
            _ => None,
        };
        let cross_entropy = matches!(
            self.loss(),
            Some(Loss::SparseCategoricalCrossEntropy | Loss::CategoricalCrossEntropy)
        );
        let accuracy_only = self.metrics().iter().all(|m| *m == Metric::Accuracy);
        match softmax_layer {
            Some(i) if cross_entropy && accuracy_only => {
                let values = self.values(x, train, self.steps.len() - 1);
                (self.built[i].scores(&values[last.inputs[0]]), true)
            }
            _ => (self.forward(x, train), false),
        }
    }

    /// The loss of an output of [`Model::forward_for_loss`] against checked targets.
    fn score(&self, targets: &Tensor, output: &Tensor, scores: bool) -> Tensor {
        let loss = self.loss().expect("checked by check_data()");
        if scores {
            Loss::apply_to_scores(targets, output)
        } else {
            loss.apply(targets, output)
        }
    }
}

impl Trainable for Model {
    const FIT: &'static str = "Model::fit";

    fn check_data(
        &self,
        function: &'static str,
        x: &Tensor,
        y: &Tensor,
    ) -> Result<(Tensor, Tensor)> {
        Model::check_data(self, function, x, y)
    }

    fn normalises(&self) -> bool {
        self.layers
            .iter()
            .any(|(l, _)| *l == Layer::BatchNormalization)
    }

    fn metrics(&self) -> &[Metric] {
        Model::metrics(self)
    }

    fn optimizer(&self) -> Option<Optimizer> {
        Model::optimizer(self)
    }

    fn start_training(&mut self) {
        if let Some(compiled) = self.compiled.as_mut() {
            compiled.update.check_links();
        }
    }

    fn epoch_totals(&self) -> EpochTotals {
        let loss = self.loss().expect("checked by check_data()");
        EpochTotals::of(loss, Model::metrics(self))
    }

    fn train_step(&mut self, x: &Tensor, targets: &Tensor, epoch: &mut EpochTotals) {
        let (output, scores) = self.forward_for_loss(x, true); // [batch, outputs]
        let loss = self.score(targets, &output, scores); // []
        let compiled = self.compiled.as_mut().expect("checked by check_data()");
        compiled.update.backward(&loss);
        compiled.update.step();
        epoch.add(&loss, x.size()[0] as usize, targets, &output);
    }

    fn measure(&self, x: &Tensor, targets: &Tensor) -> (f64, Vec<(&'static str, f64)>) {
        // A guard, not a closure: gradients come back on even if something panics.
        let _no_grad = tch::no_grad_guard();
        let (output, scores) = self.forward_for_loss(x, false);
        let loss = self.score(targets, &output, scores);
        let mut totals = self.epoch_totals();
        totals.add(&loss, 1, targets, &output);
        totals.means()
    }

    fn snapshot(&self) -> Snapshot {
        crate::model::snapshot(&self.vs)
    }

    fn restore(&mut self, snapshot: &[(String, Tensor)]) {
        crate::model::restore(&self.vs, snapshot)
    }
}
