//! Moving numbers between plain slices, ndarray arrays and tch tensors, with the checks every
//! module needs (same length, not empty, finite). Each conversion's name says the tensor's
//! element type, and the ones for training say the device: exercises compute in `f64` on the
//! CPU, models train in `f32` on [`crate::device()`].

use ndarray::{Array2, ArrayD, IxDyn};
use tch::{Kind, Tensor};

use crate::error::{Error, Result};

/// Fails unless every value is finite; names the function, the argument and the first bad
/// value's position.
pub(crate) fn finite(
    function: &'static str,
    argument: &'static str,
    values: impl IntoIterator<Item = f64>,
) -> Result<()> {
    match values.into_iter().enumerate().find(|(_, v)| !v.is_finite()) {
        None => Ok(()),
        Some((i, v)) => Err(Error::invalid(
            function,
            argument,
            format!("has {v} at position {i}, expected finite numbers"),
        )),
    }
}

/// Fails when the slice is empty.
pub(crate) fn not_empty(function: &'static str, argument: &'static str, len: usize) -> Result<()> {
    if len == 0 {
        return Err(Error::invalid(
            function,
            argument,
            "is empty, expected at least one value",
        ));
    }
    Ok(())
}

/// Fails unless two arguments have the same number of values.
pub(crate) fn same_len(
    function: &'static str,
    (first, first_len): (&'static str, usize),
    (second, second_len): (&'static str, usize),
) -> Result<()> {
    if first_len != second_len {
        return Err(Error::invalid(
            function,
            second,
            format!(
                "has {second_len} value{} but `{first}` has {first_len}, expected the same \
                 number of each",
                if second_len == 1 { "" } else { "s" }
            ),
        ));
    }
    Ok(())
}

/// A tensor's values as `f64`, after checking that they are all finite.
pub(crate) fn finite_tensor(
    function: &'static str,
    argument: &'static str,
    x: &Tensor,
) -> Result<Tensor> {
    let x = x
        .f_to_kind(Kind::Double)
        .map_err(|e| Error::torch(function, e))?;
    let all_finite = x
        .f_isfinite()
        .and_then(|f| f.f_all())
        .map(|t| t.int64_value(&[]) != 0)
        .map_err(|e| Error::torch(function, e))?;
    if !all_finite {
        return Err(Error::invalid(
            function,
            argument,
            "has NaN or infinite values, expected finite numbers",
        ));
    }
    Ok(x)
}

/// An ndarray array as an `f64` tensor of the same shape, on the CPU: for the exercises,
/// where every digit counts.
pub fn to_f64_cpu_tensor(x: &ArrayD<f64>) -> Result<Tensor> {
    let values: Vec<f64> = x.iter().copied().collect();
    let shape: Vec<i64> = x.shape().iter().map(|&d| d as i64).collect();
    Tensor::f_from_slice(&values)
        .and_then(|t| t.f_view(shape.as_slice()))
        .map_err(|e| Error::torch("convert::to_f64_cpu_tensor", e))
}

/// A tensor (any element type, any device) as an `f64` ndarray array of the same shape.
pub fn to_f64_array(x: &Tensor) -> Result<ArrayD<f64>> {
    let shape: Vec<usize> = x.size().iter().map(|&d| d as usize).collect();
    let values = x
        .f_to_device(tch::Device::Cpu)
        .and_then(|t| t.f_to_kind(Kind::Double))
        .and_then(|t| t.f_contiguous())
        .and_then(|t| t.f_view([-1]))
        .and_then(|t| Vec::<f64>::try_from(&t))
        .map_err(|e| Error::torch("convert::to_f64_array", e))?;
    ArrayD::from_shape_vec(IxDyn(&shape), values).map_err(|e| Error::Torch {
        operation: "convert::to_f64_array",
        message: e.to_string(),
    })
}

/// A `[rows, columns]` array as an `f32` tensor on `device`: model inputs.
pub fn to_f32_tensor(x: &Array2<f64>, device: tch::Device) -> Result<Tensor> {
    let values: Vec<f32> = x.iter().map(|&v| v as f32).collect();
    Tensor::f_from_slice(&values)
        .and_then(|t| t.f_view([x.nrows() as i64, x.ncols() as i64]))
        .and_then(|t| t.f_to_device(device))
        .map_err(|e| Error::torch("convert::to_f32_tensor", e))
}

/// Class indices as an `i64` tensor `[n]` on `device`: labels for a classifier.
pub fn labels_to_i64_tensor(labels: &[usize], device: tch::Device) -> Result<Tensor> {
    let values: Vec<i64> = labels.iter().map(|&l| l as i64).collect();
    Tensor::f_from_slice(&values)
        .and_then(|t| t.f_to_device(device))
        .map_err(|e| Error::torch("convert::labels_to_i64_tensor", e))
}

/// A tensor's values as a Rust vector, whatever its shape, element type or device: what numpy
/// users write as `.numpy().tolist()`. `use dlintro::prelude::*;` brings it in.
///
/// ```
/// use dlintro::prelude::*;
/// let p = Tensor::from_slice(&[0.1f32, 0.7, 0.2, 0.6, 0.3, 0.1]).view([2, 3]);
/// let (confidence, class) = p.max_dim(1, false); // [2], [2]
/// assert_eq!(class.to_index_vec()?, [1, 0]);
/// let confidence = confidence.to_f64_vec()?;
/// assert!((confidence[0] - 0.7).abs() < 1e-6 && (confidence[1] - 0.6).abs() < 1e-6);
/// assert!(Tensor::from_slice(&[-1i64]).to_index_vec().is_err());
/// # Ok::<(), dlintro::Error>(())
/// ```
pub trait TensorValues {
    /// Every value as an `f64`, row by row.
    fn to_f64_vec(&self) -> Result<Vec<f64>>;
    /// Every value as an index (a class, a position): whole numbers from 0 up, or an error.
    fn to_index_vec(&self) -> Result<Vec<usize>>;
}

impl TensorValues for Tensor {
    fn to_f64_vec(&self) -> Result<Vec<f64>> {
        self.f_to_device(tch::Device::Cpu)
            .and_then(|t| t.f_to_kind(Kind::Double))
            .and_then(|t| t.f_contiguous())
            .and_then(|t| t.f_view([-1]))
            .and_then(|t| Vec::<f64>::try_from(&t))
            .map_err(|e| Error::torch("Tensor::to_f64_vec", e))
    }

    fn to_index_vec(&self) -> Result<Vec<usize>> {
        self.to_f64_vec()?
            .iter()
            .enumerate()
            .map(|(i, &v)| {
                if v >= 0.0 && v.fract() == 0.0 && v < usize::MAX as f64 {
                    Ok(v as usize)
                } else {
                    Err(Error::invalid(
                        "Tensor::to_index_vec",
                        "self",
                        format!("holds {v} at position {i}, expected whole numbers from 0 up"),
                    ))
                }
            })
            .collect()
    }
}

/// `count` evenly spaced numbers from `range.start` to `range.end`, both included (numpy's
/// `linspace`); `count` ≥ 2.
pub(crate) fn linspace(range: &std::ops::Range<f64>, count: usize) -> Vec<f64> {
    let step = (range.end - range.start) / (count - 1) as f64;
    (0..count)
        .map(|i| {
            if i == count - 1 {
                range.end
            } else {
                range.start + step * i as f64
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrays_and_tensors_round_trip() {
        let a = ndarray::arr2(&[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]).into_dyn();
        let t = to_f64_cpu_tensor(&a).unwrap();
        assert_eq!(t.size(), [2, 3]);
        assert_eq!(t.double_value(&[1, 0]), 4.0);
        assert_eq!(to_f64_array(&t).unwrap(), a);
    }

    #[test]
    fn checks_name_the_argument() {
        let e = finite("f", "x", [1.0, f64::NAN]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "f: `x` has NaN at position 1, expected finite numbers"
        );
        let e = same_len("f", ("inputs", 3), ("weights", 2)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "f: `weights` has 2 values but `inputs` has 3, expected the same number of each"
        );
        let e = not_empty("f", "inputs", 0).unwrap_err();
        assert_eq!(
            e.to_string(),
            "f: `inputs` is empty, expected at least one value"
        );
        let t = Tensor::from_slice(&[1.0, f64::INFINITY]);
        assert!(finite_tensor("f", "x", &t).is_err());
    }
}
