//! Self-checks for the exercises: each takes a participant's answer and prints `✓` with a
//! short confirmation, or `Not yet:` with a hint that does not give the answer away.
//!
//! The right answers are computed here with the crate's own functions from the exercises'
//! numbers, never typed in. `✗` is kept for a broken set-up (the Setup Testing checklist), so
//! a wrong answer never looks like a broken machine.

use crate::activation::Activation;
use crate::error::{Error, Result};
use crate::loss;
use crate::neuron::{self, HandLayer, HandNetwork};

/// The one-neuron exercise: inputs, weights, bias, with ReLU.
pub const NEURON_INPUTS: [f64; 3] = [0.0, 0.5, 1.0];
/// The one-neuron exercise's weights.
pub const NEURON_WEIGHTS: [f64; 3] = [-1.0, -0.5, 0.5];
/// The one-neuron exercise's bias.
pub const NEURON_BIAS: f64 = 1.0;

/// The loss exercise: what the model predicted…
pub const LOSS_PREDICTIONS: [f64; 4] = [1.0, 2.0, 0.0, 3.0];
/// …and what was expected.
pub const LOSS_EXPECTED: [f64; 4] = [-1.0, -1.0, 0.0, 2.0];

#[cfg(test)]
thread_local! {
    /// What the checks said on this thread, for the tests.
    static SAID: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Prints one line of feedback (and, in tests, records it).
fn say(line: String) {
    println!("{line}");
    #[cfg(test)]
    SAID.with(|said| said.borrow_mut().push(line));
}

fn right(message: &str) {
    say(format!("✓ {message}"));
}

fn hint(message: &str) {
    say(format!("Not yet: {message}"));
}

fn unanswered(answer: &str) {
    say(format!(
        "Not answered yet: replace {answer} with your answer and run the cell again."
    ));
}

fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

/// The output of the neuron with inputs (0, 0.5, 1), weights (−1, −0.5, 0.5), bias 1 and
/// ReLU.
pub fn neuron_output(answer: f64) {
    if answer.is_nan() {
        return unanswered("f64::NAN");
    }
    let (x, w, b) = (&NEURON_INPUTS, &NEURON_WEIGHTS, NEURON_BIAS);
    let sum = neuron::weighted_sum(x, w).expect("the exercise's numbers are valid");
    let expected =
        neuron::output(x, w, b, Activation::Relu).expect("the exercise's numbers are valid");
    if same(answer, expected) {
        right(&format!(
            "{answer} is right: the weighted sum {sum}, plus the bias {b}, is {}, and ReLU \
             keeps a positive number as it is.",
            sum + b
        ));
    } else if same(answer, sum) {
        hint("that is the weighted sum; the neuron adds its bias before the activation.");
    } else if same(answer, 0.0) {
        hint("ReLU gives 0 only for a negative number. Is Σ xᵢ·wᵢ + bias negative here?");
    } else {
        hint(
            "multiply each input by its own weight, add the three products, add the bias, then \
             apply ReLU: max(0, z).",
        );
    }
}

/// The network of the optional exercise: two ReLU hidden neurons, one ReLU output.
pub fn xor_network() -> HandNetwork {
    let layers = vec![
        HandLayer::new(
            vec![vec![1.0, 1.0], vec![1.0, 1.0]],
            vec![0.0, -1.0],
            Activation::Relu,
        ),
        HandLayer::new(vec![vec![1.0, -2.0]], vec![0.0], Activation::Relu),
    ];
    let layers = layers
        .into_iter()
        .collect::<Result<Vec<_>>>()
        .expect("the exercise's layers are valid");
    HandNetwork::new(layers).expect("the exercise's layers fit together")
}

/// The four inputs of a two-input truth table, in order.
pub const TRUTH_TABLE_INPUTS: [[f64; 2]; 4] = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]];

