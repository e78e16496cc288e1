//! `cargo xtask` — the workshop's set-up tool.
//!
//! * `cargo xtask lab`  — set up whatever is missing, then start JupyterLab on `notebooks/`
//!   (`--learner`: on `learner/`, the participants' edition).
//! * `cargo xtask test` — set up whatever is missing, then fmt, clippy, the crate's tests,
//!   every notebook executed in a fresh kernel and, when Chromium is there, every notebook run
//!   in JupyterLab in a real browser.
//! * `cargo xtask present NN` — JupyterLab with notebook NN open as slides (RISE).
//! * `cargo xtask slides` — the slide type of every cell, from the notebooks' structure.
//! * `cargo xtask setup` — only the set-up.
//! * `cargo xtask bench` — training speed against PyTorch and Keras, the notebooks' cell
//!   latency, set-up times and memory, written to BENCHMARKS.md (not part of `test`).
//! * `cargo xtask learner` — the learner edition, `learner/*.ipynb`, from `notebooks/`.
//! * `cargo xtask collab-doc` — the day's collaborative document (Markdown, for HackMD).
//! * `cargo xtask html` — the executed notebooks as web pages under `target/html/`.
//!
//! Set-up is idempotent: each step checks what is there and skips what is done.

mod base;
mod bench;
mod publish;
mod setup;

use std::process::ExitCode;

use base::failure::Failure;
use setup::commands;

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
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("lab") => commands::lab(&args[1..]),
        Some("test") => commands::test(),
        Some("present") => publish::slides::present(&args[1..]),
        Some("slides") => publish::slides::slides(&args[1..]),
        Some("setup") => commands::setup(),
        Some("bench") => bench::commands::bench(),
        Some("learner") => publish::learner::run(&args[1..]),
        Some("collab-doc") => publish::collab::run(&args[1..]),
        Some("html") => publish::html::run(&args[1..]),
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            Ok(())
        }
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
