//! Keras-style models on tch: a [`Sequential`] stack of [`Layer`]s, its [`Summary`],
//! `compile`, `evaluate`, `predict` and `save`/`load` — steps 4, 5, 8 and 10 of the workflow —
//! and Keras' Functional API (`functional/`): a [`Model`] of layers applied to earlier outputs,
//! with branches. Both train in the same loop, which asks of them what `trainable.rs` says.
//! Training's loop (`fit`, step 6) lives in [`crate::train`]; the step it takes on every batch
//! (forward pass, loss, gradients, the [`Optimizer`]'s update)
//! is the model's own, as are the [`Metric`]s it reports.
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
mod functional;
mod hidden;
mod inputs;
mod inspect;
mod layer;
mod norm;
mod probabilities;
mod summary;
mod trainable;
mod training;

use std::fmt;

use tch::nn;
use tch::Tensor;

use crate::activation::Activation;
use crate::error::{Error, Result};
use crate::loss::Loss;
use crate::metrics::Metric;
use crate::optimizer::{Optimizer, Update};

pub(crate) use functional::Action;
pub use functional::{layers, Input, Model, Node, Shared};
pub(crate) use inputs::Expected;
pub(crate) use layer::Built;
pub use layer::{keras_dense_config, shape_text, Layer, Padding};
pub use summary::Summary;
pub(crate) use trainable::Trainable;
pub(crate) use training::{
    loss_of, restore, scored_activation, snapshot, EpochTotals, Output, Snapshot,
};

/// What [`Sequential::evaluate`] measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The loss on the data.
    pub loss: f64,
    /// The accuracy, for classifiers.
    pub accuracy: Option<f64>,
    /// Every metric the model was compiled with, by name (the accuracy too), in order.
    pub metrics: Vec<(String, f64)>,
}

impl Evaluation {
    /// The value of one metric, by its name in the history: `"loss"`,
    /// `"root_mean_squared_error"`, … (Keras' `evaluate(…, return_dict=True)[name]`).
    pub fn get(&self, name: &str) -> Result<f64> {
        if name == "loss" {
            return Ok(self.loss);
        }
        self.metrics
            .iter()
            .find(|(n, _)| n == name)
            .map(|&(_, v)| v)
            .ok_or_else(|| {
                let mut names = vec!["loss"];
                names.extend(self.metrics.iter().map(|(n, _)| n.as_str()));
                Error::invalid(
                    "Evaluation::get",
                    "name",
                    format!("is {name:?}, expected one of {names:?}"),
                )
            })
    }
}

impl fmt::Display for Evaluation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "loss {:.4}", self.loss)?;
        for (name, value) in &self.metrics {
            write!(f, " · {name} {value:.4}")?;
        }
        Ok(())
    }
}

/// The loss and optimizer chosen by [`Sequential::compile`], with the optimizer's state.
struct Compiled {
    loss: Loss,
    optimizer: Optimizer,
    update: Update,
    /// What `fit` and `evaluate` report besides the loss.
    metrics: Vec<Metric>,
}

