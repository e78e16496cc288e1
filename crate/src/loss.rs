//! Loss functions: the "Loss function" exercise of the slides.
//!
//! How far the predictions are from the truth, as one number that training makes smaller.
//! The definitions and the mean reduction are PyTorch's (`mse_loss`, `l1_loss`, `huber_loss`,
//! `binary_cross_entropy`, `nll_loss`, `cross_entropy`); the tests check them against
//! libtorch. Arguments come in Keras' order: the truth first, then the prediction.
//!
//! A cross-entropy of probabilities floors its logarithms at −100 ([`MIN_PROBABILITY`]);
//! training a softmax or sigmoid output computes the same loss from the scores, with no
//! floor, so that the model learns even from the rows it is surest about and wrong.

use serde::{Deserialize, Serialize};
use tch::{Kind, Tensor};

use crate::convert::{finite, finite_tensor, not_empty, same_len};
use crate::error::{Error, Result};

/// The logarithm of a probability, floored at −100: see [`MIN_PROBABILITY`].
fn floored_ln(p: f64) -> f64 {
    p.max(MIN_PROBABILITY).ln()
}

fn check_pair(function: &'static str, y_true: &[f64], y_pred: &[f64]) -> Result<()> {
    not_empty(function, "y_true", y_true.len())?;
    same_len(function, ("y_true", y_true.len()), ("y_pred", y_pred.len()))?;
    finite(function, "y_true", y_true.iter().copied())?;
    finite(function, "y_pred", y_pred.iter().copied())
}

fn check_delta(function: &'static str, delta: f64) -> Result<()> {
    if !(delta.is_finite() && delta > 0.0) {
        return Err(Error::invalid(
            function,
            "delta",
            format!("is {delta}, expected a number > 0 (e.g. 1.0)"),
        ));
    }
    Ok(())
}

fn mean(values: impl ExactSizeIterator<Item = f64>) -> f64 {
    let n = values.len() as f64;
    values.sum::<f64>() / n
}

/// `(yᵢ − ŷᵢ)²` for every pair: the squared errors.
///
/// ```
/// let e = dlintro::loss::squared_errors(&[-1.0, -1.0, 0.0, 2.0], &[1.0, 2.0, 0.0, 3.0])?;
/// assert_eq!(e, vec![4.0, 9.0, 0.0, 1.0]);
/// # Ok::<(), dlintro::Error>(())
/// ```
pub fn squared_errors(y_true: &[f64], y_pred: &[f64]) -> Result<Vec<f64>> {
    check_pair("loss::squared_errors", y_true, y_pred)?;
    Ok(y_true
        .iter()
        .zip(y_pred)
        .map(|(t, p)| (t - p).powi(2))
        .collect())
}

/// Mean squared error: `mean((yᵢ − ŷᵢ)²)`.
///
/// ```
/// let mse = dlintro::loss::mse(&[-1.0, -1.0, 0.0, 2.0], &[1.0, 2.0, 0.0, 3.0])?;
/// assert_eq!(mse, 3.5);
/// # Ok::<(), dlintro::Error>(())
/// ```
pub fn mse(y_true: &[f64], y_pred: &[f64]) -> Result<f64> {
    check_pair("loss::mse", y_true, y_pred)?;
    Ok(mean(
        y_true.iter().zip(y_pred).map(|(t, p)| (t - p).powi(2)),
    ))
}

/// Mean absolute error: `mean(|yᵢ − ŷᵢ|)`.
pub fn mae(y_true: &[f64], y_pred: &[f64]) -> Result<f64> {
    check_pair("loss::mae", y_true, y_pred)?;
    Ok(mean(y_true.iter().zip(y_pred).map(|(t, p)| (t - p).abs())))
}

/// Huber loss of one error `d = y − ŷ`: `½d²` while `|d| < delta`, then
/// `delta · (|d| − ½delta)`, growing linearly.
fn huber_one(d: f64, delta: f64) -> f64 {
    if d.abs() < delta {
        0.5 * d * d
    } else {
        delta * (d.abs() - 0.5 * delta)
    }
}

/// Huber loss: squared error for small errors, absolute error beyond `delta`, so outliers
/// weigh less.
///
/// ```
/// let h = dlintro::loss::huber(&[0.0, 0.0], &[0.5, 3.0], 1.0)?;
/// assert_eq!(h, (0.125 + 2.5) / 2.0);
/// # Ok::<(), dlintro::Error>(())
/// ```
pub fn huber(y_true: &[f64], y_pred: &[f64], delta: f64) -> Result<f64> {
    const F: &str = "loss::huber";
    check_delta(F, delta)?;
    check_pair(F, y_true, y_pred)?;
    Ok(mean(
        y_true
            .iter()
            .zip(y_pred)
            .map(|(t, p)| huber_one(t - p, delta)),
    ))
}

fn check_unit(function: &'static str, argument: &'static str, values: &[f64]) -> Result<()> {
    if let Some((i, v)) = values
        .iter()
        .enumerate()
        .find(|(_, v)| !(0.0..=1.0).contains(*v))
    {
        return Err(Error::invalid(
            function,
            argument,
            format!("has {v} at position {i}, expected probabilities between 0 and 1"),
        ));
    }
    Ok(())
}

