//! Laying out one attendee's certificate: texts rendered from the
//! layout's templates, fitted into their boxes, and drawn on a page.

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex};

use handlebars::{Context, Handlebars};
use rayon::prelude::*;
use serde_json::{Value, json};
use taller_model::{
    Attendee, AttendeeContext, AttendeeId, CertificateContext, CertificateId, Language, Workshop,
    WorkshopContext,
};

use super::fixed_texts::{FixedTexts, language_text, layout_text};
use super::layout::{AlignSpec, FLOOR_SIZE, Layout, LetterCase, MAX_TEXT_CHARS, TextSpec};
use super::merged::CertificateDocument;
use crate::Error;
use crate::pdf::{
    Align, Color, DecodedImage, DocumentInfo, Face, Image, MM_PER_PT, Page, PageSize, Paint,
    PdfImage, ShapedText, StreamDocument, TextStyle, shape, wrap,
};

/// Images printed on every certificate, already decoded.
#[derive(Debug, Clone, Default)]
pub struct CertificateImages {
    /// A designed background covering the whole page.
    pub background: Option<DecodedImage>,
    /// The organiser's logo.
    pub logo: Option<DecodedImage>,
}

/// One attendee's certificate to print.
#[derive(Debug, Clone, Copy)]
pub struct Recipient<'a> {
    /// The attendee.
    pub attendee: &'a Attendee,
    /// Their certificate's id.
    pub certificate_id: &'a CertificateId,
}

/// A text fitted into its box: lines, size and where they go.
#[derive(Debug, Clone)]
struct Fitted {
    lines: Vec<ShapedText>,
    size_pt: f32,
}

/// Makes certificates for one workshop with one layout. Shareable between
/// threads: pages are laid out on all cores.
pub struct CertificateMaker {
    layout: Layout,
    workshop: Workshop,
    page: PageSize,
    scale: (f32, f32),
    templates: Handlebars<'static>,
    /// Background and logo, encoded for PDF once for every document.
    images: [Option<PdfImage>; 2],
    /// Texts the same on every certificate of a language, rendered once.
    fixed: FixedTexts,
    /// [`Self::reference_texts`], by language.
    references: Mutex<HashMap<String, Arc<[String]>>>,
    /// Most texts (title, body, signatory) are the same on every
    /// certificate of a language: fit them once.
    fitted: Mutex<HashMap<(usize, String), Fitted>>,
    /// The organiser's token secret: the QR code's address then carries
    /// each certificate's token, which opens its entry on the site.
    verify_secret: Option<[u8; 32]>,
}

const FITTED_CACHE_LIMIT: usize = 512;

impl CertificateMaker {
    /// Prepares the templates of `layout` for `workshop`.
    pub fn new(
        workshop: &Workshop,
        layout: Layout,
        images: CertificateImages,
    ) -> Result<CertificateMaker, Error> {
        let mut templates = Handlebars::new();
        templates.set_strict_mode(true);
        // Certificates are not HTML: "O'Brien" must stay as typed.
        templates.register_escape_fn(handlebars::no_escape);
        for (i, spec) in layout.text.iter().enumerate() {
            templates
                .register_template_string(&layout_text(i), &spec.text)
                .map_err(|err| Error::Layout(format!("text `{}`: {err}", spec.text)))?;
        }
        for (language, texts) in &layout.texts {
            for (key, text) in texts {
                templates
                    .register_template_string(&language_text(language, key), text)
                    .map_err(|err| Error::Layout(format!("[texts.{language}] {key}: {err}")))?;
            }
        }
        let fixed = FixedTexts::find(
            &templates,
            layout.texts.iter().map(|(language, texts)| {
                (
                    language.as_str(),
                    texts.keys().map(String::as_str).collect(),
                )
            }),
            layout.text.len(),
        );
        let landscape = layout.page.landscape;
        let page = PageSize::new(workshop.certificate.paper, landscape);
        let scale = (
            page.width_mm / layout.page.width,
            page.height_mm / layout.page.height,
        );
        Ok(CertificateMaker {
            layout,
            workshop: workshop.clone(),
            page,
            scale,
            templates,
            images: [
                images.background.as_ref().map(PdfImage::encode),
                images.logo.as_ref().map(PdfImage::encode),
            ],
            fixed,
            references: Mutex::new(HashMap::new()),
            fitted: Mutex::new(HashMap::new()),
            verify_secret: None,
        })
    }

