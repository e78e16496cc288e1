//! A Functional model on disk: a folder with `model.json` (the input's shape, the layers, the
//! steps that connect them, the loss, optimizer and metrics) and `weights.safetensors`, as a
//! `Sequential` is saved. Loading builds the graph again through the Functional API itself, so
//! a file is checked as a model written in a notebook is.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::loss::Loss;
use crate::metrics::Metric;
use crate::model::file::{compiled_as_saved, load_weights, write_folder, DESCRIPTION, WEIGHTS};
use crate::model::Layer;
use crate::optimizer::Optimizer;

use super::node::{Input, Node, Shared};
use super::{layers, Action, Model};

/// One step in `model.json`: what it does, to which earlier steps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct StepDescription {
    action: Action,
    inputs: Vec<usize>,
}

/// What `save` writes to `model.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Description {
    /// Always `"functional"`: tells this file from a `Sequential`'s.
    model: String,
    input_shape: Vec<usize>,
    layers: Vec<Layer>,
    steps: Vec<StepDescription>,
    loss: Option<Loss>,
    optimizer: Option<Optimizer>,
    metrics: Option<Vec<Metric>>,
}

const F_LOAD: &str = "Model::load";

impl Model {
    /// Saves the model to the folder `path`: `model.json` (the input, the layers, how they
    /// connect, the loss, optimizer and metrics) and `weights.safetensors`. Keras'
    /// `model.save(…)`.
    ///
    /// ```
    /// use dlintro::prelude::*;
    /// seed(3);
    /// let inputs = Input::features(2);
    /// let a = Layer::dense(3, Activation::Tanh).apply(&inputs)?;
    /// let b = Layer::dense(3, Activation::Relu).apply(&inputs)?;
    /// let both = layers::concatenate(&[&a, &b])?;
    /// let model = Model::new(&inputs, &Layer::dense(2, Activation::Softmax).apply(&both)?)?;
    /// let dir = std::env::temp_dir().join("dlintro-doc-functional");
    /// model.save(&dir)?;
    /// let restored = Model::load(&dir)?;
    /// let x = Tensor::from_slice(&[0.5f32, -1.0]).view([1, 2]);
    /// assert!(restored.predict(&x)?.equal(&model.predict(&x)?));
    /// assert_eq!(restored.summary(), model.summary());
    /// # std::fs::remove_dir_all(&dir).ok();
    /// # Ok::<(), dlintro::Error>(())
    /// ```
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        const F: &str = "Model::save";
        let dir = path.as_ref();
        let description = Description {
            model: "functional".into(),
            input_shape: self.input_shape.clone(),
            layers: self.layers.iter().map(|(l, _)| *l).collect(),
            steps: self
                .steps
                .iter()
                .map(|s| StepDescription {
                    action: s.kind,
                    inputs: s.inputs.clone(),
                })
                .collect(),
            loss: self.loss(),
            optimizer: self.optimizer(),
            metrics: self.loss().map(|_| self.metrics().to_vec()),
        };
        write_folder(F, dir, &description, &self.vs)
    }

    /// Loads a model saved with [`Model::save`]: the same graph and weights, so it predicts
    /// exactly as the saved one did, compiled as it was. Keras' `keras.models.load_model(…)`.
    pub fn load(path: impl AsRef<Path>) -> Result<Model> {
        let dir = path.as_ref();
        let not_a_model = |what: String| {
            Error::invalid(
                F_LOAD,
                "path",
                format!(
                    "{} {what}, expected a folder written by a Functional model's \
                     model.save(…), with {DESCRIPTION} and {WEIGHTS} in it",
                    dir.display()
                ),
            )
        };
        let json = std::fs::read_to_string(dir.join(DESCRIPTION))
            .map_err(|e| not_a_model(format!("has no readable {DESCRIPTION} ({e})")))?;
        let description: Description = serde_json::from_str(&json)
            .map_err(|e| not_a_model(format!("holds a {DESCRIPTION} that is not one: {e}")))?;
        let mut model = rebuild(&description).map_err(|e| e.reported_by(F_LOAD, |_| "path"))?;
        let weights = dir.join(WEIGHTS);
        if !weights.exists() {
            return Err(not_a_model(format!("has no {WEIGHTS}")));
        }
        load_weights(F_LOAD, &mut model.vs, &weights)?;
        if let Some((loss, optimizer, metrics)) = compiled_as_saved(
            description.loss,
            description.optimizer,
            description.metrics.clone(),
        ) {
            model.compile_with_metrics(loss, optimizer, &metrics)?;
        }
        Ok(model)
    }
}

/// The model a description describes, built again with the Functional API.
fn rebuild(description: &Description) -> Result<Model> {
    let broken = |problem: String| Error::invalid(F_LOAD, "path", problem);
    if description.model != "functional" {
        return Err(broken(format!(
            "holds a {:?} model, expected \"functional\"",
            description.model
        )));
    }
    // A layer applied more than once is shared.
    let mut uses = vec![0usize; description.layers.len()];
    for step in &description.steps {
        if let Action::Layer(i) = step.action {
            if let Some(count) = uses.get_mut(i) {
                *count += 1;
            }
        }
    }
    let shared: Vec<Option<Shared>> = description
        .layers
        .iter()
        .zip(&uses)
        .map(|(layer, &n)| (n > 1).then(|| layer.shared()))
        .collect();
    let mut nodes: Vec<Node> = Vec::with_capacity(description.steps.len());
    for (s, step) in description.steps.iter().enumerate() {
        let inputs: Vec<&Node> = step
            .inputs
            .iter()
            .map(|&i| nodes.get(i))
            .collect::<Option<_>>()
            .ok_or_else(|| {
                broken(format!(
                    "step {s} takes a step that does not come before it"
                ))
            })?;
        let node = match (step.action, inputs.as_slice()) {
            (Action::Input, []) if s == 0 => Input::shape(&description.input_shape),
            (Action::Layer(i), [input]) if i < description.layers.len() => match &shared[i] {
                Some(shared) => shared.apply(input)?,
                None => description.layers[i].apply(input)?,
            },
            (Action::Concatenate, _) => layers::concatenate(&inputs)?,
            (Action::Add, _) => layers::add(&inputs)?,
            _ => return Err(broken(format!("step {s} ({:?}) does not fit", step.action))),
        };
        nodes.push(node);
    }
    match (nodes.first(), nodes.last()) {
        (Some(first), Some(last)) => Model::new(first, last),
        _ => Err(broken("has no steps".into())),
    }
}