/// Layers one after another, as in Keras: the architecture, and its weights once compiled.
pub struct Sequential {
    /// Each sample's shape: `[features]` or `[height, width, channels]`.
    input_shape: Vec<usize>,
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
        Sequential::input_shape(&[features])
    }

    /// An empty model whose inputs are images of `height`×`width` pixels with `channels`
    /// values each (1 for grey, 3 for colour): Keras' `keras.Input(shape=(height, width,
    /// channels))`. Give it tensors `[samples, height, width, channels]`.
    pub fn input_image(height: usize, width: usize, channels: usize) -> Sequential {
        Sequential::input_shape(&[height, width, channels])
    }

    /// An empty model whose samples have `shape` (without the batch), as Keras'
    /// `keras.Input(shape=…)`.
    pub fn input_shape(shape: &[usize]) -> Sequential {
        Sequential {
            input_shape: shape.to_vec(),
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

    /// Adds batch normalisation: Keras' `layers.BatchNormalization()`, with its momentum 0.99
    /// and epsilon 0.001 (see [`Layer::BatchNormalization`]).
    pub fn batch_norm(self) -> Sequential {
        self.layer(Layer::BatchNormalization)
    }

    /// Adds a convolution of `filters` kernels of `kernel_size`×`kernel_size`, stride 1, no
    /// padding: Keras' `layers.Conv2D(filters, kernel_size, activation=…)`. For other strides
    /// or padding, add a [`Layer::Conv2D`] with [`Sequential::layer`].
    pub fn conv2d(self, filters: usize, kernel_size: usize, activation: Activation) -> Sequential {
        self.layer(Layer::Conv2D {
            filters,
            kernel_size,
            strides: 1,
            padding: Padding::Valid,
            activation,
        })
    }

    /// [`Sequential::conv2d`] with `padding="same"`: the image keeps its size.
    pub fn conv2d_same(
        self,
        filters: usize,
        kernel_size: usize,
        activation: Activation,
    ) -> Sequential {
        self.layer(Layer::Conv2D {
            filters,
            kernel_size,
            strides: 1,
            padding: Padding::Same,
            activation,
        })
    }

    /// Adds max-pooling over `pool_size`×`pool_size` windows in steps of `pool_size`:
    /// Keras' `layers.MaxPooling2D(pool_size)`.
    pub fn max_pool2d(self, pool_size: usize) -> Sequential {
        self.layer(Layer::MaxPooling2D {
            pool_size,
            strides: pool_size,
            padding: Padding::Valid,
        })
    }

    /// Adds a flattening of images into rows of features: Keras' `layers.Flatten()`.
    pub fn flatten(self) -> Sequential {
        self.layer(Layer::Flatten)
    }

    /// Adds any [`Layer`]: Keras' `model.add(layer)`.
    pub fn layer(mut self, layer: Layer) -> Sequential {
        self.layers.push(layer);
        self
    }

    /// Each input sample's shape: `[features]` or `[height, width, channels]`.
    pub fn sample_shape(&self) -> &[usize] {
        &self.input_shape
    }

    /// The layers.
    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    /// The shape of each sample after every layer, first the input's: or an error naming
    /// the first layer that does not fit what comes before it.
    pub fn shapes(&self) -> Result<Vec<Vec<usize>>> {
        let mut shapes = vec![self.input_shape.clone()];
        for (i, layer) in self.layers.iter().enumerate() {
            let before = Some((self.input_shape.as_slice(), &self.layers[..i]));
            let next = layer.output_shape_after(
                shapes.last().expect("the input's shape"),
                i + 1,
                before,
            )?;
            shapes.push(next);
        }
        Ok(shapes)
    }

    /// The width of the model's output (the size of the last layer's output).
    pub fn output_width(&self) -> usize {
        self.shapes()
            .ok()
            .and_then(|s| s.last().map(|shape| shape.iter().product()))
            .unwrap_or(0)
    }

    /// The loss chosen by `compile`, if compiled.
    pub fn loss(&self) -> Option<Loss> {
        self.compiled.as_ref().map(|c| c.loss)
    }

    /// The optimizer chosen by `compile`, if compiled.
    pub fn optimizer(&self) -> Option<Optimizer> {
        self.compiled.as_ref().map(|c| c.optimizer)
    }

    /// The metrics `fit` and `evaluate` report besides the loss (none before `compile`).
    pub fn metrics(&self) -> &[Metric] {
        self.compiled.as_ref().map_or(&[], |c| &c.metrics)
    }

    fn check_architecture(&self) -> Result<()> {
        const F: &str = "Sequential";
        if self.input_shape.is_empty() || self.input_shape.contains(&0) {
            return Err(Error::invalid(
                F,
                "input_shape",
                format!(
                    "is {:?}, expected sizes of at least 1 (e.g. [4] features or [28, 28, 1] \
                     for an image)",
                    self.input_shape
                ),
            ));
        }
        for (i, layer) in self.layers.iter().enumerate() {
            layer.check(i + 1)?;
        }
        let shapes = self.shapes()?;
        if shapes.last().is_some_and(|s| s.len() != 1) {
            return Err(Error::invalid(
                F,
                "layers",
                format!(
                    "end with samples of shape {}, expected one row of outputs: add .flatten() \
                     and a dense layer",
                    shape_text(shapes.last().expect("checked"))
                ),
            ));
        }
        if !self.layers.iter().any(|l| matches!(l, Layer::Dense { .. })) {
            return Err(Error::invalid(
                F,
                "layers",
                "has no dense layer, expected at least one: add .dense(units, activation)",
            ));
        }
        Ok(())
    }

    /// Creates every layer's weights (seed first with [`crate::seed`] for the same weights
    /// every time), after `check_architecture`. Weights are named after their layer's kind
    /// and number among its kind: `dense_0`, `dense_1`, `conv2d_0`, …
    fn build(&mut self) {
        let root = self.vs.root();
        let shapes = self.shapes().expect("checked by check_architecture");
        let mut counts = std::collections::BTreeMap::<&str, usize>::new();
        self.built = self
            .layers
            .iter()
            .zip(&shapes)
            .map(|(layer, input)| {
                let count = counts.entry(layer.base_name()).or_default();
                let path = &root / format!("{}_{count}", layer.base_name());
                *count += 1;
                layer.build(path, input)
            })
            .collect();
    }

    /// Chooses the loss and the optimizer and creates the weights (seed first with
    /// [`crate::seed()`] for the same weights every time). With a cross-entropy loss the model
    /// is a classifier and `fit` and `evaluate` report its accuracy too, as Keras does with
    /// `metrics=["accuracy"]`.
    pub fn compile(&mut self, loss: Loss, optimizer: Optimizer) -> Result<()> {
        const F: &str = "Sequential::compile";
        self.check_architecture()?;
        optimizer.check(F)?;
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
        let update = Update::new(optimizer, self.vs.trainable_variables());
        self.compiled = Some(Compiled {
            loss,
            optimizer,
            update,
            metrics: Metric::defaults(loss),
        });
        Ok(())
    }

    /// [`Sequential::compile`] with the metrics `fit` and `evaluate` report besides the loss:
    /// Keras' `compile(…, metrics=[…])`. The list replaces the default (the accuracy for a
    /// classifier, nothing for a regression).
    ///
    /// ```
    /// use dlintro::prelude::*;
    /// seed(2);
    /// let mut model = Sequential::input_features(1).dense(1, Activation::Linear);
    /// model.compile_with_metrics(Loss::MeanSquaredError, Optimizer::Adam { learning_rate: 0.1 },
    ///     &[Metric::RootMeanSquaredError, Metric::MeanAbsoluteError])?;
    /// let x = Tensor::from_slice(&[0f32, 1., 2., 3.]).view([4, 1]);
    /// let y = Tensor::from_slice(&[1f32, 3., 5., 7.]).view([4, 1]);
    /// let history = model.fit(&x, &y, FitOptions { epochs: 5, verbose: Verbose::Silent, ..Default::default() })?;
    /// assert_eq!(history.get("root_mean_squared_error")?.len(), 5);
    /// let evaluation = model.evaluate(&x, &y)?;
    /// assert_eq!(evaluation.get("loss")?.sqrt() as f32, evaluation.get("root_mean_squared_error")? as f32);
    /// # Ok::<(), dlintro::Error>(())
    /// ```
    pub fn compile_with_metrics(
        &mut self,
        loss: Loss,
        optimizer: Optimizer,
        metrics: &[Metric],
    ) -> Result<()> {
        const F: &str = "Sequential::compile_with_metrics";
        for metric in metrics {
            metric.check(F, loss)?;
        }
        self.compile(loss, optimizer)
            .map_err(|e| e.reported_by(F, |a| a))?;
        let compiled = self.compiled.as_mut().expect("just compiled");
        compiled.metrics.clear();
        for metric in metrics {
            if !compiled.metrics.contains(metric) {
                compiled.metrics.push(*metric);
            }
        }
        Ok(())
    }

    /// Checked input as the first layer takes it: images arrive channels last, as in Keras,
    /// and libtorch convolves channels first.
    fn first_layer_input(x: &Tensor) -> Tensor {
        if x.dim() == 4 {
            x.permute([0, 3, 1, 2])
        } else {
            x.shallow_clone()
        }
    }

    /// The model's output for `x`, already checked; dropout acts only when `train` is true.
    pub(crate) fn forward(&self, x: &Tensor, train: bool) -> Tensor {
        Self::through(&self.built, x, train)
    }

    /// Checked input through `layers`, one after another.
    fn through(layers: &[Built], x: &Tensor, train: bool) -> Tensor {
        layers.iter().fold(Self::first_layer_input(x), |x, layer| {
            layer.forward(&x, train)
        })
    }

    /// The loss and the metrics (the accuracy of a classifier, those given to
    /// [`Sequential::compile_with_metrics`]) on `x` and `y`: the same computation as
    /// training's, and as [`Loss::compute`] and [`Metric::compute`] on
    /// [`Sequential::predict`]'s output, with one difference. A softmax or sigmoid output
    /// trained with a cross-entropy is measured from its scores, as in training, with no
    /// floor: a sample whose true class gets a probability below e^−100 costs its whole
    /// score gap here, and 100 in [`Loss::compute`], which sees only the probability (see
    /// [`crate::loss::MIN_PROBABILITY`]).
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
        let (x, targets) = self.check_data(F, x, y)?;
        let (loss, metrics) = self.measure(&x, &targets);
        let accuracy = metrics
            .iter()
            .find(|(name, _)| *name == Metric::Accuracy.name())
            .map(|&(_, a)| a);
        Ok(Evaluation {
            loss,
            accuracy,
            metrics: metrics
                .into_iter()
                .map(|(n, v)| (n.to_string(), v))
                .collect(),
        })
    }

    /// The model's outputs for `x`: `[samples, outputs]`, probabilities for a softmax or
    /// sigmoid output. On the CPU. Many rows go through the model in blocks of
    /// [`Sequential::PREDICT_BLOCK`]; Kernel ▸ Interrupt stops it between two blocks
    /// ([`Error::Interrupted`]).
    pub fn predict(&self, x: &Tensor) -> Result<Tensor> {
        const F: &str = "Sequential::predict";
        let x = self.check_x(F, x)?;
        let rows = x.size()[0];
        let mut blocks = Vec::new();
        for first in (0..rows).step_by(Self::PREDICT_BLOCK as usize) {
            if crate::interrupt::requested() {
                return Err(Error::Interrupted {
                    function: F,
                    done: first,
                    total: rows,
                    unit: "rows",
                });
            }
            let block = x.narrow(0, first, Self::PREDICT_BLOCK.min(rows - first)); // [block, features…]
            blocks.push(tch::no_grad(|| self.forward(&block, false)));
        }
        let outputs = match blocks.len() {
            0 => tch::no_grad(|| self.forward(&x, false)),
            1 => blocks.remove(0),
            _ => Tensor::cat(&blocks, 0), // [samples, outputs]
        };
        Ok(outputs.to_device(tch::Device::Cpu))
    }

    /// The rows [`Sequential::predict`] passes through the model at once.
    pub const PREDICT_BLOCK: i64 = 16_384;

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
        let predictions = self.predict(x).map_err(|e| e.reported_by(F, |a| a))?;
        let indices =
            Vec::<i64>::try_from(predictions.argmax(1, false)).map_err(|e| Error::torch(F, e))?;
        Ok(indices
            .into_iter()
            .map(|i| class_names[i as usize].clone())
            .collect())
    }
}

#[cfg(test)]
mod tests;
