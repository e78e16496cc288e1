//! Batch normalisation's weights, Keras' way: [`Layer::BatchNormalization`](super::Layer)
//! built on libtorch's `batch_norm`.
//!
//! Keras and libtorch compute the same thing with different settings: Keras' momentum 0.99
//! means the running averages keep 99 % of their value and take 1 % of each batch's, which is
//! libtorch's `momentum` 0.01; Keras' epsilon is 0.001 (libtorch's 1e-5). Keras starts γ at
//! 1 (libtorch's `nn::BatchNorm` at random values between 0 and 1). One difference is left:
//! libtorch updates the running variance with the batch's unbiased variance, Keras with the
//! biased one — a factor n / (n − 1), 1.03 for a batch of 32, in a number that only
//! inference uses.

use tch::nn;

/// Keras' `BatchNormalization(momentum=0.99)`: the share of the running averages kept at
/// each batch.
pub(crate) const MOMENTUM: f64 = 0.99;

/// Keras' `BatchNormalization(epsilon=0.001)`, added to the variance before the square root.
pub(crate) const EPSILON: f64 = 1e-3;

/// The layer's four vectors under `path`, one value per feature: `weight` (γ, starting at 1)
/// and `bias` (β, at 0), trained; `running_mean` (at 0) and `running_var` (at 1), not trained
/// but saved.
pub(crate) fn build(path: nn::Path<'_>, width: usize) -> nn::BatchNorm {
    let config = nn::BatchNormConfig {
        momentum: 1.0 - MOMENTUM,
        eps: EPSILON,
        ws_init: nn::Init::Const(1.0),
        bs_init: nn::Init::Const(0.0),
        ..Default::default()
    };
    nn::batch_norm1d(path, width as i64, config)
}

#[cfg(test)]
mod tests {
    use tch::{Device, Kind, Tensor};

    use super::*;
    use crate::activation::Activation;
    use crate::loss::Loss;
    use crate::model::{Layer, Sequential};
    use crate::optimizer::Optimizer;
    use crate::test_support::quiet;

    /// Six samples of three features on very different scales.
    fn sample() -> Tensor {
        Tensor::from_slice(&[
            1.0f32, 100.0, -0.5, 2.0, 150.0, 0.5, 3.0, 90.0, 0.0, 4.0, 120.0, 1.5, 5.0, 80.0, -1.0,
            6.0, 110.0, 0.25,
        ])
        .view([6, 3])
    }

    fn close(a: &Tensor, b: &Tensor, tolerance: f64) -> bool {
        let difference = (a - b).abs().max().double_value(&[]);
        difference <= tolerance
    }

    /// A built layer for 3 features, and its variables by name.
    fn layer(vs: &nn::VarStore) -> crate::model::Built {
        Layer::BatchNormalization.build(vs.root() / "norm", &[3])
    }

    #[test]
    fn training_normalises_with_the_batch_and_updates_the_running_statistics() {
        let vs = nn::VarStore::new(Device::Cpu);
        let norm = layer(&vs);
        let x = sample();
        // libtorch's own batch_norm, on fresh copies of the starting values.
        let (gamma, beta) = (
            Tensor::ones([3], (Kind::Float, Device::Cpu)),
            Tensor::zeros([3], (Kind::Float, Device::Cpu)),
        );
        let (mean, var) = (beta.copy(), gamma.copy());
        let expected = x.batch_norm(
            Some(&gamma),
            Some(&beta),
            Some(&mean),
            Some(&var),
            true,
            0.01,
            1e-3,
            false,
        );
        let y = norm.forward(&x, true);
        assert!(close(&y, &expected, 1e-6));
        // By hand: (x − batch mean) / √(batch variance + ε), the variance biased.
        let batch_mean = x.mean_dim(0, false, Kind::Float);
        let batch_var = x.var_dim(0, false, false);
        let by_hand = (&x - &batch_mean) / (&batch_var + 1e-3).sqrt();
        assert!(close(&y, &by_hand, 1e-5));
        // The running statistics moved 1 % of the way: 0.99 · 0 + 0.01 · mean, and
        // 0.99 · 1 + 0.01 · the unbiased variance (libtorch's choice).
        let variables = vs.variables();
        assert!(close(&variables["norm.running_mean"], &mean, 0.0));
        assert!(close(&variables["norm.running_var"], &var, 0.0));
        assert!(close(&mean, &(&batch_mean * 0.01), 1e-6));
        let unbiased = x.var_dim(0, true, false);
        assert!(close(&var, &(unbiased * 0.01 + 0.99), 1e-4));
        // Only γ and β are trained.
        assert_eq!(vs.trainable_variables().len(), 2);
        assert_eq!(variables.len(), 4);
    }

