//! Training curves: every metric of a [`History`], training and validation together.

use crate::error::{Error, Result};
use crate::plot::lines::{check_series, draw_lines};
use crate::plot::{render, Figure, Series};
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
    render(title, (1200, 450), |root| {
        if accuracies.is_empty() {
            return draw_lines(root, "Loss per epoch", "epoch", "loss", &losses);
        }
        let (left, right) = root.split_horizontally(600);
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

#[cfg(test)]
mod tests {
    use super::*;
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
