//! `cargo xtask collab-doc`'s options (title, the day's format or its own start and breaks,
//! solutions, output, and the workshop's people and links), and the agenda of a day of one's
//! own: clock times for every notebook and break. The two formats' agendas are
//! [`super::day`]'s.

use std::path::PathBuf;

use crate::base::clock::{parse_clock, Clock};
use crate::base::failure::Failure;

use super::day::Format;
use super::workshop::{self, parse_link, parse_names, Workshop};

/// A break in the agenda.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Break {
    pub name: String,
    /// When it should start; it is taken between the two notebooks nearest to this time.
    pub at: Clock,
    pub minutes: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub title: String,
    /// The day's format; `None` for a day of one's own (`--start`, `--break`, `--lunch`,
    /// `--no-breaks`), which flows from `start` with `breaks`.
    pub format: Option<Format>,
    pub start: Clock,
    pub breaks: Vec<Break>,
    pub solutions: bool,
    pub out: Option<PathBuf>,
    /// The people and links of this workshop.
    pub workshop: Workshop,
}

const DEFAULT_TITLE: &str = "Introduction to Deep Learning in Rust: Day 1";

impl Default for Options {
    fn default() -> Self {
        let b = |name: &str, at: Clock, minutes| Break {
            name: name.into(),
            at,
            minutes,
        };
        Options {
            title: DEFAULT_TITLE.into(),
            format: Some(Format::FullDay),
            start: 9 * 60,
            breaks: vec![
                b("Break", 10 * 60 + 30, 15),
                b("Lunch", 12 * 60, 60),
                b("Break", 14 * 60 + 30, 15),
            ],
            solutions: false,
            out: None,
            workshop: Workshop::default(),
        }
    }
}

/// The options, in two parts: the day's shape, then the workshop (see [`workshop::USAGE`]).
pub fn usage() -> String {
    format!("{USAGE}{}", workshop::USAGE)
}

const USAGE: &str = "\
usage: cargo xtask collab-doc [options]

  --format FORMAT      the day's agenda: `full-day` (default: 09:00–17:00 with welcome, a
                       morning break, lunch, an afternoon break and wrap-up; every notebook)
                       or `morning` (09:00–13:00, the eScience Center's format: the
                       introduction and the penguins' first half)
  or a day of your own, the notebooks' core parts one after the other:
  --start HH:MM        when the day starts (default 09:00)
  --break HH:MM=MIN    a break of MIN minutes near HH:MM (repeatable)
  --lunch HH:MM=MIN    the lunch break, likewise
  --no-breaks          no breaks at all
                       (default: --break 10:30=15 --lunch 12:00=60 --break 14:30=15;
                       any --break or --lunch replaces all three)
  --solutions          add every exercise's solution (the version to paste after each one)
  --title TEXT         the document's title
  --out PATH           where to write it (default target/collab-doc.md, or
                       target/collab-doc-solutions.md with --solutions)
";

fn parse_break(name: &str, text: &str) -> Result<Break, String> {
    let (at, minutes) = text.split_once('=').ok_or_else(|| {
        format!("`{text}` is not a break, expected HH:MM=MINUTES such as 10:30=15")
    })?;
    let minutes: u32 = minutes
        .parse()
        .ok()
        .filter(|&m| m > 0)
        .ok_or_else(|| format!("`{minutes}` in `{text}` is not a number of minutes above 0"))?;
    Ok(Break {
        name: name.into(),
        at: parse_clock(at)?,
        minutes,
    })
}

pub fn parse_args(args: &[String]) -> Result<Options, Failure> {
    let mut options = Options::default();
    let mut breaks = Vec::new();
    let mut no_breaks = false;
    let mut own_day = false;
    let mut format = None;
    let mut args = args.iter();
    let fail = |message: String| Failure::new(format!("{message}\n\n{}", usage()));
    while let Some(arg) = args.next() {
        let mut value = |flag: &str| {
            args.next()
                .cloned()
                .ok_or_else(|| fail(format!("`{flag}` needs a value")))
        };
        if matches!(
            arg.as_str(),
            "--start" | "--break" | "--lunch" | "--no-breaks"
        ) {
            own_day = true;
        }
        match arg.as_str() {
            "--format" => format = Some(Format::parse(&value("--format")?).map_err(fail)?),
            "--start" => options.start = parse_clock(&value("--start")?).map_err(fail)?,
            "--break" => breaks.push(parse_break("Break", &value("--break")?).map_err(fail)?),
            "--lunch" => breaks.push(parse_break("Lunch", &value("--lunch")?).map_err(fail)?),
            "--no-breaks" => no_breaks = true,
            "--solutions" => options.solutions = true,
            "--title" => options.title = value("--title")?,
            "--out" => options.out = Some(PathBuf::from(value("--out")?)),
            "--instructors" | "--helpers" => {
                let names = parse_names(arg, &value(arg)?).map_err(fail)?;
                match arg.as_str() {
                    "--instructors" => options.workshop.instructors = names,
                    _ => options.workshop.helpers = names,
                }
            }
            "--slides" => {
                options.workshop.slides = Some(parse_link(arg, &value(arg)?).map_err(fail)?)
            }
            "--survey" => {
                options.workshop.survey = Some(parse_link(arg, &value(arg)?).map_err(fail)?)
            }
            "--website" => {
                options.workshop.website = Some(parse_link(arg, &value(arg)?).map_err(fail)?)
            }
            "--online" => options.workshop.online = true,
            "-h" | "--help" => return Err(Failure::new(usage())),
            other => return Err(fail(format!("unknown option `{other}`"))),
        }
    }
    if no_breaks && !breaks.is_empty() {
        return Err(fail(
            "`--no-breaks` and `--break`/`--lunch` contradict each other".into(),
        ));
    }
    if no_breaks || !breaks.is_empty() {
        options.breaks = breaks;
    }
    match (format, own_day) {
        (Some(_), true) => {
            return Err(fail(
                "`--format` and a day of your own (`--start`, `--break`, `--lunch`, \
                 `--no-breaks`) contradict each other"
                    .into(),
            ))
        }
        (Some(f), false) => options.format = Some(f),
        (None, true) => options.format = None,
        (None, false) => {}
    }
    Ok(options)
}

/// One row of the agenda.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub start: Clock,
    pub end: Clock,
    /// `Ok(index of the notebook)` or `Err(name of the break)`.
    pub what: Result<usize, String>,
}

