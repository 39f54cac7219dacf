//! Finding the header row and what each header names, by the vocabulary
//! of `vocabulary.rs`: whole headers first, then word stems of longer
//! questions; Typeform's markup and KoboToolbox's group paths undone.

use taller_model::fold;

use crate::field::Field;
use crate::table::{Row, Table};
use crate::vocabulary::{EXACT, NOT_A_FIELD, STEMS};

/// How sure a header match is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Strength {
    /// Found by a word inside a longer question.
    Stem,
    /// The whole header is a known name for the field.
    Exact,
    /// Chosen by the user (`--map`, `[registration.columns]`).
    Chosen,
}

/// A header as a person reads it: Typeform writes its questions' markup
/// into the header (`<strong>Email</strong>`), which is dropped here, with
/// its entities decoded, and the spaces collapsed.
pub(crate) fn header_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let is_tag = after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/');
        match after.find('>') {
            Some(end) if is_tag => rest = &after[end + 1..],
            _ => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    let decoded = if out.contains('&') {
        out.replace("&nbsp;", " ")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    } else {
        out
    };
    crate::normalise::clean_owned(decoded)
}

/// The field a column's header names, knowing the row's other headers:
/// KoboToolbox writes a question inside a group as its path
/// (`datos/correo`), read by its last part, and a select-multiple question
/// as a summary column (`idiomas`) followed by one 0/1 column per option
/// (`idiomas/es`), which hold no field of their own.
pub(crate) fn match_column<'a>(
    header: &str,
    row: impl Iterator<Item = &'a str>,
) -> Option<(Field, Strength)> {
    let whole = match_header(header);
    let Some((group, last)) = header.rsplit_once('/') else {
        return whole;
    };
    let (group, last) = (group.trim(), last.trim());
    if header.contains("://") || group.is_empty() || last.is_empty() {
        return whole;
    }
    // Kobo's option columns, with (`idiomas`) or without the summary
    // column: the question's text followed by an option that names no
    // field, several times over.
    let mut siblings = 0;
    for other in row {
        let other = other.trim();
        if other == group {
            return None;
        }
        siblings += usize::from(
            other
                .rsplit_once('/')
                .is_some_and(|(other_group, _)| other_group.trim() == group),
        );
    }
    match whole {
        Some((_, Strength::Exact)) => whole,
        _ => match_header(last).or(if siblings > 1 { None } else { whole }),
    }
}

/// The field a header names, if any.
pub(crate) fn match_header(header: &str) -> Option<(Field, Strength)> {
    let header = header_text(header);
    let header = header.as_str();
    let folded = fold(header);
    if folded.is_empty() {
        return None;
    }
    // KoboToolbox's own columns (`_uuid`, `_status`, `__version__`) hold
    // no answer; `_submission_time` says when the form was sent.
    if header.starts_with('_') {
        return (folded == "submission time").then_some((Field::SubmittedAt, Strength::Exact));
    }
    if NOT_A_FIELD.contains(&folded.as_str()) {
        return None;
    }
    for (field, names) in EXACT {
        if names.contains(&folded.as_str()) {
            return Some((*field, Strength::Exact));
        }
    }
    // A sentence (instructions, a note) is not a header, even when it
    // mentions a name or an email; but a consent checkbox is often a whole
    // clause (`He leído y acepto la política de privacidad.`).
    let trimmed = header.trim_end();
    let sentence = trimmed.ends_with(['.', '!']) || trimmed.chars().count() > 150;
    let words: Vec<&str> = folded.split(' ').collect();
    let has = |stem: &str| {
        words.iter().any(|word| {
            if let Some(whole) = stem.strip_prefix('=') {
                *word == whole
            } else if stem.len() <= 2 {
                *word == stem
            } else {
                word.starts_with(stem)
            }
        })
    };
    for (field, groups) in STEMS {
        if sentence && *field != Field::Consent {
            continue;
        }
        if groups
            .iter()
            .any(|group| group.iter().all(|stem| has(stem)))
        {
            return Some((*field, Strength::Stem));
        }
    }
    None
}

/// How many rows from the top may be titles above the header.
const HEADER_SEARCH_ROWS: usize = 30;

/// The header row: the one among the first rows whose cells name the most
/// different fields, at least one of them an email or a name. Returns its
/// index in `table.rows` and that count.
pub(crate) fn find_header(table: &Table) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize)> = None;
    for (index, row) in table.rows.iter().take(HEADER_SEARCH_ROWS).enumerate() {
        let fields = row_fields(row);
        let identity = fields.iter().any(|f| *f == Field::Email || f.is_name());
        if identity && best.is_none_or(|(_, score)| fields.len() > score) {
            best = Some((index, fields.len()));
        }
    }
    best
}

