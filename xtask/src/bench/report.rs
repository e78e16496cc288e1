//! What `cargo xtask bench` writes into BENCHMARKS.md: the machine and its load, the training
//! table with ratios, the cell latency of the executed notebooks, set-up times and memory.

use std::fmt::Write as _;

use serde_json::Value;

use crate::base::clock::{now_unix, utc};
use crate::bench::compare::Compared;
use crate::bench::latency::{NotebookLatency, ANY_CELL_S};
use crate::bench::machine;
use crate::bench::stats::median;
use crate::bench::training::{Cell, Training};

/// The targets of issue 12, as ratios and seconds.
const SMALL_VS_PYTORCH: f64 = 3.0;
const SMALL_VS_KERAS: f64 = 10.0;
const WIDE_VS_PYTORCH: f64 = 1.0;
const DEP_CELL_S: f64 = 8.0;
const FIRST_CELL_S: f64 = 2.5;
const MEDIAN_CELL_S: f64 = 0.8;

/// Everything the report is written from.
pub struct Inputs<'a> {
    pub machine: Vec<String>,
    pub training: &'a Training,
    pub kernels: &'a [Compared],
    pub notebooks: &'a [NotebookLatency],
    pub setup_runs: &'a [Value],
    pub setup_seconds: f64,
    pub bench_seconds: f64,
}

fn seconds(t: Option<f64>) -> String {
    match t {
        Some(t) if t < 10.0 => format!("{t:.2} s"),
        Some(t) => format!("{t:.1} s"),
        None => "–".into(),
    }
}

fn ratio(r: Option<f64>) -> String {
    r.map_or("–".into(), |r| format!("{r:.1}×"))
}

/// The best (smallest) median among the columns whose id starts with `prefix`.
fn best_of(cells: &[Cell], training: &Training, prefix: &str) -> Option<(f64, usize)> {
    training
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| c.id.starts_with(prefix) && c.id != "keras-tf")
        .filter_map(|(i, _)| Some((cells[i].median()?, i)))
        .min_by(|a, b| a.0.total_cmp(&b.0))
}

pub fn markdown(inputs: &Inputs) -> String {
    let mut out = String::new();
    let t = inputs.training;
    let _ = writeln!(out, "# Benchmarks\n");
    let _ = writeln!(
        out,
        "Written by `cargo xtask bench` on {}; every number here is the command's own \
         measurement (the bench took {:.0} s). How to reproduce: at the end.\n",
        utc(now_unix()),
        inputs.bench_seconds
    );
    let _ = writeln!(out, "## Machine\n");
    for line in &inputs.machine {
        let _ = writeln!(out, "- {line}");
    }
    let load = &t.load;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
    let _ = writeln!(
        out,
        "- load while the training runs took turns ({:.0} s): load average {} before, {} \
         after; other processes kept {} of the {cores:.0} cores busy on average",
        load.seconds,
        load.average_before
            .map_or("?".into(), |l| format!("{l:.1}")),
        load.average_after.map_or("?".into(), |l| format!("{l:.1}")),
        load.others_cores
            .map_or("an unknown share".into(), |c| format!("{c:.2}")),
    );
    if was_busy(load, cores) {
        let _ = writeln!(
            out,
            "\n**The machine was busy with other work during these runs: the timings are not \
             clean.** All runners took turns, so the ratios suffer less than the seconds; run \
             the command again on an idle machine for clean numbers."
        );
    }
    training_section(&mut out, t);
    latency_section(&mut out, inputs.notebooks);
    kernels_section(&mut out, inputs.kernels);
    setup_section(&mut out, inputs.setup_runs, inputs.setup_seconds);
    let _ = writeln!(
        out,
        "\n## How to reproduce\n\n\
         ```\n\
         cargo xtask test     # executes every notebook: target/notebooks/*.ipynb with timings\n\
         cargo xtask bench    # the training runs, then this file\n\
         ```\n\n\
         `DLINTRO_BENCH_KERNELS=1` adds the kernel settings compared on \
         bench/latency-probe.ipynb (`DLINTRO_BENCH_KERNEL_ROUNDS` runs of each, default 2). \
         `DLINTRO_BENCH_REPEATS` sets the timed runs per workload and runner (default 5); \
         `DLINTRO_BENCH_RUNNERS=torch-1,keras-1` keeps only some runners (dlintro always \
         runs); `DLINTRO_BENCH_PYTHON=/path/to/python` adds Keras on TensorFlow from a \
         Python that has it. Keras is installed for the benchmark alone into \
         target/bench/python. The runners: crate/examples/train_bench.rs and bench/train.py."
    );
    out
}

