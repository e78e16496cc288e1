//! One function, so that a notebook can `:dep` a crate without dependencies.

/// Twice `x`.
pub fn double(x: i32) -> i32 {
    2 * x
}
