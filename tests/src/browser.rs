//! Checks of what a participant sees in JupyterLab, from the measurements that
//! `tests/browser_notebook.py` takes in a real browser after "Run All Cells".
//!
//! The measurements (`target/browser/NAME.json`) hold, for each viewport, every code cell
//! with its execution count, the text of its error and stderr outputs, its figures (an `img`
//! or `svg` in its outputs, with its width and the output area's) and the outputs that scroll
//! sideways. A notebook fails when a cell shows an error, a panic or a ✗, when a cell was not
//! run, when a figure did not load, is not visible, is wider than its output area or is a
//! raster image scaled up (blurred), when an output scrolls sideways, or when the browser
//! wrote the notebook file.

use std::path::PathBuf;

use serde_json::Value;

use crate::{Problem, KERNEL_NAME};

/// What to do without Chromium, for the line that says the browser tests were skipped.
pub const CHROMIUM_HINT: &str = "no Chromium found (`chromium` or `chromium-browser` on \
     PATH, or DLINTRO_CHROMIUM); on Debian and Ubuntu `sudo apt install chromium` (README, \
     Prerequisites)";

/// The Chromium the browser tests drive: `DLINTRO_CHROMIUM`, else `chromium` or
/// `chromium-browser` on `PATH`.
pub fn find_chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("DLINTRO_CHROMIUM") {
        return Some(PathBuf::from(path)).filter(|p| p.is_file());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["chromium", "chromium-browser"].map(|name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// The viewports the browser test measures at: a projector's 1280×720 first.
pub const VIEWPORTS: [&str; 2] = ["1280x720", "1024x768"];
/// How far, in CSS pixels, a measured width may pass its limit (sub-pixel rounding).
const SLACK: f64 = 0.5;

fn number(value: &Value) -> f64 {
    value.as_f64().unwrap_or(f64::NAN)
}

fn whole(reason: String) -> Problem {
    Problem {
        cell: None,
        source: String::new(),
        reason,
        output: String::new(),
    }
}

/// What is wrong with one figure at one viewport, if anything.
fn figure_problem(figure: &Value, viewport: &str) -> Option<String> {
    let name = match figure["alt"].as_str().unwrap_or("") {
        "" => format!("a figure ({})", figure["tag"].as_str().unwrap_or("img")),
        alt => format!("the figure {alt:?}"),
    };
    let (width, area) = (number(&figure["width"]), number(&figure["area_width"]));
    let natural = number(&figure["natural_width"]);
    if figure["loaded"] != true {
        Some(format!("{name} did not load"))
    } else if figure["visible"] != true {
        Some(format!("{name} is not visible at {viewport}"))
    } else if number(&figure["overhang"]) > SLACK || width > area + SLACK {
        Some(format!(
            "{name} is {width:.0} px wide, wider than its output area ({area:.0} px) at \
             {viewport}: it is cut, not scaled"
        ))
    } else if figure["mime"] != "image/svg+xml" && figure["tag"] == "img" && width > natural + SLACK
    {
        Some(format!(
            "{name} is a {natural:.0} px wide {} shown {width:.0} px wide at {viewport}: \
             scaled up, it is blurred",
            figure["mime"].as_str().unwrap_or("image")
        ))
    } else {
        None
    }
}

/// Checks the measurements of one notebook run in the browser.
pub fn check_browser(report: &Value) -> Vec<Problem> {
    let mut problems = Vec::new();
    let kernel = report["kernel"].as_str().unwrap_or("none");
    if kernel != KERNEL_NAME {
        problems.push(whole(format!(
            "JupyterLab opened the notebook with the kernel {kernel:?}, expected {KERNEL_NAME:?}"
        )));
        return problems;
    }
    if report["notebook_unchanged"] != true {
        problems.push(whole(
            "the notebook file changed while it ran in the browser (autosave must be off)".into(),
        ));
    }
    if report["run"]["ok"] != true {
        let why = report["run"]["error"].as_str().unwrap_or("a cell failed");
        problems.push(whole(format!("Run All Cells did not finish: {why}")));
    }
    for viewport in VIEWPORTS {
        let Some(cells) = report["viewports"][viewport].as_array() else {
            problems.push(whole(format!("no measurements at {viewport}")));
            continue;
        };
        for cell in cells {
            let problem = |reason: String| Problem {
                cell: cell["cell"].as_u64().map(|n| n as usize),
                source: cell["source"].as_str().unwrap_or("").to_string(),
                reason,
                output: String::new(),
            };
            if viewport == VIEWPORTS[0] {
                let text = cell["text"].as_str().unwrap_or("");
                let errors: Vec<&str> = cell["errors"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .filter(|e| !e.trim().is_empty())
                    .collect();
                if cell["execution_count"].is_null() && !cell["empty"].as_bool().unwrap_or(false) {
                    problems.push(problem("was not run".into()));
                    // Everything after a cell that never ran is noise.
                    break;
                }
                if let Some(error) = errors.first() {
                    let mut p = problem("shows an error".into());
                    p.output = error.to_string();
                    problems.push(p);
                } else if text.contains("panicked at") {
                    problems.push(problem("shows a panic".into()));
                } else if let Some(line) = text.lines().find(|l| l.contains('✗')) {
                    problems.push(problem(format!("shows a ✗ line: {}", line.trim())));
                }
            }
            for figure in cell["figures"].as_array().into_iter().flatten() {
                if let Some(reason) = figure_problem(figure, viewport) {
                    problems.push(problem(reason));
                }
            }
            for wide in cell["overflowing"].as_array().into_iter().flatten() {
                problems.push(problem(format!(
                    "an output ({}) is {:.0} px wide in {:.0} px at {viewport}: it scrolls \
                     sideways",
                    wide["what"].as_str().unwrap_or("?"),
                    number(&wide["scroll_width"]),
                    number(&wide["width"])
                )));
            }
        }
    }
    problems
}

/// The figures measured at the first viewport, for the test's summary line.
pub fn figure_count(report: &Value) -> usize {
    report["viewports"][VIEWPORTS[0]]
        .as_array()
        .into_iter()
        .flatten()
        .map(|cell| cell["figures"].as_array().map_or(0, Vec::len))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn figure(width: f64, area: f64) -> Value {
        json!({ "tag": "img", "alt": "Loss", "mime": "image/svg+xml", "loaded": true,
                "visible": true, "width": width, "natural_width": 800.0,
                "area_width": area, "overhang": width - area })
    }

    fn report(cells: Value) -> Value {
        json!({
            "kernel": KERNEL_NAME, "notebook_unchanged": true, "run": { "ok": true },
            "viewports": { "1280x720": cells.clone(), "1024x768": cells },
        })
    }

    fn cell(n: usize, figures: Value) -> Value {
        json!({ "cell": n, "source": "plot::history(&history)?", "execution_count": n,
                "errors": [], "text": "", "figures": figures, "overflowing": [] })
    }

    #[test]
    fn figures_that_fit_pass() {
        let r = report(json!([cell(3, json!([figure(800.0, 828.0)]))]));
        assert_eq!(check_browser(&r), vec![]);
        assert_eq!(figure_count(&r), 1);
    }

    #[test]
    fn a_cut_figure_names_its_width_and_the_area() {
        let r = report(json!([cell(3, json!([figure(1200.0, 828.0)]))]));
        let problems = check_browser(&r);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(problems[0].cell, Some(3));
        assert_eq!(
            problems[0].reason,
            "the figure \"Loss\" is 1200 px wide, wider than its output area (828 px) at \
             1280x720: it is cut, not scaled"
        );
    }

    #[test]
    fn a_scaled_up_raster_image_is_blurred() {
        let mut gif = figure(640.0, 828.0);
        gif["mime"] = json!("image/gif");
        gif["natural_width"] = json!(480.0);
        let problems = check_browser(&report(json!([cell(4, json!([gif]))])));
        assert!(
            problems[0].reason.contains("scaled up, it is blurred"),
            "{problems:?}"
        );
        let mut svg = figure(1000.0, 1100.0);
        svg["overhang"] = json!(-100.0);
        assert_eq!(
            check_browser(&report(json!([cell(4, json!([svg]))]))),
            vec![]
        );
    }

    #[test]
    fn errors_unrun_cells_and_a_changed_file_fail() {
        let mut failed = cell(2, json!([]));
        failed["errors"] = json!(["plot::lines: `series` has no points"]);
        let mut unrun = cell(3, json!([]));
        unrun["execution_count"] = Value::Null;
        let mut r = report(json!([failed, unrun, cell(4, json!([]))]));
        r["notebook_unchanged"] = json!(false);
        r["run"] = json!({ "ok": false, "error": "still running after 1800 s" });
        let reasons: Vec<String> = check_browser(&r).into_iter().map(|p| p.reason).collect();
        assert_eq!(
            reasons,
            [
                "the notebook file changed while it ran in the browser (autosave must be off)",
                "Run All Cells did not finish: still running after 1800 s",
                "shows an error",
                "was not run",
            ]
        );
        r["kernel"] = json!("python3");
        assert!(check_browser(&r)[0].reason.contains("\"python3\""));
    }

    #[test]
    fn a_wide_table_scrolls_sideways() {
        let mut table = cell(5, json!([]));
        table["overflowing"] =
            json!([{ "what": "div.jp-RenderedHTMLCommon", "scroll_width": 900, "width": 572 }]);
        let problems = check_browser(&report(json!([table])));
        assert_eq!(
            problems[0].reason,
            "an output (div.jp-RenderedHTMLCommon) is 900 px wide in 572 px at 1280x720: it \
             scrolls sideways"
        );
    }
}
