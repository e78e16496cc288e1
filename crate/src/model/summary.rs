//! A model's layers as Keras' `model.summary()` shows them.

use std::fmt;

use crate::display::{self, escape};

use super::{shape_text, Sequential};

/// A model's layers as Keras' `summary()` shows them.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Per layer: name, output shape, parameter count (trainable or not, as Keras counts).
    pub rows: Vec<(String, String, usize)>,
    /// All parameters.
    pub total: usize,
    /// The parameters training does not change: batch normalisation's running statistics.
    pub non_trainable: usize,
    /// Per row, the layers it takes its input from, as Keras' "Connected to" column of a
    /// Functional model (`dense[0][0]`): empty for a `Sequential`, which has no such column.
    pub connected_to: Vec<String>,
}

impl Summary {
    /// The parameters training changes: `total − non_trainable`.
    pub fn trainable(&self) -> usize {
        self.total - self.non_trainable
    }

    /// The three totals, as Keras prints them under the table.
    fn totals(&self) -> [String; 3] {
        [
            format!("Total params: {}", self.total),
            format!("Trainable params: {}", self.trainable()),
            format!("Non-trainable params: {}", self.non_trainable),
        ]
    }
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
        let connected = !self.connected_to.is_empty();
        let header = if connected { "  Connected to" } else { "" };
        writeln!(
            f,
            "{:<name$}{:<shape$}{:>10}{header}",
            "Layer (type)", "Output Shape", "Param #"
        )?;
        for (i, (n, s, params)) in self.rows.iter().enumerate() {
            let column = match self.connected_to.get(i) {
                Some(inputs) => format!("  {inputs}"),
                None => String::new(),
            };
            writeln!(f, "{n:<name$}{s:<shape$}{params:>10}{column}")?;
        }
        write!(f, "{}", self.totals().join("\n"))
    }
}

impl Summary {
    /// The summary as an HTML table.
    pub fn to_html(&self) -> String {
        let mut html = String::from(
            "<table><thead><tr><th style=\"text-align:left\">Layer (type)</th>\
             <th style=\"text-align:left\">Output Shape</th><th>Param #</th>",
        );
        let connected = !self.connected_to.is_empty();
        if connected {
            html.push_str("<th style=\"text-align:left\">Connected to</th>");
        }
        html.push_str("</tr></thead><tbody>");
        for (i, (name, shape, params)) in self.rows.iter().enumerate() {
            html.push_str(&format!(
                "<tr><td style=\"text-align:left\">{}</td>\
                 <td style=\"text-align:left\">{}</td><td>{params}</td>",
                escape(name),
                escape(shape)
            ));
            if let Some(inputs) = self.connected_to.get(i) {
                // One input per line, as Keras' table shows them: a join stays narrow.
                html.push_str(&format!(
                    "<td style=\"text-align:left\">{}</td>",
                    escape(inputs).replace(", ", "<br>")
                ));
            }
            html.push_str("</tr>");
        }
        html.push_str(&format!(
            "</tbody></table><p>{}</p>",
            self.totals().join("<br>")
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
    ///
    /// // Batch normalisation of 89 features: γ, β, running mean and variance, 4 × 89 = 356
    /// // parameters, of which the 178 running statistics are not trained (the lesson's Keras
    /// // summary: total 14,457, trainable 14,279, non-trainable 178).
    /// let model = Sequential::input_features(89).batch_norm()
    ///     .dense(100, Activation::Relu).dense(50, Activation::Relu).dense(1, Activation::Linear);
    /// let summary = model.summary();
    /// assert_eq!(summary.rows[0], ("batch_normalization (BatchNormalization)".into(), "(None, 89)".into(), 356));
    /// assert_eq!((summary.total, summary.trainable(), summary.non_trainable), (14457, 14279, 178));
    /// ```
    pub fn summary(&self) -> Summary {
        let mut rows = Vec::new();
        let mut counts = std::collections::BTreeMap::<&str, usize>::new();
        let mut input = self.input_shape.clone();
        let mut non_trainable = 0;
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
                    non_trainable += layer.non_trainable_parameters(&input);
                    input = output;
                    (shape_text(&input), parameters)
                }
                Err(_) => ("does not fit".to_string(), 0),
            };
            rows.push((name, shape, parameters));
        }
        let total = rows.iter().map(|r| r.2).sum();
        Summary {
            rows,
            total,
            non_trainable,
            connected_to: Vec::new(),
        }
    }
}
