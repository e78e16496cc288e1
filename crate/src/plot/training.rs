//! Training curves: every metric of a [`History`], training and validation together.

use crate::error::{Error, Result};
use crate::plot::lines::{check_series, draw_lines};
use crate::plot::{render, style, Figure, Series};
use crate::train::History;

/// Loss and accuracy per epoch, training and validation, side by side.
pub fn history(history: &History) -> Result<Figure> {
    const F: &str = "plot::history";
    if history.epochs() == 0 {
        return Err(Error::invalid(
            F,
            "history",
            "has no epochs, expected a trained model's",
        ));
    }
    let series = |names: [&str; 2]| -> Vec<Series> {
        names
            .iter()
            .filter_map(|name| {
                let values = history.metrics.get(*name)?;
                let points = values
                    .iter()
                    .enumerate()
                    .filter(|(_, v)| v.is_finite())
                    .map(|(i, &v)| ((i + 1) as f64, v))
                    .collect();
                Some(Series {
                    name: name.to_string(),
                    points,
                })
            })
            .collect()
    };
    let losses = series(["loss", "val_loss"]);
    let accuracies = series(["accuracy", "val_accuracy"]);
    check_series(F, &losses)?;
    let title = "Training history";
    let size = style().size();
    render(title, size, |root| {
        if accuracies.is_empty() {
            return draw_lines(root, "Loss per epoch", "epoch", "loss", &losses);
        }
        let (left, right) = root.split_horizontally(size.0 / 2);
        draw_lines(&left, "Loss per epoch", "epoch", "loss", &losses)?;
        draw_lines(
            &right,
            "Accuracy per epoch",
            "epoch",
            "accuracy",
            &accuracies,
        )
    })
}

/// A learning curve: for each training-set size, the score of several runs (different
/// seeds) as dots, their mean as a line and their range as a band. `runs` holds
/// `(size, scores)` pairs in increasing size.
///
/// ```
/// let runs = [(10.0, vec![0.5, 0.6]), (100.0, vec![0.8, 0.9])];
/// let figure = dlintro::plot::learning_curve(&runs, "training images", "test accuracy")?;
/// assert!(figure.svg().contains("mean of 2 runs"));
/// # Ok::<(), dlintro::Error>(())
/// ```
pub fn learning_curve(runs: &[(f64, Vec<f64>)], x_label: &str, y_label: &str) -> Result<Figure> {
    const F: &str = "plot::learning_curve";
    if runs.is_empty() || runs.iter().any(|(_, scores)| scores.is_empty()) {
        return Err(Error::invalid(
            F,
            "runs",
            "has a size without scores, expected at least one score per size",
        ));
    }
    if let Some((x, _)) = runs
        .iter()
        .find(|(x, s)| !x.is_finite() || s.iter().any(|v| !v.is_finite()))
    {
        return Err(Error::invalid(
            F,
            "runs",
            format!("has a non-finite number at size {x}, expected finite numbers"),
        ));
    }
    let mean = |s: &[f64]| s.iter().sum::<f64>() / s.len() as f64;
    let most = runs.iter().map(|(_, s)| s.len()).max().unwrap_or(0);
    let series = [
        Series {
            name: format!("mean of {most} runs"),
            points: runs.iter().map(|(x, s)| (*x, mean(s))).collect(),
        },
        Series {
            name: "best run".into(),
            points: runs
                .iter()
                .map(|(x, s)| (*x, s.iter().copied().fold(f64::MIN, f64::max)))
                .collect(),
        },
        Series {
            name: "worst run".into(),
            points: runs
                .iter()
                .map(|(x, s)| (*x, s.iter().copied().fold(f64::MAX, f64::min)))
                .collect(),
        },
    ];
    check_series(F, &series)?;
    let title = "Learning curve";
    render(title, style().size(), |root| {
        draw_lines(root, title, x_label, y_label, &series)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_learning_curve_draws_mean_best_and_worst() {
        let runs = [
            (10.0, vec![0.4, 0.6, 0.5]),
            (100.0, vec![0.8, 0.9, 0.85]),
            (1000.0, vec![0.95, 0.97, 0.96]),
        ];
        let figure = learning_curve(&runs, "training images", "test accuracy").unwrap();
        crate::plot::tests_support::save(&figure, "learning-curve");
        for text in [
            "Learning curve",
            "mean of 3 runs",
            "best run",
            "worst run",
            "training images",
        ] {
            assert!(figure.svg().contains(text), "lacks {text:?}");
        }
        let e = learning_curve(&[(1.0, vec![])], "x", "y").unwrap_err();
        assert!(
            e.to_string()
                .contains("expected at least one score per size"),
            "{e}"
        );
    }
    use crate::plot::tests_support::save;

    #[test]
    fn history_draws_loss_and_accuracy_side_by_side() {
        let mut h = History::default();
        for (name, values) in [
            ("loss", [1.0, 0.6, 0.4]),
            ("val_loss", [1.1, 0.7, 0.5]),
            ("accuracy", [0.5, 0.7, 0.9]),
            ("val_accuracy", [0.4, 0.6, 0.8]),
        ] {
            h.metrics.insert(name.into(), values.to_vec());
        }
        let figure = history(&h).unwrap();
        save(&figure, "history");
        for text in [
            "Loss per epoch",
            "Accuracy per epoch",
            "val_accuracy",
            "epoch",
        ] {
            assert!(figure.svg().contains(text), "lacks {text:?}");
        }
        let empty = History::default();
        assert!(history(&empty)
            .unwrap_err()
            .to_string()
            .contains("has no epochs"));
    }
}
