//! Presenting: `cargo xtask slides` gives every cell of the notebooks its slide type, and
//! `cargo xtask present NN` opens notebook NN as slides (RISE) in JupyterLab, with the text
//! sizes of `notebooks/rise.css` ([`SLIDES_CSS`]): RISE reads that file for its slides only.

use std::path::{Path, PathBuf};

use dlintro_notebooks::slides::with_slide_types;
use dlintro_notebooks::Notebook;

use crate::base::failure::Failure;
use crate::base::repo::repo_root;
use crate::setup::commands;

/// The slides' text sizes: RISE loads `rise.css` from the notebook's folder on its slides page
/// (and only there), so the notebooks keep JupyterLab's own sizes.
pub const SLIDES_CSS: &str = "rise.css";

/// The notebooks of `notebooks/`, in order.
fn all_notebooks(root: &Path) -> Result<Vec<PathBuf>, Failure> {
    let dir = root.join("notebooks");
    let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| Failure::new(format!("could not read {}: {e}", dir.display())))?
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "ipynb"))
        .collect();
    found.sort();
    Ok(found)
}

/// The notebook `name` names: its file name, or the start of it (`03`, `03-deep`).
fn find_notebook(notebooks: &[PathBuf], name: &str) -> Result<PathBuf, Failure> {
    let file_name = |p: &PathBuf| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let matching: Vec<&PathBuf> = notebooks
        .iter()
        .filter(|p| file_name(p).starts_with(name))
        .collect();
    match matching.as_slice() {
        [one] => Ok((*one).clone()),
        _ => {
            let names: Vec<String> = notebooks.iter().map(file_name).collect();
            let what = if matching.is_empty() {
                "no"
            } else {
                "more than one"
            };
            Err(Failure::new(format!(
                "{what} notebook starts with `{name}`; name one of: {}",
                names.join(", ")
            )))
        }
    }
}

/// `cargo xtask slides [NOTEBOOK…]`: sets the slide type of every cell of the named
/// notebooks (all when none is named), changing nothing else in the files.
pub fn slides(names: &[String]) -> Result<(), Failure> {
    let root = repo_root();
    let notebooks = all_notebooks(&root)?;
    let chosen = if names.is_empty() {
        notebooks.clone()
    } else {
        names
            .iter()
            .map(|name| find_notebook(&notebooks, name))
            .collect::<Result<Vec<_>, _>>()?
    };
    for path in chosen {
        let shown = path
            .strip_prefix(&root)
            .unwrap_or(&path)
            .display()
            .to_string();
        let text = std::fs::read_to_string(&path)
            .map_err(|e| Failure::new(format!("could not read {shown}: {e}")))?;
        let written = with_slide_types(&text).map_err(|e| Failure::new(format!("{shown}: {e}")))?;
        let counts = summary(&written);
        if written == text {
            println!("{shown}: up to date ({counts})");
        } else {
            std::fs::write(&path, &written)
                .map_err(|e| Failure::new(format!("could not write {shown}: {e}")))?;
            println!("{shown}: slide types written ({counts})");
        }
    }
    Ok(())
}

/// "9 slides, 6 subslides, 12 fragments" of a notebook's text.
fn summary(notebook: &str) -> String {
    let value = Notebook::parse(notebook).unwrap_or_default();
    let types = dlintro_notebooks::slides::slide_types(&value);
    ["slide", "subslide", "fragment", "notes"]
        .iter()
        .map(|kind| (types.iter().filter(|t| *t == kind).count(), kind))
        .filter(|(n, _)| *n > 0)
        .map(|(n, kind)| format!("{n} {kind}{}", if n == 1 { "" } else { "s" }))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `cargo xtask present NOTEBOOK [jupyter options]`: JupyterLab with the notebook open as
/// slides, in RISE's own page (`/rise/NOTEBOOK`).
pub fn present(args: &[String]) -> Result<(), Failure> {
    let root = repo_root();
    let notebooks = all_notebooks(&root)?;
    let (name, extra) = match args.split_first() {
        Some((name, extra)) if !name.starts_with('-') => (name.as_str(), extra),
        _ => ("00", args),
    };
    let notebook = find_notebook(&notebooks, name)?;
    let file = notebook
        .file_name()
        .expect("a notebook has a file name")
        .to_string_lossy()
        .into_owned();
    println!(
        "presenting {file}: Space or → for the next slide, Shift+Enter runs a cell, Esc ? \
         lists RISE's keys; /lab in the address bar goes back to the notebooks"
    );
    let css = root.join("notebooks").join(SLIDES_CSS);
    if !css.is_file() {
        return Err(Failure::new(format!(
            "{} is missing: the slides' larger text lives there (git checkout notebooks/{SLIDES_CSS})",
            css.display()
        )));
    }
    let mut lab_args = vec![format!("--LabApp.default_url=/rise/{file}")];
    lab_args.extend(extra.iter().cloned());
    commands::lab(&lab_args)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notebook_is_named_by_the_start_of_its_file_name() {
        let notebooks: Vec<PathBuf> = ["00-setup-testing.ipynb", "03-deep-networks.ipynb"]
            .iter()
            .map(|n| PathBuf::from("notebooks").join(n))
            .collect();
        assert_eq!(
            find_notebook(&notebooks, "03").unwrap(),
            notebooks[1].clone()
        );
        let e = find_notebook(&notebooks, "0").unwrap_err().to_string();
        assert!(
            e.starts_with("more than one notebook starts with `0`"),
            "{e}"
        );
        let e = find_notebook(&notebooks, "7").unwrap_err().to_string();
        assert!(
            e.ends_with("name one of: 00-setup-testing.ipynb, 03-deep-networks.ipynb"),
            "{e}"
        );
    }

    /// The pixel size a rule of the slides' CSS sets for `property` (the first one).
    fn pixels(css: &str, property: &str) -> u32 {
        let at = css.find(&format!("{property}:")).expect(property);
        let value = css[at + property.len() + 1..].trim_start();
        value[..value.find("px").expect("px")].parse().unwrap()
    }

    #[test]
    fn the_slides_text_reads_from_the_back_of_the_room() {
        let css = std::fs::read_to_string(repo_root().join("notebooks").join(SLIDES_CSS)).unwrap();
        // JupyterLab's are 14 px and 13 px; RISE's page only (`.rise-enabled`).
        assert_eq!(pixels(&css, "--jp-content-font-size1"), 22);
        assert_eq!(pixels(&css, "--jp-code-font-size"), 18);
        assert!(css.contains(".rise-enabled .reveal {"));
        // At 18 px a line of 100 characters fits 1280 pixels: tests/browser.rs's `slides`.
    }

    #[test]
    fn the_summary_counts_each_kind() {
        let nb = r###"{"cells": [
            {"cell_type": "markdown", "source": "# T", "metadata": {}},
            {"cell_type": "code", "source": "1", "metadata": {}},
            {"cell_type": "markdown", "source": "## U", "metadata": {}}
        ]}"###;
        assert_eq!(summary(nb), "2 slides, 1 fragment");
    }
}
