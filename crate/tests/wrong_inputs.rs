//! Wrong inputs a participant could plausibly type, fed to every public fitting, evaluation,
//! data-preparation and loading function: each call must return the crate's one `Error`,
//! naming the function that was called, and must never panic (libtorch's panics included,
//! which tch raises as Rust panics from its unchecked operations).
//!
//! Every call runs under `catch_unwind`; the test lists every call that panicked, was
//! accepted, or named another function, and fails if there is one. The messages of issue 20's
//! cases are checked word for word.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use dlintro::data::{self, Column, Table, Values};
use dlintro::metrics::ConfusionMatrix;
use dlintro::prelude::*;

/// What went wrong with the calls so far, one line each.
#[derive(Default)]
struct Sweep {
    calls: usize,
    failures: Vec<String>,
}

impl Sweep {
    /// Runs `call`, which must return an error whose message starts with `function: `; returns
    /// the message ("" if there is none).
    fn refuses<T>(
        &mut self,
        function: &str,
        case: &str,
        call: impl FnOnce() -> Result<T>,
    ) -> String {
        self.calls += 1;
        match catch_unwind(AssertUnwindSafe(call)) {
            Err(panic) => {
                let why = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                let first = why.lines().next().unwrap_or("").to_string();
                self.failures
                    .push(format!("{function}, {case}: panicked: {first}"));
                String::new()
            }
            Ok(Ok(_)) => {
                self.failures
                    .push(format!("{function}, {case}: accepted, expected an error"));
                String::new()
            }
            Ok(Err(e)) => {
                let message = e.to_string();
                if !message.starts_with(&format!("{function}: ")) {
                    self.failures.push(format!(
                        "{function}, {case}: names another function: {message}"
                    ));
                }
                if std::env::var("SHOW").is_ok() {
                    println!("{case}\n    {message}");
                }
                message
            }
        }
    }

    /// [`Sweep::refuses`], and the message must be `expected`, word for word.
    fn says<T>(
        &mut self,
        function: &str,
        case: &str,
        expected: &str,
        call: impl FnOnce() -> Result<T>,
    ) {
        let message = self.refuses(function, case, call);
        if !message.is_empty() && message != expected {
            self.failures.push(format!(
                "{function}, {case}: says\n    {message}\n  expected\n    {expected}"
            ));
        }
    }
}

fn zeros(shape: &[i64]) -> Tensor {
    Tensor::zeros(shape, (Kind::Float, Device::Cpu))
}

fn classes(values: &[i64]) -> Tensor {
    Tensor::from_slice(values)
}

/// 4 features → 3 classes, compiled.
fn classifier() -> Sequential {
    dlintro::seed(1);
    let mut model = Sequential::input_features(4)
        .dense(8, Activation::Relu)
        .dense(3, Activation::Softmax);
    model
        .compile(Loss::SparseCategoricalCrossEntropy, Optimizer::default())
        .unwrap();
    model
}

/// 3 features → 1 value, compiled.
fn regressor() -> Sequential {
    dlintro::seed(1);
    let mut model = Sequential::input_features(3).dense(1, Activation::Linear);
    model
        .compile(Loss::MeanSquaredError, Optimizer::default())
        .unwrap();
    model
}

/// 8×8 grey images → 2 classes, compiled.
fn cnn() -> Sequential {
    dlintro::seed(1);
    let mut model = Sequential::input_image(8, 8, 1)
        .conv2d(2, 3, Activation::Relu)
        .max_pool2d(2)
        .flatten()
        .dense(2, Activation::Softmax);
    model
        .compile(Loss::SparseCategoricalCrossEntropy, Optimizer::default())
        .unwrap();
    model
}

fn quiet() -> FitOptions {
    FitOptions {
        epochs: 2,
        verbose: Verbose::Silent,
        ..Default::default()
    }
}

fn with_validation(x: &Tensor, y: &Tensor) -> FitOptions {
    FitOptions {
        validation_data: Some(Validation::new(x, y)),
        ..quiet()
    }
}

/// A folder for this test's files, removed first.
fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dlintro-wrong-{name}-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    dir
}

