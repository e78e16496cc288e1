//! Figures, drawn with plotters and shown inline in the kernel.
//!
//! Every plot helper of the crate returns a [`Figure`]. A cell that ends with a figure shows
//! it inline: evcxr calls [`Figure::evcxr_display`], which hands the SVG to Jupyter. Outside
//! the kernel, [`Figure::save`] writes it to a file.
//!
//! One figure per cell, as its last expression. evcxr shows it only when it knows the types of
//! the cell's new variables when it first compiles the cell; when it does not (a new `let`
//! binding of an array of `?` results, say), it prints the figure's `Debug` text instead, which
//! says how to show it: end the cell with the figure itself, or build the series inside the
//! call, as the notebooks do.

use std::fmt;
use std::ops::Range;
use std::path::Path;

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use crate::activation::Activation;
use crate::error::{Error, Result};
use crate::loss;

/// Size of every figure in pixels: readable on a projector, fits a notebook column.
const SIZE: (u32, u32) = (800, 500);
/// How many points a function is sampled at over its range.
const SAMPLES: usize = 400;

/// A drawn figure, as SVG.
#[derive(Clone, PartialEq)]
pub struct Figure {
    title: String,
    svg: String,
}

impl Figure {
    /// The figure's title.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The figure as an SVG document.
    pub fn svg(&self) -> &str {
        &self.svg
    }

    /// Writes the SVG to `path`.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        crate::error::write_file(path.as_ref(), self.svg.as_ref())
    }

    /// Shows the figure inline; evcxr calls this when a cell ends with a `Figure`.
    pub fn evcxr_display(&self) {
        evcxr_runtime::mime_type("image/svg+xml").text(&self.svg);
    }
}

impl fmt::Debug for Figure {
    /// Short: a figure's SVG is thousands of characters.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{self}: to show it, run a cell that ends with the figure itself, e.g. `figure`"
        )
    }
}

impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "figure {:?} ({}×{} SVG, {} bytes)",
            self.title,
            SIZE.0,
            SIZE.1,
            self.svg.len()
        )
    }
}

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
        let points = grid(&range, SAMPLES)
            .into_iter()
            .map(|x| (x, f(x)))
            .collect();
        Ok(Series {
            name: name.to_string(),
            points,
        })
    }
}

fn check_range(function: &'static str, range: &Range<f64>) -> Result<()> {
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
    render(title, SIZE, |root| {
        draw_lines(root, title, x_label, y_label, series)
    })
}

fn check_series(function: &'static str, series: &[Series]) -> Result<()> {
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

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;

/// Maps any drawing error to [`Error::Plot`] for the figure `title`.
fn plot_error<E: std::error::Error>(title: &str) -> impl Fn(E) -> Error + '_ {
    move |e| Error::Plot {
        title: title.to_string(),
        message: e.to_string(),
    }
}

/// Draws into a white SVG of `size` and wraps it as a [`Figure`]: the one way every plot of
/// the crate is made.
fn render(
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
    Ok(Figure {
        title: title.to_string(),
        svg,
    })
}

/// Lines with a title, axis labels and a legend, on one drawing area.
fn draw_lines(
    area: &Area<'_>,
    title: &str,
    x_label: &str,
    y_label: &str,
    series: &[Series],
) -> Result<()> {
    let (x_range, y_range) = bounds(series.iter().flat_map(|s| s.points.iter().copied()));
    let mut chart = ChartBuilder::on(area)
        .caption(title, ("sans-serif", 30))
        .margin(16)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d(x_range.clone(), y_range.clone())
        .map_err(plot_error(title))?;
    chart
        .configure_mesh()
        .x_desc(x_label)
        .y_desc(y_label)
        .label_style(("sans-serif", 18))
        .axis_desc_style(("sans-serif", 22))
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
        .label_font(("sans-serif", 20))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()
        .map_err(plot_error(title))?;
    Ok(())
}

