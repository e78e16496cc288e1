//! `cargo xtask collab-doc`: the day's collaborative document, one Markdown file to paste
//! into HackMD (or any Markdown pad).
//!
//! Title, the workshop's code of conduct, help, people and links ([`workshop`]), an agenda
//! with clock times computed from each notebook's parts (`dlintro_notebooks::minutes`), for
//! the full day, the morning ([`day`]) or a day of one's own (start time and breaks as
//! options, [`agenda`]), sign-in, and
//! every exercise in slide order: its question, the data it needs, the learner's "your turn"
//! cell and room for answers. `--solutions` adds each exercise's solution, to paste into the
//! pad after the exercise. After the exercises come shared notes, resources, the post-workshop
//! survey and feedback. Exercises are found as the learner edition finds them
//! (`dlintro_notebooks::exercises`).
//!
//! When the notebook tests have left executed copies in `target/notebooks/`, a data cell
//! shows what it printed there (notebook 06's task list, say), and a solution its ✓ lines;
//! without them, the code and the ✓ lines the notebook declares.

pub mod agenda;
pub mod day;
pub mod workshop;

use std::path::Path;

use dlintro_notebooks::exercises::{exercises, title, Exercise};
use dlintro_notebooks::learner::{day_notebooks, stub_kind, DayNotebook, Stub};
use dlintro_notebooks::minutes::{self, Minutes, Segment};
use dlintro_notebooks::{Cell, Notebook};

use self::agenda::{agenda, parse_args, Break, Options};
use self::day::{plan, span, Item, Optional, Plan, Row, What};
use crate::base::clock::show_clock;
use crate::base::failure::Failure;
use crate::base::repo::repo_root;

/// A code or Markdown cell shown in the document, with what it printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub code: bool,
    pub text: String,
    pub printed: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExerciseText {
    pub title: String,
    pub question: String,
    pub data: Vec<Block>,
    pub your_turn: Option<String>,
    /// Whether learners write code of their own (the learner edition's code stub), rather than
    /// fill in the "your turn" cell.
    pub writes_code: bool,
    pub solution: Vec<Block>,
}

/// One notebook of the day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub file: String,
    pub title: String,
    pub minutes: Minutes,
    /// The notebook's parts, cut at its break points.
    pub segments: Vec<Segment>,
    pub exercises: Vec<ExerciseText>,
}

/// At most this many lines of a data cell's output go into the document.
const MAX_PRINTED_LINES: usize = 30;

/// What a cell printed as text in the executed copy (stdout and plain-text results, not
/// figures), when the executed copy has the same cell with the same source.
fn printed(cell: &Cell, executed: Option<&Notebook>) -> Option<String> {
    let twin = executed?
        .cells
        .iter()
        .find(|c| c.id() == cell.id() && c.source() == cell.source())?;
    let mut out = String::new();
    for output in twin.outputs() {
        match output["output_type"].as_str() {
            Some("stream") if output["name"] == "stdout" => out.push_str(&output["text"].text()),
            Some("execute_result" | "display_data") => {
                let data = output["data"].as_object();
                let figure = data.is_some_and(|d| {
                    d.iter()
                        .any(|(k, _)| k.starts_with("image/") || k == "text/html")
                });
                if !figure {
                    out.push_str(&output["data"]["text/plain"].text());
                    out.push('\n');
                }
            }
            _ => {}
        }
    }
    let lines: Vec<&str> = out.lines().collect();
    if lines.iter().all(|l| l.trim().is_empty()) {
        return None;
    }
    let mut shown = lines[..lines.len().min(MAX_PRINTED_LINES)].join("\n");
    if lines.len() > MAX_PRINTED_LINES {
        shown.push_str(&format!(
            "\n… ({} more lines)",
            lines.len() - MAX_PRINTED_LINES
        ));
    }
    Some(shown)
}

fn exercise_text(
    notebook: &Notebook,
    exercise: &Exercise,
    executed: Option<&Notebook>,
) -> ExerciseText {
    let all = &notebook.cells;
    let block = |i: usize, solution: bool| {
        let cell = &all[i];
        let printed = printed(cell, executed).or_else(|| {
            let expected = cell.expectations();
            (solution && !expected.is_empty()).then(|| expected.join("\n"))
        });
        Block {
            code: cell.is_code(),
            text: cell.source().trim().to_string(),
            printed: if cell.is_code() { printed } else { None },
        }
    };
    ExerciseText {
        title: exercise.title.clone(),
        question: exercise.question.clone(),
        data: exercise.data.iter().map(|&i| block(i, false)).collect(),
        your_turn: exercise
            .your_turn
            .map(|i| all[i].source().trim().to_string()),
        writes_code: stub_kind(notebook, exercise) == Stub::Code,
        solution: exercise.solutions.iter().map(|&i| block(i, true)).collect(),
    }
}

