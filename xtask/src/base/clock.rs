//! Times of day (the agenda's clock) and dates (when something ran), without a date library.

/// A clock time, in minutes since midnight.
pub type Clock = u32;

/// A time of day from `HH:MM`.
pub fn parse_clock(text: &str) -> Result<Clock, String> {
    let parsed = text.split_once(':').and_then(|(h, m)| {
        let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
        (h < 24 && m < 60 && m.to_string().len() <= 2).then_some(h * 60 + m)
    });
    parsed.ok_or_else(|| format!("`{text}` is not a time of day, expected HH:MM such as 09:00"))
}

/// A clock time as `HH:MM`.
pub fn show_clock(clock: Clock) -> String {
    format!("{:02}:{:02}", (clock / 60) % 24, clock % 60)
}

/// A date from seconds since 1970 (UTC), without a date library.
pub fn utc(unix: u64) -> String {
    let days = (unix / 86_400) as i64;
    let (h, m) = ((unix % 86_400) / 3600, (unix % 3600) / 60);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year}-{month:02}-{d:02} {h:02}:{m:02} UTC")
}

/// Now, in seconds since 1970.
pub fn now_unix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_times_of_day() {
        assert_eq!(parse_clock("09:00"), Ok(540));
        assert_eq!(parse_clock("9:05"), Ok(545));
        assert!(parse_clock("24:00").is_err());
        assert!(parse_clock("9h").unwrap_err().contains("expected HH:MM"));
    }

    #[test]
    fn dates_are_written_in_utc() {
        assert_eq!(utc(0), "1970-01-01 00:00 UTC");
        // 2026-11-29 15:40:00 UTC
        assert_eq!(utc(1_795_966_800), "2026-11-29 15:40 UTC");
    }
}
