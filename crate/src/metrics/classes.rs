//! Metrics of predicted classes given as class indices: accuracy, the confusion matrix with
//! class names, and per-class precision and recall.

use std::fmt;

use crate::error::{Error, Result};

fn check_labels(function: &'static str, y_true: &[usize], y_pred: &[usize]) -> Result<()> {
    crate::convert::not_empty(function, "y_true", y_true.len())?;
    crate::convert::same_len(function, ("y_true", y_true.len()), ("y_pred", y_pred.len()))
}

/// The fraction of predictions equal to the truth.
///
/// ```
/// assert_eq!(dlintro::metrics::accuracy(&[0, 1, 2, 2], &[0, 1, 1, 2])?, 0.75);
/// # Ok::<(), dlintro::Error>(())
/// ```
pub fn accuracy(y_true: &[usize], y_pred: &[usize]) -> Result<f64> {
    check_labels("metrics::accuracy", y_true, y_pred)?;
    let hits = y_true.iter().zip(y_pred).filter(|(t, p)| t == p).count();
    Ok(hits as f64 / y_true.len() as f64)
}

/// Counts of (true class, predicted class) pairs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfusionMatrix {
    /// The class names, in index order.
    pub classes: Vec<String>,
    /// `counts[t][p]`: how many samples of class t were predicted as p.
    pub counts: Vec<Vec<usize>>,
}

impl ConfusionMatrix {
    /// The matrix for labels given as class indices into `classes`.
    ///
    /// ```
    /// use dlintro::metrics::ConfusionMatrix;
    /// let names = vec!["cat".to_string(), "dog".to_string()];
    /// let m = ConfusionMatrix::new(&[0, 0, 1], &[0, 1, 1], &names)?;
    /// assert_eq!(m.counts, vec![vec![1, 1], vec![0, 1]]);
    /// # Ok::<(), dlintro::Error>(())
    /// ```
    pub fn new(y_true: &[usize], y_pred: &[usize], classes: &[String]) -> Result<Self> {
        const F: &str = "ConfusionMatrix::new";
        check_labels(F, y_true, y_pred)?;
        let k = classes.len();
        for (argument, labels) in [("y_true", y_true), ("y_pred", y_pred)] {
            if let Some((i, c)) = labels.iter().enumerate().find(|(_, &c)| c >= k) {
                return Err(Error::invalid(
                    F,
                    argument,
                    format!(
                        "has class {c} at position {i}, expected a class index below {k}, one \
                         per name in `classes`"
                    ),
                ));
            }
        }
        let mut counts = vec![vec![0; k]; k];
        for (&t, &p) in y_true.iter().zip(y_pred) {
            counts[t][p] += 1;
        }
        Ok(ConfusionMatrix {
            classes: classes.to_vec(),
            counts,
        })
    }

    /// Of the samples predicted as each class, the fraction that really are (NaN when the
    /// class was never predicted).
    pub fn precision(&self) -> Vec<f64> {
        (0..self.classes.len())
            .map(|p| {
                let predicted: usize = self.counts.iter().map(|row| row[p]).sum();
                self.counts[p][p] as f64 / predicted as f64
            })
            .collect()
    }

    /// The classes the model never predicted: those whose column holds only zeros.
    ///
    /// ```
    /// use dlintro::metrics::ConfusionMatrix;
    /// let names: Vec<String> = ["cat", "dog", "fox"].map(String::from).to_vec();
    /// let m = ConfusionMatrix::new(&[0, 1, 2], &[0, 0, 2], &names)?;
    /// assert_eq!(m.never_predicted(), ["dog"]);
    /// # Ok::<(), dlintro::Error>(())
    /// ```
    pub fn never_predicted(&self) -> Vec<String> {
        (0..self.classes.len())
            .filter(|&p| self.counts.iter().all(|row| row[p] == 0))
            .map(|p| self.classes[p].clone())
            .collect()
    }

    /// Of the samples of each class, the fraction predicted as it.
    pub fn recall(&self) -> Vec<f64> {
        self.counts
            .iter()
            .enumerate()
            .map(|(t, row)| row[t] as f64 / row.iter().sum::<usize>() as f64)
            .collect()
    }
}

impl fmt::Display for ConfusionMatrix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let width = self
            .classes
            .iter()
            .map(|c| c.len())
            .max()
            .unwrap_or(4)
            .max(9);
        write!(f, "{:width$}", "true \\ predicted")?;
        for c in &self.classes {
            write!(f, " {c:>width$}")?;
        }
        writeln!(f, " {:>9} {:>9}", "precision", "recall")?;
        let (precision, recall) = (self.precision(), self.recall());
        for (t, row) in self.counts.iter().enumerate() {
            write!(f, "{:width$}", self.classes[t])?;
            for n in row {
                write!(f, " {n:>width$}")?;
            }
            writeln!(f, " {:>9.3} {:>9.3}", precision[t], recall[t])?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precision_and_recall_per_class() {
        let names: Vec<String> = ["Adelie", "Chinstrap", "Gentoo"].map(String::from).to_vec();
        let y_true = [0, 0, 0, 1, 1, 2, 2, 2];
        let y_pred = [0, 0, 1, 0, 1, 2, 2, 2];
        let m = ConfusionMatrix::new(&y_true, &y_pred, &names).unwrap();
        assert_eq!(m.counts, vec![vec![2, 1, 0], vec![1, 1, 0], vec![0, 0, 3]]);
        assert_eq!(m.precision(), [2.0 / 3.0, 0.5, 1.0]);
        assert_eq!(m.recall(), [2.0 / 3.0, 0.5, 1.0]);
        assert_eq!(accuracy(&y_true, &y_pred).unwrap(), 0.75);
        assert!(m.to_string().contains("Chinstrap"));
    }

    #[test]
    fn bad_labels_are_named() {
        let names = vec!["a".to_string(), "b".to_string()];
        let e = ConfusionMatrix::new(&[0, 2], &[0, 1], &names).unwrap_err();
        assert_eq!(
            e.to_string(),
            "ConfusionMatrix::new: `y_true` has class 2 at position 1, expected a class index \
             below 2, one per name in `classes`"
        );
        let e = accuracy(&[], &[]).unwrap_err();
        assert!(e.to_string().contains("`y_true` is empty"));
    }
}
