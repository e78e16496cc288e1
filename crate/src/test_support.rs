//! What the crate's tests share: the lesson's penguin data and model.

use tch::Tensor;

use crate::activation::Activation;
use crate::data::{self, PrepareOptions};
use crate::loss::Loss;
use crate::model::Sequential;
use crate::optimizer::Optimizer;
use crate::train::{FitOptions, Verbose};

/// The four measurements the lesson's model takes.
const FEATURES: [&str; 4] = [
    "bill_length_mm",
    "bill_depth_mm",
    "flipper_length_mm",
    "body_mass_g",
];

/// The four measurements of the complete penguins, split 80/20 (seed 0, stratified):
/// `(x_train, y_train, x_test, y_test, classes)`.
pub(crate) fn penguin_data(standardize: bool) -> (Tensor, Tensor, Tensor, Tensor, Vec<String>) {
    let table = data::penguins().unwrap().drop_missing();
    let options = PrepareOptions {
        standardize,
        ..Default::default()
    };
    let d = data::prepare(&table, &FEATURES, "species", options).unwrap();
    (d.x_train, d.y_train, d.x_test, d.y_test, d.classes)
}

/// The penguins as notebook 09 and the lesson prepare them: the island and sex columns
/// dropped first, then every penguin that misses a measurement (342 are left), split 80/20
/// (seed 0, stratified): `(x_train, y_train, x_test, y_test, classes)`.
pub(crate) fn lesson_penguin_data(
    standardize: bool,
) -> (Tensor, Tensor, Tensor, Tensor, Vec<String>) {
    let table = data::penguins()
        .unwrap()
        .drop(&["island", "sex"])
        .unwrap()
        .drop_missing();
    let options = PrepareOptions {
        standardize,
        ..Default::default()
    };
    let d = data::prepare(&table, &FEATURES, "species", options).unwrap();
    (d.x_train, d.y_train, d.x_test, d.y_test, d.classes)
}

/// The lesson's model: 4 → Dense(10, ReLU) → Dense(3, softmax), Adam.
pub(crate) fn penguin_model() -> Sequential {
    let mut model = Sequential::input_features(4)
        .dense(10, Activation::Relu)
        .dense(3, Activation::Softmax);
    model
        .compile(Loss::SparseCategoricalCrossEntropy, Optimizer::default())
        .unwrap();
    model
}

/// A binary classifier of three inputs: `hidden` ReLU layers → Dense(1, sigmoid), Adam.
pub(crate) fn binary_model(hidden: &[usize]) -> Sequential {
    let mut model = Sequential::input_features(3)
        .hidden_layers(hidden, Activation::Relu)
        .dense(1, Activation::Sigmoid);
    model
        .compile(Loss::BinaryCrossEntropy, Optimizer::default())
        .unwrap();
    model
}

/// `epochs` epochs, nothing printed.
pub(crate) fn quiet(epochs: usize) -> FitOptions {
    FitOptions {
        epochs,
        verbose: Verbose::Silent,
        ..Default::default()
    }
}
