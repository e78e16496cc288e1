//! Keras-style models on tch: `Sequential`, `summary`, `compile`, `fit` returning a
//! [`History`], `evaluate`, `predict`, `save` and `load` — steps 4 to 10 of the workflow.
//!
//! ```
//! use dlintro::prelude::*;
//! use dlintro::model::{FitOptions, Optimizer, Sequential};
//! dlintro::seed(1);
//! let mut model = Sequential::new(2).dense(8, Activation::Relu).dense(2, Activation::Softmax);
//! model.compile(Loss::CategoricalCrossEntropy, Optimizer::Adam { learning_rate: 0.05 })?;
//! let x = Tensor::from_slice(&[0f32, 0., 0., 1., 1., 0., 1., 1.]).view([4, 2]);
//! let y = Tensor::from_slice(&[0i64, 1, 1, 0]);
//! let history = model.fit(&x, &y, FitOptions { epochs: 300, batch_size: 4, verbose: false, ..Default::default() })?;
//! assert_eq!(history.last("accuracy")?, 1.0);
//! # Ok::<(), dlintro::Error>(())
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use tch::nn::{self, Module, OptimizerConfig};
use tch::{Kind, Tensor};

use crate::activation::Activation;
use crate::error::{Error, Result};
use crate::loss::Loss;

static SEED: AtomicU64 = AtomicU64::new(0);

/// A copy of every variable of a model, by name.
type Snapshot = Vec<(String, Tensor)>;

/// Makes a run reproducible: seeds libtorch (weight initialisation, dropout) and the
/// shuffling of [`Sequential::fit`]. The same seed gives a bit-identical [`History`] on the
/// CPU.
pub fn seed(n: u64) {
    tch::manual_seed(n as i64);
    SEED.store(n, Ordering::Relaxed);
}

/// One layer of a [`Sequential`] model.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Layer {
    /// A fully-connected layer of `units` neurons, each followed by `activation`.
    Dense {
        /// How many neurons.
        units: usize,
        /// Their activation.
        activation: Activation,
    },
    /// Drops each value with probability `rate` during training (and rescales the rest).
    Dropout {
        /// The probability of dropping a value, 0 ≤ rate < 1.
        rate: f64,
    },
}

/// How the weights are updated.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Optimizer {
    /// Stochastic gradient descent.
    Sgd {
        /// The step size.
        learning_rate: f64,
    },
    /// Adam, Keras' usual choice.
    Adam {
        /// The step size (Keras' default is 0.001).
        learning_rate: f64,
    },
}

impl Default for Optimizer {
    fn default() -> Self {
        Optimizer::Adam {
            learning_rate: 0.001,
        }
    }
}

impl Optimizer {
    /// The learning rate.
    pub fn learning_rate(&self) -> f64 {
        match *self {
            Optimizer::Sgd { learning_rate } | Optimizer::Adam { learning_rate } => learning_rate,
        }
    }
}

/// Stops training when the monitored metric has not improved for `patience` epochs.
#[derive(Debug, Clone, PartialEq)]
pub struct EarlyStopping {
    /// The metric to watch: `val_loss` (smaller is better) or an accuracy (larger is better).
    pub monitor: String,
    /// How many epochs without improvement to wait.
    pub patience: usize,
    /// Whether to put back the weights of the best epoch when stopping.
    pub restore_best_weights: bool,
}

impl Default for EarlyStopping {
    fn default() -> Self {
        EarlyStopping {
            monitor: "val_loss".into(),
            patience: 10,
            restore_best_weights: true,
        }
    }
}

/// The options of [`Sequential::fit`], Keras' arguments as a plain struct.
#[derive(Debug)]
pub struct FitOptions {
    /// How many passes over the training data.
    pub epochs: usize,
    /// How many samples per weight update.
    pub batch_size: usize,
    /// Whether to shuffle the training data before each epoch.
    pub shuffle: bool,
    /// The shuffling seed; `None` takes the one given to [`seed`].
    pub seed: Option<u64>,
    /// The fraction of the data, taken from its end, kept apart for validation.
    pub validation_split: f64,
    /// Validation data `(x, y)`, instead of a split.
    pub validation_data: Option<(Tensor, Tensor)>,
    /// Early stopping, if any.
    pub early_stopping: Option<EarlyStopping>,
    /// One line per epoch when true.
    pub verbose: bool,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            epochs: 100,
            batch_size: 32,
            shuffle: true,
            seed: None,
            validation_split: 0.0,
            validation_data: None,
            early_stopping: None,
            verbose: true,
        }
    }
}

/// The metrics of every epoch of a training run: `loss`, `accuracy`, `val_loss`,
/// `val_accuracy`, whichever apply.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct History {
    /// Per metric, one value per epoch.
    pub metrics: BTreeMap<String, Vec<f64>>,
    /// The epoch whose weights the model has at the end (early stopping may restore one).
    pub best_epoch: Option<usize>,
}

