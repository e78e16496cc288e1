//! The check of the workflow exercise: the ten steps, dealt out as shuffled cards A to J, put
//! back in order.

use crate::error::{Error, Result};

use super::{hint, right, say, unanswered};

/// The ten steps of the deep learning workflow, in order, as the slides name them.
pub const WORKFLOW_STEPS: [&str; 10] = [
    "Formulate / outline the problem",
    "Identify inputs and outputs",
    "Prepare the data",
    "Choose a pre-trained model or build a new architecture",
    "Choose a loss function and optimizer",
    "Train the model",
    "Perform a prediction or classification",
    "Measure performance",
    "Tune hyperparameters",
    "Share the model",
];

/// Which step (1 to 10) each card A, B, C, … holds: a fixed shuffle in which no step keeps
/// its place.
const CARD_STEPS: [usize; 10] = [6, 3, 9, 1, 8, 5, 10, 2, 7, 4];

/// What a step needs from the steps before it: the hint for a card out of place.
fn needs(step: usize) -> &'static str {
    match step {
        1 => "every other step serves the problem. What do you need to know before anything else?",
        2 => "you can say what goes in and what comes out only once you know the question.",
        3 => {
            "preparing turns the inputs and outputs you picked into numbers, and splits them \
              into training and test sets."
        }
        4 => {
            "the first and last layer take their sizes from the inputs and outputs, and the \
              prepared data is what the model will see."
        }
        5 => {
            "the loss compares the model's output with the true answer, and the optimizer \
              changes the model's weights: both need the model. In Keras, compile comes after \
              the layers."
        }
        6 => "training needs a model, a loss to make smaller and an optimizer to do it.",
        7 => "a prediction comes from a trained model.",
        8 => "measuring compares predictions on the test set with the true answers.",
        9 => "you tune what a measurement told you to improve, then train and measure again.",
        _ => "you share a model you are happy with. What must have happened before that?",
    }
}

/// The cards of the exercise, in the order they are dealt: `('A', step), ('B', step), …`.
///
/// ```
/// let cards = dlintro::check::workflow_cards();
/// assert_eq!(cards.len(), 10);
/// assert_eq!(cards[0].0, 'A');
/// ```
pub fn workflow_cards() -> Vec<(char, &'static str)> {
    CARD_STEPS
        .iter()
        .enumerate()
        .map(|(i, &step)| (card_letter(i), WORKFLOW_STEPS[step - 1]))
        .collect()
}

fn card_letter(index: usize) -> char {
    (b'A' + index as u8) as char
}

/// The letters of the cards in the steps' order.
pub(crate) fn workflow_solution() -> Vec<char> {
    (1..=WORKFLOW_STEPS.len())
        .map(|step| {
            let index = CARD_STEPS
                .iter()
                .position(|&s| s == step)
                .expect("every step is on a card");
            card_letter(index)
        })
        .collect()
}

/// The cards' letters in `answer`, whatever is typed between them.
fn parse_cards(answer: &str) -> Result<Vec<char>> {
    let last = card_letter(CARD_STEPS.len() - 1);
    answer
        .chars()
        .filter(|c| c.is_alphanumeric())
        .map(|c| {
            let letter = c.to_ascii_uppercase();
            if ('A'..=last).contains(&letter) {
                Ok(letter)
            } else {
                Err(Error::invalid(
                    "check::workflow_order",
                    "answer",
                    format!("has {c:?}, expected the cards' letters A to {last}, e.g. \"C A B …\""),
                ))
            }
        })
        .collect()
}

/// The workflow exercise: the letters of the cards from [`workflow_cards`] in the order the
/// steps happen, like `"C A B …"`. Says how many are in place and what one misplaced card
/// needs from the steps before it, without saying where it goes.
pub fn workflow_order(answer: &str) -> Result<()> {
    let cards = parse_cards(answer)?;
    if cards.is_empty() {
        unanswered("the empty string");
        return Ok(());
    }
    let solution = workflow_solution();
    let total = solution.len();
    let missing: Vec<String> = solution
        .iter()
        .filter(|c| !cards.contains(c))
        .map(char::to_string)
        .collect();
    let twice: Vec<String> = solution
        .iter()
        .filter(|&&c| cards.iter().filter(|&&d| d == c).count() > 1)
        .map(char::to_string)
        .collect();
    if !missing.is_empty() || !twice.is_empty() {
        let mut message = format!("use each of the {total} cards once.");
        if !missing.is_empty() {
            message.push_str(&format!(" Missing: {}.", missing.join(", ")));
        }
        if !twice.is_empty() {
            message.push_str(&format!(" More than once: {}.", twice.join(", ")));
        }
        hint(&message);
        return Ok(());
    }
    let in_place = cards.iter().zip(&solution).filter(|(a, b)| a == b).count();
    if in_place == total {
        right(&format!("all {total} steps in order:"));
        for (step, name) in WORKFLOW_STEPS.iter().enumerate() {
            say(format!("  {:>2}. {name}", step + 1));
        }
        return Ok(());
    }
    let (card, _) = cards
        .iter()
        .zip(&solution)
        .find(|(a, b)| a != b)
        .expect("some card is out of place");
    let step = CARD_STEPS[(*card as u8 - b'A') as usize];
    hint(&format!(
        "{in_place} of {total} cards in the right place. Think about card {card} (“{}”): {}",
        WORKFLOW_STEPS[step - 1],
        needs(step)
    ));
    Ok(())
}
