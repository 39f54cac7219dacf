use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{AttendeeId, CertificateId, Language, ModelError};

/// One person on the roster. Every field is text as a person would read it;
/// empty means unknown.
///
/// The field order is the roster's column order (see [`crate::ROSTER_COLUMNS`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendee {
    /// Stable id derived from the normalised email.
    pub id: AttendeeId,
    /// Given name(s): `José María`.
    pub given_name: String,
    /// Family name(s), Spanish double surnames together: `García López`.
    pub family_name: String,
    /// The name as the person wrote it when the sheet had one name column.
    pub full_name: String,
    /// Normalised (trimmed, lower-case) email address.
    pub email: String,
    /// Organisation, case kept as typed (`UNICEF`, `CEAR`).
    pub organisation: String,
    /// Role or job title.
    pub role: String,
    /// The cause the organisation works for.
    pub cause: String,
    /// The attendee's city.
    pub city: String,
    /// Bare Twitter/X handle, without `@` or URL.
    pub twitter: String,
    /// Phone number exactly as typed.
    pub phone: String,
    /// Preferred language; `None` falls back to the workshop's.
    pub language: Option<Language>,
    /// Whether the attendee agreed to be contacted.
    pub consent: Answer,
    /// Whether the attendee came.
    pub attended: Answer,
    /// Certificate id, once certificates are (or can be) made.
    pub certificate_id: Option<CertificateId>,
    /// Every place in the input this attendee came from.
    pub source: Sources,
    /// Minutes present in the workshop's online sessions, summed over every
    /// session (overlapping connections counted once); `None` when no
    /// session report gave a time for this person.
    #[serde(default, with = "minutes_text")]
    pub minutes: Option<u32>,
    /// Gender as the person answered it.
    #[serde(default)]
    pub gender: Gender,
    /// Age band on the workshop's date.
    #[serde(default)]
    pub age_band: AgeBand,
    /// The consent question as the form asked it, when the answer in
    /// `consent` came from one.
    #[serde(default)]
    pub consent_text: String,
}

impl Attendee {
    /// The name to print and address: the full name as typed when the
    /// roster has one (a family-first name such as `Nguyễn Thị Minh Khai`
    /// stays in its order), else `given family`. A full name still in the
    /// list form `Family, Given` is never printed as such: the parts are
    /// joined instead.
    pub fn display_name(&self) -> String {
        let full = self.full_name.trim();
        let joined = self.joined_name();
        // The same words in another case (`ANA RUIZ` beside `Ana`, `Ruiz`)
        // are the same name: the parts, cased by the import, are printed.
        let same_words = full
            .to_lowercase()
            .split_whitespace()
            .eq(joined.to_lowercase().split_whitespace());
        if !full.is_empty() && !same_words && (!full.contains(',') || joined.is_empty()) {
            full.to_owned()
        } else {
            joined
        }
    }

    /// `given family`, the parts that are known, one space between.
    fn joined_name(&self) -> String {
        [self.given_name.trim(), self.family_name.trim()]
            .iter()
            .filter(|part| !part.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// True when the printed name is not `given family` in that order
    /// (a family-first full name), so a layout that prints the parts on
    /// lines of their own would reorder it.
    pub fn name_is_reordered_by_parts(&self) -> bool {
        let display = self.display_name();
        let joined = self.joined_name();
        !joined.is_empty() && display.split_whitespace().ne(joined.split_whitespace())
    }

    /// The attendee's language, else the given default (the workshop's).
    pub fn language_or<'a>(&'a self, default: &'a Language) -> &'a Language {
        self.language.as_ref().unwrap_or(default)
    }
}

/// A yes/no answer that may be unknown. Written `yes`, `no` or empty.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Answer {
    /// Yes.
    Yes,
    /// No.
    No,
    /// Not recorded.
    #[default]
    Unknown,
}

impl Answer {
    /// The roster spelling: `yes`, `no` or the empty string.
    pub fn as_str(self) -> &'static str {
        match self {
            Answer::Yes => "yes",
            Answer::No => "no",
            Answer::Unknown => "",
        }
    }

