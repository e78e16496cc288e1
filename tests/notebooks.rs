//! Executes every notebook in `notebooks/` in a fresh `rust-dlintro` kernel, through
//! Jupyter's own execution machinery (nbclient, via `tests/execute_notebook.py`), and the
//! learner edition in `learner/` as a participant who answers nothing would.
//!
//! One test per notebook, picked up from the folder, one per learner notebook
//! (`learner/NN-…`), and `interrupt`: Kernel ▸ Interrupt during a long `fit` and during a loop
//! of the cell's own (`tests/interrupt_kernel.py`). Executed copies go to `target/notebooks/`
//! and `target/learner/`. Run through `cargo xtask test`, which sets up the kernel first and
//! tells this test which Python has Jupyter (`DLINTRO_JUPYTER_PYTHON`).
//!
//! The learner edition: `learner-edition-up-to-date` compares `learner/` with what `cargo
//! xtask learner` would write. Each notebook's test checks, before it runs anything, that no
//! cell after a solution uses a name the solution binds (so the learner edition, where the
//! solution is a stub, runs past it, and no later cell depends on a participant's answer), and
//! runs the learner edition's code stubs in the instructor run, each just before its solution.
//! Each `learner/NN-…` test then runs the learner notebook itself, top to bottom: no cell may
//! fail, and every exercise's self-check must say that it is not answered yet.
//!
//! Two kernels run at a time (`DLINTRO_KERNELS`, default 2), so that a learner notebook runs
//! beside an instructor one: one kernel compiles a cell while the other runs one, and the two
//! cores CI has stay busy. `interrupt` runs alone, since it times how fast a cell ends.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::RwLock;
use std::time::Instant;

use common::{jupyter_python, notebooks, read_notebook, report, root};
use dlintro_notebooks::learner::{
    self, check_names, check_tags, check_unanswered, self_checks, split_stubs, with_stubs,
};
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
        problems.push(stopped_early(&stderr));
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

/// Executes one learner notebook in full, as a participant who answers nothing: every cell
/// must run without an error (the code stubs print their message), and every exercise's
/// self-check must say "Not answered yet" (or "Not yet" for a draft that runs), never ✓.
fn run_learner_notebook(path: &Path, instructor: &Path) -> Result<(), Failed> {
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
    let result = read_notebook(&executed)?;
    let instructor = read_notebook(instructor)?;
    let mut problems = check_executed(&result);
    problems.extend(check_unanswered(&instructor, &result));
    println!(
        "    {}: executed in {seconds:.1} s, {} self-checks -> {}",
        relative(path).display(),
        self_checks(&instructor).len(),
        relative(&executed).display()
    );
    if problems.is_empty() && status != Some(0) {
        problems.push(stopped_early(&stderr));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(report(
            &relative(path),
            &problems,
            &[("executed copy:", &executed)],
        ))
    }
}

/// Kernel ▸ Interrupt, through jupyter_client as JupyterLab does it (`interrupt_kernel.py`):
/// a 100,000-epoch `fit` interrupted after 4 s ends within 2 s with one line, and the next
/// cells see every variable, the model with the weights it reached and an interrupted
/// `History`; a cell in a loop of its own ends at the second interrupt, with one line.
fn interrupt() -> Result<(), Failed> {
    let python = jupyter_python()?;
    let out = Command::new(&python)
        .arg(root().join("tests").join("interrupt_kernel.py"))
        .arg(KERNEL_NAME)
        .arg(root().join("notebooks"))
        .output()
        .map_err(|e| Failed::from(format!("could not run {}: {e}", python.display())))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!(
            "interrupt_kernel.py failed ({}):\n{stdout}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    let seen: serde_json::Value = serde_json::from_str(&stdout).map_err(|e| {
        Failed::from(format!(
            "interrupt_kernel.py printed no JSON ({e}):\n{stdout}"
        ))
    })?;
    check_interrupts(&seen).map_err(|problem| Failed::from(format!("{problem}\n{stdout}")))?;
    println!(
        "    interrupt: the fit's cell ended {:.3} s after the interrupt, the own loop's {:.3} s \
         after the second",
        seen["fit"]["ended_s"].as_f64().unwrap_or(f64::NAN),
        seen["own_loop"]["ended_s"].as_f64().unwrap_or(f64::NAN)
    );
    Ok(())
}

