//! Activation functions: the "Activation functions" exercise of the slides.
//!
//! `output = activation(Σ xᵢ·wᵢ + bias)`: the activation is what makes a network more than a
//! linear map. Each [`Activation`] applies to a scalar, an ndarray array and a tch tensor, and
//! has a derivative computed by libtorch's autograd (the same machinery that trains networks),
//! not by a second hand-typed formula.

use std::fmt;

use ndarray::{ArrayD, Axis};
use serde::{Deserialize, Serialize};
use tch::{Kind, Tensor};

use crate::convert::{finite, finite_tensor, to_f64_array, to_f64_cpu_tensor};
use crate::error::{Error, Result};

/// The slope of [`Activation::leaky_relu`] in Keras and PyTorch when none is given.
pub const DEFAULT_LEAKY_SLOPE: f64 = 0.01;

/// An activation function.
///
/// The default is [`Activation::Linear`], as for a Keras `Dense` layer: a layer without an
/// activation computes a weighted sum and nothing more, which is what a regression output
/// wants, and the lesson's Keras models translate one to one.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub enum Activation {
    /// The identity: `f(x) = x`.
    #[default]
    Linear,
    /// `f(x) = 1 / (1 + e^(−x))`, between 0 and 1.
    Sigmoid,
    /// `f(x) = tanh(x)`, between −1 and 1.
    Tanh,
    /// `f(x) = max(0, x)`.
    Relu,
    /// `f(x) = x` for x > 0, `slope · x` otherwise. Build it with [`Activation::leaky_relu`].
    LeakyRelu {
        /// The slope for negative inputs, 0 ≤ slope < 1.
        slope: f64,
    },
    /// Scores to probabilities over the last axis: `eᶻⁱ / Σⱼ eᶻʲ`.
    Softmax,
}

impl fmt::Display for Activation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Activation::Linear => write!(f, "linear"),
            Activation::Sigmoid => write!(f, "sigmoid"),
            Activation::Tanh => write!(f, "tanh"),
            Activation::Relu => write!(f, "ReLU"),
            Activation::LeakyRelu { slope } => write!(f, "leaky ReLU (slope {slope})"),
            Activation::Softmax => write!(f, "softmax"),
        }
    }
}

