//! The exercises of a notebook, and its front matter (title and minutes).
//!
//! An exercise is found from its solution: one or more consecutive cells tagged `solution`
//! (code, or Markdown for a discussion). Walking back from the solution, the code cells up to
//! the previous Markdown cell are the exercise's cells, the last of them the "your turn" cell
//! where learners answer and any before it the data; the Markdown cells before those hold the
//! question, which starts at their last heading that names an exercise or a discussion.
//! Instructor notes (cells tagged `instructor`) are skipped throughout.
//!
//! ```text
//! ## Exercise: loss function        ← question (Markdown, from its heading on)
//! let y_hat = [1.0, 2.0, 0.0, 3.0]; ← data (code)
//! let mse = f64::NAN; check::mse(…) ← your turn (code)
//! let mse = 3.5; check::mse(mse);   ← solution (tagged "solution")
//! ```

use std::collections::BTreeSet;

use crate::Notebook;

/// One exercise of a notebook; the numbers are 0-based cell indices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exercise {
    /// The heading that opens the exercise, without its `#`s, e.g. "Exercise: loss function".
    pub title: String,
    /// The question: the Markdown after that heading (the whole Markdown when it has none).
    pub question: String,
    /// The Markdown cells that hold the question.
    pub question_cells: Vec<usize>,
    /// Code cells between the question and the "your turn" cell: the data learners need.
    pub data: Vec<usize>,
    /// The code cell where learners answer, just before a code solution.
    pub your_turn: Option<usize>,
    /// The solution cells, consecutive (instructor notes aside), at least one.
    pub solutions: Vec<usize>,
}

/// The minutes a notebook takes, from its `**Teaching:** N min · **Exercises:** M min` line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    pub teaching: u32,
    pub exercises: u32,
}

impl Timing {
    pub fn total(&self) -> u32 {
        self.teaching + self.exercises
    }
}

/// The notebook's title: the first `# ` heading of its first Markdown cell.
pub fn title(notebook: &Notebook) -> Option<String> {
    let first = notebook.cells.iter().find(|c| c.is_markdown())?;
    first
        .source()
        .lines()
        .find_map(|l| l.strip_prefix("# ").map(|t| t.trim().to_string()))
}

/// The number after `label` in `line`, e.g. 10 in `**Teaching:** 10 min`.
fn minutes_after(line: &str, label: &str) -> Option<u32> {
    let rest = &line[line.find(label)? + label.len()..];
    let digits: String = rest
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// The teaching and exercise minutes of the notebook's first Markdown cell.
pub fn timing(notebook: &Notebook) -> Option<Timing> {
    let first = notebook.cells.iter().find(|c| c.is_markdown())?;
    let text = first.source();
    let line = text.lines().find(|l| l.contains("**Teaching:**"))?;
    Some(Timing {
        teaching: minutes_after(line, "**Teaching:**")?,
        exercises: minutes_after(line, "**Exercises:**")?,
    })
}

/// The names of the `check::NAME` functions a cell calls.
pub fn check_calls(code: &str) -> BTreeSet<String> {
    let mut calls = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find("check::") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + "check::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if rest[name.len()..].trim_start().starts_with('(') {
            calls.insert(name);
        }
    }
    calls
}

/// Where the question starts in its Markdown, and its title: the last heading that names an
/// exercise or a discussion, else the last heading, else the last paragraph that opens with
/// a bold label (`**Discuss:** …`), else the whole text.
fn split_question(markdown: &str) -> (String, String) {
    let lines: Vec<&str> = markdown.lines().collect();
    let heading = |l: &&str| l.trim_start().starts_with('#');
    let names_exercise = |l: &str| {
        let l = l.to_lowercase();
        l.contains("exercise") || l.contains("discuss")
    };
    let chosen = lines
        .iter()
        .rposition(|l| heading(l) && names_exercise(l))
        .or_else(|| lines.iter().rposition(heading));
    if let Some(at) = chosen {
        let title = lines[at].trim_start().trim_start_matches('#').trim();
        let rest = lines[at + 1..].join("\n");
        return (title.to_string(), rest.trim().to_string());
    }
    let bold = (0..lines.len())
        .rev()
        .find(|&i| lines[i].starts_with("**") && (i == 0 || lines[i - 1].trim().is_empty()));
    if let Some(at) = bold {
        let label = lines[at][2..].split("**").next().unwrap_or("");
        let title = label.trim().trim_end_matches([':', '.']).trim();
        return (title.to_string(), lines[at..].join("\n").trim().to_string());
    }
    ("Exercise".to_string(), markdown.trim().to_string())
}

