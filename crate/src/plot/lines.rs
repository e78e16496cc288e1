//! Line plots: one or several named series with a title, axis labels and a legend.

use std::ops::Range;

use plotters::prelude::*;

use crate::convert::linspace;
use crate::error::{Error, Result};
use crate::plot::{bounds, check_range, plot_error, render, style, Area, Figure, Ticks, SAMPLES};

/// One named line of a plot: points in x order.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The name shown in the legend.
    pub name: String,
    /// The points `(x, y)`.
    pub points: Vec<(f64, f64)>,
}

impl Series {
    /// Samples `f` evenly over `range` (start < end, both finite).
    ///
    /// ```
    /// let square = dlintro::plot::Series::from_fn("x²", -2.0..2.0, |x| x * x)?;
    /// assert_eq!(square.points.first(), Some(&(-2.0, 4.0)));
    /// assert_eq!(square.points.last(), Some(&(2.0, 4.0)));
    /// # Ok::<(), dlintro::Error>(())
    /// ```
    pub fn from_fn(name: &str, range: Range<f64>, f: impl Fn(f64) -> f64) -> Result<Series> {
        check_range("plot::Series::from_fn", &range)?;
        let points = linspace(&range, SAMPLES)
            .into_iter()
            .map(|x| (x, f(x)))
            .collect();
        Ok(Series {
            name: name.to_string(),
            points,
        })
    }

    /// The values in order, at x = 1, 2, 3, …: a column plotted against its row number, as
    /// pandas' `df["BASEL_sunshine"].plot()` does (counted from 1, as days and epochs are).
    ///
    /// ```
    /// let sunshine = dlintro::plot::Series::numbered("sunshine", &[0.5, 7.25, 3.0]);
    /// assert_eq!(sunshine.points, [(1.0, 0.5), (2.0, 7.25), (3.0, 3.0)]);
    /// ```
    pub fn numbered(name: &str, values: &[f64]) -> Series {
        Series {
            name: name.to_string(),
            points: (1..).map(f64::from).zip(values.iter().copied()).collect(),
        }
    }
}

/// Line plot of one or several series with a title, axis labels and a legend.
///
/// ```
/// use dlintro::plot::{lines, Series};
/// let figure = lines(
///     "A parabola",
///     "x",
///     "y",
///     &[Series::from_fn("x²", -2.0..2.0, |x| x * x)?],
/// )?;
/// assert!(figure.svg().contains("A parabola"));
/// # Ok::<(), dlintro::Error>(())
/// ```
pub fn lines(title: &str, x_label: &str, y_label: &str, series: &[Series]) -> Result<Figure> {
    check_series("plot::lines", series)?;
    render(title, style().size(), |root| {
        draw_lines(root, title, x_label, y_label, series)
    })
}

pub(crate) fn check_series(function: &'static str, series: &[Series]) -> Result<()> {
    if series.is_empty() || series.iter().all(|s| s.points.is_empty()) {
        return Err(Error::invalid(
            function,
            "series",
            "has no points, expected at least one series with points",
        ));
    }
    let points = series.iter().flat_map(|s| s.points.iter().copied());
    if let Some((x, y)) = points
        .clone()
        .find(|&(x, y)| !(x.is_finite() && y.is_finite()))
    {
        return Err(Error::invalid(
            function,
            "series",
            format!("has the point ({x}, {y}), expected finite numbers"),
        ));
    }
    Ok(())
}

/// Lines with a title, axis labels and a legend, on one drawing area.
pub(crate) fn draw_lines(
    area: &Area<'_>,
    title: &str,
    x_label: &str,
    y_label: &str,
    series: &[Series],
) -> Result<()> {
    let (x_range, y_range) = bounds(series.iter().flat_map(|s| s.points.iter().copied()));
    let style = style();
    let points = || series.iter().flat_map(|s| s.points.iter().copied());
    let x_ticks = Ticks::for_values(&x_range, style.x_ticks(area), points().map(|p| p.0));
    let y_ticks = Ticks::for_values(&y_range, style.y_ticks(area), points().map(|p| p.1));
    let mut chart = ChartBuilder::on(area)
        .caption(title, style.title())
        .margin(16)
        .x_label_area_size(style.x_label_area())
        .y_label_area_size(style.y_label_area(4))
        .build_cartesian_2d(x_range.clone(), y_range.clone())
        .map_err(plot_error(title))?;
    chart
        .configure_mesh()
        .x_desc(x_label)
        .y_desc(y_label)
        .x_labels(x_ticks.count)
        .y_labels(y_ticks.count)
        .x_label_formatter(&|v| x_ticks.label(v))
        .y_label_formatter(&|v| y_ticks.label(v))
        .label_style(style.ticks())
        .axis_desc_style(style.text())
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(plot_error(title))?;
    for (i, s) in series.iter().enumerate() {
        let color = Palette99::pick(i).to_rgba();
        chart
            .draw_series(LineSeries::new(
                s.points.iter().copied(),
                color.stroke_width(3),
            ))
            .map_err(plot_error(title))?
            .label(s.name.as_str())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 24, y)], color.stroke_width(3))
            });
    }
    chart
        .configure_series_labels()
        .position(legend_position(series, &x_range, &y_range))
        .label_font(style.text())
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()
        .map_err(plot_error(title))?;
    Ok(())
}

