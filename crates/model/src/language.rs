use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use crate::ModelError;

/// An ISO 639-1 language code (`es`, `en`, `ca`, `eu`, `gl`, …), lower case.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Language(String);

impl Language {
    /// Parses a code such as `es` or `EN` (two or three ASCII letters).
    pub fn parse(code: &str) -> Result<Self, ModelError> {
        let code = code.trim();
        if (2..=3).contains(&code.len()) && code.chars().all(|c| c.is_ascii_alphabetic()) {
            Ok(Language(code.to_ascii_lowercase()))
        } else {
            Err(ModelError::Language(code.to_owned()))
        }
    }

    /// Spanish, the default of a workshop that names none.
    pub fn spanish() -> Self {
        Language("es".to_owned())
    }

    /// English.
    pub fn english() -> Self {
        Language("en".to_owned())
    }

    /// The code.
    pub fn code(&self) -> &str {
        &self.0
    }

    /// The character that separates a number's decimals: a comma in the
    /// languages of Spain, a point in English and elsewhere.
    pub fn decimal_separator(&self) -> char {
        match self.code() {
            "es" | "ca" | "gl" | "eu" | "fr" | "it" | "pt" | "de" => ',',
            _ => '.',
        }
    }
}

impl Default for Language {
    fn default() -> Self {
        Language::spanish()
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Language {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Language::parse(&text).map_err(serde::de::Error::custom)
    }
}