impl History {
    /// How many epochs ran.
    pub fn epochs(&self) -> usize {
        self.metrics.get("loss").map_or(0, Vec::len)
    }

    /// The values of one metric, one per epoch.
    pub fn get(&self, metric: &str) -> Result<&[f64]> {
        self.metrics.get(metric).map(Vec::as_slice).ok_or_else(|| {
            Error::invalid(
                "History::get",
                "metric",
                format!(
                    "is {metric:?}, expected one of {:?}",
                    self.metrics.keys().collect::<Vec<_>>()
                ),
            )
        })
    }

    /// The last value of one metric.
    pub fn last(&self, metric: &str) -> Result<f64> {
        Ok(*self.get(metric)?.last().unwrap_or(&f64::NAN))
    }
}

impl fmt::Display for History {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "History: {} epochs", self.epochs())?;
        for (name, values) in &self.metrics {
            if let Some(v) = values.last() {
                write!(f, " · {name} {v:.4}")?;
            }
        }
        Ok(())
    }
}

/// What [`Sequential::evaluate`] measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The loss on the data.
    pub loss: f64,
    /// The accuracy, for classifiers.
    pub accuracy: Option<f64>,
}

impl fmt::Display for Evaluation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "loss {:.4}", self.loss)?;
        if let Some(a) = self.accuracy {
            write!(f, " · accuracy {a:.4}")?;
        }
        Ok(())
    }
}

/// A model's layers as Keras' `summary()` shows them.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Per layer: name, output shape, parameter count.
    pub rows: Vec<(String, String, usize)>,
    /// All trainable parameters.
    pub total: usize,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<24}{:<16}{:>8}",
            "Layer (type)", "Output Shape", "Param #"
        )?;
        for (name, shape, params) in &self.rows {
            writeln!(f, "{name:<24}{shape:<16}{params:>8}")?;
        }
        writeln!(f, "Total params: {}", self.total)?;
        write!(f, "Trainable params: {}", self.total)
    }
}

impl Summary {
    /// Shows the summary inline; evcxr calls this when a cell ends with a `Summary`.
    pub fn evcxr_display(&self) {
        let mut html = String::from(
            "<table><thead><tr><th style=\"text-align:left\">Layer (type)</th>\
             <th style=\"text-align:left\">Output Shape</th><th>Param #</th></tr></thead><tbody>",
        );
        for (name, shape, params) in &self.rows {
            html.push_str(&format!(
                "<tr><td style=\"text-align:left\">{name}</td>\
                 <td style=\"text-align:left\">{shape}</td><td>{params}</td></tr>"
            ));
        }
        html.push_str(&format!(
            "</tbody></table><p>Total params: {0}<br>Trainable params: {0}</p>",
            self.total
        ));
        evcxr_runtime::mime_type("text/html").text(html);
        evcxr_runtime::mime_type("text/plain").text(self.to_string());
    }
}

/// What `save` writes: the architecture and the training set-up, as JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Description {
    input_width: usize,
    layers: Vec<Layer>,
    loss: Option<Loss>,
    optimizer: Option<Optimizer>,
}

/// Layers one after another, as in Keras.
pub struct Sequential {
    input_width: usize,
    layers: Vec<Layer>,
    vs: nn::VarStore,
    linears: Vec<nn::Linear>,
    loss: Option<Loss>,
    optimizer: Option<(Optimizer, nn::Optimizer)>,
}

impl fmt::Debug for Sequential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.summary())
    }
}

/// `[n, w]` as Keras writes an output shape: `(None, w)`.
fn shape(width: usize) -> String {
    format!("(None, {width})")
}

impl Sequential {
    /// An empty model whose inputs have `input_width` features.
    pub fn new(input_width: usize) -> Sequential {
        Sequential {
            input_width,
            layers: Vec::new(),
            vs: nn::VarStore::new(crate::device()),
            linears: Vec::new(),
            loss: None,
            optimizer: None,
        }
    }

    /// Adds a dense layer of `units` neurons with `activation`.
    pub fn dense(mut self, units: usize, activation: Activation) -> Sequential {
        self.layers.push(Layer::Dense { units, activation });
        self
    }

    /// Adds dropout with the given rate.
    pub fn dropout(mut self, rate: f64) -> Sequential {
        self.layers.push(Layer::Dropout { rate });
        self
    }

    /// The layers.
    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    /// The width of the model's output.
    pub fn output_width(&self) -> usize {
        self.layers
            .iter()
            .rev()
            .find_map(|l| match l {
                Layer::Dense { units, .. } => Some(*units),
                Layer::Dropout { .. } => None,
            })
            .unwrap_or(self.input_width)
    }