/// The outputs of [`xor_network`] for (0, 0), (0, 1), (1, 0), (1, 1).
pub fn xor_truth_table(answer: [f64; 4]) {
    if answer.iter().any(|a| a.is_nan()) {
        return unanswered("each f64::NAN");
    }
    let network = xor_network();
    let wrong: Vec<String> = TRUTH_TABLE_INPUTS
        .iter()
        .zip(answer)
        .filter(|(x, a)| !same(*a, network.forward(&x[..]).expect("valid inputs")[0]))
        .map(|(x, _)| format!("({}, {})", x[0], x[1]))
        .collect();
    if wrong.is_empty() {
        right("all four outputs are right.");
    } else {
        hint(&format!(
            "look again at the input{} {}: compute both hidden neurons first, then the output \
             neuron from them.",
            if wrong.len() == 1 { "" } else { "s" },
            wrong.join(", ")
        ));
    }
}

/// The name of the logic problem the network solves.
pub fn logic_problem(answer: &str) {
    let normalised: String = answer
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    match normalised.as_str() {
        "" => unanswered("the empty string"),
        "xor" | "exclusiveor" => right(
            "it is XOR, exclusive or: 1 when exactly one input is 1. A single neuron cannot \
             compute it; a hidden layer can.",
        ),
        "or" => hint("OR gives 1 for (1, 1) too. What does this network give there?"),
        "and" => hint("AND gives 1 only for (1, 1). Compare with your truth table."),
        _ => hint("compare your truth table with those of AND, OR and their relatives."),
    }
}

/// The matching quiz of the activation-functions exercise: A sigmoid, B ReLU, C linear.
pub const ACTIVATION_STATEMENTS: [&str; 7] = [
    "Output values range strictly between 0 and 1",
    "Useful for regression outputs",
    "The most popular choice in hidden layers: a cheap non-linearity",
    "Useful for classification outputs",
    "The same as the identity for positive values",
    "Not differentiable at 0",
    "The default of a dense layer in Keras",
];

/// The activation each statement describes, and why, for the feedback.
fn statement_answer(statement: usize) -> (Activation, &'static str) {
    match statement {
        1 => (Activation::Sigmoid, "1/(1 + e^(−x)) never reaches 0 or 1"),
        2 => (Activation::Linear, "a regression output may be any number"),
        3 => (Activation::Relu, "max(0, x) costs one comparison"),
        4 => (Activation::Sigmoid, "its output reads as a probability"),
        5 => (Activation::Relu, "max(0, x) = x for x > 0"),
        6 => (Activation::Relu, "its slope jumps from 0 to 1 at 0"),
        _ => (
            Activation::Linear,
            "Dense(units) without activation= is linear",
        ),
    }
}

fn letter(activation: Activation) -> char {
    match activation {
        Activation::Sigmoid => 'A',
        Activation::Relu => 'B',
        _ => 'C',
    }
}

/// Parses "1A 2C 3B …" (spaces, commas, colons or `=` between pairs all work).
fn parse_matching(answers: &str) -> Result<Vec<(usize, char)>> {
    const F: &str = "check::activation_matching";
    let cleaned: String = answers
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let mut pairs = Vec::new();
    let mut tokens = cleaned.split_whitespace().peekable();
    while let Some(token) = tokens.next() {
        let digits: String = token.chars().take_while(char::is_ascii_digit).collect();
        let rest: String = token.chars().skip(digits.len()).collect();
        let letter = if rest.is_empty() {
            tokens.next().unwrap_or_default().to_string()
        } else {
            rest
        };
        let number: usize = digits.parse().map_err(|_| {
            Error::invalid(
                F,
                "answers",
                format!("has {token:?}, expected pairs like \"1A 2C 3B\""),
            )
        })?;
        if !(1..=ACTIVATION_STATEMENTS.len()).contains(&number) {
            return Err(Error::invalid(
                F,
                "answers",
                format!("names statement {number}, expected statements 1 to 7"),
            ));
        }
        let choice = letter.to_ascii_uppercase();
        let choice = match choice.as_str() {
            "A" | "B" | "C" => choice.chars().next().unwrap_or('A'),
            _ => {
                return Err(Error::invalid(
                    F,
                    "answers",
                    format!(
                        "gives {letter:?} for statement {number}, expected A (sigmoid), B (ReLU) \
                         or C (linear)"
                    ),
                ))
            }
        };
        pairs.push((number, choice));
    }
    Ok(pairs)
}

