//! The layers a [`Sequential`](super::Sequential) model stacks, and each layer with its
//! weights once the model is compiled.

use serde::{Deserialize, Serialize};
use tch::nn::{self, Module, ModuleT};
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
    /// Batch normalisation, Keras' `layers.BatchNormalization()`: each feature minus its mean,
    /// divided by its standard deviation, then scaled by a learned γ and shifted by a learned
    /// β. While training, the mean and variance are the batch's, and running averages of them
    /// are kept; at inference (`predict`, `evaluate`, the validation of `fit`) the running
    /// averages are used. They are saved with the weights but not trained: Keras counts them
    /// as non-trainable parameters, 2 · features of the layer's 4 · features. Keras'
    /// momentum and epsilon; the details are in `model/norm.rs`.
    BatchNormalization,
}

impl Layer {
    /// Keras' name for the layer's type.
    pub fn kind(&self) -> &'static str {
        match self {
            Layer::Dense { .. } => "Dense",
            Layer::Dropout { .. } => "Dropout",
            Layer::BatchNormalization => "BatchNormalization",
        }
    }

    /// How many values each sample has after this layer, given `width` before it.
    pub fn output_width(&self, width: usize) -> usize {
        match *self {
            Layer::Dense { units, .. } => units,
            Layer::Dropout { .. } | Layer::BatchNormalization => width,
        }
    }

    /// How many parameters the layer has, given `width` inputs per sample: Keras' `Param #`,
    /// trainable or not.
    pub fn parameters(&self, width: usize) -> usize {
        match *self {
            Layer::Dense { units, .. } => width * units + units,
            Layer::Dropout { .. } => 0,
            Layer::BatchNormalization => 4 * width,
        }
    }

    /// How many of its [`parameters`](Self::parameters) training does not change: the running
    /// mean and variance of batch normalisation.
    pub fn non_trainable_parameters(&self, width: usize) -> usize {
        match *self {
            Layer::BatchNormalization => 2 * width,
            Layer::Dense { .. } | Layer::Dropout { .. } => 0,
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
            Layer::Dropout { .. } | Layer::BatchNormalization => Ok(()),
        }
    }

    /// The layer with its weights, created under `path` for `width` inputs: Glorot-uniform
    /// weights and zero biases, as Keras initialises a `Dense` layer.
    pub(crate) fn build(&self, path: nn::Path<'_>, width: usize) -> Built {
        match *self {
            Layer::Dense { units, activation } => {
                let (width, units) = (width as i64, units as i64);
                let limit = (6.0 / (width + units) as f64).sqrt();
                let config = nn::LinearConfig {
                    ws_init: nn::Init::Uniform {
                        lo: -limit,
                        up: limit,
                    },
                    bs_init: Some(nn::Init::Const(0.0)),
                    bias: true,
                };
                Built::Dense {
                    linear: nn::linear(path, width, units, config),
                    activation,
                }
            }
            Layer::Dropout { rate } => Built::Dropout { rate },
            Layer::BatchNormalization => Built::BatchNorm(super::norm::build(path, width)),
        }
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
    BatchNorm(nn::BatchNorm),
}

impl Built {
    /// The layer's output for `x`; dropout acts only when `train` is true, and batch
    /// normalisation uses the batch's statistics (and updates its running ones) only then.
    pub(crate) fn forward(&self, x: &Tensor, train: bool) -> Tensor {
        match self {
            Built::Dense { linear, activation } => activation
                .forward(&linear.forward(x))
                .expect("activations accept any float tensor"),
            Built::Dropout { rate } => x.dropout(*rate, train),
            Built::BatchNorm(norm) => norm.forward_t(x, train),
        }
    }
}
