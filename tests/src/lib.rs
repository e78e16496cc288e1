//! The workshop notebooks as the tools see them: a typed [`Notebook`] and [`Cell`] with one
//! writer that keeps the file's key order ([`Notebook::to_text`]), the checks the notebook
//! tests (`tests/notebooks.rs`) apply, the exercises, the learner edition and the slide types.
//! xtask uses the same library.
//!
//! A committed notebook must name the `rust-dlintro` kernel, start with the `:dep` and
//! `use dlintro::prelude::*;` cells, carry no outputs and no code line over
//! [`MAX_CODE_LINE`] characters. An executed copy fails when a cell
//! raised an error, panicked or printed a ✗ line, when a cell's expected lines are not in its
//! output, or when a solution's self-check does not say ✓ ([`solutions`]).
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

pub mod benchmarks;
pub mod browser;
pub mod exercises;
pub mod json;
pub mod learner;
pub mod minutes;
mod notebook;
mod rust_names;
pub mod slides;
pub mod solutions;

pub use json::Json;
pub use notebook::{Cell, CellKind, Notebook, INSTRUCTOR_TAG, SOLUTION_TAG};

/// The kernelspec every notebook runs in.
pub const KERNEL_NAME: &str = "rust-dlintro";
/// The first cell of every notebook.
pub const DEP_CELL: &str = r#":dep dlintro = { path = "../crate" }"#;
/// The second cell of every notebook.
pub const USE_CELL: &str = "use dlintro::prelude::*;";
/// The longest code line a notebook may have, in characters: a longer one is cut on a
/// projector (and wraps on a slide, see [`slides`]).
pub const MAX_CODE_LINE: usize = 100;

/// The repository root, above this package's folder (`tests/`), for tests that read the
/// notebooks.
#[cfg(test)]
pub(crate) fn repo_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is inside the repository")
        .to_path_buf()
}

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

/// Checks a notebook as committed: kernel, first two cells, no outputs, no code line over
/// [`MAX_CODE_LINE`] characters ([`check_line_lengths`]), and the slide type of every cell
/// ([`slides::check_slides`]).
pub fn check_committed(notebook: &Notebook) -> Vec<Problem> {
    let mut problems = Vec::new();
    let whole = |reason: String| Problem {
        cell: None,
        source: String::new(),
        reason,
        output: String::new(),
    };
    let kernel = notebook.kernel_name().unwrap_or("none");
    if kernel != KERNEL_NAME {
        problems.push(whole(format!(
            "the notebook names the kernel {kernel:?}, expected {KERNEL_NAME:?}: open it in \
             JupyterLab, choose Kernel ▸ Change Kernel ▸ Rust (Deep Learning Intro) and save"
        )));
    }
    let code: Vec<&Cell> = notebook.code_cells().collect();
    for (position, expected) in [DEP_CELL, USE_CELL].into_iter().enumerate() {
        let found = code.get(position).map(|c| c.source()).unwrap_or_default();
        if found.trim() != expected {
            problems.push(whole(format!(
                "code cell {} is {:?}, expected exactly {expected:?}",
                position + 1,
                found.trim()
            )));
        }
    }
    for (index, cell) in notebook.cells.iter().enumerate() {
        let has_outputs = !cell.outputs().is_empty();
        if has_outputs || !cell.get("execution_count").is_null() && cell.is_code() {
            problems.push(Problem {
                cell: Some(index + 1),
                source: cell.first_line(),
                reason: "is committed with outputs; clear them (Edit ▸ Clear Outputs of All \
                         Cells) before committing"
                    .into(),
                output: String::new(),
            });
        }
    }
    problems.extend(check_line_lengths(notebook));
    problems.extend(slides::check_slides(notebook));
    problems
}

