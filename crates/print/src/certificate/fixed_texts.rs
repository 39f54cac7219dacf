//! Which certificate texts are the same on every certificate of a
//! language, found in their templates: those are rendered once.
//!
//! The title, the body and the signatory read only the workshop; rendering
//! them again on every page was a measurable share of a certificate's cost.
//! A template counts as fixed only when every value it reads is one of the
//! workshop's and it uses no helper but `if` and `unless`; anything else
//! (`each`, `lookup`, `@root`, `../`, partials) counts as reading the
//! attendee.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use handlebars::template::{HelperTemplate, Parameter, TemplateElement};
use handlebars::{Path, PathSeg, Template};

/// The templates that render the same on every certificate of a
/// language, and what they rendered there, filled in on first use.
#[derive(Debug, Default)]
pub(super) struct FixedTexts {
    /// Names of the fixed templates, by language.
    fixed: HashMap<String, HashSet<String>>,
    /// What they rendered, by language.
    rendered: Mutex<HashMap<String, HashMap<String, String>>>,
}

impl FixedTexts {
    /// Finds the fixed templates among `texts` (by language, by key) and
    /// `layout` (the layout's texts, in order), all registered in
    /// `templates` under the names [`language_text`] and [`layout_text`]
    /// give.
    pub(super) fn find<'a>(
        templates: &handlebars::Handlebars<'_>,
        texts: impl IntoIterator<Item = (&'a str, Vec<&'a str>)>,
        layout: usize,
    ) -> FixedTexts {
        let mut fixed: HashMap<String, HashSet<String>> = HashMap::new();
        for (language, keys) in texts {
            let names = fixed.entry(language.to_owned()).or_default();
            let fixed_keys: HashSet<&str> = keys
                .into_iter()
                .filter(|key| {
                    templates
                        .get_template(&language_text(language, key))
                        .is_some_and(|template| reads_only(template, &workshop_value))
                })
                .collect();
            let reads_fixed = |segments: &[PathSeg]| {
                workshop_value(segments)
                    || matches!(segments, [PathSeg::Named(t), PathSeg::Named(key)]
                        if t == "t" && fixed_keys.contains(key.as_str()))
            };
            for index in 0..layout {
                if templates
                    .get_template(&layout_text(index))
                    .is_some_and(|template| reads_only(template, &reads_fixed))
                {
                    names.insert(layout_text(index));
                }
            }
            names.extend(fixed_keys.iter().map(|key| language_text(language, key)));
        }
        FixedTexts {
            fixed,
            rendered: Mutex::new(HashMap::new()),
        }
    }

    /// Whether template `name` renders the same on every certificate in
    /// `language`.
    fn is_fixed(&self, language: &str, name: &str) -> bool {
        self.fixed
            .get(language)
            .is_some_and(|names| names.contains(name))
    }

    /// What template `name` renders on a certificate in `language`:
    /// `render` gives it, once for a fixed template, every time otherwise.
    pub(super) fn render<E>(
        &self,
        language: &str,
        name: &str,
        render: impl FnOnce() -> Result<String, E>,
    ) -> Result<String, E> {
        if !self.is_fixed(language, name) {
            return render();
        }
        let known = self.rendered.lock().ok().and_then(|rendered| {
            rendered
                .get(language)
                .and_then(|texts| texts.get(name))
                .cloned()
        });
        if let Some(text) = known {
            return Ok(text);
        }
        let text = render()?;
        if let Ok(mut rendered) = self.rendered.lock() {
            rendered
                .entry(language.to_owned())
                .or_default()
                .insert(name.to_owned(), text.clone());
        }
        Ok(text)
    }
}

/// The name a language's text is registered under: `es.title`.
pub(super) fn language_text(language: &str, key: &str) -> String {
    format!("{language}.{key}")
}

/// The name the layout's `index`th text is registered under.
pub(super) fn layout_text(index: usize) -> String {
    format!("text{index}")
}

/// A value of the workshop: `workshop.…`, or the certificate's signatory.
fn workshop_value(segments: &[PathSeg]) -> bool {
    match segments {
        [PathSeg::Named(first), rest @ ..] if first == "workshop" => {
            rest.iter().all(|s| matches!(s, PathSeg::Named(_)))
        }
        [PathSeg::Named(first), PathSeg::Named(field)] => {
            first == "certificate" && (field == "signatory" || field == "signatory_role")
        }
        _ => false,
    }
}

/// Whether `template` reads no value but those `allowed` takes.
fn reads_only(template: &Template, allowed: &dyn Fn(&[PathSeg]) -> bool) -> bool {
    template.elements.iter().all(|element| match element {
        TemplateElement::RawString(_) | TemplateElement::Comment(_) => true,
        TemplateElement::Expression(helper)
        | TemplateElement::HtmlExpression(helper)
        | TemplateElement::HelperBlock(helper) => helper_reads_only(helper, allowed),
        _ => false,
    })
}

fn helper_reads_only(helper: &HelperTemplate, allowed: &dyn Fn(&[PathSeg]) -> bool) -> bool {
    let value = |parameter: &Parameter| match parameter {
        Parameter::Path(Path::Relative((segments, _))) => allowed(segments),
        Parameter::Literal(_) => true,
        _ => false,
    };
    let name = match &helper.name {
        Parameter::Name(name) => name == "if" || name == "unless",
        other => value(other),
    };
    name && helper.block_param.is_none()
        && helper.params.iter().all(value)
        && helper.hash.values().all(value)
        && helper
            .template
            .as_ref()
            .is_none_or(|inner| reads_only(inner, allowed))
        && helper
            .inverse
            .as_ref()
            .is_none_or(|inner| reads_only(inner, allowed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(language_texts: &[(&str, &str)], layout: &[&str]) -> Vec<String> {
        let mut templates = handlebars::Handlebars::new();
        for (key, text) in language_texts {
            templates
                .register_template_string(&language_text("es", key), text)
                .expect("compiles");
        }
        for (index, text) in layout.iter().enumerate() {
            templates
                .register_template_string(&layout_text(index), text)
                .expect("compiles");
        }
        let keys = language_texts.iter().map(|(key, _)| *key).collect();
        let found = FixedTexts::find(&templates, [("es", keys)], layout.len());
        let mut names: Vec<String> = found.fixed["es"].iter().cloned().collect();
        names.sort();
        names
    }

    #[test]
    fn only_texts_reading_the_workshop_alone_are_fixed() {
        let names = fixed(
            &[
                ("title", "Certificado de asistencia"),
                (
                    "body",
                    "ha asistido a «{{workshop.title}}»{{#if workshop.hours}}, de {{workshop.hours}}{{/if}}.",
                ),
                ("verify", "Verificable en {{certificate.verify_url}}"),
                ("greeting", "Hola, {{attendee.given_name}}"),
                ("each", "{{#each workshop.dates}}{{this}}{{/each}}"),
                ("lookup", "{{lookup workshop attendee.name}}"),
                ("root", "{{@root.attendee.name}}"),
            ],
            &[
                "{{t.title}}",
                "{{t.body}} {{certificate.signatory}}",
                "{{t.verify}}",
                "{{attendee.name}}",
                "{{t.id_label}} {{certificate.id}}",
            ],
        );
        assert_eq!(names, ["es.body", "es.title", "text0", "text1"]);
    }
}
