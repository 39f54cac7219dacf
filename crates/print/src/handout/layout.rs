//! Setting handout blocks into lines and pages, like a careful typesetter.
//!
//! - Lines break greedily at spaces, never at a non-breaking space
//!   (U+00A0, U+202F, U+2007, U+2060): `10 km` stays together. A word wider
//!   than the whole line (a long URL) is broken between characters rather
//!   than run into the margin.
//! - Pages break between items, with "keep with next" chains: a heading
//!   always travels with the first two lines of what follows it, the first
//!   line of a paragraph never stays alone at the bottom of a page (orphan)
//!   and its last line never goes alone to the top of the next (widow).
//!
//! Text widths come from a measuring function, so the engine is tested
//! without fonts; the handout renderer passes the PDF core's real metrics.

use std::collections::HashMap;

use super::markdown::{Block, Run, RunStyle};
use crate::Error;
use crate::pdf::{Color, Element, Face, MM_PER_PT, Role};

/// Measures `text` set in `face` at a size in points: width in millimetres.
pub type Measure<'a> = dyn Fn(&str, Face, f32) -> Result<f32, Error> + 'a;

/// Sizes, spacing and colours of a handout.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    /// Width of the text column, in millimetres.
    pub width: f32,
    /// Height of the text area of a page, in millimetres.
    pub height: f32,
    /// Body text size, in points.
    pub body_pt: f32,
    /// Line height over font size.
    pub leading: f32,
    /// Indent of each list level, in millimetres.
    pub list_indent: f32,
    /// Accent colour: title, headings, rules, call-out bars.
    pub accent: Color,
    /// Text colour.
    pub text: Color,
    /// Link colour.
    pub link: Color,
    /// Call-out background.
    pub shade: Color,
    /// Code text colour.
    pub code: Color,
}

impl Theme {
    /// The handout look on a text column of `width` × `height` mm.
    pub fn new(width: f32, height: f32) -> Theme {
        Theme {
            width,
            height,
            body_pt: 10.5,
            leading: 1.45,
            list_indent: 7.5,
            accent: Color::rgb(30, 60, 110),
            text: Color::rgb(25, 25, 25),
            link: Color::rgb(20, 80, 170),
            shade: Color::rgb(232, 239, 248),
            code: Color::rgb(120, 30, 60),
        }
    }

    fn line_height(&self, size_pt: f32) -> f32 {
        size_pt * MM_PER_PT * self.leading
    }

    fn heading_pt(&self, level: u8) -> f32 {
        match level {
            0 => 22.0,
            1 => 17.0,
            2 => 14.0,
            _ => 12.0,
        }
    }
}

/// A piece of text on a line, in one style.
#[derive(Debug, Clone, PartialEq)]
pub struct Fragment {
    /// The text.
    pub text: String,
    /// Its face.
    pub face: Face,
    /// Size in points.
    pub size_pt: f32,
    /// Colour.
    pub color: Color,
    /// Left edge, in millimetres from the item's left edge (list markers
    /// hang to the left, so it can be negative).
    pub x: f32,
    /// Width in millimetres.
    pub width: f32,
    /// Link target, drawn underlined and clickable.
    pub link: Option<String>,
}

/// What an item draws.
#[derive(Debug, Clone, PartialEq)]
pub enum ItemKind {
    /// A line of text.
    Line {
        /// Its fragments.
        fragments: Vec<Fragment>,
        /// Baseline, in millimetres below the item's top.
        baseline: f32,
    },
    /// A horizontal rule across the item's width, in the middle of its height.
    Rule,
    /// An image filling the item.
    Image {
        /// The image's source as written in the Markdown.
        source: String,
    },
    /// Blank space (call-out padding).
    Space,
}

/// A vertical piece of the handout: the unit pages are made of.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// What it draws.
    pub kind: ItemKind,
    /// Left edge, in millimetres from the text column's left edge.
    pub x: f32,
    /// Width, in millimetres.
    pub width: f32,
    /// Height, in millimetres.
    pub height: f32,
    /// Space above it, dropped at the top of a page.
    pub space_before: f32,
    /// The page must not break between this item and the next.
    pub keep_with_next: bool,
    /// Part of a call-out: shade this band (x and width in millimetres).
    pub shade: Option<(f32, f32)>,
    /// Where structure elements (a heading, a paragraph, a list item…)
    /// open and close, for a screen reader: before the fragment of that
    /// index ([`END`] after the item's drawing), in order.
    pub marks: Vec<(usize, Mark)>,
}

