//! What a notebook needs, in one line: `use dlintro::prelude::*;`.

pub use crate::activation::Activation;
pub use crate::check;
pub use crate::device::{device, Device};
pub use crate::error::{Error, Result};
pub use crate::loss::{self, Loss};
pub use crate::model::{seed, EarlyStopping, FitOptions, History, Optimizer, Sequential};
pub use crate::neuron::{self, Dense, Network};
pub use crate::plot::{self, Figure, Series};
pub use crate::setup;
pub use crate::{data, metrics};
pub use ndarray::{arr1, arr2, Array1, Array2};
pub use tch::{Kind, Reduction, Tensor};
