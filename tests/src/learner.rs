//! The learner edition: the notebook participants type along in, written by
//! `cargo xtask learner` to `learner/` and checked by the notebook tests.
//!
//! From an instructor notebook it keeps every cell as it is, outputs cleared, except:
//!
//! * instructor notes are left out: Markdown cells tagged `instructor` whose text starts with
//!   [`NOTE_LABEL`] (`**Instructor note**`), with `"slideshow": {"slide_type": "notes"}` so
//!   that a slide show keeps them off the slides ([`check_tags`] checks the first two);
//! * each exercise's solution (its cells tagged `solution`) becomes one stub, in place of the
//!   first solution cell and with its id:
//!   - a code solution whose "your turn" cell already calls every `check::` function the
//!     solution calls becomes a Markdown note ([`ANSWER_ABOVE`]): learners answer in that
//!     cell, and its self-check says "Not answered yet" until they do;
//!   - a Markdown solution (the answer to a discussion) becomes a Markdown note
//!     ([`DISCUSS`]);
//!   - any other code solution, where learners write code of their own, becomes a code cell
//!     that compiles and runs: a comment saying what to write, and a line that prints
//!     [`YOUR_TURN_MESSAGE`] (declared in its metadata as the line it prints).
//!
//! What the tests check without running the learner edition (see `tests/notebooks.rs`): no
//! cell after a solution uses a name that only the solution binds ([`check_names`]), and the
//! code stubs run, inserted before their solutions in the instructor run ([`with_stubs`]).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::exercises::{check_calls, exercises, Exercise};
use crate::rust_names::names;
use crate::{Cell, Notebook, Problem};

/// How an instructor note starts, e.g. `**Instructor note** · 25 min: …`.
pub const NOTE_LABEL: &str = "**Instructor note**";

/// The note in place of a code solution whose "your turn" cell is just above.
pub const ANSWER_ABOVE: &str = "✎ **Your turn:** write your answer in the cell above and run \
    it; its self-check says ✓ when the answer is right. The instructor shows a solution after \
    the exercise.";

/// The note in place of a discussion's answer.
pub const DISCUSS: &str = "✎ **Your turn:** discuss this with your neighbours and in the \
    collaborative document. The instructor adds an answer after the discussion.";

/// The line a code stub prints.
pub const YOUR_TURN_MESSAGE: &str =
    "Your turn: write your code for the exercise above in this cell, then run it.";

/// The source of a code stub.
pub fn code_stub_source() -> String {
    format!(
        "// Your turn: replace these lines with your code for the exercise above, then run \
         the cell.\n// The instructor shows a solution after the exercise.\nprintln!(\"{}\");",
        YOUR_TURN_MESSAGE
    )
}

/// What a solution becomes in the learner edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stub {
    /// A Markdown note: answer in the "your turn" cell above.
    AnswerAbove,
    /// A Markdown note: discuss.
    Discuss,
    /// A code cell that says what to write and prints [`YOUR_TURN_MESSAGE`].
    Code,
}

/// The stub an exercise's solution becomes.
pub fn stub_kind(notebook: &Notebook, exercise: &Exercise) -> Stub {
    let all = &notebook.cells;
    if all[exercise.solutions[0]].is_markdown() {
        return Stub::Discuss;
    }
    let solution_calls: BTreeSet<String> = exercise
        .solutions
        .iter()
        .flat_map(|&i| check_calls(&all[i].source()))
        .collect();
    let answered_above = exercise.your_turn.is_some_and(|y| {
        let calls = check_calls(&all[y].source());
        !solution_calls.is_empty() && solution_calls.is_subset(&calls)
    });
    if answered_above {
        Stub::AnswerAbove
    } else {
        Stub::Code
    }
}

