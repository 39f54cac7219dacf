//! The PDF core every printed thing uses: bundled fonts, shaped text,
//! pages and documents.
//!
//! # Coordinates and units
//! Positions and sizes are **millimetres from the top-left corner** of the
//! page, x to the right, y downwards. Text is placed by its **baseline**.
//! Font sizes and line thicknesses are in points (1 pt = 25.4/72 mm,
//! [`MM_PER_PT`]).
//!
//! # Text
//! - [`shape`] turns one line into glyphs: NFC, control characters become
//!   spaces, each character is drawn by the requested [`Face`] or, when that
//!   face lacks it, by the Sans of the same style and then Noto Naskh Arabic.
//!   Right-to-left runs (Arabic) are ordered with unicode-bidi and shaped
//!   (joined) with rustybuzz; the PDF's ToUnicode map gives back the logical
//!   text to copy, search and extract.
//! - A character no bundled face can show (CJK, emoji, …) is an
//!   [`Error::MissingGlyphs`](crate::Error::MissingGlyphs) naming the text
//!   and the characters: never a blank box.
//! - [`measure`] gives the width with the fonts' real advances (kerning
//!   included); [`wrap`] breaks text into lines that fit a width;
//!   [`vertical_metrics_mm`] gives ascender/descender for line spacing.
//!
//! # Drawing
//! Build a [`Page`] (any thread), then hand it to a [`StreamDocument`],
//! which writes the PDF page by page to any `Write` (a file, a `Vec<u8>`):
//!
//! ```
//! use taller_print::pdf::{Align, Color, DocumentInfo, Element, Face, Page, PageSize, Paint, Role, StreamDocument, TextStyle};
//! use taller_model::PaperSize;
//!
//! let info = DocumentInfo {
//!     title: "Hoja".into(),
//!     author: "Equipo".into(),
//!     subject: String::new(),
//!     created_unix: 1_453_881_600, // passed in: 2016-01-27
//! };
//! // Tagged for screen readers (PDF/UA-1), in Spanish.
//! let mut doc = StreamDocument::tagged(Vec::new(), info, "es")?;
//! let mut page = Page::new(PageSize::new(PaperSize::A4, false));
//! page.artifact(|page| {
//!     page.rect(10.0, 10.0, 190.0, 277.0, Paint::Stroke(Color::rgb(30, 60, 110), 1.0));
//! });
//! let title = TextStyle::new(Face::SansBold, 20.0).with_color(Color::rgb(30, 60, 110));
//! page.open(Element::new(Role::H1));
//! page.text("Hoja de firmas — Ольга, Ελένη, محمد", &title, 105.0, 30.0, Align::Center)?;
//! page.close();
//! page.artifact(|page| page.line((20.0, 35.0), (190.0, 35.0), 0.5, Color::BLACK));
//! page.open(Element::link("example.org"));
//! page.text("example.org", &TextStyle::new(Face::Sans, 10.0), 20.0, 45.0, Align::Left)?;
//! page.link(20.0, 40.0, 50.0, 8.0, "https://example.org");
//! page.close();
//! doc.add_page(&page)?;
//! let bytes = doc.finish()?;
//! assert!(bytes.starts_with(b"%PDF"));
//! # Ok::<(), taller_print::Error>(())
//! ```
//!
//! Images (PNG/JPEG): [`DecodedImage::decode`] once (a JPEG is kept as
//! it is, a PNG decoded and deflated, its transparency a soft mask), then
//! [`StreamDocument::add_image`] in each document and [`Page::image`] on
//! any page of it; it fits the picture inside a box, keeping its
//! proportions.
//!
//! # Written as they are made
//! [`StreamDocument`] keeps memory that does not grow with the page count,
//! serializes pages on several threads and stores drawing common to pages
//! once; see its module documentation. Handouts, sign-in sheets and badges
//! are tagged for screen readers ([`StreamDocument::tagged`],
//! [`Page::open`], [`Page::artifact`]: PDF/UA-1 and PDF/A-2a);
//! certificates and the report are PDF/A-2b.
//!
//! # Fonts in the file
//! Each face is subset per document (only the glyphs used) and embedded
//! once however many pages use it: a one-page certificate carries a few KB
//! of font, a 10,000-page file the same.

mod archival;
mod canvas;
mod codes;
mod fonts;
mod glyph;
mod hinting;
mod image;
mod inert_space;
mod stream_document;
mod structure;
mod tagged;
mod text;
mod words;
mod writer;

pub use canvas::{Align, CellGrid, Color, DocumentInfo, Image, Page, PageSize, Paint, TextStyle};
pub use fonts::{Face, can_show, vertical_metrics_mm};
pub use image::DecodedImage;
pub use stream_document::{PdfImage, SerializedPage, Serializer, StreamDocument};
pub use structure::{Element, Role};
pub(crate) use text::is_break_space;
pub use text::{ShapedText, measure, shape, wrap};

/// Millimetres per typographic point.
pub const MM_PER_PT: f32 = 25.4 / 72.0;

/// The text of every page of a PDF as a reader extracts it, for tests.
#[cfg(test)]
pub(crate) fn pages_text(pdf: &[u8]) -> Vec<String> {
    let mut warnings = Vec::new();
    let doc =
        printpdf::PdfDocument::parse(pdf, &printpdf::PdfParseOptions::default(), &mut warnings)
            .expect("readable PDF");
    doc.extract_text()
        .into_iter()
        .map(|chunks| chunks.join(" "))
        .collect()
}
