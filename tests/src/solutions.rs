//! The instructor's run answers every exercise: a solution's self-check says ✓.
//!
//! A solution cell's self-check is a code cell tagged `solution` that calls a `check::`
//! function ([`check_calls`]). The checks of `dlintro::check` print one line per answer:
//! `✓ …` for a right one, `Not yet: …` with a hint, or `Not answered yet: …`. On the
//! projected copy, the solution must say ✓, and nothing else: a hint there means the
//! solution does not answer its own exercise (a curve that no longer reaches the level the
//! question asks about, a number computed from data that changed).

use crate::exercises::check_calls;
use crate::{Notebook, Problem};

/// How the self-checks begin a line that is not ✓.
const NOT_RIGHT: [&str; 2] = ["Not yet:", "Not answered yet:"];

/// Checks an executed notebook: every solution cell that calls a `check::` function printed a
/// `✓` line and no hint. Cells that raised an error or never ran are left to
/// [`crate::check_executed`].
pub fn check_solutions(notebook: &Notebook) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (index, cell) in notebook.cells.iter().enumerate() {
        let ran = cell.execution_count().is_some();
        if !cell.is_code() || !cell.is_solution() || !ran || cell.has_error() {
            continue;
        }
        let calls = check_calls(&cell.source());
        if calls.is_empty() {
            continue;
        }
        let output = cell.output_text();
        let lines: Vec<&str> = output.lines().map(str::trim).collect();
        let not_right = lines
            .iter()
            .find(|l| NOT_RIGHT.iter().any(|start| l.starts_with(start)));
        let right = lines.iter().any(|l| l.starts_with('✓'));
        let said = match (not_right, right) {
            (Some(line), _) => format!("it said {line:?}"),
            (None, false) => "it printed no ✓ line".to_string(),
            (None, true) => continue,
        };
        let names: Vec<String> = calls.iter().map(|c| format!("`check::{c}`")).collect();
        problems.push(Problem {
            cell: Some(index + 1),
            source: cell.first_line(),
            reason: format!(
                "is a solution, but its self-check ({}) does not say ✓ in the instructor's \
                 run: {said}; the solution must answer its exercise",
                names.join(", ")
            ),
            output,
        });
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SOLUTION_TAG;
    use serde_json::{json, Value};

    fn cell(source: &str, tagged: bool, printed: &str) -> Value {
        let tags = if tagged {
            json!([SOLUTION_TAG])
        } else {
            json!([])
        };
        json!({
            "cell_type": "code", "source": source, "metadata": { "tags": tags },
            "execution_count": 1,
            "outputs": [{ "output_type": "stream", "name": "stdout", "text": printed }],
        })
    }

    fn reasons(cells: Value) -> Vec<(Option<usize>, String)> {
        check_solutions(&Notebook::from(json!({ "cells": cells })))
            .into_iter()
            .map(|p| (p.cell, p.reason))
            .collect()
    }

    #[test]
    fn a_solution_that_says_right_passes() {
        let cells = json!([
            cell(
                "let answer = 0;\ncheck::mse(answer);",
                false,
                "Not answered yet: …\n"
            ),
            cell(
                "let answer = 3.5;\ncheck::mse(answer);",
                true,
                "✓ 3.5 is right.\n"
            ),
            // A solution without a self-check (it prints what it found) is not checked.
            cell("println!(\"{}\", 1);", true, "1\n"),
        ]);
        assert_eq!(reasons(cells), vec![]);
    }

    #[test]
    fn a_solution_whose_check_gives_a_hint_fails() {
        let cells = json!([
            cell(
                "check::enough_data(0, &runs, 0.9);",
                true,
                "Not answered yet: replace 0 with your answer and run the cell again.\n"
            ),
            cell(
                "check::mse(3.0);",
                true,
                "Not yet: square each error first.\n"
            ),
            cell(
                "check::neuron_output(1.25);\ncheck::mse(3.0);",
                true,
                "✓ 1.25 is right.\nNot yet: square each error first.\n"
            ),
            cell("check::mse(3.5);", true, "\n"),
        ]);
        let found = reasons(cells);
        let cells: Vec<Option<usize>> = found.iter().map(|(c, _)| *c).collect();
        assert_eq!(cells, [Some(1), Some(2), Some(3), Some(4)]);
        assert_eq!(
            found[0].1,
            "is a solution, but its self-check (`check::enough_data`) does not say ✓ in the \
             instructor's run: it said \"Not answered yet: replace 0 with your answer and run \
             the cell again.\"; the solution must answer its exercise"
        );
        assert!(found[1]
            .1
            .contains("it said \"Not yet: square each error first.\""));
        assert!(found[2]
            .1
            .contains("(`check::mse`, `check::neuron_output`)"));
        assert!(
            found[3].1.contains("it printed no ✓ line"),
            "{}",
            found[3].1
        );
    }

    #[test]
    fn a_cell_that_failed_or_never_ran_is_left_to_the_other_checks() {
        let mut failed = cell("check::mse(answer);", true, "");
        failed["outputs"] = json!([{ "output_type": "error", "ename": "E", "evalue": "x",
                                     "traceback": [] }]);
        let mut never_ran = cell("check::mse(3.5);", true, "");
        never_ran["execution_count"] = Value::Null;
        never_ran["outputs"] = json!([]);
        assert_eq!(reasons(json!([failed, never_ran])), vec![]);
    }
}
