//! One neuron and small networks of them: the "Calculate the output for one neuron" exercise.
//!
//! `output = activation(Σ xᵢ·wᵢ + bias)`, computed on plain slices, on ndarray arrays and on
//! tch tensors, with the same result.

use ndarray::Array1;
use tch::{Kind, Tensor};

use crate::activation::Activation;
use crate::convert::{finite, finite_tensor, not_empty, same_len};
use crate::error::{Error, Result};

fn check_inputs(function: &'static str, inputs: &[f64], weights: &[f64], bias: f64) -> Result<()> {
    not_empty(function, "inputs", inputs.len())?;
    same_len(
        function,
        ("inputs", inputs.len()),
        ("weights", weights.len()),
    )?;
    finite(function, "inputs", inputs.iter().copied())?;
    finite(function, "weights", weights.iter().copied())?;
    finite(function, "bias", [bias])
}

/// `Σ xᵢ·wᵢ`: the weighted sum of the inputs, before the bias.
///
/// ```
/// let sum = dlintro::neuron::weighted_sum(&[0.0, 0.5, 1.0], &[-1.0, -0.5, 0.5])?;
/// assert_eq!(sum, 0.25);
/// # Ok::<(), dlintro::Error>(())
/// ```
pub fn weighted_sum(inputs: &[f64], weights: &[f64]) -> Result<f64> {
    check_inputs("neuron::weighted_sum", inputs, weights, 0.0)?;
    Ok(inputs.iter().zip(weights).map(|(x, w)| x * w).sum())
}

/// The output of one neuron: `activation(Σ xᵢ·wᵢ + bias)`.
///
/// ```
/// use dlintro::{activation::Activation, neuron};
/// let y = neuron::output(&[0.0, 0.5, 1.0], &[-1.0, -0.5, 0.5], 1.0, Activation::Relu)?;
/// assert_eq!(y, 1.25);
/// # Ok::<(), dlintro::Error>(())
/// ```
pub fn output(inputs: &[f64], weights: &[f64], bias: f64, activation: Activation) -> Result<f64> {
    check_inputs("neuron::output", inputs, weights, bias)?;
    let z: f64 = inputs.iter().zip(weights).map(|(x, w)| x * w).sum::<f64>() + bias;
    activation.apply(z)
}

/// The output of one neuron with ndarray: `activation(x · w + bias)`.
///
/// ```
/// use dlintro::{activation::Activation, neuron};
/// use ndarray::arr1;
/// let y = neuron::output_array(&arr1(&[0.0, 0.5, 1.0]), &arr1(&[-1.0, -0.5, 0.5]), 1.0, Activation::Relu)?;
/// assert_eq!(y, 1.25);
/// # Ok::<(), dlintro::Error>(())
/// ```
pub fn output_array(
    inputs: &Array1<f64>,
    weights: &Array1<f64>,
    bias: f64,
    activation: Activation,
) -> Result<f64> {
    const F: &str = "neuron::output_array";
    not_empty(F, "inputs", inputs.len())?;
    same_len(F, ("inputs", inputs.len()), ("weights", weights.len()))?;
    finite(F, "inputs", inputs.iter().copied())?;
    finite(F, "weights", weights.iter().copied())?;
    finite(F, "bias", [bias])?;
    activation.apply(inputs.dot(weights) + bias)
}