    /// Puts each certificate's token (from the organiser's `secret`, see
    /// `taller_model::verify_token`) in its QR code's address.
    pub fn with_verify_secret(mut self, secret: [u8; 32]) -> CertificateMaker {
        self.verify_secret = Some(secret);
        self
    }

    /// The address in a certificate's QR code, if the workshop has a
    /// verification site: with its token when the maker has the secret.
    pub fn qr_url(&self, certificate_id: &str) -> Option<String> {
        let certificate = &self.workshop.certificate;
        match &self.verify_secret {
            Some(secret) => certificate.verify_url_with_token(
                certificate_id,
                &taller_model::verify_token(secret, certificate_id),
            ),
            None => certificate.verify_url_for(certificate_id),
        }
    }

    /// The page size certificates are printed on.
    pub fn page_size(&self) -> PageSize {
        self.page
    }

    /// The language a certificate is written in: the attendee's when the
    /// layout has texts for it, else the workshop's, else English.
    pub fn language_for(&self, attendee: &Attendee) -> Language {
        let workshop = &self.workshop.workshop.language;
        [attendee.language_or(workshop), workshop]
            .into_iter()
            .find(|language| self.layout.texts.contains_key(language.code()))
            .cloned()
            .unwrap_or_else(Language::english)
    }