/// Whether other work took enough of the machine to spoil the timings. The load average lags
/// a minute behind and counts the bench's own preparation (building the runner, installing
/// Keras); the other processes' CPU time, where the system reports it, is the direct measure.
fn was_busy(load: &machine::Load, cores: f64) -> bool {
    match load.others_cores {
        Some(c) => c > 0.25 * cores,
        None => load.average_before.is_some_and(|l| l > 0.5 * cores),
    }
}

fn training_section(out: &mut String, t: &Training) {
    let _ = writeln!(out, "\n## Training\n");
    let _ = writeln!(
        out,
        "One `fit` each (the model is built before the clock starts): the median of {} runs \
         after one untimed run, the runners taking turns in rotating order. Same data (written \
         once by `train_bench export`), architecture, Glorot-uniform weights with zero \
         biases, Adam, batch size, epochs and per-epoch shuffling in every runner; the \
         PyTorch loop sums up the epoch's loss and accuracy as Keras and dlintro report them. \
         Ratios: the fastest PyTorch (or Keras) column's median over dlintro's.\n",
        t.repeats
    );
    let mut header = "| workload |".to_string();
    let mut rule = "|---|".to_string();
    for c in &t.columns {
        let threads = c.threads.map_or(String::new(), |n| format!(", {n} thr."));
        let _ = write!(
            header,
            " {}<br><sub>{}{threads}</sub> |",
            c.label, c.version
        );
        rule.push_str("---:|");
    }
    header.push_str(" PyTorch ÷ dlintro | Keras ÷ dlintro |");
    rule.push_str("---:|---:|");
    let _ = writeln!(out, "{header}\n{rule}");
    let mut verdicts = Vec::new();
    for (workload, cells) in &t.rows {
        let name = workload["name"].as_str().unwrap_or("?");
        let about = workload["about"].as_str().unwrap_or(name);
        let mut row = format!("| {about} |");
        for cell in cells {
            let text = match (&cell.error, cell.median()) {
                (Some(e), _) => format!("error: {}", e.chars().take(60).collect::<String>()),
                (None, m) => seconds(m),
            };
            let _ = write!(row, " {text} |");
        }
        let ours = cells.first().and_then(Cell::median);
        let vs = |prefix: &str| best_of(cells, t, prefix).and_then(|(best, _)| Some(best / ours?));
        let (torch, keras) = (vs("torch"), vs("keras"));
        let _ = writeln!(out, "{row} {} | {} |", ratio(torch), ratio(keras));
        let wide = name == "wide";
        let mut verdict = |what: &str, got: Option<f64>, target: f64| {
            if let Some(got) = got {
                let met = if got >= target { "met" } else { "missed" };
                verdicts.push(format!(
                    "{name}: {what} {got:.1}× (target ≥ {target}×): {met}"
                ));
            }
        };
        if wide {
            verdict("against PyTorch", torch, WIDE_VS_PYTORCH);
        } else {
            verdict("against PyTorch", torch, SMALL_VS_PYTORCH);
            verdict("against Keras", keras, SMALL_VS_KERAS);
        }
    }
    let _ = writeln!(
        out,
        "\nThe last epoch's training loss and metric (medians), to see that every runner did \
         the same work:\n"
    );
    let mut header = "| workload |".to_string();
    for c in &t.columns {
        let _ = write!(header, " {} |", c.label);
    }
    let _ = writeln!(out, "{header}\n|---|{}", "---:|".repeat(t.columns.len()));
    for (workload, cells) in &t.rows {
        let mut row = format!("| {} |", workload["name"].as_str().unwrap_or("?"));
        for cell in cells {
            let loss = median(&cell.loss).map_or("–".into(), |l| format!("{l:.4}"));
            let metric = match (median(&cell.accuracy), median(&cell.rmse)) {
                (Some(a), _) => format!(" (accuracy {a:.3})"),
                (None, Some(r)) => format!(" (RMSE {r:.3})"),
                (None, None) => String::new(),
            };
            let _ = write!(row, " {loss}{metric} |");
        }
        let _ = writeln!(out, "{row}");
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "Targets (issue 12):\n");
    for v in verdicts {
        let _ = writeln!(out, "- {v}");
    }
    for note in &t.notes {
        let _ = writeln!(out, "- {note}");
    }
}

