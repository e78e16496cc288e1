//! Looking inside a model: the output of every layer, and the weights of its dense layers.

use tch::{Device, Tensor};

use crate::error::Result;

use super::{Built, Sequential};

impl Sequential {
    /// The output of every layer for `x`, in order: one `[samples, width]` tensor per layer
    /// (a dropout layer passes its input on, as in [`predict`](Sequential::predict)); the
    /// last is the model's output. On the CPU.
    ///
    /// ```
    /// use dlintro::prelude::*;
    /// seed(1);
    /// let mut model = Sequential::input_features(2).dense(4, Activation::Tanh).dense(1, Activation::Sigmoid);
    /// model.compile(Loss::BinaryCrossEntropy, Optimizer::default())?;
    /// let x = Tensor::from_slice(&[0.5f32, -1.0, 2.0, 0.0]).view([2, 2]);
    /// let outputs = model.layer_outputs(&x)?;
    /// assert_eq!(outputs[0].size(), [2, 4]); // the hidden layer
    /// assert!(outputs[1].equal(&model.predict(&x)?));
    /// # Ok::<(), dlintro::Error>(())
    /// ```
    pub fn layer_outputs(&self, x: &Tensor) -> Result<Vec<Tensor>> {
        let x = self.check_x("Sequential::layer_outputs", x)?;
        Ok(tch::no_grad(|| {
            let mut outputs = Vec::with_capacity(self.built.len());
            let mut current = Self::first_layer_input(&x);
            for layer in &self.built {
                current = layer.forward(&current, false);
                outputs.push(current.to_device(Device::Cpu));
            }
            outputs
        }))
    }

    /// The weights `[out, in]` of every dense layer, in order.
    pub(crate) fn dense_weights(&self) -> Vec<Tensor> {
        self.built
            .iter()
            .filter_map(|layer| match layer {
                Built::Dense { linear, .. } => Some(linear.ws.detach().to_device(Device::Cpu)),
                _ => None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::binary_model as model;

    #[test]
    fn layer_outputs_are_each_layers_forward_pass() {
        crate::seed(3);
        let model = model(&[4, 2]);
        let x = Tensor::from_slice(&[1f32, -2., 0.5, 0., 3., -1.]).view([2, 3]);
        let outputs = model.layer_outputs(&x).unwrap();
        let sizes: Vec<Vec<i64>> = outputs.iter().map(|t| t.size()).collect();
        assert_eq!(sizes, [vec![2, 4], vec![2, 2], vec![2, 1]]);
        // By hand: ReLU(x·W₁ᵀ + b₁) with the model's own weights.
        let w = model.dense_weights();
        let hidden = x.matmul(&w[0].tr()).relu(); // biases start at 0
        assert!(outputs[0].allclose(&hidden, 1e-6, 1e-6, false));
        assert!(outputs[2].equal(&model.predict(&x).unwrap()));
    }
}
