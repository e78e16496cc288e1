//! A training loop written by hand with tch's `nn` module, over [`data::Batches`] and with
//! [`model::keras_dense_config`], trains the very weights `Sequential::fit` trains from the
//! same seed: the claim notebook 08 makes when it builds one classifier three ways.
//!
//! One test in its own binary, because libtorch's random generator is shared by every thread
//! of a test binary and this test needs two runs to draw the same numbers.

use dlintro::model::keras_dense_config;
use dlintro::prelude::*;
use dlintro::tch::{
    self,
    nn::{self, Module, OptimizerConfig},
};

#[test]
fn a_loop_over_batches_trains_the_weights_fit_trains() {
    let penguins = data::penguins().unwrap().drop_missing();
    let features = [
        "bill_length_mm",
        "bill_depth_mm",
        "flipper_length_mm",
        "body_mass_g",
    ];
    let data = data::prepare(&penguins, &features, "species", PrepareOptions::default()).unwrap();
    let (lr, epochs, batch_size) = (
        0.1,
        std::env::var("EP").map(|e| e.parse().unwrap()).unwrap_or(5),
        32,
    );

    seed(42);
    let mut model = Sequential::input_features(4)
        .dense(10, Activation::Relu)
        .dense(3, Activation::Softmax);
    let sgd = Optimizer::Sgd { learning_rate: lr };
    model
        .compile(Loss::SparseCategoricalCrossEntropy, sgd)
        .unwrap();
    let untrained = model.predict(&data.x_test).unwrap(); // [67, 3]

    seed(42);
    let vs = nn::VarStore::new(device());
    let net = nn::seq()
        .add(nn::linear(
            vs.root() / "hidden",
            4,
            10,
            keras_dense_config(4, 10).unwrap(),
        ))
        .add_fn(|x| x.relu())
        .add(nn::linear(
            vs.root() / "output",
            10,
            3,
            keras_dense_config(10, 3).unwrap(),
        ));
    let probabilities = |x: &Tensor| {
        tch::no_grad(|| net.forward(x).softmax(-1, Kind::Float)).to_device(Device::Cpu)
    };
    // The same starting weights: the same outputs, to the last bit.
    assert!(probabilities(&data.x_test).equal(&untrained));

    let batches = data::Batches::new(&data.x_train, &data.y_train, batch_size, 42).unwrap();
    assert_eq!(batches.batches_per_epoch(), 9); // 266 penguins in batches of 32
    let mut optimizer = nn::Sgd::default().build(&vs, lr).unwrap();
    for epoch in 1..=epochs {
        for (xb, yb) in batches.epoch(epoch) {
            let loss = net.forward(&xb).cross_entropy_for_logits(&yb);
            optimizer.backward_step(&loss);
        }
    }
    let options = FitOptions {
        epochs,
        batch_size,
        seed: Some(42),
        verbose: Verbose::Silent,
        ..Default::default()
    };
    model.fit(&data.x_train, &data.y_train, options).unwrap();
    let trained = model.predict(&data.x_test).unwrap();
    // Same batches, same steps: the outputs agree to rounding (the loss is computed from the
    // logits here and from the probabilities in fit, which differ in the last bits).
    let difference = (probabilities(&data.x_test) - &trained)
        .abs()
        .max()
        .double_value(&[]);
    assert!(difference < 1e-5, "largest difference {difference}");
    let moved = (&trained - &untrained).abs().max().double_value(&[]);
    assert!(moved > 0.01, "training changed the outputs by {moved}");
}
