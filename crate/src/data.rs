//! Data for the workflow: the Palmer penguins (bundled, no network), a small table type for
//! the exploration step, preparation (one-hot encoding, standardisation, a reproducible
//! train/test split) and the TensorFlow Playground's two-feature data sets.

use std::collections::BTreeMap;
use std::fmt;

use ndarray::{Array1, Array2};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Deserialize;
use tch::Tensor;

use crate::error::{Error, Result};

/// The Palmer penguins CSV, bundled with the crate (CC0; see `crate/data/README.md`).
pub const PENGUINS_CSV: &str = include_str!("../data/penguins.csv");

/// The citation of the penguins data.
pub const PENGUINS_CITATION: &str = "Gorman KB, Williams TD, Fraser WR (2014). Ecological \
     sexual dimorphism and environmental variability within a community of Antarctic penguins \
     (genus Pygoscelis). PLoS ONE 9(3): e90081. Licence: CC0.";

/// One penguin; missing measurements are `None`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Penguin {
    /// Adelie, Chinstrap or Gentoo.
    pub species: String,
    /// Biscoe, Dream or Torgersen.
    pub island: String,
    /// Bill length in millimetres.
    pub bill_length_mm: Option<f64>,
    /// Bill depth in millimetres.
    pub bill_depth_mm: Option<f64>,
    /// Flipper length in millimetres.
    pub flipper_length_mm: Option<f64>,
    /// Body mass in grams.
    pub body_mass_g: Option<f64>,
    /// male or female.
    pub sex: Option<String>,
    /// The year of the observation.
    pub year: i32,
}

fn na_to_none(text: &str) -> String {
    // The CSV writes missing values as `NA`; serde reads an empty field as `None`.
    text.lines()
        .map(|line| {
            line.split(',')
                .map(|field| if field == "NA" { "" } else { field })
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Reads penguins from CSV text with the columns of `penguins.csv`.
pub fn read_penguins(csv_text: &str) -> Result<Vec<Penguin>> {
    const F: &str = "data::read_penguins";
    let cleaned = na_to_none(csv_text);
    let mut reader = csv::Reader::from_reader(cleaned.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| Error::invalid(F, "csv_text", format!("has no header line: {e}")))?
        .clone();
    for expected in [
        "species",
        "island",
        "bill_length_mm",
        "bill_depth_mm",
        "flipper_length_mm",
        "body_mass_g",
        "sex",
        "year",
    ] {
        if !headers.iter().any(|h| h == expected) {
            return Err(Error::invalid(
                F,
                "csv_text",
                format!(
                    "has no column {expected:?}; its columns are {:?}",
                    headers.iter().collect::<Vec<_>>()
                ),
            ));
        }
    }
    reader
        .deserialize()
        .enumerate()
        .map(|(i, row)| {
            row.map_err(|e| Error::invalid(F, "csv_text", format!("row {}: {e}", i + 1)))
        })
        .collect()
}

/// The 344 Palmer penguins as a [`Table`].
///
/// ```
/// let penguins = dlintro::data::penguins()?;
/// assert_eq!(penguins.len(), 344);
/// assert_eq!(penguins.drop_missing().len(), 333);
/// # Ok::<(), dlintro::Error>(())
/// ```
pub fn penguins() -> Result<Table> {
    let records = read_penguins(PENGUINS_CSV)?;
    let text = |f: fn(&Penguin) -> Option<String>| records.iter().map(f).collect();
    let number = |f: fn(&Penguin) -> Option<f64>| records.iter().map(f).collect();
    Ok(Table {
        index: None,
        columns: vec![
            Column::new("species", Values::Text(text(|p| Some(p.species.clone())))),
            Column::new("island", Values::Text(text(|p| Some(p.island.clone())))),
            Column::new(
                "bill_length_mm",
                Values::Number(number(|p| p.bill_length_mm)),
            ),
            Column::new("bill_depth_mm", Values::Number(number(|p| p.bill_depth_mm))),
            Column::new(
                "flipper_length_mm",
                Values::Number(number(|p| p.flipper_length_mm)),
            ),
            Column::new("body_mass_g", Values::Number(number(|p| p.body_mass_g))),
            Column::new("sex", Values::Text(text(|p| p.sex.clone()))),
            Column::new("year", Values::Number(number(|p| Some(f64::from(p.year))))),
        ],
    })
}

/// The values of one column.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    /// Numbers; `None` where missing.
    Number(Vec<Option<f64>>),
    /// Text; `None` where missing.
    Text(Vec<Option<String>>),
}

impl Values {
    fn len(&self) -> usize {
        match self {
            Values::Number(v) => v.len(),
            Values::Text(v) => v.len(),
        }
    }

    fn is_missing(&self, row: usize) -> bool {
        match self {
            Values::Number(v) => v[row].is_none(),
            Values::Text(v) => v[row].is_none(),
        }
    }

    fn pick(&self, rows: &[usize]) -> Values {
        match self {
            Values::Number(v) => Values::Number(rows.iter().map(|&r| v[r]).collect()),
            Values::Text(v) => Values::Text(rows.iter().map(|&r| v[r].clone()).collect()),
        }
    }

    fn show(&self, row: usize) -> String {
        match self {
            Values::Number(v) => v[row].map_or("NaN".into(), |x| format!("{x}")),
            Values::Text(v) => v[row].clone().unwrap_or_else(|| "NaN".into()),
        }
    }
}

/// A named column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The column's name.
    pub name: String,
    /// Its values.
    pub values: Values,
}

impl Column {
    fn new(name: &str, values: Values) -> Column {
        Column {
            name: name.to_string(),
            values,
        }
    }
}

/// A small table for the exploration step: named columns of numbers or text, shown as an
/// HTML table in the kernel (as pandas shows a DataFrame) and as text elsewhere.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    columns: Vec<Column>,
    /// Row labels; row numbers when `None`.
    index: Option<Vec<String>>,
}

