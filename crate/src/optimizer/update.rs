//! The weight update of one training step: Keras' SGD and Adam, on all the weights at once.
//!
//! A workshop model has a handful of small weight tensors, so the time of a step goes to
//! libtorch's per-operation overhead, not to arithmetic: libtorch's own Adam runs about seven
//! operations per tensor. Here every trainable weight is a view into one flat tensor, and every
//! gradient a view into another, so that one update is a few operations whatever the number of
//! layers (about 15 µs instead of 45–110 µs for the penguin model, measured with
//! crate/examples/train_bench.rs).

use tch::{Kind, Tensor};

use super::denormals::FlushDenormals;
use super::Optimizer;

/// The flat weights and gradients of a model and the optimizer's state.
pub(crate) struct Update {
    optimizer: Optimizer,
    /// Every trainable weight, in the order of `flat`.
    weights: Vec<Tensor>,
    /// All weights, one after another: each tensor of `weights` is a view into it.
    flat: Tensor,
    /// All gradients, laid out like `flat`; each weight's `.grad()` is a view into it once
    /// [`Update::backward`] has run.
    grads: Tensor,
    /// Adam's moving averages of the gradients and of their squares.
    first: Tensor,
    second: Tensor,
    /// How many updates were made (Keras' `optimizer.iterations`).
    steps: i32,
    /// Whether every weight and gradient is known to be a view into `flat` and `grads`.
    linked: bool,
}

impl Update {
    /// Gathers `weights` into one flat tensor (they keep their values and stay leaves that
    /// autograd updates) and sets up the optimizer's state.
    pub(crate) fn new(optimizer: Optimizer, weights: Vec<Tensor>) -> Update {
        let device = weights.first().map_or(tch::Device::Cpu, Tensor::device);
        let total: i64 = weights.iter().map(|w| w.numel() as i64).sum();
        let flat = Tensor::zeros([total], (Kind::Float, device));
        let grads = flat.zeros_like();
        let mut update = Update {
            optimizer,
            weights,
            first: flat.zeros_like(),
            second: flat.zeros_like(),
            flat,
            grads,
            steps: 0,
            linked: false,
        };
        tch::no_grad(|| update.share_weights());
        update
    }

    /// The slice of a flat tensor that holds weight `w`, shaped like it.
    fn view(&self, of: &Tensor, start: i64, w: &Tensor) -> Tensor {
        of.narrow(0, start, w.numel() as i64)
            .view(w.size().as_slice())
    }

    /// Copies every weight into `flat` (a no-op for one that is already a view of its slice)
    /// and makes it a view of its slice.
    fn share_weights(&mut self) {
        let mut start = 0;
        for i in 0..self.weights.len() {
            let slice = self.view(&self.flat, start, &self.weights[i]);
            slice.shallow_clone().copy_(&self.weights[i]);
            self.weights[i].set_data(&slice);
            start += self.weights[i].numel() as i64;
        }
    }

    /// Points every weight's gradient at its slice of `grads`, from then on accumulated in
    /// place by autograd. Needs the gradients to exist: called after the first backward pass.
    fn share_grads(&mut self) {
        let mut start = 0;
        for w in &self.weights {
            let slice = self.view(&self.grads, start, w);
            let mut grad = w.grad();
            if grad.defined() {
                slice.shallow_clone().copy_(&grad);
                grad.set_data(&slice);
            }
            start += w.numel() as i64;
        }
    }

    /// Checks, once per fit, that every weight and gradient still lives in the flat tensors:
    /// whatever replaces a weight's data breaks the link, which the next step mends.
    pub(crate) fn check_links(&mut self) {
        self.linked = self.linked && self.shared();
    }

    fn shared(&self) -> bool {
        let (flat, grads) = (self.flat.data_ptr(), self.grads.data_ptr());
        let mut offset = 0usize;
        self.weights.iter().all(|w| {
            let at = offset * std::mem::size_of::<f32>();
            offset += w.numel();
            let grad = w.grad();
            w.data_ptr() == flat.wrapping_byte_add(at)
                && grad.defined()
                && grad.data_ptr() == grads.wrapping_byte_add(at)
        })
    }

    /// Gradients of `loss` for every weight: cleared, then computed by autograd.
    pub(crate) fn backward(&mut self, loss: &Tensor) {
        let _ = self.grads.zero_();
        if !self.linked {
            // A gradient that lives outside `grads` (before the first step, or after a weight
            // was replaced) is cleared where it is, so that it does not add up across steps.
            for w in &self.weights {
                let mut grad = w.grad();
                if grad.defined() {
                    let _ = grad.zero_();
                }
            }
        }
        loss.backward();
    }