/// Loss and accuracy per epoch, training and validation, side by side.
pub fn history(history: &crate::model::History) -> Result<Figure> {
    const F: &str = "plot::history";
    if history.epochs() == 0 {
        return Err(Error::invalid(
            F,
            "history",
            "has no epochs, expected a trained model's",
        ));
    }
    let series = |names: [&str; 2]| -> Vec<Series> {
        names
            .iter()
            .filter_map(|name| {
                let values = history.metrics.get(*name)?;
                let points = values
                    .iter()
                    .enumerate()
                    .filter(|(_, v)| v.is_finite())
                    .map(|(i, &v)| ((i + 1) as f64, v))
                    .collect();
                Some(Series {
                    name: name.to_string(),
                    points,
                })
            })
            .collect()
    };
    let losses = series(["loss", "val_loss"]);
    let accuracies = series(["accuracy", "val_accuracy"]);
    check_series(F, &losses)?;
    let title = "Training history";
    render(title, (1200, 450), |root| {
        if accuracies.is_empty() {
            return draw_lines(root, "Loss per epoch", "epoch", "loss", &losses);
        }
        let (left, right) = root.split_horizontally(600);
        draw_lines(&left, "Loss per epoch", "epoch", "loss", &losses)?;
        draw_lines(
            &right,
            "Accuracy per epoch",
            "epoch",
            "accuracy",
            &accuracies,
        )
    })
}

/// A confusion matrix as a heatmap: true classes down, predicted classes across, the count
/// written in each cell.
pub fn confusion_matrix(matrix: &crate::metrics::ConfusionMatrix) -> Result<Figure> {
    let k = matrix.classes.len();
    if k == 0 {
        return Err(Error::invalid(
            "plot::confusion_matrix",
            "matrix",
            "has no classes, expected at least one",
        ));
    }
    let title = "Confusion matrix";
    let max = matrix
        .counts
        .iter()
        .flatten()
        .copied()
        .max()
        .unwrap_or(0)
        .max(1);
    render(title, (640, 560), |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(title, ("sans-serif", 30))
            .margin(16)
            .x_label_area_size(60)
            .y_label_area_size(110)
            .build_cartesian_2d(0.0..k as f64, 0.0..k as f64)
            .map_err(plot_error(title))?;
        let name = |v: &f64| {
            let i = v.floor() as usize;
            if (v - v.floor() - 0.5).abs() < 1e-9 && i < k {
                matrix.classes[i].clone()
            } else {
                String::new()
            }
        };
        let flipped = |v: &f64| name(&(k as f64 - v));
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(2 * k + 1)
            .y_labels(2 * k + 1)
            .x_label_formatter(&name)
            .y_label_formatter(&flipped)
            .x_desc("predicted")
            .y_desc("true")
            .label_style(("sans-serif", 18))
            .axis_desc_style(("sans-serif", 22))
            .draw()
            .map_err(plot_error(title))?;
        for (t, row) in matrix.counts.iter().enumerate() {
            for (p, &count) in row.iter().enumerate() {
                let (x, y) = (p as f64, (k - 1 - t) as f64);
                let shade = count as f64 / max as f64;
                let fill = RGBColor(
                    (255.0 - 200.0 * shade) as u8,
                    (255.0 - 130.0 * shade) as u8,
                    (255.0 - 40.0 * shade) as u8,
                );
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(x, y), (x + 1.0, y + 1.0)],
                        fill.filled(),
                    )))
                    .map_err(plot_error(title))?;
                let ink = if shade > 0.6 { WHITE } else { BLACK };
                chart
                    .draw_series(std::iter::once(Text::new(
                        count.to_string(),
                        (x + 0.5, y + 0.5),
                        ("sans-serif", 26).into_font().color(&ink).pos(
                            plotters::style::text_anchor::Pos::new(
                                plotters::style::text_anchor::HPos::Center,
                                plotters::style::text_anchor::VPos::Center,
                            ),
                        ),
                    )))
                    .map_err(plot_error(title))?;
            }
        }
        Ok(())
    })
}

