//! Executes every notebook in `notebooks/` in a fresh `rust-dlintro` kernel, through
//! Jupyter's own execution machinery (nbclient, via `tests/execute_notebook.py`), and checks
//! the learner edition in `learner/`.
//!
//! One test per notebook, picked up from the folder. Executed copies go to
//! `target/notebooks/`. Run through `cargo xtask test`, which sets up the kernel first and
//! tells this test which Python has Jupyter (`DLINTRO_JUPYTER_PYTHON`).
//!
//! The learner edition costs no second run. `learner-edition-up-to-date` compares `learner/`
//! with what `cargo xtask learner` would write. Each notebook's test then checks, before it
//! runs anything, that no cell after a solution uses a name only the solution binds (so the
//! learner edition, where the solution is a stub, runs past it), and runs the learner
//! edition's code stubs in the instructor run, each just before its solution: every cell of
//! the learner edition is then executed once. The executed copy leaves the stubs out again.
//! `cargo test -p dlintro-notebooks -- --ignored learner/` executes the learner notebooks
//! themselves, in full, when you want to see them run (`target/learner/`).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use common::{jupyter_python, notebooks, read_notebook, report, root};
use dlintro_notebooks::learner::{self, check_names, check_tags, split_stubs, with_stubs};
use dlintro_notebooks::{check_committed, check_executed, Cell, Problem, KERNEL_NAME};
use libtest_mimic::{Arguments, Failed, Trial};

/// Runs `execute_notebook.py` on `input` (its kernel started in `notebooks/`), writing the
/// executed copy to `output`; returns its exit status and stderr, and the seconds it took.
fn execute(input: &Path, output: &Path) -> Result<(Option<i32>, String, f64), Failed> {
    let python = jupyter_python()?;
    let timeout = std::env::var("DLINTRO_CELL_TIMEOUT").unwrap_or_else(|_| "1200".into());
    let start = Instant::now();
    let out = Command::new(&python)
        .arg(root().join("tests").join("execute_notebook.py"))
        .arg(input)
        .arg(output)
        .arg(KERNEL_NAME)
        .arg(&timeout)
        .arg(root().join(learner::NOTEBOOK_DIR))
        .output()
        .map_err(|e| Failed::from(format!("could not run {}: {e}", python.display())))?;
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    Ok((out.status.code(), stderr, start.elapsed().as_secs_f64()))
}

fn relative(path: &Path) -> PathBuf {
    path.strip_prefix(root()).unwrap_or(path).to_path_buf()
}

fn write(path: &Path, text: &str) -> Result<(), Failed> {
    std::fs::create_dir_all(path.parent().expect("a file has a folder"))
        .and_then(|()| std::fs::write(path, text))
        .map_err(|e| Failed::from(format!("could not write {}: {e}", path.display())))
}

