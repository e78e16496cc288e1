//! Tests of the Functional API: a two-branch model computed by hand, the same training as a
//! `Sequential`, save and load across processes, the errors.

use tch::{Device, Kind, Tensor};

use super::*;
use crate::activation::Activation;
use crate::test_support::{penguin_data, penguin_model, quiet};
use crate::train::FitOptions;

/// Two branches from 2 inputs, added and concatenated, then one output:
/// a = ReLU(W_a x + b_a), b = W_b x, s = a + b, out = W_o [a, s] + b_o.
fn two_branches() -> Model {
    let inputs = Input::features(2);
    let a = Layer::dense(2, Activation::Relu).apply(&inputs).unwrap();
    let b = Layer::dense(2, Activation::Linear).apply(&inputs).unwrap();
    let sum = layers::add(&[&a, &b]).unwrap();
    let both = layers::concatenate(&[&a, &sum]).unwrap();
    let out = Layer::dense(1, Activation::Linear).apply(&both).unwrap();
    let model = Model::new(&inputs, &out).unwrap();
    // Weights by hand, [out, in] as libtorch keeps them.
    let set = |name: &str, values: &[f32], shape: &[i64]| {
        let variables = model.vs.variables();
        tch::no_grad(|| {
            variables[name]
                .shallow_clone()
                .copy_(&Tensor::from_slice(values).view(shape))
        });
    };
    set("dense_0.weight", &[1., 1., 2., -1.], &[2, 2]);
    set("dense_0.bias", &[0., 1.], &[2]);
    set("dense_1.weight", &[0.5, 0., 0., -1.], &[2, 2]);
    set("dense_1.bias", &[0., 0.], &[2]);
    set("dense_2.weight", &[1., 2., -1., 0.5], &[1, 4]);
    set("dense_2.bias", &[0.25], &[1]);
    model
}

fn two_samples() -> Tensor {
    Tensor::from_slice(&[1f32, 2., -1., 1.]).view([2, 2])
}

#[test]
fn a_two_branch_model_gives_the_output_computed_by_hand() {
    let model = two_branches();
    // Sample (1, 2): a = ReLU(1 + 2 + 0, 2 − 2 + 1) = (3, 1); b = (0.5, −2); a + b = (3.5, −1);
    // out = 3 + 2·1 − 3.5 + 0.5·(−1) + 0.25 = 1.25.
    // Sample (−1, 1): a = ReLU(0, −2) = (0, 0); b = (−0.5, −1); a + b = (−0.5, −1);
    // out = 0 + 0 + 0.5 − 0.5 + 0.25 = 0.25.
    let y = model.predict(&two_samples()).unwrap();
    assert_eq!(Vec::<f32>::try_from(y.view([-1])).unwrap(), [1.25, 0.25]);
    let summary = model.summary();
    assert_eq!(
        summary.connected_to,
        [
            "-",
            "input_layer[0][0]",
            "input_layer[0][0]",
            "dense[0][0], dense_1[0][0]",
            "dense[0][0], add[0][0]",
            "concatenate[0][0]"
        ]
    );
    assert_eq!(summary.total, 6 + 6 + 5);
    assert_eq!(model.count_params(), 17);
    let text = summary.to_string();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "Layer (type)               Output Shape     Param #  Connected to"
    );
    assert_eq!(
        lines[5],
        "concatenate (Concatenate)  (None, 4)              0  dense[0][0], add[0][0]"
    );
    assert_eq!(lines[7], "Total params: 17");
    let html = summary.to_html();
    assert!(html.contains("<th style=\"text-align:left\">Connected to</th>"));
    assert!(html.contains("<td style=\"text-align:left\">dense[0][0]<br>add[0][0]</td>"));
}

#[test]
fn reorg_and_reshape_move_values_as_tensorflow_and_keras_do() {
    // A 4×4 image of one channel, 0 … 15 row by row.
    let inputs = Input::image(4, 4, 1);
    let reorg = Layer::SpaceToDepth { block_size: 2 }
        .apply(&inputs)
        .unwrap();
    let tall = Layer::Reshape {
        target_shape: [4, 1, 4],
    }
    .apply(&reorg)
    .unwrap();
    let x = Tensor::arange(16, (Kind::Float, Device::Cpu)).view([1, 4, 4, 1]);
    // tf.nn.space_to_depth(x, 2): each 2×2 square's pixels, row by row, as channels.
    let model = Model::new(&inputs, &reorg).unwrap();
    let y = model.predict(&x).unwrap();
    assert_eq!(y.size(), [1, 2, 2, 4]);
    let expected = [
        0f32, 1., 4., 5., 2., 3., 6., 7., 8., 9., 12., 13., 10., 11., 14., 15.,
    ];
    assert_eq!(Vec::<f32>::try_from(y.view([-1])).unwrap(), expected);
    // keras.layers.Reshape((4, 1, 4)) keeps Keras' row-major order of the values.
    let model = Model::new(&inputs, &tall).unwrap();
    let y = model.predict(&x).unwrap();
    assert_eq!(y.size(), [1, 4, 1, 4]);
    assert_eq!(Vec::<f32>::try_from(y.view([-1])).unwrap(), expected);
    let e = Layer::SpaceToDepth { block_size: 3 }
        .apply(&inputs)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "Layer::apply: `input` of SpaceToDepth 3×3: gets 4×4 images, expected a height and \
         width that 3 divides"
    );
    let e = Layer::Reshape {
        target_shape: [3, 3, 2],
    }
    .apply(&reorg)
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "Layer::apply: `input` of Reshape 3×3×2: gets samples of shape (None, 2, 2, 4) (16 \
         values), expected an image of 18 values, as many as the new shape holds"
    );
}

