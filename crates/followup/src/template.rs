//! Template files: finding the variants of a template path (language,
//! HTML, `missed`), splitting header lines from the body, and rendering them
//! with two Handlebars registries (HTML-escaping for the HTML part, none for
//! the text part).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use handlebars::{
    Context, Handlebars, Helper, HelperResult, Output, RenderContext, RenderError,
    RenderErrorReason, no_escape,
};
use serde_json::Value;
use taller_model::{Date, Language};

use crate::Error;

/// Which message a template is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// The thank-you message for those who came.
    Attended,
    /// The message for those who registered but did not come.
    Missed,
}

/// A header a template may set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HeaderName {
    Subject,
    From,
    ReplyTo,
    Cc,
}

impl HeaderName {
    fn parse(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "subject" => Some(HeaderName::Subject),
            "from" => Some(HeaderName::From),
            "reply-to" => Some(HeaderName::ReplyTo),
            "cc" => Some(HeaderName::Cc),
            _ => None,
        }
    }

    fn key(self) -> &'static str {
        match self {
            HeaderName::Subject => "subject",
            HeaderName::From => "from",
            HeaderName::ReplyTo => "reply-to",
            HeaderName::Cc => "cc",
        }
    }
}

/// One language variant of one kind of message: its text template (with
/// headers) and, optionally, its HTML alternative.
#[derive(Debug, Clone)]
struct Variant {
    text: String,
    html: Option<String>,
    headers: Vec<HeaderName>,
}

/// Where a registered template comes from, to turn Handlebars' line numbers
/// back into the line a person sees in the file.
#[derive(Debug, Clone)]
struct Origin {
    file: String,
    line_offset: usize,
}

/// The rendered parts of one message, before MIME assembly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The subject, control characters turned into spaces.
    pub subject: String,
    /// `From:` set by the template, if any.
    pub from: Option<String>,
    /// `Reply-To:` set by the template, if any.
    pub reply_to: Option<String>,
    /// `Cc:` set by the template, if any.
    pub cc: Option<String>,
    /// The plain-text body.
    pub text: String,
    /// The HTML body, when the template has an HTML sibling.
    pub html: Option<String>,
}

/// Every variant of a template path, registered and ready to render.
pub struct Templates {
    text: Handlebars<'static>,
    html: Handlebars<'static>,
    origins: HashMap<String, Origin>,
    /// (kind, language) → variant; `None` is the language-neutral `T.hbs`.
    variants: BTreeMap<(Kind, Option<Language>), Variant>,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates")
            .field("variants", &self.variants.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// What a template file's name says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FileRole {
    kind: Kind,
    language: Option<Language>,
    html: bool,
}

/// Reads `followup.missed.es.html.hbs` as (missed, es, html) for base
/// `followup`; other files in the folder are not templates of this base.
fn file_role(base_name: &str, file_name: &str) -> Option<FileRole> {
    let middle = file_name
        .strip_prefix(base_name)?
        .strip_suffix(".hbs")?
        .strip_prefix('.')
        .unwrap_or("");
    let mut parts: Vec<&str> = if middle.is_empty() {
        Vec::new()
    } else {
        middle.split('.').collect()
    };
    let kind = if parts.first() == Some(&"missed") {
        parts.remove(0);
        Kind::Missed
    } else {
        Kind::Attended
    };
    let html = parts.last() == Some(&"html");
    if html {
        parts.pop();
    }
    let language = match parts.as_slice() {
        [] => None,
        [code] => Some(Language::parse(code).ok()?),
        _ => return None,
    };
    Some(FileRole {
        kind,
        language,
        html,
    })
}

/// A text template split into its header lines and its body.
struct Split<'a> {
    headers: Vec<(HeaderName, &'a str, usize)>,
    body: &'a str,
    body_line: usize,
}

/// Splits header lines (`Subject: …`) from the body at the first blank line.
fn split_headers<'a>(file: &str, source: &'a str) -> Result<Split<'a>, Error> {
    let mut headers = Vec::new();
    let mut offset = 0;
    for (index, line) in source.split_inclusive('\n').enumerate() {
        let line_no = index + 1;
        offset += line.len();
        let line = line.trim_end_matches(['\n', '\r']);
        if line.trim().is_empty() {
            if !headers
                .iter()
                .any(|(name, _, _)| *name == HeaderName::Subject)
            {
                return Err(Error::TemplateHeader {
                    file: file.to_owned(),
                    line: line_no,
                    message: "the template has no `Subject:` line; start it with `Subject: …`, then a blank line, then the body".to_owned(),
                });
            }
            return Ok(Split {
                headers,
                body: &source[offset..],
                body_line: line_no,
            });
        }
        let header = line
            .split_once(':')
            .and_then(|(name, value)| Some((HeaderName::parse(name)?, value.trim())));
        let Some((name, value)) = header else {
            return Err(Error::TemplateHeader {
                file: file.to_owned(),
                line: line_no,
                message: format!(
                    "`{}` is not a header line; a template starts with `Subject:` (and optionally `From:`, `Reply-To:`, `Cc:`) lines, then a blank line, then the body",
                    taller_model::shorten(line, 60)
                ),
            });
        };
        if headers.iter().any(|(seen, _, _)| *seen == name) {
            return Err(Error::TemplateHeader {
                file: file.to_owned(),
                line: line_no,
                message: format!("`{}:` appears twice; keep one", name.key()),
            });
        }
        headers.push((name, value, line_no));
    }
    Err(Error::TemplateHeader {
        file: file.to_owned(),
        line: source.lines().count().max(1),
        message: "the template has no blank line between its header lines and the body".to_owned(),
    })
}

