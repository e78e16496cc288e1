//! The Python environment: a conda environment the user activated, or `.venv/` that we make.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::base::failure::Failure;
use crate::base::process::capture;

/// The tch release series the crate pins in `crate/Cargo.toml`, for messages; a test checks it.
pub const TCH_SERIES: &str = "0.26";

/// Python versions older than this cannot run JupyterLab 4 and torch 2.13.
const MIN_PYTHON: (u32, u32) = (3, 10);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An activated conda environment, created from environment.yml by the user.
    Conda,
    /// `.venv/` in the repository, created and filled by xtask.
    Venv,
}

#[derive(Debug, Clone)]
pub struct PyEnv {
    pub kind: Kind,
    /// `sys.prefix`: kernelspecs go under `share/jupyter/kernels` here.
    pub prefix: PathBuf,
    pub python: PathBuf,
}

impl PyEnv {
    pub fn bin_dir(&self) -> PathBuf {
        self.python
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| self.prefix.join("bin"))
    }

    /// The command that installs `what` into this environment, for messages.
    pub fn pip_command(&self, what: &str) -> String {
        format!("{} -m pip install {what}", self.python.display())
    }

    /// Runs a short Python snippet in this environment and returns its stdout.
    pub fn eval(&self, code: &str) -> Result<String, String> {
        capture(Command::new(&self.python).args(["-c", code]))
    }
}