/// Every exercise of a notebook, in order.
pub fn exercises(notebook: &Notebook) -> Vec<Exercise> {
    let all = &notebook.cells;
    // Cells that count, instructor notes aside, as indices into `all`.
    let kept: Vec<usize> = (0..all.len())
        .filter(|&i| !all[i].is_instructor())
        .collect();
    let mut found = Vec::new();
    let mut k = 0;
    while k < kept.len() {
        if !all[kept[k]].is_solution() {
            k += 1;
            continue;
        }
        let first = k;
        while k < kept.len() && all[kept[k]].is_solution() {
            k += 1;
        }
        let solutions: Vec<usize> = kept[first..k].to_vec();
        // Back from the solution: its code cells, then the question's Markdown cells.
        let mut j = first;
        let mut code = Vec::new();
        while j > 0 && all[kept[j - 1]].is_code() && !all[kept[j - 1]].is_solution() {
            j -= 1;
            code.insert(0, kept[j]);
        }
        let mut question_cells = Vec::new();
        while j > 0 && all[kept[j - 1]].is_markdown() && !all[kept[j - 1]].is_solution() {
            j -= 1;
            question_cells.insert(0, kept[j]);
        }
        let markdown: Vec<String> = question_cells.iter().map(|&i| all[i].source()).collect();
        let (title, question) = split_question(&markdown.join("\n\n"));
        let your_turn = if all[solutions[0]].is_code() {
            code.pop()
        } else {
            None
        };
        found.push(Exercise {
            title,
            question,
            question_cells,
            data: code,
            your_turn,
            solutions,
        });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{INSTRUCTOR_TAG, SOLUTION_TAG};
    use serde_json::{json, Value};

    fn md(text: &str) -> Value {
        json!({ "cell_type": "markdown", "source": text, "metadata": {} })
    }

    fn code(text: &str) -> Value {
        json!({ "cell_type": "code", "source": text, "metadata": {}, "outputs": [],
                "execution_count": null })
    }

    fn tagged(mut cell: Value, tag: &str) -> Value {
        cell["metadata"]["tags"] = json!([tag]);
        cell
    }

    #[test]
    fn finds_question_data_your_turn_and_solution() {
        let nb = json!({ "cells": [
            md("# Loss functions\n\n**Teaching:** 10 min · **Exercises:** 15 min"),
            code(":dep dlintro"),
            md("Some prose.\n\n## Exercise: loss function\n\nWhat is the MSE?"),
            code("let y = [1.0];"),
            code("let mse = f64::NAN;\ncheck::mse(mse);"),
            tagged(md("Say it in the room."), INSTRUCTOR_TAG),
            tagged(code("let mse = 3.5;\ncheck::mse(mse);"), SOLUTION_TAG),
            md("## Next"),
        ]});
        let nb = Notebook::from(nb);
        let found = exercises(&nb);
        assert_eq!(
            found,
            vec![Exercise {
                title: "Exercise: loss function".into(),
                question: "What is the MSE?".into(),
                question_cells: vec![2],
                data: vec![3],
                your_turn: Some(4),
                solutions: vec![6],
            }]
        );
        assert_eq!(title(&nb).as_deref(), Some("Loss functions"));
        assert_eq!(
            timing(&nb),
            Some(Timing {
                teaching: 10,
                exercises: 15
            })
        );
    }

    #[test]
    fn a_discussion_has_a_markdown_solution_and_no_your_turn_cell() {
        let nb = json!({ "cells": [
            code("let x = 1;"),
            md("Why?\n\n**Discuss:** what would Adam take?"),
            tagged(md("**One answer.** One word."), SOLUTION_TAG),
        ]})
        .into();
        let found = exercises(&nb);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].title, "Discuss");
        assert_eq!(found[0].question, "**Discuss:** what would Adam take?");
        assert_eq!(found[0].your_turn, None);
        assert_eq!(found[0].data, Vec::<usize>::new());
    }

    #[test]
    fn questions_without_a_heading_or_label_are_whole() {
        assert_eq!(
            split_question("Try it.\nThen compare."),
            ("Exercise".into(), "Try it.\nThen compare.".into())
        );
        assert_eq!(
            split_question("# Title\n\n## Exercise: a\n\nQ?\n\n### Hint\n\nH"),
            ("Exercise: a".into(), "Q?\n\n### Hint\n\nH".into())
        );
    }

    #[test]
    fn finds_check_calls() {
        let calls = check_calls(
            "check::mse(mse);\nlet t = check::TRUTH;\nmycheck::x();\ncheck::logic_problem (\"\")?;",
        );
        assert_eq!(
            calls.into_iter().collect::<Vec<_>>(),
            vec!["logic_problem", "mse"]
        );
    }

    #[test]
    fn every_exercise_of_the_workshop_has_a_question() {
        let dir = crate::repo_root().join("notebooks");
        let mut count = 0;
        // Only the notebooks: JupyterLab leaves a `.ipynb_checkpoints` folder beside them.
        let entries = std::fs::read_dir(dir).unwrap().flatten();
        for entry in entries.filter(|e| e.path().extension().is_some_and(|x| x == "ipynb")) {
            let nb = Notebook::read(&entry.path()).unwrap();
            assert!(
                timing(&nb).is_some(),
                "{:?} has no minutes line",
                entry.path()
            );
            for exercise in exercises(&nb) {
                count += 1;
                assert!(
                    !exercise.question.is_empty() && !exercise.question_cells.is_empty(),
                    "{:?}: {exercise:?}",
                    entry.path()
                );
            }
        }
        assert!(count >= 8, "only {count} exercises found");
    }
}
