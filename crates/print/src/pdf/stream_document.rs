//! A PDF written page by page as it is made: the one writer of the crate
//! (certificates, the report, handouts, sign-in sheets and badges).
//!
//! Handouts, sign-in sheets and badges are tagged
//! ([`StreamDocument::tagged`], `tagged.rs`): PDF/UA-1 and PDF/A-2a.
//! Certificates need the writer most: a merged file of 10,000 of them must
//! be written in well under a second with memory that does not grow with
//! the number of pages. Each [`Page`] is turned straight into
//! content-stream bytes, deflated, written and dropped; fonts (each face
//! subset and embedded once), the resources and the page tree are written
//! at the end.
//!
//! What most pages draw alike (frame, titles, the body text of a language,
//! the signatory) is stored once: a page's content is an array of streams
//! (ISO 32000-1 §7.8.2, read as if concatenated), and a run of drawing
//! blocks seen on an earlier page becomes a stream of its own that every
//! later page refers to. Page dictionaries and link annotations are packed
//! into compressed object streams, and the page tree's nodes carry the
//! shared `MediaBox` and resources (§7.7.3.4).
//!
//! The file is PDF/A-2b: the XMP metadata, the sRGB output intent and
//! the file identifier are written at the end ([`archival`]).
//!
//! Pages can be prepared on several threads: [`StreamDocument::number_glyphs`]
//! (in page order, cheap) numbers each page's glyphs in the document's font
//! subsets, [`StreamDocument::serialize`] (any thread) turns a page into
//! deflated streams, and [`StreamDocument::write`] (in page order) writes
//! them.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::io::Write;
use std::sync::{Arc, Mutex};

use super::MM_PER_PT;
use super::archival;
use super::canvas::{FaceUse, Item, cells_mask, declared_width, font_name, subset_face};
use super::codes;
use super::fonts::{self, Face};
use super::tagged::{self, PageTagger};
use super::text::Run;
use super::writer::{
    ObjId, ObjectWriter, deflate, maybe_deflated, number, object, pdf_ref, stream_dict,
};
use super::{Color, DecodedImage, DocumentInfo, Image, Page, PageSize, Paint};
use crate::Error;
use pdf_writer::types::{
    ActionType, AnnotationFlags, AnnotationType, CidFontType, FontFlags, OutputIntentSubtype,
    TabOrder,
};
use pdf_writer::writers::{Annotation, Catalog, CidFont, FontDescriptor, Pages, Type0Font};
use pdf_writer::{Filter, Finish, Name, Obj, Rect, Str, TextStr};

/// Pages per node of the page tree: the root lists the nodes, each node
/// its pages, so no array holds 10,000 references.
const PAGES_PER_NODE: usize = 64;

/// Block fingerprints remembered to find drawing that repeats: a bound on
/// memory whatever the number of pages (three or four blocks per page are
/// new on each page: name, number, QR code).
const MAX_SEEN_BLOCKS: usize = 8192;

/// Shared streams remembered by their bytes: a layout has a dozen per
/// language; a bound for rosters in many languages and repeated names.
const MAX_SHARED_BLOCKS: usize = 1024;

/// Smallest drawing block stored once and shared: smaller ones (a colour
/// and a short line) cost less repeated than as a stream of their own.
const MIN_SHARED_BLOCK: usize = 48;

fn io_error(err: std::io::Error) -> Error {
    Error::Pdf(err.to_string())
}

/// An image encoded for PDF once (see [`DecodedImage`]: a JPEG as it is,
/// a PNG's pixels deflated with its transparency as a soft mask), to be
/// written into many documents.
#[derive(Debug, Clone)]
pub struct PdfImage(DecodedImage);

impl PdfImage {
    /// The image as written: [`DecodedImage::decode`] already encoded it
    /// for PDF, so this is a copy.
    pub fn encode(image: &DecodedImage) -> PdfImage {
        PdfImage(image.clone())
    }
}

/// A page turned into bytes, ready to be written in page order.
#[derive(Debug)]
pub struct SerializedPage {
    size: PageSize,
    parts: Vec<Part>,
    /// The page's link annotations.
    annotations: Vec<Link>,
    /// Fingerprints of the page's drawing blocks.
    blocks: Vec<u64>,
    /// What the page adds to the structure tree (tagged documents).
    events: Vec<tagged::Event>,
}

/// One stream of a page's content.
#[derive(Debug)]
enum Part {
    /// Only this page's drawing, deflated.
    Own(Vec<u8>),
    /// Drawing already written as a shared stream.
    Shared(ObjId),
    /// Drawing seen on earlier pages, not yet written: its bytes (the key
    /// later pages find it by) and the same deflated.
    NewShared(Vec<u8>, Vec<u8>),
}

/// A PDF being written to `W` page by page; see the [module](self) docs.
pub struct StreamDocument<W: Write> {
    writer: ObjectWriter<W>,
    info: DocumentInfo,
    state: Serializer,
    images: Vec<(String, ObjId)>,
    catalog: ObjId,
    root: ObjId,
    resources: ObjId,
    /// The first page's size: the page tree's `MediaBox`; a page of another
    /// size gets its own.
    size: Option<PageSize>,
    /// Page tree nodes: id and pages.
    nodes: Vec<(ObjId, Vec<ObjId>)>,
    pages: usize,
    /// The structure tree of a tagged document.
    tree: Option<tagged::Tree>,
}

/// What serializing a page needs to know of the document (its glyph
/// numbering, the drawing already seen and shared), apart from the output:
/// shared by the threads that serialize pages.
#[derive(Debug)]
pub struct Serializer {
    faces: Vec<Option<FaceUse>>,
    /// How many pages each block fingerprint was seen on.
    seen: foldhash::HashMap<u64, u32>,
    /// Shared streams by their (uncompressed) bytes.
    shared: foldhash::HashMap<Vec<u8>, ObjId>,
    /// Drawing is wrapped in marked content for the structure tree.
    tagged: bool,
}

impl<W: Write> StreamDocument<W> {
    /// Starts a PDF on `out` (a file, a `Vec<u8>`); the header is written
    /// at once.
    pub fn new(out: W, info: DocumentInfo) -> Result<StreamDocument<W>, Error> {
        let mut writer = ObjectWriter::new(out).map_err(io_error)?;
        let catalog = writer.reserve();
        let root = writer.reserve();
        let resources = writer.reserve();
        Ok(StreamDocument {
            writer,
            info,
            state: Serializer {
                faces: Face::ALL.iter().map(|_| None).collect(),
                seen: foldhash::HashMap::default(),
                shared: foldhash::HashMap::default(),
                tagged: false,
            },
            images: Vec::new(),
            catalog,
            root,
            resources,
            size: None,
            nodes: Vec::new(),
            pages: 0,
            tree: None,
        })
    }

