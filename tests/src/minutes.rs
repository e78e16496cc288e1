//! How long each notebook takes: one source, the `part` entry in the metadata of the Markdown
//! cells where a notebook's parts start, in JupyterLab's property inspector:
//!
//! ```json
//! "metadata": { "dlintro": { "part": { "teaching": 5, "exercises": 10 } } }
//! "metadata": { "dlintro": { "part": { "teaching": 0, "exercises": 10, "optional": true } } }
//! "metadata": { "dlintro": { "part": { "teaching": 0, "exercises": 5, "optional": true, "lesson": true } } }
//! ```
//!
//! A part runs from its cell to the next part's cell; the cells before the first part (the
//! title, the first instructor note, the `:dep` and `use` cells) take no time of their own.
//! An optional part says so where the instructor sees it: the first heading of its cell (its
//! first line when it has no heading) has the word "optional", and no other heading has it. The agenda counts the core
//! parts and adds optional ones where a block of the day has room for them, the lesson's own
//! first: `"lesson": true` marks an optional part that asks one of the lesson's challenges
//! (README's table "The lesson's challenges, and where they are"); a core part is taught
//! anyway and carries no such mark.
//!
//! A **break point** is a Markdown cell tagged `break` whose text starts with
//! `**Break point.**`: a place inside a long notebook where the day can pause (a coffee break,
//! lunch, the end of a morning). It splits the notebook into [`segments`] that the agenda
//! places on their own.
//!
//! The title cell's `**Teaching:** N min · **Exercises:** M min` line (with
//! `· **Optional:** K min` when the notebook has optional parts) and the first instructor
//! note's `**Instructor note** · T min: N teaching, M exercises` say the same numbers;
//! [`check_minutes`] fails a notebook where they do not.

use crate::exercises::timing;
use crate::{Cell, Notebook};

/// The tag of a break point's cell.
pub const BREAK_TAG: &str = "break";
/// How a break point's text starts.
pub const BREAK_LABEL: &str = "**Break point.**";

/// One part of a notebook: a section, an exercise, or a few of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The index of the cell where it starts.
    pub cell: usize,
    /// That cell's id.
    pub id: String,
    /// The first heading of that cell (or its first line), without the `#`s.
    pub title: String,
    pub teaching: u32,
    pub exercises: u32,
    pub optional: bool,
    /// An optional part that asks one of the lesson's own challenges, which the agendas take
    /// before the other optional parts.
    pub lesson: bool,
}

impl Part {
    pub fn minutes(&self) -> u32 {
        self.teaching + self.exercises
    }
}

/// A stretch of a notebook between break points (the whole notebook when it has none).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Segment {
    pub parts: Vec<Part>,
}

impl Segment {
    /// (teaching, exercises) of the core parts.
    pub fn core(&self) -> (u32, u32) {
        let core = self.parts.iter().filter(|p| !p.optional);
        core.fold((0, 0), |(t, e), p| (t + p.teaching, e + p.exercises))
    }

    pub fn core_minutes(&self) -> u32 {
        let (t, e) = self.core();
        t + e
    }

    pub fn optional(&self) -> impl Iterator<Item = &Part> {
        self.parts.iter().filter(|p| p.optional)
    }
}

/// The minutes a notebook declares, added up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Minutes {
    pub teaching: u32,
    pub exercises: u32,
    pub optional: u32,
}

impl Minutes {
    pub fn core(&self) -> u32 {
        self.teaching + self.exercises
    }
}

/// The first heading of a cell (its first line when it has none), trimmed.
fn heading(cell: &Cell) -> String {
    let text = cell.source();
    let line = text.lines().find(|l| l.starts_with('#'));
    line.map(|l| l.trim().to_string())
        .unwrap_or_else(|| cell.first_line())
}