fn fitting(s: &mut Sweep) {
    const FIT: &str = "Sequential::fit";
    let (x, y) = (zeros(&[6, 4]), classes(&[0, 1, 2, 0, 1, 2]));
    s.refuses(FIT, "x of 2 features for 4", || {
        classifier().fit(&zeros(&[6, 2]), &y, quiet())
    });
    s.refuses(FIT, "x with a third dimension", || {
        classifier().fit(&zeros(&[6, 4, 1]), &y, quiet())
    });
    s.refuses(FIT, "x empty", || {
        classifier().fit(&zeros(&[0, 4]), &classes(&[]), quiet())
    });
    s.refuses(FIT, "x 0-dimensional", || {
        classifier().fit(&Tensor::from(1f32), &y, quiet())
    });
    s.refuses(FIT, "x with NaN", || {
        classifier().fit(&(zeros(&[6, 4]) / 0.0), &y, quiet())
    });
    s.refuses(FIT, "y too short", || {
        classifier().fit(&x, &classes(&[0, 1]), quiet())
    });
    s.refuses(FIT, "y as floats", || {
        classifier().fit(&x, &zeros(&[6]), quiet())
    });
    s.refuses(FIT, "y one-hot for the sparse loss", || {
        classifier().fit(&x, &zeros(&[6, 3]), quiet())
    });
    s.refuses(FIT, "y a column of classes", || {
        classifier().fit(&x, &y.view([6, 1]), quiet())
    });
    s.refuses(FIT, "y 0-dimensional", || {
        classifier().fit(&x, &Tensor::from(1i64), quiet())
    });
    s.refuses(FIT, "y a negative class", || {
        classifier().fit(&x, &classes(&[0, 1, -1, 0, 1, 2]), quiet())
    });
    s.says(
        FIT,
        "2 outputs for 3 classes",
        "Sequential::fit: `y` has class 2 at position 2, but the last layer has 2 units, one per \
         class, for classes 0 to 1: expected class indices from 0 to 1, or, for 3 classes (0 to \
         2), a last layer of .dense(3, Activation::Softmax)",
        || {
            let mut model = Sequential::input_features(4).dense(2, Activation::Softmax);
            model.compile(Loss::SparseCategoricalCrossEntropy, Optimizer::default())?;
            model.fit(&x, &y, quiet())
        },
    );
    s.says(
        FIT,
        "one-hot rows of 4 classes for 3 outputs",
        "Sequential::fit: `y` has one-hot rows of 4 classes, but the last layer has 3 units, one \
         per class: expected rows of 3, or, for 4 classes, a last layer of \
         .dense(4, Activation::Softmax)",
        || {
            let mut model = Sequential::input_features(4)
                .dense(8, Activation::Relu)
                .dense(3, Activation::Softmax);
            model.compile(Loss::CategoricalCrossEntropy, Optimizer::default())?;
            model.fit(
                &x,
                &zeros(&[6, 4]).index_fill(1, &classes(&[0]), 1.0),
                quiet(),
            )
        },
    );
    s.refuses(FIT, "regression targets of 2 columns for 1 output", || {
        regressor().fit(&zeros(&[5, 3]), &zeros(&[5, 2]), quiet())
    });
    s.refuses(FIT, "regression targets with NaN", || {
        regressor().fit(&zeros(&[5, 3]), &(zeros(&[5, 1]) / 0.0), quiet())
    });
    s.refuses(
        FIT,
        "labels outside [0, 1] for a binary cross-entropy",
        || {
            let mut model = Sequential::input_features(2).dense(1, Activation::Sigmoid);
            model.compile(Loss::BinaryCrossEntropy, Optimizer::default())?;
            model.fit(&zeros(&[4, 2]), &(zeros(&[4, 1]) + 2.0), quiet())
        },
    );
    s.refuses(FIT, "rows that are not one-hot", || {
        let mut model = Sequential::input_features(4).dense(3, Activation::Softmax);
        model.compile(Loss::CategoricalCrossEntropy, Optimizer::default())?;
        model.fit(&x, &zeros(&[6, 3]), quiet())
    });
    s.refuses(FIT, "an uncompiled model", || {
        Sequential::input_features(4)
            .dense(3, Activation::Softmax)
            .fit(&x, &y, quiet())
    });
    for (case, options) in [
        (
            "0 epochs",
            FitOptions {
                epochs: 0,
                ..quiet()
            },
        ),
        (
            "batch size 0",
            FitOptions {
                batch_size: 0,
                ..quiet()
            },
        ),
        (
            "validation_split 1.5",
            FitOptions {
                validation_split: 1.5,
                ..quiet()
            },
        ),
        (
            "validation_split −0.1",
            FitOptions {
                validation_split: -0.1,
                ..quiet()
            },
        ),
        (
            "validation_split NaN",
            FitOptions {
                validation_split: f64::NAN,
                ..quiet()
            },
        ),
        (
            "validation_split that holds nothing",
            FitOptions {
                validation_split: 0.01,
                ..quiet()
            },
        ),
        (
            "a time budget of 0",
            FitOptions {
                time_budget: Some(Duration::ZERO),
                ..quiet()
            },
        ),
        (
            "early stopping on a metric that is not measured",
            FitOptions {
                early_stopping: Some(EarlyStopping {
                    monitor: "val_acc".into(),
                    ..Default::default()
                }),
                ..quiet()
            },
        ),
        (
            "early stopping on val_loss without validation data",
            FitOptions {
                early_stopping: Some(EarlyStopping::default()),
                ..quiet()
            },
        ),
    ] {
        s.refuses(FIT, case, || classifier().fit(&x, &y, options));
    }
    // Validation data that do not fit, while the training data do.
    let x_train = zeros(&[109, 3]);
    let y_train = zeros(&[109, 1]);
    s.says(
        FIT,
        "validation x narrower than the training x",
        "Sequential::fit: `validation_data.x` has shape [10, 2], but dense layer 1 expects 3 \
         input features: expected [samples, 3]",
        || {
            regressor().fit(
                &x_train,
                &y_train,
                with_validation(&zeros(&[10, 2]), &zeros(&[10, 1])),
            )
        },
    );
    s.says(
        FIT,
        "validation y of another length",
        "Sequential::fit: `validation_data.y` has 10 samples, expected 109, one per row of \
         validation_data.x",
        || {
            regressor().fit(
                &x_train,
                &y_train,
                with_validation(&zeros(&[109, 3]), &zeros(&[10, 1])),
            )
        },
    );
    s.refuses(FIT, "validation x empty", || {
        regressor().fit(
            &x_train,
            &y_train,
            with_validation(&zeros(&[0, 3]), &zeros(&[0, 1])),
        )
    });
    s.refuses(FIT, "validation x with NaN", || {
        regressor().fit(
            &x_train,
            &y_train,
            with_validation(&(zeros(&[4, 3]) / 0.0), &zeros(&[4, 1])),
        )
    });
    s.refuses(FIT, "validation classes as floats", || {
        classifier().fit(&x, &y, with_validation(&zeros(&[3, 4]), &zeros(&[3])))
    });
    s.refuses(FIT, "validation class out of range", || {
        classifier().fit(
            &x,
            &y,
            with_validation(&zeros(&[3, 4]), &classes(&[0, 1, 7])),
        )
    });
    s.refuses(FIT, "batch normalisation with batches of 1", || {
        let mut model = Sequential::input_features(3)
            .batch_norm()
            .dense(1, Activation::Linear);
        model.compile(Loss::MeanSquaredError, Optimizer::default())?;
        model.fit(
            &zeros(&[5, 3]),
            &zeros(&[5, 1]),
            FitOptions {
                batch_size: 1,
                ..quiet()
            },
        )
    });
    // Images.
    let labels = classes(&[0, 1, 0]);
    s.refuses(FIT, "flat images for an image model", || {
        cnn().fit(&zeros(&[3, 64]), &labels, quiet())
    });
    s.refuses(FIT, "images without their channel", || {
        cnn().fit(&zeros(&[3, 8, 8]), &labels, quiet())
    });
    s.refuses(FIT, "images channels first", || {
        cnn().fit(&zeros(&[3, 1, 8, 8]), &labels, quiet())
    });
    s.refuses(FIT, "images of another size", || {
        cnn().fit(&zeros(&[3, 9, 9, 1]), &labels, quiet())
    });
    s.refuses("Sequential::fit", "fit_with, x of 2 features", || {
        classifier().fit_with(&zeros(&[6, 2]), &y, quiet(), &mut [])
    });
}

