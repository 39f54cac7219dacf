//! Spanish alphabetical order for people's names, as a sign-in sheet needs it.
//!
//! The rules follow what Spanish readers expect from a printed list (the
//! RAE's alphabetical order, as in CLDR's `es` collation):
//! - accents are ignored at first (`Ávila` sits among the `A`s, after
//!   `Álvarez`), and only break ties (`Munoz` before `Múnoz`);
//! - `ñ` is a letter of its own, after `n` (`Muñoz` after `Munoz` and
//!   `Nuño` after `Núñez`... but `Núñez` before `Nuño`, since `e` < `o`);
//! - case only breaks the last ties (`de` before `De`);
//! - spaces, hyphens and apostrophes separate words, and a shorter word sorts
//!   before a longer one that starts the same (`Ruiz` before `Ruiz Gallardo`).
//!
//! People are listed by family name, then given name. A family name that
//! starts with a particle (`de la Fuente`, `del Río`, `van der Berg`) is
//! filed under the word after the particle (`F`, `R`, `B`), as Spanish
//! official lists and library catalogues do for Spanish names; the particle
//! is still printed as written and only breaks ties.

use std::cmp::Ordering;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Combining tilde: `n` followed by it is `ñ` after decomposition.
const COMBINING_TILDE: char = '\u{0303}';

/// Word separator weight: below every letter and digit, so `Ruiz` sorts
/// before `Ruiz Gallardo` and `Ruiz-Gallardo`.
const SEPARATOR: u32 = 1;
/// End of one part of a name key (family, then given name, then particles),
/// below everything, so that parts never run into each other.
const PART_END: u32 = 0;
/// Digits sort before letters.
const DIGITS: u32 = 10;
/// Latin letters: `a` .. `n`, `ñ`, `o` .. `z`.
const LATIN: u32 = 100;
/// Other scripts (Greek, Cyrillic, …) after Latin, in code point order.
const OTHER: u32 = 1_000;

/// Leading particles of a family name, longest first so `de la` wins over `de`.
const PARTICLES: [&str; 16] = [
    "de las ", "de los ", "de la ", "van der ", "van den ", "von der ", "del ", "de ", "d'", "d’",
    "la ", "las ", "los ", "van ", "von ", "da ",
];

/// A sort key: compare two keys to order the strings they came from.
///
/// Built once per name so sorting 10,000 names does the Unicode work 10,000
/// times, not once per comparison.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SortKey {
    primary: Vec<u32>,
    secondary: Vec<u32>,
    tertiary: Vec<u8>,
}

impl SortKey {
    /// The key of one string (a single name part or any label).
    pub fn of(text: &str) -> SortKey {
        let mut key = SortKey {
            primary: Vec::with_capacity(text.len()),
            secondary: Vec::with_capacity(text.len()),
            tertiary: Vec::with_capacity(text.len()),
        };
        key.push_text(text);
        key
    }

    /// The key that orders a person on a Spanish list: family name (filed
    /// under the word after any particle), then given name, then the
    /// particle itself. A person known only by a full name is filed under it.
    pub fn person(given_name: &str, family_name: &str) -> SortKey {
        let (particle, core) = split_particle(family_name.trim());
        let mut key = SortKey::of(core);
        key.push_part_end();
        key.push_text(given_name.trim());
        key.push_part_end();
        key.push_text(particle);
        key
    }

    fn push_part_end(&mut self) {
        self.primary.push(PART_END);
        self.secondary.push(0);
        self.tertiary.push(0);
    }