/// Template sources are read as UTF-8 with Unix line ends, so that line
/// numbers in errors match what an editor shows.
fn read_source(path: &Path) -> Result<String, Error> {
    let bytes = std::fs::read(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|_| Error::TemplateHeader {
        file: display_name(path),
        line: 1,
        message: "the template is not UTF-8 text; save it as UTF-8".to_owned(),
    })?;
    Ok(text.trim_start_matches('\u{feff}').replace("\r\n", "\n"))
}

fn display_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

impl Templates {
    /// Finds and loads every variant of `base` (a path without language and
    /// extension, such as `templates/followup`).
    pub fn load(base: &Path) -> Result<Self, Error> {
        let dir = base
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| Path::new("."));
        let base_name = display_name(base);
        let entries = std::fs::read_dir(dir).map_err(|source| Error::Read {
            path: dir.to_path_buf(),
            source,
        })?;
        let mut files: Vec<(FileRole, PathBuf)> = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|source| Error::Read {
                path: dir.to_path_buf(),
                source,
            })?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if let Some(role) = file_role(&base_name, &name) {
                files.push((role, entry.path()));
            }
        }
        files.sort_by(|a, b| a.1.cmp(&b.1));
        let sources = files
            .into_iter()
            .map(|(role, path)| Ok((role, display_name(&path), read_source(&path)?)))
            .collect::<Result<Vec<_>, Error>>()?;
        Templates::from_sources(
            &base.display().to_string(),
            sources
                .iter()
                .map(|(r, n, s)| (r.clone(), n.as_str(), s.as_str())),
        )
    }

    fn from_sources<'a>(
        base: &str,
        sources: impl Iterator<Item = (FileRole, &'a str, &'a str)>,
    ) -> Result<Self, Error> {
        let mut templates = Templates {
            text: registry(false),
            html: registry(true),
            origins: HashMap::new(),
            variants: BTreeMap::new(),
        };
        let mut html_sources = Vec::new();
        for (role, file, source) in sources {
            if role.html {
                html_sources.push((role, file, source));
                continue;
            }
            let split = split_headers(file, source)?;
            let mut headers = Vec::new();
            for (name, value, line) in &split.headers {
                let key = format!("{file}#{}", name.key());
                templates.register_text(&key, file, line - 1, value)?;
                headers.push(*name);
            }
            templates.register_text(&format!("{file}#body"), file, split.body_line, split.body)?;
            templates.variants.insert(
                (role.kind, role.language),
                Variant {
                    text: file.to_owned(),
                    html: None,
                    headers,
                },
            );
        }
        for (role, file, source) in html_sources {
            templates
                .html
                .register_template_string(file, source)
                .map_err(|err| syntax_error(file, 0, source, &err))?;
            templates.origins.insert(
                file.to_owned(),
                Origin {
                    file: file.to_owned(),
                    line_offset: 0,
                },
            );
            // An HTML file without a language serves every language of its
            // kind that has no HTML of its own.
            let targets: Vec<(Kind, Option<Language>)> = templates
                .variants
                .keys()
                .filter(|(kind, language)| {
                    *kind == role.kind && (role.language.is_none() || *language == role.language)
                })
                .cloned()
                .collect();
            for key in targets {
                if let Some(variant) = templates.variants.get_mut(&key)
                    && (role.language.is_some() || variant.html.is_none())
                {
                    variant.html = Some(file.to_owned());
                }
            }
        }
        if !templates
            .variants
            .keys()
            .any(|(kind, _)| *kind == Kind::Attended)
        {
            return Err(Error::NoTemplate {
                base: base.to_owned(),
            });
        }
        Ok(templates)
    }

    fn register_text(
        &mut self,
        name: &str,
        file: &str,
        line_offset: usize,
        source: &str,
    ) -> Result<(), Error> {
        self.text
            .register_template_string(name, source)
            .map_err(|err| syntax_error(file, line_offset, source, &err))?;
        self.origins.insert(
            name.to_owned(),
            Origin {
                file: file.to_owned(),
                line_offset,
            },
        );
        Ok(())
    }

    /// Every (kind, language) there is a template for; `None` is `T.hbs`.
    pub fn all_variants(&self) -> Vec<(Kind, Option<Language>)> {
        self.variants.keys().cloned().collect()
    }

    /// True when there is a template for `kind` (in any language).
    pub fn has(&self, kind: Kind) -> bool {
        self.variants.keys().any(|(k, _)| *k == kind)
    }

    /// Picks the variant for a message: the attendee's language, else the
    /// workshop's, else the language-neutral `T.hbs`, else any language
    /// there is. Returns the language the message is written in.
    pub fn choose(
        &self,
        kind: Kind,
        wanted: Option<&Language>,
        workshop: &Language,
    ) -> Option<Language> {
        let has = |language: &Language| self.variants.contains_key(&(kind, Some(language.clone())));
        if let Some(language) = wanted.filter(|l| has(l)) {
            return Some(language.clone());
        }
        if has(workshop) {
            return Some(workshop.clone());
        }
        if self.variants.contains_key(&(kind, None)) {
            return Some(wanted.unwrap_or(workshop).clone());
        }
        self.variants
            .keys()
            .find(|(k, _)| *k == kind)
            .and_then(|(_, language)| language.clone())
    }

    fn variant(&self, kind: Kind, language: &Language) -> Option<&Variant> {
        self.variants
            .get(&(kind, Some(language.clone())))
            .or_else(|| self.variants.get(&(kind, None)))
    }

    /// Renders the `kind` message in `language` (as returned by
    /// [`Templates::choose`]) for one attendee's context. `who` names the
    /// attendee in errors.
    pub fn render(
        &self,
        kind: Kind,
        language: &Language,
        context: &Context,
        who: &str,
    ) -> Result<Rendered, Error> {
        let Some(variant) = self.variant(kind, language) else {
            return Err(Error::NoTemplate {
                base: format!("{kind:?} ({language})"),
            });
        };
        let header = |name: HeaderName| -> Result<Option<String>, Error> {
            if !variant.headers.contains(&name) {
                return Ok(None);
            }
            let key = format!("{}#{}", variant.text, name.key());
            self.render_one(&self.text, &key, context, who).map(Some)
        };
        let subject = header(HeaderName::Subject)?
            .unwrap_or_default()
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect::<String>()
            .trim()
            .to_owned();
        Ok(Rendered {
            subject,
            from: header(HeaderName::From)?,
            reply_to: header(HeaderName::ReplyTo)?,
            cc: header(HeaderName::Cc)?,
            text: self.render_one(&self.text, &format!("{}#body", variant.text), context, who)?,
            html: variant
                .html
                .as_ref()
                .map(|file| self.render_one(&self.html, file, context, who))
                .transpose()?,
        })
    }

    fn render_one(
        &self,
        registry: &Handlebars<'static>,
        name: &str,
        context: &Context,
        who: &str,
    ) -> Result<String, Error> {
        registry
            .render_with_context(name, context)
            .map_err(|err| self.render_error(name, &err, who))
    }

    fn render_error(&self, name: &str, err: &RenderError, who: &str) -> Error {
        let origin = self.origins.get(name).cloned().unwrap_or(Origin {
            file: name.to_owned(),
            line_offset: 0,
        });
        let line = origin.line_offset + err.line_no.unwrap_or(1);
        match err.reason() {
            RenderErrorReason::MissingVariable(path) => Error::MissingPlaceholder {
                file: origin.file,
                line,
                placeholder: path.clone().unwrap_or_default(),
                attendee: who.to_owned(),
            },
            reason => Error::Render {
                file: origin.file,
                line,
                message: reason.to_string(),
                attendee: who.to_owned(),
            },
        }
    }
}