/// The stub cell, with the given id.
pub fn stub_cell(kind: Stub, id: &str) -> Cell {
    match kind {
        Stub::AnswerAbove => Cell::markdown(id, ANSWER_ABOVE),
        Stub::Discuss => Cell::markdown(id, DISCUSS),
        Stub::Code => {
            let mut cell = Cell::code(id, &code_stub_source());
            cell.set_expectations(&[YOUR_TURN_MESSAGE]);
            cell
        }
    }
}

/// For each exercise's first solution cell, the exercise's stub; other solution cells map to
/// `None` (they are left out).
fn stubs(notebook: &Notebook) -> BTreeMap<usize, Option<Stub>> {
    let mut map = BTreeMap::new();
    for exercise in exercises(notebook) {
        let kind = stub_kind(notebook, &exercise);
        for (n, &i) in exercise.solutions.iter().enumerate() {
            map.insert(i, (n == 0).then_some(kind));
        }
    }
    map
}

/// The learner edition of an instructor notebook, its keys sorted as Jupyter saves a notebook
/// (so that the edition does not depend on the key order of the instructor's file).
pub fn learner_edition(notebook: &Notebook) -> Notebook {
    let stubs = stubs(notebook);
    let mut kept = Vec::new();
    for (i, cell) in notebook.cells.iter().enumerate() {
        if cell.is_instructor() {
            continue;
        }
        match stubs.get(&i) {
            Some(Some(kind)) => kept.push(stub_cell(*kind, cell.id())),
            Some(None) => {}
            None => kept.push(cell.cleared()),
        }
    }
    notebook.with_cells(kept).sorted()
}

/// The suffix of the id of a code stub in the instructor run.
const STUB_ID_SUFFIX: &str = "-learner-stub";

/// The instructor notebook with each code stub inserted just before its solution, for the
/// notebook tests: one run executes both the instructor's cells and the learner edition's
/// code stubs (Markdown stubs have nothing to run). Returns the notebook and the number of
/// stubs inserted.
pub fn with_stubs(notebook: &Notebook) -> (Notebook, usize) {
    let stubs = stubs(notebook);
    let mut all = Vec::new();
    let mut inserted = 0;
    for (i, cell) in notebook.cells.iter().enumerate() {
        if let Some(Some(Stub::Code)) = stubs.get(&i) {
            all.push(stub_cell(
                Stub::Code,
                &format!("{}{STUB_ID_SUFFIX}", cell.id()),
            ));
            inserted += 1;
        }
        all.push(cell.clone());
    }
    (notebook.with_cells(all), inserted)
}

/// Splits an executed [`with_stubs`] notebook into the executed instructor notebook (the
/// stubs taken out, execution counts renumbered) and the executed stub cells.
pub fn split_stubs(executed: &Notebook) -> (Notebook, Vec<Cell>) {
    let mut instructor = Vec::new();
    let mut stubs = Vec::new();
    let mut count = 0;
    for cell in &executed.cells {
        if cell.id().ends_with(STUB_ID_SUFFIX) {
            stubs.push(cell.clone());
            continue;
        }
        let mut cell = cell.clone();
        if cell.get("execution_count").is_number() {
            count += 1;
            cell.renumber(count);
        }
        instructor.push(cell);
    }
    (executed.with_cells(instructor), stubs)
}

/// The folder of the learner edition, at the repository root beside `notebooks/`, so that
/// the notebooks' `:dep dlintro = { path = "../crate" }` works in both.
pub const LEARNER_DIR: &str = "learner";
/// The folder of the instructor notebooks.
pub const NOTEBOOK_DIR: &str = "notebooks";

/// The instructor notebooks, `notebooks/*.ipynb`, in slide order (by file name).
pub fn instructor_notebooks(root: &Path) -> Result<Vec<PathBuf>, String> {
    let dir = root.join(NOTEBOOK_DIR);
    let entries =
        std::fs::read_dir(&dir).map_err(|e| format!("could not read {}: {e}", dir.display()))?;
    let mut notebooks: Vec<PathBuf> = entries
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "ipynb"))
        .collect();
    notebooks.sort();
    Ok(notebooks)
}

