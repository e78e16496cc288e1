//! How long set-up takes: each step printed with its time as it ends, and the times of the
//! last 20 runs kept in `target/xtask/setup-times.json` for `cargo xtask bench` to report.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::base::clock::now_unix;
use crate::base::failure::Failure;

/// The set-up steps of this run: number, what, seconds, outcome (for `setup-times.json`).
static STEP_TIMES: std::sync::Mutex<Vec<(usize, String, f64, String)>> =
    std::sync::Mutex::new(Vec::new());

/// Prints what a step does and how long it took, so a ten-minute first run never looks hung.
pub fn step<T>(
    number: usize,
    total: usize,
    what: &str,
    work: impl FnOnce() -> Result<(T, String), Failure>,
) -> Result<T, Failure> {
    println!("[{number}/{total}] {what} ...");
    let start = Instant::now();
    let (value, outcome) = work().inspect_err(|_| {
        println!(
            "[{number}/{total}] {what}: failed ({:.1} s)",
            start.elapsed().as_secs_f64()
        );
    })?;
    let seconds = start.elapsed().as_secs_f64();
    println!("[{number}/{total}] {what}: {outcome} ({seconds:.1} s)");
    if let Ok(mut times) = STEP_TIMES.lock() {
        times.push((number, what.to_string(), seconds, outcome));
    }
    Ok(value)
}

/// Appends this set-up run's step times to `target/xtask/setup-times.json` (the last 20
/// runs), for `cargo xtask bench` to report.
pub fn record_setup_times(root: &Path, total: f64) {
    let path = setup_times_path(root);
    let mut runs = setup_runs(root);
    let mut steps = STEP_TIMES.lock().map(|t| t.clone()).unwrap_or_default();
    steps.sort_by_key(|s| s.0);
    let when = now_unix();
    runs.push(serde_json::json!({
        "unix_time": when,
        "seconds": total,
        "steps": steps.iter().map(|(n, what, seconds, outcome)| serde_json::json!({
            "step": n, "what": what, "seconds": seconds, "outcome": outcome,
        })).collect::<Vec<_>>(),
    }));
    let keep = runs.len().saturating_sub(20);
    let text = serde_json::to_string_pretty(&runs[keep..]).expect("JSON always serialises");
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let _ = std::fs::write(&path, text);
}

/// Where set-up records the time of its steps.
fn setup_times_path(root: &Path) -> PathBuf {
    root.join("target").join("xtask").join("setup-times.json")
}

/// The recorded set-up runs (target/xtask/setup-times.json), oldest first.
pub fn setup_runs(root: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(setup_times_path(root))
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}