/// A mark's position after everything an item draws.
pub const END: usize = usize::MAX;

/// A change in the structure of the text.
#[derive(Debug, Clone, PartialEq)]
pub enum Mark {
    /// An element opens.
    Open(Element),
    /// The element opened last closes.
    Close,
}

/// An item placed on a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    /// The item.
    pub item: Item,
    /// Its top, in millimetres below the top of the text area.
    pub y: f32,
    /// The space above it actually used (0 at the top of a page).
    pub space_before: f32,
}

/// Sets blocks into items. `image_aspect` gives an image's width over
/// height, `None` when it is not available (then its alt text is set).
pub fn layout(
    blocks: &[Block],
    theme: &Theme,
    measure: &Measure<'_>,
    image_aspect: &dyn Fn(&str) -> Option<f32>,
) -> Result<Vec<Item>, Error> {
    let mut setter = Setter {
        theme,
        measure,
        image_aspect,
        cache: HashMap::new(),
        items: Vec::new(),
        heading: 0,
    };
    let frame = Frame {
        indent: 0.0,
        right: 0.0,
        shade: None,
    };
    setter.blocks(blocks, frame, true)?;
    Ok(setter.items)
}

/// Breaks items into pages of at most `height` millimetres, honouring
/// keep-with-next chains. An item taller than a page gets a page of its own.
pub fn paginate(items: Vec<Item>, height: f32) -> Vec<Vec<Placed>> {
    // First decide where each item goes, then move the items there: a
    // 5,000-page text is never held twice.
    let mut positions: Vec<(usize, f32, f32)> = Vec::with_capacity(items.len());
    let mut page = 0;
    // Index in `items` of the first item on the current page.
    let mut page_start = 0;
    let mut y = 0.0_f32;
    let mut i = 0;
    while i < items.len() {
        let item = &items[i];
        let first_on_page = i == page_start;
        let space = if first_on_page {
            0.0
        } else {
            item.space_before
        };
        if first_on_page || y + space + item.height <= height + 0.01 {
            positions.truncate(i);
            positions.push((page, y + space, space));
            y += space + item.height;
            i += 1;
            continue;
        }
        let mut chain_start = i;
        while chain_start > page_start && items[chain_start - 1].keep_with_next {
            chain_start -= 1;
        }
        if chain_start > page_start {
            // Move the whole chain over; it starts the next page.
            i = chain_start;
        }
        page += 1;
        page_start = i;
        y = 0.0;
    }
    let mut pages: Vec<Vec<Placed>> = (0..=page).map(|_| Vec::new()).collect();
    for (item, (page, y, space_before)) in items.into_iter().zip(positions) {
        pages[page].push(Placed {
            item,
            y,
            space_before,
        });
    }
    pages
}

/// A piece of a paragraph before line breaking.
#[derive(Debug, Clone)]
enum Piece {
    /// A word: styled segments with no break opportunity between them.
    Word(Vec<Segment>),
    /// A breakable space in a style.
    Space(Segment),
    /// A hard line break.
    Newline,
}

#[derive(Debug, Clone)]
struct Segment {
    text: String,
    style: RunStyle,
    link: Option<String>,
}

/// Base look of a paragraph's text.
#[derive(Debug, Clone, Copy)]
struct TextLook {
    size_pt: f32,
    bold: bool,
    color: Color,
}

/// Where blocks are set: insets from the column's edges, and the call-out
/// band they are part of.
#[derive(Debug, Clone, Copy)]
struct Frame {
    indent: f32,
    right: f32,
    shade: Option<(f32, f32)>,
}

struct Setter<'a> {
    theme: &'a Theme,
    measure: &'a Measure<'a>,
    image_aspect: &'a dyn Fn(&str) -> Option<f32>,
    cache: HashMap<(String, Face, u32), f32>,
    items: Vec<Item>,
    /// The level of the last heading's element: the next may go one
    /// level deeper, no more (a reader's outline has no gaps).
    heading: u8,
}

