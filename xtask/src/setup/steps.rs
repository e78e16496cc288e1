//! The set-up itself: its steps, run in order (the Python environment and the evcxr build side
//! by side), and `Setup`, what they leave for the commands that come after.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc;
use std::time::Instant;

use dlintro_notebooks::KERNEL_NAME;

use crate::base::failure::Failure;
use crate::base::process::{run_tagged, PIP_TAG};
use crate::base::repo::repo_root;
use crate::setup::env::{self, Kind, PyEnv, Requirements, TCH_SERIES};
use crate::setup::kernel::{self, KernelEnv};
use crate::setup::lab_settings;
use crate::setup::times::{record_setup_times, step};

/// Runs two steps at the same time and returns both results. When one fails while the other is
/// still at work, its error is printed at once, and the other goes on: what it builds or
/// downloads is kept, so the next run skips it.
fn concurrently<A: Send, B: Send>(
    (a_what, a): (&str, impl FnOnce() -> Result<A, Failure> + Send),
    (b_what, b): (&str, impl FnOnce() -> Result<B, Failure> + Send),
) -> Result<(A, B), Failure> {
    std::thread::scope(|s| {
        let (done, finished) = mpsc::channel::<(usize, Option<String>)>();
        let done_b = done.clone();
        let a = s.spawn(move || {
            let result = a();
            let _ = done.send((0, result.as_ref().err().map(Failure::to_string)));
            result
        });
        let b = s.spawn(move || {
            let result = b();
            let _ = done_b.send((1, result.as_ref().err().map(Failure::to_string)));
            result
        });
        if let Ok((first, Some(message))) = finished.recv() {
            if finished.try_recv().is_err() {
                let other = if first == 0 { b_what } else { a_what };
                eprintln!(
                    "\nerror: {message}\n\n      {other} goes on, so that the next run can skip \
                     it (Ctrl-C stops it)\n"
                );
            }
        }
        match (join(a), join(b)) {
            (Ok(a), Ok(b)) => Ok((a, b)),
            (Err(a), Ok(_)) => Err(a),
            (Ok(_), Err(b)) => Err(b),
            (Err(a), Err(b)) => Err(Failure::new(format!("{a}\n\nerror: {b}"))),
        }
    })
}

/// The result of a scoped thread, or its panic passed on.
fn join<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// Everything later commands need from set-up.
pub struct Setup {
    pub root: PathBuf,
    pub py: PyEnv,
    pub torch_lib: PathBuf,
    pub ccache: Option<PathBuf>,
    pub evcxr: PathBuf,
    pub kernel: KernelEnv,
}

impl Setup {
    /// The variables under which cargo builds and runs anything that links libtorch.
    pub fn build_env(&self) -> Vec<(String, String)> {
        let mut vars = kernel::torch_env(&self.py, &self.torch_lib);
        vars.extend(kernel::compiler_env(self.ccache.as_deref()));
        vars.push((
            "DLINTRO_JUPYTER_PYTHON".into(),
            self.py.python.display().to_string(),
        ));
        vars
    }

    pub fn cargo(&self, args: &[&str]) -> Command {
        let mut command = Command::new("cargo");
        command
            .args(args)
            .current_dir(&self.root)
            .envs(self.build_env());
        command
    }
}

const STEPS: usize = 5;

pub fn setup() -> Result<Setup, Failure> {
    let root = repo_root();
    let started = Instant::now();
    println!(
        "dlintro set-up (each step skips what is already done; steps 1-2 and 3 run at the \
         same time)"
    );
    let requirements = Requirements::read(&root)?;

    // The Python environment (with its 4.7 GB torch download) and the evcxr_jupyter build
    // need nothing from each other; the kernelspec and the warm-up need both.
    let ((py, torch_lib), evcxr) = concurrently(
        ("the Python environment", || {
            let py = step(1, STEPS, "Python environment", || {
                python_environment(&root, &requirements)
            })?;
            let torch_lib = step(2, STEPS, &format!("torch for tch {TCH_SERIES}"), || {
                check_torch(&py, &requirements.torch)
            })?;
            Ok((py, torch_lib))
        }),
        ("the evcxr_jupyter build", || {
            step(3, STEPS, "evcxr_jupyter kernel", evcxr_kernel)
        }),
    )?;
    let ccache = kernel::find_ccache();
    let config_dir = py.prefix.join("share").join("dlintro").join("evcxr");
    let kenv = KernelEnv {
        torch_lib: torch_lib.clone(),
        config_dir,
        ccache: ccache.clone(),
    };
    step(
        4,
        STEPS,
        "kernelspec rust-dlintro, JupyterLab settings",
        || {
            let mut changed = kernel::write_kernelspec(&py, &evcxr, &kenv)?;
            let overrides = lab_settings::overrides_path(&py);
            if lab_settings::write(&overrides)? {
                changed.push(overrides);
            }
            let ccache_note = match &kenv.ccache {
                Some(_) => "ccache for C++",
                None => {
                    "no ccache on PATH: every fresh kernel recompiles torch-sys' C++ (see README)"
                }
            };
            let what = if changed.is_empty() {
                "up to date"
            } else {
                "written"
            };
            Ok((
                (),
                format!(
                    "{what} in {}; {ccache_note}",
                    kernel::kernel_dir(&py).display()
                ),
            ))
        },
    )?;
    let setup = Setup {
        root,
        py,
        torch_lib,
        ccache,
        evcxr,
        kernel: kenv,
    };
    step(5, STEPS, "warm-up (Setup Testing notebook)", || {
        warm_up(&setup).map(|note| ((), note))
    })?;
    let total = started.elapsed().as_secs_f64();
    println!("set-up done in {total:.1} s\n");
    record_setup_times(&setup.root, total);
    Ok(setup)
}

