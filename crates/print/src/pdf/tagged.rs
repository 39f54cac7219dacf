//! Tagged PDF (ISO 32000-1 §14.7–14.8), what PDF/UA-1 (ISO 14289-1) asks
//! of a document a screen reader reads: a structure tree of standard
//! elements (headings, paragraphs, lists, tables, links, figures) whose
//! order is the reading order, every piece of drawing either inside one of
//! them (a marked-content sequence with an `/MCID`) or marked as an
//! artifact (frames, rules, backgrounds, page-number furniture).
//!
//! A [`Page`] records where elements open and close among its drawing
//! ([`Page::open`], [`Page::close`], [`Page::artifact`]); an element may
//! stay open across pages (a table over many pages). Serializing a page
//! wraps its drawing and notes, page by page, what the structure tree
//! needs ([`PageTagger`]); the [`StreamDocument`](super::StreamDocument)
//! keeps only the elements still open and writes each one as soon as it
//! closes, so memory holds the open branch of the tree, not the tree.

use std::io::Write;

use pdf_writer::writers::{Catalog, StructElement, StructTreeRoot};
use pdf_writer::{Finish, Name, Obj, TextStr};

use super::Page;
use super::canvas::Item;
use super::stream_document::Link;
use super::structure::{Attribute, Element, Mark, Role};
use super::writer::{ObjId, ObjectWriter, object, pdf_ref};

impl Page {
    /// Opens a structure element: what is drawn from here until the
    /// matching [`close`](Self::close) (on this page or a later one) is
    /// its content, in the order drawn. Ignored by untagged documents.
    pub fn open(&mut self, element: Element) {
        self.marks.push((self.items.len(), Mark::Open(element)));
    }

    /// Closes the element opened last.
    pub fn close(&mut self) {
        self.marks.push((self.items.len(), Mark::Close));
    }

    /// Draws with `draw` as an artifact: decoration (a frame, a rule, a
    /// background, page-number furniture) a screen reader skips.
    pub fn artifact<R>(&mut self, draw: impl FnOnce(&mut Page) -> R) -> R {
        self.marks.push((self.items.len(), Mark::ArtifactStart));
        let result = draw(self);
        self.marks.push((self.items.len(), Mark::ArtifactEnd));
        result
    }
}

/// What a page tells the structure tree, in drawing order.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Event {
    Open(Element),
    Close,
    /// A marked-content sequence of this page, by its `/MCID`.
    Content(u32),
    /// The page's link annotation of this index.
    Annotation(usize),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Sequence {
    None,
    Artifact,
    Tagged,
}

/// Wraps one page's drawing in marked-content sequences while it is
/// serialized: each run of drawing between two marks is one sequence,
/// tagged with an `/MCID` (numbered from 0 on each page) or, inside
/// [`Page::artifact`], an `/Artifact`.
pub(super) struct PageTagger<'a> {
    marks: &'a [(usize, Mark)],
    next: usize,
    artifact: u32,
    sequence: Sequence,
    mcid: u32,
    /// Roles opened on this page and still open: the tag of a sequence.
    roles: Vec<&'static str>,
    pub(super) events: Vec<Event>,
}