fn compiling(s: &mut Sweep) {
    const C: &str = "Sequential::compile";
    const CM: &str = "Sequential::compile_with_metrics";
    let adam = Optimizer::default();
    let model = || {
        Sequential::input_features(4)
            .dense(8, Activation::Relu)
            .dense(3, Activation::Softmax)
    };
    s.says(
        CM,
        "RMSE on a classifier",
        "Sequential::compile_with_metrics: `metrics` has Metric::RootMeanSquaredError, but the \
         loss SparseCategoricalCrossEntropy is a classifier's, whose targets are classes, not \
         numbers to be near: expected Metric::Accuracy, the metric that fits it \
         (RootMeanSquaredError and MeanAbsoluteError go with a regression loss such as \
         MeanSquaredError)",
        || {
            model().compile_with_metrics(
                Loss::SparseCategoricalCrossEntropy,
                adam,
                &[Metric::RootMeanSquaredError],
            )
        },
    );
    s.refuses(
        CM,
        "RMSE on a classifier, then fit on 32 rows, as the issue did",
        || {
            let mut model = Sequential::input_features(4).dense(3, Activation::Softmax);
            model.compile_with_metrics(
                Loss::SparseCategoricalCrossEntropy,
                adam,
                &[Metric::RootMeanSquaredError],
            )?;
            model.fit(
                &zeros(&[32, 4]),
                &Tensor::arange(32, (Kind::Int64, Device::Cpu)).remainder(3),
                quiet(),
            )
        },
    );
    s.refuses(
        CM,
        "RMSE on a classifier, then fit on 3 rows for 3 classes (once a silent nonsense)",
        || {
            let mut model = Sequential::input_features(4).dense(3, Activation::Softmax);
            model.compile_with_metrics(
                Loss::SparseCategoricalCrossEntropy,
                adam,
                &[Metric::RootMeanSquaredError],
            )?;
            model.fit(&zeros(&[3, 4]), &classes(&[0, 1, 2]), quiet())
        },
    );
    s.refuses(CM, "MAE on a classifier, then evaluate", || {
        let mut model = Sequential::input_features(4).dense(3, Activation::Softmax);
        model.compile_with_metrics(
            Loss::SparseCategoricalCrossEntropy,
            adam,
            &[Metric::MeanAbsoluteError],
        )?;
        model.evaluate(&zeros(&[5, 4]), &classes(&[0, 1, 2, 0, 1]))
    });
    s.says(
        CM,
        "MAE beside the accuracy on a classifier",
        "Sequential::compile_with_metrics: `metrics` has Metric::MeanAbsoluteError, but the \
         loss CategoricalCrossEntropy is a classifier's, whose targets are classes, not numbers \
         to be near: expected Metric::Accuracy, the metric that fits it (RootMeanSquaredError \
         and MeanAbsoluteError go with a regression loss such as MeanSquaredError)",
        || {
            model().compile_with_metrics(
                Loss::CategoricalCrossEntropy,
                adam,
                &[Metric::Accuracy, Metric::MeanAbsoluteError],
            )
        },
    );
    for loss in [Loss::CrossEntropyFromLogits, Loss::BinaryCrossEntropy] {
        s.refuses(CM, &format!("MAE with {loss:?}"), || {
            model().compile_with_metrics(loss, adam, &[Metric::MeanAbsoluteError])
        });
    }
    s.refuses(CM, "accuracy on a regression", || {
        model().compile_with_metrics(Loss::MeanSquaredError, adam, &[Metric::Accuracy])
    });
    s.refuses(C, "a Huber delta of −1", || {
        model().compile(Loss::Huber { delta: -1.0 }, adam)
    });
    s.refuses(C, "a negative learning rate", || {
        model().compile(
            Loss::MeanSquaredError,
            Optimizer::Adam {
                learning_rate: -0.1,
            },
        )
    });
    s.refuses(C, "a NaN learning rate", || {
        model().compile(
            Loss::MeanSquaredError,
            Optimizer::Sgd {
                learning_rate: f64::NAN,
            },
        )
    });
    let compile = |m: Sequential| {
        let mut m = m;
        m.compile(Loss::SparseCategoricalCrossEntropy, adam)
    };
    // Architectures: errors come from `Sequential`, the model being built.
    const S: &str = "Sequential";
    s.says(
        S,
        "a 32×32 kernel on 28×28 images in layer 1",
        "Sequential: `layers` layer 1 (Conv2D 8 32×32) gets 28×28 images, expected at least \
         32×32: the kernel is larger than the image; use a kernel of at most 28×28 (e.g. 3)",
        || {
            compile(
                Sequential::input_image(28, 28, 1)
                    .conv2d(8, 32, Activation::Relu)
                    .flatten()
                    .dense(2, Activation::Softmax),
            )
        },
    );
    s.says(
        S,
        "a 5×5 kernel after pooling 6×6 images down to 3×3",
        "Sequential: `layers` layer 3 (Conv2D 4 5×5) gets 3×3 images, expected at least 5×5: \
         the kernel is larger than the image, which the layers before it shrink from 6×6; use \
         fewer pooling layers before it, a kernel of at most 3×3, or .conv2d_same(4, 5, …) to \
         keep the image's size",
        || {
            compile(
                Sequential::input_image(6, 6, 1)
                    .conv2d_same(4, 3, Activation::Relu)
                    .max_pool2d(2)
                    .conv2d(4, 5, Activation::Relu)
                    .flatten()
                    .dense(2, Activation::Softmax),
            )
        },
    );
    s.refuses(S, "a pool larger than the image", || {
        compile(
            Sequential::input_image(4, 4, 1)
                .max_pool2d(5)
                .flatten()
                .dense(2, Activation::Softmax),
        )
    });
    s.refuses(S, "an even kernel with same padding", || {
        compile(
            Sequential::input_image(8, 8, 1)
                .conv2d_same(4, 2, Activation::Relu)
                .flatten()
                .dense(2, Activation::Softmax),
        )
    });
    s.refuses(S, "a dense layer of 0 units", || {
        compile(Sequential::input_features(4).dense(0, Activation::Relu))
    });
    s.refuses(S, "a dropout rate of 1.5", || {
        compile(
            Sequential::input_features(4)
                .dropout(1.5)
                .dense(3, Activation::Softmax),
        )
    });
    s.refuses(S, "a convolution on rows of features", || {
        compile(
            Sequential::input_features(4)
                .conv2d(4, 3, Activation::Relu)
                .flatten()
                .dense(3, Activation::Softmax),
        )
    });
    s.refuses(S, "images into a dense layer", || {
        compile(Sequential::input_image(8, 8, 1).dense(3, Activation::Softmax))
    });
    s.refuses(S, "an input of size 0", || {
        compile(Sequential::input_features(0).dense(3, Activation::Softmax))
    });
    s.refuses(S, "no layers", || compile(Sequential::input_features(4)));
}

