//! Mini-batches in the order training visits them: PyTorch's
//! `DataLoader(TensorDataset(x, y), batch_size, shuffle=True)`. `fit` takes its order from
//! [`batch_order`] too, so a training loop written by hand over [`Batches`] sees exactly the
//! batches `fit` would.

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use tch::Tensor;

use crate::error::{Error, Result};

/// The order in which an epoch visits `samples` samples: shuffled with `seed` and the epoch's
/// number (epochs count from 1, as `fit` prints them), so every epoch has its own order and
/// the same seed gives the same orders; or `0, 1, 2, …` without `shuffle`.
///
/// ```
/// use dlintro::data::batch_order;
/// let first = batch_order(5, true, 42, 1);
/// assert_eq!(first, batch_order(5, true, 42, 1));
/// assert_ne!(first, batch_order(5, true, 42, 2));
/// assert_eq!(batch_order(5, false, 42, 1), [0, 1, 2, 3, 4]);
/// ```
pub fn batch_order(samples: usize, shuffle: bool, seed: u64, epoch: usize) -> Vec<i64> {
    let mut order: Vec<i64> = (0..samples as i64).collect();
    if shuffle {
        order.shuffle(&mut ChaCha8Rng::seed_from_u64(
            seed.wrapping_add(epoch as u64),
        ));
    }
    order
}

/// Features and labels cut into shuffled mini-batches, epoch by epoch, in the order
/// [`Sequential::fit`](crate::model::Sequential::fit) uses with the same shuffling seed and
/// batch size: PyTorch's `DataLoader(TensorDataset(x, y), batch_size, shuffle=True)`.
///
/// ```
/// use dlintro::prelude::*;
/// let x = Tensor::arange(10, (Kind::Float, Device::Cpu)).view([5, 2]); // [5, 2]
/// let y = Tensor::from_slice(&[0i64, 1, 0, 1, 0]); // [5]
/// let batches = data::Batches::new(&x, &y, 2, 42)?;
/// assert_eq!(batches.batches_per_epoch(), 3);
/// let sizes: Vec<i64> = batches.epoch(1).map(|(xb, _)| xb.size()[0]).collect();
/// assert_eq!(sizes, [2, 2, 1]);
/// # Ok::<(), dlintro::Error>(())
/// ```
#[derive(Debug)]
pub struct Batches {
    x: Tensor,
    y: Tensor,
    batch_size: usize,
    seed: u64,
}

impl Batches {
    /// Batches of `batch_size` rows of `x` (`[samples, …]`) with the matching rows of `y`
    /// (`[samples, …]`), shuffled with `seed` as `fit` shuffles with
    /// [`FitOptions::seed`](crate::train::FitOptions::seed). The tensors are shared, not copied.
    ///
    /// The seed is an argument rather than the one given to [`crate::seed()`]: in a notebook
    /// each cell gets its own copy of the crate's variables, so a seed set in one cell is not
    /// seen by a `Batches::new` in the next.
    pub fn new(x: &Tensor, y: &Tensor, batch_size: usize, seed: u64) -> Result<Batches> {
        const F: &str = "data::Batches::new";
        let samples = x.size().first().copied().unwrap_or(0);
        if samples == 0 {
            return Err(Error::invalid(
                F,
                "x",
                format!(
                    "has shape {:?}, expected at least one sample: [samples, …]",
                    x.size()
                ),
            ));
        }
        if y.size().first() != Some(&samples) {
            return Err(Error::invalid(
                F,
                "y",
                format!(
                    "has shape {:?}, expected {samples} samples, one per row of x",
                    y.size()
                ),
            ));
        }
        if batch_size == 0 {
            return Err(Error::invalid(
                F,
                "batch_size",
                "is 0, expected at least 1 (e.g. 32)",
            ));
        }
        Ok(Batches {
            x: x.shallow_clone(),
            y: y.shallow_clone(),
            batch_size,
            seed,
        })
    }

    /// How many batches one epoch has: the last one holds what is left over.
    pub fn batches_per_epoch(&self) -> usize {
        (self.x.size()[0] as usize).div_ceil(self.batch_size)
    }

    /// The batches `(x, y)` of epoch `epoch` (counting from 1, as `fit` does), in order.
    pub fn epoch(&self, epoch: usize) -> impl Iterator<Item = (Tensor, Tensor)> + '_ {
        let order = batch_order(self.x.size()[0] as usize, true, self.seed, epoch);
        let chunks: Vec<Vec<i64>> = order.chunks(self.batch_size).map(<[i64]>::to_vec).collect();
        chunks.into_iter().map(move |rows| {
            let index = Tensor::from_slice(&rows).to_device(self.x.device());
            (
                self.x.index_select(0, &index),
                self.y.index_select(0, &index.to_device(self.y.device())),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tch::{Device, Kind};

    #[test]
    fn an_order_is_a_permutation_that_changes_with_the_epoch_and_seed() {
        let order = batch_order(100, true, 7, 3);
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(sorted, (0..100).collect::<Vec<_>>());
        assert_ne!(order, sorted, "shuffled");
        assert_eq!(order, batch_order(100, true, 7, 3));
        assert_ne!(order, batch_order(100, true, 7, 4));
        assert_ne!(order, batch_order(100, true, 8, 3));
        // Seed 7, epoch 3 shuffles with seed 10, like seed 9 at epoch 1.
        assert_eq!(order, batch_order(100, true, 9, 1));
    }

    #[test]
    fn batches_cover_every_sample_once_with_its_label() {
        let x = Tensor::arange(14, (Kind::Float, Device::Cpu)).view([7, 2]); // [7, 2]
        let y = Tensor::arange(7, (Kind::Int64, Device::Cpu)) * 10; // [7]
        let batches = Batches::new(&x, &y, 3, 5).unwrap();
        assert_eq!(batches.batches_per_epoch(), 3);
        let mut seen = Vec::new();
        let mut sizes = Vec::new();
        for (xb, yb) in batches.epoch(1) {
            sizes.push(xb.size()[0]);
            // Row i of x is (2i, 2i + 1); its label is 10i.
            let first = Vec::<f32>::try_from(xb.select(1, 0)).unwrap();
            let labels = Vec::<i64>::try_from(&yb).unwrap();
            for (f, l) in first.iter().zip(&labels) {
                assert_eq!(*f as i64 * 5, *l);
            }
            seen.extend(labels.into_iter().map(|l| l / 10));
        }
        assert_eq!(sizes, [3, 3, 1]);
        assert_eq!(seen, batch_order(7, true, 5, 1));
    }

    #[test]
    fn batches_name_what_does_not_fit() {
        let x = Tensor::zeros([4, 2], (Kind::Float, Device::Cpu));
        let y = Tensor::zeros([3], (Kind::Int64, Device::Cpu));
        assert_eq!(
            Batches::new(&x, &y, 2, 0).unwrap_err().to_string(),
            "data::Batches::new: `y` has shape [3], expected 4 samples, one per row of x"
        );
        assert_eq!(
            Batches::new(&x, &x, 0, 0).unwrap_err().to_string(),
            "data::Batches::new: `batch_size` is 0, expected at least 1 (e.g. 32)"
        );
        let empty = Tensor::zeros([0, 2], (Kind::Float, Device::Cpu));
        assert!(Batches::new(&empty, &empty, 1, 0)
            .unwrap_err()
            .to_string()
            .contains("expected at least one sample"));
    }
}
