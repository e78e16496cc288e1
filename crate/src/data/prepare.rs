//! Preparing data for a model: class names and one-hot rows, standardisation fitted on the
//! training rows only, a seeded (and stratified) train/test split, and [`prepare()`], which
//! does all of it from a table in one call, as Keras users do with scikit-learn's
//! `train_test_split` and `StandardScaler`.

use std::collections::BTreeMap;

use ndarray::{Array1, Array2};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use tch::Tensor;

use crate::convert::{labels_to_i64_tensor, to_f32_tensor};
use crate::data::table::{missing, Table, Values};
use crate::error::{Error, Result};

/// One-hot rows for a list of labels: the classes in sorted order and a `[n, classes]`
/// array with a single 1 per row.
///
/// ```
/// let (classes, y) = dlintro::data::one_hot(&["b", "a", "b"]);
/// assert_eq!(classes, ["a", "b"]);
/// assert_eq!(y.row(0).to_vec(), [0.0, 1.0]);
/// ```
pub fn one_hot<S: AsRef<str>>(labels: &[S]) -> (Vec<String>, Array2<f64>) {
    let classes = class_names(labels);
    let mut y = Array2::zeros((labels.len(), classes.len()));
    for (row, label) in labels.iter().enumerate() {
        let class = classes
            .iter()
            .position(|c| c == label.as_ref())
            .expect("every label is one of the classes");
        y[[row, class]] = 1.0;
    }
    (classes, y)
}

/// The distinct labels in sorted order.
pub fn class_names<S: AsRef<str>>(labels: &[S]) -> Vec<String> {
    let mut classes: Vec<String> = labels.iter().map(|l| l.as_ref().to_string()).collect();
    classes.sort();
    classes.dedup();
    classes
}

/// Class indices for labels, given the class names.
pub fn class_indices<S: AsRef<str>>(labels: &[S], classes: &[String]) -> Result<Vec<usize>> {
    labels
        .iter()
        .map(|l| {
            classes.iter().position(|c| c == l.as_ref()).ok_or_else(|| {
                Error::invalid(
                    "data::class_indices",
                    "labels",
                    format!("has {:?}, expected one of {classes:?}", l.as_ref()),
                )
            })
        })
        .collect()
}

/// Standardisation: subtract each column's mean and divide by its standard deviation, both
/// measured on the training data only and then applied to any data.
#[derive(Debug, Clone, PartialEq)]
pub struct Standardizer {
    /// Each column's mean on the training data.
    pub mean: Array1<f64>,
    /// Each column's standard deviation (population, as scikit-learn's StandardScaler).
    pub std: Array1<f64>,
}

impl Standardizer {
    /// Measures the columns of `x` (`[rows, columns]`).
    pub fn fit(x: &Array2<f64>) -> Result<Standardizer> {
        const F: &str = "Standardizer::fit";
        if x.nrows() == 0 {
            return Err(Error::invalid(F, "x", "has no rows, expected at least one"));
        }
        crate::convert::finite(F, "x", x.iter().copied())?;
        let mean = x.mean_axis(ndarray::Axis(0)).expect("x has rows");
        let std = x
            .std_axis(ndarray::Axis(0), 0.0)
            .mapv(|s| if s > 0.0 { s } else { 1.0 });
        Ok(Standardizer { mean, std })
    }

    /// `(x − mean) / std`, column by column.
    pub fn transform(&self, x: &Array2<f64>) -> Result<Array2<f64>> {
        if x.ncols() != self.mean.len() {
            return Err(Error::invalid(
                "Standardizer::transform",
                "x",
                format!(
                    "has {} columns, expected {} like the data it was fitted on",
                    x.ncols(),
                    self.mean.len()
                ),
            ));
        }
        Ok((x - &self.mean) / &self.std)
    }
}

/// Row indices of a train/test split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// Rows for training.
    pub train: Vec<usize>,
    /// Rows held out for testing.
    pub test: Vec<usize>,
}

