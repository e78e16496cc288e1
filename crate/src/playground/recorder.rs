//! A callback that records the decision boundary while a Playground model trains: the
//! frames of [`boundary_animation`](super::boundary_animation).

use crate::error::{Error, Result};
use crate::model::Sequential;
use crate::train::{Callback, Control, EpochEnd};

use super::plane::Plane;
use super::points::Points;

/// Records a Playground classifier's decision boundary `frames` times during training, at
/// evenly spaced epochs, for [`boundary_animation`](super::boundary_animation).
/// Give it the points the model trains on: the grid of each frame is seen through their
/// input features.
///
/// ```
/// use dlintro::prelude::*;
/// seed(4);
/// let points = data::Playground::Circle.generate(100, 0.0, 2)?;
/// let (x, y) = points.tensors(device())?;
/// let mut model = Sequential::input_features(2).dense(8, Activation::Relu).dense(2, Activation::Softmax);
/// model.compile(Loss::SparseCategoricalCrossEntropy, Optimizer::Adam { learning_rate: 0.05 })?;
/// let mut recorder = BoundaryRecorder::new(&points, 4);
/// let options = FitOptions { epochs: 20, verbose: Verbose::Silent, ..Default::default() };
/// model.fit_with(&x, &y, options, &mut [&mut recorder])?;
/// assert_eq!(recorder.frames.iter().map(|(epoch, _)| *epoch).collect::<Vec<_>>(), [5, 10, 15, 20]);
/// # Ok::<(), dlintro::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct BoundaryRecorder {
    /// The data, drawn on every frame.
    pub points: Points,
    /// How many frames to record.
    pub wanted: usize,
    /// The epochs asked for.
    pub epochs: usize,
    /// The recorded frames: the epoch and the model's predictions over the plane then.
    pub frames: Vec<(usize, Plane)>,
}

impl BoundaryRecorder {
    /// Grid cells per side of each frame.
    const CELLS: usize = 60;

    /// A recorder of `frames` frames over the plane of `points`.
    pub fn new(points: &Points, frames: usize) -> BoundaryRecorder {
        BoundaryRecorder {
            points: points.clone(),
            wanted: frames,
            epochs: 0,
            frames: Vec::new(),
        }
    }
}

impl Callback for BoundaryRecorder {
    fn on_train_begin(&mut self, epochs: usize) -> Result<()> {
        if self.wanted == 0 || self.wanted > epochs {
            return Err(Error::invalid(
                "BoundaryRecorder",
                "frames",
                format!(
                    "is {}, expected 1 to {epochs} (one frame per epoch at most)",
                    self.wanted
                ),
            ));
        }
        self.epochs = epochs;
        self.frames.clear();
        Ok(())
    }

    fn on_epoch_end(&mut self, model: &mut Sequential, end: &EpochEnd<'_>) -> Result<Control> {
        let next = self.frames.len() + 1;
        if next <= self.wanted && end.epoch == end.epochs * next / self.wanted {
            let plane = model.predict_plane(&self.points, Self::CELLS)?;
            self.frames.push((end.epoch, plane));
        }
        Ok(Control::Continue)
    }
}
