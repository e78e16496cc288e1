//! The parts of the collaborative document that are about the workshop rather than the
//! notebooks: code of conduct, getting help, the people, the links (at the top); shared
//! notes, resources and the post-workshop survey (at the end). What changes from one workshop
//! to the next is an option (`--instructors`, `--helpers`, `--slides`, `--survey`,
//! `--website`, `--online`); without it the document keeps a place for it that the instructor
//! fills in in the pad.

/// The lesson this day follows.
pub const LESSON: &str = "https://carpentries-lab.github.io/deep-learning-intro/";
/// The TensorFlow Playground, which notebook 05 rebuilds.
pub const PLAYGROUND: &str = "https://playground.tensorflow.org/";
/// The Carpentries' Code of Conduct.
pub const CODE_OF_CONDUCT: &str = "https://docs.carpentries.org/policies/coc/";

/// What the instructor gives about this workshop.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Workshop {
    pub instructors: Vec<String>,
    pub helpers: Vec<String>,
    /// Where the slides are, when they are not the notebooks themselves.
    pub slides: Option<String>,
    /// The post-workshop survey.
    pub survey: Option<String>,
    /// The workshop's own web page.
    pub website: Option<String>,
    /// Taught over a video call rather than in a room.
    pub online: bool,
}

pub const USAGE: &str = "\
  --instructors NAMES  the instructors, separated by commas (\"Ada Lovelace, Alan Turing\")
  --helpers NAMES      the helpers, likewise
  --slides URL         the slides, when you show a deck beside the notebooks
  --survey URL         the post-workshop survey
  --website URL        the workshop's web page
  --online             taught over a video call: how to get help there
                       (default: in a room)
";

/// The names in `--instructors "A, B"`; an empty name is an error.
pub fn parse_names(flag: &str, text: &str) -> Result<Vec<String>, String> {
    let names: Vec<String> = text.split(',').map(|n| n.trim().to_string()).collect();
    if names.iter().any(String::is_empty) {
        return Err(format!(
            "`{flag} {text}` has an empty name; separate names with commas: \"Ada Lovelace, \
             Alan Turing\""
        ));
    }
    Ok(names)
}

/// A link given as an option: it must look like one.
pub fn parse_link(flag: &str, text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.starts_with("https://") || text.starts_with("http://") {
        Ok(text.to_string())
    } else {
        Err(format!(
            "`{flag} {text}` is not a link; give the whole address, starting with https://"
        ))
    }
}

/// What the instructor has not given, for the command to say when it writes the document.
pub fn missing(workshop: &Workshop) -> Vec<&'static str> {
    let mut missing = Vec::new();
    if workshop.instructors.is_empty() {
        missing.push("--instructors");
    }
    if workshop.helpers.is_empty() {
        missing.push("--helpers");
    }
    if workshop.survey.is_none() {
        missing.push("--survey");
    }
    missing
}

fn names(names: &[String], role: &str) -> String {
    if names.is_empty() {
        format!("_The {role} add their names here._\n")
    } else {
        format!("{}\n", names.join(", "))
    }
}

/// Code of conduct, getting help, the people and the links: after the welcome.
pub fn render_top(workshop: &Workshop) -> String {
    let mut out = format!(
        "## Code of conduct\n\n\
         This workshop follows [The Carpentries Code of Conduct]({CODE_OF_CONDUCT}). In short: \
         make everyone welcome, respect views and experiences other than yours, give and take \
         criticism kindly, and put what helps the group first. If anything makes you \
         uncomfortable, tell an instructor or a helper, or report it to The Carpentries as \
         the Code of Conduct explains.\n\n\
         ## Getting help\n\n"
    );
    out.push_str(if workshop.online {
        "Ask at any time: raise your hand in the video call (its Reactions menu) or unmute \
         and ask. For help with your own machine, write \"I need help\" and what went wrong in \
         the chat: a helper answers there or takes you to a breakout room. You need not follow \
         the chat; questions that matter to everyone are answered aloud.\n\n"
    } else {
        "Ask at any time: raise your hand. Stuck on your own machine? Put a sticky note on \
         your laptop's lid, and a helper comes to you.\n\n"
    });
    out.push_str(
        "An error you cannot read? Paste the whole message under *Setup problems* below, \
         with the notebook and the cell: someone will answer there.\n\n",
    );
    out.push_str("## Instructors\n\n");
    out.push_str(&names(&workshop.instructors, "instructors"));
    out.push_str("\n## Helpers\n\n");
    out.push_str(&names(&workshop.helpers, "helpers"));
    out.push_str("\n## Links\n\n");
    if let Some(website) = &workshop.website {
        out.push_str(&format!("- The workshop's page: <{website}>\n"));
    }
    match &workshop.slides {
        Some(slides) => out.push_str(&format!("- The slides: <{slides}>\n")),
        None => out.push_str(
            "- The slides: the notebooks themselves, which the instructor presents; you type \
             along in your copy, the notebooks of `learner/`\n",
        ),
    }
    out.push_str(&format!(
        "- The lesson this day follows, with every episode to read again at home: \
         [Introduction to Deep Learning]({LESSON}) (The Carpentries Lab)\n\
         - The TensorFlow Playground, a network that trains in your browser: <{PLAYGROUND}>\n\n"
    ));
    out
}

