//! `cargo xtask html`: the executed notebooks as web pages, to browse without a kernel.
//!
//! The notebook tests leave an executed copy of every notebook in `target/notebooks/`; this
//! exports each with nbconvert (JupyterLab's look) to `target/html/NAME.html`, checks that
//! every figure of the executed copy is in the page (nbconvert embeds them as data URLs), and
//! writes `target/html/index.html`, the notebooks in slide order. A notebook without an
//! executed copy, or whose copy is older than the notebook or failed, is named in the index
//! and on the terminal.

use std::path::{Path, PathBuf};
use std::process::Command;

use dlintro_notebooks::exercises::title;
use dlintro_notebooks::learner::{day_notebooks, DayNotebook};
use dlintro_notebooks::minutes::minutes;
use dlintro_notebooks::{check_executed, Notebook};

use crate::base::clock::show_clock;
use crate::base::failure::Failure;
use crate::base::process::capture;
use crate::base::repo::repo_root;
use crate::setup::env;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64, as nbconvert writes figures into the page.
pub fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// 40 characters from the middle of a base64 text: enough to find one figure in a page.
fn middle(base64: &str) -> String {
    let clean: String = base64.chars().filter(|c| !c.is_whitespace()).collect();
    let from = (clean.len() / 2).saturating_sub(20) / 4 * 4;
    clean.chars().skip(from).take(40).collect()
}

/// A figure of an executed notebook: the 1-based cell, its kind, and a piece of the base64
/// text the exported page must contain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    pub cell: usize,
    pub kind: String,
    pub snippet: String,
}

/// Every figure the executed notebook shows: SVG and bitmap outputs, and images inside HTML
/// outputs (the playground's animation).
pub fn figures(executed: &Notebook) -> Vec<Figure> {
    let mut found = Vec::new();
    for (i, cell) in executed.cells.iter().enumerate() {
        for output in cell.outputs() {
            let Some(data) = output["data"].as_object() else {
                continue;
            };
            for (mime, value) in data {
                let body = value.text();
                let snippets: Vec<String> = match mime.as_str() {
                    "image/svg+xml" => vec![middle(&base64(body.as_bytes()))],
                    "image/png" | "image/jpeg" | "image/gif" => vec![middle(&body)],
                    "text/html" => body
                        .split("src=\"data:image/")
                        .skip(1)
                        .filter_map(|rest| rest.split_once(";base64,"))
                        .map(|(_, payload)| middle(payload.split('"').next().unwrap_or("")))
                        .collect(),
                    _ => continue,
                };
                for snippet in snippets.into_iter().filter(|s| s.len() == 40) {
                    found.push(Figure {
                        cell: i + 1,
                        kind: mime.clone(),
                        snippet,
                    });
                }
            }
        }
    }
    found
}

/// How an executed copy stands against its notebook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    /// Executed from the notebook as it is now, without problems.
    Fresh,
    /// No executed copy in target/notebooks/.
    Missing,
    /// The notebook changed since it was executed.
    Stale,
    /// The run failed; the first problem.
    Failed(String),
}

/// Compares an executed copy with its notebook: the same cells, by id and source.
pub fn state(notebook: &Notebook, executed: Option<&Notebook>) -> State {
    let Some(executed) = executed else {
        return State::Missing;
    };
    let key = |nb: &Notebook| -> Vec<(String, String)> {
        nb.cells
            .iter()
            .map(|c| (c.id().to_string(), c.source()))
            .collect()
    };
    if key(notebook) != key(executed) {
        return State::Stale;
    }
    match check_executed(executed).first() {
        Some(problem) => {
            State::Failed(problem.to_string().lines().next().unwrap_or("").to_string())
        }
        None => State::Fresh,
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One row of the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub file: String,
    pub title: String,
    pub minutes: Option<(u32, u32)>,
    pub figures: usize,
    pub state: State,
}

impl Entry {
    fn page(&self) -> String {
        self.file.trim_end_matches(".ipynb").to_string() + ".html"
    }
}

/// The index page: the notebooks in slide order.
pub fn index(entries: &[Entry], exported_at: &str) -> String {
    let mut rows = String::new();
    let mut clock = 0;
    for entry in entries {
        let number = entry.file.split('-').next().unwrap_or("");
        let name = if entry.state == State::Missing {
            escape(&entry.title)
        } else {
            format!(
                "<a href=\"{}\">{}</a>",
                escape(&entry.page()),
                escape(&entry.title)
            )
        };
        let note = match &entry.state {
            State::Fresh => String::new(),
            State::Missing => " <em>(not executed yet: run the notebook tests)</em>".into(),
            State::Stale => " <em>(executed before the notebook last changed)</em>".into(),
            State::Failed(why) => format!(" <em>(its last run failed: {})</em>", escape(why)),
        };
        let minutes = entry
            .minutes
            .map(|(t, e)| {
                let cell = format!("{t} + {e}</td><td>{}", show_clock(clock));
                clock += t + e;
                cell
            })
            .unwrap_or_else(|| "</td><td>".into());
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{name}{note}<br><code>{}</code></td><td>{minutes}</td><td>{}</td></tr>\n",
            escape(number),
            escape(&entry.file),
            entry.figures
        ));
    }
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Introduction to Deep Learning in Rust: Day 1</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ text-align: left; padding: 0.4rem 0.6rem; border-bottom: 1px solid #ddd; vertical-align: top; }}
td:nth-child(3), td:nth-child(4), td:nth-child(5) {{ white-space: nowrap; }}
code {{ color: #555; font-size: 0.85em; }}
</style>
</head>
<body>
<h1>Introduction to Deep Learning in Rust: Day 1</h1>
<p>The workshop's notebooks in slide order, as the notebook tests executed them: every output
and figure is in the page, and no kernel is needed to read them. They are the instructor's
notebooks, with the solutions and the instructor notes. Formulas need an internet connection
(MathJax); everything else works offline.</p>
<table>
<tr><th></th><th>Notebook</th><th>Minutes<br>(teaching + exercises)</th><th>Starts<br>(into the day)</th><th>Figures</th></tr>
{rows}</table>
<p><small>Exported by <code>cargo xtask html</code> ({exported_at}).</small></p>
</body>
</html>
"#
    )
}

