//! What a notebook needs, in one line: `use dlintro::prelude::*;`.
//!
//! `data` and `plot` here are the crate's modules of that name with the lessons' additions,
//! so that a notebook finds everything it draws or loads in one of the two: the Playground's
//! data sets and figures ([`crate::playground`]) and the gradient-descent figure
//! ([`crate::descent`]).

pub use crate::activation::Activation;
pub use crate::check;
pub use crate::convert::TensorValues;
pub use crate::data::images::{self, Images, Shape};
pub use crate::data::{PrepareOptions, ThreeWayOptions};
pub use crate::descent;
pub use crate::device::{device, Device};
pub use crate::display::{Animation, Figure};
pub use crate::error::{Error, Result};
pub use crate::loss::{self, Loss};
pub use crate::metrics::{self, Metric};
pub use crate::model::{layers, Input, Layer, Model, Node, Padding, Sequential, Shared};
pub use crate::neuron::{self, HandLayer, HandNetwork};
pub use crate::optimizer::Optimizer;
pub use crate::playground::{BoundaryRecorder, Feature};
pub use crate::plot::Series;
pub use crate::seed::seed;
pub use crate::setup;
pub use crate::train::{EarlyStopping, FitOptions, History, Validation, Verbose};
pub use ndarray::{arr1, arr2, Array1, Array2};
pub use std::time::Duration;
pub use tch::{Kind, Reduction, Tensor};

/// [`crate::data`], and the Playground's data sets ([`crate::playground`]):
/// `data::penguins()`, `data::Playground::Circle`.
pub mod data {
    pub use crate::data::*;
    pub use crate::playground::{Feature, Grid, Playground, Points};
}

/// [`crate::plot`], and the lessons' figures: the Playground's decision boundaries and
/// neuron maps ([`crate::playground`]), gradient descent on a loss curve
/// ([`crate::descent::figure`]), the first slide's nested fields ([`crate::intro::fields`]).
pub mod plot {
    pub use crate::descent::figure as descent;
    pub use crate::intro::fields;
    pub use crate::playground::{boundary_animation, decision_boundary, neurons};
    pub use crate::plot::*;
}
