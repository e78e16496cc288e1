//! The "Setup Testing" slide: a checklist that says whether this kernel is ready for the day.
//!
//! [`report`] runs every check and returns a [`Report`]. In the kernel a cell that ends with
//! it shows an HTML table; elsewhere it prints as text. Each line is ✓ or ✗, and every ✗
//! says what to do.

use std::fmt;
use std::path::PathBuf;

use crate::device::{self, Device};
use crate::display::{escape, image_tag};
use crate::plot::{self, Series, Style};

/// The libtorch version tch 0.26 is built for.
pub const LIBTORCH_VERSION: &str = "2.13.0";

/// One line of the checklist.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    /// What was checked, e.g. "libtorch".
    pub name: &'static str,
    /// Whether it is ready.
    pub ok: bool,
    /// What was found.
    pub found: String,
    /// What to do when it is not ready; empty when it is.
    pub fix: String,
    /// A small SVG to show beside the line (the plot check has one).
    pub svg: Option<String>,
}

impl Check {
    fn pass(name: &'static str, found: impl Into<String>) -> Check {
        Check {
            name,
            ok: true,
            found: found.into(),
            fix: String::new(),
            svg: None,
        }
    }

    fn fail(name: &'static str, found: impl Into<String>, fix: impl Into<String>) -> Check {
        Check {
            name,
            ok: false,
            found: found.into(),
            fix: fix.into(),
            svg: None,
        }
    }

    fn mark(&self) -> &'static str {
        if self.ok {
            "✓"
        } else {
            "✗"
        }
    }
}

/// The Setup Testing checklist.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The checks, in the order they were run.
    pub checks: Vec<Check>,
}

impl Report {
    /// Whether every check passed.
    pub fn all_ok(&self) -> bool {
        self.checks.iter().all(|c| c.ok)
    }

    /// The checks that failed.
    pub fn failures(&self) -> Vec<&Check> {
        self.checks.iter().filter(|c| !c.ok).collect()
    }

    fn summary(&self) -> String {
        let failed = self.failures().len();
        if failed == 0 {
            format!(
                "All {} checks passed: you are ready for the workshop.",
                self.checks.len()
            )
        } else {
            format!(
                "{failed} of {} checks failed: follow the advice on the ✗ lines, then restart \
                 the kernel and run this notebook again.",
                self.checks.len()
            )
        }
    }

    /// Shows the checklist inline as an HTML table; evcxr calls this when a cell ends with
    /// a `Report`.
    pub fn evcxr_display(&self) {
        evcxr_runtime::mime_type("text/html").text(self.to_html());
        evcxr_runtime::mime_type("text/plain").text(self.to_string());
    }

    /// The checklist as an HTML table.
    pub fn to_html(&self) -> String {
        let mut html = String::from(
            "<table><thead><tr><th></th><th style=\"text-align:left\">check</th>\
             <th style=\"text-align:left\">found</th>\
             <th style=\"text-align:left\">what to do</th></tr></thead><tbody>",
        );
        for check in &self.checks {
            let color = if check.ok { "#1a7f37" } else { "#cf222e" };
            let picture = check
                .svg
                .as_ref()
                .map(|svg| {
                    let style = "max-width:100%;height:auto";
                    format!(
                        "<br>{}",
                        image_tag("image/svg+xml", svg.as_bytes(), "test plot", style)
                    )
                })
                .unwrap_or_default();
            html.push_str(&format!(
                "<tr><td style=\"color:{color};font-weight:bold\">{}</td><td style=\"text-align:left\">{}</td>\
                 <td style=\"text-align:left\">{}{picture}</td><td style=\"text-align:left\">{}</td></tr>",
                check.mark(),
                escape(check.name),
                escape(&check.found),
                escape(&check.fix)
            ));
        }
        html.push_str(&format!(
            "</tbody></table><p><b>{}</b></p>",
            escape(&self.summary())
        ));
        html
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Setup Testing")?;
        let width = self.checks.iter().map(|c| c.name.len()).max().unwrap_or(0);
        for check in &self.checks {
            write!(f, "{} {:width$}  {}", check.mark(), check.name, check.found)?;
            if !check.ok {
                write!(f, " — {}", check.fix)?;
            }
            writeln!(f)?;
        }
        write!(f, "{}", self.summary())
    }
}

