//! The two days the workshop is taught in, and how the notebooks fill them.
//!
//! - **morning**: the eScience Center's online format that the slides come from, 09:00–13:00:
//!   welcome and icebreaker, two blocks of the introduction to deep learning around a coffee
//!   break, a second coffee break, classification with Keras (the penguins' first half, up
//!   to the break point in `09-penguins.ipynb`) and a wrap-up.
//! - **full-day**: the Carpentries lesson's day, 09:00–17:00: welcome, four blocks with a
//!   morning break, lunch and an afternoon break between them, and a wrap-up; it covers every
//!   notebook.
//!
//! Each notebook is cut into segments at its break points, and each segment brings its core
//! minutes and its optional parts ([`dlintro_notebooks::minutes`]). The segments fill the
//! teaching blocks in order: a block takes the next segments while their core minutes fit,
//! then the optional parts of its segments, in order, while they fit; what is left of the
//! block is time for questions and catching up. A day whose segments do not all fit is an
//! error, so a notebook that grows is noticed here.

use crate::base::clock::{show_clock, Clock};

/// The formats `--format` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Morning,
    FullDay,
}

impl Format {
    pub fn parse(text: &str) -> Result<Format, String> {
        match text {
            "morning" => Ok(Format::Morning),
            "full-day" => Ok(Format::FullDay),
            _ => Err(format!(
                "`{text}` is not a format: `morning` (09:00–13:00) or `full-day` (09:00–17:00)"
            )),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Morning => "morning",
            Format::FullDay => "full-day",
        }
    }

    /// What the agenda says about the format, above its table.
    pub fn description(self) -> &'static str {
        match self {
            Format::Morning => {
                "The morning format of the eScience Center's online workshop, where the slides \
                 come from: the introduction to deep learning (notebooks 00 to 08) and \
                 classification with Keras, the penguins up to their break point."
            }
            Format::FullDay => {
                "The Carpentries full day: the introduction (notebooks 00 to 08), \
                 classification with Keras (09) and monitoring the training (10), the \
                 lesson's episodes 1 to 3."
            }
        }
    }

    /// The day: its start and its rows, fixed ones and teaching blocks.
    pub fn day(self) -> Day {
        let fixed = |name: &str, minutes| Block {
            name: name.into(),
            minutes,
            teaching: false,
        };
        let teach = |name: &str, minutes| Block {
            name: name.into(),
            minutes,
            teaching: true,
        };
        match self {
            Format::Morning => Day {
                start: 9 * 60,
                blocks: vec![
                    fixed("Welcome and icebreaker", 15),
                    teach("Introduction to deep learning", 60),
                    fixed("Coffee break", 15),
                    teach("Introduction to deep learning, continued", 60),
                    fixed("Coffee break", 15),
                    teach(KERAS, 60),
                    fixed("Wrap-up", 15),
                ],
                until_break_of: Some("09-"),
            },
            Format::FullDay => Day {
                start: 9 * 60,
                blocks: vec![
                    fixed("Welcome", 15),
                    teach("Introduction to deep learning", 75),
                    fixed("Break", 15),
                    teach("Introduction to deep learning, continued", 75),
                    fixed("Lunch", 60),
                    teach(KERAS, 90),
                    fixed("Break", 15),
                    teach("Monitor the training process", 120),
                    fixed("Wrap-up", 15),
                ],
                until_break_of: None,
            },
        }
    }
}

/// The name of the block that teaches the penguins.
pub const KERAS: &str = "Classification with Keras";

/// A row of the day's frame: a fixed one (welcome, break, lunch, wrap-up) or a block of
/// teaching that notebooks fill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub name: String,
    pub minutes: u32,
    pub teaching: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Day {
    pub start: Clock,
    pub blocks: Vec<Block>,
    /// The day ends at the first break point of the notebook whose file starts so.
    pub until_break_of: Option<&'static str>,
}

/// One segment of a notebook, as the planner sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The notebook's index in the day.
    pub notebook: usize,
    /// Which segment of the notebook, and of how many.
    pub segment: usize,
    pub of: usize,
    pub teaching: u32,
    pub exercises: u32,
    /// (title, minutes) of each optional part.
    pub optional: Vec<(String, u32)>,
}

impl Item {
    pub fn core(&self) -> u32 {
        self.teaching + self.exercises
    }
}

/// A row of the planned agenda.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum What {
    /// Welcome, a break, lunch, the wrap-up.
    Fixed(String),
    /// The heading of a teaching block (the rows after it until the next block are in it).
    Block(String),
    /// A segment, with the optional parts it includes.
    Segment { item: usize, included: Vec<usize> },
    /// What a teaching block has left.
    Slack,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub start: Clock,
    pub end: Clock,
    pub what: What,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub rows: Vec<Row>,
    /// (item, optional part) of every optional part left out.
    pub dropped: Vec<(usize, usize)>,
    /// The items the day covers: the first `covered` of them.
    pub covered: usize,
    pub end: Clock,
}

