//! The evcxr Jupyter kernel and the project's own kernelspec, `rust-dlintro`.
//!
//! Its name is `dlintro_notebooks::KERNEL_NAME`, the one the notebook tests run and check.

use std::path::{Path, PathBuf};
use std::process::Command;

use dlintro_notebooks::KERNEL_NAME;
use serde_json::json;

use crate::base::failure::Failure;
use crate::base::process::{capture, run_tagged, CARGO_TAG};
use crate::setup::env::PyEnv;

pub const KERNEL_DISPLAY_NAME: &str = "Rust (Deep Learning Intro)";
/// evcxr_jupyter 0.21 is the first that runs reliably without a browser attached.
const MIN_EVCXR: (u32, u32, u32) = (0, 21, 0);

/// `init.evcxr` of our EVCXR_CONFIG_DIR: the cells compile without optimisation.
///
/// evcxr compiles each cell as a small crate, by default with `opt-level = 2` for it and for
/// every crate it uses. Optimising a cell's code is most of its compile time (0.6 s of CPU
/// against 0.3 s without, for a one-line cell) and buys nothing: a cell calls into dlintro and
/// libtorch, which the build folder's `.cargo/config.toml` ([`BUILD_CARGO_CONFIG`]) keeps
/// optimised. evcxr's own compilation cache (`:cache`) stays off: the build folders that
/// [`LAUNCHER`] keeps do its job, and its entries point at temporary folders that no longer
/// exist, which made cargo rebuild dlintro in every cell.
pub const INIT_EVCXR: &str = ":opt 0\n";

/// `.cargo/config.toml` above the kernels' build folders: the crates that cells use (dlintro,
/// tch, plotters, …) are compiled optimised even though the cells are not (`:opt 0`).
pub const BUILD_CARGO_CONFIG: &str = "\
# Written by `cargo xtask setup` (xtask/src/setup/kernel.rs). The rust-dlintro kernel
# compiles its cells without optimisation (`:opt 0` in init.evcxr) and the crates they use with it.
[profile.dev.package.\"*\"]
opt-level = 2
";

/// The kernel's launcher (`argv[0]` of the kernelspec): it gives each kernel a build folder
/// that outlives it, so that `:dep dlintro` finds the crate compiled (see the file's doc).
pub const LAUNCHER: &str = include_str!("launch_kernel.py");

/// The prelude's `?` and panic hook (see [`PRELUDE_RS`]): the whole prelude before issue 12.
macro_rules! prelude_without_warm_up {
    () => {
        r#"Ok::<(), String>(())?;
std::panic::set_hook(Box::new(|info| println!("{info}")));
"#
    };
}

/// The SIGINT handler of the process that runs the cells (crate/src/interrupt/handler.rs,
/// one block): Kernel ▸ Interrupt stops dlintro's loops and keeps every variable. Not on
/// Windows, where Jupyter interrupts without signals (the kernelspec keeps evcxr's own
/// interrupt there, [`interrupt_mode`]).
#[cfg(unix)]
macro_rules! interrupt_handler {
    () => {
        include_str!("../../../crate/src/interrupt/handler.rs")
    };
}
#[cfg(not(unix))]
macro_rules! interrupt_handler {
    () => {
        ""
    };
}

/// How Jupyter interrupts the kernel: SIGINT to its processes ("signal"), which the handler in
/// the prelude turns into a stop of dlintro's loops, and which [`LAUNCHER`] makes evcxr itself
/// ignore. evcxr's own interrupt ("message": an `interrupt_request` on the control channel)
/// kills the process that runs the cells, and every variable with it; it stays on Windows,
/// which has no SIGINT to send.
pub fn interrupt_mode() -> &'static str {
    if cfg!(unix) {
        "signal"
    } else {
        "message"
    }
}

