use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::CertificateId;

/// Longest slug, in characters: long enough to recognise the person.
const SLUG_MAX: usize = 40;

/// A file-name-safe form of a person's name: lower case, accents dropped
/// from Latin letters, anything but letters and digits turned into `-`.
/// Letters of other scripts are kept (they are valid on every file system);
/// path separators, dots, control characters and emoji never survive.
///
/// ```
/// assert_eq!(taller_model::slug("José María Núñez"), "jose-maria-nunez");
/// assert_eq!(taller_model::slug("../../etc/passwd"), "etc-passwd");
/// assert_eq!(taller_model::slug("🎉"), "");
/// ```
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in name.nfd().filter(|c| !is_combining_mark(*c)) {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else {
            dash = true;
        }
    }
    let out: String = out.nfc().take(SLUG_MAX).collect();
    out.trim_end_matches('-').to_owned()
}

/// The file stem shared by an attendee's certificate and email:
/// `<certificate_id>-<slug of name>` (just the id when the slug is empty).
///
/// The id prefix keeps the name unique and keeps reserved Windows names
/// such as `CON` from ever standing alone.
pub fn file_stem(certificate_id: &CertificateId, name: &str) -> String {
    let slug = slug(name);
    if slug.is_empty() {
        certificate_id.to_string()
    } else {
        format!("{certificate_id}-{slug}")
    }
}

/// A value cut short to quote it in a message or a label: unchanged when it
/// has at most `max` characters, otherwise its first `max` characters and
/// `…`, so a 5 MB cell cannot flood an error message, an email or a page.
/// Counts characters, never bytes, so a multi-byte letter is never split.
///
/// ```
/// assert_eq!(taller_model::shorten("Ana Ruiz", 8), "Ana Ruiz");
/// assert_eq!(taller_model::shorten("Núñez García", 5), "Núñez…");
/// ```
pub fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_owned(),
        Some((end, _)) => format!("{}…", &text[..end]),
    }
}

/// `text` made safe as HTML or XML character data and attribute values:
/// markup characters become entities, and control characters other than
/// line feed (which XML 1.0 forbids and a page would not show) become
/// spaces.
///
/// ```
/// assert_eq!(
///     taller_model::escape_markup("<b>Ana & \"Olga\"</b>"),
///     "&lt;b&gt;Ana &amp; &quot;Olga&quot;&lt;/b&gt;"
/// );
/// ```
pub fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_file_names() {
        assert_eq!(slug("  Ana   RUIZ-Gallardo "), "ana-ruiz-gallardo");
        assert_eq!(slug("Zoë Łukasiewicz"), "zoe-łukasiewicz");
        assert_eq!(slug("Ольга"), "ольга");
        assert_eq!(slug("CON"), "con");
        assert_eq!(slug("a\r\nb\0c"), "a-b-c");
        assert_eq!(slug(&"x".repeat(500)).chars().count(), SLUG_MAX);
        for name in ["../../etc/passwd", "C:\\Windows", "a/b", ".hidden", "name."] {
            let s = slug(name);
            assert!(!s.contains(['/', '\\', '.', ':']), "{name} -> {s}");
        }
    }

    #[test]
    fn file_stems_lead_with_the_certificate_id() {
        let id = CertificateId::parse("MAD16-7K3QX2").expect("valid");
        assert_eq!(file_stem(&id, "Ana Ruiz"), "MAD16-7K3QX2-ana-ruiz");
        assert_eq!(file_stem(&id, "🎉"), "MAD16-7K3QX2");
    }
}
