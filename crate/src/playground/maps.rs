//! Every neuron of a Playground model over the plane, as the TensorFlow Playground's middle
//! panel shows them: the numbers [`neurons`](super::neurons()) draws.

use tch::{Device, Kind, Tensor};

use crate::activation::Activation;
use crate::error::{Error, Result};
use crate::model::{Layer, Sequential};

use super::plane::Plane;
use super::points::Points;

/// One column of maps of [`NeuronMaps`]: the input features, or the neurons of one hidden
/// layer, each with its value at every cell of the grid.
#[derive(Debug, Clone, PartialEq)]
pub struct MapColumn {
    /// What the column is: "inputs", "hidden layer 1", …
    pub title: String,
    /// The activation of the layer's neurons; `None` for the inputs.
    pub activation: Option<Activation>,
    /// One label per map: the feature ("x₁²") or the neuron ("1.3": layer 1, neuron 3).
    pub labels: Vec<String>,
    /// One map per feature or neuron: its value on every grid cell, row by row from the
    /// bottom.
    pub maps: Vec<Vec<f64>>,
}

/// Every input feature and every hidden neuron of a Playground classifier over the plane, the
/// weights that connect them and the output's decision boundary: the Playground's middle
/// panel, computed (see [`neurons`](super::neurons()) for the picture).
#[derive(Debug, Clone, PartialEq)]
pub struct NeuronMaps {
    /// The grid's x₁ values, left to right.
    pub xs: Vec<f64>,
    /// The grid's x₂ values, bottom to top.
    pub ys: Vec<f64>,
    /// The inputs first, then one column per hidden dense layer.
    pub columns: Vec<MapColumn>,
    /// `weights[c][j][i]`: the weight from map `i` of column `c` to neuron `j` of the next
    /// column, or of the output layer after the last column.
    pub weights: Vec<Vec<Vec<f64>>>,
    /// The model's decision over the plane.
    pub output: Plane,
}

impl NeuronMaps {
    /// How many hidden neurons have a map.
    pub fn hidden_neurons(&self) -> usize {
        self.columns.iter().skip(1).map(|c| c.maps.len()).sum()
    }
}

impl Sequential {
    /// Checks that `points` give the model as many input features as it takes.
    pub(crate) fn check_points(&self, function: &'static str, points: &Points) -> Result<()> {
        let Some(inputs) = self.dense_weights().first().map(|w| w.size()[1] as usize) else {
            return Ok(()); // not compiled: `predict` says so
        };
        let given = points.inputs();
        if given.len() != inputs {
            let names: Vec<String> = given.iter().map(|f| f.to_string()).collect();
            return Err(Error::invalid(
                function,
                "points",
                format!(
                    "give the model {} input feature{} ({}), but it takes {inputs}: choose the \
                     features it was trained on with points.features(&[…])",
                    given.len(),
                    if given.len() == 1 { "" } else { "s" },
                    names.join(", ")
                ),
            ));
        }
        Ok(())
    }

