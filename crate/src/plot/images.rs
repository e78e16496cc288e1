//! A grid of small images with their labels, or with a model's predictions where the wrong
//! ones stand out: what recognising images looks like.

use crate::data::images::{Images, SIDE};
use crate::display::{base64, escape, Figure};
use crate::error::{Error, Result};
use crate::plot::{style, Style};

/// Pixels of each image on screen (scaled up from 28, sharp).
const CELL: usize = 104;
/// Room between images, for their captions.
const GAP: usize = 24;
/// Images per row at most; fewer when the style's width has no room for them.
const COLUMNS: usize = 8;

/// About how wide `text` is in a sans-serif font of `pixels`: its widest letters (capitals, m,
/// w) take about 0.9 em, most others 0.55 em, so this errs on the wide side.
pub(crate) fn text_width(text: &str, pixels: usize) -> usize {
    let ems: f64 = text
        .chars()
        .map(|c| match c {
            'm' | 'w' | 'M' | 'W' => 0.9,
            c if c.is_uppercase() => 0.72,
            ' ' | 'i' | 'l' | 'j' | 't' | 'f' | 'r' | '.' | ',' | ':' => 0.35,
            _ => 0.58,
        })
        .sum();
    (ems * pixels as f64).ceil() as usize
}

/// One grey image as a PNG file's bytes.
fn png(pixels: &[f32]) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut bytes, SIDE as u32, SIDE as u32);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::Eight);
        let grey: Vec<u8> = pixels
            .iter()
            .map(|v| (v.clamp(0.0, 1.0) * 255.0).round() as u8)
            .collect();
        encoder
            .write_header()
            .and_then(|mut writer| writer.write_image_data(&grey))
            .map_err(|e| Error::Plot {
                title: "images".into(),
                message: e.to_string(),
            })?;
    }
    Ok(bytes)
}