fn run_notebook(notebook: &Path) -> Result<(), Failed> {
    let relative_path = relative(notebook);
    let committed = read_notebook(notebook)?;
    let mut problems = check_committed(&committed);
    problems.extend(check_tags(&committed));
    problems.extend(check_names(&committed));
    if !problems.is_empty() {
        return Err(report(&relative_path, &problems, &[]));
    }
    let name = notebook.file_name().expect("a notebook has a file name");
    let executed = root().join("target").join("notebooks").join(name);
    // The learner edition's code stubs run in the same kernel, each before its solution: the
    // run reads and writes target/notebooks/with-learner-stubs/, and the executed copy
    // leaves the stubs out again.
    let (with_stubs, stubs) = with_stubs(&committed);
    let (input, run_output) = if stubs == 0 {
        (notebook.to_path_buf(), executed.clone())
    } else {
        let merged = root()
            .join("target")
            .join("notebooks")
            .join("with-learner-stubs")
            .join(name);
        write(&merged, &with_stubs.to_text())?;
        (merged.clone(), merged)
    };
    let (status, stderr, seconds) = execute(&input, &run_output)?;
    if status == Some(2) || !run_output.exists() {
        return Err(format!(
            "{} could not be executed:\n{stderr}",
            relative_path.display()
        )
        .into());
    }
    let (result, stub_cells) = split_stubs(&read_notebook(&run_output)?);
    if stubs > 0 {
        write(&executed, &result.to_text())?;
    }
    let code_cells = result.code_cells().count();
    let timed: Vec<(f64, &Cell)> = result
        .cells
        .iter()
        .filter_map(|c| c.seconds().map(|t| (t, c)))
        .collect();
    let first = timed.first().map(|(t, _)| *t).unwrap_or(0.0);
    let slowest = timed[1.min(timed.len())..]
        .iter()
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let stub_note = match stubs {
        0 => String::new(),
        n => format!(" and {n} learner stub{}", if n == 1 { "" } else { "s" }),
    };
    println!(
        "    {}: {code_cells} code cells{stub_note} executed in {seconds:.1} s (`:dep` cell {first:.1} s{}) -> {}",
        relative_path.display(),
        slowest
            .map(|(t, c)| format!(", slowest other cell {t:.1} s: `{}`", c.first_line()))
            .unwrap_or_default(),
        relative(&executed).display()
    );
    let mut problems = check_executed(&result);
    for stub in &stub_cells {
        let alone = result.with_cells(vec![stub.clone()]);
        for mut problem in check_executed(&alone) {
            problem.cell = None;
            problem.reason = format!(
                "the learner edition's code stub (`{}`) {}",
                stub.id(),
                problem.reason
            );
            problems.push(problem);
        }
    }
    if problems.is_empty() && status != Some(0) {
        // nbclient stopped (a timeout, a dead kernel) without an error output in a cell.
        problems.push(Problem {
            cell: None,
            source: String::new(),
            reason: format!("the kernel stopped early: {}", stderr.trim()),
            output: String::new(),
        });
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(report(
            &relative_path,
            &problems,
            &[("executed copy:", &executed)],
        ))
    }
}

/// The committed learner edition is what `cargo xtask learner` writes from `notebooks/`.
fn learner_up_to_date() -> Result<(), Failed> {
    let stale = learner::out_of_date(&root())?;
    if stale.is_empty() {
        return Ok(());
    }
    Err(format!(
        "the learner edition in {}/ does not match the notebooks:\n  {}\nrun `cargo xtask \
         learner` and commit {}/",
        learner::LEARNER_DIR,
        stale.join("\n  "),
        learner::LEARNER_DIR
    )
    .into())
}

/// Executes one learner notebook in full, for `--ignored` runs: every cell must run without
/// an error; the stubs print their message and the self-checks "Not answered yet".
fn run_learner_notebook(path: &Path) -> Result<(), Failed> {
    let name = path.file_name().expect("a notebook has a file name");
    let executed = root().join("target").join("learner").join(name);
    let (status, stderr, seconds) = execute(path, &executed)?;
    if status == Some(2) || !executed.exists() {
        return Err(format!(
            "{} could not be executed:\n{stderr}",
            relative(path).display()
        )
        .into());
    }
    println!(
        "    {}: executed in {seconds:.1} s -> {}",
        relative(path).display(),
        relative(&executed).display()
    );
    let problems = check_executed(&read_notebook(&executed)?);
    if problems.is_empty() && status == Some(0) {
        Ok(())
    } else {
        Err(report(
            &relative(path),
            &problems,
            &[("executed copy:", &executed)],
        ))
    }
}

fn main() {
    let mut args = Arguments::from_args();
    // One kernel at a time: each compiles the crate, and two cores are all CI has.
    args.test_threads = Some(1);
    let notebooks = notebooks();
    let mut trials = vec![Trial::test(
        "learner-edition-up-to-date",
        learner_up_to_date,
    )];
    for path in notebooks {
        let name = path
            .file_stem()
            .expect("a notebook has a file name")
            .to_string_lossy()
            .into_owned();
        let learner_path = root()
            .join(learner::LEARNER_DIR)
            .join(path.file_name().expect("a name"));
        trials.push(Trial::test(name.clone(), move || run_notebook(&path)));
        trials.push(
            Trial::test(format!("learner/{name}"), move || {
                run_learner_notebook(&learner_path)
            })
            .with_ignored_flag(true),
        );
    }
    libtest_mimic::run(&args, trials).exit();
}