fn syntax_error(
    file: &str,
    line_offset: usize,
    source: &str,
    err: &handlebars::TemplateError,
) -> Error {
    // For a block left open the parser lists every token it could have
    // expected at the end of the file; say which block instead, and where.
    if let handlebars::TemplateErrorReason::InvalidSyntax(_) = err.reason()
        && let Some((name, line)) = unclosed_block(source)
    {
        return Error::TemplateSyntax {
            file: file.to_owned(),
            line: line_offset + line,
            message: format!(
                "`{{{{#{name} …}}}}` is never closed; add `{{{{/{name}}}}}` where that part ends"
            ),
        };
    }
    let line = line_offset + err.pos().map_or(1, |(line, _)| line);
    Error::TemplateSyntax {
        file: file.to_owned(),
        line,
        message: err.reason().to_string(),
    }
}

/// The innermost `{{#name}}` block of `source` that no `{{/name}}` closes,
/// with its 1-based line.
fn unclosed_block(source: &str) -> Option<(String, usize)> {
    let mut open: Vec<(String, usize)> = Vec::new();
    for (at, _) in source.match_indices("{{") {
        let tag = source[at + 2..].trim_start_matches(['{', '~']);
        let name = |rest: &str| -> String {
            rest.chars()
                .take_while(|c| !c.is_whitespace() && *c != '}' && *c != '~')
                .collect()
        };
        if let Some(rest) = tag.strip_prefix('#') {
            let line = source[..at].matches('\n').count() + 1;
            open.push((name(rest), line));
        } else if let Some(rest) = tag.strip_prefix('/') {
            let closing = name(rest);
            if let Some(index) = open.iter().rposition(|(opened, _)| *opened == closing) {
                open.truncate(index);
            }
        }
    }
    open.pop()
}