/// The Python that has nbconvert: the environment set-up made (never created here).
fn python(root: &Path) -> Result<PathBuf, Failure> {
    let py = env::existing(root).ok_or_else(|| {
        Failure::new(
            "no Python environment yet (.venv/ or an activated conda environment): run `cargo \
             xtask setup` first, then the notebook tests (`cargo xtask test`), whose executed \
             copies this command exports"
                .into(),
        )
    })?;
    py.eval("import nbconvert").map_err(|_| {
        Failure::new(format!(
            "{} has no nbconvert: install it with `{}` (it is in environment.yml)",
            py.prefix.display(),
            py.pip_command("nbconvert")
        ))
    })?;
    Ok(py.python)
}

pub fn run(args: &[String]) -> Result<(), Failure> {
    if let Some(extra) = args.first() {
        return Err(Failure::new(format!(
            "`cargo xtask html` takes no options, got `{extra}`"
        )));
    }
    let root = repo_root();
    let executed_dir = root.join("target").join("notebooks");
    let out_dir = root.join("target").join("html");
    let mut entries = Vec::new();
    let mut to_export = Vec::new();
    for day in day_notebooks(&root, Some(&executed_dir)).map_err(Failure::new)? {
        let DayNotebook {
            file,
            notebook,
            executed,
        } = day;
        let executed_path = executed_dir.join(&file);
        let state = state(&notebook, executed.as_ref());
        let figures = executed.as_ref().map(figures).unwrap_or_default();
        if let Some(executed) = executed {
            to_export.push((executed_path, figures.clone(), executed));
        }
        entries.push(Entry {
            title: title(&notebook).unwrap_or_else(|| file.clone()),
            minutes: minutes(&notebook).map(|m| (m.teaching, m.exercises)),
            figures: figures.len(),
            file,
            state,
        });
    }
    if to_export.is_empty() {
        return Err(Failure::new(format!(
            "no executed notebooks in {}: run the notebook tests first (`cargo xtask test`)",
            executed_dir.display()
        )));
    }
    let python = python(&root)?;
    std::fs::create_dir_all(&out_dir)
        .map_err(|e| Failure::new(format!("could not create {}: {e}", out_dir.display())))?;
    let out = Command::new(&python)
        .args(["-m", "nbconvert", "--to", "html", "--output-dir"])
        .arg(&out_dir)
        .args(to_export.iter().map(|(path, _, _)| path))
        .output()
        .map_err(|e| Failure::new(format!("could not run {}: {e}", python.display())))?;
    if !out.status.success() {
        return Err(Failure::new(format!(
            "nbconvert failed:\n{}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    let mut missing_figures = Vec::new();
    for (path, figures, _) in &to_export {
        let stem = path.file_stem().unwrap_or_default().to_string_lossy();
        let page = out_dir.join(format!("{stem}.html"));
        let html = std::fs::read_to_string(&page)
            .map_err(|e| Failure::new(format!("nbconvert wrote no {}: {e}", page.display())))?;
        for figure in figures {
            if !html.contains(&figure.snippet) {
                missing_figures.push(format!(
                    "{}: the {} of cell {} is not in the page",
                    page.display(),
                    figure.kind,
                    figure.cell
                ));
            }
        }
    }
    let stamp =
        capture(Command::new("date").arg("+%Y-%m-%d %H:%M")).unwrap_or_else(|_| "now".into());
    let index_path = out_dir.join("index.html");
    std::fs::write(&index_path, index(&entries, &stamp))
        .map_err(|e| Failure::new(format!("could not write {}: {e}", index_path.display())))?;
    for entry in &entries {
        let state = match &entry.state {
            State::Fresh => "ok".to_string(),
            State::Missing => "not executed yet: run the notebook tests".into(),
            State::Stale => "executed before the notebook last changed: run its test again".into(),
            State::Failed(why) => format!("its last run failed: {why}"),
        };
        let figures = match entry.figures {
            1 => "1 figure ".to_string(),
            n => format!("{n} figures"),
        };
        println!("  {:<40} {figures:>10}  {state}", entry.file);
    }
    if !missing_figures.is_empty() {
        return Err(Failure::new(format!(
            "some figures did not make it into the pages:\n  {}",
            missing_figures.join("\n  ")
        )));
    }
    println!(
        "{} notebooks exported, every figure in its page; open {}",
        to_export.len(),
        index_path.display()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    #[test]
    fn base64_matches_the_standard() {
        // Python: base64.b64encode(b"<svg/>"), b"ab", b"a"
        assert_eq!(base64(b"<svg/>"), "PHN2Zy8+");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"a"), "YQ==");
        assert_eq!(base64(b""), "");
    }

    fn executed(outputs: Value) -> Notebook {
        json!({ "cells": [
            { "id": "a", "cell_type": "markdown", "source": "# T", "metadata": {} },
            { "id": "b", "cell_type": "code", "source": "plot()", "metadata": {},
              "execution_count": 1, "outputs": outputs },
        ]})
        .into()
    }

    #[test]
    fn finds_every_figure_and_its_place_in_the_page() {
        let svg = format!("<svg>{}</svg>", "<line x1=\"1\"/>".repeat(20));
        let gif = "R0lGODlh".repeat(20);
        let nb = executed(json!([
            { "output_type": "execute_result", "execution_count": 1, "metadata": {},
              "data": { "image/svg+xml": svg, "text/plain": "" } },
            { "output_type": "display_data", "metadata": {},
              "data": { "text/html": format!("<p>x</p><img alt=\"a\" src=\"data:image/gif;base64,{gif}\">") } },
            { "output_type": "display_data", "metadata": {},
              "data": { "text/html": "<table><tr><td>✓</td></tr></table>" } },
        ]));
        let found = figures(&nb);
        assert_eq!(found.len(), 2);
        assert_eq!(
            (found[0].cell, found[0].kind.as_str()),
            (2, "image/svg+xml")
        );
        assert_eq!(found[1].kind, "text/html");
        // The page nbconvert writes holds the SVG as a base64 data URL.
        let page = format!(
            "<img src=\"data:image/svg+xml;base64,{}\">",
            base64(svg.as_bytes())
        );
        assert!(page.contains(&found[0].snippet));
        assert!(gif.contains(&found[1].snippet));
    }

    #[test]
    fn an_executed_copy_is_fresh_stale_missing_or_failed() {
        let notebook = executed(json!([]));
        let mut run =
            executed(json!([{ "output_type": "stream", "name": "stdout", "text": "1\n" }]));
        assert_eq!(state(&notebook, Some(&run)), State::Fresh);
        assert_eq!(state(&notebook, None), State::Missing);
        let mut changed = notebook.clone();
        changed.cells[1].set("source", "plot(2)");
        assert_eq!(state(&changed, Some(&run)), State::Stale);
        run.cells[1].set(
            "outputs",
            json!([{ "output_type": "error", "ename": "E", "evalue": "boom", "traceback": [] }]),
        );
        assert!(
            matches!(state(&notebook, Some(&run)), State::Failed(why) if why.contains("raised an error"))
        );
    }

    #[test]
    fn the_index_lists_notebooks_in_order_with_links_and_start_times() {
        let entry = |file: &str, title: &str, state| Entry {
            file: file.into(),
            title: title.into(),
            minutes: Some((5, 5)),
            figures: 1,
            state,
        };
        let page = index(
            &[
                entry("00-setup.ipynb", "Setup <Testing>", State::Fresh),
                entry("01-neuron.ipynb", "Neuron", State::Missing),
            ],
            "2026-01-01 09:00",
        );
        assert!(page.contains("<a href=\"00-setup.html\">Setup &lt;Testing&gt;</a>"));
        assert!(page.contains("<td>Neuron <em>(not executed yet"));
        assert!(page.find("00-setup").unwrap() < page.find("01-neuron").unwrap());
        assert!(page.contains("<td>5 + 5</td><td>00:10</td>"));
    }
}