fn evcxr_kernel() -> Result<(PathBuf, String), Failure> {
    let ((path, version), how) = match kernel::installed_evcxr() {
        Some(found) => (found, "already installed"),
        None => (kernel::install_evcxr()?, "installed"),
    };
    let note = format!("{} {version}, {how}", path.display());
    Ok((path, note))
}

fn python_environment(
    root: &Path,
    requirements: &Requirements,
) -> Result<(PyEnv, String), Failure> {
    let (py, created) = env::locate(root)?;
    match py.kind {
        Kind::Conda => {
            py.eval("import jupyterlab, jupyterlab_rise, nbclient, nbconvert, nbformat")
                .map_err(|e| {
                    Failure::new(format!(
                        "the active conda environment {} lacks the workshop's packages \
                         ({}). Run `conda env update -f environment.yml` and try again.",
                        py.prefix.display(),
                        e.lines().last().unwrap_or("import failed")
                    ))
                })?;
            let note = format!("conda environment {}", py.prefix.display());
            Ok((py, note))
        }
        Kind::Venv => {
            let packages = &requirements.packages;
            let index = std::env::var("DLINTRO_TORCH_INDEX").unwrap_or_default();
            let stamp = py.prefix.join("dlintro-packages.txt");
            let wanted = format!("{}\nindex={index}\n", packages.join("\n"));
            if std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) {
                let note = format!("{} up to date", py.prefix.display());
                return Ok((py, note));
            }
            println!(
                "      installing {} into {} (first time: about 4.7 GB, 2-5 minutes)",
                packages.join(" "),
                py.prefix.display()
            );
            if !index.is_empty() {
                // An opt-in index, for a CPU-only torch build: torch alone comes from it.
                let torch: Vec<&str> = packages
                    .iter()
                    .filter(|p| p.starts_with("torch"))
                    .map(String::as_str)
                    .collect();
                pip_install(&py, &torch, &["--index-url", &index])?;
            }
            let all: Vec<&str> = packages.iter().map(String::as_str).collect();
            pip_install(&py, &all, &[])?;
            std::fs::write(&stamp, wanted)
                .map_err(|e| Failure::new(format!("could not write {}: {e}", stamp.display())))?;
            let verb = if created { "created" } else { "updated" };
            let note = format!("{verb} {}", py.prefix.display());
            Ok((py, note))
        }
    }
}

fn pip_install(py: &PyEnv, packages: &[&str], extra: &[&str]) -> Result<(), Failure> {
    let status = run_tagged(
        Command::new(&py.python)
            .args(["-m", "pip", "install", "--disable-pip-version-check"])
            .args(extra)
            .args(packages),
        PIP_TAG,
    )
    .map_err(|e| Failure::new(format!("could not run {}: {e}", py.python.display())))?;
    if status.success() {
        Ok(())
    } else {
        Err(Failure::new(format!(
            "installing the Python packages failed (pip's output is above). Check the network \
             and the disk space (torch needs about 5 GB), then run the command again; to \
             start over, delete {}.",
            py.prefix.display()
        )))
    }
}

/// Checks that torch is exactly the version tch links against (environment.yml's `torch==X`)
/// and finds `torch/lib`.
fn check_torch(py: &PyEnv, wanted: &str) -> Result<(PathBuf, String), Failure> {
    let fix = py.pip_command(&format!("torch=={wanted}"));
    let probe = "import importlib.metadata as m, importlib.util as u, os\n\
                 print(m.version('torch'))\n\
                 print(os.path.dirname(u.find_spec('torch').origin))";
    let out = py.eval(probe).map_err(|_| {
        Failure::new(format!(
            "torch is not installed in {}. tch {TCH_SERIES} needs torch {wanted} exactly; \
             install it with `{fix}` and run the command again.",
            py.prefix.display()
        ))
    })?;
    let mut lines = out.lines();
    let version = lines.next().unwrap_or("").trim().to_string();
    let torch_dir = PathBuf::from(lines.next().unwrap_or("").trim());
    let base = version.split('+').next().unwrap_or("");
    if base != wanted {
        return Err(Failure::new(format!(
            "found torch {version} in {}, but tch {TCH_SERIES} links only against torch \
             {wanted}. Fix it with `{fix}` and run the command again.",
            py.prefix.display()
        )));
    }
    let torch_lib = torch_dir.join("lib");
    let has_libtorch = std::fs::read_dir(&torch_lib)
        .map(|entries| {
            entries
                .flatten()
                .any(|e| is_libtorch_cpu(&e.file_name().to_string_lossy()))
        })
        .unwrap_or(false);
    if !has_libtorch {
        return Err(Failure::new(format!(
            "torch {version} is installed but {} has no libtorch_cpu library, so Rust cannot \
             link against it. Reinstall it with `{fix} --force-reinstall`.",
            torch_lib.display()
        )));
    }
    let note = format!("torch {version}, libraries in {}", torch_lib.display());
    Ok((torch_lib, note))
}