impl Table {
    /// A table from columns of equal length.
    pub fn new(columns: Vec<Column>) -> Result<Table> {
        if let Some(first) = columns.first() {
            let n = first.values.len();
            if let Some(c) = columns.iter().find(|c| c.values.len() != n) {
                return Err(Error::invalid(
                    "Table::new",
                    "columns",
                    format!(
                        "column {:?} has {} rows, expected {n} like {:?}",
                        c.name,
                        c.values.len(),
                        first.name
                    ),
                ));
            }
        }
        Ok(Table {
            columns,
            index: None,
        })
    }

    /// The label of a row: its index label, or its number.
    fn label(&self, row: usize) -> String {
        match &self.index {
            Some(labels) => labels[row].clone(),
            None => row.to_string(),
        }
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.columns.first().map_or(0, |c| c.values.len())
    }

    /// Whether the table has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The column names, in order.
    pub fn column_names(&self) -> Vec<&str> {
        self.columns.iter().map(|c| c.name.as_str()).collect()
    }

    /// The column called `name`.
    pub fn column(&self, name: &str) -> Result<&Column> {
        self.columns.iter().find(|c| c.name == name).ok_or_else(|| {
            Error::invalid(
                "Table::column",
                "name",
                format!(
                    "is {name:?}, expected one of the columns {:?}",
                    self.column_names()
                ),
            )
        })
    }

    fn rows(&self, rows: &[usize]) -> Table {
        Table {
            index: self
                .index
                .as_ref()
                .map(|labels| rows.iter().map(|&r| labels[r].clone()).collect()),
            columns: self
                .columns
                .iter()
                .map(|c| Column::new(&c.name, c.values.pick(rows)))
                .collect(),
        }
    }

    /// The first `n` rows.
    pub fn head(&self, n: usize) -> Table {
        let rows: Vec<usize> = (0..n.min(self.len())).collect();
        self.rows(&rows)
    }

    /// Only the named columns, in the order given.
    pub fn select(&self, names: &[&str]) -> Result<Table> {
        let columns = names
            .iter()
            .map(|n| self.column(n).cloned())
            .collect::<Result<Vec<_>>>()?;
        Ok(Table {
            columns,
            index: self.index.clone(),
        })
    }

    /// The rows without any missing value.
    pub fn drop_missing(&self) -> Table {
        let rows: Vec<usize> = (0..self.len())
            .filter(|&r| !self.columns.iter().any(|c| c.values.is_missing(r)))
            .collect();
        self.rows(&rows)
    }

    /// How often each value of a text column occurs, most frequent first.
    pub fn value_counts(&self, name: &str) -> Result<Vec<(String, usize)>> {
        let Values::Text(values) = &self.column(name)?.values else {
            return Err(Error::invalid(
                "Table::value_counts",
                "name",
                format!("is {name:?}, a numeric column; expected a text column"),
            ));
        };
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for v in values.iter().flatten() {
            *counts.entry(v.clone()).or_default() += 1;
        }
        let mut counts: Vec<(String, usize)> = counts.into_iter().collect();
        counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        Ok(counts)
    }

