//! The first slide, "What is deep learning?": deep learning inside machine learning, inside
//! artificial intelligence. Notebook 01 opens with its figure, [`fields`], which a notebook
//! calls `plot::fields` (see the prelude).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::error::Result;
use crate::plot::{class_color, plot_error, render, style, Area, Figure, Style};

/// The three fields of the first slide, outermost first: a name and what sets it apart.
pub const FIELDS: [(&str, &str); 3] = [
    (
        "Artificial intelligence",
        "machines doing tasks that take intelligence",
    ),
    ("Machine learning", "rules learned from examples"),
    ("Deep learning", "networks of many layers"),
];

/// The first slide's figure: three nested ovals, artificial intelligence around machine
/// learning around deep learning, each with its name and one line on what sets it apart.
///
/// ```
/// let figure = dlintro::intro::fields()?;
/// assert_eq!(figure.title(), "What is deep learning?");
/// assert!(figure.svg().contains("Machine learning"));
/// # Ok::<(), dlintro::Error>(())
/// ```
pub fn fields() -> Result<Figure> {
    let title = "What is deep learning?";
    let style = style();
    let (width, height) = style.size();
    let top = Style::line(style.title_font) as f64 + 24.0;
    let bottom = height as f64 - 12.0;
    let line = Style::line(style.text_font) as f64;
    let small = Style::line(style.tick_font) as f64;
    render(title, (width, height), |root: &Area<'_>| {
        root.draw(&Text::new(title, (12, 10), style.title()))
            .map_err(plot_error(title))?;
        let center_x = width as f64 / 2.0;
        let full = (width as f64 * 0.47, (bottom - top) / 2.0);
        let step = line + small + 28.0;
        for (i, (name, what)) in FIELDS.iter().enumerate() {
            // Each oval sits on the bottom of the one around it, and leaves room above for
            // the outer oval's two lines of text.
            let shrink = i as f64 * step / 2.0;
            let (rx, ry) = (full.0 * (1.0 - 0.27 * i as f64), full.1 - shrink);
            let center_y = bottom - ry;
            let oval: Vec<(i32, i32)> = (0..240)
                .map(|k| {
                    let angle = k as f64 / 240.0 * std::f64::consts::TAU;
                    let x = center_x + rx * angle.cos();
                    let y = center_y + ry * angle.sin();
                    (x.round() as i32, y.round() as i32)
                })
                .collect();
            let color = class_color(i);
            root.draw(&Polygon::new(oval.clone(), color.mix(0.22).filled()))
                .map_err(plot_error(title))?;
            let mut outline = oval;
            outline.push(outline[0]);
            root.draw(&PathElement::new(outline, color.stroke_width(2)))
                .map_err(plot_error(title))?;
            let label_y = center_y - ry + 10.0;
            let anchor = Pos::new(HPos::Center, VPos::Top);
            let at = |y: f64| (center_x.round() as i32, y.round() as i32);
            let heading = style.text().color(&BLACK).pos(anchor);
            root.draw(&Text::new(*name, at(label_y), heading))
                .map_err(plot_error(title))?;
            let note = style.ticks().color(&BLACK.mix(0.75)).pos(anchor);
            root.draw(&Text::new(*what, at(label_y + line), note))
                .map_err(plot_error(title))?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_is_named_once_inside_the_figure() {
        let figure = fields().unwrap();
        assert_eq!(figure.size(), style().size());
        for (name, what) in FIELDS {
            assert_eq!(figure.svg().matches(name).count(), 1, "{name}");
            assert_eq!(figure.svg().matches(what).count(), 1, "{what}");
        }
        assert_eq!(figure.svg().matches("<polygon").count(), 3);
    }
}