    /// Every input feature and hidden neuron of a Playground classifier on a
    /// `cells`×`cells` grid over the plane of `points`, the weights between them, and the
    /// decision boundary: what the TensorFlow Playground draws in its middle panel.
    ///
    /// ```
    /// use dlintro::prelude::*;
    /// seed(1);
    /// let xor = data::Playground::Xor.generate(100, 0.0, 1)?;
    /// let mut model = Sequential::input_features(2).hidden_layers(&[4, 2], Activation::Tanh).dense(1, Activation::Sigmoid);
    /// model.compile(Loss::BinaryCrossEntropy, Optimizer::default())?;
    /// let maps = model.neuron_maps(&xor, 10)?;
    /// assert_eq!(maps.columns.len(), 3); // inputs, 4 neurons, 2 neurons
    /// assert_eq!(maps.hidden_neurons(), 6);
    /// assert_eq!(maps.columns[1].maps[0].len(), 100);
    /// # Ok::<(), dlintro::Error>(())
    /// ```
    pub fn neuron_maps(&self, points: &Points, cells: usize) -> Result<NeuronMaps> {
        const F: &str = "Sequential::neuron_maps";
        self.check_points(F, points)?;
        let grid = points.grid(cells)?;
        let outputs = self.layer_outputs(&grid.inputs)?;
        let to_maps = |t: &Tensor| -> Result<Vec<Vec<f64>>> {
            // [cells², width] → one row of cells² values per column.
            let t = t.to_kind(Kind::Double).transpose(0, 1).contiguous();
            (0..t.size()[0])
                .map(|j| Vec::<f64>::try_from(t.get(j)).map_err(|e| Error::torch(F, e)))
                .collect()
        };
        let mut columns = vec![MapColumn {
            title: "inputs".into(),
            activation: None,
            labels: points.inputs().iter().map(|f| f.to_string()).collect(),
            maps: to_maps(&grid.inputs.to_device(Device::Cpu))?,
        }];
        let dense: Vec<(usize, Activation)> = self
            .layers()
            .iter()
            .enumerate()
            .filter_map(|(i, layer)| match *layer {
                Layer::Dense { activation, .. } => Some((i, activation)),
                _ => None,
            })
            .collect();
        // Every dense layer but the last (the output) is hidden.
        for (number, &(index, activation)) in dense[..dense.len() - 1].iter().enumerate() {
            let maps = to_maps(&outputs[index])?;
            columns.push(MapColumn {
                title: format!("hidden layer {}", number + 1),
                activation: Some(activation),
                labels: (1..=maps.len())
                    .map(|j| format!("{}.{j}", number + 1))
                    .collect(),
                maps,
            });
        }
        let weights = self
            .dense_weights()
            .iter()
            .map(|w| {
                let w = w.to_kind(Kind::Double);
                (0..w.size()[0])
                    .map(|j| Vec::<f64>::try_from(w.get(j)).map_err(|e| Error::torch(F, e)))
                    .collect::<Result<Vec<_>>>()
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(NeuronMaps {
            output: self.predict_plane(points, cells.max(40))?,
            xs: grid.xs,
            ys: grid.ys,
            columns,
            weights,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::playground::{Feature, Playground};
    use crate::test_support::binary_model as model;

    #[test]
    fn neuron_maps_have_one_map_per_hidden_neuron() {
        crate::seed(3);
        let model = model(&[5, 3]);
        let points = Playground::Circle
            .generate(40, 0.0, 1)
            .unwrap()
            .features(&[Feature::X1, Feature::X2, Feature::X1X2])
            .unwrap();
        let maps = model.neuron_maps(&points, 8).unwrap();
        let widths: Vec<usize> = maps.columns.iter().map(|c| c.maps.len()).collect();
        assert_eq!(widths, [3, 5, 3]);
        assert_eq!(maps.hidden_neurons(), 8);
        assert_eq!(maps.columns[0].labels, ["x₁", "x₂", "x₁x₂"]);
        assert_eq!(maps.columns[2].labels, ["2.1", "2.2", "2.3"]);
        // weights: 3 → 5, 5 → 3, 3 → 1.
        let shapes: Vec<(usize, usize)> =
            maps.weights.iter().map(|w| (w.len(), w[0].len())).collect();
        assert_eq!(shapes, [(5, 3), (3, 5), (1, 3)]);
        // The input map of x₁x₂ at the grid's first cell (bottom left).
        let first = maps.xs[0] * maps.ys[0];
        assert!((maps.columns[0].maps[2][0] - first).abs() < 1e-3 * first.abs().max(1.0));
        assert!(
            maps.columns[1].maps.iter().flatten().all(|&v| v >= 0.0),
            "ReLU"
        );
        assert_eq!(maps.output, model.predict_plane(&points, 40).unwrap());
    }

    #[test]
    fn points_with_other_features_than_the_model_are_named() {
        let model = model(&[2]);
        let points = Playground::Xor.generate(10, 0.0, 1).unwrap();
        let e = model.neuron_maps(&points, 5).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Sequential::neuron_maps: `points` give the model 2 input features (x₁, x₂), but it \
             takes 3: choose the features it was trained on with points.features(&[…])"
        );
        let e = model.predict_plane(&points, 5).unwrap_err();
        assert!(e.to_string().contains("but it takes 3"), "{e}");
    }
}