#[test]
fn a_functional_model_trains_exactly_as_the_same_sequential_one() {
    let (x, y, x_test, y_test, _) = penguin_data(true);
    let mut sequential = penguin_model();
    let inputs = Input::features(4);
    let hidden = Layer::dense(10, Activation::Relu).apply(&inputs).unwrap();
    let outputs = Layer::dense(3, Activation::Softmax).apply(&hidden).unwrap();
    let mut model = Model::new(&inputs, &outputs).unwrap();
    model
        .compile(Loss::SparseCategoricalCrossEntropy, Optimizer::default())
        .unwrap();
    // The same starting weights: both name them dense_0 and dense_1.
    model.restore(&sequential.snapshot());
    let options = || FitOptions {
        seed: Some(7),
        validation_split: 0.2,
        ..quiet(5)
    };
    let a = sequential.fit(&x, &y, options()).unwrap();
    let b = model.fit(&x, &y, options()).unwrap();
    for name in ["loss", "accuracy", "val_loss", "val_accuracy"] {
        assert_eq!(a.get(name).unwrap(), b.get(name).unwrap(), "{name}");
    }
    assert_eq!(a.get("loss").unwrap().len(), 5);
    assert_eq!(
        sequential.evaluate(&x_test, &y_test).unwrap(),
        model.evaluate(&x_test, &y_test).unwrap()
    );
    assert!(sequential
        .predict(&x_test)
        .unwrap()
        .equal(&model.predict(&x_test).unwrap()));
    // A summary of the same layers, plus Keras' input row and "Connected to".
    let rows = &model.summary().rows;
    assert_eq!(
        rows[0],
        ("input_layer (InputLayer)".into(), "(None, 4)".into(), 0)
    );
    assert_eq!(&rows[1..], &sequential.summary().rows[..]);
}

/// Where the fresh process finds what the first one saved.
const SAVED: &str = "DLINTRO_FUNCTIONAL_SAVED";

#[test]
fn a_model_saved_in_one_process_loads_in_another() {
    let mut model = two_branches();
    model
        .compile_with_metrics(
            Loss::MeanSquaredError,
            Optimizer::Adam {
                learning_rate: 0.01,
            },
            &[Metric::MeanAbsoluteError],
        )
        .unwrap();
    let x = two_samples();
    let target = Tensor::from_slice(&[1f32, 0.]).view([2, 1]);
    model.fit(&x, &target, quiet(3)).unwrap();
    let y = model.predict(&x).unwrap();
    let bits: Vec<String> = Vec::<f32>::try_from(y.view([-1]))
        .unwrap()
        .iter()
        .map(|v| v.to_bits().to_string())
        .collect();
    let dir = std::env::temp_dir().join(format!("dlintro-functional-{}", std::process::id()));
    model.save(&dir).unwrap();
    std::fs::write(dir.join("expected.txt"), bits.join(" ")).unwrap();
    // This test binary again, running only the test below, in a process of its own.
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "model::functional::tests::loading_in_a_fresh_process",
            "--exact",
            "--ignored",
            "--nocapture",
        ])
        .env(SAVED, &dir)
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("1 passed"), "{stdout}");
    assert!(
        stdout.contains("loaded: 2 predictions equal, mean_absolute_error"),
        "{stdout}"
    );
}

