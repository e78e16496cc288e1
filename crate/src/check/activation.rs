//! The check of the activation-matching exercise.

use crate::activation::Activation;
use crate::error::{Error, Result};

use super::{hint, right, say, unanswered};

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
pub(crate) fn statement_answer(statement: usize) -> (Activation, &'static str) {
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

pub(crate) fn letter(activation: Activation) -> char {
    match activation {
        Activation::Sigmoid => 'A',
        Activation::Relu => 'B',
        _ => 'C',
    }
}

/// Parses "1A 2C 3B …" (spaces, commas, colons or `=` between pairs all work).
pub(crate) fn parse_matching(answers: &str) -> Result<Vec<(usize, char)>> {
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