impl Setter<'_> {
    fn blocks(&mut self, blocks: &[Block], frame: Frame, at_start: bool) -> Result<(), Error> {
        for (index, block) in blocks.iter().enumerate() {
            self.block(block, frame, at_start && index == 0)?;
        }
        Ok(())
    }

    /// Makes the items set since `from` the content of `element` (around
    /// the elements already among them).
    fn wrap(&mut self, from: usize, element: Element) {
        if from >= self.items.len() {
            return;
        }
        self.items[from].marks.insert(0, (0, Mark::Open(element)));
        if let Some(last) = self.items.last_mut() {
            last.marks.push((END, Mark::Close));
        }
    }

    fn paragraph_space(&self) -> f32 {
        self.theme.line_height(self.theme.body_pt) * 0.55
    }

    fn block(&mut self, block: &Block, frame: Frame, first: bool) -> Result<(), Error> {
        let theme = self.theme;
        let x = frame.indent;
        let width = (theme.width - frame.indent - frame.right).max(10.0);
        let shade = frame.shade;
        match block {
            Block::Heading { level, runs } => {
                // The document's first heading is its title.
                let level = if first && *level == 1 && shade.is_none() && x == 0.0 {
                    0
                } else {
                    *level
                };
                let look = TextLook {
                    size_pt: theme.heading_pt(level),
                    bold: true,
                    color: theme.accent,
                };
                let space = match level {
                    0 => 0.0,
                    1 => 7.0,
                    2 => 5.5,
                    _ => 4.0,
                };
                let start = self.items.len();
                self.text_lines(runs, look, x, width, space, shade)?;
                for item in &mut self.items[start..] {
                    item.keep_with_next = true;
                }
                let tagged = level.clamp(1, self.heading + 1);
                self.heading = tagged;
                self.wrap(start, Element::new(Role::heading(tagged)));
                if level == 0 {
                    self.items.push(Item {
                        kind: ItemKind::Rule,
                        x,
                        width,
                        height: 3.0,
                        space_before: 0.5,
                        keep_with_next: true,
                        shade,
                        marks: Vec::new(),
                    });
                }
            }
            Block::Paragraph(runs) => {
                let look = TextLook {
                    size_pt: theme.body_pt,
                    bold: false,
                    color: theme.text,
                };
                let space = if first { 0.0 } else { self.paragraph_space() };
                let start = self.items.len();
                self.text_lines(runs, look, x, width, space, shade)?;
                self.wrap(start, Element::new(Role::P));
            }
            Block::Code(code) => {
                // Indentation matters in code: leading spaces become
                // non-breaking so they are kept, not collapsed.
                let text = code
                    .lines()
                    .map(|line| {
                        let body = line.trim_start_matches(' ');
                        "\u{a0}".repeat(line.len() - body.len()) + body
                    })
                    .collect::<Vec<_>>()
                    .join("\n");
                let runs = [Run {
                    text,
                    style: RunStyle {
                        code: true,
                        ..RunStyle::default()
                    },
                    link: None,
                }];
                let look = TextLook {
                    size_pt: theme.body_pt * 0.9,
                    bold: false,
                    color: theme.code,
                };
                let space = if first { 0.0 } else { self.paragraph_space() };
                let start = self.items.len();
                self.text_lines(&runs, look, x + 3.0, width - 3.0, space, shade)?;
                self.wrap(start, Element::new(Role::P));
            }
            Block::List { start, items } => {
                let list_start = self.items.len();
                let mut number = start.unwrap_or(1);
                for (index, item) in items.iter().enumerate() {
                    let marker = match start {
                        Some(_) => format!("{number}."),
                        None => if x == 0.0 { "•" } else { "–" }.to_owned(),
                    };
                    number = number.saturating_add(1);
                    let first_item_index = self.items.len();
                    let inner = Frame {
                        indent: x + theme.list_indent,
                        ..frame
                    };
                    self.blocks(item, inner, true)?;
                    let space = if index == 0 && !first {
                        self.paragraph_space()
                    } else {
                        self.theme.line_height(theme.body_pt) * 0.2
                    };
                    self.hang_marker(first_item_index, &marker, space)?;
                }
                self.wrap(list_start, Element::list(start.is_some()));
            }
            Block::Quote(inner) => {
                let quote_start = self.items.len();
                let band = (x, width);
                let pad_top = Item {
                    kind: ItemKind::Space,
                    x,
                    width,
                    height: CALLOUT_PAD * 0.8,
                    space_before: if first {
                        0.0
                    } else {
                        self.paragraph_space() * 1.4
                    },
                    keep_with_next: true,
                    shade: Some(band),
                    marks: Vec::new(),
                };
                self.items.push(pad_top);
                let inside = Frame {
                    indent: x + CALLOUT_PAD,
                    right: frame.right + CALLOUT_PAD,
                    shade: Some(band),
                };
                self.blocks(inner, inside, true)?;
                self.items.push(Item {
                    kind: ItemKind::Space,
                    x,
                    width,
                    height: CALLOUT_PAD * 0.8,
                    space_before: 0.0,
                    keep_with_next: false,
                    shade: Some(band),
                    marks: Vec::new(),
                });
                // The last line of a call-out travels with its padding.
                let len = self.items.len();
                if len >= 2 {
                    self.items[len - 2].keep_with_next = true;
                }
                self.wrap(quote_start, Element::new(Role::BlockQuote));
            }
            Block::Rule => self.items.push(Item {
                kind: ItemKind::Rule,
                x,
                width,
                height: 4.0,
                space_before: self.paragraph_space(),
                keep_with_next: false,
                shade,
                marks: Vec::new(),
            }),
            Block::Image { source, alt, .. } => match (self.image_aspect)(source) {
                Some(aspect) if aspect.is_finite() && aspect > 0.0 => {
                    let max_height = theme.height * 0.6;
                    let mut w = width;
                    let mut h = w / aspect;
                    if h > max_height {
                        h = max_height;
                        w = h * aspect;
                    }
                    let at = self.items.len();
                    self.items.push(Item {
                        kind: ItemKind::Image {
                            source: source.clone(),
                        },
                        x: x + (width - w) / 2.0,
                        width: w,
                        height: h,
                        space_before: self.paragraph_space(),
                        keep_with_next: false,
                        shade,
                        marks: Vec::new(),
                    });
                    // Without alternative text the picture is decoration
                    // (the handout command warns about it).
                    if !alt.trim().is_empty() {
                        self.wrap(at, Element::figure(alt.trim()));
                    }
                }
                _ => {
                    let runs = [Run {
                        text: format!("[{alt}]"),
                        style: RunStyle {
                            italic: true,
                            ..RunStyle::default()
                        },
                        link: None,
                    }];
                    let look = TextLook {
                        size_pt: theme.body_pt,
                        bold: false,
                        color: theme.text,
                    };
                    let space = self.paragraph_space();
                    let start = self.items.len();
                    self.text_lines(&runs, look, x, width, space, shade)?;
                    self.wrap(start, Element::new(Role::P));
                }
            },
        }
        Ok(())
    }

    /// Puts a list marker to the left of the first line set since `from`,
    /// and gives that item the list item's spacing.
    fn hang_marker(&mut self, from: usize, marker: &str, space: f32) -> Result<(), Error> {
        let theme = self.theme;
        let face = Face::Sans;
        let marker_width = self.width(marker, face, theme.body_pt)?;
        if let Some(first) = self.items.get_mut(from) {
            first.space_before = space;
        }
        if from >= self.items.len() {
            return Ok(());
        }
        let at_line = self.items[from..]
            .iter()
            .position(|item| matches!(item.kind, ItemKind::Line { .. }));
        // The list item: its label (the marker), then its body. When the
        // item starts with something other than a line (a picture), the
        // body opens first and the label is in it.
        if let Some(last) = self.items.last_mut() {
            last.marks.push((END, Mark::Close));
            last.marks.push((END, Mark::Close));
        }
        let head = &mut self.items[from].marks;
        if at_line == Some(0) {
            for mark in head.iter_mut() {
                if mark.0 != END {
                    mark.0 += 1;
                }
            }
            head.splice(
                0..0,
                [
                    (0, Mark::Open(Element::new(Role::LI))),
                    (0, Mark::Open(Element::new(Role::Lbl))),
                    (1, Mark::Close),
                    (1, Mark::Open(Element::new(Role::LBody))),
                ],
            );
        } else {
            head.splice(
                0..0,
                [
                    (0, Mark::Open(Element::new(Role::LI))),
                    (0, Mark::Open(Element::new(Role::LBody))),
                ],
            );
        }
        let Some(line) = at_line.map(|at| &mut self.items[from + at]) else {
            return Ok(());
        };
        if at_line != Some(0) {
            for mark in line.marks.iter_mut() {
                if mark.0 != END {
                    mark.0 += 1;
                }
            }
            line.marks.splice(
                0..0,
                [(0, Mark::Open(Element::new(Role::Lbl))), (1, Mark::Close)],
            );
        }
        if let ItemKind::Line { fragments, .. } = &mut line.kind {
            fragments.insert(
                0,
                Fragment {
                    text: marker.to_owned(),
                    face,
                    size_pt: theme.body_pt,
                    color: theme.accent,
                    x: -marker_width - 2.0,
                    width: marker_width,
                    link: None,
                },
            );
        }
        Ok(())
    }

    /// Sets runs as lines of items, with widow and orphan control.
    fn text_lines(
        &mut self,
        runs: &[Run],
        look: TextLook,
        x: f32,
        width: f32,
        space_before: f32,
        shade: Option<(f32, f32)>,
    ) -> Result<(), Error> {
        let lines = self.break_lines(runs, look, width.max(10.0))?;
        let height = self.theme.line_height(look.size_pt);
        let count = lines.len();
        for (index, fragments) in lines.into_iter().enumerate() {
            // No orphan (first line alone at a page's foot) and no widow
            // (last line alone at the top): keep line 1 with line 2 and the
            // last but one with the last.
            let keep = count >= 2 && (index == 0 || index + 2 == count);
            self.items.push(Item {
                kind: ItemKind::Line {
                    fragments,
                    baseline: height * 0.76,
                },
                x,
                width,
                height,
                space_before: if index == 0 { space_before } else { 0.0 },
                keep_with_next: keep,
                shade,
                marks: Vec::new(),
            });
        }
        Ok(())
    }

    fn face(look: TextLook, style: RunStyle) -> Face {
        Face::Sans
            .with_bold(look.bold || style.bold)
            .with_italic(style.italic)
    }

    fn width(&mut self, text: &str, face: Face, size_pt: f32) -> Result<f32, Error> {
        let key = (text.to_owned(), face, size_pt.to_bits());
        if let Some(width) = self.cache.get(&key) {
            return Ok(*width);
        }
        let width = (self.measure)(text, face, size_pt)?;
        self.cache.insert(key, width);
        Ok(width)
    }

    fn segment_width(&mut self, segment: &Segment, look: TextLook) -> Result<f32, Error> {
        let face = Self::face(look, segment.style);
        self.width(&segment.text, face, look.size_pt)
    }

    /// Greedy line breaking; returns each line's fragments.
    fn break_lines(
        &mut self,
        runs: &[Run],
        look: TextLook,
        width: f32,
    ) -> Result<Vec<Vec<Fragment>>, Error> {
        let pieces = pieces(runs);
        let mut lines: Vec<Vec<Segment>> = Vec::new();
        let mut line: Vec<Segment> = Vec::new();
        let mut line_width = 0.0_f32;
        let mut pending_space: Option<Segment> = None;
        for piece in pieces {
            match piece {
                Piece::Space(space) => {
                    if !line.is_empty() {
                        pending_space.get_or_insert(space);
                    }
                }
                Piece::Newline => {
                    lines.push(std::mem::take(&mut line));
                    line_width = 0.0;
                    pending_space = None;
                }
                Piece::Word(segments) => {
                    let mut word_width = 0.0;
                    for segment in &segments {
                        word_width += self.segment_width(segment, look)?;
                    }
                    let space_width = match &pending_space {
                        Some(space) => self.segment_width(space, look)?,
                        None => 0.0,
                    };
                    if !line.is_empty() && line_width + space_width + word_width <= width {
                        if let Some(space) = pending_space.take() {
                            line.push(space);
                        }
                        line.extend(segments);
                        line_width += space_width + word_width;
                        continue;
                    }
                    pending_space = None;
                    if !line.is_empty() {
                        lines.push(std::mem::take(&mut line));
                    }
                    if word_width <= width {
                        line = segments;
                        line_width = word_width;
                    } else {
                        let (full, rest, rest_width) =
                            self.split_long_word(segments, look, width)?;
                        lines.extend(full);
                        line = rest;
                        line_width = rest_width;
                    }
                }
            }
        }
        if !line.is_empty() || lines.is_empty() {
            lines.push(line);
        }
        lines
            .into_iter()
            .map(|segments| self.fragments(segments, look))
            .collect()
    }

    /// Cuts a word wider than the line between characters: full lines, and
    /// the remainder that starts the next line (with its width).
    #[allow(clippy::type_complexity)]
    fn split_long_word(
        &mut self,
        segments: Vec<Segment>,
        look: TextLook,
        width: f32,
    ) -> Result<(Vec<Vec<Segment>>, Vec<Segment>, f32), Error> {
        let mut full = Vec::new();
        let mut line: Vec<Segment> = Vec::new();
        let mut line_width = 0.0;
        for segment in segments {
            let face = Self::face(look, segment.style);
            let mut current = String::new();
            for c in segment.text.chars() {
                let mut buf = [0u8; 4];
                // Per-character widths keep a 5 MB word linear; kerning
                // inside a broken URL does not matter.
                let w = self.width(c.encode_utf8(&mut buf), face, look.size_pt)?;
                if line_width + w > width && (line_width > 0.0 || !current.is_empty()) {
                    if !current.is_empty() {
                        line.push(Segment {
                            text: std::mem::take(&mut current),
                            ..segment.clone()
                        });
                    }
                    full.push(std::mem::take(&mut line));
                    line_width = 0.0;
                }
                current.push(c);
                line_width += w;
            }
            if !current.is_empty() {
                line.push(Segment {
                    text: current,
                    ..segment
                });
            }
        }
        Ok((full, line, line_width))
    }

    /// Merges a line's segments of one style and link into fragments.
    fn fragments(
        &mut self,
        segments: Vec<Segment>,
        look: TextLook,
    ) -> Result<Vec<Fragment>, Error> {
        let mut merged: Vec<Segment> = Vec::new();
        for segment in segments {
            match merged.last_mut() {
                Some(last) if last.style == segment.style && last.link == segment.link => {
                    last.text.push_str(&segment.text);
                }
                _ => merged.push(segment),
            }
        }
        let mut x = 0.0;
        let mut fragments = Vec::with_capacity(merged.len());
        for segment in merged {
            let face = Self::face(look, segment.style);
            // Whole lines are rarely seen twice: measured, not cached.
            let width = (self.measure)(&segment.text, face, look.size_pt)?;
            let color = if segment.link.is_some() {
                self.theme.link
            } else if segment.style.code {
                self.theme.code
            } else {
                look.color
            };
            fragments.push(Fragment {
                text: segment.text,
                face,
                size_pt: look.size_pt,
                color,
                x,
                width,
                link: segment.link,
            });
            x += width;
        }
        Ok(fragments)
    }
}