impl<'a> PageTagger<'a> {
    pub(super) fn new(page: &'a Page) -> PageTagger<'a> {
        PageTagger {
            marks: &page.marks,
            next: 0,
            artifact: 0,
            sequence: Sequence::None,
            mcid: 0,
            roles: Vec::new(),
            events: Vec::new(),
        }
    }

    fn end_sequence(&mut self, out: &mut Vec<u8>) {
        if self.sequence != Sequence::None {
            out.extend_from_slice(b"EMC\n");
            self.sequence = Sequence::None;
        }
    }

    /// The marks placed before item `index` (all that are left when
    /// `index` is `None`).
    fn marks_until(&mut self, out: &mut Vec<u8>, index: Option<usize>) {
        while let Some((at, mark)) = self.marks.get(self.next) {
            if index.is_some_and(|index| *at > index) {
                break;
            }
            self.next += 1;
            self.end_sequence(out);
            match mark {
                // Inside an artifact nothing is structure: drawing that is
                // tagged on one page is decoration when repeated on the next.
                Mark::Open(_) | Mark::Close if self.artifact > 0 => {}
                Mark::Open(element) => {
                    self.roles.push(element.role.name());
                    self.events.push(Event::Open(element.clone()));
                }
                Mark::Close => {
                    self.roles.pop();
                    self.events.push(Event::Close);
                }
                Mark::ArtifactStart => self.artifact += 1,
                Mark::ArtifactEnd => self.artifact = self.artifact.saturating_sub(1),
            }
        }
    }

    /// Called before item `index` is drawn; `annotation` is the index the
    /// item's annotation gets if it is a link.
    pub(super) fn before(
        &mut self,
        out: &mut Vec<u8>,
        index: usize,
        item: &Item,
        annotation: usize,
    ) {
        self.marks_until(out, Some(index));
        if let Item::Link { .. } = item {
            if self.artifact == 0 {
                self.events.push(Event::Annotation(annotation));
            }
            return;
        }
        if self.artifact > 0 {
            if self.sequence != Sequence::Artifact {
                self.end_sequence(out);
                out.extend_from_slice(b"/Artifact BMC\n");
                self.sequence = Sequence::Artifact;
            }
        } else if self.sequence != Sequence::Tagged {
            self.end_sequence(out);
            let role = self.roles.last().copied().unwrap_or("Span");
            let _ = writeln!(out, "/{role} <</MCID {}>> BDC", self.mcid);
            self.events.push(Event::Content(self.mcid));
            self.mcid += 1;
            self.sequence = Sequence::Tagged;
        }
    }

    /// Called after the last item.
    pub(super) fn finish(mut self, out: &mut Vec<u8>) -> Vec<Event> {
        self.marks_until(out, None);
        self.end_sequence(out);
        self.events
    }
}

/// A child of a structure element.
#[derive(Debug, Clone, Copy)]
enum Kid {
    Element(ObjId),
    Content { page: ObjId, mcid: u32 },
    Annotation { page: ObjId, annotation: ObjId },
}

#[derive(Debug)]
struct Open {
    id: ObjId,
    parent: ObjId,
    element: Element,
    /// The page of its first marked content: its `/Pg`.
    page: Option<ObjId>,
    kids: Vec<Kid>,
}

/// What the structure tree adds to a page written.
pub(super) struct PageStructure {
    /// The page's key in the parent tree (`/StructParents`), when it has
    /// tagged content.
    pub(super) key: Option<u32>,
    /// The page's annotations, written.
    pub(super) annotations: Vec<ObjId>,
}

/// The document's structure tree as it is written: the open branch, and
/// the parent tree's entries (one per page and per link).
#[derive(Debug)]
pub(super) struct Tree {
    root: ObjId,
    language: String,
    stack: Vec<Open>,
    /// Parent tree: key and the page's array or the link's element.
    parents: Vec<(u32, ObjId)>,
    next_key: u32,
}

impl Tree {
    /// A tree whose root holds one `Document` element; `language` is the
    /// document's (`es`, `en`).
    pub(super) fn new<W: Write>(writer: &mut ObjectWriter<W>, language: &str) -> Tree {
        let root = writer.reserve();
        let document = writer.reserve();
        Tree {
            root,
            language: language.to_owned(),
            stack: vec![Open {
                id: document,
                parent: root,
                element: Element::new(Role::Document),
                page: None,
                kids: Vec::new(),
            }],
            parents: Vec::new(),
            next_key: 0,
        }
    }

