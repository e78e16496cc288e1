//! The Python environment: a conda environment the user activated, or `.venv/` that we make.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::steps::{capture, Failure};

/// The torch version that tch 0.26 is built against; nothing else links.
pub const TORCH_VERSION: &str = "2.13.0";

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
             and torch {TORCH_VERSION} need it). Install a newer Python and point xtask at it \
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

/// The `pip:` list of environment.yml: the one list of Python packages.
pub fn pip_requirements(environment_yml: &str) -> Vec<String> {
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

    #[test]
    fn reads_the_pip_list_of_environment_yml() {
        let yml = include_str!("../../environment.yml");
        let packages = pip_requirements(yml);
        assert_eq!(packages[0], format!("torch=={TORCH_VERSION}"));
        assert!(packages.iter().any(|p| p.starts_with("nbclient")));
        assert!(packages.iter().all(|p| !p.starts_with("python")));
    }

    #[test]
    fn the_pip_list_ends_where_the_indentation_does() {
        let yml = "dependencies:\n  - pip\n  - pip:\n      - a==1  # note\n      - b\n  - c\n";
        assert_eq!(pip_requirements(yml), vec!["a==1", "b"]);
    }

    #[test]
    fn parses_python_versions() {
        assert_eq!(parse_major_minor("3.11\n"), Some((3, 11)));
        assert_eq!(parse_major_minor("3.9"), Some((3, 9)));
        assert!(parse_major_minor("3.9") < Some(MIN_PYTHON));
        assert_eq!(parse_major_minor("three"), None);
    }
}