/// Binary cross-entropy of probabilities `ŷᵢ` against labels `yᵢ` (0 or 1, or anything in
/// between): `−mean(yᵢ·log ŷᵢ + (1 − yᵢ)·log(1 − ŷᵢ))`, logarithms clamped at −100 as in
/// PyTorch.
///
/// ```
/// let bce = dlintro::loss::binary_cross_entropy(&[1.0, 0.0], &[0.5, 0.5])?;
/// assert!((bce - 2f64.ln()).abs() < 1e-15);
/// # Ok::<(), dlintro::Error>(())
/// ```
pub fn binary_cross_entropy(y_true: &[f64], y_pred: &[f64]) -> Result<f64> {
    const F: &str = "loss::binary_cross_entropy";
    check_pair(F, y_true, y_pred)?;
    check_unit(F, "y_true", y_true)?;
    check_unit(F, "y_pred", y_pred)?;
    Ok(-mean(y_true.iter().zip(y_pred).map(|(t, p)| {
        t * floored_ln(*p) + (1.0 - t) * floored_ln(1.0 - p)
    })))
}

/// Checks a `[samples][classes]` table: rectangular, finite, at least one row.
fn check_rows(function: &'static str, argument: &'static str, rows: &[Vec<f64>]) -> Result<usize> {
    not_empty(function, argument, rows.len())?;
    let width = rows[0].len();
    not_empty(function, argument, width)?;
    if let Some((i, row)) = rows.iter().enumerate().find(|(_, r)| r.len() != width) {
        return Err(Error::invalid(
            function,
            argument,
            format!(
                "row {i} has {} values, expected {width} like row 0 (one per class)",
                row.len()
            ),
        ));
    }
    finite(function, argument, rows.iter().flatten().copied())?;
    Ok(width)
}

fn check_classes(function: &'static str, classes: &[usize], count: usize) -> Result<()> {
    if let Some((i, c)) = classes.iter().enumerate().find(|(_, &c)| c >= count) {
        return Err(Error::invalid(
            function,
            "y_true",
            format!(
                "has class {c} at position {i}, expected a class index from 0 to {}",
                count - 1
            ),
        ));
    }
    Ok(())
}

/// The class of each one-hot row, or an error naming the first row that is not one-hot.
fn one_hot_classes(function: &'static str, rows: &[Vec<f64>]) -> Result<Vec<usize>> {
    rows.iter()
        .enumerate()
        .map(|(i, row)| {
            let ones: Vec<usize> = (0..row.len()).filter(|&k| row[k] == 1.0).collect();
            let zeros = row.iter().filter(|&&v| v == 0.0).count();
            if ones.len() == 1 && zeros == row.len() - 1 {
                Ok(ones[0])
            } else {
                Err(Error::invalid(
                    function,
                    "y_true",
                    format!(
                        "row {i} is {row:?}, expected a one-hot row: a single 1 and 0 elsewhere"
                    ),
                ))
            }
        })
        .collect()
}

/// Categorical cross-entropy of predicted class probabilities against one-hot rows:
/// `−mean log ŷ[i, class of row i]`, logarithms clamped at −100. PyTorch:
/// `nll_loss(log(ŷ), classes)`; Keras: `categorical_crossentropy`.
///
/// ```
/// let y_true = vec![vec![1.0, 0.0, 0.0], vec![0.0, 0.0, 1.0]];
/// let y_pred = vec![vec![0.5, 0.25, 0.25], vec![0.25, 0.25, 0.5]];
/// let ce = dlintro::loss::categorical_cross_entropy(&y_true, &y_pred)?;
/// assert!((ce - 2f64.ln()).abs() < 1e-15);
/// # Ok::<(), dlintro::Error>(())
/// ```
pub fn categorical_cross_entropy(y_true: &[Vec<f64>], y_pred: &[Vec<f64>]) -> Result<f64> {
    const F: &str = "loss::categorical_cross_entropy";
    let width = check_rows(F, "y_pred", y_pred)?;
    same_len(F, ("y_pred", y_pred.len()), ("y_true", y_true.len()))?;
    let true_width = check_rows(F, "y_true", y_true)?;
    if true_width != width {
        return Err(Error::invalid(
            F,
            "y_true",
            format!("has {true_width} columns, expected {width}, one per class of `y_pred`"),
        ));
    }
    let classes = one_hot_classes(F, y_true)?;
    sparse_categorical_cross_entropy(&classes, y_pred)
        .map_err(|e| e.reported_by(F, |argument| argument))
}

/// Categorical cross-entropy of predicted class probabilities against class indices:
/// `−mean log ŷ[i, yᵢ]`. Keras: `sparse_categorical_crossentropy`.
pub fn sparse_categorical_cross_entropy(y_true: &[usize], y_pred: &[Vec<f64>]) -> Result<f64> {
    const F: &str = "loss::sparse_categorical_cross_entropy";
    let width = check_rows(F, "y_pred", y_pred)?;
    same_len(F, ("y_pred", y_pred.len()), ("y_true", y_true.len()))?;
    for row in y_pred {
        check_unit(F, "y_pred", row)?;
    }
    check_classes(F, y_true, width)?;
    Ok(-mean(
        y_true
            .iter()
            .zip(y_pred)
            .map(|(&c, row)| floored_ln(row[c])),
    ))
}

