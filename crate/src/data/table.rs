//! A small table for the exploration step: named columns of numbers or text, shown as an
//! HTML table in the kernel (as pandas shows a DataFrame) and as text elsewhere.

use std::collections::BTreeMap;
use std::fmt;

use ndarray::Array2;

use crate::data::column_names::not_a_column;
use crate::display::{self, breakable, escape};
use crate::error::{Error, Result};

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
    /// A column called `name` holding `values`.
    pub fn new(name: &str, values: Values) -> Column {
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

    /// A table of numbers from a `[rows, columns]` array, one column per name: a one-hot
    /// encoding or a model's probabilities, shown as pandas shows a DataFrame.
    ///
    /// ```
    /// use dlintro::data::{self, Table};
    /// let (classes, y) = data::one_hot(&["Gentoo", "Adelie"]);
    /// let table = Table::from_array(&y, &classes)?;
    /// assert_eq!(table.column_names(), ["Adelie", "Gentoo"]);
    /// assert_eq!(table.numbers("Gentoo")?, [1.0, 0.0]);
    /// # Ok::<(), dlintro::Error>(())
    /// ```
    pub fn from_array<S: AsRef<str>>(array: &Array2<f64>, names: &[S]) -> Result<Table> {
        if array.ncols() != names.len() {
            return Err(Error::invalid(
                "Table::from_array",
                "names",
                format!(
                    "has {} names, expected {}, one per column of the array",
                    names.len(),
                    array.ncols()
                ),
            ));
        }
        Table::new(
            names
                .iter()
                .zip(array.columns())
                .map(|(name, column)| {
                    let values = column.iter().map(|&v| Some(v)).collect();
                    Column::new(name.as_ref(), Values::Number(values))
                })
                .collect(),
        )
    }

    /// The table with one more column at the right end, of as many rows.
    ///
    /// ```
    /// use dlintro::data::{Table, Values};
    /// let table = Table::from_array(&ndarray::arr2(&[[0.2], [0.9]]), &["p"])?;
    /// let labelled = table.with_column("label", Values::Text(vec![Some("no".into()), Some("yes".into())]))?;
    /// assert_eq!(labelled.texts("label")?, ["no", "yes"]);
    /// # Ok::<(), dlintro::Error>(())
    /// ```
    pub fn with_column(&self, name: &str, values: Values) -> Result<Table> {
        if !self.columns.is_empty() && values.len() != self.len() {
            return Err(Error::invalid(
                "Table::with_column",
                "values",
                format!(
                    "has {} rows, expected {} like the table",
                    values.len(),
                    self.len()
                ),
            ));
        }
        let mut table = self.clone();
        table.columns.push(Column::new(name, values));
        Ok(table)
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

    /// The column names as strings of their own, to keep in a variable: pandas'
    /// `df.columns.tolist()`.
    ///
    /// ```
    /// let penguins = dlintro::data::penguins()?;
    /// let features = penguins.drop(&["species", "island", "sex", "year"])?.column_list();
    /// assert_eq!(features, ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]);
    /// # Ok::<(), dlintro::Error>(())
    /// ```
    pub fn column_list(&self) -> Vec<String> {
        self.columns.iter().map(|c| c.name.clone()).collect()
    }

    /// The names of the columns whose name contains `part`, in order: pandas'
    /// `df.filter(like=part).columns`. No column matching is an empty list, not an error.
    ///
    /// ```
    /// let penguins = dlintro::data::penguins()?;
    /// assert_eq!(penguins.columns_like("_mm"), ["bill_length_mm", "bill_depth_mm", "flipper_length_mm"]);
    /// assert!(penguins.columns_like("wingspan").is_empty());
    /// # Ok::<(), dlintro::Error>(())
    /// ```
    pub fn columns_like(&self, part: &str) -> Vec<String> {
        self.columns
            .iter()
            .filter(|c| c.name.contains(part))
            .map(|c| c.name.clone())
            .collect()
    }

    /// An empty table of number columns, to fill one labelled row at a time with
    /// [`Table::push_row`]: a table of results, as pandas users build a DataFrame from rows.
    ///
    /// ```
    /// use dlintro::data::Table;
    /// let mut results = Table::with_columns(&["params", "val RMSE"]);
    /// results.push_row("baseline", &[f64::NAN, 3.8765])?;
    /// results.push_row("100 + 50 neurons", &[21_401.0, 3.1234])?;
    /// assert_eq!(results.len(), 2);
    /// assert_eq!(results.round(2).numbers("val RMSE")?, [3.88, 3.12]);
    /// println!("{}", results.round(2));
    /// assert!(results.push_row("too short", &[1.0]).is_err());
    /// # Ok::<(), dlintro::Error>(())
    /// ```
    pub fn with_columns(names: &[&str]) -> Table {
        Table {
            columns: names
                .iter()
                .map(|n| Column::new(n, Values::Number(Vec::new())))
                .collect(),
            index: Some(Vec::new()),
        }
    }

    /// Adds a row labelled `label`, one number per column; `f64::NAN` is a missing value,
    /// shown as `NaN` (as pandas shows one). The table's columns must all hold numbers.
    pub fn push_row(&mut self, label: &str, values: &[f64]) -> Result<()> {
        if values.len() != self.columns.len() {
            return Err(Error::invalid(
                "Table::push_row",
                "values",
                format!(
                    "has {} values, expected {}, one per column ({})",
                    values.len(),
                    self.columns.len(),
                    self.column_names().join(", ")
                ),
            ));
        }
        if let Some(c) = self
            .columns
            .iter()
            .find(|c| matches!(c.values, Values::Text(_)))
        {
            return Err(Error::invalid(
                "Table::push_row",
                "values",
                format!("are numbers, but column {:?} holds text", c.name),
            ));
        }
        let rows = self.len();
        let index = self
            .index
            .get_or_insert_with(|| (0..rows).map(|r| r.to_string()).collect());
        index.push(label.to_string());
        for (column, &v) in self.columns.iter_mut().zip(values) {
            if let Values::Number(numbers) = &mut column.values {
                numbers.push((!v.is_nan()).then_some(v));
            }
        }
        Ok(())
    }

    /// The table with every number rounded to `decimals` places: pandas' `df.round(2)`.
    pub fn round(&self, decimals: u32) -> Table {
        let scale = 10f64.powi(decimals as i32);
        let columns = self
            .columns
            .iter()
            .map(|c| match &c.values {
                Values::Number(v) => Column::new(
                    &c.name,
                    Values::Number(
                        v.iter()
                            .map(|x| x.map(|x| (x * scale).round() / scale))
                            .collect(),
                    ),
                ),
                Values::Text(_) => c.clone(),
            })
            .collect();
        Table {
            columns,
            index: self.index.clone(),
        }
    }

    /// The column called `name`.
    pub fn column(&self, name: &str) -> Result<&Column> {
        self.column_for("Table::column", "name", name)
    }

    /// The column called `name`, or an error in the words of `function`, whose `argument`
    /// is that name: the closest names, and all of them for a small table.
    pub(crate) fn column_for(
        &self,
        function: &'static str,
        argument: &'static str,
        name: &str,
    ) -> Result<&Column> {
        self.find(function, argument, "is", name)
    }

    /// [`Table::column_for`] where `argument` is a list of names, `name` one of them.
    pub(crate) fn column_among(
        &self,
        function: &'static str,
        argument: &'static str,
        name: &str,
    ) -> Result<&Column> {
        self.find(function, argument, "has", name)
    }

    fn find(
        &self,
        function: &'static str,
        argument: &'static str,
        verb: &str,
        name: &str,
    ) -> Result<&Column> {
        self.columns.iter().find(|c| c.name == name).ok_or_else(|| {
            Error::invalid(
                function,
                argument,
                format!(
                    "{verb} {name:?}{}",
                    not_a_column(&self.column_names(), name)
                ),
            )
        })
    }

    /// The numbers of column `name` (named in `function`'s `argument`, a list of names),
    /// or else the first row that has none. A text column is an error, which ends with `why`
    /// numbers are needed.
    pub(crate) fn complete_numbers(
        &self,
        function: &'static str,
        argument: &'static str,
        name: &str,
        why: &str,
    ) -> Result<std::result::Result<Vec<f64>, usize>> {
        match &self.column_among(function, argument, name)?.values {
            Values::Number(values) => Ok(match values.iter().position(Option::is_none) {
                Some(row) => Err(row),
                None => Ok(values.iter().flatten().copied().collect()),
            }),
            Values::Text(_) => Err(Error::invalid(
                function,
                argument,
                format!(
                    "has {name:?}, a text column: expected numeric columns{why} (the numeric \
                     columns are {:?})",
                    self.numeric_names()
                ),
            )),
        }
    }

    /// The names of the numeric columns, in order.
    fn numeric_names(&self) -> Vec<&str> {
        self.columns
            .iter()
            .filter(|c| matches!(c.values, Values::Number(_)))
            .map(|c| c.name.as_str())
            .collect()
    }

    /// Numeric columns `names` as a `[rows, columns]` array, for `function`, whose `argument`
    /// is `names`: an error names the first column that is not numeric or not there, or the
    /// first missing value (the fault of the table, `table`).
    pub(crate) fn features_for(
        &self,
        function: &'static str,
        argument: &'static str,
        names: &[&str],
    ) -> Result<Array2<f64>> {
        let mut columns = Vec::with_capacity(names.len());
        for name in names {
            match self.complete_numbers(
                function,
                argument,
                name,
                ", as a model's features are numbers",
            )? {
                Ok(values) => columns.push(values),
                Err(row) => return Err(missing(function, name, row)),
            }
        }
        let rows = self.len();
        Ok(Array2::from_shape_fn((rows, names.len()), |(r, c)| {
            columns[c][r]
        }))
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
            .map(|n| self.column_among("Table::select", "names", n).cloned())
            .collect::<Result<Vec<_>>>()?;
        Ok(Table {
            columns,
            index: self.index.clone(),
        })
    }

    /// Every column but the named ones: pandas' `drop(columns=[…])`.
    ///
    /// ```
    /// let penguins = dlintro::data::penguins()?;
    /// let measured = penguins.drop(&["island", "sex"])?;
    /// assert_eq!(measured.column_names().len(), 6);
    /// assert_eq!(measured.drop_missing().len(), 342);
    /// # Ok::<(), dlintro::Error>(())
    /// ```
    pub fn drop(&self, names: &[&str]) -> Result<Table> {
        for name in names {
            self.column_among("Table::drop", "names", name)?;
        }
        Ok(Table {
            columns: self
                .columns
                .iter()
                .filter(|c| !names.contains(&c.name.as_str()))
                .cloned()
                .collect(),
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
        let Values::Text(values) = &self.column_for("Table::value_counts", "name", name)?.values
        else {
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
        let Values::Number(values) = &self.column_for(F, "name", name)?.values else {
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
        let Values::Text(values) = &self.column_for(F, "name", name)?.values else {
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
        self.features_for("Table::to_array", "names", names)
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

    /// The table as an HTML table. Column names may wrap after a `_`, so that the penguins'
    /// eight columns fit JupyterLab's output area at 1024×768.
    pub fn to_html(&self) -> String {
        let mut html = String::from("<table><thead><tr><th></th>");
        for c in &self.columns {
            html.push_str(&format!("<th>{}</th>", breakable(&c.name)));
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
        display::html_with_text(&self.to_html(), &self.to_string());
    }
}

/// The error of `function` for a table with no value of column `name` in `row`.
pub(crate) fn missing(function: &'static str, name: &str, row: usize) -> Error {
    Error::invalid(
        function,
        "table",
        format!(
            "has no value of {name:?} in row {row}, expected complete rows: call \
             drop_missing() first"
        ),
    )
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::penguins;

    #[test]
    fn a_table_of_results_fills_row_by_row_and_refuses_what_does_not_fit() {
        let mut results = Table::with_columns(&["params", "test"]);
        results.push_row("baseline", &[f64::NAN, 3.876]).unwrap();
        results.push_row("network", &[21401.0, 3.1249]).unwrap();
        let shown = results.round(2).to_string();
        assert_eq!(
            shown,
            "          params  test\nbaseline     NaN  3.88\n network   21401  3.12\n[2 rows × 2 columns]"
        );
        let short = results.push_row("x", &[1.0]).unwrap_err().to_string();
        assert_eq!(
            short,
            "Table::push_row: `values` has 1 values, expected 2, one per column (params, test)"
        );
        let penguins = penguins().unwrap();
        let mut text = penguins.select(&["species"]).unwrap();
        let error = text.push_row("x", &[1.0]).unwrap_err().to_string();
        assert!(error.ends_with("column \"species\" holds text"), "{error}");
        assert_eq!(text.len(), penguins.len());
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
    fn drop_removes_columns_and_names_unknown_ones() {
        let penguins = penguins().unwrap();
        let measured = penguins.drop(&["island", "sex"]).unwrap();
        assert_eq!(
            measured.column_names(),
            [
                "species",
                "bill_length_mm",
                "bill_depth_mm",
                "flipper_length_mm",
                "body_mass_g",
                "year"
            ]
        );
        assert_eq!(measured.drop_missing().len(), 342);
        let e = penguins.drop(&["beak"]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Table::drop: `names` has \"beak\", not a column of the table: expected one of \
             [\"species\", \"island\", \"bill_length_mm\", \"bill_depth_mm\", \
             \"flipper_length_mm\", \"body_mass_g\", \"sex\", \"year\"]"
        );
    }

    #[test]
    fn html_escapes_every_special_character() {
        let table = Table::new(vec![Column::new(
            "a<b",
            Values::Text(vec![Some("\"x\" & y".into())]),
        )])
        .unwrap();
        let html = table.to_html();
        assert!(html.contains("<th>a&lt;b</th>"), "{html}");
        assert!(html.contains("&quot;x&quot; &amp; y"), "{html}");
    }

    #[test]
    fn long_column_names_may_wrap_after_an_underscore() {
        let table = Table::new(vec![Column::new(
            "flipper_length_mm",
            Values::Text(vec![Some("a_b".into())]),
        )])
        .unwrap();
        let html = table.to_html();
        assert!(
            html.contains("<th>flipper_<wbr>length_<wbr>mm</th>"),
            "{html}"
        );
        // Values stay as they are.
        assert!(html.contains("<td>a_b</td>"), "{html}");
    }
}