/// One notebook of the day as the instructor's tools read it: its file name, the notebook, and
/// its executed copy (from the notebook tests) when `executed_dir` has one.
pub struct DayNotebook {
    pub file: String,
    pub notebook: Notebook,
    pub executed: Option<Notebook>,
}

/// Every instructor notebook in order, each with its executed copy from `executed_dir`
/// (`target/notebooks/`) when there is one.
pub fn day_notebooks(root: &Path, executed_dir: Option<&Path>) -> Result<Vec<DayNotebook>, String> {
    instructor_notebooks(root)?
        .into_iter()
        .map(|path| {
            let file = path
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let notebook = Notebook::read(&path)?;
            let executed = executed_dir.and_then(|dir| Notebook::read(&dir.join(&file)).ok());
            Ok(DayNotebook {
                file,
                notebook,
                executed,
            })
        })
        .collect()
}

/// Every learner notebook as it should be: (path under `learner/`, text).
pub fn learner_files(root: &Path) -> Result<Vec<(PathBuf, String)>, String> {
    let mut files = Vec::new();
    for path in instructor_notebooks(root)? {
        let notebook = Notebook::read(&path)?;
        let name = path.file_name().expect("a notebook has a file name");
        let text = learner_edition(&notebook).to_text();
        files.push((root.join(LEARNER_DIR).join(name), text));
    }
    Ok(files)
}

/// What differs between the committed learner edition and the one the instructor notebooks
/// give: one line per file that is missing, out of date or left over.
pub fn out_of_date(root: &Path) -> Result<Vec<String>, String> {
    let mut stale = Vec::new();
    let expected = learner_files(root)?;
    let shown = |path: &Path| {
        path.strip_prefix(root)
            .unwrap_or(path)
            .display()
            .to_string()
    };
    for (path, text) in &expected {
        match std::fs::read_to_string(path) {
            Ok(found) if &found == text => {}
            Ok(_) => stale.push(format!("{} is out of date", shown(path))),
            Err(_) => stale.push(format!("{} is missing", shown(path))),
        }
    }
    if let Ok(entries) = std::fs::read_dir(root.join(LEARNER_DIR)) {
        let mut extra: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "ipynb"))
            .filter(|p| !expected.iter().any(|(q, _)| q == p))
            .collect();
        extra.sort();
        for path in extra {
            stale.push(format!(
                "{} has no instructor notebook in {NOTEBOOK_DIR}/",
                shown(&path)
            ));
        }
    }
    Ok(stale)
}

fn problem(index: usize, cell: &Cell, reason: String) -> Problem {
    Problem {
        cell: Some(index + 1),
        source: cell.first_line(),
        reason,
        output: String::new(),
    }
}

/// Checks the tags the learner edition relies on: instructor notes are Markdown (a code cell
/// left out of the learner edition would change what runs), and no cell is both a note and a
/// solution.
pub fn check_tags(notebook: &Notebook) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (i, cell) in notebook.cells.iter().enumerate() {
        if cell.is_instructor() && !cell.is_markdown() {
            problems.push(problem(
                i,
                cell,
                "is tagged `instructor` but is not Markdown: instructor notes are Markdown \
                 cells, because the learner edition leaves them out and a code cell left out \
                 would change what runs"
                    .into(),
            ));
        }
        if cell.is_instructor() && cell.is_markdown() && !cell.source().starts_with(NOTE_LABEL) {
            problems.push(problem(
                i,
                cell,
                format!(
                    "is tagged `instructor` but does not start with `{NOTE_LABEL}`, which tells \
                     whoever presents the notebook that the cell is a note"
                ),
            ));
        }
        if cell.is_instructor() && cell.is_solution() {
            problems.push(problem(
                i,
                cell,
                "is tagged both `instructor` and `solution`; keep one".into(),
            ));
        }
    }
    problems
}