/// Cross-entropy of raw scores (logits) against class indices: softmax and log in one
/// numerically stable step, `−mean log softmax(z)[i, yᵢ]`. PyTorch: `cross_entropy`.
///
/// ```
/// let ce = dlintro::loss::cross_entropy_from_logits(&[0], &[vec![1000.0, 0.0]])?;
/// assert_eq!(ce, 0.0);
/// # Ok::<(), dlintro::Error>(())
/// ```
pub fn cross_entropy_from_logits(y_true: &[usize], logits: &[Vec<f64>]) -> Result<f64> {
    const F: &str = "loss::cross_entropy_from_logits";
    let width = check_rows(F, "logits", logits)?;
    same_len(F, ("logits", logits.len()), ("y_true", y_true.len()))?;
    check_classes(F, y_true, width)?;
    Ok(mean(y_true.iter().zip(logits).map(|(&c, z)| {
        let max = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let log_sum = z.iter().map(|v| (v - max).exp()).sum::<f64>().ln() + max;
        log_sum - z[c]
    })))
}

/// A loss function: what [`Sequential::compile`](crate::model::Sequential::compile) trains
/// with, and [`Loss::compute`] on any tensors. Keras' names: the *sparse* categorical
/// cross-entropy takes class indices, the plain one takes one-hot rows.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Loss {
    /// Mean squared error: regression.
    MeanSquaredError,
    /// Mean absolute error: regression with outliers.
    MeanAbsoluteError,
    /// Huber: squared error near 0, absolute error beyond `delta`.
    Huber {
        /// Where the loss turns from quadratic to linear (> 0).
        delta: f64,
    },
    /// Binary cross-entropy of probabilities (after a sigmoid) against labels 0 or 1: two
    /// classes. Keras: `BinaryCrossentropy`.
    BinaryCrossEntropy,
    /// Categorical cross-entropy of probabilities (after a softmax) against one-hot rows
    /// `[samples, classes]`. Keras: `CategoricalCrossentropy`.
    CategoricalCrossEntropy,
    /// Categorical cross-entropy of probabilities (after a softmax) against class indices
    /// `[samples]`. Keras: `SparseCategoricalCrossentropy`.
    SparseCategoricalCrossEntropy,
    /// Cross-entropy of raw scores (no softmax in the model) against class indices
    /// `[samples]`. PyTorch: `CrossEntropyLoss`; Keras:
    /// `SparseCategoricalCrossentropy(from_logits=True)`.
    CrossEntropyFromLogits,
}

/// The smallest probability a logarithm sees in a cross-entropy of given probabilities:
/// e^−100. [`Loss::compute`] and this module's functions take probabilities (such as
/// `predict`'s output) and floor their logarithms at −100, as PyTorch's
/// `binary_cross_entropy` does: a true class given a probability of exactly 0 costs 100, not
/// infinity. Flooring the probability rather than the logarithm keeps the gradient finite
/// there, but it is 0: nothing below the floor moves the weights.
///
/// Training and [`evaluate`](crate::model::Sequential::evaluate) of a softmax output with a
/// categorical cross-entropy, or of a sigmoid output with the binary one, have no floor: they
/// compute the loss from the scores before the activation, as PyTorch's `cross_entropy` and
/// `binary_cross_entropy_with_logits` and Keras on TensorFlow do. There a row the model is
/// sure about and wrong costs its whole score gap (250 if the true class scores 250 below
/// another), and its gradient at the scores, `p − y`, still corrects the weights. From
/// probabilities that cannot be done: a probability rounded to 0 no longer says how wrong the
/// model was. Both agree wherever every probability is above this floor. Keras has the same
/// difference: its `fit` and `evaluate` use the scores its softmax and sigmoid layers keep,
/// while its loss functions called on `model.predict`'s output clip probabilities to
/// [1e-7, 1 − 1e-7], which caps a sample's loss at 16.1.
pub const MIN_PROBABILITY: f64 = 3.720_075_976_020_836e-44;

impl Loss {
    /// Whether the loss belongs to a classifier (a cross-entropy): then models report
    /// their accuracy too.
    pub fn classifies(&self) -> bool {
        matches!(
            self,
            Loss::BinaryCrossEntropy
                | Loss::CategoricalCrossEntropy
                | Loss::SparseCategoricalCrossEntropy
                | Loss::CrossEntropyFromLogits
        )
    }

    /// Whether `y_true` holds class indices for this loss (rather than values of the
    /// prediction's shape).
    fn takes_classes(&self) -> bool {
        matches!(
            self,
            Loss::CategoricalCrossEntropy
                | Loss::SparseCategoricalCrossEntropy
                | Loss::CrossEntropyFromLogits
        )
    }

    /// The loss of `y_pred` against `y_true`, checked, as a 0-dimensional `f64` tensor that
    /// autograd can differentiate: the same computation training and
    /// [`evaluate`](crate::model::Sequential::evaluate) use, except for a softmax or sigmoid
    /// output trained with a cross-entropy, whose loss they compute from the scores, without
    /// the floor at −100 that a cross-entropy of probabilities needs (see
    /// [`MIN_PROBABILITY`]).
    ///
    /// `y_pred` and `y_true` have the same shape, except for the categorical losses: there
    /// `y_pred` is `[samples, classes]` and `y_true` holds one-hot rows `[samples, classes]`
    /// ([`Loss::CategoricalCrossEntropy`]) or class indices `[samples]` (the sparse one and
    /// [`Loss::CrossEntropyFromLogits`]).
    ///
    /// ```
    /// use dlintro::loss::Loss;
    /// use tch::Tensor;
    /// let y = Tensor::from_slice(&[-1.0, -1.0, 0.0, 2.0]);
    /// let y_hat = Tensor::from_slice(&[1.0, 2.0, 0.0, 3.0]);
    /// assert_eq!(Loss::MeanSquaredError.compute(&y, &y_hat)?.double_value(&[]), 3.5);
    /// # Ok::<(), dlintro::Error>(())
    /// ```
    pub fn compute(&self, y_true: &Tensor, y_pred: &Tensor) -> Result<Tensor> {
        const F: &str = "Loss::compute";
        let y_pred = self.predictions(F, "y_pred", y_pred)?;
        let targets = self.targets(F, "y_true", y_true, &y_pred)?;
        Ok(self.apply(&targets, &y_pred))
    }