    /// A new document for certificates (all merged into one file), written
    /// to `out` as certificates are added: a file, or a `Vec<u8>`.
    pub fn document<W: Write>(
        &self,
        title: &str,
        created_unix: i64,
        out: W,
    ) -> Result<CertificateDocument<'_, W>, Error> {
        let mut doc = StreamDocument::new(
            out,
            DocumentInfo {
                title: title.to_owned(),
                author: self.workshop.workshop.organiser.clone(),
                subject: self.workshop.workshop.title.clone(),
                created_unix,
            },
        )?;
        // Background first, then the logo: the same names in every
        // document of this maker, so a page drawn for one is valid in all.
        let [background, logo] = &self.images;
        let background = background
            .as_ref()
            .map(|image| doc.add_image(image))
            .transpose()?;
        let logo = logo
            .as_ref()
            .map(|image| doc.add_image(image))
            .transpose()?;
        Ok(CertificateDocument {
            maker: self,
            doc,
            background,
            logo,
        })
    }

    /// One certificate as a whole PDF.
    pub fn single(&self, recipient: Recipient<'_>, created_unix: i64) -> Result<Vec<u8>, Error> {
        let mut document = self.single_document(recipient, created_unix)?;
        document.add(recipient)?;
        document.finish()
    }

    /// The document of one attendee's certificate, titled with their name.
    fn single_document(
        &self,
        recipient: Recipient<'_>,
        created_unix: i64,
    ) -> Result<CertificateDocument<'_, Vec<u8>>, Error> {
        let title = format!(
            "{} — {}",
            self.workshop.workshop.title,
            recipient.attendee.display_name()
        );
        self.document(&title, created_unix, Vec::with_capacity(24 * 1024))
    }

    /// Makes one PDF per recipient, on all cores, and hands each to `each`
    /// (which writes it) as soon as it is made, so only a few PDFs are in
    /// memory however many there are. The results come back in recipient
    /// order.
    pub fn each_single<R: Send>(
        &self,
        recipients: &[Recipient<'_>],
        created_unix: i64,
        each: impl Fn(Recipient<'_>, Result<Vec<u8>, Error>) -> R + Sync,
    ) -> Vec<R> {
        let merged: Option<&mut CertificateDocument<'_, std::io::Sink>> = None;
        self.each_single_and_merged(recipients, created_unix, merged, each)
            .unwrap_or_default()
    }

    /// [`each_single`](Self::each_single), and each certificate made also
    /// becomes a page of `merged` (in recipient order): every page is laid
    /// out once for both (the QR code, templates and text shaping are most
    /// of a page's cost), and serialized for each on all cores. A recipient
    /// whose certificate cannot be made (`each` gets the error) adds no
    /// page. The error is a failure to write `merged`.
    pub fn each_single_and_merged<R: Send, W: Write>(
        &self,
        recipients: &[Recipient<'_>],
        created_unix: i64,
        merged: Option<&mut CertificateDocument<'_, W>>,
        each: impl Fn(Recipient<'_>, Result<Vec<u8>, Error>) -> R + Sync,
    ) -> Result<Vec<R>, Error> {
        let single = |recipient: Recipient<'_>| -> Result<(Vec<u8>, Page), Error> {
            let mut document = self.single_document(recipient, created_unix)?;
            let page = self.page(
                recipient,
                document.background.as_ref(),
                document.logo.as_ref(),
            )?;
            document.doc.add_page(&page)?;
            Ok((document.finish()?, page))
        };
        let made = |recipient: Recipient<'_>, keep: bool| match single(recipient) {
            Ok((pdf, page)) => (each(recipient, Ok(pdf)), keep.then_some(page)),
            Err(err) => (each(recipient, Err(err)), None),
        };
        match merged {
            // Images are named in the order `document` adds them, the same
            // in every certificate document of this maker, so a page drawn
            // for one document is valid in another.
            Some(merged) => merged.pipeline(recipients, |recipient| {
                let (result, page) = made(recipient, true);
                (result, page.ok_or(()))
            }),
            None => Ok(recipients
                .par_iter()
                .map(|recipient| made(*recipient, false).0)
                .collect()),
        }
    }

    /// What templates see for one certificate. A handlebars `Context` made
    /// once: rendering with a plain value converts (copies) it on each of
    /// the twenty-odd templates of a page.
    fn data(&self, recipient: Recipient<'_>, language: &Language) -> Result<Context, Error> {
        let texts = self.layout.texts.get(language.code());
        let settings = &self.workshop.certificate;
        let id = recipient.certificate_id.as_str();
        let data = json!({
            "attendee": AttendeeContext::new(recipient.attendee),
            "workshop": WorkshopContext::new(&self.workshop, language),
            "certificate": CertificateContext {
                id: id.to_owned(),
                file: String::new(),
                verify_url: settings.verify_url_for(id).unwrap_or_default(),
                signatory: settings.signatory.clone(),
                signatory_role: settings.signatory_role.clone(),
            },
        });
        let mut data = Context::from(data);
        let mut rendered = serde_json::Map::new();
        if let Some(texts) = texts {
            for key in texts.keys() {
                let name = language_text(language.code(), key);
                let text = self
                    .fixed
                    .render(language.code(), &name, || {
                        self.templates.render_with_context(&name, &data)
                    })
                    .map_err(|err| {
                        Error::Layout(format!("[texts.{}] {key}: {err}", language.code()))
                    })?;
                rendered.insert(key.clone(), Value::String(text));
            }
        }
        data.data_mut()["t"] = Value::Object(rendered);
        Ok(data)
    }

    fn mm(&self, x: f32, y: f32) -> (f32, f32) {
        (x * self.scale.0, y * self.scale.1)
    }

    /// Draws one certificate.
    pub(super) fn page(
        &self,
        recipient: Recipient<'_>,
        background: Option<&Image>,
        logo: Option<&Image>,
    ) -> Result<Page, Error> {
        let language = self.language_for(recipient.attendee);
        let data = self.data(recipient, &language)?;
        let mut page = Page::new(self.page);
        let (width, height) = (self.page.width_mm, self.page.height_mm);
        if let Some(image) = background {
            page.image_stretched(image, 0.0, 0.0, width, height);
        }
        for spec in &self.layout.rect {
            let (x, y, w, h) = match (spec.inset, spec.area) {
                (Some(inset), _) => (inset, inset, width - 2.0 * inset, height - 2.0 * inset),
                (None, Some([x, y, w, h])) => {
                    let (x, y) = self.mm(x, y);
                    let (w, h) = self.mm(w, h);
                    (x, y, w, h)
                }
                (None, None) => continue,
            };
            if let Some(fill) = spec.fill.as_deref().and_then(Color::from_hex) {
                page.rect(x, y, w, h, Paint::Fill(fill));
            }
            if let Some(stroke) = spec.stroke.as_deref().and_then(Color::from_hex) {
                page.rect(x, y, w, h, Paint::Stroke(stroke, spec.thickness));
            }
        }
        for spec in &self.layout.line {
            if !wanted(data.data(), spec.when.as_deref()) {
                continue;
            }
            let color = colour(spec.color.as_deref());
            page.line(
                self.mm(spec.from[0], spec.from[1]),
                self.mm(spec.to[0], spec.to[1]),
                spec.thickness,
                color,
            );
        }
        if let (Some(image), Some(spec)) = (logo, &self.layout.logo) {
            let [x, y, w, h] = spec.area;
            let (x, y) = self.mm(x, y);
            let (w, h) = self.mm(w, h);
            page.image(image, x, y, w, h);
        }
        let references = self.reference_texts(&language);
        for (i, spec) in self.layout.text.iter().enumerate() {
            if !wanted(data.data(), spec.when.as_deref()) {
                continue;
            }
            let text = self.layout_text(i, spec, &language, &data)?;
            if text.trim().is_empty() {
                continue;
            }
            let reference = references.get(i).map_or("", String::as_str);
            self.draw_text(&mut page, i, spec, text, reference)?;
        }
        if let (Some(spec), Some(url)) = (
            &self.layout.qr,
            self.qr_url(recipient.certificate_id.as_str()),
        ) {
            let (x, y) = self.mm(spec.x, spec.y);
            let size = spec.size * self.scale.0.min(self.scale.1);
            draw_qr(&mut page, &url, x, y, size, colour(spec.color.as_deref()))?;
            page.link(x, y, size, size, &url);
        }
        Ok(page)
    }

    /// The layout's `index`th text on a certificate of `data`.
    fn layout_text(
        &self,
        index: usize,
        spec: &TextSpec,
        language: &Language,
        data: &Context,
    ) -> Result<String, Error> {
        let name = layout_text(index);
        let text = self
            .fixed
            .render(language.code(), &name, || {
                self.templates.render_with_context(&name, data)
            })
            .map_err(|err| Error::Layout(format!("text `{}`: {err}", spec.text)))?;
        Ok(match spec.letter_case {
            LetterCase::Keep => text,
            LetterCase::Upper => text.to_uppercase(),
        })
    }

    /// What the layout's texts say, in `language`, on the certificate of
    /// nobody: no attendee's values, and an id no attendee has (empty
    /// where a text cannot be made so).
    ///
    /// A certificate's first line of a text is drawn in two parts where it
    /// parts from this one: the words before ("Certificado n.º ",
    /// "Verificable en https://example.org/verify/") are then the same on
    /// every page, and a merged file stores them once instead of
    /// in every page's own drawing (55 bytes a page).
    fn reference_texts(&self, language: &Language) -> Arc<[String]> {
        let known = self
            .references
            .lock()
            .ok()
            .and_then(|references| references.get(language.code()).cloned());
        if let Some(known) = known {
            return known;
        }
        let nobody = Attendee::default();
        let id = CertificateId::derive(&self.workshop.workshop.id, &AttendeeId::from_email(""), 0);
        let recipient = Recipient {
            attendee: &nobody,
            certificate_id: &id,
        };
        let data = self.data(recipient, language).ok();
        let texts: Arc<[String]> = self
            .layout
            .text
            .iter()
            .enumerate()
            .map(|(i, spec)| {
                data.as_ref()
                    .and_then(|data| self.layout_text(i, spec, language, data).ok())
                    .unwrap_or_default()
            })
            .collect();
        if let Ok(mut references) = self.references.lock() {
            references.insert(language.code().to_owned(), Arc::clone(&texts));
        }
        texts
    }

    /// Draws a text of the layout in its box; its first line in two parts
    /// where it parts from `reference` (see [`Self::reference_texts`]).
    fn draw_text(
        &self,
        page: &mut Page,
        index: usize,
        spec: &TextSpec,
        text: String,
        reference: &str,
    ) -> Result<(), Error> {
        let [x, y, w, h] = spec.area;
        let (x, y) = self.mm(x, y);
        let (w, h) = self.mm(w, h);
        let face = Face::from_name(&spec.face).unwrap_or(Face::Sans);
        let key = (index, text);
        let cached = self
            .fitted
            .lock()
            .ok()
            .and_then(|cache| cache.get(&key).cloned());
        let fitted = match cached {
            Some(fitted) => fitted,
            None => {
                let fitted = fit(&key.1, face, spec, w, h)?;
                if let Ok(mut cache) = self.fitted.lock() {
                    if cache.len() >= FITTED_CACHE_LIMIT {
                        cache.clear();
                    }
                    cache.insert(key, fitted.clone());
                }
                fitted
            }
        };
        let style = TextStyle::new(face, fitted.size_pt).with_color(colour(spec.color.as_deref()));
        let line_height = fitted.size_pt * spec.line_height * MM_PER_PT;
        // Centre the block of lines vertically in the box; the cap height
        // (about 0.7 em) sits above each baseline.
        let block =
            line_height * (fitted.lines.len() as f32 - 1.0) + fitted.size_pt * 0.7 * MM_PER_PT;
        let first_baseline = y + (h - block) / 2.0 + fitted.size_pt * 0.7 * MM_PER_PT;
        let (anchor, align) = match spec.align {
            AlignSpec::Left => (x, Align::Left),
            AlignSpec::Center => (x + w / 2.0, Align::Center),
            AlignSpec::Right => (x + w, Align::Right),
        };
        for (n, line) in fitted.lines.iter().enumerate() {
            let baseline = first_baseline + n as f32 * line_height;
            let cut = if n == 0 {
                line.split_at(shared_prefix(line.text(), reference))
            } else {
                None
            };
            let Some((head, tail)) = cut else {
                page.shaped_text(line, &style, anchor, baseline, align);
                continue;
            };
            let left = match align {
                Align::Left => anchor,
                Align::Center => anchor - line.width_mm(style.size_pt) / 2.0,
                Align::Right => anchor - line.width_mm(style.size_pt),
            };
            let head_width = page.shaped_text(&head, &style, left, baseline, Align::Left);
            page.shaped_text(&tail, &style, left + head_width, baseline, Align::Left);
        }
        Ok(())
    }
}

/// How many bytes `text` starts with that `other` starts with too, up
/// to a character's end and back to a word's start: a certificate's
/// number (`MAD16-4QCYWS`) or a name is never cut, as a reader that
/// searches a page's text in drawing order must find it whole.
fn shared_prefix(text: &str, other: &str) -> usize {
    let same = text
        .bytes()
        .zip(other.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let mut at = (0..=same)
        .rev()
        .find(|&at| text.is_char_boundary(at))
        .unwrap_or(0);
    let in_word = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '\'' | '’');
    while let (Some(before), Some(after)) =
        (text[..at].chars().next_back(), text[at..].chars().next())
    {
        if !(in_word(before) && in_word(after)) {
            break;
        }
        at -= before.len_utf8();
    }
    at
}

/// Shrinks, then wraps `text` until it fits `width` × `height`.
fn fit(text: &str, face: Face, spec: &TextSpec, width: f32, height: f32) -> Result<Fitted, Error> {
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(Error::TooLong {
            text: text.chars().take(60).collect(),
            chars: text.chars().count(),
            max: MAX_TEXT_CHARS,
        });
    }
    let single = shape(text, face)?;
    let min = spec.min_size.unwrap_or(spec.size).min(spec.size);
    let fits_height = |size: f32, lines: usize| {
        // A line needs its size; further lines add the line spacing.
        let needed = size * MM_PER_PT * (1.0 + spec.line_height * (lines as f32 - 1.0));
        needed <= height + 0.01
    };
    let mut size = spec.size;
    // One line, shrinking from `size` to `min_size`.
    while size >= min {
        if single.width_mm(size) <= width && fits_height(size, 1) {
            return Ok(Fitted {
                lines: vec![single],
                size_pt: size,
            });
        }
        size -= 0.5;
    }
    // Several lines (up to max_lines), from `size` down, then below
    // `min_size` if a huge text must still fit: never outside the box.
    let mut size = spec.size;
    while size >= FLOOR_SIZE {
        if single.width_mm(size) <= width && fits_height(size, 1) {
            return Ok(Fitted {
                lines: vec![single],
                size_pt: size,
            });
        }
        if spec.max_lines > 1 {
            let lines = wrap(text, face, size, width)?;
            if lines.len() <= spec.max_lines
                && fits_height(size, lines.len())
                && lines.iter().all(|l| l.width_mm(size) <= width + 0.01)
            {
                return Ok(Fitted {
                    lines,
                    size_pt: size,
                });
            }
        }
        size -= if size > min { 1.0 } else { 0.5 };
    }
    Err(Error::TooLong {
        text: text.chars().take(60).collect(),
        chars: text.chars().count(),
        max: MAX_TEXT_CHARS,
    })
}

