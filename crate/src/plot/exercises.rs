//! The exercise figures: an activation with its derivative, squared error against Huber,
//! gradient descent on a loss curve.

use std::ops::Range;

use plotters::prelude::*;

use crate::activation::Activation;
use crate::convert::linspace;
use crate::descent::Step;
use crate::error::{Error, Result};
use crate::loss;
use crate::plot::{
    check_range, class_color, lines, plot_error, render, style, Figure, Series, SAMPLES,
};

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

/// The loss as a curve over the weight, with gradient descent paths drawn on it: each step a
/// dot, joined in order. Paths that leave the picture (a learning rate that is too large)
/// are drawn until they do.
///
/// ```
/// use dlintro::descent::{example_loss, gradient_descent};
/// let loss = |w: f64| example_loss(&tch::Tensor::from(w)).double_value(&[]);
/// let path = gradient_descent(example_loss, -0.5, 0.06, 10)?;
/// let figure = dlintro::plot::descent(loss, -1.0..5.0, &[("rate 0.06", &path)])?;
/// assert!(figure.svg().contains("rate 0.06"));
/// # Ok::<(), dlintro::Error>(())
/// ```
pub fn descent(
    loss: impl Fn(f64) -> f64,
    range: Range<f64>,
    paths: &[(&str, &[Step])],
) -> Result<Figure> {
    const F: &str = "plot::descent";
    check_range(F, &range)?;
    let curve: Vec<(f64, f64)> = linspace(&range, SAMPLES)
        .into_iter()
        .map(|w| (w, loss(w)))
        .collect();
    if let Some((w, l)) = curve.iter().find(|(_, l)| !l.is_finite()) {
        return Err(Error::invalid(
            F,
            "loss",
            format!("is {l} at w = {w}, expected finite numbers over the range"),
        ));
    }
    let top = curve.iter().map(|p| p.1).fold(f64::MIN, f64::max);
    let bottom = curve.iter().map(|p| p.1).fold(f64::MAX, f64::min);
    let y_range = (bottom - 0.05 * (top - bottom))..(top * 1.05);
    let title = "Gradient descent on the loss";
    let style = style();
    render(title, style.size(), |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(title, style.title())
            .margin(16)
            .x_label_area_size(style.x_label_area())
            .y_label_area_size(style.y_label_area(4))
            .build_cartesian_2d(range.clone(), y_range.clone())
            .map_err(plot_error(title))?;
        chart
            .configure_mesh()
            .x_desc("weight w")
            .y_desc("loss (mean squared error)")
            .label_style(style.ticks())
            .axis_desc_style(style.text())
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(plot_error(title))?;
        chart
            .draw_series(LineSeries::new(
                curve.iter().copied(),
                BLACK.stroke_width(2),
            ))
            .map_err(plot_error(title))?
            .label("loss")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], BLACK.stroke_width(2)));
        for (i, (name, path)) in paths.iter().enumerate() {
            let color = class_color(i);
            let inside: Vec<(f64, f64)> = path
                .iter()
                .map(|s| (s.w, s.loss))
                .take_while(|(w, l)| range.contains(w) && y_range.contains(l))
                .collect();
            chart
                .draw_series(LineSeries::new(
                    inside.iter().copied(),
                    color.stroke_width(2),
                ))
                .map_err(plot_error(title))?
                .label(*name)
                .legend(move |(x, y)| Circle::new((x + 12, y), 6, color.filled()));
            chart
                .draw_series(inside.iter().map(|&p| Circle::new(p, 6, color.filled())))
                .map_err(plot_error(title))?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperMiddle)
            .label_font(style.text())
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .draw()
            .map_err(plot_error(title))?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::tests_support::save;

    #[test]
    fn descent_paths_are_drawn_on_the_loss_curve() {
        use crate::descent::{example_loss, gradient_descent};
        let loss = |w: f64| example_loss(&tch::Tensor::from(w)).double_value(&[]);
        let good = gradient_descent(example_loss, -0.5, 0.06, 10).unwrap();
        let large = gradient_descent(example_loss, -0.5, 0.14, 10).unwrap();
        let figure = descent(loss, -1.0..5.0, &[("good", &good), ("too large", &large)]).unwrap();
        save(&figure, "descent");
        for text in [
            "Gradient descent on the loss",
            "weight w",
            "good",
            "too large",
        ] {
            assert!(figure.svg().contains(text), "lacks {text:?}");
        }
        // Every step of the good path is inside the picture; the large one leaves it.
        let dots = figure.svg().matches("<circle").count();
        assert!((11 + 2..11 + 11 + 2).contains(&dots), "{dots} dots");
    }

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
