//! The model's tests: architecture, summary, evaluation, prediction, files. Training's are
//! in `train/tests.rs`.

use super::*;
use crate::test_support::{penguin_data, penguin_model, quiet};
use crate::train::FitOptions;

#[test]
fn the_lessons_penguin_model_has_83_parameters() {
    let summary = penguin_model().summary();
    assert_eq!(
        summary.rows[0],
        ("dense (Dense)".into(), "(None, 10)".into(), 50)
    );
    assert_eq!(
        summary.rows[1],
        ("dense_1 (Dense)".into(), "(None, 3)".into(), 33)
    );
    assert_eq!(summary.total, 83);
}

#[test]
fn save_then_load_predicts_identically() {
    crate::seed(5);
    let (x, y, x_test, _, _) = penguin_data(true);
    let mut model = penguin_model();
    model.fit(&x, &y, quiet(3)).unwrap();
    let dir = std::env::temp_dir().join(format!("dlintro-model-{}", std::process::id()));
    model.save(&dir).unwrap();
    let loaded = Sequential::load(&dir).unwrap();
    assert_eq!(loaded.summary(), model.summary());
    let (a, b) = (
        model.predict(&x_test).unwrap(),
        loaded.predict(&x_test).unwrap(),
    );
    assert!(a.equal(&b));
    std::fs::write(dir.join("model.json"), "{ not json").unwrap();
    let e = Sequential::load(&dir).unwrap_err();
    assert!(e.to_string().contains("is not a model description"), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
    let e = Sequential::load(&dir).unwrap_err();
    assert!(e.to_string().contains("model.json"), "{e}");
}

#[test]
fn bad_inputs_are_clear_errors() {
    let (x, y, _, _, classes) = penguin_data(true);
    let mut model = penguin_model();
    let three = Tensor::zeros([5, 3], (Kind::Float, tch::Device::Cpu));
    let cases: Vec<(Error, &str)> = vec![
        (
            model.fit(&x, &y.narrow(0, 0, 10), quiet(1)).unwrap_err(),
            "Sequential::fit: `y` has 10 samples, expected 266, one per row of x",
        ),
        (
            model.predict(&three).unwrap_err(),
            "Sequential::predict: `x` has shape [5, 3], but dense layer 1 expects 4 input \
             features: expected [samples, 4]",
        ),
        (
            model.fit(&x, &(&y + 5), quiet(1)).unwrap_err(),
            "Sequential::fit: `y` has class 6 at position 0, expected a class index from 0 to 2",
        ),
        (
            model
                .fit(&x.narrow(0, 0, 0), &y.narrow(0, 0, 0), quiet(1))
                .unwrap_err(),
            "Sequential::fit: `x` is empty, expected at least one sample",
        ),
        (
            model
                .fit(
                    &x,
                    &y,
                    FitOptions {
                        batch_size: 0,
                        ..quiet(1)
                    },
                )
                .unwrap_err(),
            "Sequential::fit: `batch_size` is 0, expected at least 1 (e.g. 32)",
        ),
        (
            model.fit(&x, &y, quiet(0)).unwrap_err(),
            "Sequential::fit: `epochs` is 0, expected at least 1",
        ),
        (
            model
                .fit(
                    &x,
                    &y,
                    FitOptions {
                        validation_split: 1.0,
                        ..quiet(1)
                    },
                )
                .unwrap_err(),
            "Sequential::fit: `validation_split` is 1, expected a fraction from 0 up to (not \
             including) 1",
        ),
        (
            model
                .compile(
                    Loss::SparseCategoricalCrossEntropy,
                    Optimizer::Adam { learning_rate: 0.0 },
                )
                .unwrap_err(),
            "Sequential::compile: `learning_rate` is 0, expected a number > 0 (e.g. 0.001)",
        ),
        (
            model
                .compile(
                    Loss::SparseCategoricalCrossEntropy,
                    Optimizer::Sgd {
                        learning_rate: f64::NAN,
                    },
                )
                .unwrap_err(),
            "Sequential::compile: `learning_rate` is NaN, expected a number > 0 (e.g. 0.001)",
        ),
        (
            model.predict_classes(&x, &classes[..2]).unwrap_err(),
            "Sequential::predict_classes: `class_names` has 2 names, expected 3, one per \
             output of the model",
        ),
    ];
    for (error, message) in cases {
        assert_eq!(error.to_string(), message);
    }
}

#[test]
fn evaluate_is_the_loss_api_on_predict_even_for_a_confidently_wrong_row() {
    crate::seed(8);
    let (x, y, x_test, y_test, _) = penguin_data(true);
    let mut model = penguin_model();
    model.fit(&x, &y, quiet(20)).unwrap();
    // A penguin far outside the data, labelled with the class the model is surest it is not.
    let far = Tensor::from_slice(&[60f32, -60.0, 60.0, -60.0]).view([1, 4]);
    let p_far = model.predict(&far).unwrap();
    let wrong = p_far.argmin(1, false); // [1]
    assert!(p_far.min().double_value(&[]) < 1e-7, "{p_far}");
    let x_all = Tensor::cat(&[&x_test, &far.to_device(x_test.device())], 0);
    let y_all = Tensor::cat(&[&y_test, &wrong.to_device(y_test.device())], 0);
    let evaluation = model.evaluate(&x_all, &y_all).unwrap();
    let by_api = Loss::SparseCategoricalCrossEntropy
        .compute(&y_all, &model.predict(&x_all).unwrap())
        .unwrap()
        .double_value(&[]);
    assert!(
        (evaluation.loss - by_api).abs() < 1e-5 * by_api,
        "evaluate {} vs Loss::compute {by_api}",
        evaluation.loss
    );
    // The wrong row alone costs −log p, floored at 100.
    let alone = model.evaluate(&far, &wrong).unwrap().loss;
    let expected = -(p_far
        .double_value(&[0, wrong.int64_value(&[0])])
        .max(crate::loss::MIN_PROBABILITY))
    .ln();
    assert!(
        (alone - expected.min(100.0)).abs() < 0.05,
        "{alone} vs {expected}"
    );
    assert!(
        alone > 16.2,
        "more than Keras' clip at 1e-7 would give: {alone}"
    );
}

#[test]
fn load_of_a_missing_folder_says_what_it_expected() {
    let dir = std::env::temp_dir().join("dlintro-no-such-model");
    let e = Sequential::load(&dir).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "Sequential::load: `path` {} is not a folder, expected a folder written by \
             model.save(…), with model.json and weights.safetensors in it",
            dir.display()
        )
    );
}

