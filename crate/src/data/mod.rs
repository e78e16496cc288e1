//! Data for the workflow, steps 2 and 3 of the ten (identify inputs and outputs, prepare the
//! data): the bundled Palmer penguins, a small table type for exploring them, preparation in
//! one call ([`prepare()`]: feature and label columns to train/test tensors), and the bundled
//! weather observations with what a forecast needs: tomorrow's label beside today's features,
//! and a validation set. (The TensorFlow Playground's data sets are the Playground's, in
//! [`crate::playground`].)
//!
//! | module | what |
//! |---|---|
//! | [`table`] | [`Table`]: columns of numbers or text, `head`, `describe`, `value_counts` |
//! | [`penguins`](mod@penguins) | the bundled penguins CSV, read into a [`Table`] |
//! | [`prepare`](mod@prepare) | one-hot encoding, standardisation, train/test split, [`prepare()`] |
//! | [`images`] | drawn shapes for a convolutional network, and their augmentation |
//! | [`batches`] | [`Batches`]: shuffled mini-batches in `fit`'s order, for a loop written by hand |
//! | [`weather`](mod@weather) | the bundled weather prediction dataset, read into a [`Table`] |
//! | [`series`] | [`next_day`]: each day with the next day's label |
//! | [`three_way`] | training, validation and test sets: [`prepare_three_way`] |

pub mod batches;
mod column_names;
pub mod images;
pub mod penguins;
pub mod prepare;
pub mod series;
pub mod table;
pub mod three_way;
pub mod weather;

pub use batches::{batch_order, Batches};
pub use penguins::{penguins, read_penguins, Penguin, PENGUINS_CITATION, PENGUINS_CSV};
pub use prepare::{
    class_indices, class_names, one_hot, prepare, take_rows, train_test_split, PrepareOptions,
    Prepared, Split, Standardizer,
};
pub use series::{next_day, tomorrow};
pub use table::{Column, Table, Values};
pub use three_way::{
    prepare_three_way, train_validation_test_split, ThreeWay, ThreeWayOptions, ThreeWaySplit,
};
pub use weather::{read_weather, weather, WEATHER_CITATION, WEATHER_CSV};