fn colour(hex: Option<&str>) -> Color {
    hex.and_then(Color::from_hex).unwrap_or(Color::BLACK)
}

/// Whether a `when = "a.b"` condition holds: the value is not empty.
fn wanted(data: &Value, when: Option<&str>) -> bool {
    let Some(path) = when else { return true };
    let mut value = data;
    for key in path.split('.') {
        match value.get(key) {
            Some(inner) => value = inner,
            None => return false,
        }
    }
    match value {
        Value::String(text) => !text.trim().is_empty(),
        Value::Null => false,
        _ => true,
    }
}

/// The QR code of `url` as cells of dark modules, `size` mm square.
fn draw_qr(
    page: &mut Page,
    url: &str,
    x: f32,
    y: f32,
    size: f32,
    color: Color,
) -> Result<(), Error> {
    let grid = crate::qr::grid(url)?;
    page.cells(x, y, size / grid.side() as f32, grid, color);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::certificate::layout::DEFAULT_LAYOUT;
    use taller_model::{AttendeeId, PaperSize};

    fn workshop(paper: PaperSize) -> Workshop {
        let mut workshop = Workshop::from_toml(
            r#"
[workshop]
id = "mad-2016-01"
title = "Campaigning on Twitter"
city = "Madrid"
date = 2016-01-27
hours = 2.5
language = "es"
organiser = "ONG"

[certificate]
signatory = "Lucía Martín"
verify_url = "https://example.org/verify/{id}"
"#,
        )
        .expect("valid workshop");
        workshop.certificate.paper = paper;
        workshop
    }

    fn maker(paper: PaperSize) -> CertificateMaker {
        let layout = Layout::default_layout().expect("the default layout parses");
        CertificateMaker::new(&workshop(paper), layout, CertificateImages::default())
            .expect("templates compile")
    }

    fn attendee(name: &str, language: Option<&str>) -> (Attendee, CertificateId) {
        let attendee = Attendee {
            id: AttendeeId::from_email("a@example.org"),
            full_name: name.to_owned(),
            language: language.map(|code| Language::parse(code).expect("code")),
            ..Attendee::default()
        };
        let id = CertificateId::derive("mad-2016-01", &attendee.id, 0);
        (attendee, id)
    }

    fn name_spec(layout: &Layout) -> &TextSpec {
        layout
            .text
            .iter()
            .find(|t| t.text == "{{attendee.name}}")
            .expect("the default layout prints the name")
    }

    #[test]
    fn names_always_fit_their_box() {
        let layout = Layout::default_layout().expect("parses");
        let spec = name_spec(&layout);
        let [_, _, width, height] = spec.area;
        let short = fit("Ana Ruiz", Face::SerifItalic, spec, width, height).expect("fits");
        assert_eq!(short.lines.len(), 1);
        assert_eq!(short.size_pt, spec.size);
        let long_name = "Maximiliano Fernández de la Cueva y Hernández de Córdoba-Villanueva \
                         Ramírez de Arellano y Fernández de Velasco";
        let long = fit(long_name, Face::SerifItalic, spec, width, height).expect("fits");
        assert!(long.lines.len() <= 2);
        assert!(long.size_pt < spec.size);
        for line in &long.lines {
            assert!(line.width_mm(long.size_pt) <= width, "{}", line.text());
        }
        let needed =
            long.size_pt * MM_PER_PT * (1.0 + spec.line_height * (long.lines.len() as f32 - 1.0));
        assert!(needed <= height + 0.01);
        let words: Vec<&str> = long.lines.iter().map(ShapedText::text).collect();
        assert_eq!(words.join(" "), long_name);
    }

    #[test]
    fn hostile_values_are_errors_not_panics() {
        let maker = maker(PaperSize::A4);
        let huge = "A".repeat(5 * 1024 * 1024);
        let (a, id) = attendee(&huge, None);
        let err = maker
            .single(
                Recipient {
                    attendee: &a,
                    certificate_id: &id,
                },
                0,
            )
            .expect_err("a 5 MB name cannot be printed");
        assert!(matches!(err, Error::TooLong { .. }), "{err}");
        let (b, id) = attendee("Ana\r\n<script>=cmd|' /C calc'!A0", None);
        maker
            .single(
                Recipient {
                    attendee: &b,
                    certificate_id: &id,
                },
                0,
            )
            .expect("odd characters are printed as text");
    }

    #[test]
    fn language_falls_back_to_the_workshop_then_english() {
        let maker = maker(PaperSize::A4);
        assert_eq!(
            maker.language_for(&attendee("A", Some("en")).0).code(),
            "en"
        );
        assert_eq!(
            maker.language_for(&attendee("A", Some("ca")).0).code(),
            "ca"
        );
        assert_eq!(
            maker.language_for(&attendee("A", Some("fr")).0).code(),
            "es"
        );
        assert_eq!(maker.language_for(&attendee("A", None).0).code(), "es");
        let (a, id) = attendee("Ana", Some("en"));
        let data = maker
            .data(
                Recipient {
                    attendee: &a,
                    certificate_id: &id,
                },
                &Language::english(),
            )
            .expect("renders");
        let data = data.data();
        assert_eq!(data["workshop"]["duration"], "2.5 hours");
        assert_eq!(data["t"]["title"], "Certificate of attendance");
        let data = maker
            .data(
                Recipient {
                    attendee: &a,
                    certificate_id: &id,
                },
                &Language::spanish(),
            )
            .expect("renders");
        let data = data.data();
        assert_eq!(data["workshop"]["duration"], "2,5 horas");
        assert_eq!(data["workshop"]["date"], "27 de enero de 2016");
    }

    #[test]
    fn letter_paper_is_available() {
        let letter = maker(PaperSize::Letter);
        let size = letter.page_size();
        assert!((size.width_mm - 279.4).abs() < 0.01 && (size.height_mm - 215.9).abs() < 0.01);
        let (a, id) = attendee("Ana Ruiz", None);
        let pdf = letter
            .single(
                Recipient {
                    attendee: &a,
                    certificate_id: &id,
                },
                1_453_881_600,
            )
            .expect("prints");
        assert!(
            String::from_utf8_lossy(&pdf).contains("792"),
            "Letter is 792 pt wide"
        );
    }

    #[test]
    fn merged_pages_drawn_once_match_the_single_certificates() {
        let maker = maker(PaperSize::A4);
        let people = [
            attendee("Ana Ruiz", Some("es")),
            attendee("Ολγα 你好", None),
            attendee("Zoë Łukasiewicz", Some("en")),
        ];
        let recipients: Vec<Recipient<'_>> = people
            .iter()
            .map(|(attendee, certificate_id)| Recipient {
                attendee,
                certificate_id,
            })
            .collect();
        let text = |bytes: &[u8]| -> Vec<String> {
            let mut warnings = Vec::new();
            printpdf::PdfDocument::parse(
                bytes,
                &printpdf::PdfParseOptions::default(),
                &mut warnings,
            )
            .expect("parses")
            .extract_text()
            .into_iter()
            .map(|page| page.join(" "))
            .collect()
        };
        let mut merged = maker
            .document("all", 1_453_881_600, Vec::new())
            .expect("in memory");
        let singles = maker
            .each_single_and_merged(&recipients, 1_453_881_600, Some(&mut merged), |_, pdf| {
                pdf.ok().map(|bytes| text(&bytes).join(" "))
            })
            .expect("in memory");
        // The name no bundled font can show gets no certificate and no page.
        assert!(singles[1].is_none());
        let singles: Vec<String> = singles.into_iter().flatten().collect();
        assert_eq!(merged.len(), 2);
        let pages = text(&merged.finish().expect("saves"));
        assert_eq!(pages, singles);
        assert!(pages[0].contains("Ana Ruiz") && pages[1].contains("Zoë Łukasiewicz"));
    }

    #[test]
    fn the_words_before_the_certificate_id_are_the_same_on_every_page() {
        let maker = maker(PaperSize::A4);
        let heads = ["Ana Ruiz", "Zoë Łukasiewicz"].map(|name| {
            let (a, id) = attendee(name, Some("es"));
            let recipient = Recipient {
                attendee: &a,
                certificate_id: &id,
            };
            let page = maker.page(recipient, None, None).expect("draws");
            let texts = page.texts();
            let heads = [
                "Certificado n.º ",
                "Verificable en https://example.org/verify/#id=",
            ]
            .map(|label| {
                let at = texts
                    .iter()
                    .position(|(text, ..)| text.starts_with(label))
                    .unwrap_or_else(|| panic!("{label:?} drawn: {texts:?}"));
                let ((head, x, width), (tail, tail_x, _)) = (texts[at], texts[at + 1]);
                assert_eq!(format!("{head}{tail}"), format!("{label}{}", id.as_str()));
                assert!(!tail.is_empty(), "{texts:?}");
                assert!((x + width - tail_x).abs() < 1e-3, "{texts:?}");
                head.to_owned()
            });
            // Texts that are all the attendee's, or all the workshop's, stay whole.
            assert!(texts.iter().any(|(text, ..)| *text == name));
            assert!(
                texts
                    .iter()
                    .any(|(text, ..)| text.starts_with("ha asistido al taller"))
            );
            heads
        });
        assert_eq!(heads[0], heads[1]);
        assert_eq!(
            heads[0],
            [
                "Certificado n.º ",
                "Verificable en https://example.org/verify/#id="
            ]
        );
    }

    #[test]
    fn a_shared_prefix_ends_between_characters() {
        assert_eq!(shared_prefix("Nº 12", "Nº 13"), "Nº ".len());
        assert_eq!(
            shared_prefix("Nº MAD16-4QCYWS", "Nº MAD16-0000"),
            "Nº ".len()
        );
        assert_eq!(
            shared_prefix("en https://x.org/v/MAD16-4Q", "en https://x.org/v/MAD16-0"),
            "en https://x.org/v/".len()
        );
        // "é" and "è" share their first byte, not a character.
        assert_eq!(shared_prefix("el café", "el cafè"), "el ".len());
        assert_eq!(shared_prefix("Ana", ""), 0);
        assert_eq!(shared_prefix("Ana", "Ana María"), 3);
        assert_eq!(
            shared_prefix("Hola Ana, bienvenida", "Hola Ana María"),
            "Hola Ana".len()
        );
    }

    #[test]
    fn bad_layouts_are_reported_with_the_line() {
        let text = DEFAULT_LAYOUT.replace("face = \"serif-italic\"", "face = \"comic\"");
        let err = Layout::from_toml(&text, "mine.toml").expect_err("unknown face");
        assert!(
            err.to_string().contains("comic") && err.to_string().contains("sans"),
            "{err}"
        );
        let text = DEFAULT_LAYOUT.replace("min_size = 20.0", "min_size = 0.0");
        let err = Layout::from_toml(&text, "mine.toml").expect_err("invisible text");
        assert!(err.to_string().contains("min_size"), "{err}");
        let err = Layout::from_toml("[page]\nwidth = ", "mine.toml").expect_err("broken");
        assert!(err.to_string().contains("mine.toml, line 2"), "{err}");
        let text = DEFAULT_LAYOUT.replace("{{t.title}}", "{{t.title");
        let layout = Layout::from_toml(&text, "mine.toml").expect("TOML is fine");
        let err = CertificateMaker::new(
            &workshop(PaperSize::A4),
            layout,
            CertificateImages::default(),
        );
        assert!(err.is_err());
    }
}
