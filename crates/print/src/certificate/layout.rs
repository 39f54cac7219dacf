//! The layout file's schema: the page, its boxes, rules, texts, logo and
//! QR code, as read from TOML.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::Error;
use crate::pdf::{Color, Face};

/// The layout shipped with taller.
pub(super) const DEFAULT_LAYOUT: &str = include_str!("../../../../assets/layouts/default.toml");

/// Longest text a certificate prints in one box: longer values (a pasted
/// essay in a name cell) are refused rather than set in microscopic type.
pub(super) const MAX_TEXT_CHARS: usize = 400;

/// Smallest size the fitting goes down to when even `min_size` does not fit.
pub(super) const FLOOR_SIZE: f32 = 4.0;

/// A certificate layout, as read from its TOML file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layout {
    pub(super) page: PageSpec,
    #[serde(default)]
    pub(super) rect: Vec<RectSpec>,
    #[serde(default)]
    pub(super) line: Vec<LineSpec>,
    #[serde(default)]
    pub(super) text: Vec<TextSpec>,
    #[serde(default)]
    pub(super) logo: Option<BoxSpec>,
    #[serde(default)]
    pub(super) qr: Option<QrSpec>,
    pub(super) texts: BTreeMap<String, BTreeMap<String, String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PageSpec {
    pub(super) width: f32,
    pub(super) height: f32,
    #[serde(default = "yes")]
    pub(super) landscape: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RectSpec {
    /// Distance from every page edge (a frame), instead of `box`.
    #[serde(default)]
    pub(super) inset: Option<f32>,
    #[serde(default, rename = "box")]
    pub(super) area: Option<[f32; 4]>,
    #[serde(default)]
    pub(super) stroke: Option<String>,
    #[serde(default)]
    pub(super) fill: Option<String>,
    #[serde(default = "one")]
    pub(super) thickness: f32,
}

fn one() -> f32 {
    1.0
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LineSpec {
    pub(super) from: [f32; 2],
    pub(super) to: [f32; 2],
    #[serde(default)]
    pub(super) color: Option<String>,
    #[serde(default = "one")]
    pub(super) thickness: f32,
    #[serde(default)]
    pub(super) when: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub(super) enum AlignSpec {
    Left,
    #[default]
    Center,
    Right,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub(super) enum LetterCase {
    #[default]
    Keep,
    Upper,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TextSpec {
    pub(super) text: String,
    #[serde(rename = "box")]
    pub(super) area: [f32; 4],
    #[serde(default = "sans")]
    pub(super) face: String,
    pub(super) size: f32,
    #[serde(default)]
    pub(super) min_size: Option<f32>,
    #[serde(default = "one_line")]
    pub(super) max_lines: usize,
    #[serde(default = "line_height")]
    pub(super) line_height: f32,
    #[serde(default)]
    pub(super) color: Option<String>,
    #[serde(default)]
    pub(super) align: AlignSpec,
    #[serde(default)]
    pub(super) letter_case: LetterCase,
    #[serde(default)]
    pub(super) when: Option<String>,
}

fn sans() -> String {
    "sans".to_owned()
}
fn one_line() -> usize {
    1
}
fn line_height() -> f32 {
    1.2
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct BoxSpec {
    #[serde(rename = "box")]
    pub(super) area: [f32; 4],
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct QrSpec {
    pub(super) x: f32,
    pub(super) y: f32,
    pub(super) size: f32,
    #[serde(default)]
    pub(super) color: Option<String>,
}

impl Layout {
    /// The layout shipped with taller (`assets/layouts/default.toml`).
    pub fn default_layout() -> Result<Layout, Error> {
        Layout::from_toml(DEFAULT_LAYOUT, "the default layout")
    }

    /// Parses a layout file; `name` (its path) is used in errors, which give
    /// the line and column.
    pub fn from_toml(text: &str, name: &str) -> Result<Layout, Error> {
        let layout: Layout = toml::from_str(text).map_err(|err| {
            let place = err.span().map_or(String::new(), |span| {
                let before = &text[..span.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                format!(", line {line}")
            });
            Error::Layout(format!("{name}{place}: {}", err.message().trim()))
        })?;
        layout.check(name)?;
        Ok(layout)
    }

    fn check(&self, name: &str) -> Result<(), Error> {
        let bad = |what: String| Err(Error::Layout(format!("{name}: {what}")));
        if !(self.page.width > 10.0 && self.page.height > 10.0) {
            return bad("[page] width and height must be millimetres".to_owned());
        }
        for spec in &self.text {
            if Face::from_name(&spec.face).is_none() {
                return bad(format!(
                    "text `{}` has face `{}`; use one of {}",
                    spec.text,
                    spec.face,
                    Face::ALL.map(Face::name).join(", ")
                ));
            }
            if !(spec.size > 0.0 && spec.area[2] > 0.0 && spec.area[3] > 0.0) {
                return bad(format!(
                    "text `{}` needs a size and a box of positive width and height",
                    spec.text
                ));
            }
            let readable = spec.min_size.is_none_or(|min| min >= FLOOR_SIZE)
                && (1..=20).contains(&spec.max_lines)
                && spec.line_height > 0.5
                && spec.line_height < 5.0;
            if !readable {
                return bad(format!(
                    "text `{}`: min_size must be at least {FLOOR_SIZE} (points), max_lines between 1 and 20, line_height between 0.5 and 5",
                    spec.text
                ));
            }
        }
        let colours = self
            .rect
            .iter()
            .flat_map(|r| [r.stroke.as_ref(), r.fill.as_ref()])
            .chain(self.line.iter().map(|l| l.color.as_ref()))
            .chain(self.text.iter().map(|t| t.color.as_ref()))
            .chain(self.qr.iter().map(|q| q.color.as_ref()))
            .flatten();
        for colour in colours {
            if Color::from_hex(colour).is_none() {
                return bad(format!("colour `{colour}` is not of the form \"#1f3a5f\""));
            }
        }
        if !self.texts.contains_key("en") {
            return bad("needs a [texts.en] table, the last language to fall back on".to_owned());
        }
        Ok(())
    }
}
