//! Pages: what is drawn where, in millimetres from the page's top-left
//! corner, and what a document needs to know of the fonts it embeds.
//!
//! A [`Page`] is a list of drawing operations; it borrows nothing, so pages
//! can be built on several threads and handed to a
//! [`StreamDocument`](super::StreamDocument) in page order.

use std::fmt::Write as _;

use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::subset::{CmapTarget, SubsetProfile, subset};
use taller_model::PaperSize;

use super::fonts::{self, Face};
use super::text::{ShapedText, shape};
use crate::Error;

/// An RGB colour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Color {
    /// Red, 0–1.
    pub r: f32,
    /// Green, 0–1.
    pub g: f32,
    /// Blue, 0–1.
    pub b: f32,
}

impl Color {
    /// Black.
    pub const BLACK: Color = Color::rgb(0, 0, 0);
    /// White.
    pub const WHITE: Color = Color::rgb(255, 255, 255);

    /// A colour from 0–255 components.
    pub const fn rgb(r: u8, g: u8, b: u8) -> Color {
        Color {
            r: r as f32 / 255.0,
            g: g as f32 / 255.0,
            b: b as f32 / 255.0,
        }
    }

    /// Parses `#rrggbb` (or `rrggbb`).
    pub fn from_hex(text: &str) -> Option<Color> {
        let hex = text.trim().trim_start_matches('#');
        if hex.len() != 6 || !hex.is_ascii() {
            return None;
        }
        let byte = |at: usize| u8::from_str_radix(&hex[at..at + 2], 16).ok();
        Some(Color::rgb(byte(0)?, byte(2)?, byte(4)?))
    }
}

/// A page size in millimetres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageSize {
    /// Width in millimetres.
    pub width_mm: f32,
    /// Height in millimetres.
    pub height_mm: f32,
}

impl PageSize {
    /// A paper size, portrait or landscape.
    pub fn new(paper: PaperSize, landscape: bool) -> PageSize {
        let (w, h) = paper.portrait_mm();
        if landscape {
            PageSize {
                width_mm: h,
                height_mm: w,
            }
        } else {
            PageSize {
                width_mm: w,
                height_mm: h,
            }
        }
    }
}

/// Horizontal alignment of text relative to its x position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    /// x is where the text starts.
    #[default]
    Left,
    /// x is the middle of the text.
    Center,
    /// x is where the text ends.
    Right,
}

/// How text looks: face, size and colour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextStyle {
    /// The face; characters it lacks fall back to other bundled faces.
    pub face: Face,
    /// Size in points.
    pub size_pt: f32,
    /// Colour.
    pub color: Color,
}

impl TextStyle {
    /// Black text in `face` at `size_pt`.
    pub fn new(face: Face, size_pt: f32) -> TextStyle {
        TextStyle {
            face,
            size_pt,
            color: Color::BLACK,
        }
    }

    /// The same style in another colour.
    pub fn with_color(self, color: Color) -> TextStyle {
        TextStyle { color, ..self }
    }
}

/// How a rectangle is painted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Paint {
    /// Filled, no outline.
    Fill(Color),
    /// Outline only, of this thickness in points.
    Stroke(Color, f32),
}

/// An image added to a [`StreamDocument`](super::StreamDocument), ready
/// to be placed on its pages.
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    /// Its name in the document's resources (`Im1`).
    pub(super) name: String,
    pub(super) width_px: f32,
    pub(super) height_px: f32,
}

impl Image {
    /// Width over height.
    pub fn aspect_ratio(&self) -> f32 {
        self.width_px / self.height_px.max(1.0)
    }
}

