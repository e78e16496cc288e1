//! The TensorFlow Playground's middle panel: every input feature and every hidden neuron as
//! a small map of its value over the plane, laid out layer by layer and joined by their
//! weights, beside the output's decision boundary.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::activation::Activation;
use crate::error::{Error, Result};
use crate::model::{Layer, Sequential};
use crate::plot::{class_color, plot_error, render, Area, Figure, Ticks};

use super::boundary::draw_plane;
use super::maps::{MapColumn, NeuronMaps};
use super::points::Points;

/// Height of the band the maps are laid out in, in pixels.
const BAND: i32 = 470;
/// Above the band: the title and the column titles.
const TOP: i32 = 90;
/// Room left of the first column, for the features' names.
const LEFT: i32 = 70;
/// Horizontal room between two columns, for the connections.
const GAP: i32 = 90;
/// Vertical room between two maps.
const SPACING: i32 = 8;
/// The side of the decision-boundary picture.
const OUTPUT: i32 = 330;

/// Every neuron of a Playground classifier over the plane, as the TensorFlow Playground's
/// middle panel shows it: one column of small maps for the input features, one per hidden
/// layer with a map per neuron (orange where the neuron's output is high, blue where it is
/// low, white in between; for sigmoid neurons the middle is 0.5, otherwise 0), lines for the
/// weights between them (orange positive, blue negative, thicker when larger), and the
/// output's decision boundary with `points` on the right.
///
/// ```
/// use dlintro::prelude::*;
/// seed(1);
/// let xor = data::Playground::Xor.generate(100, 0.0, 1)?;
/// let mut model = Sequential::input_features(2).hidden_layers(&[4, 2], Activation::Tanh).dense(1, Activation::Sigmoid);
/// model.compile(Loss::BinaryCrossEntropy, Optimizer::default())?;
/// let figure = plot::neurons(&model, &xor)?;
/// assert_eq!(figure.title(), "Every neuron over the plane: 2 inputs, 6 hidden neurons (4 + 2), the output");
/// # Ok::<(), dlintro::Error>(())
/// ```
pub fn neurons(model: &Sequential, points: &Points) -> Result<Figure> {
    const F: &str = "plot::neurons";
    if points.is_empty() {
        return Err(Error::invalid(
            F,
            "points",
            "is empty, expected some points",
        ));
    }
    let tallest = model
        .layers()
        .iter()
        .filter_map(|l| match l {
            Layer::Dense { units, .. } => Some(*units),
            _ => None,
        })
        .chain([points.inputs().len()])
        .max()
        .unwrap_or(1) as i32;
    let side = ((BAND - SPACING * (tallest - 1)) / tallest).clamp(12, 72);
    let cells = (side as usize / 4).clamp(6, 16);
    let maps = model.neuron_maps(points, cells)?;
    draw(&maps, points, side)
}

/// The title: what the figure shows, counted from the maps drawn.
fn title(maps: &NeuronMaps) -> String {
    let inputs = maps.columns[0].maps.len();
    let widths: Vec<String> = maps.columns[1..]
        .iter()
        .map(|c| c.maps.len().to_string())
        .collect();
    let hidden = match maps.hidden_neurons() {
        0 => "no hidden layer".to_string(),
        1 => "1 hidden neuron".to_string(),
        n if widths.len() == 1 => format!("{n} hidden neurons"),
        n => format!("{n} hidden neurons ({})", widths.join(" + ")),
    };
    format!(
        "Every neuron over the plane: {inputs} input{}, {hidden}, the output",
        if inputs == 1 { "" } else { "s" }
    )
}

/// The top-left corner of map `i` of a column of `n` maps of `side` pixels.
fn map_corner(column: usize, i: usize, n: usize, side: i32) -> (i32, i32) {
    let height = n as i32 * side + (n as i32 - 1) * SPACING;
    let x = LEFT + column as i32 * (side + GAP);
    let y = TOP + (BAND - height) / 2 + i as i32 * (side + SPACING);
    (x, y)
}