/// Finds the environment to use: an activated conda environment other than `base`, or the
/// repository's `.venv/` (created here when missing).
pub fn locate(root: &Path) -> Result<(PyEnv, bool), Failure> {
    if let Some(prefix) = conda_prefix() {
        let python = python_in(&prefix);
        if !python.exists() {
            return Err(Failure::new(format!(
                "the active conda environment {} has no python at {}. \
                 Recreate it with `conda env create -f environment.yml` and \
                 `conda activate dlintro`, or run `conda deactivate` to let xtask use .venv/.",
                prefix.display(),
                python.display()
            )));
        }
        check_python_version(&python)?;
        return Ok((
            PyEnv {
                kind: Kind::Conda,
                prefix,
                python,
            },
            false,
        ));
    }
    let prefix = root.join(".venv");
    let python = python_in(&prefix);
    let mut created = false;
    if !python.exists() {
        let base = base_python()?;
        check_python_version(&base)?;
        let out = Command::new(&base)
            .args(["-m", "venv"])
            .arg(&prefix)
            .output()
            .map_err(|e| Failure::new(format!("could not run {}: {e}", base.display())))?;
        if !out.status.success() {
            return Err(Failure::new(format!(
                "`{} -m venv .venv` failed:\n{}\nOn Debian and Ubuntu the venv module is a \
                 separate package: `sudo apt install python3-venv`, then run the command again.",
                base.display(),
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
        created = true;
    }
    Ok((
        PyEnv {
            kind: Kind::Venv,
            prefix,
            python,
        },
        created,
    ))
}

/// The environment set-up made, without making one: the active conda environment (other
/// than `base`) or the repository's `.venv/`, when its Python is there.
pub fn existing(root: &Path) -> Option<PyEnv> {
    let (kind, prefix) = match conda_prefix() {
        Some(prefix) => (Kind::Conda, prefix),
        None => (Kind::Venv, root.join(".venv")),
    };
    let python = python_in(&prefix);
    python.exists().then_some(PyEnv {
        kind,
        prefix,
        python,
    })
}

fn conda_prefix() -> Option<PathBuf> {
    let prefix = std::env::var_os("CONDA_PREFIX")?;
    // `base` is active in every conda shell; installing the workshop there would be rude.
    let name = std::env::var("CONDA_DEFAULT_ENV").unwrap_or_default();
    if name == "base" || name.is_empty() {
        return None;
    }
    Some(PathBuf::from(prefix))
}

fn python_in(prefix: &Path) -> PathBuf {
    if cfg!(windows) {
        prefix.join("Scripts").join("python.exe")
    } else {
        prefix.join("bin").join("python")
    }
}

/// The interpreter that creates `.venv/`: `DLINTRO_PYTHON`, else `python3`, else `python`.
fn base_python() -> Result<PathBuf, Failure> {
    if let Some(path) = std::env::var_os("DLINTRO_PYTHON") {
        return Ok(PathBuf::from(path));
    }
    for name in ["python3", "python"] {
        if Command::new(name).arg("--version").output().is_ok() {
            return Ok(PathBuf::from(name));
        }
    }
    Err(Failure::new(format!(
        "no Python found: neither `python3` nor `python` is on PATH. The workshop needs \
         Python {}.{} or newer: install it from your package manager (Debian/Ubuntu: \
         `sudo apt install python3 python3-venv`), from python.org, or with conda \
         (`conda env create -f environment.yml`), then run the command again. \
         To use a particular interpreter, set DLINTRO_PYTHON=/path/to/python.",
        MIN_PYTHON.0, MIN_PYTHON.1
    )))
}

fn check_python_version(python: &Path) -> Result<(), Failure> {
    let out = capture(
        Command::new(python).args(["-c", "import sys; print('%d.%d' % sys.version_info[:2])"]),
    )
    .map_err(|e| Failure::new(format!("could not run {}: {e}", python.display())))?;
    let version = parse_major_minor(&out).ok_or_else(|| {
        Failure::new(format!(
            "{} printed `{out}` for its version; expected something like 3.11",
            python.display()
        ))
    })?;
    if version < MIN_PYTHON {
        return Err(Failure::new(format!(
            "{} is Python {}.{}, but the workshop needs Python {}.{} or newer (JupyterLab 4 \
             and torch need it). Install a newer Python and point xtask at it \
             with DLINTRO_PYTHON=/path/to/python3, or use conda: \
             `conda env create -f environment.yml && conda activate dlintro`. \
             Remove .venv/ if it was made with the old Python.",
            python.display(),
            version.0,
            version.1,
            MIN_PYTHON.0,
            MIN_PYTHON.1
        )));
    }
    Ok(())
}

fn parse_major_minor(text: &str) -> Option<(u32, u32)> {
    let (major, minor) = text.trim().split_once('.')?;
    Some((major.parse().ok()?, minor.parse().ok()?))
}

/// What environment.yml asks for: the one list of Python packages, and the one place that
/// names the torch version (tch links against exactly one libtorch).
#[derive(Debug, Clone)]
pub struct Requirements {
    /// The `pip:` list, as pip arguments.
    pub packages: Vec<String>,
    /// X of the `torch==X` line.
    pub torch: String,
}

impl Requirements {
    pub fn read(root: &Path) -> Result<Self, Failure> {
        let path = root.join("environment.yml");
        let text = std::fs::read_to_string(&path)
            .map_err(|e| Failure::new(format!("could not read {}: {e}", path.display())))?;
        Self::parse(&text).ok_or_else(|| {
            Failure::new(format!(
                "{} has no `torch==X` line in its `pip:` list; it must pin the exact torch \
                 version that tch {TCH_SERIES} links against.",
                path.display()
            ))
        })
    }

    pub fn parse(environment_yml: &str) -> Option<Self> {
        let packages = pip_requirements(environment_yml);
        let torch = pinned_torch(&packages)?;
        Some(Self { packages, torch })
    }
}

/// X of a `torch==X` requirement.
fn pinned_torch(packages: &[String]) -> Option<String> {
    packages.iter().find_map(|p| {
        let version = p
            .strip_prefix("torch")?
            .trim_start()
            .strip_prefix("==")?
            .trim();
        (!version.is_empty()).then(|| version.to_string())
    })
}

/// The `pip:` list of environment.yml: the one list of Python packages.
fn pip_requirements(environment_yml: &str) -> Vec<String> {
    let mut in_pip = false;
    let mut pip_indent = 0;
    let mut packages = Vec::new();
    for line in environment_yml.lines() {
        let content = line.split('#').next().unwrap_or("").trim_end();
        if content.trim().is_empty() {
            continue;
        }
        let indent = content.len() - content.trim_start().len();
        let item = content.trim_start();
        if item == "- pip:" {
            in_pip = true;
            pip_indent = indent;
            continue;
        }
        if in_pip {
            if indent <= pip_indent {
                in_pip = false;
            } else if let Some(package) = item.strip_prefix("- ") {
                packages.push(package.trim().to_string());
            }
        }
    }
    packages
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::repo::repo_root;

    /// The value of `const LIBTORCH_VERSION: &str = "X";` in one source file.
    fn libtorch_const(source: &str) -> Option<String> {
        let line = source
            .lines()
            .find(|l| l.contains("const LIBTORCH_VERSION"))?;
        let value = line.split_once('=')?.1;
        Some(value.split('"').nth(1)?.to_string())
    }

    /// X of the comment `# tch 0.26 links against libtorch X ...` and the tch series it names,
    /// and the version of the `tch = "=…"` pin.
    fn manifest_pins(manifest: &str) -> (Option<(String, String)>, Option<String>) {
        let comment = manifest
            .lines()
            .map(str::trim_start)
            .filter(|l| l.starts_with('#'))
            .find_map(|l| {
                let tch = l.split_once("tch ")?.1.split_whitespace().next()?;
                let torch = l.split_once("libtorch ")?.1.split_whitespace().next()?;
                Some((tch.to_string(), torch.to_string()))
            });
        let pin = manifest.lines().find_map(|l| {
            let rest = l
                .trim_start()
                .strip_prefix("tch")?
                .trim_start()
                .strip_prefix('=')?;
            Some(rest.split('"').nth(1)?.trim_start_matches('=').to_string())
        });
        (comment, pin)
    }

    /// Checks that environment.yml, the crate's `LIBTORCH_VERSION` and crate/Cargo.toml's pin
    /// comment name one torch version, and that the comment and xtask name the pinned tch.
    /// `sources` are (path, text) of the crate's Rust files. The error names the file to fix.
    fn check_pins(
        yml: &str,
        sources: &[(String, String)],
        manifest: &str,
    ) -> Result<String, String> {
        let torch = Requirements::parse(yml)
            .ok_or("environment.yml: no `torch==X` line in the `pip:` list")?
            .torch;
        let (file, in_crate) = sources
            .iter()
            .find_map(|(path, text)| Some((path, libtorch_const(text)?)))
            .ok_or("crate/src: no `const LIBTORCH_VERSION: &str = \"X\";` in any file")?;
        if in_crate != torch {
            return Err(format!(
                "{file} says LIBTORCH_VERSION = \"{in_crate}\", but environment.yml pins \
                 torch=={torch}"
            ));
        }
        let (comment, pin) = manifest_pins(manifest);
        let (comment_tch, comment_torch) = comment.ok_or(
            "crate/Cargo.toml: no comment `# tch A links against libtorch X …` above the tch pin",
        )?;
        if comment_torch != torch {
            return Err(format!(
                "crate/Cargo.toml's comment says tch links against libtorch {comment_torch}, \
                 but environment.yml pins torch=={torch}"
            ));
        }
        let pin = pin.ok_or("crate/Cargo.toml: no `tch = \"=X\"` pin")?;
        for (what, series) in [
            ("crate/Cargo.toml's comment", comment_tch.as_str()),
            ("xtask/src/setup/env.rs's TCH_SERIES", TCH_SERIES),
        ] {
            if !pin.starts_with(&format!("{series}.")) {
                return Err(format!(
                    "{what} names tch {series}, but crate/Cargo.toml pins tch {pin}"
                ));
            }
        }
        Ok(torch)
    }

    fn crate_sources(dir: &Path, out: &mut Vec<(String, String)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("could not read {}: {e}", dir.display()))
            .flatten()
            .map(|e| e.path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                crate_sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                let shown = path
                    .strip_prefix(repo_root())
                    .unwrap_or(&path)
                    .display()
                    .to_string();
                out.push((shown, text));
            }
        }
    }

    #[test]
    fn the_torch_version_agrees_across_the_workspace() {
        // Read at run time, not with include_str!, so that a moved file fails this test and
        // not the build of xtask.
        let root = repo_root();
        let read = |rel: &str| {
            std::fs::read_to_string(root.join(rel))
                .unwrap_or_else(|e| panic!("could not read {rel}: {e}"))
        };
        let mut sources = Vec::new();
        crate_sources(&root.join("crate").join("src"), &mut sources);
        let result = check_pins(
            &read("environment.yml"),
            &sources,
            &read("crate/Cargo.toml"),
        );
        if let Err(message) = result {
            panic!("the torch version disagrees: {message}");
        }
    }

    #[test]
    fn a_disagreeing_pin_names_its_file() {
        let yml = "dependencies:\n  - pip:\n      - torch==2.13.0\n";
        let manifest = "# tch 0.26 links against libtorch 2.13.0 exactly.\ntch = \"=0.26.0\"\n";
        let source = |v: &str| {
            vec![
                ("crate/src/lib.rs".to_string(), "mod setup;\n".to_string()),
                (
                    "crate/src/setup.rs".to_string(),
                    format!("pub const LIBTORCH_VERSION: &str = \"{v}\";\n"),
                ),
            ]
        };
        assert_eq!(
            check_pins(yml, &source("2.13.0"), manifest),
            Ok("2.13.0".into())
        );
        let err = check_pins(yml, &source("2.14.0"), manifest).unwrap_err();
        assert!(err.starts_with("crate/src/setup.rs says"), "{err}");
        let yml_new = yml.replace("2.13.0", "2.14.0");
        let err = check_pins(&yml_new, &source("2.14.0"), manifest).unwrap_err();
        assert!(err.starts_with("crate/Cargo.toml's comment"), "{err}");
        let old_tch = manifest.replace("=0.26.0", "=0.27.0");
        let err = check_pins(yml, &source("2.13.0"), &old_tch).unwrap_err();
        assert!(err.contains("pins tch 0.27.0"), "{err}");
        let err = check_pins("dependencies:\n  - pip\n", &source("2.13.0"), manifest).unwrap_err();
        assert!(err.starts_with("environment.yml"), "{err}");
    }

    #[test]
    fn reads_the_pip_list_of_environment_yml() {
        let yml = std::fs::read_to_string(repo_root().join("environment.yml")).unwrap();
        let requirements = Requirements::parse(&yml).expect("environment.yml pins torch");
        assert_eq!(
            requirements.packages[0],
            format!("torch=={}", requirements.torch)
        );
        let packages = &requirements.packages;
        assert!(packages.iter().any(|p| p.starts_with("nbclient")));
        assert!(packages.iter().all(|p| !p.starts_with("python")));
    }

    #[test]
    fn the_pip_list_ends_where_the_indentation_does() {
        let yml = "dependencies:\n  - pip\n  - pip:\n      - a==1  # note\n      - b\n  - c\n";
        assert_eq!(pip_requirements(yml), vec!["a==1", "b"]);
    }

    #[test]
    fn finds_the_torch_pin() {
        let pins =
            |list: &[&str]| pinned_torch(&list.iter().map(|p| p.to_string()).collect::<Vec<_>>());
        assert_eq!(
            pins(&["jupyterlab>=4", "torch==2.13.0"]),
            Some("2.13.0".into())
        );
        assert_eq!(pins(&["torch == 2.13.0"]), Some("2.13.0".into()));
        assert_eq!(pins(&["torch>=2"]), None);
        assert_eq!(pins(&["torchvision==0.1"]), None);
    }

    #[test]
    fn parses_python_versions() {
        assert_eq!(parse_major_minor("3.11\n"), Some((3, 11)));
        assert_eq!(parse_major_minor("3.9"), Some((3, 9)));
        assert!(parse_major_minor("3.9") < Some(MIN_PYTHON));
        assert_eq!(parse_major_minor("three"), None);
    }
}
