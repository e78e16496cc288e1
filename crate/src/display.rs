//! What the kernel shows: HTML (escaped in one place), figures and animations.
//!
//! evcxr shows a value inline when its type has an `evcxr_display` method that prints a
//! MIME bundle; every displayable type of the crate ends up here, so the HTML rules (escaping,
//! embedded images) live in one place. Outside the kernel the same calls print the bundle's
//! markers, which evcxr would have turned into the display.

use std::fmt;
use std::path::Path;

use crate::error::{write_file, Result};

/// `text` safe inside HTML elements and attribute values: `& < > "` and `'` replaced.
///
/// ```
/// assert_eq!(dlintro::display::escape(r#"<a href="x">&'"#), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
/// ```
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `text` escaped, with a place to break the line after each `_`: a long column name such
/// as `flipper_length_mm` then wraps in a table's header, and the table fits a narrow output
/// area instead of scrolling sideways.
///
/// ```
/// assert_eq!(dlintro::display::breakable("body_mass_g <"), "body_<wbr>mass_<wbr>g &lt;");
/// ```
pub fn breakable(text: &str) -> String {
    escape(text).replace('_', "_<wbr>")
}

/// Standard base64 (RFC 4648) with padding, for images embedded in HTML.
///
/// ```
/// assert_eq!(dlintro::display::base64(b"Man"), "TWFu");
/// assert_eq!(dlintro::display::base64(b"Ma"), "TWE=");
/// ```
pub fn base64(bytes: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// An `<img>` element that embeds `bytes` of type `mime`, with an escaped `alt` text.
pub fn image_tag(mime: &str, bytes: &[u8], alt: &str, style: &str) -> String {
    format!(
        "<img alt=\"{}\" style=\"{}\" src=\"data:{mime};base64,{}\">",
        escape(alt),
        escape(style),
        base64(bytes)
    )
}

/// Shows `html` inline, with `text` for front ends that cannot show HTML.
pub fn html_with_text(html: &str, text: &str) {
    evcxr_runtime::mime_type("text/html").text(html);
    evcxr_runtime::mime_type("text/plain").text(text);
}

/// A drawn figure, as SVG. Every plot helper returns one; a cell that ends with a figure
/// shows it inline.
///
/// One figure per cell, as its last expression. evcxr shows it only when it knows the types
/// of the cell's new variables when it first compiles the cell; when it does not (a new `let`
/// binding of an array of `?` results, say), it prints the figure's `Debug` text instead,
/// which says how to show it: end the cell with the figure itself, or build the series inside
/// the call, as the notebooks do.
#[derive(Clone, PartialEq)]
pub struct Figure {
    title: String,
    svg: String,
    size: (u32, u32),
    /// The width to show it at, in CSS pixels; its own width when `None`.
    shown_width: Option<u32>,
}

impl Figure {
    /// A figure from an SVG document of `size` pixels.
    pub fn new(title: &str, svg: String, size: (u32, u32)) -> Figure {
        Figure {
            title: title.to_string(),
            svg,
            size,
            shown_width: None,
        }
    }

    /// The figure's title.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The figure as an SVG document.
    pub fn svg(&self) -> &str {
        &self.svg
    }

    /// Its width and height in pixels.
    pub fn size(&self) -> (u32, u32) {
        self.size
    }

    /// Writes the SVG to `path`.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        write_file(path.as_ref(), self.svg.as_ref())
    }

    /// The same figure shown `width` CSS pixels wide (the drawing scales, sharp, as SVG
    /// does): larger for the back of a room, smaller beside other output.
    ///
    /// ```
    /// let f = dlintro::plot::squared_vs_huber(-3.0..3.0, 1.0)?.shown_at(1200);
    /// assert!(f.to_html().contains("width=\"1200\""));
    /// # Ok::<(), dlintro::Error>(())
    /// ```
    pub fn shown_at(mut self, width: u32) -> Figure {
        self.shown_width = Some(width);
        self
    }

    /// The figure as an HTML `<img>` that scales down to the width of the page or output
    /// area (and never beyond its own width), keeping its proportions.
    pub fn to_html(&self) -> String {
        let width = self.shown_width.unwrap_or(self.size.0);
        format!(
            "<img alt=\"{}\" width=\"{width}\" style=\"max-width:100%;height:auto\" \
             src=\"data:image/svg+xml;base64,{}\">",
            escape(&self.title),
            base64(self.svg.as_bytes())
        )
    }

    /// Shows the figure inline; evcxr calls this when a cell ends with a `Figure`. Front
    /// ends that show HTML (JupyterLab) get [`Figure::to_html`], which fits the output
    /// area; the others get the SVG itself.
    pub fn evcxr_display(&self) {
        evcxr_runtime::mime_type("text/html").text(self.to_html());
        evcxr_runtime::mime_type("image/svg+xml").text(&self.svg);
    }
}

impl fmt::Debug for Figure {
    /// Short: a figure's SVG is thousands of characters.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{self}: to show it, run a cell that ends with the figure itself, e.g. `figure`"
        )
    }
}

impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "figure {:?} ({}×{} SVG, {} bytes)",
            self.title,
            self.size.0,
            self.size.1,
            self.svg.len()
        )
    }
}

/// An animated GIF, shown inline in the kernel.
#[derive(Clone, PartialEq)]
pub struct Animation {
    title: String,
    gif: Vec<u8>,
    frames: usize,
}

impl Animation {
    /// An animation from a GIF file's bytes with `frames` frames.
    pub fn new(title: &str, gif: Vec<u8>, frames: usize) -> Animation {
        Animation {
            title: title.to_string(),
            gif,
            frames,
        }
    }

    /// The GIF file's bytes.
    pub fn gif(&self) -> &[u8] {
        &self.gif
    }

    /// How many frames it has.
    pub fn frames(&self) -> usize {
        self.frames
    }

    /// The animation as an HTML `<img>` element.
    pub fn to_html(&self) -> String {
        image_tag("image/gif", &self.gif, &self.title, "max-width:100%")
    }

    /// Writes the GIF to `path`.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        write_file(path.as_ref(), self.gif.as_ref())
    }

    /// Shows the animation inline; evcxr calls this when a cell ends with an `Animation`.
    pub fn evcxr_display(&self) {
        html_with_text(&self.to_html(), &format!("{self:?}"));
    }
}

impl fmt::Debug for Animation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "animation {:?} ({} frames, {} bytes of GIF)",
            self.title,
            self.frames,
            self.gif.len()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_test_vectors() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }

    #[test]
    fn a_figure_scales_down_to_its_output_area() {
        let figure = Figure::new("a <b>", "<svg/>".into(), (1200, 450));
        assert_eq!(
            figure.to_html(),
            "<img alt=\"a &lt;b&gt;\" width=\"1200\" style=\"max-width:100%;height:auto\" \
             src=\"data:image/svg+xml;base64,PHN2Zy8+\">"
        );
        assert!(figure.shown_at(600).to_html().contains("width=\"600\""));
    }

    #[test]
    fn an_animation_title_is_escaped() {
        let animation = Animation::new("a \"quoted\" <title>", b"GIF89a".to_vec(), 1);
        let html = animation.to_html();
        assert!(
            html.starts_with("<img alt=\"a &quot;quoted&quot; &lt;title&gt;\""),
            "{html}"
        );
        assert!(html.ends_with("base64,R0lGODlh\">"), "{html}");
    }
}
