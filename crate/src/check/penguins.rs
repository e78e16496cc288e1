//! The checks of the penguin episode's exercises on the data and the network: the pair plot,
//! the outputs, the parameter count and Keras' Functional API. Those on training and its
//! results are in `evaluation.rs`.

use crate::activation::Activation;
use crate::data;
use crate::error::Result;
use crate::model::{Layer, Model, Sequential};

use super::separation::{one_feature_separation, pair_separation, ranked_pairs};
use super::{hint, right, say, unanswered};

/// The four measurements the pair plot shows.
pub const PENGUIN_FEATURES: [&str; 4] = [
    "bill_length_mm",
    "bill_depth_mm",
    "flipper_length_mm",
    "body_mass_g",
];

/// How close to the best pair of features another pair must come to count as separating
/// the classes as well (a share of the penguins).
const PAIR_MARGIN: f64 = 0.03;

/// Lower case, letters and digits only: "Bill length (mm)" → "billlengthmm".
fn normalise(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// The feature a participant means: "bill_depth_mm", "bill depth" and "Bill Depth" all name
/// `bill_depth_mm`.
fn feature_named(answer: &str) -> Option<&'static str> {
    let wanted = normalise(answer);
    if wanted.len() < 4 {
        return None;
    }
    PENGUIN_FEATURES
        .iter()
        .copied()
        .find(|f| normalise(f).starts_with(&wanted))
}

/// The class a participant names, among `classes`, ignoring case.
pub(super) fn class_named<'a>(answer: &str, classes: &'a [String]) -> Option<&'a String> {
    let wanted = normalise(answer);
    classes.iter().find(|c| normalise(c) == wanted)
}

/// The pair-plot exercise: which species is the easiest to tell from the other two?
pub fn easiest_species(answer: &str) -> Result<()> {
    let penguins = data::penguins()?;
    let classes = data::class_names(&penguins.texts("species")?);
    if answer.trim().is_empty() {
        unanswered("the empty string");
        return Ok(());
    }
    let Some(named) = class_named(answer, &classes) else {
        hint(&format!("answer with one of {}.", classes.join(", ")));
        return Ok(());
    };
    let scores = classes
        .iter()
        .map(|c| one_feature_separation(&penguins, &PENGUIN_FEATURES, c))
        .collect::<Result<Vec<_>>>()?;
    let best = (0..classes.len())
        .max_by(|&i, &j| scores[i].total_cmp(&scores[j]))
        .unwrap_or(0);
    if *named == classes[best] {
        right(&format!(
            "{named}: in at least one measurement alone its histogram stands apart from the \
             other two species' (one threshold tells {:.0} % of them apart).",
            100.0 * scores[best]
        ));
    } else {
        hint(&format!(
            "{named} overlaps with another species in every single measurement. Look at the \
             histograms on the diagonal: whose stands apart from the other two?"
        ));
    }
    Ok(())
}

/// Reads a pair of feature names, or says what is wrong with them.
fn feature_pair(pair: (&str, &str)) -> Option<(&'static str, &'static str)> {
    if pair.0.trim().is_empty() || pair.1.trim().is_empty() {
        unanswered("each empty string");
        return None;
    }
    let (Some(a), Some(b)) = (feature_named(pair.0), feature_named(pair.1)) else {
        hint(&format!(
            "name two of the measurements: {}.",
            PENGUIN_FEATURES.join(", ")
        ));
        return None;
    };
    if a == b {
        hint("name two different measurements: one panel off the diagonal.");
        return None;
    }
    Some((a, b))
}

/// Whether `(a, b)` is, in either order, among the pairs as good as the best.
fn among_best(ranked: &[((&str, &str), f64)], (a, b): (&str, &str)) -> Option<f64> {
    let best = ranked.first().map_or(0.0, |p| p.1);
    ranked
        .iter()
        .find(|((x, y), _)| (*x == a && *y == b) || (*x == b && *y == a))
        .map(|p| p.1)
        .filter(|&score| score >= best - PAIR_MARGIN)
}

