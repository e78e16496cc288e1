//! Training's tests: the loop, its callbacks and what it returns.

use std::time::{Duration, Instant};

use crate::activation::Activation;
use crate::error::Error;
use crate::loss::Loss;
use crate::model::Sequential;
use crate::optimizer::Optimizer;
use crate::playground::Playground;
use crate::test_support::{lesson_penguin_data, penguin_data, penguin_model, quiet};
use crate::train::{EarlyStopping, FitOptions, StopReason, Validation, Verbose};

#[test]
fn standardised_penguins_reach_95_percent_on_the_test_set() {
    crate::seed(42);
    let (x, y, x_test, y_test, classes) = penguin_data(true);
    let mut model = penguin_model();
    let history = model.fit(&x, &y, quiet(100)).unwrap();
    assert_eq!(history.epochs(), 100);
    let evaluation = model.evaluate(&x_test, &y_test).unwrap();
    let accuracy = evaluation.accuracy.unwrap();
    assert!(accuracy >= 0.95, "test accuracy {accuracy}");
    let names = model.predict_classes(&x_test, &classes).unwrap();
    assert_eq!(names.len(), x_test.size()[0] as usize);
}

#[test]
fn raw_penguins_start_in_the_hundreds_and_learn_as_pytorch_and_keras_do() {
    // The lesson's first run: unstandardised measurements (body mass in grams), 4 → 10 ReLU
    // → 3 softmax, Adam 0.001, batches of 32, 100 epochs. Keras 3 on TensorFlow, seeds 1–5:
    // first epoch 411 to 1,734, last 1.4 to 3.8; a PyTorch loop with `cross_entropy` on the
    // scores: 394 to 591, then 0.43 to 1.9 (issue 17). The same loop with Glorot-uniform
    // weights, as Keras and we start, on this split: 319 to 2,250, then 0.73 to 3.3. Here:
    // 362, 752, 2,023, 731, 2,675, then 3.50, 1.17, 2.77, 0.84, 1.16. With the loss floored
    // at −100 per row, as training was before, these seeds made no progress at all: 55.7 to
    // 80.2 in the first epoch and the same in the last (issue 17).
    let (x, y, x_test, y_test, _) = lesson_penguin_data(false);
    for seed in 1..=5 {
        crate::seed(seed);
        let mut model = penguin_model();
        let history = model.fit(&x, &y, quiet(100)).unwrap();
        let loss = history.get("loss").unwrap();
        let (first, last) = (loss[0], loss[99]);
        assert!((300.0..=3000.0).contains(&first), "seed {seed}: {first}");
        assert!((0.43..=3.8).contains(&last), "seed {seed}: {last}");
        // The training loss fell fiftyfold or more; the test set still disappoints.
        assert!(50.0 * last <= first, "seed {seed}: {first} → {last}");
        let accuracy = model.evaluate(&x_test, &y_test).unwrap().accuracy.unwrap();
        assert!(accuracy < 0.9, "seed {seed}: test accuracy {accuracy}");
    }
}

#[test]
fn the_same_seed_gives_a_bit_identical_history() {
    let run = || {
        crate::seed(7);
        let (x, y, _, _, _) = penguin_data(true);
        let mut model = penguin_model();
        let options = FitOptions {
            epochs: 5,
            validation_split: 0.2,
            verbose: Verbose::Silent,
            ..Default::default()
        };
        model.fit(&x, &y, options).unwrap()
    };
    let (a, b) = (run(), run());
    assert_eq!(a, b);
    assert_eq!(a.get("val_accuracy").unwrap().len(), 5);
}

#[test]
fn a_spiral_is_learned() {
    crate::seed(3);
    let points = Playground::Spiral.generate(200, 0.0, 1).unwrap();
    let (x, y) = points.tensors(crate::device()).unwrap();
    let x = x / 5.0;
    let mut model = Sequential::input_features(2)
        .dense(32, Activation::Relu)
        .dense(32, Activation::Relu)
        .dense(2, Activation::Softmax);
    model
        .compile(
            Loss::SparseCategoricalCrossEntropy,
            Optimizer::Adam {
                learning_rate: 0.01,
            },
        )
        .unwrap();
    let history = model
        .fit(
            &x,
            &y,
            FitOptions {
                epochs: 300,
                batch_size: 32,
                verbose: Verbose::Silent,
                ..Default::default()
            },
        )
        .unwrap();
    let accuracy = history.last("accuracy").unwrap();
    assert!(accuracy >= 0.95, "training accuracy {accuracy}");
}

