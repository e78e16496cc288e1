//! The weather prediction dataset, bundled with the crate (MIT; observations from ECA&D), read
//! into a [`Table`]: the data of the "Monitor the training process" episode.

use crate::data::table::{Column, Table, Values};
use crate::error::{Error, Result};

/// The weather prediction dataset as CSV, bundled with the crate: the full file, with 163
/// feature columns (see `crate/data/README.md` and `crate/data/weather/`).
pub const WEATHER_CSV: &str = include_str!("../../data/weather/weather_prediction_dataset.csv");

/// Where the weather data come from, and the acknowledgement ECA&D asks for.
pub const WEATHER_CITATION: &str = "Weather prediction dataset by Florian Huber et al. \
     (doi:10.5281/zenodo.7525955; MIT licence), from ECA&D observations: Klein Tank, A.M.G. and \
     Coauthors, 2002. Daily dataset of 20th-century surface air temperature and precipitation \
     series for the European Climate Assessment. Int. J. of Climatol., 22, 1441-1453. Data and \
     metadata available at http://www.ecad.eu";

/// The columns every weather table has.
const REQUIRED: [&str; 3] = ["DATE", "MONTH", "BASEL_sunshine"];

/// Reads weather observations from CSV text with a header line and only numbers below it,
/// such as [`WEATHER_CSV`]: one numeric column per header field, in the file's order.
///
/// ```
/// let csv = "DATE,MONTH,BASEL_sunshine\n20000101,1,0.0\n20000102,1,3.5\n";
/// let table = dlintro::data::read_weather(csv)?;
/// assert_eq!(table.numbers("BASEL_sunshine")?, [0.0, 3.5]);
/// # Ok::<(), dlintro::Error>(())
/// ```
pub fn read_weather(csv_text: &str) -> Result<Table> {
    const F: &str = "data::read_weather";
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| Error::invalid(F, "csv_text", format!("has no header line: {e}")))?
        .iter()
        .map(str::to_string)
        .collect();
    if let Some(missing) = REQUIRED.iter().find(|r| !headers.iter().any(|h| h == *r)) {
        return Err(Error::invalid(
            F,
            "csv_text",
            format!("has no column {missing:?}, expected the weather dataset's columns"),
        ));
    }
    let mut values: Vec<Vec<Option<f64>>> = vec![Vec::new(); headers.len()];
    for (row, record) in reader.records().enumerate() {
        let record =
            record.map_err(|e| Error::invalid(F, "csv_text", format!("row {}: {e}", row + 1)))?;
        for (column, field) in record.iter().enumerate() {
            let number = field.trim().parse::<f64>().map_err(|_| {
                Error::invalid(
                    F,
                    "csv_text",
                    format!(
                        "row {} has {field:?} in column {:?}, expected a number",
                        row + 1,
                        headers[column]
                    ),
                )
            })?;
            values[column].push(Some(number));
        }
    }
    Table::new(
        headers
            .iter()
            .zip(values)
            .map(|(name, v)| Column::new(name, Values::Number(v)))
            .collect(),
    )
}

/// The weather prediction dataset as a [`Table`]: 3,654 days (1 January 2000 to 1 January
/// 2010), `DATE` (YYYYMMDD), `MONTH`, and 163 columns `PLACE_variable` for 18 European places
/// in the units of `crate/data/weather/metadata.txt` (sunshine in hours, temperatures in °C,
/// …). The Carpentries lesson uses a light variant with 89 of these columns; this is the full
/// file.
///
/// ```
/// let weather = dlintro::data::weather()?;
/// assert_eq!(weather.len(), 3654);
/// assert_eq!(weather.column_names().len(), 165);
/// # Ok::<(), dlintro::Error>(())
/// ```
pub fn weather() -> Result<Table> {
    read_weather(WEATHER_CSV)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_weather_table_is_the_whole_file() {
        let table = weather().unwrap();
        assert_eq!((table.len(), table.column_names().len()), (3654, 165));
        assert_eq!(
            table.column_names()[..3],
            ["DATE", "MONTH", "BASEL_cloud_cover"]
        );
        let dates = table.numbers("DATE").unwrap();
        assert_eq!((dates[0], dates[3653]), (20000101.0, 20100101.0));
        // pandas: data["BASEL_sunshine"].describe() → min 0.0, max 15.3; the first five
        // days 0.0, 0.0, 3.7, 6.9, 3.7.
        let sunshine = table.numbers("BASEL_sunshine").unwrap();
        assert_eq!(sunshine[..5], [0.0, 0.0, 3.7, 6.9, 3.7]);
        let max = sunshine.iter().copied().fold(f64::MIN, f64::max);
        assert_eq!(max, 15.3);
        assert_eq!(
            table
                .column_names()
                .iter()
                .filter(|c| c.starts_with("BASEL_"))
                .count(),
            9
        );
    }

    #[test]
    fn a_broken_file_names_the_row_and_column() {
        let e = read_weather("DATE,MONTH\n1,2\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "data::read_weather: `csv_text` has no column \"BASEL_sunshine\", expected the \
             weather dataset's columns"
        );
        let e = read_weather("DATE,MONTH,BASEL_sunshine\n1,1,2\n2,1,sunny\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "data::read_weather: `csv_text` row 2 has \"sunny\" in column \"BASEL_sunshine\", \
             expected a number"
        );
    }
}