    /// Takes in page `page`'s events and writes its annotations, with the
    /// link elements they belong to.
    pub(super) fn page<W: Write>(
        &mut self,
        writer: &mut ObjectWriter<W>,
        page: ObjId,
        events: Vec<Event>,
        annotations: Vec<Link>,
    ) -> std::io::Result<PageStructure> {
        let mut owners: Vec<ObjId> = Vec::new();
        let mut annotation_ids: Vec<ObjId> = annotations.iter().map(|_| 0).collect();
        let mut annotations: Vec<Option<Link>> = annotations.into_iter().map(Some).collect();
        for event in events {
            match event {
                Event::Open(element) => {
                    let id = writer.reserve();
                    let parent = self.top().id;
                    self.stack.push(Open {
                        id,
                        parent,
                        element,
                        page: None,
                        kids: Vec::new(),
                    });
                }
                Event::Close => self.close(writer)?,
                Event::Content(mcid) => {
                    let top = self.top();
                    top.page.get_or_insert(page);
                    top.kids.push(Kid::Content { page, mcid });
                    let id = top.id;
                    if owners.len() <= mcid as usize {
                        owners.resize(mcid as usize + 1, id);
                    }
                    owners[mcid as usize] = id;
                }
                Event::Annotation(index) => {
                    let Some(link) = annotations.get_mut(index).and_then(Option::take) else {
                        continue;
                    };
                    let id = writer.reserve();
                    let key = self.next_key;
                    self.next_key += 1;
                    let top = self.top();
                    top.kids.push(Kid::Annotation {
                        page,
                        annotation: id,
                    });
                    let description = top.element.alt.clone().unwrap_or_default();
                    let element = top.id;
                    self.parents.push((key, element));
                    let dict = object(|obj| link.write(obj, Some((key, &description))));
                    writer.packed(id, dict)?;
                    annotation_ids[index] = id;
                }
            }
        }
        // Annotations drawn as artifacts belong to no element.
        for (index, link) in annotations.into_iter().enumerate() {
            if let Some(link) = link {
                let id = writer.reserve();
                writer.packed(id, object(|obj| link.write(obj, None)))?;
                annotation_ids[index] = id;
            }
        }
        let key = if owners.is_empty() {
            None
        } else {
            let array = writer.reserve();
            let body = object(|obj| {
                obj.array()
                    .items(owners.iter().map(|owner| pdf_ref(*owner)));
            });
            writer.packed(array, body)?;
            let key = self.next_key;
            self.next_key += 1;
            self.parents.push((key, array));
            Some(key)
        };
        Ok(PageStructure {
            key,
            annotations: annotation_ids,
        })
    }

    fn top(&mut self) -> &mut Open {
        // The Document element is never closed before `finish`.
        let last = self.stack.len() - 1;
        &mut self.stack[last]
    }

    /// Closes the innermost element (never the Document) and writes it.
    fn close<W: Write>(&mut self, writer: &mut ObjectWriter<W>) -> std::io::Result<()> {
        if self.stack.len() <= 1 {
            return Ok(());
        }
        if let Some(open) = self.stack.pop() {
            let id = open.id;
            write_element(writer, open)?;
            self.top().kids.push(Kid::Element(id));
        }
        Ok(())
    }

