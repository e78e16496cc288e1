//! The checks of the loss-function exercise.

use crate::loss;

use super::{hint, right, same, unanswered};

/// The loss exercise: what the model predicted…
pub const LOSS_PREDICTIONS: [f64; 4] = [1.0, 2.0, 0.0, 3.0];
/// …and what was expected.
pub const LOSS_EXPECTED: [f64; 4] = [-1.0, -1.0, 0.0, 2.0];

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
    let huber = a.contains("huber");
    let squared = a.contains("squar") || a.contains("mse");
    if a.trim().is_empty() {
        unanswered("the empty string");
    } else if huber && squared {
        hint("name just one of the two, \"squared error\" or \"Huber\": the one more sensitive.");
    } else if huber {
        hint(
            "look at the plot for an error of 3: which curve is higher, and how fast does it grow?",
        );
    } else if squared {
        right(
            "squared error: it grows quadratically, so an error of 3 costs 9, while Huber \
             (delta = 1) grows linearly beyond ±1 and charges 2.5.",
        );
    } else {
        hint("answer \"squared error\" or \"Huber\".");
    }
}