fn latency_section(out: &mut String, notebooks: &[NotebookLatency]) {
    let _ = writeln!(out, "\n## Cell latency in the notebooks\n");
    if notebooks.is_empty() {
        let _ = writeln!(
            out,
            "No executed notebooks in target/notebooks/: run `cargo xtask test` (or `cargo \
             test -p dlintro-notebooks`) first, then this command."
        );
        return;
    }
    let _ = writeln!(
        out,
        "From the executed copies in target/notebooks/ (nbclient's timestamps of the last \
         notebook test, each notebook in a fresh kernel). Kernel start: until the kernel \
         answered, before any cell. First after `use`: the code cell after the one with `use dlintro` (in the workshop's notebooks the `:dep` cell). Median: all \
         cells but the `:dep` cell and that one. Peak memory: the kernel's processes (evcxr \
         and the process that runs the cells), sampled every 0.2 s; in parentheses with the \
         compiler processes the kernel starts. Targets: `:dep` ≤ {DEP_CELL_S} s, first after \
         `use` ≤ {FIRST_CELL_S} s, median ≤ {MEDIAN_CELL_S} s, no cell but training and \
         `:dep` over {ANY_CELL_S} s. A copy without kernel start and memory was executed \
         before the notebook test recorded them (and possibly with other kernel settings): \
         run the notebook tests again for numbers that belong together.\n"
    );
    let _ = writeln!(
        out,
        "| notebook | run (UTC) | code cells | kernel start | `:dep` | first after `use` | median | cells over {ANY_CELL_S} s (training) | whole notebook | peak memory |\n\
         |---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    for n in notebooks {
        let training = n.slow.iter().filter(|s| s.2).count();
        let memory = match (n.peak_mb, n.peak_with_compiler_mb) {
            (Some(a), Some(b)) => format!("{a:.0} MiB ({b:.0} MiB)"),
            (Some(a), None) => format!("{a:.0} MiB"),
            _ => "–".into(),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} ({training}) | {} | {memory} |",
            n.name,
            n.run_at.as_deref().unwrap_or("–"),
            n.cells,
            seconds(n.kernel_start),
            seconds(n.dep),
            seconds(n.first),
            seconds(n.median_other),
            n.slow.len(),
            seconds(n.total),
        );
    }
    let slow: Vec<String> = notebooks
        .iter()
        .flat_map(|n| {
            n.slow
                .iter()
                .filter(|s| !s.2)
                .map(move |(t, line, _)| format!("- {}: {t:.1} s, `{line}`", n.name))
        })
        .collect();
    if !slow.is_empty() {
        let _ = writeln!(
            out,
            "\nCells other than training over {ANY_CELL_S} s:\n\n{}",
            slow.join("\n")
        );
    }
    let all = |f: fn(&NotebookLatency) -> Option<f64>| -> Vec<f64> {
        notebooks.iter().filter_map(f).collect()
    };
    let summary = [
        (":dep cell", all(|n| n.dep), DEP_CELL_S),
        ("first cell after `use`", all(|n| n.first), FIRST_CELL_S),
        ("median cell", all(|n| n.median_other), MEDIAN_CELL_S),
    ];
    let _ = writeln!(out, "\nTargets over all notebooks:\n");
    for (what, values, target) in summary {
        if let Some(worst) = values.iter().copied().max_by(f64::total_cmp) {
            let met = if worst <= target { "met" } else { "missed" };
            let _ = writeln!(
                out,
                "- {what}: median {}, worst {worst:.2} s (target ≤ {target} s): {met}",
                seconds(median(&values)),
            );
        }
    }
}