    /// Checks predictions: not empty, finite, probabilities where the loss needs them, two
    /// dimensions for the categorical losses. Returns them as `f64`.
    pub(crate) fn predictions(
        &self,
        function: &'static str,
        argument: &'static str,
        y_pred: &Tensor,
    ) -> Result<Tensor> {
        if y_pred.numel() == 0 {
            return Err(Error::invalid(
                function,
                argument,
                "is empty, expected at least one value",
            ));
        }
        if self.takes_classes() && y_pred.dim() != 2 {
            return Err(Error::invalid(
                function,
                argument,
                format!("has shape {:?}, expected [samples, classes]", y_pred.size()),
            ));
        }
        let y_pred = finite_tensor(function, argument, y_pred)?;
        if matches!(
            self,
            Loss::BinaryCrossEntropy
                | Loss::CategoricalCrossEntropy
                | Loss::SparseCategoricalCrossEntropy
        ) {
            check_unit_tensor(function, argument, &y_pred)?;
        }
        Ok(y_pred)
    }

    /// Checks `y_true` against predictions shaped like `y_pred` and returns the targets as
    /// [`apply`](Self::apply) takes them: class indices `[samples]` (Int64) for the
    /// categorical losses, values of `y_pred`'s shape and kind otherwise. `argument` names
    /// `y_true` in the caller's words. A `[samples]` target for a `[samples, 1]` prediction
    /// is taken as a column, as Keras does.
    pub(crate) fn targets(
        &self,
        function: &'static str,
        argument: &'static str,
        y_true: &Tensor,
        y_pred: &Tensor,
    ) -> Result<Tensor> {
        if let Loss::Huber { delta } = *self {
            check_delta(function, delta)?;
        }
        let size = y_pred.size();
        if self.takes_classes() {
            return class_indices(function, argument, *self, y_true, &size)
                .map(|t| t.to_device(y_pred.device()));
        }
        let column = size.len() == 2 && size[1] == 1 && y_true.size() == [size[0]];
        if y_true.size() != size && !column {
            return Err(Error::invalid(
                function,
                argument,
                format!(
                    "has shape {:?}, expected {:?}, the shape of the predictions",
                    y_true.size(),
                    size
                ),
            ));
        }
        let t = finite_tensor(function, argument, y_true)?;
        if *self == Loss::BinaryCrossEntropy {
            check_unit_tensor(function, argument, &t)?;
        }
        let t = if column { t.view([size[0], 1]) } else { t };
        t.f_to_kind(y_pred.kind())
            .and_then(|t| t.f_to_device(y_pred.device()))
            .map_err(|e| Error::torch(function, e))
    }

    /// The loss of `σ(scores)` (a sigmoid output, [`Loss::BinaryCrossEntropy`]) or of
    /// `softmax(scores)` (a softmax output, the two categorical cross-entropies), computed
    /// from the scores before that activation, with no floor: libtorch's
    /// `binary_cross_entropy_with_logits` and `log_softmax` with `nll_loss`, the computations
    /// of PyTorch's `BCEWithLogitsLoss` and `CrossEntropyLoss`. A row the model is confidently
    /// wrong about costs its whole score gap, however large, and its gradient at the scores,
    /// `p − y`, stays whole: the model learns from it. Training and `evaluate` use it for
    /// such outputs (see `Sequential::forward_for_loss`); [`apply`](Self::apply) on the
    /// probabilities is the same loss wherever no probability is below
    /// [`MIN_PROBABILITY`]. `None` for the other losses.
    pub(crate) fn apply_to_scores(&self, targets: &Tensor, scores: &Tensor) -> Option<Tensor> {
        match self {
            Loss::BinaryCrossEntropy => Some(scores.binary_cross_entropy_with_logits::<Tensor>(
                targets,
                None,
                None,
                tch::Reduction::Mean,
            )),
            Loss::CategoricalCrossEntropy | Loss::SparseCategoricalCrossEntropy => {
                Some(Loss::CrossEntropyFromLogits.apply(targets, scores))
            }
            _ => None,
        }
    }