/// `prelude.rs` of our EVCXR_CONFIG_DIR, run when a kernel starts.
///
/// evcxr turns on its support for `?` in cells the first time a `?` fails to compile; when
/// that first `?` sits in a cell's last expression (`plot::lines(…)?`), evcxr blames the
/// display code and prints the figure with Debug instead of showing it. One `?` at start-up
/// turns the support on before any cell.
///
/// evcxr starts the process that runs the cells with `RUST_BACKTRACE=1` whatever the
/// kernelspec says, so a panic in a cell prints a backtrace of evcxr's own frames. The panic
/// hook prints only the message and the location, and on stdout: evcxr waits for a cell's
/// stdout before it answers, but not for its stderr, whose last lines can turn up under the
/// next cell. `let _ = std::panic::take_hook();` in a cell brings the backtrace back (README,
/// Troubleshooting). The hook lives in that process: after evcxr restarts it (a second Kernel ▸
/// Interrupt, a crash) panics show the backtrace again until the kernel restarts.
///
/// The `let` warms up the rust-analyzer inside evcxr, which infers the type of every variable
/// a cell defines. Its first inference loads the standard library's name tables and impls,
/// about 2.4 s; done here, that happens while the kernel starts (while the participant
/// reads) instead of in the first cell that defines a variable. Measured with dlintro:
/// kernel start 4–5 s → 5.6–6 s, first `let` cell after `:dep` 4.7 s → 2.2 s. The rest of
/// that first cell is rust-analyzer reading tch's crate graph, which needs the `:dep`.
///
/// The interrupt handler ([`interrupt_handler`]) is installed here, before any `:dep`, so that
/// a second Kernel ▸ Interrupt ends a cell stuck in a loop of its own from the first cell on.
pub const PRELUDE_RS: &str = concat!(
    prelude_without_warm_up!(),
    interrupt_handler!(),
    "\nlet _kernel_warm_up = 0;\n"
);

/// Where `cargo install` puts binaries.
fn cargo_bin_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        return PathBuf::from(home).join("bin");
    }
    let home = std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .unwrap_or_default();
    PathBuf::from(home).join(".cargo").join("bin")
}

fn exe(name: &str) -> String {
    if cfg!(windows) {
        format!("{name}.exe")
    } else {
        name.to_string()
    }
}

/// The installed evcxr_jupyter, if `cargo install` has it at a recent enough version.
pub fn installed_evcxr() -> Option<(PathBuf, String)> {
    let list = capture(Command::new("cargo").args(["install", "--list"])).ok()?;
    let version = list.lines().find_map(|line| {
        line.strip_prefix("evcxr_jupyter v")
            .map(|rest| rest.trim_end_matches(':').to_string())
    })?;
    let binary = cargo_bin_dir().join(exe("evcxr_jupyter"));
    (binary.exists() && parse_version(&version)? >= MIN_EVCXR).then_some((binary, version))
}

fn parse_version(text: &str) -> Option<(u32, u32, u32)> {
    let mut parts = text.split(['.', '-', '+']).map(|p| p.parse::<u32>().ok());
    Some((parts.next()??, parts.next()??, parts.next()??))
}

/// Installs evcxr_jupyter with `cargo install --locked` (about ten minutes on two cores).
pub fn install_evcxr() -> Result<(PathBuf, String), Failure> {
    println!(
        "      installing evcxr_jupyter with `cargo install --locked evcxr_jupyter` \
         (once; about 10 minutes on 2 cores)"
    );
    let status = run_tagged(
        Command::new("cargo").args(["install", "--locked", "evcxr_jupyter"]),
        CARGO_TAG,
    )
    .map_err(|e| Failure::new(format!("could not run cargo: {e}")))?;
    if !status.success() {
        return Err(Failure::new(
            "`cargo install --locked evcxr_jupyter` failed (its output is above). It needs a \
             C compiler and cmake is not required; on Debian/Ubuntu `sudo apt install \
             build-essential`. Then run the command again."
                .to_string(),
        ));
    }
    installed_evcxr().ok_or_else(|| {
        Failure::new(format!(
            "evcxr_jupyter was installed but is not in {}; set CARGO_HOME to where cargo \
             installs binaries and run the command again.",
            cargo_bin_dir().display()
        ))
    })
}