#[test]
#[ignore = "run by a_model_saved_in_one_process_loads_in_another, in a process of its own"]
fn loading_in_a_fresh_process() {
    let dir = std::path::PathBuf::from(std::env::var(SAVED).expect("the folder to load"));
    let model = Model::load(&dir).unwrap();
    let expected: Vec<u32> = std::fs::read_to_string(dir.join("expected.txt"))
        .unwrap()
        .split(' ')
        .map(|b| b.parse().unwrap())
        .collect();
    let y = model.predict(&two_samples()).unwrap();
    let bits: Vec<u32> = Vec::<f32>::try_from(y.view([-1]))
        .unwrap()
        .iter()
        .map(|v| v.to_bits())
        .collect();
    assert_eq!(bits, expected);
    assert_eq!(model.loss(), Some(Loss::MeanSquaredError));
    assert_eq!(
        model.optimizer(),
        Some(Optimizer::Adam {
            learning_rate: 0.01
        })
    );
    assert_eq!(model.metrics(), [Metric::MeanAbsoluteError]);
    assert_eq!(model.summary(), two_branches().summary());
    println!(
        "loaded: {} predictions equal, {}",
        bits.len(),
        model.metrics()[0].name()
    );
}

#[test]
fn a_shared_layer_keeps_one_set_of_weights() {
    let (left, right) = (Input::features(3), Input::features(3));
    let shared = Layer::dense(2, Activation::Tanh).shared();
    let x = shared.apply(&left).unwrap();
    let twice = shared.apply(&x.clone()).unwrap_err();
    assert_eq!(
        twice.to_string(),
        "Shared::apply: `input` has samples of shape (None, 2), but this shared Dense 2 was \
         first applied to (None, 3): a shared layer keeps one set of weights, expected inputs \
         of that shape"
    );
    // Applied twice to the same input: one layer, one row, two links, the same values.
    let y = shared.apply(&left).unwrap();
    let both = layers::concatenate(&[&x, &y]).unwrap();
    let model = Model::new(&left, &both).unwrap();
    assert_eq!(model.layers().len(), 1);
    let summary = model.summary();
    assert_eq!(summary.total, 3 * 2 + 2);
    assert_eq!(
        summary.connected_to,
        [
            "-",
            "input_layer[0][0], input_layer[0][0]",
            "dense[0][0], dense[1][0]"
        ]
    );
    let out = model
        .predict(&Tensor::from_slice(&[0.5f32, -1., 2.]).view([1, 3]))
        .unwrap();
    assert!(out.narrow(1, 0, 2).equal(&out.narrow(1, 2, 2)));
    let e = Model::new(&right, &both).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Model::new: `outputs` does not depend on `inputs`: it is computed from another \
         Input, of shape (None, 3); expected the output of layers applied to `inputs`"
    );
}

#[test]
fn joins_and_models_that_do_not_fit_are_errors() {
    let inputs = Input::features(4);
    let other = Input::features(4);
    let a = Layer::dense(3, Activation::Relu).apply(&inputs).unwrap();
    let b = Layer::dense(3, Activation::Relu).apply(&other).unwrap();
    let both = layers::add(&[&a, &b]).unwrap();
    let e = Model::new(&inputs, &both).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Model::new: `outputs` depends on a second Input, of shape (None, 4), besides \
         `inputs`; expected a model of one input"
    );
    let e = Model::new(&a, &both).unwrap_err();
    assert!(
        e.to_string().starts_with(
            "Model::new: `inputs` is the output of a layer (Node (None, 3) from Dense 3)"
        ),
        "{e}"
    );
    let e = Model::new(&inputs, &inputs).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Model::new: `outputs` is `inputs` itself, expected the output of at least one layer \
         applied to it"
    );
    let e = layers::add(&[&a]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "layers::add: `inputs` has 1 node(s), expected two or more to join"
    );
    let image = Input::image(4, 4, 2);
    let e = layers::concatenate(&[&image, &inputs]).unwrap_err();
    assert!(e.to_string().contains("(None, 4, 4, 2), (None, 4)"), "{e}");
    // An image output can be predicted, not trained with a loss.
    let conv = Layer::conv2d_same(3, 3, Activation::Relu)
        .apply(&image)
        .unwrap();
    let mut model = Model::new(&image, &conv).unwrap();
    let e = model
        .compile(Loss::MeanSquaredError, Optimizer::default())
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "Model::compile: `outputs` have samples of shape (None, 4, 4, 3), expected one row of \
         outputs per sample for a loss: add Layer::Flatten and a dense layer"
    );
    let mut model = two_branches();
    let e = model
        .fit(
            &two_samples(),
            &Tensor::zeros([2, 1], (Kind::Float, Device::Cpu)),
            quiet(1),
        )
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "Model::fit: `model` is not compiled: call model.compile(…) first"
    );
    let e = model
        .predict(&Tensor::zeros([2, 3], (Kind::Float, Device::Cpu)))
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "Model::predict: `x` has shape [2, 3], but the model expects 2 input features: \
         expected [samples, 2]"
    );
    let e = Model::load(std::env::temp_dir().join("dlintro-no-such-model")).unwrap_err();
    assert!(e.to_string().starts_with("Model::load: `path` "), "{e}");
}

