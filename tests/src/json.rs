//! JSON that keeps its keys in the order of the file, written the way Jupyter writes a
//! notebook (one space of indent per level, `": "` between key and value, non-ASCII as is), so
//! that a tool which changes one cell's metadata changes only those lines of the file.
//!
//! `serde_json::Value` sorts the keys of an object (its `preserve_order` feature would change
//! that for every package of the workspace build); rewriting a notebook with it would move
//! every line of a file whose keys are not sorted. [`Json::to_notebook_text`] is the one
//! writer of notebooks: [`crate::Notebook::to_text`] calls it.

use std::fmt;
use std::ops::Index;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// A JSON value whose objects keep their keys in order.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Json {
    #[default]
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

/// What indexing a value that lacks the key or the position gives, as with `serde_json`.
static NULL: Json = Json::Null;

impl Json {
    /// Parses a JSON document.
    pub fn parse(text: &str) -> Result<Json, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    /// An object with these entries, in this order.
    pub fn object<K: Into<String>>(entries: impl IntoIterator<Item = (K, Json)>) -> Json {
        Json::Object(entries.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// The value of `key` in an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        self.as_object()?
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// The value of `key` in an object.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Json> {
        match self {
            Json::Object(entries) => entries.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Sets `key` of an object to `value`: in its place when it exists, else at the end.
    /// Does nothing to a value that is not an object.
    pub fn set(&mut self, key: &str, value: impl Into<Json>) {
        if let Json::Object(entries) = self {
            let value = value.into();
            match entries.iter_mut().find(|(k, _)| k == key) {
                Some((_, old)) => *old = value,
                None => entries.push((key.to_string(), value)),
            }
        }
    }

    /// The value of `key` of an object, made an empty object first unless it is one (set at
    /// the end when the key is new).
    pub fn object_mut(&mut self, key: &str) -> Option<&mut Json> {
        if !self.as_object().is_some_and(|_| self[key].is_object()) {
            self.set(key, Json::Object(Vec::new()));
        }
        self.get_mut(key)
    }

    /// Takes `key` out of an object.
    pub fn remove(&mut self, key: &str) -> Option<Json> {
        match self {
            Json::Object(entries) => {
                let at = entries.iter().position(|(k, _)| k == key)?;
                Some(entries.remove(at).1)
            }
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }

    pub fn is_number(&self) -> bool {
        matches!(self, Json::Number(_))
    }

    pub fn is_object(&self) -> bool {
        matches!(self, Json::Object(_))
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Json::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Json::Number(n) => n.as_f64(),
            _ => None,
        }
    }

    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Json::Number(n) => n.as_u64(),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&Vec<Json>> {
        match self {
            Json::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_array_mut(&mut self) -> Option<&mut Vec<Json>> {
        match self {
            Json::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The entries of an object, in order.
    pub fn as_object(&self) -> Option<&[(String, Json)]> {
        match self {
            Json::Object(entries) => Some(entries),
            _ => None,
        }
    }

    /// The items of an array (none for anything else), to iterate over.
    pub fn items(&self) -> &[Json] {
        self.as_array().map_or(&[], Vec::as_slice)
    }

    /// A string field of nbformat, which is either a string or a list of strings.
    pub fn text(&self) -> String {
        match self {
            Json::String(s) => s.clone(),
            Json::Array(parts) => parts.iter().filter_map(Json::as_str).collect(),
            _ => String::new(),
        }
    }

    /// The strings of an array (its other items left out).
    pub fn strings(&self) -> Vec<String> {
        self.items()
            .iter()
            .filter_map(Json::as_str)
            .map(str::to_string)
            .collect()
    }

    /// The same value with the keys of every object sorted, as nbformat saves a notebook
    /// (`json.dumps(sort_keys=True)`).
    pub fn sorted(&self) -> Json {
        match self {
            Json::Array(items) => Json::Array(items.iter().map(Json::sorted).collect()),
            Json::Object(entries) => {
                let mut entries: Vec<(String, Json)> = entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.sorted()))
                    .collect();
                entries.sort_by(|a, b| a.0.cmp(&b.0));
                Json::Object(entries)
            }
            other => other.clone(),
        }
    }

    /// The document as Jupyter writes it, with a final newline.
    pub fn to_notebook_text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, 0);
        out.push('\n');
        out
    }

    fn write(&self, out: &mut String, level: usize) {
        let indent = |out: &mut String, level: usize| out.extend(std::iter::repeat_n(' ', level));
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Number(n) => out.push_str(&n.to_string()),
            Json::String(s) => out.push_str(&quoted(s)),
            Json::Array(items) if items.is_empty() => out.push_str("[]"),
            Json::Object(entries) if entries.is_empty() => out.push_str("{}"),
            Json::Array(items) => {
                out.push_str("[\n");
                for (i, item) in items.iter().enumerate() {
                    indent(out, level + 1);
                    item.write(out, level + 1);
                    out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
                }
                indent(out, level);
                out.push(']');
            }
            Json::Object(entries) => {
                out.push_str("{\n");
                for (i, (key, value)) in entries.iter().enumerate() {
                    indent(out, level + 1);
                    out.push_str(&quoted(key));
                    out.push_str(": ");
                    value.write(out, level + 1);
                    out.push_str(if i + 1 < entries.len() { ",\n" } else { "\n" });
                }
                indent(out, level);
                out.push('}');
            }
        }
    }
}

/// A JSON string literal: the same escapes as Python's `json.dumps(ensure_ascii=False)`.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).expect("a string always serialises")
}

impl Index<&str> for Json {
    type Output = Json;

