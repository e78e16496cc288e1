//! Curves of the crate's functions: an activation with its derivative, squared error
//! against Huber loss.

use std::ops::Range;

use crate::activation::Activation;
use crate::convert::linspace;
use crate::error::{Error, Result};
use crate::loss;
use crate::plot::{check_range, lines, Figure, Series, SAMPLES};

/// An activation function and its derivative over `range`, the derivative computed by
/// autograd. Softmax is drawn as the first output of softmax([x, 0]): the probability of class
/// 0 when the other class scores 0, which is the sigmoid.
///
/// ```
/// use dlintro::{activation::Activation, plot};
/// let figure = plot::activation(Activation::Relu, -3.0..3.0)?;
/// assert!(figure.svg().contains("ReLU"));
/// # Ok::<(), dlintro::Error>(())
/// ```
pub fn activation(activation: Activation, range: Range<f64>) -> Result<Figure> {
    check_range("plot::activation", &range)?;
    let xs = linspace(&range, SAMPLES);
    let (ys, slopes, label) = if activation == Activation::Softmax {
        // Rows [x, 0]; the derivative of output 0 with respect to input 0.
        let pairs: Vec<f64> = xs.iter().flat_map(|&x| [x, 0.0]).collect();
        let x = tch::Tensor::from_slice(&pairs).view([SAMPLES as i64, 2]);
        let y = activation.apply_tensor(&x)?.select(1, 0);
        let d = activation.derivative_tensor(&x)?.select(1, 0);
        (y, d, "softmax([x, 0])₀".to_string())
    } else {
        let x = tch::Tensor::from_slice(&xs);
        let y = activation.apply_tensor(&x)?;
        let d = activation.derivative_tensor(&x)?;
        (y, d, format!("{activation}(x)"))
    };
    let to_points = |t: &tch::Tensor| -> Result<Vec<(f64, f64)>> {
        let values = Vec::<f64>::try_from(t).map_err(|e| Error::torch("plot::activation", e))?;
        Ok(xs.iter().copied().zip(values).collect())
    };
    let series = [
        Series {
            name: label,
            points: to_points(&ys)?,
        },
        Series {
            name: "derivative (autograd)".to_string(),
            points: to_points(&slopes)?,
        },
    ];
    let mut title = activation.to_string();
    title[..1].make_ascii_uppercase();
    lines(
        &format!("{title} and its derivative"),
        "input x",
        "output",
        &series,
    )
}

/// Squared error against Huber loss (with `delta`) as functions of the error
/// `y_true − y_pred` over `range`: where each grows, and how much an outlier costs.
///
/// ```
/// let figure = dlintro::plot::squared_vs_huber(-3.0..3.0, 1.0)?;
/// assert!(figure.svg().contains("Huber"));
/// # Ok::<(), dlintro::Error>(())
/// ```
pub fn squared_vs_huber(range: Range<f64>, delta: f64) -> Result<Figure> {
    check_range("plot::squared_vs_huber", &range)?;
    // Each point is the loss of a single prediction whose error is d: y_true = d, y_pred = 0.
    let curve = |name: String, f: &dyn Fn(f64) -> Result<f64>| -> Result<Series> {
        let points = linspace(&range, SAMPLES)
            .into_iter()
            .map(|d| Ok((d, f(d)?)))
            .collect::<Result<Vec<_>>>()?;
        Ok(Series { name, points })
    };
    let series = [
        curve("squared error".into(), &|d| loss::mse(&[d], &[0.0]))?,
        curve(format!("Huber (delta = {delta})"), &|d| {
            loss::huber(&[d], &[0.0], delta)
        })?,
    ];
    lines(
        "Squared error vs Huber loss",
        "error y_true − y_pred",
        "loss",
        &series,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn activation_plots_show_the_function_and_its_derivative() {
        let figure = activation(Activation::Sigmoid, -5.0..5.0).unwrap();
        for text in [
            "Sigmoid and its derivative",
            "sigmoid(x)",
            "derivative (autograd)",
        ] {
            assert!(figure.svg().contains(text), "lacks {text:?}");
        }
        let figure = activation(Activation::Softmax, -5.0..5.0).unwrap();
        assert!(figure.svg().contains("softmax([x, 0])₀"));
        let error = activation(Activation::Relu, 1.0..1.0).unwrap_err();
        assert!(error
            .to_string()
            .starts_with("plot::activation: `range` is 1..1"));
    }

    #[test]
    fn squared_vs_huber_draws_both_curves() {
        let figure = squared_vs_huber(-3.0..3.0, 1.0).unwrap();
        std::fs::create_dir_all("../target/figures").unwrap();
        figure
            .save("../target/figures/squared-vs-huber.svg")
            .unwrap();
        for text in [
            "squared error",
            "Huber (delta = 1)",
            "error y_true − y_pred",
        ] {
            assert!(figure.svg().contains(text), "lacks {text:?}");
        }
        let error = squared_vs_huber(-3.0..3.0, -1.0).unwrap_err();
        assert_eq!(
            error.to_string(),
            "loss::huber: `delta` is -1, expected a number > 0 (e.g. 1.0)"
        );
    }
}
