//! Self-checks for the exercises: each takes a participant's answer and prints `✓` with a
//! short confirmation, or `Not yet:` with a hint that does not give the answer away.
//!
//! The right answers are computed here with the crate's own functions from the exercises'
//! numbers, never typed in. `✗` is kept for a broken set-up (the Setup Testing checklist), so
//! a wrong answer never looks like a broken machine.

//!
//! One file per topic; every check is re-exported here, so a notebook writes
//! `check::neuron_output(answer)`.

mod activation;
mod evaluation;
mod loss;
mod neuron;
mod penguins;
mod playground;
mod separation;

pub use activation::*;
pub use evaluation::*;
pub use loss::*;
pub use neuron::*;
pub use penguins::*;
pub use playground::*;

#[cfg(test)]
thread_local! {
    /// What the checks said on this thread, for the tests.
    pub(crate) static SAID: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Prints one line of feedback (and, in tests, records it).
pub(crate) fn say(line: String) {
    println!("{line}");
    #[cfg(test)]
    SAID.with(|said| said.borrow_mut().push(line));
}

pub(crate) fn right(message: &str) {
    say(format!("✓ {message}"));
}

pub(crate) fn hint(message: &str) {
    say(format!("Not yet: {message}"));
}

pub(crate) fn unanswered(answer: &str) {
    say(format!(
        "Not answered yet: replace {answer} with your answer and run the cell again."
    ));
}

pub(crate) fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

#[cfg(test)]
mod tests {
    use super::activation::{letter, parse_matching, statement_answer};
    use super::*;
    use crate::activation::Activation;

    /// Runs a check and returns what it said.
    fn said(check: impl FnOnce()) -> Vec<String> {
        SAID.with(|s| s.borrow_mut().clear());
        check();
        SAID.with(|s| s.borrow().clone())
    }

    #[test]
    fn the_neuron_check_confirms_and_hints_without_the_answer() {
        assert_eq!(
            said(|| neuron_output(1.25)),
            [
                "✓ 1.25 is right: the weighted sum 0.25, plus the bias 1, is 1.25, and ReLU keeps \
              a positive number as it is."
            ]
        );
        for wrong in [0.25, 0.0, 2.0, -1.0] {
            let lines = said(|| neuron_output(wrong));
            assert_eq!(lines.len(), 1);
            assert!(lines[0].starts_with("Not yet: "), "{lines:?}");
            assert!(
                !lines[0].contains("1.25"),
                "gives the answer away: {lines:?}"
            );
        }
        assert!(said(|| neuron_output(0.25))[0].contains("adds its bias"));
        assert!(said(|| neuron_output(f64::NAN))[0].starts_with("Not answered yet"));
    }

    #[test]
    fn the_xor_checks_name_the_rows_to_look_at() {
        assert_eq!(
            said(|| xor_truth_table([0.0, 1.0, 1.0, 0.0])),
            ["✓ all four outputs are right."]
        );
        let lines = said(|| xor_truth_table([0.0, 1.0, 1.0, 2.0]));
        assert!(
            lines[0].starts_with("Not yet: look again at the input (1, 1):"),
            "{lines:?}"
        );
        assert!(said(|| logic_problem("Exclusive OR"))[0].starts_with("✓ it is XOR"));
        let or = said(|| logic_problem("or"));
        assert!(
            or[0].starts_with("Not yet: ") && !or[0].contains("XOR"),
            "{or:?}"
        );
    }

    #[test]
    fn the_matching_check_counts_and_points_without_answering() {
        let all = said(|| activation_matching("1A 2C 3B 4A 5B 6B 7C").unwrap());
        assert_eq!(all[0], "✓ all 7 right.");
        assert_eq!(all.len(), 8, "the verdict and one reason per statement");
        let some = said(|| activation_matching("1A 2B 3B 4A 5B 6C").unwrap());
        assert_eq!(
            some,
            ["Not yet: 4 of 7 right. Look again at statement 2, 6. Not answered: 7."]
        );
        assert_eq!(said(|| activation_matching("").unwrap()).len(), 1);
    }

    #[test]
    fn the_loss_checks_confirm_3_5_and_catch_the_sum() {
        assert_eq!(
            said(|| squared_errors(&[4.0, 9.0, 0.0, 1.0])),
            ["✓ the squared errors are right."]
        );
        assert_eq!(
            said(|| squared_errors(&[-2.0, -3.0, 0.0, -1.0])),
            ["Not yet: a squared number is never negative."]
        );
        assert_eq!(said(|| mse(3.5)), ["✓ the mean squared error is 3.5."]);
        let sum = said(|| mse(14.0));
        assert!(sum[0].contains("sum of the squared errors") && !sum[0].contains("3.5"));
        assert!(said(|| outlier_sensitivity("MSE"))[0].starts_with("✓ squared error"));
        assert!(said(|| outlier_sensitivity("huber"))[0].starts_with("Not yet: "));
    }

    #[test]
    fn the_matching_parser_takes_what_people_type() {
        let pairs = parse_matching("1A, 2 c; 3:B 4=a").unwrap();
        assert_eq!(pairs, [(1, 'A'), (2, 'C'), (3, 'B'), (4, 'A')]);
        let error = parse_matching("1A 9B").unwrap_err();
        assert_eq!(
            error.to_string(),
            "check::activation_matching: `answers` names statement 9, expected statements 1 to 7"
        );
        let error = parse_matching("1D").unwrap_err();
        assert!(error
            .to_string()
            .contains("expected A (sigmoid), B (ReLU) or C (linear)"));
        assert!(parse_matching("AB").is_err());
    }

    #[test]
    fn the_key_points_to_the_slides_answers() {
        let key: String = (1..=7)
            .map(|n| format!("{n}{}", letter(statement_answer(n).0)))
            .collect::<Vec<_>>()
            .join(" ");
        // The lesson's solution: 1A 2C 3B 4A 5B 6B 7C.
        assert_eq!(key, "1A 2C 3B 4A 5B 6B 7C");
        // Statement 7 is Keras' default, which is also ours.
        assert_eq!(statement_answer(7).0, Activation::default());
    }

    #[test]
    fn the_xor_network_is_the_exercise() {
        let table: Vec<f64> = TRUTH_TABLE_INPUTS
            .iter()
            .map(|x| xor_network().forward(x).unwrap()[0])
            .collect();
        assert_eq!(table, [0.0, 1.0, 1.0, 0.0]);
    }
}
