//! `cargo xtask learner`: writes the learner edition, `learner/*.ipynb`, from `notebooks/`.
//!
//! The rules live in `dlintro_notebooks::learner` (shared with the notebook tests, which
//! check that the committed edition is up to date): solutions become "your turn" stubs,
//! instructor notes are left out, outputs are cleared, everything else stays as it is.

use std::path::Path;

use dlintro_notebooks::exercises::exercises;
use dlintro_notebooks::learner::{
    instructor_notebooks, learner_files, stub_kind, Stub, LEARNER_DIR,
};
use dlintro_notebooks::Notebook;

use crate::base::failure::Failure;
use crate::base::repo::repo_root;

/// What the learner edition of one notebook leaves out and puts in, for the summary line.
fn summary(notebook: &Notebook) -> String {
    let notes = notebook.cells.iter().filter(|c| c.is_instructor()).count();
    let mut kinds = [0usize; 3];
    for exercise in exercises(notebook) {
        kinds[match stub_kind(notebook, &exercise) {
            Stub::AnswerAbove => 0,
            Stub::Discuss => 1,
            Stub::Code => 2,
        }] += 1;
    }
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "{} (answer above: {}, discuss: {}, code stub: {}), {} left out",
        plural(kinds.iter().sum(), "solution", "solutions"),
        kinds[0],
        kinds[1],
        kinds[2],
        plural(notes, "instructor note", "instructor notes"),
    )
}

/// Writes every learner notebook that differs and removes those whose instructor notebook is
/// gone. Returns (written, unchanged, removed) file names.
pub fn write(root: &Path) -> Result<(Vec<String>, usize, Vec<String>), Failure> {
    let files = learner_files(root).map_err(Failure::new)?;
    let dir = root.join(LEARNER_DIR);
    std::fs::create_dir_all(&dir)
        .map_err(|e| Failure::new(format!("could not create {}: {e}", dir.display())))?;
    let mut written = Vec::new();
    let mut unchanged = 0;
    for (path, text) in &files {
        if std::fs::read_to_string(path).ok().as_deref() == Some(text.as_str()) {
            unchanged += 1;
            continue;
        }
        std::fs::write(path, text)
            .map_err(|e| Failure::new(format!("could not write {}: {e}", path.display())))?;
        written.push(
            path.file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned(),
        );
    }
    let mut removed = Vec::new();
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let path = entry.path();
        let notebook = path.extension().is_some_and(|e| e == "ipynb");
        if notebook && !files.iter().any(|(p, _)| p == &path) {
            std::fs::remove_file(&path)
                .map_err(|e| Failure::new(format!("could not remove {}: {e}", path.display())))?;
            removed.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    Ok((written, unchanged, removed))
}

pub fn run(args: &[String]) -> Result<(), Failure> {
    if let Some(extra) = args.first() {
        return Err(Failure::new(format!(
            "`cargo xtask learner` takes no options, got `{extra}`"
        )));
    }
    let root = repo_root();
    for path in instructor_notebooks(&root).map_err(Failure::new)? {
        let notebook = Notebook::read(&path).map_err(Failure::new)?;
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        println!("{LEARNER_DIR}/{name}: {}", summary(&notebook));
    }
    let (written, unchanged, removed) = write(&root)?;
    println!(
        "learner edition: {} written, {unchanged} already up to date{}",
        written.len(),
        if removed.is_empty() {
            String::new()
        } else {
            format!(", removed {}", removed.join(", "))
        }
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_summary_counts_stubs_and_notes() {
        let nb = json!({ "cells": [
            { "cell_type": "markdown", "source": "## Exercise: a", "metadata": {} },
            { "cell_type": "code", "source": "check::a(x);", "metadata": {} },
            { "cell_type": "code", "source": "check::a(1);", "metadata": { "tags": ["solution"] } },
            { "cell_type": "markdown", "source": "Timing.", "metadata": { "tags": ["instructor"] } },
            { "cell_type": "markdown", "source": "**Discuss:** b", "metadata": {} },
            { "cell_type": "markdown", "source": "B.", "metadata": { "tags": ["solution"] } },
        ]});
        assert_eq!(
            summary(&nb.into()),
            "2 solutions (answer above: 1, discuss: 1, code stub: 0), 1 instructor note left out"
        );
    }

    #[test]
    fn writes_what_is_missing_and_removes_what_is_left_over() {
        let root = std::env::temp_dir().join(format!("dlintro-learner-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("notebooks")).unwrap();
        std::fs::create_dir_all(root.join("learner")).unwrap();
        let nb = json!({ "cells": [
            { "cell_type": "markdown", "id": "a", "source": "# T", "metadata": {} },
        ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5 });
        std::fs::write(root.join("notebooks/01-a.ipynb"), nb.to_string()).unwrap();
        std::fs::write(root.join("learner/02-gone.ipynb"), "{}").unwrap();
        let (written, unchanged, removed) = write(&root).unwrap();
        assert_eq!(
            (written, unchanged, removed),
            (
                vec!["01-a.ipynb".to_string()],
                0,
                vec!["02-gone.ipynb".to_string()]
            )
        );
        let (written, unchanged, removed) = write(&root).unwrap();
        assert_eq!((written.len(), unchanged, removed.len()), (0, 1, 0));
        assert_eq!(dlintro_notebooks::learner::out_of_date(&root), Ok(vec![]));
        std::fs::write(root.join("learner/01-a.ipynb"), "{}").unwrap();
        assert_eq!(
            dlintro_notebooks::learner::out_of_date(&root),
            Ok(vec!["learner/01-a.ipynb is out of date".to_string()])
        );
        std::fs::remove_dir_all(&root).unwrap();
    }
}