/// The output of one neuron with tch tensors (1-D, same length), computed by libtorch.
///
/// ```
/// use dlintro::{activation::Activation, neuron};
/// use tch::Tensor;
/// let x = Tensor::from_slice(&[0.0, 0.5, 1.0]);
/// let w = Tensor::from_slice(&[-1.0, -0.5, 0.5]);
/// assert_eq!(neuron::output_tensor(&x, &w, 1.0, Activation::Relu)?, 1.25);
/// # Ok::<(), dlintro::Error>(())
/// ```
pub fn output_tensor(
    inputs: &Tensor,
    weights: &Tensor,
    bias: f64,
    activation: Activation,
) -> Result<f64> {
    const F: &str = "neuron::output_tensor";
    for (name, t) in [("inputs", inputs), ("weights", weights)] {
        if t.dim() != 1 {
            return Err(Error::invalid(
                F,
                name,
                format!("has shape {:?}, expected a 1-D tensor", t.size()),
            ));
        }
    }
    let (n, m) = (inputs.size()[0] as usize, weights.size()[0] as usize);
    not_empty(F, "inputs", n)?;
    same_len(F, ("inputs", n), ("weights", m))?;
    finite(F, "bias", [bias])?;
    let x = finite_tensor(F, "inputs", inputs)?;
    let w = finite_tensor(F, "weights", weights)?.to_device(x.device());
    let z = x
        .f_dot(&w) // []
        .and_then(|z| z.f_add_scalar(bias))
        .map_err(|e| Error::torch(F, e))?;
    let y = activation.apply_tensor(&z)?;
    Ok(y.to_kind(Kind::Double).double_value(&[]))
}

/// A fully-connected layer whose weights you write by hand, for the exercises: every neuron
/// sees every input. (A model's trainable layers are [`crate::model::Layer`]s, added with
/// `Sequential::dense`.)
#[derive(Debug, Clone, PartialEq)]
pub struct HandLayer {
    /// `weights[j]` are neuron j's weights, one per input.
    weights: Vec<Vec<f64>>,
    /// `bias[j]` is neuron j's bias.
    bias: Vec<f64>,
    activation: Activation,
}

impl HandLayer {
    /// A layer from its weights (one row per neuron, one weight per input), its biases (one
    /// per neuron) and an activation.
    ///
    /// ```
    /// use dlintro::{activation::Activation, neuron::HandLayer};
    /// let layer = HandLayer::new(vec![vec![1.0, 1.0], vec![1.0, 1.0]], vec![0.0, -1.0], Activation::Relu)?;
    /// assert_eq!(layer.forward(&[1.0, 1.0])?, vec![2.0, 1.0]);
    /// # Ok::<(), dlintro::Error>(())
    /// ```
    pub fn new(
        weights: Vec<Vec<f64>>,
        bias: Vec<f64>,
        activation: Activation,
    ) -> Result<HandLayer> {
        const F: &str = "HandLayer::new";
        not_empty(F, "weights", weights.len())?;
        let inputs = weights[0].len();
        not_empty(F, "weights", inputs)?;
        if let Some((j, row)) = weights.iter().enumerate().find(|(_, r)| r.len() != inputs) {
            return Err(Error::invalid(
                F,
                "weights",
                format!(
                    "row {j} has {} weights, expected {inputs} like row 0 (one per input)",
                    row.len()
                ),
            ));
        }
        same_len(F, ("weights", weights.len()), ("bias", bias.len()))?;
        finite(F, "weights", weights.iter().flatten().copied())?;
        finite(F, "bias", bias.iter().copied())?;
        activation.apply(0.0)?; // rejects an invalid leaky slope now, not at the first input
        Ok(HandLayer {
            weights,
            bias,
            activation,
        })
    }

    /// How many inputs the layer takes.
    pub fn inputs(&self) -> usize {
        self.weights[0].len()
    }

    /// How many neurons (outputs) the layer has.
    pub fn neurons(&self) -> usize {
        self.weights.len()
    }

    /// The layer's outputs for one input vector.
    pub fn forward(&self, inputs: &[f64]) -> Result<Vec<f64>> {
        const F: &str = "HandLayer::forward";
        if inputs.len() != self.inputs() {
            return Err(Error::invalid(
                F,
                "inputs",
                format!(
                    "has {} values, expected {} (the layer's input width)",
                    inputs.len(),
                    self.inputs()
                ),
            ));
        }
        finite(F, "inputs", inputs.iter().copied())?;
        let z: Vec<f64> = self
            .weights
            .iter()
            .zip(&self.bias)
            .map(|(w, b)| inputs.iter().zip(w).map(|(x, w)| x * w).sum::<f64>() + b)
            .collect();
        let out = self.activation.apply_array(&Array1::from(z).into_dyn())?;
        Ok(out.iter().copied().collect())
    }
}

