//! Checks for the workshop notebooks, used by `tests/notebooks.rs`.
//!
//! A committed notebook must name the `rust-dlintro` kernel, start with the `:dep` and
//! `use dlintro::prelude::*;` cells, and carry no outputs. An executed copy fails when a cell
//! raised an error, panicked or printed a ✗ line, or when a cell's expected lines are not in
//! its output.
//!
//! Expected results live in the cell's metadata, where JupyterLab's property inspector shows
//! them:
//!
//! ```json
//! "metadata": { "dlintro": { "expect": ["sum = 54"] } }
//! ```
//!
//! Each expected string must appear as a whole line (trimmed) of the cell's text output:
//! stdout, or the text/plain of what the cell displayed. `"display": ["image/svg+xml"]`
//! beside it says the cell must show a figure inline.
//!
//! evcxr writes an error returned with `?` to stderr, and the cell still counts as run; so a
//! cell that writes to stderr fails. (evcxr 0.22 forwards stderr on its own thread and can
//! answer the cell before the line arrives, so a notebook that shows a bad-input message on
//! purpose prints the error to stdout, `println!("{}", f(…).unwrap_err())`, and declares the
//! line it expects.)

use serde_json::Value;

pub mod browser;
pub mod exercises;
pub mod json;
pub mod learner;
mod rust_names;
pub mod slides;

/// The kernelspec every notebook runs in.
pub const KERNEL_NAME: &str = "rust-dlintro";
/// The first cell of every notebook.
pub const DEP_CELL: &str = r#":dep dlintro = { path = "../crate" }"#;
/// The second cell of every notebook.
pub const USE_CELL: &str = "use dlintro::prelude::*;";

/// Something wrong with one cell (or, with `cell: None`, the whole notebook).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based index among all cells, as JupyterLab counts them.
    pub cell: Option<usize>,
    /// The first line of the cell's source, to find it.
    pub source: String,
    /// What went wrong.
    pub reason: String,
    /// The cell's text output, for context.
    pub output: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.cell {
            Some(n) => writeln!(f, "cell {n} (`{}`): {}", self.source, self.reason)?,
            None => writeln!(f, "{}", self.reason)?,
        }
        if !self.output.trim().is_empty() {
            writeln!(f, "--- output of the cell ---")?;
            for line in self.output.lines() {
                writeln!(f, "  {line}")?;
            }
        }
        Ok(())
    }
}

/// A string field of nbformat: either a string or a list of strings.
pub fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(parts) => parts.iter().filter_map(Value::as_str).collect(),
        _ => String::new(),
    }
}

