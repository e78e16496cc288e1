//! The TensorFlow Playground's data sets: points in the plane in two classes.

use std::ops::Range;

use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tch::Tensor;

use crate::convert::{labels_to_i64_tensor, to_f32_tensor};
use crate::error::{Error, Result};

/// A data set of the TensorFlow Playground: two features per point and a class, 0 or 1.
#[derive(Debug, Clone, PartialEq)]
pub struct Points {
    /// `[n, 2]` coordinates.
    pub x: Array2<f64>,
    /// The class of each point, 0 or 1.
    pub y: Vec<usize>,
}

impl Points {
    /// The features as a `[n, 2]` float tensor and the classes as Int64, on `device`.
    pub fn tensors(&self, device: tch::Device) -> Result<(Tensor, Tensor)> {
        Ok((
            to_f32_tensor(&self.x, device)?,
            labels_to_i64_tensor(&self.y, device)?,
        ))
    }
}

impl Points {
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

fn normal(rng: &mut ChaCha8Rng) -> f64 {
    // Box–Muller.
    let u: f64 = rng.gen_range(f64::EPSILON..1.0);
    let v: f64 = rng.gen();
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

impl Playground {
    /// `n` points (half of each class) with `noise` (0 for none, 0.5 for a lot), the same
    /// points for the same `seed`. Coordinates lie roughly in −6..6, as in the Playground.
    ///
    /// ```
    /// use dlintro::data::Playground;
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
        Ok(Points { x, y })
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
    fn xor_is_class_1_where_the_signs_differ() {
        let points = Playground::Xor.generate(200, 0.0, 5).unwrap();
        for (row, &class) in points.x.rows().into_iter().zip(&points.y) {
            assert_eq!(class == 1, row[0] * row[1] < 0.0, "{row} is class {class}");
        }
    }
}
