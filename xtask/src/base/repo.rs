//! The repository's root, which every command works in.

use std::path::{Path, PathBuf};

/// The repository's root: the folder above xtask/.
pub fn repo_root() -> PathBuf {
    // xtask/ lives directly under the repository root.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask has a parent folder")
        .to_path_buf()
}
