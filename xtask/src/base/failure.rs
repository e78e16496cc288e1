//! `Failure`, the one error of every command: its message says what to do.

use std::fmt;

/// A set-up or test step that failed, with a message that says what to do.
#[derive(Debug)]
pub struct Failure(String);

impl Failure {
    pub fn new(message: String) -> Self {
        Self(message)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