    /// One update of every weight from its gradient, as Keras computes it:
    /// SGD `w ← w − lr·g`; Adam (β₁ 0.9, β₂ 0.999, ε 1e-7)
    /// `m ← m + (g − m)(1 − β₁)`, `v ← v + (g² − v)(1 − β₂)`,
    /// `w ← w − lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ) · m/(√v + ε)`.
    pub(crate) fn step(&mut self) {
        // Only the update: the loss's floor (`loss::MIN_PROBABILITY`) is itself a denormal.
        let _flush = FlushDenormals::new();
        tch::no_grad(|| {
            if !self.linked {
                // The first step (gradients exist only now), or a weight was replaced.
                self.share_weights();
                self.share_grads();
                self.linked = true;
            }
            self.steps += 1;
            match self.optimizer {
                Optimizer::Sgd { learning_rate } => {
                    let _ = self.flat.g_add_(&(&self.grads * -learning_rate));
                }
                Optimizer::Adam { learning_rate } => {
                    const BETA_1: f64 = 0.9;
                    const BETA_2: f64 = 0.999;
                    const EPSILON: f64 = 1e-7;
                    let t = self.steps;
                    let alpha =
                        learning_rate * (1.0 - BETA_2.powi(t)).sqrt() / (1.0 - BETA_1.powi(t));
                    let _ = self.first.lerp_(&self.grads, 1.0 - BETA_1);
                    let _ = self.second.lerp_(&self.grads.square(), 1.0 - BETA_2);
                    // w + m / ((√v + ε) / −α) = w − α·m/(√v + ε), in one operation.
                    let denominator = self
                        .second
                        .sqrt()
                        .g_add_scalar_(EPSILON)
                        .g_div_scalar_(-alpha);
                    let _ = self.flat.addcdiv_(&self.first, &denominator);
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(t: &Tensor) -> Vec<f64> {
        Vec::<f64>::try_from(t.to_kind(Kind::Double).flatten(0, -1)).unwrap()
    }

    /// Every weight of `update`, in order, within 1e-6 of `expected`.
    fn assert_weights(update: &Update, expected: &[f64]) {
        let got: Vec<f64> = update.weights.iter().flat_map(values).collect();
        assert_eq!(got.len(), expected.len());
        for (g, e) in got.iter().zip(expected) {
            assert!((g - e).abs() < 1e-6, "{got:?} against {expected:?}");
        }
    }

    /// Two weight tensors, as a layer has, with the loss Σw² (gradient 2w).
    fn weights(a: &[f32], b: &[f32]) -> Vec<Tensor> {
        vec![
            Tensor::from_slice(a)
                .view([1, a.len() as i64])
                .set_requires_grad(true),
            Tensor::from_slice(b).set_requires_grad(true),
        ]
    }

    fn sum_of_squares(weights: &[Tensor]) -> Tensor {
        weights
            .iter()
            .map(|w| w.square().sum(Kind::Float))
            .reduce(|a, b| a + b)
            .unwrap()
    }

    fn steps(update: &mut Update, n: usize) {
        for _ in 0..n {
            let loss = sum_of_squares(&update.weights);
            update.backward(&loss);
            update.step();
        }
    }

    #[test]
    fn sgd_moves_every_weight_against_its_gradient() {
        let mut update = Update::new(
            Optimizer::Sgd { learning_rate: 0.1 },
            weights(&[1.0, -2.0], &[0.5]),
        );
        steps(&mut update, 2);
        // w ← w − 0.1·2w = 0.8·w, twice: 0.64·w.
        let expected = [0.64, -1.28, 0.32];
        assert_weights(&update, &expected);
        assert!(
            update.shared(),
            "weights and gradients stay views of the flat tensors"
        );
    }

    #[test]
    fn adam_follows_keras_formula_step_by_step() {
        let start = [1.0, -2.0, 0.5];
        let mut update = Update::new(
            Optimizer::Adam {
                learning_rate: 0.01,
            },
            weights(&start[..2], &start[2..]),
        );
        steps(&mut update, 3);
        // Keras' Adam, one weight at a time in f64.
        let mut expected = Vec::new();
        for &w0 in &start {
            let (mut w, mut m, mut v) = (f64::from(w0), 0.0, 0.0);
            for t in 1..=3 {
                let g = 2.0 * w;
                m = 0.9 * m + 0.1 * g;
                v = 0.999 * v + 0.001 * g * g;
                let alpha = 0.01 * (1.0 - 0.999f64.powi(t)).sqrt() / (1.0 - 0.9f64.powi(t));
                w -= alpha * m / (v.sqrt() + 1e-7);
            }
            expected.push(w);
        }
        // Adam's first steps move each weight by about the learning rate, against its sign.
        assert!((expected[0] - 0.97).abs() < 1e-3, "{expected:?}");
        assert_weights(&update, &expected);
    }

    #[test]
    fn a_replaced_weight_is_linked_again_without_adding_up_its_gradients() {
        let mut update = Update::new(
            Optimizer::Sgd { learning_rate: 0.1 },
            weights(&[1.0, -2.0], &[0.5]),
        );
        steps(&mut update, 1);
        // Something gives the bias new storage, and its gradient too, with a stale value.
        tch::no_grad(|| {
            let mut bias = update.weights[1].shallow_clone();
            bias.set_data(&Tensor::from_slice(&[3.0f32]));
            bias.grad().set_data(&Tensor::from_slice(&[100.0f32]));
        });
        update.check_links();
        assert!(!update.linked);
        steps(&mut update, 2);
        // From 3.0, two plain SGD steps: 3·0.8² = 1.92 (an old gradient left in would give less).
        let bias = values(&update.weights[1]);
        assert!((bias[0] - 1.92).abs() < 1e-6, "bias {bias:?}");
        let weight = values(&update.weights[0]);
        assert!((weight[0] - 0.512).abs() < 1e-6, "weight {weight:?}");
        assert!(update.shared());
    }
}
