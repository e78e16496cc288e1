//! A Functional model's steps: the nodes between its input and its output, in an order where
//! every step comes after its inputs, and the forward pass through them.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tch::Tensor;

use crate::error::{Error, Result};
use crate::model::{shape_text, Layer};

use super::node::{Node, Op};
use super::Model;

/// What a step does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Action {
    /// The model's input (step 0).
    Input,
    /// The model's layer of this index (a shared layer has one index for all its steps).
    Layer(usize),
    /// Its inputs side by side along the last axis.
    Concatenate,
    /// Its inputs added.
    Add,
}

/// One step of a Functional model: a layer or a join applied to earlier steps.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Step {
    pub(crate) kind: Action,
    /// The steps it takes, by index.
    pub(crate) inputs: Vec<usize>,
    /// Each sample's shape after it.
    pub(crate) shape: Vec<usize>,
}

/// The steps from `inputs` to `outputs`, and the layers they apply (each shared layer once):
/// or an error when `outputs` is not computed from `inputs` alone. The input is step 0: it is
/// the only node without inputs, and the depth-first walk reaches it first.
pub(crate) fn steps(inputs: &Node, outputs: &Node) -> Result<(Vec<Step>, Vec<Layer>)> {
    const F: &str = "Model::new";
    if !matches!(inputs.0.op, Op::Input) {
        return Err(Error::invalid(
            F,
            "inputs",
            format!(
                "is the output of a layer ({inputs:?}), expected the model's input: what \
                 Input::features(…) or Input::image(…) returned"
            ),
        ));
    }
    if outputs.id() == inputs.id() {
        return Err(Error::invalid(
            F,
            "outputs",
            "is `inputs` itself, expected the output of at least one layer applied to it",
        ));
    }
    // Every node `outputs` depends on, each after its inputs: depth first from the output,
    // a node's inputs in their order, each node once.
    let mut nodes: Vec<Node> = Vec::new();
    let mut seen = BTreeMap::<usize, ()>::new();
    seen.insert(outputs.id(), ());
    let mut stack = vec![(outputs.clone(), 0)];
    while let Some((node, next)) = stack.pop() {
        match node.0.inputs.get(next).cloned() {
            Some(input) => {
                stack.push((node, next + 1));
                if seen.insert(input.id(), ()).is_none() {
                    stack.push((input, 0));
                }
            }
            None => nodes.push(node),
        }
    }
    let other = nodes
        .iter()
        .find(|n| matches!(n.0.op, Op::Input) && n.id() != inputs.id());
    if let Some(other) = other {
        let shape = shape_text(other.shape());
        let problem = if seen.contains_key(&inputs.id()) {
            format!(
                "depends on a second Input, of shape {shape}, besides `inputs`; expected a \
                 model of one input"
            )
        } else {
            format!(
                "does not depend on `inputs`: it is computed from another Input, of shape \
                 {shape}; expected the output of layers applied to `inputs`"
            )
        };
        return Err(Error::invalid(F, "outputs", problem));
    }
    let index: BTreeMap<usize, usize> =
        nodes.iter().enumerate().map(|(i, n)| (n.id(), i)).collect();
    let mut layers = Vec::new();
    let mut shared = BTreeMap::<usize, usize>::new();
    let steps = nodes
        .iter()
        .map(|node| {
            let kind = match &node.0.op {
                Op::Input => Action::Input,
                Op::Concatenate => Action::Concatenate,
                Op::Add => Action::Add,
                Op::Layer { layer, shared: s } => {
                    let new = |layers: &mut Vec<Layer>| {
                        layers.push(*layer);
                        layers.len() - 1
                    };
                    Action::Layer(match s {
                        Some(s) => *shared
                            .entry(Arc::as_ptr(s) as usize)
                            .or_insert_with(|| new(&mut layers)),
                        None => new(&mut layers),
                    })
                }
            };
            Step {
                kind,
                inputs: node.0.inputs.iter().map(|n| index[&n.id()]).collect(),
                shape: node.shape().to_vec(),
            }
        })
        .collect();
    Ok((steps, layers))
}

/// The input shape of each of `count` layers: that of its first step's input.
pub(crate) fn layer_inputs(steps: &[Step], count: usize) -> Vec<Vec<usize>> {
    let mut inputs = vec![Vec::new(); count];
    for step in steps.iter().rev() {
        if let Action::Layer(i) = step.kind {
            inputs[i] = steps[step.inputs[0]].shape.clone();
        }
    }
    inputs
}

/// `y` as Keras gives it: images channels last.
pub(crate) fn keras_layout(y: &Tensor) -> Tensor {
    if y.dim() == 4 {
        y.permute([0, 2, 3, 1]).contiguous()
    } else {
        y.shallow_clone()
    }
}

impl Model {
    /// The value of the first `count` steps for checked `x`. Images travel channels first,
    /// as libtorch convolves them; dropout acts only when `train` is true.
    pub(crate) fn values(&self, x: &Tensor, train: bool, count: usize) -> Vec<Tensor> {
        let mut values: Vec<Tensor> = Vec::with_capacity(count);
        for step in &self.steps[..count] {
            let value = match step.kind {
                Action::Input if x.dim() == 4 => x.permute([0, 3, 1, 2]),
                Action::Input => x.shallow_clone(),
                Action::Layer(i) => self.built[i].forward(&values[step.inputs[0]], train),
                Action::Concatenate => {
                    let parts: Vec<&Tensor> = step.inputs.iter().map(|&i| &values[i]).collect();
                    Tensor::cat(&parts, 1)
                }
                Action::Add => step.inputs[1..]
                    .iter()
                    .fold(values[step.inputs[0]].shallow_clone(), |sum, &i| {
                        sum + &values[i]
                    }),
            };
            values.push(value);
        }
        values
    }

    /// The model's output for checked `x`, images channels first.
    pub(crate) fn forward(&self, x: &Tensor, train: bool) -> Tensor {
        let mut values = self.values(x, train, self.steps.len());
        values.pop().expect("a model has steps")
    }
}
