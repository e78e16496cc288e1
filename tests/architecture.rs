//! The workspace's modules import one another in one direction only.
//!
//! This test reads the sources of every package (the crate, xtask, the notebook package), one
//! module per file, nested modules included, and fails on an import cycle, naming it:
//!
//! - **Between files.** An edge from module A to module B is every path A names that leads to
//!   B: `crate::…`, `super::…` and `self::…` paths, and `use` trees with their braces. A
//!   path that stops at a module which only re-exports the item (`pub use x::Item`) leads on
//!   to the module that defines it. A module and its own ancestors or descendants are one
//!   family (a `mod.rs` declares and re-exports its children; a child extends its parent's
//!   type): edges inside a family are not counted; every other edge is.
//! - **Between rooms.** Every folder's children (the crate's top-level modules; xtask's
//!   `base`, `setup`, `bench`, `publish`) form a graph of their own, each edge lifted from the
//!   files inside them: that graph has no cycle either, so a folder is a layer.
//! - **The crate's flow.** data → metrics → model → train → plot, with the foundation beneath
//!   everything, no plot calling the training loop, and the lessons' own modules (one notebook
//!   each) and the self-checks above the core, which knows none of them.
//!
//! Test code (`#[cfg(test)]` onwards, `tests.rs`, `test_support.rs`) and comments are left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module's path inside its package: `["train", "history"]`; the root is `[]`.
type Module = Vec<String>;

/// One package's modules: what each file refers to, and what each re-exports.
#[derive(Default, Debug)]
struct Package {
    /// Every module, with the paths (absolute, from the package root) its code names.
    paths: BTreeMap<Module, BTreeSet<Vec<String>>>,
    /// `pub use` re-exports: (module, name) → the absolute path it stands for.
    reexports: BTreeMap<(Module, String), Vec<String>>,
    /// `pub use path::*` re-exports: module → the modules whose items it re-exports.
    globs: BTreeMap<Module, Vec<Vec<String>>>,
    /// The names each module defines (functions, types, constants, modules…).
    defines: BTreeMap<Module, BTreeSet<String>>,
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The module a source file is, relative to its package's `src/`.
fn module_of(relative: &Path) -> Module {
    let mut parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().to_string())
        .collect();
    let file = parts.pop().unwrap();
    let stem = file.trim_end_matches(".rs");
    if !["mod", "lib", "main"].contains(&stem) {
        parts.push(stem.to_string());
    }
    parts
}

/// The source without comments, string literals or test code (each `#[cfg(test)]` item:
/// `mod tests;`, `mod tests { … }`, a test-only function or `use`).
fn code_of(text: &str) -> String {
    let mut code = String::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with("//") {
            continue;
        }
        // Drop string literals (they may mention `crate::` in messages and docs).
        let mut in_string = false;
        let mut escaped = false;
        for c in line.chars() {
            if in_string {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    in_string = false;
                }
            } else if c == '"' {
                in_string = true;
            } else {
                code.push(c);
            }
        }
        code.push('\n');
    }
    without_test_items(&code)
}