#[derive(Debug, Clone)]
pub(super) enum Item {
    Text {
        shaped: ShapedText,
        x_mm: f32,
        baseline_mm: f32,
        size_pt: f32,
        color: Color,
    },
    Line {
        from: (f32, f32),
        to: (f32, f32),
        thickness_pt: f32,
        color: Color,
    },
    Rect {
        x_mm: f32,
        y_mm: f32,
        width_mm: f32,
        height_mm: f32,
        paint: Paint,
    },
    Image {
        image: Image,
        x_mm: f32,
        y_mm: f32,
        width_mm: f32,
        height_mm: f32,
    },
    Link {
        x_mm: f32,
        y_mm: f32,
        width_mm: f32,
        height_mm: f32,
        url: String,
    },
    Cells {
        x_mm: f32,
        y_mm: f32,
        cell_mm: f32,
        grid: CellGrid,
        color: Color,
    },
}

/// A square grid of cells, each dark or light: a QR code's modules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellGrid {
    side: usize,
    /// Row by row from the top-left, `true` for dark.
    dark: Vec<bool>,
}

impl CellGrid {
    /// The grid of `side` × `side` cells given row by row from the
    /// top-left (`true` for dark); `None` when `dark` is not that many.
    pub fn new(side: usize, dark: Vec<bool>) -> Option<CellGrid> {
        (side.checked_mul(side) == Some(dark.len())).then_some(CellGrid { side, dark })
    }

    /// Cells along a side.
    pub fn side(&self) -> usize {
        self.side
    }

    /// The cells row by row from the top-left, `true` for dark.
    pub fn dark(&self) -> &[bool] {
        &self.dark
    }
}

/// One page being drawn. Coordinates are millimetres from the page's
/// **top-left** corner, x to the right, y downwards; text is placed by its
/// baseline.
#[derive(Debug, Clone)]
pub struct Page {
    pub(super) size: PageSize,
    pub(super) items: Vec<Item>,
    /// Where structure elements open and close among the items
    /// (`tagged.rs`): the item index each mark comes before.
    pub(super) marks: Vec<(usize, super::structure::Mark)>,
}

impl Page {
    /// An empty page.
    pub fn new(size: PageSize) -> Page {
        Page {
            size,
            items: Vec::new(),
            marks: Vec::new(),
        }
    }

    /// The page's size.
    pub fn size(&self) -> PageSize {
        self.size
    }

    /// Each text drawn: its characters, left edge and width in millimetres.
    #[cfg(test)]
    pub(crate) fn texts(&self) -> Vec<(&str, f32, f32)> {
        self.items
            .iter()
            .filter_map(|item| match item {
                Item::Text {
                    shaped,
                    x_mm,
                    size_pt,
                    ..
                } => Some((shaped.text(), *x_mm, shaped.width_mm(*size_pt))),
                _ => None,
            })
            .collect()
    }

    /// Draws one line of `text` with its baseline at `baseline_mm`, aligned
    /// on `x_mm`; returns its width in millimetres.
    pub fn text(
        &mut self,
        text: &str,
        style: &TextStyle,
        x_mm: f32,
        baseline_mm: f32,
        align: Align,
    ) -> Result<f32, Error> {
        let shaped = shape(text, style.face)?;
        Ok(self.shaped_text(&shaped, style, x_mm, baseline_mm, align))
    }

    /// Draws text shaped earlier (by [`shape`](super::shape) or
    /// [`wrap`](super::wrap)); returns its width in millimetres.
    pub fn shaped_text(
        &mut self,
        shaped: &ShapedText,
        style: &TextStyle,
        x_mm: f32,
        baseline_mm: f32,
        align: Align,
    ) -> f32 {
        let width = shaped.width_mm(style.size_pt);
        let left = match align {
            Align::Left => x_mm,
            Align::Center => x_mm - width / 2.0,
            Align::Right => x_mm - width,
        };
        if !shaped.is_empty() {
            self.items.push(Item::Text {
                shaped: shaped.clone(),
                x_mm: left,
                baseline_mm,
                size_pt: style.size_pt,
                color: style.color,
            });
        }
        width
    }

    /// A straight line.
    pub fn line(&mut self, from: (f32, f32), to: (f32, f32), thickness_pt: f32, color: Color) {
        self.items.push(Item::Line {
            from,
            to,
            thickness_pt,
            color,
        });
    }

