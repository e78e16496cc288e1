//! Figures, drawn with plotters and shown inline in the kernel: the last step of the flow
//! data → metrics → model → training → plots. Plots draw what other modules computed; none
//! of them trains a model. Figures that belong to one lesson live with it (the Playground's
//! in [`crate::playground`], gradient descent's in [`crate::descent`]); the prelude's `plot`
//! gathers them all.
//!
//! Every plot helper returns a [`Figure`]; a cell that ends with one shows it inline (see
//! [`crate::display`]). Every one draws in one [`Style`]: one width, one height and one set
//! of font sizes, readable from the back of a room; [`with_style`] changes it for one figure.
//! The numbers along every axis follow one rule (`Ticks`): as many decimals as the finest
//! needs (50, 100, 150 days; 0.0, 0.5, 1.0), whole numbers only where the axis counts
//! (epochs, images).
//!
//! | module | figures |
//! |---|---|
//! | [`lines`](mod@lines) | [`lines()`], [`Series`] |
//! | [`curves`] | [`activation`]: an activation and its derivative; [`squared_vs_huber`] |
//! | [`training`] | [`history`], [`metric_history`], [`learning_curve`], [`compare`] |
//! | [`regression`] | [`predictions`]: predicted against true values |
//! | [`confusion`] | [`confusion_matrix`] |
//! | [`pairs`](mod@pairs) | [`pairs()`] |
//! | [`network`] | [`model()`]: a model's architecture |
//! | [`images`](mod@images) | [`images()`]: a grid of small images, predictions marked |

pub mod confusion;
pub mod curves;
pub mod images;
pub mod lines;
pub mod network;
pub mod pairs;
pub mod regression;
pub mod training;

use std::cell::Cell;
use std::ops::Range;

use plotters::coord::ranged1d::Ranged;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

pub use crate::display::{Animation, Figure};
use crate::error::{Error, Result};
pub use confusion::confusion_matrix;
pub use curves::{activation, squared_vs_huber};
pub use images::images;
pub use lines::{lines, Series};
pub use network::{model, Architecture};
pub use pairs::pairs;
pub use regression::predictions;
pub use training::{compare, history, learning_curve, metric_history};

/// The family of every text in a figure.
pub(crate) const FONT: &str = "sans-serif";

/// How every figure looks: its size, and its font sizes in pixels of the figure.
///
/// A figure is shown at its own width, or scaled down (sharp, as SVG is) to the width of the
/// notebook's output area, so its text keeps its size relative to the drawing. The default
/// is for a projector at 1280×720, where JupyterLab's output area is about 830 pixels wide
/// beside the file browser and shows a figure at its own size: no text smaller than 18
/// pixels (the notebook's own text is 13 to 14), and a figure no taller than the window.
/// Figures whose shape follows their content (a pair plot, a network, a grid of images) take
/// the width and the fonts and choose their height.
///
/// ```
/// use dlintro::plot::{self, Style};
/// let bigger = Style { title_font: 34, text_font: 28, tick_font: 24, ..Style::default() };
/// let figure = plot::with_style(bigger, || plot::squared_vs_huber(-3.0..3.0, 1.0))?;
/// assert!(figure.svg().contains("font-size=\"34"));
/// assert_eq!(plot::style(), Style::default());
/// # Ok::<(), dlintro::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// Width of a figure.
    pub width: u32,
    /// Height of a figure with one chart.
    pub height: u32,
    /// Font size of titles.
    pub title_font: u32,
    /// Font size of axis names, legends and labels.
    pub text_font: u32,
    /// Font size of the numbers along the axes and of small print.
    pub tick_font: u32,
}

impl Default for Style {
    fn default() -> Style {
        Style {
            width: 800,
            height: 500,
            title_font: 28,
            text_font: 22,
            tick_font: 18,
        }
    }
}

impl Style {
    /// Width and height of a figure with one chart.
    pub fn size(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    /// The plotters font whose letters are `pixels` high (em). plotters sizes a font by its
    /// line height, 1.24 em, and writes `size / 1.24` into the SVG.
    pub(crate) fn font(pixels: u32) -> FontDesc<'static> {
        (FONT, f64::from(pixels) * 1.24).into_font()
    }

    /// The font of titles.
    pub(crate) fn title(&self) -> FontDesc<'static> {
        Style::font(self.title_font)
    }

    /// The font of axis names, legends and labels.
    pub(crate) fn text(&self) -> FontDesc<'static> {
        Style::font(self.text_font)
    }

    /// The font of the numbers along the axes.
    pub(crate) fn ticks(&self) -> FontDesc<'static> {
        Style::font(self.tick_font)
    }

    /// Size of a figure with one square chart (a plane, a matrix), no wider than `width`.
    pub(crate) fn square_size(&self) -> (u32, u32) {
        let side = self.height * 6 / 5;
        ((side + 40).min(self.width), side)
    }

    /// Room below a chart for its tick labels and the name of the x axis.
    pub(crate) fn x_label_area(&self) -> u32 {
        (self.tick_font + self.text_font) * 5 / 4 + 12
    }

    /// Room left of a chart for tick labels of `digits` characters and the name of the y axis.
    pub(crate) fn y_label_area(&self, digits: u32) -> u32 {
        self.tick_font * digits * 6 / 10 + self.text_font * 5 / 4 + 20
    }

    /// How many numbers fit along the x axis of a chart on `area` without touching.
    pub(crate) fn x_ticks(&self, area: &Area<'_>) -> usize {
        (area.dim_in_pixel().0 / (self.tick_font * 4)).clamp(2, 10) as usize
    }

    /// How many numbers fit along the y axis of a chart on `area` with room between them.
    pub(crate) fn y_ticks(&self, area: &Area<'_>) -> usize {
        (area.dim_in_pixel().1 / (self.tick_font * 3)).clamp(2, 10) as usize
    }

    /// Line height of text of `pixels`.
    pub(crate) fn line(pixels: u32) -> u32 {
        pixels * 5 / 4
    }
}

