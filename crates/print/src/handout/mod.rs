//! Handouts: a Markdown text (the safety factsheet, a handbook excerpt) set
//! as a multi-page A4 PDF with a title, real bold and italic faces,
//! clickable links, shaded call-outs, images, and a footer carrying the
//! workshop's name and `Página 2 de 4` in its language.
//!
//! ```
//! use std::collections::HashMap;
//! use taller_print::handout::{Handout, HandoutOptions};
//! let handout = Handout::parse("# Hoja\n\nUn **consejo**.", None, "hoja.md")?;
//! let made = handout.render(&HashMap::new(), &HandoutOptions::default())?;
//! assert_eq!(made.pages, 1);
//! # Ok::<(), taller_print::Error>(())
//! ```

pub mod layout;
pub mod markdown;
pub mod placeholders;

use std::collections::HashMap;

use taller_model::{Language, PaperSize};

use self::layout::{Fragment, ItemKind, Mark, Placed, Theme};
use self::markdown::{Block, Run, RunStyle};
use self::placeholders::PlaceholderValues;
use crate::Error;
use crate::pdf::{
    Align, Color, DecodedImage, DocumentInfo, Element, Face, Image, Page, PageSize, Paint,
    PdfImage, Role, StreamDocument, TextStyle, measure,
};

/// Page margins, in millimetres.
const MARGIN_LEFT: f32 = 22.0;
const MARGIN_RIGHT: f32 = 22.0;
const MARGIN_TOP: f32 = 20.0;
const MARGIN_BOTTOM: f32 = 24.0;
/// Baseline of the footer, from the bottom edge.
const FOOTER_BASELINE: f32 = 12.0;

/// How a handout is printed.
#[derive(Debug, Clone)]
pub struct HandoutOptions {
    /// The title, when not the text's first heading.
    pub title: Option<String>,
    /// The name in the footer (the workshop's title); the handout's own
    /// title when empty.
    pub footer: String,
    /// Language of the page numbers (`Página 2 de 4`, `Page 2 of 4`).
    pub language: Language,
    /// Author in the PDF's metadata (the organiser).
    pub author: String,
    /// Creation time, seconds since 1970 (passed in for reproducible files).
    pub created_unix: i64,
    /// The workshop's logo, in the top margin of the first page.
    pub logo: Option<DecodedImage>,
}

impl Default for HandoutOptions {
    fn default() -> Self {
        HandoutOptions {
            title: None,
            footer: String::new(),
            language: Language::english(),
            author: String::new(),
            created_unix: 0,
            logo: None,
        }
    }
}

/// A handout text, placeholders filled and Markdown read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handout {
    blocks: Vec<Block>,
}

/// A printed handout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MadeHandout {
    /// The PDF.
    pub pdf: Vec<u8>,
    /// Number of pages.
    pub pages: usize,
    /// The title it was printed with.
    pub title: String,
    /// What a coordinator should know: pictures without alternative text,
    /// which a screen reader skips.
    pub warnings: Vec<String>,
}

impl Handout {
    /// Fills the placeholders of `source` (see [`placeholders::fill`]) and
    /// reads its Markdown. `name` (the file name) is used in errors.
    pub fn parse(
        source: &str,
        values: Option<&PlaceholderValues>,
        name: &str,
    ) -> Result<Handout, Error> {
        let filled = placeholders::fill(source, values, name)?;
        Ok(Handout {
            blocks: markdown::parse(&filled),
        })
    }

    /// The images the text shows: source as written, and its line.
    pub fn images(&self) -> Vec<(String, usize)> {
        self.images_with_alt()
            .into_iter()
            .map(|(source, _, line)| (source, line))
            .collect()
    }

