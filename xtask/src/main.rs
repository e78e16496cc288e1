//! `cargo xtask` — the workshop's set-up tool, and the instructor's.
//!
//! Each command is one function, in the folder of its job:
//!
//! * `cargo xtask lab` (`setup::commands::lab`) — set up whatever is missing, then start
//!   JupyterLab on `notebooks/` (`--learner`: on `learner/`, the participants' edition).
//! * `cargo xtask test` (`setup::commands::test`) — set up whatever is missing, then fmt,
//!   clippy, the notebook tooling's tests and the workspace's architecture (no import cycle),
//!   the crate's tests, every notebook executed in a fresh kernel and, when Chromium
//!   is there, every notebook run in JupyterLab in a real browser.
//! * `cargo xtask present NN` (`publish::slides::present`) — JupyterLab with notebook NN open
//!   as slides (RISE).
//! * `cargo xtask slides` (`publish::slides::slides`) — the slide type of every cell, from the
//!   notebooks' structure.
//! * `cargo xtask setup` (`setup::commands::setup`) — only the set-up.
//! * `cargo xtask bench` (`bench::commands::bench`) — training speed against PyTorch and
//!   Keras, the notebooks' cell latency, set-up times and memory, written to BENCHMARKS.md
//!   (not part of `test`).
//! * `cargo xtask learner` (`publish::learner::run`) — the learner edition,
//!   `learner/*.ipynb`, from `notebooks/`.
//! * `cargo xtask collab-doc` (`publish::collab::run`) — the day's collaborative document
//!   (Markdown, for HackMD).
//! * `cargo xtask html` (`publish::html::run`) — the executed notebooks as web pages under
//!   `target/html/`.
//! * `cargo xtask hub …` (`hub::run`) — a class on one server: JupyterHub, a Unix user per
//!   participant, one warm build that every participant shares.
//! * `cargo xtask help` (`help`, here) — the commands and their options.
//!
//! Set-up is idempotent: each step checks what is there and skips what is done.
//!
//! # Layout
//!
//! A folder per job over a small base. Imports go one way, `base` ← `setup` ← `bench`,
//! `publish` and `hub`, and never back, inside a folder too:
//!
//! * `base/` — `Failure`, running processes, the repository's root, clock times and dates.
//!   It imports nothing above it.
//! * `setup/` — the Python environment (`env`), the kernel (`kernel`, with `launch_kernel.py`),
//!   JupyterLab's settings (`lab_settings`), the set-up run (`steps`, its times in `times`)
//!   and, in `commands.rs`, the commands that set up first: `setup`, `test` and `lab`.
//! * `bench/` — `bench` (`commands.rs`) over the training runs (`training`), the cell latency
//!   (`latency`), the kernel settings compared (`compare`), the machine (`machine`) and
//!   BENCHMARKS.md (`report`); `stats` holds their median.
//! * `publish/` — what an instructor makes from the notebooks, a file per command: `slides`
//!   (`slides` and `present`, which starts JupyterLab through `setup`'s `lab`), `learner`,
//!   `collab/` (`collab-doc`: the document in `mod.rs`, options and agenda in `agenda.rs`)
//!   and `html`.
//!
//! * `hub/` — `cargo xtask hub`: a class on one Linux server (the shared environment, the
//!   accounts and JupyterHub, through `dlintro_hub.py` and `jupyterhub_config.py`), and the
//!   container recipe for Zero to JupyterHub (`container/`). It stands on `setup`.
//!
//! `bench/`, `publish/` and `hub/` do not import each other.

mod base;
mod bench;
mod hub;
mod publish;
mod setup;

use std::process::ExitCode;

use base::failure::Failure;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  lab [--learner] [jupyter options]
                         set up what is missing, then start JupyterLab on notebooks/
                         (with --learner: on learner/, the participants' edition)
  test                   set up what is missing, then fmt, clippy, crate tests, notebooks
                         (and the browser tests when Chromium is installed)
  present [NN] [options] set up what is missing, then JupyterLab with notebook NN as slides
  slides [NN…]           set every cell's slide type (all notebooks when none is named)
  setup                  only set up (Python environment, torch, evcxr_jupyter, kernel)
  bench                  time training against PyTorch and Keras; write BENCHMARKS.md

for instructors:
  learner                write learner/: the notebooks without solutions or instructor notes
  collab-doc [options]   write the day's collaborative document (`collab-doc --help`)
  html                   export the executed notebooks to target/html/ (after `test`)
  hub <command>          a class on one Linux server: JupyterHub, an account per
                         participant (`hub --help`)
";

/// `cargo xtask help`: the commands and their options.
fn help() -> Result<(), Failure> {
    print!("{USAGE}");
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("lab") => setup::commands::lab(&args[1..]),
        Some("test") => setup::commands::test(),
        Some("present") => publish::slides::present(&args[1..]),
        Some("slides") => publish::slides::slides(&args[1..]),
        Some("setup") => setup::commands::setup(),
        Some("bench") => bench::commands::bench(),
        Some("learner") => publish::learner::run(&args[1..]),
        Some("collab-doc") => publish::collab::run(&args[1..]),
        Some("html") => publish::html::run(&args[1..]),
        Some("hub") => hub::run(&args[1..]),
        Some("-h" | "--help" | "help") => help(),
        Some(other) => Err(Failure::new(format!(
            "unknown command `{other}`.\n\n{USAGE}"
        ))),
        None => Err(Failure::new(USAGE.to_string())),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("\nerror: {failure}");
            ExitCode::FAILURE
        }
    }
}
