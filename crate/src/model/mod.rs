//! Keras-style models on tch: a [`Sequential`] stack of [`Layer`]s, its [`Summary`],
//! `compile`, `evaluate`, `predict` and `save`/`load` — steps 4, 5, 8 and 10 of the workflow.
//! Training (`fit`, step 6) lives in [`crate::train`].
//!
//! ```
//! use dlintro::prelude::*;
//! dlintro::seed(1);
//! let mut model = Sequential::input_features(2)
//!     .dense(8, Activation::Relu)
//!     .dense(2, Activation::Softmax);
//! model.compile(Loss::SparseCategoricalCrossEntropy, Optimizer::Adam { learning_rate: 0.05 })?;
//! let x = Tensor::from_slice(&[0f32, 0., 0., 1., 1., 0., 1., 1.]).view([4, 2]);
//! let y = Tensor::from_slice(&[0i64, 1, 1, 0]);
//! let options = FitOptions { epochs: 300, batch_size: 4, verbose: Verbose::Silent, ..Default::default() };
//! let history = model.fit(&x, &y, options)?;
//! assert_eq!(history.last("accuracy")?, 1.0);
//! # Ok::<(), dlintro::Error>(())
//! ```

mod file;
mod hidden;
mod inspect;
mod layer;
mod plane;
mod probabilities;
mod summary;

use std::fmt;

use serde::{Deserialize, Serialize};
use tch::nn::{self, OptimizerConfig};
use tch::{Kind, Tensor};

use crate::activation::Activation;
use crate::error::{Error, Result};
use crate::loss::Loss;

pub use inspect::{MapColumn, NeuronMaps};
pub(crate) use layer::Built;
pub use layer::Layer;
pub use plane::Plane;
pub use summary::Summary;

/// How the weights are updated.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Optimizer {
    /// Stochastic gradient descent.
    Sgd {
        /// The step size (Keras' default is 0.01).
        learning_rate: f64,
    },
    /// Adam, Keras' usual choice.
    Adam {
        /// The step size (Keras' default is 0.001).
        learning_rate: f64,
    },
}

impl Default for Optimizer {
    /// Adam with Keras' default learning rate, 0.001.
    fn default() -> Self {
        Optimizer::Adam {
            learning_rate: 0.001,
        }
    }
}

impl Optimizer {
    /// The learning rate.
    pub fn learning_rate(&self) -> f64 {
        match *self {
            Optimizer::Sgd { learning_rate } | Optimizer::Adam { learning_rate } => learning_rate,
        }
    }
}

/// What [`Sequential::evaluate`] measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The loss on the data.
    pub loss: f64,
    /// The accuracy, for classifiers.
    pub accuracy: Option<f64>,
}

impl fmt::Display for Evaluation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "loss {:.4}", self.loss)?;
        if let Some(a) = self.accuracy {
            write!(f, " · accuracy {a:.4}")?;
        }
        Ok(())
    }
}

/// A copy of every weight of a model, by name.
pub(crate) type Snapshot = Vec<(String, Tensor)>;

/// The loss and optimizer chosen by [`Sequential::compile`], with libtorch's optimizer.
struct Compiled {
    loss: Loss,
    optimizer: Optimizer,
    torch: nn::Optimizer,
}

/// Layers one after another, as in Keras: the architecture, and its weights once compiled.
pub struct Sequential {
    input_features: usize,
    layers: Vec<Layer>,
    vs: nn::VarStore,
    /// One entry per layer, with its weights: empty until `compile`.
    built: Vec<Built>,
    compiled: Option<Compiled>,
}

impl fmt::Debug for Sequential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.summary())
    }
}

impl Sequential {
    /// An empty model whose inputs have `features` values per sample: Keras'
    /// `keras.Input(shape=(features,))`.
    pub fn input_features(features: usize) -> Sequential {
        Sequential {
            input_features: features,
            layers: Vec::new(),
            vs: nn::VarStore::new(crate::device()),
            built: Vec::new(),
            compiled: None,
        }
    }

    /// Adds a dense layer of `units` neurons with `activation`: Keras' `layers.Dense`.
    pub fn dense(self, units: usize, activation: Activation) -> Sequential {
        self.layer(Layer::Dense { units, activation })
    }

    /// Adds dropout with the given rate: Keras' `layers.Dropout`.
    pub fn dropout(self, rate: f64) -> Sequential {
        self.layer(Layer::Dropout { rate })
    }

    /// Adds any [`Layer`]: Keras' `model.add(layer)`.
    pub fn layer(mut self, layer: Layer) -> Sequential {
        self.layers.push(layer);
        self
    }

    /// How many features each input sample has.
    pub fn input_width(&self) -> usize {
        self.input_features
    }

    /// The layers.
    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    /// The width of the model's output.
    pub fn output_width(&self) -> usize {
        self.layers
            .iter()
            .fold(self.input_features, |width, layer| {
                layer.output_width(width)
            })
    }

