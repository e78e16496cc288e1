//! Runs every notebook in JupyterLab in a real browser (headless Chromium driven by
//! Playwright, through `tests/browser_notebook.py`) and checks what a participant sees:
//! no cell shows an error, every figure is visible and fits its output area at 1280×720 and
//! 1024×768 ([`dlintro_notebooks::browser::check_browser`]).
//!
//! One test per notebook, `interrupt`: the toolbar's ■ during a long `fit`
//! (`tests/browser_interrupt.py`), and `slides`: a notebook as `cargo xtask present` shows it,
//! its text measured at 1280×720 (`tests/browser_slides.py`). Measurements and screenshots go to `target/browser/`: `NAME.png`
//! scrolled to the first figure, `NAME-full.png` the whole notebook, `NAME.json` what was
//! measured. Without Chromium every test is ignored, with a line that says how to get it
//! (`DLINTRO_CHROMIUM` names another Chromium or Chrome).

mod common;

use std::path::Path;

use common::{notebooks, report, root, run_driver};
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
    let timeout = std::env::var("DLINTRO_NOTEBOOK_TIMEOUT").unwrap_or_else(|_| "1800".into());
    let measured = out.join(format!("{name}.json"));
    let result = run_driver(
        "browser_notebook.py",
        &[
            notebook.as_os_str(),
            out.as_os_str(),
            KERNEL_NAME.as_ref(),
            timeout.as_ref(),
        ],
        &[("DLINTRO_CHROMIUM", chromium.as_os_str())],
        &measured,
        &format!("{} could not be run in the browser", relative.display()),
    )?;
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

/// The ■ button during a 100,000-epoch `fit` in JupyterLab (`browser_interrupt.py`): the
/// fit's cell ends within 2 s with its one line, and the next cell runs with every variable.
fn interrupt_in_the_browser(chromium: &Path) -> Result<(), Failed> {
    let out = root().join("target").join("browser");
    let measured = out.join("interrupt.json");
    let crate_dir = root().join("crate");
    let seen = run_driver(
        "browser_interrupt.py",
        &[crate_dir.as_os_str(), out.as_os_str(), KERNEL_NAME.as_ref()],
        &[("DLINTRO_CHROMIUM", chromium.as_os_str())],
        &measured,
        "the interrupt could not be tried in the browser",
    )?;
    // The server's log ends with what the kernel wrote to its stderr: evcxr's own errors.
    let log = std::fs::read_to_string(out.join("interrupt-lab.log")).unwrap_or_default();
    let lines: Vec<&str> = log.lines().collect();
    let tail = lines[lines.len().saturating_sub(12)..].join("\n");
    let problem = |what: &str| {
        Failed::from(format!(
            "{what} (see {}; the end of JupyterLab's log:\n{tail})",
            measured.display()
        ))
    };
    if seen["kernel"] != KERNEL_NAME || seen["fit_started"] != true {
        return Err(problem("the fit did not start in the rust-dlintro kernel"));
    }
    if seen["running_before_click"] != true {
        return Err(problem("the fit had ended before ■ was clicked"));
    }
    let ended = seen["ended_s"].as_f64().unwrap_or(f64::INFINITY);
    if ended >= 2.0 {
        return Err(problem(&format!(
            "the fit's cell ended {ended:.2} s after ■, expected < 2 s"
        )));
    }
    let cells = seen["cells"].as_array().cloned().unwrap_or_default();
    let text = |i: usize| cells.get(i).and_then(|c| c["text"].as_str()).unwrap_or("");
    let fit = text(3);
    let done: usize = fit
        .lines()
        .find_map(|l| l.strip_prefix("Interrupted after "))
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| problem(&format!("the fit's cell shows no interrupt line: {fit:?}")))?;
    if !(1..100_000).contains(&done) {
        return Err(problem(&format!("{done} epochs done")));
    }
    let errors: Vec<String> = cells
        .iter()
        .enumerate()
        .flat_map(|(i, c)| {
            let shown = c["errors"].as_array().cloned().unwrap_or_default();
            shown
                .into_iter()
                .map(move |e| format!("cell {i}: {}", e.as_str().unwrap_or("")))
        })
        .collect();
    if !errors.is_empty() {
        return Err(problem(&format!("cells show errors: {errors:?}")));
    }
    if cells.last().is_none_or(|c| c["count"].is_null()) {
        return Err(problem(&format!(
            "the cell after the interrupt did not run within 300 s (kernel {}): {:?}",
            seen["kernel_after"],
            text(4)
        )));
    }
    let expected = format!("2 {done} true\n[\"low\", \"low\", \"high\", \"high\"]\n");
    if text(4) != expected {
        return Err(problem(&format!(
            "the cell after the interrupt shows {:?}, expected {expected:?}",
            text(4)
        )));
    }
    println!("    ■ during fit: the cell ended {ended:.2} s after the click, {done} epochs done");
    Ok(())
}

/// Notebook 03 as slides (RISE's page) at 1280×720: text of 20 px or more, code of 18 px or
/// more, and room for a line of 100 characters of code.
fn slides_in_the_browser(chromium: &Path) -> Result<(), Failed> {
    let out = root().join("target").join("browser");
    let notebook = root().join("notebooks").join("03-deep-networks.ipynb");
    let measured = out.join("03-deep-networks-slides.json");
    let seen = run_driver(
        "browser_slides.py",
        &[notebook.as_os_str(), out.as_os_str()],
        &[("DLINTRO_CHROMIUM", chromium.as_os_str())],
        &measured,
        "the slides could not be opened in the browser",
    )?;
    let shown = &seen["sizes"]["slide with code"];
    let number = |key: &str| shown[key].as_f64().unwrap_or(0.0);
    let (text, code, columns) = (number("paragraph"), number("code"), number("code_columns"));
    if text < 20.0 || code < 18.0 || columns < 100.0 {
        return Err(Failed::from(format!(
            "at 1280×720 the slides' text is {text} px and code {code} px with room for \
             {columns} characters, expected ≥ 20 px, ≥ 18 px and ≥ 100 (see {})",
            measured.display()
        )));
    }
    println!("    slides at 1280×720: text {text} px, code {code} px, {columns} characters a line");
    Ok(())
}

fn main() {
    let mut args = Arguments::from_args();
    // One kernel and one browser at a time: each kernel compiles the crate.
    args.test_threads = Some(1);
    let chromium = find_chromium();
    if chromium.is_none() {
        println!("browser tests skipped: {CHROMIUM_HINT}");
    }
    let mut trials: Vec<Trial> = notebooks()
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
    let ignored = chromium.is_none();
    let for_slides = chromium.clone();
    trials.push(
        Trial::test("slides", move || match &for_slides {
            Some(chromium) => slides_in_the_browser(chromium),
            None => Ok(()),
        })
        .with_ignored_flag(ignored),
    );
    trials.push(
        Trial::test("interrupt", move || match &chromium {
            Some(chromium) => interrupt_in_the_browser(chromium),
            None => Ok(()),
        })
        .with_ignored_flag(ignored),
    );
    libtest_mimic::run(&args, trials).exit();
}
