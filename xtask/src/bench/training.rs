//! The training part of the bench: how fast the workshop trains against a plain PyTorch loop
//! and Keras, measured side by side.
//!
//! Every runner is a long-lived process (crate/examples/train_bench.rs for dlintro,
//! bench/train.py for Python) that trains one workload per line it reads, so no start-up is
//! timed. Per workload, each runner first trains once untimed, then the runners take turns,
//! their order rotating every round, so that a change in the machine's load hits them all
//! alike.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use serde_json::Value;

use crate::base::failure::Failure;
use crate::base::process::{run_checked, run_tagged, PIP_TAG};
use crate::bench::machine;
use crate::bench::stats::median;
use crate::setup::steps::Setup;

/// One way of training, as a column of the table.
pub struct RunnerSpec {
    /// Short name for DLINTRO_BENCH_RUNNERS.
    pub id: &'static str,
    pub label: String,
    command: Command,
}

/// A started runner.
struct Runner {
    spec_id: &'static str,
    label: String,
    version: String,
    threads: Option<u64>,
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    cpu_start: Option<u64>,
}

/// What one runner measured on one workload.
#[derive(Debug, Clone, Default)]
pub struct Cell {
    pub seconds: Vec<f64>,
    pub loss: Vec<f64>,
    pub accuracy: Vec<f64>,
    pub rmse: Vec<f64>,
    pub error: Option<String>,
}

impl Cell {
    pub fn median(&self) -> Option<f64> {
        median(&self.seconds)
    }
}

/// A column of the training table.
pub struct Column {
    pub id: &'static str,
    pub label: String,
    pub version: String,
    pub threads: Option<u64>,
}

/// Everything the training part measured.
pub struct Training {
    pub columns: Vec<Column>,
    /// Workload settings (from workloads.json) and one cell per column.
    pub rows: Vec<(Value, Vec<Cell>)>,
    pub notes: Vec<String>,
    pub repeats: usize,
    pub load: machine::Load,
}

/// Builds crate/examples/train_bench.rs optimised and returns the executable.
pub fn build_runner(setup: &Setup) -> Result<PathBuf, Failure> {
    run_checked(
        "the Rust runner (cargo build --release --example train_bench)",
        setup.cargo(&[
            "build",
            "--quiet",
            "--release",
            "-p",
            "dlintro",
            "--example",
            "train_bench",
        ]),
    )?;
    let exe = if cfg!(windows) {
        "train_bench.exe"
    } else {
        "train_bench"
    };
    Ok(setup
        .root
        .join("target")
        .join("release")
        .join("examples")
        .join(exe))
}

/// Keras 3 for the benchmark alone, in target/bench/python (not in the workshop's
/// environment): its folder, or None with a note saying why not.
pub fn install_keras(setup: &Setup, bench_dir: &Path, notes: &mut Vec<String>) -> Option<PathBuf> {
    let dir = bench_dir.join("python");
    if dir.join("keras").is_dir() {
        return Some(dir);
    }
    println!(
        "==> installing Keras for the benchmark into {}",
        dir.display()
    );
    let status = run_tagged(
        Command::new(&setup.py.python)
            .args([
                "-m",
                "pip",
                "install",
                "--disable-pip-version-check",
                "--quiet",
                "--target",
            ])
            .arg(&dir)
            .arg("keras"),
        PIP_TAG,
    );
    match status {
        Ok(s) if s.success() => Some(dir),
        _ => {
            notes.push(format!(
                "Keras skipped: `pip install --target {} keras` failed",
                dir.display()
            ));
            None
        }
    }
}

pub fn runner_specs(
    setup: &Setup,
    runner: &Path,
    data: &Path,
    keras: Option<&Path>,
) -> Vec<RunnerSpec> {
    let script = setup.root.join("bench").join("train.py");
    let python = |python: &Path, framework: &str| {
        let mut command = Command::new(python);
        command
            .arg(&script)
            .arg(data)
            .arg(framework)
            .env("PYTHONUNBUFFERED", "1")
            .env("PYTHONWARNINGS", "ignore");
        command
    };
    let mut dlintro = Command::new(runner);
    dlintro.arg("serve").envs(setup.build_env());
    let mut specs = vec![
        RunnerSpec {
            id: "dlintro",
            label: "dlintro `fit`".into(),
            command: dlintro,
        },
        RunnerSpec {
            id: "torch-1",
            label: "PyTorch loop, 1 thread".into(),
            command: python(&setup.py.python, "torch-1-thread"),
        },
        RunnerSpec {
            id: "torch",
            label: "PyTorch loop, default threads".into(),
            command: python(&setup.py.python, "torch"),
        },
    ];
    if let Some(keras) = keras {
        for (id, label, framework) in [
            ("keras-1", "Keras 3 (torch), 1 thread", "keras-1-thread"),
            ("keras", "Keras 3 (torch), default threads", "keras"),
        ] {
            let mut command = python(&setup.py.python, framework);
            command
                .env("PYTHONPATH", keras)
                .env("KERAS_BACKEND", "torch");
            specs.push(RunnerSpec {
                id,
                label: label.into(),
                command,
            });
        }
    }
    if let Some(tf_python) = std::env::var_os("DLINTRO_BENCH_PYTHON") {
        let mut command = python(Path::new(&tf_python), "keras");
        command.env("KERAS_BACKEND", "tensorflow");
        specs.push(RunnerSpec {
            id: "keras-tf",
            label: "Keras (TensorFlow)".into(),
            command,
        });
    }
    let wanted = std::env::var("DLINTRO_BENCH_RUNNERS").unwrap_or_default();
    if !wanted.trim().is_empty() {
        let wanted: Vec<&str> = wanted.split(',').map(str::trim).collect();
        specs.retain(|s| s.id == "dlintro" || wanted.contains(&s.id));
    }
    specs
}

