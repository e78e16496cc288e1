//! How good a regression's predictions are, at a glance: predicted against true values.

use plotters::prelude::*;
use tch::{Kind, Tensor};

use crate::error::{Error, Result};
use crate::plot::{class_color, plot_error, render, Figure, Ticks};

/// The values of a tensor as `f64`s, on the CPU, checked to be finite.
fn values(function: &'static str, argument: &'static str, t: &Tensor) -> Result<Vec<f64>> {
    let flat = t
        .f_to_kind(Kind::Double)
        .and_then(|t| t.f_to_device(tch::Device::Cpu))
        .and_then(|t| t.f_reshape([-1]))
        .map_err(|e| Error::torch(function, e))?;
    let v = Vec::<f64>::try_from(&flat).map_err(|e| Error::torch(function, e))?;
    crate::convert::finite(function, argument, v.iter().copied())?;
    Ok(v)
}

/// Predicted against true values, one dot per sample, with the diagonal where a prediction
/// equals the truth: points near it are good predictions, points far above or below it are
/// bad ones. `quantity` names what was predicted, with its unit ("sunshine hours"); the axes
/// read "predicted …" and "true …". Both axes share one range, so the diagonal is at 45°.
///
/// ```
/// use dlintro::tch::Tensor;
/// let y_true = Tensor::from_slice(&[1.0, 4.0, 9.0]);
/// let y_pred = Tensor::from_slice(&[2.0, 4.5, 7.0]);
/// let figure = dlintro::plot::predictions(&y_true, &y_pred, "Predictions on the test set", "sunshine hours")?;
/// assert!(figure.svg().contains("predicted sunshine hours"));
/// # Ok::<(), dlintro::Error>(())
/// ```
pub fn predictions(
    y_true: &Tensor,
    y_pred: &Tensor,
    title: &str,
    quantity: &str,
) -> Result<Figure> {
    const F: &str = "plot::predictions";
    let truth = values(F, "y_true", y_true)?;
    let predicted = values(F, "y_pred", y_pred)?;
    crate::convert::not_empty(F, "y_true", truth.len())?;
    if truth.len() != predicted.len() {
        return Err(Error::invalid(
            F,
            "y_pred",
            format!(
                "has {} values, expected {}, one per value of y_true",
                predicted.len(),
                truth.len()
            ),
        ));
    }
    let (lo, hi) = truth
        .iter()
        .chain(&predicted)
        .fold((f64::MAX, f64::MIN), |(a, b), &v| (a.min(v), b.max(v)));
    let pad = if hi > lo { (hi - lo) * 0.05 } else { 0.5 };
    let range = (lo - pad)..(hi + pad);
    render(title, (640, 600), |root| {
        let ticks = Ticks::new(&range, 8, false);
        let mut chart = ChartBuilder::on(root)
            .caption(title, ("sans-serif", 30))
            .margin(16)
            .x_label_area_size(50)
            .y_label_area_size(70)
            .build_cartesian_2d(range.clone(), range.clone())
            .map_err(plot_error(title))?;
        chart
            .configure_mesh()
            .x_desc(format!("predicted {quantity}"))
            .y_desc(format!("true {quantity}"))
            .x_labels(ticks.count)
            .y_labels(ticks.count)
            .x_label_formatter(&|v| ticks.label(v))
            .y_label_formatter(&|v| ticks.label(v))
            .label_style(("sans-serif", 18))
            .axis_desc_style(("sans-serif", 22))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(plot_error(title))?;
        let dots = class_color(0).mix(0.5).filled();
        chart
            .draw_series(
                predicted
                    .iter()
                    .zip(&truth)
                    .map(|(&p, &t)| Circle::new((p, t), 4, dots)),
            )
            .map_err(plot_error(title))?
            .label(format!("{} samples", truth.len()))
            .legend(move |(x, y)| Circle::new((x + 12, y), 5, dots));
        let diagonal = BLACK.stroke_width(2);
        chart
            .draw_series(LineSeries::new(
                [(range.start, range.start), (range.end, range.end)],
                diagonal,
            ))
            .map_err(plot_error(title))?
            .label("predicted = true")
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], diagonal));
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .label_font(("sans-serif", 20))
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .draw()
            .map_err(plot_error(title))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::tests_support::save;

    #[test]
    fn predictions_draw_every_sample_and_the_diagonal() {
        let y_true = Tensor::from_slice(&[0.0f32, 3.0, 7.5, 12.0, 5.0]).view([5, 1]);
        let y_pred = Tensor::from_slice(&[1.0f32, 2.5, 6.0, 10.0, 5.5]).view([5, 1]);
        let figure = predictions(
            &y_true,
            &y_pred,
            "Predictions on the test set",
            "sunshine hours",
        )
        .unwrap();
        save(&figure, "predictions");
        // Hours on both axes: "2", never "2.0".
        assert_eq!(
            crate::plot::tests_support::numbers(&figure),
            ["0", "2", "4", "6", "8", "10", "12", "0", "2", "4", "6", "8", "10", "12"]
        );
        let svg = figure.svg();
        for text in [
            "Predictions on the test set",
            "predicted sunshine hours",
            "true sunshine hours",
            "predicted = true",
            "5 samples",
        ] {
            assert!(svg.contains(text), "lacks {text:?}");
        }
        // Five dots and the legend's one.
        assert_eq!(svg.matches("<circle").count(), 6);
        let e = predictions(&y_true, &y_pred.narrow(0, 0, 3), "t", "q").unwrap_err();
        assert_eq!(
            e.to_string(),
            "plot::predictions: `y_pred` has 3 values, expected 5, one per value of y_true"
        );
        let nan = Tensor::from_slice(&[f64::NAN]);
        let e = predictions(&nan, &nan, "t", "q").unwrap_err();
        assert!(
            e.to_string().starts_with("plot::predictions: `y_true`"),
            "{e}"
        );
    }
}
