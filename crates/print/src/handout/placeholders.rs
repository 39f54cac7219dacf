//! `{{workshop.city}}`-style placeholders in a handout's text, filled from
//! the workshop file before the Markdown is read.
//!
//! Handlebars runs in strict mode, so a misspelt placeholder is an error
//! naming it and its line rather than a blank in a printed handout. Values
//! are escaped for Markdown, so a city called `*Sevilla*` or a title with
//! `[brackets]` prints as typed instead of turning into emphasis or links.

use handlebars::{Handlebars, RenderErrorReason};
use serde::Serialize;
use taller_model::{Language, Workshop, WorkshopContext};

use crate::Error;

/// What placeholders can name: `workshop.*` of the one template context
/// (`{{workshop.title}}`, `{{workshop.city}}`, `{{workshop.date}}` written
/// out in the workshop's language, `{{workshop.hours}}`,
/// `{{workshop.duration}}`, …), the same values as on certificates and in
/// emails.
#[derive(Debug, Clone, Serialize)]
pub struct PlaceholderValues {
    workshop: WorkshopContext,
    #[serde(skip)]
    language: Language,
}

impl PlaceholderValues {
    /// The values a workshop gives, in its own language.
    pub fn from_workshop(workshop: &Workshop) -> PlaceholderValues {
        let language = workshop.workshop.language.clone();
        PlaceholderValues {
            workshop: WorkshopContext::new(workshop, &language),
            language,
        }
    }

    /// The workshop's language.
    pub fn language(&self) -> Language {
        self.language.clone()
    }
}

/// Fills the placeholders of `source` (a handout named `name` in errors).
/// Without values (no workshop given), any placeholder is an error that
/// says so.
pub fn fill(source: &str, values: Option<&PlaceholderValues>, name: &str) -> Result<String, Error> {
    if !source.contains("{{") {
        return Ok(source.to_owned());
    }
    let mut registry = Handlebars::new();
    registry.set_strict_mode(true);
    registry.register_escape_fn(escape_markdown);
    registry
        .register_template_string(name, source)
        .map_err(|err| {
            let (line, reason) = match err.pos() {
                Some((line, _)) => (line, err.reason().to_string()),
                None => (0, err.reason().to_string()),
            };
            Error::Placeholder {
                file: name.to_owned(),
                line,
                message: format!("the placeholder syntax is broken ({reason}); write placeholders as {{{{workshop.city}}}}"),
            }
        })?;
    let Some(values) = values else {
        let line = source
            .lines()
            .position(|l| l.contains("{{"))
            .map_or(0, |i| i + 1);
        return Err(Error::Placeholder {
            file: name.to_owned(),
            line,
            message: "this text has placeholders such as {{workshop.city}}; give the workshop file with --workshop to fill them".to_owned(),
        });
    };
    registry.render(name, values).map_err(|err| {
        let line = err.line_no.unwrap_or(0);
        let message = match err.reason() {
            RenderErrorReason::MissingVariable(Some(path)) => format!(
                "unknown placeholder {{{{{path}}}}}; the known ones are {}",
                KNOWN.join(", ")
            ),
            other => other.to_string(),
        };
        Error::Placeholder {
            file: name.to_owned(),
            line,
            message,
        }
    })
}

/// The placeholders a handout can use, for error messages.
const KNOWN: [&str; 11] = [
    "{{workshop.title}}",
    "{{workshop.city}}",
    "{{workshop.venue}}",
    "{{workshop.date}}",
    "{{workshop.start}}",
    "{{workshop.end}}",
    "{{workshop.hours}}",
    "{{workshop.duration}}",
    "{{workshop.organiser}}",
    "{{workshop.id}}",
    "{{workshop.language}}",
];

/// Backslash-escapes Markdown's punctuation and flattens line breaks, so a
/// value is always plain text of one line.
fn escape_markdown(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\r' | '\n' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handout::markdown::{Block, parse};

    fn workshop(city: &str) -> Workshop {
        let toml = format!(
            "[workshop]\nid = \"mad-2016-01\"\ntitle = \"Campaigning on Twitter\"\ncity = {city:?}\ndate = 2016-01-27\nhours = 4\nlanguage = \"es\"\n"
        );
        Workshop::from_toml(&toml).expect("valid workshop")
    }

    #[test]
    fn placeholders_are_filled_from_the_workshop() {
        let values = PlaceholderValues::from_workshop(&workshop("Madrid"));
        let text = fill(
            "# {{workshop.title}}\n\nEn {{workshop.city}}, el {{workshop.date}} ({{workshop.hours}} h).",
            Some(&values),
            "hoja.md",
        )
        .expect("filled");
        assert_eq!(
            text,
            "# Campaigning on Twitter\n\nEn Madrid, el 27 de enero de 2016 (4 h)."
        );
    }

    #[test]
    fn unknown_placeholders_name_themselves_and_the_line() {
        let values = PlaceholderValues::from_workshop(&workshop("Madrid"));
        let err = fill(
            "# Hoja\n\nLínea dos\n\nEn {{workshop.ciudad}}.",
            Some(&values),
            "hoja.md",
        )
        .expect_err("unknown");
        let message = err.to_string();
        assert!(message.contains("hoja.md"), "{message}");
        assert!(message.contains("line 5"), "{message}");
        assert!(message.contains("{{workshop.ciudad}}"), "{message}");
        assert!(message.contains("{{workshop.city}}"), "{message}");
    }

    #[test]
    fn broken_syntax_and_missing_workshop_are_clear_errors() {
        let values = PlaceholderValues::from_workshop(&workshop("Madrid"));
        let err = fill("a\n{{#if x}}\n", Some(&values), "h.md").expect_err("broken");
        assert!(err.to_string().contains("h.md"), "{err}");
        let err = fill("a\n\nb {{workshop.city}}", None, "h.md").expect_err("no workshop");
        let message = err.to_string();
        assert!(
            message.contains("line 3") && message.contains("--workshop"),
            "{message}"
        );
        assert_eq!(fill("sin nada", None, "h.md").expect("plain"), "sin nada");
    }

    #[test]
    fn values_stay_plain_text_in_markdown() {
        let values =
            PlaceholderValues::from_workshop(&workshop("*Sevilla* [x](http://evil)\r\n# no"));
        let text = fill("En {{workshop.city}}.", Some(&values), "h.md").expect("filled");
        let blocks = parse(&text);
        assert_eq!(blocks.len(), 1);
        let Block::Paragraph(runs) = &blocks[0] else {
            panic!("{blocks:?}")
        };
        assert_eq!(runs.len(), 1, "{runs:?}");
        assert_eq!(
            Block::plain_text(runs),
            "En *Sevilla* [x](http://evil)  # no."
        );
    }
}