    fn push_text(&mut self, text: &str) {
        let mut chars = text.nfd().peekable();
        let mut last_was_separator = true;
        while let Some(c) = chars.next() {
            if is_combining_mark(c) {
                // An accent on the previous letter: a secondary difference only.
                if let Some(last) = self.secondary.last_mut() {
                    *last = last.saturating_add(u32::from(c));
                }
                continue;
            }
            let upper = c.is_uppercase();
            let lower = c.to_lowercase().next().unwrap_or(c);
            if is_separator(lower) {
                if !last_was_separator {
                    self.push(SEPARATOR, 0, 0);
                }
                last_was_separator = true;
                continue;
            }
            last_was_separator = false;
            let tertiary = u8::from(upper);
            if lower == 'n' && chars.peek() == Some(&COMBINING_TILDE) {
                chars.next();
                self.push(latin_weight('ñ'), 0, tertiary);
                continue;
            }
            for base in expand(lower) {
                let weight = match base {
                    '0'..='9' => DIGITS + (base as u32 - '0' as u32),
                    'a'..='z' => latin_weight(base),
                    other => OTHER + other as u32,
                };
                self.push(weight, 0, tertiary);
            }
        }
        // A trailing separator (`"Ruiz "`) must not make a difference.
        if self.primary.last() == Some(&SEPARATOR) {
            self.primary.pop();
            self.secondary.pop();
            self.tertiary.pop();
        }
    }

    fn push(&mut self, primary: u32, secondary: u32, tertiary: u8) {
        self.primary.push(primary);
        self.secondary.push(secondary);
        self.tertiary.push(tertiary);
    }
}

/// Spanish comparison of two strings.
pub fn compare(a: &str, b: &str) -> Ordering {
    SortKey::of(a).cmp(&SortKey::of(b))
}

/// Splits a leading particle off a family name: `de la Fuente` gives
/// (`de la `, `Fuente`). A name that is only a particle (`De`) stays whole.
pub fn split_particle(family_name: &str) -> (&str, &str) {
    let lower = family_name.to_lowercase();
    for particle in PARTICLES {
        // Lower-casing can change byte lengths (`İ`), so the split is only
        // trusted where it falls on a char boundary of the original.
        if lower.starts_with(particle)
            && let (Some(head), Some(rest)) = (
                family_name.get(..particle.len()),
                family_name.get(particle.len()..),
            )
            && head.to_lowercase() == particle
            && !rest.trim().is_empty()
        {
            return (head, rest.trim_start());
        }
    }
    ("", family_name)
}

fn latin_weight(c: char) -> u32 {
    match c {
        'ñ' => LATIN + 14,
        'a'..='n' => LATIN + (c as u32 - 'a' as u32),
        // Shift `o`..`z` by one to make room for `ñ` after `n`.
        _ => LATIN + (c as u32 - 'a' as u32) + 1,
    }
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '\'' | '’' | '.' | ',' | '·' | '_')
}