/// What `interrupt_kernel.py` saw, against what an interrupt must do.
fn check_interrupts(seen: &serde_json::Value) -> Result<(), String> {
    let lines = |cell: &serde_json::Value| -> Vec<String> {
        cell["lines"]
            .as_array()
            .map(|l| {
                l.iter()
                    .filter_map(|s| s.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    let errors = |cell: &serde_json::Value| cell["errors"].as_array().map_or(0, Vec::len);
    let expect = |ok: bool, what: &str| if ok { Ok(()) } else { Err(what.to_string()) };
    expect(
        seen["interrupt_mode"] == "signal",
        "the kernelspec does not ask for signal-mode interrupts",
    )?;
    for cell in seen["setup"].as_array().into_iter().flatten() {
        expect(errors(cell) == 0, "a set-up cell failed")?;
    }
    let fit = &seen["fit"];
    expect(
        fit["busy"] == true,
        "the fit had ended before the interrupt",
    )?;
    expect(
        errors(fit) == 0,
        "the interrupted fit's cell shows an error",
    )?;
    let ended = fit["ended_s"].as_f64().unwrap_or(f64::INFINITY);
    expect(
        ended < 2.0,
        &format!("the fit's cell ended {ended:.2} s after the interrupt, expected < 2 s"),
    )?;
    let fit_lines = lines(fit);
    let report = fit_lines
        .iter()
        .find(|l| l.starts_with("Interrupted after "))
        .ok_or("the fit printed no line `Interrupted after …`")?;
    let done: usize = report
        .trim_start_matches("Interrupted after ")
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .ok_or("the interrupt line names no number of epochs")?;
    expect(done > 0 && done < 100_000, &format!("{done} epochs done"))?;
    expect(
        *report
            == format!(
                "Interrupted after {done} of 100000 epochs: the model keeps the weights it \
                 reached, the history the {done} epochs (`history.interrupted()` is true)."
            ),
        "the interrupt line differs",
    )?;
    let after = seen["after"].as_array().ok_or("no cells after the fit")?;
    for cell in after {
        expect(
            errors(cell) == 0,
            &format!("a cell after the interrupt failed: {cell}"),
        )?;
    }
    expect(
        lines(&after[0])
            == [
                "2 256 [256] [4, 1]".to_string(),
                format!("epochs {done} interrupted true"),
                "interrupted (Kernel ▸ Interrupt); the model keeps the weights it reached".into(),
            ],
        "the next cell does not see the variables and the interrupted history",
    )?;
    // The model has the weights it reached: its loss is far below the first epoch's, and it
    // predicts the classes of new points.
    let model_lines = lines(&after[1]);
    expect(
        model_lines.get(1).map(String::as_str) == Some(r#"["low", "low", "high", "high"]"#),
        "the model does not predict with the weights it reached",
    )?;
    let losses: Vec<f64> = model_lines
        .first()
        .map(|l| l.split(' ').filter_map(|w| w.parse().ok()).collect())
        .unwrap_or_default();
    expect(
        losses.len() == 2 && losses[0] < 0.2 && losses[0] < losses[1] / 2.0,
        &format!("losses after the interrupt: {model_lines:?}"),
    )?;
    expect(
        lines(&after[2]) == ["again 30 false"],
        "the next cell's fit did not run all its epochs: the interrupt outlived its cell",
    )?;
    let own = &seen["own_loop"];
    expect(
        own["busy"] == true,
        "a cell in a loop of its own stopped at the first interrupt",
    )?;
    let ended = own["ended_s"].as_f64().unwrap_or(f64::INFINITY);
    expect(
        ended < 2.0,
        &format!("the second interrupt ended the cell after {ended:.2} s"),
    )?;
    expect(
        lines(own)
            == [
                "looping",
                "Interrupted twice: this cell runs a loop that no interrupt stops (only \
                 dlintro's loops check for one), so its process was ended and every variable \
                 is lost: run the cells above again.",
            ],
        "the second interrupt's line differs",
    )?;
    let restarted = seen["restarted"]
        .as_array()
        .ok_or("no cells after the second interrupt")?;
    expect(
        errors(&restarted[0]) == 1,
        "`names` outlived the process that the second interrupt ended",
    )?;
    expect(
        errors(&restarted[1]) == 0 && lines(&restarted[1]) == ["2"],
        "the kernel does not run cells after the second interrupt",
    )
}

/// Held while a kernel runs: shared by the notebook runs, two at a time, and taken alone by
/// `interrupt`, which times how fast a cell ends and must not share the cores.
static KERNELS: RwLock<()> = RwLock::new(());

fn sharing<T>(run: impl FnOnce() -> T) -> T {
    let _shared = KERNELS.read().unwrap_or_else(|e| e.into_inner());
    run()
}

fn main() {
    let mut args = Arguments::from_args();
    // Two kernels at a time: each compiles its cells on one core while the other runs.
    let kernels = std::env::var("DLINTRO_KERNELS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2);
    args.test_threads = Some(kernels);
    let notebooks = notebooks();
    let mut trials = vec![
        Trial::test("learner-edition-up-to-date", learner_up_to_date),
        Trial::test("interrupt", || {
            let _alone = KERNELS.write().unwrap_or_else(|e| e.into_inner());
            interrupt()
        }),
    ];
    for path in notebooks {
        let name = path
            .file_stem()
            .expect("a notebook has a file name")
            .to_string_lossy()
            .into_owned();
        let learner_path = root()
            .join(learner::LEARNER_DIR)
            .join(path.file_name().expect("a name"));
        let instructor = path.clone();
        trials.push(Trial::test(name.clone(), move || {
            sharing(|| run_notebook(&path))
        }));
        trials.push(Trial::test(format!("learner/{name}"), move || {
            sharing(|| run_learner_notebook(&learner_path, &instructor))
        }));
    }
    libtest_mimic::run(&args, trials).exit();
}

/// The problem of a run that nbclient ended (a timeout, a dead kernel) with no error in a cell.
fn stopped_early(stderr: &str) -> Problem {
    Problem {
        cell: None,
        source: String::new(),
        reason: format!("the kernel stopped early: {}", stderr.trim()),
        output: String::new(),
    }
}