    /// The layers, output shapes and parameter counts, as Keras' `model.summary()`.
    ///
    /// ```
    /// use dlintro::{activation::Activation, model::Sequential};
    /// let model = Sequential::new(4).dense(10, Activation::Relu).dense(3, Activation::Softmax);
    /// let summary = model.summary();
    /// assert_eq!(summary.rows[0].2, 50);
    /// assert_eq!(summary.total, 83);
    /// ```
    pub fn summary(&self) -> Summary {
        let mut rows = Vec::new();
        let mut width = self.input_width;
        let (mut dense, mut dropout) = (0, 0);
        for layer in &self.layers {
            match *layer {
                Layer::Dense { units, .. } => {
                    let name = if dense == 0 {
                        "dense (Dense)".to_string()
                    } else {
                        format!("dense_{dense} (Dense)")
                    };
                    dense += 1;
                    rows.push((name, shape(units), width * units + units));
                    width = units;
                }
                Layer::Dropout { .. } => {
                    let name = if dropout == 0 {
                        "dropout (Dropout)".to_string()
                    } else {
                        format!("dropout_{dropout} (Dropout)")
                    };
                    dropout += 1;
                    rows.push((name, shape(width), 0));
                }
            }
        }
        let total = rows.iter().map(|r| r.2).sum();
        Summary { rows, total }
    }

    fn check_architecture(&self) -> Result<()> {
        const F: &str = "Sequential";
        if self.input_width == 0 {
            return Err(Error::invalid(
                F,
                "input_width",
                "is 0, expected at least 1 feature",
            ));
        }
        if !self.layers.iter().any(|l| matches!(l, Layer::Dense { .. })) {
            return Err(Error::invalid(
                F,
                "layers",
                "has no dense layer, expected at least one: add .dense(units, activation)",
            ));
        }
        for (i, layer) in self.layers.iter().enumerate() {
            match *layer {
                Layer::Dense { units: 0, .. } => {
                    return Err(Error::invalid(
                        F,
                        "units",
                        format!("of layer {} is 0, expected at least 1 neuron", i + 1),
                    ))
                }
                Layer::Dense { activation, .. } => {
                    activation.apply(0.0)?;
                }
                Layer::Dropout { rate } if !(0.0..1.0).contains(&rate) => {
                    return Err(Error::invalid(
                        F,
                        "rate",
                        format!(
                            "of dropout layer {} is {rate}, expected 0 ≤ rate < 1",
                            i + 1
                        ),
                    ))
                }
                Layer::Dropout { .. } => {}
            }
        }
        Ok(())
    }

    /// Creates the weights: Glorot-uniform, biases 0, as Keras does.
    fn build(&mut self) {
        let root = self.vs.root();
        let mut width = self.input_width as i64;
        self.linears.clear();
        let mut index = 0;
        for layer in &self.layers {
            if let Layer::Dense { units, .. } = *layer {
                let units = units as i64;
                let limit = (6.0 / (width + units) as f64).sqrt();
                let config = nn::LinearConfig {
                    ws_init: nn::Init::Uniform {
                        lo: -limit,
                        up: limit,
                    },
                    bs_init: Some(nn::Init::Const(0.0)),
                    bias: true,
                };
                let linear = nn::linear(&root / format!("dense_{index}"), width, units, config);
                self.linears.push(linear);
                width = units;
                index += 1;
            }
        }
    }

    /// Chooses the loss and the optimizer and creates the weights (seed first with
    /// [`seed`] for the same weights every time). With a cross-entropy loss the model is a
    /// classifier and `fit` and `evaluate` report its accuracy too, as Keras does with
    /// `metrics=["accuracy"]`.
    pub fn compile(&mut self, loss: Loss, optimizer: Optimizer) -> Result<()> {
        const F: &str = "Sequential::compile";
        self.check_architecture()?;
        let lr = optimizer.learning_rate();
        if !(lr.is_finite() && lr > 0.0) {
            return Err(Error::invalid(
                F,
                "learning_rate",
                format!("is {lr}, expected a number > 0 (e.g. 0.001)"),
            ));
        }
        if let Loss::Huber { delta } = loss {
            if !(delta.is_finite() && delta > 0.0) {
                return Err(Error::invalid(
                    F,
                    "delta",
                    format!("is {delta}, expected > 0"),
                ));
            }
        }
        if self.linears.is_empty() {
            self.build();
        }
        let built = match optimizer {
            Optimizer::Sgd { learning_rate } => nn::Sgd::default().build(&self.vs, learning_rate),
            Optimizer::Adam { learning_rate } => nn::Adam::default().build(&self.vs, learning_rate),
        }
        .map_err(|e| Error::torch(F, e))?;
        self.loss = Some(loss);
        self.optimizer = Some((optimizer, built));
        Ok(())
    }

