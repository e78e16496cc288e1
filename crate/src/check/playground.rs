//! The checks of the Playground exercises: the circle without a hidden layer, the smallest
//! network for XOR, what linear activations can separate, and the spiral.

use std::sync::OnceLock;

use crate::activation::Activation;
use crate::error::Result;
use crate::loss::Loss;
use crate::model::{Layer, Sequential};
use crate::optimizer::Optimizer;
use crate::playground::{Feature, Playground, Points};
use crate::train::{FitOptions, Verbose};

use super::{hint, right, unanswered};

/// The share of test points a model must get right to have solved a data set.
pub const SOLVED: f64 = 0.95;

/// The neurons of each hidden dense layer of `model` (every dense layer but the last).
fn hidden_widths(model: &Sequential) -> Vec<usize> {
    let mut widths: Vec<usize> = model
        .layers()
        .iter()
        .filter_map(|layer| match layer {
            Layer::Dense { units, .. } => Some(*units),
            _ => None,
        })
        .collect();
    widths.pop();
    widths
}

/// The accuracy of `model` on `test`, or `None` after a hint when it cannot be measured.
fn test_accuracy(model: &Sequential, test: &Points) -> Result<Option<f64>> {
    let Some(loss) = model.loss() else {
        hint("the model is not compiled yet: call model.compile(…) and train it first.");
        return Ok(None);
    };
    if !loss.classifies() {
        hint(
            "compile the model with a classification loss (Loss::BinaryCrossEntropy with one \
             sigmoid output), so that its accuracy can be measured.",
        );
        return Ok(None);
    }
    if model.check_points("check", test).is_err() {
        hint(&format!(
            "the test points give the model {} input feature(s), but it takes another number: \
             choose the features before splitting the points, so both parts have them.",
            test.inputs().len()
        ));
        return Ok(None);
    }
    let (x, y) = test.tensors(crate::device())?;
    Ok(model.evaluate(&x, &y)?.accuracy)
}

fn percent(share: f64) -> String {
    format!("{:.0} %", 100.0 * share)
}

fn same_features(points: &Points, wanted: &[Feature]) -> bool {
    let mut given = points.inputs().to_vec();
    let mut wanted = wanted.to_vec();
    given.sort();
    wanted.sort();
    given == wanted
}

/// The circle exercise: a model without a hidden layer, given x₁² and x₂² only, classifies
/// the `test` points of the circle.
pub fn circle_without_hidden_layer(model: &Sequential, test: &Points) -> Result<()> {
    let squared = [Feature::X1Squared, Feature::X2Squared];
    if !same_features(test, &squared) {
        let names: Vec<String> = test.inputs().iter().map(|f| f.to_string()).collect();
        hint(&format!(
            "this model sees {}; the exercise gives it the squared coordinates and nothing else.",
            names.join(", ")
        ));
        return Ok(());
    }
    let hidden: usize = hidden_widths(model).iter().sum();
    if hidden > 0 {
        hint(&format!(
            "this model has {hidden} hidden neuron(s); the exercise asks for none: the inputs go \
             straight into the output neuron."
        ));
        return Ok(());
    }
    let Some(accuracy) = test_accuracy(model, test)? else {
        return Ok(());
    };
    if accuracy >= SOLVED {
        right(&format!(
            "{} of the test points right without a hidden layer. In x₁² and x₂² the disc is \
             where x₁² + x₂² is small: a weighted sum of the two inputs, so one straight line \
             separates it from the ring.",
            percent(accuracy)
        ));
    } else {
        hint(&format!(
            "{} of the test points right. The inputs are right; train longer or with a larger \
             learning rate.",
            percent(accuracy)
        ));
    }
    Ok(())
}

/// The fewest hidden neurons, in one hidden layer, with which we found a network that solves
/// XOR from x₁ and x₂ (see the test `a_network_of_the_fewest_neurons_solves_xor`). One
/// neuron cannot: a sigmoid of one increasing function of one weighted sum still splits the
/// plane along one straight line.
pub const XOR_FEWEST_NEURONS: usize = 3;

/// The XOR exercise: `model` solves the `test` points of XOR from x₁ and x₂, with as few
/// hidden neurons as we could find.
pub fn smallest_xor(model: &Sequential, test: &Points) -> Result<()> {
    if !same_features(test, &[Feature::X1, Feature::X2]) {
        hint(
            "this exercise gives the network x₁ and x₂ only. (With other features a smaller \
             network may do: you may have found the Playground's shortcut, but here we count \
             neurons.)",
        );
        return Ok(());
    }
    let Some(accuracy) = test_accuracy(model, test)? else {
        return Ok(());
    };
    let widths = hidden_widths(model);
    let hidden: usize = widths.iter().sum();
    if accuracy < SOLVED {
        let advice = if hidden < XOR_FEWEST_NEURONS {
            "with this few neurons, try another activation, a larger learning rate, more epochs \
             or another seed, or add a neuron"
        } else {
            "train longer, change the learning rate, or try another seed"
        };
        hint(&format!(
            "{} of the test points right, not yet solved: {advice}.",
            percent(accuracy)
        ));
        return Ok(());
    }
    let parameters = model.summary().total;
    let size = format!(
        "{hidden} hidden neuron{} (layers {widths:?}), {parameters} parameters",
        if hidden == 1 { "" } else { "s" }
    );
    if hidden > XOR_FEWEST_NEURONS {
        hint(&format!(
            "solved ({} right) with {size}. Can a smaller network do it? Take neurons away \
             until it fails.",
            percent(accuracy)
        ));
        return Ok(());
    }
    right(&format!(
        "solved ({} right) with {size}: each hidden neuron draws one line, and the output \
         neuron combines them into the two opposite quadrants. {}",
        percent(accuracy),
        if hidden < XOR_FEWEST_NEURONS {
            "That is smaller than the smallest we found: tell us how!"
        } else {
            "We found none smaller."
        }
    ));
    Ok(())
}

