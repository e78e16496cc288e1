//! How the weights are updated: the [`Optimizer`] that
//! [`compile`](crate::model::Sequential::compile) takes, with Keras' defaults, and its update
//! of every weight after each batch (Keras' SGD and Adam, computed as Keras computes them).
//!
//! | module | what |
//! |---|---|
//! | `update` | the update of one training step: SGD and Adam on all the weights at once |
//! | `denormals` | denormal floats flushed to zero while the update runs, as TensorFlow does |
//!
//! ```
//! use dlintro::prelude::*;
//! assert_eq!(Optimizer::default(), Optimizer::Adam { learning_rate: 0.001 });
//! assert_eq!(Optimizer::Sgd { learning_rate: 0.01 }.learning_rate(), 0.01);
//! ```

mod denormals;
mod update;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

pub(crate) use update::Update;

/// How the weights are updated.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Optimizer {
    /// Stochastic gradient descent.
    Sgd {
        /// The step size (Keras' default is 0.01).
        learning_rate: f64,
    },
    /// Adam, Keras' usual choice.
    Adam {
        /// The step size (Keras' default is 0.001).
        learning_rate: f64,
    },
}

impl Default for Optimizer {
    /// Adam with Keras' default learning rate, 0.001.
    fn default() -> Self {
        Optimizer::Adam {
            learning_rate: 0.001,
        }
    }
}

impl Optimizer {
    /// The learning rate.
    pub fn learning_rate(&self) -> f64 {
        match *self {
            Optimizer::Sgd { learning_rate } | Optimizer::Adam { learning_rate } => learning_rate,
        }
    }

    /// Checks that the learning rate is a number > 0; `function` is the caller, for the error.
    pub(crate) fn check(&self, function: &'static str) -> Result<()> {
        let lr = self.learning_rate();
        if !(lr.is_finite() && lr > 0.0) {
            return Err(Error::invalid(
                function,
                "learning_rate",
                format!("is {lr}, expected a number > 0 (e.g. 0.001)"),
            ));
        }
        Ok(())
    }
}
