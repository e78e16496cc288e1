//! What training asks of a Functional model ([`Trainable`]): the same steps as a
//! `Sequential`'s, over the model's graph, with the same output for the loss ([`Output`],
//! [`scored_activation`], [`loss_of`]). The loop is [`crate::train`]'s.

use tch::Tensor;

use crate::metrics::Metric;
use crate::model::{
    loss_of, scored_activation, EpochTotals, Expected, Layer, Output, Snapshot, Trainable,
};
use crate::optimizer::Optimizer;

use super::{Action, Model};

impl Model {
    /// The output for checked `x` as the loss takes it, as `Sequential`'s: the scores before
    /// the output layer's activation for a softmax output trained with a (sparse) categorical
    /// cross-entropy and a sigmoid one trained with the binary cross-entropy (no floor, see
    /// [`scored_activation`]); the model's output otherwise.
    fn forward_for_loss(&self, x: &Tensor, train: bool) -> Output {
        let last = self.steps.last().expect("a model has steps");
        let layer = match last.kind {
            Action::Layer(i) => Some(i),
            _ => None,
        };
        let scored = scored_activation(layer.map(|i| &self.layers[i].0), self.loss());
        match (layer, scored) {
            (Some(i), Some(activation)) => {
                let values = self.values(x, train, self.steps.len() - 1);
                Output::Scores(self.built[i].scores(&values[last.inputs[0]]), activation)
            }
            _ => Output::Predictions(self.forward(x, train)),
        }
    }

    /// The loss of an output of [`Model::forward_for_loss`] against checked targets.
    fn score(&self, targets: &Tensor, output: &Output) -> Tensor {
        loss_of(
            self.loss().expect("checked by check_data_as()"),
            targets,
            output,
        )
    }
}

impl Trainable for Model {
    const FIT: &'static str = "Model::fit";

    fn expected(&self) -> Expected<'_> {
        Model::expected(self)
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
        let loss = self.loss().expect("checked by check_data_as()");
        EpochTotals::of(loss, Model::metrics(self))
    }

    fn train_step(&mut self, x: &Tensor, targets: &Tensor, epoch: &mut EpochTotals) {
        let output = self.forward_for_loss(x, true); // [batch, outputs]
        let loss = self.score(targets, &output); // []
        let compiled = self.compiled.as_mut().expect("checked by check_data_as()");
        compiled.update.backward(&loss);
        compiled.update.step();
        let samples = x.size()[0] as usize;
        epoch.add(&loss, samples, targets, &output.for_metrics(self.metrics()));
    }

    fn measure(&self, x: &Tensor, targets: &Tensor) -> (f64, Vec<(&'static str, f64)>) {
        // A guard, not a closure: gradients come back on even if something panics.
        let _no_grad = tch::no_grad_guard();
        let output = self.forward_for_loss(x, false);
        let loss = self.score(targets, &output);
        let mut totals = self.epoch_totals();
        totals.add(&loss, 1, targets, &output.for_metrics(self.metrics()));
        totals.means()
    }

    fn snapshot(&self) -> Snapshot {
        crate::model::snapshot(&self.vs)
    }

    fn restore(&mut self, snapshot: &[(String, Tensor)]) {
        crate::model::restore(&self.vs, snapshot)
    }
}