/// The first `count` images in a grid, each captioned with its class; with `predicted`
/// (one class per image, e.g. from `model.predict_classes`), captioned with the prediction,
/// the wrong ones framed in red with the true class beside.
///
/// ```
/// use dlintro::data::images::{shapes, Shape};
/// let images = shapes(8, &Shape::TRAINED, 1)?;
/// let figure = dlintro::plot::images(&images, None, 8)?;
/// assert_eq!(figure.svg().matches("<image").count(), 8);
/// # Ok::<(), dlintro::Error>(())
/// ```
pub fn images(images: &Images, predicted: Option<&[usize]>, count: usize) -> Result<Figure> {
    const F: &str = "plot::images";
    let count = count.min(images.len());
    if count == 0 {
        return Err(Error::invalid(
            F,
            "images",
            "is empty (or count is 0), expected at least one image to show",
        ));
    }
    if let Some(p) = predicted {
        if p.len() < count {
            return Err(Error::invalid(
                F,
                "predicted",
                format!(
                    "has {} classes, expected one per image shown ({count})",
                    p.len()
                ),
            ));
        }
        if let Some(bad) = p.iter().find(|&&c| c >= images.classes.len()) {
            return Err(Error::invalid(
                F,
                "predicted",
                format!(
                    "has class {bad}, expected a class index below {}",
                    images.classes.len()
                ),
            ));
        }
    }
    let title = match predicted {
        Some(p) => {
            let wrong = (0..count).filter(|&i| p[i] != images.labels[i]).count();
            format!("Predictions: {} of {count} right", count - wrong)
        }
        None if count == 1 => "1 image and its class".to_string(),
        None => format!("{count} images and their classes"),
    };
    let style = style();
    let fit = (style.width as usize).saturating_sub(GAP) / (CELL + GAP);
    let columns = COLUMNS.min(count).min(fit.max(1));
    let rows = count.div_ceil(columns);
    let (caption, small) = (style.tick_font as usize, style.tick_font as usize * 5 / 6);
    let line = |pixels: usize| Style::line(pixels as u32) as usize;
    let (row_height, top) = (
        CELL + line(caption) + line(small) + 12,
        line(style.title_font as usize) + 20,
    );
    // As wide as the grid, or as its title where that is wider (one image under a long title).
    let title_width = text_width(&title, style.title_font as usize);
    let width = (GAP + columns * (CELL + GAP)).max(GAP + title_width + GAP);
    let height = top + rows * row_height + 10;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\" font-family=\"{}\">\
         <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\
         <text x=\"{}\" y=\"{}\" font-size=\"{}\">{}</text>",
        crate::plot::FONT,
        GAP,
        line(style.title_font as usize),
        style.title_font,
        escape(&title)
    );
    for i in 0..count {
        let (x, y) = (
            GAP + (i % columns) * (CELL + GAP),
            top + (i / columns) * row_height,
        );
        let truth = &images.classes[images.labels[i]];
        let (label, second, wrong) = match predicted {
            Some(p) if p[i] != images.labels[i] => {
                (images.classes[p[i]].clone(), format!("is a {truth}"), true)
            }
            Some(p) => (images.classes[p[i]].clone(), String::new(), false),
            None => (truth.clone(), String::new(), false),
        };
        svg.push_str(&format!(
            "<image x=\"{x}\" y=\"{y}\" width=\"{CELL}\" height=\"{CELL}\" \
             style=\"image-rendering:pixelated\" href=\"data:image/png;base64,{}\"/>",
            base64(&png(images.image(i))?)
        ));
        let color = if wrong { "#d62728" } else { "black" };
        if wrong {
            svg.push_str(&format!(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" \
                 stroke=\"{color}\" stroke-width=\"4\"/>",
                x - 2,
                y - 2,
                CELL + 4,
                CELL + 4
            ));
        }
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" font-size=\"{caption}\" text-anchor=\"middle\" fill=\"{color}\">{}</text>",
            x + CELL / 2,
            y + CELL + line(caption),
            escape(&label)
        ));
        if !second.is_empty() {
            svg.push_str(&format!(
                "<text x=\"{}\" y=\"{}\" font-size=\"{small}\" text-anchor=\"middle\" fill=\"{color}\">{}</text>",
                x + CELL / 2,
                y + CELL + line(caption) + line(small),
                escape(&second)
            ));
        }
    }
    svg.push_str("</svg>");
    Ok(Figure::new(&title, svg, (width as u32, height as u32)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::images::{shapes, Shape};
    use crate::plot::tests_support::save;

    #[test]
    fn predictions_are_captioned_and_the_wrong_ones_framed() {
        let images = shapes(10, &Shape::TRAINED, 2).unwrap();
        let mut predicted = images.labels.clone();
        predicted[1] = 0; // a square taken for a circle
        let figure = images_figure(&images, &predicted);
        save(&figure, "images");
        let svg = figure.svg();
        assert!(
            svg.contains("Predictions: 9 of 10 right"),
            "{}",
            &svg[..300]
        );
        assert_eq!(svg.matches("<image").count(), 10);
        assert_eq!(svg.matches("stroke=\"#d62728\"").count(), 1);
        assert!(svg.contains(">is a square</text>"));
        let e = super::images(&images, Some(&predicted[..3]), 10).unwrap_err();
        assert_eq!(
            e.to_string(),
            "plot::images: `predicted` has 3 classes, expected one per image shown (10)"
        );
    }

    #[test]
    fn one_image_keeps_its_whole_title() {
        let images = shapes(3, &Shape::TRAINED, 2).unwrap();
        let one = super::images(&images, None, 1).unwrap();
        save(&one, "images-one");
        assert!(one.svg().contains(">1 image and its class</text>"));
        // The grid alone would be 152 pixels wide; the title needs about 300 at 28 pixels.
        let (width, _) = one.size();
        let title = text_width("1 image and its class", 28);
        assert!((280..340).contains(&title), "{title}");
        assert_eq!(width as usize, 24 + title + 24);
        // With predictions too.
        let predicted = super::images(&images, Some(&images.labels), 1).unwrap();
        let needed = 48 + text_width("Predictions: 1 of 1 right", 28);
        assert_eq!(predicted.size().0 as usize, needed);
        // A full row is as wide as its images: six fit the style's 800 pixels.
        let eight = super::images(&shapes(8, &Shape::TRAINED, 1).unwrap(), None, 8).unwrap();
        assert_eq!(eight.size().0, 24 + 6 * (104 + 24));
    }

    #[test]
    fn a_png_is_a_png() {
        let bytes = png(&[0.5; SIDE * SIDE]).unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    }

    fn images_figure(images: &Images, predicted: &[usize]) -> Figure {
        super::images(images, Some(predicted), 10).unwrap()
    }
}
