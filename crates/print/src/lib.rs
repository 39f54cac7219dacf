//! PDF printing for taller: the shared PDF core ([`pdf`]) and the printed
//! things built on it.
//!
//! Everything here returns bytes or values; reading and writing files is the
//! command line's job.

pub mod badges;
pub mod certificate;
pub mod collate;
pub mod handout;
pub mod labels;
pub mod manifest;
pub mod pdf;
mod qr;
pub mod signin;

/// What can go wrong while printing.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Some characters cannot be shown by any bundled font.
    #[error(
        "{} cannot be printed: no bundled font has {}",
        quoted(text),
        describe_chars(chars)
    )]
    MissingGlyphs {
        /// The text (NFC).
        text: String,
        /// The characters no font can show, in order of appearance.
        chars: Vec<char>,
    },
    /// A bundled font is unusable (a build problem, not the user's).
    #[error("font problem: {0}")]
    Font(String),
    /// An image cannot be decoded.
    #[error("the image {name} cannot be used: {reason}; use a PNG or JPEG file")]
    Image {
        /// Its file name.
        name: String,
        /// Why.
        reason: String,
    },
    /// A handout's placeholder is unknown or badly written.
    #[error("{file}, line {line}: {message}")]
    Placeholder {
        /// The handout's file name.
        file: String,
        /// The line (1-based; 0 when unknown).
        line: usize,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// A certificate layout file is unusable.
    #[error("certificate layout {0}")]
    Layout(String),
    /// A value is too long to print in its box.
    #[error(
        "{} is too long to print ({chars} characters; at most {max} fit)",
        quoted(text)
    )]
    TooLong {
        /// The start of the text.
        text: String,
        /// Its length in characters.
        chars: usize,
        /// The most that is printed.
        max: usize,
    },
    /// The PDF cannot be written.
    #[error("cannot write the PDF: {0}")]
    Pdf(String),
}

fn quoted(text: &str) -> String {
    const MAX: usize = 80;
    format!("“{}”", taller_model::shorten(text, MAX))
}

/// `'你' (U+4F60), '🎉' (U+1F389)`: the characters and their code points,
/// so a coordinator can tell an invisible one apart.
pub fn describe_chars(chars: &[char]) -> String {
    chars
        .iter()
        .map(|c| format!("'{c}' (U+{:04X})", u32::from(*c)))
        .collect::<Vec<_>>()
        .join(", ")
}