    /// A rectangle whose top-left corner is at (`x_mm`, `y_mm`).
    pub fn rect(&mut self, x_mm: f32, y_mm: f32, width_mm: f32, height_mm: f32, paint: Paint) {
        self.items.push(Item::Rect {
            x_mm,
            y_mm,
            width_mm,
            height_mm,
            paint,
        });
    }

    /// An image scaled to fit inside the box whose top-left corner is at
    /// (`x_mm`, `y_mm`), keeping its proportions, centred in the box.
    pub fn image(&mut self, image: &Image, x_mm: f32, y_mm: f32, width_mm: f32, height_mm: f32) {
        let scale = (width_mm / image.width_px).min(height_mm / image.height_px);
        let (w, h) = (image.width_px * scale, image.height_px * scale);
        self.items.push(Item::Image {
            image: image.clone(),
            x_mm: x_mm + (width_mm - w) / 2.0,
            y_mm: y_mm + (height_mm - h) / 2.0,
            width_mm: w,
            height_mm: h,
        });
    }

    /// The dark cells of a grid whose top-left corner is at (`x_mm`,
    /// `y_mm`), each cell `cell_mm` square, filled in `color`: a 1-bit
    /// image mask without interpolation (sharp at any zoom), so a QR code
    /// costs a bit per module.
    pub fn cells(&mut self, x_mm: f32, y_mm: f32, cell_mm: f32, grid: CellGrid, color: Color) {
        self.items.push(Item::Cells {
            x_mm,
            y_mm,
            cell_mm,
            grid,
            color,
        });
    }

    /// An image stretched to fill the box exactly (a page background
    /// designed for A4 printed on Letter), whatever its proportions.
    pub fn image_stretched(
        &mut self,
        image: &Image,
        x_mm: f32,
        y_mm: f32,
        width_mm: f32,
        height_mm: f32,
    ) {
        self.items.push(Item::Image {
            image: image.clone(),
            x_mm,
            y_mm,
            width_mm,
            height_mm,
        });
    }

    /// A clickable area (no visible border) that opens `url`.
    pub fn link(&mut self, x_mm: f32, y_mm: f32, width_mm: f32, height_mm: f32, url: &str) {
        self.items.push(Item::Link {
            x_mm,
            y_mm,
            width_mm,
            height_mm,
            url: url.to_owned(),
        });
    }
}

/// The cells as an inline 1-bit image mask (ISO 32000-1 8.9.6.2, 8.9.7)
/// painted in the fill colour, one bit per cell, in the current grid units
/// (y downwards): a QR code of 29 x 29 modules is 116 bytes of samples
/// instead of a rectangle per run. Without `/Interpolate` readers draw each
/// cell as a sharp square. `None` when no cell is dark.
pub(super) fn cells_mask(grid: &CellGrid) -> Option<String> {
    if !grid.dark.contains(&true) {
        return None;
    }
    let (width, height) = (grid.side, grid.side);
    // Sample 1 is left unpainted (the default Decode [0 1] paints 0s), and
    // so are the bits that pad a row to a byte.
    let bits = grid.dark.chunks(width).flat_map(|row| {
        row.chunks(8).map(|cells| {
            let dark = cells
                .iter()
                .enumerate()
                .fold(0u8, |byte, (i, &dark)| byte | u8::from(dark) << (7 - i));
            !dark
        })
    });
    let mut text = String::with_capacity(width.div_ceil(8) * height * 2 + 80);
    // The unit square, where images are drawn, scaled to the grid with its
    // first row at the top.
    let _ = write!(
        text,
        "{width} 0 0 -{height} 0 {height} cm\nBI /W {width} /H {height} /IM true /BPC 1 /F /AHx ID\n"
    );
    for byte in bits {
        let _ = write!(text, "{byte:02x}");
    }
    text.push_str(">\nEI");
    Some(text)
}

