//! The confusion matrix as a heatmap.

use plotters::prelude::*;

use crate::error::{Error, Result};
use crate::metrics::ConfusionMatrix;
use crate::plot::{plot_error, render, style, Figure, Style};

/// A confusion matrix as a heatmap: true classes down, predicted classes across, the count
/// written in each cell.
pub fn confusion_matrix(matrix: &ConfusionMatrix) -> Result<Figure> {
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
    let style = style();
    render(title, style.square_size(), |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(title, style.title())
            .margin(16)
            .x_label_area_size(style.x_label_area())
            .y_label_area_size(style.y_label_area(9))
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
            .label_style(style.ticks())
            .axis_desc_style(style.text())
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
                        Style::font(style.title_font).color(&ink).pos(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::tests_support::save;

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
}
