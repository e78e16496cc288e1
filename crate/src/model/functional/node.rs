//! The Functional API's building blocks before there is a model: an [`Input`], the [`Node`]
//! every layer applied to it gives (Keras' symbolic "KerasTensor"), [`Shared`] layers, and
//! the joins of [`layers`](super::layers).
//!
//! A node knows its shape and where it came from; no number flows through it. The model made
//! from an input and an output ([`Model::new`](super::Model::new)) walks back along these links.

use std::fmt;
use std::sync::{Arc, OnceLock};

use crate::error::{Error, Result};
use crate::model::{shape_text, Layer};

/// What made a node.
#[derive(Debug, Clone)]
pub(crate) enum Op {
    /// The model's input.
    Input,
    /// A layer, applied to the one input node; `shared` is its identity when it is a
    /// [`Shared`] layer (the same weights wherever it is applied).
    Layer {
        layer: Layer,
        shared: Option<Arc<SharedLayer>>,
    },
    /// The input nodes side by side, along their last axis (channels, or features).
    Concatenate,
    /// The input nodes added element by element.
    Add,
}

#[derive(Debug)]
pub(crate) struct NodeData {
    pub(crate) op: Op,
    pub(crate) inputs: Vec<Node>,
    /// Each sample's shape, without the batch.
    pub(crate) shape: Vec<usize>,
}

/// One output in a Functional model under construction: what [`Input`] and
/// [`Layer::apply`] return, Keras' symbolic tensor (`x = layers.Dense(10)(inputs)`). It has a
/// shape and a history, not values; cloning it is cheap and gives the same node.
///
/// ```
/// use dlintro::prelude::*;
/// let inputs = Input::features(4);
/// let x = Layer::dense(10, Activation::Relu).apply(&inputs)?;
/// assert_eq!(x.shape(), [10]);
/// # Ok::<(), dlintro::Error>(())
/// ```
#[derive(Clone)]
pub struct Node(pub(crate) Arc<NodeData>);

impl Node {
    fn new(op: Op, inputs: Vec<Node>, shape: Vec<usize>) -> Node {
        Node(Arc::new(NodeData { op, inputs, shape }))
    }

    /// Each sample's shape at this node, without the batch: `[10]`, `[28, 28, 256]`.
    pub fn shape(&self) -> &[usize] {
        &self.0.shape
    }

    /// The node's identity while it lives: where it is kept. (Not a counter: evcxr compiles
    /// every notebook cell with a copy of the crate's statics, so a counter would start again
    /// in each cell.)
    pub(crate) fn id(&self) -> usize {
        Arc::as_ptr(&self.0) as usize
    }
}

impl fmt::Debug for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let from = match &self.0.op {
            Op::Input => "Input".to_string(),
            Op::Layer { layer, .. } => layer.to_string(),
            Op::Concatenate => "Concatenate".into(),
            Op::Add => "Add".into(),
        };
        write!(f, "Node {} from {from}", shape_text(&self.0.shape))
    }
}

/// The start of a Functional model: Keras' `keras.Input(shape=…)`. Each of its functions
/// returns the input [`Node`] that layers are then applied to.
///
/// ```
/// use dlintro::prelude::*;
/// let image = Input::image(448, 448, 3);
/// assert_eq!(image.shape(), [448, 448, 3]);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Input;

impl Input {
    /// An input of `features` values per sample: `keras.Input(shape=(features,))`.
    pub fn features(features: usize) -> Node {
        Input::shape(&[features])
    }

    /// An input of images, `height`×`width` pixels of `channels` values (3 for colour),
    /// channels last as in Keras: `keras.Input(shape=(height, width, channels))`.
    pub fn image(height: usize, width: usize, channels: usize) -> Node {
        Input::shape(&[height, width, channels])
    }

    /// An input whose samples have `shape`. [`Model::new`](super::Model::new) checks it.
    pub fn shape(shape: &[usize]) -> Node {
        Node::new(Op::Input, Vec::new(), shape.to_vec())
    }
}