    /// The loss, unchecked: `targets` as [`targets`](Self::targets) returns them. The one
    /// computation behind [`Loss::compute`], and behind training and evaluation wherever
    /// they do not use [`apply_to_scores`](Self::apply_to_scores).
    pub(crate) fn apply(&self, targets: &Tensor, y_pred: &Tensor) -> Tensor {
        let kind = y_pred.kind();
        let floored_log = |p: &Tensor| p.clamp_min(MIN_PROBABILITY).log();
        match *self {
            // libtorch's `mse_loss`: one operation and one gradient instead of three.
            Loss::MeanSquaredError => y_pred.mse_loss(targets, tch::Reduction::Mean),
            Loss::MeanAbsoluteError => (y_pred - targets).abs().mean(kind),
            Loss::Huber { delta } => y_pred.huber_loss(targets, tch::Reduction::Mean, delta),
            Loss::BinaryCrossEntropy => {
                let q = y_pred.ones_like() - y_pred;
                let not_t = targets.ones_like() - targets;
                -(targets * floored_log(y_pred) + not_t * floored_log(&q)).mean(kind)
            }
            Loss::CategoricalCrossEntropy | Loss::SparseCategoricalCrossEntropy => {
                -floored_log(y_pred)
                    .gather(1, &targets.unsqueeze(1), false) // [samples, 1]
                    .mean(kind)
            }
            // libtorch's `cross_entropy`: one operation (and one gradient) for the picking
            // and the mean.
            Loss::CrossEntropyFromLogits => y_pred.log_softmax(-1, kind).nll_loss(targets),
        }
    }
}

fn check_unit_tensor(function: &'static str, argument: &'static str, x: &Tensor) -> Result<()> {
    let outside = x.lt(0.0).logical_or(&x.gt(1.0)).any().int64_value(&[]) != 0;
    if outside {
        return Err(Error::invalid(
            function,
            argument,
            "has values outside [0, 1], expected probabilities",
        ));
    }
    Ok(())
}

/// Class indices `[samples]` (Int64) from `y_true`: one-hot rows for
/// [`Loss::CategoricalCrossEntropy`], integer class indices for the others; checked against
/// the predictions' `[samples, classes]`.
fn class_indices(
    function: &'static str,
    argument: &'static str,
    loss: Loss,
    y_true: &Tensor,
    size: &[i64],
) -> Result<Tensor> {
    let (samples, count) = (size[0], size[1]);
    let integer = matches!(
        y_true.kind(),
        Kind::Int64 | Kind::Int | Kind::Int16 | Kind::Int8 | Kind::Uint8
    );
    if y_true.size().first() != Some(&samples) {
        return Err(Error::invalid(
            function,
            argument,
            format!(
                "has {} samples, expected {samples}, one per prediction",
                y_true.size().first().copied().unwrap_or(0)
            ),
        ));
    }
    if loss == Loss::CategoricalCrossEntropy {
        if y_true.size() != [samples, count] {
            return Err(Error::invalid(
                function,
                argument,
                format!(
                    "has shape {:?}, expected one-hot rows [{samples}, {count}] for \
                     Loss::CategoricalCrossEntropy; for class indices use \
                     Loss::SparseCategoricalCrossEntropy",
                    y_true.size()
                ),
            ));
        }
        let t = finite_tensor(function, argument, y_true)?;
        let zero_or_one = t.eq(0.0).logical_or(&t.eq(1.0)).all().int64_value(&[]) != 0;
        let one_per_row = t.sum_dim_intlist(1, false, Kind::Double).eq(1.0).all();
        if !zero_or_one || one_per_row.int64_value(&[]) == 0 {
            return Err(Error::invalid(
                function,
                argument,
                "has rows that are not one-hot, expected a single 1 and 0 elsewhere per row",
            ));
        }
        return Ok(t.argmax(1, false));
    }
    if !integer || y_true.size() != [samples] {
        let hint = if y_true.size() == [samples, count] {
            " (one-hot rows go with Loss::CategoricalCrossEntropy)"
        } else {
            ""
        };
        return Err(Error::invalid(
            function,
            argument,
            format!(
                "has shape {:?} ({:?}), expected class indices [{samples}] as integers{hint}",
                y_true.size(),
                y_true.kind()
            ),
        ));
    }
    let classes = y_true.to_kind(Kind::Int64);
    let bad = classes.lt(0).logical_or(&classes.ge(count));
    if bad.any().int64_value(&[]) != 0 {
        let position = bad.to_kind(Kind::Int64).argmax(0, false).int64_value(&[]);
        return Err(Error::invalid(
            function,
            argument,
            format!(
                "has class {} at position {position}, expected a class index from 0 to {}",
                classes.int64_value(&[position]),
                count - 1
            ),
        ));
    }
    Ok(classes)
}

#[cfg(test)]
mod tests {
    //! Every loss against libtorch's own loss functions, on seeded random inputs.
    use super::*;
    use tch::{Device, Reduction};

    fn to_vec(t: &Tensor) -> Vec<f64> {
        Vec::<f64>::try_from(t.to_kind(Kind::Double).view([-1])).unwrap()
    }

    fn rows(t: &Tensor) -> Vec<Vec<f64>> {
        let k = t.size()[1] as usize;
        to_vec(t).chunks(k).map(<[f64]>::to_vec).collect()
    }