/// Light and strong colours for class `i`.
fn class_color(i: usize) -> RGBColor {
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

/// The axes of one small panel of a grid of plots, named on the outer edges only.
fn draw_panel_axes(
    chart: &mut ChartContext<'_, SVGBackend<'_>, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    x_desc: Option<&str>,
    y_desc: Option<&str>,
    title: &str,
) -> Result<()> {
    let mut mesh = chart.configure_mesh();
    mesh.disable_mesh()
        .x_labels(4)
        .y_labels(5)
        .label_style(("sans-serif", 12));
    if let Some(x_desc) = x_desc {
        mesh.x_desc(x_desc);
    }
    if let Some(y_desc) = y_desc {
        mesh.y_desc(y_desc);
    }
    mesh.draw().map_err(plot_error(title))
}

/// Every pair of numeric columns as a scatter plot coloured by a category, with a histogram
/// of each column on the diagonal: seaborn's pair plot, for the exploration step.
///
/// ```
/// let penguins = dlintro::data::penguins()?.drop_missing();
/// let figure = dlintro::plot::pairs(&penguins, &["bill_length_mm", "body_mass_g"], "species")?;
/// assert!(figure.svg().contains("Gentoo"));
/// # Ok::<(), dlintro::Error>(())
/// ```
pub fn pairs(table: &crate::data::Table, columns: &[&str], hue: &str) -> Result<Figure> {
    const F: &str = "plot::pairs";
    if columns.is_empty() {
        return Err(Error::invalid(
            F,
            "columns",
            "is empty, expected at least one column",
        ));
    }
    let values = columns
        .iter()
        .map(|c| table.numbers(c))
        .collect::<Result<Vec<_>>>()?;
    let labels = table.texts(hue)?;
    let classes = crate::data::class_names(&labels);
    let class_of = crate::data::class_indices(&labels, &classes)?;
    let n = columns.len();
    let cell = 230;
    let title = format!("Pair plot coloured by {hue}");
    let ranges: Vec<Range<f64>> = values
        .iter()
        .map(|v| {
            let (lo, hi) = v
                .iter()
                .fold((f64::MAX, f64::MIN), |(a, b), &x| (a.min(x), b.max(x)));
            let pad = if hi > lo { (hi - lo) * 0.05 } else { 0.5 };
            (lo - pad)..(hi + pad)
        })
        .collect();
    render(
        &title,
        (cell * n as u32 + 160, cell * n as u32 + 40),
        |root| {
            let (grid, legend) = root.split_horizontally(cell * n as u32);
            let panels = grid.margin(40, 0, 0, 0).split_evenly((n, n));
            for (index, panel) in panels.iter().enumerate() {
                let (row, col) = (index / n, index % n);
                let mut builder = ChartBuilder::on(panel);
                builder
                    .margin(4)
                    .x_label_area_size(if row == n - 1 { 40 } else { 0 })
                    .y_label_area_size(if col == 0 { 50 } else { 0 });
                if row == col {
                    // Histograms of one column, one per class, overlaid.
                    let bins = 12;
                    let range = &ranges[col];
                    let width = (range.end - range.start) / bins as f64;
                    let mut counts = vec![vec![0usize; bins]; classes.len()];
                    for (v, &c) in values[col].iter().zip(&class_of) {
                        let b = (((v - range.start) / width) as usize).min(bins - 1);
                        counts[c][b] += 1;
                    }
                    let top = counts.iter().flatten().copied().max().unwrap_or(1) as f64 * 1.1;
                    let mut chart = builder
                        .build_cartesian_2d(range.clone(), 0.0..top)
                        .map_err(plot_error(&title))?;
                    let x_desc = (row == n - 1).then_some(columns[col]);
                    let y_desc = (col == 0).then_some(columns[row]);
                    draw_panel_axes(&mut chart, x_desc, y_desc, &title)?;
                    for (c, class_counts) in counts.iter().enumerate() {
                        let color = class_color(c);
                        chart
                            .draw_series(class_counts.iter().enumerate().map(|(b, &count)| {
                                let x0 = range.start + b as f64 * width;
                                Rectangle::new(
                                    [(x0, 0.0), (x0 + width, count as f64)],
                                    color.mix(0.45).filled(),
                                )
                            }))
                            .map_err(plot_error(&title))?;
                    }
                } else {
                    let mut chart = builder
                        .build_cartesian_2d(ranges[col].clone(), ranges[row].clone())
                        .map_err(plot_error(&title))?;
                    let x_desc = (row == n - 1).then_some(columns[col]);
                    let y_desc = (col == 0).then_some(columns[row]);
                    draw_panel_axes(&mut chart, x_desc, y_desc, &title)?;
                    chart
                        .draw_series(values[col].iter().zip(&values[row]).zip(&class_of).map(
                            |((&x, &y), &c)| {
                                Circle::new((x, y), 2, class_color(c).mix(0.8).filled())
                            },
                        ))
                        .map_err(plot_error(&title))?;
                }
            }
            root.draw(&Text::new(title.clone(), (10, 8), ("sans-serif", 24)))
                .map_err(plot_error(&title))?;
            for (c, name) in classes.iter().enumerate() {
                let y = 60 + 30 * c as i32;
                legend
                    .draw(&Rectangle::new(
                        [(10, y), (28, y + 18)],
                        class_color(c).filled(),
                    ))
                    .map_err(plot_error(&title))?;
                legend
                    .draw(&Text::new(name.clone(), (36, y), ("sans-serif", 18)))
                    .map_err(plot_error(&title))?;
            }
            Ok(())
        },
    )
}

/// The classes a two-feature model predicts over the plane of its data, shaded, with the
/// data points on top: how the model divides the Playground's plane.
pub fn decision_boundary(
    model: &crate::model::Sequential,
    points: &crate::data::Points,
) -> Result<Figure> {
    const F: &str = "plot::decision_boundary";
    if points.x.ncols() != 2 || points.x.nrows() == 0 {
        return Err(Error::invalid(
            F,
            "points",
            format!("has shape {:?}, expected [n, 2] with n > 0", points.x.dim()),
        ));
    }
    let (x_range, y_range) = bounds(points.x.rows().into_iter().map(|r| (r[0], r[1])));
    let pad = |r: Range<f64>| {
        let p = (r.end - r.start) * 0.05;
        (r.start - p)..(r.end + p)
    };
    let (x_range, y_range) = (pad(x_range), pad(y_range));
    let g = 60;
    let xs = grid(&x_range, g);
    let ys = grid(&y_range, g);
    let (class, confidence) = predict_plane(model, &xs, &ys)?;
    let title = "Decision boundary";
    render(title, (640, 600), |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(title, ("sans-serif", 30))
            .margin(16)
            .x_label_area_size(50)
            .y_label_area_size(60)
            .build_cartesian_2d(x_range.clone(), y_range.clone())
            .map_err(plot_error(title))?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc("x₁")
            .y_desc("x₂")
            .label_style(("sans-serif", 16))
            .axis_desc_style(("sans-serif", 20))
            .draw()
            .map_err(plot_error(title))?;
        let plane = Plane {
            xs: &xs,
            ys: &ys,
            class: &class,
            confidence: &confidence,
        };
        draw_plane(&mut chart, &plane, points, 4, title)
    })
}