    fn forward(&self, x: &Tensor, train: bool) -> Tensor {
        let mut x = x.shallow_clone();
        let mut linears = self.linears.iter();
        for layer in &self.layers {
            x = match *layer {
                Layer::Dense { activation, .. } => {
                    let z = linears
                        .next()
                        .expect("one linear per dense layer")
                        .forward(&x);
                    activation
                        .forward(&z)
                        .expect("activations accept any float tensor")
                }
                Layer::Dropout { rate } => x.dropout(rate, train),
            };
        }
        x
    }

    /// Checks `x` against the model: `[samples, input_width]`, finite; returns it as float
    /// on the model's device.
    fn check_x(&self, function: &'static str, x: &Tensor) -> Result<Tensor> {
        if self.linears.is_empty() {
            return Err(Error::invalid(
                function,
                "model",
                "has no weights yet, expected a compiled model: call model.compile(…) first",
            ));
        }
        let size = x.size();
        if size.len() != 2 || size[1] as usize != self.input_width {
            return Err(Error::invalid(
                function,
                "x",
                format!(
                    "has shape {size:?}, but dense layer 1 expects {} input features: \
                     expected [samples, {}]",
                    self.input_width, self.input_width
                ),
            ));
        }
        if size[0] == 0 {
            return Err(Error::invalid(
                function,
                "x",
                "is empty, expected at least one sample",
            ));
        }
        let x = crate::convert::finite_tensor(function, "x", x)?;
        x.f_to_kind(Kind::Float)
            .and_then(|x| x.f_to_device(self.vs.device()))
            .map_err(|e| Error::torch(function, e))
    }

    /// Class indices for classification losses (from indices or one-hot rows), targets as
    /// float otherwise; checked against the model's output.
    fn check_y(&self, function: &'static str, y: &Tensor, samples: i64) -> Result<Tensor> {
        let loss = self.loss.ok_or_else(|| {
            Error::invalid(
                function,
                "model",
                "is not compiled: call model.compile(…) first",
            )
        })?;
        if y.size().first() != Some(&samples) {
            return Err(Error::invalid(
                function,
                "y",
                format!(
                    "has {} samples, expected {samples}, one per row of x",
                    y.size().first().copied().unwrap_or(0)
                ),
            ));
        }
        let y = y.to_device(self.vs.device());
        // The loss checks labels and shapes against a prediction of the right shape.
        let width = self.output_width() as i64;
        let probe = Tensor::full(
            [samples, width],
            1.0 / width as f64,
            (Kind::Double, self.vs.device()),
        );
        loss.tensor(&y, &probe).map(drop).map_err(|e| {
            e.reported_by(
                function,
                |argument| {
                    if argument == "y_true" {
                        "y"
                    } else {
                        argument
                    }
                },
            )
        })?;
        Ok(match loss {
            Loss::CategoricalCrossEntropy | Loss::CrossEntropyFromLogits if y.dim() == 2 => {
                y.argmax(1, false)
            }
            Loss::CategoricalCrossEntropy | Loss::CrossEntropyFromLogits => y.to_kind(Kind::Int64),
            _ => y.to_kind(Kind::Float),
        })
    }

    fn loss_of(&self, y: &Tensor, y_pred: &Tensor) -> Tensor {
        let loss = self.loss.expect("compiled");
        match loss {
            Loss::CategoricalCrossEntropy => {
                // Keras clips probabilities to [1e-7, 1 − 1e-7] before the log.
                let log_p = y_pred.clamp(1e-7, 1.0 - 1e-7).log();
                -log_p.gather(1, &y.unsqueeze(1), false).mean(Kind::Float)
            }
            Loss::CrossEntropyFromLogits => y_pred.cross_entropy_for_logits(y),
            Loss::BinaryCrossEntropy => {
                let p = y_pred.clamp(1e-7, 1.0 - 1e-7);
                let q = &p * -1.0 + 1.0;
                let not_y = y * -1.0 + 1.0;
                -(y * p.log() + not_y * q.log()).mean(Kind::Float)
            }
            Loss::MeanSquaredError => (y_pred - y).square().mean(Kind::Float),
            Loss::MeanAbsoluteError => (y_pred - y).abs().mean(Kind::Float),
            Loss::Huber { delta } => y_pred.huber_loss(y, tch::Reduction::Mean, delta),
        }
    }

    /// Whether the model classifies (its loss is a cross-entropy).
    fn classifies(&self) -> bool {
        matches!(
            self.loss,
            Some(
                Loss::CategoricalCrossEntropy
                    | Loss::CrossEntropyFromLogits
                    | Loss::BinaryCrossEntropy
            )
        )
    }