    /// Parses the roster spelling (exactly `yes`, `no` or empty, any case).
    pub fn parse(text: &str) -> Result<Self, ModelError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "yes" => Ok(Answer::Yes),
            "no" => Ok(Answer::No),
            "" => Ok(Answer::Unknown),
            _ => Err(ModelError::Answer(text.to_owned())),
        }
    }

    /// `Some(true)` for yes, `Some(false)` for no.
    pub fn known(self) -> Option<bool> {
        match self {
            Answer::Yes => Some(true),
            Answer::No => Some(false),
            Answer::Unknown => None,
        }
    }
}

impl fmt::Display for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Answer {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Answer {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Answer::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// The roster spelling of `minutes`: a whole number, or empty.
mod minutes_text {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &Option<u32>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(minutes) => serializer.collect_str(minutes),
            None => serializer.serialize_str(""),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<u32>, D::Error> {
        let text = String::deserialize(deserializer)?;
        super::parse_minutes(&text).map_err(serde::de::Error::custom)
    }
}

/// Parses the roster's `minutes` column: a whole number of minutes, or
/// empty for unknown.
pub fn parse_minutes(text: &str) -> Result<Option<u32>, ModelError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse()
        .map(Some)
        .map_err(|_| ModelError::Minutes(text.to_owned()))
}

/// A closed set of answers written as fixed words in the roster, empty for
/// unknown: the shape of [`Gender`] and [`AgeBand`].
macro_rules! roster_words {
    ($(#[$doc:meta])* $name:ident, $error:ident { $($(#[$vdoc:meta])* $variant:ident => $word:literal,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)*
            /// Not answered, or not asked.
            #[default]
            Unknown,
        }

        impl $name {
            /// Every known value, in the order reports list them.
            pub const KNOWN: &'static [$name] = &[$($name::$variant,)*];

            /// The roster spelling; empty for unknown.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word,)*
                    $name::Unknown => "",
                }
            }

            /// Parses the roster spelling (exactly as written, any case).
            pub fn parse(text: &str) -> Result<Self, ModelError> {
                let text = text.trim();
                if text.is_empty() {
                    return Ok($name::Unknown);
                }
                $(if text.eq_ignore_ascii_case($word) {
                    return Ok($name::$variant);
                })*
                Err(ModelError::$error(text.to_owned()))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                $name::parse(&text).map_err(serde::de::Error::custom)
            }
        }
    };
}

roster_words! {
    /// Gender as the person answered it: `woman`, `man`, `non-binary`,
    /// `other`, or empty (no answer, "prefer not to say", not asked).
    Gender, Gender {
        /// A woman.
        Woman => "woman",
        /// A man.
        Man => "man",
        /// Non-binary.
        NonBinary => "non-binary",
        /// Another answer the person gave.
        Other => "other",
    }
}

roster_words! {
    /// Age band on the workshop's date: `<18`, `18-29`, `30-44`, `45-64`,
    /// `65+`, or empty.
    AgeBand, AgeBand {
        /// Under 18.
        Under18 => "<18",
        /// 18 to 29.
        From18To29 => "18-29",
        /// 30 to 44.
        From30To44 => "30-44",
        /// 45 to 64.
        From45To64 => "45-64",
        /// 65 and over.
        From65 => "65+",
    }
}

impl AgeBand {
    /// The band of a person of this age in whole years.
    pub fn of_age(years: u32) -> Self {
        match years {
            0..18 => AgeBand::Under18,
            18..30 => AgeBand::From18To29,
            30..45 => AgeBand::From30To44,
            45..65 => AgeBand::From45To64,
            _ => AgeBand::From65,
        }
    }
}

/// Where an attendee came from, as a person finds it: `file:sheet:row` for
/// workbooks, `file:row` for CSV. Written joined by `; `.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sources(pub Vec<String>);

