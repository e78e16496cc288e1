//! What a notebook needs, in one line: `use dlintro::prelude::*;`.

pub use crate::activation::Activation;
pub use crate::check;
pub use crate::data::images::{self, Images, Shape};
pub use crate::data::{self, Feature, PrepareOptions, ThreeWayOptions};
pub use crate::descent;
pub use crate::device::{device, Device};
pub use crate::display::{Animation, Figure};
pub use crate::error::{Error, Result};
pub use crate::loss::{self, Loss};
pub use crate::metrics;
pub use crate::model::{Layer, Metric, Optimizer, Padding, Sequential};
pub use crate::neuron::{self, HandLayer, HandNetwork};
pub use crate::plot::{self, Series};
pub use crate::seed::seed;
pub use crate::setup;
pub use crate::train::{BoundaryRecorder, EarlyStopping, FitOptions, History, Validation, Verbose};
pub use ndarray::{arr1, arr2, Array1, Array2};
pub use std::time::Duration;
pub use tch::{Kind, Reduction, Tensor};