    /// How many predictions are right: argmax against class indices, or > 0.5 against 0/1.
    fn correct(&self, y: &Tensor, y_pred: &Tensor) -> f64 {
        let hits = if self.loss == Some(Loss::BinaryCrossEntropy) {
            y_pred.gt(0.5).to_kind(Kind::Float).eq_tensor(&y.round())
        } else {
            y_pred.argmax(1, false).eq_tensor(y)
        };
        hits.to_kind(Kind::Double)
            .sum(Kind::Double)
            .double_value(&[])
    }

    fn measure(&self, x: &Tensor, y: &Tensor) -> (f64, Option<f64>) {
        tch::no_grad(|| {
            let y_pred = self.forward(x, false);
            let loss = self.loss_of(y, &y_pred).double_value(&[]);
            let accuracy = self
                .classifies()
                .then(|| self.correct(y, &y_pred) / y.size()[0] as f64);
            (loss, accuracy)
        })
    }

    /// Trains the model on `x` (`[samples, features]`) and `y` (class indices, one-hot rows or
    /// targets), printing one line per epoch, and returns the [`History`].
    pub fn fit(&mut self, x: &Tensor, y: &Tensor, options: FitOptions) -> Result<History> {
        const F: &str = "Sequential::fit";
        if options.epochs == 0 {
            return Err(Error::invalid(F, "epochs", "is 0, expected at least 1"));
        }
        if options.batch_size == 0 {
            return Err(Error::invalid(
                F,
                "batch_size",
                "is 0, expected at least 1 (e.g. 32)",
            ));
        }
        if !(0.0..1.0).contains(&options.validation_split) {
            return Err(Error::invalid(
                F,
                "validation_split",
                format!(
                    "is {}, expected a fraction from 0 up to (not including) 1",
                    options.validation_split
                ),
            ));
        }
        let x = self.check_x(F, x)?;
        let y = self.check_y(F, y, x.size()[0])?;
        let n = x.size()[0];
        let (x_train, y_train, validation) = if let Some((vx, vy)) = &options.validation_data {
            let vx = self.check_x(F, vx)?;
            let vy = self.check_y(F, vy, vx.size()[0])?;
            (x, y, Some((vx, vy)))
        } else if options.validation_split > 0.0 {
            let held = ((n as f64) * options.validation_split).round() as i64;
            if held == 0 || held == n {
                return Err(Error::invalid(
                    F,
                    "validation_split",
                    format!(
                        "of {} leaves {} of {n} samples for validation, expected some for each",
                        options.validation_split, held
                    ),
                ));
            }
            let train = n - held;
            (
                x.narrow(0, 0, train),
                y.narrow(0, 0, train),
                Some((x.narrow(0, train, held), y.narrow(0, train, held))),
            )
        } else {
            (x, y, None)
        };
        if let Some(stop) = &options.early_stopping {
            if stop.monitor.starts_with("val_") && validation.is_none() {
                return Err(Error::invalid(
                    F,
                    "early_stopping",
                    format!(
                        "monitors {:?}, which needs validation data: set validation_split or \
                         validation_data",
                        stop.monitor
                    ),
                ));
            }
            if !["loss", "accuracy", "val_loss", "val_accuracy"].contains(&stop.monitor.as_str()) {
                return Err(Error::invalid(
                    F,
                    "early_stopping",
                    format!(
                        "monitors {:?}, expected loss, accuracy, val_loss or val_accuracy",
                        stop.monitor
                    ),
                ));
            }
        }
        let seed = options.seed.unwrap_or_else(|| SEED.load(Ordering::Relaxed));
        let samples = x_train.size()[0] as usize;
        let mut history = History::default();
        // The best value of the monitored metric, its epoch and the weights then.
        let mut best: Option<(f64, usize, Snapshot)> = None;
        let learning_rate = self
            .optimizer
            .as_ref()
            .map(|(o, _)| o.learning_rate())
            .unwrap_or(f64::NAN);
        for epoch in 1..=options.epochs {
            let start = Instant::now();
            let mut order: Vec<i64> = (0..samples as i64).collect();
            if options.shuffle {
                let mut rng = ChaCha8Rng::seed_from_u64(seed.wrapping_add(epoch as u64));
                order.shuffle(&mut rng);
            }
            let (mut loss_sum, mut correct) = (0.0, 0.0);
            for batch in order.chunks(options.batch_size) {
                let index = Tensor::from_slice(batch).to_device(x_train.device());
                let xb = x_train.index_select(0, &index);
                let yb = y_train.index_select(0, &index);
                let y_pred = self.forward(&xb, true);
                let loss = self.loss_of(&yb, &y_pred);
                let (_, optimizer) = self.optimizer.as_mut().expect("checked by check_y");
                optimizer.backward_step(&loss);
                loss_sum += loss.double_value(&[]) * batch.len() as f64;
                if self.classifies() {
                    correct += tch::no_grad(|| self.correct(&yb, &y_pred.detach()));
                }
            }
            let loss = loss_sum / samples as f64;
            if !loss.is_finite() {
                return Err(Error::invalid(
                    F,
                    "learning_rate",
                    format!(
                        "made the loss {loss} at epoch {epoch}: training diverged. Try a smaller \
                         learning rate (now {learning_rate}) or standardise the features"
                    ),
                ));
            }
            let mut line = vec![(String::from("loss"), loss)];
            if self.classifies() {
                line.push(("accuracy".into(), correct / samples as f64));
            }
            if let Some((vx, vy)) = &validation {
                let (val_loss, val_accuracy) = self.measure(vx, vy);
                line.push(("val_loss".into(), val_loss));
                if let Some(a) = val_accuracy {
                    line.push(("val_accuracy".into(), a));
                }
            }
            for (name, value) in &line {
                history
                    .metrics
                    .entry(name.clone())
                    .or_default()
                    .push(*value);
            }
            if options.verbose {
                let metrics: String = line
                    .iter()
                    .map(|(name, value)| format!(" · {name} {value:.4}"))
                    .collect();
                println!(
                    "Epoch {epoch}/{}{metrics} · {} ms",
                    options.epochs,
                    start.elapsed().as_millis()
                );
            }
            if let Some(stop) = &options.early_stopping {
                let value = line
                    .iter()
                    .find(|(name, _)| *name == stop.monitor)
                    .map(|(_, v)| *v)
                    .unwrap_or(f64::NAN);
                let larger_is_better = stop.monitor.ends_with("accuracy");
                let improved = best.as_ref().is_none_or(|(b, _, _)| {
                    if larger_is_better {
                        value > *b
                    } else {
                        value < *b
                    }
                });
                if improved {
                    let snapshot = if stop.restore_best_weights {
                        self.snapshot()
                    } else {
                        Vec::new()
                    };
                    best = Some((value, epoch, snapshot));
                } else if let Some((_, best_epoch, _)) = &best {
                    if epoch - best_epoch >= stop.patience {
                        if options.verbose {
                            println!(
                                "Early stopping at epoch {epoch}: {} has not improved since \
                                 epoch {best_epoch}",
                                stop.monitor
                            );
                        }
                        break;
                    }
                }
            }
        }
        if let Some((_, epoch, snapshot)) = best {
            if !snapshot.is_empty() {
                self.restore(&snapshot);
            }
            history.best_epoch = Some(epoch);
        }
        Ok(history)
    }