/// The pair-plot exercise: which pair of measurements separates all three species?
pub fn separating_pair(pair: (&str, &str)) -> Result<()> {
    let Some((a, b)) = feature_pair(pair) else {
        return Ok(());
    };
    let penguins = data::penguins()?;
    let ranked = ranked_pairs(&penguins, &PENGUIN_FEATURES, "species")?;
    if let Some(score) = among_best(&ranked, (a, b)) {
        right(&format!(
            "{a} and {b}: in that panel each species has its own cloud; a penguin's 5 nearest \
             neighbours there share its species for {:.0} % of the penguins.",
            100.0 * score
        ));
        return Ok(());
    }
    // Which two species that panel mixes up most.
    let (_, matrix) = pair_separation(&penguins, a, b, "species")?;
    let k = matrix.classes.len();
    let (t, p) = (0..k)
        .flat_map(|t| (0..k).map(move |p| (t, p)))
        .filter(|(t, p)| t != p)
        .max_by_key(|&(t, p)| matrix.counts[t][p] + matrix.counts[p][t])
        .unwrap_or((0, 1));
    hint(&format!(
        "in the panel of {a} and {b}, {} and {} overlap. Look for a panel where all three \
         colours form separate clouds.",
        matrix.classes[t], matrix.classes[p]
    ));
    Ok(())
}

/// The optional pair-plot exercise: which pair of measurements tells the sexes apart best?
pub fn sex_pair(pair: (&str, &str)) -> Result<()> {
    let Some((a, b)) = feature_pair(pair) else {
        return Ok(());
    };
    let penguins = data::penguins()?;
    let ranked = ranked_pairs(&penguins, &PENGUIN_FEATURES, "sex")?;
    match among_best(&ranked, (a, b)) {
        Some(score) => right(&format!(
            "{a} and {b}: there the sexes overlap least ({:.0} % of the penguins have mostly \
             their own sex as nearest neighbours), though within each species, females are \
             smaller in everything: the species and the measurements together tell the sexes \
             apart.",
            100.0 * score
        )),
        None => hint(&format!(
            "in the panel of {a} and {b} the two colours overlap more than in another one: \
             compare the panels again."
        )),
    }
    Ok(())
}

/// The one-hot exercise: how many output neurons does the network need?
pub fn output_neurons(answer: usize) -> Result<()> {
    let classes = data::penguins()?.value_counts("species")?.len();
    match answer {
        0 => unanswered("0"),
        n if n == classes => right(&format!(
            "{n}: one per species, one per column of the one-hot table. With a softmax, they \
             give one probability per species."
        )),
        1 => hint("one neuron gives one number. How many columns does the one-hot table have?"),
        _ => hint("count the columns of the one-hot table: one output neuron per column."),
    }
    Ok(())
}

/// The parameters of the lesson's network with `width` hidden neurons: 4 inputs, a hidden
/// layer of `width` ReLU neurons, 3 softmax outputs.
fn lesson_parameters(width: usize) -> usize {
    Sequential::input_features(PENGUIN_FEATURES.len())
        .dense(width, Activation::Relu)
        .dense(3, Activation::Softmax)
        .summary()
        .total
}

/// "Create the neural network": how many parameters does the 4 → 10 → 3 model have?
pub fn penguin_parameters(answer: usize) {
    let expected = lesson_parameters(10);
    let weights = PENGUIN_FEATURES.len() * 10 + 10 * 3;
    if answer == 0 {
        unanswered("0");
    } else if answer == expected {
        right(&format!(
            "{expected}: {} weights from the inputs to the hidden layer and {} from it to the \
             outputs, plus one bias per neuron ({}).",
            PENGUIN_FEATURES.len() * 10,
            10 * 3,
            10 + 3
        ));
    } else if answer == weights {
        hint("you counted the weights. Every neuron also has a bias.");
    } else {
        hint(
            "count layer by layer: each neuron has one weight per input it receives, and one \
             bias.",
        );
    }
}

/// "What happens when the hidden layer grows or shrinks?": a formula for the parameter count
/// of the lesson's network with `width` hidden neurons, checked for every width from 1 to 32.
pub fn parameter_formula(formula: impl Fn(usize) -> usize) {
    let widths = 1..=32;
    if widths.clone().all(|w| formula(w) == 0) {
        return unanswered("the 0 in the formula");
    }
    let wrong: Vec<usize> = widths
        .clone()
        .filter(|&w| formula(w) != lesson_parameters(w))
        .collect();
    if wrong.is_empty() {
        let step = lesson_parameters(11) - lesson_parameters(10);
        let start = lesson_parameters(1) - step;
        right(&format!(
            "right for every width from 1 to 32: each hidden neuron adds {step} parameters \
             ({} weights in, its bias, 3 weights out), and the output layer's 3 biases stay: \
             {step} · width + {start}.",
            PENGUIN_FEATURES.len()
        ));
    } else if wrong.contains(&10) {
        hint(&format!(
            "for 10 hidden neurons your formula gives {}, which is not what model.summary() \
             counts. Start from the count for 10 neurons.",
            formula(10)
        ));
    } else {
        let w = wrong[0];
        hint(&format!(
            "right for 10 neurons, but for {w} your formula gives {}. What does one more \
             hidden neuron bring: how many weights in, how many out, and what else?",
            formula(w)
        ));
    }
}

