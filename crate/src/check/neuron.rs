//! The checks of the one-neuron exercise and the XOR network.

use crate::activation::Activation;
use crate::error::Result;
use crate::neuron::{self, HandLayer, HandNetwork};

use super::{hint, right, same, unanswered};

/// The one-neuron exercise: inputs, weights, bias, with ReLU.
pub const NEURON_INPUTS: [f64; 3] = [0.0, 0.5, 1.0];
/// The one-neuron exercise's weights.
pub const NEURON_WEIGHTS: [f64; 3] = [-1.0, -0.5, 0.5];
/// The one-neuron exercise's bias.
pub const NEURON_BIAS: f64 = 1.0;

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
