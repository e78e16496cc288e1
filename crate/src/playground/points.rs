//! The TensorFlow Playground's data sets: points in the plane in two classes, the input
//! [`Feature`]s a model sees of them, as in the Playground's left-hand panel, and the split
//! into training and test points.

use std::fmt;
use std::ops::Range;

use ndarray::Array2;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tch::Tensor;

use super::feature::{expand, Feature};
use crate::convert::{labels_to_i64_tensor, linspace, to_f32_tensor};
use crate::error::{Error, Result};

/// A data set of the TensorFlow Playground: points in the plane, the class of each (0 or 1),
/// and the input features a model sees of them (x₁ and x₂ unless [`Points::features`] chose
/// others).
#[derive(Debug, Clone, PartialEq)]
pub struct Points {
    /// `[n, 2]` coordinates (x₁, x₂): where the points lie in the plane.
    pub x: Array2<f64>,
    /// The class of each point, 0 or 1.
    pub y: Vec<usize>,
    /// What a model sees of each point, in order.
    inputs: Vec<Feature>,
}

/// A grid over the plane of some points, and what a model sees at each grid point: what a
/// picture of a model's output over the plane is computed on.
#[derive(Debug)]
pub struct Grid {
    /// The grid's x₁ values, left to right.
    pub xs: Vec<f64>,
    /// The grid's x₂ values, bottom to top.
    pub ys: Vec<f64>,
    /// The points' input features at every grid point, row by row from the bottom:
    /// `[xs.len() · ys.len(), features]`, float, on [`crate::device()`].
    pub inputs: Tensor,
}

impl Points {
    /// Points at `x` (`[n, 2]`) of classes `y`, seen as (x₁, x₂).
    pub fn new(x: Array2<f64>, y: Vec<usize>) -> Result<Points> {
        const F: &str = "Points::new";
        if x.ncols() != 2 {
            return Err(Error::invalid(
                F,
                "x",
                format!("has shape {:?}, expected [n, 2]: two coordinates", x.dim()),
            ));
        }
        crate::convert::same_len(F, ("x", x.nrows()), ("y", y.len()))?;
        crate::convert::finite(F, "x", x.iter().copied())?;
        Ok(Points {
            x,
            y,
            inputs: vec![Feature::X1, Feature::X2],
        })
    }

    /// How many points.
    pub fn len(&self) -> usize {
        self.y.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }

    /// The same points, seen by a model through `features` instead: the Playground's choice
    /// of inputs. [`tensors`](Points::tensors) then gives these features, and every picture
    /// of a model over the plane computes them on its grid too.
    ///
    /// ```
    /// use dlintro::playground::{Feature, Playground};
    /// let circle = Playground::Circle.generate(100, 0.0, 1)?;
    /// let squared = circle.features(&[Feature::X1Squared, Feature::X2Squared])?;
    /// let (x, _) = squared.tensors(dlintro::device())?;
    /// assert_eq!(x.size(), [100, 2]);
    /// let x1 = circle.x[[0, 0]];
    /// assert!((x.double_value(&[0, 0]) - x1 * x1).abs() < 1e-4);
    /// # Ok::<(), dlintro::Error>(())
    /// ```
    pub fn features(&self, features: &[Feature]) -> Result<Points> {
        const F: &str = "Points::features";
        if features.is_empty() {
            return Err(Error::invalid(
                F,
                "features",
                "is empty, expected at least one feature, e.g. [Feature::X1, Feature::X2]",
            ));
        }
        for (i, feature) in features.iter().enumerate() {
            if let Some(first) = features[..i].iter().position(|f| f == feature) {
                return Err(Error::invalid(
                    F,
                    "features",
                    format!(
                        "lists {feature} twice (positions {first} and {i}), expected each \
                         feature once"
                    ),
                ));
            }
        }
        Ok(Points {
            inputs: features.to_vec(),
            ..self.clone()
        })
    }

    /// The input features a model sees of these points.
    pub fn inputs(&self) -> &[Feature] {
        &self.inputs
    }

    /// The input features of every point, `[n, features]`.
    pub fn feature_array(&self) -> Array2<f64> {
        expand(&self.inputs, self.x.view())
    }