/// The data sets a network with linear activations separates, computed once: a linear
/// network computes a weighted sum of its inputs whatever its depth, so one dense layer
/// (started from zero weights, so the RNG's state does not matter) stands for them all.
fn linearly_separable() -> &'static [(Playground, f64)] {
    static ANSWER: OnceLock<Vec<(Playground, f64)>> = OnceLock::new();
    ANSWER.get_or_init(|| {
        Playground::ALL
            .iter()
            .map(|&set| {
                let points = set.generate(200, 0.0, 1).expect("valid settings");
                (
                    set,
                    linear_accuracy(&points).expect("a valid model and data"),
                )
            })
            .collect()
    })
}

/// The training accuracy of a linear classifier of `points` (x₁ and x₂).
fn linear_accuracy(points: &Points) -> Result<f64> {
    let (x, y) = points.tensors(crate::device())?;
    let mut model = Sequential::input_features(2).dense(1, Activation::Sigmoid);
    model.compile(
        Loss::BinaryCrossEntropy,
        Optimizer::Adam { learning_rate: 0.1 },
    )?;
    let zeros: Vec<(String, tch::Tensor)> = model
        .snapshot()
        .into_iter()
        .map(|(name, t)| (name, t.zeros_like()))
        .collect();
    model.restore(&zeros);
    let options = FitOptions {
        epochs: 300,
        batch_size: points.len(),
        shuffle: false,
        verbose: Verbose::Silent,
        ..Default::default()
    };
    let history = model.fit(&x, &y, options)?;
    history.last("accuracy")
}

/// The linear-network exercise: which of the Playground's data sets can a network with
/// linear activations everywhere (but the sigmoid output) separate?
pub fn linear_network_separates(answer: &[Playground]) {
    if answer.is_empty() {
        return unanswered("the empty list");
    }
    let truth = linearly_separable();
    let separable = |set: Playground| {
        truth
            .iter()
            .any(|&(s, accuracy)| s == set && accuracy >= SOLVED)
    };
    if let Some(wrong) = answer.iter().find(|&&set| !separable(set)) {
        return hint(&format!(
            "look again at the boundary a linear network draws on the {wrong} data set: can \
             one straight line split its two classes?"
        ));
    }
    if truth
        .iter()
        .any(|(set, accuracy)| *accuracy >= SOLVED && !answer.contains(set))
    {
        return hint("one more set can be split by a straight line: train the network on each.");
    }
    let names: Vec<String> = answer.iter().map(|s| s.to_string()).collect();
    right(&format!(
        "only the {}: a linear layer fed by a linear layer is still a weighted sum of the \
         inputs, so however deep, the network draws one straight line. The activation \
         functions are what let a network bend its boundary.",
        names.join(" and ")
    ));
}

