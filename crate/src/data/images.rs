//! Small grey images the crate draws itself: circles, squares and triangles at random sizes
//! and places (and crosses, a kind a model can be kept from seeing), for training a
//! convolutional network in seconds, with no download. Also the flips and rotations of data
//! augmentation.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tch::Tensor;

use crate::convert::labels_to_i64_tensor;
use crate::error::{Error, Result};

/// The side of every image, in pixels.
pub const SIDE: usize = 28;

/// A kind of drawn shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A filled disc.
    Circle,
    /// A filled, upright square.
    Square,
    /// A filled triangle, pointing up.
    Triangle,
    /// A plus sign: the kind the recognition demo keeps back.
    Cross,
}

impl Shape {
    /// The three kinds the recognition demo trains on.
    pub const TRAINED: [Shape; 3] = [Shape::Circle, Shape::Square, Shape::Triangle];

    /// The shape's name.
    pub fn name(&self) -> &'static str {
        match self {
            Shape::Circle => "circle",
            Shape::Square => "square",
            Shape::Triangle => "triangle",
            Shape::Cross => "cross",
        }
    }

    /// Whether pixel `(x, y)` lies inside the shape centred at `(cx, cy)` with half-size `r`.
    fn covers(&self, x: f64, y: f64, cx: f64, cy: f64, r: f64) -> bool {
        let (dx, dy) = (x - cx, y - cy);
        match self {
            Shape::Circle => dx * dx + dy * dy <= r * r,
            Shape::Square => dx.abs() <= 0.85 * r && dy.abs() <= 0.85 * r,
            // Apex at the top (y grows downwards), base at cy + r, as wide as it is tall.
            Shape::Triangle => (-r..=r).contains(&dy) && dx.abs() <= (dy + r) / 2.0,
            Shape::Cross => {
                (dx.abs() <= 0.3 * r && dy.abs() <= r) || (dy.abs() <= 0.3 * r && dx.abs() <= r)
            }
        }
    }
}

/// Grey images of `SIDE`×`SIDE` pixels (values 0 to 1, row by row) with a class each.
#[derive(Debug, Clone, PartialEq)]
pub struct Images {
    /// `len() · SIDE · SIDE` pixel values, image after image, row by row.
    pub pixels: Vec<f32>,
    /// The class of each image: an index into `classes`.
    pub labels: Vec<usize>,
    /// The class names.
    pub classes: Vec<String>,
}

impl Images {
    /// How many images.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Image `i`'s pixels, row by row.
    pub fn image(&self, i: usize) -> &[f32] {
        &self.pixels[i * SIDE * SIDE..(i + 1) * SIDE * SIDE]
    }

    /// The images `[n, 28, 28, 1]` (channels last, as Keras) and their classes `[n]` as
    /// tensors on `device`.
    pub fn tensors(&self, device: tch::Device) -> Result<(Tensor, Tensor)> {
        let x = Tensor::f_from_slice(&self.pixels)
            .and_then(|t| t.f_view([self.len() as i64, SIDE as i64, SIDE as i64, 1]))
            .and_then(|t| t.f_to_device(device))
            .map_err(|e| Error::torch("Images::tensors", e))?;
        Ok((x, labels_to_i64_tensor(&self.labels, device)?))
    }

    /// The images `range` (e.g. the first 100: `0..100`).
    pub fn slice(&self, range: std::ops::Range<usize>) -> Result<Images> {
        if range.start > range.end || range.end > self.len() {
            return Err(Error::invalid(
                "Images::slice",
                "range",
                format!(
                    "is {}..{}, expected a range within 0..{}",
                    range.start,
                    range.end,
                    self.len()
                ),
            ));
        }
        Ok(Images {
            pixels: self.pixels[range.start * SIDE * SIDE..range.end * SIDE * SIDE].to_vec(),
            labels: self.labels[range].to_vec(),
            classes: self.classes.clone(),
        })
    }