/// Runs every check of the Setup Testing slide.
///
/// ```
/// let report = dlintro::setup::report();
/// assert!(report.checks.iter().any(|c| c.name == "tensor maths" && c.ok));
/// ```
pub fn report() -> Report {
    let mut checks = vec![
        check_rust(),
        Check::pass("tch", format!("tch {}", env!("DLINTRO_TCH_VERSION"))),
        check_libtorch(),
        check_device(),
        check_tensor(),
        check_ndarray(),
        check_plot(),
    ];
    if let Some(kernel) = check_kernel() {
        checks.push(kernel);
    }
    Report { checks }
}

fn check_rust() -> Check {
    let version = env!("DLINTRO_RUSTC_VERSION");
    if version.is_empty() {
        Check::fail(
            "Rust",
            "the compiler's version could not be read",
            "install Rust with rustup (rustup.rs), then `rustup update`",
        )
    } else {
        Check::pass("Rust", version)
    }
}

/// libtorch's version, read from the `version.py` of the torch package whose `lib/` folder
/// the dynamic loader searches, or from `$LIBTORCH/build-version`.
fn libtorch_version() -> Option<String> {
    let search = std::env::var(if cfg!(target_os = "macos") {
        "DYLD_LIBRARY_PATH"
    } else if cfg!(windows) {
        "PATH"
    } else {
        "LD_LIBRARY_PATH"
    })
    .unwrap_or_default();
    let from_python = std::env::split_paths(&search).find_map(|dir| {
        let text = std::fs::read_to_string(dir.parent()?.join("version.py")).ok()?;
        let line = text.lines().find(|l| l.starts_with("__version__"))?;
        Some(line.split(['\'', '"']).nth(1)?.to_string())
    });
    from_python.or_else(|| {
        let dir = PathBuf::from(std::env::var_os("LIBTORCH")?);
        Some(
            std::fs::read_to_string(dir.join("build-version"))
                .ok()?
                .trim()
                .to_string(),
        )
    })
}

fn check_libtorch() -> Check {
    match libtorch_version() {
        Some(version) if version.split('+').next() == Some(LIBTORCH_VERSION) => {
            Check::pass("libtorch", format!("libtorch {version}"))
        }
        Some(version) => Check::fail(
            "libtorch",
            format!("libtorch {version}"),
            format!(
                "tch {} needs libtorch {LIBTORCH_VERSION}: run `cargo xtask lab` in the \
                 workshop folder, which installs torch=={LIBTORCH_VERSION}",
                env!("DLINTRO_TCH_VERSION")
            ),
        ),
        None => Check::pass(
            "libtorch",
            "loaded (its version file was not found next to the library)",
        ),
    }
}

