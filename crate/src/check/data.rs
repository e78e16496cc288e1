//! The check of the "how much data" exercise: reading a learning curve.

use super::{hint, right, say};

/// The learning-curve exercise: the smallest training-set size in `runs` (pairs of size and
/// the scores of its runs, as for [`plot::learning_curve`](crate::plot::learning_curve))
/// whose mean score reaches `target`. `answer` 0 means not answered yet.
pub fn enough_data(answer: usize, runs: &[(f64, Vec<f64>)], target: f64) {
    if answer == 0 {
        return say(
            "Not answered yet: replace 0 with your answer and run the cell again.".to_string(),
        );
    }
    let mean = |scores: &[f64]| scores.iter().sum::<f64>() / scores.len().max(1) as f64;
    let sizes: Vec<usize> = runs.iter().map(|(size, _)| *size as usize).collect();
    let Some(position) = sizes.iter().position(|&s| s == answer) else {
        return hint(&format!(
            "answer with one of the sizes that were tried: {sizes:?}."
        ));
    };
    let enough = runs.iter().position(|(_, scores)| mean(scores) >= target);
    match enough {
        Some(first) if first == position => right(&format!(
            "{answer} images: the smallest training set whose runs reach {:.0} % on average \
             ({:.1} %).",
            100.0 * target,
            100.0 * mean(&runs[position].1)
        )),
        Some(first) if first < position => hint(&format!(
            "{answer} images are enough, but a smaller training set already reaches {:.0} % \
             on average: look further left on the curve.",
            100.0 * target
        )),
        Some(_) => hint(&format!(
            "with {answer} images the runs average {:.1} %, below {:.0} %: look further right \
             on the curve.",
            100.0 * mean(&runs[position].1),
            100.0 * target
        )),
        None => hint(&format!(
            "none of these sizes reaches {:.0} % on average; train with more images first.",
            100.0 * target
        )),
    }
}
