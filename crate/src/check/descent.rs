//! The check of the learning-rate exercise.

use crate::descent;

use super::{hint, right, unanswered};

/// The largest learning rate at which gradient descent on the one-weight example still
/// converges. The example's loss is a parabola in w, so its gradient grows by the same amount
/// `c` (= 2·mean(x²)) for every unit of w, and each step multiplies the distance to the best
/// weight by `1 − c·rate`, which must stay between −1 and 1: the rate below 2/c.
fn largest_rate() -> f64 {
    let gradient = |w| descent::gradient(descent::example_loss, w).expect("a scalar loss");
    let growth = gradient(1.0) - gradient(0.0);
    2.0 / growth
}

/// The learning-rate exercise: the largest learning rate (to two decimals) at which gradient
/// descent on [`descent::example_loss`] still converges.
pub fn largest_learning_rate(answer: f64) {
    if answer.is_nan() {
        return unanswered("f64::NAN");
    }
    let limit = largest_rate();
    if (answer - limit).abs() <= 0.005 {
        let path = descent::gradient_descent(descent::example_loss, 0.5, limit * 1.02, 20);
        let grows = path.is_ok_and(|p| !descent::converges(&p));
        right(&format!(
            "{answer} is right: each step multiplies the distance to w = 2 by (1 − 15·rate), \
             which shrinks only while the rate is below 2/15 ≈ {limit:.4}; 2 % above it the \
             loss grows: {grows}."
        ));
    } else if answer > limit {
        hint(
            "at that rate the steps overshoot the bottom by more each time, so the loss \
             grows. Try smaller rates with descent::gradient_descent and descent::converges.",
        );
    } else {
        hint(
            "descent still converges at larger rates than that. Try larger ones, or work out \
             how much one step changes the distance to the best weight.",
        );
    }
}
