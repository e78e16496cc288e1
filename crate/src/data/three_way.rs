//! Training, validation and test sets: a seeded three-way split, and [`prepare_three_way`],
//! which turns feature columns and a numeric label into the six tensors a regression needs.
//! The lesson does this with scikit-learn's `train_test_split` called twice.

use ndarray::Array2;
use tch::Tensor;

use crate::convert::to_f32_tensor;
use crate::data::prepare::{take_rows, train_test_split, Standardizer};
use crate::data::table::{missing, Table, Values};
use crate::error::{Error, Result};

/// Row indices of a three-way split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreeWaySplit {
    /// Rows the model learns from.
    pub train: Vec<usize>,
    /// Rows measured after every epoch, to watch training and tune it.
    pub validation: Vec<usize>,
    /// Rows kept apart until the end, for the final measurement.
    pub test: Vec<usize>,
}

/// Splits `n` rows into training, validation and test rows, shuffled with `seed`, as the
/// lesson does with scikit-learn's `train_test_split` twice: first
/// `validation_fraction + test_fraction` of the rows are held out (rounded), then the held-out
/// rows are split between test and validation in proportion. The same seed gives the same
/// split.
///
/// ```
/// let split = dlintro::data::train_validation_test_split(100, 0.15, 0.15, 0)?;
/// assert_eq!((split.train.len(), split.validation.len(), split.test.len()), (70, 15, 15));
/// # Ok::<(), dlintro::Error>(())
/// ```
pub fn train_validation_test_split(
    n: usize,
    validation_fraction: f64,
    test_fraction: f64,
    seed: u64,
) -> Result<ThreeWaySplit> {
    const F: &str = "data::train_validation_test_split";
    for (argument, fraction) in [
        ("validation_fraction", validation_fraction),
        ("test_fraction", test_fraction),
    ] {
        if !(fraction > 0.0 && fraction < 1.0) {
            return Err(Error::invalid(
                F,
                argument,
                format!("is {fraction}, expected a number between 0 and 1 (e.g. 0.15)"),
            ));
        }
    }
    let held = validation_fraction + test_fraction;
    if held >= 1.0 {
        return Err(Error::invalid(
            F,
            "test_fraction",
            format!(
                "is {test_fraction}, which with validation_fraction {validation_fraction} leaves \
                 no rows for training: expected the two to add up to less than 1"
            ),
        ));
    }
    let first = train_test_split(n, held, seed, None).map_err(|e| e.reported_by(F, |a| a))?;
    if first.test.len() < 2 {
        return Err(Error::invalid(
            F,
            "n",
            format!("is {n}, too few rows to hold out both validation and test rows"),
        ));
    }
    let second = train_test_split(first.test.len(), test_fraction / held, seed, None)
        .map_err(|e| e.reported_by(F, |a| a))?;
    let rows = |picks: &[usize]| picks.iter().map(|&i| first.test[i]).collect();
    Ok(ThreeWaySplit {
        train: first.train,
        validation: rows(&second.train),
        test: rows(&second.test),
    })
}

/// The options of [`prepare_three_way`]; the default is what the lesson does.
#[derive(Debug, Clone, PartialEq)]
pub struct ThreeWayOptions {
    /// The share of the rows for validation: 0.15.
    pub validation_fraction: f64,
    /// The share of the rows for testing: 0.15. The rest (70 %) is for training.
    pub test_fraction: f64,
    /// The shuffling seed (scikit-learn's `random_state`): 0.
    pub seed: u64,
    /// Whether to standardise the features with a [`Standardizer`] fitted on the training
    /// rows: false, as in the lesson, whose weather data come in similar ranges and whose
    /// batch-normalisation layer does the scaling inside the model.
    pub standardize: bool,
}

impl Default for ThreeWayOptions {
    fn default() -> Self {
        ThreeWayOptions {
            validation_fraction: 0.15,
            test_fraction: 0.15,
            seed: 0,
            standardize: false,
        }
    }
}

/// Training, validation and test data for a regression, made by [`prepare_three_way`]. Every
/// tensor is float on [`crate::device()`]; features are `[rows, features]`, targets
/// `[rows, 1]`.
#[derive(Debug)]
pub struct ThreeWay {
    /// The feature columns' names, in order.
    pub features: Vec<String>,
    /// The label column's name.
    pub label: String,
    /// Training features.
    pub x_train: Tensor,
    /// Training targets.
    pub y_train: Tensor,
    /// Validation features.
    pub x_val: Tensor,
    /// Validation targets.
    pub y_val: Tensor,
    /// Test features.
    pub x_test: Tensor,
    /// Test targets.
    pub y_test: Tensor,
    /// The standardisation fitted on the training rows, if asked for.
    pub scaler: Option<Standardizer>,
    /// Which rows of the table went where.
    pub split: ThreeWaySplit,
}

