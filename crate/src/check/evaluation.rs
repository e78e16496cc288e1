//! The checks of the penguin episode's exercises on training and its results: the training
//! curve, a bad run, and the confusion matrix. The exercise's open question, what would improve
//! the model, has many good answers: it is a discussion, with no check.

use crate::metrics::ConfusionMatrix;
use crate::train::History;

use super::penguins::class_named;
use super::{hint, right, unanswered};

/// The training-curve exercise: does the loss go down, and does the curve tell how well the
/// model does on penguins it has not seen?
pub fn training_curve(history: &History, loss_goes_down: Option<bool>, tells_unseen: Option<bool>) {
    let (Some(down), Some(unseen)) = (loss_goes_down, tells_unseen) else {
        return unanswered("each None");
    };
    let loss = history.get("loss").unwrap_or(&[]);
    let (Some(first), Some(last)) = (loss.first(), loss.last()) else {
        return hint("pass the history of a model that has trained: model.fit returns it.");
    };
    let goes_down = last < first;
    if down != goes_down {
        return hint("compare the loss of the first and of the last epoch in the plot.");
    }
    if unseen {
        return hint(
            "the loss is measured on the training penguins, which the model has seen. What \
             could it say about penguins the model has never seen?",
        );
    }
    right(&format!(
        "the training loss went from {first:.3} to {last:.3}, but that is the model's fit to \
         the penguins it trained on; only penguins it has not seen, the test set, say how well \
         it will do on new ones."
    ));
}

/// How a loss curve behaves: its last value, and the share of epochs in which it went up.
fn curve_shape(history: &History) -> Option<(f64, f64)> {
    let loss = history.get("loss").ok()?;
    let last = *loss.last()?;
    let rises = loss.windows(2).filter(|w| w[1] > w[0]).count();
    Some((last, rises as f64 / (loss.len().max(2) - 1) as f64))
}

/// The bad-run exercise: does `bad` train clearly worse than `good` (a loss that ends much
/// higher, or jumps up and down)?
pub fn bad_run(good: &History, bad: &History) {
    let (Some((good_last, good_rises)), Some((bad_last, bad_rises))) =
        (curve_shape(good), curve_shape(bad))
    else {
        return hint("pass the histories of two trained models: model.fit returns them.");
    };
    let higher = bad_last > 2.0 * good_last;
    let jittery = bad_rises > good_rises + 0.2;
    if !(higher || jittery) {
        return hint(
            "this run learns about as well as the first. Change its learning rate or batch \
             size a lot, by a factor of a hundred or more, and compare again.",
        );
    }
    let mut seen = Vec::new();
    if higher {
        seen.push(format!(
            "its loss ends at {bad_last:.3}, {:.0} times the first run's",
            bad_last / good_last.max(1e-12)
        ));
    }
    if jittery {
        seen.push(format!(
            "it goes up in {:.0} % of the epochs (the first run: {:.0} %)",
            100.0 * bad_rises,
            100.0 * good_rises
        ));
    }
    right(&format!(
        "a bad run: {}. Too large steps overshoot, too small ones barely move; the curve shows \
         it before any test does.",
        seen.join(", and ")
    ));
}

