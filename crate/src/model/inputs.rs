//! What a model checks of the data it is given, before any libtorch operation touches them:
//! `x` against the input shape, `y` against the loss and the last layer. Errors name the
//! function the learner called and the argument as they wrote it (`x`, or
//! `validation_data.x` for `fit`'s validation data).

use tch::{Device, Kind, Tensor};

use crate::activation::Activation;
use crate::error::{Error, Result};
use crate::loss::Loss;

use super::{Layer, Sequential};

/// "1 unit", "3 units".
fn units_text(units: i64) -> String {
    match units {
        1 => "1 unit".to_string(),
        n => format!("{n} units"),
    }
}

/// What a model expects of its data: what [`Sequential`] and a Functional
/// [`Model`](super::Model) each tell of themselves, so that both check data with the same
/// code and the same messages.
pub(crate) struct Expected<'a> {
    /// Each sample's shape at the input.
    pub(crate) input_shape: &'a [usize],
    /// Whether the first layer is a dense layer taking the input (then the message on a
    /// wrong number of features names it).
    pub(crate) dense_first: bool,
    /// Whether the model has its weights.
    pub(crate) built: bool,
    pub(crate) loss: Option<Loss>,
    /// The number of outputs per sample.
    pub(crate) output_width: usize,
    /// The last layer's activation, for the layer an error suggests.
    pub(crate) last_activation: Activation,
    pub(crate) device: Device,
}

impl Sequential {
    /// What the model expects of its data.
    pub(crate) fn expected(&self) -> Expected<'_> {
        Expected {
            input_shape: &self.input_shape,
            dense_first: matches!(self.layers.first(), Some(Layer::Dense { .. })),
            built: !self.built.is_empty(),
            loss: self.loss(),
            output_width: self.output_width(),
            last_activation: match self.layers.last() {
                Some(Layer::Dense { activation, .. }) => *activation,
                _ => Activation::Softmax,
            },
            device: self.vs.device(),
        }
    }

    /// Checks `x` and `y` against the model and returns them as training and `evaluate` take
    /// them (see [`Expected::check_data`]).
    pub(crate) fn check_data(
        &self,
        function: &'static str,
        x: &Tensor,
        y: &Tensor,
    ) -> Result<(Tensor, Tensor)> {
        self.expected().check_data(function, ["x", "y"], x, y)
    }

    /// Checks `x` against the model (see [`Expected::check_x`]).
    pub(super) fn check_x(&self, function: &'static str, x: &Tensor) -> Result<Tensor> {
        self.expected().check_x(function, "x", x)
    }
}

