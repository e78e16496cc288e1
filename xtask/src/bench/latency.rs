//! The notebooks' cell latency, read from the executed copies the notebook test writes
//! (nbclient's timestamps, and the kernel start and peak memory the test records). The set-up
//! runs that `cargo xtask setup` records are read by `setup::times`.

use std::path::Path;

use dlintro_notebooks::{Cell, Notebook};

use crate::bench::stats::median;

/// Cells slower than this, other than the `:dep` cell, are listed (issue 12's target).
pub const ANY_CELL_S: f64 = 2.0;

/// One executed notebook's timings.
pub struct NotebookLatency {
    pub name: String,
    /// When its first cell ran (UTC, from nbclient's timestamp).
    pub run_at: Option<String>,
    pub kernel_start: Option<f64>,
    pub dep: Option<f64>,
    pub first: Option<f64>,
    pub median_other: Option<f64>,
    /// The seconds of every cell but `:dep` and the first after `use`.
    pub others: Vec<f64>,
    /// Cells over [`ANY_CELL_S`] other than the `:dep` cell: seconds, first line, trains.
    pub slow: Vec<(f64, String, bool)>,
    pub cells: usize,
    pub total: Option<f64>,
    pub peak_mb: Option<f64>,
    pub peak_with_compiler_mb: Option<f64>,
}

/// The latency of every executed notebook in `dir` (target/notebooks/), in name order.
pub fn notebook_latency(dir: &Path) -> Vec<NotebookLatency> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "ipynb"))
        .collect();
    paths.sort();
    paths
        .iter()
        .filter_map(|path| {
            let notebook = Notebook::read(path).ok()?;
            let name = path.file_stem()?.to_string_lossy().into_owned();
            Some(latency_of(name, &notebook))
        })
        .collect()
}

/// The latency of one executed notebook.
pub fn latency_of(name: String, notebook: &Notebook) -> NotebookLatency {
    let code: Vec<&Cell> = notebook.code_cells().collect();
    let timed: Vec<(f64, &Cell)> = code
        .iter()
        .filter_map(|c| Some((c.seconds()?, *c)))
        .collect();
    let at = |i: usize| timed.get(i).map(|(t, _)| *t);
    // Cell 0 is `:dep`; the first to use the crate comes after the cell with `use dlintro`,
    // which is the `:dep` cell itself in the workshop's notebooks.
    let first_at = 1 + timed
        .iter()
        .position(|(_, c)| c.source().contains("use dlintro"))
        .unwrap_or(0);
    let others: Vec<f64> = timed
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 0 && *i != first_at)
        .map(|(_, (t, _))| *t)
        .collect();
    let slow = timed
        .iter()
        .skip(1)
        .filter(|(t, _)| *t > ANY_CELL_S)
        .map(|(t, cell)| {
            let source = cell.source();
            let trains = source.contains(".fit(") || source.contains(".fit_with(");
            let first = source.lines().next().unwrap_or("").trim().to_string();
            (*t, first, trains)
        })
        .collect();
    let meta = &notebook.metadata()["dlintro"];
    let run_at = code.first().and_then(|c| {
        let stamp = c.started_at()?;
        Some(stamp.get(..16)?.replace('T', " "))
    });
    NotebookLatency {
        name,
        run_at,
        kernel_start: meta["kernel_start_seconds"].as_f64(),
        dep: at(0),
        first: at(first_at),
        median_other: median(&others),
        others,
        slow,
        cells: code.len(),
        total: meta["seconds"].as_f64(),
        peak_mb: meta["peak_memory_mb"].as_f64(),
        peak_with_compiler_mb: meta["peak_memory_with_compiler_mb"].as_f64(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An executed code cell as nbclient records it.
    fn cell(start: &str, end: &str, source: &str) -> serde_json::Value {
        serde_json::json!({ "cell_type": "code", "source": source, "metadata": { "execution": {
            "iopub.execute_input": start, "shell.execute_reply": end } } })
    }

    #[test]
    fn notebook_latency_reads_nbclient_timestamps() {
        let notebook = serde_json::json!({
            "metadata": { "dlintro": { "kernel_start_seconds": 1.5, "seconds": 30.0,
                                       "peak_memory_mb": 900, "peak_memory_with_compiler_mb": 1400 } },
            "cells": [
                cell("2026-01-01T10:00:00Z", "2026-01-01T10:00:06Z", ":dep dlintro"),
                cell("2026-01-01T10:00:06Z", "2026-01-01T10:00:06.5Z", "use dlintro::prelude::*;"),
                cell("2026-01-01T10:00:07Z", "2026-01-01T10:00:09Z", "let x = 1;"),
                cell("2026-01-01T10:00:09Z", "2026-01-01T10:00:10Z", "x"),
                cell("2026-01-01T10:00:10Z", "2026-01-01T10:00:15Z", "model.fit(&x, &y, o)?;"),
            ],
        })
        .into();
        let n = latency_of("nb".into(), &notebook);
        assert_eq!((n.dep, n.first), (Some(6.0), Some(2.0)));
        // The others: 0.5, 1 and 5 s.
        assert_eq!(n.median_other, Some(1.0));
        assert_eq!(
            n.slow,
            vec![(5.0, "model.fit(&x, &y, o)?;".to_string(), true)]
        );
        assert_eq!((n.kernel_start, n.peak_mb), (Some(1.5), Some(900.0)));
    }

    #[test]
    fn the_first_cell_after_a_dep_cell_with_its_use_is_the_second() {
        let notebook = serde_json::json!({
            "cells": [
                cell("2026-01-01T10:00:00Z", "2026-01-01T10:00:05Z",
                     ":dep dlintro = { path = \"../crate\" }\nuse dlintro::prelude::*;"),
                cell("2026-01-01T10:00:05Z", "2026-01-01T10:00:07.25Z", "let x = 1;"),
                cell("2026-01-01T10:00:07.25Z", "2026-01-01T10:00:07.75Z", "x"),
                cell("2026-01-01T10:00:07.75Z", "2026-01-01T10:00:08.5Z", "x + 1"),
            ],
        })
        .into();
        let n = latency_of("nb".into(), &notebook);
        assert_eq!((n.dep, n.first), (Some(5.0), Some(2.25)));
        assert_eq!(n.median_other, Some(0.625));
    }
}
