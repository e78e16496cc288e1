//! The input features of the TensorFlow Playground (x₁, x₂, x₁², x₂², x₁x₂, sin x₁, sin x₂):
//! functions of a point's coordinates, computed in one place for training data and for the
//! grids of pictures alike.

use std::fmt;

use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

/// One input feature of the Playground: a function of a point's coordinates (x₁, x₂).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Feature {
    /// x₁, the horizontal coordinate.
    X1,
    /// x₂, the vertical coordinate.
    X2,
    /// x₁²: with x₂², what a circle needs.
    X1Squared,
    /// x₂².
    X2Squared,
    /// x₁·x₂: positive in two quadrants, negative in the other two, as XOR.
    X1X2,
    /// sin x₁.
    SinX1,
    /// sin x₂.
    SinX2,
}

impl Feature {
    /// All seven, in the Playground's order.
    pub const ALL: [Feature; 7] = [
        Feature::X1,
        Feature::X2,
        Feature::X1Squared,
        Feature::X2Squared,
        Feature::X1X2,
        Feature::SinX1,
        Feature::SinX2,
    ];

    /// The feature's value at the point (x₁, x₂).
    ///
    /// ```
    /// use dlintro::playground::Feature;
    /// assert_eq!(Feature::X1X2.value(2.0, -3.0), -6.0);
    /// assert_eq!(Feature::X2Squared.value(2.0, -3.0), 9.0);
    /// ```
    pub fn value(&self, x1: f64, x2: f64) -> f64 {
        match self {
            Feature::X1 => x1,
            Feature::X2 => x2,
            Feature::X1Squared => x1 * x1,
            Feature::X2Squared => x2 * x2,
            Feature::X1X2 => x1 * x2,
            Feature::SinX1 => x1.sin(),
            Feature::SinX2 => x2.sin(),
        }
    }
}

impl fmt::Display for Feature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Feature::X1 => "x₁",
            Feature::X2 => "x₂",
            Feature::X1Squared => "x₁²",
            Feature::X2Squared => "x₂²",
            Feature::X1X2 => "x₁x₂",
            Feature::SinX1 => "sin x₁",
            Feature::SinX2 => "sin x₂",
        })
    }
}

/// The `features` of every row (x₁, x₂) of `coordinates`: `[n, features.len()]`. The one
/// place where features are computed, for training data and for the grids of pictures alike.
pub(crate) fn expand(features: &[Feature], coordinates: ArrayView2<'_, f64>) -> Array2<f64> {
    Array2::from_shape_fn((coordinates.nrows(), features.len()), |(row, k)| {
        features[k].value(coordinates[[row, 0]], coordinates[[row, 1]])
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playground::Points;

    #[test]
    fn features_expand_the_coordinates_in_the_order_given() {
        let points = Points::new(ndarray::arr2(&[[1.0, -2.0], [0.5, 3.0]]), vec![0, 1]).unwrap();
        let chosen = [
            Feature::X2Squared,
            Feature::X1X2,
            Feature::SinX1,
            Feature::X1,
        ];
        let expanded = points.features(&chosen).unwrap();
        // By hand: (x₂², x₁x₂, sin x₁, x₁) of (1, −2) and (0.5, 3).
        let expected =
            ndarray::arr2(&[[4.0, -2.0, 1f64.sin(), 1.0], [9.0, 1.5, 0.5f64.sin(), 0.5]]);
        assert_eq!(expanded.feature_array(), expected);
        assert_eq!(expanded.inputs(), chosen);
        assert_eq!(points.inputs(), [Feature::X1, Feature::X2]);
        let (x, y) = expanded.tensors(tch::Device::Cpu).unwrap();
        assert_eq!(x.size(), [2, 4]);
        assert!((x.double_value(&[1, 2]) - 0.5f64.sin()).abs() < 1e-6);
        assert_eq!(y.int64_value(&[1]), 1);
        let names: Vec<String> = Feature::ALL.iter().map(|f| f.to_string()).collect();
        assert_eq!(
            names,
            ["x₁", "x₂", "x₁²", "x₂²", "x₁x₂", "sin x₁", "sin x₂"]
        );
    }
}