    fn snapshot(&self) -> Snapshot {
        self.vs
            .variables()
            .into_iter()
            .map(|(name, t)| (name, t.detach().copy()))
            .collect()
    }

    fn restore(&mut self, snapshot: &Snapshot) {
        let variables = self.vs.variables();
        tch::no_grad(|| {
            for (name, saved) in snapshot {
                if let Some(v) = variables.get(name) {
                    v.shallow_clone().copy_(saved);
                }
            }
        });
    }

    /// The loss and accuracy on `x` and `y`.
    ///
    /// ```
    /// use dlintro::prelude::*;
    /// seed(1);
    /// let mut model = Sequential::new(1).dense(2, Activation::Softmax);
    /// model.compile(Loss::CategoricalCrossEntropy, Optimizer::Adam { learning_rate: 0.1 })?;
    /// let x = Tensor::from_slice(&[-2f32, -1., 1., 2.]).view([4, 1]);
    /// let y = Tensor::from_slice(&[0i64, 0, 1, 1]);
    /// model.fit(&x, &y, FitOptions { epochs: 100, verbose: false, ..Default::default() })?;
    /// let evaluation = model.evaluate(&x, &y)?;
    /// assert_eq!(evaluation.accuracy, Some(1.0));
    /// assert_eq!(model.predict_classes(&x, &["left".into(), "right".into()])?[3], "right");
    /// # Ok::<(), dlintro::Error>(())
    /// ```
    pub fn evaluate(&self, x: &Tensor, y: &Tensor) -> Result<Evaluation> {
        const F: &str = "Sequential::evaluate";
        let x = self.check_x(F, x)?;
        let y = self.check_y(F, y, x.size()[0])?;
        let (loss, accuracy) = self.measure(&x, &y);
        Ok(Evaluation { loss, accuracy })
    }

    /// The model's outputs for `x`: `[samples, outputs]`, probabilities for a softmax or
    /// sigmoid output. On the CPU.
    pub fn predict(&self, x: &Tensor) -> Result<Tensor> {
        let x = self.check_x("Sequential::predict", x)?;
        Ok(tch::no_grad(|| self.forward(&x, false)).to_device(tch::Device::Cpu))
    }