    #[test]
    fn inference_uses_the_running_statistics_and_leaves_them_alone() {
        let vs = nn::VarStore::new(Device::Cpu);
        let norm = layer(&vs);
        let x = sample();
        for _ in 0..3 {
            let _ = norm.forward(&x, true);
        }
        let variables = vs.variables();
        let (mean, var) = (
            variables["norm.running_mean"].copy(),
            variables["norm.running_var"].copy(),
        );
        let new = sample() * 2.0 + 1.0;
        let y = norm.forward(&new, false);
        let (gamma, beta) = (&variables["norm.weight"], &variables["norm.bias"]);
        let expected = new.batch_norm(
            Some(gamma),
            Some(beta),
            Some(&mean),
            Some(&var),
            false,
            0.01,
            1e-3,
            false,
        );
        assert!(close(&y, &expected, 1e-6));
        let by_hand = (&new - &mean) / (&var + 1e-3).sqrt();
        assert!(close(&y, &by_hand, 1e-4));
        assert!(close(&variables["norm.running_mean"], &mean, 0.0));
        assert!(close(&variables["norm.running_var"], &var, 0.0));
        // Inference does not depend on the rest of the batch.
        let one = norm.forward(&new.narrow(0, 2, 1), false);
        assert!(close(&one, &y.narrow(0, 2, 1), 1e-6));
    }

    fn model() -> Sequential {
        let mut model = Sequential::input_features(3)
            .batch_norm()
            .dense(4, Activation::Relu)
            .dense(1, Activation::Linear);
        model
            .compile(Loss::MeanSquaredError, Optimizer::default())
            .unwrap();
        model
    }

    /// `n` samples of [`sample`]'s scales and a target that depends on them. No random
    /// numbers: tests run in parallel and share libtorch's generator.
    fn regression(n: i64) -> (Tensor, Tensor) {
        let wobble = Tensor::arange(n * 3, (Kind::Float, Device::Cpu))
            .sin()
            .view([n, 3]);
        let x = sample().repeat([n / 6 + 1, 1]).narrow(0, 0, n) + wobble;
        let y = x.narrow(1, 0, 1) * 2.0 - x.narrow(1, 2, 1);
        (x, y)
    }

    #[test]
    fn the_running_statistics_are_saved_and_loaded() {
        crate::seed(11);
        let mut model = model();
        let (x, y) = regression(64);
        model.fit(&x, &y, quiet(3)).unwrap();
        let trained = model.snapshot();
        let mean = &trained
            .iter()
            .find(|(name, _)| name == "batch_normalization_0.running_mean")
            .unwrap()
            .1;
        // Six updates (3 epochs of 2 batches) have moved the running mean 1 − 0.99⁶ = 5.9 % of
        // the way from 0 towards the features' means (about 3.5, 108 and 0.1).
        let second = mean.double_value(&[1]);
        assert!((5.0..8.0).contains(&second), "{mean}");
        let dir = std::env::temp_dir().join(format!("dlintro-norm-{}", std::process::id()));
        model.save(&dir).unwrap();
        let loaded = Sequential::load(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        let restored = loaded.snapshot();
        assert_eq!(restored.len(), trained.len());
        for (name, value) in &trained {
            let (_, other) = restored.iter().find(|(n, _)| n == name).unwrap();
            assert!(value.equal(other), "{name} differs after loading");
        }
        assert!(model
            .predict(&x)
            .unwrap()
            .equal(&loaded.predict(&x).unwrap()));
        assert_eq!(loaded.summary(), model.summary());
        assert_eq!(model.summary().non_trainable, 6);
    }

    #[test]
    fn a_last_batch_of_one_sample_joins_the_one_before() {
        crate::seed(12);
        let mut model = model();
        // 33 samples in batches of 32: the single last sample trains with the 32 before it.
        let (x, y) = regression(33);
        let history = model.fit(&x, &y, quiet(2)).unwrap();
        assert!(history.last("loss").unwrap().is_finite());
        let variance = model
            .snapshot()
            .into_iter()
            .find(|(name, _)| name == "batch_normalization_0.running_var")
            .unwrap()
            .1;
        assert!(
            variance.isfinite().all().int64_value(&[]) == 1,
            "{variance}"
        );
        let options = crate::train::FitOptions {
            batch_size: 1,
            ..quiet(1)
        };
        let e = model.fit(&x, &y, options).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Sequential::fit: `batch_size` is 1, but batch normalisation needs at least 2 \
             samples per batch to measure their variance (e.g. 32)"
        );
    }
}