impl ThreeWay {
    /// How many rows in all.
    pub fn len(&self) -> usize {
        self.split.train.len() + self.split.validation.len() + self.split.test.len()
    }

    /// Whether there are no rows (never, for a `ThreeWay` that [`prepare_three_way`] made).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The feature column `name` of `x` (one of this data's feature tensors) as `[rows, 1]`,
    /// shaped like the targets: today's sunshine for a baseline that says tomorrow will be
    /// like today. Standardised if the features are.
    ///
    /// ```
    /// use dlintro::data::{self, ThreeWayOptions};
    /// let pairs = data::next_day(&data::weather()?.head(100), "BASEL_sunshine")?;
    /// let data = data::prepare_three_way(&pairs, &["BASEL_sunshine", "BASEL_temp_max"],
    ///     "BASEL_sunshine_tomorrow", ThreeWayOptions::default())?;
    /// let today = data.feature(&data.x_test, "BASEL_sunshine")?;
    /// assert_eq!(today.size(), data.y_test.size());
    /// # Ok::<(), dlintro::Error>(())
    /// ```
    pub fn feature(&self, x: &Tensor, name: &str) -> Result<Tensor> {
        const F: &str = "ThreeWay::feature";
        let index = self
            .features
            .iter()
            .position(|f| f == name)
            .ok_or_else(|| {
                Error::invalid(
                    F,
                    "name",
                    format!(
                        "is {name:?}, expected one of the features {:?}",
                        self.features
                    ),
                )
            })?;
        let size = x.size();
        if size.len() != 2 || size[1] as usize != self.features.len() {
            return Err(Error::invalid(
                F,
                "x",
                format!(
                    "has shape {size:?}, expected [rows, {}] like x_train",
                    self.features.len()
                ),
            ));
        }
        Ok(x.narrow(1, index as i64, 1))
    }
}