fn kernels_section(out: &mut String, kernels: &[Compared]) {
    if kernels.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n## Kernel settings compared\n\n\
         bench/latency-probe.ipynb (a `:dep` cell, `use`, six short cells like the workshop's) \
         executed in a fresh kernel of each setting, the settings taking turns; the median \
         over the runs of each column. \"before\" is how the kernel ran before issue 12.\n\n\
         | kernel | runs | kernel start | `:dep` | first after `use` | median | slowest other |\n\
         |---|---:|---:|---:|---:|---:|---:|"
    );
    for k in kernels {
        let of = |f: fn(&NotebookLatency) -> Option<f64>| {
            median(&k.runs.iter().filter_map(f).collect::<Vec<_>>())
        };
        let slowest = median(
            &k.runs
                .iter()
                .filter_map(|r| r.others.iter().copied().max_by(f64::total_cmp))
                .collect::<Vec<_>>(),
        );
        let failed = if k.failures > 0 {
            format!(" ({} failed)", k.failures)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "| {}: {} | {}{failed} | {} | {} | {} | {} | {} |",
            k.name,
            k.about,
            k.runs.len(),
            seconds(of(|n| n.kernel_start)),
            seconds(of(|n| n.dep)),
            seconds(of(|n| n.first)),
            seconds(of(|n| n.median_other)),
            seconds(slowest),
        );
    }
}

fn setup_section(out: &mut String, runs: &[Value], this_run: f64) {
    let _ = writeln!(out, "\n## Set-up\n");
    let _ = writeln!(
        out,
        "`cargo xtask setup` as part of this command (everything already in place): \
         {this_run:.1} s.\n"
    );
    if runs.is_empty() {
        let _ = writeln!(
            out,
            "No earlier set-up run is recorded in this checkout (target/xtask/setup-times.json)."
        );
        return;
    }
    // The slowest recorded run is the one that did the most work (a fresh machine's).
    let slowest = runs
        .iter()
        .max_by(|a, b| {
            a["seconds"]
                .as_f64()
                .unwrap_or(0.0)
                .total_cmp(&b["seconds"].as_f64().unwrap_or(0.0))
        })
        .expect("not empty");
    let _ = writeln!(
        out,
        "The slowest set-up recorded in this checkout (target/xtask/setup-times.json), {}: \
         {:.1} s in all; steps 1–2 and 3 run at the same time.\n\n| step | seconds | outcome |\n|---|---:|---|",
        utc(slowest["unix_time"].as_u64().unwrap_or(0)),
        slowest["seconds"].as_f64().unwrap_or(0.0),
    );
    for step in slowest["steps"].as_array().into_iter().flatten() {
        let _ = writeln!(
            out,
            "| {}. {} | {:.1} | {} |",
            step["step"],
            step["what"].as_str().unwrap_or(""),
            step["seconds"].as_f64().unwrap_or(0.0),
            step["outcome"].as_str().unwrap_or("").replace('|', "/"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn busy_means_other_processes_used_the_cores() {
        let load = |others: Option<f64>, before: Option<f64>| machine::Load {
            others_cores: others,
            average_before: before,
            ..Default::default()
        };
        // The bench's own build raised the load average; nothing else ran.
        assert!(!was_busy(&load(Some(0.0), Some(1.2)), 2.0));
        assert!(was_busy(&load(Some(0.6), Some(0.1)), 2.0));
        // Without /proc/stat, the load average decides.
        assert!(was_busy(&load(None, Some(1.2)), 2.0));
        assert!(!was_busy(&load(None, Some(0.5)), 2.0));
    }
}