fn draw(maps: &NeuronMaps, points: &Points, side: i32) -> Result<Figure> {
    let title = title(maps);
    let columns = maps.columns.len() as i32;
    let output_left = LEFT + columns * (side + GAP);
    // Wide enough for the title too (about 11 pixels a character at 24 px).
    let width = (output_left + OUTPUT + 30).max(40 + 11 * title.chars().count() as i32);
    let size = (width as u32, (TOP + BAND + 30) as u32);
    render(&title, size, |root| {
        root.draw(&Text::new(title.clone(), (16, 12), ("sans-serif", 24)))
            .map_err(plot_error(&title))?;
        draw_connections(root, maps, side, output_left, &title)?;
        for (c, column) in maps.columns.iter().enumerate() {
            draw_column(root, maps, c, column, side, &title)?;
        }
        let output_top = TOP + (BAND - OUTPUT) / 2;
        let caption = Pos::new(HPos::Center, VPos::Bottom);
        for (line, text) in [(32, "output"), (12, "decision boundary")] {
            root.draw(&Text::new(
                text.to_string(),
                (output_left + OUTPUT / 2, TOP - line),
                ("sans-serif", 17).into_font().color(&BLACK).pos(caption),
            ))
            .map_err(plot_error(&title))?;
        }
        let area = root.clone().shrink(
            (output_left - 16, output_top - 10),
            (OUTPUT + 40, OUTPUT + 44),
        );
        let (x_range, y_range) = points.bounds();
        let (x_ticks, y_ticks) = (
            Ticks::new(&x_range, 5, false),
            Ticks::new(&y_range, 5, false),
        );
        let mut chart = ChartBuilder::on(&area)
            .margin(4)
            .x_label_area_size(36)
            .y_label_area_size(50)
            .build_cartesian_2d(x_range, y_range)
            .map_err(plot_error(&title))?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(x_ticks.count)
            .y_labels(y_ticks.count)
            .x_label_formatter(&|v| x_ticks.label(v))
            .y_label_formatter(&|v| y_ticks.label(v))
            .x_desc("x₁")
            .y_desc("x₂")
            .label_style(("sans-serif", 14))
            .axis_desc_style(("sans-serif", 16))
            .draw()
            .map_err(plot_error(&title))?;
        draw_plane(&mut chart, &maps.output, points, 2, &title)
    })
}

/// One column: its title, and each map with its label.
fn draw_column(
    root: &Area<'_>,
    maps: &NeuronMaps,
    c: usize,
    column: &MapColumn,
    side: i32,
    title: &str,
) -> Result<()> {
    let n = column.maps.len();
    let (x, _) = map_corner(c, 0, n, side);
    let heading = match column.activation {
        Some(activation) => format!("{} × {activation}", n),
        None => format!("{n} feature{}", if n == 1 { "" } else { "s" }),
    };
    let centre = Pos::new(HPos::Center, VPos::Bottom);
    for (line, text) in [(32, column.title.clone()), (12, heading)] {
        root.draw(&Text::new(
            text,
            (x + side / 2, TOP - line),
            ("sans-serif", 17).into_font().color(&BLACK).pos(centre),
        ))
        .map_err(plot_error(title))?;
    }
    let middle = if column.activation == Some(Activation::Sigmoid) {
        0.5
    } else {
        0.0
    };
    for (i, values) in column.maps.iter().enumerate() {
        let corner = map_corner(c, i, n, side);
        draw_map(root, maps, values, middle, corner, side, title)?;
        if column.activation.is_none() {
            root.draw(&Text::new(
                column.labels[i].clone(),
                (corner.0 - 8, corner.1 + side / 2),
                ("sans-serif", 16)
                    .into_font()
                    .color(&BLACK)
                    .pos(Pos::new(HPos::Right, VPos::Center)),
            ))
            .map_err(plot_error(title))?;
        }
    }
    Ok(())
}

/// One map: each grid cell coloured by its value, orange above `middle`, blue below, white
/// at it, scaled to the map's largest distance from `middle`.
fn draw_map(
    root: &Area<'_>,
    maps: &NeuronMaps,
    values: &[f64],
    middle: f64,
    (left, top): (i32, i32),
    side: i32,
    title: &str,
) -> Result<()> {
    let (nx, ny) = (maps.xs.len(), maps.ys.len());
    let scale = values
        .iter()
        .map(|v| (v - middle).abs())
        .fold(0.0, f64::max);
    let cell = side as f64 / nx.max(ny) as f64;
    for (i, v) in values.iter().enumerate() {
        let t = if scale > 0.0 {
            (v - middle) / scale
        } else {
            0.0
        };
        if t.abs() < 0.03 {
            continue; // white, like the background
        }
        let (col, row) = (i % nx, i / nx);
        // Rows run from the bottom of the plane, pixels from the top.
        let x0 = left + (col as f64 * cell).round() as i32;
        let x1 = left + ((col + 1) as f64 * cell).round() as i32;
        let y1 = top + side - (row as f64 * cell).round() as i32;
        let y0 = top + side - ((row + 1) as f64 * cell).round() as i32;
        let base = class_color(usize::from(t > 0.0));
        let blend = |channel: u8| (255.0 - (255.0 - f64::from(channel)) * t.abs()).round() as u8;
        let colour = RGBColor(blend(base.0), blend(base.1), blend(base.2));
        root.draw(&Rectangle::new([(x0, y0), (x1, y1)], colour.filled()))
            .map_err(plot_error(title))?;
    }
    root.draw(&Rectangle::new(
        [(left, top), (left + side, top + side)],
        BLACK.mix(0.4).stroke_width(1),
    ))
    .map_err(plot_error(title))
}