    #[test]
    fn the_loss_from_scores_is_the_loss_of_their_softmax_without_a_floor() {
        // Scores (1, 2, 3): log_softmax = score − ln(e + e² + e³) = score − 3.40760596444438,
        // so the right class 0 costs 2.40760596444438 and class 2 costs 0.40760596444438.
        let scores = Tensor::from_slice(&[1.0f32, 2.0, 3.0, 1.0, 2.0, 3.0]).view([2, 3]);
        let targets = Tensor::from_slice(&[0i64, 2]);
        let probabilities = scores.softmax(-1, Kind::Float);
        for loss in [
            Loss::SparseCategoricalCrossEntropy,
            Loss::CategoricalCrossEntropy,
        ] {
            let ours = loss.apply_to_scores(&targets, &scores).unwrap();
            close(
                ours.double_value(&[]),
                (2.407_605_964_444_38 + 0.407_605_964_444_38) / 2.0,
                "from scores",
            );
            let reference = loss.apply(&targets, &probabilities).double_value(&[]);
            close(ours.double_value(&[]), reference, "from probabilities");
        }
        // The true class 250 below the other: its probability rounds to 0. From the scores
        // it costs the whole gap, 250, and the gradient at the scores is p − y = [−1, 1], as
        // PyTorch's F.cross_entropy(torch.tensor([[0., 250.]], requires_grad=True),
        // torch.tensor([0])) gives.
        let wrong = || {
            Tensor::from_slice(&[0.0f32, 250.0])
                .view([1, 2])
                .set_requires_grad(true)
        };
        let target = Tensor::from_slice(&[0i64]);
        let scores = wrong();
        let loss = Loss::SparseCategoricalCrossEntropy
            .apply_to_scores(&target, &scores)
            .unwrap();
        close(loss.double_value(&[]), 250.0, "no floor");
        loss.backward();
        assert_eq!(to_vec(&scores.grad()), [-1.0, 1.0]);
        let libtorch = wrong();
        let reference =
            libtorch.cross_entropy_loss::<Tensor>(&target, None, Reduction::Mean, -100, 0.0);
        close(
            loss.double_value(&[]),
            reference.double_value(&[]),
            "libtorch",
        );
        reference.backward();
        assert_eq!(to_vec(&libtorch.grad()), to_vec(&scores.grad()));
        // The loss of its probabilities sits on the floor, 100, where no gradient flows.
        let through_softmax = wrong();
        let floored = Loss::SparseCategoricalCrossEntropy
            .apply(&target, &through_softmax.softmax(-1, Kind::Float));
        assert!((floored.double_value(&[]) - 100.0).abs() < 0.1, "{floored}");
        floored.backward();
        assert_eq!(to_vec(&through_softmax.grad()), [0.0, 0.0]);
        // None for a loss that has no scores to start from.
        assert!(Loss::MeanSquaredError
            .apply_to_scores(&target, &scores)
            .is_none());
    }

    #[test]
    fn the_binary_loss_from_scores_is_libtorchs_with_logits() {
        // Scores 0 and 2, labels 1 and 0: ln 2 and ln(1 + e²) = 2.1269280110429722.
        let scores = Tensor::from_slice(&[0.0f32, 2.0]).view([2, 1]);
        let labels = Tensor::from_slice(&[1.0f32, 0.0]).view([2, 1]);
        let ours = Loss::BinaryCrossEntropy
            .apply_to_scores(&labels, &scores)
            .unwrap()
            .double_value(&[]);
        close(ours, 1.410_037_595_801_458_8, "by hand");
        let reference = Loss::BinaryCrossEntropy
            .apply(&labels, &scores.sigmoid())
            .double_value(&[]);
        close(ours, reference, "from probabilities");
        // A score of −200 for a 1: σ rounds to 0. From the score it costs 200 with the
        // gradient σ(z) − y = −1, as PyTorch's F.binary_cross_entropy_with_logits gives; the
        // loss of the probability sits on the floor, 100, with no gradient.
        let wrong = || {
            Tensor::from_slice(&[-200.0f32])
                .view([1, 1])
                .set_requires_grad(true)
        };
        let one = Tensor::from_slice(&[1.0f32]).view([1, 1]);
        let z = wrong();
        let loss = Loss::BinaryCrossEntropy.apply_to_scores(&one, &z).unwrap();
        close(loss.double_value(&[]), 200.0, "no floor");
        loss.backward();
        assert_eq!(to_vec(&z.grad()), [-1.0]);
        let through_sigmoid = wrong();
        let floored = Loss::BinaryCrossEntropy.apply(&one, &through_sigmoid.sigmoid());
        assert!((floored.double_value(&[]) - 100.0).abs() < 0.1, "{floored}");
        floored.backward();
        assert_eq!(to_vec(&through_sigmoid.grad()), [0.0]);
    }

    fn close(ours: f64, reference: f64, what: &str) {
        let tolerance = 1e-6 * reference.abs().max(1e-12);
        assert!(
            (ours - reference).abs() <= tolerance,
            "{what}: ours {ours}, libtorch {reference}"
        );
    }

    fn pairs() -> Vec<(Tensor, Tensor)> {
        tch::manual_seed(7);
        let opts = (Kind::Double, Device::Cpu);
        [vec![7], vec![4, 5], vec![2, 3, 4]]
            .into_iter()
            .map(|shape| {
                let y = Tensor::randn(shape.as_slice(), opts) * 4.0;
                let y_hat = Tensor::randn(shape.as_slice(), opts) * 4.0;
                (y, y_hat)
            })
            .collect()
    }