/// How many of `items` the day covers: all, or those before the first break point of the
/// notebook `until_break_of` names.
fn covered(items: &[Item], files: &[String], day: &Day) -> Result<usize, String> {
    let Some(prefix) = day.until_break_of else {
        return Ok(items.len());
    };
    items
        .iter()
        .position(|i| files[i.notebook].starts_with(prefix) && i.segment == 1)
        .ok_or_else(|| format!("no notebook `{prefix}*` with a break point to end the day at"))
}

/// Fills the day's teaching blocks with the items, as the module's documentation says.
pub fn plan(items: &[Item], files: &[String], day: &Day) -> Result<Plan, String> {
    let covered = covered(items, files, day)?;
    let mut rows = Vec::new();
    let mut dropped = Vec::new();
    let mut clock = day.start;
    let mut next = 0;
    for block in &day.blocks {
        if !block.teaching {
            rows.push(Row {
                start: clock,
                end: clock + block.minutes,
                what: What::Fixed(block.name.clone()),
            });
            clock += block.minutes;
            continue;
        }
        rows.push(Row {
            start: clock,
            end: clock + block.minutes,
            what: What::Block(block.name.clone()),
        });
        let mut placed = Vec::new();
        let mut used = 0;
        while next < covered && used + items[next].core() <= block.minutes {
            used += items[next].core();
            placed.push((next, Vec::new()));
            next += 1;
        }
        for (item, included) in &mut placed {
            for (k, (_, minutes)) in items[*item].optional.iter().enumerate() {
                if used + minutes <= block.minutes {
                    used += minutes;
                    included.push(k);
                } else {
                    dropped.push((*item, k));
                }
            }
        }
        for (item, included) in placed {
            let minutes = items[item].core()
                + included
                    .iter()
                    .map(|&k| items[item].optional[k].1)
                    .sum::<u32>();
            rows.push(Row {
                start: clock,
                end: clock + minutes,
                what: What::Segment { item, included },
            });
            clock += minutes;
        }
        if used < block.minutes {
            rows.push(Row {
                start: clock,
                end: clock + block.minutes - used,
                what: What::Slack,
            });
            clock += block.minutes - used;
        }
    }
    if next < covered {
        let left: Vec<String> = items[next..covered]
            .iter()
            .map(|i| format!("{} ({} min)", files[i.notebook], i.core()))
            .collect();
        return Err(format!(
            "the day's blocks are full before {}: shorten a core part or make it optional",
            left.join(", ")
        ));
    }
    Ok(Plan {
        rows,
        dropped,
        covered,
        end: clock,
    })
}

/// The times of a row, `09:15–10:15`.
pub fn span(row: &Row) -> String {
    format!("{}–{}", show_clock(row.start), show_clock(row.end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(notebook: usize, core: u32, optional: &[u32]) -> Item {
        Item {
            notebook,
            segment: 0,
            of: 1,
            teaching: core,
            exercises: 0,
            optional: optional.iter().map(|&m| (format!("o{m}"), m)).collect(),
        }
    }

    fn day(blocks: &[u32]) -> Day {
        let mut all = vec![Block {
            name: "Welcome".into(),
            minutes: 15,
            teaching: false,
        }];
        for &minutes in blocks {
            all.push(Block {
                name: "Teach".into(),
                minutes,
                teaching: true,
            });
        }
        Day {
            start: 540,
            blocks: all,
            until_break_of: None,
        }
    }

    #[test]
    fn blocks_take_core_minutes_then_optional_parts_then_slack() {
        let items = [item(0, 30, &[20, 10]), item(1, 20, &[]), item(2, 40, &[5])];
        let files: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        let plan = plan(&items, &files, &day(&[60, 50])).unwrap();
        let rows: Vec<(String, What)> = plan
            .rows
            .iter()
            .map(|r| (span(r), r.what.clone()))
            .collect();
        assert_eq!(
            rows,
            [
                ("09:00–09:15".into(), What::Fixed("Welcome".into())),
                ("09:15–10:15".into(), What::Block("Teach".into())),
                // 30 + 20 core leave 10: the 20-minute part does not fit, the 10 does.
                (
                    "09:15–09:55".into(),
                    What::Segment {
                        item: 0,
                        included: vec![1]
                    }
                ),
                (
                    "09:55–10:15".into(),
                    What::Segment {
                        item: 1,
                        included: vec![]
                    }
                ),
                ("10:15–11:05".into(), What::Block("Teach".into())),
                (
                    "10:15–11:00".into(),
                    What::Segment {
                        item: 2,
                        included: vec![0]
                    }
                ),
                ("11:00–11:05".into(), What::Slack),
            ]
        );
        assert_eq!(plan.dropped, [(0, 0)]);
        assert_eq!(plan.end, 11 * 60 + 5);
        let err = super::plan(&items, &files, &day(&[60, 30])).unwrap_err();
        assert!(
            err.starts_with("the day's blocks are full before c (40 min)"),
            "{err}"
        );
    }
}