#[test]
fn a_sigmoid_output_trains_on_its_scores_as_the_same_sequential_one() {
    // Binary cross-entropy of a sigmoid output: the loss from the scores, no floor, for both.
    let x = Tensor::from_slice(&[-2f32, -1., -0.5, 0.5, 1., 2., 3., -3.]).view([8, 1]);
    let y = Tensor::from_slice(&[0f32, 0., 0., 1., 1., 1., 1., 0.]).view([8, 1]);
    let mut sequential = crate::model::Sequential::input_features(1)
        .dense(4, Activation::Tanh)
        .dense(1, Activation::Sigmoid);
    sequential
        .compile(Loss::BinaryCrossEntropy, Optimizer::default())
        .unwrap();
    let inputs = Input::features(1);
    let hidden = Layer::dense(4, Activation::Tanh).apply(&inputs).unwrap();
    let outputs = Layer::dense(1, Activation::Sigmoid).apply(&hidden).unwrap();
    let mut model = Model::new(&inputs, &outputs).unwrap();
    model
        .compile(Loss::BinaryCrossEntropy, Optimizer::default())
        .unwrap();
    model.restore(&sequential.snapshot());
    let options = || FitOptions {
        seed: Some(3),
        batch_size: 4,
        ..quiet(4)
    };
    let a = sequential.fit(&x, &y, options()).unwrap();
    let b = model.fit(&x, &y, options()).unwrap();
    assert_eq!(a.get("loss").unwrap(), b.get("loss").unwrap());
    assert_eq!(a.get("accuracy").unwrap(), b.get("accuracy").unwrap());
    // Validation data are named as the learner wrote them.
    let options = FitOptions {
        validation_data: Some(crate::train::Validation::new(
            &Tensor::zeros([2, 3], (Kind::Float, Device::Cpu)),
            &Tensor::zeros([2, 1], (Kind::Float, Device::Cpu)),
        )),
        ..quiet(1)
    };
    let e = model.fit(&x, &y, options).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Model::fit: `validation_data.x` has shape [2, 3], but the model expects 1 input \
         features: expected [samples, 1]"
    );
}

#[test]
fn data_are_checked_with_the_messages_of_a_sequential() {
    // The checks are Sequential's (model::inputs), named after Model's functions.
    let inputs = Input::features(2);
    let hidden = Layer::dense(4, Activation::Relu).apply(&inputs).unwrap();
    let outputs = Layer::dense(2, Activation::Softmax).apply(&hidden).unwrap();
    let mut model = Model::new(&inputs, &outputs).unwrap();
    let e = model.predict(&Tensor::from_slice(&[1f32, 2.])).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Model::predict: `x` has shape [2], one sample without the samples dimension: expected \
         [samples, 2], here [1, 2]: x.view([1, 2]) (or x.unsqueeze(0)) makes it so"
    );
    let x = Tensor::zeros([3, 2], (Kind::Float, Device::Cpu));
    // Three classes for a last layer of two units: the model's fault, as for a Sequential.
    model
        .compile(Loss::SparseCategoricalCrossEntropy, Optimizer::default())
        .unwrap();
    let e = model
        .fit(&x, &Tensor::from_slice(&[0i64, 2, 1]), quiet(1))
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "Model::fit: `y` has class 2 at position 1, but the last layer has 2 units, one per \
         class, for classes 0 to 1: expected class indices from 0 to 1, or, for 3 classes (0 to \
         2), a last layer of .dense(3, Activation::Softmax)"
    );
    model
        .compile(Loss::CategoricalCrossEntropy, Optimizer::default())
        .unwrap();
    let one_hot = Tensor::eye(3, (Kind::Float, Device::Cpu));
    let e = model.evaluate(&x, &one_hot).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Model::evaluate: `y` has one-hot rows of 3 classes, but the last layer has 2 units, one \
         per class: expected rows of 2, or, for 3 classes, a last layer of .dense(3, \
         Activation::Softmax)"
    );
}

#[test]
fn a_damaged_weights_file_is_said_so_as_for_a_sequential() {
    // Saving and loading share Sequential's file code (model::file), messages included.
    let dir =
        std::env::temp_dir().join(format!("dlintro-functional-damaged-{}", std::process::id()));
    two_branches().save(&dir).unwrap();
    let weights = dir.join("weights.safetensors");
    let bytes = std::fs::read(&weights).unwrap();
    std::fs::write(&weights, &bytes[..bytes.len() / 2]).unwrap();
    let e = Model::load(&dir).unwrap_err();
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(
        e.to_string(),
        format!(
            "Model::load: `path` {} is damaged or is not a weights file (safetensors cannot read \
             it), expected the weights.safetensors that model.save(…) writes: save the model \
             again",
            weights.display()
        )
    );
}