fn check_device() -> Check {
    let cpu = format!("CPU with {} threads", device::cpu_threads());
    match (device::device(), device::gpu()) {
        (Device::Cuda(_), Some(gpu)) => {
            let name = gpu.description.unwrap_or_else(|| "a CUDA GPU".into());
            Check::pass(
                "device",
                format!(
                    "CUDA: {name} ({} GPU{}); {cpu}",
                    gpu.count,
                    plural(gpu.count)
                ),
            )
        }
        _ => Check::pass(
            "device",
            format!(
                "{cpu}; no usable GPU, which is fine: every notebook of the day runs on the CPU"
            ),
        ),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn check_tensor() -> Check {
    let device = device::device();
    // [[1, 2], [3, 4]] · [[1, 2], [3, 4]] = [[7, 10], [15, 22]]
    let compute = || -> Result<Vec<f32>, tch::TchError> {
        let x = tch::Tensor::f_from_slice(&[1.0f32, 2.0, 3.0, 4.0])?
            .f_view([2, 2])?
            .f_to_device(device)?;
        let y = x.f_matmul(&x)?; // [2, 2]
        Vec::<f32>::try_from(y.f_to_device(Device::Cpu)?.f_flatten(0, -1)?)
    };
    let result = compute();
    match result {
        Ok(values) if values == [7.0, 10.0, 15.0, 22.0] => Check::pass(
            "tensor maths",
            format!("[[1, 2], [3, 4]]² = [[7, 10], [15, 22]] on {device:?}"),
        ),
        Ok(values) => Check::fail(
            "tensor maths",
            format!("[[1, 2], [3, 4]]² gave {values:?} on {device:?}, expected [7, 10, 15, 22]"),
            "libtorch computes wrong results: reinstall it with `cargo xtask lab` and tell the \
             instructors",
        ),
        Err(error) => Check::fail(
            "tensor maths",
            format!(
                "libtorch failed on {device:?}: {}",
                error.to_string().lines().next().unwrap_or("")
            ),
            "restart the kernel; if it persists, run `cargo xtask lab` again",
        ),
    }
}

fn check_ndarray() -> Check {
    let x = ndarray::arr1(&[1.0, 2.0, 3.0]);
    let w = ndarray::arr1(&[4.0, 5.0, 6.0]);
    let dot = x.dot(&w);
    let version = env!("DLINTRO_NDARRAY_VERSION");
    if dot == 32.0 {
        Check::pass(
            "ndarray",
            format!("ndarray {version}: [1, 2, 3]·[4, 5, 6] = 32"),
        )
    } else {
        Check::fail(
            "ndarray",
            format!("ndarray {version}: [1, 2, 3]·[4, 5, 6] gave {dot}, expected 32"),
            "rebuild: restart the kernel and run the `:dep` cell again",
        )
    }
}

fn check_plot() -> Check {
    let version = env!("DLINTRO_PLOTTERS_VERSION");
    // Small, for the checklist's table: shown at its own size, its text as large as the
    // table's.
    let thumbnail = Style {
        width: 360,
        height: 225,
        title_font: 16,
        text_font: 13,
        tick_font: 12,
    };
    let drawn = Series::from_fn("sin(x)", 0.0..std::f64::consts::TAU, f64::sin).and_then(|s| {
        plot::with_style(thumbnail, || plot::lines("test plot", "x", "sin(x)", &[s]))
    });
    match drawn {
        Ok(figure) if figure.svg().contains("<polyline") => {
            let mut check = Check::pass("plotters", format!("plotters {version}: drew sin(x)"));
            check.svg = Some(figure.svg().to_string());
            check
        }
        Ok(_) => Check::fail(
            "plotters",
            format!("plotters {version}: the test plot came out empty"),
            "restart the kernel and run the `:dep` cell again",
        ),
        Err(error) => Check::fail(
            "plotters",
            format!("plotters {version}: {error}"),
            "restart the kernel and run the `:dep` cell again",
        ),
    }
}

/// Inside evcxr: whether this is the workshop's kernel, whose environment finds libtorch.
fn check_kernel() -> Option<Check> {
    std::env::var_os("EVCXR_IS_RUNTIME")?;
    Some(match std::env::var("DLINTRO_KERNEL") {
        Ok(name) => Check::pass("kernel", name),
        Err(_) => Check::fail(
            "kernel",
            "a Rust kernel other than the workshop's",
            "choose Kernel ▸ Change Kernel ▸ Rust (Deep Learning Intro), started by \
             `cargo xtask lab`",
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_check_passes_on_a_working_install() {
        let report = report();
        assert!(report.all_ok(), "{report}");
        let names: Vec<_> = report.checks.iter().map(|c| c.name).collect();
        assert_eq!(
            names,
            [
                "Rust",
                "tch",
                "libtorch",
                "device",
                "tensor maths",
                "ndarray",
                "plotters"
            ]
        );
        let text = report.to_string();
        assert!(
            text.contains("✓ tensor maths  [[1, 2], [3, 4]]² = [[7, 10], [15, 22]]"),
            "{text}"
        );
        assert!(text.contains("tch 0.26.0"), "{text}");
        assert!(text.ends_with("All 7 checks passed: you are ready for the workshop."));
    }

    #[test]
    fn the_libtorch_found_is_the_one_tch_needs() {
        let version = libtorch_version().expect("the tests run with torch/lib on the library path");
        assert!(version.starts_with(LIBTORCH_VERSION), "{version}");
    }

    #[test]
    fn a_failed_check_says_what_to_do_in_text_and_html() {
        let report = Report {
            checks: vec![
                Check::pass("Rust", "rustc 1.95.0"),
                Check::fail("libtorch", "libtorch 2.1.0", "run `cargo xtask lab`"),
            ],
        };
        assert!(!report.all_ok());
        assert_eq!(
            report.to_string(),
            "Setup Testing\n✓ Rust      rustc 1.95.0\n✗ libtorch  libtorch 2.1.0 — run `cargo xtask lab`\n\
             1 of 2 checks failed: follow the advice on the ✗ lines, then restart the kernel \
             and run this notebook again."
        );
        let html = report.to_html();
        assert_eq!(html.matches("<tr>").count(), 3);
        assert!(html.contains("run `cargo xtask lab`"));
    }
}
