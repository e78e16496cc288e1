//! The crate's one error type. Messages are written for a learner: they name the function,
//! the argument and what was expected, because evcxr shows them as they are.

use std::path::PathBuf;

/// Everything that can go wrong in `dlintro`.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An argument a learner passed does not fit: its name, what was expected, what was given.
    #[error("{function}: `{argument}` {problem}")]
    InvalidArgument {
        /// The function that was called, e.g. `neuron::output`.
        function: &'static str,
        /// The argument that was wrong, e.g. `weights`.
        argument: &'static str,
        /// What was wrong and what was expected, e.g. "has 2 values, expected 3".
        problem: String,
    },
    /// libtorch refused an operation (a shape it cannot broadcast, a device it cannot use).
    #[error("{operation}: libtorch refused it: {message}")]
    Torch {
        /// What we asked libtorch to do.
        operation: &'static str,
        /// libtorch's reason, without its C++ stack trace.
        message: String,
    },
    /// A plot could not be drawn.
    #[error("plot {title:?} could not be drawn: {message}")]
    Plot {
        /// The figure's title.
        title: String,
        /// What the drawing backend said.
        message: String,
    },
    /// Kernel ▸ Interrupt stopped a computation that has no partial result to return.
    #[error("{function}: interrupted (Kernel ▸ Interrupt) after {done} of {total} {unit}")]
    Interrupted {
        /// The function that stopped, e.g. `Sequential::predict`.
        function: &'static str,
        /// How much of the work was done.
        done: i64,
        /// How much there was.
        total: i64,
        /// What was counted, e.g. "rows".
        unit: &'static str,
    },
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
}

/// Writes `bytes` to `path`, naming the file in the error.
pub(crate) fn write_file(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// `Result` with [`Error`]: what every public function of the crate returns.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An [`Error::InvalidArgument`].
    pub fn invalid(
        function: &'static str,
        argument: &'static str,
        problem: impl Into<String>,
    ) -> Self {
        Error::InvalidArgument {
            function,
            argument,
            problem: problem.into(),
        }
    }

    /// The same error as reported by `function`, whose argument names `rename` maps: a
    /// helper's error told in the words of the function the learner called.
    pub(crate) fn reported_by(
        self,
        function: &'static str,
        rename: impl Fn(&'static str) -> &'static str,
    ) -> Self {
        match self {
            Error::InvalidArgument {
                argument, problem, ..
            } => Error::InvalidArgument {
                function,
                argument: rename(argument),
                problem,
            },
            other => other,
        }
    }

    /// An [`Error::Torch`] from one of tch's `f_` functions, keeping only libtorch's first line:
    /// the C++ frames that follow it mean nothing to a learner.
    pub fn torch(operation: &'static str, error: tch::TchError) -> Self {
        let text = error.to_string();
        let message = text
            .lines()
            .map(str::trim)
            .find(|line| !line.is_empty())
            .unwrap_or("unknown error")
            .trim_start_matches("Torch(\"")
            .to_string();
        Error::Torch { operation, message }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_argument_names_function_argument_and_expectation() {
        let error = Error::invalid("neuron::output", "weights", "has 2 values, expected 3");
        assert_eq!(
            error.to_string(),
            "neuron::output: `weights` has 2 values, expected 3"
        );
    }

    #[test]
    fn torch_errors_lose_their_stack_trace() {
        let a = tch::Tensor::zeros([2, 3], (tch::Kind::Float, tch::Device::Cpu));
        let b = tch::Tensor::zeros([4, 5], (tch::Kind::Float, tch::Device::Cpu));
        let error = Error::torch("matmul", a.f_matmul(&b).unwrap_err());
        let message = error.to_string();
        assert!(
            message.starts_with("matmul: libtorch refused it: "),
            "{message}"
        );
        assert!(message.contains("cannot be multiplied"), "{message}");
        assert_eq!(message.lines().count(), 1, "{message}");
    }
}
