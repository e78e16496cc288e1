//! Decision boundaries of two-feature classifiers: one picture, or an animation of frames
//! recorded during training by a [`BoundaryRecorder`].

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use crate::error::{Error, Result};
use crate::model::Sequential;
use crate::plot::{class_color, plot_error, render, style, Animation, Figure, Ticks};

use super::plane::Plane;
use super::points::Points;
use super::recorder::BoundaryRecorder;

/// The classes a Playground model predicts over the plane of its data, shaded, with the
/// data points on top: how the model divides the Playground's plane. The grid is seen
/// through the points' input features, as the model was trained.
pub fn decision_boundary(model: &Sequential, points: &Points) -> Result<Figure> {
    const F: &str = "plot::decision_boundary";
    if points.x.ncols() != 2 || points.x.nrows() == 0 {
        return Err(Error::invalid(
            F,
            "points",
            format!("has shape {:?}, expected [n, 2] with n > 0", points.x.dim()),
        ));
    }
    let (x_range, y_range) = points.bounds();
    let plane = model.predict_plane(points, 60)?;
    let title = "Decision boundary";
    let style = style();
    // About square: the plane's two axes have the same units.
    render(title, style.square_size(), |root| {
        let x_ticks = Ticks::new(&x_range, style.x_ticks(root), false);
        let y_ticks = Ticks::new(&y_range, style.y_ticks(root), false);
        let mut chart = ChartBuilder::on(root)
            .caption(title, style.title())
            .margin(16)
            .x_label_area_size(style.x_label_area())
            .y_label_area_size(style.y_label_area(3))
            .build_cartesian_2d(x_range, y_range)
            .map_err(plot_error(title))?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc("x₁")
            .y_desc("x₂")
            .x_labels(x_ticks.count)
            .y_labels(y_ticks.count)
            .x_label_formatter(&|v| x_ticks.label(v))
            .y_label_formatter(&|v| y_ticks.label(v))
            .label_style(style.ticks())
            .axis_desc_style(style.text())
            .draw()
            .map_err(plot_error(title))?;
        draw_plane(&mut chart, &plane, points, 4, title)
    })
}

/// Shades each grid cell with its predicted class (stronger where the model is surer), then
/// draws the data points on top: the picture of a decision boundary, for any backend.
pub(crate) fn draw_plane<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    plane: &Plane,
    points: &Points,
    radius: i32,
    title: &str,
) -> Result<()>
where
    DB::ErrorType: 'static,
{
    let (xs, ys) = (&plane.xs, &plane.ys);
    let (dx, dy) = (xs[1] - xs[0], ys[1] - ys[0]);
    chart
        .draw_series((0..xs.len() * ys.len()).map(|i| {
            let (x, y) = (xs[i % xs.len()] - dx / 2.0, ys[i / xs.len()] - dy / 2.0);
            let shade = 0.15 + 0.35 * plane.confidence[i];
            Rectangle::new(
                [(x, y), (x + dx, y + dy)],
                class_color(plane.class[i] as usize).mix(shade).filled(),
            )
        }))
        .map_err(plot_error(title))?;
    chart
        .draw_series(
            points
                .x
                .rows()
                .into_iter()
                .zip(&points.y)
                .map(|(r, &c)| Circle::new((r[0], r[1]), radius, class_color(c).filled())),
        )
        .map_err(plot_error(title))?;
    Ok(())
}

