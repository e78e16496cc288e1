//! What a notebook needs, in one line: `use dlintro::prelude::*;`.

pub use crate::device::{device, Device};
pub use crate::error::{Error, Result};
pub use crate::plot::{self, Figure, Series};
pub use crate::setup;
pub use tch::{Kind, Tensor};