/// Splits `n` rows into training and test rows: `test_fraction` of them (rounded) for
/// testing, shuffled with `seed`, so everyone with the same seed gets the same split. With
/// `stratify`, each class keeps its share in both parts.
///
/// ```
/// let split = dlintro::data::train_test_split(10, 0.2, 42, None)?;
/// assert_eq!((split.train.len(), split.test.len()), (8, 2));
/// # Ok::<(), dlintro::Error>(())
/// ```
pub fn train_test_split(
    n: usize,
    test_fraction: f64,
    seed: u64,
    stratify: Option<&[usize]>,
) -> Result<Split> {
    const F: &str = "data::train_test_split";
    if !(test_fraction > 0.0 && test_fraction < 1.0) {
        return Err(Error::invalid(
            F,
            "test_fraction",
            format!("is {test_fraction}, expected a number between 0 and 1 (e.g. 0.2)"),
        ));
    }
    if n < 2 {
        return Err(Error::invalid(
            F,
            "n",
            format!("is {n}, expected at least 2 rows"),
        ));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut split = Split {
        train: Vec::new(),
        test: Vec::new(),
    };
    let groups: Vec<Vec<usize>> = match stratify {
        None => vec![(0..n).collect()],
        Some(labels) => {
            if labels.len() != n {
                return Err(Error::invalid(
                    F,
                    "stratify",
                    format!("has {} labels, expected {n}, one per row", labels.len()),
                ));
            }
            let mut by_class: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
            for (row, &label) in labels.iter().enumerate() {
                by_class.entry(label).or_default().push(row);
            }
            by_class.into_values().collect()
        }
    };
    for mut rows in groups {
        rows.shuffle(&mut rng);
        let test = ((rows.len() as f64) * test_fraction).round() as usize;
        split.test.extend_from_slice(&rows[..test]);
        split.train.extend_from_slice(&rows[test..]);
    }
    split.train.shuffle(&mut rng);
    split.test.shuffle(&mut rng);
    Ok(split)
}

/// The rows `rows` of a `[n, columns]` array.
///
/// ```
/// let x = ndarray::arr2(&[[1.0], [2.0], [3.0]]);
/// assert_eq!(dlintro::data::take_rows(&x, &[2, 0])?, ndarray::arr2(&[[3.0], [1.0]]));
/// # Ok::<(), dlintro::Error>(())
/// ```
pub fn take_rows(x: &Array2<f64>, rows: &[usize]) -> Result<Array2<f64>> {
    if let Some((i, row)) = rows.iter().enumerate().find(|(_, &r)| r >= x.nrows()) {
        return Err(Error::invalid(
            "data::take_rows",
            "rows",
            format!(
                "has {row} at position {i}, expected row numbers below {}, the rows of x",
                x.nrows()
            ),
        ));
    }
    Ok(x.select(ndarray::Axis(0), rows))
}

/// The options of [`prepare()`]; `PrepareOptions::default()` is what the lesson does.
#[derive(Debug, Clone, PartialEq)]
pub struct PrepareOptions {
    /// The share of the rows held out for testing (scikit-learn's `test_size`): 0.2.
    pub test_fraction: f64,
    /// The shuffling seed (scikit-learn's `random_state`): 0. The same seed gives the same
    /// split.
    pub seed: u64,
    /// Whether each class keeps its share in both parts (a text label only): true.
    pub stratify: bool,
    /// Whether to standardise the features with a [`Standardizer`] fitted on the training
    /// rows: true. Set it to false to see what raw features do to training.
    pub standardize: bool,
}

impl Default for PrepareOptions {
    fn default() -> Self {
        PrepareOptions {
            test_fraction: 0.2,
            seed: 0,
            stratify: true,
            standardize: true,
        }
    }
}

/// Training and test data ready for a model, made by [`prepare()`].
#[derive(Debug)]
pub struct Prepared {
    /// The feature columns' names, in order.
    pub features: Vec<String>,
    /// Training features `[rows, features]`, float, on [`crate::device()`].
    pub x_train: Tensor,
    /// Training labels: class indices `[rows]` (Int64) for a text label, targets
    /// `[rows, 1]` (float) for a numeric one.
    pub y_train: Tensor,
    /// Test features `[rows, features]`.
    pub x_test: Tensor,
    /// Test labels, as `y_train`.
    pub y_test: Tensor,
    /// The class names in sorted order (index 0 first); empty for a numeric label.
    pub classes: Vec<String>,
    /// The training rows' class indices (empty for a numeric label), for the metrics.
    pub labels_train: Vec<usize>,
    /// The test rows' class indices (empty for a numeric label), for the metrics.
    pub labels_test: Vec<usize>,
    /// The standardisation fitted on the training rows, if asked for: apply it to new data.
    pub scaler: Option<Standardizer>,
    /// Which rows of the table went where.
    pub split: Split,
}

/// Feature columns and a label column of `table` as training and test tensors, in one call:
/// the split (seeded, stratified by the label's classes), the standardisation fitted on the
/// training rows, the class names and indices for a text label.
///
/// ```
/// use dlintro::data::{self, PrepareOptions};
/// let penguins = data::penguins()?.drop_missing();
/// let features = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"];
/// let data = data::prepare(&penguins, &features, "species", PrepareOptions::default())?;
/// assert_eq!(data.x_train.size(), [266, 4]);
/// assert_eq!(data.y_test.size(), [67]);
/// assert_eq!(data.classes, ["Adelie", "Chinstrap", "Gentoo"]);
/// # Ok::<(), dlintro::Error>(())
/// ```
pub fn prepare(
    table: &Table,
    features: &[&str],
    label: &str,
    options: PrepareOptions,
) -> Result<Prepared> {
    const F: &str = "data::prepare";
    if features.is_empty() {
        return Err(Error::invalid(
            F,
            "features",
            "is empty, expected at least one feature column",
        ));
    }
    if features.contains(&label) {
        return Err(Error::invalid(
            F,
            "label",
            format!("{label:?} is also a feature, expected a column that is not one"),
        ));
    }
    if table.len() < 2 {
        return Err(too_few_rows(F, table.len()));
    }
    let x = table.features_for(F, "features", features)?;
    let device = crate::device();
    let (classes, indices, targets) = match &table.column_for(F, "label", label)?.values {
        Values::Text(values) => {
            let names = complete(F, label, values)?;
            let classes = class_names(&names);
            let indices = class_indices(&names, &classes)?;
            (classes, indices, None)
        }
        Values::Number(values) => (Vec::new(), Vec::new(), Some(complete(F, label, values)?)),
    };
    let stratify = (options.stratify && !indices.is_empty()).then_some(indices.as_slice());
    let split = train_test_split(x.nrows(), options.test_fraction, options.seed, stratify)
        .map_err(|e| e.reported_by(F, |argument| argument))?;
    let (mut x_train, mut x_test) = (take_rows(&x, &split.train)?, take_rows(&x, &split.test)?);
    let scaler = if options.standardize {
        let scaler = Standardizer::fit(&x_train).map_err(|e| e.reported_by(F, |_| "table"))?;
        x_train = scaler.transform(&x_train)?;
        x_test = scaler.transform(&x_test)?;
        Some(scaler)
    } else {
        None
    };
    let pick = |rows: &[usize]| rows.iter().map(|&r| indices[r]).collect::<Vec<_>>();
    let (labels_train, labels_test) = if indices.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        (pick(&split.train), pick(&split.test))
    };
    let y = |rows: &[usize], labels: &[usize]| -> Result<Tensor> {
        match &targets {
            Some(values) => {
                let column = Array2::from_shape_fn((rows.len(), 1), |(r, _)| values[rows[r]]);
                to_f32_tensor(&column, device)
            }
            None => labels_to_i64_tensor(labels, device),
        }
    };
    Ok(Prepared {
        features: features.iter().map(|f| f.to_string()).collect(),
        x_train: to_f32_tensor(&x_train, device)?,
        y_train: y(&split.train, &labels_train)?,
        x_test: to_f32_tensor(&x_test, device)?,
        y_test: y(&split.test, &labels_test)?,
        classes,
        labels_train,
        labels_test,
        scaler,
        split,
    })
}