    /// The predicted class of each sample, by name: the most probable output.
    pub fn predict_classes(&self, x: &Tensor, class_names: &[String]) -> Result<Vec<String>> {
        const F: &str = "Sequential::predict_classes";
        if class_names.len() != self.output_width() {
            return Err(Error::invalid(
                F,
                "class_names",
                format!(
                    "has {} names, expected {}, one per output of the model",
                    class_names.len(),
                    self.output_width()
                ),
            ));
        }
        let indices = Vec::<i64>::try_from(self.predict(x)?.argmax(1, false))
            .map_err(|e| Error::torch(F, e))?;
        Ok(indices
            .into_iter()
            .map(|i| class_names[i as usize].clone())
            .collect())
    }

    /// Saves the model to the folder `path`: `model.json` (the architecture, loss and
    /// optimizer) and `weights.safetensors`.
    ///
    /// ```
    /// use dlintro::prelude::*;
    /// seed(3);
    /// let mut model = Sequential::new(2).dense(4, Activation::Tanh).dense(2, Activation::Softmax);
    /// model.compile(Loss::CategoricalCrossEntropy, Optimizer::default())?;
    /// let dir = std::env::temp_dir().join("dlintro-doc-model");
    /// model.save(&dir)?;
    /// let restored = Sequential::load(&dir)?;
    /// let x = Tensor::from_slice(&[0.5f32, -1.0]).view([1, 2]);
    /// assert!(restored.predict(&x)?.equal(&model.predict(&x)?));
    /// # std::fs::remove_dir_all(&dir).ok();
    /// # Ok::<(), dlintro::Error>(())
    /// ```
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        const F: &str = "Sequential::save";
        let dir = path.as_ref();
        if self.linears.is_empty() {
            return Err(Error::invalid(
                F,
                "model",
                "has no weights yet: compile and fit it first",
            ));
        }
        let io = |path: PathBuf| move |source| Error::Io { path, source };
        std::fs::create_dir_all(dir).map_err(io(dir.to_path_buf()))?;
        let description = Description {
            input_width: self.input_width,
            layers: self.layers.clone(),
            loss: self.loss,
            optimizer: self.optimizer.as_ref().map(|(o, _)| *o),
        };
        let json = serde_json::to_string_pretty(&description).expect("a description serialises");
        std::fs::write(dir.join("model.json"), json).map_err(io(dir.join("model.json")))?;
        self.vs
            .save(dir.join("weights.safetensors"))
            .map_err(|e| Error::torch(F, e))
    }

    /// Loads a model saved with [`Sequential::save`]: the same architecture and weights, so
    /// it predicts exactly as the saved one did.
    pub fn load(path: impl AsRef<Path>) -> Result<Sequential> {
        const F: &str = "Sequential::load";
        let dir = path.as_ref();
        let json_path = dir.join("model.json");
        let json = std::fs::read_to_string(&json_path).map_err(|source| Error::Io {
            path: json_path.clone(),
            source,
        })?;
        let description: Description = serde_json::from_str(&json).map_err(|e| {
            Error::invalid(
                F,
                "path",
                format!("{} is not a model description: {e}", json_path.display()),
            )
        })?;
        let mut model = Sequential::new(description.input_width);
        model.layers = description.layers;
        model.check_architecture()?;
        model.build();
        let weights = dir.join("weights.safetensors");
        if !weights.exists() {
            return Err(Error::Io {
                path: weights,
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
            });
        }
        model.vs.load(&weights).map_err(|e| {
            Error::invalid(
                F,
                "path",
                format!(
                    "{} does not hold this model's weights: {}",
                    weights.display(),
                    e.to_string().lines().next().unwrap_or("")
                ),
            )
        })?;
        if let (Some(loss), Some(optimizer)) = (description.loss, description.optimizer) {
            model.compile(loss, optimizer)?;
        }
        Ok(model)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{self, Playground, Standardizer};

    fn penguin_data(standardise: bool) -> (Tensor, Tensor, Tensor, Tensor, Vec<String>) {
        let table = data::penguins().unwrap().drop_missing();
        let features = [
            "bill_length_mm",
            "bill_depth_mm",
            "flipper_length_mm",
            "body_mass_g",
        ];
        let x = table.to_array(&features).unwrap();
        let species = table.texts("species").unwrap();
        let classes = data::class_names(&species);
        let y = data::class_indices(&species, &classes).unwrap();
        let split = data::train_test_split(x.nrows(), 0.2, 0, Some(&y)).unwrap();
        let (mut x_train, mut x_test) = (
            data::take_rows(&x, &split.train),
            data::take_rows(&x, &split.test),
        );
        if standardise {
            let s = Standardizer::fit(&x_train).unwrap();
            x_train = s.transform(&x_train).unwrap();
            x_test = s.transform(&x_test).unwrap();
        }
        let pick = |rows: &[usize]| rows.iter().map(|&r| y[r]).collect::<Vec<_>>();
        let device = crate::device();
        (
            data::to_tensor(&x_train, device).unwrap(),
            data::labels_to_tensor(&pick(&split.train), device).unwrap(),
            data::to_tensor(&x_test, device).unwrap(),
            data::labels_to_tensor(&pick(&split.test), device).unwrap(),
            classes,
        )
    }

    fn penguin_model() -> Sequential {
        let mut model = Sequential::new(4)
            .dense(10, Activation::Relu)
            .dense(3, Activation::Softmax);
        model
            .compile(Loss::CategoricalCrossEntropy, Optimizer::default())
            .unwrap();
        model
    }

    fn quiet(epochs: usize) -> FitOptions {
        FitOptions {
            epochs,
            verbose: false,
            ..Default::default()
        }
    }

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
    fn standardised_penguins_reach_95_percent_on_the_test_set() {
        seed(42);
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
    fn the_same_seed_gives_a_bit_identical_history() {
        let run = || {
            seed(7);
            let (x, y, _, _, _) = penguin_data(true);
            let mut model = penguin_model();
            let options = FitOptions {
                epochs: 5,
                validation_split: 0.2,
                verbose: false,
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
        seed(3);
        let points = Playground::Spiral.generate(200, 0.0, 1).unwrap();
        let (x, y) = points.tensors(crate::device()).unwrap();
        let x = x / 5.0;
        let mut model = Sequential::new(2)
            .dense(32, Activation::Relu)
            .dense(32, Activation::Relu)
            .dense(2, Activation::Softmax);
        model
            .compile(
                Loss::CategoricalCrossEntropy,
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
                    verbose: false,
                    ..Default::default()
                },
            )
            .unwrap();
        let accuracy = history.last("accuracy").unwrap();
        assert!(accuracy >= 0.95, "training accuracy {accuracy}");
    }

    #[test]
    fn save_then_load_predicts_identically() {
        seed(5);
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
    fn early_stopping_stops_and_restores_the_best_epoch() {
        seed(11);
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
            verbose: false,
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
        seed(9);
        let mut model = Sequential::new(4)
            .dense(64, Activation::Relu)
            .dropout(0.5)
            .dense(3, Activation::Softmax);
        assert_eq!(
            model.summary().rows[1],
            ("dropout (Dropout)".into(), "(None, 64)".into(), 0)
        );
        model
            .compile(Loss::CategoricalCrossEntropy, Optimizer::default())
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
        let e = Sequential::new(4)
            .dense(3, Activation::Softmax)
            .dropout(1.5)
            .compile(Loss::CategoricalCrossEntropy, Optimizer::default())
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "Sequential: `rate` of dropout layer 2 is 1.5, expected 0 ≤ rate < 1"
        );
    }

    #[test]
    fn validation_data_is_measured_every_epoch() {
        seed(6);
        let (x, y, x_test, y_test, _) = penguin_data(true);
        let mut model = penguin_model();
        let options = FitOptions {
            epochs: 30,
            validation_data: Some((x_test.shallow_clone(), y_test.shallow_clone())),
            verbose: false,
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
                model.fit(&x.narrow(0, 0, 0), &y.narrow(0, 0, 0), quiet(1)).unwrap_err(),
                "Sequential::fit: `x` is empty, expected at least one sample",
            ),
            (
                model
                    .fit(&x, &y, FitOptions { batch_size: 0, ..quiet(1) })
                    .unwrap_err(),
                "Sequential::fit: `batch_size` is 0, expected at least 1 (e.g. 32)",
            ),
            (
                model.fit(&x, &y, quiet(0)).unwrap_err(),
                "Sequential::fit: `epochs` is 0, expected at least 1",
            ),
            (
                model
                    .fit(&x, &y, FitOptions { validation_split: 1.0, ..quiet(1) })
                    .unwrap_err(),
                "Sequential::fit: `validation_split` is 1, expected a fraction from 0 up to (not \
                 including) 1",
            ),
            (
                model
                    .compile(Loss::CategoricalCrossEntropy, Optimizer::Adam { learning_rate: 0.0 })
                    .unwrap_err(),
                "Sequential::compile: `learning_rate` is 0, expected a number > 0 (e.g. 0.001)",
            ),
            (
                model
                    .compile(Loss::CategoricalCrossEntropy, Optimizer::Sgd { learning_rate: f64::NAN })
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
    fn a_diverging_loss_stops_with_advice() {
        seed(1);
        let (x, _, _, _, _) = penguin_data(false);
        let target = x.narrow(1, 0, 1) * 1e6; // huge regression targets
        let mut model = Sequential::new(4).dense(1, Activation::Linear);
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
}
