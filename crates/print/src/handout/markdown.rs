//! Markdown text to the block model the handout layout sets: headings,
//! paragraphs of styled runs, nested lists, call-outs, rules and images.
//!
//! Raw HTML is shown as the text it is (a handout is printed, not a web
//! page), and anything Markdown offers beyond what a handout needs (tables,
//! footnotes) stays plain text.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// How a run of text looks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct RunStyle {
    /// Bold (`**…**`).
    pub bold: bool,
    /// Italic (`*…*`).
    pub italic: bool,
    /// Inline code (`` `…` ``).
    pub code: bool,
}

/// A piece of text of one style, maybe a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// The text; `\n` is a hard line break.
    pub text: String,
    /// Its style.
    pub style: RunStyle,
    /// Where it links to.
    pub link: Option<String>,
}

/// One block of the handout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A heading, level 1 to 3 (deeper levels are set as level 3).
    Heading {
        /// 1, 2 or 3.
        level: u8,
        /// Its text.
        runs: Vec<Run>,
    },
    /// A paragraph.
    Paragraph(Vec<Run>),
    /// Preformatted text, one line per source line.
    Code(String),
    /// A bullet or numbered list.
    List {
        /// The first number of a numbered list; `None` for bullets.
        start: Option<u64>,
        /// Each item's blocks.
        items: Vec<Vec<Block>>,
    },
    /// A block quote, printed as a shaded call-out.
    Quote(Vec<Block>),
    /// A horizontal rule.
    Rule,
    /// An image, on its own line.
    Image {
        /// The path or address as written.
        source: String,
        /// Its alternative text.
        alt: String,
        /// The source line it is on (1-based), for error messages.
        line: usize,
    },
}

impl Block {
    /// The plain text of a list of runs.
    pub fn plain_text(runs: &[Run]) -> String {
        runs.iter().map(|run| run.text.as_str()).collect()
    }
}

