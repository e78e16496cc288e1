//! A picture of a model's architecture, as on the neuron slides: circles and lines for a small
//! dense network, a column of layer blocks for a deep one. (The lesson's optional
//! `plot_model` needs Graphviz; this needs nothing.) A Functional [`Model`] is drawn as blocks
//! too, its branches beside the main path and joined to it by lines.

use plotters::prelude::*;

use crate::activation::Activation;
use crate::error::{Error, Result};
use crate::model::{Action, Layer, Model, Sequential};
use crate::plot::{class_color, plot_error, render, style, Area, Figure, Style};

/// The widest layer drawn neuron by neuron; wider networks are drawn as blocks.
const MOST_NEURONS: usize = 16;
/// Pixels from one neuron to the next in a column, at most.
const NEURON_SPACING: i32 = 56;

/// A model [`model()`] can draw: a [`Sequential`] or a Functional [`Model`] (`plot::model(&model)`
/// takes either).
#[derive(Debug, Clone, Copy)]
pub enum Architecture<'a> {
    /// Layers one after another.
    Sequential(&'a Sequential),
    /// Layers applied to earlier outputs, with branches.
    Functional(&'a Model),
}

impl<'a> From<&'a Sequential> for Architecture<'a> {
    fn from(model: &'a Sequential) -> Self {
        Architecture::Sequential(model)
    }
}

impl<'a> From<&'a Model> for Architecture<'a> {
    fn from(model: &'a Model) -> Self {
        Architecture::Functional(model)
    }
}

/// The model's architecture: for a small dense network, every neuron as a circle and every
/// weight as a line, a column per layer; for a deep one (convolutions, or layers wider than
/// 16 neurons), a column of blocks with each layer's output shape and parameter count. A
/// Functional [`Model`] is a column of blocks, one per step, each after its inputs (a branch
/// right after the layer it starts from): the main path (the longest from input to output)
/// reads down the left column, the steps off it stand out to the right, and lines join them to
/// where they start and end.
///
/// ```
/// use dlintro::prelude::*;
/// let model = Sequential::input_features(4).dense(10, Activation::Relu).dense(3, Activation::Softmax);
/// let figure = plot::model(&model)?;
/// assert_eq!(figure.svg().matches("<circle").count(), 4 + 10 + 3);
///
/// let inputs = Input::features(4);
/// let a = Layer::dense(8, Activation::Relu).apply(&inputs)?;
/// let b = Layer::dense(8, Activation::Relu).apply(&a)?;
/// let shortcut = layers::add(&[&a, &b])?;
/// let functional = Model::new(&inputs, &Layer::dense(3, Activation::Softmax).apply(&shortcut)?)?;
/// assert!(plot::model(&functional)?.svg().contains("Add  →  (None, 8)"));
/// # Ok::<(), dlintro::Error>(())
/// ```
pub fn model<'a>(model: impl Into<Architecture<'a>>) -> Result<Figure> {
    let model = match model.into() {
        Architecture::Sequential(model) => model,
        Architecture::Functional(model) => return functional(model),
    };
    const F: &str = "plot::model";
    let shapes = model.shapes()?;
    if model.layers().is_empty() {
        return Err(Error::invalid(
            F,
            "model",
            "has no layers, expected at least one: add .dense(units, activation)",
        ));
    }
    let small = model
        .layers()
        .iter()
        .all(|l| matches!(l, Layer::Dense { .. } | Layer::Dropout { .. }))
        && shapes.iter().all(|s| s[0] <= MOST_NEURONS);
    if small {
        neurons(model, &shapes)
    } else {
        blocks(model)
    }
}

/// A short name for a layer's activation, under its column.
fn activation_name(activation: Activation) -> String {
    match activation {
        Activation::Linear => "linear".into(),
        other => other.to_string(),
    }
}

