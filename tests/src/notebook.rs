//! A notebook and its cells, typed: what every tool here reads and writes, instead of raw
//! JSON.
//!
//! A [`Notebook`] holds its [`Cell`]s and the rest of the document; a cell answers for its
//! kind, source, id, tags, metadata (the expectations the notebook tests check live there,
//! under `metadata.dlintro`) and outputs. Both keep every key in the order of the file, so
//! [`Notebook::to_text`], the one writer of `.ipynb` files, changes only what a tool changed.

use std::path::Path;

use serde::de::{Deserialize, Deserializer, Error as _};

use crate::json::Json;

/// The tag a solution cell carries.
pub const SOLUTION_TAG: &str = "solution";
/// The tag an instructor note carries.
pub const INSTRUCTOR_TAG: &str = "instructor";

/// What a cell holds (nbformat's `cell_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    Code,
    Markdown,
    Raw,
}

/// One cell: its JSON object, keys in the file's order.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell(Json);

impl Cell {
    /// A code cell with no outputs, keys in nbformat's order.
    pub fn code(id: &str, source: &str) -> Cell {
        Cell(Json::object([
            ("cell_type", Json::from("code")),
            ("execution_count", Json::Null),
            ("id", Json::from(id)),
            ("metadata", Json::Object(Vec::new())),
            ("outputs", Json::Array(Vec::new())),
            ("source", Json::from(source)),
        ]))
    }

    /// A Markdown cell, keys in nbformat's order.
    pub fn markdown(id: &str, source: &str) -> Cell {
        Cell(Json::object([
            ("cell_type", Json::from("markdown")),
            ("id", Json::from(id)),
            ("metadata", Json::Object(Vec::new())),
            ("source", Json::from(source)),
        ]))
    }

    /// The cell as JSON.
    pub fn json(&self) -> &Json {
        &self.0
    }

    /// The value of one of the cell's keys (null when it has none).
    pub fn get(&self, key: &str) -> &Json {
        &self.0[key]
    }

    /// Sets one of the cell's keys, in its place (at the end when new).
    pub fn set(&mut self, key: &str, value: impl Into<Json>) {
        self.0.set(key, value);
    }

    /// Code, Markdown or raw; `None` for a `cell_type` nbformat does not know.
    pub fn kind(&self) -> Option<CellKind> {
        match self.0["cell_type"].as_str()? {
            "code" => Some(CellKind::Code),
            "markdown" => Some(CellKind::Markdown),
            "raw" => Some(CellKind::Raw),
            _ => None,
        }
    }

    pub fn is_code(&self) -> bool {
        self.kind() == Some(CellKind::Code)
    }

    pub fn is_markdown(&self) -> bool {
        self.kind() == Some(CellKind::Markdown)
    }

    /// The cell's id ("" when it has none).
    pub fn id(&self) -> &str {
        self.0["id"].as_str().unwrap_or("")
    }

    /// The cell's source as one string.
    pub fn source(&self) -> String {
        self.0["source"].text()
    }

    /// The first line of the source, trimmed, to name the cell in a message.
    pub fn first_line(&self) -> String {
        self.source()
            .lines()
            .next()
            .unwrap_or("")
            .trim()
            .to_string()
    }

    /// The cell's metadata (null when it has none).
    pub fn metadata(&self) -> &Json {
        &self.0["metadata"]
    }

    /// The cell's metadata, made an empty object first unless it is one.
    pub fn metadata_mut(&mut self) -> &mut Json {
        self.0.object_mut("metadata").expect("a cell is an object")
    }

    /// The cell's `metadata.tags`.
    pub fn tags(&self) -> Vec<String> {
        self.metadata()["tags"].strings()
    }

    /// Whether `metadata.tags` holds `tag`.
    pub fn has_tag(&self, tag: &str) -> bool {
        self.metadata()["tags"].items().iter().any(|t| t == tag)
    }

    /// Whether the cell is (part of) an exercise's solution.
    pub fn is_solution(&self) -> bool {
        self.has_tag(SOLUTION_TAG)
    }

    /// Whether the cell is an instructor note.
    pub fn is_instructor(&self) -> bool {
        self.has_tag(INSTRUCTOR_TAG)
    }

    /// The strings of the list `metadata.dlintro.<key>`.
    fn dlintro_metadata(&self, key: &str) -> Vec<String> {
        self.metadata()["dlintro"][key].strings()
    }

