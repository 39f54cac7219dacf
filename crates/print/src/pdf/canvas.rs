//! Pages and documents: what is drawn where, and the PDF bytes at the end.
//!
//! A [`Page`] is a list of drawing operations in millimetres from the page's
//! top-left corner; it borrows nothing, so pages can be built on several
//! threads. [`Document::add_page`] turns a page into PDF operations at once,
//! numbering each glyph in the document's own font subsets, so memory holds
//! PDF operations only, and [`Document::save`] embeds every face once.

use std::collections::HashMap;
use std::fmt::Write as _;

use rayon::prelude::*;

use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::subset::{CmapTarget, SubsetProfile, subset};
use printpdf::{
    Actions, BorderArray, Codepoint, Color as PdfColor, CurTransMat, FontId, Line, LineCapStyle,
    LinePoint, LinkAnnotation, Mm, Op, PaintMode, ParsedFont, PdfDocument, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, RawImage, Rect, Rgb, TextItem, XObject, XObjectId, XObjectTransform,
};
use taller_model::PaperSize;

use super::MM_PER_PT;
use super::fonts::{self, Face};
use super::text::{Run, ShapedText, shape};
use super::writer::deflate;
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

    /// Components rounded to 3 decimals: within a fifth of an 8-bit step
    /// of the exact value (so the same colour on screen and paper), and a
    /// third of the digits in every colour operator.
    fn pdf(self) -> PdfColor {
        let round = |c: f32| (c * 1000.0).round() / 1000.0;
        PdfColor::Rgb(Rgb::new(round(self.r), round(self.g), round(self.b), None))
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

/// An image added to a [`Document`], ready to be placed on its pages.
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    pub(super) id: XObjectId,
    pub(super) width_px: f32,
    pub(super) height_px: f32,
}

impl Image {
    /// Width over height.
    pub fn aspect_ratio(&self) -> f32 {
        self.width_px / self.height_px.max(1.0)
    }
}

/// Decodes a PNG or JPEG once, so several documents can share the pixels
/// (see [`Document::add_decoded_image`]).
#[derive(Debug, Clone)]
pub struct DecodedImage(pub(super) RawImage);