/// The corner where the legend covers the fewest points of the lines.
fn legend_position(
    series: &[Series],
    x_range: &Range<f64>,
    y_range: &Range<f64>,
) -> SeriesLabelPosition {
    // The legend takes about the top or bottom fifth and a third of the width.
    let (w, h) = (x_range.end - x_range.start, y_range.end - y_range.start);
    let candidates = [
        (SeriesLabelPosition::UpperLeft, 0.0, 1.0),
        (SeriesLabelPosition::UpperRight, 2.0 / 3.0, 1.0),
        (SeriesLabelPosition::UpperMiddle, 1.0 / 3.0, 1.0),
        (SeriesLabelPosition::LowerRight, 2.0 / 3.0, 0.0),
        (SeriesLabelPosition::LowerLeft, 0.0, 0.0),
    ];
    let covered = |left: f64, top: f64| {
        let x0 = x_range.start + left * w;
        let (y0, y1) = if top == 1.0 {
            (y_range.end - 0.25 * h, y_range.end)
        } else {
            (y_range.start, y_range.start + 0.25 * h)
        };
        series
            .iter()
            .flat_map(|s| s.points.iter())
            .filter(|(x, y)| (x0..=x0 + w / 3.0).contains(x) && (y0..=y1).contains(y))
            .count()
    };
    candidates
        .into_iter()
        .min_by_key(|&(_, left, top)| covered(left, top))
        .map(|(position, _, _)| position)
        .unwrap_or(SeriesLabelPosition::UpperLeft)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_from_fn_samples_the_whole_range() {
        let s = Series::from_fn("relu", -1.0..1.0, |x| x.max(0.0)).unwrap();
        assert_eq!(s.points.len(), SAMPLES);
        assert_eq!(s.points[0], (-1.0, 0.0));
        assert_eq!(s.points[SAMPLES - 1], (1.0, 1.0));
    }

    #[test]
    fn lines_draws_title_labels_and_legend() {
        let a = Series::from_fn("sigmoid", -5.0..5.0, |x| 1.0 / (1.0 + (-x).exp())).unwrap();
        let b = Series::from_fn("linear", -5.0..5.0, |x| x).unwrap();
        let figure = lines("Activations", "input x", "output", &[a, b.clone()]).unwrap();
        let svg = figure.svg();
        assert!(svg.starts_with("<svg"), "{}", &svg[..40]);
        for text in ["Activations", "input x", "output", "sigmoid", "linear"] {
            assert!(svg.contains(text), "the SVG lacks {text:?}");
        }
        let one = lines("Activations", "input x", "output", std::slice::from_ref(&b)).unwrap();
        let polylines = |f: &Figure| f.svg().matches("<polyline").count();
        assert_eq!(
            polylines(&figure) - polylines(&one),
            2,
            "a line and a legend mark more"
        );
        std::fs::create_dir_all("../target/figures").unwrap();
        figure.save("../target/figures/plot-test.svg").unwrap();
    }

    #[test]
    fn lines_rejects_empty_and_non_finite_series() {
        let error = lines("t", "x", "y", &[]).unwrap_err();
        assert!(error
            .to_string()
            .starts_with("plot::lines: `series` has no points"));
        let nan = Series {
            name: "bad".into(),
            points: vec![(0.0, f64::NAN)],
        };
        let error = lines("t", "x", "y", &[nan]).unwrap_err();
        assert!(error.to_string().contains("(0, NaN)"), "{error}");
    }
}