/// `code` with every item after a `#[cfg(test)]` left out: up to its `;` or to the brace that
/// closes its body, whichever comes first.
fn without_test_items(code: &str) -> String {
    const MARK: &str = "#[cfg(test)]";
    let mut kept = String::new();
    let mut rest = code;
    while let Some(at) = rest.find(MARK) {
        kept.push_str(&rest[..at]);
        let item = &rest[at + MARK.len()..];
        let mut depth = 0;
        let mut end = item.len();
        for (i, c) in item.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i + 1;
                        break;
                    }
                }
                ';' if depth == 0 => {
                    end = i + 1;
                    break;
                }
                _ => {}
            }
        }
        rest = &item[end..];
    }
    kept.push_str(rest);
    kept
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Expands a `use` tree (without `use` and `;`) into its paths; `a::{b, c::{d as e}}` gives
/// `a::b` and `a::c::d` (the alias is kept after a space: `a::c::d e`).
fn expand_use(tree: &str) -> Vec<String> {
    let tree: String = tree.split_whitespace().collect::<Vec<_>>().join(" ");
    let tree = tree.replace(" as ", "@");
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    fn expand(prefix: &str, tree: &str, out: &mut Vec<String>) {
        // Split `tree` at top-level commas.
        let mut depth = 0;
        let mut start = 0;
        let mut items = Vec::new();
        for (i, c) in tree.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    items.push(&tree[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        items.push(&tree[start..]);
        for item in items.into_iter().filter(|i| !i.is_empty()) {
            if let Some(open) = item.find('{') {
                let head = item[..open].trim_end_matches("::");
                let inner = &item[open + 1..item.len() - 1];
                let prefix = join(prefix, head);
                expand(&prefix, inner, out);
            } else {
                out.push(join(prefix, item));
            }
        }
    }
    fn join(prefix: &str, rest: &str) -> String {
        match (prefix.is_empty(), rest.is_empty()) {
            (true, _) => rest.to_string(),
            (_, true) => prefix.to_string(),
            _ => format!("{prefix}::{rest}"),
        }
    }
    let mut out = Vec::new();
    expand("", &tree, &mut out);
    out.into_iter().map(|p| p.replace('@', " ")).collect()
}

/// Makes `path` (as written in `module`) absolute from the package root, or `None` for a
/// path into another crate. `children` tells which first segments are child modules.
fn absolute(module: &Module, path: &str, children: &BTreeSet<String>) -> Option<Vec<String>> {
    let mut segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
    let mut base: Vec<String> = match segments.first().copied() {
        Some("crate") => {
            segments.remove(0);
            vec![]
        }
        Some("self") => {
            segments.remove(0);
            module.clone()
        }
        Some("super") => {
            let mut base = module.clone();
            while segments.first() == Some(&"super") {
                segments.remove(0);
                base.pop();
            }
            base
        }
        Some(first) if children.contains(first) => module.clone(),
        _ => return None,
    };
    base.extend(segments.iter().map(|s| s.to_string()));
    Some(base)
}

/// The names a file defines at its top level (enough to follow glob re-exports).
fn defined_names(code: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for line in code.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        for (i, word) in words.iter().enumerate() {
            if [
                "fn",
                "struct",
                "enum",
                "const",
                "static",
                "type",
                "trait",
                "mod",
                "macro_rules!",
            ]
            .contains(word)
            {
                if let Some(next) = words.get(i + 1) {
                    let name: String = next.chars().take_while(|c| is_ident(*c)).collect();
                    if !name.is_empty() {
                        names.insert(name);
                    }
                }
                break;
            }
        }
    }
    names
}

/// Reads every `.rs` file under `src` into a [`Package`].
fn read_package(src: &Path) -> Package {
    let mut files = Vec::new();
    let mut folders = vec![src.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let modules: BTreeMap<Module, PathBuf> = files
        .into_iter()
        .map(|f| (module_of(f.strip_prefix(src).unwrap()), f))
        .filter(|(m, _)| {
            !m.iter()
                .any(|s| s == "tests" || s == "test_support" || s == "prelude")
        })
        .collect();
    let mut package = Package::default();
    for (module, file) in &modules {
        let code = code_of(&std::fs::read_to_string(file).unwrap());
        let children: BTreeSet<String> = modules
            .keys()
            .filter(|m| m.len() == module.len() + 1 && m.starts_with(module))
            .map(|m| m.last().unwrap().clone())
            .collect();
        package.defines.insert(module.clone(), defined_names(&code));
        let mut paths = BTreeSet::new();
        // `use` statements, braces and all.
        let mut rest = code.as_str();
        while let Some(at) = find_word(rest, "use") {
            let before = rest[..at].trim_end();
            let public = before.ends_with("pub") || before.ends_with(')');
            let tail = &rest[at + 3..];
            let Some(end) = tail.find(';') else { break };
            for item in expand_use(&tail[..end]) {
                let (path, alias) = match item.split_once(' ') {
                    Some((path, alias)) => (path.to_string(), Some(alias.to_string())),
                    None => (item.clone(), None),
                };
                let Some(target) = absolute(module, &path, &children) else {
                    continue;
                };
                if public {
                    if path.ends_with('*') {
                        let mut target = target.clone();
                        target.pop();
                        package
                            .globs
                            .entry(module.clone())
                            .or_default()
                            .push(target);
                    } else {
                        let last = target.last().cloned().unwrap_or_default();
                        let name = alias.unwrap_or(if last == "self" {
                            target[target.len() - 2].clone()
                        } else {
                            last
                        });
                        package
                            .reexports
                            .insert((module.clone(), name), target.clone());
                    }
                }
                paths.insert(target);
            }
            rest = &tail[end..];
        }
        // Paths in the code itself: `crate::a::b`, `super::a`, `self::a`.
        for prefix in ["crate::", "super::", "self::"] {
            for (i, _) in code.match_indices(prefix) {
                if i > 0 && is_ident(code[..i].chars().last().unwrap()) {
                    continue;
                }
                let path: String = code[i..]
                    .chars()
                    .take_while(|c| is_ident(*c) || *c == ':')
                    .collect();
                if let Some(target) = absolute(module, &path, &children) {
                    paths.insert(target);
                }
            }
        }
        package.paths.insert(module.clone(), paths);
    }
    package
}

/// Where the word `word` starts in `text` as a whole word, if anywhere.
fn find_word(text: &str, word: &str) -> Option<usize> {
    text.match_indices(word).map(|(i, _)| i).find(|&i| {
        let before = text[..i].chars().last();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(is_ident) && after.is_some_and(char::is_whitespace)
    })
}

impl Package {
    /// The module that defines what `path` names: the longest prefix that is a module,
    /// followed through re-exports.
    fn resolve(&self, path: &[String], depth: usize) -> Module {
        let mut module: Module = Vec::new();
        let mut i = 0;
        while i < path.len() {
            let mut next = module.clone();
            next.push(path[i].clone());
            if !self.paths.contains_key(&next) {
                break;
            }
            module = next;
            i += 1;
        }
        let Some(name) = path.get(i) else {
            return module;
        };
        if depth > 16 {
            return module;
        }
        if let Some(target) = self.reexports.get(&(module.clone(), name.clone())) {
            let mut target = target.clone();
            target.extend(path[i + 1..].iter().cloned());
            return self.resolve(&target, depth + 1);
        }
        let defined = self.defines.get(&module).is_some_and(|d| d.contains(name));
        if !defined {
            for glob in self.globs.get(&module).into_iter().flatten() {
                let mut target = glob.clone();
                target.extend(path[i..].iter().cloned());
                let found = self.resolve(&target, depth + 1);
                if found != *glob || self.defines.get(glob).is_some_and(|d| d.contains(name)) {
                    return found;
                }
            }
        }
        module
    }

    /// Module → the modules outside its family that it uses.
    fn graph(&self) -> BTreeMap<Module, BTreeSet<Module>> {
        let mut graph = BTreeMap::new();
        for (module, paths) in &self.paths {
            let uses: BTreeSet<Module> = paths
                .iter()
                .map(|p| self.resolve(p, 0))
                .filter(|target| !target.starts_with(module) && !module.starts_with(target))
                .collect();
            graph.insert(module.clone(), uses);
        }
        graph
    }
}

/// For each folder (a module with children), the graph between its children, every edge
/// between files lifted to the children that hold them.
fn rooms(graph: &BTreeMap<Module, BTreeSet<Module>>) -> BTreeMap<Module, Graph> {
    let mut rooms: BTreeMap<Module, Graph> = BTreeMap::new();
    for (from, targets) in graph {
        for to in targets {
            let common = from.iter().zip(to).take_while(|(a, b)| a == b).count();
            if common < from.len() && common < to.len() {
                let parent = from[..common].to_vec();
                rooms
                    .entry(parent)
                    .or_default()
                    .entry(from[common].clone())
                    .or_default()
                    .insert(to[common].clone());
            }
        }
    }
    rooms
}

type Graph = BTreeMap<String, BTreeSet<String>>;

/// A cycle in `graph`, if it has one: the nodes in order, the first repeated at the end.
fn find_cycle<N: Ord + Clone>(graph: &BTreeMap<N, BTreeSet<N>>) -> Option<Vec<N>> {
    // Depth-first search with colours: on the stack (grey) or finished (black).
    fn visit<N: Ord + Clone>(
        node: &N,
        graph: &BTreeMap<N, BTreeSet<N>>,
        stack: &mut Vec<N>,
        done: &mut BTreeSet<N>,
    ) -> Option<Vec<N>> {
        if let Some(at) = stack.iter().position(|n| n == node) {
            let mut cycle = stack[at..].to_vec();
            cycle.push(node.clone());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        stack.push(node.clone());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, stack, done) {
                return Some(cycle);
            }
        }
        stack.pop();
        done.insert(node.clone());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

fn name(module: &Module) -> String {
    if module.is_empty() {
        "(root)".into()
    } else {
        module.join("::")
    }
}

/// Cycles in `graph` until none is left, each found once: after a cycle is found, its first
/// edge is set aside and the search starts again.
fn all_cycles<N: Ord + Clone>(graph: &BTreeMap<N, BTreeSet<N>>) -> Vec<Vec<N>> {
    let mut graph = graph.clone();
    let mut found = Vec::new();
    while let Some(cycle) = find_cycle(&graph) {
        graph.get_mut(&cycle[0]).unwrap().remove(&cycle[1]);
        found.push(cycle);
    }
    found
}

/// Every cycle between files and between rooms in the package under `src`, as messages.
fn cycles(package_name: &str, src: &Path) -> Vec<String> {
    let graph = read_package(src).graph();
    let mut problems = Vec::new();
    for cycle in all_cycles(&graph) {
        let names: Vec<String> = cycle.iter().map(name).collect();
        problems.push(format!(
            "{package_name}: import cycle between modules: {}",
            names.join(" → ")
        ));
    }
    // A cycle between rooms that are all single files is one of the cycles above.
    let is_folder = |parent: &Module, child: &String| {
        let mut module = parent.clone();
        module.push(child.clone());
        graph
            .keys()
            .any(|m| m.len() > module.len() && m.starts_with(&module))
    };
    for (parent, room) in rooms(&graph) {
        for cycle in all_cycles(&room) {
            if !cycle.iter().any(|child| is_folder(&parent, child)) {
                continue;
            }
            problems.push(format!(
                "{package_name}: import cycle between the rooms of {}: {}",
                name(&parent),
                cycle.join(" → ")
            ));
        }
    }
    problems
}

const PACKAGES: [(&str, &str); 3] = [
    ("dlintro", "crate/src"),
    ("xtask", "xtask/src"),
    ("dlintro-notebooks", "tests/src"),
];

#[test]
fn no_import_cycle_in_any_package_nested_modules_included() {
    let mut problems = Vec::new();
    for (package, src) in PACKAGES {
        let src = workspace().join(src);
        assert!(src.is_dir(), "{} is missing", src.display());
        problems.extend(cycles(package, &src));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The crate's top-level modules and the modules each uses.
fn crate_rooms() -> Graph {
    let graph = read_package(&workspace().join("crate/src")).graph();
    rooms(&graph).remove(&Vec::new()).unwrap_or_default()
}

#[test]
fn the_crates_data_flows_one_way_and_plots_train_nothing() {
    let rooms = crate_rooms();
    assert!(
        rooms.contains_key("model") && rooms.contains_key("plot"),
        "{rooms:?}"
    );
    // Metrics are tensor maths that `compile` names (as `keras.metrics` sits beneath Keras'
    // `Model`), so they come before the model; the training loop computes them, plots show them.
    let order = ["data", "metrics", "model", "train", "plot"];
    for (i, lower) in order.iter().enumerate() {
        for higher in &order[i + 1..] {
            assert!(
                !rooms.get(*lower).is_some_and(|uses| uses.contains(*higher)),
                "{lower} uses {higher}, against the flow {}",
                order.join(" → ")
            );
        }
    }
    for foundation in ["error", "display", "convert", "seed", "device", "interrupt"] {
        for module in order {
            assert!(
                !rooms
                    .get(foundation)
                    .is_some_and(|uses| uses.contains(module)),
                "{foundation} uses {module}: the foundation must not depend on the flow"
            );
        }
    }
    // The core knows no particular notebook: what exists for one notebook (a lesson module)
    // or for the exercises' self-checks sits above it.
    let lessons = ["setup", "intro", "neuron", "descent", "playground", "check"];
    for module in order {
        for lesson in lessons {
            assert!(
                !rooms.get(module).is_some_and(|uses| uses.contains(lesson)),
                "{module} uses {lesson}: the core must not depend on one notebook's code"
            );
        }
    }
    for lesson in lessons {
        assert!(rooms.contains_key(lesson), "no module {lesson}: {rooms:?}");
        assert!(
            lesson == "check" || !rooms.get(lesson).is_some_and(|uses| uses.contains("check")),
            "{lesson} uses check: the self-checks sit above every lesson"
        );
    }
    // The model's building blocks sit beneath it.
    for block in ["activation", "loss", "optimizer"] {
        for higher in ["model", "train", "plot"] {
            assert!(
                !rooms.get(block).is_some_and(|uses| uses.contains(higher)),
                "{block} uses {higher}: the model's building blocks sit beneath it"
            );
        }
    }
    // The plots may ask a model for predictions, never call the training loop.
    let plot_sources = workspace().join("crate/src/plot");
    for entry in std::fs::read_dir(plot_sources).unwrap() {
        let path = entry.unwrap().path();
        let code = code_of(&std::fs::read_to_string(&path).unwrap());
        for call in [".fit(", ".fit_with(", ".train_step(", ".step("] {
            assert!(!code.contains(call), "{} calls {call}", path.display());
        }
    }
}

// The reader itself, on small made-up packages: a test that finds no cycle must be able to.

/// Writes `files` (path, text) into a fresh folder and returns it.
fn fixture(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let root = std::env::temp_dir().join(format!("architecture-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    root
}

#[test]
fn a_cycle_between_nested_siblings_is_found_through_super_and_a_reexport() {
    let src = fixture(
        "siblings",
        &[
            ("lib.rs", "pub mod train;\n"),
            (
                "train/mod.rs",
                "mod callbacks;\nmod history;\npub use history::{History, duration_text};\n",
            ),
            (
                "train/history.rs",
                "use super::callbacks::Control;\npub fn duration_text() {}\npub struct History;\n",
            ),
            (
                "train/callbacks.rs",
                "pub enum Control {}\nfn f() { let _ = crate::train::duration_text(); }\n",
            ),
        ],
    );
    let problems = cycles("fixture", &src);
    assert_eq!(
        problems,
        [
"fixture: import cycle between modules: train::callbacks → train::history → train::callbacks"]
    );
}

#[test]
fn a_cycle_between_rooms_is_found_through_use_trees_and_a_glob() {
    let src = fixture(
        "rooms",
        &[
            ("main.rs", "mod base;\nmod setup;\n"),
            ("base/mod.rs", "pub mod paths;\npub use paths::*;\n"),
            (
                "base/paths.rs",
                "use crate::{setup::{kernel::KERNEL, env}};\npub fn root() {}\n",
            ),
            ("setup/mod.rs", "pub mod kernel;\npub mod env;\n"),
            ("setup/kernel.rs", "pub const KERNEL: u8 = 1;\n"),
            ("setup/env.rs", "fn f() { crate::base::root(); }\n"),
        ],
    );
    let problems = cycles("fixture", &src);
    assert_eq!(
        problems,
        [
            "fixture: import cycle between modules: base::paths → setup::env → base::paths",
            "fixture: import cycle between the rooms of (root): base → setup → base",
        ]
    );
}

#[test]
fn a_family_strings_comments_and_tests_make_no_cycle() {
    let src = fixture(
        "family",
        &[
            (
                "lib.rs",
                "pub mod model;\npub mod data;\npub use model::Sequential;\n",
            ),
            (
                "model/mod.rs",
                "mod summary;\npub struct Sequential;\nfn f() { summary::text(); }\n\
                 // crate::data::load uses nothing here\nuse crate::data::load;\n",
            ),
            (
                "model/summary.rs",
                "use super::Sequential;\npub fn text() -> &'static str { \"crate::data\" }\n\
                 #[cfg(test)]\nmod more;\npub fn after() { crate::data::load(); }\n",
            ),
            (
                "data.rs",
                "pub fn load() {}\n#[cfg(test)]\nmod tests { use crate::Sequential; }\n",
            ),
        ],
    );
    assert_eq!(cycles("fixture", &src), Vec::<String>::new());
    let graph = read_package(&src).graph();
    assert_eq!(
        graph[&vec!["model".to_string()]],
        BTreeSet::from([vec!["data".to_string()]])
    );
    // What follows a test item is code again.
    assert_eq!(
        graph[&vec!["model".to_string(), "summary".to_string()]],
        BTreeSet::from([vec!["data".to_string()]])
    );
}