/// Every code line longer than [`MAX_CODE_LINE`] characters (characters, not bytes: `×` is
/// one), one problem per line, naming the cell, the line's number and length, and the line. Markdown is not
/// checked: it wraps.
pub fn check_line_lengths(notebook: &Notebook) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (index, cell) in notebook.cells.iter().enumerate() {
        if !cell.is_code() {
            continue;
        }
        for (number, line) in cell.source().lines().enumerate() {
            let length = line.chars().count();
            if length > MAX_CODE_LINE {
                problems.push(Problem {
                    cell: Some(index + 1),
                    source: cell.first_line(),
                    reason: format!(
                        "line {} has {length} characters, over the {MAX_CODE_LINE} a \
                         projector shows (one layer a line in a builder chain, options on \
                         their own lines): `{}`",
                        number + 1,
                        line.trim()
                    ),
                    output: String::new(),
                });
            }
        }
    }
    problems
}

/// Checks an executed copy: errors, panics, ✗ lines and expected lines, cell by cell, and
/// every solution's self-check ([`solutions::check_solutions`]).
pub fn check_executed(notebook: &Notebook) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (index, cell) in notebook.cells.iter().enumerate() {
        if !cell.is_code() {
            continue;
        }
        let output = cell.output_text();
        let problem = |reason: String| Problem {
            cell: Some(index + 1),
            source: cell.first_line(),
            reason,
            output: output.clone(),
        };
        let stderr = cell.stream_text("stderr");
        if cell.has_error() {
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
        let shows_unit = cell.outputs().iter().any(|o| {
            o["output_type"] == "execute_result" && o["data"]["text/plain"].text().trim() == "()"
        });
        if shows_unit {
            problems.push(problem(
                "shows `()`: its last line is an expression without a value (a `for` loop); \
                 end it with `;`"
                    .into(),
            ));
        }
        if !cell.source().trim().is_empty() && cell.get("execution_count").is_null() {
            problems.push(problem("was not executed".into()));
            // Everything after a cell that never ran is noise.
            break;
        }
        for mime in cell.displays() {
            if !cell.shows(&mime) {
                problems.push(problem(format!(
                    "expected it to show {mime} inline, which it did not (a cell that moves \
                     a variable it also displays falls back to printing with Debug)"
                )));
            }
        }
        let lines = cell.plain_lines();
        for expected in cell.expectations() {
            if !lines.iter().any(|l| l == expected.trim()) {
                problems.push(problem(format!(
                    "expected the line {expected:?} in its output, which lacks it"
                )));
            }
        }
    }
    problems.extend(solutions::check_solutions(notebook));
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

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
        assert_eq!(check_committed(&nb.into()), vec![]);
    }

    #[test]
    fn committed_problems_are_named() {
        let mut nb = notebook(json!([
            code("let x = 1;", json!(3), json!([stdout("1\n")])),
            code(USE_CELL, Value::Null, json!([])),
        ]));
        nb["metadata"]["kernelspec"]["name"] = json!("python3");
        let reasons: Vec<String> = check_committed(&nb.into())
            .into_iter()
            .map(|p| p.reason)
            .collect();
        assert_eq!(reasons.len(), 4, "{reasons:?}");
        assert!(reasons[0].contains("\"python3\", expected \"rust-dlintro\""));
        assert!(reasons[1].starts_with("code cell 1 is \"let x = 1;\""));
        assert!(reasons[2].starts_with("is committed with outputs"));
        assert!(reasons[3].starts_with("2 of 2 cells lack the slide type"));
    }

    #[test]
    fn a_code_line_may_have_100_characters_and_not_101() {
        // 98 characters of `×` and `→` (two bytes and three each) and the two of `//`.
        let hundred = format!("//{}", "×→".repeat(49));
        assert_eq!(hundred.chars().count(), 100);
        assert!(hundred.len() > 200, "more bytes than characters");
        let long = format!("let x = 1;\n{hundred}\n{hundred}→");
        let nb = notebook(json!([
            { "cell_type": "markdown", "source": "x".repeat(300), "metadata": {} },
            code(&hundred, Value::Null, json!([])),
            { "cell_type": "raw", "source": "y".repeat(300), "metadata": {} },
            code(&long, Value::Null, json!([])),
        ]));
        let problems = check_line_lengths(&nb.into());
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].cell, Some(4));
        assert_eq!(problems[0].source, "let x = 1;");
        assert!(problems[0]
            .reason
            .starts_with("line 3 has 101 characters, over the 100 a projector shows"));
        assert!(problems[0].reason.ends_with(&format!("`{hundred}→`")));
    }

    #[test]
    fn no_code_line_of_the_workshop_is_over_100_characters() {
        let mut checked = 0;
        let mut long = Vec::new();
        for folder in ["notebooks", "learner"] {
            let entries = std::fs::read_dir(repo_root().join(folder))
                .unwrap()
                .flatten();
            for path in entries.map(|e| e.path()) {
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                if !name.ends_with(".ipynb") {
                    continue;
                }
                checked += 1;
                for problem in check_line_lengths(&Notebook::read(&path).unwrap()) {
                    long.push(format!("{folder}/{name}: {problem}"));
                }
            }
        }
        assert!(checked >= 22, "only {checked} notebooks checked");
        assert!(long.is_empty(), "{}", long.join(""));
    }

    #[test]
    fn a_long_code_line_fails_the_committed_notebook() {
        let mut nb = notebook(json!([
            code(DEP_CELL, Value::Null, json!([])),
            code(USE_CELL, Value::Null, json!([])),
            code(&"x".repeat(101), Value::Null, json!([])),
        ]));
        for (i, kind) in ["slide", "fragment", "fragment"].into_iter().enumerate() {
            nb["cells"][i]["metadata"]["slideshow"] = json!({ "slide_type": kind });
        }
        let problems = check_committed(&nb.into());
        let reasons: Vec<&str> = problems.iter().map(|p| p.reason.as_str()).collect();
        assert_eq!(reasons.len(), 1, "{reasons:?}");
        assert!(reasons[0].starts_with("line 1 has 101 characters"));
        assert_eq!(problems[0].cell, Some(3));
    }

    #[test]
    fn expectations_must_be_whole_lines_of_the_output() {
        let mut cell = code(
            "println!(\"{}\", y);",
            json!(1),
            json!([stdout("sum = 54\n")]),
        );
        cell["metadata"] = json!({ "dlintro": { "expect": ["sum = 54"] } });
        assert_eq!(
            check_executed(&Notebook::from(notebook(json!([cell.clone()])))),
            vec![]
        );

        cell["metadata"] = json!({ "dlintro": { "expect": ["sum = 5"] } });
        let problems = check_executed(&Notebook::from(notebook(json!([cell]))));
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
        let problems = check_executed(&Notebook::from(nb));
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
        assert_eq!(
            check_executed(&Notebook::from(notebook(json!([cell.clone()])))),
            vec![]
        );
        cell["outputs"] = json!([debug]);
        let problems = check_executed(&Notebook::from(notebook(json!([cell]))));
        assert_eq!(problems.len(), 1);
        assert!(problems[0]
            .reason
            .starts_with("expected it to show image/svg+xml inline"));
    }

    #[test]
    fn a_solution_that_does_not_say_right_fails_the_notebook() {
        let mut cell = code(
            "let answer = runs_answer();\ncheck::enough_data(answer, &runs, 0.9);",
            json!(1),
            json!([stdout(
                "Not answered yet: replace 0 with your answer and run the cell again.\n"
            )]),
        );
        cell["metadata"] = json!({ "tags": [SOLUTION_TAG] });
        let problems = check_executed(&Notebook::from(notebook(json!([cell.clone()]))));
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].cell, Some(1));
        assert!(problems[0].reason.starts_with(
            "is a solution, but its self-check (`check::enough_data`) does not say ✓"
        ));
        cell["outputs"] = json!([stdout("✓ 240 images: the smallest training set …\n")]);
        assert_eq!(
            check_executed(&Notebook::from(notebook(json!([cell])))),
            vec![]
        );
    }

    #[test]
    fn a_cell_that_shows_unit_is_flagged() {
        let unit = json!({ "output_type": "execute_result", "execution_count": 1,
                           "data": { "text/plain": "()" } });
        let nb = notebook(json!([code("for i in 0..2 {}", json!(1), json!([unit]))]));
        let problems = check_executed(&Notebook::from(nb));
        assert_eq!(problems.len(), 1);
        assert!(problems[0].reason.starts_with("shows `()`"));
    }
}
