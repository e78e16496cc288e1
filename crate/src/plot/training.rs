//! Training curves: every metric of a [`History`], training and validation together, or one
//! metric of several runs.

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

/// One metric of several training runs on one plot, each run named: to compare a good run
/// with a bad one.
///
/// ```
/// use dlintro::{plot, train::History};
/// let mut good = History::default();
/// good.metrics.insert("loss".into(), vec![1.0, 0.5, 0.2]);
/// let mut bad = History::default();
/// bad.metrics.insert("loss".into(), vec![3.0, 2.5, 2.9]);
/// let figure = plot::compare("loss", &[("learning rate 0.001", &good), ("learning rate 1", &bad)])?;
/// assert!(figure.svg().contains("learning rate 1"));
/// # Ok::<(), dlintro::Error>(())
/// ```
pub fn compare(metric: &str, runs: &[(&str, &History)]) -> Result<Figure> {
    const F: &str = "plot::compare";
    let series = runs
        .iter()
        .map(|(name, history)| {
            let values = history
                .get(metric)
                .map_err(|e| e.reported_by(F, |argument| argument))?;
            Ok(Series {
                name: name.to_string(),
                points: values
                    .iter()
                    .enumerate()
                    .filter(|(_, v)| v.is_finite())
                    .map(|(i, &v)| ((i + 1) as f64, v))
                    .collect(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    check_series(F, &series)?;
    let title = format!("{metric} per epoch");
    let mut title_case = title.clone();
    title_case[..1].make_ascii_uppercase();
    render(&title_case, crate::plot::SIZE, |root| {
        draw_lines(root, &title_case, "epoch", metric, &series)
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
        let mut bad = History::default();
        bad.metrics.insert("loss".into(), vec![2.0, 2.5, 1.9]);
        let figure = compare("loss", &[("good", &h), ("bad", &bad)]).unwrap();
        for text in ["Loss per epoch", "good", "bad", "epoch"] {
            assert!(figure.svg().contains(text), "lacks {text:?}");
        }
        let e = compare("accuracy", &[("bad", &bad)]).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("plot::compare: `metric` is \"accuracy\""),
            "{e}"
        );
        let empty = History::default();
        assert!(history(&empty)
            .unwrap_err()
            .to_string()
            .contains("has no epochs"));
    }
}
