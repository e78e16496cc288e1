//! A model's layers as Keras' `model.summary()` shows them.

use std::fmt;

use crate::display::{self, escape};

use super::{shape_text, Sequential};

/// A model's layers as Keras' `summary()` shows them.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Per layer: name, output shape, parameter count.
    pub rows: Vec<(String, String, usize)>,
    /// All trainable parameters.
    pub total: usize,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Columns as wide as their longest entry, as Keras' table.
        let width = |column: fn(&(String, String, usize)) -> usize, title: &str| {
            self.rows
                .iter()
                .map(column)
                .max()
                .unwrap_or(0)
                .max(title.chars().count())
                + 2
        };
        let name = width(|r| r.0.chars().count(), "Layer (type)");
        let shape = width(|r| r.1.chars().count(), "Output Shape");
        writeln!(
            f,
            "{:<name$}{:<shape$}{:>10}",
            "Layer (type)", "Output Shape", "Param #"
        )?;
        for (n, s, params) in &self.rows {
            writeln!(f, "{n:<name$}{s:<shape$}{params:>10}")?;
        }
        writeln!(f, "Total params: {}", self.total)?;
        write!(f, "Trainable params: {}", self.total)
    }
}

impl Summary {
    /// The summary as an HTML table.
    pub fn to_html(&self) -> String {
        let mut html = String::from(
            "<table><thead><tr><th style=\"text-align:left\">Layer (type)</th>\
             <th style=\"text-align:left\">Output Shape</th><th>Param #</th></tr></thead><tbody>",
        );
        for (name, shape, params) in &self.rows {
            html.push_str(&format!(
                "<tr><td style=\"text-align:left\">{}</td>\
                 <td style=\"text-align:left\">{}</td><td>{params}</td></tr>",
                escape(name),
                escape(shape)
            ));
        }
        html.push_str(&format!(
            "</tbody></table><p>Total params: {0}<br>Trainable params: {0}</p>",
            self.total
        ));
        html
    }

    /// Shows the summary inline; evcxr calls this when a cell ends with a `Summary`.
    pub fn evcxr_display(&self) {
        display::html_with_text(&self.to_html(), &self.to_string());
    }
}

impl Sequential {
    /// The layers, output shapes and parameter counts, as Keras' `model.summary()`.
    ///
    /// ```
    /// use dlintro::prelude::*;
    /// let model = Sequential::input_features(4).dense(10, Activation::Relu).dense(3, Activation::Softmax);
    /// let summary = model.summary();
    /// assert_eq!(summary.rows[0].2, 50);
    /// assert_eq!(summary.total, 83);
    /// assert_eq!(summary.to_string().lines().nth(1), Some("dense (Dense)    (None, 10)            50"));
    /// ```
    pub fn summary(&self) -> Summary {
        let mut rows = Vec::new();
        let mut counts = std::collections::BTreeMap::<&str, usize>::new();
        let mut input = self.input_shape.clone();
        for (i, layer) in self.layers.iter().enumerate() {
            let base = layer.base_name();
            let count = counts.entry(base).or_default();
            // Keras numbers the second layer of a kind `_1`, the third `_2`, …
            let name = match *count {
                0 => format!("{base} ({})", layer.kind()),
                n => format!("{base}_{n} ({})", layer.kind()),
            };
            *count += 1;
            let (shape, parameters) = match layer.output_shape(&input, i + 1) {
                Ok(output) => {
                    let parameters = layer.parameters(&input);
                    input = output;
                    (shape_text(&input), parameters)
                }
                Err(_) => ("does not fit".to_string(), 0),
            };
            rows.push((name, shape, parameters));
        }
        let total = rows.iter().map(|r| r.2).sum();
        Summary { rows, total }
    }
}