/// An animated GIF, shown inline in the kernel.
#[derive(Clone, PartialEq)]
pub struct Animation {
    title: String,
    gif: Vec<u8>,
    frames: usize,
}

impl Animation {
    /// The GIF file's bytes.
    pub fn gif(&self) -> &[u8] {
        &self.gif
    }

    /// How many frames it has.
    pub fn frames(&self) -> usize {
        self.frames
    }

    /// Writes the GIF to `path`.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        crate::error::write_file(path.as_ref(), self.gif.as_ref())
    }

    /// Shows the animation inline; evcxr calls this when a cell ends with an `Animation`.
    pub fn evcxr_display(&self) {
        evcxr_runtime::mime_type("text/html").text(format!(
            "<img alt=\"{}\" src=\"data:image/gif;base64,{}\">",
            self.title,
            crate::setup::base64(&self.gif)
        ));
    }
}

impl fmt::Debug for Animation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "animation {:?} ({} frames, {} bytes of GIF)",
            self.title,
            self.frames,
            self.gif.len()
        )
    }
}

/// A model's predictions over a grid of the plane: class and confidence per cell, row by row
/// from the bottom.
struct Plane<'a> {
    xs: &'a [f64],
    ys: &'a [f64],
    class: &'a [i64],
    confidence: &'a [f64],
}

