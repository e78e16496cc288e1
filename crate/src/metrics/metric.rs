//! What a model reports besides its loss, every epoch and in `evaluate`: Keras'
//! `metrics=[…]`. Metrics are measured, never trained on.

use serde::{Deserialize, Serialize};
use tch::{Kind, Tensor};

use crate::error::{Error, Result};
use crate::loss::Loss;

/// A number that says how good the predictions are, reported by
/// [`fit`](crate::model::Sequential::fit) and [`evaluate`](crate::model::Sequential::evaluate) for
/// the metrics given to
/// [`compile_with_metrics`](crate::model::Sequential::compile_with_metrics). Keras' names: the
/// history calls them `accuracy`, `root_mean_squared_error` and `mean_absolute_error`, and
/// `val_…` on the validation data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Metric {
    /// The fraction of samples whose predicted class is right: the most probable output, or
    /// above 0.5 for a single sigmoid output. Classifiers only.
    Accuracy,
    /// `√mean((yᵢ − ŷᵢ)²)`: a typical error, in the units of the target. Keras:
    /// `RootMeanSquaredError()`.
    RootMeanSquaredError,
    /// `mean(|yᵢ − ŷᵢ|)`, in the units of the target. Keras: `MeanAbsoluteError()`.
    MeanAbsoluteError,
}

impl Metric {
    /// The name in the [`History`](crate::train::History) and in Keras:
    /// `"root_mean_squared_error"`; `"val_root_mean_squared_error"` on validation data.
    pub fn name(&self) -> &'static str {
        match self {
            Metric::Accuracy => "accuracy",
            Metric::RootMeanSquaredError => "root_mean_squared_error",
            Metric::MeanAbsoluteError => "mean_absolute_error",
        }
    }

    /// What a model compiled with `loss` reports when no metrics are named: the accuracy for
    /// a classifier (a cross-entropy loss), nothing else.
    pub fn defaults(loss: Loss) -> Vec<Metric> {
        if loss.classifies() {
            vec![Metric::Accuracy]
        } else {
            Vec::new()
        }
    }

    /// Checks that the metric fits a model trained with `loss`: the accuracy a classifier's, the
    /// others a regression's. A regression metric of class indices against a classifier's
    /// `[samples, classes]` output would not even have matching shapes.
    pub(crate) fn check(&self, function: &'static str, loss: Loss) -> Result<()> {
        if *self == Metric::Accuracy && !loss.classifies() {
            return Err(Error::invalid(
                function,
                "metrics",
                format!(
                    "has Metric::Accuracy, but the loss {loss:?} is a regression's: expected a \
                     cross-entropy loss with accuracy, or RootMeanSquaredError / \
                     MeanAbsoluteError for a regression"
                ),
            ));
        }
        if *self != Metric::Accuracy && loss.classifies() {
            return Err(Error::invalid(
                function,
                "metrics",
                format!(
                    "has Metric::{self:?}, but the loss {loss:?} is a classifier's, whose targets \
                     are classes, not numbers to be near: expected Metric::Accuracy, the metric \
                     that fits it (RootMeanSquaredError and MeanAbsoluteError go with a \
                     regression loss such as MeanSquaredError)"
                ),
            ));
        }
        Ok(())
    }

    /// The metric of `y_pred` against `y_true`, checked: targets of the predictions' shape
    /// for the regression metrics (a `[samples]` target for `[samples, 1]` predictions is
    /// taken as a column); for the accuracy, class indices `[samples]` or one-hot rows against
    /// `[samples, classes]` predictions, or labels 0/1 against one probability per sample.
    ///
    /// ```
    /// use dlintro::metrics::Metric;
    /// use tch::Tensor;
    /// let y = Tensor::from_slice(&[1.0, 2.0, 3.0, 4.0]);
    /// let y_hat = Tensor::from_slice(&[1.0, 2.0, 3.0, 6.0]);
    /// // √((0 + 0 + 0 + 2²) / 4) = 1; (0 + 0 + 0 + 2) / 4 = 0.5
    /// assert_eq!(Metric::RootMeanSquaredError.compute(&y, &y_hat)?, 1.0);
    /// assert_eq!(Metric::MeanAbsoluteError.compute(&y, &y_hat)?, 0.5);
    /// # Ok::<(), dlintro::Error>(())
    /// ```
    pub fn compute(&self, y_true: &Tensor, y_pred: &Tensor) -> Result<f64> {
        const F: &str = "Metric::compute";
        let loss = match self {
            Metric::Accuracy => {
                let classes = y_pred.size().get(1).copied().unwrap_or(1);
                if classes == 1 {
                    Loss::BinaryCrossEntropy
                } else if y_true.dim() == 2 {
                    Loss::CategoricalCrossEntropy
                } else {
                    Loss::CrossEntropyFromLogits
                }
            }
            _ => Loss::MeanSquaredError,
        };
        let y_pred = loss.predictions(F, "y_pred", y_pred)?;
        let targets = loss.targets(F, "y_true", y_true, &y_pred)?;
        let (sum, count) = self.tally(loss, &targets, &y_pred);
        Ok(self.finish(sum, count))
    }

    /// What one batch adds to the metric: a sum and how many values it sums over. `targets`
    /// are as [`Loss::targets`] returns them for `loss`.
    fn tally(&self, loss: Loss, targets: &Tensor, y_pred: &Tensor) -> (f64, f64) {
        tch::no_grad(|| {
            let values = match self {
                Metric::Accuracy if loss == Loss::BinaryCrossEntropy => y_pred
                    .gt(0.5)
                    .to_kind(Kind::Float)
                    .eq_tensor(&targets.round()),
                Metric::Accuracy => y_pred.argmax(1, false).eq_tensor(targets),
                Metric::RootMeanSquaredError => (y_pred - targets).square(),
                Metric::MeanAbsoluteError => (y_pred - targets).abs(),
            };
            let sum = values.to_kind(Kind::Double).sum(Kind::Double);
            (sum.double_value(&[]), values.numel() as f64)
        })
    }

    /// The metric from the sums of all batches.
    fn finish(&self, sum: f64, count: f64) -> f64 {
        match self {
            Metric::RootMeanSquaredError => (sum / count).sqrt(),
            Metric::Accuracy | Metric::MeanAbsoluteError => sum / count,
        }
    }
}