/// Checks that the learner edition runs past each exercise although its solution is a stub,
/// and that no later cell depends on what a participant answers: no code cell after a
/// solution uses a name that the solution binds (a value, a function or an import), whether
/// only the solution binds it (learners would not have it) or the solution binds it again (in
/// the learner edition its value would be the participant's answer, or the one from before the
/// exercise, not the solution's), until a cell learners keep binds it again. A name that the
/// exercise's "your turn" cell binds as well is the participant's own result (the network
/// they trained, the run they compare): later cells may show it, and in the learner edition
/// they show the participant's.
pub fn check_names(notebook: &Notebook) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut learner_binds: BTreeSet<String> = BTreeSet::new();
    // Names a solution binds: the cell of that solution, and whether a cell learners keep
    // bound the name before it.
    let mut solution_binds: BTreeMap<String, (usize, bool)> = BTreeMap::new();
    // What the last code cell learners keep bound: before a solution, its "your turn" cell.
    let mut your_turn_binds: BTreeSet<String> = BTreeSet::new();
    for (i, cell) in notebook.cells.iter().enumerate() {
        if !cell.is_code() || cell.is_instructor() {
            continue;
        }
        let found = names(&cell.source());
        if cell.is_solution() {
            // A name the "your turn" cell just above binds too is the participant's own
            // result, which later cells may show by design (the draft's until they answer).
            for name in found.binds.difference(&your_turn_binds) {
                let before = learner_binds.contains(name);
                solution_binds.insert(name.clone(), (i, before));
            }
            continue;
        }
        your_turn_binds.clone_from(&found.binds);
        for name in &found.needs {
            let Some(&(solution, before)) = solution_binds.get(name) else {
                continue;
            };
            let reason = if before {
                format!(
                    "uses `{name}`, which the solution in cell {} binds again: in the learner \
                     edition its value here is the participant's answer (or the one from before \
                     the exercise), not the solution's. Let the exercise bind a name of its own, \
                     or bind `{name}` again in a cell learners keep before this one",
                    solution + 1
                )
            } else {
                format!(
                    "uses `{name}`, which only the solution in cell {} binds: in the learner \
                     edition, where that solution is a stub, this cell would fail. Bind \
                     `{name}` in a cell learners keep (the \"your turn\" cell), or do not use it \
                     after the exercise",
                    solution + 1
                )
            };
            problems.push(problem(i, cell, reason));
        }
        for name in found.binds {
            solution_binds.remove(&name);
            learner_binds.insert(name);
        }
    }
    problems
}

/// The "your turn" cells that call a self-check (`check::…(…)`), as cell indices.
pub fn self_checks(notebook: &Notebook) -> Vec<usize> {
    exercises(notebook)
        .into_iter()
        .filter_map(|e| e.your_turn)
        .filter(|&i| !check_calls(&notebook.cells[i].source()).is_empty())
        .collect()
}