    /// Starts a tagged PDF (PDF/UA-1, still PDF/A-2b) on `out`: the
    /// structure elements pages open ([`Page::open`]) make its structure
    /// tree, under one `Document` element; `language` (`es`, `en`) is the
    /// document's, and its title is what readers show.
    pub fn tagged(out: W, info: DocumentInfo, language: &str) -> Result<StreamDocument<W>, Error> {
        let mut document = StreamDocument::new(out, info)?;
        document.tree = Some(tagged::Tree::new(&mut document.writer, language));
        document.state.tagged = true;
        Ok(document)
    }

    /// Number of pages written so far.
    pub fn page_count(&self) -> usize {
        self.pages
    }

    /// Writes an image (encoded once by [`PdfImage::encode`]) as an image
    /// XObject; place it on pages with [`Page::image`]. Images are named in
    /// the order they are added, so documents that add the same images in
    /// the same order can share pages.
    pub fn add_image(&mut self, image: &PdfImage) -> Result<Image, Error> {
        let image = &image.0;
        let mask = match (&image.mask, image.mask_dict()) {
            (Some(mask), Some(dict)) => {
                let id = self.writer.reserve();
                self.writer
                    .stream(id, &dict, &mask.data)
                    .map_err(io_error)?;
                Some(id)
            }
            _ => None,
        };
        let id = self.writer.reserve();
        let dict = image.colour_dict(mask);
        self.writer
            .stream(id, &dict, &image.colour.data)
            .map_err(io_error)?;
        let name = format!("Im{}", self.images.len() + 1);
        self.images.push((name.clone(), id));
        Ok(Image {
            name,
            width_px: image.width_px as f32,
            height_px: image.height_px as f32,
        })
    }

    /// Numbers the glyphs `page` uses in this document's font subsets.
    /// Call it for each page in page order, before [`serialize`](Self::serialize):
    /// the numbering (hence the bytes) depends on the order.
    pub fn number_glyphs(&mut self, page: &Page) {
        for item in &page.items {
            if let Item::Text { shaped, .. } = item {
                for run in shaped.runs.iter() {
                    let used = self.state.faces[run.face.index()].get_or_insert_with(FaceUse::new);
                    for glyph in &run.glyphs {
                        used.subset_gid(glyph.gid, &glyph.text);
                    }
                }
            }
        }
    }

    /// Turns a page whose glyphs were numbered into deflated streams; see
    /// [`Serializer::serialize`].
    pub fn serialize(&self, page: &Page) -> SerializedPage {
        self.state.serialize(page)
    }

    /// What serializes pages, to share between threads.
    pub fn serializer(&self) -> &Serializer {
        &self.state
    }

    /// Writes a serialized page after the pages written before it.
    pub fn write(&mut self, page: SerializedPage) -> Result<(), Error> {
        let mut contents: Vec<ObjId> = Vec::with_capacity(page.parts.len());
        for part in page.parts {
            let id = match part {
                Part::Shared(id) => id,
                Part::NewShared(bytes, compressed) => match self.state.shared.get(&bytes) {
                    // An earlier page of the same batch wrote it.
                    Some(id) => *id,
                    None => {
                        let id = self.write_content(&compressed)?;
                        if self.state.shared.len() >= MAX_SHARED_BLOCKS {
                            self.state.shared.clear();
                        }
                        self.state.shared.insert(bytes, id);
                        id
                    }
                },
                Part::Own(compressed) => self.write_content(&compressed)?,
            };
            contents.push(id);
        }
        let seen = &mut self.state.seen;
        if seen.len() + page.blocks.len() > MAX_SEEN_BLOCKS {
            // Forget what was seen once; if that is not enough, everything.
            seen.retain(|_, count| *count > 1);
            if seen.len() > MAX_SEEN_BLOCKS / 2 {
                seen.clear();
            }
        }
        for print in page.blocks {
            *seen.entry(print).or_default() += 1;
        }

        let page_id = self.writer.reserve();
        if self.pages.is_multiple_of(PAGES_PER_NODE) {
            let node = self.writer.reserve();
            self.nodes.push((node, Vec::with_capacity(PAGES_PER_NODE)));
        }
        let Some((parent, kids)) = self.nodes.last_mut() else {
            return Err(Error::Pdf("the page tree has no node".to_owned()));
        };
        kids.push(page_id);
        let parent = *parent;
        let size = *self.size.get_or_insert(page.size);
        let media_box = (size != page.size).then(|| media_box(page.size));
        let (key, annotations) = if let Some(tree) = self.tree.as_mut() {
            let structure = tree
                .page(&mut self.writer, page_id, page.events, page.annotations)
                .map_err(io_error)?;
            (structure.key, Some(structure.annotations))
        } else {
            let mut ids = Vec::with_capacity(page.annotations.len());
            for link in &page.annotations {
                let id = self.writer.reserve();
                self.writer
                    .packed(id, object(|obj| link.write(obj, None)))
                    .map_err(io_error)?;
                ids.push(id);
            }
            (None, (!ids.is_empty()).then_some(ids))
        };
        let resources = self.resources;
        let dict = object(|obj| {
            let mut dict = obj.start::<pdf_writer::writers::Page>();
            dict.parent(pdf_ref(parent));
            if let Some(rect) = media_box {
                dict.media_box(rect);
            }
            match contents.as_slice() {
                [one] => {
                    dict.contents(pdf_ref(*one));
                }
                many => {
                    dict.contents_array(many.iter().map(|id| pdf_ref(*id)));
                }
            }
            if let Some(key) = key {
                dict.struct_parents(i32::try_from(key).unwrap_or(i32::MAX));
            }
            match annotations {
                // Tagged: links are visited in the structure's order.
                Some(ids) if self.tree.is_some() && !ids.is_empty() => {
                    dict.tab_order(TabOrder::StructureOrder);
                    dict.annotations(ids.iter().map(|id| pdf_ref(*id)));
                }
                Some(ids) if !ids.is_empty() => {
                    dict.annotations(ids.iter().map(|id| pdf_ref(*id)));
                }
                _ => {}
            }
            // Each page names the resources itself: PDF/A does not let a
            // page's content use resources inherited from the page tree.
            dict.pair(Name(b"Resources"), pdf_ref(resources));
        });
        self.writer.packed(page_id, dict).map_err(io_error)?;
        self.pages += 1;
        Ok(())
    }

    /// Numbers, serializes and writes one page.
    pub fn add_page(&mut self, page: &Page) -> Result<(), Error> {
        self.number_glyphs(page);
        let serialized = self.serialize(page);
        self.write(serialized)
    }