/// Everything the kernel needs to load libtorch and to build `:dep dlintro` quickly.
pub struct KernelEnv {
    pub torch_lib: PathBuf,
    pub config_dir: PathBuf,
    pub ccache: Option<PathBuf>,
}

impl KernelEnv {
    /// Where the kernels' build folders live: `slot-0`, `slot-1`, … (see [`LAUNCHER`]).
    pub fn build_root(&self) -> PathBuf {
        self.config_dir.join("build")
    }
}

/// The environment variables of the kernel, the same ones xtask gives cargo when it builds
/// and tests the crate.
pub fn torch_env(py: &PyEnv, torch_lib: &Path) -> Vec<(String, String)> {
    let path_var = if cfg!(windows) { ";" } else { ":" };
    let inherited_path = std::env::var("PATH").unwrap_or_default();
    let cargo_bin = cargo_bin_dir();
    // The environment's python first: torch-sys asks `python` where torch is.
    let path = [
        py.bin_dir().display().to_string(),
        cargo_bin.display().to_string(),
        inherited_path,
    ]
    .join(path_var);
    let lib = torch_lib.display().to_string();
    let mut vars = vec![
        ("LIBTORCH_USE_PYTORCH".to_string(), "1".to_string()),
        ("PATH".to_string(), path),
    ];
    let (lib_var, sep) = if cfg!(target_os = "macos") {
        ("DYLD_LIBRARY_PATH", ":")
    } else if cfg!(windows) {
        ("PATH", ";")
    } else {
        ("LD_LIBRARY_PATH", ":")
    };
    if lib_var == "PATH" {
        vars[1].1 = format!("{lib}{sep}{}", vars[1].1);
    } else {
        let inherited = std::env::var(lib_var).unwrap_or_default();
        let value = if inherited.is_empty() {
            lib
        } else {
            format!("{lib}{sep}{inherited}")
        };
        vars.push((lib_var.to_string(), value));
    }
    vars
}

/// CC and CXX through ccache, when there is one: the same for the kernel and for cargo.
/// Not on Windows, where the C++ compiler is MSVC's `cl.exe` and there is no `cc` to wrap.
pub fn compiler_env(ccache: Option<&Path>) -> Vec<(String, String)> {
    if cfg!(windows) {
        return Vec::new();
    }
    ccache
        .map(|ccache| {
            vec![
                ("CC".to_string(), format!("{} cc", ccache.display())),
                ("CXX".to_string(), format!("{} c++", ccache.display())),
            ]
        })
        .unwrap_or_default()
}

/// Finds ccache on PATH: torch-sys compiles its C++ in every fresh kernel without it.
pub fn find_ccache() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(exe("ccache")))
        .find(|candidate| candidate.is_file())
}

/// Writes `init.evcxr`, `prelude.rs`, the launcher, the build folders' cargo configuration and
/// `share/jupyter/kernels/rust-dlintro/kernel.json` into the environment, rewriting them only
/// when their content changes. Returns what changed.
pub fn write_kernelspec(
    py: &PyEnv,
    evcxr: &Path,
    kenv: &KernelEnv,
) -> Result<Vec<PathBuf>, Failure> {
    let mut changed = Vec::new();
    let files = [
        (kenv.config_dir.join("init.evcxr"), INIT_EVCXR),
        (kenv.config_dir.join("prelude.rs"), PRELUDE_RS),
        (kenv.config_dir.join("launch_kernel.py"), LAUNCHER),
        (
            kenv.build_root().join(".cargo").join("config.toml"),
            BUILD_CARGO_CONFIG,
        ),
    ];
    for (path, content) in files {
        if write_if_changed(&path, content)? {
            changed.push(path);
        }
    }

    let text = kernelspec(py, evcxr, kenv, &kenv.config_dir, Some(&kenv.build_root()));
    let spec_path = kernel_dir(py).join("kernel.json");
    if write_if_changed(&spec_path, &text)? {
        changed.push(spec_path);
    }
    Ok(changed)
}