/// A strict registry with the helpers; `html` keeps Handlebars' escaping,
/// the text registry escapes nothing (`O'Brien` must stay `O'Brien`).
fn registry(html: bool) -> Handlebars<'static> {
    let mut registry = Handlebars::new();
    registry.set_strict_mode(true);
    registry.set_prevent_indent(true);
    if !html {
        registry.register_escape_fn(no_escape);
    }
    registry.register_helper("date", Box::new(date_helper));
    registry.register_helper("default", Box::new(default_helper));
    registry
}

/// `{{date "2016-02-15"}}` or `{{date workshop.start "en"}}`: a date as
/// people write it in the message's language (or the one given).
fn date_helper(
    helper: &Helper<'_>,
    registry: &Handlebars<'_>,
    context: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    let param = helper
        .param(0)
        .ok_or(RenderErrorReason::ParamNotFoundForIndex("date", 0))?;
    if param.is_value_missing() {
        return Err(RenderErrorReason::MissingVariable(param.relative_path().cloned()).into());
    }
    let text = param.value().as_str().unwrap_or_default();
    let date = Date::parse(text).map_err(|err| RenderErrorReason::Other(err.to_string()))?;
    let language = match helper.param(1) {
        Some(code) => code.value().as_str().and_then(|c| Language::parse(c).ok()),
        None => context
            .data()
            .pointer("/message/language")
            .and_then(Value::as_str)
            .and_then(|c| Language::parse(c).ok()),
    }
    .unwrap_or_default();
    out.write(&registry.get_escape_fn()(&date.long(&language)))?;
    Ok(())
}