/// One notebook, with the executed copy's outputs when there is one.
pub fn part(file: &str, notebook: &Notebook, executed: Option<&Notebook>) -> Result<Part, String> {
    let minutes = minutes::minutes(notebook).ok_or_else(|| {
        format!(
            "{file}: no cell starts a part (`dlintro.part` in its metadata), and the agenda \
             needs the notebook's minutes"
        )
    })?;
    let segments = minutes::segments(notebook).map_err(|e| format!("{file}: {e}"))?;
    Ok(Part {
        file: file.to_string(),
        title: title(notebook).unwrap_or_else(|| file.to_string()),
        minutes,
        segments,
        exercises: exercises(notebook)
            .iter()
            .map(|e| exercise_text(notebook, e, executed))
            .collect(),
    })
}

/// A fenced block whose fence is longer than any run of backticks in the text.
fn fence(language: &str, body: &str) -> String {
    let longest = body.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let ticks = "`".repeat(longest.max(2) + 1);
    format!("{ticks}{language}\n{body}\n{ticks}\n")
}

/// The notebook's number, from its file name: "01" of "01-neuron.ipynb".
fn number(file: &str) -> &str {
    file.split('-').next().unwrap_or(file)
}

fn render_block(out: &mut String, block: &Block) {
    if block.code {
        out.push_str(&fence("rust", &block.text));
        if let Some(printed) = &block.printed {
            out.push_str("\nIt prints:\n\n");
            out.push_str(&fence("text", printed));
        }
    } else {
        out.push_str(&block.text);
        out.push('\n');
    }
}

/// Every segment of every notebook, in order.
pub fn items(parts: &[Part]) -> Vec<Item> {
    let mut items = Vec::new();
    for (notebook, part) in parts.iter().enumerate() {
        for (segment, s) in part.segments.iter().enumerate() {
            let (teaching, exercises) = s.core();
            items.push(Item {
                notebook,
                segment,
                of: part.segments.len(),
                teaching,
                exercises,
                optional: s
                    .optional()
                    .map(|p| Optional {
                        title: p.title.clone(),
                        minutes: p.minutes(),
                        lesson: p.lesson,
                    })
                    .collect(),
            });
        }
    }
    items
}

/// An optional part's title without its "optional" mark, which the agenda says already:
/// "Exercise: a small network" of "Optional exercise: a small network".
fn plain(title: &str) -> String {
    let t = title
        .replace(" (optional)", "")
        .replace("(Optional) ", "")
        .replace("(optional) ", "");
    match t.strip_prefix("Optional ") {
        Some(rest) => {
            let mut chars = rest.chars();
            chars
                .next()
                .map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
        }
        None => t,
    }
}

/// A segment's name in the agenda: `09 The penguins, first half (`09-penguins.ipynb`)`.
fn item_name(parts: &[Part], item: &Item) -> String {
    let part = &parts[item.notebook];
    let piece = match (item.of, item.segment) {
        (1, _) => String::new(),
        (2, 0) => ", first half".into(),
        (2, _) => ", second half".into(),
        (n, k) => format!(", part {} of {n}", k + 1),
    };
    format!(
        "{} {}{piece} (`{}`)",
        number(&part.file),
        part.title,
        part.file
    )
}

/// The agenda that `options` ask for: the format's plan, or a day of one's own that flows
/// from its start with its breaks (and then every optional part is left out). Also returns
/// the breaks a day of one's own ends before.
pub fn day_plan(parts: &[Part], options: &Options) -> Result<(Plan, Vec<Break>), String> {
    let items = items(parts);
    let files: Vec<String> = parts.iter().map(|p| p.file.clone()).collect();
    if let Some(format) = options.format {
        return Ok((plan(&items, &files, &format.day())?, Vec::new()));
    }
    let minutes: Vec<u32> = items.iter().map(Item::core).collect();
    let (slots, dropped_breaks) = agenda(&minutes, options.start, &options.breaks);
    let rows: Vec<Row> = slots
        .into_iter()
        .map(|slot| Row {
            start: slot.start,
            end: slot.end,
            what: match slot.what {
                Ok(item) => What::Segment {
                    item,
                    included: Vec::new(),
                },
                Err(name) => What::Fixed(name),
            },
        })
        .collect();
    let dropped = items
        .iter()
        .enumerate()
        .flat_map(|(i, item)| (0..item.optional.len()).map(move |k| (i, k)))
        .collect();
    let end = rows.last().map_or(options.start, |r| r.end);
    let plan = Plan {
        rows,
        dropped,
        covered: items.len(),
        end,
    };
    Ok((plan, dropped_breaks))
}