    #[test]
    fn regression_losses_agree_with_libtorch() {
        for (y, y_hat) in pairs() {
            let (t, p) = (to_vec(&y), to_vec(&y_hat));
            // PyTorch: F.mse_loss(y_hat, y), F.l1_loss(y_hat, y), F.huber_loss(y_hat, y, delta=δ)
            let mse_ref = y_hat.mse_loss(&y, Reduction::Mean).double_value(&[]);
            close(mse(&t, &p).unwrap(), mse_ref, "mse");
            close(
                Loss::MeanSquaredError
                    .compute(&y, &y_hat)
                    .unwrap()
                    .double_value(&[]),
                mse_ref,
                "mse tensor",
            );
            let mae_ref = y_hat.l1_loss(&y, Reduction::Mean).double_value(&[]);
            close(mae(&t, &p).unwrap(), mae_ref, "mae");
            close(
                Loss::MeanAbsoluteError
                    .compute(&y, &y_hat)
                    .unwrap()
                    .double_value(&[]),
                mae_ref,
                "mae tensor",
            );
            for delta in [0.5, 1.0, 3.0] {
                let reference = y_hat
                    .huber_loss(&y, Reduction::Mean, delta)
                    .double_value(&[]);
                close(huber(&t, &p, delta).unwrap(), reference, "huber");
                let ours = Loss::Huber { delta }.compute(&y, &y_hat).unwrap();
                close(ours.double_value(&[]), reference, "huber tensor");
            }
        }
    }

    #[test]
    fn binary_cross_entropy_agrees_with_libtorch_including_certain_predictions() {
        tch::manual_seed(11);
        let opts = (Kind::Double, Device::Cpu);
        let y = Tensor::rand([50], opts).round();
        // Exact 0 and 1 predictions hit PyTorch's clamp of log at −100.
        let y_hat = Tensor::cat(
            &[Tensor::rand([48], opts), Tensor::from_slice(&[0.0, 1.0])],
            0,
        );
        let y = Tensor::cat(&[y.narrow(0, 0, 48), Tensor::from_slice(&[1.0, 0.0])], 0);
        // PyTorch: F.binary_cross_entropy(y_hat, y)
        let reference = y_hat
            .binary_cross_entropy::<Tensor>(&y, None, Reduction::Mean)
            .double_value(&[]);
        close(
            binary_cross_entropy(&to_vec(&y), &to_vec(&y_hat)).unwrap(),
            reference,
            "bce",
        );
        let ours = Loss::BinaryCrossEntropy.compute(&y, &y_hat).unwrap();
        close(ours.double_value(&[]), reference, "bce tensor");
    }

    #[test]
    fn categorical_losses_agree_with_libtorch() {
        tch::manual_seed(3);
        let opts = (Kind::Double, Device::Cpu);
        for (samples, classes, scale) in [(6, 3, 1.0), (10, 5, 5.0), (4, 2, 1000.0)] {
            let logits = Tensor::randn([samples, classes], opts) * scale;
            let target = Tensor::randint(classes, [samples], (Kind::Int64, Device::Cpu));
            let labels: Vec<usize> = Vec::<i64>::try_from(&target)
                .unwrap()
                .into_iter()
                .map(|c| c as usize)
                .collect();
            // PyTorch: F.cross_entropy(logits, target)
            let reference = logits
                .cross_entropy_loss::<Tensor>(&target, None, Reduction::Mean, -100, 0.0)
                .double_value(&[]);
            close(
                cross_entropy_from_logits(&labels, &rows(&logits)).unwrap(),
                reference,
                "cross entropy from logits",
            );
            let ours = Loss::CrossEntropyFromLogits
                .compute(&target, &logits)
                .unwrap();
            close(ours.double_value(&[]), reference, "cross entropy tensor");

            // PyTorch: F.nll_loss(torch.log(p).clamp_min(-100), target)
            let p = logits.softmax(-1, Kind::Double);
            let reference = p
                .log()
                .clamp_min(-100.0)
                .nll_loss(&target) // mean over samples, as F.nll_loss
                .double_value(&[]);
            let one_hot = target.one_hot(classes).to_kind(Kind::Double);
            close(
                categorical_cross_entropy(&rows(&one_hot), &rows(&p)).unwrap(),
                reference,
                "categorical",
            );
            close(
                sparse_categorical_cross_entropy(&labels, &rows(&p)).unwrap(),
                reference,
                "sparse categorical",
            );
            let ours = Loss::CategoricalCrossEntropy.compute(&one_hot, &p).unwrap();
            close(ours.double_value(&[]), reference, "categorical tensor");
            let ours = Loss::SparseCategoricalCrossEntropy
                .compute(&target, &p)
                .unwrap();
            close(
                ours.double_value(&[]),
                reference,
                "sparse categorical tensor",
            );
        }
    }

    #[test]
    fn a_confidently_wrong_prediction_costs_100_and_keeps_a_finite_gradient() {
        // PyTorch: F.nll_loss(torch.log(p).clamp_min(-100), target) for p = [[0, 1]], target [0]
        let p = Tensor::from_slice(&[0.0, 1.0])
            .view([1, 2])
            .set_requires_grad(true);
        let l = Loss::SparseCategoricalCrossEntropy
            .compute(&Tensor::from_slice(&[0i64]), &p)
            .unwrap();
        close(l.double_value(&[]), 100.0, "floored log");
        l.backward();
        let grad = to_vec(&p.grad());
        assert!(grad.iter().all(|g| g.is_finite()), "{grad:?}");
        // The same floor in float32, as in training.
        let p32 = Tensor::from_slice(&[0f32, 1.0]).view([1, 2]);
        let l32 = Loss::SparseCategoricalCrossEntropy.apply(&Tensor::from_slice(&[0i64]), &p32);
        assert!((l32.double_value(&[]) - 100.0).abs() < 0.1, "{l32}");
    }

