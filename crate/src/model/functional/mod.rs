//! Keras' Functional API: a [`Model`] made from an [`Input`] and an output [`Node`], with
//! layers applied to earlier outputs, and branches joined by [`layers::concatenate`] or
//! [`layers::add`]. What a [`Sequential`](super::Sequential) stack cannot say: two paths
//! through the network, a layer reused, a shortcut.
//!
//! ```
//! use dlintro::prelude::*;
//! seed(1);
//! let inputs = Input::features(4);
//! let wide = Layer::dense(8, Activation::Relu).apply(&inputs)?;
//! let narrow = Layer::dense(2, Activation::Relu).apply(&inputs)?;
//! let both = layers::concatenate(&[&wide, &narrow])?;
//! let outputs = Layer::dense(3, Activation::Softmax).apply(&both)?;
//! let mut model = Model::new(&inputs, &outputs)?;
//! assert_eq!(model.count_params(), (4 * 8 + 8) + (4 * 2 + 2) + (10 * 3 + 3));
//! model.compile(Loss::SparseCategoricalCrossEntropy, Optimizer::Adam { learning_rate: 0.05 })?;
//! let x = Tensor::from_slice(&[1f32, 0., 0., 0., 0., 1., 0., 0., 0., 0., 1., 0.]).view([3, 4]);
//! let y = Tensor::from_slice(&[0i64, 1, 2]);
//! let options = FitOptions { epochs: 100, verbose: Verbose::Silent, ..Default::default() };
//! let history = model.fit(&x, &y, options)?;
//! assert_eq!(history.last("accuracy")?, 1.0);
//! assert_eq!(model.predict(&x)?.size(), [3, 3]);
//! # Ok::<(), dlintro::Error>(())
//! ```
//!
//! | file | what |
//! |---|---|
//! | `node` | [`Input`], [`Node`], [`Shared`] layers, the joins |
//! | `graph` | the model's steps from input to output, checked, and its forward pass |
//! | `summary` | Keras' summary with "Connected to" |
//! | `training` | what training asks of the model (the loop is [`crate::train`]'s) |
//! | `file` | save and load |

mod file;
mod graph;
mod node;
mod summary;
mod training;

use std::fmt;

use tch::nn;
use tch::Tensor;

use crate::error::{Error, Result};
use crate::loss::Loss;
use crate::metrics::Metric;
use crate::optimizer::{Optimizer, Update};

use super::{shape_text, Built, Compiled, Evaluation, Expected, Layer, Trainable};
use crate::activation::Activation;

pub(crate) use graph::{Action, Step};
pub use node::{Input, Node, Shared};

/// The joins of the Functional API, as Keras' `keras.layers` functions.
pub mod layers {
    use super::node;
    use super::Node;
    use crate::error::Result;

    /// `inputs` side by side along their last axis (the channels of images, the features of
    /// rows): Keras' `layers.concatenate([a, b])`, YOLO's *route*. Every other size must agree.
    ///
    /// ```
    /// use dlintro::prelude::*;
    /// let inputs = Input::image(14, 14, 8);
    /// let a = Layer::conv2d_same(16, 1, Activation::Relu).apply(&inputs)?;
    /// assert_eq!(layers::concatenate(&[&a, &inputs])?.shape(), [14, 14, 24]);
    /// let small = Layer::max_pool2d(2).apply(&a)?;
    /// let e = layers::concatenate(&[&a, &small]).unwrap_err();
    /// assert_eq!(e.to_string(), "layers::concatenate: `inputs` have samples of shapes \
    ///     (None, 14, 14, 16), (None, 7, 7, 16), expected the same sizes but for the last axis: \
    ///     only channels (or features) can be joined this way");
    /// # Ok::<(), dlintro::Error>(())
    /// ```
    pub fn concatenate(inputs: &[&Node]) -> Result<Node> {
        node::concatenate(inputs)
    }

