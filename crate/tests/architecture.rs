//! The crate's modules import one another in one direction only: data → model → training →
//! metrics → plots, with the exercises beside them and `display`, `convert` and `error`
//! beneath everything. This test reads the sources and fails on any import cycle, naming it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The top-level modules each top-level module refers to (`crate::name`), tests and
/// comments left out.
fn dependencies() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut files = vec![src.clone()];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let relative = path.strip_prefix(&src).unwrap();
        let module = relative
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        let file_name = relative.file_name().unwrap().to_string_lossy();
        if ["lib", "prelude", "test_support"].contains(&module.as_str()) || file_name == "tests.rs"
        {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap();
        let uses = graph.entry(module.clone()).or_default();
        for line in code.lines().map(str::trim) {
            if line.starts_with("//") {
                continue;
            }
            for (i, _) in line.match_indices("crate::") {
                let name: String = line[i + 7..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() && name != module {
                    uses.insert(name);
                }
            }
        }
    }
    graph
}

/// A cycle through `start`, if there is one.
fn cycle_from(
    graph: &BTreeMap<String, BTreeSet<String>>,
    path: &mut Vec<String>,
) -> Option<Vec<String>> {
    let last = path.last().unwrap().clone();
    for next in graph.get(&last).into_iter().flatten() {
        if *next == path[0] {
            let mut cycle = path.clone();
            cycle.push(next.clone());
            return Some(cycle);
        }
        if !path.contains(next) {
            path.push(next.clone());
            if let Some(cycle) = cycle_from(graph, path) {
                return Some(cycle);
            }
            path.pop();
        }
    }
    None
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let graph = dependencies();
    assert!(
        graph.contains_key("model") && graph.contains_key("plot"),
        "{graph:?}"
    );
    for module in graph.keys() {
        if let Some(cycle) = cycle_from(&graph, &mut vec![module.clone()]) {
            panic!("import cycle: {}", cycle.join(" → "));
        }
    }
}

#[test]
fn data_flows_one_way_and_plots_train_nothing() {
    let graph = dependencies();
    let order = ["data", "model", "train", "metrics", "plot"];
    for (i, lower) in order.iter().enumerate() {
        for higher in &order[i + 1..] {
            assert!(
                !graph[*lower].contains(*higher),
                "{lower} uses {higher}, against the flow {}",
                order.join(" → ")
            );
        }
    }
    for foundation in ["error", "display", "convert", "seed", "device"] {
        for module in order {
            assert!(
                !graph[foundation].contains(module),
                "{foundation} uses {module}: the foundation must not depend on the flow"
            );
        }
    }
    // The plots may ask a model for predictions, never call the training loop.
    let plot_sources = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/plot");
    for entry in std::fs::read_dir(plot_sources).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap();
        for call in [".fit(", ".fit_with(", ".step("] {
            assert!(!code.contains(call), "{} calls {call}", path.display());
        }
    }
}