fn start(mut spec: RunnerSpec, logs: &Path, notes: &mut Vec<String>) -> Option<Runner> {
    let log = std::fs::File::create(logs.join(format!("{}.log", spec.id))).ok();
    let mut child = spec
        .command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(log.map_or(Stdio::null(), Stdio::from))
        .spawn()
        .map_err(|e| notes.push(format!("{} skipped: could not start ({e})", spec.label)))
        .ok()?;
    let stdin = child.stdin.take().expect("stdin is piped");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout is piped"));
    let mut line = String::new();
    let hello: Value = match stdout.read_line(&mut line) {
        Ok(n) if n > 0 => serde_json::from_str(&line).unwrap_or(Value::Null),
        _ => Value::Null,
    };
    if let Some(version) = hello["ready"].as_str() {
        let cpu_start = machine::process_cpu_ticks(child.id());
        return Some(Runner {
            spec_id: spec.id,
            label: spec.label,
            version: version.to_string(),
            threads: hello["threads"].as_u64(),
            child,
            stdin,
            stdout,
            cpu_start,
        });
    }
    let why = hello["unavailable"]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| format!("it did not start (see {})", logs.display()));
    notes.push(format!("{} skipped: {why}", spec.label));
    let _ = child.kill();
    let _ = child.wait();
    None
}

impl Runner {
    /// Trains `workload` once and returns the runner's answer.
    fn run(&mut self, workload: &str) -> Value {
        let mut line = String::new();
        if writeln!(self.stdin, "{workload}").is_err()
            || self.stdin.flush().is_err()
            || self.stdout.read_line(&mut line).unwrap_or(0) == 0
        {
            return serde_json::json!({ "error": "the runner stopped" });
        }
        serde_json::from_str(&line).unwrap_or_else(|_| serde_json::json!({ "error": line }))
    }
}

pub fn measure(
    specs: Vec<RunnerSpec>,
    index: &Value,
    repeats: usize,
    mut notes: Vec<String>,
    logs: &Path,
) -> Result<Training, Failure> {
    let _ = std::fs::create_dir_all(logs);
    let mut runners: Vec<Runner> = specs
        .into_iter()
        .filter_map(|spec| start(spec, logs, &mut notes))
        .collect();
    if runners.first().map(|r| r.spec_id) != Some("dlintro") {
        return Err(Failure::new(
            "the Rust runner (train_bench serve) did not start; see target/bench/dlintro.log"
                .into(),
        ));
    }
    let meter = machine::CpuMeter::start();
    let workloads: Vec<Value> = index["workloads"].as_array().cloned().unwrap_or_default();
    let mut rows = Vec::new();
    for workload in &workloads {
        let name = workload["name"].as_str().unwrap_or("?");
        println!("==> {}", workload["about"].as_str().unwrap_or(name));
        let mut cells = vec![Cell::default(); runners.len()];
        for (runner, cell) in runners.iter_mut().zip(&mut cells) {
            // Untimed: warms caches and allocators, as a participant's second fit would be.
            let answer = runner.run(name);
            if let Some(error) = answer["error"].as_str() {
                cell.error = Some(error.to_string());
            }
        }
        for round in 0..repeats {
            let n = runners.len();
            let mut line = format!("    round {}/{repeats}:", round + 1);
            for k in 0..n {
                let i = (k + round) % n;
                if cells[i].error.is_some() {
                    continue;
                }
                let answer = runners[i].run(name);
                let cell = &mut cells[i];
                match answer["seconds"].as_f64() {
                    Some(s) => {
                        cell.seconds.push(s);
                        cell.loss.extend(answer["loss"].as_f64());
                        cell.accuracy.extend(answer["accuracy"].as_f64());
                        cell.rmse.extend(answer["rmse"].as_f64());
                        line.push_str(&format!(" {} {s:.3} s,", runners[i].spec_id));
                    }
                    None => cell.error = Some(answer["error"].to_string()),
                }
            }
            println!("{}", line.trim_end_matches(','));
        }
        rows.push((workload.clone(), cells));
    }
    let ours: u64 = runners
        .iter()
        .filter_map(|r| Some(machine::process_cpu_ticks(r.child.id())? - r.cpu_start?))
        .sum();
    let load = meter.finish(ours);
    let columns = runners
        .iter()
        .map(|r| Column {
            id: r.spec_id,
            label: r.label.clone(),
            version: r.version.clone(),
            threads: r.threads,
        })
        .collect();
    for mut runner in runners {
        drop(runner.stdin);
        let _ = runner.child.wait();
    }
    Ok(Training {
        columns,
        rows,
        notes,
        repeats,
        load,
    })
}
