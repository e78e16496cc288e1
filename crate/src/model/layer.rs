//! The layers a [`Sequential`](super::Sequential) model stacks, and each layer with its
//! weights once the model is compiled.
//!
//! Shapes are Keras' (channels last): a sample is `[features]` for dense layers and
//! `[height, width, channels]` for images. Inside the model, images travel as libtorch wants
//! them (`[samples, channels, height, width]`); `Flatten` puts them back in Keras' order.

use std::fmt;

use serde::{Deserialize, Serialize};
use tch::nn::{self, Module, ModuleT};
use tch::Tensor;

use crate::activation::Activation;
use crate::error::{Error, Result};

/// How a convolution or pooling treats the border, as Keras' `padding=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Padding {
    /// No padding: the output shrinks by `kernel_size − 1` (Keras' default).
    #[default]
    Valid,
    /// Zeros around the border so that, with stride 1, the output keeps the input's size.
    Same,
}

/// One layer of a [`Sequential`](super::Sequential) model, as Keras' `layers.*`: what it is,
/// not yet its weights.
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
    /// A 2-D convolution: `filters` square kernels of `kernel_size` slide over the image in
    /// steps of `strides`, each followed by `activation`. Keras' `layers.Conv2D`.
    Conv2D {
        /// How many kernels, and so output channels.
        filters: usize,
        /// The side of each square kernel, e.g. 3.
        kernel_size: usize,
        /// The step between two positions of the kernel.
        strides: usize,
        /// Border handling.
        padding: Padding,
        /// The activation after each kernel.
        activation: Activation,
    },
    /// The largest value of each `pool_size`×`pool_size` window, in steps of `strides`:
    /// halves an image with the defaults. Keras' `layers.MaxPooling2D`.
    MaxPooling2D {
        /// The side of each window.
        pool_size: usize,
        /// The step between two windows.
        strides: usize,
        /// Border handling.
        padding: Padding,
    },
    /// An image `[height, width, channels]` as one row of features, for the dense layers
    /// that follow. Keras' `layers.Flatten`.
    Flatten,
    /// Batch normalisation of rows of features, Keras' `layers.BatchNormalization()`: each
    /// feature minus its mean, divided by its standard deviation, then scaled by a learned γ
    /// and shifted by a learned β. While training, the mean and variance are the batch's,
    /// and running averages of them are kept; at inference (`predict`, `evaluate`, the
    /// validation of `fit`) the running averages are used. They are saved with the weights
    /// but not trained: Keras counts them as non-trainable parameters, 2 · features of the
    /// layer's 4 · features. Keras' momentum and epsilon; the details are in `model/norm.rs`.
    BatchNormalization,
    /// The same values in a new image shape `[height, width, channels]`, read and written in
    /// Keras' order (row by row, channels last): Keras' `layers.Reshape(target_shape)`. The
    /// sizes must hold as many values as the input: 14 × 14 × 1024 = 28 × 7 × 1024.
    Reshape {
        /// The new shape of each sample.
        target_shape: [usize; 3],
    },
    /// Space to depth, Darknet's *reorg*: every `block_size`×`block_size` square of pixels
    /// becomes one pixel with `block_size²` times the channels, so that a finer image can be
    /// joined to a coarser one (28×28×256 → 14×14×1024 with blocks of 2). TensorFlow's
    /// `tf.nn.space_to_depth` (in Keras, a `Lambda` layer around it); the channels come in its
    /// order: the square's rows, then its columns, then the input's channels. No weights.
    SpaceToDepth {
        /// The side of each square, e.g. 2.
        block_size: usize,
    },
}

/// A sample's shape, without the batch: `(None, 13, 13, 1024)` in Keras' notation.
pub fn shape_text(shape: &[usize]) -> String {
    let dims: Vec<String> = shape.iter().map(usize::to_string).collect();
    format!("(None, {})", dims.join(", "))
}

/// How many positions a window of `size` takes along `input` in steps of `stride`.
fn slide(input: usize, size: usize, stride: usize, padding: Padding) -> usize {
    match padding {
        Padding::Valid => (input - size) / stride + 1,
        Padding::Same => input.div_ceil(stride),
    }
}