fn evaluating(s: &mut Sweep) {
    const E: &str = "Sequential::evaluate";
    const P: &str = "Sequential::predict";
    let (x, y) = (zeros(&[6, 4]), classes(&[0, 1, 2, 0, 1, 2]));
    s.refuses(E, "x of 2 features", || {
        classifier().evaluate(&zeros(&[6, 2]), &y)
    });
    s.refuses(E, "y too long", || {
        classifier().evaluate(&x, &classes(&[0; 7]))
    });
    s.refuses(E, "a class out of range", || {
        classifier().evaluate(&x, &classes(&[0, 1, 2, 3, 1, 2]))
    });
    s.refuses(E, "y as floats", || classifier().evaluate(&x, &zeros(&[6])));
    s.refuses(E, "an uncompiled model", || {
        Sequential::input_features(4)
            .dense(3, Activation::Softmax)
            .evaluate(&x, &y)
    });
    s.refuses(E, "regression targets of another shape", || {
        regressor().evaluate(&zeros(&[5, 3]), &zeros(&[5, 3]))
    });
    s.says(
        P,
        "a 1-D row of 9 numbers",
        "Sequential::predict: `x` has shape [9], one sample without the samples dimension: \
         expected [samples, 9], here [1, 9]: x.view([1, 9]) (or x.unsqueeze(0)) makes it so",
        || {
            let mut model = Sequential::input_features(9).dense(1, Activation::Linear);
            model.compile(Loss::MeanSquaredError, Optimizer::default())?;
            model.predict(&zeros(&[9]))
        },
    );
    s.says(
        P,
        "one image without the samples dimension",
        "Sequential::predict: `x` has shape [8, 8, 1], one sample without the samples dimension: \
         expected [samples, 8, 8, 1], here [1, 8, 8, 1]: x.view([1, 8, 8, 1]) (or \
         x.unsqueeze(0)) makes it so",
        || cnn().predict(&zeros(&[8, 8, 1])),
    );
    s.refuses(P, "x of 5 features", || {
        classifier().predict(&zeros(&[2, 5]))
    });
    s.refuses(P, "an uncompiled model", || {
        Sequential::input_features(4)
            .dense(3, Activation::Softmax)
            .predict(&x)
    });
    s.refuses(P, "x with infinity", || {
        classifier().predict(&(zeros(&[2, 4]) + f64::INFINITY))
    });
    let names: Vec<String> = ["a", "b"].map(String::from).to_vec();
    s.refuses(
        "Sequential::predict_classes",
        "2 names for 3 classes",
        || classifier().predict_classes(&x, &names),
    );
    s.refuses("Sequential::predict_classes", "x of 2 features", || {
        classifier().predict_classes(&zeros(&[6, 2]), &["a", "b", "c"].map(String::from))
    });
    s.refuses("Sequential::predict_table", "2 names for 3 classes", || {
        classifier().predict_table(&x, &names)
    });
    s.refuses("Sequential::layer_outputs", "x of 2 features", || {
        classifier().layer_outputs(&zeros(&[6, 2]))
    });
    // Metrics and losses on any tensors.
    let probabilities = zeros(&[4, 3]) + 1.0 / 3.0;
    s.refuses(
        "Metric::compute",
        "RMSE of class indices against probabilities",
        || Metric::RootMeanSquaredError.compute(&classes(&[0, 1, 2, 0]), &probabilities),
    );
    s.refuses("Metric::compute", "MAE against empty predictions", || {
        Metric::MeanAbsoluteError.compute(&zeros(&[0]), &zeros(&[0]))
    });
    s.refuses("Metric::compute", "accuracy of too few labels", || {
        Metric::Accuracy.compute(&classes(&[0, 1]), &probabilities)
    });
    s.refuses(
        "Metric::compute",
        "accuracy of a class out of range",
        || Metric::Accuracy.compute(&classes(&[0, 1, 2, 5]), &probabilities),
    );
    s.refuses("Metric::compute", "RMSE with NaN", || {
        Metric::RootMeanSquaredError.compute(&zeros(&[3]), &(zeros(&[3]) / 0.0))
    });
    s.refuses("Loss::compute", "sparse loss on 1-D predictions", || {
        Loss::SparseCategoricalCrossEntropy.compute(&classes(&[0, 1]), &zeros(&[2]))
    });
    s.refuses("Loss::compute", "sparse loss on float labels", || {
        Loss::SparseCategoricalCrossEntropy.compute(&zeros(&[4]), &probabilities)
    });
    s.refuses("Loss::compute", "MSE of another shape", || {
        Loss::MeanSquaredError.compute(&zeros(&[3]), &zeros(&[4]))
    });
    s.refuses("Loss::compute", "binary cross-entropy of scores", || {
        Loss::BinaryCrossEntropy.compute(&zeros(&[2]), &(zeros(&[2]) + 3.0))
    });
    s.refuses("Loss::compute", "Huber with delta 0", || {
        Loss::Huber { delta: 0.0 }.compute(&zeros(&[2]), &zeros(&[2]))
    });
    s.refuses("metrics::accuracy", "no labels", || {
        dlintro::metrics::accuracy(&[], &[])
    });
    s.refuses("metrics::accuracy", "labels of two lengths", || {
        dlintro::metrics::accuracy(&[0, 1], &[0])
    });
    let two: Vec<String> = ["cat", "dog"].map(String::from).to_vec();
    s.refuses("ConfusionMatrix::new", "a class beyond the names", || {
        ConfusionMatrix::new(&[0, 2], &[0, 1], &two)
    });
    let evaluation = regressor()
        .evaluate(&zeros(&[2, 3]), &zeros(&[2, 1]))
        .unwrap();
    s.refuses("Evaluation::get", "a metric not measured", || {
        evaluation.get("accuracy")
    });
    let history = regressor()
        .fit(&zeros(&[2, 3]), &zeros(&[2, 1]), quiet())
        .unwrap();
    s.refuses("History::get", "a metric not recorded", || {
        history.get("val_loss")
    });
    s.refuses("History::last", "a metric not recorded", || {
        history.last("acc")
    });
    s.refuses("History::lowest", "a metric not recorded", || {
        history.lowest("mae")
    });
}

