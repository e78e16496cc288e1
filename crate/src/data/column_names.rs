//! What to say when a column name is not in a table: the whole list for a small table; for a
//! wide one (the weather's 165 columns) the closest names and, for columns named
//! `PLACE_variable`, the places or one place's variables: a line or two, not 3.7 KB.

/// Tables with more columns than this get the closest names rather than the whole list.
const LISTED: usize = 12;

/// Why `name` is not a column of a table with `columns`, after "`argument` is \"name\"":
/// starting with ", not …".
pub(crate) fn not_a_column(columns: &[&str], name: &str) -> String {
    let closest = closest(columns, name);
    let guess = match closest.as_slice() {
        [] => String::new(),
        [one] => format!("did you mean {one:?}?"),
        many => format!("did you mean one of {many:?}?"),
    };
    if columns.len() <= LISTED {
        let mut text = format!(", not a column of the table: expected one of {columns:?}");
        if !guess.is_empty() {
            text.push_str("; ");
            text.push_str(&guess);
        }
        return text;
    }
    let mut text = format!(", not one of the table's {} columns:", columns.len());
    if guess.is_empty() {
        text.push_str(" table.column_names() lists them.");
    } else {
        text.push(' ');
        text.push_str(&guess);
    }
    if let Some(places) = places(columns, name) {
        text.push(' ');
        text.push_str(&places);
    }
    text
}

/// The names nearest to `name` (at most three, ignoring case), if any is near enough to be a
/// typing slip: one slip per four letters, at least one.
fn closest<'a>(columns: &[&'a str], name: &str) -> Vec<&'a str> {
    let limit = (name.chars().count() / 4).max(1);
    let distances: Vec<(usize, &str)> = columns
        .iter()
        .map(|c| (distance(&c.to_lowercase(), &name.to_lowercase()), *c))
        .filter(|&(d, _)| d <= limit)
        .collect();
    let Some(best) = distances.iter().map(|&(d, _)| d).min() else {
        return Vec::new();
    };
    distances
        .into_iter()
        .filter(|&(d, _)| d == best)
        .map(|(_, c)| c)
        .take(3)
        .collect()
}

/// How many slips turn `a` into `b`: a letter inserted, deleted or changed, or two
/// neighbours swapped (the optimal string alignment distance).
fn distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    // d[i][j]: the distance between the first i letters of a and the first j of b.
    let mut d = vec![vec![0; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    d[0] = (0..=b.len()).collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let change = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + change);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// `PLACE_variable` split in two, where PLACE is in capitals (`DE_BILT_temp_mean` →
/// `DE_BILT`, `temp_mean`).
fn split_place(name: &str) -> Option<(&str, &str)> {
    let at = name.char_indices().find_map(|(i, c)| {
        let next = name[i + c.len_utf8()..].chars().next();
        (c == '_' && next.is_some_and(char::is_lowercase)).then_some(i)
    })?;
    let place = &name[..at];
    let capitals = place
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    (!place.is_empty() && capitals).then(|| (place, &name[at + 1..]))
}

/// For a table of `PLACE_variable` columns (two places or more): the variables of `name`'s
/// place, or, if there is no such place, the places.
fn places(columns: &[&str], name: &str) -> Option<String> {
    let mut places: Vec<&str> = Vec::new();
    for (place, _) in columns.iter().filter_map(|c| split_place(c)) {
        if !places.contains(&place) {
            places.push(place);
        }
    }
    if places.len() < 2 {
        return None;
    }
    let all = places.join(", ");
    Some(match split_place(name) {
        Some((place, _)) if places.contains(&place) => {
            let variables: Vec<&str> = columns
                .iter()
                .filter_map(|c| split_place(c))
                .filter(|&(p, _)| p == place)
                .map(|(_, v)| v)
                .collect();
            format!("{place}'s columns are {}", variables.join(", "))
        }
        Some((place, _)) => format!("There is no place {place}; the places are {all}"),
        None => format!("The columns are PLACE_variable, for the places {all}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_distance_counts_insertions_deletions_and_changes() {
        assert_eq!(distance("BASEL", "BASLE"), 1);
        assert_eq!(distance("yaer", "year"), 1);
        assert_eq!(distance("beak", "year"), 2);
        assert_eq!(distance("sunshin", "sunshine"), 1);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("kitten", "sitting"), 3);
    }

    #[test]
    fn places_are_the_capitals_before_a_lowercase_word() {
        assert_eq!(
            split_place("DE_BILT_temp_mean"),
            Some(("DE_BILT", "temp_mean"))
        );
        assert_eq!(split_place("BASEL_sunshine"), Some(("BASEL", "sunshine")));
        assert_eq!(split_place("bill_length_mm"), None);
        assert_eq!(split_place("MONTH"), None);
    }

    #[test]
    fn a_small_table_lists_its_columns_and_the_closest() {
        let columns = ["species", "island", "year"];
        assert_eq!(
            not_a_column(&columns, "specie"),
            ", not a column of the table: expected one of [\"species\", \"island\", \"year\"]; \
             did you mean \"species\"?"
        );
        assert_eq!(
            not_a_column(&columns, "beak"),
            ", not a column of the table: expected one of [\"species\", \"island\", \"year\"]"
        );
    }

    #[test]
    fn a_wide_table_names_the_closest_and_the_places() {
        let mut columns = vec!["DATE", "MONTH"];
        for place in ["BASEL", "DE_BILT"] {
            for variable in [
                "sunshine",
                "temp_mean",
                "temp_max",
                "humidity",
                "pressure",
                "wind_speed",
            ] {
                columns.push(Box::leak(format!("{place}_{variable}").into_boxed_str()));
            }
        }
        assert_eq!(
            not_a_column(&columns, "DE_BILT_temp_mea"),
            ", not one of the table's 14 columns: did you mean \"DE_BILT_temp_mean\"? DE_BILT's \
             columns are sunshine, temp_mean, temp_max, humidity, pressure, wind_speed"
        );
        assert_eq!(
            not_a_column(&columns, "OSLO_rain"),
            ", not one of the table's 14 columns: table.column_names() lists them. There is no \
             place OSLO; the places are BASEL, DE_BILT"
        );
        assert_eq!(
            not_a_column(&columns, "temp_max"),
            ", not one of the table's 14 columns: table.column_names() lists them. The columns \
             are PLACE_variable, for the places BASEL, DE_BILT"
        );
        assert_eq!(
            not_a_column(&columns, "basel_temp_min"),
            ", not one of the table's 14 columns: did you mean one of [\"BASEL_temp_mean\", \
             \"BASEL_temp_max\"]? The columns are PLACE_variable, for the places BASEL, DE_BILT"
        );
    }
}