/// Whether a file of torch's `lib/` is libtorch's CPU library: `libtorch_cpu.so` on Linux,
/// `libtorch_cpu.dylib` on macOS, `torch_cpu.dll` (no `lib`) on Windows.
fn is_libtorch_cpu(file_name: &str) -> bool {
    file_name.starts_with("libtorch_cpu") || file_name.starts_with("torch_cpu.")
}

/// Executes the Setup Testing notebook once, so the participant's first `:dep` is warm.
fn warm_up(setup: &Setup) -> Result<String, Failure> {
    let (evcxr, kenv) = (&setup.evcxr, &setup.kernel);
    let crate_manifest =
        std::fs::read_to_string(setup.root.join("crate").join("Cargo.toml")).unwrap_or_default();
    let spec = std::fs::read_to_string(kernel::kernel_dir(&setup.py).join("kernel.json"))
        .unwrap_or_default();
    let key = format!("{}\n{spec}\n{crate_manifest}", evcxr.display());
    let stamp = kenv.config_dir.join("warm-up.txt");
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(key.as_str()) {
        return Ok("caches already warm".into());
    }
    println!("      first build of the crate inside the kernel: about 3 minutes, once");
    let notebook = setup.root.join("notebooks").join("00-setup-testing.ipynb");
    let executed = setup
        .root
        .join("target")
        .join("notebooks")
        .join("00-setup-testing.ipynb");
    // The kernel's build log goes to stderr; show it only when something failed.
    let out = Command::new(&setup.py.python)
        .arg(setup.root.join("tests").join("execute_notebook.py"))
        .arg(&notebook)
        .arg(&executed)
        .arg(KERNEL_NAME)
        .output()
        .map_err(|e| Failure::new(format!("could not run {}: {e}", setup.py.python.display())))?;
    if !out.status.success() {
        eprintln!("{}", String::from_utf8_lossy(&out.stderr));
        // Not fatal: the notebook tests and JupyterLab show what went wrong in detail.
        return Ok(format!(
            "the notebook did not run cleanly (the kernel's log is above); see {}",
            executed.display()
        ));
    }
    std::fs::write(&stamp, key)
        .map_err(|e| Failure::new(format!("could not write {}: {e}", stamp.display())))?;
    Ok(format!(
        "caches warm; executed copy in {}",
        executed.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn finds_libtorch_cpu_on_every_platform() {
        for name in [
            "libtorch_cpu.so",
            "libtorch_cpu.dylib",
            "torch_cpu.dll",
            "torch_cpu.lib",
        ] {
            assert!(is_libtorch_cpu(name), "{name}");
        }
        assert!(!is_libtorch_cpu("libtorch_cuda.so"));
        assert!(!is_libtorch_cpu("torch_cpu_extra_x"));
    }

    #[test]
    fn concurrent_steps_overlap() {
        let start = Instant::now();
        let nap = || {
            std::thread::sleep(Duration::from_millis(500));
            Ok(Instant::now())
        };
        let (a, b) = concurrently(("a", nap), ("b", nap)).unwrap();
        // One after the other would take 600 ms.
        assert!(
            start.elapsed() < Duration::from_millis(550),
            "{:?}",
            start.elapsed()
        );
        assert!(a.max(b) - a.min(b) < Duration::from_millis(400));
    }

    #[test]
    fn a_failing_step_lets_the_other_finish() {
        let finished = std::sync::atomic::AtomicBool::new(false);
        let result = concurrently(
            ("python", || Err::<(), _>(Failure::new("no python".into()))),
            ("evcxr", || {
                std::thread::sleep(Duration::from_millis(200));
                finished.store(true, std::sync::atomic::Ordering::SeqCst);
                Ok(())
            }),
        );
        assert_eq!(result.unwrap_err().to_string(), "no python");
        assert!(finished.load(std::sync::atomic::Ordering::SeqCst));
    }

    #[test]
    fn both_failures_are_reported() {
        let fail = |m: &'static str| move || Err::<(), _>(Failure::new(m.into()));
        let err = concurrently(("a", fail("one")), ("b", fail("two"))).unwrap_err();
        assert_eq!(err.to_string(), "one\n\nerror: two");
    }
}