impl fmt::Display for Layer {
    /// Keras' type name with the layer's main settings, e.g. `Conv2D 32 3×3`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Layer::Dense { units, .. } => write!(f, "Dense {units}"),
            Layer::Dropout { rate } => write!(f, "Dropout {rate}"),
            Layer::Conv2D {
                filters,
                kernel_size,
                strides,
                ..
            } => {
                write!(f, "Conv2D {filters} {kernel_size}×{kernel_size}")?;
                if strides != 1 {
                    write!(f, " /{strides}")?;
                }
                Ok(())
            }
            Layer::MaxPooling2D { pool_size, .. } => {
                write!(f, "MaxPooling2D {pool_size}×{pool_size}")
            }
            Layer::Flatten => write!(f, "Flatten"),
            Layer::BatchNormalization => write!(f, "BatchNormalization"),
            Layer::Reshape {
                target_shape: [h, w, c],
            } => write!(f, "Reshape {h}×{w}×{c}"),
            Layer::SpaceToDepth { block_size } => {
                write!(f, "SpaceToDepth {block_size}×{block_size}")
            }
        }
    }
}

impl Layer {
    /// Keras' name for the layer's type.
    pub fn kind(&self) -> &'static str {
        match self {
            Layer::Dense { .. } => "Dense",
            Layer::Dropout { .. } => "Dropout",
            Layer::Conv2D { .. } => "Conv2D",
            Layer::MaxPooling2D { .. } => "MaxPooling2D",
            Layer::Flatten => "Flatten",
            Layer::BatchNormalization => "BatchNormalization",
            Layer::Reshape { .. } => "Reshape",
            Layer::SpaceToDepth { .. } => "SpaceToDepth",
        }
    }

    /// The prefix of the layer's name in a summary (`conv2d`, `conv2d_1`, …).
    pub(crate) fn base_name(&self) -> &'static str {
        match self {
            Layer::Dense { .. } => "dense",
            Layer::Dropout { .. } => "dropout",
            Layer::Conv2D { .. } => "conv2d",
            Layer::MaxPooling2D { .. } => "max_pooling2d",
            Layer::Flatten => "flatten",
            Layer::BatchNormalization => "batch_normalization",
            Layer::Reshape { .. } => "reshape",
            Layer::SpaceToDepth { .. } => "space_to_depth",
        }
    }

    /// The shape of each sample after this layer, given `input` before it, or an error that
    /// says why the two do not fit; `position` counts from 1.
    pub fn output_shape(&self, input: &[usize], position: usize) -> Result<Vec<usize>> {
        self.output_shape_after(input, position, None)
    }

    /// [`Layer::output_shape`] in a model whose samples have shape `image` and whose layers
    /// before this one are `before`, if known: then an image too small for this layer's
    /// window says whether those layers shrank it, and a hint suggests only what applies.
    pub(crate) fn output_shape_after(
        &self,
        input: &[usize],
        position: usize,
        before: Option<(&[usize], &[Layer])>,
    ) -> Result<Vec<usize>> {
        const F: &str = "Sequential";
        let needs_image = |what: &str| {
            Error::invalid(
                F,
                "layers",
                format!(
                    "layer {position} ({self}) gets samples of shape {}, expected images \
                     (height, width, channels){what}",
                    shape_text(input)
                ),
            )
        };
        match *self {
            Layer::Dense { units, .. } => {
                if input.len() != 1 {
                    return Err(Error::invalid(
                        F,
                        "layers",
                        format!(
                            "layer {position} ({self}) gets samples of shape {}, expected one \
                             row of features: add .flatten() before it",
                            shape_text(input)
                        ),
                    ));
                }
                Ok(vec![units])
            }
            Layer::Dropout { .. } => Ok(input.to_vec()),
            Layer::BatchNormalization => {
                if input.len() != 1 {
                    return Err(Error::invalid(
                        F,
                        "layers",
                        format!(
                            "layer {position} ({self}) gets samples of shape {}, expected one \
                             row of features: batch normalisation here normalises features, \
                             not images",
                            shape_text(input)
                        ),
                    ));
                }
                Ok(input.to_vec())
            }
            Layer::Flatten => {
                if input.len() != 3 {
                    return Err(needs_image(""));
                }
                Ok(vec![input.iter().product()])
            }
            Layer::Reshape { target_shape } => {
                let (from, to) = (
                    input.iter().product::<usize>(),
                    target_shape.iter().product::<usize>(),
                );
                if input.len() != 3 || from != to {
                    return Err(Error::invalid(
                        F,
                        "layers",
                        format!(
                            "layer {position} ({self}) gets samples of shape {} ({from} values), \
                             expected an image of {to} values, as many as the new shape holds",
                            shape_text(input)
                        ),
                    ));
                }
                Ok(target_shape.to_vec())
            }
            Layer::SpaceToDepth { block_size: b } => {
                if input.len() != 3 {
                    return Err(needs_image(""));
                }
                if !(input[0].is_multiple_of(b) && input[1].is_multiple_of(b)) {
                    return Err(Error::invalid(
                        F,
                        "layers",
                        format!(
                            "layer {position} ({self}) gets {}×{} images, expected a height \
                             and width that {b} divides",
                            input[0], input[1]
                        ),
                    ));
                }
                Ok(vec![input[0] / b, input[1] / b, input[2] * b * b])
            }
            Layer::Conv2D {
                kernel_size: size,
                strides,
                padding,
                ..
            }
            | Layer::MaxPooling2D {
                pool_size: size,
                strides,
                padding,
                ..
            } => {
                if input.len() != 3 {
                    let hint = if input.len() == 1 {
                        ": start the model with Sequential::input_image(height, width, channels)"
                    } else {
                        ""
                    };
                    return Err(needs_image(hint));
                }
                let (height, width) = (input[0], input[1]);
                if padding == Padding::Valid && (height < size || width < size) {
                    return Err(Error::invalid(
                        F,
                        "layers",
                        format!(
                            "layer {position} ({self}) gets {height}×{width} images, expected \
                             at least {size}×{size}: {}",
                            self.too_small(height, width, before)
                        ),
                    ));
                }
                let channels = match *self {
                    Layer::Conv2D { filters, .. } => filters,
                    _ => input[2],
                };
                Ok(vec![
                    slide(height, size, strides, padding),
                    slide(width, size, strides, padding),
                    channels,
                ])
            }
        }
    }

    /// Why a `height`×`width` image is too small for this convolution's or pooling's window,
    /// and what would fix it here: a smaller window; fewer pooling layers, if the layers
    /// `before` it shrank the image with pooling; `same` padding, if it allows the kernel.
    fn too_small(
        &self,
        height: usize,
        width: usize,
        before: Option<(&[usize], &[Layer])>,
    ) -> String {
        let side = height.min(width);
        let mut fixes = Vec::new();
        let mut why = match self {
            Layer::Conv2D { .. } => "the kernel is larger than the image".to_string(),
            _ => "the pooling window is larger than the image".to_string(),
        };
        if let Some((image, layers)) = before {
            if image.len() == 3 && (image[0], image[1]) != (height, width) {
                why.push_str(&format!(
                    ", which the layers before it shrink from {}×{}",
                    image[0], image[1]
                ));
                if layers
                    .iter()
                    .any(|l| matches!(l, Layer::MaxPooling2D { .. }))
                {
                    fixes.push("fewer pooling layers before it".to_string());
                } else {
                    fixes.push("padding in the convolutions before it (.conv2d_same)".to_string());
                }
            }
        }
        let example = if side > 3 { " (e.g. 3)" } else { "" };
        match *self {
            Layer::Conv2D {
                filters,
                kernel_size,
                strides,
                ..
            } => {
                fixes.push(format!("a kernel of at most {side}×{side}{example}"));
                if kernel_size % 2 == 1 && strides == 1 {
                    fixes.push(format!(
                        ".conv2d_same({filters}, {kernel_size}, …) to keep the image's size"
                    ));
                } else if kernel_size % 2 == 1 {
                    fixes.push("padding: Padding::Same to keep the image's size".to_string());
                }
            }
            _ => fixes.push(format!("a pool size of at most {side}")),
        }
        let fixes = match fixes.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, [first])) => format!("{first} or {last}"),
            Some((last, rest)) => format!("{}, or {last}", rest.join(", ")),
            None => "a smaller window".to_string(),
        };
        format!("{why}; use {fixes}")
    }

    /// How many parameters the layer has, given each sample's `input` shape (already checked
    /// with [`Layer::output_shape`]): Keras' `Param #`, trainable or not.
    pub fn parameters(&self, input: &[usize]) -> usize {
        match *self {
            Layer::Dense { units, .. } => input[0] * units + units,
            Layer::Conv2D {
                filters,
                kernel_size,
                ..
            } => (kernel_size * kernel_size * input[2] + 1) * filters,
            Layer::BatchNormalization => 4 * input[0],
            Layer::Dropout { .. }
            | Layer::MaxPooling2D { .. }
            | Layer::Flatten
            | Layer::Reshape { .. }
            | Layer::SpaceToDepth { .. } => 0,
        }
    }

    /// How many of its [`parameters`](Self::parameters) training does not change: the running
    /// mean and variance of batch normalisation.
    pub fn non_trainable_parameters(&self, input: &[usize]) -> usize {
        match *self {
            Layer::BatchNormalization => 2 * input[0],
            _ => 0,
        }
    }

    /// Checks the layer's own settings; `position` counts from 1.
    pub(crate) fn check(&self, position: usize) -> Result<()> {
        const F: &str = "Sequential";
        let at_least_one = |argument: &'static str, value: usize| {
            if value == 0 {
                Err(Error::invalid(
                    F,
                    argument,
                    format!("of layer {position} is 0, expected at least 1"),
                ))
            } else {
                Ok(())
            }
        };
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
            Layer::Dropout { .. } | Layer::Flatten | Layer::BatchNormalization => Ok(()),
            Layer::Reshape { target_shape } => {
                for value in target_shape {
                    at_least_one("target_shape", value)?;
                }
                Ok(())
            }
            Layer::SpaceToDepth { block_size } => at_least_one("block_size", block_size),
            Layer::Conv2D {
                filters,
                kernel_size,
                strides,
                padding,
                activation,
            } => {
                at_least_one("filters", filters)?;
                at_least_one("kernel_size", kernel_size)?;
                at_least_one("strides", strides)?;
                if padding == Padding::Same && kernel_size % 2 == 0 {
                    return Err(Error::invalid(
                        F,
                        "kernel_size",
                        format!(
                            "of layer {position} is {kernel_size}, expected an odd size with \
                             padding: Padding::Same (e.g. 3)"
                        ),
                    ));
                }
                activation.apply(0.0).map(drop)
            }
            Layer::MaxPooling2D {
                pool_size, strides, ..
            } => {
                at_least_one("pool_size", pool_size)?;
                at_least_one("strides", strides)
            }
        }
    }

    /// The layer with its weights, created under `path` for samples of shape `input`:
    /// Glorot-uniform weights and zero biases, as Keras initialises `Dense` and `Conv2D`.
    pub(crate) fn build(&self, path: nn::Path<'_>, input: &[usize]) -> Built {
        let glorot = |fan_in: usize, fan_out: usize| {
            let limit = (6.0 / (fan_in + fan_out) as f64).sqrt();
            nn::Init::Uniform {
                lo: -limit,
                up: limit,
            }
        };
        match *self {
            Layer::Dense { units, activation } => Built::Dense {
                linear: nn::linear(
                    path,
                    input[0] as i64,
                    units as i64,
                    dense_config(input[0], units),
                ),
                activation,
            },
            Layer::Dropout { rate } => Built::Dropout { rate },
            Layer::Conv2D {
                filters,
                kernel_size,
                strides,
                padding,
                activation,
            } => {
                let area = kernel_size * kernel_size;
                let config = nn::ConvConfig {
                    stride: strides as i64,
                    padding: match padding {
                        Padding::Valid => 0,
                        Padding::Same => (kernel_size as i64 - 1) / 2,
                    },
                    ws_init: glorot(area * input[2], area * filters),
                    bs_init: nn::Init::Const(0.0),
                    ..Default::default()
                };
                let channels = input[2] as i64;
                Built::Conv2D {
                    conv: nn::conv2d(path, channels, filters as i64, kernel_size as i64, config),
                    activation,
                }
            }
            Layer::MaxPooling2D {
                pool_size,
                strides,
                padding,
            } => Built::MaxPooling2D {
                size: pool_size as i64,
                strides: strides as i64,
                same: padding == Padding::Same,
            },
            Layer::Flatten => Built::Flatten,
            Layer::BatchNormalization => Built::BatchNorm(super::norm::build(path, input[0])),
            Layer::Reshape { target_shape } => Built::Reshape(target_shape.map(|d| d as i64)),
            Layer::SpaceToDepth { block_size } => Built::SpaceToDepth(block_size as i64),
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
    Ok(dense_config(inputs, outputs))
}

/// Glorot-uniform weights and zero biases for a layer of `inputs` → `outputs` (both ≥ 1).
fn dense_config(inputs: usize, outputs: usize) -> nn::LinearConfig {
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

/// A layer with its weights: what the forward pass runs. Images are `[samples, channels,
/// height, width]` here.
#[derive(Debug)]
pub(crate) enum Built {
    Dense {
        linear: nn::Linear,
        activation: Activation,
    },
    Dropout {
        rate: f64,
    },
    Conv2D {
        conv: nn::Conv2D,
        activation: Activation,
    },
    MaxPooling2D {
        size: i64,
        strides: i64,
        /// Keras' `same` padding: the image is padded (with −∞, which no maximum picks) to
        /// give `⌈side / strides⌉` windows along each side, as [`Layer::output_shape`] says.
        same: bool,
    },
    Flatten,
    BatchNorm(nn::BatchNorm),
    /// The new `[height, width, channels]`.
    Reshape([i64; 3]),
    /// The block size.
    SpaceToDepth(i64),
}

impl Built {
    /// A dense layer's output before its activation: the scores a softmax turns into
    /// probabilities.
    pub(crate) fn scores(&self, x: &Tensor) -> Tensor {
        match self {
            Built::Dense { linear, .. } => linear.forward(x),
            _ => unreachable!("only dense layers have scores"),
        }
    }

    /// The layer's output for `x`; dropout acts only when `train` is true, and batch
    /// normalisation uses the batch's statistics (and updates its running ones) only then.
    pub(crate) fn forward(&self, x: &Tensor, train: bool) -> Tensor {
        match self {
            Built::Dense { linear, activation } => activation
                .forward(&linear.forward(x))
                .expect("activations accept any float tensor"),
            Built::Dropout { rate } => x.dropout(*rate, train),
            Built::Conv2D { conv, activation } => activation
                .forward(&conv.forward(x))
                .expect("activations accept any float tensor"),
            Built::MaxPooling2D {
                size,
                strides,
                same,
            } => {
                let x = if *same {
                    pad_same(x, *size, *strides)
                } else {
                    x.shallow_clone()
                };
                x.max_pool2d([*size, *size], [*strides, *strides], [0, 0], [1, 1], false)
            }
            // Back to channels last, so that the features come in Keras' order.
            Built::Flatten => x.permute([0, 2, 3, 1]).flatten(1, -1),
            Built::BatchNorm(norm) => norm.forward_t(x, train),
            // Keras' order is channels last: reshape there, then back to channels first.
            Built::Reshape([h, w, c]) => x
                .permute([0, 2, 3, 1])
                .reshape([-1, *h, *w, *c])
                .permute([0, 3, 1, 2]),
            Built::SpaceToDepth(b) => {
                let (n, c, h, w) = x.size4().expect("images are [samples, channels, h, w]");
                // [n, h/b, dy, w/b, dx, c] → [n, h/b, w/b, dy, dx, c]: TensorFlow's order.
                x.permute([0, 2, 3, 1])
                    .reshape([n, h / b, *b, w / b, *b, c])
                    .permute([0, 1, 3, 2, 4, 5])
                    .reshape([n, h / b, w / b, b * b * c])
                    .permute([0, 3, 1, 2])
            }
        }
    }
}

/// Images `[samples, channels, height, width]` padded with −∞ as Keras pads for a `same`
/// pooling of `size` in steps of `strides`: `⌈side / strides⌉` windows along each side, the
/// padding split in two with the larger half after (TensorFlow's rule). No window lies in the
/// padding alone, so every maximum is an image's value.
fn pad_same(x: &Tensor, size: i64, strides: i64) -> Tensor {
    let dims = x.size();
    let pads = |side: i64| {
        let windows = (side + strides - 1) / strides;
        let total = ((windows - 1) * strides + size - side).max(0);
        [total / 2, total - total / 2]
    };
    let ([top, bottom], [left, right]) = (pads(dims[2]), pads(dims[3]));
    x.pad([left, right, top, bottom], "constant", f64::NEG_INFINITY)
}