/// The agenda in Markdown: what the day is, its table, the optional parts it leaves out and
/// what it does not cover.
pub fn render_agenda(parts: &[Part], options: &Options) -> Result<String, String> {
    let items = items(parts);
    let (plan, _) = day_plan(parts, options)?;
    let mut out = String::new();
    if let Some(format) = options.format {
        out.push_str(format.description());
        out.push_str("\n\n");
    }
    out.push_str("| Time | | Minutes |\n|---|---|---|\n");
    for row in &plan.rows {
        let minutes = row.end - row.start;
        let line = match &row.what {
            What::Fixed(name) => format!("| {} | **{name}** | {minutes} |\n", span(row)),
            What::Block(name) => format!("| {} | *{name}* | {minutes} |\n", span(row)),
            What::Slack => format!(
                "| {} | Questions and catching up | {minutes} |\n",
                span(row)
            ),
            What::Segment { item, included } => {
                let it = &items[*item];
                let mut text = format!("{} + {}", it.teaching, it.exercises);
                if !included.is_empty() {
                    let m: u32 = included.iter().map(|&k| it.optional[k].minutes).sum();
                    let names: Vec<String> = included
                        .iter()
                        .map(|&k| plain(&it.optional[k].title))
                        .collect();
                    text.push_str(&format!(", and {m} optional: {}", names.join("; ")));
                }
                format!("| {} | {} | {text} |\n", span(row), item_name(parts, it))
            }
        };
        out.push_str(&line);
    }
    out.push_str(&format!("| {} | End | |\n", show_clock(plan.end)));
    out.push_str(if options.format.is_some() {
        "\nMinutes: teaching + exercises of each notebook's core parts (its title cell says \
         the same), and the optional parts that the block has room for, the lesson's own \
         challenges first.\n"
    } else {
        "\nMinutes: teaching + exercises of each notebook's core parts (its title cell says \
         the same); a day of your own leaves the optional parts out.\n"
    });
    let left_out: Vec<String> = plan
        .dropped
        .iter()
        .filter(|(i, _)| *i < plan.covered)
        .map(|&(i, k)| {
            let optional = &items[i].optional[k];
            format!(
                "{} {} ({} min)",
                number(&parts[items[i].notebook].file),
                plain(&optional.title),
                optional.minutes
            )
        })
        .collect();
    if !left_out.is_empty() {
        out.push_str(&format!(
            "\nOptional parts left out, for a longer day or after the workshop: {}.\n",
            left_out.join("; ")
        ));
    }
    // A notebook the day does not reach at all is named once, as a whole.
    let not_covered: Vec<String> = items[plan.covered..]
        .iter()
        .filter(|i| {
            i.segment == 0 || plan.covered > 0 && i.notebook == items[plan.covered - 1].notebook
        })
        .map(|i| {
            if i.segment == 0 {
                let p = &parts[i.notebook];
                format!("{} {} (`{}`)", number(&p.file), p.title, p.file)
            } else {
                item_name(parts, i)
            }
        })
        .collect();
    if !not_covered.is_empty() {
        out.push_str(&format!(
            "\nNot in this day (the full day covers them): {}.\n",
            not_covered.join("; ")
        ));
    }
    Ok(out)
}