/// The decision boundary taking shape as the network learns: the frames a
/// [`BoundaryRecorder`] recorded during training, as an animated GIF. A bar at the bottom
/// shows the progress through the epochs.
pub fn boundary_animation(recorder: &BoundaryRecorder) -> Result<Animation> {
    const F: &str = "plot::boundary_animation";
    if recorder.frames.is_empty() {
        return Err(Error::invalid(
            F,
            "recorder",
            "has no frames, expected one that recorded a fit: pass it to `fit_with` as \
             `&mut [&mut recorder]`",
        ));
    }
    let (x_range, y_range) = recorder.points.bounds();
    // The size of the decision boundary figure, so the two show alike.
    let size = style().square_size();
    let path = std::env::temp_dir().join(format!(
        "dlintro-animation-{}-{}.gif",
        std::process::id(),
        SEQUENCE.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    let title = "Decision boundary during training";
    {
        let root = BitMapBackend::gif(&path, size, 150)
            .map_err(plot_error(title))?
            .into_drawing_area();
        for (epoch, plane) in &recorder.frames {
            root.fill(&WHITE).map_err(plot_error(title))?;
            let (plot_area, bar) = root.split_vertically(size.1 - 16);
            let mut chart = ChartBuilder::on(&plot_area)
                .margin(4)
                .build_cartesian_2d(x_range.clone(), y_range.clone())
                .map_err(plot_error(title))?;
            draw_plane(&mut chart, plane, &recorder.points, 3, title)?;
            let filled = (size.0 as f64 * *epoch as f64 / recorder.epochs.max(1) as f64) as i32;
            bar.draw(&Rectangle::new(
                [(0, 4), (filled, 14)],
                BLACK.mix(0.6).filled(),
            ))
            .map_err(plot_error(title))?;
            root.present().map_err(plot_error(title))?;
        }
    }
    let gif = std::fs::read(&path).map_err(|source| Error::Io {
        path: path.clone(),
        source,
    })?;
    let _ = std::fs::remove_file(&path);
    Ok(Animation::new(title, gif, recorder.frames.len()))
}

static SEQUENCE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activation::Activation;
    use crate::plot::tests_support::save;
    use crate::train::{FitOptions, Verbose};

    /// 2 inputs → 8 hidden neurons → 2 softmax outputs, compiled with Adam (0.05).
    fn two_class_model(hidden: Activation) -> Sequential {
        let mut model = Sequential::input_features(2)
            .dense(8, hidden)
            .dense(2, Activation::Softmax);
        let adam = crate::optimizer::Optimizer::Adam {
            learning_rate: 0.05,
        };
        model
            .compile(crate::loss::Loss::SparseCategoricalCrossEntropy, adam)
            .unwrap();
        model
    }

    #[test]
    fn the_decision_boundary_shades_the_plane() {
        crate::seed(2);
        let points = crate::playground::Playground::Xor
            .generate(100, 0.0, 4)
            .unwrap();
        let (x, y) = points.tensors(crate::device()).unwrap();
        let mut model = two_class_model(Activation::Tanh);
        let options = FitOptions {
            epochs: 50,
            verbose: Verbose::Silent,
            ..Default::default()
        };
        model.fit(&x, &y, options).unwrap();
        let figure = decision_boundary(&model, &points).unwrap();
        save(&figure, "boundary");
        assert_eq!(figure.svg().matches("<circle").count(), 100);
        assert!(figure.svg().matches("<rect").count() >= 60 * 60);
    }

    #[test]
    fn the_boundary_animation_draws_the_recorded_frames() {
        crate::seed(4);
        let points = crate::playground::Playground::Circle
            .generate(100, 0.0, 2)
            .unwrap();
        let (x, y) = points.tensors(crate::device()).unwrap();
        let mut model = two_class_model(Activation::Relu);
        let mut recorder = BoundaryRecorder::new(&points, 4);
        let options = FitOptions {
            epochs: 20,
            verbose: Verbose::Silent,
            ..Default::default()
        };
        model
            .fit_with(&x, &y, options, &mut [&mut recorder])
            .unwrap();
        let epochs: Vec<usize> = recorder.frames.iter().map(|(e, _)| *e).collect();
        assert_eq!(epochs, [5, 10, 15, 20]);
        // The last frame is the trained model's boundary.
        assert_eq!(
            recorder.frames[3].1,
            model.predict_plane(&points, 60).unwrap()
        );
        let animation = boundary_animation(&recorder).unwrap();
        assert_eq!(animation.frames(), 4);
        assert!(animation.gif().starts_with(b"GIF89a"));
        std::fs::create_dir_all("../target/figures").unwrap();
        animation.save("../target/figures/boundary.gif").unwrap();
        let mut too_many = BoundaryRecorder::new(&points, 5);
        let options = FitOptions {
            epochs: 2,
            verbose: Verbose::Silent,
            ..Default::default()
        };
        let e = model
            .fit_with(&x, &y, options, &mut [&mut too_many])
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "BoundaryRecorder: `frames` is 5, expected 1 to 2 (one frame per epoch at most)"
        );
        let e = boundary_animation(&too_many).unwrap_err();
        assert!(e.to_string().contains("has no frames"), "{e}");
    }
}