    fn write_content(&mut self, compressed: &[u8]) -> Result<ObjId, Error> {
        let id = self.writer.reserve();
        let dict = stream_dict(compressed, |chunk, id, data| {
            chunk.stream(id, data).filter(Filter::FlateDecode);
        });
        self.writer
            .stream(id, &dict, compressed)
            .map_err(io_error)?;
        Ok(id)
    }

    /// Writes the fonts (each face used, subset, once), the resources, the
    /// page tree, the catalog and the document information, and gives back
    /// the output.
    pub fn finish(mut self) -> Result<W, Error> {
        let mut fonts = Vec::new();
        let mut encoding = None;
        for face in Face::ALL {
            let Some(used) = self.state.faces[face.index()].take() else {
                continue;
            };
            let encoding = match encoding {
                Some(id) => id,
                None => *encoding.insert(self.write_encoding()?),
            };
            let id = self.write_font(face, &used, encoding)?;
            fonts.push((format!("F{}", face.index()), id));
        }
        let resources = object(|obj| {
            let mut resources = obj.start::<pdf_writer::writers::Resources>();
            let mut names = resources.fonts();
            for (name, id) in &fonts {
                names.pair(Name(name.as_bytes()), pdf_ref(*id));
            }
            names.finish();
            if !self.images.is_empty() {
                let mut names = resources.x_objects();
                for (name, id) in &self.images {
                    names.pair(Name(name.as_bytes()), pdf_ref(*id));
                }
            }
        });
        self.writer
            .direct(self.resources, &resources)
            .map_err(io_error)?;

        let root = self.root;
        let mut kids = Vec::with_capacity(self.nodes.len());
        for (node, pages) in std::mem::take(&mut self.nodes) {
            let dict = object(|obj| {
                obj.start::<Pages>()
                    .parent(pdf_ref(root))
                    .count(i32::try_from(pages.len()).unwrap_or(i32::MAX))
                    .kids(pages.iter().map(|id| pdf_ref(*id)));
            });
            self.writer.packed(node, dict).map_err(io_error)?;
            kids.push(pdf_ref(node));
        }
        // A reader needs a MediaBox even on a document without pages.
        let size = self.size.unwrap_or(PageSize {
            width_mm: 210.0,
            height_mm: 297.0,
        });
        let tree = object(|obj| {
            obj.start::<Pages>()
                .count(i32::try_from(self.pages).unwrap_or(i32::MAX))
                .kids(kids)
                .media_box(media_box(size))
                .pair(Name(b"Resources"), pdf_ref(self.resources));
        });
        self.writer.direct(root, &tree).map_err(io_error)?;
        // PDF/A-2b: the same information as XMP metadata, and the colour
        // space the drawing's DeviceRGB means (sRGB, its profile embedded
        // once per file).
        let fields = archival::Fields::new(&self.info)?;
        let structure = match self.tree.take() {
            Some(tree) => Some(tree.finish(&mut self.writer).map_err(io_error)?),
            None => None,
        };
        let metadata = self.writer.reserve();
        let xmp = fields.xmp(structure.is_some());
        let dict = stream_dict(xmp.as_bytes(), |chunk, id, data| {
            chunk.metadata(id, data);
        });
        self.writer
            .stream(metadata, &dict, xmp.as_bytes())
            .map_err(io_error)?;
        let profile = self.writer.reserve();
        let (data, filter) = maybe_deflated(archival::SRGB_PROFILE);
        let dict = stream_dict(&data, |chunk, id, data| {
            let mut icc = chunk.icc_profile(id, data);
            icc.n(3);
            if let Some(filter) = filter {
                icc.filter(filter);
            }
        });
        self.writer
            .stream(profile, &dict, &data)
            .map_err(io_error)?;
        let catalog = object(|obj| {
            let mut catalog = obj.start::<Catalog>();
            catalog.pages(pdf_ref(root));
            catalog.metadata(pdf_ref(metadata));
            catalog
                .output_intents()
                .push()
                .subtype(OutputIntentSubtype::PDFA)
                .output_condition_identifier(TextStr(archival::SRGB_NAME))
                .info(TextStr(archival::SRGB_NAME))
                .dest_output_profile(pdf_ref(profile));
            if let Some(structure) = &structure {
                structure.write(&mut catalog);
            }
        });
        self.writer
            .direct(self.catalog, &catalog)
            .map_err(io_error)?;
        let info_id = self.writer.reserve();
        let info = object(|obj| fields.write_info(obj));
        self.writer.direct(info_id, &info).map_err(io_error)?;
        self.writer
            .finish(self.catalog, info_id, &info)
            .map_err(io_error)
    }

    /// The encoding CMap every font uses ([`codes`]).
    fn write_encoding(&mut self) -> Result<ObjId, Error> {
        let id = self.writer.reserve();
        let cmap = codes::encoding_cmap();
        let (data, filter) = maybe_deflated(cmap.as_bytes());
        let dict = stream_dict(&data, |chunk, id, data| {
            let mut cmap = chunk.cmap(id, data);
            cmap.name(Name(codes::ENCODING_NAME.as_bytes()))
                .system_info(codes::IDENTITY);
            if let Some(filter) = filter {
                cmap.filter(filter);
            }
        });
        self.writer.stream(id, &dict, &data).map_err(io_error)?;
        Ok(id)
    }

