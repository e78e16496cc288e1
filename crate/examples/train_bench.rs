//! The training workloads of `cargo xtask bench`, and the process that times `dlintro`'s `fit`
//! on them.
//!
//! `train_bench export DIR` writes every workload's data and settings to DIR, so that the
//! Python runners (bench/train.py: a plain PyTorch loop, Keras) train on the very same numbers.
//! `train_bench serve` then answers on stdout, one JSON line per workload name read on stdin:
//! the seconds one `fit` took (the model is built and compiled before the clock starts), and
//! the last epoch's loss and accuracy, to see that every runner did the same work.
//!
//! Workloads: the lesson's penguins (4 → 10 → 3, Adam, batch 32 and 16, 100 epochs), the
//! Playground's spiral (1,000 points, 2 → 16 → 16 → 2, 200 epochs), the weather regression
//! of notebook 10 (163 → 100 → 50 → 1, 200 epochs, RMSE and validation every epoch) and a
//! wide one where the arithmetic dominates (20,000 × 64 → 256 → 256 → 10, batch 256, 5
//! epochs, random data).

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use dlintro::playground::Playground;
use dlintro::prelude::*;
use serde_json::json;

/// One training job, the same in every runner.
struct Workload {
    name: &'static str,
    about: String,
    x: Tensor,
    y: Tensor,
    validation: Option<(Tensor, Tensor)>,
    inputs: usize,
    layers: Vec<(usize, Activation)>,
    loss: Loss,
    learning_rate: f64,
    batch_size: usize,
    epochs: usize,
}

impl Workload {
    fn model(&self, seed_value: u64) -> Result<Sequential> {
        seed(seed_value);
        let mut model = Sequential::input_features(self.inputs);
        for &(units, activation) in &self.layers {
            model = model.dense(units, activation);
        }
        let optimizer = Optimizer::Adam {
            learning_rate: self.learning_rate,
        };
        match self.loss {
            // As notebook 10 and the lesson: the RMSE every epoch, in hours.
            Loss::MeanSquaredError => {
                model.compile_with_metrics(self.loss, optimizer, &[Metric::RootMeanSquaredError])?
            }
            _ => model.compile(self.loss, optimizer)?,
        }
        Ok(model)
    }

    /// Builds a fresh model, then times one fit: the seconds, the last epoch's loss and
    /// accuracy (classifiers).
    fn run(&self, seed_value: u64) -> Result<serde_json::Value> {
        let mut model = self.model(seed_value)?;
        let options = FitOptions {
            epochs: self.epochs,
            batch_size: self.batch_size,
            verbose: Verbose::Silent,
            validation_data: self.validation.as_ref().map(|(x, y)| Validation::new(x, y)),
            ..Default::default()
        };
        let start = Instant::now();
        let history = model.fit(&self.x, &self.y, options)?;
        let seconds = start.elapsed().as_secs_f64();
        Ok(json!({
            "seconds": seconds,
            "loss": history.last("loss")?,
            "accuracy": history.last("accuracy").ok(),
            "rmse": history.last("root_mean_squared_error").ok(),
        }))
    }

    fn settings(&self) -> serde_json::Value {
        let activation = |a: Activation| match a {
            Activation::Relu => "relu",
            Activation::Softmax => "softmax",
            Activation::Linear => "linear",
            _ => unreachable!("the workloads use relu, softmax and linear"),
        };
        json!({
            "name": self.name,
            "about": self.about,
            "inputs": self.inputs,
            "layers": self.layers.iter().map(|&(u, a)| json!([u, activation(a)])).collect::<Vec<_>>(),
            "metrics": if self.loss == Loss::MeanSquaredError { vec!["rmse"] } else { vec!["accuracy"] },
            "loss": match self.loss {
                Loss::SparseCategoricalCrossEntropy => "sparse_categorical_crossentropy",
                Loss::MeanSquaredError => "mse",
                _ => unreachable!("the workloads use two losses"),
            },
            "learning_rate": self.learning_rate,
            "batch_size": self.batch_size,
            "epochs": self.epochs,
            "x": self.x.size(),
            "y": self.y.size(),
            "y_kind": if self.y.kind() == Kind::Int64 { "int64" } else { "float32" },
            "validation": self.validation.as_ref().map(|(x, y)| json!({"x": x.size(), "y": y.size()})),
        })
    }
}