#[test]
fn early_stopping_stops_and_restores_the_best_epoch() {
    crate::seed(11);
    let (x, y, _, _, _) = penguin_data(true);
    let mut model = penguin_model();
    let options = FitOptions {
        epochs: 500,
        validation_split: 0.2,
        early_stopping: Some(EarlyStopping {
            monitor: "val_accuracy".into(),
            patience: 3,
            restore_best_weights: true,
        }),
        verbose: Verbose::Silent,
        ..Default::default()
    };
    let history = model.fit(&x, &y, options).unwrap();
    assert!(history.epochs() < 500);
    let best = history.best_epoch.unwrap();
    assert_eq!(history.epochs() - best, 3);
    // The restored weights are the best epoch's: evaluating gives its val_accuracy.
    let best_accuracy = history.get("val_accuracy").unwrap()[best - 1];
    let n = x.size()[0];
    let held = (n as f64 * 0.2).round() as i64;
    let evaluation = model
        .evaluate(&x.narrow(0, n - held, held), &y.narrow(0, n - held, held))
        .unwrap();
    assert_eq!(evaluation.accuracy, Some(best_accuracy));
}

#[test]
fn dropout_acts_in_training_only_and_has_no_parameters() {
    crate::seed(9);
    let mut model = Sequential::input_features(4)
        .dense(64, Activation::Relu)
        .dropout(0.5)
        .dense(3, Activation::Softmax);
    assert_eq!(
        model.summary().rows[1],
        ("dropout (Dropout)".into(), "(None, 64)".into(), 0)
    );
    model
        .compile(Loss::SparseCategoricalCrossEntropy, Optimizer::default())
        .unwrap();
    let (x, y, _, _, _) = penguin_data(true);
    // Predictions (evaluation mode) are deterministic; training passes are not.
    assert!(model
        .predict(&x)
        .unwrap()
        .equal(&model.predict(&x).unwrap()));
    let a = model.forward(&x.to_device(crate::device()), true);
    let b = model.forward(&x.to_device(crate::device()), true);
    assert!(!a.equal(&b));
    let history = model.fit(&x, &y, quiet(20)).unwrap();
    assert!(history.last("accuracy").unwrap() > 0.9);
    let e = Sequential::input_features(4)
        .dense(3, Activation::Softmax)
        .dropout(1.5)
        .compile(Loss::SparseCategoricalCrossEntropy, Optimizer::default())
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "Sequential: `rate` of dropout layer 2 is 1.5, expected 0 ≤ rate < 1"
    );
}

#[test]
fn validation_data_is_measured_every_epoch() {
    crate::seed(6);
    let (x, y, x_test, y_test, _) = penguin_data(true);
    let mut model = penguin_model();
    let options = FitOptions {
        epochs: 30,
        validation_data: Some(Validation::new(&x_test, &y_test)),
        verbose: Verbose::Silent,
        ..Default::default()
    };
    let history = model.fit(&x, &y, options).unwrap();
    let val_loss = history.get("val_loss").unwrap();
    assert_eq!(val_loss.len(), 30);
    assert!(val_loss[29] < val_loss[0], "{val_loss:?}");
    // The last epoch's validation numbers are what evaluate says now.
    let evaluation = model.evaluate(&x_test, &y_test).unwrap();
    assert!((evaluation.loss - val_loss[29]).abs() < 1e-6);
    assert_eq!(
        evaluation.accuracy,
        Some(history.last("val_accuracy").unwrap())
    );
}

#[test]
fn a_diverging_loss_stops_with_advice() {
    crate::seed(1);
    let (x, _, _, _, _) = penguin_data(false);
    let target = x.narrow(1, 0, 1) * 1e6; // huge regression targets
    let mut model = Sequential::input_features(4).dense(1, Activation::Linear);
    model
        .compile(
            Loss::MeanSquaredError,
            Optimizer::Sgd {
                learning_rate: 10.0,
            },
        )
        .unwrap();
    let error = model.fit(&x, &target, quiet(50)).unwrap_err().to_string();
    assert!(
        error.starts_with("Sequential::fit: `learning_rate` made the loss"),
        "{error}"
    );
    assert!(
        error.contains("Try a smaller learning rate (now 10) or standardise"),
        "{error}"
    );
}