    /// The images: source, alternative text and line.
    fn images_with_alt(&self) -> Vec<(String, String, usize)> {
        fn walk(blocks: &[Block], out: &mut Vec<(String, String, usize)>) {
            for block in blocks {
                match block {
                    Block::Image { source, alt, line } => {
                        out.push((source.clone(), alt.clone(), *line));
                    }
                    Block::Quote(inner) => walk(inner, out),
                    Block::List { items, .. } => items.iter().for_each(|item| walk(item, out)),
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.blocks, &mut out);
        out
    }

    /// The text of the first heading, the handout's natural title.
    pub fn first_heading(&self) -> Option<String> {
        self.blocks.iter().find_map(|block| match block {
            Block::Heading { runs, .. } => Some(Block::plain_text(runs).trim().to_owned()),
            _ => None,
        })
    }

    /// Prints the handout. `images` holds the bytes of each image by its
    /// source as written; an image missing there is replaced by its
    /// alternative text.
    pub fn render(
        &self,
        images: &HashMap<String, Vec<u8>>,
        options: &HandoutOptions,
    ) -> Result<MadeHandout, Error> {
        let title = options
            .title
            .clone()
            .filter(|t| !t.trim().is_empty())
            .or_else(|| self.first_heading())
            .unwrap_or_default();
        let mut blocks = Vec::with_capacity(self.blocks.len() + 1);
        if let Some(given) = options.title.as_ref().filter(|t| !t.trim().is_empty()) {
            blocks.push(Block::Heading {
                level: 1,
                runs: vec![Run {
                    text: given.clone(),
                    style: RunStyle::default(),
                    link: None,
                }],
            });
        }
        blocks.extend(self.blocks.iter().cloned());

        // Tagged for screen readers (PDF/UA-1): readers show the title,
        // which must not be empty.
        let shown_title = [title.as_str(), options.footer.as_str()]
            .into_iter()
            .find(|t| !t.trim().is_empty())
            .unwrap_or("Handout")
            .to_owned();
        let mut document = StreamDocument::tagged(
            Vec::new(),
            DocumentInfo {
                title: shown_title,
                author: options.author.clone(),
                subject: options.footer.clone(),
                created_unix: options.created_unix,
            },
            options.language.code(),
        )?;
        let warnings: Vec<String> = self
            .images_with_alt()
            .into_iter()
            .filter(|(source, alt, _)| alt.trim().is_empty() && images.contains_key(source))
            .map(|(source, _, line)| {
                format!(
                    "line {line}: the picture {source} has no description, so a screen reader skips it; write what it shows between the brackets: ![what it shows]({source})"
                )
            })
            .collect();
        let mut placed_images: HashMap<&str, Image> = HashMap::new();
        // In the order of the text, so the same handout gives the same file.
        for (source, _) in self.images() {
            let Some((source, bytes)) = images.get_key_value(&source) else {
                continue;
            };
            if !placed_images.contains_key(source.as_str()) {
                let decoded = DecodedImage::decode(bytes, source)?;
                let image = document.add_image(&PdfImage::encode(&decoded))?;
                placed_images.insert(source.as_str(), image);
            }
        }

        let logo = options
            .logo
            .as_ref()
            .map(|logo| document.add_image(&PdfImage::encode(logo)))
            .transpose()?;
        let size = PageSize::new(PaperSize::A4, false);
        let theme = Theme::new(
            size.width_mm - MARGIN_LEFT - MARGIN_RIGHT,
            size.height_mm - MARGIN_TOP - MARGIN_BOTTOM,
        );
        let aspect = |source: &str| placed_images.get(source).map(Image::aspect_ratio);
        let items = layout::layout(&blocks, &theme, &measure, &aspect)?;
        let pages = layout::paginate(items, theme.height);
        let count = pages.len();
        let footer = if options.footer.trim().is_empty() {
            title.clone()
        } else {
            options.footer.clone()
        };
        for (index, placed) in pages.iter().enumerate() {
            let mut page = Page::new(size);
            if let (0, Some(logo)) = (index, &logo) {
                // In the top margin, right-aligned with the text column.
                let h = MARGIN_TOP - 8.0;
                let w = (h * logo.aspect_ratio()).min(40.0);
                page.artifact(|page| {
                    page.image(logo, size.width_mm - MARGIN_RIGHT - w, 5.0, w, h);
                });
            }
            draw_items(&mut page, placed, &theme, &placed_images)?;
            page.artifact(|page| {
                draw_footer(
                    page,
                    &footer,
                    &page_label(&options.language, index + 1, count),
                    &theme,
                )
            })?;
            document.add_page(&page)?;
        }
        Ok(MadeHandout {
            pdf: document.finish()?,
            pages: count,
            title,
            warnings,
        })
    }
}

/// `Página 2 de 4`, `Page 2 of 4`, … in the workshop's language.
pub fn page_label(language: &Language, page: usize, count: usize) -> String {
    match language.code() {
        "es" => format!("Página {page} de {count}"),
        "ca" => format!("Pàgina {page} de {count}"),
        "gl" => format!("Páxina {page} de {count}"),
        "eu" => format!("{page}. orria / {count}"),
        "fr" => format!("Page {page} sur {count}"),
        "pt" => format!("Página {page} de {count}"),
        _ => format!("Page {page} of {count}"),
    }
}

/// Only addresses a reader can safely open become clickable.
fn is_safe_link(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    ["http://", "https://", "mailto:", "tel:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme))
}

fn draw_items(
    page: &mut Page,
    placed: &[Placed],
    theme: &Theme,
    images: &HashMap<&str, Image>,
) -> Result<(), Error> {
    let mut previous_shaded = false;
    for entry in placed {
        let item = &entry.item;
        let top = MARGIN_TOP + entry.y;
        let left = MARGIN_LEFT + item.x;
        if let Some((band_x, band_width)) = item.shade {
            // Space inside a call-out is shaded too, so it reads as one box.
            let extra = if previous_shaded {
                entry.space_before
            } else {
                0.0
            };
            let (x, y, h) = (MARGIN_LEFT + band_x, top - extra, item.height + extra);
            page.artifact(|page| {
                page.rect(x, y, band_width, h, Paint::Fill(theme.shade));
                page.rect(x, y, 1.2, h, Paint::Fill(theme.accent));
            });
        }
        previous_shaded = item.shade.is_some();
        let marks = |page: &mut Page, at: &dyn Fn(usize) -> bool| {
            for (position, mark) in &item.marks {
                if at(*position) {
                    match mark {
                        Mark::Open(element) => page.open(element.clone()),
                        Mark::Close => page.close(),
                    }
                }
            }
        };
        let parts = match &item.kind {
            ItemKind::Line { fragments, .. } => fragments.len(),
            ItemKind::Rule | ItemKind::Image { .. } => 1,
            ItemKind::Space => 0,
        };
        match &item.kind {
            ItemKind::Line {
                fragments,
                baseline,
            } => {
                for (at, fragment) in fragments.iter().enumerate() {
                    marks(page, &|position| position == at);
                    draw_fragment(page, fragment, left, top, top + baseline, item.height)?;
                }
            }
            ItemKind::Rule => {
                marks(page, &|position| position == 0);
                let y = top + item.height / 2.0;
                page.artifact(|page| {
                    page.line((left, y), (left + item.width, y), 0.6, theme.accent);
                });
            }
            ItemKind::Image { source } => {
                marks(page, &|position| position == 0);
                let figure = item.marks.iter().any(
                    |(_, mark)| matches!(mark, Mark::Open(element) if element.role() == Role::Figure),
                );
                if let Some(image) = images.get(source.as_str()) {
                    if figure {
                        page.image(image, left, top, item.width, item.height);
                    } else {
                        page.artifact(|page| page.image(image, left, top, item.width, item.height));
                    }
                }
            }
            ItemKind::Space => {}
        }
        marks(page, &|position| position >= parts);
    }
    Ok(())
}

fn draw_fragment(
    page: &mut Page,
    fragment: &Fragment,
    left: f32,
    top: f32,
    baseline: f32,
    height: f32,
) -> Result<(), Error> {
    let style = TextStyle::new(fragment.face, fragment.size_pt).with_color(fragment.color);
    let x = left + fragment.x;
    let Some(url) = fragment.link.as_deref().filter(|url| is_safe_link(url)) else {
        page.text(&fragment.text, &style, x, baseline, Align::Left)?;
        return Ok(());
    };
    // A link element holds its text and its annotation, which a reader
    // announces by that text.
    page.open(Element::link(fragment.text.trim()));
    let width = page.text(&fragment.text, &style, x, baseline, Align::Left)?;
    let under = baseline + fragment.size_pt * 0.04;
    page.artifact(|page| page.line((x, under), (x + width, under), 0.5, fragment.color));
    page.link(x, top, width, height, url.trim());
    page.close();
    Ok(())
}

fn draw_footer(page: &mut Page, name: &str, label: &str, theme: &Theme) -> Result<(), Error> {
    let size = page.size();
    let baseline = size.height_mm - FOOTER_BASELINE;
    let right = size.width_mm - MARGIN_RIGHT;
    let grey = Color::rgb(110, 110, 110);
    page.line(
        (MARGIN_LEFT, baseline - 4.5),
        (right, baseline - 4.5),
        0.4,
        theme.accent,
    );
    let style = TextStyle::new(Face::Sans, 8.5).with_color(grey);
    let label_width = page.text(label, &style, right, baseline, Align::Right)?;
    // A very long workshop name is cut, never run into the page number.
    let room = right - MARGIN_LEFT - label_width - 6.0;
    let name = fit_one_line(name, Face::Sans, 8.5, room)?;
    page.text(&name, &style, MARGIN_LEFT, baseline, Align::Left)?;
    Ok(())
}

/// `text` on one line, cut with `…` to fit `width` millimetres.
fn fit_one_line(text: &str, face: Face, size_pt: f32, width: f32) -> Result<String, Error> {
    let text: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(300)
        .collect();
    if measure(&text, face, size_pt)? <= width {
        return Ok(text);
    }
    let mut chars: Vec<char> = text.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let candidate: String = chars.iter().collect::<String>().trim_end().to_owned() + "…";
        if measure(&candidate, face, size_pt)? <= width {
            return Ok(candidate);
        }
    }
    Ok(String::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::pages_text;

    #[test]
    fn a_handout_prints_with_title_links_and_page_numbers() {
        let mut text = String::from(
            "# Seguridad en redes\n\nIntro con [enlace](https://example.org/seguridad).\n\n",
        );
        for i in 0..60 {
            text.push_str(&format!("## Apartado {i}\n\nPárrafo {i} con **negrita** y *cursiva* que ocupa un par de líneas de texto para llenar páginas.\n\n"));
        }
        let handout = Handout::parse(&text, None, "hoja.md").expect("parses");
        let options = HandoutOptions {
            footer: "Campaigning on Twitter".into(),
            language: Language::spanish(),
            ..HandoutOptions::default()
        };
        let made = handout.render(&HashMap::new(), &options).expect("renders");
        assert!(made.pages >= 3, "{}", made.pages);
        assert_eq!(made.title, "Seguridad en redes");
        let pages = pages_text(&made.pdf);
        assert_eq!(pages.len(), made.pages);
        for (i, page) in pages.iter().enumerate() {
            let label = format!("Página {} de {}", i + 1, made.pages);
            assert!(page.contains(&label), "{label} missing on page {}", i + 1);
            assert!(page.contains("Campaigning on Twitter"));
        }
        assert!(pages[0].contains("Seguridad en redes"));
        let links = link_targets(&made.pdf);
        assert!(
            links
                .iter()
                .any(|(url, _)| url == "https://example.org/seguridad"),
            "{links:?}"
        );
    }

    /// Each link annotation's address and description (`/Contents`), read
    /// back from the file's (compressed) objects.
    fn link_targets(pdf: &[u8]) -> Vec<(String, String)> {
        let doc = lopdf::Document::load_mem(pdf).expect("lopdf reads it");
        doc.objects
            .values()
            .filter_map(|object| object.as_dict().ok())
            .filter(|dict| {
                dict.get(b"Subtype")
                    .and_then(lopdf::Object::as_name)
                    .is_ok_and(|name| name == b"Link")
            })
            .map(|dict| {
                let url = dict
                    .get(b"A")
                    .and_then(lopdf::Object::as_dict)
                    .and_then(|action| action.get(b"URI"))
                    .and_then(lopdf::Object::as_str)
                    .map(|url| String::from_utf8_lossy(url).into_owned())
                    .unwrap_or_default();
                let contents = dict
                    .get(b"Contents")
                    .ok()
                    .and_then(|text| lopdf::decode_text_string(text).ok())
                    .unwrap_or_default();
                (url, contents)
            })
            .collect()
    }

    #[test]
    fn unsafe_links_are_not_clickable() {
        let handout = Handout::parse("[x](javascript:alert(1)) [y](https://ok.org)", None, "h.md")
            .expect("parses");
        let made = handout
            .render(&HashMap::new(), &HandoutOptions::default())
            .expect("renders");
        let bytes = String::from_utf8_lossy(&made.pdf);
        assert!(!bytes.contains("javascript"));
        // Announced by its text, the only link.
        assert_eq!(
            link_targets(&made.pdf),
            [("https://ok.org".to_owned(), "y".to_owned())]
        );
    }

    #[test]
    fn with_real_metrics_every_line_stays_inside_the_margins() {
        let source =
            include_str!("../../../../assets/examples/madrid-2016/handouts/factsheet.es.md")
                .replace("{{", "{")
                .replace("}}", "}");
        let long_url = format!("Ver https://example.org/{} ya", "a".repeat(400));
        for text in [source.as_str(), long_url.as_str()] {
            let blocks = markdown::parse(text);
            let theme = Theme::new(
                210.0 - MARGIN_LEFT - MARGIN_RIGHT,
                297.0 - MARGIN_TOP - MARGIN_BOTTOM,
            );
            let items = layout::layout(&blocks, &theme, &measure, &|_| None).expect("lays out");
            assert!(items.len() > 2);
            for item in &items {
                let ItemKind::Line { fragments, .. } = &item.kind else {
                    continue;
                };
                for fragment in fragments {
                    let left = item.x + fragment.x;
                    let right = left + fragment.width;
                    assert!(left >= 0.0, "{:?} starts left of the margin", fragment.text);
                    assert!(
                        right <= theme.width + 0.05,
                        "{:?} ends {right} mm > {} mm",
                        fragment.text,
                        theme.width
                    );
                }
            }
        }
    }

    #[test]
    fn page_labels_follow_the_language() {
        let es = Language::spanish();
        assert_eq!(page_label(&es, 2, 4), "Página 2 de 4");
        assert_eq!(page_label(&Language::english(), 2, 4), "Page 2 of 4");
        let ca = Language::parse("ca").expect("code");
        assert_eq!(page_label(&ca, 1, 3), "Pàgina 1 de 3");
    }
}