/// Shared notes, resources and the post-workshop survey: after the exercises.
pub fn render_end(workshop: &Workshop) -> String {
    let mut out = String::from(
        "\n## Shared notes\n\n\
         Notes for everyone, as the day goes: what the instructor explains, questions and \
         their answers, links you found useful. Write under the part of the day they belong \
         to.\n\n\
         - \n\n\
         ## Resources\n\n",
    );
    out.push_str(&format!(
        "- [The lesson]({LESSON}): episodes 1 to 3 are today's; the later ones go on with \
         convolutional networks and transfer learning\n\
         - [The TensorFlow Playground]({PLAYGROUND})\n\
         - Where deep learning has been used: \
         [COVID-19 in chest X-ray images](https://arxiv.org/abs/2003.09871), \
         [forecasting the energy use of buildings](https://ieeexplore.ieee.org/document/7793413), \
         [predicting the function of proteins](https://pubmed.ncbi.nlm.nih.gov/29039790/), \
         [simulating chemical processes](https://journals.aps.org/prl/abstract/10.1103/PhysRevLett.98.146401), \
         [restoring ancient murals](https://heritagesciencejournal.springeropen.com/articles/10.1186/s40494-020-0355-x)\n\
         - The tools under today's notebooks: [Keras](https://keras.io/), whose calls they \
         imitate; [PyTorch](https://pytorch.org/), whose engine they run on; and \
         [tch-rs](https://github.com/LaurentMazare/tch-rs), the Rust bindings to it\n\n\
         ## Post-workshop survey\n\n",
    ));
    match &workshop.survey {
        Some(survey) => out.push_str(&format!(
            "Before you go, please fill in the survey: <{survey}>. It takes a few minutes, and \
             what you write changes how we teach the next workshop.\n"
        )),
        None => out.push_str(
            "_The instructor puts the survey's link here at the wrap-up._ It takes a few \
             minutes, and what you write changes how we teach the next workshop.\n",
        ),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_links_are_checked() {
        assert_eq!(
            parse_names("--helpers", "Ada Lovelace,  Alan Turing ").unwrap(),
            ["Ada Lovelace", "Alan Turing"]
        );
        let err = parse_names("--helpers", "Ada,,Alan").unwrap_err();
        assert!(
            err.starts_with("`--helpers Ada,,Alan` has an empty name"),
            "{err}"
        );
        assert_eq!(
            parse_link("--survey", " https://example.org/s ").unwrap(),
            "https://example.org/s"
        );
        let err = parse_link("--slides", "slides.pdf").unwrap_err();
        assert_eq!(
            err,
            "`--slides slides.pdf` is not a link; give the whole address, starting with https://"
        );
    }

    #[test]
    fn without_options_the_document_keeps_places_to_fill_in() {
        let workshop = Workshop::default();
        let top = render_top(&workshop);
        assert!(top.contains(&format!(
            "[The Carpentries Code of Conduct]({CODE_OF_CONDUCT})"
        )));
        assert!(top.contains("## Instructors\n\n_The instructors add their names here._\n"));
        assert!(top.contains("## Helpers\n\n_The helpers add their names here._\n"));
        assert!(top.contains("Put a sticky note on your laptop's lid"));
        assert!(!top.contains("video call"));
        assert!(top.contains("- The slides: the notebooks themselves"));
        assert!(top.contains(&format!("]({LESSON}) (The Carpentries Lab)")));
        assert!(top.contains(&format!("<{PLAYGROUND}>")));
        assert!(!top.contains("The workshop's page"));
        let end = render_end(&workshop);
        let order: Vec<usize> = ["## Shared notes", "## Resources", "## Post-workshop survey"]
            .iter()
            .map(|h| end.find(h).unwrap_or_else(|| panic!("no {h}")))
            .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
        assert!(end.contains("_The instructor puts the survey's link here at the wrap-up._"));
        assert_eq!(
            missing(&workshop),
            ["--instructors", "--helpers", "--survey"]
        );
    }

    #[test]
    fn the_options_fill_the_places() {
        let workshop = Workshop {
            instructors: vec!["Ada Lovelace".into(), "Alan Turing".into()],
            helpers: vec!["Grace Hopper".into()],
            slides: Some("https://example.org/deck.pdf".into()),
            survey: Some("https://example.org/survey".into()),
            website: Some("https://example.org/2026-06-03".into()),
            online: true,
        };
        let top = render_top(&workshop);
        assert!(top.contains("## Instructors\n\nAda Lovelace, Alan Turing\n"));
        assert!(top.contains("## Helpers\n\nGrace Hopper\n"));
        assert!(top.contains("- The slides: <https://example.org/deck.pdf>\n"));
        assert!(top.contains("- The workshop's page: <https://example.org/2026-06-03>\n"));
        assert!(top.contains("raise your hand in the video call"));
        assert!(!top.contains("sticky note"));
        assert!(!top.contains("add their names here"));
        let end = render_end(&workshop);
        assert!(end.contains("please fill in the survey: <https://example.org/survey>."));
        assert!(!end.contains("_The instructor puts"));
        assert!(missing(&workshop).is_empty());
    }
}