    /// The loss chosen by `compile`, if compiled.
    pub fn loss(&self) -> Option<Loss> {
        self.compiled.as_ref().map(|c| c.loss)
    }

    /// The optimizer chosen by `compile`, if compiled.
    pub fn optimizer(&self) -> Option<Optimizer> {
        self.compiled.as_ref().map(|c| c.optimizer)
    }

    fn check_architecture(&self) -> Result<()> {
        const F: &str = "Sequential";
        if self.input_features == 0 {
            return Err(Error::invalid(
                F,
                "input_features",
                "is 0, expected at least 1 feature",
            ));
        }
        if !self.layers.iter().any(|l| matches!(l, Layer::Dense { .. })) {
            return Err(Error::invalid(
                F,
                "layers",
                "has no dense layer, expected at least one: add .dense(units, activation)",
            ));
        }
        for (i, layer) in self.layers.iter().enumerate() {
            layer.check(i + 1)?;
        }
        Ok(())
    }

    /// Creates every layer's weights (seed first with [`crate::seed`] for the same weights
    /// every time).
    fn build(&mut self) {
        let root = self.vs.root();
        let mut width = self.input_features;
        let mut dense = 0;
        self.built = self
            .layers
            .iter()
            .map(|layer| {
                let built = layer.build(&root / format!("dense_{dense}"), width);
                dense += usize::from(matches!(layer, Layer::Dense { .. }));
                width = layer.output_width(width);
                built
            })
            .collect();
    }

    /// Chooses the loss and the optimizer and creates the weights (seed first with
    /// [`crate::seed`] for the same weights every time). With a cross-entropy loss the model
    /// is a classifier and `fit` and `evaluate` report its accuracy too, as Keras does with
    /// `metrics=["accuracy"]`.
    pub fn compile(&mut self, loss: Loss, optimizer: Optimizer) -> Result<()> {
        const F: &str = "Sequential::compile";
        self.check_architecture()?;
        let lr = optimizer.learning_rate();
        if !(lr.is_finite() && lr > 0.0) {
            return Err(Error::invalid(
                F,
                "learning_rate",
                format!("is {lr}, expected a number > 0 (e.g. 0.001)"),
            ));
        }
        if let Loss::Huber { delta } = loss {
            if !(delta.is_finite() && delta > 0.0) {
                return Err(Error::invalid(
                    F,
                    "delta",
                    format!("is {delta}, expected a number > 0 (e.g. 1.0)"),
                ));
            }
        }
        if self.built.is_empty() {
            self.build();
        }
        let torch = match optimizer {
            Optimizer::Sgd { learning_rate } => nn::Sgd::default().build(&self.vs, learning_rate),
            Optimizer::Adam { learning_rate } => nn::Adam::default().build(&self.vs, learning_rate),
        }
        .map_err(|e| Error::torch(F, e))?;
        self.compiled = Some(Compiled {
            loss,
            optimizer,
            torch,
        });
        Ok(())
    }

    /// The model's output for `x`, already checked; dropout acts only when `train` is true.
    pub(crate) fn forward(&self, x: &Tensor, train: bool) -> Tensor {
        self.built
            .iter()
            .fold(x.shallow_clone(), |x, layer| layer.forward(&x, train))
    }

    /// One optimizer step on `loss`: gradients, update, gradients cleared.
    pub(crate) fn step(&mut self, loss: &Tensor) {
        let compiled = self.compiled.as_mut().expect("checked by targets()");
        compiled.torch.backward_step(loss);
    }

    /// Checks `x` against the model: `[samples, input_features]`, finite; returns it as float
    /// on the model's device.
    pub(crate) fn check_x(&self, function: &'static str, x: &Tensor) -> Result<Tensor> {
        if self.built.is_empty() {
            return Err(Error::invalid(
                function,
                "model",
                "has no weights yet, expected a compiled model: call model.compile(…) first",
            ));
        }
        let size = x.size();
        if size.len() != 2 || size[1] as usize != self.input_features {
            return Err(Error::invalid(
                function,
                "x",
                format!(
                    "has shape {size:?}, but dense layer 1 expects {} input features: \
                     expected [samples, {}]",
                    self.input_features, self.input_features
                ),
            ));
        }
        if size[0] == 0 {
            return Err(Error::invalid(
                function,
                "x",
                "is empty, expected at least one sample",
            ));
        }
        let x = crate::convert::finite_tensor(function, "x", x)?;
        x.f_to_kind(Kind::Float)
            .and_then(|x| x.f_to_device(self.vs.device()))
            .map_err(|e| Error::torch(function, e))
    }

    /// Checks `y` against the model's loss and output for `samples` samples and returns
    /// the targets as the loss takes them (see [`Loss::compute`]).
    pub(crate) fn targets(
        &self,
        function: &'static str,
        y: &Tensor,
        samples: i64,
    ) -> Result<Tensor> {
        let loss = self.loss().ok_or_else(|| {
            Error::invalid(
                function,
                "model",
                "is not compiled: call model.compile(…) first",
            )
        })?;
        if y.size().first() != Some(&samples) {
            return Err(Error::invalid(
                function,
                "y",
                format!(
                    "has {} samples, expected {samples}, one per row of x",
                    y.size().first().copied().unwrap_or(0)
                ),
            ));
        }
        // The shape (and kind and device) of the model's predictions for these samples.
        let predictions = Tensor::zeros(
            [samples, self.output_width() as i64],
            (Kind::Float, self.vs.device()),
        );
        loss.targets(function, "y", y, &predictions)
    }

