//! The pair plot of the exploration step.

use std::ops::Range;

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use crate::data::{class_indices, class_names, Table};
use crate::error::{Error, Result};
use crate::plot::{class_color, plot_error, render, Figure};

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
/// of each column on the diagonal: seaborn's pair plot, for the exploration step. Rows with
/// a missing value in one of these columns are left out, as seaborn leaves them out.
///
/// ```
/// let penguins = dlintro::data::penguins()?;
/// let figure = dlintro::plot::pairs(&penguins, &["bill_length_mm", "body_mass_g"], "species")?;
/// assert!(figure.svg().contains("Gentoo"));
/// # Ok::<(), dlintro::Error>(())
/// ```
pub fn pairs(table: &Table, columns: &[&str], hue: &str) -> Result<Figure> {
    const F: &str = "plot::pairs";
    if columns.is_empty() {
        return Err(Error::invalid(
            F,
            "columns",
            "is empty, expected at least one column",
        ));
    }
    let mut used = columns.to_vec();
    used.push(hue);
    let table = table.select(&used)?.drop_missing();
    let values = columns
        .iter()
        .map(|c| table.numbers(c))
        .collect::<Result<Vec<_>>>()?;
    let labels = table.texts(hue)?;
    let classes = class_names(&labels);
    let class_of = class_indices(&labels, &classes)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::tests_support::save;

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
        // The whole table: the 342 penguins measured, as seaborn shows them; by sex, the 333
        // whose sex is known.
        let all = crate::data::penguins().unwrap();
        let figure = pairs(&all, &columns, "species").unwrap();
        assert_eq!(figure.svg().matches("<circle").count(), 12 * 342);
        let figure = pairs(&all, &columns, "sex").unwrap();
        assert_eq!(figure.svg().matches("<circle").count(), 12 * 333);
        assert!(figure.svg().contains("female"));
        let e = pairs(&all, &columns, "beak").unwrap_err();
        assert!(e.to_string().contains("`name` is \"beak\""), "{e}");
    }
}