/// The whole document.
pub fn render(parts: &[Part], options: &Options) -> Result<String, String> {
    let mut out = format!("# {}\n\n", options.title);
    out.push_str(
        "Welcome! This is our shared document for the day: the agenda, every exercise, and \
         room for your answers. Write in it freely; add your answers under each exercise, one \
         line each. The instructor adds a solution after each exercise.\n\n",
    );
    out.push_str(&workshop::render_top(&options.workshop));
    out.push_str("## Agenda\n\n");
    out.push_str(&render_agenda(parts, options)?);
    out.push_str(
        "\n## Sign-in\n\nName, pronouns, where you work (one line each):\n\n- \n- \n- \n\n\
         ## Setup problems\n\nIf a line of the checklist in `00-setup-testing.ipynb` shows ✗, \
         paste the whole checklist here, with your operating system:\n\n- \n\n## Exercises\n",
    );
    for part in parts.iter().filter(|p| !p.exercises.is_empty()) {
        out.push_str(&format!(
            "\n### {} {} (`{}`)\n",
            number(&part.file),
            part.title,
            part.file
        ));
        let n = number(&part.file).trim_start_matches('0');
        let n = if n.is_empty() { "0" } else { n };
        for (k, exercise) in part.exercises.iter().enumerate() {
            out.push_str(&format!("\n#### {n}.{} {}\n\n", k + 1, exercise.title));
            out.push_str(&exercise.question);
            out.push_str("\n\n");
            for block in &exercise.data {
                out.push_str("**Data** (a cell of the notebook):\n\n");
                render_block(&mut out, block);
                out.push('\n');
            }
            if let Some(code) = &exercise.your_turn {
                out.push_str(if exercise.writes_code {
                    "**Start from** this cell of the notebook, and write your own below it:\n\n"
                } else {
                    "**Your turn** (the cell to fill in):\n\n"
                });
                out.push_str(&fence("rust", code));
                out.push('\n');
            }
            out.push_str("**Answers** (one line each: your name, your answer):\n\n- \n- \n- \n\n");
            if options.solutions {
                out.push_str("**Solution**\n\n");
                for block in &exercise.solution {
                    render_block(&mut out, block);
                    out.push('\n');
                }
            }
        }
    }
    out.push_str(&workshop::render_end(&options.workshop));
    out.push_str(
        "\n## Feedback\n\nOne thing that went well today, and one to improve (one line each):\n\n\
         - \n- \n",
    );
    Ok(out)
}

/// Every notebook of the day, with the executed copies in `executed_dir` when there are.
pub fn parts(
    root: &Path,
    executed_dir: Option<&Path>,
) -> Result<(Vec<Part>, Vec<String>), Failure> {
    let mut parts = Vec::new();
    let mut notes = Vec::new();
    for day in day_notebooks(root, executed_dir).map_err(Failure::new)? {
        let DayNotebook {
            file,
            notebook,
            executed,
        } = day;
        let part = part(&file, &notebook, executed.as_ref()).map_err(Failure::new)?;
        let needs_output = part.exercises.iter().any(|e| !e.data.is_empty());
        if executed_dir.is_some() && executed.is_none() && needs_output {
            notes.push(format!(
                "{file}: no executed copy in target/notebooks/, so its exercises' data cells \
                 show their code but not what they print (run the notebook tests first)"
            ));
        }
        parts.push(part);
    }
    Ok((parts, notes))
}