/// The confusion-matrix exercise: which two species does the model mix up most, counting
/// both ways (the penguins of each taken for the other)?
pub fn mixed_up(matrix: &ConfusionMatrix, answer: &str) {
    if answer.trim().is_empty() {
        return unanswered("the empty string");
    }
    let classes = &matrix.classes;
    let mut named: Vec<usize> = answer
        .split(|c: char| !c.is_alphanumeric())
        .filter_map(|word| class_named(word, classes))
        .filter_map(|name| classes.iter().position(|c| c == name))
        .collect();
    named.sort_unstable();
    named.dedup();
    let [a, b] = named[..] else {
        return hint(&format!(
            "name two species from the matrix: {}.",
            classes.join(", ")
        ));
    };
    let confused = |a: usize, b: usize| matrix.counts[a][b] + matrix.counts[b][a];
    let most = (0..classes.len())
        .flat_map(|a| (a + 1..classes.len()).map(move |b| (a, b)))
        .map(|(a, b)| confused(a, b))
        .max()
        .unwrap_or(0);
    if most == 0 {
        return right("it mixes up no two species: every test penguin is right.");
    }
    let n = confused(a, b);
    if n < most {
        return hint(&format!(
            "{} and {} are taken for each other {n} times; another pair more often. For each \
             pair, add up the two cells where one is taken for the other.",
            classes[a], classes[b]
        ));
    }
    let total: usize = [a, b]
        .iter()
        .map(|&t| matrix.counts[t].iter().sum::<usize>())
        .sum();
    right(&format!(
        "{} and {}: {n} of their {total} test penguins were taken for the other of the two.",
        classes[a], classes[b]
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::said;

    fn history(loss: &[f64]) -> History {
        let mut h = History::default();
        h.metrics.insert("loss".into(), loss.to_vec());
        h
    }

    #[test]
    fn the_training_curve_check_reads_the_history() {
        let falling = history(&[1.2, 0.7, 0.3]);
        let lines = said(|| training_curve(&falling, Some(true), Some(false)));
        assert!(
            lines[0].starts_with("✓ the training loss went from 1.200 to 0.300"),
            "{lines:?}"
        );
        let lines = said(|| training_curve(&falling, Some(false), Some(false)));
        assert!(
            lines[0].contains("first and of the last epoch"),
            "{lines:?}"
        );
        let lines = said(|| training_curve(&falling, Some(true), Some(true)));
        assert!(lines[0].contains("never seen"), "{lines:?}");
        // A flat curve: the right answer is "no".
        let flat = history(&[64.0, 64.0, 64.0]);
        assert!(said(|| training_curve(&flat, Some(false), Some(false)))[0].starts_with("✓"));
        assert_eq!(
            said(|| training_curve(&falling, None, Some(false))),
            ["Not answered yet: replace each None with your answer and run the cell again."]
        );
    }

    #[test]
    fn a_bad_run_ends_higher_or_jumps() {
        let good = history(&[1.0, 0.5, 0.2, 0.1]);
        let slow = history(&[1.3, 1.29, 1.28, 1.27]);
        let lines = said(|| bad_run(&good, &slow));
        assert!(
            lines[0].starts_with("✓ a bad run: its loss ends at 1.270, 13 times"),
            "{lines:?}"
        );
        let jumpy = history(&[1.0, 0.05, 0.9, 0.04, 0.08]);
        let lines = said(|| bad_run(&good, &jumpy));
        assert!(
            lines[0].contains("it goes up in 50 % of the epochs (the first run: 0 %)"),
            "{lines:?}"
        );
        let lines = said(|| bad_run(&good, &good.clone()));
        assert!(
            lines[0].starts_with("Not yet: this run learns about as well"),
            "{lines:?}"
        );
    }

    #[test]
    fn the_pair_mixed_up_most_counts_both_ways() {
        let names: Vec<String> = ["Adelie", "Chinstrap", "Gentoo"].map(String::from).to_vec();
        // Notebook 09's raw run: Adelie ↔ Chinstrap 9 + 10 times, Adelie ↔ Gentoo 1 + 3.
        let (truth, predicted): (Vec<usize>, Vec<usize>) = [
            ((0, 0), 20),
            ((0, 1), 9),
            ((0, 2), 1),
            ((1, 0), 10),
            ((1, 1), 4),
            ((2, 0), 3),
            ((2, 2), 22),
        ]
        .iter()
        .flat_map(|&(pair, n)| std::iter::repeat_n(pair, n))
        .unzip();
        let m = ConfusionMatrix::new(&truth, &predicted, &names).unwrap();
        assert_eq!(
            said(|| mixed_up(&m, "chinstrap and Adelie")),
            [
                "✓ Adelie and Chinstrap: 19 of their 44 test penguins were taken for the other of \
              the two."
            ]
        );
        let lines = said(|| mixed_up(&m, "Adelie, Gentoo"));
        assert_eq!(
            lines,
            [
                "Not yet: Adelie and Gentoo are taken for each other 4 times; another pair more \
                 often. For each pair, add up the two cells where one is taken for the other."
            ]
        );
        assert!(!lines[0].contains("Chinstrap"), "gives it away: {lines:?}");
        assert!(said(|| mixed_up(&m, "Gentoo"))[0].starts_with("Not yet: name two species"));
        assert!(said(|| mixed_up(&m, ""))[0].starts_with("Not answered yet"));
        let perfect = ConfusionMatrix::new(&[0, 1, 2], &[0, 1, 2], &names).unwrap();
        assert!(said(|| mixed_up(&perfect, "Adelie and Gentoo"))[0].starts_with("✓ it mixes up no"));
    }
}
