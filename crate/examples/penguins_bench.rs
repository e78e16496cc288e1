//! Times the lesson's penguin model: 4 standardised features → Dense(10, relu) →
//! Dense(3, softmax), Adam (0.001), batch 32, 100 epochs, on the stratified 80/20 split.
//! `cargo xtask bench` runs it beside the same work in Python (bench/penguins.py).

use std::time::Instant;

use dlintro::data::{self, Standardizer};
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
    let x = table.to_array(&features)?;
    let species = table.texts("species")?;
    let classes = data::class_names(&species);
    let y = data::class_indices(&species, &classes)?;
    let split = data::train_test_split(x.nrows(), 0.2, 0, Some(&y))?;
    let train = data::take_rows(&x, &split.train);
    let scaler = Standardizer::fit(&train)?;
    let device = Device::Cpu;
    let x_train = data::to_tensor(&scaler.transform(&train)?, device)?;
    let x_test = data::to_tensor(
        &scaler.transform(&data::take_rows(&x, &split.test))?,
        device,
    )?;
    let labels = |rows: &[usize]| rows.iter().map(|&r| y[r]).collect::<Vec<_>>();
    let y_train = data::labels_to_tensor(&labels(&split.train), device)?;
    let y_test = data::labels_to_tensor(&labels(&split.test), device)?;
    let mut times = Vec::new();
    let mut accuracy = 0.0;
    for run in 0..repeats {
        seed(run as u64);
        let start = Instant::now();
        let mut model = Sequential::new(4)
            .dense(10, Activation::Relu)
            .dense(3, Activation::Softmax);
        model.compile(Loss::CategoricalCrossEntropy, Optimizer::default())?;
        let options = FitOptions {
            epochs: 100,
            verbose: false,
            ..Default::default()
        };
        model.fit(&x_train, &y_train, options)?;
        times.push(start.elapsed().as_secs_f64());
        accuracy += model.evaluate(&x_test, &y_test)?.accuracy.unwrap_or(0.0) / repeats as f64;
    }
    times.sort_by(f64::total_cmp);
    println!(
        "dlintro (Rust, tch): median {:.3} s per 100-epoch fit over {repeats} runs, mean test accuracy {accuracy:.3}",
        times[times.len() / 2]
    );
    Ok(())
}