pub fn run(args: &[String]) -> Result<(), Failure> {
    let options = parse_args(args)?;
    let root = repo_root();
    let executed_dir = root.join("target").join("notebooks");
    let (parts, notes) = parts(&root, Some(&executed_dir))?;
    let document = render(&parts, &options).map_err(Failure::new)?;
    let out = options.out.clone().unwrap_or_else(|| {
        let name = if options.solutions {
            "collab-doc-solutions.md"
        } else {
            "collab-doc.md"
        };
        root.join("target").join(name)
    });
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| Failure::new(format!("could not create {}: {e}", dir.display())))?;
    }
    std::fs::write(&out, &document)
        .map_err(|e| Failure::new(format!("could not write {}: {e}", out.display())))?;
    let (_, dropped_breaks) = day_plan(&parts, &options).map_err(Failure::new)?;
    println!(
        "agenda ({}):\n{}",
        options.format.map_or("a day of your own", |f| f.name()),
        render_agenda(&parts, &options).map_err(Failure::new)?
    );
    for b in dropped_breaks {
        println!(
            "  (the {} at {} is left out: the day ends before it)",
            b.name.to_lowercase(),
            show_clock(b.at)
        );
    }
    for note in notes {
        println!("note: {note}");
    }
    let missing = workshop::missing(&options.workshop);
    if !missing.is_empty() {
        println!(
            "note: without {}, the document keeps a place to fill in, in the pad",
            missing.join(", ")
        );
    }
    let count: usize = parts.iter().map(|p| p.exercises.len()).sum();
    println!(
        "{count} exercises{}; written to {}",
        if options.solutions {
            " with solutions"
        } else {
            ""
        },
        out.display()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publish::collab::day::Format;

    #[test]
    fn fences_are_longer_than_the_backticks_inside() {
        assert_eq!(fence("rust", "let x = 1;"), "```rust\nlet x = 1;\n```\n");
        assert_eq!(fence("", "a ```b``` c"), "````\na ```b``` c\n````\n");
    }

    /// Lines of the solution cells that the question, the data and the "your turn" cell do not
    /// also contain: the text a document without solutions must not give away.
    fn solution_only_lines(notebook: &Notebook, exercise: &Exercise) -> Vec<String> {
        let all = &notebook.cells;
        let mut shown: Vec<String> = exercise
            .data
            .iter()
            .chain(exercise.your_turn.iter())
            .map(|&i| all[i].source())
            .collect();
        shown.push(exercise.question.clone());
        let shown = shown.join("\n");
        let mut lines = Vec::new();
        for &i in &exercise.solutions {
            let text = all[i].source();
            for line in text
                .lines()
                .chain(all[i].expectations().iter().map(String::as_str))
            {
                let line = line.trim();
                if line.len() > 3 && !shown.contains(line) {
                    lines.push(line.to_string());
                }
            }
        }
        lines
    }

    #[test]
    fn the_days_document_has_every_question_and_no_solution() {
        let root = repo_root();
        let (parts, _) = parts(&root, None).unwrap();
        let options = Options::default();
        let document = render(&parts, &options).unwrap();
        let with_solutions = render(
            &parts,
            &Options {
                solutions: true,
                ..Options::default()
            },
        )
        .unwrap();
        let mut checked = 0;
        for DayNotebook { file, notebook, .. } in day_notebooks(&root, None).unwrap() {
            assert!(
                document.contains(&format!("(`{file}`) |")),
                "{file} is not in the agenda"
            );
            for exercise in exercises(&notebook) {
                assert!(
                    document.contains(&exercise.question),
                    "{file}: the question of {:?} is missing",
                    exercise.title
                );
                let secret = solution_only_lines(&notebook, &exercise);
                assert!(
                    !secret.is_empty(),
                    "{file}: {:?} has no solution text",
                    exercise.title
                );
                for line in &secret {
                    assert!(
                        !document.contains(line.as_str()),
                        "{file}: the document without solutions gives away {line:?}"
                    );
                    assert!(
                        with_solutions.contains(line.as_str()),
                        "{file}: the document with solutions lacks {line:?}"
                    );
                }
                checked += 1;
            }
        }
        assert!(checked >= 8, "only {checked} exercises");
        assert!(document.contains("| 09:00–"));
        assert!(document.contains("| **Lunch** | 60 |"));
    }

    #[test]
    fn the_document_has_the_workshops_sections_in_order() {
        let root = repo_root();
        let (parts, _) = parts(&root, None).unwrap();
        let document = render(&parts, &Options::default()).unwrap();
        let headings = [
            "## Code of conduct",
            "## Getting help",
            "## Instructors",
            "## Helpers",
            "## Links",
            "## Agenda",
            "## Sign-in",
            "## Setup problems",
            "## Exercises",
            "## Shared notes",
            "## Resources",
            "## Post-workshop survey",
            "## Feedback",
        ];
        let mut last = 0;
        for heading in headings {
            let at = document
                .find(&format!("\n{heading}\n"))
                .unwrap_or_else(|| panic!("the document has no {heading:?}"));
            assert!(at > last, "{heading:?} is out of order");
            last = at;
        }
        assert!(document.contains("_The instructors add their names here._"));
        let options = parse_args(
            &[
                "--instructors",
                "Ada Lovelace",
                "--survey",
                "https://example.org/s",
            ]
            .map(String::from),
        )
        .unwrap();
        let filled = render(&parts, &options).unwrap();
        assert!(filled.contains("## Instructors\n\nAda Lovelace\n"));
        assert!(filled.contains("<https://example.org/s>"));
        assert!(filled.contains("_The helpers add their names here._"));
    }

    /// (file, teaching, exercises, optional) of each row of the README's "Timings per
    /// notebook" table.
    fn readme_timings(readme: &str) -> Vec<[String; 4]> {
        let section = readme
            .split("### Timings per notebook")
            .nth(1)
            .expect("README.md has a section \"### Timings per notebook\"");
        section
            .lines()
            .skip_while(|l| !l.starts_with('|'))
            .take_while(|l| l.starts_with('|'))
            .filter(|l| l.starts_with("| `"))
            .map(|l| {
                let cells: Vec<&str> = l.split('|').map(str::trim).collect();
                let file = cells[1].trim_matches('`').to_string();
                [file, cells[2].into(), cells[3].into(), cells[4].into()]
            })
            .collect()
    }

    #[test]
    fn the_readme_timing_table_matches_the_notebooks() {
        let root = repo_root();
        let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
        let rows = readme_timings(&readme);
        let mut wrong = Vec::new();
        for DayNotebook { file, notebook, .. } in day_notebooks(&root, None).unwrap() {
            let m = minutes::minutes(&notebook).expect("the notebook's parts");
            let want = [
                file.clone(),
                m.teaching.to_string(),
                m.exercises.to_string(),
                m.optional.to_string(),
            ];
            match rows.iter().find(|r| r[0] == file) {
                Some(row) if *row == want => {}
                Some(_) => wrong.push(format!(
                    "its row for `{file}` should say {} teaching, {} exercise and {} optional \
                     minutes",
                    m.teaching, m.exercises, m.optional
                )),
                None => wrong.push(format!(
                    "it has no row for `{file}`; add `| `{file}` | {} | {} | {} | — | — |`",
                    m.teaching, m.exercises, m.optional
                )),
            }
        }
        for row in &rows {
            if !root.join("notebooks").join(&row[0]).exists() {
                wrong.push(format!("its row for `{}` names no notebook", row[0]));
            }
        }
        assert!(
            wrong.is_empty(),
            "README.md's \"Timings per notebook\" table disagrees with notebooks/:\n  {}",
            wrong.join("\n  ")
        );
    }

    fn format_options(format: Format) -> Options {
        Options {
            format: Some(format),
            ..Options::default()
        }
    }

    /// The rows of a plan as (times, what) strings, for messages.
    fn shown(plan: &Plan) -> String {
        let rows: Vec<String> = plan
            .rows
            .iter()
            .map(|r| format!("{} {:?}", span(r), r.what))
            .collect();
        rows.join("\n")
    }

    #[test]
    fn both_agendas_fit_their_window_with_welcome_breaks_and_wrap_up() {
        let root = repo_root();
        let (parts, _) = parts(&root, None).unwrap();
        let all = items(&parts);
        for (format, end, fixed) in [
            (
                Format::Morning,
                "13:00",
                &[
                    "Welcome and icebreaker",
                    "Coffee break",
                    "Coffee break",
                    "Wrap-up",
                ][..],
            ),
            (
                Format::FullDay,
                "17:00",
                &["Welcome", "Break", "Lunch", "Break", "Wrap-up"][..],
            ),
        ] {
            let (plan, _) = day_plan(&parts, &format_options(format))
                .unwrap_or_else(|e| panic!("the {} does not fit: {e}", format.name()));
            let rows = shown(&plan);
            assert_eq!(show_clock(plan.rows[0].start), "09:00", "{rows}");
            assert_eq!(show_clock(plan.end), end, "{rows}");
            let names: Vec<&str> = plan
                .rows
                .iter()
                .filter_map(|r| match &r.what {
                    What::Fixed(name) => Some(name.as_str()),
                    _ => None,
                })
                .collect();
            assert_eq!(names, fixed, "{rows}");
            assert!(matches!(&plan.rows[0].what, What::Fixed(n) if n.starts_with("Welcome")));
            // Rows follow each other without a gap or an overlap, from 09:00 to the end.
            let mut clock = plan.rows[0].start;
            for row in plan
                .rows
                .iter()
                .filter(|r| !matches!(r.what, What::Block(_)))
            {
                assert_eq!(row.start, clock, "{rows}");
                clock = row.end;
            }
            assert_eq!(clock, plan.end);
            // Every segment's row is its core minutes and the optional parts it includes, as
            // the notebooks' parts give them: the one source.
            let mut core = 0;
            for row in &plan.rows {
                if let What::Segment { item, included } = &row.what {
                    let it = &all[*item];
                    let part = &parts[it.notebook];
                    let segment = &part.segments[it.segment];
                    let optional: u32 = included.iter().map(|&k| it.optional[k].minutes).sum();
                    assert_eq!(row.end - row.start, segment.core_minutes() + optional);
                    core += segment.core_minutes();
                }
            }
            let covered: u32 = all[..plan.covered].iter().map(Item::core).sum();
            assert_eq!(core, covered, "{rows}");
            // Slack is what a block has left, never a block's worth.
            for row in &plan.rows {
                if row.what == What::Slack {
                    assert!(row.end - row.start < 10, "{rows}");
                }
            }
        }
    }

    #[test]
    fn the_full_day_covers_every_notebook_and_the_morning_ends_inside_the_penguins() {
        let root = repo_root();
        let (parts, _) = parts(&root, None).unwrap();
        let all = items(&parts);
        let (full, _) = day_plan(&parts, &format_options(Format::FullDay)).unwrap();
        assert_eq!(full.covered, all.len());
        let (morning, _) = day_plan(&parts, &format_options(Format::Morning)).unwrap();
        let last = &all[morning.covered - 1];
        assert!(parts[last.notebook].file.starts_with("09-"));
        assert_eq!((last.segment, last.of), (0, 2), "the penguins' first half");
        // The block called "Classification with Keras" holds the penguins and nothing else,
        // in both formats; notebooks 00 to 08 come before it.
        for plan in [&full, &morning] {
            let mut block = "";
            for row in &plan.rows {
                match &row.what {
                    What::Block(name) => block = name,
                    What::Fixed(_) => block = "",
                    What::Segment { item, .. } => {
                        let file = &parts[all[*item].notebook].file;
                        assert_eq!(block == day::KERAS, file.starts_with("09-"), "{file}");
                    }
                    What::Slack => {}
                }
            }
        }
        let agenda = render_agenda(&parts, &format_options(Format::Morning)).unwrap();
        assert!(
            agenda.contains("first half (`09-penguins.ipynb`)"),
            "{agenda}"
        );
        assert!(agenda.contains("Optional parts left out"), "{agenda}");
        assert!(agenda.contains("Not in this day"), "{agenda}");
    }

    /// (notebook file, title) of every optional part a plan includes.
    fn included(parts: &[Part], plan: &Plan) -> Vec<(String, String)> {
        let all = items(parts);
        let mut found = Vec::new();
        for row in &plan.rows {
            if let What::Segment { item, included } = &row.what {
                for &k in included {
                    let file = parts[all[*item].notebook].file.clone();
                    found.push((file, all[*item].optional[k].title.clone()));
                }
            }
        }
        found
    }

    #[test]
    fn the_full_day_teaches_every_challenge_of_the_lesson() {
        let root = repo_root();
        let (parts, _) = parts(&root, None).unwrap();
        let (full, _) = day_plan(&parts, &format_options(Format::FullDay)).unwrap();
        let found = included(&parts, &full);
        let has = |file: &str, title: &str| found.iter().any(|(f, t)| f == file && t == title);
        assert!(
            has("01-neuron.ipynb", "Optional exercise: a small network"),
            "{found:?}"
        );
        assert!(
            has(
                "04-loss-functions.ipynb",
                "Optional exercise: squared error or Huber?"
            ),
            "{found:?}"
        );
        let mut lesson = 0;
        for part in &parts {
            for p in part.segments.iter().flat_map(|s| &s.parts) {
                if p.lesson {
                    lesson += 1;
                    assert!(has(&part.file, &p.title), "{}: {}", part.file, p.title);
                }
            }
        }
        assert!(
            lesson >= 5,
            "only {lesson} parts are the lesson's challenges"
        );
        // The morning has room for the penguins' challenge, and takes it before The sexes.
        let (morning, _) = day_plan(&parts, &format_options(Format::Morning)).unwrap();
        let found = included(&parts, &morning);
        assert!(
            found.contains(&(
                "09-penguins.ipynb".into(),
                "(Optional) Keras' two APIs: Sequential and Functional".into()
            )),
            "{found:?}"
        );
    }

    #[test]
    fn the_agenda_moves_when_a_part_gets_longer() {
        let root = repo_root();
        let (mut parts, _) = parts(&root, None).unwrap();
        // In the full day 00 has 10 core minutes and its optional exercise's 3; 5 more core
        // minutes leave no room for the exercise in the first block.
        let before = render_agenda(&parts, &format_options(Format::FullDay)).unwrap();
        assert!(
            before.contains("| 09:15–09:28 | 00 Setup Testing"),
            "{before}"
        );
        parts[0].segments[0].parts[0].teaching += 5;
        let after = render_agenda(&parts, &format_options(Format::FullDay)).unwrap();
        assert!(
            after.contains("| 09:15–09:30 | 00 Setup Testing"),
            "{after}"
        );
        // A core that grows past its block's room is an error, not a late wrap-up.
        parts[0].segments[0].parts[0].teaching -= 5;
        parts[9].segments[0].parts[0].teaching += 30;
        let err = day_plan(&parts, &format_options(Format::Morning)).unwrap_err();
        assert!(
            err.starts_with("the day's blocks are full before 09-penguins.ipynb"),
            "{err}"
        );
    }

    #[test]
    fn every_cell_of_the_readme_challenge_table_exists() {
        let root = repo_root();
        let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
        let section = readme
            .split("### The lesson's challenges, and where they are")
            .nth(1)
            .expect("README.md has a section on the lesson's challenges");
        let rows: Vec<Vec<&str>> = section
            .lines()
            .skip_while(|l| !l.starts_with('|'))
            .take_while(|l| l.starts_with('|'))
            .map(|l| l.split('|').map(str::trim).collect::<Vec<_>>())
            .filter(|cells| cells[1].parse::<u32>().is_ok())
            .collect();
        assert!(rows.len() >= 20, "only {} challenges", rows.len());
        let mut wrong = Vec::new();
        // (file, cell of its part) of each row.
        let mut asked = Vec::new();
        for (n, cells) in rows.iter().enumerate() {
            assert_eq!(cells[1], (n + 1).to_string(), "rows are numbered in order");
            let file = cells[4].trim_matches('`');
            let Some((heading, id)) = cells[5].rsplit_once(" (`") else {
                wrong.push(format!(
                    "row {}: `{}` is not `heading (`id`)`",
                    n + 1,
                    cells[5]
                ));
                continue;
            };
            let id = id.trim_end_matches("`)");
            let Ok(notebook) = Notebook::read(&root.join("notebooks").join(file)) else {
                wrong.push(format!("row {}: no notebook {file}", n + 1));
                continue;
            };
            let Some(at) = notebook.cells.iter().position(|c| c.id() == id) else {
                wrong.push(format!("row {}: {file} has no cell `{id}`", n + 1));
                continue;
            };
            let source = notebook.cells[at].source();
            let has_heading = source
                .lines()
                .any(|l| l.starts_with('#') && l.trim_start_matches('#').trim() == heading);
            if !has_heading {
                wrong.push(format!(
                    "row {}: cell `{id}` of {file} has no heading {heading:?}",
                    n + 1
                ));
            }
            let part = minutes::parts(&notebook)
                .unwrap()
                .into_iter()
                .rfind(|p| p.cell <= at);
            let kind = match &part {
                Some(p) if p.optional => "optional",
                _ => "core",
            };
            if cells[6] != kind {
                wrong.push(format!(
                    "row {}: cell `{id}` of {file} is in a {kind} part",
                    n + 1
                ));
            }
            if let Some(p) = part.as_ref().filter(|p| p.optional && !p.lesson) {
                wrong.push(format!(
                    "row {}: the part `{}` of {file} asks the lesson's challenge; mark it \
                     `\"lesson\": true` in its `dlintro.part`",
                    n + 1,
                    p.title
                ));
            }
            if let Some(p) = part {
                asked.push((file.to_string(), p.cell));
            }
        }
        // Every part marked as the lesson's challenge asks one of the table's.
        for DayNotebook { file, notebook, .. } in day_notebooks(&root, None).unwrap() {
            for p in minutes::parts(&notebook).unwrap() {
                if p.lesson && !asked.contains(&(file.clone(), p.cell)) {
                    wrong.push(format!(
                        "the part `{}` of {file} is marked `\"lesson\": true`, but no row \
                         names a cell of it",
                        p.title
                    ));
                }
            }
        }
        assert!(
            wrong.is_empty(),
            "README.md's challenge table:\n  {}",
            wrong.join("\n  ")
        );
    }

    /// The text between `<!-- agenda: NAME -->` and `<!-- /agenda -->` in README.md.
    fn readme_agenda<'a>(readme: &'a str, name: &str) -> Option<&'a str> {
        let open = format!("<!-- agenda: {name} -->\n");
        let start = readme.find(&open)? + open.len();
        let end = start + readme[start..].find("<!-- /agenda -->")?;
        Some(&readme[start..end])
    }

    #[test]
    fn the_readme_shows_both_generated_agendas() {
        let root = repo_root();
        let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
        let (parts, _) = parts(&root, None).unwrap();
        for format in [Format::Morning, Format::FullDay] {
            let agenda = render_agenda(&parts, &format_options(format)).unwrap();
            let want = format!("\n{agenda}\n");
            let found = readme_agenda(&readme, format.name());
            assert!(
                found == Some(want.as_str()),
                "README.md's {} agenda (between `<!-- agenda: {} -->` and `<!-- /agenda -->`) \
                 is not what `cargo xtask collab-doc --format {}` gives; put this there:\n{want}",
                format.name(),
                format.name(),
                format.name()
            );
        }
    }

    #[test]
    fn data_cells_show_what_they_printed_in_the_executed_copy() {
        let cell = Cell::from(serde_json::json!({ "id": "t", "cell_type": "code",
                                                  "source": "list()", "metadata": {} }));
        let executed = Notebook::from(serde_json::json!({ "cells": [{
            "id": "t", "cell_type": "code", "source": "list()", "metadata": {},
            "outputs": [
                { "output_type": "stream", "name": "stdout", "text": "1. a bird\n" },
                { "output_type": "stream", "name": "stderr", "text": "noise\n" },
                { "output_type": "display_data", "data": { "image/svg+xml": "<svg/>",
                  "text/plain": "Figure" }, "metadata": {} },
            ]
        }]}));
        assert_eq!(
            printed(&cell, Some(&executed)).as_deref(),
            Some("1. a bird")
        );
        let mut changed = cell.clone();
        changed.set("source", "list(2)");
        assert_eq!(printed(&changed, Some(&executed)), None);
        assert_eq!(printed(&cell, None), None);
    }
}