/// Circles and lines: the picture of the neuron slides.
fn neurons(model: &Sequential, shapes: &[Vec<usize>]) -> Result<Figure> {
    let title = "The network, neuron by neuron";
    // One column for the input, then one per dense layer (dropout changes no neuron).
    let mut columns: Vec<(usize, String)> = vec![(shapes[0][0], "input".into())];
    for (layer, shape) in model.layers().iter().zip(&shapes[1..]) {
        match layer {
            Layer::Dense { activation, .. } => {
                columns.push((
                    shape[0],
                    format!("Dense · {}", activation_name(*activation)),
                ));
            }
            Layer::Dropout { rate } => {
                let last = columns.last_mut().expect("the input column");
                last.1.push_str(&format!(" · dropout {rate}"));
            }
            _ => unreachable!("only dense and dropout layers are drawn neuron by neuron"),
        }
    }
    let style = style();
    // The title on top, the neurons below, two lines of labels under each column: as tall
    // as the tallest column needs, no taller than a figure of the style.
    let step = ((style.width - 100) / columns.len() as u32).min(180) as i32;
    let line = Style::line(style.tick_font) as i32 + 2;
    let top = Style::line(style.title_font) as i32 + 24;
    let tallest = columns.iter().map(|c| c.0).max().unwrap_or(1).max(1) as i32;
    let room = style.height as i32 - top - 2 * line - 24;
    let spacing = (room / tallest).clamp(12, NEURON_SPACING);
    let labels = top + tallest * spacing + 8;
    let size = (
        step as u32 * columns.len() as u32 + 100,
        (labels + 2 * line + 16) as u32,
    );
    let x_of = |c: usize| 50 + step / 2 + step * c as i32;
    let y_of = |count: usize, i: usize| {
        top + tallest * spacing / 2 + (2 * i as i32 - count as i32 + 1) * spacing / 2
    };
    render(title, size, |root: &Area<'_>| {
        for (c, pair) in columns.windows(2).enumerate() {
            for i in 0..pair[0].0 {
                for j in 0..pair[1].0 {
                    root.draw(&PathElement::new(
                        vec![
                            (x_of(c), y_of(pair[0].0, i)),
                            (x_of(c + 1), y_of(pair[1].0, j)),
                        ],
                        BLACK.mix(0.25),
                    ))
                    .map_err(plot_error(title))?;
                }
            }
        }
        let radius = (spacing / 3).clamp(4, 14);
        for (c, (count, label)) in columns.iter().enumerate() {
            let color = match c {
                0 => class_color(0),
                c if c == columns.len() - 1 => class_color(1),
                _ => class_color(2),
            };
            for i in 0..*count {
                root.draw(&Circle::new(
                    (x_of(c), y_of(*count, i)),
                    radius,
                    color.filled(),
                ))
                .map_err(plot_error(title))?;
            }
            let anchor = style
                .ticks()
                .color(&BLACK)
                .pos(plotters::style::text_anchor::Pos::new(
                    plotters::style::text_anchor::HPos::Center,
                    plotters::style::text_anchor::VPos::Top,
                ));
            root.draw(&Text::new(
                match (c, count) {
                    (0, 1) => "1 input".to_string(),
                    (0, n) => format!("{n} inputs"),
                    (_, 1) => "1 neuron".to_string(),
                    (_, n) => format!("{n} neurons"),
                },
                (x_of(c), labels),
                anchor.clone(),
            ))
            .map_err(plot_error(title))?;
            root.draw(&Text::new(label.clone(), (x_of(c), labels + line), anchor))
                .map_err(plot_error(title))?;
        }
        root.draw(&Text::new(title, (12, 10), style.title()))
            .map_err(plot_error(title))?;
        Ok(())
    })
}