    /// The input features as a `[n, features]` float tensor and the classes as Int64, on
    /// `device`.
    pub fn tensors(&self, device: tch::Device) -> Result<(Tensor, Tensor)> {
        Ok((
            to_f32_tensor(&self.feature_array(), device)?,
            labels_to_i64_tensor(&self.y, device)?,
        ))
    }

    /// Splits the points into training and test points: `test_share` of them (rounded) for
    /// testing, drawn with `seed`, each class keeping its share: the Playground's "ratio of
    /// training to test data". Both keep the chosen features.
    ///
    /// ```
    /// use dlintro::playground::Playground;
    /// let (train, test) = Playground::Xor.generate(200, 0.0, 1)?.split(0.5, 1)?;
    /// assert_eq!((train.len(), test.len()), (100, 100));
    /// # Ok::<(), dlintro::Error>(())
    /// ```
    pub fn split(&self, test_share: f64, seed: u64) -> Result<(Points, Points)> {
        const F: &str = "Points::split";
        if !(test_share > 0.0 && test_share < 1.0) {
            return Err(Error::invalid(
                F,
                "test_share",
                format!("is {test_share}, expected a number between 0 and 1 (e.g. 0.5)"),
            ));
        }
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let (mut train, mut test) = (Vec::new(), Vec::new());
        for class in [0, 1] {
            let mut rows: Vec<usize> = (0..self.len()).filter(|&r| self.y[r] == class).collect();
            rows.shuffle(&mut rng);
            let held = ((rows.len() as f64) * test_share).round() as usize;
            test.extend_from_slice(&rows[..held]);
            train.extend_from_slice(&rows[held..]);
        }
        if train.is_empty() || test.is_empty() {
            return Err(Error::invalid(
                F,
                "test_share",
                format!(
                    "of {test_share} leaves {} of {} points for testing, expected some for each",
                    test.len(),
                    self.len()
                ),
            ));
        }
        train.shuffle(&mut rng);
        test.shuffle(&mut rng);
        let take = |rows: &[usize]| Points {
            x: self.x.select(ndarray::Axis(0), rows),
            y: rows.iter().map(|&r| self.y[r]).collect(),
            inputs: self.inputs.clone(),
        };
        Ok((take(&train), take(&test)))
    }

    /// The axis ranges of a picture of the points: every point, with 5 % room on each side.
    pub fn bounds(&self) -> (Range<f64>, Range<f64>) {
        let range = |column: usize| {
            let (lo, hi) = self
                .x
                .column(column)
                .iter()
                .fold((f64::MAX, f64::MIN), |(a, b), &v| (a.min(v), b.max(v)));
            let room = if hi > lo { (hi - lo) * 0.05 } else { 0.5 };
            (lo - room)..(hi + room)
        };
        (range(0), range(1))
    }

    /// A `cells`×`cells` grid over [`bounds`](Points::bounds), with the points' input
    /// features at every grid point: what a model is asked about to draw its output over the
    /// plane.
    ///
    /// ```
    /// use dlintro::playground::{Feature, Playground};
    /// let xor = Playground::Xor.generate(50, 0.0, 1)?.features(&[Feature::X1X2])?;
    /// let grid = xor.grid(10)?;
    /// assert_eq!(grid.inputs.size(), [100, 1]);
    /// # Ok::<(), dlintro::Error>(())
    /// ```
    pub fn grid(&self, cells: usize) -> Result<Grid> {
        if cells < 2 {
            return Err(Error::invalid(
                "Points::grid",
                "cells",
                format!("is {cells}, expected at least 2"),
            ));
        }
        let (x_range, y_range) = self.bounds();
        let (xs, ys) = (linspace(&x_range, cells), linspace(&y_range, cells));
        let coordinates = Array2::from_shape_fn((cells * cells, 2), |(i, c)| {
            if c == 0 {
                xs[i % cells]
            } else {
                ys[i / cells]
            }
        });
        let inputs = to_f32_tensor(&expand(&self.inputs, coordinates.view()), crate::device())?;
        Ok(Grid { xs, ys, inputs })
    }
}

