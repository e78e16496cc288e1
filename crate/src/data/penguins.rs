//! The Palmer penguins, bundled with the crate (CC0), read into a [`Table`].

use serde::{Deserialize, Deserializer};

use crate::data::table::{Column, Table, Values};
use crate::error::{Error, Result};

/// The Palmer penguins CSV, bundled with the crate (CC0; see `crate/data/README.md`).
pub const PENGUINS_CSV: &str = include_str!("../../data/penguins.csv");

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
    #[serde(deserialize_with = "na_as_none")]
    pub bill_length_mm: Option<f64>,
    /// Bill depth in millimetres.
    #[serde(deserialize_with = "na_as_none")]
    pub bill_depth_mm: Option<f64>,
    /// Flipper length in millimetres.
    #[serde(deserialize_with = "na_as_none")]
    pub flipper_length_mm: Option<f64>,
    /// Body mass in grams.
    #[serde(deserialize_with = "na_as_none")]
    pub body_mass_g: Option<f64>,
    /// male or female.
    #[serde(deserialize_with = "na_as_none")]
    pub sex: Option<String>,
    /// The year of the observation.
    pub year: i32,
}

/// Reads a field in which the CSV writes a missing value as `NA` (or leaves it empty) as
/// `None`, anything else as a `T`: serde parses every field, so quoted fields with commas
/// stay whole.
fn na_as_none<'de, D, T>(deserializer: D) -> std::result::Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    let text = String::deserialize(deserializer)?;
    match text.trim() {
        "" | "NA" => Ok(None),
        value => value.parse().map(Some).map_err(serde::de::Error::custom),
    }
}

/// Reads penguins from CSV text with the columns of `penguins.csv`.
pub fn read_penguins(csv_text: &str) -> Result<Vec<Penguin>> {
    const F: &str = "data::read_penguins";
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
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
    Table::new(vec![
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
    ])
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
    fn missing_values_and_quoted_fields_are_read_by_serde() {
        let csv =
            "species,island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex,year\n\
                   \"Adelie, the small one\",Dream,NA,18.0,,3700,NA,2007\n";
        let penguins = read_penguins(csv).unwrap();
        assert_eq!(penguins[0].species, "Adelie, the small one");
        assert_eq!(penguins[0].bill_length_mm, None);
        assert_eq!(penguins[0].bill_depth_mm, Some(18.0));
        assert_eq!(penguins[0].flipper_length_mm, None);
        assert_eq!(penguins[0].sex, None);
        let e = read_penguins(&csv.replace("18.0", "eighteen")).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("data::read_penguins: `csv_text` row 1:"),
            "{e}"
        );
    }
}