    /// One face as a Type 0 font over a CIDFontType2 (ISO 32000-1 §9.7):
    /// codes of one to three bytes for the subset's glyph ids ([`codes`],
    /// the CMap `encoding`), widths from the subset, the subset itself
    /// without hinting, and a ToUnicode map so text copies and extracts as
    /// the logical string.
    fn write_font(&mut self, face: Face, used: &FaceUse, encoding: ObjId) -> Result<ObjId, Error> {
        let loaded = fonts::load(face)?;
        let embedded = embedded_subset(face, &used.order)?;
        let name = font_name(face);

        let file = self.writer.reserve();
        let length1 = i32::try_from(embedded.length).unwrap_or(i32::MAX);
        let dict = stream_dict(&embedded.deflated, |chunk, id, data| {
            chunk
                .stream(id, data)
                .filter(Filter::FlateDecode)
                .pair(Name(b"Length1"), length1);
        });
        self.writer
            .stream(file, &dict, &embedded.deflated)
            .map_err(io_error)?;

        let per_mille = 1000.0 / loaded.units_per_em;
        // Whole units of the 1000-unit glyph space: what readers need,
        // and no fractions in the file.
        let scaled = |v: f32| (v * per_mille).round();
        let shaper = &loaded.shaper;
        let bbox = shaper.global_bounding_box();
        let italic = shaper.italic_angle();
        let cap = shaper.capital_height().map_or(loaded.ascender, f32::from);
        let descriptor = self.writer.reserve();
        let body = object(|obj| {
            obj.start::<FontDescriptor>()
                .name(Name(name.as_bytes()))
                .flags(FontFlags::NON_SYMBOLIC)
                .bbox(Rect::new(
                    scaled(f32::from(bbox.x_min)),
                    scaled(f32::from(bbox.y_min)),
                    scaled(f32::from(bbox.x_max)),
                    scaled(f32::from(bbox.y_max)),
                ))
                .italic_angle(italic.round())
                .ascent(scaled(loaded.ascender))
                .descent(scaled(loaded.descender))
                .cap_height(scaled(cap))
                .stem_v(80.0)
                .font_file2(pdf_ref(file));
        });
        self.writer.direct(descriptor, &body).map_err(io_error)?;

        let cid_font = self.writer.reserve();
        let body = object(|obj| {
            let mut font = obj.start::<CidFont>();
            font.subtype(CidFontType::Type2)
                .base_font(Name(name.as_bytes()))
                .system_info(codes::IDENTITY)
                .font_descriptor(pdf_ref(descriptor))
                .default_width(1000.0);
            // Widths in whole units, as declared_width rounds them.
            font.widths().consecutive(
                0,
                used.order
                    .iter()
                    .map(|gid| (declared_width(loaded, *gid) as i64) as f32),
            );
            font.cid_to_gid_map_predefined(Name(b"Identity"));
        });
        self.writer.direct(cid_font, &body).map_err(io_error)?;

        let to_unicode = self.writer.reserve();
        let cmap = codes::to_unicode_cmap(&name, &used.texts);
        let (data, filter) = maybe_deflated(cmap.as_bytes());
        let dict = stream_dict(&data, |chunk, id, data| {
            let mut stream = chunk.stream(id, data);
            if let Some(filter) = filter {
                stream.filter(filter);
            }
        });
        self.writer
            .stream(to_unicode, &dict, &data)
            .map_err(io_error)?;

        let font = self.writer.reserve();
        let body = object(|obj| {
            obj.start::<Type0Font>()
                .base_font(Name(name.as_bytes()))
                .encoding_cmap(pdf_ref(encoding))
                .descendant_font(pdf_ref(cid_font))
                .to_unicode(pdf_ref(to_unicode));
        });
        self.writer.direct(font, &body).map_err(io_error)?;
        Ok(font)
    }
}

impl Serializer {
    /// Turns a page whose glyphs were numbered into deflated streams; any
    /// thread. Drawing found on pages already written is referred to, not
    /// repeated.
    pub fn serialize(&self, page: &Page) -> SerializedPage {
        let mut annotations = Vec::new();
        if self.tagged {
            // One stream per page: a marked-content sequence must not
            // span streams, and the structure gives the order, so
            // nothing is shared or reordered.
            let mut tagger = PageTagger::new(page);
            let (mut content, _) = self.content(page, &mut annotations, Some(&mut tagger));
            let events = tagger.finish(&mut content);
            return SerializedPage {
                size: page.size,
                parts: vec![Part::Own(deflate(&content))],
                annotations,
                blocks: Vec::new(),
                events,
            };
        }
        let (content, mut blocks) = self.content(page, &mut annotations, None);
        let prints: Vec<u64> = blocks
            .iter()
            .map(|block| fingerprint(&content[block.range.clone()]))
            .collect();
        for (block, print) in blocks.iter_mut().zip(&prints) {
            block.common = self.seen.contains_key(print);
        }
        let order = painting_order(&blocks);
        // Each common block is a stream of its own, shared by the pages
        // that draw it (rather than runs of them: a run would include a
        // name that happens to repeat and be new on every page); the
        // page's own drawing and common blocks too small to be worth a
        // stream are the page's own stream.
        let mut parts: Vec<Part> = Vec::with_capacity(blocks.len());
        let mut own: Vec<u8> = Vec::new();
        for block in order.iter().map(|&at| &blocks[at]) {
            let bytes = &content[block.range.clone()];
            if block.common && bytes.len() >= MIN_SHARED_BLOCK {
                if !own.is_empty() {
                    parts.push(Part::Own(deflate(&std::mem::take(&mut own))));
                }
                parts.push(match self.shared.get(bytes) {
                    Some(id) => Part::Shared(*id),
                    None => Part::NewShared(bytes.to_vec(), deflate(bytes)),
                });
            } else {
                own.extend_from_slice(bytes);
            }
        }
        if !own.is_empty() || parts.is_empty() {
            parts.push(Part::Own(deflate(&own)));
        }
        SerializedPage {
            size: page.size,
            parts,
            annotations,
            blocks: prints,
            events: Vec::new(),
        }
    }

