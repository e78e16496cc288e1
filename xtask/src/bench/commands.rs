//! `cargo xtask bench`: how fast the workshop trains against a plain PyTorch loop and Keras,
//! measured side by side, with the notebooks' cell latency, the set-up times and the kernels'
//! peak memory; everything goes into BENCHMARKS.md (see `report`).

use std::process::Command;
use std::time::Instant;

use serde_json::Value;

use dlintro_notebooks::benchmarks;

use crate::base::failure::Failure;
use crate::base::process::run_checked;
use crate::bench::training::{build_runner, install_keras, measure, runner_specs};
use crate::bench::{compare, latency, machine, report};
use crate::setup::steps;
use crate::setup::times::setup_runs;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// `cargo xtask bench`: set-up, then the measurements, written to BENCHMARKS.md.
pub fn bench() -> Result<(), Failure> {
    let started = Instant::now();
    let setup = steps::setup()?;
    let setup_seconds = started.elapsed().as_secs_f64();
    let repeats = env_usize("DLINTRO_BENCH_REPEATS", 5).max(1);
    let bench_dir = setup.root.join("target").join("bench");
    let runner = build_runner(&setup)?;
    let data = bench_dir.join("data");
    let mut export = Command::new(&runner);
    export.arg("export").arg(&data).envs(setup.build_env());
    run_checked("the workloads' data (train_bench export)", export)?;
    let index: Value = std::fs::read_to_string(data.join("workloads.json"))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .ok_or_else(|| Failure::new(format!("{} has no workloads.json", data.display())))?;
    let mut notes = Vec::new();
    let keras_path = install_keras(&setup, &bench_dir, &mut notes);
    let specs = runner_specs(&setup, &runner, &data, keras_path.as_deref());
    let training = measure(specs, &index, repeats, notes, &bench_dir)?;
    let kernels = if std::env::var("DLINTRO_BENCH_KERNELS").is_ok_and(|v| v == "1") {
        compare::kernel_variants(&setup, env_usize("DLINTRO_BENCH_KERNEL_ROUNDS", 2).max(1))
    } else {
        Vec::new()
    };
    let notebooks = latency::notebook_latency(&setup.root.join("target").join("notebooks"));
    let setup_runs = setup_runs(&setup.root);
    let text = report::markdown(&report::Inputs {
        machine: machine::describe(&setup),
        training: &training,
        kernels: &kernels,
        notebooks: &notebooks,
        setup_runs: &setup_runs,
        setup_seconds,
        bench_seconds: started.elapsed().as_secs_f64(),
    });
    let path = setup.root.join("BENCHMARKS.md");
    // The hub test's figures (tests/hub.rs) are not the bench's: they stay.
    let old = std::fs::read_to_string(&path).unwrap_or_default();
    let text = match benchmarks::hub_section(&old) {
        Some(section) => benchmarks::with_hub_section(&text, section),
        None => text,
    };
    std::fs::write(&path, text)
        .map_err(|e| Failure::new(format!("could not write {}: {e}", path.display())))?;
    println!(
        "==> {} written ({:.0} s in all)",
        path.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