/// The part of a layer's error after "layer 0 (…) ", told for [`Layer::apply`].
fn told_by_apply(error: Error, layer: &Layer) -> Error {
    match error {
        Error::InvalidArgument {
            argument, problem, ..
        } => {
            let problem = problem
                .replacen(&format!("layer 0 ({layer}) "), "", 1)
                .replacen("layer 0", &layer.to_string(), 1);
            Error::invalid(
                "Layer::apply",
                if argument == "layers" {
                    "input"
                } else {
                    argument
                },
                match argument {
                    "layers" => format!("of {layer}: {problem}"),
                    _ => problem,
                },
            )
        }
        other => other,
    }
}

/// The output shape of `layer` applied to `input`, or why it does not fit.
fn apply_shape(layer: &Layer, input: &Node) -> Result<Vec<usize>> {
    layer.check(0).map_err(|e| told_by_apply(e, layer))?;
    layer
        .output_shape(input.shape(), 0)
        .map_err(|e| told_by_apply(e, layer))
}

impl Layer {
    /// A dense layer of `units` neurons: `layers.Dense(units, activation=…)`.
    pub fn dense(units: usize, activation: crate::activation::Activation) -> Layer {
        Layer::Dense { units, activation }
    }

    /// A convolution of `filters` kernels of `kernel_size`×`kernel_size`, stride 1, that keeps
    /// the image's size: `layers.Conv2D(filters, kernel_size, padding="same", activation=…)`.
    pub fn conv2d_same(
        filters: usize,
        kernel_size: usize,
        activation: crate::activation::Activation,
    ) -> Layer {
        Layer::Conv2D {
            filters,
            kernel_size,
            strides: 1,
            padding: super::super::Padding::Same,
            activation,
        }
    }

    /// Max-pooling over `pool_size`×`pool_size` windows in steps of `pool_size`:
    /// `layers.MaxPooling2D(pool_size)`.
    pub fn max_pool2d(pool_size: usize) -> Layer {
        Layer::MaxPooling2D {
            pool_size,
            strides: pool_size,
            padding: super::super::Padding::Valid,
        }
    }

    /// The layer applied to `input`: Keras' `layer(input)` in the Functional API. Each call
    /// makes a new layer with weights of its own; to apply one layer, with the same weights,
    /// to several inputs, make it [`Layer::shared`] first. An error says why the input does
    /// not fit the layer.
    ///
    /// ```
    /// use dlintro::prelude::*;
    /// let inputs = Input::image(28, 28, 1);
    /// let x = Layer::conv2d_same(8, 3, Activation::Relu).apply(&inputs)?;
    /// assert_eq!(x.shape(), [28, 28, 8]);
    /// let e = Layer::dense(3, Activation::Softmax).apply(&x).unwrap_err();
    /// assert!(e.to_string().starts_with("Layer::apply: `input` of Dense 3: gets samples of shape (None, 28, 28, 8)"));
    /// # Ok::<(), dlintro::Error>(())
    /// ```
    pub fn apply(self, input: &Node) -> Result<Node> {
        let shape = apply_shape(&self, input)?;
        Ok(Node::new(
            Op::Layer {
                layer: self,
                shared: None,
            },
            vec![input.clone()],
            shape,
        ))
    }

    /// The layer as one [`Shared`] layer: applied to several inputs, it uses the same weights
    /// for all (Keras reuses a layer object this way).
    pub fn shared(self) -> Shared {
        Shared(Arc::new(SharedLayer {
            layer: self,
            input_shape: OnceLock::new(),
        }))
    }
}

#[derive(Debug)]
pub(crate) struct SharedLayer {
    pub(crate) layer: Layer,
    /// The shape of the first input it was applied to: its weights are made for it.
    input_shape: OnceLock<Vec<usize>>,
}