/// The part a cell starts, if it starts one.
fn part_of(index: usize, cell: &Cell) -> Result<Option<Part>, String> {
    let Some(entry) = cell.metadata().get("dlintro").and_then(|d| d.get("part")) else {
        return Ok(None);
    };
    let first = heading(cell);
    let number = |key: &str| -> Result<u32, String> {
        match entry.get(key) {
            None => Ok(0),
            Some(n) => n
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| format!("cell `{first}`: its part's {key:?} is not a number")),
        }
    };
    if !cell.is_markdown() {
        return Err(format!(
            "cell `{first}` starts a part but is not Markdown: parts start at a heading"
        ));
    }
    Ok(Some(Part {
        cell: index,
        id: cell.id().to_string(),
        title: first.trim_start_matches('#').trim().to_string(),
        teaching: number("teaching")?,
        exercises: number("exercises")?,
        optional: entry.get("optional").and_then(|o| o.as_bool()) == Some(true),
        lesson: entry.get("lesson").and_then(|o| o.as_bool()) == Some(true),
    }))
}

/// Whether a cell is a break point.
pub fn is_break(cell: &Cell) -> bool {
    cell.has_tag(BREAK_TAG)
}

/// The notebook's parts, in order, split into segments at its break points.
pub fn segments(notebook: &Notebook) -> Result<Vec<Segment>, String> {
    let mut segments = vec![Segment::default()];
    for (index, cell) in notebook.cells.iter().enumerate() {
        if is_break(cell) {
            segments.push(Segment::default());
        }
        if let Some(part) = part_of(index, cell)? {
            segments
                .last_mut()
                .expect("one segment at least")
                .parts
                .push(part);
        }
    }
    Ok(segments)
}

/// Every part of the notebook, in order.
pub fn parts(notebook: &Notebook) -> Result<Vec<Part>, String> {
    Ok(segments(notebook)?
        .into_iter()
        .flat_map(|s| s.parts)
        .collect())
}

/// The notebook's minutes, added up from its parts; `None` when it declares no part.
pub fn minutes(notebook: &Notebook) -> Option<Minutes> {
    let parts = parts(notebook).ok()?;
    if parts.is_empty() {
        return None;
    }
    let mut m = Minutes {
        teaching: 0,
        exercises: 0,
        optional: 0,
    };
    for p in &parts {
        if p.optional {
            m.optional += p.minutes();
        } else {
            m.teaching += p.teaching;
            m.exercises += p.exercises;
        }
    }
    Some(m)
}

/// The number at the start of `text`, and what follows it.
fn leading_number(text: &str) -> Option<(u32, &str)> {
    let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    Some((text[..digits].parse().ok()?, &text[digits..]))
}

/// The title line's optional minutes: the number after `**Optional:**`.
fn optional_in_title(line: &str) -> Option<u32> {
    let rest = &line[line.find("**Optional:**")? + "**Optional:**".len()..];
    leading_number(rest.trim_start()).map(|(n, _)| n)
}

/// (total, teaching, exercises) of the first instructor note's first line,
/// `**Instructor note** · 25 min: 10 teaching, 15 exercises…`.
fn note_minutes(line: &str) -> Option<(u32, u32, u32)> {
    let rest = line.strip_prefix("**Instructor note** · ")?;
    let (total, rest) = leading_number(rest)?;
    let (teaching, rest) = leading_number(rest.strip_prefix(" min: ")?)?;
    let (exercises, rest) = leading_number(rest.strip_prefix(" teaching, ")?)?;
    rest.starts_with(" exercises")
        .then_some((total, teaching, exercises))
}

