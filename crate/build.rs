//! Records, for the Setup Testing checklist, the compiler that built the crate and the exact
//! versions of tch, plotters and ndarray pinned in Cargo.toml.

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=Cargo.toml");
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let version = Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string())
        .unwrap_or_default();
    println!("cargo:rustc-env=DLINTRO_RUSTC_VERSION={version}");

    let manifest = std::fs::read_to_string("Cargo.toml").expect("the crate has a Cargo.toml");
    for dependency in ["tch", "plotters", "ndarray"] {
        let pinned = pinned_version(&manifest, dependency).unwrap_or_else(|| {
            panic!("crate/Cargo.toml must pin {dependency} with an exact `=x.y.z` version")
        });
        let key = format!("DLINTRO_{}_VERSION", dependency.to_uppercase());
        println!("cargo:rustc-env={key}={pinned}");
    }
}

/// The `x.y.z` of a `name = "=x.y.z"` or `name = { version = "=x.y.z", … }` line.
fn pinned_version(manifest: &str, name: &str) -> Option<String> {
    let line = manifest
        .lines()
        .find(|line| line.trim_start().starts_with(&format!("{name} =")))?;
    let start = line.find("\"=")? + 2;
    let rest = &line[start..];
    Some(rest[..rest.find('"')?].to_string())
}