/// The weights as lines from each map to each neuron of the next column, and from the last
/// column to the output picture.
fn draw_connections(
    root: &Area<'_>,
    maps: &NeuronMaps,
    side: i32,
    output_left: i32,
    title: &str,
) -> Result<()> {
    for (c, weights) in maps.weights.iter().enumerate() {
        let largest = weights
            .iter()
            .flatten()
            .map(|w| w.abs())
            .fold(0.0, f64::max);
        let from_n = maps.columns.get(c).map_or(0, |col| col.maps.len());
        for (j, row) in weights.iter().enumerate() {
            let to = match maps.columns.get(c + 1) {
                Some(next) => {
                    let (x, y) = map_corner(c + 1, j, next.maps.len(), side);
                    (x, y + side / 2)
                }
                None => (output_left - 24, TOP + BAND / 2),
            };
            for (i, &w) in row.iter().enumerate().take(from_n) {
                let (x, y) = map_corner(c, i, from_n, side);
                let strength = if largest > 0.0 {
                    w.abs() / largest
                } else {
                    0.0
                };
                let colour = class_color(usize::from(w > 0.0)).mix(0.25 + 0.5 * strength);
                let width = 1 + (4.0 * strength).round() as u32;
                root.draw(&PathElement::new(
                    vec![(x + side, y + side / 2), to],
                    colour.stroke_width(width),
                ))
                .map_err(plot_error(title))?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loss::Loss;
    use crate::optimizer::Optimizer;
    use crate::playground::{Feature, Playground};
    use crate::plot::tests_support::save;

    #[test]
    fn one_map_per_input_and_hidden_neuron_beside_the_boundary() {
        crate::seed(2);
        let points = Playground::Circle
            .generate(60, 0.0, 1)
            .unwrap()
            .features(&[Feature::X1, Feature::X2, Feature::X1Squared])
            .unwrap();
        let mut model = Sequential::input_features(3)
            .hidden_layers(&[5, 3], Activation::Tanh)
            .dense(1, Activation::Sigmoid);
        model
            .compile(Loss::BinaryCrossEntropy, Optimizer::default())
            .unwrap();
        let figure = neurons(&model, &points).unwrap();
        save(&figure, "neurons");
        assert_eq!(
            figure.title(),
            "Every neuron over the plane: 3 inputs, 8 hidden neurons (5 + 3), the output"
        );
        let svg = figure.svg();
        // Every map has a grey frame: 3 inputs + 8 hidden neurons.
        assert_eq!(
            svg.matches("opacity=\"0.4\" fill=\"none\" stroke=\"#000000\"")
                .count(),
            11
        );
        // Lines: 3·5 + 5·3 + 3·1 weights, coloured (the axes' lines are black).
        let weights = svg
            .split("<polyline")
            .skip(1)
            .filter(|line| !line.split('>').next().unwrap_or("").contains("#000000"))
            .count();
        assert_eq!(weights, 33);
        // The output's points, and the names of the inputs.
        assert_eq!(svg.matches("<circle").count(), 60);
        for text in ["x₁²", "hidden layer 2", "3 × tanh", "output"] {
            assert!(svg.contains(text), "lacks {text:?}");
        }
    }

    #[test]
    fn a_model_without_hidden_layers_shows_its_inputs_and_output() {
        let points = Playground::Xor
            .generate(20, 0.0, 1)
            .unwrap()
            .features(&[Feature::X1X2])
            .unwrap();
        let mut model = Sequential::input_features(1).dense(1, Activation::Sigmoid);
        model
            .compile(Loss::BinaryCrossEntropy, Optimizer::default())
            .unwrap();
        let figure = neurons(&model, &points).unwrap();
        assert_eq!(
            figure.title(),
            "Every neuron over the plane: 1 input, no hidden layer, the output"
        );
        let other = Playground::Xor.generate(20, 0.0, 1).unwrap();
        let e = neurons(&model, &other).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("Sequential::neuron_maps: `points` give the model 2"),
            "{e}"
        );
    }
}
