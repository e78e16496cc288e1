//! Executes every notebook in `notebooks/` in a fresh `rust-dlintro` kernel, through
//! Jupyter's own execution machinery (nbclient, via `tests/execute_notebook.py`).
//!
//! One test per notebook, picked up from the folder. Executed copies go to
//! `target/notebooks/`. Run through `cargo xtask test`, which sets up the kernel first and
//! tells this test which Python has Jupyter (`DLINTRO_JUPYTER_PYTHON`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use dlintro_notebooks::{
    cell_seconds, check_committed, check_executed, source, Problem, KERNEL_NAME,
};
use libtest_mimic::{Arguments, Failed, Trial};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The Python that has nbclient and sees the rust-dlintro kernelspec.
fn jupyter_python() -> Result<PathBuf, Failed> {
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

fn report(notebook: &Path, problems: &[Problem], executed: Option<&Path>) -> Failed {
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
    if let Some(executed) = executed {
        message.push_str(&format!("executed copy: {}\n", executed.display()));
    }
    message.into()
}

fn read_json(path: &Path) -> Result<serde_json::Value, Failed> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failed::from(format!("could not read {}: {e}", path.display())))?;
    serde_json::from_str(&text)
        .map_err(|e| Failed::from(format!("{} is not valid JSON: {e}", path.display())))
}

fn run_notebook(notebook: &Path) -> Result<(), Failed> {
    let relative = notebook
        .strip_prefix(root())
        .unwrap_or(notebook)
        .to_path_buf();
    let committed = read_json(notebook)?;
    let problems = check_committed(&committed);
    if !problems.is_empty() {
        return Err(report(&relative, &problems, None));
    }
    let python = jupyter_python()?;
    let executed = root()
        .join("target")
        .join("notebooks")
        .join(notebook.file_name().expect("a notebook has a file name"));
    let timeout = std::env::var("DLINTRO_CELL_TIMEOUT").unwrap_or_else(|_| "1200".into());
    let start = Instant::now();
    let out = Command::new(&python)
        .arg(root().join("tests").join("execute_notebook.py"))
        .arg(notebook)
        .arg(&executed)
        .arg(KERNEL_NAME)
        .arg(&timeout)
        .output()
        .map_err(|e| Failed::from(format!("could not run {}: {e}", python.display())))?;
    let seconds = start.elapsed().as_secs_f64();
    if out.status.code() == Some(2) || !executed.exists() {
        return Err(format!(
            "{} could not be executed:\n{}",
            relative.display(),
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    let result = read_json(&executed)?;
    let code_cells = result["cells"]
        .as_array()
        .map(|cells| cells.iter().filter(|c| c["cell_type"] == "code").count())
        .unwrap_or(0);
    let cells = result["cells"].as_array().map(Vec::as_slice).unwrap_or(&[]);
    let timed: Vec<(f64, &serde_json::Value)> = cells
        .iter()
        .filter_map(|c| cell_seconds(c).map(|t| (t, c)))
        .collect();
    let first = timed.first().map(|(t, _)| *t).unwrap_or(0.0);
    let slowest = timed[1.min(timed.len())..]
        .iter()
        .max_by(|a, b| a.0.total_cmp(&b.0));
    println!(
        "    {}: {code_cells} code cells executed in {seconds:.1} s (`:dep` cell {first:.1} s{}) -> {}",
        relative.display(),
        slowest
            .map(|(t, c)| format!(
                ", slowest other cell {t:.1} s: `{}`",
                source(c).lines().next().unwrap_or("").trim()
            ))
            .unwrap_or_default(),
        executed.strip_prefix(root()).unwrap_or(&executed).display()
    );
    let mut problems = check_executed(&result);
    if problems.is_empty() && !out.status.success() {
        // nbclient stopped (a timeout, a dead kernel) without an error output in a cell.
        problems.push(Problem {
            cell: None,
            source: String::new(),
            reason: format!(
                "the kernel stopped early: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ),
            output: String::new(),
        });
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(report(&relative, &problems, Some(&executed)))
    }
}

fn main() {
    let mut args = Arguments::from_args();
    // One kernel at a time: each compiles the crate, and two cores are all CI has.
    args.test_threads = Some(1);
    let mut notebooks: Vec<PathBuf> = std::fs::read_dir(root().join("notebooks"))
        .expect("the repository has a notebooks/ folder")
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "ipynb"))
        .collect();
    notebooks.sort();
    let trials = notebooks
        .into_iter()
        .map(|path| {
            let name = path
                .file_stem()
                .expect("a notebook has a file name")
                .to_string_lossy()
                .into_owned();
            Trial::test(name, move || run_notebook(&path))
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}
