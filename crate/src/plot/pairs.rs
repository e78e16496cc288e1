//! The pair plot of the exploration step.

use std::ops::Range;

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use crate::data::{class_indices, class_names, Table};
use crate::error::{Error, Result};
use crate::plot::{class_color, plot_error, render, style, Area, Figure, Style, Ticks};

/// The axes of one small panel of a grid of plots, named on the outer edges only.
fn draw_panel_axes(
    chart: &mut ChartContext<'_, SVGBackend<'_>, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    x_desc: Option<&str>,
    y_desc: Option<&str>,
    title: &str,
    style: &Style,
) -> Result<()> {
    let x_ticks = Ticks::new(&chart.x_range(), 3, false);
    let y_ticks = Ticks::new(&chart.y_range(), 4, false);
    let (x_label, y_label) = (|v: &f64| x_ticks.label(v), |v: &f64| y_ticks.label(v));
    let mut mesh = chart.configure_mesh();
    mesh.disable_mesh()
        .x_labels(x_ticks.count)
        .y_labels(y_ticks.count)
        .x_label_formatter(&x_label)
        .y_label_formatter(&y_label)
        .label_style(style.ticks())
        .axis_desc_style(style.text());
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
    for column in columns {
        // Missing values are dropped below; a text column or an unknown name is an error.
        let _ = table.complete_numbers(F, "columns", column, " to plot")?;
    }
    table.column_for(F, "hue", hue)?;
    let mut used = columns.to_vec();
    used.push(hue);
    let table = table.select(&used)?.drop_missing();
    let values = columns
        .iter()
        .map(|c| table.numbers(c))
        .collect::<Result<Vec<_>>>()?;
    let labels = table.texts(hue).map_err(|e| e.reported_by(F, |_| "hue"))?;
    let classes = class_names(&labels);
    let class_of = class_indices(&labels, &classes)?;
    let n = columns.len() as u32;
    let style = style();
    // The title, and the legend in a row under it, above the grid of panels.
    let (x_area, y_area) = (style.x_label_area(), style.y_label_area(4));
    let top = Style::line(style.title_font) + Style::line(style.text_font) + 24;
    let cell = (style.width - y_area - 8) / n;
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
    let n = n as usize;
    let size = (style.width, top + cell * n as u32 + x_area + 8);
    render(&title, size, |root| {
        let (header, grid) = root.split_vertically(top);
        draw_header(&header, &title, &classes, &style)?;
        // The panels of the first column and of the last row also hold the axes' names.
        let widths: Vec<u32> = (0..n)
            .map(|c| cell + if c == 0 { y_area } else { 0 })
            .collect();
        let heights: Vec<u32> = (0..n)
            .map(|r| cell + if r == n - 1 { x_area } else { 0 })
            .collect();
        let panels = grid.margin(0, 8, 0, 0).split_by_breakpoints(
            running_sums(&widths[..n - 1]),
            running_sums(&heights[..n - 1]),
        );
        for (index, panel) in panels.iter().enumerate() {
            let (row, col) = (index / n, index % n);
            let mut builder = ChartBuilder::on(panel);
            builder
                .margin(4)
                .x_label_area_size(if row == n - 1 { x_area } else { 0 })
                .y_label_area_size(if col == 0 { y_area } else { 0 });
            let x_desc = (row == n - 1).then_some(columns[col]);
            let y_desc = (col == 0).then_some(columns[row]);
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
                // As seaborn: the bars fill the panel, and the numbers on its left are the
                // row's values (shared with the row's other panels), not counts.
                let top = counts.iter().flatten().copied().max().unwrap_or(1) as f64 * 1.1;
                let rows = &ranges[row];
                let height =
                    |count: usize| rows.start + count as f64 / top * (rows.end - rows.start);
                let mut chart = builder
                    .build_cartesian_2d(range.clone(), rows.clone())
                    .map_err(plot_error(&title))?;
                draw_panel_axes(&mut chart, x_desc, y_desc, &title, &style)?;
                for (c, class_counts) in counts.iter().enumerate() {
                    let color = class_color(c);
                    chart
                        .draw_series(class_counts.iter().enumerate().map(|(b, &count)| {
                            let x0 = range.start + b as f64 * width;
                            Rectangle::new(
                                [(x0, rows.start), (x0 + width, height(count))],
                                color.mix(0.45).filled(),
                            )
                        }))
                        .map_err(plot_error(&title))?;
                }
            } else {
                let mut chart = builder
                    .build_cartesian_2d(ranges[col].clone(), ranges[row].clone())
                    .map_err(plot_error(&title))?;
                draw_panel_axes(&mut chart, x_desc, y_desc, &title, &style)?;
                chart
                    .draw_series(values[col].iter().zip(&values[row]).zip(&class_of).map(
                        |((&x, &y), &c)| Circle::new((x, y), 3, class_color(c).mix(0.8).filled()),
                    ))
                    .map_err(plot_error(&title))?;
            }
        }
        Ok(())
    })
}

/// The title, and under it the legend in one row: a coloured square and the name of each
/// class.
fn draw_header(header: &Area<'_>, title: &str, classes: &[String], style: &Style) -> Result<()> {
    header
        .draw(&Text::new(title, (12, 8), style.title()))
        .map_err(plot_error(title))?;
    let y = (Style::line(style.title_font) + 16) as i32;
    let square = style.text_font as i32;
    let mut x = 12;
    for (c, name) in classes.iter().enumerate() {
        header
            .draw(&Rectangle::new(
                [(x, y), (x + square, y + square)],
                class_color(c).filled(),
            ))
            .map_err(plot_error(title))?;
        let label = Text::new(name.as_str(), (x + square + 8, y), style.text());
        header.draw(&label).map_err(plot_error(title))?;
        let (width, _) = header
            .estimate_text_size(name, &style.text().into())
            .map_err(plot_error(title))?;
        x += square + 8 + width as i32 + 28;
    }
    Ok(())
}

/// The running sums of `sizes` without the last: where the pieces after the first begin.
fn running_sums(sizes: &[u32]) -> Vec<u32> {
    sizes
        .iter()
        .scan(0, |sum, size| {
            *sum += size;
            Some(*sum)
        })
        .collect()
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
        // The top-left histogram's axis reads bill lengths, as its row's (not counts from 0),
        // and no number has a needless ".0".
        let numbers = crate::plot::tests_support::numbers(&figure);
        assert_eq!(numbers[..7], ["40", "50", "60", "14", "16", "18", "20"]);
        assert!(
            !numbers.iter().any(|n| n == "0" || n.ends_with(".0")),
            "{numbers:?}"
        );
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
        assert_eq!(
            e.to_string(),
            "plot::pairs: `hue` is \"beak\", not a column of the table: expected one of \
             [\"species\", \"island\", \"bill_length_mm\", \"bill_depth_mm\", \
             \"flipper_length_mm\", \"body_mass_g\", \"sex\", \"year\"]"
        );
        let e = pairs(&all, &["island"], "species").unwrap_err();
        assert_eq!(
            e.to_string(),
            "plot::pairs: `columns` has \"island\", a text column: expected numeric columns to \
             plot (the numeric columns are [\"bill_length_mm\", \"bill_depth_mm\", \
             \"flipper_length_mm\", \"body_mass_g\", \"year\"])"
        );
        let e = pairs(&all, &columns, "year").unwrap_err();
        assert_eq!(
            e.to_string(),
            "plot::pairs: `hue` is \"year\", a numeric column; expected a text column"
        );
    }
}
