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

use std::fmt::Write as _;
use std::io::Write;

use super::Page;
use super::canvas::Item;
use super::structure::{Element, Mark, Role};
use super::writer::{self, ObjId, ObjectWriter};

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
        annotations: Vec<Vec<u8>>,
    ) -> std::io::Result<PageStructure> {
        let mut owners: Vec<ObjId> = Vec::new();
        let mut annotation_ids: Vec<ObjId> = annotations.iter().map(|_| 0).collect();
        let mut annotations: Vec<Option<Vec<u8>>> = annotations.into_iter().map(Some).collect();
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
                    let Some(dict) = annotations.get_mut(index).and_then(Option::take) else {
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
                    writer.packed(id, with_structure(dict, key, &description))?;
                    annotation_ids[index] = id;
                }
            }
        }
        // Annotations drawn as artifacts belong to no element.
        for (index, dict) in annotations.into_iter().enumerate() {
            if let Some(dict) = dict {
                let id = writer.reserve();
                writer.packed(id, dict)?;
                annotation_ids[index] = id;
            }
        }
        let key = if owners.is_empty() {
            None
        } else {
            let array = writer.reserve();
            let mut body = String::from("[");
            for (i, owner) in owners.iter().enumerate() {
                let sep = if i == 0 { "" } else { " " };
                let _ = write!(body, "{sep}{owner} 0 R");
            }
            body.push(']');
            writer.packed(array, body.into_bytes())?;
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
    /// tree, and gives the catalog's entries for a tagged document.
    pub(super) fn finish<W: Write>(
        mut self,
        writer: &mut ObjectWriter<W>,
    ) -> std::io::Result<String> {
        while self.stack.len() > 1 {
            self.close(writer)?;
        }
        let document = self.top().id;
        if let Some(open) = self.stack.pop() {
            write_element(writer, open)?;
        }
        self.parents.sort_unstable_by_key(|(key, _)| *key);
        let mut root = format!("<</Type/StructTreeRoot/K {document} 0 R/ParentTree<</Nums[");
        for (i, (key, id)) in self.parents.iter().enumerate() {
            let sep = if i == 0 { "" } else { " " };
            let _ = write!(root, "{sep}{key} {id} 0 R");
        }
        let _ = write!(root, "]>>/ParentTreeNextKey {}>>", self.next_key);
        writer.direct(self.root, root.as_bytes())?;
        Ok(format!(
            "/StructTreeRoot {} 0 R/MarkInfo<</Marked true>>/Lang{}/ViewerPreferences<</DisplayDocTitle true>>",
            self.root,
            writer::text_string(&self.language)
        ))
    }
}

/// The link annotation `dict` with its key in the parent tree and its
/// description.
fn with_structure(mut dict: Vec<u8>, key: u32, description: &str) -> Vec<u8> {
    if dict.ends_with(b">>") {
        dict.truncate(dict.len() - 2);
    }
    let _ = write!(
        dict,
        "/StructParent {key}/Contents{}>>",
        writer::text_string(description)
    );
    dict
}

fn write_element<W: Write>(writer: &mut ObjectWriter<W>, open: Open) -> std::io::Result<()> {
    let mut body = format!(
        "<</Type/StructElem/S/{}/P {} 0 R",
        open.element.role.name(),
        open.parent
    );
    if let Some(page) = open.page {
        let _ = write!(body, "/Pg {page} 0 R");
    }
    body.push_str("/K[");
    for (i, kid) in open.kids.iter().enumerate() {
        if i > 0 {
            body.push(' ');
        }
        match *kid {
            Kid::Element(id) => {
                let _ = write!(body, "{id} 0 R");
            }
            Kid::Content { page, mcid } if Some(page) == open.page => {
                let _ = write!(body, "{mcid}");
            }
            Kid::Content { page, mcid } => {
                let _ = write!(body, "<</Type/MCR/Pg {page} 0 R/MCID {mcid}>>");
            }
            Kid::Annotation { page, annotation } => {
                let _ = write!(body, "<</Type/OBJR/Pg {page} 0 R/Obj {annotation} 0 R>>");
            }
        }
    }
    body.push(']');
    if open.element.role == Role::Figure {
        let alt = open.element.alt.as_deref().unwrap_or_default();
        let _ = write!(body, "/Alt{}", writer::text_string(alt));
    }
    if let Some(attributes) = open.element.attributes {
        let _ = write!(body, "/A{attributes}");
    }
    if let Some(language) = open.element.language {
        let _ = write!(body, "/Lang({language})");
    }
    body.push_str(">>");
    writer.packed(open.id, body.into_bytes())
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