    /// The same images with the class list `classes`, each image keeping its class name: to
    /// show images of a kind a model never saw beside the kinds it knows.
    ///
    /// ```
    /// use dlintro::data::images::{shapes, Shape};
    /// let crosses = shapes(2, &[Shape::Cross], 1)?;
    /// let shown = crosses.labelled_as(&["circle", "square", "triangle", "cross"])?;
    /// assert_eq!(shown.labels, [3, 3]);
    /// # Ok::<(), dlintro::Error>(())
    /// ```
    pub fn labelled_as(&self, classes: &[&str]) -> Result<Images> {
        let labels = self
            .labels
            .iter()
            .map(|&l| {
                let name = &self.classes[l];
                classes.iter().position(|c| c == name).ok_or_else(|| {
                    Error::invalid(
                        "Images::labelled_as",
                        "classes",
                        format!("is {classes:?}, expected it to name every class, {name:?} too"),
                    )
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Images {
            pixels: self.pixels.clone(),
            labels,
            classes: classes.iter().map(|c| c.to_string()).collect(),
        })
    }

    /// Every image, then each of them mirrored left to right, then each turned by 90°, 180°
    /// and 270°: five times the data, the same classes. Data augmentation.
    pub fn augmented(&self) -> Images {
        // Where pixel (row, column) goes.
        type Turn = fn(usize, usize) -> (usize, usize);
        let turns: [Turn; 4] = [
            |r, c| (r, SIDE - 1 - c),            // mirrored
            |r, c| (c, SIDE - 1 - r),            // 90°
            |r, c| (SIDE - 1 - r, SIDE - 1 - c), // 180°
            |r, c| (SIDE - 1 - c, r),            // 270°
        ];
        let mut out = self.clone();
        for turn in turns {
            for i in 0..self.len() {
                let image = self.image(i);
                let mut moved = vec![0f32; SIDE * SIDE];
                for r in 0..SIDE {
                    for c in 0..SIDE {
                        let (r2, c2) = turn(r, c);
                        moved[r2 * SIDE + c2] = image[r * SIDE + c];
                    }
                }
                out.pixels.extend_from_slice(&moved);
                out.labels.push(self.labels[i]);
            }
        }
        out
    }
}

/// `n` images of the given kinds (in turn: image i is of kind `i % kinds.len()`), each at a
/// random size and place with a little noise, the same for the same `seed`. The classes are
/// the kinds' names, in the order given.
///
/// ```
/// use dlintro::data::images::{shapes, Shape};
/// let images = shapes(30, &Shape::TRAINED, 1)?;
/// assert_eq!(images.len(), 30);
/// assert_eq!(images.classes, ["circle", "square", "triangle"]);
/// assert_eq!(images.labels[..4], [0, 1, 2, 0]);
/// # Ok::<(), dlintro::Error>(())
/// ```
pub fn shapes(n: usize, kinds: &[Shape], seed: u64) -> Result<Images> {
    const F: &str = "data::images::shapes";
    if kinds.is_empty() {
        return Err(Error::invalid(
            F,
            "kinds",
            "is empty, expected at least one shape (e.g. &Shape::TRAINED)",
        ));
    }
    if n == 0 {
        return Err(Error::invalid(F, "n", "is 0, expected at least 1 image"));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut pixels = Vec::with_capacity(n * SIDE * SIDE);
    let mut labels = Vec::with_capacity(n);
    for i in 0..n {
        let kind = i % kinds.len();
        let r: f64 = rng.gen_range(5.0..11.0);
        let margin = r + 1.0;
        let cx = rng.gen_range(margin..SIDE as f64 - margin);
        let cy = rng.gen_range(margin..SIDE as f64 - margin);
        let brightness: f64 = rng.gen_range(0.7..1.0);
        for y in 0..SIDE {
            for x in 0..SIDE {
                let inside = kinds[kind].covers(x as f64, y as f64, cx, cy, r);
                let noise: f64 = rng.gen_range(-0.1..0.1);
                let value = if inside { brightness } else { 0.0 } + noise;
                pixels.push(value.clamp(0.0, 1.0) as f32);
            }
        }
        labels.push(kind);
    }
    Ok(Images {
        pixels,
        labels,
        classes: kinds.iter().map(|k| k.name().to_string()).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bright(image: &[f32]) -> usize {
        image.iter().filter(|&&v| v > 0.5).count()
    }

    #[test]
    fn shapes_are_seeded_and_each_kind_has_its_area() {
        let a = shapes(60, &Shape::TRAINED, 3).unwrap();
        assert_eq!(a, shapes(60, &Shape::TRAINED, 3).unwrap());
        assert_ne!(a, shapes(60, &Shape::TRAINED, 4).unwrap());
        assert!(a.pixels.iter().all(|v| (0.0..=1.0).contains(v)));
        // A disc of half-size r covers about πr², a square (1.7r)², a triangle 2r²: every
        // image has a shape in it, of a plausible size.
        for i in 0..a.len() {
            let lit = bright(a.image(i));
            assert!((40..=450).contains(&lit), "image {i}: {lit} bright pixels");
        }
        let e = shapes(5, &[], 1).unwrap_err();
        assert!(e.to_string().contains("expected at least one shape"), "{e}");
    }

    #[test]
    fn a_triangle_points_up() {
        let t = shapes(1, &[Shape::Triangle], 1).unwrap();
        let image = t.image(0);
        let rows: Vec<usize> = (0..SIDE)
            .map(|r| bright(&image[r * SIDE..(r + 1) * SIDE]))
            .filter(|&n| n > 0)
            .collect();
        assert!(rows.first() < rows.last(), "{rows:?}");
    }

    #[test]
    fn augmentation_adds_mirrored_and_turned_copies() {
        let images = shapes(2, &[Shape::Triangle, Shape::Square], 9).unwrap();
        let more = images.augmented();
        assert_eq!(more.len(), 10);
        assert_eq!(more.labels, [0, 1, 0, 1, 0, 1, 0, 1, 0, 1]);
        // Turning by 180° twice gives the image back; a turn keeps every pixel.
        let original = images.image(0);
        let half_turn = more.image(6);
        for r in 0..SIDE {
            for c in 0..SIDE {
                assert_eq!(
                    half_turn[(SIDE - 1 - r) * SIDE + SIDE - 1 - c],
                    original[r * SIDE + c]
                );
            }
        }
        assert_eq!(bright(more.image(2)), bright(original));
        let (x, y) = more.tensors(tch::Device::Cpu).unwrap();
        assert_eq!(x.size(), [10, 28, 28, 1]);
        assert_eq!(y.size(), [10]);
        assert_eq!(images.slice(1..2).unwrap().labels, [1]);
        assert!(images.slice(1..3).is_err());
    }
}
