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
//! minutes and its optional parts ([`dlintro_notebooks::minutes`]), some of them the lesson's
//! own challenges (`"lesson": true`). A block that names a notebook starts with it (the
//! penguins' and the weather's blocks); the segments before it go in the blocks before it.
//! The segments fill the teaching blocks in order: a block takes the next segments while
//! their core minutes and their lesson's challenges fit, unless that leaves more core minutes
//! than the later blocks (up to the next block that starts a notebook) have room for; then it
//! takes them while their core minutes fit. It adds its segments' lesson's challenges while
//! they fit, then their other optional parts, in order, while they fit; what is left of the
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
            starts: None,
        };
        let teach = |name: &str, minutes| Block {
            name: name.into(),
            minutes,
            teaching: true,
            starts: None,
        };
        let starting = |name: &str, minutes, prefix| Block {
            starts: Some(prefix),
            ..teach(name, minutes)
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
                    starting(KERAS, 60, "09-"),
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
                    starting(KERAS, 90, "09-"),
                    fixed("Break", 15),
                    starting("Monitor the training process", 120, "10-"),
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
    /// A teaching block that starts with the notebook whose file starts so: the segments
    /// before that notebook go in earlier blocks.
    pub starts: Option<&'static str>,
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
    pub optional: Vec<Optional>,
}

/// An optional part of a segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Optional {
    pub title: String,
    pub minutes: u32,
    /// Whether it asks one of the lesson's own challenges.
    pub lesson: bool,
}

impl Item {
    pub fn core(&self) -> u32 {
        self.teaching + self.exercises
    }

