//! Slide metadata, so that a notebook presents as slides with RISE: one slide per idea.
//!
//! `cargo xtask slides` sets every cell's `metadata.slideshow.slide_type` from the cell
//! structure with [`slide_types`]; the notebook tests check that the committed notebooks
//! carry exactly those types ([`check_slides`]), so a notebook edited without running the
//! command again fails with a message that names it.
//!
//! The rules, in order:
//! - a cell tagged `instructor` is a speaker note (`notes`): in RISE's speaker view, not on
//!   a slide;
//! - a Markdown cell that starts with a `#` or `##` heading starts a slide, one with a `###`
//!   (or deeper) heading a subslide;
//! - a solution cell (tagged `solution`) starts a subslide, so the answer comes after the
//!   exercise;
//! - any other cell is a fragment of the slide it follows (revealed with the next key press)
//!   while the slide has room for it, and starts a subslide when it has not; a Markdown
//!   cell needs room for the code cell after it too, so that text stays with the code it
//!   introduces. The room is measured in lines, from each cell's source and the outputs its
//!   metadata expects; a figure counts as [`FIGURE_LINES`].

use crate::{Cell, Notebook, Problem, INSTRUCTOR_TAG};

/// Lines of text one slide holds at 1280×720 before it has to scroll.
pub const SLIDE_LINES: usize = 26;
/// Lines a figure takes on a slide.
pub const FIGURE_LINES: usize = 20;
/// Characters of a line before it wraps, on a slide.
const LINE_WIDTH: usize = 100;

/// How many lines `text` takes when its long lines wrap.
fn wrapped_lines(text: &str) -> usize {
    text.lines()
        .map(|line| line.chars().count().div_ceil(LINE_WIDTH).max(1))
        .sum()
}

/// The heading level of a Markdown cell's first line (`## Title` is 2), or 0.
fn heading_level(cell: &Cell) -> usize {
    let text = cell.source();
    let first = text.trim_start().lines().next().unwrap_or("");
    let level = first.chars().take_while(|&c| c == '#').count();
    if level > 0 && first[level..].starts_with(' ') {
        level
    } else {
        0
    }
}

/// The lines a cell takes on a slide: its source, and for a code cell the lines and figures
/// it is expected to show.
fn estimated_lines(cell: &Cell) -> usize {
    let text = cell.source();
    if !cell.is_code() {
        // A paragraph break takes about half a line; a heading about two.
        let blank = text.lines().filter(|l| l.trim().is_empty()).count();
        let written: String = text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .collect::<Vec<_>>()
            .join("\n");
        return wrapped_lines(&written) + blank / 2 + usize::from(heading_level(cell) > 0);
    }
    let printed: usize = cell.expectations().iter().map(|l| wrapped_lines(l)).sum();
    // One line of padding around the code.
    wrapped_lines(&text) + 1 + printed + FIGURE_LINES * cell.displays().len()
}

/// The slide type of every cell, in order: `slide`, `subslide`, `fragment` or `notes`.
///
/// ```
/// let nb = dlintro_notebooks::Notebook::from(serde_json::json!({ "cells": [
///     { "cell_type": "markdown", "source": "# Title", "metadata": {} },
///     { "cell_type": "code", "source": "let x = 1;", "metadata": {} },
///     { "cell_type": "markdown", "source": "## Next idea", "metadata": {} },
/// ]}));
/// assert_eq!(dlintro_notebooks::slides::slide_types(&nb), ["slide", "fragment", "slide"]);
/// ```
pub fn slide_types(notebook: &Notebook) -> Vec<&'static str> {
    let mut types = Vec::new();
    // Lines already on the current slide.
    let mut used = 0;
    let all = &notebook.cells;
    for (i, cell) in all.iter().enumerate() {
        let lines = estimated_lines(cell);
        let level = if cell.is_code() {
            0
        } else {
            heading_level(cell)
        };
        // Text that introduces code needs room for the code as well.
        let needed = match all.get(i + 1) {
            Some(next) if !cell.is_code() && next.is_code() && !next.is_solution() => {
                lines + estimated_lines(next)
            }
            _ => lines,
        };
        let kind = if cell.has_tag(INSTRUCTOR_TAG) {
            "notes"
        } else if level == 1 || level == 2 || types.is_empty() {
            "slide"
        } else if level > 2 || cell.is_solution() || used + needed > SLIDE_LINES {
            "subslide"
        } else {
            "fragment"
        };
        match kind {
            "notes" => {}
            "slide" | "subslide" => used = lines,
            _ => used += lines,
        }
        types.push(kind);
    }
    types
}

/// Checks that every cell carries the slide type [`slide_types`] gives it.
pub fn check_slides(notebook: &Notebook) -> Vec<Problem> {
    let wanted = slide_types(notebook);
    let wrong: Vec<(usize, &Cell, &str)> = notebook
        .cells
        .iter()
        .zip(&wanted)
        .enumerate()
        .filter(|(_, (cell, want))| cell.slide_type() != Some(**want))
        .map(|(i, (cell, want))| (i + 1, cell, *want))
        .collect();
    let Some(&(index, cell, want)) = wrong.first() else {
        return Vec::new();
    };
    let has = cell
        .slide_type()
        .map_or("none".to_string(), |t| format!("{t:?}"));
    vec![Problem {
        cell: None,
        source: String::new(),
        reason: format!(
            "{} of {} cells lack the slide type that `cargo xtask slides` gives them (the \
             first is cell {index}, `{}`: slide type {has}, expected {want:?}); run `cargo \
             xtask slides` and commit the notebook",
            wrong.len(),
            wanted.len(),
            cell.first_line()
        ),
        output: String::new(),
    }]
}