    /// Closes what is still open, writes the tree's root and the parent
    /// tree, and gives what the catalog says of a tagged document.
    pub(super) fn finish<W: Write>(
        mut self,
        writer: &mut ObjectWriter<W>,
    ) -> std::io::Result<Structure> {
        while self.stack.len() > 1 {
            self.close(writer)?;
        }
        let document = self.top().id;
        if let Some(open) = self.stack.pop() {
            write_element(writer, open)?;
        }
        self.parents.sort_unstable_by_key(|(key, _)| *key);
        let root = object(|obj| {
            let mut root = obj.start::<StructTreeRoot>();
            root.child(pdf_ref(document));
            let mut tree = root.parent_tree();
            let mut nums = tree.nums();
            for (key, id) in &self.parents {
                nums.insert(key_number(*key), pdf_ref(*id));
            }
            nums.finish();
            tree.finish();
            root.parent_tree_next_key(key_number(self.next_key));
        });
        writer.direct(self.root, &root)?;
        Ok(Structure {
            root: self.root,
            language: self.language,
        })
    }
}

/// What the catalog of a tagged document says of its structure.
pub(super) struct Structure {
    root: ObjId,
    language: String,
}

impl Structure {
    /// The catalog's entries for a tagged document: the structure tree,
    /// the claim that it is tagged, its language, and that readers show
    /// its title rather than its file name (PDF/UA).
    pub(super) fn write(&self, catalog: &mut Catalog<'_>) {
        catalog.pair(Name(b"StructTreeRoot"), pdf_ref(self.root));
        catalog.mark_info().marked(true);
        catalog.lang(TextStr(&self.language));
        catalog.viewer_preferences().display_doc_title(true);
    }
}

/// A parent-tree key or MCID as pdf-writer takes it: they count pages,
/// links and sequences, far below `i32::MAX`.
fn key_number(key: u32) -> i32 {
    i32::try_from(key).unwrap_or(i32::MAX)
}

fn write_element<W: Write>(writer: &mut ObjectWriter<W>, open: Open) -> std::io::Result<()> {
    let body = object(|obj| element(obj, &open));
    writer.packed(open.id, body)
}

fn element(obj: Obj<'_>, open: &Open) {
    let mut element = obj.start::<StructElement>();
    element
        .custom_kind(Name(open.element.role.name().as_bytes()))
        .parent(pdf_ref(open.parent));
    if let Some(page) = open.page {
        element.page(pdf_ref(page));
    }
    let mut kids = element.children();
    for kid in &open.kids {
        match *kid {
            Kid::Element(id) => {
                kids.struct_element(pdf_ref(id));
            }
            Kid::Content { page, mcid } if Some(page) == open.page => {
                kids.marked_content_id(key_number(mcid));
            }
            Kid::Content { page, mcid } => {
                kids.marked_content_ref()
                    .page(pdf_ref(page))
                    .marked_content_id(key_number(mcid));
            }
            Kid::Annotation { page, annotation } => {
                kids.object_ref()
                    .page(pdf_ref(page))
                    .object(pdf_ref(annotation));
            }
        }
    }
    kids.finish();
    if open.element.role == Role::Figure {
        let alt = open.element.alt.as_deref().unwrap_or_default();
        element.alt(TextStr(alt));
    }
    if let Some(attribute) = open.element.attributes {
        let attributes = element
            .insert(Name(b"A"))
            .start::<pdf_writer::writers::Attributes>();
        match attribute {
            Attribute::ColumnHeader => {
                attributes
                    .table()
                    .scope(pdf_writer::types::TableHeaderScope::Column);
            }
            Attribute::List { numbered } => {
                attributes.list().list_numbering(if numbered {
                    pdf_writer::types::ListNumbering::Decimal
                } else {
                    pdf_writer::types::ListNumbering::Disc
                });
            }
        }
    }
    if let Some(language) = open.element.language {
        element.lang(TextStr(language));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::{Align, Color, DocumentInfo, Face, PageSize, StreamDocument, TextStyle};
    use taller_model::PaperSize;

    fn content(doc: &lopdf::Document, page: lopdf::ObjectId) -> String {
        String::from_utf8_lossy(&doc.get_page_content(page)).into_owned()
    }

    #[test]
    fn a_greek_or_arabic_text_is_in_its_language_and_others_in_the_documents() {
        let language = |text: &str| Element::new(Role::TD).in_language_of(text).language;
        assert_eq!(language("Ελένη Παπαδοπούλου"), Some("el"));
        assert_eq!(language("محمد بن سلمان"), Some("ar"));
        assert_eq!(language("Ana Ruiz"), None);
        assert_eq!(language("Ольга Петренко"), None);
        assert_eq!(language("Ελένη Ruiz"), None, "two scripts");
        assert_eq!(language("Ελένη محمد"), None, "two languages");
        assert_eq!(language(""), None);
    }

    fn role(dict: &lopdf::Dictionary) -> Option<&[u8]> {
        dict.get(b"S").and_then(lopdf::Object::as_name).ok()
    }

    #[test]
    fn elements_span_pages_and_decoration_is_an_artifact() {
        let info = DocumentInfo {
            title: "Hoja".into(),
            ..DocumentInfo::default()
        };
        let mut document = StreamDocument::tagged(Vec::new(), info, "es").expect("in memory");
        let style = TextStyle::new(Face::Sans, 10.0);
        let size = PageSize::new(PaperSize::A4, false);
        // A table opened on the first page, closed on the second; a link.
        let mut first = Page::new(size);
        first.artifact(|page| page.line((10.0, 10.0), (200.0, 10.0), 1.0, Color::BLACK));
        first.open(Element::new(Role::Table));
        first.open(Element::new(Role::TR));
        first
            .text("Ana", &style, 20.0, 20.0, Align::Left)
            .expect("fonts");
        first.close();
        document.add_page(&first).expect("in memory");
        let mut second = Page::new(size);
        second.open(Element::new(Role::TR));
        second.open(Element::link("la guía"));
        second
            .text("la guía", &style, 20.0, 20.0, Align::Left)
            .expect("fonts");
        second.link(20.0, 15.0, 20.0, 6.0, "https://example.org");
        second.close();
        second.close();
        second.close();
        document.add_page(&second).expect("in memory");
        let bytes = document.finish().expect("in memory");

        let doc = lopdf::Document::load_mem(&bytes).expect("lopdf reads it");
        let pages: Vec<lopdf::ObjectId> = doc.get_pages().into_values().collect();
        let first = content(&doc, pages[0]);
        assert!(first.starts_with("/Artifact BMC\n"), "{first}");
        assert!(first.contains("EMC\n/TR <</MCID 0>> BDC\n"), "{first}");
        let second = content(&doc, pages[1]);
        assert!(second.contains("/Link <</MCID 0>> BDC\n"), "{second}");

        let elements: Vec<&lopdf::Dictionary> = doc
            .objects
            .values()
            .filter_map(|object| object.as_dict().ok())
            .filter(|dict| dict.get(b"S").is_ok() && dict.get(b"P").is_ok())
            .collect();
        let table = elements
            .iter()
            .find(|dict| role(dict) == Some(b"Table"))
            .expect("a table");
        let rows = table
            .get(b"K")
            .and_then(lopdf::Object::as_array)
            .expect("kids");
        assert_eq!(rows.len(), 2, "one row per page, in one table");
        let link = elements
            .iter()
            .find(|dict| role(dict) == Some(b"Link"))
            .expect("a link");
        let kids = link
            .get(b"K")
            .and_then(lopdf::Object::as_array)
            .expect("kids");
        assert_eq!(kids[0].as_i64().ok(), Some(0), "its text");
        let reference = kids[1].as_dict().expect("an object reference");
        let annotation = reference
            .get(b"Obj")
            .and_then(lopdf::Object::as_reference)
            .and_then(|id| doc.get_dictionary(id))
            .expect("the annotation");
        assert_eq!(
            annotation
                .get(b"Contents")
                .ok()
                .and_then(|text| lopdf::decode_text_string(text).ok())
                .as_deref(),
            Some("la guía")
        );
        assert!(annotation.get(b"StructParent").is_ok());
        let catalog = doc.catalog().expect("catalog");
        assert!(catalog.get(b"StructTreeRoot").is_ok());
        assert!(catalog.get(b"MarkInfo").is_ok());
        let page = doc.get_dictionary(pages[1]).expect("page");
        assert_eq!(
            page.get(b"Tabs").and_then(lopdf::Object::as_name).ok(),
            Some(&b"S"[..])
        );
    }
}