#[test]
fn a_time_budget_stops_cleanly_and_keeps_model_and_history() {
    crate::seed(12);
    let points = Playground::Spiral.generate(200, 0.0, 1).unwrap();
    let (x, y) = points.tensors(crate::device()).unwrap();
    let mut model = Sequential::input_features(2)
        .dense(64, Activation::Relu)
        .dense(64, Activation::Relu)
        .dense(2, Activation::Softmax);
    model
        .compile(Loss::SparseCategoricalCrossEntropy, Optimizer::default())
        .unwrap();
    let budget = Duration::from_millis(1000);
    let options = FitOptions {
        epochs: 100_000,
        batch_size: 32,
        time_budget: Some(budget),
        ..quiet(1)
    };
    let start = Instant::now();
    let history = model.fit(&x, &y, options).unwrap();
    let took = start.elapsed();
    // Within the budget, give or take one batch (a few milliseconds; more on a busy machine).
    assert!(took < budget + Duration::from_millis(500), "took {took:?}");
    assert!(history.epochs() >= 1 && history.epochs() < 100_000);
    assert!(
        matches!(history.stopped, Some(StopReason::TimeBudget { .. })),
        "{history:?}"
    );
    assert_eq!(history.get("accuracy").unwrap().len(), history.epochs());
    // The model is usable and has learned something.
    let evaluation = model.evaluate(&x, &y).unwrap();
    assert!(
        evaluation.loss < history.get("loss").unwrap()[0],
        "{evaluation}"
    );
    let e = model
        .fit(
            &x,
            &y,
            FitOptions {
                time_budget: Some(Duration::ZERO),
                ..quiet(1)
            },
        )
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "Sequential::fit: `time_budget` is 0 s, expected some time (e.g. Duration::from_secs(30))"
    );
}

#[test]
fn fit_options_clone_with_their_validation_data() {
    let (x, y, x_test, y_test, _) = penguin_data(true);
    let options = FitOptions {
        validation_data: Some(Validation::new(&x_test, &y_test)),
        ..quiet(3)
    };
    let copy = options.clone();
    crate::seed(2);
    let a = penguin_model().fit(&x, &y, options).unwrap();
    crate::seed(2);
    let b = penguin_model().fit(&x, &y, copy).unwrap();
    assert_eq!(a, b);
    assert_eq!(a.get("val_loss").unwrap().len(), 3);
}

#[test]
fn an_unknown_monitor_names_the_metrics_there_are() {
    let (x, y, _, _, _) = penguin_data(true);
    let options = FitOptions {
        early_stopping: Some(EarlyStopping {
            monitor: "val_rmse".into(),
            ..Default::default()
        }),
        validation_split: 0.2,
        ..quiet(5)
    };
    let e: Error = penguin_model().fit(&x, &y, options).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Sequential::fit: `early_stopping` monitors \"val_rmse\", expected one of the metrics \
         this fit reports: loss, accuracy, val_loss, val_accuracy"
    );
}

#[test]
fn the_keras_like_calls_set_the_same_options_as_the_struct() {
    let (x, y, x_val, y_val, _) = penguin_data(true);
    let stopping = EarlyStopping::patience(3).restore_best_weights(true);
    let options = FitOptions::epochs(40)
        .batch_size(16)
        .validation_data((&x_val, &y_val))
        .early_stopping(stopping.clone())
        .verbose(Verbose::Silent)
        .seed(5);
    let literal = FitOptions {
        epochs: 40,
        batch_size: 16,
        validation_data: Some(Validation::new(&x_val, &y_val)),
        early_stopping: Some(EarlyStopping {
            patience: 3,
            restore_best_weights: true,
            ..Default::default()
        }),
        verbose: Verbose::Silent,
        seed: Some(5),
        ..Default::default()
    };
    assert_eq!(format!("{options:?}"), format!("{literal:?}"));
    assert_eq!(stopping.monitor, "val_loss");
    // Both train the same, to the bit.
    let run = |options: FitOptions| {
        crate::seed(7);
        let mut model = penguin_model();
        model
            .fit(&x, &y, options)
            .unwrap()
            .get("val_loss")
            .unwrap()
            .to_vec()
    };
    assert_eq!(run(options), run(literal));
}

#[test]
fn wrong_values_through_the_keras_like_calls_are_errors() {
    let (x, y, _, _, _) = penguin_data(true);
    let fit = |options: FitOptions| penguin_model().fit(&x, &y, options).unwrap_err();
    let quiet = |epochs| FitOptions::epochs(epochs).verbose(Verbose::Silent);
    assert!(matches!(
        fit(quiet(0)),
        Error::InvalidArgument {
            argument: "epochs",
            ..
        }
    ));
    let zero_batch = fit(quiet(5).batch_size(0));
    assert!(matches!(
        zero_batch,
        Error::InvalidArgument {
            argument: "batch_size",
            ..
        }
    ));
    let split = fit(quiet(5).validation_split(1.5));
    assert!(matches!(
        split,
        Error::InvalidArgument {
            argument: "validation_split",
            ..
        }
    ));
    let monitor = fit(quiet(5)
        .validation_split(0.2)
        .early_stopping(EarlyStopping::patience(2).monitor("val_rmse")));
    assert!(
        monitor.to_string().contains("monitors \"val_rmse\""),
        "{monitor}"
    );
}