/// `{{default attendee.organisation "tu organización"}}`: the value, or the
/// fallback when the value is empty. A misspelt name is still an error.
fn default_helper(
    helper: &Helper<'_>,
    registry: &Handlebars<'_>,
    _: &Context,
    _: &mut RenderContext<'_, '_>,
    out: &mut dyn Output,
) -> HelperResult {
    let value = helper
        .param(0)
        .ok_or(RenderErrorReason::ParamNotFoundForIndex("default", 0))?;
    if value.is_value_missing() {
        return Err(RenderErrorReason::MissingVariable(value.relative_path().cloned()).into());
    }
    let fallback = helper
        .param(1)
        .ok_or(RenderErrorReason::ParamNotFoundForIndex("default", 1))?;
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    let chosen = match text(value.value()) {
        s if s.trim().is_empty() => text(fallback.value()),
        s => s,
    };
    out.write(&registry.get_escape_fn()(&chosen))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn role(kind: Kind, language: Option<&str>, html: bool) -> FileRole {
        FileRole {
            kind,
            language: language.map(|c| Language::parse(c).expect("code")),
            html,
        }
    }

    #[test]
    fn file_names_say_kind_language_and_html() {
        assert_eq!(
            file_role("followup", "followup.hbs"),
            Some(role(Kind::Attended, None, false))
        );
        assert_eq!(
            file_role("followup", "followup.es.hbs"),
            Some(role(Kind::Attended, Some("es"), false))
        );
        assert_eq!(
            file_role("followup", "followup.html.hbs"),
            Some(role(Kind::Attended, None, true))
        );
        assert_eq!(
            file_role("followup", "followup.en.html.hbs"),
            Some(role(Kind::Attended, Some("en"), true))
        );
        assert_eq!(
            file_role("followup", "followup.missed.es.hbs"),
            Some(role(Kind::Missed, Some("es"), false))
        );
        assert_eq!(
            file_role("followup", "followup.missed.html.hbs"),
            Some(role(Kind::Missed, None, true))
        );
        assert_eq!(file_role("followup", "other.es.hbs"), None);
        assert_eq!(file_role("followup", "followup.es.txt"), None);
        assert_eq!(file_role("followup", "followup.a.b.c.hbs"), None);
    }

    fn load(files: &[(&str, &str)]) -> Result<Templates, Error> {
        Templates::from_sources(
            "followup",
            files
                .iter()
                .map(|(name, source)| (file_role("followup", name).expect("role"), *name, *source)),
        )
    }

    fn context() -> Context {
        Context::wraps(json!({
            "attendee": {"name": "O'Brien <b>", "organisation": ""},
            "workshop": {"start": "2016-01-27"},
            "message": {"language": "es"},
        }))
        .expect("context")
    }

    #[test]
    fn renders_headers_text_and_html_with_helpers() {
        let templates = load(&[
            ("followup.es.hbs", "Subject: Gracias, {{attendee.name}}\nCc: x@y.es\n\nHola {{attendee.name}} de {{default attendee.organisation \"tu ONG\"}}, {{date workshop.start}}.\n"),
            ("followup.html.hbs", "<p>{{attendee.name}} {{date workshop.start \"en\"}}</p>"),
        ])
        .expect("valid");
        let es = Language::parse("es").expect("es");
        let out = templates
            .render(Kind::Attended, &es, &context(), "Ana")
            .expect("renders");
        assert_eq!(out.subject, "Gracias, O'Brien <b>");
        assert_eq!(out.cc.as_deref(), Some("x@y.es"));
        assert_eq!(
            out.text,
            "Hola O'Brien <b> de tu ONG, 27 de enero de 2016.\n"
        );
        assert_eq!(
            out.html.as_deref(),
            Some("<p>O&#x27;Brien &lt;b&gt; 27 January 2016</p>")
        );
    }

    #[test]
    fn a_value_cannot_break_the_subject_line() {
        let templates = load(&[(
            "followup.es.hbs",
            "Subject: Hola {{attendee.organisation}}\n\nbody\n",
        )])
        .expect("valid");
        let es = Language::parse("es").expect("es");
        let context = Context::wraps(json!({
            "attendee": {"organisation": "ONG\r\nBcc: victim@example.org"},
        }))
        .expect("context");
        let out = templates
            .render(Kind::Attended, &es, &context, "Ana")
            .expect("renders");
        assert_eq!(out.subject, "Hola ONG  Bcc: victim@example.org");
        assert!(!out.subject.contains(['\r', '\n']));
    }

    #[test]
    fn missing_placeholders_name_file_line_and_attendee() {
        let templates = load(&[(
            "followup.es.hbs",
            "Subject: Hola\n\nLínea uno\n\n{{attendee.nombre}}\n",
        )])
        .expect("valid");
        let es = Language::parse("es").expect("es");
        let err = templates
            .render(Kind::Attended, &es, &context(), "Ana Ruiz <ana@x.es>")
            .expect_err("missing")
            .to_string();
        assert!(
            err.starts_with("followup.es.hbs line 5: placeholder `attendee.nombre` does not exist"),
            "{err}"
        );
        assert!(err.contains("Ana Ruiz <ana@x.es>"), "{err}");
        let in_subject = load(&[(
            "followup.es.hbs",
            "From: a@b.es\nSubject: {{default workshop.sala \"x\"}}\n\nok\n",
        )])
        .expect("valid");
        let err = in_subject
            .render(Kind::Attended, &es, &context(), "Ana")
            .expect_err("missing")
            .to_string();
        assert!(
            err.starts_with("followup.es.hbs line 2: placeholder `workshop.sala`"),
            "{err}"
        );
    }

    #[test]
    fn syntax_and_header_errors_name_the_line() {
        let err = load(&[(
            "followup.es.hbs",
            "Subject: x\n\nuno\n{{#if attendee.name}}\n",
        )])
        .expect_err("unclosed")
        .to_string();
        assert!(err.starts_with("followup.es.hbs line"), "{err}");
        assert!(err.contains("not valid Handlebars"), "{err}");
        let err = load(&[("followup.es.hbs", "Subject: x\nAsunto: y\n\nbody")])
            .expect_err("bad header")
            .to_string();
        assert!(
            err.starts_with("followup.es.hbs line 2: `Asunto: y` is not a header line"),
            "{err}"
        );
        let err = load(&[("followup.es.hbs", "Hola\n\nbody")])
            .expect_err("no subject")
            .to_string();
        assert!(err.contains("line 1"), "{err}");
        let err = load(&[("followup.missed.es.hbs", "Subject: x\n\nbody")])
            .expect_err("no main template")
            .to_string();
        assert!(err.contains("no template found"), "{err}");
    }

    #[test]
    fn an_unclosed_block_is_named_with_its_line() {
        let err = load(&[(
            "followup.es.hbs",
            "Subject: x\n\nuno\n{{#each list}}{{this}}{{/each}}\n{{#if attendee.name}}\nHola\n",
        )])
        .expect_err("unclosed")
        .to_string();
        assert_eq!(
            err,
            "followup.es.hbs line 5: the template is not valid Handlebars: \
             `{{#if …}}` is never closed; add `{{/if}}` where that part ends"
        );
        assert_eq!(
            unclosed_block("{{#if a}}{{#unless b}}x{{/unless}}"),
            Some(("if".to_owned(), 1))
        );
        assert_eq!(unclosed_block("{{~#if a~}}\n{{~/if~}}"), None);
    }

    #[test]
    fn language_choice_falls_back() {
        let templates = load(&[
            ("followup.es.hbs", "Subject: a\n\nb"),
            ("followup.en.hbs", "Subject: a\n\nb"),
        ])
        .expect("valid");
        let lang = |c: &str| Language::parse(c).expect("code");
        assert_eq!(
            templates.choose(Kind::Attended, Some(&lang("en")), &lang("es")),
            Some(lang("en"))
        );
        assert_eq!(
            templates.choose(Kind::Attended, Some(&lang("fr")), &lang("es")),
            Some(lang("es"))
        );
        assert_eq!(
            templates.choose(Kind::Attended, Some(&lang("fr")), &lang("de")),
            Some(lang("en"))
        );
        assert_eq!(templates.choose(Kind::Missed, None, &lang("es")), None);
    }
}
