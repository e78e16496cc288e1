//! How well measurements separate classes, computed from the data: the right answers of the
//! pair-plot exercises.

use ndarray::Array2;

use crate::data::{self, Standardizer, Table};
use crate::error::Result;
use crate::metrics::ConfusionMatrix;

/// How well two measurements tell the classes of `label` apart: each penguin is given the
/// class most common among its 5 nearest neighbours in the two standardised measurements
/// (itself left out). Returns the share given their own class and the matrix of who was
/// taken for whom.
pub(super) fn pair_separation(
    table: &Table,
    a: &str,
    b: &str,
    label: &str,
) -> Result<(f64, ConfusionMatrix)> {
    let rows = table.select(&[a, b, label])?.drop_missing();
    let pairs: Vec<f64> = rows
        .numbers(a)?
        .into_iter()
        .zip(rows.numbers(b)?)
        .flat_map(|(va, vb)| [va, vb])
        .collect();
    let x = Array2::from_shape_vec((pairs.len() / 2, 2), pairs).expect("two values per row");
    let x = Standardizer::fit(&x)?.transform(&x)?; // [penguins, 2], mean 0, std 1
    let (xa, xb) = (x.column(0).to_vec(), x.column(1).to_vec());
    let names = rows.texts(label)?;
    let classes = data::class_names(&names);
    let truth = data::class_indices(&names, &classes)?;
    let n = truth.len();
    let guesses: Vec<usize> = (0..n)
        .map(|i| {
            let mut by_distance: Vec<(f64, usize)> = (0..n)
                .filter(|&j| j != i)
                .map(|j| ((xa[i] - xa[j]).powi(2) + (xb[i] - xb[j]).powi(2), truth[j]))
                .collect();
            by_distance.sort_by(|p, q| p.0.total_cmp(&q.0));
            let mut votes = vec![0; classes.len()];
            for &(_, class) in &by_distance[..5] {
                votes[class] += 1;
            }
            (0..classes.len())
                .max_by_key(|&c| (votes[c], std::cmp::Reverse(c)))
                .unwrap_or(0)
        })
        .collect();
    let matrix = ConfusionMatrix::new(&truth, &guesses, &classes)?;
    Ok((crate::metrics::accuracy(&truth, &guesses)?, matrix))
}

/// Every pair of the `features` with how well it separates the classes of `label`, best
/// first.
pub(super) fn ranked_pairs(
    table: &Table,
    features: &[&'static str],
    label: &str,
) -> Result<Vec<((&'static str, &'static str), f64)>> {
    let mut pairs = Vec::new();
    for (i, &a) in features.iter().enumerate() {
        for &b in &features[i + 1..] {
            pairs.push(((a, b), pair_separation(table, a, b, label)?.0));
        }
    }
    pairs.sort_by(|p, q| q.1.total_cmp(&p.1));
    Ok(pairs)
}

/// How well one measurement tells `species` from the other two: the best balanced accuracy
/// (the mean of the shares right in each group) of a single threshold, over the `features`.
pub(super) fn one_feature_separation(
    table: &Table,
    features: &[&str],
    species: &str,
) -> Result<f64> {
    let mut best: f64 = 0.0;
    for &feature in features {
        let rows = table.select(&[feature, "species"])?.drop_missing();
        let mut pairs: Vec<(f64, bool)> = rows
            .numbers(feature)?
            .into_iter()
            .zip(rows.texts("species")?.iter().map(|s| s == species))
            .collect();
        pairs.sort_by(|p, q| p.0.total_cmp(&q.0));
        let ours = pairs.iter().filter(|p| p.1).count() as f64;
        let others = pairs.len() as f64 - ours;
        // Below the threshold after each penguin: how many of ours and of the others.
        let (mut ours_below, mut others_below) = (0.0, 0.0);
        for (_, is_ours) in &pairs {
            if *is_ours {
                ours_below += 1.0;
            } else {
                others_below += 1.0;
            }
            // Ours below and the others above, or the other way round.
            let below = (ours_below / ours + (others - others_below) / others) / 2.0;
            best = best.max(below).max(1.0 - below);
        }
    }
    Ok(best)
}