/// Padding inside a call-out, in millimetres.
const CALLOUT_PAD: f32 = 4.0;

/// Splits runs into words, spaces and hard breaks. Runs of one word in
/// several styles (`**bold**ing`) stay one word.
fn pieces(runs: &[Run]) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut word: Vec<Segment> = Vec::new();
    for run in runs {
        let mut current = String::new();
        let flush_current = |current: &mut String, word: &mut Vec<Segment>| {
            if !current.is_empty() {
                word.push(Segment {
                    text: std::mem::take(current),
                    style: run.style,
                    link: run.link.clone(),
                });
            }
        };
        for c in run.text.chars() {
            if c == '\n' || crate::pdf::is_break_space(c) {
                flush_current(&mut current, &mut word);
                if !word.is_empty() {
                    pieces.push(Piece::Word(std::mem::take(&mut word)));
                }
                pieces.push(if c == '\n' {
                    Piece::Newline
                } else {
                    Piece::Space(Segment {
                        text: " ".to_owned(),
                        style: run.style,
                        link: run.link.clone(),
                    })
                });
            } else if c.is_control() {
                continue;
            } else {
                current.push(c);
            }
        }
        flush_current(&mut current, &mut word);
    }
    if !word.is_empty() {
        pieces.push(Piece::Word(word));
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handout::markdown::parse;

    /// Every character is half an em wide: easy to reason about.
    fn fake_measure(text: &str, _face: Face, size_pt: f32) -> Result<f32, Error> {
        Ok(text.chars().count() as f32 * size_pt * 0.5 * MM_PER_PT)
    }

    /// Width of `n` characters of body text.
    fn chars(n: usize) -> f32 {
        n as f32 * 10.5 * 0.5 * MM_PER_PT
    }

    fn no_images(_: &str) -> Option<f32> {
        None
    }

    fn set(markdown: &str, width: f32, height: f32) -> Vec<Item> {
        let theme = Theme::new(width, height);
        layout(&parse(markdown), &theme, &fake_measure, &no_images).expect("lays out")
    }

    fn line_text(item: &Item) -> String {
        match &item.kind {
            ItemKind::Line { fragments, .. } => fragments.iter().map(|f| f.text.as_str()).collect(),
            other => format!("<{other:?}>"),
        }
    }

    #[test]
    fn words_wrap_greedily_within_the_width() {
        // 20 characters per line.
        let items = set(
            "Para una ONG es mejor tener dos personas al mando.",
            chars(20) + 0.01,
            500.0,
        );
        let lines: Vec<String> = items.iter().map(line_text).collect();
        assert_eq!(
            lines,
            ["Para una ONG es", "mejor tener dos", "personas al mando."]
        );
        for item in &items {
            if let ItemKind::Line { fragments, .. } = &item.kind {
                let right = fragments.iter().map(|f| f.x + f.width).fold(0.0, f32::max);
                assert!(right <= item.width + 0.001, "{right} > {}", item.width);
            }
        }
    }

    #[test]
    fn non_breaking_spaces_hold_words_together() {
        let items = set("aaaa bbbbbbbbbbbbb 10\u{a0}km", chars(20) + 0.01, 500.0);
        let lines: Vec<String> = items.iter().map(line_text).collect();
        assert_eq!(lines, ["aaaa bbbbbbbbbbbbb", "10\u{a0}km"]);
    }

    #[test]
    fn long_words_and_urls_are_broken_not_overflowing() {
        let url = format!("https://example.org/{}", "x".repeat(45));
        let items = set(&format!("Ver {url} ya"), chars(20) + 0.01, 500.0);
        let lines: Vec<String> = items.iter().map(line_text).collect();
        assert_eq!(lines.concat().replace(' ', ""), format!("Ver{url}ya"));
        for item in &items {
            if let ItemKind::Line { fragments, .. } = &item.kind {
                let right = fragments.iter().map(|f| f.x + f.width).fold(0.0, f32::max);
                assert!(right <= item.width + 0.001, "{}", line_text(item));
            }
        }
        assert_eq!(lines[0], "Ver");
        assert_eq!(lines[1].chars().count(), 20);
    }

    #[test]
    fn styles_make_fragments_and_links_keep_their_target() {
        let items = set("Hola **fuerte** y [web](https://a.org) fin", 200.0, 500.0);
        let ItemKind::Line { fragments, .. } = &items[0].kind else {
            panic!("{items:?}")
        };
        let parts: Vec<(&str, Face, Option<&str>)> = fragments
            .iter()
            .map(|f| (f.text.as_str(), f.face, f.link.as_deref()))
            .collect();
        assert_eq!(
            parts,
            [
                ("Hola ", Face::Sans, None),
                ("fuerte", Face::SansBold, None),
                (" y ", Face::Sans, None),
                ("web", Face::Sans, Some("https://a.org")),
                (" fin", Face::Sans, None),
            ]
        );
        // Fragments follow each other without gaps or overlaps.
        for pair in fragments.windows(2) {
            assert!((pair[0].x + pair[0].width - pair[1].x).abs() < 0.001);
        }
    }

    #[test]
    fn list_items_keep_order_and_hang_their_markers() {
        let items = set("1. uno\n2. dos\n   - anidado\n3. tres\n", 100.0, 500.0);
        let lines: Vec<String> = items.iter().map(line_text).collect();
        assert_eq!(lines, ["1.uno", "2.dos", "–anidado", "3.tres"]);
        assert!(items[2].x > items[1].x, "nested items are indented further");
        for item in &items {
            let ItemKind::Line { fragments, .. } = &item.kind else {
                continue;
            };
            assert!(fragments[0].x < 0.0, "marker hangs left of the text");
            assert!(
                item.x + fragments[0].x >= 0.0,
                "marker stays inside the margin"
            );
        }
    }

    #[test]
    fn the_first_heading_is_the_title_and_headings_keep_with_next() {
        let items = set("# Título\n\n## Sección\n\nTexto.", 100.0, 500.0);
        assert_eq!(line_text(&items[0]), "Título");
        assert!(matches!(items[1].kind, ItemKind::Rule));
        assert!(items[0].keep_with_next && items[1].keep_with_next);
        assert_eq!(line_text(&items[2]), "Sección");
        assert!(items[2].keep_with_next);
        assert!(items[0].height > items[2].height);
    }

    #[test]
    fn quotes_are_shaded_and_padded() {
        let items = set("Antes.\n\n> Cuidado con esto.\n\nDespués.", 100.0, 500.0);
        let shaded: Vec<bool> = items.iter().map(|i| i.shade.is_some()).collect();
        assert_eq!(shaded, [false, true, true, true, false]);
        let band = items[2].shade.expect("shaded");
        assert!(items[2].x >= band.0 + CALLOUT_PAD - 0.001);
        assert!(items[2].x + items[2].width <= band.0 + band.1 + 0.001);
    }

    fn lines(n: usize, keep: &[usize]) -> Vec<Item> {
        (0..n)
            .map(|i| Item {
                kind: ItemKind::Space,
                x: 0.0,
                width: 10.0,
                height: 10.0,
                space_before: 0.0,
                keep_with_next: keep.contains(&i),
                shade: None,
                marks: Vec::new(),
            })
            .collect()
    }

    #[test]
    fn pages_fill_up_and_break() {
        let pages = paginate(lines(25, &[]), 100.0);
        let counts: Vec<usize> = pages.iter().map(Vec::len).collect();
        assert_eq!(counts, [10, 10, 5]);
        assert_eq!(pages[1][0].y, 0.0);
    }

    #[test]
    fn a_heading_never_ends_a_page() {
        // Item 9 is a heading (keeps with 10, the first line of a paragraph
        // that keeps with 11): all three go to the next page.
        let pages = paginate(lines(15, &[9, 10]), 100.0);
        let counts: Vec<usize> = pages.iter().map(Vec::len).collect();
        assert_eq!(counts, [9, 6]);
    }

    #[test]
    fn a_chain_longer_than_a_page_still_breaks() {
        let all: Vec<usize> = (0..30).collect();
        let pages = paginate(lines(30, &all), 100.0);
        let counts: Vec<usize> = pages.iter().map(Vec::len).collect();
        assert_eq!(counts, [10, 10, 10]);
    }

    #[test]
    fn space_is_dropped_at_the_top_of_a_page() {
        let mut items = lines(12, &[]);
        for item in &mut items {
            item.space_before = 5.0;
        }
        let pages = paginate(items, 100.0);
        assert_eq!(pages[0][0].space_before, 0.0);
        assert_eq!(pages[1][0].space_before, 0.0);
        assert_eq!(pages[1][0].y, 0.0);
        for page in &pages {
            let bottom = page.last().map_or(0.0, |p| p.y + p.item.height);
            assert!(bottom <= 100.01);
        }
    }

    #[test]
    fn no_widows_or_orphans_in_real_paragraphs() {
        let text = (0..40)
            .map(|i| format!("Párrafo {i} con bastantes palabras para ocupar varias líneas enteras del texto."))
            .collect::<Vec<_>>()
            .join("\n\n## Título intermedio\n\n");
        let theme_width = chars(30);
        let items = set(&text, theme_width, 500.0);
        let pages = paginate(items, 60.0);
        assert!(pages.len() > 5);
        for (n, page) in pages.iter().enumerate() {
            let last = page.last().expect("not empty");
            if n + 1 < pages.len() {
                assert!(
                    !last.item.keep_with_next || page.len() == 1,
                    "page {n} ends inside a chain: {}",
                    line_text(&last.item)
                );
                let text = line_text(&last.item);
                assert!(
                    !text.starts_with("Título"),
                    "heading at the foot of page {n}"
                );
            }
        }
    }

    #[test]
    fn code_keeps_its_lines_and_indentation() {
        let items = set("```\nfn a() {\n    b();\n}\n```\n", 100.0, 500.0);
        let lines: Vec<String> = items.iter().map(line_text).collect();
        assert_eq!(lines, ["fn a() {", "\u{a0}\u{a0}\u{a0}\u{a0}b();", "}"]);
    }

    #[test]
    fn hostile_text_lays_out() {
        let huge = "x".repeat(200_000);
        let items = set(&huge, 100.0, 200.0);
        assert!(items.len() > 100);
        let _ = set("\u{a0}\u{a0}\n\n> \n\n- \n\n1.\n", 100.0, 200.0);
        let _ = set("a", 0.0, 0.0);
    }
}