    /// The loss of predictions against checked targets, and how many predictions are right
    /// (classifiers only): the numbers of a training epoch and of `evaluate`.
    pub(crate) fn score(&self, targets: &Tensor, y_pred: &Tensor) -> (Tensor, Option<f64>) {
        let loss = self.loss().expect("checked by targets()");
        let correct = loss.classifies().then(|| {
            tch::no_grad(|| {
                let hits = if loss == Loss::BinaryCrossEntropy {
                    y_pred
                        .gt(0.5)
                        .to_kind(Kind::Float)
                        .eq_tensor(&targets.round())
                } else {
                    y_pred.argmax(1, false).eq_tensor(targets)
                };
                hits.to_kind(Kind::Double)
                    .sum(Kind::Double)
                    .double_value(&[])
            })
        });
        (loss.apply(targets, y_pred), correct)
    }

    /// The mean loss and the accuracy on checked data.
    pub(crate) fn measure(&self, x: &Tensor, targets: &Tensor) -> (f64, Option<f64>) {
        tch::no_grad(|| {
            let y_pred = self.forward(x, false);
            let (loss, correct) = self.score(targets, &y_pred);
            let samples = x.size()[0] as f64;
            (loss.double_value(&[]), correct.map(|c| c / samples))
        })
    }

    /// A copy of every weight, by name, to put back with [`Sequential::restore`].
    pub(crate) fn snapshot(&self) -> Snapshot {
        self.vs
            .variables()
            .into_iter()
            .map(|(name, t)| (name, t.detach().copy()))
            .collect()
    }

    /// Puts back the weights of a [`Sequential::snapshot`].
    pub(crate) fn restore(&mut self, snapshot: &[(String, Tensor)]) {
        let variables = self.vs.variables();
        tch::no_grad(|| {
            for (name, saved) in snapshot {
                if let Some(v) = variables.get(name) {
                    v.shallow_clone().copy_(saved);
                }
            }
        });
    }

    /// The loss and accuracy on `x` and `y`: the same computation as training's, and as
    /// [`Loss::compute`] on [`Sequential::predict`]'s output.
    ///
    /// ```
    /// use dlintro::prelude::*;
    /// seed(1);
    /// let mut model = Sequential::input_features(1).dense(2, Activation::Softmax);
    /// model.compile(Loss::SparseCategoricalCrossEntropy, Optimizer::Adam { learning_rate: 0.1 })?;
    /// let x = Tensor::from_slice(&[-2f32, -1., 1., 2.]).view([4, 1]);
    /// let y = Tensor::from_slice(&[0i64, 0, 1, 1]);
    /// model.fit(&x, &y, FitOptions { epochs: 100, verbose: Verbose::Silent, ..Default::default() })?;
    /// let evaluation = model.evaluate(&x, &y)?;
    /// assert_eq!(evaluation.accuracy, Some(1.0));
    /// assert_eq!(model.predict_classes(&x, &["left".into(), "right".into()])?[3], "right");
    /// # Ok::<(), dlintro::Error>(())
    /// ```
    pub fn evaluate(&self, x: &Tensor, y: &Tensor) -> Result<Evaluation> {
        const F: &str = "Sequential::evaluate";
        let x = self.check_x(F, x)?;
        let targets = self.targets(F, y, x.size()[0])?;
        let (loss, accuracy) = self.measure(&x, &targets);
        Ok(Evaluation { loss, accuracy })
    }

    /// The model's outputs for `x`: `[samples, outputs]`, probabilities for a softmax or
    /// sigmoid output. On the CPU.
    pub fn predict(&self, x: &Tensor) -> Result<Tensor> {
        let x = self.check_x("Sequential::predict", x)?;
        Ok(tch::no_grad(|| self.forward(&x, false)).to_device(tch::Device::Cpu))
    }

    /// The predicted class of each sample, by name: the most probable output.
    pub fn predict_classes(&self, x: &Tensor, class_names: &[String]) -> Result<Vec<String>> {
        const F: &str = "Sequential::predict_classes";
        if class_names.len() != self.output_width() {
            return Err(Error::invalid(
                F,
                "class_names",
                format!(
                    "has {} names, expected {}, one per output of the model",
                    class_names.len(),
                    self.output_width()
                ),
            ));
        }
        let indices = Vec::<i64>::try_from(self.predict(x)?.argmax(1, false))
            .map_err(|e| Error::torch(F, e))?;
        Ok(indices
            .into_iter()
            .map(|i| class_names[i as usize].clone())
            .collect())
    }
}

#[cfg(test)]
mod tests;