/// The Playground's data sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Playground {
    /// A disc of one class inside a ring of the other.
    Circle,
    /// The four quadrants, alternating classes.
    Xor,
    /// Two Gaussian blobs.
    Gaussian,
    /// Two interleaved spirals.
    Spiral,
}

impl fmt::Display for Playground {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Playground::Circle => "circle",
            Playground::Xor => "XOR",
            Playground::Gaussian => "Gaussian blobs",
            Playground::Spiral => "spiral",
        })
    }
}

fn normal(rng: &mut ChaCha8Rng) -> f64 {
    // Box–Muller.
    let u: f64 = rng.gen_range(f64::EPSILON..1.0);
    let v: f64 = rng.gen();
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

impl Playground {
    /// All four, in the Playground's order.
    pub const ALL: [Playground; 4] = [
        Playground::Circle,
        Playground::Xor,
        Playground::Gaussian,
        Playground::Spiral,
    ];

    /// `n` points (half of each class) with `noise` (0 for none, 0.5 for a lot), the same
    /// points for the same `seed`. Coordinates lie roughly in −6..6, as in the Playground.
    ///
    /// ```
    /// use dlintro::playground::Playground;
    /// let spiral = Playground::Spiral.generate(200, 0.0, 1)?;
    /// assert_eq!(spiral.x.nrows(), 200);
    /// assert_eq!(spiral.y.iter().filter(|&&c| c == 1).count(), 100);
    /// # Ok::<(), dlintro::Error>(())
    /// ```
    pub fn generate(&self, n: usize, noise: f64, seed: u64) -> Result<Points> {
        const F: &str = "Playground::generate";
        if n < 2 {
            return Err(Error::invalid(
                F,
                "n",
                format!("is {n}, expected at least 2 points"),
            ));
        }
        if !(0.0..=1.0).contains(&noise) {
            return Err(Error::invalid(
                F,
                "noise",
                format!("is {noise}, expected a number from 0 to 1"),
            ));
        }
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut x = Array2::zeros((n, 2));
        let mut y = vec![0; n];
        for i in 0..n {
            let class = usize::from(i >= n / 2);
            let (a, b) = match self {
                Playground::Circle => {
                    let radius = 5.0;
                    let r = if class == 0 {
                        rng.gen_range(0.0..0.5 * radius)
                    } else {
                        rng.gen_range(0.7 * radius..radius)
                    };
                    let angle = rng.gen_range(0.0..std::f64::consts::TAU);
                    let jitter = noise * radius;
                    (
                        r * angle.cos() + rng.gen_range(-1.0..=1.0) * jitter,
                        r * angle.sin() + rng.gen_range(-1.0..=1.0) * jitter,
                    )
                }
                Playground::Xor => {
                    let pad = 0.3;
                    let mut a: f64 = rng.gen_range(-5.0..5.0);
                    let mut b: f64 = rng.gen_range(-5.0..5.0);
                    a += if a > 0.0 { pad } else { -pad };
                    b += if b > 0.0 { pad } else { -pad };
                    // Class 1 where the signs differ (the second and fourth quadrants).
                    let signs_differ = a * b < 0.0;
                    y[i] = usize::from(signs_differ);
                    x[[i, 0]] = a + rng.gen_range(-1.0..=1.0) * noise * 5.0;
                    x[[i, 1]] = b + rng.gen_range(-1.0..=1.0) * noise * 5.0;
                    continue;
                }
                Playground::Gaussian => {
                    let centre = if class == 0 { 2.0 } else { -2.0 };
                    let spread = 0.5 + 3.5 * noise;
                    (
                        centre + normal(&mut rng) * spread,
                        centre + normal(&mut rng) * spread,
                    )
                }
                Playground::Spiral => {
                    let per_class = n / 2;
                    let k = if class == 0 { i } else { i - per_class };
                    let r = k as f64 / per_class.max(1) as f64 * 5.0;
                    let t = 1.75 * k as f64 / per_class.max(1) as f64 * std::f64::consts::TAU
                        + if class == 0 {
                            0.0
                        } else {
                            std::f64::consts::PI
                        };
                    (
                        r * t.sin() + rng.gen_range(-1.0..=1.0) * noise,
                        r * t.cos() + rng.gen_range(-1.0..=1.0) * noise,
                    )
                }
            };
            x[[i, 0]] = a;
            x[[i, 1]] = b;
            y[i] = class;
        }
        Points::new(x, y)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn playground_sets_are_balanced_and_seeded() {
        for set in [
            Playground::Circle,
            Playground::Xor,
            Playground::Gaussian,
            Playground::Spiral,
        ] {
            let a = set.generate(100, 0.1, 3).unwrap();
            assert_eq!(a, set.generate(100, 0.1, 3).unwrap(), "{set:?}");
            assert_eq!(a.x.dim(), (100, 2));
            let ones = a.y.iter().filter(|&&c| c == 1).count();
            assert!((30..=70).contains(&ones), "{set:?}: {ones}");
        }
        assert!(Playground::Spiral.generate(100, 2.0, 1).is_err());
    }

    #[test]
    fn bad_feature_lists_are_named() {
        let points = Playground::Circle.generate(10, 0.0, 1).unwrap();
        let e = points.features(&[]).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("Points::features: `features` is empty"),
            "{e}"
        );
        let e = points
            .features(&[Feature::X1, Feature::X1X2, Feature::X1])
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "Points::features: `features` lists x₁ twice (positions 0 and 2), expected each \
             feature once"
        );
    }

    #[test]
    fn a_split_keeps_each_class_share_and_the_features() {
        let points = Playground::Circle
            .generate(200, 0.1, 2)
            .unwrap()
            .features(&[Feature::X1Squared])
            .unwrap();
        let (train, test) = points.split(0.3, 7).unwrap();
        assert_eq!((train.len(), test.len()), (140, 60));
        assert_eq!(test.y.iter().filter(|&&c| c == 1).count(), 30);
        assert_eq!(train.inputs(), [Feature::X1Squared]);
        assert_eq!((train.clone(), test.clone()), points.split(0.3, 7).unwrap());
        // Every point lands in exactly one part.
        let mut all: Vec<(u64, u64)> = train
            .x
            .rows()
            .into_iter()
            .chain(test.x.rows())
            .map(|r| (r[0].to_bits(), r[1].to_bits()))
            .collect();
        let mut original: Vec<(u64, u64)> = points
            .x
            .rows()
            .into_iter()
            .map(|r| (r[0].to_bits(), r[1].to_bits()))
            .collect();
        all.sort();
        original.sort();
        assert_eq!(all, original);
        let e = points.split(1.0, 1).unwrap_err();
        assert!(
            e.to_string().contains("expected a number between 0 and 1"),
            "{e}"
        );
    }

    #[test]
    fn the_grid_covers_the_bounds_with_the_chosen_features() {
        let points = Points::new(ndarray::arr2(&[[0.0, 0.0], [10.0, 20.0]]), vec![0, 1])
            .unwrap()
            .features(&[Feature::X2, Feature::X1X2])
            .unwrap();
        let grid = points.grid(3).unwrap();
        // Bounds with 5 % room: x₁ in −0.5..10.5, x₂ in −1..21.
        assert_eq!(grid.xs, [-0.5, 5.0, 10.5]);
        assert_eq!(grid.ys, [-1.0, 10.0, 21.0]);
        assert_eq!(grid.inputs.size(), [9, 2]);
        // Row by row from the bottom: cell 5 is (x₁, x₂) = (10.5, 10).
        assert_eq!(grid.inputs.double_value(&[5, 0]), 10.0);
        assert_eq!(grid.inputs.double_value(&[5, 1]), 105.0);
        assert!(points.grid(1).is_err());
    }

    #[test]
    fn xor_is_class_1_where_the_signs_differ() {
        let points = Playground::Xor.generate(200, 0.0, 5).unwrap();
        for (row, &class) in points.x.rows().into_iter().zip(&points.y) {
            assert_eq!(class == 1, row[0] * row[1] < 0.0, "{row} is class {class}");
        }
    }
}
