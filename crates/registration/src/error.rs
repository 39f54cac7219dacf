use thiserror::Error;

/// Why registration input could not be used at all. Problems with single
/// rows are not errors: they go into the import report.
#[derive(Debug, Error)]
pub enum Error {
    /// A roster file that is not a roster taller wrote.
    #[error("{file}: {message}")]
    Roster {
        /// The roster file.
        file: String,
        /// What is wrong, naming the row and column.
        message: String,
    },
    /// Writing the roster failed.
    #[error("could not write the roster: {0}")]
    Write(String),
}