/// Shades each grid cell with its predicted class (stronger where the model is surer), then
/// draws the data points on top: the picture of a decision boundary, for any backend.
fn draw_plane<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    plane: &Plane<'_>,
    points: &crate::data::Points,
    radius: i32,
    title: &str,
) -> Result<()>
where
    DB::ErrorType: 'static,
{
    let (xs, ys) = (plane.xs, plane.ys);
    let (dx, dy) = (xs[1] - xs[0], ys[1] - ys[0]);
    chart
        .draw_series((0..xs.len() * ys.len()).map(|i| {
            let (x, y) = (xs[i % xs.len()] - dx / 2.0, ys[i / xs.len()] - dy / 2.0);
            let shade = 0.15 + 0.35 * plane.confidence[i];
            Rectangle::new(
                [(x, y), (x + dx, y + dy)],
                class_color(plane.class[i] as usize).mix(shade).filled(),
            )
        }))
        .map_err(plot_error(title))?;
    chart
        .draw_series(
            points
                .x
                .rows()
                .into_iter()
                .zip(&points.y)
                .map(|(r, &c)| Circle::new((r[0], r[1]), radius, class_color(c).filled())),
        )
        .map_err(plot_error(title))?;
    Ok(())
}

/// The classes a two-feature model predicts on a `g`×`g` grid over `x_range`×`y_range`:
/// class index and confidence per cell, row by row from the bottom.
fn predict_plane(
    model: &crate::model::Sequential,
    xs: &[f64],
    ys: &[f64],
) -> Result<(Vec<i64>, Vec<f64>)> {
    const F: &str = "plot::decision_boundary";
    let plane: Vec<f32> = ys
        .iter()
        .flat_map(|&y| xs.iter().flat_map(move |&x| [x as f32, y as f32]))
        .collect();
    let plane = tch::Tensor::from_slice(&plane).view([(xs.len() * ys.len()) as i64, 2]);
    let p = model.predict(&plane)?; // [cells, outputs]
    let (class, confidence) = if p.size()[1] == 1 {
        let p1 = p.view([-1]);
        (
            p1.gt(0.5).to_kind(tch::Kind::Int64),
            (&p1 - 0.5).abs() * 2.0,
        )
    } else {
        let (max, arg) = p.max_dim(1, false);
        (arg, max)
    };
    let class = Vec::<i64>::try_from(class).map_err(|e| Error::torch(F, e))?;
    let confidence = Vec::<f64>::try_from(confidence.to_kind(tch::Kind::Double))
        .map_err(|e| Error::torch(F, e))?;
    Ok((class, confidence))
}