fn row_fields(row: &Row) -> Vec<Field> {
    let texts: Vec<std::borrow::Cow<'_, str>> = row.cells.iter().map(|cell| cell.text()).collect();
    let mut fields: Vec<Field> = texts
        .iter()
        .filter_map(|text| {
            match_column(text, texts.iter().map(|t| t.as_ref())).map(|(field, _)| field)
        })
        .collect();
    fields.sort_unstable();
    fields.dedup();
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_people_write() {
        let cases = [
            ("Dirección de correo electrónico", Field::Email),
            ("Email Address", Field::Email),
            ("Correu electrònic *", Field::Email),
            ("Helbide elektronikoa", Field::Email),
            ("Nombre y apellidos", Field::FullName),
            ("Nom i cognoms", Field::FullName),
            ("Izen-abizenak", Field::FullName),
            ("Nome e apelidos", Field::FullName),
            ("First Name", Field::GivenName),
            ("Last Name", Field::FamilyName),
            ("Segundo apellido", Field::SecondFamilyName),
            ("Organización / ONG", Field::Organisation),
            ("Company", Field::Organisation),
            ("Job Title", Field::Role),
            ("Usuario de Twitter", Field::Twitter),
            ("Teléfono móvil", Field::Phone),
            (
                "¿Autorizas a la organización a enviarte comunicaciones?",
                Field::Consent,
            ),
            ("Idioma preferido", Field::Language),
            ("Attendee Status", Field::Status),
            ("¿En qué ámbito trabaja tu organización?", Field::Cause),
            ("Nombre de tu organización", Field::Organisation),
        ];
        for (header, field) in cases {
            assert_eq!(match_header(header).map(|m| m.0), Some(field), "{header}");
        }
        assert_eq!(
            match_header("Marca temporal").map(|m| m.0),
            Some(Field::SubmittedAt)
        );
        assert_eq!(match_header("Puntuación"), None);
        assert_eq!(match_header(""), None);
    }

    #[test]
    fn platform_and_question_headers() {
        let cases = [
            ("<strong>Email</strong>", Some(Field::Email)),
            ("What's your <em>first name</em>?", Some(Field::GivenName)),
            ("Can we email you after the workshop?", Some(Field::Consent)),
            (
                "¿Podemos escribirte después del taller?",
                Some(Field::Consent),
            ),
            ("Accepto rebre informació", Some(Field::Consent)),
            (
                "Acepto la política de privacidad y el envío de comunicaciones.",
                Some(Field::Consent),
            ),
            ("¿Cuál es tu correo electrónico?", Some(Field::Email)),
            ("Género", Some(Field::Gender)),
            ("Xénero", Some(Field::Gender)),
            ("Generoa", Some(Field::Gender)),
            ("Gènere", Some(Field::Gender)),
            ("Comentarios generales", None),
            ("Rango de edad", Some(Field::Age)),
            ("Año de nacimiento", Some(Field::Age)),
            ("Agencia", None),
            ("_submission_time", Some(Field::SubmittedAt)),
            ("_uuid", None),
            ("_status", None),
            ("Current Employer", Some(Field::Organisation)),
            ("Do Not Email", Some(Field::DoNotEmail)),
            ("Email Greeting", None),
            ("Participant Status", Some(Field::Status)),
            ("checked_in_at", Some(Field::Attended)),
            ("Meetups attended", None),
        ];
        for (header, field) in cases {
            assert_eq!(match_header(header).map(|m| m.0), field, "{header}");
        }
    }

    #[test]
    fn kobo_group_paths_and_select_multiple_columns() {
        let row = [
            "datos_personales/nombre_completo",
            "datos_personales/correo",
            "idiomas",
            "idiomas/es",
            "idiomas/eu",
        ];
        let field = |header: &str| match_column(header, row.iter().copied()).map(|m| m.0);
        assert_eq!(field(row[0]), Some(Field::FullName));
        assert_eq!(field(row[1]), Some(Field::Email));
        assert_eq!(field(row[2]), Some(Field::Language));
        assert_eq!(field(row[3]), None);
        assert_eq!(field(row[4]), None);
        // Option columns without their summary column.
        let details = ["nombre", "correo", "idiomas/es", "idiomas/eu"];
        assert_eq!(match_column(details[2], details.iter().copied()), None);
        // A lone group path still names its field by the whole header.
        let lone = ["nombre", "correo", "datos/idiomas hablados"];
        assert_eq!(
            match_column(lone[2], lone.iter().copied()).map(|m| m.0),
            Some(Field::Language)
        );
        assert_eq!(
            header_text("<p>Tu <b>nombre</b> &amp; apellidos</p>"),
            "Tu nombre & apellidos"
        );
        assert_eq!(header_text("a < b"), "a < b");
    }
}