/// The text of `kernel.json`: evcxr_jupyter with `config_dir` as its EVCXR_CONFIG_DIR, started
/// through [`LAUNCHER`] in the build folders under `build_root` (or, without one, by itself
/// in a temporary folder).
fn kernelspec(
    py: &PyEnv,
    evcxr: &Path,
    kenv: &KernelEnv,
    config_dir: &Path,
    build_root: Option<&Path>,
) -> String {
    let mut env = serde_json::Map::new();
    for (key, value) in torch_env(py, &kenv.torch_lib) {
        env.insert(key, value.into());
    }
    env.insert(
        "EVCXR_CONFIG_DIR".into(),
        config_dir.display().to_string().into(),
    );
    for (key, value) in compiler_env(kenv.ccache.as_deref()) {
        env.insert(key, value.into());
    }
    env.insert("DLINTRO_KERNEL".into(), KERNEL_NAME.into());
    let mut argv: Vec<String> = Vec::new();
    if let Some(root) = build_root {
        argv.extend([
            py.python.display().to_string(),
            kenv.config_dir
                .join("launch_kernel.py")
                .display()
                .to_string(),
            root.display().to_string(),
        ]);
    }
    argv.extend([
        evcxr.display().to_string(),
        "--control_file".into(),
        "{connection_file}".into(),
    ]);
    let spec = json!({
        "argv": argv,
        "display_name": KERNEL_DISPLAY_NAME,
        "language": "rust",
        "interrupt_mode": interrupt_mode(),
        "env": env,
        "metadata": { "debugger": false },
    });
    serde_json::to_string_pretty(&spec).expect("a JSON value always serialises") + "\n"
}

/// A way of running the kernel that `cargo xtask bench` compares with the installed one.
pub struct Variant {
    pub name: &'static str,
    /// What it is, for the table.
    pub about: &'static str,
    /// The content of its `init.evcxr`.
    pub init: &'static str,
    /// The content of its `prelude.rs`.
    pub prelude: &'static str,
    /// Where its kernels build: in a temporary folder each, or in kept build folders.
    pub build: Build,
}

/// Where a [`Variant`]'s kernels compile their cells.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Build {
    /// evcxr's own temporary folder, deleted when the kernel stops.
    Temporary,
    /// The installed kernel's kept build folders.
    Installed,
    /// Kept build folders of the variant's own.
    Own,
}

/// The kernel's prelude before issue 12: [`PRELUDE_RS`] without the rust-analyzer warm-up.
const PRELUDE_BEFORE: &str = prelude_without_warm_up!();

/// The kernel settings compared by `cargo xtask bench` (with DLINTRO_BENCH_KERNELS=1): evcxr
/// as before issue 12, then this kernel's three changes added one at a time. The installed
/// kernel comes last.
pub const VARIANTS: [Variant; 4] = [
    Variant {
        name: "before",
        about: "a temporary folder per kernel, evcxr's cache (`:cache 4000`), cells optimised",
        init: ":cache 4000\n",
        prelude: PRELUDE_BEFORE,
        build: Build::Temporary,
    },
    Variant {
        name: "kept-opt2",
        about: "kept build folder, cells optimised (evcxr's default `:opt 2`)",
        init: "",
        prelude: PRELUDE_BEFORE,
        build: Build::Installed,
    },
    Variant {
        name: "kept-opt0",
        about: "kept build folder, cells not optimised (`:opt 0`)",
        init: INIT_EVCXR,
        prelude: PRELUDE_BEFORE,
        build: Build::Installed,
    },
    Variant {
        name: "installed",
        about: "kept build folder, `:opt 0`, rust-analyzer warmed up in the prelude: the \
                installed kernel",
        init: INIT_EVCXR,
        prelude: PRELUDE_RS,
        build: Build::Installed,
    },
];

/// The installed kernel with build folders of its own, for bench/latency-floor.ipynb (a
/// crate of one function), which must not change the installed build folders' crates.
pub const FLOOR: Variant = Variant {
    name: "floor",
    about: "the installed kernel's settings on bench/latency-floor.ipynb: the same cells with \
            a crate of one function instead of dlintro",
    init: INIT_EVCXR,
    prelude: PRELUDE_RS,
    build: Build::Own,
};

