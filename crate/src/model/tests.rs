//! The model's tests: architecture, summary, evaluation, prediction, files. Training's are
//! in `train/tests.rs`.

use super::*;
use crate::test_support::{penguin_data, penguin_model, quiet};
use crate::train::FitOptions;
use tch::Kind;

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
            "Sequential::fit: `y` has class 6 at position 0, but the last layer has 3 units, \
             one per class, for classes 0 to 2: expected class indices from 0 to 2, or, for 8 \
             classes (0 to 7), a last layer of .dense(8, Activation::Softmax)",
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

/// The scores of the model's output layer for checked input `x`, before its activation.
fn output_scores(model: &Sequential, x: &Tensor) -> Tensor {
    let (last, rest) = model.built.split_last().unwrap();
    tch::no_grad(|| last.scores(&Sequential::through(rest, x, false)))
}

#[test]
fn evaluate_is_the_loss_api_on_predict_except_below_the_floor() {
    crate::seed(8);
    let (x, y, x_test, y_test, _) = penguin_data(true);
    let mut model = penguin_model();
    model.fit(&x, &y, quiet(20)).unwrap();
    // On the test penguins, no probability is near the floor: evaluate's loss from the
    // scores is the loss API's on predict's probabilities.
    let loss_of = |x: &Tensor, y: &Tensor| {
        Loss::SparseCategoricalCrossEntropy
            .compute(y, &model.predict(x).unwrap())
            .unwrap()
            .double_value(&[])
    };
    let evaluation = model.evaluate(&x_test, &y_test).unwrap();
    let by_api = loss_of(&x_test, &y_test);
    assert!(
        (evaluation.loss - by_api).abs() < 1e-5 * by_api,
        "evaluate {} vs Loss::compute {by_api}",
        evaluation.loss
    );
    // A penguin far outside the data, labelled with the class the model is surest it is not:
    // its probability rounds to 0.
    let far = Tensor::from_slice(&[600f32, -600.0, 600.0, -600.0]).view([1, 4]);
    let p_far = model.predict(&far).unwrap();
    let wrong = p_far.argmin(1, false); // [1]
    assert_eq!(p_far.min().double_value(&[]), 0.0, "{p_far}");
    // evaluate costs it −log_softmax, the whole gap between its scores, as PyTorch's
    // cross_entropy does: log(Σ e^zₖ) − z_wrong.
    let z = output_scores(&model, &far.to_device(model.vs.device())).to_kind(Kind::Double);
    let gap =
        z.logsumexp([1], false).double_value(&[0]) - z.double_value(&[0, wrong.int64_value(&[0])]);
    assert!(gap > 150.0, "{gap}");
    let alone = model.evaluate(&far, &wrong).unwrap().loss;
    assert!((alone - gap).abs() < 1e-5 * gap, "{alone} vs {gap}");
    // The loss API has only the probability, 0: it costs the floor, 100.
    let floored = loss_of(&far, &wrong);
    assert!((floored - 100.0).abs() < 0.1, "{floored}");
}

