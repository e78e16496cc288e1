//! The checks of the weather notebook ("Monitor the training process"): the network's sizes,
//! comparisons with the baseline, Basel's own columns, the quiz on gradient descent and
//! batches, and the recap quiz on training curves.

use crate::activation::Activation;
use crate::data::{tomorrow, Table, ThreeWay};

use super::{hint, right, say, unanswered};

/// The network for tomorrow's sunshine: how many inputs, how many outputs, and the output's
/// activation. The right sizes come from `data`: one input per feature, one output per
/// target column.
pub fn weather_network(
    data: &ThreeWay,
    inputs: usize,
    outputs: usize,
    output_activation: Option<Activation>,
) {
    let Some(activation) = output_activation else {
        return unanswered("the 0s and None");
    };
    if inputs == 0 || outputs == 0 {
        return unanswered("the 0s");
    }
    let features = data.features.len();
    let targets = data.y_train.size().get(1).copied().unwrap_or(1) as usize;
    if inputs != features {
        let why = if inputs == features + 2 {
            "DATE and MONTH are in the table but not among the features."
        } else if inputs == 89 {
            "89 is the lesson's light file; this notebook uses the full one."
        } else {
            "the network takes one input per feature: look at the shape of x_train."
        };
        return hint(&format!("count the inputs again: {why}"));
    }
    if outputs != targets {
        return hint("the network gives one output per number it predicts for a day.");
    }
    match activation {
        Activation::Linear => right(&format!(
            "{inputs} inputs, one per feature; {outputs} output, tomorrow's sunshine; and no \
             squashing at the end (linear), so the output can be any number of hours."
        )),
        Activation::Sigmoid | Activation::Tanh => hint(&format!(
            "{activation} squeezes every output into a narrow range, but sunshine goes up to \
             15 hours."
        )),
        Activation::Softmax => {
            hint("softmax makes outputs that add up to 1, for the classes of a classifier.")
        }
        Activation::Relu => hint(
            "ReLU never predicts a negative number, which suits sunshine, but an output neuron \
             stuck below 0 passes no gradient back and can stop learning for good. Which \
             activation passes every number through?",
        ),
        Activation::LeakyRelu { .. } => hint(
            "a leaky ReLU still bends its output at 0, which nothing here asks for. Which \
             activation passes every number through?",
        ),
    }
}

/// Whether a model beats the baseline "tomorrow is like today": `answer` is "yes" or "no",
/// `model_rmse` and `baseline_rmse` the two root mean squared errors on the same days, as the
/// cell computed them.
pub fn beats_baseline(answer: &str, model_rmse: f64, baseline_rmse: f64) {
    let answer = answer.trim().to_lowercase();
    if answer.is_empty() || model_rmse.is_nan() {
        return unanswered("the empty answer (and any f64::NAN)");
    }
    let yes = match answer.as_str() {
        "yes" | "y" => true,
        "no" | "n" => false,
        _ => return hint("answer \"yes\" or \"no\"."),
    };
    let better = model_rmse < baseline_rmse;
    let numbers = format!("  {model_rmse:.2} h against the baseline's {baseline_rmse:.2} h");
    if yes != better {
        return hint(
            "compare the two root mean squared errors: the smaller one is the better forecast.",
        );
    }
    if better {
        right("yes: its root mean squared error is below the baseline's.");
        say(format!(
            "{numbers}: a typical error {:.0} minutes smaller.",
            (baseline_rmse - model_rmse) * 60.0
        ));
    } else {
        right("no: guessing that tomorrow is like today does as well or better.");
        say(format!("{numbers}."));
    }
}

/// Basel's own feature columns of `pairs` (a table made by
/// [`next_day`](crate::data::next_day) for `BASEL_sunshine`): every `BASEL_…` column, except
/// tomorrow's label.
pub fn basel_features<S: AsRef<str>>(pairs: &Table, answer: &[S]) {
    let answer: Vec<&str> = answer.iter().map(AsRef::as_ref).collect();
    if answer.is_empty() {
        return unanswered("the empty list");
    }
    let label = tomorrow("BASEL_sunshine");
    let expected: Vec<&str> = pairs
        .column_names()
        .into_iter()
        .filter(|c| c.starts_with("BASEL_") && *c != label)
        .collect();
    if answer.contains(&label.as_str()) {
        return hint(&format!(
            "{label} is tomorrow's sunshine, the label: a feature must be known today."
        ));
    }
    if let Some(other) = answer.iter().find(|c| !c.starts_with("BASEL_")) {
        return hint(&format!("{other:?} is not one of Basel's columns."));
    }
    let missing = expected.iter().filter(|c| !answer.contains(c)).count();
    if missing > 0 {
        return hint(&format!(
            "{missing} of Basel's columns are missing: take every column whose name starts \
             with \"BASEL_\"."
        ));
    }
    if answer.len() > expected.len() {
        return hint("some columns are listed twice.");
    }
    right(&format!(
        "Basel's {} columns: {}.",
        expected.len(),
        expected.join(", ")
    ));
}

