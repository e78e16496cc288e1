//! Hidden layers in one call: the TensorFlow Playground's "+ layers, + neurons".

use crate::activation::Activation;

use super::Sequential;

impl Sequential {
    /// Adds one dense layer per entry of `widths`, each of that many neurons, all with
    /// `activation`: the Playground's hidden layers. `&[4, 2]` adds a layer of 4 neurons and
    /// then one of 2; `&[]` adds none.
    ///
    /// ```
    /// use dlintro::prelude::*;
    /// let model = Sequential::input_features(2)
    ///     .hidden_layers(&[4, 2], Activation::Tanh)
    ///     .dense(1, Activation::Sigmoid);
    /// // (2·4 + 4) + (4·2 + 2) + (2·1 + 1)
    /// assert_eq!(model.summary().total, 25);
    /// ```
    pub fn hidden_layers(self, widths: &[usize], activation: Activation) -> Sequential {
        widths
            .iter()
            .fold(self, |model, &units| model.dense(units, activation))
    }
}
