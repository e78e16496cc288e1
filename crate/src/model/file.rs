//! The file format of a saved model: a folder with `model.json` (the architecture, loss and
//! optimizer, as JSON) and `weights.safetensors`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tch::nn;

use crate::error::{Error, Result};
use crate::loss::Loss;

use super::{Layer, Sequential};
use crate::metrics::Metric;
use crate::optimizer::Optimizer;

/// What `save` writes to `model.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Description {
    /// Each sample's shape; models saved before images existed wrote `input_width`.
    #[serde(alias = "input_width", deserialize_with = "shape_or_width")]
    input_shape: Vec<usize>,
    layers: Vec<Layer>,
    loss: Option<Loss>,
    optimizer: Option<Optimizer>,
    /// The metrics of `compile_with_metrics`; absent in older files, which get the defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    metrics: Option<Vec<Metric>>,
}

/// A shape, or a single width as older `model.json` files have it.
fn shape_or_width<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<Vec<usize>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum ShapeOrWidth {
        Shape(Vec<usize>),
        Width(usize),
    }
    Ok(match ShapeOrWidth::deserialize(deserializer)? {
        ShapeOrWidth::Shape(shape) => shape,
        ShapeOrWidth::Width(width) => vec![width],
    })
}

pub(super) const DESCRIPTION: &str = "model.json";
pub(super) const WEIGHTS: &str = "weights.safetensors";

impl Sequential {
    /// Saves the model to the folder `path`: `model.json` (the architecture, loss, optimizer
    /// and metrics) and `weights.safetensors` (every weight, and batch normalisation's running
    /// statistics).
    ///
    /// ```
    /// use dlintro::prelude::*;
    /// seed(3);
    /// let mut model = Sequential::input_features(2).dense(4, Activation::Tanh).dense(2, Activation::Softmax);
    /// model.compile(Loss::SparseCategoricalCrossEntropy, Optimizer::default())?;
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
        if self.built.is_empty() {
            return Err(Error::invalid(
                F,
                "model",
                "has no weights yet: compile and fit it first",
            ));
        }
        let description = Description {
            input_shape: self.input_shape.clone(),
            layers: self.layers.clone(),
            loss: self.loss(),
            optimizer: self.optimizer(),
            metrics: self.loss().map(|_| self.metrics().to_vec()),
        };
        write_folder(F, dir, &description, &self.vs)
    }

    /// Loads a model saved with [`Sequential::save`]: the same architecture and weights, so
    /// it predicts exactly as the saved one did.
    pub fn load(path: impl AsRef<Path>) -> Result<Sequential> {
        const F: &str = "Sequential::load";
        let dir = path.as_ref();
        let json_path = dir.join(DESCRIPTION);
        if !dir.is_dir() {
            return Err(Error::invalid(
                F,
                "path",
                format!(
                    "{} is not a folder, expected a folder written by model.save(…), with \
                     {DESCRIPTION} and {WEIGHTS} in it",
                    dir.display()
                ),
            ));
        }
        let json = std::fs::read_to_string(&json_path).map_err(|e| {
            Error::invalid(
                F,
                "path",
                format!(
                    "{} has no readable {DESCRIPTION} ({e}), expected a folder written by \
                     model.save(…)",
                    dir.display()
                ),
            )
        })?;
        let description: Description = serde_json::from_str(&json).map_err(|e| {
            Error::invalid(
                F,
                "path",
                format!("{} is not a model description: {e}", json_path.display()),
            )
        })?;
        // A model.json that describes no model that can be built: said in load's words.
        let unbuildable = |e: Error| match e {
            Error::InvalidArgument {
                argument, problem, ..
            } => Error::invalid(
                F,
                "path",
                format!(
                    "{} describes a model that cannot be built: `{argument}` {problem}",
                    json_path.display()
                ),
            ),
            other => other,
        };
        let mut model = Sequential::input_shape(&description.input_shape);
        model.layers = description.layers;
        model.check_architecture().map_err(unbuildable)?;
        model.build();
        let weights = dir.join(WEIGHTS);
        if !weights.exists() {
            return Err(Error::invalid(
                F,
                "path",
                format!(
                    "{} has no {WEIGHTS}, expected a folder written by model.save(…)",
                    dir.display()
                ),
            ));
        }
        load_weights(F, &mut model.vs, &weights)?;
        if let Some((loss, optimizer, metrics)) =
            compiled_as_saved(description.loss, description.optimizer, description.metrics)
        {
            model
                .compile_with_metrics(loss, optimizer, &metrics)
                .map_err(unbuildable)?;
        }
        Ok(model)
    }
}

/// Writes a saved model's folder `dir`: `description` as `model.json`, the weights of `vs`
/// as `weights.safetensors`. Both models' `save`, named `function` in errors.
pub(super) fn write_folder(
    function: &'static str,
    dir: &Path,
    description: &impl Serialize,
    vs: &nn::VarStore,
) -> Result<()> {
    let io = |path: PathBuf| {
        move |source: std::io::Error| {
            Error::invalid(
                function,
                "path",
                format!("{} could not be written: {source}", path.display()),
            )
        }
    };
    std::fs::create_dir_all(dir).map_err(io(dir.to_path_buf()))?;
    let json = serde_json::to_string_pretty(description).expect("a description serialises");
    std::fs::write(dir.join(DESCRIPTION), json).map_err(io(dir.join(DESCRIPTION)))?;
    vs.save(dir.join(WEIGHTS))
        .map_err(|e| Error::torch(function, e))
}

/// Loads the saved `weights` into a model's `vs` built from the description beside them; an
/// error of `function` (both models' `load`) that says what is wrong with the file.
pub(super) fn load_weights(
    function: &'static str,
    vs: &mut nn::VarStore,
    weights: &Path,
) -> Result<()> {
    vs.load(weights)
        .map_err(|e| unreadable_weights(function, weights, e))
}

/// The loss, optimizer and metrics to compile a loaded model with, if it was saved compiled:
/// files from before metrics were saved get the loss's default metrics.
pub(super) fn compiled_as_saved(
    loss: Option<Loss>,
    optimizer: Option<Optimizer>,
    metrics: Option<Vec<Metric>>,
) -> Option<(Loss, Optimizer, Vec<Metric>)> {
    let (loss, optimizer) = (loss?, optimizer?);
    Some((
        loss,
        optimizer,
        metrics.unwrap_or_else(|| Metric::defaults(loss)),
    ))
}

/// `load`'s error for a weights file that tch could not load into the model.
fn unreadable_weights(function: &'static str, weights: &Path, error: tch::TchError) -> Error {
    let problem = match error {
        tch::TchError::SafeTensorError { .. } => format!(
            "{} is damaged or is not a weights file (safetensors cannot read it), expected the \
             {WEIGHTS} that model.save(…) writes: save the model again",
            weights.display()
        ),
        tch::TchError::TensorNameNotFound(name, _) => format!(
            "{} does not hold this model's weights: it has no {name}, expected the weights \
             saved with the {DESCRIPTION} beside it",
            weights.display()
        ),
        tch::TchError::Torch(text) => {
            let name = text.split(':').next().unwrap_or("a weight");
            format!(
                "{} does not hold this model's weights: {name} has another shape than \
                 {DESCRIPTION} describes, expected the weights saved with it",
                weights.display()
            )
        }
        other => format!(
            "{} could not be read: {}",
            weights.display(),
            other.to_string().lines().next().unwrap_or("")
        ),
    };
    Error::invalid(function, "path", problem)
}