/// Document metadata.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DocumentInfo {
    /// Title shown by PDF readers.
    pub title: String,
    /// Author.
    pub author: String,
    /// Subject.
    pub subject: String,
    /// Creation time, seconds since 1970-01-01 UTC (passed in, so output
    /// can be reproducible).
    pub created_unix: i64,
}

/// The glyphs one face uses in a document, numbered in the order they were
/// first used: that order is the glyph numbering of the face's subset.
#[derive(Debug, Default)]
pub(super) struct FaceUse {
    /// Original glyph ids; position = subset glyph id; 0 is `.notdef`.
    pub(super) order: Vec<u16>,
    /// Subset glyph id of each original glyph id (0: not used yet), a
    /// table rather than a map: it is looked up for every glyph of every
    /// page.
    subset_id: Vec<u16>,
    /// Text of each subset glyph, for the ToUnicode map.
    pub(super) texts: Vec<String>,
}

impl FaceUse {
    pub(super) fn new() -> FaceUse {
        FaceUse {
            order: vec![0],
            subset_id: Vec::new(),
            texts: vec![String::new()],
        }
    }

    /// The subset id of original glyph `gid`, if it was numbered.
    pub(super) fn get(&self, gid: u16) -> Option<u16> {
        if gid == 0 {
            return Some(0);
        }
        self.subset_id
            .get(usize::from(gid))
            .copied()
            .filter(|&id| id != 0)
    }

    /// Numbers `gid` (if new) and returns its subset id; `text` is what
    /// the glyph stands for, kept from its first use with text.
    pub(super) fn subset_gid(&mut self, gid: u16, text: &str) -> u16 {
        let id = match self.get(gid) {
            Some(id) => id,
            None => {
                let next = u16::try_from(self.order.len()).unwrap_or(u16::MAX);
                let at = usize::from(gid);
                if self.subset_id.len() <= at {
                    self.subset_id.resize(at + 1, 0);
                }
                self.subset_id[at] = next;
                self.order.push(gid);
                self.texts.push(String::new());
                next
            }
        };
        if let Some(slot) = self.texts.get_mut(usize::from(id))
            && slot.is_empty()
            && !text.is_empty()
        {
            text.clone_into(slot);
        }
        id
    }
}

/// The face's PDF name: a subset tag (six capitals and `+`, one per face, as
/// the PDF standard asks of subset fonts) and the font's own name.
pub(super) fn font_name(face: Face) -> String {
    let tag = char::from(b'A' + u8::try_from(face.index()).unwrap_or(0));
    format!("TALLR{tag}+{}", face.postscript_name())
}

/// The advance of original glyph `gid` as the PDF declares it: whole
/// 1/1000 em, truncated (as the fonts' `/W` arrays say), so that TJ adjustments
/// computed against it put each glyph where the shaper did.
pub(super) fn declared_width(loaded: &fonts::LoadedFace, gid: u16) -> f32 {
    let per_mille = 1000.0 / loaded.units_per_em;
    loaded
        .shaper
        .glyph_hor_advance(ttf_parser::GlyphId(gid))
        .map_or(0.0, |w| (f32::from(w) * per_mille).trunc())
}

/// The tables a PDF needs from a TrueType font (ISO 32000-1 §9.9) plus
/// `cmap`, which text extractors without a ToUnicode map fall back on. Hinting (`cvt `, `fpgm`, `prep`) is
/// left out and glyph instructions are stripped afterwards (see
/// [`hinting`](super::hinting)); `name` and `post` are never used by readers.
fn pdf_tables() -> SubsetProfile {
    use allsorts::tag;
    SubsetProfile::Custom(vec![tag::CMAP, tag::HEAD, tag::HHEA, tag::HMTX, tag::MAXP])
}

