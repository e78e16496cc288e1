//! A two-feature model's predictions over a grid of the plane: what a decision boundary
//! picture shows.

use std::ops::Range;

use crate::convert::linspace;
use crate::error::{Error, Result};

use super::Sequential;

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
    /// The classes the model predicts on a `cells`×`cells` grid over `x_range`×`y_range`,
    /// for a model with two input features.
    pub fn predict_plane(
        &self,
        x_range: Range<f64>,
        y_range: Range<f64>,
        cells: usize,
    ) -> Result<Plane> {
        const F: &str = "Sequential::predict_plane";
        if cells < 2 {
            return Err(Error::invalid(
                F,
                "cells",
                format!("is {cells}, expected at least 2"),
            ));
        }
        let (xs, ys) = (linspace(&x_range, cells), linspace(&y_range, cells));
        let plane: Vec<f32> = ys
            .iter()
            .flat_map(|&y| xs.iter().flat_map(move |&x| [x as f32, y as f32]))
            .collect();
        let plane = tch::Tensor::from_slice(&plane).view([(cells * cells) as i64, 2]);
        let p = self.predict(&plane)?; // [cells², outputs]
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
            xs,
            ys,
            class,
            confidence,
        })
    }
}