impl Expected<'_> {
    /// Checks `x` and `y` against the model and returns them as training and `evaluate` take
    /// them: `x` as [`Expected::check_x`] does, `y` as [`Expected::targets`] does. `names`
    /// are what the learner called them (`x` and `y`, or `validation_data.x` and
    /// `validation_data.y`).
    pub(crate) fn check_data(
        &self,
        function: &'static str,
        names: [&'static str; 2],
        x: &Tensor,
        y: &Tensor,
    ) -> Result<(Tensor, Tensor)> {
        let x = self.check_x(function, names[0], x)?;
        let y = self.targets(function, names, y, x.size()[0])?;
        Ok((x, y))
    }

    /// Checks `x`, which the learner passed as `argument`, against the model:
    /// `[samples, …sample shape]`, finite; returns it as float on the model's device.
    pub(crate) fn check_x(
        &self,
        function: &'static str,
        argument: &'static str,
        x: &Tensor,
    ) -> Result<Tensor> {
        if !self.built {
            return Err(Error::invalid(
                function,
                "model",
                "has no weights yet, expected a compiled model: call model.compile(…) first",
            ));
        }
        let size = x.size();
        let expected: Vec<i64> = self.input_shape.iter().map(|&d| d as i64).collect();
        if size == expected {
            // One sample without the samples dimension: a row of features, or one image.
            let sample: Vec<String> = self.input_shape.iter().map(usize::to_string).collect();
            let sample = sample.join(", ");
            return Err(Error::invalid(
                function,
                argument,
                format!(
                    "has shape {size:?}, one sample without the samples dimension: expected \
                     [samples, {sample}], here [1, {sample}]: {argument}.view([1, {sample}]) (or \
                     {argument}.unsqueeze(0)) makes it so"
                ),
            ));
        }
        if size.len() != expected.len() + 1 || size[1..] != expected[..] {
            let wanted: Vec<String> = self.input_shape.iter().map(usize::to_string).collect();
            let what = match self.input_shape {
                [features] if self.dense_first => {
                    format!("dense layer 1 expects {features} input features")
                }
                [features] => format!("the model expects {features} input features"),
                [h, w, c] => format!("the model expects {h}×{w} images with {c} channel(s)"),
                _ => format!("the model expects samples of shape {:?}", self.input_shape),
            };
            return Err(Error::invalid(
                function,
                argument,
                format!(
                    "has shape {size:?}, but {what}: expected [samples, {}]",
                    wanted.join(", ")
                ),
            ));
        }
        if size[0] == 0 {
            return Err(Error::invalid(
                function,
                argument,
                "is empty, expected at least one sample",
            ));
        }
        let x = crate::convert::finite_tensor(function, argument, x)?;
        x.f_to_kind(Kind::Float)
            .and_then(|x| x.f_to_device(self.device))
            .map_err(|e| Error::torch(function, e))
    }

    /// Checks `y` against the model's loss and output for `samples` samples and returns
    /// the targets as the loss takes them (see [`Loss::compute`]). `names` are what the
    /// learner called `x` and `y`.
    fn targets(
        &self,
        function: &'static str,
        names: [&'static str; 2],
        y: &Tensor,
        samples: i64,
    ) -> Result<Tensor> {
        let [x_name, argument] = names;
        let loss = self.loss.ok_or_else(|| {
            Error::invalid(
                function,
                "model",
                "is not compiled: call model.compile(…) first",
            )
        })?;
        if y.size().first() != Some(&samples) {
            return Err(Error::invalid(
                function,
                argument,
                format!(
                    "has {} samples, expected {samples}, one per row of {x_name}",
                    y.size().first().copied().unwrap_or(0)
                ),
            ));
        }
        self.check_classes_fit(function, argument, loss, y)?;
        // The shape (and kind and device) of the model's predictions for these samples.
        let predictions = Tensor::zeros(
            [samples, self.output_width as i64],
            (Kind::Float, self.device),
        );
        loss.targets(function, argument, y, &predictions)
    }

    /// Class labels `y` for more classes than the last layer has units: the model's fault,
    /// not the labels', so the error says so. Class indices `[samples]` (integers, none
    /// negative) and one-hot rows `[samples, classes]` are checked; other labels are the
    /// loss's to refuse.
    fn check_classes_fit(
        &self,
        function: &'static str,
        argument: &'static str,
        loss: Loss,
        y: &Tensor,
    ) -> Result<()> {
        let units = self.output_width as i64;
        let activation = self.last_activation;
        let integer = matches!(
            y.kind(),
            Kind::Int64 | Kind::Int | Kind::Int16 | Kind::Int8 | Kind::Uint8
        );
        let size = y.size();
        match loss {
            Loss::SparseCategoricalCrossEntropy | Loss::CrossEntropyFromLogits
                if integer && size.len() == 1 && size[0] > 0 =>
            {
                let classes = y.to_kind(Kind::Int64);
                let (lowest, highest) = (
                    classes.min().int64_value(&[]),
                    classes.max().int64_value(&[]),
                );
                if lowest < 0 || highest < units {
                    return Ok(());
                }
                let position = classes
                    .ge(units)
                    .to_kind(Kind::Int64)
                    .argmax(0, false)
                    .int64_value(&[]);
                let class = classes.int64_value(&[position]);
                let count = highest + 1;
                Err(Error::invalid(
                    function,
                    argument,
                    format!(
                        "has class {class} at position {position}, but the last layer has {}, \
                         one per class, for classes 0 to {last}: expected class indices from 0 \
                         to {last}, or, for {count} classes (0 to {highest}), a last layer of \
                         .dense({count}, Activation::{activation:?})",
                        units_text(units),
                        last = units - 1,
                    ),
                ))
            }
            Loss::CategoricalCrossEntropy if size.len() == 2 && size[1] != units => {
                Err(Error::invalid(
                    function,
                    argument,
                    format!(
                        "has one-hot rows of {classes} classes, but the last layer has {}, one \
                         per class: expected rows of {units}, or, for {classes} classes, a last \
                         layer of .dense({classes}, Activation::{activation:?})",
                        units_text(units),
                        classes = size[1],
                    ),
                ))
            }
            _ => Ok(()),
        }
    }
}
