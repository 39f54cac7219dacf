//! Folding text for loose comparison: the one way taller compares headers,
//! names, organisations and cities.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::{
    canonical_combining_class, decompose_canonical, is_combining_mark,
};

/// Folds text for loose comparison: no accents, no case, punctuation as
/// spaces, spaces collapsed (`¿Correo electrónico? *` → `correo electronico`).
/// Headers, names, organisations and cities are compared folded, in one
/// workshop and across a programme alike.
///
/// ```
/// assert_eq!(taller_model::fold("  José  MARÍA "), "jose maria");
/// ```
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    if text.is_ascii() {
        fold_ascii(text, &mut out);
        return out;
    }
    if !fold_char_by_char(text, &mut out) {
        out.clear();
        let mut folder = Folder::new(&mut out);
        text.nfd()
            .filter(|c| !is_combining_mark(*c))
            .for_each(|c| folder.push(c));
    }
    out
}

/// [`fold`] of ASCII text (names, addresses and organisations mostly are):
/// nothing to decompose, so byte by byte.
fn fold_ascii(text: &str, out: &mut String) {
    let mut space = false;
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(char::from(b.to_ascii_lowercase()));
        } else {
            space = true;
        }
    }
}

/// [`fold`] without NFD's buffering and reordering: each character is
/// decomposed on its own. That gives what NFD gives as long as every
/// character that canonical reordering could move (a non-zero combining
/// class) is a mark, which folding drops anyway; false otherwise (a
/// Tibetan vowel sign, say), for the caller to fold the slow way.
fn fold_char_by_char(text: &str, out: &mut String) -> bool {
    let mut folder = Folder::new(out);
    let mut reorderable = false;
    for c in text.chars() {
        if c.is_ascii() {
            folder.push(c);
            continue;
        }
        match simple_fold(c) {
            Some(Folded::Letter(letter)) => {
                folder.push_letter(letter);
                continue;
            }
            Some(Folded::Separator) => {
                folder.space = true;
                continue;
            }
            Some(Folded::Nothing) => continue,
            None => {}
        }
        decompose_canonical(c, |part| {
            if is_combining_mark(part) {
                return;
            }
            if canonical_combining_class(part) != 0 {
                reorderable = true;
            }
            folder.push(part);
        });
        if reorderable {
            return false;
        }
    }
    true
}

/// What a character folds to, when that is simple.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Folded {
    /// One lower-case letter or digit: `É` → `e`, `Ж` → `ж`.
    Letter(char),
    /// Punctuation or space: a word break.
    Separator,
    /// Nothing: a combining mark.
    Nothing,
}

/// Characters below this (Latin, Greek, Cyrillic: most names in the
/// sheets) are folded through a table made once: decomposing and
/// lower-casing them one by one was most of the cost of comparing names.
const SIMPLE_FOLDS: u32 = 0x0600;

/// `c` folded from the table; `None` when it must be folded the slow way
/// (outside the table, or more than one character).
fn simple_fold(c: char) -> Option<Folded> {
    static TABLE: std::sync::OnceLock<Vec<Option<Folded>>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        (0..SIMPLE_FOLDS)
            .map(|code| {
                let c = char::from_u32(code)?;
                let mut parts = Vec::new();
                decompose_canonical(c, |part| {
                    if !is_combining_mark(part) {
                        parts.push(part);
                    }
                });
                match parts.as_slice() {
                    [] => Some(Folded::Nothing),
                    [base] if canonical_combining_class(*base) != 0 => None,
                    [base] if !base.is_alphanumeric() => Some(Folded::Separator),
                    [base] => {
                        let mut lower = base.to_lowercase();
                        match (lower.next(), lower.next()) {
                            (Some(letter), None) => Some(Folded::Letter(letter)),
                            _ => None,
                        }
                    }
                    _ => None,
                }
            })
            .collect()
    });
    table
        .get(usize::try_from(u32::from(c)).ok()?)
        .copied()
        .flatten()
}

/// Appends decomposed, mark-free characters to a folded string.
struct Folder<'a> {
    out: &'a mut String,
    space: bool,
}

impl<'a> Folder<'a> {
    fn new(out: &'a mut String) -> Self {
        Folder { out, space: false }
    }

    /// Appends a letter or digit already lower-cased.
    fn push_letter(&mut self, letter: char) {
        if self.space && !self.out.is_empty() {
            self.out.push(' ');
        }
        self.space = false;
        self.out.push(letter);
    }

    fn push(&mut self, c: char) {
        if c.is_alphanumeric() {
            if self.space && !self.out.is_empty() {
                self.out.push(' ');
            }
            self.space = false;
            if c.is_ascii() {
                self.out.push(c.to_ascii_lowercase());
            } else {
                self.out.extend(c.to_lowercase());
            }
        } else {
            self.space = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding() {
        assert_eq!(fold("¿Correo electrónico? *"), "correo electronico");
        assert_eq!(fold("  NOMBRE_y-Apellidos "), "nombre y apellidos");
        assert_eq!(fold("Ñúñez-IBÁÑEZ Łukasiewicz"), "nunez ibanez łukasiewicz");
        assert_eq!(fold("Ольга Αλέξανδρος"), "ольга αλεξανδρος");
    }

    /// Folding with full NFD, as `fold` did before its fast path.
    fn fold_by_nfd(text: &str) -> String {
        let mut out = String::new();
        let mut folder = Folder::new(&mut out);
        text.nfd()
            .filter(|c| !is_combining_mark(*c))
            .for_each(|c| folder.push(c));
        out
    }

    #[test]
    fn folding_char_by_char_is_folding_by_nfd() {
        let chars = || (0..=0x2_FFFF_u32).filter_map(char::from_u32);
        for c in chars() {
            let alone = c.to_string();
            assert_eq!(fold(&alone), fold_by_nfd(&alone), "U+{:04X}", u32::from(c));
            // A mark after a precomposed letter is reordered by NFD.
            let after = format!("e\u{1EC7}{c}\u{301}x");
            assert_eq!(fold(&after), fold_by_nfd(&after), "U+{:04X}", u32::from(c));
        }
        for text in [
            "a\u{F73}b",
            "\u{301}a",
            "ệ\u{323}\u{302}",
            "Zoë Łukasiewicz",
        ] {
            assert_eq!(fold(text), fold_by_nfd(text), "{text}");
        }
    }

    proptest::proptest! {
        #[test]
        fn folding_any_text_is_folding_by_nfd(text in "\\PC{0,12}") {
            proptest::prop_assert_eq!(fold(&text), fold_by_nfd(&text));
        }
    }
}