/// The lesson's penguins: four standardised measurements, the stratified 80/20 split.
fn penguins(batch_size: usize) -> Result<Workload> {
    let table = data::penguins()?.drop_missing();
    let features = [
        "bill_length_mm",
        "bill_depth_mm",
        "flipper_length_mm",
        "body_mass_g",
    ];
    let data = data::prepare(&table, &features, "species", PrepareOptions::default())?;
    Ok(Workload {
        name: if batch_size == 32 {
            "penguins"
        } else {
            "penguins-b16"
        },
        about: format!(
            "penguins, 266 × 4 → 10 → 3, batch {batch_size}, 100 epochs (the lesson's model)"
        ),
        x: data.x_train,
        y: data.y_train,
        validation: None,
        inputs: 4,
        layers: vec![(10, Activation::Relu), (3, Activation::Softmax)],
        loss: Loss::SparseCategoricalCrossEntropy,
        learning_rate: 0.001,
        batch_size,
        epochs: 100,
    })
}

/// The Playground's spiral, scaled into −1..1 as notebook 05 does.
fn spiral() -> Result<Workload> {
    let points = Playground::Spiral.generate(1000, 0.0, 1)?;
    let (x, y) = points.tensors(device())?;
    Ok(Workload {
        name: "spiral",
        about: "spiral, 1,000 × 2 → 16 → 16 → 2, batch 32, 200 epochs (notebook 05)".into(),
        x: x / 5.0,
        y,
        validation: None,
        inputs: 2,
        layers: vec![
            (16, Activation::Relu),
            (16, Activation::Relu),
            (2, Activation::Softmax),
        ],
        loss: Loss::SparseCategoricalCrossEntropy,
        learning_rate: 0.01,
        batch_size: 32,
        epochs: 200,
    })
}

/// The lesson's weather regression, as notebook 10 trains it: the first three years' 163
/// measurements of a day predict the next day's sunshine in Basel; the 70/15/15 split,
/// unstandardised; the mean squared error with the RMSE reported every epoch, on the training
/// and the validation data.
fn weather() -> Result<Workload> {
    let days = data::weather()?.head(3 * 365 + 1);
    let pairs = data::next_day(&days, "BASEL_sunshine")?;
    let label = "BASEL_sunshine_tomorrow";
    let features: Vec<String> = pairs
        .column_names()
        .into_iter()
        .filter(|c| !["DATE", "MONTH", label].contains(c))
        .map(String::from)
        .collect();
    let features: Vec<&str> = features.iter().map(String::as_str).collect();
    let data = data::prepare_three_way(&pairs, &features, label, ThreeWayOptions::default())?;
    let (train, inputs) = (data.x_train.size()[0], features.len());
    Ok(Workload {
        name: "weather",
        about: format!(
            "weather, {train} × {inputs} → 100 → 50 → 1, MSE with RMSE, batch 32, 200 epochs, \
             validation every epoch (notebook 10)"
        ),
        x: data.x_train,
        y: data.y_train,
        validation: Some((data.x_val, data.y_val)),
        inputs,
        layers: vec![
            (100, Activation::Relu),
            (50, Activation::Relu),
            (1, Activation::Linear),
        ],
        loss: Loss::MeanSquaredError,
        learning_rate: 0.001,
        batch_size: 32,
        epochs: 200,
    })
}