/// The agenda: the notebooks one after the other from `start`, each break taken at the gap
/// between notebooks nearest to its time (the earlier gap on a tie, never before the first
/// notebook). Breaks nearest the end of the day are left out and returned apart.
pub fn agenda(minutes: &[u32], start: Clock, breaks: &[Break]) -> (Vec<Slot>, Vec<Break>) {
    let mut pending: Vec<Break> = breaks.to_vec();
    pending.sort_by_key(|b| b.at);
    let mut slots = Vec::new();
    let mut clock = start;
    for (i, &duration) in minutes.iter().enumerate() {
        while i > 0
            && pending
                .first()
                .is_some_and(|b| clock.abs_diff(b.at) <= (clock + duration).abs_diff(b.at))
        {
            let b = pending.remove(0);
            slots.push(Slot {
                start: clock,
                end: clock + b.minutes,
                what: Err(b.name),
            });
            clock += b.minutes;
        }
        slots.push(Slot {
            start: clock,
            end: clock + duration,
            what: Ok(i),
        });
        clock += duration;
    }
    (slots, pending)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::clock::show_clock;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|a| a.to_string()).collect()
    }

    #[test]
    fn parses_times_and_breaks() {
        let options = parse_args(&strings(&[
            "--start",
            "08:30",
            "--lunch",
            "12:15=45",
            "--solutions",
        ]))
        .unwrap();
        assert_eq!(options.start, 510);
        assert_eq!(
            options.format, None,
            "a start time makes a day of one's own"
        );
        assert_eq!(
            options.breaks,
            vec![Break {
                name: "Lunch".into(),
                at: 735,
                minutes: 45
            }]
        );
        assert!(options.solutions);
        assert_eq!(Options::default().breaks.len(), 3);
        assert!(parse_args(&strings(&["--no-breaks"]))
            .unwrap()
            .breaks
            .is_empty());
        let err = parse_args(&strings(&["--break", "10:30"]))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("`10:30` is not a break"), "{err}");
        assert_eq!(Options::default().format, Some(Format::FullDay));
        let morning = parse_args(&strings(&["--format", "morning"])).unwrap();
        assert_eq!(morning.format, Some(Format::Morning));
        let err = parse_args(&strings(&["--format", "morning", "--start", "09:30"]))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("`--format` and a day of your own"), "{err}");
        let err = parse_args(&strings(&["--format", "evening"]))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("`evening` is not a format"), "{err}");
        let err = parse_args(&strings(&["--brake"])).unwrap_err().to_string();
        assert!(err.starts_with("unknown option `--brake`"), "{err}");
        assert!(err.contains("--instructors NAMES"), "{err}");
    }

    #[test]
    fn parses_the_workshops_people_and_links() {
        let options = parse_args(&strings(&[
            "--instructors",
            "Ada Lovelace, Alan Turing",
            "--helpers",
            "Grace Hopper",
            "--slides",
            "https://example.org/deck.pdf",
            "--survey",
            "https://example.org/survey",
            "--website",
            "https://example.org/day",
            "--online",
        ]))
        .unwrap();
        assert_eq!(
            options.workshop,
            Workshop {
                instructors: vec!["Ada Lovelace".into(), "Alan Turing".into()],
                helpers: vec!["Grace Hopper".into()],
                slides: Some("https://example.org/deck.pdf".into()),
                survey: Some("https://example.org/survey".into()),
                website: Some("https://example.org/day".into()),
                online: true,
            }
        );
        assert_eq!(Options::default().workshop, Workshop::default());
        let err = parse_args(&strings(&["--survey", "forms/survey"]))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("`--survey forms/survey` is not a link"),
            "{err}"
        );
        let err = parse_args(&strings(&["--helpers"]))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("`--helpers` needs a value"), "{err}");
    }

    #[test]
    fn breaks_go_to_the_nearest_gap() {
        let lunch = |at| Break {
            name: "Lunch".into(),
            at,
            minutes: 60,
        };
        // Notebooks end at 09:10, 09:35, 09:55; a break wanted at 09:30 goes after 09:35.
        let (slots, dropped) = agenda(&[10, 25, 20, 30], 540, &[lunch(570)]);
        let rows: Vec<(String, String)> = slots
            .iter()
            .map(|s| (show_clock(s.start), format!("{:?}", s.what)))
            .collect();
        assert_eq!(
            rows,
            [
                ("09:00".into(), "Ok(0)".into()),
                ("09:10".into(), "Ok(1)".into()),
                ("09:35".into(), "Err(\"Lunch\")".into()),
                ("10:35".into(), "Ok(2)".into()),
                ("10:55".into(), "Ok(3)".into()),
            ]
        );
        assert!(dropped.is_empty());
        // A break after the last notebook is left out; one before the first waits for a gap.
        let (slots, dropped) = agenda(&[10, 10], 540, &[lunch(700), lunch(480)]);
        assert_eq!(slots.len(), 3);
        assert_eq!(slots[1].what, Err("Lunch".into()));
        assert_eq!(slots[1].start, 550);
        assert_eq!(dropped, vec![lunch(700)]);
    }
}
