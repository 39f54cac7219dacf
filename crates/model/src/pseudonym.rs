//! Salted keys: how taller recognises a person again without keeping who
//! they are. A forgotten person is remembered only by these keys, and a
//! purged roster keeps them in place of names and addresses, so that a
//! later import skips the person and a programme still counts each person
//! once.

use crate::{ModelError, fold, sha256_hex};

/// The organiser's secret that salts every key. It lives beside the
/// programme or workshop file (never in an output folder): without it a key
/// cannot be tested against a guessed address.
#[derive(Clone, PartialEq, Eq)]
pub struct Salt([u8; 32]);

impl std::fmt::Debug for Salt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never printed: it is a secret.
        f.write_str("Salt(…)")
    }
}

impl Salt {
    /// A salt from 32 random bytes (the caller draws them).
    pub fn from_bytes(bytes: [u8; 32]) -> Salt {
        Salt(bytes)
    }

    /// The salt as a salt file holds it: 64 hexadecimal digits.
    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Reads [`Salt::to_hex`]'s text (surrounding whitespace ignored).
    pub fn from_hex(text: &str) -> Result<Salt, ModelError> {
        let text = text.trim();
        let invalid = || ModelError::Salt;
        if text.len() != 64 || !text.is_ascii() {
            return Err(invalid());
        }
        let mut bytes = [0u8; 32];
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).map_err(|_| invalid())?;
        }
        Ok(Salt(bytes))
    }

    fn key(&self, kind: &str, value: &str) -> String {
        let mut input = Vec::with_capacity(32 + kind.len() + 1 + value.len());
        input.extend_from_slice(&self.0);
        input.extend_from_slice(kind.as_bytes());
        input.push(0);
        input.extend_from_slice(value.as_bytes());
        format!("{kind}:{}", sha256_hex(&input))
    }

    /// Whether a text is one of these keys (`email:` or `name:` and 64
    /// hexadecimal digits), as a purged roster holds them.
    pub fn is_key(text: &str) -> bool {
        let digest = text
            .strip_prefix("email:")
            .or_else(|| text.strip_prefix("name:"));
        digest.is_some_and(|d| d.len() == 64 && d.bytes().all(|b| b.is_ascii_hexdigit()))
    }

    /// The key of an email address, compared as the roster compares them
    /// (trimmed, lower case). `None` for an empty address.
    pub fn email_key(&self, email: &str) -> Option<String> {
        let email = email.trim().to_lowercase();
        (!email.is_empty()).then(|| self.key("email", &email))
    }

    /// The key of a full name within an organisation, compared as a
    /// programme compares people (without case or accents). `None` unless
    /// both are given: a name alone is shared by namesakes.
    pub fn name_key(&self, full_name: &str, organisation: &str) -> Option<String> {
        let (name, organisation) = (fold(full_name), fold(organisation));
        (!name.is_empty() && !organisation.is_empty())
            .then(|| self.key("name", &format!("{name}\u{0}{organisation}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_compare_as_the_roster_does_and_depend_on_the_salt() {
        let salt = Salt::from_bytes([7; 32]);
        assert_eq!(
            salt.email_key(" Ana@Ejemplo.org "),
            salt.email_key("ana@ejemplo.org")
        );
        assert_eq!(
            salt.name_key("Ana Núñez", "Cruz Roja"),
            salt.name_key("ANA NUNEZ", "cruz roja")
        );
        assert_eq!(salt.email_key("  "), None);
        assert_eq!(salt.name_key("Ana", ""), None);
        let other = Salt::from_bytes([8; 32]);
        assert_ne!(salt.email_key("a@b.es"), other.email_key("a@b.es"));
        // A name key never equals an email key of the same text.
        assert_ne!(salt.email_key("x"), Some(salt.key("name", "x")));
    }

    #[test]
    fn the_salt_reads_back_and_refuses_anything_else() {
        let salt = Salt::from_bytes([0xab; 32]);
        assert_eq!(Salt::from_hex(&format!("{}\n", salt.to_hex())), Ok(salt));
        assert_eq!(Salt::from_hex("abc"), Err(ModelError::Salt));
        assert_eq!(Salt::from_hex(&"zz".repeat(32)), Err(ModelError::Salt));
        assert_eq!(format!("{:?}", Salt::from_bytes([1; 32])), "Salt(…)");
    }
}