    /// The page's content stream (uncompressed), where each item's drawing
    /// is in it and what it covers, and the page's link annotations.
    fn content(
        &self,
        page: &Page,
        annotations: &mut Vec<Link>,
        mut tagger: Option<&mut PageTagger<'_>>,
    ) -> (Vec<u8>, Vec<Block>) {
        let height = page.size.height_mm;
        let mut out: Vec<u8> = Vec::with_capacity(4096);
        let mut blocks = Vec::with_capacity(page.items.len());
        // Positions in points, to 1/100 pt (3.5 µm, far below what any
        // printer or screen shows).
        let pt = |out: &mut Vec<u8>, mm: f32| number(out, mm / MM_PER_PT, 2);
        for (index, item) in page.items.iter().enumerate() {
            if let Some(tagger) = tagger.as_deref_mut() {
                tagger.before(&mut out, index, item, annotations.len());
            }
            let mut start = out.len();
            let Some(area) = covered(item) else {
                if let Item::Link {
                    x_mm,
                    y_mm,
                    width_mm,
                    height_mm,
                    url,
                } = item
                {
                    annotations.push(Link::new(height, *x_mm, *y_mm, *width_mm, *height_mm, url));
                }
                continue;
            };
            match item {
                Item::Text {
                    shaped,
                    x_mm,
                    baseline_mm,
                    size_pt,
                    color,
                } => {
                    colour(&mut out, *color, b"rg");
                    out.extend_from_slice(b"BT\n");
                    pt(&mut out, *x_mm);
                    out.push(b' ');
                    pt(&mut out, height - baseline_mm);
                    out.extend_from_slice(b" Td\n");
                    // Runs are laid out left to right; they are written in
                    // reading order, a run moved to its place when that is
                    // not where the one written before it ended.
                    let starts: Vec<f32> = shaped
                        .runs
                        .iter()
                        .scan(0.0, |at, run| {
                            let start = *at;
                            *at += run.width_em() * size_pt;
                            Some(start)
                        })
                        .collect();
                    let mut pen = 0.0;
                    for index in reading_order(&shaped.runs) {
                        let run = &shaped.runs[index];
                        if (starts[index] - pen).abs() > 0.005 {
                            out.extend_from_slice(b"1 0 0 1 ");
                            number(&mut out, x_mm / MM_PER_PT + starts[index], 2);
                            out.push(b' ');
                            pt(&mut out, height - baseline_mm);
                            out.extend_from_slice(b" Tm\n");
                        }
                        self.run(&mut out, run, *size_pt);
                        pen = starts[index] + run.width_em() * size_pt;
                    }
                    out.extend_from_slice(b"ET\n");
                }
                Item::Line {
                    from,
                    to,
                    thickness_pt,
                    color,
                } => {
                    colour(&mut out, *color, b"RG");
                    number(&mut out, *thickness_pt, 2);
                    out.extend_from_slice(b" w\n0 J\n");
                    pt(&mut out, from.0);
                    out.push(b' ');
                    pt(&mut out, height - from.1);
                    out.extend_from_slice(b" m\n");
                    pt(&mut out, to.0);
                    out.push(b' ');
                    pt(&mut out, height - to.1);
                    out.extend_from_slice(b" l\nS\n");
                }
                Item::Rect {
                    x_mm,
                    y_mm,
                    width_mm,
                    height_mm,
                    paint,
                } => {
                    let op: &[u8] = match paint {
                        Paint::Fill(color) => {
                            colour(&mut out, *color, b"rg");
                            b" re\nf\n"
                        }
                        Paint::Stroke(color, thickness) => {
                            colour(&mut out, *color, b"RG");
                            number(&mut out, *thickness, 2);
                            out.extend_from_slice(b" w\n");
                            b" re\nS\n"
                        }
                    };
                    pt(&mut out, *x_mm);
                    out.push(b' ');
                    pt(&mut out, height - y_mm - height_mm);
                    out.push(b' ');
                    pt(&mut out, *width_mm);
                    out.push(b' ');
                    pt(&mut out, *height_mm);
                    out.extend_from_slice(op);
                }
                Item::Image {
                    image,
                    x_mm,
                    y_mm,
                    width_mm,
                    height_mm,
                } => {
                    out.extend_from_slice(b"q\n");
                    pt(&mut out, *width_mm);
                    out.extend_from_slice(b" 0 0 ");
                    pt(&mut out, *height_mm);
                    out.push(b' ');
                    pt(&mut out, *x_mm);
                    out.push(b' ');
                    pt(&mut out, height - y_mm - height_mm);
                    out.extend_from_slice(b" cm\n/");
                    out.extend_from_slice(image.name.as_bytes());
                    out.extend_from_slice(b" Do\nQ\n");
                }
                Item::Cells {
                    x_mm,
                    y_mm,
                    cell_mm,
                    grid,
                    color,
                } => {
                    let Some(mask) = cells_mask(grid) else {
                        continue;
                    };
                    // Not rounded like positions: an error in the cell size
                    // adds up over the width of the code.
                    let cell = cell_mm / MM_PER_PT;
                    out.extend_from_slice(b"q\n");
                    number(&mut out, cell, 6);
                    out.extend_from_slice(b" 0 0 -");
                    number(&mut out, cell, 6);
                    out.push(b' ');
                    pt(&mut out, *x_mm);
                    out.push(b' ');
                    pt(&mut out, height - y_mm);
                    out.extend_from_slice(b" cm\n");
                    colour(&mut out, *color, b"rg");
                    // Everything up to the inline image is the same on
                    // every page with a code of this size and place: a
                    // block of its own, glued to the image that follows.
                    // The image itself (BI to EI) stays in one stream:
                    // readers do not take an image split between streams.
                    let (head, samples) = mask
                        .find("BI ")
                        .map_or(("", mask.as_str()), |at| mask.split_at(at));
                    out.extend_from_slice(head.as_bytes());
                    blocks.push(Block {
                        range: start..out.len(),
                        area,
                        common: false,
                        glued: true,
                    });
                    start = out.len();
                    out.extend_from_slice(samples.as_bytes());
                    out.extend_from_slice(b"\nQ\n");
                }
                Item::Link { .. } => {}
            }
            if out.len() > start {
                blocks.push(Block {
                    range: start..out.len(),
                    area,
                    common: false,
                    glued: false,
                });
            }
        }
        (out, blocks)
    }

