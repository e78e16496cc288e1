//! The check of the exercise in "The Rust you need today" (notebook 00): lists, `&` and `?`.

use crate::metrics;

use super::{hint, right, same, unanswered};

/// The exercise's five penguins: their species (0 Adélie, 1 Chinstrap, 2 Gentoo) and a
/// model's guesses.
pub const RUST_SPECIES: [usize; 5] = [0, 0, 1, 2, 2];
/// The model's guesses for [`RUST_SPECIES`].
pub const RUST_GUESSES: [usize; 5] = [0, 1, 1, 2, 0];

/// The exercise "your first accuracy": the accuracy of [`RUST_GUESSES`] against
/// [`RUST_SPECIES`], computed with `metrics::accuracy(&…, &…)?`.
pub fn first_accuracy(answer: f64) {
    if answer.is_nan() {
        return unanswered("f64::NAN");
    }
    let accuracy = metrics::accuracy(&RUST_SPECIES, &RUST_GUESSES).expect("equal lengths");
    let n = RUST_SPECIES.len() as f64;
    if same(answer, accuracy) {
        right(&format!(
            "{answer} is right: {:.0} of the {n} guesses match the species.",
            accuracy * n
        ));
    } else if same(answer, accuracy * n) {
        hint("that counts the right guesses; the accuracy is the fraction of them.");
    } else if same(answer, 100.0 * accuracy) {
        hint("metrics::accuracy gives a fraction between 0 and 1, not a percentage.");
    } else if same(answer, 1.0 - accuracy) {
        hint("that is the fraction of wrong guesses.");
    } else {
        hint(
            "make the two lists with vec![…], in the order given, and pass both to \
             metrics::accuracy with & before each and ? after the call.",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::said;

    #[test]
    fn the_first_accuracy_is_confirmed_and_each_slip_gets_its_hint() {
        assert_eq!(
            said(|| first_accuracy(0.6)),
            ["✓ 0.6 is right: 3 of the 5 guesses match the species."]
        );
        assert!(said(|| first_accuracy(f64::NAN))[0].starts_with("Not answered yet"));
        for (wrong, words) in [
            (3.0, "counts the right guesses"),
            (60.0, "not a percentage"),
            (0.4, "wrong guesses"),
            (0.8, "vec!"),
        ] {
            let lines = said(|| first_accuracy(wrong));
            assert!(lines[0].starts_with("Not yet: "), "{lines:?}");
            assert!(lines[0].contains(words), "{wrong}: {lines:?}");
            assert!(
                !lines[0].contains("0.6"),
                "gives the answer away: {lines:?}"
            );
        }
    }
}