    /// The value of `key`, or null when this is not an object or lacks the key.
    fn index(&self, key: &str) -> &Json {
        self.get(key).unwrap_or(&NULL)
    }
}

impl Index<usize> for Json {
    type Output = Json;

    /// The item at `index`, or null when this is not an array or is shorter.
    fn index(&self, index: usize) -> &Json {
        self.items().get(index).unwrap_or(&NULL)
    }
}

impl PartialEq<str> for Json {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == Some(other)
    }
}

impl PartialEq<&str> for Json {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == Some(*other)
    }
}

impl From<&str> for Json {
    fn from(text: &str) -> Json {
        Json::String(text.to_string())
    }
}

impl From<String> for Json {
    fn from(text: String) -> Json {
        Json::String(text)
    }
}

impl From<u64> for Json {
    fn from(n: u64) -> Json {
        Json::Number(n.into())
    }
}

impl From<Option<u64>> for Json {
    fn from(n: Option<u64>) -> Json {
        n.map_or(Json::Null, Json::from)
    }
}

impl From<Vec<Json>> for Json {
    fn from(items: Vec<Json>) -> Json {
        Json::Array(items)
    }
}

/// A `serde_json` value (from `json!`, say) with its keys in `serde_json`'s order: sorted, as
/// nbformat writes them.
impl From<serde_json::Value> for Json {
    fn from(value: serde_json::Value) -> Json {
        use serde_json::Value;
        match value {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(b),
            Value::Number(n) => Json::Number(n),
            Value::String(s) => Json::String(s),
            Value::Array(items) => Json::Array(items.into_iter().map(Json::from).collect()),
            Value::Object(map) => {
                Json::Object(map.into_iter().map(|(k, v)| (k, Json::from(v))).collect())
            }
        }
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Json, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
        Ok(Json::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
        Ok(Json::Number(v.into()))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Json, E> {
        serde_json::Number::from_f64(v)
            .map(Json::Number)
            .ok_or_else(|| E::custom("a number that is not finite"))
    }
    fn visit_str<E>(self, v: &str) -> Result<Json, E> {
        Ok(Json::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Json, E> {
        Ok(Json::String(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut entries = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, Json>()? {
            entries.push((key, value));
        }
        Ok(Json::Object(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every committed notebook, instructor and learner edition, read and written again
    /// through the one writer, is the same file byte for byte.
    #[test]
    fn a_notebook_is_written_back_byte_for_byte() {
        let root = crate::repo_root();
        let mut seen = 0;
        for dir in ["notebooks", "learner"] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap().flatten() {
                let path = entry.path();
                if path.extension().is_some_and(|e| e == "ipynb") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    let notebook = crate::Notebook::parse(&text).unwrap();
                    assert!(notebook.to_text() == text, "{} changed", path.display());
                    seen += 1;
                }
            }
        }
        assert!(seen > 0);
    }

    #[test]
    fn keys_keep_their_order_and_escapes_match_python() {
        // Python: json.dumps({"b": [1, 2.5, None], "a": {}, "é": "q\"\n\t\u0001"},
        //                    indent=1, ensure_ascii=False)
        let text = "{\n \"b\": [\n  1,\n  2.5,\n  null\n ],\n \"a\": {},\n \"é\": \
                    \"q\\\"\\n\\t\\u0001\"\n}\n";
        let mut json = Json::parse(text).unwrap();
        assert_eq!(json.to_notebook_text(), text);
        json.set("a", Json::Bool(true));
        json.set("z", Json::Array(vec![]));
        assert_eq!(
            json.to_notebook_text(),
            text.replace("{},", "true,")
                .replace("\"\n}", "\",\n \"z\": []\n}")
        );
        // Sorted as nbformat saves a notebook: every object, at every level.
        let sorted = Json::parse(r#"{"b": [{"d": 1, "c": 2}], "a": null}"#)
            .unwrap()
            .sorted();
        assert_eq!(
            sorted.to_notebook_text(),
            "{\n \"a\": null,\n \"b\": [\n  {\n   \"c\": 2,\n   \"d\": 1\n  }\n ]\n}\n"
        );
    }
}