/// A model's metrics summed over the batches of an epoch, as Keras' stateful metrics do: the
/// epoch's root mean squared error is the root of the mean over every sample of the epoch,
/// not a mean of the batches' roots.
#[derive(Debug, Clone)]
pub(crate) struct Tally {
    metrics: Vec<Metric>,
    loss: Loss,
    sums: Vec<(f64, f64)>,
}

impl Tally {
    /// Empty totals for `metrics` of a model trained with `loss`.
    pub(crate) fn new(metrics: &[Metric], loss: Loss) -> Tally {
        Tally {
            metrics: metrics.to_vec(),
            loss,
            sums: vec![(0.0, 0.0); metrics.len()],
        }
    }

    /// Adds one batch: checked targets and the predictions for them.
    pub(crate) fn add(&mut self, targets: &Tensor, y_pred: &Tensor) {
        for (metric, (sum, count)) in self.metrics.iter().zip(self.sums.iter_mut()) {
            let (s, c) = metric.tally(self.loss, targets, y_pred);
            *sum += s;
            *count += c;
        }
    }

    /// Each metric's name and value so far.
    pub(crate) fn values(&self) -> Vec<(&'static str, f64)> {
        self.metrics
            .iter()
            .zip(&self.sums)
            .map(|(metric, &(sum, count))| (metric.name(), metric.finish(sum, count)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rmse_and_mae_match_a_hand_computation() {
        // Errors 0.5, −1, 2, 0: squares 0.25 + 1 + 4 + 0 = 5.25, mean 1.3125, root
        // 1.145643923738960; absolute values 0.5 + 1 + 2 + 0 = 3.5, mean 0.875.
        let y = Tensor::from_slice(&[1.0f32, 2.0, 3.0, 4.0]).view([4, 1]);
        let y_hat = Tensor::from_slice(&[1.5f32, 1.0, 5.0, 4.0]).view([4, 1]);
        let rmse = Metric::RootMeanSquaredError.compute(&y, &y_hat).unwrap();
        assert!((rmse - 1.145_643_923_738_96).abs() < 1e-12, "{rmse}");
        assert_eq!(
            Metric::MeanAbsoluteError.compute(&y, &y_hat).unwrap(),
            0.875
        );
        // A [samples] target against [samples, 1] predictions is a column, as in Keras.
        let flat = Tensor::from_slice(&[1.0f32, 2.0, 3.0, 4.0]);
        assert_eq!(
            Metric::RootMeanSquaredError.compute(&flat, &y_hat).unwrap(),
            rmse
        );
        // Over two batches the sums add up before the root: the same as over all four.
        let mut tally = Tally::new(&[Metric::RootMeanSquaredError], Loss::MeanSquaredError);
        tally.add(&y.narrow(0, 0, 1), &y_hat.narrow(0, 0, 1));
        tally.add(&y.narrow(0, 1, 3), &y_hat.narrow(0, 1, 3));
        assert!((tally.values()[0].1 - rmse).abs() < 1e-12);
        let e = Metric::RootMeanSquaredError
            .compute(&Tensor::from_slice(&[1.0f32, 2.0]), &y_hat)
            .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("Metric::compute: `y_true` has shape [2]"),
            "{e}"
        );
    }

    #[test]
    fn accuracy_takes_indices_one_hot_rows_or_probabilities() {
        let probabilities = Tensor::from_slice(&[0.7f32, 0.3, 0.2, 0.8, 0.6, 0.4]).view([3, 2]);
        let indices = Tensor::from_slice(&[0i64, 1, 1]);
        assert!(
            (Metric::Accuracy.compute(&indices, &probabilities).unwrap() - 2.0 / 3.0).abs() < 1e-12
        );
        let one_hot = Tensor::from_slice(&[1.0f32, 0., 0., 1., 0., 1.]).view([3, 2]);
        assert!(
            (Metric::Accuracy.compute(&one_hot, &probabilities).unwrap() - 2.0 / 3.0).abs() < 1e-12
        );
        let p = Tensor::from_slice(&[0.9f32, 0.2, 0.4, 0.6]).view([4, 1]);
        let labels = Tensor::from_slice(&[1.0f32, 0.0, 1.0, 1.0]).view([4, 1]);
        assert_eq!(Metric::Accuracy.compute(&labels, &p).unwrap(), 0.75);
    }

    #[test]
    fn fit_and_evaluate_report_them_every_epoch_as_keras_does() {
        use crate::activation::Activation;
        use crate::model::Sequential;
        use crate::optimizer::Optimizer;
        use crate::train::{FitOptions, Validation, Verbose};
        crate::seed(8);
        let x = Tensor::randn([40, 2], (Kind::Float, tch::Device::Cpu));
        let y = x.narrow(1, 0, 1) * 3.0 - x.narrow(1, 1, 1) + 1.0;
        let (x_val, y_val) = (x.narrow(0, 30, 10), y.narrow(0, 30, 10));
        let mut model = Sequential::input_features(2).dense(1, Activation::Linear);
        model
            .compile_with_metrics(
                Loss::MeanSquaredError,
                Optimizer::Adam {
                    learning_rate: 0.01,
                },
                &[Metric::RootMeanSquaredError, Metric::MeanAbsoluteError],
            )
            .unwrap();
        // One batch per epoch: the epoch's RMSE is the root of its loss, both measured on
        // the predictions before the epoch's one update.
        let options = FitOptions {
            epochs: 3,
            batch_size: 40,
            validation_data: Some(Validation::new(&x_val, &y_val)),
            verbose: Verbose::Silent,
            ..Default::default()
        };
        let history = model.fit(&x, &y, options).unwrap();
        let names: Vec<&String> = history.metrics.keys().collect();
        assert_eq!(
            names,
            [
                "loss",
                "mean_absolute_error",
                "root_mean_squared_error",
                "val_loss",
                "val_mean_absolute_error",
                "val_root_mean_squared_error"
            ]
        );
        for (loss, rmse) in history
            .get("loss")
            .unwrap()
            .iter()
            .zip(history.get("root_mean_squared_error").unwrap())
        {
            assert!((loss.sqrt() - rmse).abs() < 1e-5, "{loss} {rmse}");
        }
        // The last validation numbers are evaluate's on the validation data, and evaluate's
        // RMSE is the one computed by hand from predict.
        let evaluation = model.evaluate(&x_val, &y_val).unwrap();
        let val_rmse = history.last("val_root_mean_squared_error").unwrap();
        assert_eq!(evaluation.get("root_mean_squared_error").unwrap(), val_rmse);
        let predicted = Vec::<f32>::try_from(model.predict(&x_val).unwrap().flatten(0, 1)).unwrap();
        let truth = Vec::<f32>::try_from(y_val.flatten(0, 1)).unwrap();
        let squares: f64 = predicted
            .iter()
            .zip(&truth)
            .map(|(p, t)| (f64::from(*p) - f64::from(*t)).powi(2))
            .sum();
        assert!((val_rmse - (squares / 10.0).sqrt()).abs() < 1e-5);
        assert_eq!(evaluation.accuracy, None);
        assert!(evaluation
            .to_string()
            .contains(" · root_mean_squared_error "));
        let e = evaluation.get("rmse").unwrap_err();
        assert_eq!(
            e.to_string(),
            "Evaluation::get: `name` is \"rmse\", expected one of [\"loss\", \
             \"root_mean_squared_error\", \"mean_absolute_error\"]"
        );
        // Saved and loaded, the model keeps its metrics.
        let dir = std::env::temp_dir().join(format!("dlintro-metrics-{}", std::process::id()));
        model.save(&dir).unwrap();
        let loaded = Sequential::load(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(loaded.metrics(), model.metrics());
    }

    #[test]
    fn accuracy_needs_a_classifier() {
        let e = Metric::Accuracy
            .check("Sequential::compile_with_metrics", Loss::MeanSquaredError)
            .unwrap_err();
        assert!(
            e.to_string().starts_with(
                "Sequential::compile_with_metrics: `metrics` has Metric::Accuracy, but the \
                 loss MeanSquaredError is a regression's"
            ),
            "{e}"
        );
        // A regression metric needs values of the predictions' shape: a classifier's class
        // indices [samples] against its [samples, classes] probabilities would reach
        // libtorch's subtraction with shapes that do not broadcast (or, with as many
        // samples as classes, broadcast into a number that means nothing).
        let e = Metric::RootMeanSquaredError
            .check(
                "Sequential::compile_with_metrics",
                Loss::SparseCategoricalCrossEntropy,
            )
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "Sequential::compile_with_metrics: `metrics` has Metric::RootMeanSquaredError, but \
             the loss SparseCategoricalCrossEntropy is a classifier's, whose targets are \
             classes, not numbers to be near: expected Metric::Accuracy, the metric that fits it \
             (RootMeanSquaredError and MeanAbsoluteError go with a regression loss such as \
             MeanSquaredError)"
        );
        for loss in [
            Loss::MeanSquaredError,
            Loss::MeanAbsoluteError,
            Loss::Huber { delta: 1.0 },
        ] {
            for metric in [Metric::RootMeanSquaredError, Metric::MeanAbsoluteError] {
                assert!(metric.check("f", loss).is_ok(), "{metric:?} {loss:?}");
            }
        }
        assert!(Metric::Accuracy
            .check("f", Loss::BinaryCrossEntropy)
            .is_ok());
        assert_eq!(
            Metric::defaults(Loss::SparseCategoricalCrossEntropy),
            [Metric::Accuracy]
        );
        assert!(Metric::defaults(Loss::Huber { delta: 1.0 }).is_empty());
    }
}