    /// One run at the current text position, in subset glyph ids. Kerning
    /// and mark offsets become TJ adjustments computed against the widths
    /// the PDF declares, so the pen lands exactly where the shaper put it;
    /// vertical mark offsets use the text rise. A right-to-left run's
    /// glyphs come in reading order, each to the left of the one before.
    ///
    /// A right-to-left glyph and the glyphs with no advance after it (its
    /// marks, the alef of lam-alef) can stand for several letters, which
    /// their ToUnicode texts give in reading order: readers that keep the
    /// file's order (mutool, pdfminer) read them so. Readers that sort by
    /// position (pdftotext) share such a group's box among its letters
    /// left to right and then reverse the right-to-left line, which would
    /// reverse the letters too; they read the group's `/ActualText`
    /// instead, which holds its letters as they lie on the page, right to
    /// left, so that the reversal reads them in order.
    fn run(&self, out: &mut Vec<u8>, run: &Run, size_pt: f32) {
        let (Ok(loaded), Some(Some(used))) =
            (fonts::load(run.face), self.faces.get(run.face.index()))
        else {
            return;
        };
        let per_mille = 1000.0 / run.units_per_em;
        let _ = write!(out, "/F{} ", run.face.index());
        number(out, size_pt, 2);
        out.extend_from_slice(b" Tf\n");
        let width = run.width_em() * 1000.0;
        // Where the shaper's pen is, 1/1000 em: a right-to-left run starts
        // at its right end.
        let mut pen = if run.rtl { width } else { 0.0f32 };
        let mut drawn = 0.0f32; // where the PDF's pen is
        let mut rise = 0;
        // The TJ array being written: `[`, then hex strings and numbers.
        let mut open = false;
        let mut in_string = false;
        let close = |out: &mut Vec<u8>, open: &mut bool, in_string: &mut bool| {
            if *in_string {
                out.push(b'>');
                *in_string = false;
            }
            if *open {
                out.extend_from_slice(b"] TJ\n");
                *open = false;
            }
        };
        // The open `/ActualText` span: its glyphs (indices) and where its
        // first glyph ends.
        let mut span_end = None;
        let mut span_start = usize::MAX;
        let mut span_right = 0.0f32;
        for (at, glyph) in run.glyphs.iter().enumerate() {
            if glyph.y_offset != rise {
                close(out, &mut open, &mut in_string);
                rise = glyph.y_offset;
                number(out, rise as f32 / run.units_per_em * size_pt, 3);
                out.extend_from_slice(b" Ts\n");
            }
            if run.rtl {
                pen -= glyph.advance as f32 * per_mille;
            }
            if run.rtl && (at == 0 || glyph.advance > 0) {
                let group = &run.glyphs[at..];
                let end = at + 1 + group[1..].iter().take_while(|g| g.advance <= 0).count();
                let letters: String = run.glyphs[at..end]
                    .iter()
                    .map(|g| g.text.as_str())
                    .collect();
                if letters.chars().nth(1).is_some() {
                    close(out, &mut open, &mut in_string);
                    out.extend_from_slice(b"/Span<</ActualText<FEFF");
                    let on_the_page: String = letters.chars().rev().collect();
                    for unit in on_the_page.encode_utf16() {
                        let _ = write!(out, "{unit:04X}");
                    }
                    out.extend_from_slice(b">>>BDC\n");
                    span_end = Some(end);
                    span_start = at;
                }
            }
            let target = pen + glyph.x_offset as f32 * per_mille;
            if (target - drawn).abs() > 0.01 {
                // Moves the PDF pen to the glyph's place (TJ numbers move left).
                if !open {
                    out.push(b'[');
                    open = true;
                }
                if in_string {
                    out.push(b'>');
                    in_string = false;
                }
                out.push(b' ');
                number(out, drawn - target, 2);
                out.push(b' ');
                drawn = target;
            }
            // pdftotext takes a span's box from its first glyph's start to
            // its last glyph's end: when the last has no width (it sits
            // inside the first), character spacing stretches it to the
            // first glyph's end, and the pen is moved back after.
            let stretch = match span_end {
                Some(end) if end == at + 1 && span_start != at => {
                    span_right - (target + declared_width(loaded, glyph.gid))
                }
                _ => 0.0,
            };
            if stretch > 0.01 {
                close(out, &mut open, &mut in_string);
                number(out, stretch / 1000.0 * size_pt, 3);
                out.extend_from_slice(b" Tc\n");
            }
            if !open {
                out.push(b'[');
                open = true;
            }
            if !in_string {
                out.push(b'<');
                in_string = true;
            }
            let gid = used.get(glyph.gid).unwrap_or(0);
            codes::push_hex(out, gid);
            drawn += declared_width(loaded, glyph.gid);
            if span_start == at {
                span_right = drawn;
            }
            if stretch > 0.01 {
                close(out, &mut open, &mut in_string);
                out.extend_from_slice(b"0 Tc\n");
                drawn += stretch;
            }
            if span_end == Some(at + 1) {
                close(out, &mut open, &mut in_string);
                out.extend_from_slice(b"EMC\n");
                span_end = None;
            }
            if !run.rtl {
                pen += glyph.advance as f32 * per_mille;
            }
        }
        // The PDF pen ends where the run does, its right end, where the
        // next run written may start.
        let end = if run.rtl { width } else { pen };
        if (end - drawn).abs() > 0.01 {
            if !open {
                out.push(b'[');
                open = true;
            }
            if in_string {
                out.push(b'>');
                in_string = false;
            }
            out.push(b' ');
            number(out, drawn - end, 2);
        }
        close(out, &mut open, &mut in_string);
        if rise != 0 {
            out.extend_from_slice(b"0 Ts\n");
        }
    }
}

/// The order to write a line's runs in (they are laid out left to right):
/// the order of their characters, so that the text is written as it is
/// read.
fn reading_order(runs: &[Run]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..runs.len()).collect();
    order.sort_by_key(|&index| runs[index].start);
    order
}

/// A face's subset as embedded: deflated, and its length before.
#[derive(Debug)]
struct EmbeddedSubset {
    deflated: Vec<u8>,
    length: usize,
}

/// Subsets embedded lately, by face and glyphs (in subset order).
type SubsetCache = HashMap<(Face, Vec<u16>), Arc<EmbeddedSubset>>;

/// Subsets remembered: certificates of one language share their title
/// face's subset (and people who share a name, the name's), which is most
/// of the cost of a one-page PDF (subsetting reads the whole font).
const MAX_CACHED_SUBSETS: usize = 64;

static SUBSETS: std::sync::LazyLock<Mutex<SubsetCache>> =
    std::sync::LazyLock::new(|| Mutex::new(HashMap::new()));

/// `face` reduced to `glyphs` (original ids, in subset order), hinting
/// removed, deflated: made once for the same glyphs.
fn embedded_subset(face: Face, glyphs: &[u16]) -> Result<Arc<EmbeddedSubset>, Error> {
    let key = (face, glyphs.to_vec());
    if let Some(hit) = SUBSETS
        .lock()
        .ok()
        .and_then(|cache| cache.get(&key).cloned())
    {
        return Ok(hit);
    }
    let loaded = fonts::load(face)?;
    let subset = subset_face(loaded.bytes(), glyphs)
        .map_err(|reason| Error::Font(format!("{}: {reason}", face.name())))?;
    let subset = super::hinting::strip(&subset).unwrap_or(subset);
    let embedded = Arc::new(EmbeddedSubset {
        deflated: deflate(&subset),
        length: subset.len(),
    });
    if let Ok(mut cache) = SUBSETS.lock() {
        if cache.len() >= MAX_CACHED_SUBSETS {
            cache.clear();
        }
        cache.insert(key, Arc::clone(&embedded));
    }
    Ok(embedded)
}

/// One item's drawing in a page's content stream.
#[derive(Debug)]
struct Block {
    range: std::ops::Range<usize>,
    /// What it may paint: left, top, right, bottom in millimetres from
    /// the top-left corner, generously (text with its accents and marks).
    area: [f32; 4],
    /// Whether earlier pages drew it too.
    common: bool,
    /// Whether it must be followed by the next block (it sets up what that
    /// one draws: the QR code's position and colour, and its image).
    glued: bool,
}