/// Random data where the arithmetic dominates: 20,000 samples of 64 features, 10 classes.
fn wide() -> Workload {
    tch::manual_seed(7);
    let x = Tensor::randn([20_000, 64], (Kind::Float, device()));
    let y = Tensor::randint(10, [20_000], (Kind::Int64, device()));
    Workload {
        name: "wide",
        about: "wide, 20,000 × 64 → 256 → 256 → 10, batch 256, 5 epochs (random data)".into(),
        x,
        y,
        validation: None,
        inputs: 64,
        layers: vec![
            (256, Activation::Relu),
            (256, Activation::Relu),
            (10, Activation::Softmax),
        ],
        loss: Loss::SparseCategoricalCrossEntropy,
        learning_rate: 0.001,
        batch_size: 256,
        epochs: 5,
    }
}

fn workloads() -> Result<Vec<Workload>> {
    Ok(vec![
        penguins(32)?,
        penguins(16)?,
        spiral()?,
        weather()?,
        wide(),
    ])
}

/// Writes a tensor's values as raw little-endian numbers.
fn write_raw(path: &Path, t: &Tensor) -> Result<()> {
    let t = t.to_device(tch::Device::Cpu).contiguous().flatten(0, -1);
    let bytes: Vec<u8> = if t.kind() == Kind::Int64 {
        Vec::<i64>::try_from(&t)
            .map_err(|e| Error::torch("train_bench", e))?
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect()
    } else {
        Vec::<f32>::try_from(&t.to_kind(Kind::Float))
            .map_err(|e| Error::torch("train_bench", e))?
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect()
    };
    std::fs::write(path, bytes)
        .map_err(|e| Error::invalid("train_bench", "dir", format!("cannot be written: {e}")))
}

fn export(dir: &Path, workloads: &[Workload]) -> Result<()> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::invalid("train_bench", "dir", format!("cannot be made: {e}")))?;
    for w in workloads {
        write_raw(&dir.join(format!("{}.x", w.name)), &w.x)?;
        write_raw(&dir.join(format!("{}.y", w.name)), &w.y)?;
        if let Some((vx, vy)) = &w.validation {
            write_raw(&dir.join(format!("{}.val_x", w.name)), vx)?;
            write_raw(&dir.join(format!("{}.val_y", w.name)), vy)?;
        }
    }
    let index = json!({
        "workloads": workloads.iter().map(Workload::settings).collect::<Vec<_>>(),
    });
    std::fs::write(
        dir.join("workloads.json"),
        serde_json::to_string_pretty(&index).expect("JSON always serialises"),
    )
    .map_err(|e| Error::invalid("train_bench", "dir", format!("cannot be written: {e}")))
}

fn serve(workloads: &[Workload]) -> Result<()> {
    let stdout = std::io::stdout();
    let ready = json!({
        "ready": format!(
            "dlintro {} (tch {})",
            env!("CARGO_PKG_VERSION"),
            env!("DLINTRO_TCH_VERSION")
        ),
        "threads": tch::get_num_threads(),
    });
    writeln!(stdout.lock(), "{ready}").ok();
    let mut runs = 0u64;
    for line in std::io::stdin().lock().lines() {
        let Ok(name) = line else { break };
        let answer = match workloads.iter().find(|w| w.name == name.trim()) {
            Some(w) => {
                runs += 1;
                w.run(runs)
                    .unwrap_or_else(|e| json!({ "error": e.to_string() }))
            }
            None => json!({ "error": format!("no workload {name:?}") }),
        };
        let mut out = stdout.lock();
        writeln!(out, "{answer}").ok();
        out.flush().ok();
    }
    Ok(())
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // Touch the device first: it settles libtorch's thread settings for the CPU.
    let _ = device();
    let workloads = workloads()?;
    match args.first().map(String::as_str) {
        Some("export") => {
            let dir = args
                .get(1)
                .map(PathBuf::from)
                .unwrap_or_else(|| "bench-data".into());
            export(&dir, &workloads)
        }
        Some("serve") => serve(&workloads),
        _ => {
            // One run of each, for a quick look: `cargo run --release --example train_bench`.
            for w in &workloads {
                println!("{}: {}", w.about, w.run(1)?);
            }
            Ok(())
        }
    }
}
