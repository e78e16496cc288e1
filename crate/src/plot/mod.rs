//! Figures, drawn with plotters and shown inline in the kernel: the last step of the flow
//! data → model → training → metrics → plots. Plots draw what other modules computed; none
//! of them trains a model.
//!
//! Every plot helper returns a [`Figure`]; a cell that ends with one shows it inline (see
//! [`crate::display`]).
//!
//! | module | figures |
//! |---|---|
//! | [`lines`](mod@lines) | [`lines()`], [`Series`] |
//! | [`exercises`] | [`activation`], [`squared_vs_huber`], [`descent()`] |
//! | [`training`] | [`history`], [`metric_history`], [`learning_curve`], [`compare`] |
//! | [`regression`] | [`predictions`]: predicted against true values |
//! | [`confusion`] | [`confusion_matrix`] |
//! | [`pairs`](mod@pairs) | [`pairs()`] |
//! | [`boundary`] | [`decision_boundary`], [`boundary_animation`] |
//! | [`network`] | [`model()`]: a model's architecture |
//! | [`neurons`](mod@neurons) | [`neurons()`]: every hidden neuron's map, as the Playground's middle panel |
//! | [`images`](mod@images) | [`images()`]: a grid of small images, predictions marked |

pub mod boundary;
pub mod confusion;
pub mod exercises;
pub mod images;
pub mod lines;
pub mod network;
pub mod neurons;
pub mod pairs;
pub mod regression;
pub mod training;

use std::ops::Range;

use plotters::prelude::*;

pub use crate::display::{Animation, Figure};
use crate::error::{Error, Result};
pub use boundary::{boundary_animation, decision_boundary};
pub use confusion::confusion_matrix;
pub use exercises::{activation, descent, squared_vs_huber};
pub use images::images;
pub use lines::{lines, Series};
pub use network::model;
pub use neurons::neurons;
pub use pairs::pairs;
pub use regression::predictions;
pub use training::{compare, history, learning_curve, metric_history};

/// Size of every figure in pixels: readable on a projector, fits a notebook column.
pub(crate) const SIZE: (u32, u32) = (800, 500);

/// How many points a function is sampled at over its range.
pub(crate) const SAMPLES: usize = 400;

pub(crate) fn check_range(function: &'static str, range: &Range<f64>) -> Result<()> {
    if !(range.start.is_finite() && range.end.is_finite()) {
        return Err(Error::invalid(
            function,
            "range",
            format!("is {}..{}, expected finite numbers", range.start, range.end),
        ));
    }
    if range.start >= range.end {
        return Err(Error::invalid(
            function,
            "range",
            format!(
                "is {}..{}, expected start < end (e.g. -5.0..5.0)",
                range.start, range.end
            ),
        ));
    }
    Ok(())
}

pub(crate) type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;

/// Maps any drawing error to [`Error::Plot`] for the figure `title`.
pub(crate) fn plot_error<E: std::error::Error>(title: &str) -> impl Fn(E) -> Error + '_ {
    move |e| Error::Plot {
        title: title.to_string(),
        message: e.to_string(),
    }
}

/// Draws into a white SVG of `size` and wraps it as a [`Figure`]: the one way every plot of
/// the crate is made.
pub(crate) fn render(
    title: &str,
    size: (u32, u32),
    draw: impl FnOnce(&Area<'_>) -> Result<()>,
) -> Result<Figure> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&WHITE).map_err(plot_error(title))?;
        draw(&root)?;
        root.present().map_err(plot_error(title))?;
    }
    Ok(Figure::new(title, svg, size))
}

/// Light and strong colours for class `i`.
pub(crate) fn class_color(i: usize) -> RGBColor {
    const COLORS: [RGBColor; 6] = [
        RGBColor(31, 119, 180),
        RGBColor(255, 127, 14),
        RGBColor(44, 160, 44),
        RGBColor(214, 39, 40),
        RGBColor(148, 103, 189),
        RGBColor(140, 86, 75),
    ];
    COLORS[i % COLORS.len()]
}

/// Axis ranges that hold every point with a little room around them.
pub(crate) fn bounds(points: impl Iterator<Item = (f64, f64)>) -> (Range<f64>, Range<f64>) {
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for (x, y) in points {
        x0 = x0.min(x);
        x1 = x1.max(x);
        y0 = y0.min(y);
        y1 = y1.max(y);
    }
    let pad = |lo: f64, hi: f64, fraction: f64| {
        let room = if hi > lo { (hi - lo) * fraction } else { 0.5 };
        (lo - room)..(hi + room)
    };
    (pad(x0, x1, 0.0), pad(y0, y1, 0.08))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_backwards_range_is_an_error_that_names_it() {
        let error = Series::from_fn("f", 5.0..-5.0, |x| x).unwrap_err();
        assert_eq!(
            error.to_string(),
            "plot::Series::from_fn: `range` is 5..-5, expected start < end (e.g. -5.0..5.0)"
        );
        let error = Series::from_fn("f", 0.0..f64::INFINITY, |x| x).unwrap_err();
        assert!(error.to_string().contains("expected finite numbers"));
    }
}

#[cfg(test)]
pub(crate) mod tests_support {
    use super::Figure;

    /// Writes a test's figure to `target/figures/` for a person to look at.
    pub(crate) fn save(figure: &Figure, name: &str) {
        std::fs::create_dir_all("../target/figures").unwrap();
        figure
            .save(format!("../target/figures/{name}.svg"))
            .unwrap();
    }
}
