//! The layers a [`Sequential`](super::Sequential) model stacks, and each layer with its
//! weights once the model is compiled.

use serde::{Deserialize, Serialize};
use tch::nn::{self, Module};
use tch::Tensor;

use crate::activation::Activation;
use crate::error::{Error, Result};

/// One layer of a [`Sequential`](super::Sequential) model, as Keras' `layers.Dense` and
/// `layers.Dropout`: what it is, not yet its weights.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Layer {
    /// A fully-connected layer of `units` neurons, each followed by `activation`.
    Dense {
        /// How many neurons.
        units: usize,
        /// Their activation.
        activation: Activation,
    },
    /// Drops each value with probability `rate` during training (and rescales the rest).
    Dropout {
        /// The probability of dropping a value, 0 ≤ rate < 1.
        rate: f64,
    },
}

impl Layer {
    /// Keras' name for the layer's type.
    pub fn kind(&self) -> &'static str {
        match self {
            Layer::Dense { .. } => "Dense",
            Layer::Dropout { .. } => "Dropout",
        }
    }

    /// How many values each sample has after this layer, given `width` before it.
    pub fn output_width(&self, width: usize) -> usize {
        match *self {
            Layer::Dense { units, .. } => units,
            Layer::Dropout { .. } => width,
        }
    }

    /// How many weights the layer learns, given `width` inputs per sample.
    pub fn parameters(&self, width: usize) -> usize {
        match *self {
            Layer::Dense { units, .. } => width * units + units,
            Layer::Dropout { .. } => 0,
        }
    }

    /// Checks the layer's settings; `position` counts from 1.
    pub(crate) fn check(&self, position: usize) -> Result<()> {
        const F: &str = "Sequential";
        match *self {
            Layer::Dense { units: 0, .. } => Err(Error::invalid(
                F,
                "units",
                format!("of layer {position} is 0, expected at least 1 neuron"),
            )),
            Layer::Dense { activation, .. } => activation.apply(0.0).map(drop),
            Layer::Dropout { rate } if !(0.0..1.0).contains(&rate) => Err(Error::invalid(
                F,
                "rate",
                format!("of dropout layer {position} is {rate}, expected 0 ≤ rate < 1"),
            )),
            Layer::Dropout { .. } => Ok(()),
        }
    }

    /// The layer with its weights, created under `path` for `width` inputs: Glorot-uniform
    /// weights and zero biases, as Keras initialises a `Dense` layer.
    pub(crate) fn build(&self, path: nn::Path<'_>, width: usize) -> Built {
        match *self {
            Layer::Dense { units, activation } => Built::Dense {
                linear: nn::linear(path, width as i64, units as i64, glorot(width, units)),
                activation,
            },
            Layer::Dropout { rate } => Built::Dropout { rate },
        }
    }
}

/// tch's settings for a linear layer of `inputs` → `outputs` neurons initialised as Keras
/// initialises a `Dense` layer: Glorot-uniform weights, drawn from ±√(6 / (inputs + outputs)),
/// and zero biases. tch's own default (and PyTorch's) is Kaiming-uniform; with this, an
/// `nn::linear` starts from the same weights as [`Sequential::dense`](super::Sequential::dense)
/// under the same seed.
///
/// ```
/// use dlintro::prelude::*;
/// use dlintro::tch::nn;
/// let vs = nn::VarStore::new(Device::Cpu);
/// let layer = nn::linear(vs.root(), 4, 10, dlintro::model::keras_dense_config(4, 10)?);
/// let limit = (6.0f64 / 14.0).sqrt();
/// assert!(layer.ws.abs().max().double_value(&[]) <= limit);
/// assert_eq!(layer.bs.unwrap().abs().sum(Kind::Float).double_value(&[]), 0.0);
/// # Ok::<(), dlintro::Error>(())
/// ```
pub fn keras_dense_config(inputs: usize, outputs: usize) -> Result<nn::LinearConfig> {
    const F: &str = "model::keras_dense_config";
    for (argument, value) in [("inputs", inputs), ("outputs", outputs)] {
        if value == 0 {
            return Err(Error::invalid(F, argument, "is 0, expected at least 1"));
        }
    }
    Ok(glorot(inputs, outputs))
}

/// Glorot-uniform weights and zero biases for a layer of `inputs` → `outputs` (both ≥ 1).
fn glorot(inputs: usize, outputs: usize) -> nn::LinearConfig {
    let limit = (6.0 / (inputs + outputs) as f64).sqrt();
    nn::LinearConfig {
        ws_init: nn::Init::Uniform {
            lo: -limit,
            up: limit,
        },
        bs_init: Some(nn::Init::Const(0.0)),
        bias: true,
    }
}

/// A layer with its weights: what the forward pass runs.
#[derive(Debug)]
pub(crate) enum Built {
    Dense {
        linear: nn::Linear,
        activation: Activation,
    },
    Dropout {
        rate: f64,
    },
}

impl Built {
    /// The layer's output for `x`; dropout acts only when `train` is true.
    pub(crate) fn forward(&self, x: &Tensor, train: bool) -> Tensor {
        match self {
            Built::Dense { linear, activation } => activation
                .forward(&linear.forward(x))
                .expect("activations accept any float tensor"),
            Built::Dropout { rate } => x.dropout(*rate, train),
        }
    }
}