    /// `inputs` added element by element: Keras' `layers.add([a, b])`, a residual shortcut.
    /// Every shape must be the same.
    ///
    /// ```
    /// use dlintro::prelude::*;
    /// let inputs = Input::features(4);
    /// let x = Layer::dense(4, Activation::Relu).apply(&inputs)?;
    /// assert_eq!(layers::add(&[&x, &inputs])?.shape(), [4]);
    /// let y = Layer::dense(3, Activation::Relu).apply(&inputs)?;
    /// assert_eq!(layers::add(&[&x, &y]).unwrap_err().to_string(), "layers::add: `inputs` have \
    ///     samples of shapes (None, 4), (None, 3), expected one shape for all: addition adds \
    ///     values one to one");
    /// # Ok::<(), dlintro::Error>(())
    /// ```
    pub fn add(inputs: &[&Node]) -> Result<Node> {
        node::add(inputs)
    }
}

/// A model of the Functional API, Keras' `keras.Model(inputs=…, outputs=…)`: its layers, how
/// they connect, and their weights (made when the model is, as Keras builds them). `compile`,
/// `fit`, `evaluate`, `predict`, `summary`, `save` and `load` work as for a
/// [`Sequential`](super::Sequential), and `plot::model` draws its branches.
pub struct Model {
    /// Each sample's shape at the input.
    input_shape: Vec<usize>,
    /// Every layer once (a shared layer too), with its name: `dense`, `dense_1`, …
    layers: Vec<(Layer, String)>,
    /// The steps from the input (step 0) to the output (the last), each after its inputs, in
    /// the order of a depth-first walk back from the output (a join's inputs in their order).
    steps: Vec<Step>,
    vs: nn::VarStore,
    /// One entry per layer, with its weights.
    built: Vec<Built>,
    compiled: Option<Compiled>,
}

impl fmt::Debug for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.summary())
    }
}

impl Model {
    /// The model that computes `outputs` from `inputs`: Keras' `keras.Model(inputs=inputs,
    /// outputs=outputs)`. It makes the weights of every layer between them (seed first with
    /// [`crate::seed()`] for the same weights every time). An error when `outputs` does not
    /// depend on `inputs`, or depends on another input too.
    ///
    /// ```
    /// use dlintro::prelude::*;
    /// let inputs = Input::features(4);
    /// let other = Input::features(4);
    /// let outputs = Layer::dense(3, Activation::Softmax).apply(&other)?;
    /// let e = Model::new(&inputs, &outputs).unwrap_err();
    /// assert_eq!(e.to_string(), "Model::new: `outputs` does not depend on `inputs`: it is \
    ///     computed from another Input, of shape (None, 4); expected the output of layers \
    ///     applied to `inputs`");
    /// # Ok::<(), dlintro::Error>(())
    /// ```
    pub fn new(inputs: &Node, outputs: &Node) -> Result<Model> {
        let (steps, layers) = graph::steps(inputs, outputs)?;
        Model::from_steps(inputs.shape().to_vec(), steps, layers)
    }

    /// A model of checked steps, with new weights.
    fn from_steps(input_shape: Vec<usize>, steps: Vec<Step>, layers: Vec<Layer>) -> Result<Model> {
        let input_len = input_shape.len();
        if input_shape.is_empty() || input_shape.contains(&0) || ![1, 3].contains(&input_len) {
            return Err(Error::invalid(
                "Model::new",
                "inputs",
                format!(
                    "has samples of shape {}, expected sizes of at least 1: features \
                     (Input::features(4)) or images (Input::image(28, 28, 1))",
                    shape_text(&input_shape)
                ),
            ));
        }
        let vs = nn::VarStore::new(crate::device());
        let inputs = graph::layer_inputs(&steps, layers.len());
        let mut counts = std::collections::BTreeMap::<&str, usize>::new();
        let mut named = Vec::with_capacity(layers.len());
        let mut built = Vec::with_capacity(layers.len());
        for (layer, input) in layers.iter().zip(&inputs) {
            let base = layer.base_name();
            let count = counts.entry(base).or_default();
            built.push(layer.build(&vs.root() / format!("{base}_{count}"), input));
            // Keras' names: `dense`, then `dense_1`, `dense_2`, …
            let name = match *count {
                0 => base.to_string(),
                n => format!("{base}_{n}"),
            };
            *count += 1;
            named.push((*layer, name));
        }
        Ok(Model {
            input_shape,
            layers: named,
            steps,
            vs,
            built,
            compiled: None,
        })
    }

    /// Each input sample's shape.
    pub fn sample_shape(&self) -> &[usize] {
        &self.input_shape
    }