/// Letters without a decomposition that readers still see as Latin letters.
fn expand(c: char) -> impl Iterator<Item = char> {
    let (first, second) = match c {
        'ß' => ('s', Some('s')),
        'æ' => ('a', Some('e')),
        'œ' => ('o', Some('e')),
        'ø' => ('o', None),
        'ł' => ('l', None),
        'đ' | 'ð' => ('d', None),
        'ı' => ('i', None),
        'þ' => ('t', Some('h')),
        other => (other, None),
    };
    std::iter::once(first).chain(second)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut names: Vec<String> = names.iter().map(|s| (*s).to_owned()).collect();
        names.sort_by_cached_key(|n| SortKey::of(n));
        names
    }

    #[test]
    fn accents_are_ignored_first_and_n_tilde_follows_n() {
        let names = [
            "Ortega", "Nuño", "Núñez", "Munoz", "Muñoz", "Ávila", "Álvarez", "Nuno", "Avila",
        ];
        assert_eq!(
            sorted(&names),
            [
                "Álvarez", "Avila", "Ávila", "Munoz", "Muñoz", "Nuno", "Núñez", "Nuño", "Ortega"
            ]
        );
    }

    #[test]
    fn n_tilde_is_its_own_letter_between_n_and_o() {
        assert_eq!(compare("Nuñez", "Nuo"), Ordering::Less);
        assert_eq!(compare("Nuñez", "Nunz"), Ordering::Greater);
        assert_eq!(compare("Peña", "Penz"), Ordering::Greater);
        assert_eq!(compare("Peña", "Peo"), Ordering::Less);
        // Precomposed and decomposed ñ are the same letter.
        assert_eq!(compare("Mun\u{303}oz", "Muñoz"), Ordering::Equal);
    }

    #[test]
    fn case_and_accents_only_break_ties() {
        assert_eq!(compare("garcía", "García"), Ordering::Less);
        assert_eq!(compare("Garcia", "García"), Ordering::Less);
        assert_eq!(compare("GARCÍA", "garcíb"), Ordering::Less);
        assert_eq!(compare("ávila", "Avilb"), Ordering::Less);
    }

    #[test]
    fn shorter_words_come_first() {
        assert_eq!(
            sorted(&["Ruiz Gallardo", "Ruizo", "Ruiz", "Ruiz-Abad"]),
            ["Ruiz", "Ruiz-Abad", "Ruiz Gallardo", "Ruizo"]
        );
    }

    #[test]
    fn people_sort_by_family_name_then_given_name_with_particles_under_the_next_word() {
        let people = [
            ("Pedro", "de la Fuente"),
            ("Ana", "Fuentes"),
            ("Luis", "Fuente"),
            ("Marta", "del Río"),
            ("Zoe", "Delgado"),
            ("Ana", "Ávila"),
            ("Beatriz", "Álvarez"),
            ("Carmen", "Muñoz"),
            ("Carlos", "Munoz"),
            ("Ana", "Muñoz"),
        ];
        let mut sorted = people.to_vec();
        sorted.sort_by_cached_key(|(given, family)| SortKey::person(given, family));
        assert_eq!(
            sorted,
            [
                ("Beatriz", "Álvarez"),
                ("Ana", "Ávila"),
                ("Zoe", "Delgado"),
                ("Luis", "Fuente"),
                ("Pedro", "de la Fuente"),
                ("Ana", "Fuentes"),
                ("Carlos", "Munoz"),
                ("Ana", "Muñoz"),
                ("Carmen", "Muñoz"),
                ("Marta", "del Río"),
            ]
        );
    }

    #[test]
    fn particles_split_off_only_before_a_real_name() {
        assert_eq!(split_particle("de la Fuente"), ("de la ", "Fuente"));
        assert_eq!(split_particle("De Los Santos"), ("De Los ", "Santos"));
        assert_eq!(split_particle("del Río Pérez"), ("del ", "Río Pérez"));
        assert_eq!(split_particle("d'Ors"), ("d'", "Ors"));
        assert_eq!(split_particle("Delgado"), ("", "Delgado"));
        assert_eq!(split_particle("De"), ("", "De"));
        assert_eq!(split_particle("de "), ("", "de "));
        assert_eq!(split_particle(""), ("", ""));
    }

    #[test]
    fn other_scripts_and_hostile_text_never_panic_and_sort_after_latin() {
        assert_eq!(compare("Zapata", "Ольга"), Ordering::Less);
        assert_eq!(compare("Ωmega", "Ольга"), Ordering::Less);
        assert_eq!(compare("2Pac", "Abad"), Ordering::Less);
        for text in [
            "",
            " ",
            "\u{303}",
            "ñ\u{303}\u{303}",
            "🎉",
            "\r\n=1+1",
            "İstanbul",
        ] {
            let _ = SortKey::person(text, text);
        }
        let long = "ñ".repeat(1_000_000);
        assert_eq!(compare(&long, &long), Ordering::Equal);
    }

    #[test]
    fn special_latin_letters_sort_with_their_base_letter() {
        assert_eq!(compare("Łukasiewicz", "Lukb"), Ordering::Less);
        assert_eq!(compare("Straße", "Strasse"), Ordering::Equal);
        assert_eq!(compare("Øre", "Orf"), Ordering::Less);
    }
}
