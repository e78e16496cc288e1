//! Gradient descent on one weight: the "How do Neural Networks learn?" slide.
//!
//! Training is walking downhill on the loss: measure the slope of the loss at the current
//! weight (autograd does it, as for a whole network), take a step against it, as long as the
//! learning rate says, and repeat. The lesson of notebook 03 (deep networks): the maths
//! here, and its [`figure`] of descent paths on the loss curve (`plot::descent` in a
//! notebook, through the prelude).

mod figure;

use tch::{Kind, Tensor};

use crate::error::{Error, Result};

pub use figure::figure;

/// The inputs of the one-weight example: `ŷ = w·x` should learn `y = 2x`.
const EXAMPLE_X: [f64; 4] = [1.0, 2.0, 3.0, 4.0];
/// The weight the example's data were made with.
const EXAMPLE_W: f64 = 2.0;

/// The one-weight example's loss at `w`: the mean squared error of `w·x` against `2x`, as a
/// tensor autograd can differentiate (when `w` requires a gradient).
///
/// ```
/// let w = tch::Tensor::from(2.0f64);
/// assert_eq!(dlintro::descent::example_loss(&w).double_value(&[]), 0.0);
/// ```
pub fn example_loss(w: &Tensor) -> Tensor {
    let x = Tensor::from_slice(&EXAMPLE_X);
    let y = &x * EXAMPLE_W;
    (x * w - y).square().mean(Kind::Double)
}

/// One step of gradient descent: where it started, the loss there and the slope.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    /// The weight.
    pub w: f64,
    /// The loss at `w`.
    pub loss: f64,
    /// The slope of the loss at `w`, from autograd.
    pub gradient: f64,
}

/// The slope of `loss` at `w` by autograd: `loss(w).backward()`, then `w.grad()`.
///
/// ```
/// use dlintro::descent::{example_loss, gradient};
/// // d/dw mean((w·x − 2x)²) = 2·mean(x²)·(w − 2) = 15·(w − 2)
/// assert_eq!(gradient(example_loss, 0.5)?, -22.5);
/// # Ok::<(), dlintro::Error>(())
/// ```
pub fn gradient(loss: impl Fn(&Tensor) -> Tensor, w: f64) -> Result<f64> {
    Ok(measure(&loss, w)?.gradient)
}

fn measure(loss: &impl Fn(&Tensor) -> Tensor, w: f64) -> Result<Step> {
    const F: &str = "descent::gradient";
    let weight = Tensor::from(w).set_requires_grad(true);
    let value = loss(&weight);
    if value.numel() != 1 {
        return Err(Error::invalid(
            F,
            "loss",
            format!(
                "returned a tensor of shape {:?}, expected a single number (take the mean)",
                value.size()
            ),
        ));
    }
    if !value.requires_grad() {
        return Err(Error::invalid(
            F,
            "loss",
            "does not depend on the weight it is given, expected a function of w",
        ));
    }
    value.f_backward().map_err(|e| Error::torch(F, e))?;
    let gradient = weight.grad();
    Ok(Step {
        w,
        loss: value.double_value(&[]),
        gradient: gradient.double_value(&[]),
    })
}

/// The slope of `loss` at `w` measured without calculus: `(loss(w + h) − loss(w − h)) / 2h`.
///
/// ```
/// let slope = dlintro::descent::finite_difference(|w| (w - 1.0) * (w - 1.0), 3.0, 1e-4);
/// assert!((slope - 4.0).abs() < 1e-8);
/// ```
pub fn finite_difference(loss: impl Fn(f64) -> f64, w: f64, h: f64) -> f64 {
    (loss(w + h) - loss(w - h)) / (2.0 * h)
}

/// `steps` steps of gradient descent on `loss` from `start`: each step measures the slope by
/// autograd and moves the weight by `−learning_rate · slope`. Returns every step, the last
/// one being where descent ended (`steps + 1` in all).
///
/// ```
/// use dlintro::descent::{example_loss, gradient_descent};
/// let path = gradient_descent(example_loss, 0.0, 0.05, 20)?;
/// assert!((path.last().unwrap().w - 2.0).abs() < 1e-3);
/// # Ok::<(), dlintro::Error>(())
/// ```
pub fn gradient_descent(
    loss: impl Fn(&Tensor) -> Tensor,
    start: f64,
    learning_rate: f64,
    steps: usize,
) -> Result<Vec<Step>> {
    const F: &str = "descent::gradient_descent";
    if !(learning_rate.is_finite() && learning_rate > 0.0) {
        return Err(Error::invalid(
            F,
            "learning_rate",
            format!("is {learning_rate}, expected a number > 0 (e.g. 0.01)"),
        ));
    }
    if !start.is_finite() {
        return Err(Error::invalid(
            F,
            "start",
            format!("is {start}, expected a finite weight"),
        ));
    }
    let mut path = vec![measure(&loss, start)?];
    for _ in 0..steps {
        let last = path.last().expect("the start");
        let w = last.w - learning_rate * last.gradient;
        if !w.is_finite() {
            break;
        }
        path.push(measure(&loss, w)?);
    }
    Ok(path)
}

/// Whether a descent went downhill: its last loss below its first.
pub fn converges(path: &[Step]) -> bool {
    matches!((path.first(), path.last()), (Some(a), Some(b)) if b.loss < a.loss)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn autograd_and_the_finite_difference_agree() {
        for w in [-1.0, 0.5, 2.0, 4.5] {
            let by_autograd = gradient(example_loss, w).unwrap();
            let by_hand = 15.0 * (w - 2.0); // 2·mean(x²)·(w − 2), mean(x²) = 7.5
            assert!((by_autograd - by_hand).abs() < 1e-12, "{w}: {by_autograd}");
            let numeric = finite_difference(
                |w| example_loss(&Tensor::from(w)).double_value(&[]),
                w,
                1e-5,
            );
            assert!((numeric - by_hand).abs() < 1e-6, "{w}: {numeric}");
        }
    }

    #[test]
    fn small_rates_crawl_good_ones_converge_large_ones_diverge() {
        // Each step multiplies the distance to 2 by (1 − 15·rate): below 2/15 it shrinks.
        let small = gradient_descent(example_loss, -0.5, 0.005, 10).unwrap();
        let good = gradient_descent(example_loss, -0.5, 0.06, 10).unwrap();
        let large = gradient_descent(example_loss, -0.5, 0.14, 10).unwrap();
        assert_eq!(good.len(), 11);
        let distance = |p: &[Step]| (p.last().unwrap().w - 2.0).abs();
        assert!((distance(&small) - 2.5 * 0.925f64.powi(10)).abs() < 1e-9);
        assert!(distance(&good) < 1e-9);
        assert!((distance(&large) - 2.5 * 1.1f64.powi(10)).abs() < 1e-9);
        assert!(converges(&small) && converges(&good) && !converges(&large));
    }

    #[test]
    fn bad_inputs_are_named() {
        let e = gradient_descent(example_loss, 0.0, -1.0, 3).unwrap_err();
        assert_eq!(
            e.to_string(),
            "descent::gradient_descent: `learning_rate` is -1, expected a number > 0 (e.g. 0.01)"
        );
        let e = gradient(
            |w| w * Tensor::ones([3], (Kind::Double, tch::Device::Cpu)),
            1.0,
        )
        .unwrap_err();
        assert!(e.to_string().contains("expected a single number"), "{e}");
        let e = gradient(|_| Tensor::from(1.0f64), 1.0).unwrap_err();
        assert!(
            e.to_string().contains("does not depend on the weight"),
            "{e}"
        );
    }
}