#[test]
fn one_hot_labels_need_the_categorical_loss() {
    let (x, y, _, _, _) = penguin_data(true);
    let one_hot = y.one_hot(3).to_kind(Kind::Float);
    let mut model = penguin_model();
    let e = model.fit(&x, &one_hot, quiet(1)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Sequential::fit: `y` has shape [266, 3] (Float), expected class indices [266] as \
         integers (one-hot rows go with Loss::CategoricalCrossEntropy)"
    );
    model
        .compile(Loss::CategoricalCrossEntropy, Optimizer::default())
        .unwrap();
    let history = model.fit(&x, &one_hot, quiet(5)).unwrap();
    assert_eq!(history.epochs(), 5);
    let e = model.evaluate(&x, &y).unwrap_err();
    assert!(
        e.to_string().contains("expected one-hot rows [266, 3]"),
        "{e}"
    );
}

#[test]
fn keras_dense_config_draws_within_the_glorot_limit_and_refuses_zero() {
    let config = keras_dense_config(4, 10).unwrap();
    // Glorot-uniform for 4 → 10: ±√(6 / 14) = ±0.6547.
    match config.ws_init {
        tch::nn::Init::Uniform { lo, up } => {
            assert!((up - 0.654_653_670_707_977_2).abs() < 1e-12 && lo == -up);
        }
        other => panic!("expected a uniform initialisation, got {other:?}"),
    }
    assert!(matches!(config.bs_init, Some(tch::nn::Init::Const(b)) if b == 0.0));
    assert_eq!(
        keras_dense_config(0, 3).unwrap_err().to_string(),
        "model::keras_dense_config: `inputs` is 0, expected at least 1"
    );
    assert_eq!(
        keras_dense_config(3, 0).unwrap_err().to_string(),
        "model::keras_dense_config: `outputs` is 0, expected at least 1"
    );
}