    /// Each output sample's shape: `[3]` for three classes, `[28, 7, 30]` for the slide's
    /// detector.
    pub fn output_shape(&self) -> &[usize] {
        &self.steps.last().expect("a model has steps").shape
    }

    /// Every layer once, in the order of the steps, with its name in the summary.
    pub fn layers(&self) -> &[(Layer, String)] {
        &self.layers
    }

    /// The steps from the input to the output: which layer or join, applied to which earlier
    /// steps.
    pub(crate) fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// How many weights the model has, trainable or not: Keras' `model.count_params()`.
    pub fn count_params(&self) -> usize {
        self.summary().total
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

    /// Chooses the loss and the optimizer, as [`Sequential::compile`](super::Sequential::compile):
    /// with a cross-entropy the model is a classifier and reports its accuracy. The output
    /// must be one row per sample, as a loss compares rows.
    pub fn compile(&mut self, loss: Loss, optimizer: Optimizer) -> Result<()> {
        self.compile_with_metrics(loss, optimizer, &Metric::defaults(loss))
            .map_err(|e| e.reported_by("Model::compile", |a| a))
    }

    /// [`Model::compile`] with the metrics `fit` and `evaluate` report besides the loss:
    /// Keras' `compile(…, metrics=[…])`.
    pub fn compile_with_metrics(
        &mut self,
        loss: Loss,
        optimizer: Optimizer,
        metrics: &[Metric],
    ) -> Result<()> {
        const F: &str = "Model::compile_with_metrics";
        if self.output_shape().len() != 1 {
            return Err(Error::invalid(
                F,
                "outputs",
                format!(
                    "have samples of shape {}, expected one row of outputs per sample for a \
                     loss: add Layer::Flatten and a dense layer",
                    shape_text(self.output_shape())
                ),
            ));
        }
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
        let mut chosen = Vec::new();
        for metric in metrics {
            metric.check(F, loss)?;
            if !chosen.contains(metric) {
                chosen.push(*metric);
            }
        }
        self.compiled = Some(Compiled {
            loss,
            optimizer,
            update: Update::new(optimizer, self.vs.trainable_variables()),
            metrics: chosen,
        });
        Ok(())
    }

    /// What the model expects of its data: [`Sequential`](super::Sequential)'s checks and
    /// messages apply to it as they are.
    pub(crate) fn expected(&self) -> Expected<'_> {
        let last_activation = match self.steps.last().map(|s| &s.kind) {
            Some(Action::Layer(i)) => match self.layers[*i].0 {
                Layer::Dense { activation, .. } => activation,
                _ => Activation::Softmax,
            },
            _ => Activation::Softmax,
        };
        Expected {
            input_shape: &self.input_shape,
            dense_first: false,
            built: true,
            loss: self.loss(),
            output_width: self.output_shape().iter().product(),
            last_activation,
            device: self.vs.device(),
        }
    }

    /// The model's outputs for `x`: `[samples, outputs]`, or `[samples, height, width,
    /// channels]` for an image (channels last, as Keras gives them). On the CPU.
    ///
    /// ```
    /// use dlintro::prelude::*;
    /// let inputs = Input::image(8, 8, 3);
    /// let x = Layer::conv2d_same(4, 3, Activation::Relu).apply(&inputs)?;
    /// let reorg = Layer::SpaceToDepth { block_size: 2 }.apply(&x)?;
    /// let model = Model::new(&inputs, &reorg)?;
    /// assert_eq!(model.predict(&Tensor::rand([2, 8, 8, 3], (Kind::Float, Device::Cpu)))?.size(), [2, 4, 4, 16]);
    /// # Ok::<(), dlintro::Error>(())
    /// ```
    pub fn predict(&self, x: &Tensor) -> Result<Tensor> {
        let x = self.expected().check_x("Model::predict", "x", x)?;
        let _no_grad = tch::no_grad_guard();
        let y = self.forward(&x, false);
        Ok(graph::keras_layout(&y).to_device(tch::Device::Cpu))
    }

    /// The loss and the metrics on `x` and `y`, as [`Sequential::evaluate`](super::Sequential::evaluate).
    pub fn evaluate(&self, x: &Tensor, y: &Tensor) -> Result<Evaluation> {
        const F: &str = "Model::evaluate";
        let (x, targets) = self.expected().check_data(F, ["x", "y"], x, y)?;
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
}

#[cfg(test)]
mod tests;
