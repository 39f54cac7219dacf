//! People who asked to be forgotten (`taller forget`): known only by their
//! salted keys, so that an import skips their rows without the roster,
//! the report or this crate ever holding who they were.

use std::collections::HashSet;

use taller_model::{Attendee, Salt};

/// The salted keys of forgotten people, each set under the salt it was
/// made with (a workshop's and its programme's erasure logs may have
/// different salts).
#[derive(Debug, Clone, Default)]
pub struct Forgotten {
    sets: Vec<(Salt, HashSet<String>)>,
}

impl Forgotten {
    /// Adds `keys` (from [`Salt::email_key`] and [`Salt::name_key`]) made
    /// with `salt`.
    pub fn add(&mut self, salt: Salt, keys: impl IntoIterator<Item = String>) {
        let keys: HashSet<String> = keys.into_iter().collect();
        if keys.is_empty() {
            return;
        }
        match self.sets.iter_mut().find(|(s, _)| *s == salt) {
            Some((_, set)) => set.extend(keys),
            None => self.sets.push((salt, keys)),
        }
    }

    /// Nobody is forgotten.
    pub fn is_empty(&self) -> bool {
        self.sets.is_empty()
    }

    /// Whether `attendee` is a forgotten person: by their email, or by
    /// their full name within their organisation. A row of a purged
    /// workshop's record already holds those keys in place of the email
    /// and the name.
    pub fn matches(&self, attendee: &Attendee) -> bool {
        let (email, name) = (attendee.email.trim(), attendee.full_name.trim());
        self.sets.iter().any(|(salt, keys)| {
            let email = if Salt::is_key(email) {
                Some(email.to_owned())
            } else {
                salt.email_key(email)
            };
            let name = if Salt::is_key(name) {
                Some(name.to_owned())
            } else {
                salt.name_key(&attendee.display_name(), &attendee.organisation)
            };
            email.into_iter().chain(name).any(|key| keys.contains(&key))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_is_known_by_email_or_by_name_and_organisation() {
        let salt = Salt::from_bytes([3; 32]);
        let mut forgotten = Forgotten::default();
        assert!(forgotten.is_empty());
        forgotten.add(
            salt.clone(),
            [
                salt.email_key("ana@example.org"),
                salt.name_key("Ana Ruiz", "Cruz Roja"),
            ]
            .into_iter()
            .flatten(),
        );
        let person = |name: &str, email: &str, org: &str| Attendee {
            full_name: name.into(),
            email: email.into(),
            organisation: org.into(),
            ..Attendee::default()
        };
        assert!(forgotten.matches(&person("Someone", "ANA@example.org ", "")));
        assert!(forgotten.matches(&person("ana ruiz", "other@example.org", "CRUZ ROJA")));
        assert!(!forgotten.matches(&person("Ana Ruiz", "other@example.org", "Oxfam")));
        assert!(!forgotten.matches(&person("Luis", "luis@example.org", "Cruz Roja")));
        // The same keys under another salt match nobody.
        let mut other = Forgotten::default();
        other.add(Salt::from_bytes([4; 32]), salt.email_key("ana@example.org"));
        assert!(!other.matches(&person("Ana", "ana@example.org", "")));
        // A purged record's row, which holds the keys themselves.
        let email_key = salt.email_key("ana@example.org").unwrap_or_default();
        assert!(forgotten.matches(&person("name:00", &email_key, "")));
        let name_key = salt.name_key("Ana Ruiz", "Cruz Roja").unwrap_or_default();
        assert!(forgotten.matches(&person(&name_key, "", "")));
    }
}
