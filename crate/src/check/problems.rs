//! The check of the "Deep learning problems" exercise: which tasks suit deep learning?

use super::{hint, right, say};

/// The exercise's five tasks, in order.
pub const PROBLEM_TASKS: [&str; 5] = [
    "recognise whether a picture contains a bird",
    "compute the median and interquartile range of a data set",
    "spot a rare disease in scans when only one or two example scans exist",
    "recognise people in pictures after training only on cats and dogs",
    "translate English into French",
];

/// Per task: whether deep learning suits it, why, and a hint that does not say which.
const VERDICTS: [(bool, &str, &str); 5] = [
    (
        true,
        "recognising objects in pictures is what deep learning does best, and labelled \
         pictures of birds exist by the million",
        "think about the kind of data and how many labelled examples of it exist",
    ),
    (
        false,
        "a formula computes both exactly and instantly; a network would only approximate \
         them (overkill)",
        "ask whether a known formula already gives the exact answer",
    ),
    (
        false,
        "one or two examples are far too few to learn from; a network needs many",
        "count the examples a network could learn from",
    ),
    (
        false,
        "a network only recognises kinds of things it has seen examples of; people are \
         nothing like its training data",
        "think about what the network saw while it was trained",
    ),
    (
        true,
        "translation is learned from large collections of sentences and their translations, \
         a strength of deep learning",
        "think about how much paired data exists for this task",
    ),
];

/// The "Deep learning problems" exercise: `"yes"` or `"no"` for each of the five tasks in
/// [`PROBLEM_TASKS`]. Once all five are answered, every right answer is explained and every
/// other gets a hint.
pub fn deep_learning_problems(answers: [&str; 5]) {
    if answers.iter().any(|a| a.trim().is_empty()) {
        return say(
            "Not answered yet: replace each empty string with \"yes\" or \"no\" and run the \
             cell again."
                .to_string(),
        );
    }
    for (i, (answer, (suits, why, nudge))) in answers.iter().zip(VERDICTS).enumerate() {
        let task = PROBLEM_TASKS[i];
        let said = match answer.trim().to_lowercase().as_str() {
            "yes" | "y" => Some(true),
            "no" | "n" => Some(false),
            _ => None,
        };
        match said {
            None => hint(&format!(
                "task {} ({task}): {answer:?} is neither \"yes\" nor \"no\".",
                i + 1
            )),
            Some(s) if s == suits => right(&format!(
                "task {} ({task}): {} — {why}.",
                i + 1,
                if suits { "yes" } else { "no" }
            )),
            Some(_) => hint(&format!("task {} ({task}): {nudge}.", i + 1)),
        }
    }
}
