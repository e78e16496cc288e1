//! The kernel settings side by side (`cargo xtask bench` with DLINTRO_BENCH_KERNELS=1): the
//! probe notebook bench/latency-probe.ipynb executed in a fresh kernel of each variant, the
//! variants taking turns, to show what each change of the kernel's settings is worth.

use std::path::Path;
use std::process::Command;

use crate::bench::latency::{self, NotebookLatency};
use dlintro_notebooks::KERNEL_NAME;

use crate::setup::kernel::{self, Variant};
use crate::setup::steps::Setup;

/// One row of the comparison: what was run and the latency of each run.
pub struct Compared {
    pub name: String,
    pub about: String,
    pub runs: Vec<NotebookLatency>,
    pub failures: usize,
}

/// The variant "a second kernel at the same time": the installed kernel while another one
/// holds slot-0, so that the launcher makes a new slot, copied from slot-0's build.
const SECOND: &str = "second-kernel";

pub fn kernel_variants(setup: &Setup, rounds: usize) -> Vec<Compared> {
    let dir = setup.root.join("target").join("bench").join("kernels");
    let probe = setup.root.join("bench").join("latency-probe.ipynb");
    let mut rows: Vec<Compared> = kernel::VARIANTS
        .iter()
        .map(|v| Compared {
            name: v.name.into(),
            about: v.about.into(),
            runs: Vec::new(),
            failures: 0,
        })
        .collect();
    rows.push(Compared {
        name: kernel::FLOOR.name.into(),
        about: kernel::FLOOR.about.into(),
        runs: Vec::new(),
        failures: 0,
    });
    rows.push(Compared {
        name: SECOND.into(),
        about: "the installed kernel as a second one open at the same time: a new build folder, \
                copied from the first one's"
            .into(),
        runs: Vec::new(),
        failures: 0,
    });
    let installed = &kernel::VARIANTS[kernel::VARIANTS.len() - 1];
    for round in 0..rounds {
        for row in rows.iter_mut() {
            let variant: &Variant = kernel::VARIANTS
                .iter()
                .chain([&kernel::FLOOR])
                .find(|v| v.name == row.name)
                .unwrap_or(installed);
            let probe = if variant.name == kernel::FLOOR.name {
                setup.root.join("bench").join("latency-floor.ipynb")
            } else {
                probe.clone()
            };
            let folder = dir.join(&row.name);
            let jupyter = match kernel::write_variant(
                &setup.py,
                &setup.evcxr,
                &setup.kernel,
                variant,
                &folder,
            ) {
                Ok(j) => j,
                Err(_) => {
                    row.failures += 1;
                    continue;
                }
            };
            // Holds slot-0 for the second kernel; dropped (unlocked) after its run.
            let _held = (row.name == SECOND)
                .then(|| hold_first_slot(setup))
                .flatten();
            let out = folder.join(format!("run-{round}.ipynb"));
            println!("==> kernel {} (round {}/{rounds})", row.name, round + 1);
            match run_probe(setup, &probe, &out, &jupyter) {
                Some(latency) => {
                    println!(
                        "    `:dep` {:.1} s, first after `use` {:.1} s, median {:.2} s",
                        latency.dep.unwrap_or(f64::NAN),
                        latency.first.unwrap_or(f64::NAN),
                        latency.median_other.unwrap_or(f64::NAN)
                    );
                    row.runs.push(latency);
                }
                None => row.failures += 1,
            }
        }
    }
    rows
}

/// Executes the probe notebook in a fresh kernel found on `jupyter` (JUPYTER_PATH).
fn run_probe(setup: &Setup, probe: &Path, out: &Path, jupyter: &Path) -> Option<NotebookLatency> {
    let status = Command::new(&setup.py.python)
        .arg(setup.root.join("tests").join("execute_notebook.py"))
        .arg(probe)
        .arg(out)
        .arg(KERNEL_NAME)
        .arg("1200")
        .env("JUPYTER_PATH", jupyter)
        .output()
        .ok()?;
    if !status.status.success() {
        return None;
    }
    let notebook = serde_json::from_str(&std::fs::read_to_string(out).ok()?).ok()?;
    Some(latency::latency_of("probe".into(), &notebook))
}

/// Takes slot-0's lock, as a running kernel does, after removing the build of the first
/// free slot after it so that the next kernel makes it anew from slot-0's. None when slot-0
/// is in use or the lock cannot be taken.
fn hold_first_slot(setup: &Setup) -> Option<std::fs::File> {
    let root = setup.kernel.build_root();
    let lock = |n: usize| {
        let path = root.join(format!("slot-{n}")).join(".lock");
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .ok()?;
        file.try_lock().ok()?;
        Some(file)
    };
    let first = lock(0)?;
    for n in 1..32 {
        if let Some(free) = lock(n) {
            let _ = std::fs::remove_dir_all(root.join(format!("slot-{n}")).join("target"));
            drop(free);
            break;
        }
    }
    Some(first)
}