/// The area an item may paint (`None` for a link, which paints nothing).
fn covered(item: &Item) -> Option<[f32; 4]> {
    let pad = |[l, t, r, b]: [f32; 4], by: f32| [l - by, t - by, r + by, b + by];
    Some(match item {
        Item::Text {
            shaped,
            x_mm,
            baseline_mm,
            size_pt,
            ..
        } => {
            // Up to the highest and lowest point of any glyph of the faces
            // used (stacked Vietnamese accents, Arabic marks), and half an
            // em to each side (italic overhang).
            let em = size_pt * MM_PER_PT;
            let (mut above, mut below) = (1.2f32, 0.5f32);
            for run in shaped.runs.iter() {
                if let Ok(loaded) = fonts::load(run.face) {
                    let bbox = loaded.shaper.global_bounding_box();
                    above = above.max(f32::from(bbox.y_max) / loaded.units_per_em);
                    below = below.max(-f32::from(bbox.y_min) / loaded.units_per_em);
                }
            }
            let width = shaped.width_mm(*size_pt);
            [
                x_mm - em / 2.0,
                baseline_mm - above * em,
                x_mm + width + em / 2.0,
                baseline_mm + below * em,
            ]
        }
        Item::Line {
            from,
            to,
            thickness_pt,
            ..
        } => pad(
            [
                from.0.min(to.0),
                from.1.min(to.1),
                from.0.max(to.0),
                from.1.max(to.1),
            ],
            thickness_pt * MM_PER_PT,
        ),
        Item::Rect {
            x_mm,
            y_mm,
            width_mm,
            height_mm,
            paint,
        } => {
            let thickness = match paint {
                Paint::Fill(_) => 0.0,
                Paint::Stroke(_, thickness) => thickness * MM_PER_PT,
            };
            pad([*x_mm, *y_mm, x_mm + width_mm, y_mm + height_mm], thickness)
        }
        Item::Image {
            x_mm,
            y_mm,
            width_mm,
            height_mm,
            ..
        } => [*x_mm, *y_mm, x_mm + width_mm, y_mm + height_mm],
        Item::Cells {
            x_mm,
            y_mm,
            cell_mm,
            grid,
            ..
        } => {
            let side = grid.side() as f32;
            [*x_mm, *y_mm, x_mm + cell_mm * side, y_mm + cell_mm * side]
        }
        Item::Link { .. } => return None,
    })
}

fn overlap(a: [f32; 4], b: [f32; 4]) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

/// The order to paint a page's blocks in: the page's own drawing (name,
/// number, QR code) after the drawing common to pages when nothing it
/// passes overlaps it, so that the page keeps one stream of its own instead
/// of one between each common run (every stream has its own framing,
/// which adds up over a merged file's pages). Of its own drawing, what
/// opens with a common head (the QR code's position and colour) comes
/// first, so the head is a shared stream just before the page's own. Where
/// marks do not overlap, the order they are painted in changes nothing on
/// the page; where some do, the order is kept.
fn painting_order(blocks: &[Block]) -> Vec<usize> {
    // Units: a block and the blocks glued after it.
    let mut units: Vec<std::ops::Range<usize>> = Vec::new();
    let mut at = 0;
    while at < blocks.len() {
        let mut end = at + 1;
        while end < blocks.len() && blocks[end - 1].glued {
            end += 1;
        }
        units.push(at..end);
        at = end;
    }
    let own = |unit: &std::ops::Range<usize>| blocks[unit.clone()].iter().any(|b| !b.common);
    let headed =
        |unit: &std::ops::Range<usize>| own(unit) && blocks[unit.clone()].iter().any(|b| b.common);
    let overlaps = |a: &std::ops::Range<usize>, b: &std::ops::Range<usize>| {
        a.clone()
            .any(|i| b.clone().any(|j| overlap(blocks[i].area, blocks[j].area)))
    };
    let movable = units.iter().enumerate().all(|(k, unit)| {
        !own(unit)
            || units[k + 1..]
                .iter()
                .all(|later| own(later) || !overlaps(unit, later))
    });
    if !movable {
        return (0..blocks.len()).collect();
    }
    let (common, mine): (Vec<_>, Vec<_>) = units.iter().partition(|unit| !own(unit));
    let headed_first = mine.iter().enumerate().all(|(k, unit)| {
        !headed(unit)
            || mine[..k]
                .iter()
                .all(|before| headed(before) || !overlaps(unit, before))
    });
    let (first, rest): (Vec<_>, Vec<_>) = if headed_first {
        mine.into_iter().partition(|unit| headed(unit))
    } else {
        (Vec::new(), mine)
    };
    common
        .into_iter()
        .chain(first)
        .chain(rest)
        .flat_map(|unit| unit.clone())
        .collect()
}

/// A link annotation opening `url` over a box of the page
/// (§12.5.6.5), written when the page is.
#[derive(Debug, Clone)]
pub(super) struct Link {
    rect: Rect,
    url: String,
}

impl Link {
    fn new(
        page_height: f32,
        x_mm: f32,
        y_mm: f32,
        width_mm: f32,
        height_mm: f32,
        url: &str,
    ) -> Link {
        Link {
            rect: Rect::new(
                points(x_mm),
                points(page_height - y_mm - height_mm),
                points(x_mm + width_mm),
                points(page_height - y_mm),
            ),
            url: url.to_owned(),
        }
    }

    /// The annotation's dictionary, no border; in a tagged document with
    /// its key in the parent tree and its description (`structure`).
    pub(super) fn write(&self, obj: Obj<'_>, structure: Option<(u32, &str)>) {
        let mut annotation = obj.start::<Annotation>();
        annotation
            .subtype(AnnotationType::Link)
            .rect(self.rect)
            // Printed, as PDF/A requires of every annotation.
            .flags(AnnotationFlags::PRINT)
            .border(0.0, 0.0, 0.0, None);
        annotation
            .action()
            .action_type(ActionType::Uri)
            .uri(Str(self.url.as_bytes()));
        if let Some((key, description)) = structure {
            annotation
                .struct_parent(i32::try_from(key).unwrap_or(i32::MAX))
                .contents(TextStr(description));
        }
    }
}

/// Millimetres in points, to 1/100 pt as the content streams have them.
fn points(mm: f32) -> f32 {
    ((mm / MM_PER_PT) * 100.0).round() / 100.0
}

/// `r g b rg` (fill) or `RG` (stroke), components to 3 decimals.
fn colour(out: &mut Vec<u8>, color: Color, op: &[u8]) {
    for c in [color.r, color.g, color.b] {
        number(out, c, 3);
        out.push(b' ');
    }
    out.extend_from_slice(op);
    out.push(b'\n');
}

fn media_box(size: PageSize) -> Rect {
    Rect::new(0.0, 0.0, points(size.width_mm), points(size.height_mm))
}

