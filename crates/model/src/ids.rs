use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};
use sha2::{Digest, Sha256};

use crate::ModelError;

/// Crockford's base-32 alphabet: no I, L, O or U, so an id read aloud or
/// copied by hand from paper is not mistyped.
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

fn base32(digest: &[u8], chars: usize) -> String {
    let mut out = String::with_capacity(chars);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for &byte in digest {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(CROCKFORD[((buffer >> bits) & 31) as usize]));
            if out.len() == chars {
                return out;
            }
        }
    }
    out
}

/// SHA-256 of byte strings, each followed by a 0 byte.
pub(crate) fn digest_bytes(parts: &[&[u8]]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
        hasher.update([0u8]);
    }
    hasher.finalize().into()
}

/// [`base32`] for other modules of the crate.
pub(crate) fn base32_of(digest: &[u8], chars: usize) -> String {
    base32(digest, chars)
}

fn digest(parts: &[&str]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        // A separator that cannot occur in the parts keeps ("ab","c") and
        // ("a","bc") apart.
        hasher.update([0u8]);
    }
    hasher.finalize().into()
}

/// A stable attendee id, derived from the normalised email so that a
/// re-import of the same sheets gives the same ids.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct AttendeeId(String);

impl AttendeeId {
    /// The id of the only person using `email` (already normalised).
    pub fn from_email(email: &str) -> Self {
        AttendeeId(format!(
            "a-{}",
            base32(&digest(&[email]), 10).to_lowercase()
        ))
    }

    /// The id of one of several people sharing `email` (an organisation's
    /// address): the name tells them apart. `name_key` should be the name
    /// folded for comparison (no case, no accents).
    pub fn from_shared_email(email: &str, name_key: &str) -> Self {
        AttendeeId(format!(
            "a-{}",
            base32(&digest(&[email, name_key]), 10).to_lowercase()
        ))
    }

    /// Wraps an id read back from a roster.
    pub fn new(id: impl Into<String>) -> Self {
        AttendeeId(id.into())
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True for the empty id of an attendee not yet identified.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for AttendeeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for AttendeeId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(AttendeeId(String::deserialize(deserializer)?))
    }
}

/// A certificate's id: short, human-typable, stable per workshop and
/// attendee, e.g. `MAD16-7K3QX2`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct CertificateId(String);

impl CertificateId {
    /// Number of code characters after the prefix.
    pub const CODE_LEN: usize = 6;

    /// Derives the id of `attendee`'s certificate for `workshop_id`.
    ///
    /// `salt` is 0 normally; a roster that finds two attendees with the same
    /// id (one chance in a billion per pair) derives the second again with
    /// salt 1, 2, … in a stable order.
    pub fn derive(workshop_id: &str, attendee: &AttendeeId, salt: u32) -> Self {
        let salt = salt.to_string();
        let code = base32(
            &digest(&[workshop_id, attendee.as_str(), &salt]),
            Self::CODE_LEN,
        );
        CertificateId(format!("{}-{code}", Self::prefix(workshop_id)))
    }

    /// The readable prefix of a workshop's certificate ids: the first letters
    /// of its id and the year's last two digits (`mad-2016-01` → `MAD16`).
    pub fn prefix(workshop_id: &str) -> String {
        let letters: String = workshop_id
            .chars()
            .skip_while(|c| !c.is_ascii_alphabetic())
            .take_while(char::is_ascii_alphabetic)
            .take(4)
            .collect::<String>()
            .to_ascii_uppercase();
        let year = workshop_id
            .split(|c: char| !c.is_ascii_digit())
            .find(|run| run.len() == 4)
            .map(|run| &run[2..])
            .unwrap_or("");
        let prefix = format!("{letters}{year}");
        if prefix.is_empty() {
            "CERT".to_owned()
        } else {
            prefix
        }
    }

    /// Parses an id as typed by a person: case and surrounding spaces do
    /// not matter.
    pub fn parse(text: &str) -> Result<Self, ModelError> {
        let upper = text.trim().to_ascii_uppercase();
        let valid = match upper.rsplit_once('-') {
            Some((prefix, code)) => {
                !prefix.is_empty()
                    && prefix.chars().all(|c| c.is_ascii_alphanumeric())
                    && code.len() == Self::CODE_LEN
                    && code.bytes().all(|b| CROCKFORD.contains(&b))
            }
            None => false,
        };
        if valid {
            Ok(CertificateId(upper))
        } else {
            Err(ModelError::CertificateId(text.to_owned()))
        }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CertificateId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for CertificateId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        CertificateId::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attendee_ids_are_stable_and_distinct() {
        let a = AttendeeId::from_email("ana@ejemplo.org");
        assert_eq!(a, AttendeeId::from_email("ana@ejemplo.org"));
        assert_ne!(a, AttendeeId::from_email("ana@ejemplo.com"));
        assert_ne!(
            a,
            AttendeeId::from_shared_email("ana@ejemplo.org", "ana ruiz")
        );
        assert_eq!(a.as_str().len(), 12);
    }

    #[test]
    fn certificate_ids_look_like_the_spec() {
        let id = CertificateId::derive("mad-2016-01", &AttendeeId::from_email("a@b.es"), 0);
        assert!(id.as_str().starts_with("MAD16-"), "{id}");
        assert_eq!(id.as_str().len(), "MAD16-".len() + 6);
        assert_eq!(
            CertificateId::parse(&id.as_str().to_lowercase()),
            Ok(id.clone())
        );
        let salted = CertificateId::derive("mad-2016-01", &AttendeeId::from_email("a@b.es"), 1);
        assert_ne!(id, salted);
    }

    #[test]
    fn prefixes() {
        assert_eq!(CertificateId::prefix("mad-2016-01"), "MAD16");
        assert_eq!(CertificateId::prefix("barcelona"), "BARC");
        assert_eq!(CertificateId::prefix("2017"), "17");
        assert_eq!(CertificateId::prefix("--"), "CERT");
    }

    #[test]
    fn parse_rejects_lookalikes() {
        for bad in [
            "",
            "MAD16",
            "MAD16-7K3QX",
            "MAD16-7K3QXI",
            "MAD 16-7K3QX2",
            "-7K3QX2",
        ] {
            assert!(CertificateId::parse(bad).is_err(), "{bad}");
        }
    }
}
