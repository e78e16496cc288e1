//! Training curves: every metric of a [`History`], training and validation together, or one
//! metric of several runs.

use crate::error::{Error, Result};
use crate::plot::lines::{check_series, draw_lines};
use crate::plot::{render, style, Figure, Series};
use crate::train::History;

/// A metric's name as words: `"root_mean_squared_error"` → `"root mean squared error"`.
fn words(metric: &str) -> String {
    metric.replace('_', " ")
}

/// The same words with a capital first letter, for a title.
fn capitalised(metric: &str) -> String {
    let words = words(metric);
    let mut chars = words.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The training and validation values of `metric` as lines: `metric` and `val_metric`,
/// whichever the history has.
fn curves(history: &History, metric: &str) -> Vec<Series> {
    [metric.to_string(), format!("val_{metric}")]
        .iter()
        .filter_map(|name| {
            let values = history.metrics.get(name)?;
            let points = values
                .iter()
                .enumerate()
                .filter(|(_, v)| v.is_finite())
                .map(|(i, &v)| ((i + 1) as f64, v))
                .collect();
            Some(Series {
                name: name.clone(),
                points,
            })
        })
        .collect()
}

fn check_epochs(function: &'static str, history: &History) -> Result<()> {
    if history.epochs() == 0 {
        return Err(Error::invalid(
            function,
            "history",
            "has no epochs, expected a trained model's",
        ));
    }
    Ok(())
}

/// The loss and every other metric per epoch (accuracy, root mean squared error, …), training
/// and validation together, one panel per metric, two panels to a row.
pub fn history(history: &History) -> Result<Figure> {
    const F: &str = "plot::history";
    check_epochs(F, history)?;
    let mut metrics = vec!["loss"];
    metrics.extend(
        history
            .metrics
            .keys()
            .map(String::as_str)
            .filter(|name| *name != "loss" && !name.starts_with("val_")),
    );
    let panels: Vec<(String, Vec<Series>)> = metrics
        .iter()
        .map(|metric| (metric.to_string(), curves(history, metric)))
        .filter(|(_, series)| !series.is_empty())
        .collect();
    check_series(F, &panels[0].1)?;
    let columns = panels.len().min(2);
    let rows = panels.len().div_ceil(2);
    let size = (
        600 * columns as u32 + 200 * u32::from(columns == 1),
        450 * rows as u32,
    );
    render("Training history", size, |root| {
        let areas = root.split_evenly((rows, columns));
        for ((metric, series), area) in panels.iter().zip(&areas) {
            let title = format!("{} per epoch", capitalised(metric));
            draw_lines(area, &title, "epoch", &words(metric), series)?;
        }
        Ok(())
    })
}

/// One metric per epoch, training and validation together (`metric` and `val_metric`), with
/// a line at the epoch where the validation curve is lowest: where training stopped helping
/// on new data. `unit` names the metric's unit on the axis ("hours"), or is empty.
///
/// ```
/// let mut history = dlintro::train::History::default();
/// history.metrics.insert("loss".into(), vec![9.0, 4.0, 1.0, 0.5]);
/// history.metrics.insert("root_mean_squared_error".into(), vec![3.0, 2.0, 1.0, 0.7]);
/// history.metrics.insert("val_root_mean_squared_error".into(), vec![3.2, 2.5, 2.7, 3.0]);
/// let figure = dlintro::plot::metric_history(&history, "root_mean_squared_error", "hours")?;
/// assert!(figure.svg().contains("lowest validation value: epoch 2"));
/// # Ok::<(), dlintro::Error>(())
/// ```
pub fn metric_history(history: &History, metric: &str, unit: &str) -> Result<Figure> {
    const F: &str = "plot::metric_history";
    check_epochs(F, history)?;
    let metric = metric.strip_prefix("val_").unwrap_or(metric);
    if !history.metrics.contains_key(metric) {
        return Err(Error::invalid(
            F,
            "metric",
            format!(
                "is {metric:?}, expected one of the history's: {:?}",
                history
                    .metrics
                    .keys()
                    .filter(|k| !k.starts_with("val_"))
                    .collect::<Vec<_>>()
            ),
        ));
    }
    let mut series = curves(history, metric);
    check_series(F, &series)?;
    if let Ok((epoch, _)) = history.lowest(&format!("val_{metric}")) {
        let (lo, hi) = series
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.1))
            .fold((f64::MAX, f64::MIN), |(a, b), y| (a.min(y), b.max(y)));
        series.push(Series {
            name: format!("lowest validation value: epoch {epoch}"),
            points: vec![(epoch as f64, lo), (epoch as f64, hi)],
        });
    }
    let title = format!("{} per epoch", capitalised(metric));
    let y_label = if unit.is_empty() {
        words(metric)
    } else {
        format!("{} ({unit})", words(metric))
    };
    render(&title, style().size(), |root| {
        draw_lines(root, &title, "epoch", &y_label, &series)
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
    render(&title_case, style().size(), |root| {
        draw_lines(root, &title_case, "epoch", metric, &series)
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
        // Sizes count images: whole numbers, as are accuracies' tenths with one decimal.
        let numbers = crate::plot::tests_support::numbers(&figure);
        assert_eq!(
            numbers,
            [
                "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "1.0", "100", "200", "300", "400", "500",
                "600", "700", "800", "900", "1000"
            ]
        );
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
        // Three epochs: 1, 2, 3 along both x axes, never 1.5 or "2.0".
        let numbers = crate::plot::tests_support::numbers(&figure);
        assert_eq!(numbers.iter().filter(|n| !n.contains('.')).count(), 6);
        assert_eq!(numbers.iter().filter(|&n| n == "2").count(), 2);
        assert!(
            !numbers.iter().any(|n| n == "1.5" || n == "2.0"),
            "{numbers:?}"
        );
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

    fn regression_history() -> History {
        let mut h = History::default();
        for (name, values) in [
            ("loss", [9.0, 4.0, 2.0, 1.0, 0.5]),
            ("val_loss", [10.0, 6.0, 5.0, 7.0, 9.0]),
            ("root_mean_squared_error", [3.0, 2.0, 1.4, 1.0, 0.7]),
            ("val_root_mean_squared_error", [3.2, 2.4, 2.2, 2.6, 3.0]),
        ] {
            h.metrics.insert(name.into(), values.to_vec());
        }
        h
    }

    #[test]
    fn history_draws_any_metric_beside_the_loss() {
        let figure = history(&regression_history()).unwrap();
        save(&figure, "history-rmse");
        for text in [
            "Loss per epoch",
            "Root mean squared error per epoch",
            "val_root_mean_squared_error",
        ] {
            assert!(figure.svg().contains(text), "lacks {text:?}");
        }
        assert!(!figure.svg().contains("Accuracy"));
    }

    #[test]
    fn metric_history_marks_the_lowest_validation_epoch() {
        let h = regression_history();
        let figure = metric_history(&h, "root_mean_squared_error", "hours").unwrap();
        save(&figure, "metric-history");
        for text in [
            "Root mean squared error per epoch",
            "root mean squared error (hours)",
            "val_root_mean_squared_error",
            "lowest validation value: epoch 3",
        ] {
            assert!(figure.svg().contains(text), "lacks {text:?}");
        }
        // Asking for the validation name draws the same figure.
        let same = metric_history(&h, "val_root_mean_squared_error", "hours").unwrap();
        assert_eq!(same.svg(), figure.svg());
        let e = metric_history(&h, "rmse", "hours").unwrap_err();
        assert_eq!(
            e.to_string(),
            "plot::metric_history: `metric` is \"rmse\", expected one of the history's: \
             [\"loss\", \"root_mean_squared_error\"]"
        );
    }
}
