//! Times the lesson's penguin model: 4 standardised features → Dense(10, relu) →
//! Dense(3, softmax), Adam (0.001), batch 32, 100 epochs, on the stratified 80/20 split.
//! `cargo xtask bench` runs it beside the same work in Python (bench/penguins.py).

use std::time::Instant;

use dlintro::prelude::*;

fn main() -> Result<()> {
    let repeats: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(5);
    let table = data::penguins()?.drop_missing();
    let features = [
        "bill_length_mm",
        "bill_depth_mm",
        "flipper_length_mm",
        "body_mass_g",
    ];
    let data = data::prepare(&table, &features, "species", PrepareOptions::default())?;
    let mut times = Vec::new();
    let mut accuracy = 0.0;
    for run in 0..repeats {
        seed(run as u64);
        let start = Instant::now();
        let mut model = Sequential::input_features(4)
            .dense(10, Activation::Relu)
            .dense(3, Activation::Softmax);
        model.compile(Loss::SparseCategoricalCrossEntropy, Optimizer::default())?;
        let options = FitOptions {
            epochs: 100,
            verbose: Verbose::Silent,
            ..Default::default()
        };
        model.fit(&data.x_train, &data.y_train, options)?;
        times.push(start.elapsed().as_secs_f64());
        accuracy += model
            .evaluate(&data.x_test, &data.y_test)?
            .accuracy
            .unwrap_or(0.0)
            / repeats as f64;
    }
    times.sort_by(f64::total_cmp);
    println!(
        "dlintro (Rust, tch): median {:.3} s per 100-epoch fit over {repeats} runs, mean test accuracy {accuracy:.3}",
        times[times.len() / 2]
    );
    Ok(())
}