/// The optional exercise on Keras' two APIs: the lesson's network written with the Functional
/// API has the layers and parameters of the `Sequential` model, and gives each class a
/// probability.
///
/// ```
/// use dlintro::prelude::*;
/// let inputs = Input::features(4);
/// let hidden = Layer::dense(10, Activation::Relu).apply(&inputs)?;
/// check::functional_network(&Model::new(&inputs, &hidden)?); // prints a hint
/// # Ok::<(), dlintro::Error>(())
/// ```
pub fn functional_network(model: &Model) {
    let count = model.count_params();
    let expected = lesson_parameters(10);
    let last = model.layers().last().map(|(layer, _)| *layer);
    if model.sample_shape() != [PENGUIN_FEATURES.len()] {
        return hint(&format!(
            "the input takes samples of shape {:?}: each penguin has {} measurements.",
            model.sample_shape(),
            PENGUIN_FEATURES.len()
        ));
    }
    if count != expected {
        return say(format!(
            "Not yet: your model has {count} parameters, and model.summary() counts {expected} \
             for the Sequential one. Is every layer applied to the output of the one before, \
             and is the last one the output layer?"
        ));
    }
    match last {
        Some(Layer::Dense {
            activation: Activation::Softmax,
            ..
        }) => right(&format!(
            "{count} parameters, as model.summary() counts for the Sequential model: the same \
             layers, written as a graph from an input to an output."
        )),
        _ => hint(
            "the right number of parameters, but the outputs should be the classes' \
             probabilities: which activation gives those?",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::said;

    #[test]
    fn gentoo_is_the_easiest_species_and_hints_do_not_name_it() {
        let right_one = said(|| easiest_species("gentoo").unwrap());
        assert!(right_one[0].starts_with("✓ Gentoo"), "{right_one:?}");
        for wrong in ["Adelie", "Chinstrap"] {
            let lines = said(|| easiest_species(wrong).unwrap());
            assert!(lines[0].starts_with("Not yet: "), "{lines:?}");
            assert!(!lines[0].contains("Gentoo"), "gives it away: {lines:?}");
        }
        assert!(said(|| easiest_species("").unwrap())[0].starts_with("Not answered yet"));
        assert_eq!(
            said(|| easiest_species("Emperor").unwrap()),
            ["Not yet: answer with one of Adelie, Chinstrap, Gentoo."]
        );
    }

    #[test]
    fn the_bill_pairs_separate_the_species_as_the_lesson_says() {
        // The lesson: bill length with bill depth, "other combinations are also possible such
        // as bill length and flipper length".
        for pair in [
            ("bill_length_mm", "bill_depth_mm"),
            ("Bill depth", "bill length"),
            ("bill_length_mm", "flipper_length_mm"),
        ] {
            let lines = said(|| separating_pair(pair).unwrap());
            assert!(lines[0].starts_with("✓ "), "{pair:?}: {lines:?}");
        }
        let lines = said(|| separating_pair(("flipper_length_mm", "body_mass_g")).unwrap());
        assert_eq!(
            lines,
            [
                "Not yet: in the panel of flipper_length_mm and body_mass_g, Chinstrap and Adelie \
              overlap. Look for a panel where all three colours form separate clouds."
            ]
        );
        let lines = said(|| separating_pair(("beak", "bill_depth_mm")).unwrap());
        assert!(
            lines[0].starts_with("Not yet: name two of the measurements"),
            "{lines:?}"
        );
        let lines = said(|| separating_pair(("bill depth", "bill_depth_mm")).unwrap());
        assert!(lines[0].contains("two different measurements"), "{lines:?}");
        assert!(said(|| separating_pair(("", "")).unwrap())[0].starts_with("Not answered yet"));
    }

    #[test]
    fn bill_depth_and_body_mass_tell_the_sexes_apart() {
        // The lesson's answer to the optional question.
        let lines = said(|| sex_pair(("bill_depth_mm", "body_mass_g")).unwrap());
        assert!(
            lines[0].starts_with("✓ bill_depth_mm and body_mass_g"),
            "{lines:?}"
        );
        let lines = said(|| sex_pair(("bill_length_mm", "flipper_length_mm")).unwrap());
        assert!(lines[0].starts_with("Not yet: "), "{lines:?}");
    }

    #[test]
    fn three_output_neurons_one_per_species() {
        assert!(said(|| output_neurons(3).unwrap())[0].starts_with("✓ 3: one per species"));
        for wrong in [1, 2, 4] {
            let lines = said(|| output_neurons(wrong).unwrap());
            assert!(
                lines[0].starts_with("Not yet: ") && !lines[0].contains('3'),
                "{lines:?}"
            );
        }
        assert!(said(|| output_neurons(0).unwrap())[0].starts_with("Not answered yet"));
    }

    #[test]
    fn the_parameter_checks_confirm_83_and_any_correct_formula() {
        // By hand: 4·10 + 10 weights and biases, then 10·3 + 3.
        assert_eq!(lesson_parameters(10), 83);
        assert!(said(|| penguin_parameters(83))[0].starts_with("✓ 83: 40 weights"));
        assert_eq!(
            said(|| penguin_parameters(70)),
            ["Not yet: you counted the weights. Every neuron also has a bias."]
        );
        let other = said(|| penguin_parameters(50));
        assert!(other[0].starts_with("Not yet: ") && !other[0].contains("83"));
        assert!(said(|| penguin_parameters(0))[0].starts_with("Not answered yet"));

        let formula = said(|| parameter_formula(|w| 8 * w + 3));
        assert!(formula[0].ends_with("8 · width + 3."), "{formula:?}");
        // Any way of writing it.
        let spelled_out = said(|| parameter_formula(|w| 4 * w + w + w * 3 + 3));
        assert!(spelled_out[0].starts_with("✓ "), "{spelled_out:?}");
        let weights_only = said(|| parameter_formula(|w| 8 * w));
        assert!(
            weights_only[0].starts_with("Not yet: for 10 hidden neurons your formula gives 80"),
            "{weights_only:?}"
        );
        let right_at_ten = said(|| parameter_formula(|w| 7 * w + 13));
        assert!(
            right_at_ten[0].starts_with("Not yet: right for 10 neurons, but for 1"),
            "{right_at_ten:?}"
        );
        for lines in [weights_only, right_at_ten] {
            assert!(
                !lines[0].contains("83") && !lines[0].contains("8 ·"),
                "{lines:?}"
            );
        }
        assert!(said(|| parameter_formula(|_| 0))[0].starts_with("Not answered yet"));
    }

    #[test]
    fn the_functional_network_has_the_same_83_parameters() {
        use crate::model::Input;
        let inputs = Input::features(4);
        let hidden = Layer::dense(10, Activation::Relu).apply(&inputs).unwrap();
        let half = Model::new(&inputs, &hidden).unwrap();
        assert_eq!(
            said(|| functional_network(&half)),
            [
                "Not yet: your model has 50 parameters, and model.summary() counts 83 for the \
                 Sequential one. Is every layer applied to the output of the one before, and is \
                 the last one the output layer?"
            ]
        );
        let linear = Layer::dense(3, Activation::Linear).apply(&hidden).unwrap();
        let lines = said(|| functional_network(&Model::new(&inputs, &linear).unwrap()));
        assert!(
            lines[0].starts_with("Not yet: the right number"),
            "{lines:?}"
        );
        assert!(!lines[0].contains("softmax"), "gives it away: {lines:?}");
        let outputs = Layer::dense(3, Activation::Softmax).apply(&hidden).unwrap();
        let whole = Model::new(&inputs, &outputs).unwrap();
        assert_eq!(
            said(|| functional_network(&whole)),
            [
                "✓ 83 parameters, as model.summary() counts for the Sequential model: the same \
                 layers, written as a graph from an input to an output."
            ]
        );
        let image = Input::image(2, 2, 1);
        let flat = Layer::Flatten.apply(&image).unwrap();
        let wrong_input = Model::new(
            &image,
            &Layer::dense(3, Activation::Softmax).apply(&flat).unwrap(),
        )
        .unwrap();
        assert!(
            said(|| functional_network(&wrong_input))[0].starts_with("Not yet: the input takes")
        );
    }
}