/// The values of column `name`, or `function`'s error naming the first row with none.
fn complete<T: Clone>(function: &'static str, name: &str, values: &[Option<T>]) -> Result<Vec<T>> {
    values
        .iter()
        .enumerate()
        .map(|(row, v)| v.clone().ok_or_else(|| missing(function, name, row)))
        .collect()
}

/// `function`'s error for a table of `rows` rows, too few to split.
pub(crate) fn too_few_rows(function: &'static str, rows: usize) -> Error {
    Error::invalid(
        function,
        "table",
        format!("has {rows} row(s), expected at least 2: some to train on and some to test on"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stratified_splits_are_reproducible_and_keep_the_shares() {
        let labels: Vec<usize> = (0..100).map(|i| usize::from(i >= 80)).collect();
        let a = train_test_split(100, 0.2, 7, Some(&labels)).unwrap();
        let b = train_test_split(100, 0.2, 7, Some(&labels)).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.test.len(), 20);
        assert_eq!(a.test.iter().filter(|&&r| labels[r] == 1).count(), 4);
        let mut all: Vec<usize> = a.train.iter().chain(&a.test).copied().collect();
        all.sort();
        assert_eq!(all, (0..100).collect::<Vec<_>>());
        assert_ne!(a, train_test_split(100, 0.2, 8, Some(&labels)).unwrap());
        let e = train_test_split(100, 1.0, 7, None).unwrap_err();
        assert!(e.to_string().contains("expected a number between 0 and 1"));
    }
    #[test]
    fn standardised_training_columns_have_mean_0_and_std_1() {
        let x = ndarray::arr2(&[[1.0, 10.0], [2.0, 20.0], [3.0, 60.0]]);
        let s = Standardizer::fit(&x).unwrap();
        let z = s.transform(&x).unwrap();
        for column in z.columns() {
            assert!(column.mean().unwrap().abs() < 1e-12);
            assert!((column.std(0.0) - 1.0).abs() < 1e-12);
        }
        assert!(s.transform(&ndarray::arr2(&[[1.0]])).is_err());
    }

    fn features() -> [&'static str; 4] {
        [
            "bill_length_mm",
            "bill_depth_mm",
            "flipper_length_mm",
            "body_mass_g",
        ]
    }

    #[test]
    fn prepare_splits_standardises_and_encodes_in_one_call() {
        let penguins = crate::data::penguins().unwrap().drop_missing();
        let data = prepare(&penguins, &features(), "species", PrepareOptions::default()).unwrap();
        assert_eq!(data.x_train.size(), [266, 4]);
        assert_eq!(data.x_test.size(), [67, 4]);
        assert_eq!(data.y_train.kind(), tch::Kind::Int64);
        assert_eq!(data.labels_test.len(), 67);
        // The same rows as the split by hand, standardised on the training rows only.
        let x = penguins.to_array(&features()).unwrap();
        let names = penguins.texts("species").unwrap();
        let y = class_indices(&names, &data.classes).unwrap();
        let split = train_test_split(x.nrows(), 0.2, 0, Some(&y)).unwrap();
        assert_eq!(split, data.split);
        let scaler = Standardizer::fit(&take_rows(&x, &split.train).unwrap()).unwrap();
        assert_eq!(data.scaler.as_ref(), Some(&scaler));
        let first = scaler
            .transform(&take_rows(&x, &split.test[..1]).unwrap())
            .unwrap();
        let ours = data.x_test.double_value(&[0, 2]);
        assert!(
            (ours - first[[0, 2]]).abs() < 1e-5,
            "{ours} vs {}",
            first[[0, 2]]
        );
        assert_eq!(data.labels_test[0], y[split.test[0]]);
        // Raw features: the same split, no scaler.
        let raw = PrepareOptions {
            standardize: false,
            ..Default::default()
        };
        let raw = prepare(&penguins, &features(), "species", raw).unwrap();
        assert_eq!(raw.split, data.split);
        assert!(raw.scaler.is_none());
        assert_eq!(raw.x_test.double_value(&[0, 3]), x[[split.test[0], 3]]);
    }

    #[test]
    fn a_numeric_label_gives_regression_targets() {
        let penguins = crate::data::penguins().unwrap().drop_missing();
        let options = PrepareOptions {
            test_fraction: 0.25,
            seed: 3,
            ..Default::default()
        };
        let data = prepare(&penguins, &features()[..3], "body_mass_g", options).unwrap();
        assert!(data.classes.is_empty());
        assert_eq!(data.y_train.size(), [250, 1]);
        assert_eq!(data.y_train.kind(), tch::Kind::Float);
        let mass = penguins.numbers("body_mass_g").unwrap();
        assert_eq!(data.y_test.double_value(&[0, 0]), mass[data.split.test[0]]);
    }

    #[test]
    fn prepare_names_what_is_wrong() {
        let penguins = crate::data::penguins().unwrap();
        let e = prepare(&penguins, &features(), "species", PrepareOptions::default()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "data::prepare: `table` has no value of \"bill_length_mm\" in row 3, expected \
             complete rows: call drop_missing() first"
        );
        let clean = penguins.drop_missing();
        let e = prepare(&clean, &[], "species", PrepareOptions::default()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "data::prepare: `features` is empty, expected at least one feature column"
        );
        let e = prepare(
            &clean,
            &features(),
            "body_mass_g",
            PrepareOptions::default(),
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "data::prepare: `label` \"body_mass_g\" is also a feature, expected a column that is not one"
        );
        let e = prepare(
            &clean,
            &features(),
            "species",
            PrepareOptions {
                test_fraction: 0.0,
                ..Default::default()
            },
        )
        .unwrap_err();
        // train_test_split's check, told as prepare's: the learner called prepare.
        assert_eq!(
            e.to_string(),
            "data::prepare: `test_fraction` is 0, expected a number between 0 and 1 (e.g. 0.2)"
        );
        let e = prepare(
            &clean.head(1),
            &features(),
            "species",
            PrepareOptions::default(),
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "data::prepare: `table` has 1 row(s), expected at least 2: some to train on and \
             some to test on"
        );
    }
}