/// One layer applied to several inputs with the same weights: Keras' shared layers (one
/// `layers.Dense` object called twice). Made by [`Layer::shared`].
///
/// ```
/// use dlintro::prelude::*;
/// let (left, right) = (Input::features(3), Input::features(3));
/// let encode = Layer::dense(2, Activation::Tanh).shared();
/// encode.apply(&left)?;
/// let e = encode.apply(&Input::features(4)).unwrap_err();
/// assert_eq!(e.to_string(), "Shared::apply: `input` has samples of shape (None, 4), but this \
///     shared Dense 2 was first applied to (None, 3): a shared layer keeps one set of weights, \
///     expected inputs of that shape");
/// # Ok::<(), dlintro::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Shared(pub(crate) Arc<SharedLayer>);

impl Shared {
    /// The layer applied to `input`, with the weights of every other application: an error
    /// when `input`'s shape differs from the first input's.
    pub fn apply(&self, input: &Node) -> Result<Node> {
        let layer = self.0.layer;
        let shape =
            apply_shape(&layer, input).map_err(|e| e.reported_by("Shared::apply", |a| a))?;
        let first = self.0.input_shape.get_or_init(|| input.shape().to_vec());
        if first.as_slice() != input.shape() {
            return Err(Error::invalid(
                "Shared::apply",
                "input",
                format!(
                    "has samples of shape {}, but this shared {layer} was first applied to {}: \
                     a shared layer keeps one set of weights, expected inputs of that shape",
                    shape_text(input.shape()),
                    shape_text(first)
                ),
            ));
        }
        Ok(Node::new(
            Op::Layer {
                layer,
                shared: Some(self.0.clone()),
            },
            vec![input.clone()],
            shape,
        ))
    }
}

/// At least two nodes for a join.
fn two_or_more(function: &'static str, inputs: &[&Node]) -> Result<()> {
    if inputs.len() < 2 {
        return Err(Error::invalid(
            function,
            "inputs",
            format!("has {} node(s), expected two or more to join", inputs.len()),
        ));
    }
    Ok(())
}

fn shapes_text(inputs: &[&Node]) -> String {
    let shapes: Vec<String> = inputs.iter().map(|n| shape_text(n.shape())).collect();
    shapes.join(", ")
}

/// `inputs` side by side along their last axis (the channels of images, the features of
/// rows): Keras' `layers.concatenate([a, b])` (the route of YOLO). Every other size must agree.
pub(crate) fn concatenate(inputs: &[&Node]) -> Result<Node> {
    const F: &str = "layers::concatenate";
    two_or_more(F, inputs)?;
    let first = inputs[0].shape();
    let (rest, _) = first.split_at(first.len() - 1);
    if inputs
        .iter()
        .any(|n| n.shape().len() != first.len() || &n.shape()[..first.len() - 1] != rest)
    {
        return Err(Error::invalid(
            F,
            "inputs",
            format!(
                "have samples of shapes {}, expected the same sizes but for the last axis: \
                 only channels (or features) can be joined this way",
                shapes_text(inputs)
            ),
        ));
    }
    let mut shape = first.to_vec();
    shape[first.len() - 1] = inputs.iter().map(|n| n.shape()[first.len() - 1]).sum();
    Ok(Node::new(
        Op::Concatenate,
        inputs.iter().map(|&n| n.clone()).collect(),
        shape,
    ))
}

/// `inputs` added element by element: Keras' `layers.add([a, b])` (a residual connection).
/// Every shape must be the same.
pub(crate) fn add(inputs: &[&Node]) -> Result<Node> {
    const F: &str = "layers::add";
    two_or_more(F, inputs)?;
    let first = inputs[0].shape();
    if inputs.iter().any(|n| n.shape() != first) {
        return Err(Error::invalid(
            F,
            "inputs",
            format!(
                "have samples of shapes {}, expected one shape for all: addition adds values \
                 one to one",
                shapes_text(inputs)
            ),
        ));
    }
    Ok(Node::new(
        Op::Add,
        inputs.iter().map(|&n| n.clone()).collect(),
        first.to_vec(),
    ))
}
