//! A Functional model's summary as Keras prints it: a row per layer, the input's first, with
//! the "Connected to" column that says which layers each takes its input from.

use crate::model::{shape_text, Summary};

use super::{Action, Model};

impl Model {
    /// Every layer's name and type, output shape, parameter count and inputs, as Keras'
    /// `model.summary()` of a Functional model: the input is a layer of its own
    /// (`input_layer`), joins are layers too (`concatenate`, `add`), and a shared layer has
    /// one row listing every input it is applied to.
    ///
    /// ```
    /// use dlintro::prelude::*;
    /// let inputs = Input::features(4);
    /// let a = Layer::dense(3, Activation::Relu).apply(&inputs)?;
    /// let b = Layer::dense(3, Activation::Relu).apply(&inputs)?;
    /// let sum = layers::add(&[&a, &b])?;
    /// let model = Model::new(&inputs, &Layer::dense(1, Activation::Linear).apply(&sum)?)?;
    /// let summary = model.summary();
    /// assert_eq!(summary.connected_to, ["-", "input_layer[0][0]", "input_layer[0][0]",
    ///     "dense[0][0], dense_1[0][0]", "add[0][0]"]);
    /// assert_eq!(summary.rows[3], ("add (Add)".into(), "(None, 3)".into(), 0));
    /// assert_eq!(summary.total, 15 + 15 + 4);
    /// # Ok::<(), dlintro::Error>(())
    /// ```
    pub fn summary(&self) -> Summary {
        let steps = self.steps();
        let inputs = super::graph::layer_inputs(steps, self.layers.len());
        // Each step's layer name and which application of that layer it is (Keras' node index).
        let mut names: Vec<(String, usize)> = Vec::with_capacity(steps.len());
        let mut uses = vec![0usize; self.layers.len()];
        let mut joins = std::collections::BTreeMap::<&str, usize>::new();
        let mut rows = Vec::new();
        let mut connected_to: Vec<String> = Vec::new();
        let mut row_of_layer = vec![usize::MAX; self.layers.len()];
        let mut non_trainable = 0;
        for step in steps {
            let links: Vec<String> = step
                .inputs
                .iter()
                .map(|&i| format!("{}[{}][0]", names[i].0, names[i].1))
                .collect();
            let links = if links.is_empty() {
                "-".to_string()
            } else {
                links.join(", ")
            };
            let shape = shape_text(&step.shape);
            match step.kind {
                Action::Layer(i) => {
                    let (layer, name) = &self.layers[i];
                    names.push((name.clone(), uses[i]));
                    uses[i] += 1;
                    if row_of_layer[i] != usize::MAX {
                        connected_to[row_of_layer[i]].push_str(&format!(", {links}"));
                        continue;
                    }
                    row_of_layer[i] = rows.len();
                    non_trainable += layer.non_trainable_parameters(&inputs[i]);
                    rows.push((
                        format!("{name} ({})", layer.kind()),
                        shape,
                        layer.parameters(&inputs[i]),
                    ));
                }
                Action::Input => {
                    names.push(("input_layer".into(), 0));
                    rows.push(("input_layer (InputLayer)".into(), shape, 0));
                }
                Action::Concatenate | Action::Add => {
                    let (base, kind) = match step.kind {
                        Action::Add => ("add", "Add"),
                        _ => ("concatenate", "Concatenate"),
                    };
                    let count = joins.entry(base).or_default();
                    let name = match *count {
                        0 => base.to_string(),
                        n => format!("{base}_{n}"),
                    };
                    *count += 1;
                    rows.push((format!("{name} ({kind})"), shape, 0));
                    names.push((name, 0));
                }
            }
            connected_to.push(links);
        }
        let total = rows.iter().map(|r| r.2).sum();
        Summary {
            rows,
            total,
            non_trainable,
            connected_to,
        }
    }
}