/// What is wrong with a notebook's minutes: parts that cannot be read, an optional part
/// without its visible mark (or a mark without the part), a core part marked as the lesson's
/// challenge, a title line or a first instructor note that states other minutes than its
/// parts, a misplaced break point.
pub fn check_minutes(notebook: &Notebook) -> Vec<String> {
    let mut problems = Vec::new();
    let segments = match segments(notebook) {
        Ok(s) => s,
        Err(e) => return vec![e],
    };
    let parts: Vec<&Part> = segments.iter().flat_map(|s| &s.parts).collect();
    let Some(m) = minutes(notebook) else {
        return vec![
            "no cell starts a part (`dlintro.part` in its metadata): the agenda \
                     needs each notebook's minutes"
                .into(),
        ];
    };
    for (index, cell) in notebook.cells.iter().enumerate() {
        let first = heading(cell);
        let marked = first.to_lowercase().contains("optional");
        let part = parts.iter().find(|p| p.cell == index);
        let marked_heading = cell.is_markdown()
            && cell
                .source()
                .lines()
                .any(|l| l.starts_with('#') && l.to_lowercase().contains("optional"));
        match part {
            Some(p) if p.optional && !marked => problems.push(format!(
                "part `{first}` is optional, but its first line does not say \"optional\""
            )),
            Some(p) if !p.optional && marked => problems.push(format!(
                "part `{first}` says \"optional\" but its metadata does not \
                 (`\"optional\": true`)"
            )),
            None if marked_heading => problems.push(format!(
                "heading `{first}` says \"optional\" but starts no optional part"
            )),
            _ => {}
        }
        if part.is_some_and(|p| p.lesson && !p.optional) {
            problems.push(format!(
                "part `{first}` is core, and `\"lesson\": true` marks optional parts only: the \
                 agendas teach every core part anyway"
            ));
        }
        if is_break(cell) && !(cell.is_markdown() && cell.source().starts_with(BREAK_LABEL)) {
            problems.push(format!(
                "break point `{first}` should be Markdown starting with {BREAK_LABEL:?}"
            ));
        }
    }
    if segments.iter().any(|s| s.core_minutes() == 0) {
        problems
            .push("a break point has no core part before or after it: it splits nothing".into());
    }
    match timing(notebook) {
        Some(t) if (t.teaching, t.exercises) == (m.teaching, m.exercises) => {}
        Some(t) => problems.push(format!(
            "the title cell says {} teaching and {} exercise minutes, its parts add up to \
             {} and {}",
            t.teaching, t.exercises, m.teaching, m.exercises
        )),
        None => problems.push("the title cell has no `**Teaching:** … min` line".into()),
    }
    let title = notebook.cells.iter().find(|c| c.is_markdown());
    let line = title.and_then(|c| {
        let text = c.source();
        text.lines()
            .find(|l| l.contains("**Teaching:**"))
            .map(str::to_string)
    });
    let stated = line.as_deref().and_then(optional_in_title);
    if stated != (m.optional > 0).then_some(m.optional) {
        problems.push(format!(
            "the title line should {}",
            if m.optional > 0 {
                format!("end with `· **Optional:** {} min`", m.optional)
            } else {
                "not mention optional minutes: no part is optional".into()
            }
        ));
    }
    let note = notebook.cells.iter().find(|c| c.is_instructor());
    let note_line = note.map(|c| c.first_line()).unwrap_or_default();
    let want = (m.core(), m.teaching, m.exercises);
    if note_minutes(&note_line) != Some(want) {
        problems.push(format!(
            "the first instructor note should start `**Instructor note** · {} min: {} \
             teaching, {} exercises`, it starts `{note_line}`",
            want.0, want.1, want.2
        ));
    } else if m.optional > 0 && !note_line.contains(&format!("{} min optional", m.optional)) {
        problems.push(format!(
            "the first instructor note's first line should say `{} min optional`",
            m.optional
        ));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repo_root;
    use serde_json::{json, Value};

    fn md(source: &str, metadata: Value) -> Value {
        json!({ "cell_type": "markdown", "source": source, "metadata": metadata })
    }

    fn part(teaching: u32, exercises: u32, optional: bool) -> Value {
        json!({ "dlintro": { "part": {
            "teaching": teaching, "exercises": exercises, "optional": optional } } })
    }

    fn notebook(title: &str, note: &str) -> Notebook {
        json!({ "cells": [
            md(title, json!({})),
            md(note, json!({ "tags": ["instructor"] })),
            md("## One", part(5, 0, false)),
            md("## Exercise: two", part(0, 10, false)),
            md("**Break point.** Coffee.", json!({ "tags": ["break"] })),
            md("## Three", part(3, 2, false)),
            md("## Optional exercise: four", part(0, 10, true)),
        ]})
        .into()
    }

    const NOTE: &str = "**Instructor note** · 20 min: 8 teaching, 12 exercises; 10 min optional.";
    const TITLE: &str = "# T\n\n**Teaching:** 8 min · **Exercises:** 12 min · **Optional:** 10 min";

    #[test]
    fn minutes_add_up_from_the_parts_and_break_points_split_them() {
        let nb = notebook(TITLE, NOTE);
        assert_eq!(check_minutes(&nb), Vec::<String>::new());
        assert_eq!(
            minutes(&nb),
            Some(Minutes {
                teaching: 8,
                exercises: 12,
                optional: 10
            })
        );
        let segments = segments(&nb).unwrap();
        assert_eq!(segments.len(), 2);
        assert_eq!(segments[0].core(), (5, 10));
        assert_eq!(segments[1].core(), (3, 2));
        let optional: Vec<&str> = segments[1].optional().map(|p| p.title.as_str()).collect();
        assert_eq!(optional, ["Optional exercise: four"]);
    }

    #[test]
    fn a_title_or_note_that_disagrees_with_the_parts_fails() {
        let title = TITLE.replace("**Teaching:** 8", "**Teaching:** 10");
        let problems = check_minutes(&notebook(&title, NOTE));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("the title cell says 10 teaching and 12 exercise"));
        let note = NOTE.replace("20 min: 8", "45 min: 8");
        let problems = check_minutes(&notebook(TITLE, &note));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("should start `**Instructor note** · 20 min: 8 teaching"));
        let problems = check_minutes(&notebook(TITLE, &NOTE.replace("10 min optional", "")));
        assert_eq!(
            problems,
            ["the first instructor note's first line should say `10 min \
                              optional`"]
        );
        let title = TITLE.replace(" · **Optional:** 10 min", "");
        let problems = check_minutes(&notebook(&title, NOTE));
        assert_eq!(
            problems,
            ["the title line should end with `· **Optional:** 10 min`"]
        );
    }

    #[test]
    fn an_optional_part_is_marked_where_the_instructor_sees_it() {
        let mut nb = notebook(TITLE, NOTE);
        nb.cells[6].set("source", "## Exercise: four");
        nb.cells[2].set("source", "## One (optional)");
        let problems = check_minutes(&nb);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("part `## One (optional)` says \"optional\" but"));
        assert!(problems[1].starts_with("part `## Exercise: four` is optional, but"));
    }

    #[test]
    fn the_lessons_challenge_marks_an_optional_part_only() {
        let lesson = |optional: bool| {
            json!({ "dlintro": { "part": {
                "teaching": 0, "exercises": 10, "optional": optional, "lesson": true } } })
        };
        let mut nb = notebook(TITLE, NOTE);
        nb.cells[6] = md("## Optional exercise: four", lesson(true)).into();
        assert_eq!(check_minutes(&nb), Vec::<String>::new());
        let flags: Vec<(bool, bool)> = parts(&nb)
            .unwrap()
            .iter()
            .map(|p| (p.optional, p.lesson))
            .collect();
        assert_eq!(
            flags,
            [(false, false), (false, false), (false, false), (true, true)]
        );
        nb.cells[3] = md("## Exercise: two", lesson(false)).into();
        assert_eq!(
            check_minutes(&nb),
            [
                "part `## Exercise: two` is core, and `\"lesson\": true` marks optional parts \
              only: the agendas teach every core part anyway"
            ]
        );
    }

    #[test]
    fn every_notebook_states_the_minutes_of_its_parts() {
        let mut wrong = Vec::new();
        let mut checked = 0;
        for entry in std::fs::read_dir(repo_root().join("notebooks")).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "ipynb") {
                let nb = Notebook::read(&path).unwrap();
                for problem in check_minutes(&nb) {
                    wrong.push(format!("{}: {problem}", path.display()));
                }
                checked += 1;
            }
        }
        assert!(checked >= 11, "only {checked} notebooks");
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }
}