/// Feature columns and a numeric label column of `table` as training, validation and test
/// tensors, in one call: the seeded three-way split of
/// [`train_validation_test_split`], and (if asked for) standardisation fitted on the
/// training rows. The feature names may be `&str`s or `String`s (a notebook keeps
/// `String`s: evcxr cannot keep names borrowed from a table from one cell to the next).
///
/// ```
/// use dlintro::data::{self, ThreeWayOptions};
/// let pairs = data::next_day(&data::weather()?, "BASEL_sunshine")?;
/// let data = data::prepare_three_way(&pairs, &["BASEL_sunshine", "BASEL_cloud_cover"],
///     "BASEL_sunshine_tomorrow", ThreeWayOptions::default())?;
/// assert_eq!(data.x_train.size(), [2557, 2]);
/// assert_eq!(data.y_val.size(), [548, 1]);
/// # Ok::<(), dlintro::Error>(())
/// ```
pub fn prepare_three_way<S: AsRef<str>>(
    table: &Table,
    features: &[S],
    label: &str,
    options: ThreeWayOptions,
) -> Result<ThreeWay> {
    const F: &str = "data::prepare_three_way";
    let features: Vec<&str> = features.iter().map(AsRef::as_ref).collect();
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
    if let Values::Text(_) = table.column_for(F, "label", label)?.values {
        return Err(Error::invalid(
            F,
            "label",
            format!(
                "{label:?} is a text column, expected a numeric one: for classes use \
                 data::prepare"
            ),
        ));
    }
    let x = table.features_for(F, "features", &features)?;
    let y = match table.complete_numbers(F, "label", label, "")? {
        Ok(y) => y,
        Err(row) => return Err(missing(F, label, row)),
    };
    let split = train_validation_test_split(
        x.nrows(),
        options.validation_fraction,
        options.test_fraction,
        options.seed,
    )
    .map_err(|e| match e {
        Error::InvalidArgument { argument: "n", .. } => Error::invalid(
            F,
            "table",
            format!(
                "has {} row(s), too few to hold out both validation and test rows",
                x.nrows()
            ),
        ),
        e => e.reported_by(F, |a| a),
    })?;
    let mut parts = [
        take_rows(&x, &split.train)?,
        take_rows(&x, &split.validation)?,
        take_rows(&x, &split.test)?,
    ];
    let scaler = if options.standardize {
        let scaler = Standardizer::fit(&parts[0]).map_err(|e| e.reported_by(F, |_| "table"))?;
        for part in parts.iter_mut() {
            *part = scaler.transform(part)?;
        }
        Some(scaler)
    } else {
        None
    };
    let device = crate::device();
    let targets = |rows: &[usize]| {
        to_f32_tensor(
            &Array2::from_shape_fn((rows.len(), 1), |(r, _)| y[rows[r]]),
            device,
        )
    };
    let [x_train, x_val, x_test] = parts;
    Ok(ThreeWay {
        features: features.iter().map(|f| f.to_string()).collect(),
        label: label.to_string(),
        x_train: to_f32_tensor(&x_train, device)?,
        y_train: targets(&split.train)?,
        x_val: to_f32_tensor(&x_val, device)?,
        y_val: targets(&split.validation)?,
        x_test: to_f32_tensor(&x_test, device)?,
        y_test: targets(&split.test)?,
        scaler,
        split,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_split_is_70_15_15_seeded_and_covers_every_row_once() {
        let a = train_validation_test_split(1094, 0.15, 0.15, 0).unwrap();
        // 30 % of 1094 held out, rounded: 328; half of them for testing: 164.
        assert_eq!(
            (a.train.len(), a.validation.len(), a.test.len()),
            (766, 164, 164)
        );
        assert_eq!(a, train_validation_test_split(1094, 0.15, 0.15, 0).unwrap());
        assert_ne!(a, train_validation_test_split(1094, 0.15, 0.15, 1).unwrap());
        let mut all: Vec<usize> = a
            .train
            .iter()
            .chain(&a.validation)
            .chain(&a.test)
            .copied()
            .collect();
        all.sort();
        assert_eq!(all, (0..1094).collect::<Vec<_>>());
        // The training rows are those of a two-way split with the held-out share.
        let two = train_test_split(1094, 0.3, 0, None).unwrap();
        assert_eq!(a.train, two.train);
        let other = train_validation_test_split(1000, 0.1, 0.2, 5).unwrap();
        assert_eq!(
            (other.train.len(), other.validation.len(), other.test.len()),
            (700, 100, 200)
        );
    }

    #[test]
    fn impossible_fractions_are_errors_that_say_why() {
        let e = train_validation_test_split(100, 0.5, 0.5, 0).unwrap_err();
        assert!(e.to_string().contains("leaves no rows for training"), "{e}");
        let e = train_validation_test_split(100, 0.0, 0.15, 0).unwrap_err();
        assert_eq!(
            e.to_string(),
            "data::train_validation_test_split: `validation_fraction` is 0, expected a number \
             between 0 and 1 (e.g. 0.15)"
        );
        let e = train_validation_test_split(3, 0.15, 0.15, 0).unwrap_err();
        assert!(e.to_string().contains("too few rows"), "{e}");
    }

    #[test]
    fn prepare_three_way_puts_each_row_in_its_part() {
        let pairs = crate::data::next_day(&crate::data::weather().unwrap(), "BASEL_sunshine")
            .unwrap()
            .head(1094);
        let features = ["BASEL_sunshine", "BASEL_temp_mean"];
        let label = "BASEL_sunshine_tomorrow";
        let data = prepare_three_way(&pairs, &features, label, ThreeWayOptions::default()).unwrap();
        assert_eq!(data.len(), 1094);
        assert_eq!(data.x_train.size(), [766, 2]);
        assert_eq!(data.x_val.size(), [164, 2]);
        assert_eq!(data.y_test.size(), [164, 1]);
        assert!(data.scaler.is_none());
        let today = pairs.numbers("BASEL_sunshine").unwrap();
        let tomorrow = pairs.numbers(label).unwrap();
        let row = data.split.validation[3];
        assert_eq!(data.x_val.double_value(&[3, 0]), today[row] as f32 as f64);
        assert_eq!(
            data.y_val.double_value(&[3, 0]),
            tomorrow[row] as f32 as f64
        );
        let test_today = data.feature(&data.x_test, "BASEL_sunshine").unwrap();
        assert!(test_today.equal(&data.x_test.narrow(1, 0, 1)));
        let e = data.feature(&data.x_test, "BASEL_rain").unwrap_err();
        assert!(
            e.to_string().contains("expected one of the features"),
            "{e}"
        );
        // Standardised on the training rows only.
        let options = ThreeWayOptions {
            standardize: true,
            ..Default::default()
        };
        let scaled = prepare_three_way(&pairs, &features, label, options).unwrap();
        let mean = scaled.x_train.mean_dim(0, false, tch::Kind::Double);
        assert!(mean.abs().max().double_value(&[]) < 1e-5);
        assert_eq!(scaled.split, data.split);
        let e =
            prepare_three_way(&pairs, &features, "BASEL_sunshine", Default::default()).unwrap_err();
        assert!(e.to_string().contains("is also a feature"), "{e}");
    }
}