/// The notebook `text` with every cell's `metadata.slideshow.slide_type` set by
/// [`slide_types`], and every other byte as it was.
pub fn with_slide_types(text: &str) -> Result<String, String> {
    let mut notebook = Notebook::parse(text)?;
    let types = slide_types(&notebook);
    for (cell, kind) in notebook.cells.iter_mut().zip(types) {
        cell.set_slide_type(kind);
    }
    Ok(notebook.to_text())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn markdown(text: &str) -> Value {
        json!({ "cell_type": "markdown", "source": text, "metadata": {} })
    }

    fn code(text: &str, metadata: Value) -> Value {
        json!({ "cell_type": "code", "source": text, "metadata": metadata,
                "execution_count": null, "outputs": [] })
    }

    #[test]
    fn headings_start_slides_and_solutions_subslides() {
        let figure = json!({ "dlintro": { "display": ["image/svg+xml"] } });
        let nb = json!({ "cells": [
            markdown("# Title\n\n**Questions**\n- one"),
            code(":dep dlintro = { path = \"../crate\" }", json!({})),
            markdown("## Exercise\n\nWhat is 1 + 1?"),
            code("let answer = f64::NAN;", json!({})),
            code("check(2.0);", json!({ "tags": ["solution"] })),
            markdown("### A detail"),
            code("plot::lines(…)?", figure.clone()),
            code("plot::lines(…)?", figure),
            markdown("Say this aloud.", ),
        ]});
        let mut nb = nb;
        nb["cells"][8]["metadata"] = json!({ "tags": [INSTRUCTOR_TAG] });
        assert_eq!(
            slide_types(&nb.into()),
            [
                "slide", "fragment", "slide", "fragment", "subslide", "subslide", "fragment",
                // Two figures do not fit on one slide.
                "subslide", "notes"
            ]
        );
    }

    #[test]
    fn text_stays_with_the_code_it_introduces() {
        let figure = json!({ "dlintro": { "display": ["image/svg+xml"] } });
        let nb = json!({ "cells": [
            markdown("## A figure"),
            // 2 lines of code and padding, 20 of figure: 24 with the heading's 2.
            code("plot::lines(…)?", figure),
            // Fits alone (1 line), not with the code after it (2 more).
            markdown("Now the numbers:"),
            code("println!(\"{x}\");", json!({})),
        ]});
        assert_eq!(
            slide_types(&nb.into()),
            ["slide", "fragment", "subslide", "fragment"]
        );
    }

    #[test]
    fn a_full_slide_continues_on_a_subslide() {
        let long = (0..SLIDE_LINES - 2)
            .map(|i| format!("- point {i}"))
            .collect::<Vec<_>>()
            .join("\n");
        let nb = json!({ "cells": [
            markdown(&format!("## Many points\n{long}")),
            code("let x = 1;", json!({})),
            code("let y = 2;", json!({})),
        ]});
        // Heading (2 lines) and 24 points fill the slide; each code cell takes 2 lines.
        assert_eq!(slide_types(&nb.into()), ["slide", "subslide", "fragment"]);
        assert_eq!(wrapped_lines(&"x".repeat(LINE_WIDTH + 1)), 2);
        assert_eq!(heading_level(&markdown("#hashtag").into()), 0);
        assert_eq!(heading_level(&markdown("### Three").into()), 3);
    }

    #[test]
    fn slide_types_are_written_and_checked() {
        let text = "{\n \"cells\": [\n  {\n   \"cell_type\": \"markdown\",\n   \
                    \"metadata\": {\"tags\": [\"x\"]},\n   \"source\": \"# T\"\n  },\n  \
                    {\n   \"cell_type\": \"code\",\n   \"source\": \"1\"\n  }\n ]\n}\n";
        let before = Notebook::parse(text).unwrap();
        let problems = check_slides(&before);
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].reason.starts_with(
                "2 of 2 cells lack the slide type that `cargo xtask slides` gives them (the \
                 first is cell 1, `# T`: slide type none, expected \"slide\")"
            ),
            "{}",
            problems[0].reason
        );
        let written = with_slide_types(text).unwrap();
        let after: Value = serde_json::from_str(&written).unwrap();
        assert_eq!(check_slides(&Notebook::parse(&written).unwrap()), vec![]);
        assert_eq!(after["cells"][0]["metadata"]["tags"], json!(["x"]));
        assert_eq!(
            after["cells"][1]["metadata"]["slideshow"]["slide_type"],
            "fragment"
        );
        assert!(written.contains(
            "   \"metadata\": {\n    \"tags\": [\n     \"x\"\n    ],\n    \"slideshow\": {\n     \
             \"slide_type\": \"slide\"\n    }\n   },"
        ));
        assert_eq!(with_slide_types(&written).unwrap(), written);
    }
}
