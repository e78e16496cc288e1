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
mod data;
mod descent;
mod evaluation;
mod loss;
mod neuron;
mod penguins;
mod playground;
mod problems;
mod rust;
mod separation;
mod weather;
mod workflow;

pub use activation::*;
pub use data::*;
pub use descent::*;
pub use evaluation::*;
pub use loss::*;
pub use neuron::*;
pub use penguins::*;
pub use playground::*;
pub use problems::*;
pub use rust::*;
pub use weather::*;
pub use workflow::*;

#[cfg(test)]
thread_local! {
    /// What the checks said on this thread, for the tests.
    pub(crate) static SAID: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Runs a check and returns what it said, for the tests.
#[cfg(test)]
pub(crate) fn said(check: impl FnOnce()) -> Vec<String> {
    SAID.with(|s| s.borrow_mut().clear());
    check();
    SAID.with(|s| s.borrow().clone())
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
    use super::workflow::workflow_solution;
    use super::*;
    use crate::activation::Activation;

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
        // A sentence naming both is read as neither, not as the first name found.
        assert_eq!(
            said(|| outlier_sensitivity("Huber is less sensitive than squared error")),
            [
                "Not yet: name just one of the two, \"squared error\" or \"Huber\": the one more \
              sensitive."
            ]
        );
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

    #[test]
    fn the_learning_rate_check_accepts_two_fifteenths_only() {
        let said = |answer: f64| said(|| largest_learning_rate(answer));
        assert_eq!(
            said(f64::NAN),
            ["Not answered yet: replace f64::NAN with your answer and run the cell again."]
        );
        assert!(
            said(0.13)[0].starts_with("✓ 0.13 is right"),
            "{:?}",
            said(0.13)
        );
        assert!(
            said(0.133)[0].ends_with("the loss grows: true."),
            "{:?}",
            said(0.133)
        );
        assert!(said(0.2)[0].starts_with("Not yet: at that rate the steps overshoot"));
        assert!(said(0.05)[0].starts_with("Not yet: descent still converges"));
        for answer in [0.2, 0.05] {
            assert!(
                !said(answer)[0].contains("0.13"),
                "a hint must not give the answer"
            );
        }
    }

    #[test]
    fn the_problems_check_explains_right_answers_and_hints_at_wrong_ones() {
        let unanswered = said(|| deep_learning_problems(["yes", "", "no", "no", "yes"]));
        assert_eq!(unanswered.len(), 1);
        assert!(unanswered[0].starts_with("Not answered yet"));
        let all_right = said(|| deep_learning_problems(["yes", "no", "no", "no", "yes"]));
        assert_eq!(all_right.len(), 5);
        assert!(
            all_right.iter().all(|l| l.starts_with("✓ task")),
            "{all_right:?}"
        );
        assert!(all_right[1].contains("a formula computes both exactly"));
        let one_wrong = said(|| deep_learning_problems(["yes", "yes", "no", "No", "Y"]));
        assert_eq!(
            one_wrong[1],
            "Not yet: task 2 (compute the median and interquartile range of a data set): ask \
             whether a known formula already gives the exact answer."
        );
        assert_eq!(one_wrong.iter().filter(|l| l.starts_with('✓')).count(), 4);
        let odd = said(|| deep_learning_problems(["maybe", "no", "no", "no", "yes"]));
        assert!(odd[0].contains("\"maybe\" is neither"), "{odd:?}");
        // A hint never says "yes" or "no" for its task.
        for line in one_wrong.iter().filter(|l| l.starts_with("Not yet")) {
            assert!(!line.contains(" yes") && !line.contains(" no "), "{line}");
        }
    }

    #[test]
    fn the_data_check_reads_the_learning_curve() {
        let runs = vec![
            (15.0, vec![0.5, 0.6]),
            (60.0, vec![0.85, 0.93]),
            (240.0, vec![0.95, 0.97]),
        ];
        let say = |answer| said(|| enough_data(answer, &runs, 0.9));
        assert!(say(0)[0].starts_with("Not answered yet"));
        assert_eq!(
            say(240),
            ["✓ 240 images: the smallest training set whose runs reach 90 % on average (96.0 %)."]
        );
        assert!(
            say(60)[0].contains("below 90 %: look further right"),
            "{:?}",
            say(60)
        );
        assert_eq!(
            say(100),
            ["Not yet: answer with one of the sizes that were tried: [15, 60, 240]."]
        );
        let easy = vec![(15.0, vec![0.95]), (60.0, vec![0.99])];
        let later = said(|| enough_data(60, &easy, 0.9));
        assert!(later[0].contains("look further left"), "{later:?}");
    }

    #[test]
    fn the_workflow_cards_go_back_in_the_slides_order() {
        let cards = workflow_cards();
        let solution = workflow_solution();
        // The slides' order, read off the cards: the key of the exercise.
        let key: String = solution.iter().collect();
        assert_eq!(key, "DHBJFAIECG");
        for (step, letter) in solution.iter().enumerate() {
            let card = cards.iter().find(|(l, _)| l == letter).unwrap();
            assert_eq!(card.1, WORKFLOW_STEPS[step]);
        }
        // No card is dealt in its own place.
        for (i, (_, name)) in cards.iter().enumerate() {
            assert_ne!(*name, WORKFLOW_STEPS[i]);
        }
    }

    #[test]
    fn the_workflow_check_confirms_and_hints_without_the_answer() {
        let all = said(|| workflow_order("d h b j f a i e c g").unwrap());
        assert_eq!(all[0], "✓ all 10 steps in order:");
        assert_eq!(all.len(), 11);
        assert_eq!(all[1], "   1. Formulate / outline the problem");
        assert_eq!(
            said(|| workflow_order("D, H, B, J, A, F, I, E, C, G").unwrap()),
            [
                "Not yet: 8 of 10 cards in the right place. Think about card A (“Train the \
                 model”): training needs a model, a loss to make smaller and an optimizer to do it."
            ]
        );
        assert_eq!(
            said(|| workflow_order("DHBJFAIECC").unwrap()),
            ["Not yet: use each of the 10 cards once. Missing: G. More than once: C."]
        );
        assert!(said(|| workflow_order("").unwrap())[0].starts_with("Not answered yet"));
        // A wrong order never prints the whole key.
        let hint = said(|| workflow_order("ABCDEFGHIJ").unwrap());
        assert!(hint[0].starts_with("Not yet: 0 of 10") && !hint[0].contains("DHB"));
        assert_eq!(
            workflow_order("A B K").unwrap_err().to_string(),
            "check::workflow_order: `answer` has 'K', expected the cards' letters A to J, \
             e.g. \"C A B …\""
        );
    }
}
