//! The structure a tagged page records ([`super::tagged`]): the standard
//! roles, the elements a page opens, and where among its drawing they
//! open and close. A leaf: pages hold it, the tagger reads it.

/// A standard structure type (ISO 32000-1 §14.8.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The whole document (the tree's root element).
    Document,
    /// A heading, level 1.
    H1,
    /// A heading, level 2.
    H2,
    /// A heading, level 3.
    H3,
    /// A heading, level 4.
    H4,
    /// A heading, level 5.
    H5,
    /// A heading, level 6.
    H6,
    /// A paragraph.
    P,
    /// A list.
    L,
    /// A list item: a label and a body.
    LI,
    /// A list item's label (the bullet or number).
    Lbl,
    /// A list item's body.
    LBody,
    /// A block quotation.
    BlockQuote,
    /// A table.
    Table,
    /// A table row.
    TR,
    /// A table header cell.
    TH,
    /// A table data cell.
    TD,
    /// A link: its text and its annotation.
    Link,
    /// A picture, with its alternative text.
    Figure,
}

impl Role {
    /// The heading of `level` (1 to 6; outside that, the nearest).
    pub fn heading(level: u8) -> Role {
        match level {
            0 | 1 => Role::H1,
            2 => Role::H2,
            3 => Role::H3,
            4 => Role::H4,
            5 => Role::H5,
            _ => Role::H6,
        }
    }

    pub(super) fn name(self) -> &'static str {
        match self {
            Role::Document => "Document",
            Role::H1 => "H1",
            Role::H2 => "H2",
            Role::H3 => "H3",
            Role::H4 => "H4",
            Role::H5 => "H5",
            Role::H6 => "H6",
            Role::P => "P",
            Role::L => "L",
            Role::LI => "LI",
            Role::Lbl => "Lbl",
            Role::LBody => "LBody",
            Role::BlockQuote => "BlockQuote",
            Role::Table => "Table",
            Role::TR => "TR",
            Role::TH => "TH",
            Role::TD => "TD",
            Role::Link => "Link",
            Role::Figure => "Figure",
        }
    }
}

/// The attributes of an element that PDF/UA asks for (ISO 32000-1
/// §14.8.5): a table header's scope, a list's numbering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Attribute {
    /// `/O/Table/Scope/Column`: a header of its column.
    ColumnHeader,
    /// `/O/List/ListNumbering`: `Decimal` when numbered, else `Disc`.
    List { numbered: bool },
}

/// A structure element to open on a page: its role, and what a reader
/// says of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    pub(super) role: Role,
    /// A figure's alternative text; a link's description (its text).
    pub(super) alt: Option<String>,
    /// The element's attributes.
    pub(super) attributes: Option<Attribute>,
    /// Its language, when not the document's.
    pub(super) language: Option<&'static str>,
}

impl Element {
    /// An element of `role`.
    pub fn new(role: Role) -> Element {
        Element {
            role,
            alt: None,
            attributes: None,
            language: None,
        }
    }

    /// The same element in the language `text`'s script says, when only
    /// one language is written in it and the text has no other letters:
    /// Greek (`el`) or Arabic (`ar`), so a screen reader switches voice
    /// for a name like `Ελένη` or `محمد` in a Spanish document. Other
    /// texts keep the document's language: a Latin or Cyrillic script is
    /// shared by many languages, and a wrong guess reads worse than none.
    pub fn in_language_of(self, text: &str) -> Element {
        let script = |c: char| match c {
            '\u{0370}'..='\u{03FF}' | '\u{1F00}'..='\u{1FFF}' => Some("el"),
            '\u{0600}'..='\u{06FF}'
            | '\u{0750}'..='\u{077F}'
            | '\u{08A0}'..='\u{08FF}'
            | '\u{FB50}'..='\u{FDFF}'
            | '\u{FE70}'..='\u{FEFF}' => Some("ar"),
            _ => None,
        };
        let mut language = None;
        for c in text.chars().filter(|c| c.is_alphabetic()) {
            match (script(c), language) {
                (None, _) => return self,
                (Some(found), Some(seen)) if found != seen => return self,
                (found, _) => language = found,
            }
        }
        Element { language, ..self }
    }

    /// A figure with its alternative text (what a reader says instead of
    /// the picture).
    pub fn figure(alt: &str) -> Element {
        Element {
            alt: Some(alt.to_owned()),
            ..Element::new(Role::Figure)
        }
    }

    /// A link whose text (or description) is `text`: the annotation's
    /// `/Contents`.
    pub fn link(text: &str) -> Element {
        Element {
            alt: Some(text.to_owned()),
            ..Element::new(Role::Link)
        }
    }

    /// A table header cell for its column.
    pub fn column_header() -> Element {
        Element {
            attributes: Some(Attribute::ColumnHeader),
            ..Element::new(Role::TH)
        }
    }

    /// A list, numbered or with bullets.
    pub fn list(numbered: bool) -> Element {
        Element {
            attributes: Some(Attribute::List { numbered }),
            ..Element::new(Role::L)
        }
    }

    /// Its role.
    pub fn role(&self) -> Role {
        self.role
    }
}

/// Where the structure changes among a page's drawing.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Mark {
    Open(Element),
    Close,
    ArtifactStart,
    ArtifactEnd,
}
