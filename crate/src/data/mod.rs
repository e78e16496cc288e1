//! Data for the workflow, steps 2 and 3 of the ten (identify inputs and outputs, prepare the
//! data): the bundled Palmer penguins, a small table type for exploring them, preparation in
//! one call ([`prepare`]: feature and label columns to train/test tensors) and the TensorFlow
//! Playground's two-feature data sets.
//!
//! | module | what |
//! |---|---|
//! | [`table`] | [`Table`]: columns of numbers or text, `head`, `describe`, `value_counts` |
//! | [`penguins`](mod@penguins) | the bundled penguins CSV, read into a [`Table`] |
//! | [`prepare`](mod@prepare) | one-hot encoding, standardisation, train/test split, [`prepare()`] |
//! | [`playground`] | [`Playground`] data sets of points in the plane, split into training and test |
//! | [`feature`] | the input [`Feature`]s of the Playground: x₁, x₂, x₁², … |

pub mod feature;
pub mod penguins;
pub mod playground;
pub mod prepare;
pub mod table;

pub use feature::Feature;
pub use penguins::{penguins, read_penguins, Penguin, PENGUINS_CITATION, PENGUINS_CSV};
pub use playground::{Grid, Playground, Points};
pub use prepare::{
    class_indices, class_names, one_hot, prepare, take_rows, train_test_split, PrepareOptions,
    Prepared, Split, Standardizer,
};
pub use table::{Column, Table, Values};
