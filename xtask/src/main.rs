//! `cargo xtask` — the workshop's set-up tool.
//!
//! * `cargo xtask lab`  — set up whatever is missing, then start JupyterLab on `notebooks/`.
//! * `cargo xtask test` — set up whatever is missing, then fmt, clippy, the crate's tests and
//!   every notebook executed in a fresh kernel.
//! * `cargo xtask setup` — only the set-up.
//! * `cargo xtask bench` — training speed against PyTorch and Keras, the notebooks' cell
//!   latency, set-up times and memory, written to BENCHMARKS.md (not part of `test`).
//!
//! Set-up is idempotent: each step checks what is there and skips what is done.

mod bench;
mod compare;
mod env;
mod kernel;
mod report;
mod steps;

use std::process::ExitCode;

use steps::Failure;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  lab [jupyter options]  set up what is missing, then start JupyterLab on notebooks/
  test                   set up what is missing, then fmt, clippy, crate tests, notebooks
  setup                  only set up (Python environment, torch, evcxr_jupyter, kernel)
  bench                  time training against PyTorch and Keras; write BENCHMARKS.md
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("lab") => steps::lab(&args[1..]),
        Some("test") => steps::test(),
        Some("setup") => steps::setup().map(|_| ()),
        Some("bench") => bench::bench(),
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