/// The numbers along one axis: how many, and how they read. One rule for every figure, as
/// matplotlib writes them: every number with as many decimals as the finest of them needs
/// (0.0, 0.5, 1.0; 50, 100, 150; never "50.0"), and on an axis that counts (epochs, days,
/// images) whole numbers only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ticks {
    /// How many numbers plotters is asked for (at most).
    pub count: usize,
    /// Decimals of every number.
    pub decimals: usize,
}

impl Ticks {
    /// At most `most` numbers along `range`; where the axis `counts`, whole numbers only.
    pub(crate) fn new(range: &Range<f64>, most: usize, counts: bool) -> Ticks {
        let count = if counts {
            // One number per whole number at most: plotters then steps by 1, 2, 5, 10, ….
            let whole = (range.end.floor() - range.start.ceil() + 1.0).max(1.0);
            most.min(whole as usize).max(1)
        } else {
            most.max(1)
        };
        let values = RangedCoordf64::from(range.clone()).key_points(count);
        let needs = |v: f64| {
            (0..6)
                .find(|&d| {
                    let scaled = v * 10f64.powi(d);
                    (scaled - scaled.round()).abs() < 1e-6 * scaled.abs().max(1.0)
                })
                .unwrap_or(6) as usize
        };
        let decimals = values.iter().map(|&v| needs(v)).max().unwrap_or(0);
        Ticks { count, decimals }
    }

    /// Ticks for an axis whose values are `values`: an axis counts when every value is a
    /// whole number (epochs, sizes, days), as matplotlib's integer locator would be asked.
    pub(crate) fn for_values(
        range: &Range<f64>,
        most: usize,
        mut values: impl Iterator<Item = f64>,
    ) -> Ticks {
        Ticks::new(range, most, values.all(|v| v.fract() == 0.0))
    }

    /// The number `value` as it reads on the axis: "50", "0.5", never "-0".
    pub(crate) fn label(&self, value: &f64) -> String {
        let text = format!("{:.*}", self.decimals, value);
        match text.strip_prefix('-') {
            Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_string(),
            _ => text,
        }
    }
}

thread_local! {
    static CURRENT: Cell<Option<Style>> = const { Cell::new(None) };
}

/// The style figures are drawn in: [`Style::default`], or the one [`with_style`] set.
pub fn style() -> Style {
    CURRENT.with(Cell::get).unwrap_or_default()
}

/// Runs `draw` with the figures it draws in `style`, and returns what it returns: one figure
/// larger, smaller or with larger text, the others as they are.
///
/// ```
/// use dlintro::plot::{self, Style};
/// let small = Style { width: 400, height: 250, ..Style::default() };
/// let figure = plot::with_style(small, || plot::squared_vs_huber(-3.0..3.0, 1.0))?;
/// assert_eq!(figure.size(), (400, 250));
/// # Ok::<(), dlintro::Error>(())
/// ```
pub fn with_style<T>(style: Style, draw: impl FnOnce() -> T) -> T {
    /// Puts the previous style back, also when `draw` panics.
    struct Restore(Option<Style>);
    impl Drop for Restore {
        fn drop(&mut self) {
            CURRENT.with(|current| current.set(self.0));
        }
    }
    let _restore = Restore(CURRENT.with(|current| current.replace(Some(style))));
    draw()
}

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

    fn labels(range: Range<f64>, most: usize, counts: bool) -> Vec<String> {
        let ticks = Ticks::new(&range, most, counts);
        RangedCoordf64::from(range)
            .key_points(ticks.count)
            .iter()
            .map(|v| ticks.label(v))
            .collect()
    }

    #[test]
    fn ticks_have_the_decimals_the_finest_needs_and_counts_are_whole() {
        // Days of a year: no ".0".
        assert_eq!(
            labels(0.0..200.0, 5, true),
            ["0", "50", "100", "150", "200"]
        );
        assert_eq!(
            labels(0.0..200.0, 5, false),
            ["0", "50", "100", "150", "200"]
        );
        // Hours of sunshine: whole numbers read as whole numbers.
        assert_eq!(labels(12.5..16.5, 3, false), ["14", "16"]);
        // A probability: every number with one decimal, as matplotlib writes them.
        assert_eq!(labels(0.0..1.0, 5, false), ["0.0", "0.5", "1.0"]);
        assert_eq!(labels(-0.05..0.3, 4, false), ["0.0", "0.1", "0.2", "0.3"]);
        // Five epochs: 1 to 5, never 1.5; fewer numbers than asked rather than halves.
        assert_eq!(labels(1.0..5.0, 10, true), ["1", "2", "3", "4", "5"]);
        assert_eq!(labels(1.0..5.0, 10, false).len(), 9);
        assert_eq!(labels(1.0..5.0, 10, false)[1], "1.5");
        let zero = Ticks {
            count: 3,
            decimals: 1,
        };
        assert_eq!(zero.label(&-1e-17), "0.0");
        assert_eq!(zero.label(&-0.25), "-0.2");
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

    /// The texts of a figure that are numbers (its tick labels), in the order drawn.
    pub(crate) fn numbers(figure: &Figure) -> Vec<String> {
        figure
            .svg()
            .split("</text>")
            .filter_map(|piece| piece.rsplit_once('>'))
            .map(|(_, text)| text.trim().to_string())
            .filter(|t| !t.is_empty() && t.parse::<f64>().is_ok())
            .collect()
    }
}