impl Sources {
    /// The separator between places in the roster column.
    pub const SEPARATOR: &'static str = "; ";

    /// One place.
    pub fn one(place: impl Into<String>) -> Self {
        Sources(vec![place.into()])
    }

    /// Adds the places of `other` that are not already listed.
    pub fn extend(&mut self, other: &Sources) {
        for place in &other.0 {
            if !self.0.contains(place) {
                self.0.push(place.clone());
            }
        }
    }

    /// Splits the roster column back into places.
    pub fn parse(text: &str) -> Self {
        Sources(
            text.split(Self::SEPARATOR)
                .map(str::trim)
                .filter(|place| !place.is_empty())
                .map(str::to_owned)
                .collect(),
        )
    }
}

impl fmt::Display for Sources {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join(Self::SEPARATOR))
    }
}

impl Serialize for Sources {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Sources {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Ok(Sources::parse(&text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answer_words_round_trip() {
        for gender in Gender::KNOWN.iter().chain([&Gender::Unknown]) {
            assert_eq!(Gender::parse(gender.as_str()).ok(), Some(*gender));
        }
        for band in AgeBand::KNOWN.iter().chain([&AgeBand::Unknown]) {
            assert_eq!(AgeBand::parse(band.as_str()).ok(), Some(*band));
        }
        assert!(Gender::parse("mujer").is_err());
        assert_eq!(AgeBand::of_age(17), AgeBand::Under18);
        assert_eq!(AgeBand::of_age(18), AgeBand::From18To29);
        assert_eq!(AgeBand::of_age(44), AgeBand::From30To44);
        assert_eq!(AgeBand::of_age(65), AgeBand::From65);
        assert_eq!(parse_minutes(" 95 ").ok(), Some(Some(95)));
        assert_eq!(parse_minutes("").ok(), Some(None));
        assert!(parse_minutes("1h").is_err());
    }

    #[test]
    fn display_name_is_the_full_name_as_typed() {
        let mut a = Attendee {
            given_name: "Thị Minh Khai".into(),
            family_name: "Nguyễn".into(),
            full_name: "Nguyễn Thị Minh Khai".into(),
            ..Attendee::default()
        };
        assert_eq!(a.display_name(), "Nguyễn Thị Minh Khai");
        assert!(a.name_is_reordered_by_parts());
        a.full_name = "Ruiz Gallardo, Ana".into();
        a.given_name = "Ana".into();
        a.family_name = "Ruiz Gallardo".into();
        assert_eq!(a.display_name(), "Ana Ruiz Gallardo");
        assert!(!a.name_is_reordered_by_parts());
        a.full_name.clear();
        assert_eq!(a.display_name(), "Ana Ruiz Gallardo");
    }

    #[test]
    fn display_name_prefers_parts_then_full_name() {
        let mut a = Attendee {
            given_name: "Ana".into(),
            family_name: "Ruiz Gallardo".into(),
            full_name: "ANA RUIZ GALLARDO".into(),
            ..Attendee::default()
        };
        assert_eq!(a.display_name(), "Ana Ruiz Gallardo");
        a.given_name.clear();
        a.family_name.clear();
        assert_eq!(a.display_name(), "ANA RUIZ GALLARDO");
    }

    #[test]
    fn answers_round_trip() {
        for answer in [Answer::Yes, Answer::No, Answer::Unknown] {
            assert_eq!(Answer::parse(answer.as_str()), Ok(answer));
        }
        assert!(Answer::parse("maybe").is_err());
    }

    #[test]
    fn sources_join_and_split() {
        let mut s = Sources::one("a.xlsx:Hoja1:2");
        s.extend(&Sources::one("late.csv:4"));
        s.extend(&Sources::one("late.csv:4"));
        assert_eq!(s.to_string(), "a.xlsx:Hoja1:2; late.csv:4");
        assert_eq!(Sources::parse(&s.to_string()), s);
    }
}