    #[test]
    fn a_target_column_may_be_given_as_a_vector() {
        let y = Tensor::from_slice(&[1.0, 2.0]);
        let y_hat = Tensor::from_slice(&[0.0, 0.0]).view([2, 1]);
        let l = Loss::MeanSquaredError.compute(&y, &y_hat).unwrap();
        assert_eq!(l.double_value(&[]), 2.5);
    }

    #[test]
    fn the_slide_exercise_is_3_5() {
        let (y, y_hat) = ([-1.0, -1.0, 0.0, 2.0], [1.0, 2.0, 0.0, 3.0]);
        assert_eq!(squared_errors(&y, &y_hat).unwrap(), [4.0, 9.0, 0.0, 1.0]);
        assert_eq!(mse(&y, &y_hat).unwrap(), 3.5);
    }

    #[test]
    fn the_loss_tensor_can_be_differentiated() {
        let y = Tensor::from_slice(&[1.0, 2.0]);
        let y_hat = Tensor::from_slice(&[0.0, 0.0]).set_requires_grad(true);
        let l = Loss::MeanSquaredError.compute(&y, &y_hat).unwrap();
        l.backward();
        // d/dŷ mean((ŷ − y)²) = 2(ŷ − y)/n = [-1, -2]
        assert_eq!(to_vec(&y_hat.grad()), [-1.0, -2.0]);
    }

    #[test]
    fn bad_inputs_name_the_argument_and_the_expectation() {
        let int = |v: &[i64]| Tensor::from_slice(v);
        let p = Tensor::from_slice(&[0.5, 0.5, 0.2, 0.8]).view([2, 2]);
        let cases = [
            (
                mse(&[1.0, 2.0], &[1.0]).unwrap_err(),
                "loss::mse: `y_pred` has 1 value but `y_true` has 2, expected the same number of \
                 each",
            ),
            (
                mse(&[], &[]).unwrap_err(),
                "loss::mse: `y_true` is empty, expected at least one value",
            ),
            (
                mae(&[f64::NAN], &[1.0]).unwrap_err(),
                "loss::mae: `y_true` has NaN at position 0, expected finite numbers",
            ),
            (
                huber(&[1.0], &[1.0], 0.0).unwrap_err(),
                "loss::huber: `delta` is 0, expected a number > 0 (e.g. 1.0)",
            ),
            (
                binary_cross_entropy(&[1.0, 0.0], &[0.5, 1.5]).unwrap_err(),
                "loss::binary_cross_entropy: `y_pred` has 1.5 at position 1, expected \
                 probabilities between 0 and 1",
            ),
            (
                sparse_categorical_cross_entropy(&[0, 3], &[vec![0.5, 0.5], vec![0.2, 0.8]])
                    .unwrap_err(),
                "loss::sparse_categorical_cross_entropy: `y_true` has class 3 at position 1, \
                 expected a class index from 0 to 1",
            ),
            (
                categorical_cross_entropy(
                    &[vec![1.0, 0.0], vec![1.0, 1.0]],
                    &[vec![0.5, 0.5], vec![0.2, 0.8]],
                )
                .unwrap_err(),
                "loss::categorical_cross_entropy: `y_true` row 1 is [1.0, 1.0], expected a \
                 one-hot row: a single 1 and 0 elsewhere",
            ),
            (
                Loss::CrossEntropyFromLogits
                    .compute(&int(&[0, 2]), &p)
                    .unwrap_err(),
                "Loss::compute: `y_true` has class 2 at position 1, expected a class index from \
                 0 to 1",
            ),
            (
                Loss::CategoricalCrossEntropy
                    .compute(&Tensor::from_slice(&[0.5, 0.5, 0.0, 1.0]).view([2, 2]), &p)
                    .unwrap_err(),
                "Loss::compute: `y_true` has rows that are not one-hot, expected a single 1 and 0 \
                 elsewhere per row",
            ),
            (
                Loss::MeanSquaredError
                    .compute(&Tensor::from_slice(&[1.0]), &p)
                    .unwrap_err(),
                "Loss::compute: `y_true` has shape [1], expected [2, 2], the shape of the predictions",
            ),
            (
                Loss::CategoricalCrossEntropy.compute(&int(&[0, 1]), &p).unwrap_err(),
                "Loss::compute: `y_true` has shape [2], expected one-hot rows [2, 2] for \
                 Loss::CategoricalCrossEntropy; for class indices use \
                 Loss::SparseCategoricalCrossEntropy",
            ),
            (
                Loss::SparseCategoricalCrossEntropy
                    .compute(&Tensor::from_slice(&[1.0, 0.0, 0.0, 1.0]).view([2, 2]), &p)
                    .unwrap_err(),
                "Loss::compute: `y_true` has shape [2, 2] (Double), expected class indices [2] \
                 as integers (one-hot rows go with Loss::CategoricalCrossEntropy)",
            ),
            (
                Loss::BinaryCrossEntropy
                    .compute(&Tensor::from_slice(&[1.0]), &Tensor::from_slice(&[-0.1]))
                    .unwrap_err(),
                "Loss::compute: `y_pred` has values outside [0, 1], expected probabilities",
            ),
        ];
        for (error, message) in cases {
            assert_eq!(error.to_string(), message);
        }
    }
}