    /// The lines the cell must print (`metadata.dlintro.expect`), each a whole line of its
    /// output.
    pub fn expectations(&self) -> Vec<String> {
        self.dlintro_metadata("expect")
    }

    /// Sets the lines the cell must print (`metadata.dlintro.expect`).
    pub fn set_expectations(&mut self, lines: &[&str]) {
        let lines = Json::Array(lines.iter().map(|&l| Json::from(l)).collect());
        let dlintro = self
            .metadata_mut()
            .object_mut("dlintro")
            .expect("an object");
        dlintro.set("expect", lines);
    }

    /// The mime types the cell must show inline (`metadata.dlintro.display`), e.g. a figure's
    /// `image/svg+xml`.
    pub fn displays(&self) -> Vec<String> {
        self.dlintro_metadata("display")
    }

    /// The slide type the cell carries (`metadata.slideshow.slide_type`), if any.
    pub fn slide_type(&self) -> Option<&str> {
        self.metadata()["slideshow"]["slide_type"].as_str()
    }

    /// Sets `metadata.slideshow.slide_type`, each object in its place or at the end.
    pub fn set_slide_type(&mut self, kind: &str) {
        let slideshow = self
            .metadata_mut()
            .object_mut("slideshow")
            .expect("an object");
        slideshow.set("slide_type", kind);
    }

    /// The execution count of a code cell that ran.
    pub fn execution_count(&self) -> Option<u64> {
        self.0["execution_count"].as_u64()
    }

    /// The cell's outputs, in order (none for a Markdown cell).
    pub fn outputs(&self) -> &[Json] {
        self.0["outputs"].items()
    }

    /// The cell's outputs, to change them (none unless the cell has a list of outputs).
    pub fn outputs_mut(&mut self) -> &mut [Json] {
        match self.0.get_mut("outputs").and_then(Json::as_array_mut) {
            Some(outputs) => outputs,
            None => &mut [],
        }
    }

    /// Sets the execution count of a code cell and of its results, as a run numbers them.
    pub fn renumber(&mut self, count: u64) {
        self.set("execution_count", count);
        for output in self.outputs_mut() {
            if output["execution_count"].is_number() {
                output.set("execution_count", count);
            }
        }
    }

    /// The cell as committed: a code cell's outputs, execution count and execution timestamps
    /// cleared.
    pub fn cleared(&self) -> Cell {
        let mut cell = self.clone();
        if cell.is_code() {
            cell.set("outputs", Json::Array(Vec::new()));
            cell.set("execution_count", Json::Null);
            if cell.metadata().is_object() {
                cell.metadata_mut().remove("execution");
            }
        }
        cell
    }

    /// Whether an output is an error.
    pub fn has_error(&self) -> bool {
        self.outputs().iter().any(|o| o["output_type"] == "error")
    }

    /// Whether an output holds `mime` (`image/svg+xml`, say).
    pub fn shows(&self, mime: &str) -> bool {
        self.outputs().iter().any(|o| !o["data"][mime].is_null())
    }

    /// What the cell wrote to one stream (`stdout` or `stderr`).
    pub fn stream_text(&self, name: &str) -> String {
        self.outputs()
            .iter()
            .filter(|o| o["output_type"] == "stream" && o["name"] == name)
            .map(|o| o["text"].text())
            .collect()
    }

    /// Everything the cell printed or displayed as text: stdout, stderr, text/plain,
    /// text/html, and error messages, in order.
    pub fn output_text(&self) -> String {
        let mut all = String::new();
        for output in self.outputs() {
            match output["output_type"].as_str() {
                Some("stream") => all.push_str(&output["text"].text()),
                Some("error") => {
                    all.push_str(&format!(
                        "{}: {}\n",
                        output["ename"].text(),
                        output["evalue"].text()
                    ));
                    for line in output["traceback"].items() {
                        all.push_str(&strip_ansi(line.as_str().unwrap_or("")));
                        all.push('\n');
                    }
                }
                _ => {
                    for mime in ["text/plain", "text/html"] {
                        let data = output["data"][mime].text();
                        if !data.is_empty() {
                            all.push_str(&data);
                            all.push('\n');
                        }
                    }
                }
            }
        }
        all
    }

