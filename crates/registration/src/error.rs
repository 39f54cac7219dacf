//! The one error type of the registration crate.

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
    /// Writing the roster (or a generated sheet) failed; the reason is the
    /// source, which `{:#}` prints after the message.
    #[error("could not write the roster")]
    Write(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// A registration or attendance file that cannot be used: unreadable,
    /// damaged, not a spreadsheet, no header row, too big.
    #[error("{place}: {message}")]
    Input {
        /// The file, and the sheet when it applies, as a person names them.
        place: String,
        /// One sentence saying what is wrong and, where known, the fix.
        message: String,
    },
    /// An option that cannot be applied (`--sheet` that does not exist,
    /// `--map` naming an unknown field or column).
    #[error("{0}")]
    Option(String),
}

impl Error {
    /// An unusable input, at `place` (file, or `file, sheet "…"`).
    pub(crate) fn input(place: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Input {
            place: place.into(),
            message: message.into(),
        }
    }
}
