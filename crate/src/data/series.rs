//! Time series: a day's observations paired with what happened the next day, the label of a
//! forecast.

use crate::data::table::{Column, Table, Values};
use crate::error::{Error, Result};

/// The name of the column [`next_day`] adds for `target`: `"{target}_tomorrow"`.
pub fn tomorrow(target: &str) -> String {
    format!("{target}_tomorrow")
}

/// Each day paired with the next day's `target`: row *i* of the result holds every column of
/// row *i* of `table` (today) and a column `"{target}_tomorrow"` with `target` of row *i + 1*.
/// The last day has no tomorrow, so the result has one row fewer. The rows must be in time
/// order, one day apart, as the weather data are.
///
/// ```
/// use dlintro::data::{self, Column, Table, Values};
/// let days = Table::new(vec![Column::new("sun", Values::Number(vec![Some(1.0), Some(2.0), Some(5.0)]))])?;
/// let pairs = data::next_day(&days, "sun")?;
/// assert_eq!(pairs.numbers("sun")?, [1.0, 2.0]);
/// assert_eq!(pairs.numbers("sun_tomorrow")?, [2.0, 5.0]);
/// # Ok::<(), dlintro::Error>(())
/// ```
pub fn next_day(table: &Table, target: &str) -> Result<Table> {
    const F: &str = "data::next_day";
    let label = tomorrow(target);
    let next = match &table.column_for(F, "target", target)?.values {
        Values::Number(v) => Values::Number(v.iter().skip(1).copied().collect()),
        Values::Text(v) => Values::Text(v.iter().skip(1).cloned().collect()),
    };
    if table.len() < 2 {
        return Err(Error::invalid(
            F,
            "table",
            format!(
                "has {} row(s), expected at least 2 days: one to learn from and the next",
                table.len()
            ),
        ));
    }
    if table.column(&label).is_ok() {
        return Err(Error::invalid(
            F,
            "target",
            format!("is {target:?}, but the table already has a column {label:?}"),
        ));
    }
    let days = table.len() - 1;
    let mut columns: Vec<Column> = table
        .column_names()
        .iter()
        .map(|name| {
            let values = match &table.column(name).expect("a listed column").values {
                Values::Number(v) => Values::Number(v[..days].to_vec()),
                Values::Text(v) => Values::Text(v[..days].to_vec()),
            };
            Column::new(name, values)
        })
        .collect();
    columns.push(Column::new(&label, next));
    Table::new(columns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_day_gets_the_next_days_target() {
        let weather = crate::data::weather().unwrap();
        let pairs = next_day(&weather, "BASEL_sunshine").unwrap();
        assert_eq!(pairs.len(), 3653);
        assert_eq!(pairs.column_names().len(), 166);
        assert_eq!(pairs.column_names()[165], "BASEL_sunshine_tomorrow");
        let today = weather.numbers("BASEL_sunshine").unwrap();
        let tomorrow = pairs.numbers("BASEL_sunshine_tomorrow").unwrap();
        // Day i's label is day i + 1's sunshine; day i's features stay day i's.
        for i in [0, 1, 2, 1000, 3652] {
            assert_eq!(tomorrow[i], today[i + 1], "day {i}");
        }
        assert_eq!(pairs.numbers("DATE").unwrap()[3652], 20091231.0);
        assert_eq!(
            pairs.numbers("BASEL_temp_max").unwrap()[..],
            weather.numbers("BASEL_temp_max").unwrap()[..3653]
        );
    }

    #[test]
    fn a_single_day_or_an_unknown_target_is_an_error() {
        let weather = crate::data::weather().unwrap();
        let e = next_day(&weather.head(1), "BASEL_sunshine").unwrap_err();
        assert_eq!(
            e.to_string(),
            "data::next_day: `table` has 1 row(s), expected at least 2 days: one to learn from \
             and the next"
        );
        let e = next_day(&weather, "BASEL_sun").unwrap_err();
        assert_eq!(
            e.to_string(),
            "data::next_day: `target` is \"BASEL_sun\", not one of the table's 165 columns: \
             table.column_names() lists them. BASEL's columns are cloud_cover, humidity, \
             pressure, global_radiation, precipitation, sunshine, temp_mean, temp_min, temp_max"
        );
        let pairs = next_day(&weather.head(3), "MONTH").unwrap();
        let e = next_day(&pairs, "MONTH").unwrap_err();
        assert!(e.to_string().contains("already has a column"), "{e}");
    }
}