impl DecodedImage {
    /// Decodes PNG or JPEG bytes; `name` is used in the error.
    pub fn decode(bytes: &[u8], name: &str) -> Result<DecodedImage, Error> {
        let mut warnings = Vec::new();
        let raw =
            RawImage::decode_from_bytes(bytes, &mut warnings).map_err(|reason| Error::Image {
                name: name.to_owned(),
                reason,
            })?;
        if raw.width == 0 || raw.height == 0 {
            return Err(Error::Image {
                name: name.to_owned(),
                reason: "it has no pixels".to_owned(),
            });
        }
        Ok(DecodedImage(raw))
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
    pub(super) marks: Vec<(usize, super::tagged::Mark)>,
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

/// A PDF being built: pages, images and the glyphs its faces use.
pub struct Document {
    info: DocumentInfo,
    pdf: PdfDocument,
    faces: Vec<Option<FaceUse>>,
    images: usize,
}

/// The face's PDF name: a subset tag (six capitals and `+`, one per face, as
/// the PDF standard asks of subset fonts) and the font's own name, so PDF
/// readers list "Noto Sans" rather than an opaque id.
fn font_id(face: Face) -> FontId {
    FontId(font_name(face))
}

/// The face's PDF name: a subset tag (six capitals and `+`, one per face, as
/// the PDF standard asks of subset fonts) and the font's own name.
pub(super) fn font_name(face: Face) -> String {
    let tag = char::from(b'A' + u8::try_from(face.index()).unwrap_or(0));
    format!("TALLR{tag}+{}", face.postscript_name())
}

/// The advance of original glyph `gid` as the PDF declares it: whole
/// 1/1000 em, truncated (as printpdf writes `/W`), so that TJ adjustments
/// computed against it put each glyph where the shaper did.
pub(super) fn declared_width(loaded: &fonts::LoadedFace, gid: u16) -> f32 {
    let per_mille = 1000.0 / loaded.units_per_em;
    loaded
        .shaper
        .glyph_hor_advance(ttf_parser::GlyphId(gid))
        .map_or(0.0, |w| (f32::from(w) * per_mille).trunc())
}

/// Millimetres to points, rounded to 1/100 pt (3.5 µm, far below what any
/// printer or screen shows): `331.81` rather than `331.80988` in every
/// operator of every page.
fn pt(mm: f32) -> Pt {
    Pt((mm / MM_PER_PT * 100.0).round() / 100.0)
}

impl Document {
    /// An empty document.
    pub fn new(info: DocumentInfo) -> Document {
        Document {
            pdf: PdfDocument::new(&info.title),
            info,
            faces: Face::ALL.iter().map(|_| None).collect(),
            images: 0,
        }
    }

    /// Number of pages so far.
    pub fn page_count(&self) -> usize {
        self.pdf.pages.len()
    }

    /// Adds a PNG or JPEG image; `name` (its file name) is used in errors.
    pub fn add_image(&mut self, bytes: &[u8], name: &str) -> Result<Image, Error> {
        let decoded = DecodedImage::decode(bytes, name)?;
        Ok(self.add_decoded_image(&decoded))
    }

    /// Adds an image decoded earlier.
    pub fn add_decoded_image(&mut self, image: &DecodedImage) -> Image {
        self.images += 1;
        let id = XObjectId(format!("Im{}", self.images));
        self.pdf
            .resources
            .xobjects
            .map
            .insert(id.clone(), XObject::Image(image.0.clone()));
        Image {
            id,
            width_px: image.0.width as f32,
            height_px: image.0.height as f32,
        }
    }

    /// Appends a page.
    pub fn add_page(&mut self, page: Page) {
        let height = page.size.height_mm;
        let mut ops = Vec::with_capacity(page.items.len() * 6);
        for item in page.items {
            match item {
                Item::Text {
                    shaped,
                    x_mm,
                    baseline_mm,
                    size_pt,
                    color,
                } => {
                    ops.push(Op::SetFillColor { col: color.pdf() });
                    ops.push(Op::StartTextSection);
                    ops.push(Op::SetTextCursor {
                        pos: Point {
                            x: pt(x_mm),
                            y: pt(height - baseline_mm),
                        },
                    });
                    for run in shaped.runs.iter() {
                        self.run_ops(run, size_pt, &mut ops);
                    }
                    ops.push(Op::EndTextSection);
                }
                Item::Line {
                    from,
                    to,
                    thickness_pt,
                    color,
                } => {
                    ops.push(Op::SetOutlineColor { col: color.pdf() });
                    ops.push(Op::SetOutlineThickness {
                        pt: Pt(thickness_pt),
                    });
                    ops.push(Op::SetLineCapStyle {
                        cap: LineCapStyle::Butt,
                    });
                    let point = |(x, y): (f32, f32)| LinePoint {
                        p: Point {
                            x: pt(x),
                            y: pt(height - y),
                        },
                        bezier: false,
                    };
                    ops.push(Op::DrawLine {
                        line: Line {
                            points: vec![point(from), point(to)],
                            is_closed: false,
                        },
                    });
                }
                Item::Rect {
                    x_mm,
                    y_mm,
                    width_mm,
                    height_mm,
                    paint,
                } => {
                    let mode = match paint {
                        Paint::Fill(color) => {
                            ops.push(Op::SetFillColor { col: color.pdf() });
                            PaintMode::Fill
                        }
                        Paint::Stroke(color, thickness) => {
                            ops.push(Op::SetOutlineColor { col: color.pdf() });
                            ops.push(Op::SetOutlineThickness { pt: Pt(thickness) });
                            PaintMode::Stroke
                        }
                    };
                    ops.push(Op::DrawRectangle {
                        rectangle: Rect {
                            x: pt(x_mm),
                            y: pt(height - y_mm - height_mm),
                            width: pt(width_mm),
                            height: pt(height_mm),
                            mode: Some(mode),
                            winding_order: None,
                        },
                    });
                }
                Item::Image {
                    image,
                    x_mm,
                    y_mm,
                    width_mm,
                    height_mm,
                } => {
                    ops.push(Op::UseXobject {
                        id: image.id.clone(),
                        transform: XObjectTransform {
                            translate_x: Some(pt(x_mm)),
                            translate_y: Some(pt(height - y_mm - height_mm)),
                            scale_x: Some(pt(width_mm).0 / image.width_px),
                            scale_y: Some(pt(height_mm).0 / image.height_px),
                            // At 72 dpi one pixel is one point, so the scale above is exact.
                            dpi: Some(72.0),
                            ..Default::default()
                        },
                    });
                }
                Item::Cells {
                    x_mm,
                    y_mm,
                    cell_mm,
                    grid,
                    color,
                } => {
                    // Not rounded like positions: an error in the cell size
                    // adds up over the width of the code.
                    let cell = cell_mm / MM_PER_PT;
                    ops.push(Op::SaveGraphicsState);
                    // Grid units, y downwards from the grid's top-left corner.
                    ops.push(Op::SetTransformationMatrix {
                        matrix: CurTransMat::Raw([
                            cell,
                            0.0,
                            0.0,
                            -cell,
                            pt(x_mm).0,
                            pt(height - y_mm).0,
                        ]),
                    });
                    ops.push(Op::SetFillColor { col: color.pdf() });
                    // All cells as one inline image mask, written as the
                    // text of one operator: one allocation per QR code
                    // instead of a printpdf operation per cell, which on a
                    // 10,000-page document is hundreds of MB held until
                    // saving.
                    if let Some(mask) = cells_mask(&grid) {
                        ops.push(Op::Unknown {
                            key: mask,
                            value: Vec::new(),
                        });
                    }
                    ops.push(Op::RestoreGraphicsState);
                }
                Item::Link {
                    x_mm,
                    y_mm,
                    width_mm,
                    height_mm,
                    url,
                } => {
                    let rect = Rect::from_xywh(
                        pt(x_mm),
                        pt(height - y_mm - height_mm),
                        pt(width_mm),
                        pt(height_mm),
                    );
                    ops.push(Op::LinkAnnotation {
                        link: LinkAnnotation::new(
                            rect,
                            Actions::uri(url),
                            Some(BorderArray::Solid([0.0, 0.0, 0.0])),
                            None,
                            None,
                        ),
                    });
                }
            }
        }
        self.pdf.pages.push(PdfPage::new(
            Mm(page.size.width_mm),
            Mm(page.size.height_mm),
            ops,
        ));
    }

    /// The operations that draw one run at the current text position, in
    /// subset glyph ids. Kerning and mark offsets become TJ adjustments
    /// computed against the widths the PDF declares (whole 1/1000 em, as
    /// printpdf truncates them), so the pen lands exactly where the shaper
    /// put it; vertical mark offsets use the text rise.
    fn run_ops(&mut self, run: &Run, size_pt: f32, ops: &mut Vec<Op>) {
        let Ok(loaded) = fonts::load(run.face) else {
            return;
        };
        let per_mille = 1000.0 / run.units_per_em;
        let slot = &mut self.faces[run.face.index()];
        let used = slot.get_or_insert_with(FaceUse::new);
        ops.push(Op::SetFont {
            font: PdfFontHandle::External(font_id(run.face)),
            size: Pt(size_pt),
        });
        let mut items: Vec<TextItem> = Vec::new();
        let mut glyphs: Vec<Codepoint> = Vec::new();
        let mut pen = 0.0f32; // where the shaper's pen is, 1/1000 em
        let mut drawn = 0.0f32; // where the PDF's pen is
        let mut rise = 0;
        for glyph in &run.glyphs {
            if glyph.y_offset != rise {
                if !glyphs.is_empty() {
                    items.push(TextItem::GlyphIds(std::mem::take(&mut glyphs)));
                }
                if !items.is_empty() {
                    ops.push(Op::ShowText {
                        items: std::mem::take(&mut items),
                    });
                }
                rise = glyph.y_offset;
                ops.push(Op::SetLineOffset {
                    multiplier: rise as f32 / run.units_per_em * size_pt,
                });
            }
            let target = pen + glyph.x_offset as f32 * per_mille;
            if (target - drawn).abs() > 0.01 {
                // Moves the PDF pen to the glyph's place (TJ numbers move left).
                match glyphs.last_mut() {
                    Some(previous) => previous.offset += drawn - target,
                    None => items.push(TextItem::Offset(drawn - target)),
                }
                drawn = target;
            }
            let gid = used.subset_gid(glyph.gid, &glyph.text);
            let declared = declared_width(loaded, glyph.gid);
            glyphs.push(Codepoint {
                gid,
                offset: 0.0,
                cid: Some(String::new()),
            });
            drawn += declared;
            pen += glyph.advance as f32 * per_mille;
        }
        if (pen - drawn).abs() > 0.01 {
            match glyphs.last_mut() {
                Some(previous) => previous.offset += drawn - pen,
                None => items.push(TextItem::Offset(drawn - pen)),
            }
        }
        if !glyphs.is_empty() {
            items.push(TextItem::GlyphIds(glyphs));
        }
        if !items.is_empty() {
            ops.push(Op::ShowText { items });
        }
        if rise != 0 {
            ops.push(Op::SetLineOffset { multiplier: 0.0 });
        }
    }

    /// Subsets every face used, embeds each once, and writes the PDF.
    pub fn save(mut self) -> Result<Vec<u8>, Error> {
        for (face, used) in Face::ALL.iter().zip(&self.faces) {
            let Some(used) = used else { continue };
            let loaded = fonts::load(*face)?;
            let subset_bytes = subset_face(loaded.bytes(), &used.order)
                .map_err(|reason| Error::Font(format!("{}: {reason}", face.name())))?;
            let subset_bytes = super::hinting::strip(&subset_bytes).unwrap_or(subset_bytes);
            let mut warnings = Vec::new();
            let parsed =
                ParsedFont::from_bytes(&subset_bytes, 0, &mut warnings).ok_or_else(|| {
                    Error::Font(format!("the subset of {} cannot be read back", face.name()))
                })?;
            self.pdf
                .resources
                .fonts
                .map
                .insert(font_id(*face), printpdf::PdfFont::new(parsed));
        }
        self.canonical_glyph_texts();
        let info = &mut self.pdf.metadata.info;
        let created = printpdf::OffsetDateTime::from_unix_timestamp(self.info.created_unix)
            .map_err(|reason| Error::Pdf(format!("creation date: {reason}")))?;
        info.document_title = self.info.title.clone();
        info.author = self.info.author.clone();
        info.subject = self.info.subject.clone();
        info.creator = "taller".to_owned();
        info.producer = format!("taller {}", env!("CARGO_PKG_VERSION"));
        info.creation_date = created;
        info.modification_date = created;
        info.metadata_date = created;
        let options = PdfSaveOptions {
            // Compression is done below, faster than lopdf's level 9.
            optimize: false,
            subset_fonts: false,
            image_optimization: None,
            // Lets the path of QR cells through (`Op::Unknown` to
            // printpdf); every operator here is our own.
            secure: false,
        };
        let mut warnings = Vec::new();
        let mut pdf = self.pdf.to_lopdf_document(&options, &mut warnings);
        // The pages' operations are in `pdf` now: free them before deflating.
        drop(self.pdf);
        share_page_dictionaries(&mut pdf);
        share_common_content(&mut pdf);
        compress_streams(&mut pdf);
        let mut bytes = Vec::new();
        pdf.save_to(&mut bytes)
            .map_err(|err| Error::Pdf(err.to_string()))?;
        Ok(bytes)
    }

    /// printpdf builds the ToUnicode map from the text of each glyph's
    /// **last** use in the document. Glyphs are drawn with empty text (an
    /// empty `String` costs no allocation, which matters on 10,000 pages);
    /// here the last use of each glyph gets the glyph's text.
    fn canonical_glyph_texts(&mut self) {
        // (face, subset gid) → (page, op, item, glyph) of its last use.
        let mut last: HashMap<(usize, u16), (usize, usize, usize, usize)> = HashMap::new();
        for (p, page) in self.pdf.pages.iter().enumerate() {
            let mut current: Option<usize> = None;
            for (o, op) in page.ops.iter().enumerate() {
                match op {
                    Op::SetFont {
                        font: PdfFontHandle::External(id),
                        ..
                    } => {
                        current = Face::ALL.iter().position(|face| font_id(*face) == *id);
                    }
                    Op::ShowText { items } => {
                        let Some(face) = current else { continue };
                        for (i, item) in items.iter().enumerate() {
                            if let TextItem::GlyphIds(glyphs) = item {
                                for (g, glyph) in glyphs.iter().enumerate() {
                                    last.insert((face, glyph.gid), (p, o, i, g));
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        for ((face, gid), (p, o, i, g)) in last {
            let Some(text) = self.faces[face]
                .as_ref()
                .and_then(|used| used.texts.get(usize::from(gid)))
            else {
                continue;
            };
            let op = self
                .pdf
                .pages
                .get_mut(p)
                .and_then(|page| page.ops.get_mut(o));
            let glyph = op.and_then(|op| match op {
                Op::ShowText { items } => match items.get_mut(i) {
                    Some(TextItem::GlyphIds(glyphs)) => glyphs.get_mut(g),
                    _ => None,
                },
                _ => None,
            });
            if let Some(glyph) = glyph {
                glyph.cid = Some(text.clone());
            }
        }
    }
}

/// printpdf gives every page its own copy of the resources dictionary and a
/// CropBox and TrimBox equal to its MediaBox, which is what a reader assumes
/// without them: pages share the first page's resources when theirs are the
/// same, and the redundant boxes go (repeated on every page, they add up
/// on a merged file).
fn share_page_dictionaries(pdf: &mut lopdf::Document) {
    let mut shared: Option<(lopdf::ObjectId, lopdf::Dictionary)> = None;
    let mut unused = Vec::new();
    for page_id in pdf.get_pages().into_values() {
        let Ok(page) = pdf.get_dictionary(page_id) else {
            continue;
        };
        let resources = page
            .get(b"Resources")
            .and_then(lopdf::Object::as_reference)
            .ok()
            .and_then(|id| Some((id, pdf.get_dictionary(id).ok()?.clone())));
        let replacement = match (&shared, resources) {
            (None, Some(first)) => {
                shared = Some(first);
                None
            }
            (Some((shared_id, shared_dict)), Some((id, dict)))
                if id != *shared_id && dict == *shared_dict =>
            {
                unused.push(id);
                Some(*shared_id)
            }
            _ => None,
        };
        let Ok(page) = pdf.get_dictionary_mut(page_id) else {
            continue;
        };
        if let Some(id) = replacement {
            page.set("Resources", lopdf::Object::Reference(id));
        }
        let media_box = page.get(b"MediaBox").ok().cloned();
        for name in [&b"CropBox"[..], b"TrimBox"] {
            if media_box.is_some() && page.get(name).ok() == media_box.as_ref() {
                page.remove(name);
            }
        }
    }
    for id in unused {
        pdf.objects.remove(&id);
    }
}

/// Shortest run of drawing shared between pages: a shared run costs its
/// own stream object and a reference on each page, so short runs (a colour,
/// a line) stay in the page's own stream.
pub(super) const MIN_SHARED_RUN: usize = 256;

/// Consecutive drawing of one page: whether it is shared, and its bytes.
type ContentRun = (bool, Vec<u8>);

/// In a many-page document (the merged certificates), what most pages draw
/// alike (frame, title, body text of a language, signatory) is stored once:
/// each page's content becomes an array of streams (ISO 32000-1 §7.8.2, read
/// as if concatenated), the runs several pages have in common shared between
/// them, the rest (name, QR code, certificate number) in the page's own
/// stream. Streams are split only between painting operations, each ending
/// in a newline, so no token spans two streams.
fn share_common_content(pdf: &mut lopdf::Document) {
    let pages: Vec<lopdf::ObjectId> = pdf.get_pages().into_values().collect();
    if pages.len() < 2 {
        return;
    }
    let content_ids: Vec<Option<lopdf::ObjectId>> = pages
        .iter()
        .map(|page| {
            pdf.get_dictionary(*page)
                .ok()?
                .get(b"Contents")
                .ok()?
                .as_reference()
                .ok()
        })
        .collect();
    let plans: Vec<Option<Vec<ContentRun>>> = {
        let content = |id: lopdf::ObjectId| match pdf.objects.get(&id) {
            Some(lopdf::Object::Stream(stream)) if stream.dict.get(b"Filter").is_err() => {
                Some(stream.content.as_slice())
            }
            _ => None,
        };
        let mut counts: HashMap<&[u8], usize> = HashMap::new();
        for id in content_ids.iter().flatten() {
            for block in content(*id).into_iter().flat_map(drawing_blocks) {
                *counts.entry(block).or_default() += 1;
            }
        }
        content_ids
            .iter()
            .map(|id| {
                let bytes = content((*id)?)?;
                Some(plan_runs(
                    drawing_blocks(bytes).map(|block| (counts.get(block) > Some(&1), block)),
                ))
            })
            .collect()
    };
    let mut shared: HashMap<Vec<u8>, lopdf::ObjectId> = HashMap::new();
    for ((page, content_id), plan) in pages.iter().zip(content_ids).zip(plans) {
        let (Some(content_id), Some(plan)) = (content_id, plan) else {
            continue;
        };
        if !plan.iter().any(|(common, _)| *common) {
            continue;
        }
        let mut parts = Vec::with_capacity(plan.len());
        for (common, bytes) in plan {
            let id = if common {
                *shared.entry(bytes).or_insert_with_key(|bytes| {
                    pdf.add_object(lopdf::Stream::new(lopdf::Dictionary::new(), bytes.clone()))
                })
            } else {
                pdf.add_object(lopdf::Stream::new(lopdf::Dictionary::new(), bytes))
            };
            parts.push(lopdf::Object::Reference(id));
        }
        if let Ok(page) = pdf.get_dictionary_mut(*page) {
            page.set("Contents", lopdf::Object::Array(parts));
            pdf.objects.remove(&content_id);
        }
    }
}

/// A content stream cut after each painting or text block (`S`, `f`, `ET`,
/// `Q` lines), each piece with its newline.
pub(super) fn drawing_blocks(content: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = content;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut end = 0;
        for line in rest.split_inclusive(|&b| b == b'\n') {
            end += line.len();
            let op = line.strip_suffix(b"\n").unwrap_or(line);
            if matches!(op, b"S" | b"f" | b"ET" | b"Q") {
                break;
            }
        }
        let (block, tail) = rest.split_at(end);
        rest = tail;
        Some(block)
    })
}

/// Consecutive blocks joined into runs, common (found on several pages) or
/// the page's own; common runs too short to be worth sharing join the
/// page's own. Every run ends in a newline.
fn plan_runs<'a>(blocks: impl Iterator<Item = (bool, &'a [u8])>) -> Vec<ContentRun> {
    let mut runs: Vec<ContentRun> = Vec::new();
    for (common, block) in blocks {
        match runs.last_mut() {
            Some((last, bytes)) if *last == common => bytes.extend_from_slice(block),
            _ => runs.push((common, block.to_vec())),
        }
    }
    let mut merged: Vec<ContentRun> = Vec::with_capacity(runs.len());
    for (common, mut bytes) in runs {
        let common = common && bytes.len() >= MIN_SHARED_RUN;
        if !bytes.ends_with(b"\n") {
            bytes.push(b'\n');
        }
        match merged.last_mut() {
            Some((false, own)) if !common => own.extend_from_slice(&bytes),
            _ => merged.push((common, bytes)),
        }
    }
    merged
}

/// Deflates every stream not yet compressed, on all cores, with the
/// certificates' deflate: lopdf's own, zlib at level 9 on one core, was a
/// large share of the cost of a handout.
fn compress_streams(pdf: &mut lopdf::Document) {
    let streams: Vec<&mut lopdf::Stream> = pdf
        .objects
        .values_mut()
        .filter_map(|object| match object {
            // printpdf marks image streams as not to be compressed (it
            // expects to re-encode them itself); raw pixels deflate well.
            // XMP metadata stays readable, as PDF/A asks.
            lopdf::Object::Stream(stream)
                if stream.dict.get(b"Filter").is_err()
                    && !stream
                        .dict
                        .get(b"Type")
                        .is_ok_and(|t| t.as_name().is_ok_and(|n| n == b"Metadata")) =>
            {
                Some(stream)
            }
            _ => None,
        })
        .collect();
    streams.into_par_iter().for_each(|stream| {
        let compressed = deflate(&stream.content);
        // A stream that does not shrink stays as it is.
        if compressed.len() + 19 < stream.content.len() {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(compressed);
        }
    });
}

/// The tables a PDF needs from a TrueType font (ISO 32000-1 §9.9) plus
/// `cmap`, which printpdf reads back. Hinting (`cvt `, `fpgm`, `prep`) is
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

    fn info() -> DocumentInfo {
        DocumentInfo {
            title: "Prueba".to_owned(),
            author: "taller".to_owned(),
            subject: String::new(),
            created_unix: 1_453_881_600,
        }
    }

    fn extract(bytes: &[u8]) -> Vec<String> {
        let mut warnings = Vec::new();
        let doc = PdfDocument::parse(bytes, &printpdf::PdfParseOptions::default(), &mut warnings)
            .expect("parses");
        doc.extract_text()
            .into_iter()
            .map(|page| page.join("\n"))
            .collect()
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
        let mut doc = Document::new(info());
        doc.add_page(sample_page());
        let bytes = doc.save().expect("saves");
        let text = &extract(&bytes)[0];
        for sample in SAMPLES {
            assert!(text.contains(sample), "{sample} missing from {text:?}");
        }
        // Arabic is drawn right to left; the extracted glyph text, read back
        // in drawing order, is the name reversed letter by letter.
        let arabic: String = "محمد بن سلمان".chars().rev().collect();
        let arabic_words: Vec<&str> = arabic.split(' ').collect();
        assert!(
            arabic_words.iter().all(|w| text.contains(w)),
            "{arabic} missing from {text:?}"
        );
    }

    #[test]
    fn fonts_are_subset_and_embedded_once() {
        let mut one = Document::new(info());
        one.add_page(sample_page());
        let one = one.save().expect("saves");
        // Three faces (serif, sans for the hyphen fallback, Arabic): whole, they are 1.3 MB.
        assert!(one.len() < 60_000, "one page is {} bytes", one.len());

        let mut many = Document::new(info());
        for _ in 0..200 {
            many.add_page(sample_page());
        }
        let many = many.save().expect("saves");
        let count = |bytes: &[u8], needle: &[u8]| {
            bytes.windows(needle.len()).filter(|w| w == &needle).count()
        };
        assert_eq!(count(&many, b"/FontFile2"), count(&one, b"/FontFile2"));
        assert!(many.len() < one.len() + 200 * 3_000, "{} bytes", many.len());
    }

    #[test]
    fn drawing_common_to_pages_is_stored_once_and_reads_back_per_page() {
        let names = ["Ana Ruiz", "Björn Dvořák", "Mª Carmen Etxeberria"];
        let mut doc = Document::new(info());
        for name in names {
            let mut page = sample_page();
            let style = TextStyle::new(Face::SansBold, 30.0);
            page.text(name, &style, 30.0, 180.0, Align::Left)
                .expect("bundled fonts cover it");
            doc.add_page(page);
        }
        let bytes = doc.save().expect("saves");
        assert!(
            String::from_utf8_lossy(&bytes).contains("/Contents["),
            "pages do not share their common drawing"
        );
        let pages = extract(&bytes);
        assert_eq!(pages.len(), 3);
        for (page, name) in pages.iter().zip(names) {
            assert!(page.contains(name), "{name} missing from {page:?}");
            assert!(
                page.contains(SAMPLES[0]),
                "shared text missing from {page:?}"
            );
            for other in names.iter().filter(|other| **other != name) {
                assert!(!page.contains(other), "{other} leaked onto {name}'s page");
            }
        }
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
    fn metadata_has_the_given_date() {
        let mut doc = Document::new(info());
        doc.add_page(Page::new(PageSize::new(PaperSize::Letter, false)));
        let bytes = doc.save().expect("saves");
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("D:20160127"), "no creation date");
        assert!(text.contains("/Title"));
    }

    #[test]
    fn colours_parse() {
        assert_eq!(Color::from_hex("#ff0000"), Some(Color::rgb(255, 0, 0)));
        assert_eq!(Color::from_hex("1e3c6e"), Some(Color::rgb(30, 60, 110)));
        assert_eq!(Color::from_hex("#12345"), None);
        assert_eq!(Color::from_hex("#ééé"), None);
    }
}
