use thiserror::Error;

/// What can go wrong when a model value is parsed from text.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ModelError {
    /// The workshop file is not valid TOML or lacks a required key.
    #[error("{0}")]
    Workshop(String),
    /// The programme file is not valid TOML or lacks a required key.
    #[error("{0}")]
    Programme(String),
    /// A date is not a real calendar date.
    #[error("`{0}` is not a date (expected YYYY-MM-DD, e.g. 2016-01-27)")]
    Date(String),
    /// A language is not a two- or three-letter ISO 639 code.
    #[error("`{0}` is not a language code (expected an ISO 639-1 code such as es, en, ca, eu, gl)")]
    Language(String),
    /// A certificate id does not have the `PREFIX-XXXXXX` shape.
    #[error("`{0}` is not a certificate id (expected something like MAD16-7K3QX2)")]
    CertificateId(String),
    /// A yes/no value is neither.
    #[error("`{0}` is not yes, no or empty")]
    Answer(String),
    /// A number of minutes is not a whole number.
    #[error("`{0}` is not a whole number of minutes")]
    Minutes(String),
    /// A gender is not one of the roster's words.
    #[error(
        "`{0}` is not a gender as the roster writes it (woman, man, non-binary, other or empty)"
    )]
    Gender(String),
    /// An age band is not one of the roster's bands.
    #[error("`{0}` is not an age band (<18, 18-29, 30-44, 45-64, 65+ or empty)")]
    AgeBand(String),
    /// A salt file does not hold 64 hexadecimal digits.
    #[error("the salt is not 64 hexadecimal digits")]
    Salt,
}