    /// The numbers of a column, failing if one is missing or the column is text.
    pub fn numbers(&self, name: &str) -> Result<Vec<f64>> {
        const F: &str = "Table::numbers";
        let Values::Number(values) = &self.column(name)?.values else {
            return Err(Error::invalid(
                F,
                "name",
                format!("is {name:?}, a text column; expected a numeric column"),
            ));
        };
        complete(F, name, values)
    }

    /// The texts of a column, failing if one is missing or the column is numeric.
    pub fn texts(&self, name: &str) -> Result<Vec<String>> {
        const F: &str = "Table::texts";
        let Values::Text(values) = &self.column(name)?.values else {
            return Err(Error::invalid(
                F,
                "name",
                format!("is {name:?}, a numeric column; expected a text column"),
            ));
        };
        complete(F, name, values)
    }

    /// Numeric columns as a `[rows, columns]` array.
    pub fn to_array(&self, names: &[&str]) -> Result<Array2<f64>> {
        let columns = names
            .iter()
            .map(|n| self.numbers(n))
            .collect::<Result<Vec<_>>>()?;
        let rows = self.len();
        Ok(Array2::from_shape_fn((rows, names.len()), |(r, c)| {
            columns[c][r]
        }))
    }

    /// Summary statistics of the numeric columns, as pandas' `describe()`: count, mean,
    /// standard deviation (n − 1), min, quartiles (linear interpolation) and max.
    pub fn describe(&self) -> Table {
        let stats = ["count", "mean", "std", "min", "25%", "50%", "75%", "max"];
        let mut columns = Vec::new();
        for column in &self.columns {
            let Values::Number(values) = &column.values else {
                continue;
            };
            let mut v: Vec<f64> = values.iter().flatten().copied().collect();
            v.sort_by(f64::total_cmp);
            let n = v.len() as f64;
            let mean = v.iter().sum::<f64>() / n;
            let std = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
            let quantile = |q: f64| {
                let position = q * (n - 1.0);
                let (lo, hi) = (position.floor() as usize, position.ceil() as usize);
                v[lo] + (v[hi] - v[lo]) * (position - lo as f64)
            };
            let numbers = if v.is_empty() {
                vec![Some(0.0), None, None, None, None, None, None, None]
            } else {
                [
                    n,
                    mean,
                    std,
                    v[0],
                    quantile(0.25),
                    quantile(0.5),
                    quantile(0.75),
                    v[v.len() - 1],
                ]
                .into_iter()
                .map(|x| Some((x * 1e4).round() / 1e4))
                .collect()
            };
            columns.push(Column::new(&column.name, Values::Number(numbers)));
        }
        Table {
            columns,
            index: Some(stats.iter().map(|s| s.to_string()).collect()),
        }
    }

    /// The table as an HTML table.
    pub fn to_html(&self) -> String {
        let mut html = String::from("<table><thead><tr><th></th>");
        for c in &self.columns {
            html.push_str(&format!("<th>{}</th>", escape(&c.name)));
        }
        html.push_str("</tr></thead><tbody>");
        for row in 0..self.len() {
            html.push_str(&format!("<tr><th>{}</th>", escape(&self.label(row))));
            for c in &self.columns {
                html.push_str(&format!("<td>{}</td>", escape(&c.values.show(row))));
            }
            html.push_str("</tr>");
        }
        html.push_str(&format!(
            "</tbody></table><p>{} rows × {} columns</p>",
            self.len(),
            self.columns.len()
        ));
        html
    }

    /// Shows the table inline; evcxr calls this when a cell ends with a `Table`.
    pub fn evcxr_display(&self) {
        evcxr_runtime::mime_type("text/html").text(self.to_html());
        evcxr_runtime::mime_type("text/plain").text(self.to_string());
    }
}

/// The values of column `name`, or an error naming the first row where one is missing.
fn complete<T: Clone>(function: &'static str, name: &str, values: &[Option<T>]) -> Result<Vec<T>> {
    values
        .iter()
        .enumerate()
        .map(|(row, v)| {
            v.clone().ok_or_else(|| {
                Error::invalid(
                    function,
                    "name",
                    format!("{name:?} is missing in row {row}; call drop_missing() first"),
                )
            })
        })
        .collect()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cells: Vec<Vec<String>> = self
            .columns
            .iter()
            .map(|c| {
                std::iter::once(c.name.clone())
                    .chain((0..self.len()).map(|r| c.values.show(r)))
                    .collect()
            })
            .collect();
        let widths: Vec<usize> = cells
            .iter()
            .map(|c| c.iter().map(|s| s.chars().count()).max().unwrap_or(0))
            .collect();
        let index_width = (0..self.len())
            .map(|r| self.label(r).chars().count())
            .max()
            .unwrap_or(0);
        for line in 0..=self.len() {
            let index = if line == 0 {
                String::new()
            } else {
                self.label(line - 1)
            };
            write!(f, "{index:>index_width$}")?;
            for (column, width) in cells.iter().zip(&widths) {
                write!(f, "  {:>width$}", column[line])?;
            }
            writeln!(f)?;
        }
        write!(f, "[{} rows × {} columns]", self.len(), self.columns.len())
    }
}

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
pub fn take_rows(x: &Array2<f64>, rows: &[usize]) -> Array2<f64> {
    x.select(ndarray::Axis(0), rows)
}