/// The matching quiz: `answers` like `"1A 2C 3B 4A 5B 6B 7C"`. Says how many are right and
/// which statements to look at again.
pub fn activation_matching(answers: &str) -> Result<()> {
    let pairs = parse_matching(answers)?;
    if pairs.is_empty() {
        unanswered("the empty string");
        return Ok(());
    }
    let mut wrong = Vec::new();
    let mut missing = Vec::new();
    for statement in 1..=ACTIVATION_STATEMENTS.len() {
        let (activation, _) = statement_answer(statement);
        match pairs.iter().rev().find(|(n, _)| *n == statement) {
            Some((_, choice)) if *choice == letter(activation) => {}
            Some(_) => wrong.push(statement),
            None => missing.push(statement),
        }
    }
    let total = ACTIVATION_STATEMENTS.len();
    let correct = total - wrong.len() - missing.len();
    if correct == total {
        right(&format!("all {total} right."));
        for statement in 1..=total {
            let (activation, why) = statement_answer(statement);
            say(format!("  {statement} → {activation}: {why}"));
        }
        return Ok(());
    }
    let list = |v: &[usize]| {
        v.iter()
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut message = format!("{correct} of {total} right.");
    if !wrong.is_empty() {
        message.push_str(&format!(" Look again at statement {}.", list(&wrong)));
    }
    if !missing.is_empty() {
        message.push_str(&format!(" Not answered: {}.", list(&missing)));
    }
    hint(&message);
    Ok(())
}

/// The squared errors of the loss exercise, in order.
pub fn squared_errors(answer: &[f64]) {
    if answer.is_empty() || answer.iter().any(|a| a.is_nan()) {
        return unanswered("each f64::NAN");
    }
    let expected = loss::squared_errors(&LOSS_EXPECTED, &LOSS_PREDICTIONS)
        .expect("the exercise's numbers are valid");
    if answer.len() != expected.len() {
        return hint(&format!(
            "there is one squared error per prediction: {} numbers.",
            expected.len()
        ));
    }
    let wrong: Vec<String> = (0..expected.len())
        .filter(|&i| !same(answer[i], expected[i]))
        .map(|i| (i + 1).to_string())
        .collect();
    if wrong.is_empty() {
        right("the squared errors are right.");
    } else if answer.iter().any(|a| *a < 0.0) {
        hint("a squared number is never negative.");
    } else {
        hint(&format!(
            "look again at number {}: subtract the prediction from the expected value, then \
             square the difference.",
            wrong.join(", ")
        ));
    }
}

/// The mean squared error of the loss exercise.
pub fn mse(answer: f64) {
    if answer.is_nan() {
        return unanswered("f64::NAN");
    }
    let expected =
        loss::mse(&LOSS_EXPECTED, &LOSS_PREDICTIONS).expect("the exercise's numbers are valid");
    let total: f64 = loss::squared_errors(&LOSS_EXPECTED, &LOSS_PREDICTIONS)
        .expect("valid")
        .iter()
        .sum();
    if same(answer, expected) {
        right(&format!("the mean squared error is {expected}."));
    } else if same(answer, total) {
        hint("that is the sum of the squared errors; the mean divides it by how many there are.");
    } else {
        hint("add up the four squared errors and divide by four.");
    }
}

/// Which loss is more sensitive to outliers: squared error or Huber?
pub fn outlier_sensitivity(answer: &str) {
    let a = answer.to_lowercase();
    if a.trim().is_empty() {
        unanswered("the empty string");
    } else if a.contains("huber") {
        hint(
            "look at the plot for an error of 3: which curve is higher, and how fast does it grow?",
        );
    } else if a.contains("squar") || a.contains("mse") {
        right(
            "squared error: it grows quadratically, so an error of 3 costs 9, while Huber \
             (delta = 1) grows linearly beyond ±1 and charges 2.5.",
        );
    } else {
        hint("answer \"squared error\" or \"Huber\".");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
