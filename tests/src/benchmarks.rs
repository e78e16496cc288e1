//! BENCHMARKS.md's sections that other tools than `cargo xtask bench` write: the hub test's
//! figures (`tests/hub.rs`) live between markers, and the bench keeps them when it rewrites
//! the file.

/// The markers around the hub's figures.
pub const HUB_START: &str = "<!-- hub: written by tests/hub.rs -->";
pub const HUB_END: &str = "<!-- /hub -->";
/// The section that the hub's figures go before.
const BEFORE: &str = "## How to reproduce";

/// The hub's section of `text`, markers included, if it has one.
pub fn hub_section(text: &str) -> Option<&str> {
    let start = text.find(HUB_START)?;
    let end = text[start..].find(HUB_END)? + start + HUB_END.len();
    Some(&text[start..end])
}

/// `text` with its hub section replaced by `section` (markers included), or with `section`
/// put before "How to reproduce" (or at the end) when it has none.
pub fn with_hub_section(text: &str, section: &str) -> String {
    if let Some(old) = hub_section(text) {
        return text.replacen(old, section, 1);
    }
    match text.find(BEFORE) {
        Some(at) => format!("{}{section}\n\n{}", &text[..at], &text[at..]),
        None => format!("{}\n\n{section}\n", text.trim_end()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hub_section_is_put_before_how_to_reproduce_then_replaced() {
        let text = "# Benchmarks\n\n## Training\n\nx\n\n## How to reproduce\n\ny\n";
        let first = format!("{HUB_START}\n## A class\n\none\n{HUB_END}");
        let once = with_hub_section(text, &first);
        assert!(once.find("## A class").unwrap() < once.find("## How to reproduce").unwrap());
        assert_eq!(hub_section(&once), Some(first.as_str()));
        let second = format!("{HUB_START}\n## A class\n\ntwo\n{HUB_END}");
        let twice = with_hub_section(&once, &second);
        assert!(twice.contains("two") && !twice.contains("one"));
        assert_eq!(twice.matches(HUB_START).count(), 1);
        // The bench's new text without the section gets the old one back.
        assert_eq!(with_hub_section(text, &second), twice);
    }
}