fn preparing(s: &mut Sweep) {
    const P: &str = "data::prepare";
    const T: &str = "data::prepare_three_way";
    let penguins = data::penguins().unwrap();
    let clean = penguins.drop_missing();
    let features = [
        "bill_length_mm",
        "bill_depth_mm",
        "flipper_length_mm",
        "body_mass_g",
    ];
    let options = PrepareOptions::default;
    s.says(
        P,
        "a test fraction of 0",
        "data::prepare: `test_fraction` is 0, expected a number between 0 and 1 (e.g. 0.2)",
        || {
            data::prepare(
                &clean,
                &features,
                "species",
                PrepareOptions {
                    test_fraction: 0.0,
                    ..options()
                },
            )
        },
    );
    s.refuses(P, "a test fraction of 1.5", || {
        data::prepare(
            &clean,
            &features,
            "species",
            PrepareOptions {
                test_fraction: 1.5,
                ..options()
            },
        )
    });
    s.says(
        P,
        "a mistyped feature",
        "data::prepare: `features` has \"bill_lenght_mm\", not a column of the table: expected \
         one of [\"species\", \"island\", \"bill_length_mm\", \"bill_depth_mm\", \
         \"flipper_length_mm\", \"body_mass_g\", \"sex\", \"year\"]; did you mean \
         \"bill_length_mm\"?",
        || {
            data::prepare(
                &clean,
                &["bill_lenght_mm", "body_mass_g"],
                "species",
                options(),
            )
        },
    );
    s.says(
        P,
        "a text column as a feature",
        "data::prepare: `features` has \"island\", a text column: expected numeric columns, as a \
         model's features are numbers (the numeric columns are [\"bill_length_mm\", \
         \"bill_depth_mm\", \"flipper_length_mm\", \"body_mass_g\", \"year\"])",
        || data::prepare(&clean, &["island", "body_mass_g"], "species", options()),
    );
    s.says(
        P,
        "a feature with missing values",
        "data::prepare: `table` has no value of \"bill_length_mm\" in row 3, expected complete \
         rows: call drop_missing() first",
        || data::prepare(&penguins, &features, "species", options()),
    );
    s.says(
        P,
        "a mistyped label",
        "data::prepare: `label` is \"specie\", not a column of the table: expected one of \
         [\"species\", \"island\", \"bill_length_mm\", \"bill_depth_mm\", \
         \"flipper_length_mm\", \"body_mass_g\", \"sex\", \"year\"]; did you mean \"species\"?",
        || data::prepare(&clean, &features, "specie", options()),
    );
    s.refuses(P, "no features", || {
        data::prepare(&clean, &[], "species", options())
    });
    s.refuses(P, "the label as a feature too", || {
        data::prepare(&clean, &features, "body_mass_g", options())
    });
    s.refuses(P, "a table of 1 row", || {
        data::prepare(&clean.head(1), &features, "species", options())
    });
    s.refuses(P, "an empty table", || {
        data::prepare(&clean.head(0), &features, "species", options())
    });
    let weather = data::weather().unwrap();
    let pairs = data::next_day(&weather.head(50), "BASEL_sunshine").unwrap();
    let label = "BASEL_sunshine_tomorrow";
    let three = ThreeWayOptions::default;
    s.refuses(T, "a mistyped feature", || {
        data::prepare_three_way(&pairs, &["BASEL_sunshin"], label, three())
    });
    s.refuses(T, "a mistyped label", || {
        data::prepare_three_way(&pairs, &["BASEL_sunshine"], "BASEL_tomorrow", three())
    });
    s.refuses(T, "a text label", || {
        data::prepare_three_way(&clean, &["bill_depth_mm"], "species", three())
    });
    s.refuses(T, "fractions adding up to 1", || {
        data::prepare_three_way(
            &pairs,
            &["BASEL_sunshine"],
            label,
            ThreeWayOptions {
                validation_fraction: 0.5,
                test_fraction: 0.5,
                ..three()
            },
        )
    });
    s.refuses(T, "3 rows", || {
        data::prepare_three_way(&pairs.head(3), &["BASEL_sunshine"], label, three())
    });
    s.refuses(T, "no features", || {
        data::prepare_three_way::<&str>(&pairs, &[], label, three())
    });
    s.refuses(T, "a feature with missing values", || {
        data::prepare_three_way(&penguins, &["bill_depth_mm"], "body_mass_g", three())
    });
    // The weather's 165 columns: the closest names and the places, not all of them.
    s.says(
        "data::next_day",
        "a mistyped weather column",
        "data::next_day: `target` is \"BASEL_sunshin\", not one of the table's 165 columns: did \
         you mean \"BASEL_sunshine\"? BASEL's columns are cloud_cover, humidity, pressure, \
         global_radiation, precipitation, sunshine, temp_mean, temp_min, temp_max",
        || data::next_day(&weather, "BASEL_sunshin"),
    );
    s.says(
        "data::next_day",
        "a place that is not in the weather data",
        "data::next_day: `target` is \"BASLE_sunshine\", not one of the table's 165 columns: did \
         you mean \"BASEL_sunshine\"? There is no place BASLE; the places are BASEL, BUDAPEST, \
         DE_BILT, DRESDEN, DUSSELDORF, HEATHROW, KASSEL, LJUBLJANA, MAASTRICHT, MALMO, \
         MONTELIMAR, MUENCHEN, OSLO, PERPIGNAN, ROMA, SONNBLICK, STOCKHOLM, TOURS",
        || data::next_day(&weather, "BASLE_sunshine"),
    );
    s.refuses("data::next_day", "a table of one day", || {
        data::next_day(&weather.head(1), "BASEL_sunshine")
    });
    s.refuses("Table::numbers", "a mistyped weather column", || {
        weather.numbers("OSLO_sunshin")
    });
    s.refuses("Table::numbers", "a text column", || {
        clean.numbers("species")
    });
    s.refuses("Table::numbers", "missing values", || {
        penguins.numbers("bill_length_mm")
    });
    s.refuses("Table::texts", "a numeric column", || clean.texts("year"));
    s.refuses("Table::column", "a mistyped column", || {
        clean.column("yaer")
    });
    s.refuses("Table::select", "a mistyped column", || {
        clean.select(&["species", "yaer"])
    });
    s.says(
        "Table::drop",
        "a name not in the table, and none close",
        "Table::drop: `names` has \"beak\", not a column of the table: expected one of \
         [\"species\", \"island\", \"bill_length_mm\", \"bill_depth_mm\", \
         \"flipper_length_mm\", \"body_mass_g\", \"sex\", \"year\"]",
        || clean.drop(&["beak"]),
    );
    s.refuses("Table::to_array", "a text column", || {
        clean.to_array(&["species"])
    });
    s.refuses("Table::value_counts", "a numeric column", || {
        clean.value_counts("year")
    });
    s.refuses("Table::new", "columns of two lengths", || {
        Table::new(vec![
            Column::new("a", Values::Number(vec![Some(1.0)])),
            Column::new("b", Values::Number(vec![])),
        ])
    });
    s.refuses("Table::from_array", "too few names", || {
        Table::from_array(&arr2(&[[1.0, 2.0]]), &["a"])
    });
    s.refuses("Table::with_column", "too many rows", || {
        clean.with_column("extra", Values::Number(vec![Some(1.0)]))
    });
    // The pieces `prepare` is made of, called directly.
    s.refuses("data::train_test_split", "1 row", || {
        data::train_test_split(1, 0.2, 0, None)
    });
    s.refuses("data::train_test_split", "a fraction of 2", || {
        data::train_test_split(10, 2.0, 0, None)
    });
    s.refuses(
        "data::train_test_split",
        "stratify of another length",
        || data::train_test_split(10, 0.2, 0, Some(&[0, 1])),
    );
    s.refuses(
        "data::train_validation_test_split",
        "a fraction of 0",
        || data::train_validation_test_split(100, 0.0, 0.2, 0),
    );
    s.refuses("data::train_validation_test_split", "1 row", || {
        data::train_validation_test_split(1, 0.1, 0.2, 0)
    });
    s.refuses("Standardizer::fit", "no rows", || {
        data::Standardizer::fit(&Array2::zeros((0, 3)))
    });
    s.refuses("Standardizer::fit", "NaN", || {
        data::Standardizer::fit(&arr2(&[[f64::NAN]]))
    });
    let scaler = data::Standardizer::fit(&arr2(&[[1.0, 2.0], [3.0, 5.0]])).unwrap();
    s.refuses("Standardizer::transform", "3 columns for 2", || {
        scaler.transform(&arr2(&[[1.0, 2.0, 3.0]]))
    });
    s.refuses("data::class_indices", "an unknown label", || {
        data::class_indices(&["bird"], &two())
    });
    s.refuses("data::take_rows", "a row beyond the array", || {
        data::take_rows(&arr2(&[[1.0], [2.0]]), &[0, 5])
    });
    s.refuses(
        "data::read_weather",
        "a file without the weather columns",
        || data::read_weather("a,b\n1,2\n"),
    );
    s.refuses("data::read_weather", "text in a number column", || {
        data::read_weather("DATE,MONTH,BASEL_sunshine\n1,1,sunny\n")
    });
    s.refuses("data::read_weather", "a short row", || {
        data::read_weather("DATE,MONTH,BASEL_sunshine\n1,1\n")
    });
    s.refuses("data::read_penguins", "a file of other columns", || {
        data::read_penguins("a,b\n1,2\n")
    });
    s.refuses("data::Batches::new", "y of another length", || {
        data::Batches::new(&zeros(&[4, 2]), &zeros(&[3]), 2, 0)
    });
    s.refuses("data::Batches::new", "batch size 0", || {
        data::Batches::new(&zeros(&[4, 2]), &zeros(&[4]), 0, 0)
    });
    s.refuses("data::Batches::new", "0-dimensional x", || {
        data::Batches::new(&Tensor::from(1f32), &zeros(&[1]), 1, 0)
    });
    s.refuses("data::images::shapes", "no kinds", || {
        images::shapes(4, &[], 0)
    });
    let drawn = images::shapes(4, &[Shape::Circle], 0).unwrap();
    s.refuses("Images::slice", "a range beyond the images", || {
        drawn.slice(2..9)
    });
    s.refuses("Images::labelled_as", "a list without the class", || {
        drawn.labelled_as(&["square"])
    });
    let prepared = data::prepare_three_way(&pairs, &["BASEL_sunshine"], label, three()).unwrap();
    s.refuses("ThreeWay::feature", "a feature not prepared", || {
        prepared.feature(&prepared.x_test, "BASEL_rain")
    });
    s.refuses("ThreeWay::feature", "x of another width", || {
        prepared.feature(&zeros(&[3, 4]), "BASEL_sunshine")
    });
}

