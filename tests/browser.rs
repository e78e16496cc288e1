//! Runs every notebook in JupyterLab in a real browser (headless Chromium driven by
//! Playwright, through `tests/browser_notebook.py`) and checks what a participant sees:
//! no cell shows an error, every figure is visible and fits its output area at 1280×720 and
//! 1024×768 ([`dlintro_notebooks::browser::check_browser`]).
//!
//! One test per notebook. Measurements and screenshots go to `target/browser/`: `NAME.png`
//! scrolled to the first figure, `NAME-full.png` the whole notebook, `NAME.json` what was
//! measured. Without Chromium every test is ignored, with a line that says how to get it
//! (`DLINTRO_CHROMIUM` names another Chromium or Chrome).

mod common;

use std::path::Path;
use std::process::Command;

use common::{jupyter_python, notebooks, read_json, report, root};
use dlintro_notebooks::browser::{check_browser, figure_count, find_chromium, CHROMIUM_HINT};
use dlintro_notebooks::KERNEL_NAME;
use libtest_mimic::{Arguments, Failed, Trial};

fn run_in_browser(notebook: &Path, chromium: &Path) -> Result<(), Failed> {
    let relative = notebook.strip_prefix(root()).unwrap_or(notebook);
    let name = notebook
        .file_stem()
        .expect("a notebook has a file name")
        .to_string_lossy()
        .into_owned();
    let out = root().join("target").join("browser");
    let python = jupyter_python()?;
    let timeout = std::env::var("DLINTRO_NOTEBOOK_TIMEOUT").unwrap_or_else(|_| "1800".into());
    let measured = out.join(format!("{name}.json"));
    let _ = std::fs::remove_file(&measured);
    let run = Command::new(&python)
        .arg(root().join("tests").join("browser_notebook.py"))
        .arg(notebook)
        .arg(&out)
        .arg(KERNEL_NAME)
        .arg(&timeout)
        .env("DLINTRO_CHROMIUM", chromium)
        .output()
        .map_err(|e| Failed::from(format!("could not run {}: {e}", python.display())))?;
    if !run.status.success() || !measured.exists() {
        return Err(format!(
            "{} could not be run in the browser:\n{}{}",
            relative.display(),
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr)
        )
        .into());
    }
    let result = read_json(&measured)?;
    let screenshot = out.join(format!("{name}.png"));
    println!(
        "    {}: ran in the browser in {:.1} s, {} figures checked -> {}",
        relative.display(),
        result["seconds"].as_f64().unwrap_or(f64::NAN),
        figure_count(&result),
        screenshot
            .strip_prefix(root())
            .unwrap_or(&screenshot)
            .display()
    );
    let problems = check_browser(&result);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(report(
            relative,
            &problems,
            &[("see", &measured), ("see", &screenshot)],
        ))
    }
}

fn main() {
    let mut args = Arguments::from_args();
    // One kernel and one browser at a time: each kernel compiles the crate.
    args.test_threads = Some(1);
    let chromium = find_chromium();
    if chromium.is_none() {
        println!("browser tests skipped: {CHROMIUM_HINT}");
    }
    let trials = notebooks()
        .into_iter()
        .map(|path| {
            let name = path
                .file_stem()
                .expect("a notebook has a file name")
                .to_string_lossy()
                .into_owned();
            let chromium = chromium.clone();
            let ignored = chromium.is_none();
            Trial::test(name, move || match &chromium {
                Some(chromium) => run_in_browser(&path, chromium),
                None => Ok(()),
            })
            .with_ignored_flag(ignored)
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}