/// Parses a handout's Markdown into blocks. Never fails: what is not
/// Markdown is text.
pub fn parse(source: &str) -> Vec<Block> {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(source.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |offset: usize| line_starts.partition_point(|&start| start <= offset);
    let mut builder = Builder::default();
    let parser = Parser::new_ext(source, Options::ENABLE_STRIKETHROUGH).into_offset_iter();
    for (event, range) in parser {
        builder.event(event, line_of(range.start));
    }
    builder.finish()
}

/// A container being filled: the document, a list item or a quote.
#[derive(Debug)]
enum Container {
    Root(Vec<Block>),
    Quote(Vec<Block>),
    List {
        start: Option<u64>,
        items: Vec<Vec<Block>>,
    },
    Item(Vec<Block>),
}

impl Container {
    fn blocks(&mut self) -> Option<&mut Vec<Block>> {
        match self {
            Container::Root(blocks) | Container::Quote(blocks) | Container::Item(blocks) => {
                Some(blocks)
            }
            Container::List { .. } => None,
        }
    }
}

/// Inline text being collected for a heading or paragraph.
#[derive(Debug)]
struct Inline {
    heading: Option<u8>,
    runs: Vec<Run>,
}

#[derive(Debug)]
struct Builder {
    stack: Vec<Container>,
    inline: Option<Inline>,
    bold: usize,
    italic: usize,
    links: Vec<String>,
    /// Inside an image: its source, alt text so far and line.
    image: Option<(String, String, usize)>,
    code_block: Option<String>,
}

impl Default for Builder {
    fn default() -> Self {
        Builder {
            stack: vec![Container::Root(Vec::new())],
            inline: None,
            bold: 0,
            italic: 0,
            links: Vec::new(),
            image: None,
            code_block: None,
        }
    }
}

impl Builder {
    fn event(&mut self, event: Event<'_>, line: usize) {
        match event {
            Event::Start(tag) => self.start(tag, line),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => self.text(&text, false),
            Event::Code(text) => self.text(&text, true),
            Event::Html(text) | Event::InlineHtml(text) => self.text(&text, false),
            Event::SoftBreak => self.text(" ", false),
            Event::HardBreak => self.text("\n", false),
            Event::Rule => {
                self.flush_inline();
                self.push_block(Block::Rule);
            }
            Event::TaskListMarker(done) => self.text(if done { "☑ " } else { "☐ " }, false),
            Event::FootnoteReference(label) => self.text(&format!("[{label}]"), false),
            Event::InlineMath(text) | Event::DisplayMath(text) => self.text(&text, true),
        }
    }

    fn start(&mut self, tag: Tag<'_>, line: usize) {
        match tag {
            Tag::Heading { level, .. } => {
                self.flush_inline();
                let level = match level {
                    HeadingLevel::H1 => 1,
                    HeadingLevel::H2 => 2,
                    _ => 3,
                };
                self.inline = Some(Inline {
                    heading: Some(level),
                    runs: Vec::new(),
                });
            }
            Tag::Paragraph => {
                self.flush_inline();
                self.inline = Some(Inline {
                    heading: None,
                    runs: Vec::new(),
                });
            }
            Tag::BlockQuote(_) => {
                self.flush_inline();
                self.stack.push(Container::Quote(Vec::new()));
            }
            Tag::List(start) => {
                self.flush_inline();
                self.stack.push(Container::List {
                    start,
                    items: Vec::new(),
                });
            }
            Tag::Item => {
                self.flush_inline();
                self.stack.push(Container::Item(Vec::new()));
            }
            Tag::CodeBlock(_) => {
                self.flush_inline();
                self.code_block = Some(String::new());
            }
            Tag::Emphasis => self.italic += 1,
            Tag::Strong => self.bold += 1,
            Tag::Link { dest_url, .. } => self.links.push(dest_url.into_string()),
            Tag::Image { dest_url, .. } => {
                self.image = Some((dest_url.into_string(), String::new(), line));
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) | TagEnd::Paragraph => self.flush_inline(),
            TagEnd::BlockQuote(_) => {
                self.flush_inline();
                if let Some(Container::Quote(blocks)) = self.pop_container() {
                    self.push_block(Block::Quote(blocks));
                }
            }
            TagEnd::Item => {
                self.flush_inline();
                if let Some(Container::Item(blocks)) = self.pop_container()
                    && let Some(Container::List { items, .. }) = self.stack.last_mut()
                {
                    items.push(blocks);
                }
            }
            TagEnd::List(_) => {
                self.flush_inline();
                if let Some(Container::List { start, items }) = self.pop_container() {
                    self.push_block(Block::List { start, items });
                }
            }
            TagEnd::CodeBlock => {
                if let Some(code) = self.code_block.take() {
                    self.push_block(Block::Code(code.trim_end_matches('\n').to_owned()));
                }
            }
            TagEnd::Emphasis => self.italic = self.italic.saturating_sub(1),
            TagEnd::Strong => self.bold = self.bold.saturating_sub(1),
            TagEnd::Link => {
                self.links.pop();
            }
            TagEnd::Image => {
                if let Some((source, alt, line)) = self.image.take() {
                    // An image is set on its own: the paragraph around it is
                    // split, its text before and after kept in order.
                    let heading = self.inline.as_ref().and_then(|inline| inline.heading);
                    self.flush_inline();
                    self.push_block(Block::Image { source, alt, line });
                    self.inline = Some(Inline {
                        heading,
                        runs: Vec::new(),
                    });
                }
            }
            _ => {}
        }
    }

    /// The root never pops: unbalanced input cannot lose the document.
    fn pop_container(&mut self) -> Option<Container> {
        if self.stack.len() > 1 {
            self.stack.pop()
        } else {
            None
        }
    }

    fn text(&mut self, text: &str, code: bool) {
        if let Some(code_block) = &mut self.code_block {
            code_block.push_str(text);
            return;
        }
        if let Some((_, alt, _)) = &mut self.image {
            alt.push_str(text);
            return;
        }
        let style = RunStyle {
            bold: self.bold > 0,
            italic: self.italic > 0,
            code,
        };
        let link = self.links.last().cloned();
        // Tight list items carry text without a paragraph around it.
        let inline = self.inline.get_or_insert_with(|| Inline {
            heading: None,
            runs: Vec::new(),
        });
        match inline.runs.last_mut() {
            Some(last) if last.style == style && last.link == link => last.text.push_str(text),
            _ => inline.runs.push(Run {
                text: text.to_owned(),
                style,
                link,
            }),
        }
    }

    fn flush_inline(&mut self) {
        let Some(inline) = self.inline.take() else {
            return;
        };
        if inline.runs.iter().all(|run| run.text.trim().is_empty()) {
            return;
        }
        let block = match inline.heading {
            Some(level) => Block::Heading {
                level,
                runs: inline.runs,
            },
            None => Block::Paragraph(inline.runs),
        };
        self.push_block(block);
    }

    fn push_block(&mut self, block: Block) {
        for container in self.stack.iter_mut().rev() {
            if let Some(blocks) = container.blocks() {
                blocks.push(block);
                return;
            }
        }
    }

    fn finish(mut self) -> Vec<Block> {
        self.flush_inline();
        // Close whatever the input left open, innermost first.
        while self.stack.len() > 1 {
            self.end(match self.stack.last() {
                Some(Container::Quote(_)) => TagEnd::BlockQuote(None),
                Some(Container::List { .. }) => TagEnd::List(false),
                _ => TagEnd::Item,
            });
        }
        match self.stack.pop() {
            Some(Container::Root(blocks)) => blocks,
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Run {
        Run {
            text: text.to_owned(),
            style: RunStyle::default(),
            link: None,
        }
    }

    #[test]
    fn headings_paragraphs_and_styles() {
        let blocks = parse(
            "# Título\n\nUn *texto* con **negrita**, ***las dos***, `código` y un\n[enlace](https://example.org).\n\n#### Cuarto nivel\n",
        );
        assert_eq!(
            blocks[0],
            Block::Heading {
                level: 1,
                runs: vec![run("Título")]
            }
        );
        let Block::Paragraph(runs) = &blocks[1] else {
            panic!("{blocks:?}")
        };
        let styled: Vec<(&str, bool, bool, bool, Option<&str>)> = runs
            .iter()
            .map(|r| {
                (
                    r.text.as_str(),
                    r.style.bold,
                    r.style.italic,
                    r.style.code,
                    r.link.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            styled,
            [
                ("Un ", false, false, false, None),
                ("texto", false, true, false, None),
                (" con ", false, false, false, None),
                ("negrita", true, false, false, None),
                (", ", false, false, false, None),
                ("las dos", true, true, false, None),
                (", ", false, false, false, None),
                ("código", false, false, true, None),
                (" y un ", false, false, false, None),
                ("enlace", false, false, false, Some("https://example.org")),
                (".", false, false, false, None),
            ]
        );
        assert!(matches!(blocks[2], Block::Heading { level: 3, .. }));
    }

    #[test]
    fn nested_lists_keep_their_order_and_numbers() {
        let blocks = parse("1. uno\n2. dos\n   - a\n   - b\n3. tres\n\n- x\n");
        let Block::List { start, items } = &blocks[0] else {
            panic!("{blocks:?}")
        };
        assert_eq!(*start, Some(1));
        assert_eq!(items.len(), 3);
        assert_eq!(items[0], vec![Block::Paragraph(vec![run("uno")])]);
        let Block::List {
            start,
            items: inner,
        } = &items[1][1]
        else {
            panic!("{items:?}")
        };
        assert_eq!(*start, None);
        assert_eq!(inner.len(), 2);
        assert_eq!(inner[1], vec![Block::Paragraph(vec![run("b")])]);
        assert!(matches!(&blocks[1], Block::List { start: None, .. }));
    }

    #[test]
    fn quotes_rules_images_and_code() {
        let blocks = parse(
            "> **Ojo:** cuidado.\n\n---\n\nAntes ![logo](img/logo.png) después\n\n```\nlínea 1\nlínea 2\n```\n",
        );
        let Block::Quote(inner) = &blocks[0] else {
            panic!("{blocks:?}")
        };
        assert_eq!(
            Block::plain_text(match &inner[0] {
                Block::Paragraph(runs) => runs,
                other => panic!("{other:?}"),
            }),
            "Ojo: cuidado."
        );
        assert_eq!(blocks[1], Block::Rule);
        assert_eq!(blocks[2], Block::Paragraph(vec![run("Antes ")]));
        assert_eq!(
            blocks[3],
            Block::Image {
                source: "img/logo.png".into(),
                alt: "logo".into(),
                line: 5
            }
        );
        assert_eq!(blocks[4], Block::Paragraph(vec![run(" después")]));
        assert_eq!(blocks[5], Block::Code("línea 1\nlínea 2".into()));
    }

    #[test]
    fn non_breaking_spaces_and_html_stay_text() {
        let blocks = parse("10\u{a0}km <script>alert(1)</script>\n\n<div>x</div>\n");
        assert_eq!(
            Block::plain_text(match &blocks[0] {
                Block::Paragraph(runs) => runs,
                other => panic!("{other:?}"),
            }),
            "10\u{a0}km <script>alert(1)</script>"
        );
        assert_eq!(blocks.len(), 2);
    }

    #[test]
    fn hostile_input_never_panics() {
        for text in [
            "",
            ">>>>>>>>>>>>>>>>",
            "- - - - - - -",
            "1.\n2.\n   >\n",
            "![",
            "[a](",
            "*a **b* c**",
            "\r\n\r\n# \r\n",
            "\0\u{feff}",
        ] {
            let _ = parse(text);
        }
        let deep = ">".repeat(10_000) + " x";
        let _ = parse(&deep);
        let big = "palabra ".repeat(700_000);
        assert_eq!(parse(&big).len(), 1);
    }
}