fn two() -> Vec<String> {
    ["cat", "dog"].map(String::from).to_vec()
}

fn loading(s: &mut Sweep) {
    const L: &str = "Sequential::load";
    s.refuses(L, "a folder that does not exist", || {
        Sequential::load(folder("missing"))
    });
    let empty = folder("empty");
    std::fs::create_dir_all(&empty).unwrap();
    s.refuses(L, "a folder without model.json", || {
        Sequential::load(&empty)
    });
    let saved = |name: &str| {
        let dir = folder(name);
        classifier().save(&dir).unwrap();
        dir
    };
    let dir = saved("json");
    std::fs::write(dir.join("model.json"), "{ not json").unwrap();
    s.refuses(L, "a model.json that is not JSON", || {
        Sequential::load(&dir)
    });
    let dir = saved("no-weights");
    std::fs::remove_file(dir.join("weights.safetensors")).unwrap();
    s.refuses(L, "a folder without weights", || Sequential::load(&dir));
    let dir = saved("damaged");
    std::fs::write(
        dir.join("weights.safetensors"),
        b"\xff\xff\xff\xff\xff\xff\xff\x7fnot weights",
    )
    .unwrap();
    s.says(
        L,
        "a damaged weights file",
        &format!(
            "Sequential::load: `path` {} is damaged or is not a weights file (safetensors \
             cannot read it), expected the weights.safetensors that model.save(…) writes: save \
             the model again",
            dir.join("weights.safetensors").display()
        ),
        || Sequential::load(&dir),
    );
    let dir = saved("truncated");
    let bytes = std::fs::read(dir.join("weights.safetensors")).unwrap();
    std::fs::write(dir.join("weights.safetensors"), &bytes[..bytes.len() / 2]).unwrap();
    s.refuses(L, "a truncated weights file", || Sequential::load(&dir));
    let dir = saved("other-model");
    let other = folder("other-source");
    dlintro::seed(1);
    let mut wider = Sequential::input_features(4)
        .dense(9, Activation::Relu)
        .dense(3, Activation::Softmax);
    wider
        .compile(Loss::SparseCategoricalCrossEntropy, Optimizer::default())
        .unwrap();
    wider.save(&other).unwrap();
    std::fs::copy(
        other.join("weights.safetensors"),
        dir.join("weights.safetensors"),
    )
    .unwrap();
    s.refuses(L, "another model's weights, of other shapes", || {
        Sequential::load(&dir)
    });
    let dir = saved("metric");
    let json = std::fs::read_to_string(dir.join("model.json")).unwrap();
    let edited = json.replace("\"Accuracy\"", "\"RootMeanSquaredError\"");
    assert_ne!(edited, json);
    std::fs::write(dir.join("model.json"), edited).unwrap();
    s.refuses(L, "a model.json with RMSE for a classifier", || {
        Sequential::load(&dir)
    });
    let dir = saved("layers");
    let json = std::fs::read_to_string(dir.join("model.json")).unwrap();
    let edited = json.replace("\"units\": 8", "\"units\": 0");
    assert_ne!(edited, json);
    std::fs::write(dir.join("model.json"), edited).unwrap();
    s.refuses(L, "a model.json with a layer of 0 units", || {
        Sequential::load(&dir)
    });
    s.refuses("Sequential::save", "an uncompiled model", || {
        Sequential::input_features(4)
            .dense(3, Activation::Softmax)
            .save(folder("uncompiled"))
    });
    let file = folder("file");
    std::fs::write(&file, "a file").unwrap();
    s.refuses("Sequential::save", "a path that is a file", || {
        classifier().save(&file)
    });
    std::fs::remove_file(&file).ok();
    for name in [
        "missing",
        "empty",
        "json",
        "no-weights",
        "damaged",
        "truncated",
        "other-model",
        "other-source",
        "metric",
        "layers",
        "uncompiled",
    ] {
        std::fs::remove_dir_all(folder(name)).ok();
    }
}

#[test]
fn every_wrong_input_is_an_error_that_names_the_call_and_nothing_panics() {
    let mut sweep = Sweep::default();
    fitting(&mut sweep);
    compiling(&mut sweep);
    evaluating(&mut sweep);
    preparing(&mut sweep);
    loading(&mut sweep);
    // Every call above ran: a case lost in an edit would change the count.
    assert_eq!(sweep.calls, 157);
    assert!(
        sweep.failures.is_empty(),
        "{} of {} calls went wrong:\n{}",
        sweep.failures.len(),
        sweep.calls,
        sweep.failures.join("\n")
    );
}