/// A `[rows, columns]` array as a float tensor on `device`.
pub fn to_tensor(x: &Array2<f64>, device: tch::Device) -> Result<Tensor> {
    let values: Vec<f32> = x.iter().map(|&v| v as f32).collect();
    Tensor::f_from_slice(&values)
        .and_then(|t| t.f_view([x.nrows() as i64, x.ncols() as i64]))
        .and_then(|t| t.f_to_device(device))
        .map_err(|e| Error::torch("data::to_tensor", e))
}

/// Class indices as an Int64 tensor on `device`.
pub fn labels_to_tensor(labels: &[usize], device: tch::Device) -> Result<Tensor> {
    let values: Vec<i64> = labels.iter().map(|&l| l as i64).collect();
    Tensor::f_from_slice(&values)
        .and_then(|t| t.f_to_device(device))
        .map_err(|e| Error::torch("data::labels_to_tensor", e))
}

/// A data set of the TensorFlow Playground: two features per point and a class, 0 or 1.
#[derive(Debug, Clone, PartialEq)]
pub struct Points {
    /// `[n, 2]` coordinates.
    pub x: Array2<f64>,
    /// The class of each point, 0 or 1.
    pub y: Vec<usize>,
}

impl Points {
    /// The features as a `[n, 2]` float tensor and the classes as Int64, on `device`.
    pub fn tensors(&self, device: tch::Device) -> Result<(Tensor, Tensor)> {
        Ok((
            to_tensor(&self.x, device)?,
            labels_to_tensor(&self.y, device)?,
        ))
    }
}

/// The Playground's data sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Playground {
    /// A disc of one class inside a ring of the other.
    Circle,
    /// The four quadrants, alternating classes.
    Xor,
    /// Two Gaussian blobs.
    Gaussian,
    /// Two interleaved spirals.
    Spiral,
}