    /// Its minutes with its lesson's challenges.
    pub fn with_lesson(&self) -> u32 {
        let lesson = self.optional.iter().filter(|o| o.lesson);
        self.core() + lesson.map(|o| o.minutes).sum::<u32>()
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

/// How many of `items[from..until]` a block of `room` minutes takes: the next ones while
/// their `cost` fits.
fn fill(items: &[Item], from: usize, until: usize, room: u32, cost: fn(&Item) -> u32) -> usize {
    let mut used = 0;
    let mut next = from;
    while next < until && used + cost(&items[next]) <= room {
        used += cost(&items[next]);
        next += 1;
    }
    next - from
}

/// Whether blocks of these minutes hold the core of `items[from..until]`.
fn holds(items: &[Item], from: usize, until: usize, blocks: &[u32]) -> bool {
    let mut next = from;
    for &room in blocks {
        next += fill(items, next, until, room, Item::core);
    }
    next == until
}

/// The error of a day whose blocks are full before `items[from..until]`.
fn full_before(items: &[Item], files: &[String], from: usize, until: usize) -> String {
    let left: Vec<String> = items[from..until]
        .iter()
        .map(|i| format!("{} ({} min)", files[i.notebook], i.core()))
        .collect();
    format!(
        "the day's blocks are full before {}: shorten a core part or make it optional",
        left.join(", ")
    )
}

/// Fills the day's teaching blocks with the items, as the module's documentation says.
pub fn plan(items: &[Item], files: &[String], day: &Day) -> Result<Plan, String> {
    let covered = covered(items, files, day)?;
    // Where the notebook a block starts with begins, among the covered items.
    let start_of = |block: &Block| {
        let prefix = block.starts?;
        (0..covered)
            .find(|&i| files[items[i].notebook].starts_with(prefix) && items[i].segment == 0)
    };
    let mut rows = Vec::new();
    let mut dropped = Vec::new();
    let mut clock = day.start;
    let mut next = 0;
    for (b, block) in day.blocks.iter().enumerate() {
        if !block.teaching {
            rows.push(Row {
                start: clock,
                end: clock + block.minutes,
                what: What::Fixed(block.name.clone()),
            });
            clock += block.minutes;
            continue;
        }
        if let Some(start) = start_of(block) {
            if next < start {
                return Err(full_before(items, files, next, start));
            }
        }
        rows.push(Row {
            start: clock,
            end: clock + block.minutes,
            what: What::Block(block.name.clone()),
        });
        // The blocks after this one that share its segments, and where those end.
        let later: Vec<&Block> = day.blocks[b + 1..]
            .iter()
            .filter(|l| l.teaching)
            .take_while(|l| start_of(l).is_none())
            .collect();
        let until = day.blocks[b + 1..]
            .iter()
            .filter(|l| l.teaching)
            .find_map(start_of)
            .unwrap_or(covered);
        let rooms: Vec<u32> = later.iter().map(|l| l.minutes).collect();
        let mut taken = fill(items, next, until, block.minutes, Item::with_lesson);
        if !holds(items, next + taken, until, &rooms) {
            taken = fill(items, next, until, block.minutes, Item::core);
        }
        let placed = next..next + taken;
        next += taken;
        let mut used: u32 = items[placed.clone()].iter().map(Item::core).sum();
        let mut included: Vec<Vec<usize>> = vec![Vec::new(); taken];
        for lesson in [true, false] {
            for item in placed.clone() {
                for (k, optional) in items[item].optional.iter().enumerate() {
                    if optional.lesson != lesson {
                        continue;
                    }
                    if used + optional.minutes <= block.minutes {
                        used += optional.minutes;
                        included[item - placed.start].push(k);
                    } else {
                        dropped.push((item, k));
                    }
                }
            }
        }
        for (item, mut included) in placed.zip(included) {
            included.sort_unstable();
            let minutes = items[item].core()
                + included
                    .iter()
                    .map(|&k| items[item].optional[k].minutes)
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
        return Err(full_before(items, files, next, covered));
    }
    dropped.sort_unstable();
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
            optional: optional
                .iter()
                .map(|&m| Optional {
                    title: format!("o{m}"),
                    minutes: m,
                    lesson: false,
                })
                .collect(),
        }
    }

    fn day(blocks: &[u32]) -> Day {
        let mut all = vec![Block {
            name: "Welcome".into(),
            minutes: 15,
            teaching: false,
            starts: None,
        }];
        for &minutes in blocks {
            all.push(Block {
                name: "Teach".into(),
                minutes,
                teaching: true,
                starts: None,
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

    /// The segments of each block of a plan, with the optional parts each includes.
    fn blocks(plan: &Plan) -> Vec<Vec<(usize, Vec<usize>)>> {
        let mut blocks: Vec<Vec<(usize, Vec<usize>)>> = Vec::new();
        for row in &plan.rows {
            match &row.what {
                What::Block(_) => blocks.push(Vec::new()),
                What::Segment { item, included } => {
                    blocks.last_mut().unwrap().push((*item, included.clone()))
                }
                _ => {}
            }
        }
        blocks
    }

    #[test]
    fn the_lessons_challenges_come_first_and_may_move_a_segment_to_the_next_block() {
        // By core minutes alone the first block would take all three segments and no optional
        // part; segment 1's challenge (10) sends segment 2 to the second block, which holds it.
        let mut items = [item(0, 20, &[5]), item(1, 30, &[10]), item(2, 15, &[5, 5])];
        items[1].optional[0].lesson = true;
        items[2].optional[1].lesson = true;
        let files: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        let plan = plan(&items, &files, &day(&[65, 30])).unwrap();
        assert_eq!(
            blocks(&plan),
            [vec![(0, vec![0]), (1, vec![0])], vec![(2, vec![0, 1])],]
        );
        assert!(plan.dropped.is_empty());
        // Where the next block has no room for what the challenges push out, the block takes
        // its segments by their core minutes; a challenge comes before the other optional
        // parts where there is room.
        let plan = super::plan(&items, &files, &day(&[65, 10])).unwrap();
        assert_eq!(
            blocks(&plan),
            [vec![(0, vec![]), (1, vec![]), (2, vec![])], vec![]]
        );
        assert_eq!(plan.dropped, [(0, 0), (1, 0), (2, 0), (2, 1)]);
        let plan = super::plan(&items, &files, &day(&[70, 10])).unwrap();
        assert_eq!(
            blocks(&plan),
            [vec![(0, vec![]), (1, vec![]), (2, vec![1])], vec![]]
        );
        assert_eq!(plan.dropped, [(0, 0), (1, 0), (2, 0)]);
    }

    #[test]
    fn a_block_that_starts_a_notebook_holds_nothing_before_it() {
        let items = [item(0, 30, &[]), item(1, 20, &[]), item(2, 30, &[])];
        let files: Vec<String> = ["01-a", "02-b", "09-c"].map(String::from).to_vec();
        let mut three = day(&[40, 40, 40]);
        three.blocks[3].starts = Some("09-");
        // Without it, 02 would join 09's block; with it, 02 has the second block to itself.
        let free = plan(&items, &files, &day(&[40, 60])).unwrap();
        assert_eq!(
            blocks(&free),
            [vec![(0, vec![])], vec![(1, vec![]), (2, vec![])]]
        );
        let mut two = day(&[40, 60]);
        two.blocks[2].starts = Some("09-");
        let err = plan(&items, &files, &two).unwrap_err();
        assert!(
            err.starts_with("the day's blocks are full before 02-b (20 min)"),
            "{err}"
        );
        let plan = plan(&items, &files, &three).unwrap();
        assert_eq!(
            blocks(&plan),
            [vec![(0, vec![])], vec![(1, vec![])], vec![(2, vec![])]]
        );
    }
}
