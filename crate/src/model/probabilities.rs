//! A classifier's predictions as a table: a probability per class and the predicted class,
//! one row per sample (step 7 of the workflow).

use tch::Tensor;

use crate::convert::to_f64_array;
use crate::data::{Table, Values};
use crate::error::{Error, Result};

use super::Sequential;

impl Sequential {
    /// The class probabilities the model gives each sample of `x`, one column per class
    /// (rounded to 4 decimals), and the predicted class (the most probable) in a last column
    /// `predicted`: what Keras users see with `pd.DataFrame(model.predict(x), columns=…)`
    /// and `idxmax`.
    ///
    /// ```
    /// use dlintro::prelude::*;
    /// seed(1);
    /// let mut model = Sequential::input_features(1).dense(2, Activation::Softmax);
    /// model.compile(Loss::SparseCategoricalCrossEntropy, Optimizer::default())?;
    /// let x = Tensor::from_slice(&[-1f32, 3.0]).view([2, 1]);
    /// let table = model.predict_table(&x, &["left".into(), "right".into()])?;
    /// assert_eq!(table.column_names(), ["left", "right", "predicted"]);
    /// let (left, right) = (table.numbers("left")?, table.numbers("right")?);
    /// assert!((left[0] + right[0] - 1.0).abs() < 1e-3);
    /// # Ok::<(), dlintro::Error>(())
    /// ```
    pub fn predict_table(&self, x: &Tensor, class_names: &[String]) -> Result<Table> {
        const F: &str = "Sequential::predict_table";
        let predicted = self
            .predict_classes(x, class_names)
            .map_err(|e| e.reported_by(F, |argument| argument))?;
        let probabilities = to_f64_array(&self.predict(x)?)?; // [samples, classes]
        let probabilities = probabilities
            .into_dimensionality::<ndarray::Ix2>()
            .map_err(|e| Error::Torch {
                operation: F,
                message: e.to_string(),
            })?
            .mapv(|p| (p * 1e4).round() / 1e4);
        Table::from_array(&probabilities, class_names)?.with_column(
            "predicted",
            Values::Text(predicted.into_iter().map(Some).collect()),
        )
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{penguin_data, penguin_model, quiet};

    #[test]
    fn the_table_has_a_probability_per_class_and_the_prediction() {
        crate::seed(1);
        let (x, y, x_test, _, classes) = penguin_data(true);
        let mut model = penguin_model();
        model.fit(&x, &y, quiet(20)).unwrap();
        let table = model.predict_table(&x_test, &classes).unwrap();
        assert_eq!(
            table.column_names(),
            ["Adelie", "Chinstrap", "Gentoo", "predicted"]
        );
        assert_eq!(table.len(), 67);
        let probabilities = model.predict(&x_test).unwrap();
        // Row 0: the rounded probabilities, and the name of the largest.
        let first: Vec<f64> = classes
            .iter()
            .map(|c| table.numbers(c).unwrap()[0])
            .collect();
        for (k, p) in first.iter().enumerate() {
            assert!((p - probabilities.double_value(&[0, k as i64])).abs() <= 5e-5);
        }
        let best = probabilities.argmax(1, false).int64_value(&[0]) as usize;
        assert_eq!(table.texts("predicted").unwrap()[0], classes[best]);
        let e = model.predict_table(&x_test, &classes[..2]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Sequential::predict_table: `class_names` has 2 names, expected 3, one per output of \
             the model"
        );
    }
}