/// [`HandLayer`]s one after another: each layer's outputs are the next layer's inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct HandNetwork {
    layers: Vec<HandLayer>,
}

impl HandNetwork {
    /// A network from its layers; each layer must take as many inputs as the one before has
    /// neurons.
    pub fn new(layers: Vec<HandLayer>) -> Result<HandNetwork> {
        const F: &str = "HandNetwork::new";
        not_empty(F, "layers", layers.len())?;
        for (i, pair) in layers.windows(2).enumerate() {
            if pair[1].inputs() != pair[0].neurons() {
                return Err(Error::invalid(
                    F,
                    "layers",
                    format!(
                        "layer {} takes {} inputs, expected {} (layer {} has {} neurons)",
                        i + 2,
                        pair[1].inputs(),
                        pair[0].neurons(),
                        i + 1,
                        pair[0].neurons()
                    ),
                ));
            }
        }
        Ok(HandNetwork { layers })
    }

    /// The network's layers.
    pub fn layers(&self) -> &[HandLayer] {
        &self.layers
    }

    /// The network's outputs for one input vector.
    ///
    /// ```
    /// use dlintro::{activation::Activation::Relu, neuron::{HandLayer, HandNetwork}};
    /// let network = HandNetwork::new(vec![
    ///     HandLayer::new(vec![vec![1.0, 1.0], vec![1.0, 1.0]], vec![0.0, -1.0], Relu)?,
    ///     HandLayer::new(vec![vec![1.0, -2.0]], vec![0.0], Relu)?,
    /// ])?;
    /// assert_eq!(network.forward(&[1.0, 0.0])?, vec![1.0]);
    /// # Ok::<(), dlintro::Error>(())
    /// ```
    pub fn forward(&self, inputs: &[f64]) -> Result<Vec<f64>> {
        let mut values = inputs.to_vec();
        for layer in &self.layers {
            values = layer.forward(&values)?;
        }
        Ok(values)
    }

