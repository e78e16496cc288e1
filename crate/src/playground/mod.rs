//! Everything the Playground notebook (`05-playground.ipynb`) needs beyond the core: the
//! TensorFlow Playground in Rust. Its four data sets of points in the plane with their input
//! features, a model's decisions over the plane, the Playground's middle panel of neuron
//! maps, and the decision boundary as a picture or an animation recorded while the model
//! trains.
//!
//! The Playground sits above the core: it reads its points into tensors for
//! [`Sequential::fit`](crate::model::Sequential::fit), asks the model for predictions over a
//! grid, records them through a training [`Callback`](crate::train::Callback) and draws with
//! [`crate::plot`]'s style. The core knows nothing of it. The notebook reaches it through the
//! prelude, whose `data` and `plot` include the Playground's data sets and figures:
//! `data::Playground::Circle`, `plot::decision_boundary`.
//!
//! | module | what |
//! |---|---|
//! | `points` | [`Playground`] data sets, [`Points`] in the plane split into training and test, a [`Grid`] over them |
//! | `feature` | the input [`Feature`]s: x₁, x₂, x₁², … |
//! | `plane` | [`Plane`]: a model's class and confidence on every cell of a grid ([`Sequential::predict_plane`](crate::model::Sequential::predict_plane)) |
//! | `maps` | [`NeuronMaps`]: every input and hidden neuron over the plane ([`Sequential::neuron_maps`](crate::model::Sequential::neuron_maps)) |
//! | `recorder` | [`BoundaryRecorder`]: the decision boundary every few epochs while training |
//! | `boundary` | [`decision_boundary`], [`boundary_animation`] |
//! | `neurons` | [`neurons()`]: the middle panel as a picture |

mod boundary;
mod feature;
mod maps;
mod neurons;
mod plane;
mod points;
mod recorder;

pub use boundary::{boundary_animation, decision_boundary};
pub use feature::Feature;
pub use maps::{MapColumn, NeuronMaps};
pub use neurons::neurons;
pub use plane::Plane;
pub use points::{Grid, Playground, Points};
pub use recorder::BoundaryRecorder;
