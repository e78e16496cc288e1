//! The figure of the gradient-descent slide: the loss over the weight, with descent paths.

use std::ops::Range;

use plotters::prelude::*;

use crate::convert::linspace;
use crate::error::{Error, Result};
use crate::plot::{check_range, class_color, plot_error, render, style, Figure, Ticks, SAMPLES};

use super::Step;

/// The loss as a curve over the weight, with gradient descent paths drawn on it: each step a
/// dot, joined in order. Paths that leave the picture (a learning rate that is too large)
/// are drawn until they do. A notebook calls it `plot::descent` (see the prelude).
///
/// ```
/// use dlintro::descent::{example_loss, figure, gradient_descent};
/// let loss = |w: f64| example_loss(&tch::Tensor::from(w)).double_value(&[]);
/// let path = gradient_descent(example_loss, -0.5, 0.06, 10)?;
/// let figure = figure(loss, -1.0..5.0, &[("rate 0.06", &path)])?;
/// assert!(figure.svg().contains("rate 0.06"));
/// # Ok::<(), dlintro::Error>(())
/// ```
pub fn figure(
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
        let x_ticks = Ticks::new(&range, style.x_ticks(root), false);
        let y_ticks = Ticks::new(&y_range, style.y_ticks(root), false);
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
            .x_labels(x_ticks.count)
            .y_labels(y_ticks.count)
            .x_label_formatter(&|v| x_ticks.label(v))
            .y_label_formatter(&|v| y_ticks.label(v))
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
    use crate::descent::{example_loss, gradient_descent};
    use crate::plot::tests_support::save;

    #[test]
    fn descent_paths_are_drawn_on_the_loss_curve() {
        let loss = |w: f64| example_loss(&tch::Tensor::from(w)).double_value(&[]);
        let good = gradient_descent(example_loss, -0.5, 0.06, 10).unwrap();
        let large = gradient_descent(example_loss, -0.5, 0.14, 10).unwrap();
        let figure = figure(loss, -1.0..5.0, &[("good", &good), ("too large", &large)]).unwrap();
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
}