    /// The same forward pass with libtorch: `activation(W·x + b)` per layer, on a batch of
    /// input rows `[batch, inputs]`; returns `[batch, outputs]`.
    pub fn forward_tensor(&self, inputs: &Tensor) -> Result<Tensor> {
        const F: &str = "HandNetwork::forward_tensor";
        let mut x = finite_tensor(F, "inputs", inputs)?;
        for (i, layer) in self.layers.iter().enumerate() {
            let width = x.size().last().copied().unwrap_or(0) as usize;
            if x.dim() != 2 || width != layer.inputs() {
                return Err(Error::invalid(
                    F,
                    "inputs",
                    format!(
                        "reach layer {} with shape {:?}, expected [batch, {}]",
                        i + 1,
                        x.size(),
                        layer.inputs()
                    ),
                ));
            }
            let w: Vec<f64> = layer.weights.iter().flatten().copied().collect();
            let w = Tensor::from_slice(&w).view([layer.neurons() as i64, layer.inputs() as i64]);
            let b = Tensor::from_slice(&layer.bias);
            let z = x
                .f_matmul(&w.tr())
                .and_then(|z| z.f_add(&b)) // [batch, neurons]
                .map_err(|e| Error::torch(F, e))?;
            x = layer.activation.apply_tensor(&z)?;
        }
        Ok(x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activation::Activation::{Relu, Sigmoid, Softmax};

    const X: [f64; 3] = [0.0, 0.5, 1.0];
    const W: [f64; 3] = [-1.0, -0.5, 0.5];

    #[test]
    fn the_slide_exercise_is_1_25_three_ways() {
        assert_eq!(weighted_sum(&X, &W).unwrap(), 0.25);
        assert_eq!(output(&X, &W, 1.0, Relu).unwrap(), 1.25);
        let a = output_array(
            &Array1::from(X.to_vec()),
            &Array1::from(W.to_vec()),
            1.0,
            Relu,
        );
        assert_eq!(a.unwrap(), 1.25);
        let t = output_tensor(&Tensor::from_slice(&X), &Tensor::from_slice(&W), 1.0, Relu);
        assert_eq!(t.unwrap(), 1.25);
    }

    #[test]
    fn relu_clips_a_negative_sum_and_sigmoid_squashes_it() {
        assert_eq!(output(&X, &W, -1.0, Relu).unwrap(), 0.0);
        let s = output(&X, &W, -0.25, Sigmoid).unwrap();
        assert_eq!(s, 0.5);
    }

    fn xor() -> HandNetwork {
        HandNetwork::new(vec![
            HandLayer::new(vec![vec![1.0, 1.0], vec![1.0, 1.0]], vec![0.0, -1.0], Relu).unwrap(),
            HandLayer::new(vec![vec![1.0, -2.0]], vec![0.0], Relu).unwrap(),
        ])
        .unwrap()
    }

    #[test]
    fn the_xor_network_computes_xor_with_slices_and_tensors() {
        let network = xor();
        let table: Vec<f64> = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
            .iter()
            .map(|x| network.forward(x).unwrap()[0])
            .collect();
        assert_eq!(table, [0.0, 1.0, 1.0, 0.0]);
        let batch = Tensor::from_slice(&[0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0]).view([4, 2]);
        let out = network.forward_tensor(&batch).unwrap();
        assert_eq!(out.size(), [4, 1]);
        assert_eq!(Vec::<f64>::try_from(out.view([-1])).unwrap(), table);
    }

    #[test]
    fn a_softmax_layer_gives_probabilities() {
        let layer = HandLayer::new(vec![vec![1.0], vec![0.0]], vec![0.0, 0.0], Softmax).unwrap();
        let p = layer.forward(&[2.0_f64.ln()]).unwrap();
        assert!((p[0] - 2.0 / 3.0).abs() < 1e-12 && (p[1] - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn bad_inputs_name_the_argument() {
        let cases = [
            (
                output(&X[..2], &W, 1.0, Relu).unwrap_err(),
                "neuron::output: `weights` has 3 values but `inputs` has 2, expected the same \
                 number of each",
            ),
            (
                output(&[], &[], 1.0, Relu).unwrap_err(),
                "neuron::output: `inputs` is empty, expected at least one value",
            ),
            (
                output(&[f64::NAN], &[1.0], 1.0, Relu).unwrap_err(),
                "neuron::output: `inputs` has NaN at position 0, expected finite numbers",
            ),
            (
                output(&X, &W, f64::INFINITY, Relu).unwrap_err(),
                "neuron::output: `bias` has inf at position 0, expected finite numbers",
            ),
            (
                output_tensor(
                    &Tensor::from_slice(&X),
                    &Tensor::from_slice(&W[..2]),
                    1.0,
                    Relu,
                )
                .unwrap_err(),
                "neuron::output_tensor: `weights` has 2 values but `inputs` has 3, expected the \
                 same number of each",
            ),
            (
                HandLayer::new(vec![vec![1.0, 1.0], vec![1.0]], vec![0.0, 0.0], Relu).unwrap_err(),
                "HandLayer::new: `weights` row 1 has 1 weights, expected 2 like row 0 (one per input)",
            ),
            (
                xor().forward(&[1.0]).unwrap_err(),
                "HandLayer::forward: `inputs` has 1 values, expected 2 (the layer's input width)",
            ),
        ];
        for (error, message) in cases {
            assert_eq!(error.to_string(), message);
        }
        let mismatched = HandNetwork::new(vec![
            HandLayer::new(vec![vec![1.0, 1.0]], vec![0.0], Relu).unwrap(),
            HandLayer::new(vec![vec![1.0, 1.0]], vec![0.0], Relu).unwrap(),
        ]);
        assert_eq!(
            mismatched.unwrap_err().to_string(),
            "HandNetwork::new: `layers` layer 2 takes 2 inputs, expected 1 (layer 1 has 1 neurons)"
        );
    }
}