/// Checks an executed learner notebook against its instructor notebook: every exercise's self-
/// check, in its "your turn" cell, says that it is not answered yet (`Not answered yet: …`, or
/// `Not yet: …` where the cell starts from a draft that runs), once for each `check::` function
/// the cell calls, and never `✓`: a participant who answers nothing is told so.
pub fn check_unanswered(instructor: &Notebook, executed: &Notebook) -> Vec<Problem> {
    let mut problems = Vec::new();
    for your_turn in self_checks(instructor) {
        let calls = check_calls(&instructor.cells[your_turn].source());
        let id = instructor.cells[your_turn].id();
        let Some((index, cell)) = executed
            .cells
            .iter()
            .enumerate()
            .find(|(_, c)| c.id() == id)
        else {
            problems.push(Problem {
                cell: None,
                source: instructor.cells[your_turn].first_line(),
                reason: format!("the \"your turn\" cell `{id}` is missing"),
                output: String::new(),
            });
            continue;
        };
        let lines = cell.plain_lines();
        let unanswered = lines
            .iter()
            .filter(|l| l.starts_with("Not answered yet") || l.starts_with("Not yet:"))
            .count();
        let reason = if let Some(right) = lines.iter().find(|l| l.starts_with('✓')) {
            Some(format!(
                "is a self-check that says {right:?} before anything was answered"
            ))
        } else if unanswered < calls.len() {
            Some(format!(
                "calls {} self-check{} ({}) but says \"Not answered yet\" {unanswered} time{} \
                 before anything was answered",
                calls.len(),
                if calls.len() == 1 { "" } else { "s" },
                calls.iter().cloned().collect::<Vec<_>>().join(", "),
                if unanswered == 1 { "" } else { "s" },
            ))
        } else {
            None
        };
        if let Some(reason) = reason {
            problems.push(Problem {
                cell: Some(index + 1),
                source: cell.first_line(),
                reason,
                output: cell.output_text(),
            });
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Json, INSTRUCTOR_TAG, SOLUTION_TAG};
    use serde_json::{json, Value};

    fn md(id: &str, text: &str) -> Value {
        json!({ "cell_type": "markdown", "id": id, "source": text, "metadata": {} })
    }

    fn code(id: &str, text: &str) -> Value {
        json!({ "cell_type": "code", "id": id, "source": text, "metadata": {},
                "outputs": [], "execution_count": null })
    }

    fn tagged(mut cell: Value, tag: &str) -> Value {
        cell["metadata"]["tags"] = json!([tag]);
        cell
    }

    fn notebook(cells: Vec<Value>) -> Notebook {
        json!({ "metadata": { "kernelspec": { "name": "rust-dlintro" } }, "nbformat": 4,
                "nbformat_minor": 5, "cells": cells })
        .into()
    }

    fn sources(nb: &Notebook) -> Vec<String> {
        nb.cells.iter().map(Cell::source).collect()
    }

    fn ids(nb: &Notebook) -> Vec<String> {
        nb.cells.iter().map(|c| c.id().to_string()).collect()
    }

    fn workshop() -> Notebook {
        let mut executed = code("c", "let x = [0.5];");
        executed["outputs"] =
            json!([{ "output_type": "stream", "name": "stdout", "text": "hi\n" }]);
        executed["execution_count"] = json!(3);
        executed["metadata"]["execution"] = json!({ "iopub.execute_input": "…" });
        notebook(vec![
            md("a", "# Title"),
            tagged(md("b", "**Instructor note** · 10 minutes."), INSTRUCTOR_TAG),
            executed,
            md("d", "## Exercise: one\n\nWhat is it?"),
            code("e", "let answer = f64::NAN;\ncheck::one(answer);"),
            tagged(
                code("f", "let answer = 1.0;\ncheck::one(answer);"),
                SOLUTION_TAG,
            ),
            md("g", "## Exercise: write a network"),
            code("h", "let small = net(8);"),
            tagged(code("i", "let big = net(32);"), SOLUTION_TAG),
            tagged(code("j", "println!(\"{big}\");"), SOLUTION_TAG),
            md("k", "**Discuss:** why?"),
            tagged(md("l", "Because."), SOLUTION_TAG),
            md("m", "## Key points"),
        ])
    }

    #[test]
    fn the_learner_edition_replaces_solutions_and_drops_notes() {
        let edition = learner_edition(&workshop());
        assert_eq!(
            ids(&edition),
            ["a", "c", "d", "e", "f", "g", "h", "i", "k", "l", "m"]
        );
        let texts = sources(&edition);
        assert_eq!(texts[4], ANSWER_ABOVE);
        assert_eq!(texts[7], code_stub_source());
        assert_eq!(texts[9], DISCUSS);
        assert_eq!(
            edition.cells[7].metadata()["dlintro"]["expect"],
            Json::from(json!([YOUR_TURN_MESSAGE]))
        );
        // Everything else is as it was, outputs cleared.
        let c = &edition.cells[1];
        assert_eq!(c.get("outputs"), &Json::from(json!([])));
        assert!(c.get("execution_count").is_null());
        assert!(c.metadata().get("execution").is_none());
        assert_eq!(edition.metadata(), workshop().metadata());
        assert!(edition
            .cells
            .iter()
            .all(|c| !c.has_tag(SOLUTION_TAG) && !c.has_tag(INSTRUCTOR_TAG)));
    }

    #[test]
    fn the_learner_edition_is_written_with_sorted_keys() {
        let text = "{\n \"metadata\": {},\n \"cells\": [\n  {\n   \"source\": \"# T\",\n   \
                    \"metadata\": {},\n   \"cell_type\": \"markdown\"\n  }\n ]\n}\n";
        let instructor = Notebook::parse(text).unwrap();
        assert_eq!(instructor.to_text(), text);
        assert_eq!(
            learner_edition(&instructor).to_text(),
            "{\n \"cells\": [\n  {\n   \"cell_type\": \"markdown\",\n   \"metadata\": {},\n   \
             \"source\": \"# T\"\n  }\n ],\n \"metadata\": {}\n}\n"
        );
    }

    #[test]
    fn the_code_stub_prints_its_message_and_nothing_else() {
        let stub = code_stub_source();
        let printed: Vec<&str> = stub.lines().filter(|l| !l.starts_with("//")).collect();
        assert_eq!(printed, [format!("println!(\"{YOUR_TURN_MESSAGE}\");")]);
        assert!(!YOUR_TURN_MESSAGE.contains(['{', '}', '"', '\\', '✗']));
    }

    #[test]
    fn stubs_run_before_their_solutions_and_come_out_again() {
        let nb = workshop();
        let (merged, inserted) = with_stubs(&nb);
        assert_eq!(inserted, 1);
        let ids = ids(&merged);
        assert_eq!(ids[7], "h");
        assert_eq!(ids[8], format!("i{STUB_ID_SUFFIX}"));
        assert_eq!(ids[9], "i");

        // Pretend every code cell ran, in order.
        let mut executed = merged.clone();
        let mut n: u64 = 0;
        for cell in &mut executed.cells {
            if cell.is_code() {
                n += 1;
                cell.set("execution_count", n);
                cell.set(
                    "outputs",
                    json!([{ "output_type": "execute_result", "execution_count": n,
                             "data": { "text/plain": "1" }, "metadata": {} }]),
                );
            }
        }
        let (instructor, stubs) = split_stubs(&executed);
        assert_eq!(stubs.len(), 1);
        assert_eq!(stubs[0].execution_count(), Some(5));
        let counts: Vec<Option<u64>> = instructor.code_cells().map(Cell::execution_count).collect();
        assert_eq!(
            counts,
            [Some(1), Some(2), Some(3), Some(4), Some(5), Some(6)]
        );
        let last = instructor.code_cells().last().unwrap();
        assert_eq!(last.outputs()[0]["execution_count"].as_u64(), Some(6));
        assert_eq!(instructor.cells.len(), nb.cells.len());
    }

    #[test]
    fn a_cell_that_needs_a_solution_only_name_is_reported() {
        let mut nb = workshop();
        nb.cells.insert(
            12,
            code("n", "println!(\"{}\", big.len() + answer);").into(),
        );
        let problems = check_names(&nb);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].cell, Some(13));
        assert!(
            problems[0]
                .reason
                .starts_with("uses `big`, which only the solution in cell 9"),
            "{}",
            problems[0].reason
        );
        // `answer` is the "your turn" cell's too: the participant's own answer, shown by
        // design; rebinding `big` before use is fine.
        let ok = code("n", "let big = 2;\nprintln!(\"{big}\");");
        nb.cells[12] = ok.into();
        assert_eq!(check_names(&nb), vec![]);
    }

    #[test]
    fn a_cell_that_needs_a_name_a_solution_binds_again_is_reported() {
        let nb = notebook(vec![
            code("a", "let model = net(8);"),
            md("b", "## Exercise: a bigger network"),
            code("c", "let answer = 0;"),
            tagged(code("d", "let model = net(32);"), SOLUTION_TAG),
            code("e", "println!(\"{}\", model.len());"),
        ]);
        let problems = check_names(&nb);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].cell, Some(5));
        assert!(
            problems[0]
                .reason
                .starts_with("uses `model`, which the solution in cell 4 binds again"),
            "{}",
            problems[0].reason
        );
    }

    fn said(id: &str, lines: &[&str]) -> Value {
        let mut cell = code(id, "");
        cell["execution_count"] = json!(1);
        cell["outputs"] = json!([{ "output_type": "stream", "name": "stdout",
                                   "text": lines.iter().map(|l| format!("{l}\n")).collect::<String>() }]);
        cell
    }

    #[test]
    fn every_self_check_of_the_learner_run_must_say_not_answered() {
        let instructor = notebook(vec![
            md("a", "## Exercise: two answers"),
            code("b", "check::one(f64::NAN);\ncheck::two(\"\");"),
            tagged(
                code("c", "check::one(1.0);\ncheck::two(\"x\");"),
                SOLUTION_TAG,
            ),
        ]);
        let run = |lines: &[&str]| {
            let executed = notebook(vec![md("a", ""), said("b", lines), md("c", "")]);
            check_unanswered(&instructor, &executed)
        };
        let not_answered = "Not answered yet: replace f64::NAN with your answer.";
        assert_eq!(run(&[not_answered, "Not yet: a draft runs."]), vec![]);
        let once = run(&[not_answered]);
        assert_eq!(once.len(), 1);
        assert!(once[0].reason.starts_with("calls 2 self-checks (one, two)"));
        let right = run(&[not_answered, "✓ right."]);
        assert!(right[0].reason.contains("says \"✓ right.\" before"));
    }

    #[test]
    fn instructor_notes_must_be_markdown() {
        let nb = notebook(vec![
            tagged(code("a", "let x = 1;"), INSTRUCTOR_TAG),
            json!({ "cell_type": "markdown", "id": "b", "source": "**Instructor note** x",
                    "metadata": { "tags": [INSTRUCTOR_TAG, SOLUTION_TAG] } }),
            tagged(md("c", "Say: hello."), INSTRUCTOR_TAG),
        ]);
        let reasons: Vec<String> = check_tags(&nb).into_iter().map(|p| p.reason).collect();
        assert_eq!(reasons.len(), 3, "{reasons:?}");
        assert!(reasons[0].starts_with("is tagged `instructor` but is not Markdown"));
        assert!(reasons[1].starts_with("is tagged both"));
        assert!(reasons[2].starts_with("is tagged `instructor` but does not start with"));
        assert_eq!(check_tags(&workshop()), vec![]);
    }

    #[test]
    fn no_cell_of_the_day_depends_on_a_solution() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut found = Vec::new();
        for path in instructor_notebooks(&root).unwrap() {
            let nb = Notebook::read(&path).unwrap();
            for p in check_names(&nb) {
                found.push(format!(
                    "{} cell {:?}: {}",
                    path.display(),
                    p.cell,
                    p.reason
                ));
            }
        }
        assert!(found.is_empty(), "{}", found.join("\n"));
    }

    #[test]
    fn notebooks_are_written_as_nbformat_writes_them() {
        let nb = notebook(vec![md(
            "a",
            "# Café « ✓ »\n\"quoted\"\tand a \u{1b} escape",
        )]);
        let text = nb.to_text();
        // What Python's json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) gives.
        let expected = "{\n \"cells\": [\n  {\n   \"cell_type\": \"markdown\",\n   \"id\": \"a\",\n   \"metadata\": {},\n   \"source\": \"# Café « ✓ »\\n\\\"quoted\\\"\\tand a \\u001b escape\"\n  }\n ],\n \"metadata\": {\n  \"kernelspec\": {\n   \"name\": \"rust-dlintro\"\n  }\n },\n \"nbformat\": 4,\n \"nbformat_minor\": 5\n}\n";
        assert_eq!(text, expected);
    }
}