/// The quiz on gradient descent and batches, asked before the first training: one letter per
/// question.
pub const GRADIENT_DESCENT_QUIZ: [(&str, [&str; 3]); 3] = [
    (
        "Training looks for the weights that…",
        [
            "A: make the loss as large as possible",
            "B: make the loss as small as possible",
            "C: stay as close as possible to their starting values",
        ],
    ),
    (
        "In one step of gradient descent, each weight moves…",
        [
            "A: along its gradient, so the loss grows",
            "B: against its gradient, so the loss shrinks",
            "C: to a random value, kept if the loss shrinks",
        ],
    ),
    (
        "With a larger batch size, one epoch has…",
        [
            "A: fewer weight updates",
            "B: more weight updates",
            "C: the same number of weight updates",
        ],
    ),
];

/// The right letters of [`GRADIENT_DESCENT_QUIZ`], and why.
const GRADIENT_DESCENT_KEY: [(char, &str); 3] = [
    (
        'B',
        "the loss measures the error, so the best weights make it smallest",
    ),
    (
        'B',
        "the gradient points uphill; a step against it goes down the loss",
    ),
    (
        'A',
        "an epoch is one pass over the same data, cut into fewer, bigger batches",
    ),
];

/// The recap quiz on what training curves show and on choosing with the validation set: one
/// letter per question.
pub const MONITOR_QUIZ: [(&str, [&str; 3]); 3] = [
    (
        "The training RMSE keeps falling while the validation RMSE rises. The network…",
        [
            "A: underfits: it is too small",
            "B: learns too slowly: raise the learning rate",
            "C: overfits: it learns the training days by heart",
        ],
    ),
    (
        "Which data choose between network sizes, or the epoch to stop at?",
        [
            "A: the training set",
            "B: the validation set",
            "C: the test set",
        ],
    ),
    (
        "Early stopping with patience 10 stops training…",
        [
            "A: after 10 epochs",
            "B: when the monitored loss has not improved for 10 epochs",
            "C: when the training loss falls below 10",
        ],
    ),
];

/// The right letters of [`MONITOR_QUIZ`], and why.
const MONITOR_KEY: [(char, &str); 3] = [
    (
        'C',
        "what it learns no longer carries over to days it has not seen",
    ),
    (
        'B',
        "the test set stays untouched until the very end, or it stops measuring new data",
    ),
    (
        'B',
        "patience is how many epochs without a new best it waits",
    ),
];

/// The quiz on gradient descent and batches: `answers` holds one letter per question of
/// [`GRADIENT_DESCENT_QUIZ`], in order, like `"CAB"`.
pub fn gradient_descent_quiz(answers: &str) {
    quiz(answers, &GRADIENT_DESCENT_KEY);
}

/// The recap quiz on training curves: `answers` holds one letter per question of
/// [`MONITOR_QUIZ`], in order, like `"CAB"`.
pub fn monitor_quiz(answers: &str) {
    quiz(answers, &MONITOR_KEY);
}