/// Writes the kernelspec of `variant` under `dir` and returns the folder to put on
/// JUPYTER_PATH for it: a kernel named rust-dlintro that differs from the installed one only
/// as the variant says.
pub fn write_variant(
    py: &PyEnv,
    evcxr: &Path,
    kenv: &KernelEnv,
    variant: &Variant,
    dir: &Path,
) -> Result<PathBuf, Failure> {
    let config_dir = dir.join("evcxr");
    write_if_changed(&config_dir.join("init.evcxr"), variant.init)?;
    write_if_changed(&config_dir.join("prelude.rs"), variant.prelude)?;
    let own = dir.join("build");
    let build_root = match variant.build {
        Build::Temporary => None,
        Build::Installed => Some(kenv.build_root()),
        Build::Own => {
            write_if_changed(&own.join(".cargo").join("config.toml"), BUILD_CARGO_CONFIG)?;
            Some(own)
        }
    };
    let text = kernelspec(py, evcxr, kenv, &config_dir, build_root.as_deref());
    let jupyter = dir.join("jupyter");
    write_if_changed(
        &jupyter
            .join("kernels")
            .join(KERNEL_NAME)
            .join("kernel.json"),
        &text,
    )?;
    Ok(jupyter)
}

pub fn kernel_dir(py: &PyEnv) -> PathBuf {
    py.prefix
        .join("share")
        .join("jupyter")
        .join("kernels")
        .join(KERNEL_NAME)
}

pub fn write_if_changed(path: &Path, content: &str) -> Result<bool, Failure> {
    if std::fs::read_to_string(path).ok().as_deref() == Some(content) {
        return Ok(false);
    }
    let parent = path.parent().expect("kernel files live in a folder");
    std::fs::create_dir_all(parent)
        .and_then(|()| std::fs::write(path, content))
        .map_err(|e| Failure::new(format!("could not write {}: {e}", path.display())))?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prelude_installs_the_interrupt_handler_before_the_warm_up() {
        let handler = PRELUDE_RS
            .find("signal(2, on_interrupt);")
            .expect("the prelude installs the SIGINT handler");
        let warm_up = PRELUDE_RS.find("let _kernel_warm_up = 0;").unwrap();
        assert!(PRELUDE_RS.starts_with(prelude_without_warm_up!()));
        assert!(handler < warm_up);
        assert!(PRELUDE_RS.contains("std::env::set_var(\"DLINTRO_INTERRUPTS\", published);"));
        assert_eq!(interrupt_mode(), "signal");
    }

    #[test]
    fn the_kernelspec_asks_for_signal_interrupts_through_the_launcher() {
        let py = PyEnv {
            kind: crate::setup::env::Kind::Venv,
            prefix: PathBuf::from("/env"),
            python: PathBuf::from("/env/bin/python"),
        };
        let kenv = KernelEnv {
            torch_lib: PathBuf::from("/env/torch/lib"),
            config_dir: PathBuf::from("/env/share/dlintro/evcxr"),
            ccache: None,
        };
        let text = kernelspec(
            &py,
            Path::new("/bin/evcxr_jupyter"),
            &kenv,
            &kenv.config_dir,
            Some(&kenv.build_root()),
        );
        let spec: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(spec["interrupt_mode"], "signal");
        assert_eq!(spec["argv"][1], "/env/share/dlintro/evcxr/launch_kernel.py");
        assert_eq!(spec["argv"][3], "/bin/evcxr_jupyter");
        assert_eq!(spec["env"]["DLINTRO_KERNEL"], KERNEL_NAME);
    }

    #[test]
    fn parses_evcxr_versions() {
        assert_eq!(parse_version("0.22.0"), Some((0, 22, 0)));
        assert!(parse_version("0.20.3") < Some(MIN_EVCXR));
        assert!(parse_version("0.21.1") >= Some(MIN_EVCXR));
        assert_eq!(parse_version("x"), None);
    }
}