fn sigmoid(x: f64) -> f64 {
    // Two forms, so that e^(−x) never overflows: sigmoid(−1000) is 0, not NaN.
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

/// Softmax of one row, shifted by its maximum so that e^z never overflows.
fn softmax_row(row: &mut [f64]) {
    let max = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut sum = 0.0;
    for v in row.iter_mut() {
        *v = (*v - max).exp();
        sum += *v;
    }
    for v in row.iter_mut() {
        *v /= sum;
    }
}

impl Activation {
    /// Leaky ReLU with the given slope for negative inputs (0 ≤ slope < 1; Keras and PyTorch
    /// use 0.01).
    ///
    /// ```
    /// use dlintro::activation::Activation;
    /// let leaky = Activation::leaky_relu(0.1)?;
    /// assert_eq!(leaky.apply(-2.0)?, -0.2);
    /// assert!(Activation::leaky_relu(1.5).is_err());
    /// # Ok::<(), dlintro::Error>(())
    /// ```
    pub fn leaky_relu(slope: f64) -> Result<Activation> {
        if !(0.0..1.0).contains(&slope) {
            return Err(Error::invalid(
                "Activation::leaky_relu",
                "slope",
                format!("is {slope}, expected 0 ≤ slope < 1 (e.g. {DEFAULT_LEAKY_SLOPE})"),
            ));
        }
        Ok(Activation::LeakyRelu { slope })
    }

    /// The activation of one number. Softmax of a single number is 1 (one class gets all the
    /// probability).
    ///
    /// ```
    /// use dlintro::activation::Activation;
    /// assert_eq!(Activation::Relu.apply(-3.0)?, 0.0);
    /// assert_eq!(Activation::Sigmoid.apply(0.0)?, 0.5);
    /// # Ok::<(), dlintro::Error>(())
    /// ```
    pub fn apply(&self, x: f64) -> Result<f64> {
        finite("Activation::apply", "x", [x])?;
        self.check_slope("Activation::apply")?;
        Ok(match *self {
            Activation::Linear => x,
            Activation::Sigmoid => sigmoid(x),
            Activation::Tanh => x.tanh(),
            Activation::Relu => x.max(0.0),
            Activation::LeakyRelu { slope } => {
                if x > 0.0 {
                    x
                } else {
                    slope * x
                }
            }
            Activation::Softmax => 1.0,
        })
    }

    /// The activation of every value of an array; softmax works along the last axis (each row
    /// of a `[samples, classes]` array becomes probabilities).
    ///
    /// ```
    /// use dlintro::activation::Activation;
    /// let p = Activation::Softmax.apply_array(&ndarray::arr1(&[1000.0, 0.0]).into_dyn())?;
    /// assert_eq!(p.as_slice().unwrap(), &[1.0, 0.0]);
    /// # Ok::<(), dlintro::Error>(())
    /// ```
    pub fn apply_array(&self, x: &ArrayD<f64>) -> Result<ArrayD<f64>> {
        finite("Activation::apply_array", "x", x.iter().copied())?;
        self.check_slope("Activation::apply_array")?;
        if *self != Activation::Softmax {
            return x
                .map(|&v| self.apply(v))
                .into_iter()
                .collect::<Result<Vec<_>>>()
                .map(|values| {
                    ArrayD::from_shape_vec(x.raw_dim(), values)
                        .expect("map keeps the shape of the array")
                });
        }
        let mut out = x.as_standard_layout().into_owned();
        if out.ndim() == 0 {
            return Ok(out.mapv(|_| 1.0));
        }
        let last = Axis(out.ndim() - 1);
        for mut lane in out.lanes_mut(last) {
            let mut row: Vec<f64> = lane.iter().copied().collect();
            softmax_row(&mut row);
            for (dst, src) in lane.iter_mut().zip(row) {
                *dst = src;
            }
        }
        Ok(out)
    }

    /// The activation of a tensor, computed by libtorch (softmax along the last dimension).
    /// The result is a double tensor on the input's device.
    pub fn apply_tensor(&self, x: &Tensor) -> Result<Tensor> {
        const F: &str = "Activation::apply_tensor";
        self.check_slope(F)?;
        let x = finite_tensor(F, "x", x)?;
        self.forward(&x).map_err(|e| Error::torch(F, e))
    }

    /// The activation on a tensor, unchecked: what models call in their forward pass.
    pub(crate) fn forward(&self, x: &Tensor) -> std::result::Result<Tensor, tch::TchError> {
        match *self {
            Activation::Linear => Ok(x.shallow_clone()),
            Activation::Sigmoid => x.f_sigmoid(),
            Activation::Tanh => x.f_tanh(),
            Activation::Relu => x.f_relu(),
            Activation::LeakyRelu { slope } => x.f_where_self(&x.f_gt(0.0)?, &(x * slope)),
            Activation::Softmax => x.f_softmax(-1, x.kind()),
        }
    }

    fn check_slope(&self, function: &'static str) -> Result<()> {
        if let Activation::LeakyRelu { slope } = *self {
            if !(0.0..1.0).contains(&slope) {
                return Err(Error::invalid(
                    function,
                    "slope",
                    format!("of leaky ReLU is {slope}, expected 0 ≤ slope < 1"),
                ));
            }
        }
        Ok(())
    }

    /// The derivative at every value of a tensor, by autograd: libtorch records the
    /// activation's computation and differentiates it. For softmax, the derivative of each
    /// output with respect to its own input (the diagonal of the Jacobian).
    ///
    /// At 0, where ReLU has no derivative, the result is 0, as in PyTorch; leaky ReLU gives its
    /// slope there.
    pub fn derivative_tensor(&self, x: &Tensor) -> Result<Tensor> {
        const F: &str = "Activation::derivative_tensor";
        self.check_slope(F)?;
        let x = finite_tensor(F, "x", x)?
            .f_detach()
            .and_then(|x| x.f_set_requires_grad(true))
            .map_err(|e| Error::torch(F, e))?;
        let grad = |output: Tensor| -> std::result::Result<Tensor, tch::TchError> {
            let mut grads = Tensor::f_run_backward(&[output], &[&x], false, false)?;
            Ok(grads.remove(0))
        };
        let result = (|| {
            if *self != Activation::Softmax {
                // Elementwise: the gradient of Σ f(xᵢ) is f'(xᵢ) at every position.
                return grad(self.forward(&x)?.f_sum(Kind::Double)?);
            }
            let dims = x.size();
            let Some(&n) = dims.last() else {
                // A single number: softmax is constantly 1.
                return x.f_zeros_like();
            };
            let diagonal = x.f_zeros_like()?.f_detach()?;
            for j in 0..n {
                let output_j = self.forward(&x)?.f_select(-1, j)?.f_sum(Kind::Double)?;
                let g = grad(output_j)?.f_select(-1, j)?;
                diagonal.f_select(-1, j)?.f_copy_(&g)?;
            }
            Ok(diagonal)
        })();
        result
            .and_then(|t| t.f_detach())
            .map_err(|e| Error::torch(F, e))
    }

    /// The derivative at one number, by autograd.
    ///
    /// ```
    /// use dlintro::activation::Activation;
    /// assert_eq!(Activation::Sigmoid.derivative(0.0)?, 0.25);
    /// assert_eq!(Activation::Relu.derivative(3.0)?, 1.0);
    /// # Ok::<(), dlintro::Error>(())
    /// ```
    pub fn derivative(&self, x: f64) -> Result<f64> {
        finite("Activation::derivative", "x", [x])?;
        let d = self.derivative_tensor(&Tensor::from(x))?;
        Ok(d.double_value(&[]))
    }

    /// The derivative at every value of an array, by autograd.
    pub fn derivative_array(&self, x: &ArrayD<f64>) -> Result<ArrayD<f64>> {
        finite("Activation::derivative_array", "x", x.iter().copied())?;
        to_f64_array(&self.derivative_tensor(&to_f64_cpu_tensor(x)?)?)
    }
}

#[cfg(test)]
mod tests {
    //! Every activation and derivative against libtorch's own functions, on seeded random
    //! inputs of several shapes and on large magnitudes where naive formulas overflow.
    use super::*;
    use tch::Device;

    const ALL: [Activation; 6] = [
        Activation::Linear,
        Activation::Sigmoid,
        Activation::Tanh,
        Activation::Relu,
        Activation::LeakyRelu {
            slope: DEFAULT_LEAKY_SLOPE,
        },
        Activation::Softmax,
    ];

    /// The reference: libtorch's functions, called directly.
    /// (PyTorch: torch.sigmoid, torch.tanh, torch.relu, F.leaky_relu(x, 0.01), x.softmax(-1).)
    fn libtorch(activation: Activation, x: &Tensor) -> Tensor {
        match activation {
            Activation::Linear => x.shallow_clone(),
            Activation::Sigmoid => x.sigmoid(),
            Activation::Tanh => x.tanh(),
            Activation::Relu => x.relu(),
            Activation::LeakyRelu { .. } => x.leaky_relu(),
            Activation::Softmax => x.softmax(-1, Kind::Double),
        }
    }

    fn inputs() -> Vec<Tensor> {
        tch::manual_seed(20241127);
        let opts = (Kind::Double, Device::Cpu);
        vec![
            Tensor::randn([7], opts) * 3.0,
            Tensor::randn([4, 5], opts) * 10.0,
            Tensor::randn([2, 3, 4], opts),
            Tensor::from_slice(&[-1000.0, -50.0, 0.0, 50.0, 1000.0]),
        ]
    }

    fn assert_close(ours: &ArrayD<f64>, reference: &Tensor, what: &str) {
        let reference = to_f64_array(reference).unwrap();
        assert_eq!(ours.shape(), reference.shape(), "{what}");
        for (a, b) in ours.iter().zip(reference.iter()) {
            let tolerance = 1e-6 * b.abs().max(1e-300) + 1e-300;
            assert!(
                (a - b).abs() <= tolerance || a == b,
                "{what}: ours {a}, libtorch {b}"
            );
        }
    }

    #[test]
    fn scalar_array_and_tensor_agree_with_libtorch() {
        for activation in ALL {
            for x in inputs() {
                let reference = libtorch(activation, &x);
                let array = to_f64_array(&x).unwrap();
                let ours = activation.apply_array(&array).unwrap();
                assert_close(&ours, &reference, &format!("{activation} on an array"));
                let ours = to_f64_array(&activation.apply_tensor(&x).unwrap()).unwrap();
                assert_close(&ours, &reference, &format!("{activation} on a tensor"));
                if activation != Activation::Softmax {
                    let scalars = array.map(|&v| activation.apply(v).unwrap());
                    assert_close(&scalars, &reference, &format!("{activation} on scalars"));
                }
            }
        }
    }

    #[test]
    fn large_magnitudes_do_not_overflow() {
        assert_eq!(Activation::Sigmoid.apply(-1000.0).unwrap(), 0.0);
        assert_eq!(Activation::Sigmoid.apply(1000.0).unwrap(), 1.0);
        let p = Activation::Softmax
            .apply_array(&ndarray::arr1(&[1000.0, 0.0]).into_dyn())
            .unwrap();
        assert_eq!(p.as_slice().unwrap(), &[1.0, 0.0]);
    }

    #[test]
    fn derivatives_agree_with_libtorch_backward_functions() {
        for x in inputs() {
            let array = to_f64_array(&x).unwrap();
            let ones = x.ones_like();
            let s = x.sigmoid();
            let references = [
                (Activation::Linear, ones.shallow_clone()),
                // torch.ops.aten.sigmoid_backward(grad, sigmoid(x))
                (Activation::Sigmoid, Tensor::sigmoid_backward(&ones, &s)),
                (Activation::Tanh, Tensor::tanh_backward(&ones, &x.tanh())),
                // threshold_backward(grad, x, 0): 0 where x <= 0
                (Activation::Relu, x.threshold_backward(&ones, 0.0)),
                (
                    Activation::LeakyRelu { slope: 0.2 },
                    x.leaky_relu_backward(&ones, 0.2, false),
                ),
            ];
            for (activation, reference) in references {
                let ours = activation.derivative_array(&array).unwrap();
                assert_close(&ours, &reference, &format!("{activation}'"));
            }
            // Softmax: ∂sᵢ/∂xᵢ = sᵢ(1 − sᵢ), with libtorch's softmax.
            let s = x.softmax(-1, Kind::Double);
            let reference = &s * (1.0 - &s);
            let ours = Activation::Softmax.derivative_array(&array).unwrap();
            assert_close(&ours, &reference, "softmax'");
        }
    }

    #[test]
    fn derivatives_at_the_kink_follow_pytorch() {
        assert_eq!(Activation::Relu.derivative(0.0).unwrap(), 0.0);
        let leaky = Activation::leaky_relu(0.1).unwrap();
        assert_eq!(leaky.derivative(0.0).unwrap(), 0.1);
        assert_eq!(Activation::Softmax.derivative(4.0).unwrap(), 0.0);
    }

    #[test]
    fn bad_inputs_are_errors_that_name_them() {
        let e = Activation::Relu.apply(f64::NAN).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Activation::apply: `x` has NaN at position 0, expected finite numbers"
        );
        let e = Activation::Sigmoid
            .apply_tensor(&Tensor::from_slice(&[1.0, f64::INFINITY]))
            .unwrap_err();
        assert!(
            e.to_string().contains("`x` has NaN or infinite values"),
            "{e}"
        );
        let e = Activation::leaky_relu(-0.5).unwrap_err();
        assert!(
            e.to_string()
                .contains("`slope` is -0.5, expected 0 ≤ slope < 1"),
            "{e}"
        );
        let e = Activation::LeakyRelu { slope: 2.0 }.apply(1.0).unwrap_err();
        assert!(e.to_string().contains("expected 0 ≤ slope < 1"), "{e}");
    }

    #[test]
    fn the_default_is_linear_as_in_keras() {
        assert_eq!(Activation::default(), Activation::Linear);
    }
}
