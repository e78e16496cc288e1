//! What the test targets share: the repository root, the Python with Jupyter, reading
//! notebooks and JSON, and the failure message of a notebook.

// Each test target compiles this module on its own and uses only part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use dlintro_notebooks::learner::instructor_notebooks;
use dlintro_notebooks::{Notebook, Problem};
use libtest_mimic::Failed;

/// The repository root: this package is its `tests/` folder.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is inside the repository")
        .to_path_buf()
}

/// The Python that has Jupyter and sees the rust-dlintro kernelspec.
pub fn jupyter_python() -> Result<PathBuf, Failed> {
    if let Some(python) = std::env::var_os("DLINTRO_JUPYTER_PYTHON") {
        return Ok(PathBuf::from(python));
    }
    let venv = root().join(".venv").join("bin").join("python");
    if venv.exists() {
        return Ok(venv);
    }
    Err(
        "no Python environment with Jupyter was found: run the notebook tests with \
         `cargo xtask test`, which sets up .venv/ and the rust-dlintro kernel first"
            .into(),
    )
}

/// The notebooks of `notebooks/`, in order.
pub fn notebooks() -> Vec<PathBuf> {
    instructor_notebooks(&root()).expect("the repository has a notebooks/ folder")
}

/// The failure of one notebook: its problems, and where to look further, each path with
/// what it is (`("see", path)`).
pub fn report(notebook: &Path, problems: &[Problem], look_at: &[(&str, &Path)]) -> Failed {
    let mut message = format!("{} failed:\n", notebook.display());
    let mut shown: Option<usize> = None;
    for problem in problems {
        if problem.cell.is_some() && problem.cell == shown {
            // The cell's output is already above: only the reason.
            message.push_str(&format!("  and it {}\n", problem.reason));
        } else {
            message.push_str(&problem.to_string());
        }
        shown = problem.cell;
    }
    for (what, path) in look_at {
        message.push_str(&format!("{what} {}\n", path.display()));
    }
    message.into()
}

/// Reads a notebook.
pub fn read_notebook(path: &Path) -> Result<Notebook, Failed> {
    Notebook::read(path).map_err(Failed::from)
}

/// Reads a JSON file (the browser test's measurements).
/// Runs one of the Python drivers of `tests/` (`tests/NAME`) with `args`, which writes what
/// it measured to `measured` as JSON; returns that JSON, or a failure that says `what` could
/// not be done, with the driver's output.
pub fn run_driver(
    name: &str,
    args: &[&std::ffi::OsStr],
    env: &[(&str, &std::ffi::OsStr)],
    measured: &Path,
    what: &str,
) -> Result<serde_json::Value, Failed> {
    let python = jupyter_python()?;
    let _ = std::fs::remove_file(measured);
    let run = std::process::Command::new(&python)
        .arg(root().join("tests").join(name))
        .args(args)
        .envs(env.iter().copied())
        .output()
        .map_err(|e| Failed::from(format!("could not run {}: {e}", python.display())))?;
    if !run.status.success() || !measured.exists() {
        return Err(format!(
            "{what}:\n{}{}",
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr)
        )
        .into());
    }
    read_json(measured)
}

pub fn read_json(path: &Path) -> Result<serde_json::Value, Failed> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failed::from(format!("could not read {}: {e}", path.display())))?;
    serde_json::from_str(&text)
        .map_err(|e| Failed::from(format!("{} is not valid JSON: {e}", path.display())))
}