/// A face reduced to `glyphs` (original ids; the first is `.notdef`), with
/// glyph `i` of the result being `glyphs[i]`.
pub(super) fn subset_face(bytes: &[u8], glyphs: &[u16]) -> Result<Vec<u8>, String> {
    let font = ReadScope::new(bytes)
        .read::<FontData<'_>>()
        .map_err(|e| e.to_string())?;
    let provider = font.table_provider(0).map_err(|e| e.to_string())?;
    subset(&provider, glyphs, &pdf_tables(), CmapTarget::Unicode).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::{StreamDocument, pages_text};

    fn info() -> DocumentInfo {
        DocumentInfo {
            title: "Prueba".to_owned(),
            author: "taller".to_owned(),
            subject: String::new(),
            created_unix: 1_453_881_600,
        }
    }

    const SAMPLES: [&str; 5] = [
        "José María Núñez-Ibáñez",
        "Nguyễn Thị Minh Khai",
        "Ελένη Παπαδοπούλου",
        "Ольга Кузнецова",
        "Zoë Łukasiewicz",
    ];

    fn sample_page() -> Page {
        let mut page = Page::new(PageSize::new(PaperSize::A4, true));
        let style = TextStyle::new(Face::Serif, 24.0);
        for (i, sample) in SAMPLES.iter().enumerate() {
            page.text(sample, &style, 20.0, 30.0 + 15.0 * i as f32, Align::Left)
                .expect("bundled fonts cover it");
        }
        page.text("محمد بن سلمان", &style, 20.0, 120.0, Align::Left)
            .expect("Arabic falls back");
        page.rect(10.0, 10.0, 277.0, 190.0, Paint::Stroke(Color::BLACK, 1.0));
        page.link(20.0, 150.0, 40.0, 10.0, "https://example.org/verify/X");
        page
    }

    #[test]
    fn text_in_many_scripts_extracts_back() {
        let mut doc = StreamDocument::new(Vec::new(), info()).expect("in memory");
        doc.add_page(&sample_page()).expect("in memory");
        let bytes = doc.finish().expect("in memory");
        // Three faces (serif, sans for the hyphen fallback, Arabic), each
        // subset to the glyphs the page uses.
        assert!(bytes.len() < 60_000, "one page is {} bytes", bytes.len());
        let text = &pages_text(&bytes)[0];
        for sample in SAMPLES {
            assert!(text.contains(sample), "{sample} missing from {text:?}");
        }
        // Arabic is written in reading order: an extractor that keeps the
        // file's order (printpdf's) reads the name as typed.
        assert!(text.contains("محمد بن سلمان"), "{text:?}");
    }

    #[test]
    fn cells_become_a_mask_with_a_zero_bit_per_dark_cell() {
        // A 10 x 10 grid: the first two cells of the first row, the last
        // of the second and third rows, and nothing else.
        let mut dark = vec![false; 100];
        for at in [0, 1, 19, 29] {
            dark[at] = true;
        }
        let grid = CellGrid::new(10, dark).expect("10 x 10");
        let mask = cells_mask(&grid).expect("has cells");
        let (head, data) = mask.split_once("ID\n").expect("inline image");
        assert!(head.starts_with("10 0 0 -10 0 10 cm"), "{head}");
        assert!(head.contains("/W 10 /H 10 /IM true /BPC 1"), "{head}");
        assert_eq!(data, format!("3fffffbfffbf{}>\nEI", "ffff".repeat(7)));
        let light = CellGrid::new(10, vec![false; 100]).expect("10 x 10");
        assert_eq!(cells_mask(&light), None);
        assert_eq!(CellGrid::new(10, vec![false; 99]), None);
    }

    #[test]
    fn colours_parse() {
        assert_eq!(Color::from_hex("#ff0000"), Some(Color::rgb(255, 0, 0)));
        assert_eq!(Color::from_hex("1e3c6e"), Some(Color::rgb(30, 60, 110)));
        assert_eq!(Color::from_hex("#12345"), None);
        assert_eq!(Color::from_hex("#ééé"), None);
    }
}