    /// The lines a reader sees as plain text, trimmed: stdout and text/plain results.
    pub fn plain_lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for output in self.outputs() {
            let chunk = match output["output_type"].as_str() {
                Some("stream") if output["name"] == "stdout" => output["text"].text(),
                Some("execute_result" | "display_data") => output["data"]["text/plain"].text(),
                _ => continue,
            };
            lines.extend(chunk.lines().map(|l| l.trim().to_string()));
        }
        lines
    }

    /// When the cell started to run, as nbclient records it (`2026-11-27T10:35:01.123456Z`).
    pub fn started_at(&self) -> Option<&str> {
        self.metadata()["execution"]["iopub.execute_input"].as_str()
    }

    /// How long the cell took to run, from the timestamps nbclient records in its metadata.
    pub fn seconds(&self) -> Option<f64> {
        let execution = &self.metadata()["execution"];
        let start = time_of_day(execution["iopub.execute_input"].as_str()?)?;
        let end = time_of_day(execution["shell.execute_reply"].as_str()?)?;
        let elapsed = end - start;
        Some(if elapsed < 0.0 {
            elapsed + 86400.0
        } else {
            elapsed
        })
    }
}

impl From<Json> for Cell {
    fn from(json: Json) -> Cell {
        Cell(json)
    }
}

/// A cell from a `serde_json` value (`json!`), keys sorted as nbformat writes them.
impl From<serde_json::Value> for Cell {
    fn from(value: serde_json::Value) -> Cell {
        Cell(value.into())
    }
}

/// Seconds since midnight of an nbclient timestamp such as `2026-11-27T10:35:01.123456Z`.
fn time_of_day(stamp: &str) -> Option<f64> {
    let time = stamp.split('T').nth(1)?.trim_end_matches('Z');
    let time = time.split('+').next()?;
    let mut parts = time.split(':');
    let hours: f64 = parts.next()?.parse().ok()?;
    let minutes: f64 = parts.next()?.parse().ok()?;
    let seconds: f64 = parts.next()?.parse().ok()?;
    Some(hours * 3600.0 + minutes * 60.0 + seconds)
}

fn strip_ansi(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // Skip `ESC [ … letter`.
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A notebook: its cells, and the rest of the document in the file's order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Notebook {
    pub cells: Vec<Cell>,
    /// The document's keys other than `cells`, in order.
    rest: Vec<(String, Json)>,
    /// Where `cells` stands among the document's keys.
    cells_at: usize,
}

impl Notebook {
    /// A notebook from its JSON document; an error unless it is an object whose `cells` (when
    /// it has them) are a list.
    pub fn from_json(json: Json) -> Result<Notebook, String> {
        let Json::Object(entries) = json else {
            return Err("a notebook is a JSON object".into());
        };
        let mut notebook = Notebook::default();
        let mut found = false;
        for (key, value) in entries {
            if key == "cells" && !found {
                let Json::Array(cells) = value else {
                    return Err("the notebook's `cells` is not a list".into());
                };
                notebook.cells = cells.into_iter().map(Cell).collect();
                notebook.cells_at = notebook.rest.len();
                found = true;
            } else {
                notebook.rest.push((key, value));
            }
        }
        if !found {
            notebook.cells_at = notebook.rest.len();
        }
        Ok(notebook)
    }

    /// Parses a notebook's text.
    pub fn parse(text: &str) -> Result<Notebook, String> {
        Notebook::from_json(Json::parse(text)?)
    }