/// A column of blocks, one per layer, with its output shape and parameter count.
fn blocks(model: &Sequential) -> Result<Figure> {
    let title = "The network, layer by layer";
    let summary = model.summary();
    let rows = summary.rows.len() as u32;
    let style = style();
    let line = Style::line(style.tick_font);
    let (block, gap) = (line + 14, 10u32);
    let first = Style::line(style.title_font) + line + 30;
    let size = (style.width, first + rows * (block + gap) + line + 24);
    let right = size.0 as i32 - 30;
    render(title, size, |root: &Area<'_>| {
        root.draw(&Text::new(title, (12, 10), style.title()))
            .map_err(plot_error(title))?;
        let input = crate::model::shape_text(model.sample_shape());
        root.draw(&Text::new(
            format!("input {input}"),
            (40, first as i32 - line as i32 - 10),
            style.ticks(),
        ))
        .map_err(plot_error(title))?;
        for (i, ((_, shape, parameters), layer)) in
            summary.rows.iter().zip(model.layers()).enumerate()
        {
            let top = (first + i as u32 * (block + gap)) as i32;
            let color = match layer {
                Layer::Conv2D { .. } => class_color(0),
                Layer::MaxPooling2D { .. } => class_color(1),
                Layer::Dense { .. } => class_color(2),
                _ => class_color(4),
            };
            root.draw(&Rectangle::new(
                [(30, top), (right, top + block as i32)],
                color.mix(0.25).filled(),
            ))
            .map_err(plot_error(title))?;
            root.draw(&Rectangle::new(
                [(30, top), (right, top + block as i32)],
                color.stroke_width(2),
            ))
            .map_err(plot_error(title))?;
            let text = format!("{layer}  →  {shape}   {parameters} params");
            root.draw(&Text::new(text, (42, top + 7), style.ticks()))
                .map_err(plot_error(title))?;
        }
        let bottom = (first + rows * (block + gap)) as i32 + 6;
        root.draw(&Text::new(
            format!("Total params: {}", summary.total),
            (40, bottom),
            style.text(),
        ))
        .map_err(plot_error(title))?;
        Ok(())
    })
}

/// Which steps of `model` lie on its main path: the longest from the input to the output.
fn main_path(model: &Model) -> Vec<bool> {
    let steps = model.steps();
    let mut depth = vec![0usize; steps.len()];
    for (i, step) in steps.iter().enumerate() {
        depth[i] = step.inputs.iter().map(|&j| depth[j] + 1).max().unwrap_or(0);
    }
    let mut on = vec![false; steps.len()];
    let mut at = steps.len() - 1;
    loop {
        on[at] = true;
        // The deepest input; of two as deep, the later one (the block just above).
        match steps[at]
            .inputs
            .iter()
            .copied()
            .max_by_key(|&j| (depth[j], j))
        {
            Some(next) => at = next,
            None => return on,
        }
    }
}