#[test]
fn a_sigmoid_output_is_evaluated_from_its_score_too() {
    crate::seed(3);
    let mut model = Sequential::input_features(1).dense(1, Activation::Sigmoid);
    model
        .compile(
            Loss::BinaryCrossEntropy,
            Optimizer::Adam { learning_rate: 0.1 },
        )
        .unwrap();
    let x = Tensor::from_slice(&[-2f32, -1., 1., 2.]).view([4, 1]);
    let y = Tensor::from_slice(&[0f32, 0., 1., 1.]).view([4, 1]);
    let history = model.fit(&x, &y, quiet(50)).unwrap();
    assert_eq!(history.last("accuracy").unwrap(), 1.0);
    // Accuracy and loss as the metric and loss APIs give them on predict's output.
    let evaluation = model.evaluate(&x, &y).unwrap();
    let p = model.predict(&x).unwrap();
    assert_eq!(
        evaluation.accuracy.unwrap(),
        Metric::Accuracy.compute(&y, &p).unwrap()
    );
    let by_api = Loss::BinaryCrossEntropy
        .compute(&y, &p)
        .unwrap()
        .double_value(&[]);
    assert!(
        (evaluation.loss - by_api).abs() < 1e-5 * by_api,
        "{evaluation:?} {by_api}"
    );
    // Far to the right, labelled 0: σ rounds to 1. From the score z it costs
    // ln(1 + e^z) ≈ z, as PyTorch's binary_cross_entropy_with_logits; the loss API, the floor.
    let far = Tensor::from_slice(&[1000f32]).view([1, 1]);
    let zero = Tensor::from_slice(&[0f32]).view([1, 1]);
    let z = output_scores(&model, &far.to_device(model.vs.device())).double_value(&[0, 0]);
    assert!(z > 150.0, "{z}");
    let alone = model.evaluate(&far, &zero).unwrap().loss;
    assert!((alone - z).abs() < 1e-5 * z, "{alone} vs {z}");
    let floored = Loss::BinaryCrossEntropy
        .compute(&zero, &model.predict(&far).unwrap())
        .unwrap()
        .double_value(&[]);
    assert!((floored - 100.0).abs() < 0.1, "{floored}");
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

/// The lesson-sized CNN of the recognition demo: 28×28 grey images, three classes.
fn small_cnn() -> Sequential {
    Sequential::input_image(28, 28, 1)
        .conv2d(8, 3, Activation::Relu)
        .max_pool2d(2)
        .conv2d(16, 3, Activation::Relu)
        .max_pool2d(2)
        .flatten()
        .dense(3, Activation::Softmax)
}

#[test]
fn a_cnn_summary_has_keras_shapes_and_parameter_counts() {
    // Keras 3: the same layers' model.summary() (conv: (3·3·channels + 1)·filters).
    let summary = small_cnn().summary();
    let rows: Vec<(&str, &str, usize)> = summary
        .rows
        .iter()
        .map(|(n, s, p)| (n.as_str(), s.as_str(), *p))
        .collect();
    assert_eq!(
        rows,
        [
            ("conv2d (Conv2D)", "(None, 26, 26, 8)", 80),
            ("max_pooling2d (MaxPooling2D)", "(None, 13, 13, 8)", 0),
            ("conv2d_1 (Conv2D)", "(None, 11, 11, 16)", 1168),
            ("max_pooling2d_1 (MaxPooling2D)", "(None, 5, 5, 16)", 0),
            ("flatten (Flatten)", "(None, 400)", 0),
            ("dense (Dense)", "(None, 3)", 1203),
        ]
    );
    assert_eq!(summary.total, 2451);
    let same = Sequential::input_image(13, 13, 4)
        .conv2d_same(6, 3, Activation::Relu)
        .layer(Layer::MaxPooling2D {
            pool_size: 2,
            strides: 2,
            padding: Padding::Same,
        })
        .flatten()
        .dense(1, Activation::Sigmoid);
    assert_eq!(same.shapes().unwrap()[1], [13, 13, 6]);
    assert_eq!(same.shapes().unwrap()[2], [7, 7, 6]);
}

#[test]
fn convolution_flatten_and_dense_compute_in_keras_order() {
    crate::seed(0);
    let mut model = Sequential::input_image(3, 3, 1)
        .conv2d(1, 2, Activation::Linear)
        .flatten()
        .dense(1, Activation::Linear);
    model
        .compile(Loss::MeanSquaredError, Optimizer::default())
        .unwrap();
    tch::no_grad(|| {
        let variables = model.vs.variables();
        let _ = variables["conv2d_0.weight"].shallow_clone().fill_(1.0);
        let _ = variables["conv2d_0.bias"].shallow_clone().fill_(0.0);
        let dense = Tensor::from_slice(&[1f32, 10.0, 100.0, 1000.0]).view([1, 4]);
        variables["dense_0.weight"].shallow_clone().copy_(&dense);
        let _ = variables["dense_0.bias"].shallow_clone().fill_(0.0);
    });
    // The image [[0, 1, 2], [3, 4, 5], [6, 7, 8]], channels last: [1 sample, 3, 3, 1].
    let image = Tensor::arange(9, (Kind::Float, tch::Device::Cpu)).view([1, 3, 3, 1]);
    // 2×2 sums: [[8, 12], [20, 24]]; flattened row by row and weighted 1, 10, 100, 1000.
    let y = model.predict(&image).unwrap();
    assert_eq!(y.double_value(&[0, 0]), 8.0 + 120.0 + 2000.0 + 24000.0);
}

#[test]
fn shapes_that_do_not_fit_are_named() {
    let compile = |model: Sequential| {
        let mut model = model;
        model
            .compile(Loss::SparseCategoricalCrossEntropy, Optimizer::default())
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        compile(
            Sequential::input_image(2, 2, 1)
                .conv2d(4, 3, Activation::Relu)
                .flatten()
                .dense(2, Activation::Softmax)
        ),
        "Sequential: `layers` layer 1 (Conv2D 4 3×3) gets 2×2 images, expected at least 3×3: \
         the kernel is larger than the image; use a kernel of at most 2×2 or \
         .conv2d_same(4, 3, …) to keep the image's size"
    );
    assert_eq!(
        compile(
            Sequential::input_image(8, 8, 1)
                .conv2d(4, 3, Activation::Relu)
                .dense(2, Activation::Softmax)
        ),
        "Sequential: `layers` layer 2 (Dense 2) gets samples of shape (None, 6, 6, 4), \
         expected one row of features: add .flatten() before it"
    );
    assert_eq!(
        compile(Sequential::input_features(4).conv2d(4, 3, Activation::Relu)),
        "Sequential: `layers` layer 1 (Conv2D 4 3×3) gets samples of shape (None, 4), expected \
         images (height, width, channels): start the model with \
         Sequential::input_image(height, width, channels)"
    );
    assert_eq!(
        compile(
            Sequential::input_image(8, 8, 1)
                .conv2d(4, 3, Activation::Relu)
                .max_pool2d(2)
        ),
        "Sequential: `layers` end with samples of shape (None, 3, 3, 4), expected one row of \
         outputs: add .flatten() and a dense layer"
    );
    assert_eq!(
        compile(
            Sequential::input_image(8, 8, 1)
                .conv2d_same(4, 2, Activation::Relu)
                .flatten()
                .dense(2, Activation::Softmax)
        ),
        "Sequential: `kernel_size` of layer 1 is 2, expected an odd size with padding: \
         Padding::Same (e.g. 3)"
    );
    // A summary still shows what fits, and marks the rest.
    let summary = Sequential::input_image(2, 2, 1)
        .conv2d(4, 3, Activation::Relu)
        .summary();
    assert_eq!(summary.rows[0].1, "does not fit");
    let mut model = small_cnn();
    model
        .compile(Loss::SparseCategoricalCrossEntropy, Optimizer::default())
        .unwrap();
    let flat = Tensor::zeros([5, 784], (Kind::Float, tch::Device::Cpu));
    assert_eq!(
        model.predict(&flat).unwrap_err().to_string(),
        "Sequential::predict: `x` has shape [5, 784], but the model expects 28×28 images with \
         1 channel(s): expected [samples, 28, 28, 1]"
    );
}

#[test]
fn a_cnn_learns_fits_and_comes_back_from_a_file() {
    crate::seed(1);
    // 8×8 images with one bright line: horizontal (class 0) or vertical (class 1).
    let mut images = vec![0f32; 40 * 64];
    let mut labels = Vec::new();
    for i in 0..40 {
        let (vertical, at) = (i % 2 == 1, 1 + (i / 2) % 6);
        for k in 0..8 {
            let (row, col) = if vertical { (k, at) } else { (at, k) };
            images[i * 64 + row * 8 + col] = 1.0;
        }
        labels.push(i64::from(vertical));
    }
    let x = Tensor::from_slice(&images).view([40, 8, 8, 1]);
    let y = Tensor::from_slice(&labels);
    let mut model = Sequential::input_image(8, 8, 1)
        .conv2d(4, 3, Activation::Relu)
        .max_pool2d(2)
        .flatten()
        .dense(2, Activation::Softmax);
    model
        .compile(
            Loss::SparseCategoricalCrossEntropy,
            Optimizer::Adam {
                learning_rate: 0.01,
            },
        )
        .unwrap();
    let history = model.fit(&x, &y, quiet(60)).unwrap();
    assert_eq!(history.last("accuracy").unwrap(), 1.0, "{history}");
    let dir = std::env::temp_dir().join(format!("dlintro-cnn-{}", std::process::id()));
    model.save(&dir).unwrap();
    let loaded = Sequential::load(&dir).unwrap();
    assert_eq!(loaded.summary(), model.summary());
    assert!(loaded
        .predict(&x)
        .unwrap()
        .equal(&model.predict(&x).unwrap()));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_model_saved_before_images_existed_still_loads() {
    crate::seed(5);
    let mut model = penguin_model();
    let dir = std::env::temp_dir().join(format!("dlintro-old-model-{}", std::process::id()));
    model.save(&dir).unwrap();
    let json = std::fs::read_to_string(dir.join("model.json")).unwrap();
    let old = json.replace("\"input_shape\": [\n    4\n  ]", "\"input_width\": 4");
    assert_ne!(old, json, "{json}");
    std::fs::write(dir.join("model.json"), old).unwrap();
    let loaded = Sequential::load(&dir).unwrap();
    assert_eq!(loaded.sample_shape(), [4]);
    std::fs::remove_dir_all(&dir).unwrap();
    model
        .compile(Loss::MeanSquaredError, Optimizer::default())
        .unwrap();
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

#[test]
fn same_pooling_keeps_keras_shape_for_any_stride() {
    // Keras: MaxPooling2D(2, strides=1, padding="same") on the 3×3 image [[0, 1, 2], [3, 4, 5],
    // [6, 7, 8]] pads one row and one column after it and gives [[4, 5, 5], [7, 8, 8],
    // [7, 8, 8]]. libtorch's ceil mode alone gives 2×2, which the dense layer after it,
    // built for 3×3, could not take.
    crate::seed(0);
    let mut model = Sequential::input_image(3, 3, 1)
        .layer(Layer::MaxPooling2D {
            pool_size: 2,
            strides: 1,
            padding: Padding::Same,
        })
        .flatten()
        .dense(1, Activation::Linear);
    model
        .compile(Loss::MeanSquaredError, Optimizer::default())
        .unwrap();
    let image = Tensor::arange(9, (Kind::Float, tch::Device::Cpu)).view([1, 3, 3, 1]);
    let flat = &model.layer_outputs(&image).unwrap()[1];
    assert_eq!(
        Vec::<f32>::try_from(flat.view([-1])).unwrap(),
        [4.0, 5.0, 5.0, 7.0, 8.0, 8.0, 7.0, 8.0, 8.0]
    );
    // 3×3 windows in steps of 2 on 7×7: ⌈7 / 2⌉ = 4 per side, padded 1 before and 1 after.
    let mut model = Sequential::input_image(7, 7, 1)
        .layer(Layer::MaxPooling2D {
            pool_size: 3,
            strides: 2,
            padding: Padding::Same,
        })
        .flatten()
        .dense(2, Activation::Softmax);
    model
        .compile(Loss::SparseCategoricalCrossEntropy, Optimizer::default())
        .unwrap();
    assert_eq!(model.shapes().unwrap()[1], [4, 4, 1]);
    let images = Tensor::arange(98, (Kind::Float, tch::Device::Cpu)).view([2, 7, 7, 1]);
    let pooled = &model.layer_outputs(&images).unwrap()[1]; // [2, 16]
    assert_eq!(pooled.size(), [2, 16]);
    // The first window covers rows and columns 0–1 of the image (and the padding): max 8.
    // The last covers rows and columns 5–6: max 48.
    assert_eq!(pooled.double_value(&[0, 0]), 8.0);
    assert_eq!(pooled.double_value(&[0, 15]), 48.0);
    let history = model
        .fit(&images, &Tensor::from_slice(&[0i64, 1]), quiet(2))
        .unwrap();
    assert_eq!(history.epochs(), 2);
}