fn fingerprint(block: &[u8]) -> u64 {
    // A fixed seed: the same on every run, so the same file.
    foldhash::fast::FixedState::with_seed(0x7461_6c6c_6572).hash_one(block)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::{Align, TextStyle};
    use taller_model::PaperSize;

    fn info() -> DocumentInfo {
        DocumentInfo {
            title: "Prueba (1)".to_owned(),
            author: "taller".to_owned(),
            subject: String::new(),
            created_unix: 1_453_881_600,
        }
    }

    fn page(name: &str) -> Page {
        let mut page = Page::new(PageSize::new(PaperSize::A4, true));
        page.rect(10.0, 10.0, 277.0, 190.0, Paint::Stroke(Color::BLACK, 1.0));
        let title = TextStyle::new(Face::Serif, 30.0).with_color(Color::rgb(30, 60, 110));
        page.text(
            "Certificado de asistencia",
            &title,
            148.0,
            40.0,
            Align::Center,
        )
        .expect("bundled fonts");
        let body = TextStyle::new(Face::Sans, 12.0);
        for (i, line) in [
            "participó en el taller «Campaigning on Twitter»",
            "celebrado en Madrid el 27 de enero de 2016 (4 horas)",
        ]
        .iter()
        .enumerate()
        {
            page.text(line, &body, 148.0, 100.0 + 8.0 * i as f32, Align::Center)
                .expect("bundled fonts");
        }
        page.text(
            name,
            &TextStyle::new(Face::SerifItalic, 36.0),
            148.0,
            70.0,
            Align::Center,
        )
        .expect("bundled fonts");
        page.line((60.0, 75.0), (230.0, 75.0), 0.5, Color::BLACK);
        page.link(20.0, 150.0, 30.0, 30.0, "https://example.org/verify/(X)");
        page
    }

    fn write(names: &[&str]) -> Vec<u8> {
        let mut doc = StreamDocument::new(Vec::new(), info()).expect("in memory");
        for name in names {
            doc.add_page(&page(name)).expect("in memory");
        }
        doc.finish().expect("in memory")
    }

    #[test]
    fn pages_read_back_with_their_own_text_and_the_shared_text() {
        let names = [
            "Ana Ruiz",
            "Ελένη Παπαδοπούλου",
            "محمد بن سلمان",
            "Zoë Łukasiewicz",
        ];
        let bytes = write(&names);
        let pages = crate::pdf::pages_text(&bytes);
        assert_eq!(pages.len(), names.len());
        for (text, name) in pages.iter().zip(names) {
            // Read in the file's order, as printpdf does: right-to-left
            // names too are written in reading order.
            assert!(text.contains(name), "{name} missing from {text:?}");
            assert!(text.contains("Certificado de asistencia"), "{text:?}");
            assert!(text.contains("celebrado en Madrid"), "{text:?}");
            for other in names.iter().filter(|other| **other != name) {
                assert!(!text.contains(other), "{other} leaked onto {name}'s page");
            }
        }
        // From the second page on, the title and body are a shared stream.
        assert!(
            String::from_utf8_lossy(&bytes)
                .matches("/Contents[")
                .count()
                == 0,
            "page dictionaries are packed in object streams"
        );
        let doc = lopdf::Document::load_mem(&bytes).expect("lopdf reads it");
        let contents: Vec<Vec<lopdf::ObjectId>> = doc
            .get_pages()
            .values()
            .map(|id| doc.get_page_contents(*id))
            .collect();
        let shared = contents[1]
            .iter()
            .filter(|id| contents[2].contains(id) && contents[3].contains(id))
            .count();
        assert!(shared >= 1, "{contents:?}");
    }

    #[test]
    fn names_with_more_letters_than_one_byte_codes_read_back() {
        // Latin, Greek and Cyrillic letters: over 200 glyphs of one face,
        // so the later names are drawn with two-byte codes.
        let letters: Vec<char> = ('A'..='Z')
            .chain('a'..='z')
            .chain('À'..='ÿ')
            .chain('Α'..='Ω')
            .chain('α'..='ω')
            .chain('А'..='я')
            .filter(|c| c.is_alphabetic())
            .collect();
        assert!(letters.len() > 200);
        let names: Vec<String> = letters
            .chunks(12)
            .map(|word| format!("Nombre {}", word.iter().collect::<String>()))
            .collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let bytes = write(&names);
        let pages = crate::pdf::pages_text(&bytes);
        assert_eq!(pages.len(), names.len());
        for (text, name) in pages.iter().zip(&names) {
            assert!(text.contains(name), "{name} missing from {text:?}");
        }
        // The last letter drawn, `я`, has a two-byte code in the ToUnicode
        // map (printpdf's extractor falls back on the font's own cmap, so
        // the map is checked here; pdftotext reads it).
        let doc = lopdf::Document::load_mem(&bytes).expect("lopdf reads it");
        let to_unicode: Vec<String> = doc
            .objects
            .values()
            .filter_map(|object| object.as_stream().ok())
            .filter_map(|stream| stream.decompressed_content().ok())
            .map(|content| String::from_utf8_lossy(&content).into_owned())
            .filter(|content| content.contains("/CMapType 2"))
            .collect();
        assert!(
            to_unicode
                .iter()
                .any(|cmap| cmap.lines().any(|line| line.len() == 13
                    && line.starts_with("<8")
                    && line.ends_with("> <044F>"))),
            "{to_unicode:?}"
        );
    }

    #[test]
    fn output_is_reproducible_and_fonts_are_embedded_once() {
        let names: Vec<String> = (0..300).map(|i| format!("Persona Número {i}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let first = write(&names);
        assert_eq!(first, write(&names));
        let count = |needle: &[u8]| first.windows(needle.len()).filter(|w| w == &needle).count();
        // Serif, Sans (body), Serif Italic (names).
        assert_eq!(count(b"/FontFile2"), 3);
        assert!(count(b"/CreationDate(D:20160127") == 1);
        let pages = crate::pdf::pages_text(&first);
        assert_eq!(pages.len(), 300);
        assert!(pages[299].contains("Persona Número 299"), "{}", pages[299]);
        // Shared drawing keeps a page to a few hundred bytes.
        assert!(first.len() < 30_000 + 300 * 400, "{} bytes", first.len());
    }

    #[test]
    fn images_are_written_once_with_their_transparency() {
        let raw = DecodedImage::from_samples(
            2,
            1,
            "DeviceRGB",
            &[255, 0, 0, 0, 0, 255],
            Some(&[128, 255]),
        );
        let mut doc = StreamDocument::new(Vec::new(), info()).expect("in memory");
        let image = doc.add_image(&PdfImage::encode(&raw)).expect("in memory");
        for _ in 0..3 {
            let mut page = Page::new(PageSize::new(PaperSize::A4, false));
            page.image(&image, 10.0, 10.0, 50.0, 50.0);
            doc.add_page(&page).expect("in memory");
        }
        let bytes = doc.finish().expect("in memory");
        let text = String::from_utf8_lossy(&bytes);
        assert_eq!(text.matches("/Subtype/Image").count(), 2, "colour and mask");
        assert!(text.contains("/SMask"));
        let doc = lopdf::Document::load_mem(&bytes).expect("lopdf reads it");
        assert_eq!(doc.get_pages().len(), 3);
    }
}