/// A Functional model as a column of blocks, branches indented, links as lines on the right.
fn functional(model: &Model) -> Result<Figure> {
    let title = "The network, step by step";
    let steps = model.steps();
    let summary = model.summary();
    let main = main_path(model);
    // The main path reads down the left column, over the branches beside it; every other link
    // (into a branch, out of it, within it over other blocks) is drawn.
    let next_on_main = |j: usize, i: usize| main[j] && main[i] && !main[j + 1..i].contains(&true);
    let next_in_branch = |j: usize, i: usize| j + 1 == i && !main[j] && !main[i];
    let links: Vec<(usize, usize)> = steps
        .iter()
        .enumerate()
        .flat_map(|(i, step)| step.inputs.iter().map(move |&j| (j, i)))
        .filter(|&(j, i)| !next_on_main(j, i) && !next_in_branch(j, i))
        .collect();
    let params: Vec<usize> = {
        let inputs: Vec<Vec<usize>> = steps
            .iter()
            .map(|s| {
                s.inputs
                    .first()
                    .map_or(Vec::new(), |&j| steps[j].shape.clone())
            })
            .collect();
        steps
            .iter()
            .zip(&inputs)
            .map(|(s, input)| match s.kind {
                Action::Layer(i) => model.layers()[i].0.parameters(input),
                _ => 0,
            })
            .collect()
    };
    let style = style();
    let line = Style::line(style.tick_font);
    let (block, gap) = (line + 14, 10u32);
    let first = Style::line(style.title_font) + 30;
    let rows = steps.len() as u32;
    let size = (style.width, first + rows * (block + gap) + line + 24);
    let right = size.0 as i32 - 40 - 12 * links.len().min(20) as i32;
    let top_of = |i: usize| (first + i as u32 * (block + gap)) as i32;
    let left_of = |i: usize| if main[i] { 30 } else { 70 };
    render(title, size, |root: &Area<'_>| {
        root.draw(&Text::new(title, (12, 10), style.title()))
            .map_err(plot_error(title))?;
        for (i, step) in steps.iter().enumerate() {
            let (name, color) = match step.kind {
                Action::Input => ("Input".to_string(), class_color(3)),
                Action::Layer(l) => {
                    let layer = model.layers()[l].0;
                    let color = match layer {
                        Layer::Conv2D { .. } => class_color(0),
                        Layer::MaxPooling2D { .. } => class_color(1),
                        Layer::Dense { .. } => class_color(2),
                        _ => class_color(4),
                    };
                    (layer.to_string(), color)
                }
                Action::Concatenate => ("Concatenate".to_string(), class_color(5)),
                Action::Add => ("Add".to_string(), class_color(5)),
            };
            let (top, left) = (top_of(i), left_of(i));
            let corners = [(left, top), (right, top + block as i32)];
            root.draw(&Rectangle::new(corners, color.mix(0.25).filled()))
                .map_err(plot_error(title))?;
            root.draw(&Rectangle::new(corners, color.stroke_width(2)))
                .map_err(plot_error(title))?;
            let shape = crate::model::shape_text(&step.shape);
            let text = match params[i] {
                0 => format!("{name}  →  {shape}"),
                n => format!("{name}  →  {shape}   {n} params"),
            };
            root.draw(&Text::new(text, (left + 12, top + 7), style.ticks()))
                .map_err(plot_error(title))?;
        }
        for (k, &(from, to)) in links.iter().enumerate() {
            let x = right + 12 + 12 * (k % 20) as i32;
            let (y0, y1) = (
                top_of(from) + block as i32 / 2,
                top_of(to) + block as i32 / 2,
            );
            root.draw(&PathElement::new(
                vec![(right, y0), (x, y0), (x, y1), (right, y1)],
                BLACK.mix(0.6).stroke_width(2),
            ))
            .map_err(plot_error(title))?;
            // An arrowhead where the link arrives.
            root.draw(&Polygon::new(
                vec![(right, y1), (right + 7, y1 - 4), (right + 7, y1 + 4)],
                BLACK.mix(0.6).filled(),
            ))
            .map_err(plot_error(title))?;
        }
        let bottom = top_of(steps.len()) + 6;
        root.draw(&Text::new(
            format!("Total params: {}", summary.total),
            (40, bottom),
            style.text(),
        ))
        .map_err(plot_error(title))?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::tests_support::save;

    #[test]
    fn a_small_dense_network_is_drawn_neuron_by_neuron() {
        let model = Sequential::input_features(2)
            .dense(2, Activation::Relu)
            .dense(1, Activation::Relu);
        let figure = model_figure(&model);
        save(&figure, "network-xor");
        // As tall as two neurons need: the title, two rows of 56 pixels, two lines of labels.
        assert_eq!(figure.size(), (640, 243));
        assert_eq!(figure.svg().matches("<circle").count(), 2 + 2 + 1);
        // Every weight a line: 2·2 + 2·1.
        assert_eq!(figure.svg().matches("<polyline").count(), 6);
        for text in ["2 inputs", "2 neurons", "\n1 neuron\n", "Dense · ReLU"] {
            assert!(figure.svg().contains(text), "lacks {text:?}");
        }
    }

    #[test]
    fn a_diagram_is_as_tall_as_its_tallest_column() {
        let height = |units: usize| {
            let model = Sequential::input_features(2)
                .dense(units, Activation::Relu)
                .dense(1, Activation::Sigmoid);
            model_figure(&model).size().1
        };
        // Three neurons: a third of a projector's window, not the whole of it.
        assert_eq!(height(3), 299);
        assert_eq!(height(6), 467);
        // Sixteen shrink to fit a figure of the style; thirty are blocks, one per layer.
        assert_eq!(height(16), 499);
        assert_eq!(height(30), 225);
        let style = crate::plot::style();
        assert!(height(16) <= style.height + 40 && height(3) < style.height * 2 / 3);
    }

    #[test]
    fn a_deep_network_is_drawn_as_blocks_with_shapes_and_counts() {
        let model = Sequential::input_image(28, 28, 1)
            .conv2d(8, 3, Activation::Relu)
            .max_pool2d(2)
            .flatten()
            .dense(3, Activation::Softmax);
        let figure = model_figure(&model);
        save(&figure, "network-cnn");
        for text in [
            "Conv2D 8 3×3",
            "(None, 26, 26, 8)",
            "80 params",
            "MaxPooling2D 2×2",
            "(None, 1352)",
            "Total params: 4139",
            "input (None, 28, 28, 1)",
        ] {
            assert!(figure.svg().contains(text), "lacks {text:?}");
        }
        assert_eq!(figure.svg().matches("<circle").count(), 0);
    }

    #[test]
    fn a_model_that_does_not_fit_together_is_an_error() {
        let model = Sequential::input_image(2, 2, 1).conv2d(1, 3, Activation::Relu);
        let e = super::model(&model).unwrap_err();
        assert!(e.to_string().contains("gets 2×2 images"), "{e}");
        let e = super::model(&Sequential::input_features(3)).unwrap_err();
        assert!(e.to_string().contains("has no layers"), "{e}");
    }

    #[test]
    fn a_functional_model_is_drawn_with_its_branches() {
        // The slide's route in small: a branch reorganised, joined with the main path.
        let inputs = crate::model::Input::image(8, 8, 3);
        let conv = Layer::conv2d_same(4, 3, Activation::Relu)
            .apply(&inputs)
            .unwrap();
        let pooled = Layer::max_pool2d(2).apply(&conv).unwrap();
        let deeper = Layer::conv2d_same(8, 3, Activation::Relu)
            .apply(&pooled)
            .unwrap();
        let reorg = Layer::SpaceToDepth { block_size: 2 }.apply(&conv).unwrap();
        let route = crate::model::layers::concatenate(&[&reorg, &deeper]).unwrap();
        let model = crate::model::Model::new(&inputs, &route).unwrap();
        assert_eq!(main_path(&model), [true, true, false, true, true, true]);
        let figure = super::model(&model).unwrap();
        save(&figure, "network-functional");
        for text in [
            "Input  →  (None, 8, 8, 3)",
            "Conv2D 4 3×3  →  (None, 8, 8, 4)   112 params",
            "SpaceToDepth 2×2  →  (None, 4, 4, 16)",
            "Concatenate  →  (None, 4, 4, 24)",
            "Total params: 408",
        ] {
            assert!(figure.svg().contains(text), "lacks {text:?}");
        }
        // Steps depth first from the output: input, conv, reorg, pooling, deeper conv, route.
        // The links into and out of the branch are drawn: conv → reorg and reorg → route,
        // two lines, two arrowheads; conv → pooling is the main path, read over the branch.
        assert_eq!(figure.svg().matches("<polyline").count(), 2);
        assert_eq!(figure.svg().matches("<polygon").count(), 2);
    }

    fn model_figure(model: &Sequential) -> Figure {
        super::model(model).unwrap()
    }
}