fn normal(rng: &mut ChaCha8Rng) -> f64 {
    // Box–Muller.
    let u: f64 = rng.gen_range(f64::EPSILON..1.0);
    let v: f64 = rng.gen();
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

impl Playground {
    /// `n` points (half of each class) with `noise` (0 for none, 0.5 for a lot), the same
    /// points for the same `seed`. Coordinates lie roughly in −6..6, as in the Playground.
    ///
    /// ```
    /// use dlintro::data::Playground;
    /// let spiral = Playground::Spiral.generate(200, 0.0, 1)?;
    /// assert_eq!(spiral.x.nrows(), 200);
    /// assert_eq!(spiral.y.iter().filter(|&&c| c == 1).count(), 100);
    /// # Ok::<(), dlintro::Error>(())
    /// ```
    pub fn generate(&self, n: usize, noise: f64, seed: u64) -> Result<Points> {
        const F: &str = "Playground::generate";
        if n < 2 {
            return Err(Error::invalid(
                F,
                "n",
                format!("is {n}, expected at least 2 points"),
            ));
        }
        if !(0.0..=1.0).contains(&noise) {
            return Err(Error::invalid(
                F,
                "noise",
                format!("is {noise}, expected a number from 0 to 1"),
            ));
        }
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut x = Array2::zeros((n, 2));
        let mut y = vec![0; n];
        for i in 0..n {
            let class = usize::from(i >= n / 2);
            let (a, b) = match self {
                Playground::Circle => {
                    let radius = 5.0;
                    let r = if class == 0 {
                        rng.gen_range(0.0..0.5 * radius)
                    } else {
                        rng.gen_range(0.7 * radius..radius)
                    };
                    let angle = rng.gen_range(0.0..std::f64::consts::TAU);
                    let jitter = noise * radius;
                    (
                        r * angle.cos() + rng.gen_range(-1.0..=1.0) * jitter,
                        r * angle.sin() + rng.gen_range(-1.0..=1.0) * jitter,
                    )
                }
                Playground::Xor => {
                    let pad = 0.3;
                    let mut a: f64 = rng.gen_range(-5.0..5.0);
                    let mut b: f64 = rng.gen_range(-5.0..5.0);
                    a += if a > 0.0 { pad } else { -pad };
                    b += if b > 0.0 { pad } else { -pad };
                    let same_sign = usize::from(a * b < 0.0);
                    y[i] = same_sign;
                    x[[i, 0]] = a + rng.gen_range(-1.0..=1.0) * noise * 5.0;
                    x[[i, 1]] = b + rng.gen_range(-1.0..=1.0) * noise * 5.0;
                    continue;
                }
                Playground::Gaussian => {
                    let centre = if class == 0 { 2.0 } else { -2.0 };
                    let spread = 0.5 + 3.5 * noise;
                    (
                        centre + normal(&mut rng) * spread,
                        centre + normal(&mut rng) * spread,
                    )
                }
                Playground::Spiral => {
                    let per_class = n / 2;
                    let k = if class == 0 { i } else { i - per_class };
                    let r = k as f64 / per_class.max(1) as f64 * 5.0;
                    let t = 1.75 * k as f64 / per_class.max(1) as f64 * std::f64::consts::TAU
                        + if class == 0 {
                            0.0
                        } else {
                            std::f64::consts::PI
                        };
                    (
                        r * t.sin() + rng.gen_range(-1.0..=1.0) * noise,
                        r * t.cos() + rng.gen_range(-1.0..=1.0) * noise,
                    )
                }
            };
            x[[i, 0]] = a;
            x[[i, 1]] = b;
            y[i] = class;
        }
        Ok(Points { x, y })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_penguins_are_all_there() {
        let table = penguins().unwrap();
        assert_eq!(table.len(), 344);
        assert_eq!(
            table.value_counts("species").unwrap(),
            [
                ("Adelie".into(), 152),
                ("Gentoo".into(), 124),
                ("Chinstrap".into(), 68)
            ]
        );
        assert_eq!(table.drop_missing().len(), 333);
        let first = table.head(1);
        assert_eq!(first.numbers("bill_length_mm").unwrap(), [39.1]);
    }

    #[test]
    fn describe_matches_pandas() {
        // pandas: penguins["bill_length_mm"].describe()
        // count 342, mean 43.921930, std 5.459584, min 32.1, 25% 39.225, 50% 44.45,
        // 75% 48.5, max 59.6
        let d = penguins().unwrap().describe();
        assert_eq!(
            d.numbers("bill_length_mm").unwrap(),
            [342.0, 43.9219, 5.4596, 32.1, 39.225, 44.45, 48.5, 59.6]
        );
        assert_eq!(
            d.column_names(),
            [
                "bill_length_mm",
                "bill_depth_mm",
                "flipper_length_mm",
                "body_mass_g",
                "year"
            ]
        );
        let text = d.to_string();
        assert!(
            text.lines()
                .nth(2)
                .unwrap()
                .trim_start()
                .starts_with("mean"),
            "{text}"
        );
        assert!(d.to_html().contains("<th>25%</th>"));
    }

    #[test]
    fn a_csv_without_a_column_is_an_error_that_names_it() {
        let e = read_penguins("species,island\nAdelie,Dream\n").unwrap_err();
        assert!(
            e.to_string().contains("has no column \"bill_length_mm\""),
            "{e}"
        );
        let e = penguins().unwrap().column("beak").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("Table::column: `name` is \"beak\""),
            "{e}"
        );
        let e = penguins().unwrap().numbers("sex").unwrap_err();
        assert!(e.to_string().contains("a text column"), "{e}");
        let e = penguins().unwrap().numbers("body_mass_g").unwrap_err();
        assert!(
            e.to_string()
                .contains("missing in row 3; call drop_missing() first"),
            "{e}"
        );
    }

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

    #[test]
    fn playground_sets_are_balanced_and_seeded() {
        for set in [
            Playground::Circle,
            Playground::Xor,
            Playground::Gaussian,
            Playground::Spiral,
        ] {
            let a = set.generate(100, 0.1, 3).unwrap();
            assert_eq!(a, set.generate(100, 0.1, 3).unwrap(), "{set:?}");
            assert_eq!(a.x.dim(), (100, 2));
            let ones = a.y.iter().filter(|&&c| c == 1).count();
            assert!((30..=70).contains(&ones), "{set:?}: {ones}");
        }
        assert!(Playground::Spiral.generate(100, 2.0, 1).is_err());
    }
}
