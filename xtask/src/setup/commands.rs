//! The commands that set up whatever is missing first: `setup` alone, `test` and `lab`.

use std::process::Command;

use dlintro_notebooks::browser::{find_chromium, CHROMIUM_HINT};
use dlintro_notebooks::KERNEL_NAME;

use crate::base::failure::Failure;
use crate::base::process::{capture, run_checked};
use crate::setup::steps::{self, Setup};

/// `cargo xtask setup`: only the set-up.
pub fn setup() -> Result<(), Failure> {
    steps::setup().map(|_| ())
}

/// `cargo xtask test`: set-up, then fmt, clippy, the crate tests, the notebook tests, when
/// Chromium is installed the browser tests, and on Linux as root the hub test.
pub fn test() -> Result<(), Failure> {
    let setup = steps::setup()?;
    run_checked(
        "cargo fmt --check",
        setup.cargo(&["fmt", "--all", "--", "--check"]),
    )?;
    run_checked(
        "cargo clippy",
        setup.cargo(&[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    // The notebook tooling's own tests and the workspace's architecture need no kernel
    // and no libtorch: they run first and fail fast.
    run_checked(
        "notebook tooling and architecture tests",
        setup.cargo(&[
            "test",
            "-p",
            "dlintro-notebooks",
            "--lib",
            "--test",
            "architecture",
        ]),
    )?;
    run_checked(
        "crate tests",
        setup.cargo(&["test", "-p", "dlintro", "-p", "xtask"]),
    )?;
    run_checked(
        "notebook tests",
        setup.cargo(&["test", "-p", "dlintro-notebooks", "--test", "notebooks"]),
    )?;
    browser_tests(&setup)?;
    // The hub test prints why it skips itself (not Linux, not root, no npm).
    let mut command = setup.cargo(&["test", "-p", "dlintro-notebooks", "--test", "hub"]);
    if let Some(chromium) = find_chromium() {
        command.env("DLINTRO_CHROMIUM", chromium);
    }
    run_checked(
        "hub test (a class on one server: JupyterHub, 4 participants at once)",
        command,
    )
}

/// Every notebook run in JupyterLab in headless Chromium, when Chromium is installed.
fn browser_tests(setup: &Setup) -> Result<(), Failure> {
    let Some(chromium) = find_chromium() else {
        println!("==> browser tests skipped: {CHROMIUM_HINT}\n");
        return Ok(());
    };
    setup.py.eval("import playwright").map_err(|_| {
        Failure::new(format!(
            "{} is installed, but Playwright, which drives it in the browser tests, is not: \
             install it with `{}` (it is in environment.yml) and run the command again",
            chromium.display(),
            setup.py.pip_command("playwright")
        ))
    })?;
    let mut command = setup.cargo(&["test", "-p", "dlintro-notebooks", "--test", "browser"]);
    command.env("DLINTRO_CHROMIUM", &chromium);
    run_checked(
        &format!("browser tests (JupyterLab in {})", chromium.display()),
        command,
    )
}

/// `cargo xtask lab [--learner] [jupyter options]`: set-up, then JupyterLab on `notebooks/`
/// (or `learner/`) with the workshop's kernel.
pub fn lab(extra: &[String]) -> Result<(), Failure> {
    // `--learner` opens the learner edition (learner/) instead of the instructor notebooks.
    let (folder, extra) = match extra.first().map(String::as_str) {
        Some("--learner") => ("learner", &extra[1..]),
        _ => ("notebooks", extra),
    };
    let setup = steps::setup()?;
    println!("starting JupyterLab on {folder}/ with the {KERNEL_NAME} kernel (Ctrl-C stops it)");
    let mut command = Command::new(&setup.py.python);
    command.args(["-m", "jupyterlab"]);
    if running_as_root() {
        // Containers and cloud machines often run as root; Jupyter refuses that by default.
        command.arg("--allow-root");
    }
    let status = command
        .arg(format!(
            "--ServerApp.root_dir={}",
            setup.root.join(folder).display()
        ))
        .arg(format!(
            "--MappingKernelManager.default_kernel_name={KERNEL_NAME}"
        ))
        .args(extra)
        .envs(setup.build_env())
        .status()
        .map_err(|e| Failure::new(format!("could not start JupyterLab: {e}")))?;
    if status.success() {
        Ok(())
    } else {
        Err(Failure::new(
            "JupyterLab stopped with an error (its output is above)".into(),
        ))
    }
}

fn running_as_root() -> bool {
    cfg!(unix) && capture(Command::new("id").arg("-u")).is_ok_and(|uid| uid == "0")
}