/// Trains `model` on `points` for `options.epochs` epochs and records its decision boundary
/// `frames` times along the way, as an animated GIF: the boundary taking shape as the network
/// learns. A bar at the bottom shows the progress through the epochs.
pub fn boundary_animation(
    model: &mut crate::model::Sequential,
    points: &crate::data::Points,
    options: crate::model::FitOptions,
    frames: usize,
) -> Result<Animation> {
    const F: &str = "plot::boundary_animation";
    if frames == 0 || frames > options.epochs.max(1) {
        return Err(Error::invalid(
            F,
            "frames",
            format!(
                "is {frames}, expected 1 to {} (one frame per epoch at most)",
                options.epochs
            ),
        ));
    }
    let (x, y) = points.tensors(crate::device())?;
    let (x_range, y_range) = bounds(points.x.rows().into_iter().map(|r| (r[0], r[1])));
    let g = 60;
    let (xs, ys) = (grid(&x_range, g), grid(&y_range, g));
    let size = (480u32, 480u32);
    let path = std::env::temp_dir().join(format!(
        "dlintro-animation-{}-{}.gif",
        std::process::id(),
        SEQUENCE.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    let title = "Decision boundary during training";
    let total_epochs = options.epochs;
    {
        let root = BitMapBackend::gif(&path, size, 150)
            .map_err(plot_error(title))?
            .into_drawing_area();
        let mut done = 0;
        for frame in 1..=frames {
            let target = total_epochs * frame / frames;
            let step = crate::model::FitOptions {
                epochs: target - done,
                verbose: false,
                validation_data: None,
                early_stopping: None,
                seed: options.seed.map(|s| s.wrapping_add(done as u64)),
                ..options_without_tensors(&options)
            };
            model.fit(&x, &y, step)?;
            done = target;
            let (class, confidence) = predict_plane(model, &xs, &ys)?;
            root.fill(&WHITE).map_err(plot_error(title))?;
            let (plot_area, bar) = root.split_vertically(size.1 - 16);
            let mut chart = ChartBuilder::on(&plot_area)
                .margin(4)
                .build_cartesian_2d(x_range.clone(), y_range.clone())
                .map_err(plot_error(title))?;
            let plane = Plane {
                xs: &xs,
                ys: &ys,
                class: &class,
                confidence: &confidence,
            };
            draw_plane(&mut chart, &plane, points, 3, title)?;
            let filled = (size.0 as f64 * done as f64 / total_epochs as f64) as i32;
            bar.draw(&Rectangle::new(
                [(0, 4), (filled, 14)],
                BLACK.mix(0.6).filled(),
            ))
            .map_err(plot_error(title))?;
            root.present().map_err(plot_error(title))?;
        }
    }
    let gif = std::fs::read(&path).map_err(|source| Error::Io {
        path: path.clone(),
        source,
    })?;
    let _ = std::fs::remove_file(&path);
    Ok(Animation {
        title: title.to_string(),
        gif,
        frames,
    })
}

static SEQUENCE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// The options' plain values (FitOptions holds tensors, so it is not `Clone`).
fn options_without_tensors(options: &crate::model::FitOptions) -> crate::model::FitOptions {
    crate::model::FitOptions {
        epochs: options.epochs,
        batch_size: options.batch_size,
        shuffle: options.shuffle,
        seed: options.seed,
        validation_split: options.validation_split,
        validation_data: None,
        early_stopping: None,
        verbose: options.verbose,
    }
}

/// `count` evenly spaced numbers from `range.start` to `range.end`, both included.
fn grid(range: &Range<f64>, count: usize) -> Vec<f64> {
    let step = (range.end - range.start) / (count - 1) as f64;
    (0..count)
        .map(|i| {
            if i == count - 1 {
                range.end
            } else {
                range.start + step * i as f64
            }
        })
        .collect()
}

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
    let xs = grid(&range, SAMPLES);
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
        let points = grid(&range, SAMPLES)
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

/// Axis ranges that hold every point with a little room around them.
fn bounds(points: impl Iterator<Item = (f64, f64)>) -> (Range<f64>, Range<f64>) {
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
    fn series_from_fn_samples_the_whole_range() {
        let s = Series::from_fn("relu", -1.0..1.0, |x| x.max(0.0)).unwrap();
        assert_eq!(s.points.len(), SAMPLES);
        assert_eq!(s.points[0], (-1.0, 0.0));
        assert_eq!(s.points[SAMPLES - 1], (1.0, 1.0));
    }

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

    fn save(figure: &Figure, name: &str) {
        std::fs::create_dir_all("../target/figures").unwrap();
        figure
            .save(format!("../target/figures/{name}.svg"))
            .unwrap();
    }

    #[test]
    fn history_draws_loss_and_accuracy_side_by_side() {
        let mut h = crate::model::History::default();
        for (name, values) in [
            ("loss", [1.0, 0.6, 0.4]),
            ("val_loss", [1.1, 0.7, 0.5]),
            ("accuracy", [0.5, 0.7, 0.9]),
            ("val_accuracy", [0.4, 0.6, 0.8]),
        ] {
            h.metrics.insert(name.into(), values.to_vec());
        }
        let figure = history(&h).unwrap();
        save(&figure, "history");
        for text in [
            "Loss per epoch",
            "Accuracy per epoch",
            "val_accuracy",
            "epoch",
        ] {
            assert!(figure.svg().contains(text), "lacks {text:?}");
        }
        let empty = crate::model::History::default();
        assert!(history(&empty)
            .unwrap_err()
            .to_string()
            .contains("has no epochs"));
    }

    #[test]
    fn the_confusion_matrix_writes_its_counts() {
        let names: Vec<String> = ["Adelie", "Chinstrap", "Gentoo"].map(String::from).to_vec();
        let m = crate::metrics::ConfusionMatrix::new(
            &[0, 0, 0, 1, 1, 2, 2, 2, 2],
            &[0, 0, 1, 0, 1, 2, 2, 2, 2],
            &names,
        )
        .unwrap();
        let figure = confusion_matrix(&m).unwrap();
        save(&figure, "confusion");
        for text in ["Adelie", "Chinstrap", "Gentoo", "predicted", "\n4\n"] {
            assert!(figure.svg().contains(text), "lacks {text:?}");
        }
    }

    #[test]
    fn the_pair_plot_has_every_pair_and_a_legend() {
        let penguins = crate::data::penguins().unwrap().drop_missing();
        let columns = [
            "bill_length_mm",
            "bill_depth_mm",
            "flipper_length_mm",
            "body_mass_g",
        ];
        let figure = pairs(&penguins, &columns, "species").unwrap();
        save(&figure, "pairs");
        for text in [
            "Adelie",
            "Chinstrap",
            "Gentoo",
            "body_mass_g",
            "Pair plot coloured by species",
        ] {
            assert!(figure.svg().contains(text), "lacks {text:?}");
        }
        // 12 scatter panels of 333 penguins.
        assert_eq!(figure.svg().matches("<circle").count(), 12 * 333);
        let e = pairs(&crate::data::penguins().unwrap(), &columns, "species").unwrap_err();
        assert!(e.to_string().contains("call drop_missing() first"), "{e}");
    }

    /// 2 inputs → 8 hidden neurons → 2 softmax outputs, compiled with Adam (0.05).
    fn two_class_model(hidden: Activation) -> crate::model::Sequential {
        let mut model = crate::model::Sequential::new(2)
            .dense(8, hidden)
            .dense(2, Activation::Softmax);
        let adam = crate::model::Optimizer::Adam {
            learning_rate: 0.05,
        };
        model
            .compile(crate::loss::Loss::CategoricalCrossEntropy, adam)
            .unwrap();
        model
    }

    #[test]
    fn the_decision_boundary_shades_the_plane() {
        crate::seed(2);
        let points = crate::data::Playground::Xor.generate(100, 0.0, 4).unwrap();
        let (x, y) = points.tensors(crate::device()).unwrap();
        let mut model = two_class_model(Activation::Tanh);
        let options = crate::model::FitOptions {
            epochs: 50,
            verbose: false,
            ..Default::default()
        };
        model.fit(&x, &y, options).unwrap();
        let figure = decision_boundary(&model, &points).unwrap();
        save(&figure, "boundary");
        assert_eq!(figure.svg().matches("<circle").count(), 100);
        assert!(figure.svg().matches("<rect").count() >= 60 * 60);
    }

    #[test]
    fn the_boundary_animation_has_its_frames() {
        crate::seed(4);
        let points = crate::data::Playground::Circle
            .generate(100, 0.0, 2)
            .unwrap();
        let mut model = two_class_model(Activation::Relu);
        let options = crate::model::FitOptions {
            epochs: 20,
            verbose: false,
            ..Default::default()
        };
        let animation = boundary_animation(&mut model, &points, options, 4).unwrap();
        assert_eq!(animation.frames(), 4);
        assert!(animation.gif().starts_with(b"GIF89a"));
        std::fs::create_dir_all("../target/figures").unwrap();
        animation.save("../target/figures/boundary.gif").unwrap();
        let options = crate::model::FitOptions {
            epochs: 2,
            verbose: false,
            ..Default::default()
        };
        let e = boundary_animation(&mut model, &points, options, 5).unwrap_err();
        assert!(
            e.to_string().contains("`frames` is 5, expected 1 to 2"),
            "{e}"
        );
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
