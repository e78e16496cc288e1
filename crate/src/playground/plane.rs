//! A two-feature classifier's predictions over a grid of the plane: what a decision boundary
//! picture shows.

use crate::error::{Error, Result};
use crate::model::Sequential;

use super::points::Points;

/// A model's predicted class and confidence on every cell of a grid over the plane, row by
/// row from the bottom.
#[derive(Debug, Clone, PartialEq)]
pub struct Plane {
    /// The grid's x₁ values, left to right.
    pub xs: Vec<f64>,
    /// The grid's x₂ values, bottom to top.
    pub ys: Vec<f64>,
    /// The predicted class of each cell (`xs.len() · ys.len()` of them).
    pub class: Vec<i64>,
    /// How sure the model is, from 0 (a coin toss) to 1, per cell.
    pub confidence: Vec<f64>,
}

impl Sequential {
    /// The classes the model predicts on a `cells`×`cells` grid over the plane of `points`
    /// (their [`bounds`](Points::bounds)), each grid point seen through the points' input
    /// features, as the model was trained on them.
    ///
    /// ```
    /// use dlintro::prelude::*;
    /// use dlintro::playground::Feature;
    /// seed(1);
    /// let circle = data::Playground::Circle.generate(100, 0.0, 1)?.features(&[Feature::X1Squared, Feature::X2Squared])?;
    /// let mut model = Sequential::input_features(2).dense(1, Activation::Sigmoid);
    /// model.compile(Loss::BinaryCrossEntropy, Optimizer::Adam { learning_rate: 0.1 })?;
    /// let plane = model.predict_plane(&circle, 20)?;
    /// assert_eq!(plane.class.len(), 400);
    /// # Ok::<(), dlintro::Error>(())
    /// ```
    pub fn predict_plane(&self, points: &Points, cells: usize) -> Result<Plane> {
        const F: &str = "Sequential::predict_plane";
        self.check_points(F, points)?;
        let grid = points.grid(cells)?;
        let p = self.predict(&grid.inputs)?; // [cells², outputs]
        let (class, confidence) = if p.size()[1] == 1 {
            let p1 = p.view([-1]);
            (
                p1.gt(0.5).to_kind(tch::Kind::Int64),
                (&p1 - 0.5).abs() * 2.0,
            )
        } else {
            let (max, arg) = p.max_dim(1, false);
            (arg, max)
        };
        let class = Vec::<i64>::try_from(class).map_err(|e| Error::torch(F, e))?;
        let confidence = Vec::<f64>::try_from(confidence.to_kind(tch::Kind::Double))
            .map_err(|e| Error::torch(F, e))?;
        Ok(Plane {
            xs: grid.xs,
            ys: grid.ys,
            class,
            confidence,
        })
    }
}