/// Checks one letter (A, B or C) per question against `key`; the reasons are shown only when
/// every letter is right.
fn quiz(answers: &str, key: &[(char, &str)]) {
    let letters: Vec<char> = answers
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if letters.is_empty() {
        return unanswered("the empty string");
    }
    let total = key.len();
    if letters.len() != total || letters.iter().any(|c| !"ABC".contains(*c)) {
        return hint(&format!(
            "give {total} letters, A, B or C, one per question in order (like \"CAB\")."
        ));
    }
    let wrong: Vec<String> = (1..=total)
        .filter(|&q| letters[q - 1] != key[q - 1].0)
        .map(|q| q.to_string())
        .collect();
    if wrong.is_empty() {
        right(&format!("all {total} right."));
        for (q, (letter, why)) in key.iter().enumerate() {
            say(format!("  {} → {letter}: {why}", q + 1));
        }
    } else {
        hint(&format!(
            "{} of {total} right. Look again at question {}.",
            total - wrong.len(),
            wrong.join(", ")
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::said;
    use crate::data::{self, ThreeWayOptions};

    fn pairs() -> Table {
        data::next_day(&data::weather().unwrap().head(200), "BASEL_sunshine").unwrap()
    }

    #[test]
    fn the_network_check_counts_from_the_data() {
        let pairs = pairs();
        let features: Vec<&str> = pairs
            .column_names()
            .into_iter()
            .filter(|c| !["DATE", "MONTH", "BASEL_sunshine_tomorrow"].contains(c))
            .collect();
        let label = "BASEL_sunshine_tomorrow";
        let data =
            data::prepare_three_way(&pairs, &features, label, ThreeWayOptions::default()).unwrap();
        let linear = Some(Activation::Linear);
        assert!(said(|| weather_network(&data, 163, 1, linear))[0].starts_with("✓ 163 inputs"));
        assert!(said(|| weather_network(&data, 0, 0, None))[0].starts_with("Not answered yet"));
        let wrong = [
            (165, 1, linear, "DATE and MONTH"),
            (89, 1, linear, "light file"),
            (9, 1, linear, "shape of x_train"),
            (163, 2, linear, "one output per number"),
            (163, 1, Some(Activation::Sigmoid), "15 hours"),
            (163, 1, Some(Activation::Relu), "stop learning"),
            (163, 1, Some(Activation::Softmax), "classes"),
        ];
        for (inputs, outputs, activation, words) in wrong {
            let line = &said(|| weather_network(&data, inputs, outputs, activation))[0];
            assert!(
                line.starts_with("Not yet: ") && line.contains(words),
                "{line}"
            );
            assert!(!line.contains("163"), "gives the answer away: {line}");
        }
    }

    #[test]
    fn the_baseline_check_follows_the_numbers() {
        assert_eq!(
            said(|| beats_baseline("yes", 3.3, 4.14)),
            [
                "✓ yes: its root mean squared error is below the baseline's.",
                "  3.30 h against the baseline's 4.14 h: a typical error 50 minutes smaller."
            ]
        );
        assert_eq!(
            said(|| beats_baseline("No", 4.2, 4.14)),
            [
                "✓ no: guessing that tomorrow is like today does as well or better.",
                "  4.20 h against the baseline's 4.14 h."
            ]
        );
        assert_eq!(
            said(|| beats_baseline("no", 3.3, 4.14)),
            [
                "Not yet: compare the two root mean squared errors: the smaller one is the better \
              forecast."
            ]
        );
        assert!(said(|| beats_baseline("", f64::NAN, 4.14))[0].starts_with("Not answered yet"));
        assert!(said(|| beats_baseline("maybe", 3.0, 4.0))[0].contains("\"yes\" or \"no\""));
    }

    #[test]
    fn basel_features_are_found_in_the_table() {
        let pairs = pairs();
        let basel: Vec<&str> = pairs
            .column_names()
            .into_iter()
            .filter(|c| c.starts_with("BASEL_") && !c.ends_with("_tomorrow"))
            .collect();
        assert_eq!(basel.len(), 9);
        assert!(said(|| basel_features(&pairs, &basel))[0].starts_with("✓ Basel's 9 columns"));
        let mut with_label = basel.clone();
        with_label.push("BASEL_sunshine_tomorrow");
        assert!(said(|| basel_features(&pairs, &with_label))[0].contains("the label"));
        assert!(said(|| basel_features(&pairs, &basel[..7]))[0].contains("2 of Basel's"));
        let mut other = basel.clone();
        other.push("ROMA_temp_mean");
        assert!(said(|| basel_features(&pairs, &other))[0].contains("\"ROMA_temp_mean\""));
        let none: [String; 0] = [];
        assert!(said(|| basel_features(&pairs, &none))[0].starts_with("Not answered yet"));
        let owned: Vec<String> = basel.iter().map(|c| c.to_string()).collect();
        assert!(said(|| basel_features(&pairs, &owned))[0].starts_with("✓"));
    }

    #[test]
    fn the_quizzes_count_and_point_without_answering() {
        let all = said(|| gradient_descent_quiz("BBA"));
        assert_eq!(all[0], "✓ all 3 right.");
        assert_eq!(all.len(), 4, "the verdict and one reason per question");
        assert_eq!(
            said(|| gradient_descent_quiz("b, b, a"))[0],
            "✓ all 3 right."
        );
        assert_eq!(
            said(|| gradient_descent_quiz("BAB")),
            ["Not yet: 1 of 3 right. Look again at question 2, 3."]
        );
        let all = said(|| monitor_quiz("CBB"));
        assert_eq!(all[0], "✓ all 3 right.");
        assert_eq!(all.len(), 4);
        assert_eq!(
            said(|| monitor_quiz("ABB")),
            ["Not yet: 2 of 3 right. Look again at question 1."]
        );
        assert!(said(|| monitor_quiz("CB"))[0].contains("give 3 letters"));
        assert!(said(|| monitor_quiz("CBD"))[0].contains("give 3 letters"));
        assert!(said(|| monitor_quiz(""))[0].starts_with("Not answered yet"));
        assert!(said(|| gradient_descent_quiz(" "))[0].starts_with("Not answered yet"));
        assert_eq!(GRADIENT_DESCENT_QUIZ.len(), GRADIENT_DESCENT_KEY.len());
        assert_eq!(MONITOR_QUIZ.len(), MONITOR_KEY.len());
    }
}