/// The cells of a notebook, in order.
pub fn cells(notebook: &Value) -> &[Value] {
    notebook["cells"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// Whether a cell is a code cell.
pub fn is_code(cell: &Value) -> bool {
    cell["cell_type"] == "code"
}

/// Whether a cell is a Markdown cell.
pub fn is_markdown(cell: &Value) -> bool {
    cell["cell_type"] == "markdown"
}

/// The tag a solution cell carries.
pub const SOLUTION_TAG: &str = "solution";
/// The tag an instructor note carries.
pub const INSTRUCTOR_TAG: &str = "instructor";

/// Whether a cell's `metadata.tags` list holds `tag`.
pub fn has_tag(cell: &Value, tag: &str) -> bool {
    cell["metadata"]["tags"]
        .as_array()
        .is_some_and(|tags| tags.iter().any(|t| t == tag))
}

/// A notebook as text, laid out as nbformat writes it (keys sorted, one space of indent,
/// characters unescaped), with `source` kept as it is (one string in this project).
pub fn write_notebook(notebook: &Value) -> String {
    use serde::Serialize;
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b" ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    notebook
        .serialize(&mut serializer)
        .expect("a JSON value always serialises");
    let mut text = String::from_utf8(out).expect("serde_json writes UTF-8");
    text.push('\n');
    text
}

/// The cell's source as one string.
pub fn source(cell: &Value) -> String {
    text(&cell["source"])
}

/// The first line of a cell's source, trimmed, to name the cell in a message.
pub fn first_line(cell: &Value) -> String {
    source(cell).lines().next().unwrap_or("").trim().to_string()
}

/// Everything a cell printed or displayed as text: stdout, stderr, text/plain, text/html,
/// and error messages, in order.
pub fn output_text(cell: &Value) -> String {
    let mut all = String::new();
    for output in cell["outputs"].as_array().into_iter().flatten() {
        match output["output_type"].as_str() {
            Some("stream") => all.push_str(&text(&output["text"])),
            Some("error") => {
                all.push_str(&format!(
                    "{}: {}\n",
                    text(&output["ename"]),
                    text(&output["evalue"])
                ));
                for line in output["traceback"].as_array().into_iter().flatten() {
                    all.push_str(&strip_ansi(line.as_str().unwrap_or("")));
                    all.push('\n');
                }
            }
            _ => {
                for mime in ["text/plain", "text/html"] {
                    let data = text(&output["data"][mime]);
                    if !data.is_empty() {
                        all.push_str(&data);
                        all.push('\n');
                    }
                }
            }
        }
    }
    all
}

/// The lines a reader sees as plain text: stdout and text/plain results.
fn plain_lines(cell: &Value) -> Vec<String> {
    let mut lines = Vec::new();
    for output in cell["outputs"].as_array().into_iter().flatten() {
        let chunk = match output["output_type"].as_str() {
            Some("stream") if output["name"] == "stdout" => text(&output["text"]),
            Some("execute_result" | "display_data") => text(&output["data"]["text/plain"]),
            _ => continue,
        };
        lines.extend(chunk.lines().map(|l| l.trim().to_string()));
    }
    lines
}

/// The mime types the cell must show inline (`metadata.dlintro.display`), e.g. a figure's
/// `image/svg+xml`.
pub fn displays(cell: &Value) -> Vec<String> {
    dlintro_metadata(cell, "display")
}

/// The strings of the list `metadata.dlintro.<key>` of a cell.
fn dlintro_metadata(cell: &Value, key: &str) -> Vec<String> {
    cell["metadata"]["dlintro"][key]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

/// Seconds since midnight of an nbclient timestamp such as `2026-11-27T10:35:01.123456Z`.
fn time_of_day(stamp: &str) -> Option<f64> {
    let time = stamp.split('T').nth(1)?.trim_end_matches('Z');
    let time = time.split('+').next()?;
    let mut parts = time.split(':');
    let hours: f64 = parts.next()?.parse().ok()?;
    let minutes: f64 = parts.next()?.parse().ok()?;
    let seconds: f64 = parts.next()?.parse().ok()?;
    Some(hours * 3600.0 + minutes * 60.0 + seconds)
}

/// How long a cell took to run, from the timestamps nbclient records in its metadata.
pub fn cell_seconds(cell: &Value) -> Option<f64> {
    let execution = &cell["metadata"]["execution"];
    let start = time_of_day(execution["iopub.execute_input"].as_str()?)?;
    let end = time_of_day(execution["shell.execute_reply"].as_str()?)?;
    let elapsed = end - start;
    Some(if elapsed < 0.0 {
        elapsed + 86400.0
    } else {
        elapsed
    })
}

/// What a cell wrote to one stream (`stdout` or `stderr`).
fn stream_text(cell: &Value, name: &str) -> String {
    cell["outputs"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|o| o["output_type"] == "stream" && o["name"] == name)
        .map(|o| text(&o["text"]))
        .collect()
}

/// The expected lines declared in the cell's metadata (`metadata.dlintro.expect`).
pub fn expectations(cell: &Value) -> Vec<String> {
    dlintro_metadata(cell, "expect")
}

fn strip_ansi(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // Skip `ESC [ … letter`.
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Checks a notebook as committed: kernel, first two cells, no outputs, and the slide type
/// of every cell ([`slides::check_slides`]).
pub fn check_committed(notebook: &Value) -> Vec<Problem> {
    let mut problems = Vec::new();
    let whole = |reason: String| Problem {
        cell: None,
        source: String::new(),
        reason,
        output: String::new(),
    };
    let kernel = notebook["metadata"]["kernelspec"]["name"]
        .as_str()
        .unwrap_or("none");
    if kernel != KERNEL_NAME {
        problems.push(whole(format!(
            "the notebook names the kernel {kernel:?}, expected {KERNEL_NAME:?}: open it in \
             JupyterLab, choose Kernel ▸ Change Kernel ▸ Rust (Deep Learning Intro) and save"
        )));
    }
    let code: Vec<&Value> = cells(notebook).iter().filter(|c| is_code(c)).collect();
    for (position, expected) in [DEP_CELL, USE_CELL].into_iter().enumerate() {
        let found = code.get(position).map(|c| source(c)).unwrap_or_default();
        if found.trim() != expected {
            problems.push(whole(format!(
                "code cell {} is {:?}, expected exactly {expected:?}",
                position + 1,
                found.trim()
            )));
        }
    }
    for (index, cell) in cells(notebook).iter().enumerate() {
        let has_outputs = cell["outputs"].as_array().is_some_and(|o| !o.is_empty());
        if has_outputs || !cell["execution_count"].is_null() && is_code(cell) {
            problems.push(Problem {
                cell: Some(index + 1),
                source: first_line(cell),
                reason: "is committed with outputs; clear them (Edit ▸ Clear Outputs of All \
                         Cells) before committing"
                    .into(),
                output: String::new(),
            });
        }
    }
    problems.extend(slides::check_slides(notebook));
    problems
}

/// Checks an executed copy: errors, panics, ✗ lines and expected lines, cell by cell.
pub fn check_executed(notebook: &Value) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (index, cell) in cells(notebook).iter().enumerate() {
        if !is_code(cell) {
            continue;
        }
        let output = output_text(cell);
        let problem = |reason: String| Problem {
            cell: Some(index + 1),
            source: first_line(cell),
            reason,
            output: output.clone(),
        };
        let errored = cell["outputs"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|o| o["output_type"] == "error");
        let stderr = stream_text(cell, "stderr");
        if errored {
            problems.push(problem("raised an error".into()));
        } else if output.contains("panicked at") {
            problems.push(problem("panicked".into()));
        } else if let Some(line) = output.lines().find(|l| l.contains('✗')) {
            problems.push(problem(format!("printed a ✗ line: {}", line.trim())));
        } else if !stderr.trim().is_empty() {
            problems.push(problem(format!(
                "returned an error: {}",
                stderr
                    .lines()
                    .find(|l| !l.trim().is_empty())
                    .unwrap_or("")
                    .trim()
            )));
        }
        let shows_unit = cell["outputs"].as_array().into_iter().flatten().any(|o| {
            o["output_type"] == "execute_result" && text(&o["data"]["text/plain"]).trim() == "()"
        });
        if shows_unit {
            problems.push(problem(
                "shows `()`: its last line is an expression without a value (a `for` loop); \
                 end it with `;`"
                    .into(),
            ));
        }
        if !source(cell).trim().is_empty() && cell["execution_count"].is_null() {
            problems.push(problem("was not executed".into()));
            // Everything after a cell that never ran is noise.
            break;
        }
        for mime in displays(cell) {
            let shown = cell["outputs"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|o| !o["data"][mime.as_str()].is_null());
            if !shown {
                problems.push(problem(format!(
                    "expected it to show {mime} inline, which it did not (a cell that moves \
                     a variable it also displays falls back to printing with Debug)"
                )));
            }
        }
        let lines = plain_lines(cell);
        for expected in expectations(cell) {
            if !lines.iter().any(|l| l == expected.trim()) {
                problems.push(problem(format!(
                    "expected the line {expected:?} in its output, which lacks it"
                )));
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn notebook(cells: Value) -> Value {
        json!({
            "metadata": { "kernelspec": { "name": KERNEL_NAME } },
            "cells": cells,
        })
    }

    fn code(source: &str, count: Value, outputs: Value) -> Value {
        json!({
            "cell_type": "code", "source": source, "metadata": {},
            "execution_count": count, "outputs": outputs,
        })
    }

    fn stdout(text: &str) -> Value {
        json!({ "output_type": "stream", "name": "stdout", "text": text })
    }

    #[test]
    fn a_clean_committed_notebook_passes() {
        let mut nb = notebook(json!([
            { "cell_type": "markdown", "source": "# Title", "metadata": {} },
            code(DEP_CELL, Value::Null, json!([])),
            code(USE_CELL, Value::Null, json!([])),
        ]));
        for (i, kind) in ["slide", "fragment", "fragment"].into_iter().enumerate() {
            nb["cells"][i]["metadata"]["slideshow"] = json!({ "slide_type": kind });
        }
        assert_eq!(check_committed(&nb), vec![]);
    }

    #[test]
    fn committed_problems_are_named() {
        let mut nb = notebook(json!([
            code("let x = 1;", json!(3), json!([stdout("1\n")])),
            code(USE_CELL, Value::Null, json!([])),
        ]));
        nb["metadata"]["kernelspec"]["name"] = json!("python3");
        let reasons: Vec<String> = check_committed(&nb).into_iter().map(|p| p.reason).collect();
        assert_eq!(reasons.len(), 4, "{reasons:?}");
        assert!(reasons[0].contains("\"python3\", expected \"rust-dlintro\""));
        assert!(reasons[1].starts_with("code cell 1 is \"let x = 1;\""));
        assert!(reasons[2].starts_with("is committed with outputs"));
        assert!(reasons[3].starts_with("2 of 2 cells lack the slide type"));
    }

    #[test]
    fn expectations_must_be_whole_lines_of_the_output() {
        let mut cell = code(
            "println!(\"{}\", y);",
            json!(1),
            json!([stdout("sum = 54\n")]),
        );
        cell["metadata"] = json!({ "dlintro": { "expect": ["sum = 54"] } });
        assert_eq!(check_executed(&notebook(json!([cell.clone()]))), vec![]);

        cell["metadata"] = json!({ "dlintro": { "expect": ["sum = 5"] } });
        let problems = check_executed(&notebook(json!([cell])));
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].cell, Some(1));
        assert!(problems[0].reason.contains("\"sum = 5\""));
    }

    #[test]
    fn errors_panics_and_crosses_fail_the_cell() {
        let error = json!({
            "output_type": "error", "ename": "Error", "evalue": "cannot find value `z`",
            "traceback": ["\u{1b}[31merror\u{1b}[0m: cannot find value `z`"],
        });
        let panic = json!({ "output_type": "stream", "name": "stderr",
                            "text": "thread '<unnamed>' panicked at src/lib.rs:1:1:\nboom\n" });
        let question_mark = json!({ "output_type": "stream", "name": "stderr",
                                    "text": "plot::lines: `series` has no points\n" });
        let cross = json!({ "output_type": "execute_result", "execution_count": 3,
                            "data": { "text/plain": "✓ Rust\n✗ libtorch  not found" } });
        let nb = notebook(json!([
            code("z", json!(1), json!([error])),
            code("panic!()", json!(2), json!([panic])),
            code("setup::report()", json!(3), json!([cross])),
            code(
                "plot::lines(\"t\", \"x\", \"y\", &[])?",
                json!(4),
                json!([question_mark])
            ),
            code("let later = 1;", Value::Null, json!([])),
            code("never reported", Value::Null, json!([])),
        ]));
        let problems = check_executed(&nb);
        let reasons: Vec<&str> = problems.iter().map(|p| p.reason.as_str()).collect();
        assert_eq!(
            reasons,
            [
                "raised an error",
                "panicked",
                "printed a ✗ line: ✗ libtorch  not found",
                "returned an error: plot::lines: `series` has no points",
                "was not executed"
            ]
        );
        assert!(problems[0].output.contains("error: cannot find value `z`"));
        assert_eq!(problems[4].cell, Some(5));
    }

    #[test]
    fn a_figure_cell_must_show_its_figure() {
        let svg = json!({ "output_type": "execute_result", "execution_count": 1,
                          "data": { "image/svg+xml": "<svg/>", "text/plain": "" } });
        let debug = json!({ "output_type": "execute_result", "execution_count": 1,
                            "data": { "text/plain": "Figure(…)" } });
        let mut cell = code("plot::lines(…)?", json!(1), json!([svg]));
        cell["metadata"] = json!({ "dlintro": { "display": ["image/svg+xml"] } });
        assert_eq!(check_executed(&notebook(json!([cell.clone()]))), vec![]);
        cell["outputs"] = json!([debug]);
        let problems = check_executed(&notebook(json!([cell])));
        assert_eq!(problems.len(), 1);
        assert!(problems[0]
            .reason
            .starts_with("expected it to show image/svg+xml inline"));
    }

    #[test]
    fn a_cell_that_shows_unit_is_flagged() {
        let unit = json!({ "output_type": "execute_result", "execution_count": 1,
                           "data": { "text/plain": "()" } });
        let nb = notebook(json!([code("for i in 0..2 {}", json!(1), json!([unit]))]));
        let problems = check_executed(&nb);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].reason.starts_with("shows `()`"));
    }

    #[test]
    fn cell_times_come_from_nbclient_timestamps() {
        let cell = json!({ "metadata": { "execution": {
            "iopub.execute_input": "2026-11-27T23:59:58.500000Z",
            "shell.execute_reply": "2026-11-28T00:00:01.000000Z",
        } } });
        assert_eq!(cell_seconds(&cell), Some(2.5));
        assert_eq!(cell_seconds(&json!({ "metadata": {} })), None);
    }
}