/// The spiral exercise: `model` classifies the `test` points of the spiral.
pub fn spiral(model: &Sequential, test: &Points) -> Result<()> {
    let Some(accuracy) = test_accuracy(model, test)? else {
        return Ok(());
    };
    let hidden = hidden_widths(model);
    if accuracy >= 0.9 {
        right(&format!(
            "{} of the test points right with hidden layers {hidden:?}: the network bent its \
             boundary around both arms.",
            percent(accuracy)
        ));
    } else {
        hint(&format!(
            "{} of the test points right (it needs 90 %). Give it more neurons, another hidden \
             layer, more epochs, or other input features.",
            percent(accuracy)
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::said;

    /// A model of `hidden` neurons (ReLU) and a sigmoid output, trained as the notebook does.
    fn trained(points: &Points, hidden: &[usize], learning_rate: f64, epochs: usize) -> Sequential {
        let (x, y) = points.tensors(crate::device()).unwrap();
        let mut model = Sequential::input_features(points.inputs().len())
            .hidden_layers(hidden, Activation::Relu)
            .dense(1, Activation::Sigmoid);
        model
            .compile(Loss::BinaryCrossEntropy, Optimizer::Adam { learning_rate })
            .unwrap();
        let options = FitOptions {
            epochs,
            verbose: Verbose::Silent,
            ..Default::default()
        };
        model.fit(&x, &y, options).unwrap();
        model
    }

    #[test]
    fn the_squared_circle_needs_no_hidden_layer() {
        let circle = Playground::Circle.generate(200, 0.0, 1).unwrap();
        let squared = circle
            .features(&[Feature::X2Squared, Feature::X1Squared])
            .unwrap();
        let (train, test) = squared.split(0.5, 1).unwrap();
        crate::seed(1);
        let single = trained(&train, &[], 0.1, 100);
        let lines = said(|| circle_without_hidden_layer(&single, &test).unwrap());
        assert!(
            lines[0].starts_with("✓ 100 % of the test points right"),
            "{lines:?}"
        );
        // x₁ and x₂: a hint about the inputs, before any training is judged.
        let (plain_train, plain_test) = circle.split(0.5, 1).unwrap();
        let plain = trained(&plain_train, &[], 0.1, 5);
        let lines = said(|| circle_without_hidden_layer(&plain, &plain_test).unwrap());
        assert_eq!(
            lines,
            [
                "Not yet: this model sees x₁, x₂; the exercise gives it the squared coordinates \
              and nothing else."
            ]
        );
        let hidden = trained(&train, &[4], 0.1, 5);
        let lines = said(|| circle_without_hidden_layer(&hidden, &test).unwrap());
        assert!(
            lines[0].starts_with("Not yet: this model has 4 hidden neuron(s)"),
            "{lines:?}"
        );
        let barely = trained(&train, &[], 0.001, 1);
        let lines = said(|| circle_without_hidden_layer(&barely, &test).unwrap());
        assert!(lines[0].contains("train longer"), "{lines:?}");
    }

    #[test]
    fn a_network_of_the_fewest_neurons_solves_xor() {
        let (train, test) = Playground::Xor
            .generate(200, 0.0, 1)
            .unwrap()
            .split(0.5, 1)
            .unwrap();
        // The notebook's solution: 3 ReLU neurons, seed 4, Adam 0.1, 200 epochs.
        crate::seed(4);
        let fewest = trained(&train, &[XOR_FEWEST_NEURONS], 0.1, 200);
        let lines = said(|| smallest_xor(&fewest, &test).unwrap());
        assert!(lines[0].starts_with("✓ solved ("), "{lines:?}");
        assert!(
            lines[0].contains("3 hidden neurons (layers [3]), 13 parameters"),
            "{lines:?}"
        );
        crate::seed(4);
        let larger = trained(&train, &[8], 0.1, 200);
        let lines = said(|| smallest_xor(&larger, &test).unwrap());
        assert!(
            lines[0].contains("Can a smaller network do it?"),
            "{lines:?}"
        );
        assert!(
            !lines[0].contains(" 3 hidden"),
            "gives the size away: {lines:?}"
        );
        // One neuron splits the plane along one line: at most about three quarters right.
        crate::seed(4);
        let one = trained(&train, &[1], 0.1, 100);
        let lines = said(|| smallest_xor(&one, &test).unwrap());
        assert!(lines[0].contains("not yet solved"), "{lines:?}");
        let product = Playground::Xor
            .generate(50, 0.0, 1)
            .unwrap()
            .features(&[Feature::X1X2])
            .unwrap();
        let lines = said(|| smallest_xor(&one, &product).unwrap());
        assert!(lines[0].starts_with("Not yet: this exercise gives the network x₁ and x₂ only"));
    }

    #[test]
    fn only_the_gaussian_blobs_are_linearly_separable() {
        let truth = linearly_separable();
        let separable: Vec<Playground> = truth
            .iter()
            .filter(|(_, accuracy)| *accuracy >= SOLVED)
            .map(|(set, _)| *set)
            .collect();
        assert_eq!(separable, [Playground::Gaussian], "{truth:?}");
        assert!(
            said(|| linear_network_separates(&[Playground::Gaussian]))[0]
                .starts_with("✓ only the Gaussian blobs")
        );
        let lines = said(|| linear_network_separates(&[Playground::Gaussian, Playground::Circle]));
        assert!(lines[0].contains("on the circle data set"), "{lines:?}");
        let lines = said(|| linear_network_separates(&[Playground::Xor]));
        assert!(lines[0].contains("on the XOR data set"), "{lines:?}");
        assert!(said(|| linear_network_separates(&[]))[0].starts_with("Not answered yet"));
    }

    #[test]
    fn a_small_network_has_not_learned_the_spiral() {
        let (train, test) = Playground::Spiral
            .generate(300, 0.0, 1)
            .unwrap()
            .split(0.3, 1)
            .unwrap();
        crate::seed(3);
        let small = trained(&train, &[8], 0.01, 30);
        let lines = said(|| spiral(&small, &test).unwrap());
        assert!(
            lines[0].starts_with("Not yet: ") && lines[0].contains("(it needs 90 %)"),
            "{lines:?}"
        );
        let mut uncompiled = Sequential::input_features(2).dense(1, Activation::Sigmoid);
        let lines = said(|| spiral(&uncompiled, &test).unwrap());
        assert!(lines[0].contains("not compiled"), "{lines:?}");
        uncompiled
            .compile(Loss::MeanSquaredError, Optimizer::default())
            .unwrap();
        let lines = said(|| spiral(&uncompiled, &test).unwrap());
        assert!(lines[0].contains("classification loss"), "{lines:?}");
    }
}