    /// Reads a notebook file.
    pub fn read(path: &Path) -> Result<Notebook, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("could not read {}: {e}", path.display()))?;
        Notebook::parse(&text).map_err(|e| format!("{} is not a notebook: {e}", path.display()))
    }

    /// The notebook as Jupyter writes it (one space of indent, characters unescaped, a final
    /// newline), every key where it was: the one writer of `.ipynb` files.
    pub fn to_text(&self) -> String {
        self.to_json().to_notebook_text()
    }

    /// The whole document as JSON.
    pub fn to_json(&self) -> Json {
        let mut entries = self.rest.clone();
        let cells = Json::Array(self.cells.iter().map(|c| c.0.clone()).collect());
        entries.insert(self.cells_at, ("cells".to_string(), cells));
        Json::Object(entries)
    }

    /// The same notebook with the keys of every object sorted, as Jupyter saves a notebook.
    pub fn sorted(&self) -> Notebook {
        Notebook::from_json(self.to_json().sorted()).expect("the same notebook")
    }

    /// The same document with other cells.
    pub fn with_cells(&self, cells: Vec<Cell>) -> Notebook {
        Notebook {
            cells,
            rest: self.rest.clone(),
            cells_at: self.cells_at,
        }
    }

    /// The value of one of the document's keys other than `cells` (null when absent).
    pub fn get(&self, key: &str) -> &Json {
        static NULL: Json = Json::Null;
        self.rest
            .iter()
            .find(|(k, _)| k == key)
            .map_or(&NULL, |(_, v)| v)
    }

    /// The notebook's metadata.
    pub fn metadata(&self) -> &Json {
        self.get("metadata")
    }

    /// The kernel the notebook names (`metadata.kernelspec.name`).
    pub fn kernel_name(&self) -> Option<&str> {
        self.metadata()["kernelspec"]["name"].as_str()
    }

    /// The notebook's code cells, in order.
    pub fn code_cells(&self) -> impl Iterator<Item = &Cell> {
        self.cells.iter().filter(|c| c.is_code())
    }
}

/// A notebook from a `serde_json` value (`json!`), keys sorted as nbformat writes them.
///
/// Panics unless the value is an object whose `cells` are a list: for tests.
impl From<serde_json::Value> for Notebook {
    fn from(value: serde_json::Value) -> Notebook {
        Notebook::from_json(value.into()).expect("a notebook is an object with a list of cells")
    }
}

impl<'de> Deserialize<'de> for Notebook {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Notebook, D::Error> {
        Notebook::from_json(Json::deserialize(deserializer)?).map_err(D::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_notebook_keeps_where_its_cells_stand() {
        let text = "{\n \"metadata\": {},\n \"cells\": [\n  {\n   \"source\": \"x\",\n   \
                    \"cell_type\": \"code\"\n  }\n ],\n \"nbformat\": 4\n}\n";
        let notebook = Notebook::parse(text).unwrap();
        assert_eq!(notebook.cells.len(), 1);
        assert!(notebook.cells[0].is_code());
        assert_eq!(notebook.to_text(), text);
        assert_eq!(notebook.get("nbformat").as_u64(), Some(4));
        assert!(Notebook::parse("[]").is_err());
        assert!(Notebook::parse("{\"cells\": 1}").is_err());
        assert_eq!(
            Notebook::parse("{}").unwrap().to_text(),
            "{\n \"cells\": []\n}\n"
        );
    }

    #[test]
    fn a_cell_answers_for_its_kind_tags_and_metadata() {
        let mut cell = Cell::from(json!({
            "cell_type": "code", "id": "a", "source": ["let x", " = 1;\n", "x"],
            "metadata": { "tags": ["solution"], "dlintro": { "expect": ["1"] } },
        }));
        assert_eq!(cell.kind(), Some(CellKind::Code));
        assert_eq!(
            (cell.id(), cell.source()),
            ("a", "let x = 1;\nx".to_string())
        );
        assert_eq!(cell.first_line(), "let x = 1;");
        assert_eq!(cell.tags(), ["solution"]);
        assert!(cell.is_solution() && !cell.is_instructor());
        assert_eq!(cell.expectations(), ["1"]);
        assert_eq!(cell.displays(), Vec::<String>::new());
        cell.set_slide_type("fragment");
        cell.set_expectations(&["2"]);
        assert_eq!(cell.slide_type(), Some("fragment"));
        assert_eq!(cell.expectations(), ["2"]);
        assert_eq!(Cell::markdown("b", "# T").kind(), Some(CellKind::Markdown));
        assert_eq!(
            Cell::from(json!({ "cell_type": "raw" })).kind(),
            Some(CellKind::Raw)
        );
        assert_eq!(Cell::from(json!({})).kind(), None);
    }

    #[test]
    fn cell_times_come_from_nbclient_timestamps() {
        let cell = Cell::from(json!({ "metadata": { "execution": {
            "iopub.execute_input": "2026-11-27T23:59:58.500000Z",
            "shell.execute_reply": "2026-11-28T00:00:01.000000Z",
        } } }));
        assert_eq!(cell.seconds(), Some(2.5));
        assert_eq!(cell.started_at(), Some("2026-11-27T23:59:58.500000Z"));
        assert_eq!(Cell::from(json!({ "metadata": {} })).seconds(), None);
    }
}
