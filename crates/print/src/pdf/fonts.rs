//! The bundled font faces (compiled into the binary) and the fallback chain
//! that decides which face draws each character.

use std::sync::OnceLock;

use crate::Error;

/// A bundled font face. Every face covers Latin (with Vietnamese), Greek and
/// Cyrillic, except [`Face::Arabic`], which every other face falls back to
/// for Arabic script.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Face {
    /// Noto Sans Regular: body text.
    Sans,
    /// Noto Sans Bold.
    SansBold,
    /// Noto Sans Italic.
    SansItalic,
    /// Noto Sans Bold Italic.
    SansBoldItalic,
    /// Noto Serif Display Regular: names and titles.
    Serif,
    /// Noto Serif Display Italic.
    SerifItalic,
    /// Noto Naskh Arabic: the fallback for Arabic script.
    Arabic,
}

impl Face {
    /// Every face, in a fixed order (the order of their PDF resource names).
    pub const ALL: [Face; 7] = [
        Face::Sans,
        Face::SansBold,
        Face::SansItalic,
        Face::SansBoldItalic,
        Face::Serif,
        Face::SerifItalic,
        Face::Arabic,
    ];

    /// The name used for this face in layout files (`sans`, `sans-bold`,
    /// `serif-italic`, …).
    pub fn name(self) -> &'static str {
        match self {
            Face::Sans => "sans",
            Face::SansBold => "sans-bold",
            Face::SansItalic => "sans-italic",
            Face::SansBoldItalic => "sans-bold-italic",
            Face::Serif => "serif",
            Face::SerifItalic => "serif-italic",
            Face::Arabic => "arabic",
        }
    }

    /// The face called `name` in a layout file, if there is one.
    pub fn from_name(name: &str) -> Option<Face> {
        Face::ALL.into_iter().find(|face| face.name() == name)
    }

    /// The same style in the Sans family: Serif text whose character the
    /// display face lacks falls back to the matching Sans.
    pub fn with_bold(self, bold: bool) -> Face {
        match (self, bold) {
            (Face::Sans | Face::SansBold, true) => Face::SansBold,
            (Face::Sans | Face::SansBold, false) => Face::Sans,
            (Face::SansItalic | Face::SansBoldItalic, true) => Face::SansBoldItalic,
            (Face::SansItalic | Face::SansBoldItalic, false) => Face::SansItalic,
            (other, _) => other,
        }
    }

    /// The same weight in the italic style, where the family has one.
    pub fn with_italic(self, italic: bool) -> Face {
        match (self, italic) {
            (Face::Sans | Face::SansItalic, true) => Face::SansItalic,
            (Face::Sans | Face::SansItalic, false) => Face::Sans,
            (Face::SansBold | Face::SansBoldItalic, true) => Face::SansBoldItalic,
            (Face::SansBold | Face::SansBoldItalic, false) => Face::SansBold,
            (Face::Serif | Face::SerifItalic, true) => Face::SerifItalic,
            (Face::Serif | Face::SerifItalic, false) => Face::Serif,
            (Face::Arabic, _) => Face::Arabic,
        }
    }

    /// The font's PostScript name, used as its name inside PDFs.
    pub fn postscript_name(self) -> &'static str {
        match self {
            Face::Sans => "NotoSans-Regular",
            Face::SansBold => "NotoSans-Bold",
            Face::SansItalic => "NotoSans-Italic",
            Face::SansBoldItalic => "NotoSans-BoldItalic",
            Face::Serif => "NotoSerifDisplay-Regular",
            Face::SerifItalic => "NotoSerifDisplay-Italic",
            Face::Arabic => "NotoNaskhArabic-Regular",
        }
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// Faces tried in turn for a character: this one, the Sans of the same
    /// style, then Arabic.
    pub(crate) fn chain(self) -> [Face; 3] {
        let sans = match self {
            Face::Serif => Face::Sans,
            Face::SerifItalic => Face::SansItalic,
            other => other,
        };
        [self, sans, Face::Arabic]
    }

    fn bytes(self) -> &'static [u8] {
        match self {
            Face::Sans => include_bytes!("../../../../assets/fonts/noto/NotoSans-Regular.ttf"),
            Face::SansBold => include_bytes!("../../../../assets/fonts/noto/NotoSans-Bold.ttf"),
            Face::SansItalic => {
                include_bytes!("../../../../assets/fonts/noto/NotoSans-Italic.ttf")
            }
            Face::SansBoldItalic => {
                include_bytes!("../../../../assets/fonts/noto/NotoSans-BoldItalic.ttf")
            }
            Face::Serif => {
                include_bytes!("../../../../assets/fonts/noto/NotoSerifDisplay-Regular.ttf")
            }
            Face::SerifItalic => {
                include_bytes!("../../../../assets/fonts/noto/NotoSerifDisplay-Italic.ttf")
            }
            Face::Arabic => {
                include_bytes!("../../../../assets/fonts/noto/NotoNaskhArabic-Regular.ttf")
            }
        }
    }
}

/// A parsed face: shaping tables and metrics.
pub(crate) struct LoadedFace {
    pub(crate) face: Face,
    pub(crate) shaper: rustybuzz::Face<'static>,
    pub(crate) units_per_em: f32,
    pub(crate) ascender: f32,
    pub(crate) descender: f32,
    /// Whether lines may be shaped word by word ([`super::words`], [`super::inert_space`]).
    pub(crate) space_is_inert: bool,
}

impl LoadedFace {
    /// Whether this face has a glyph for `c`.
    pub(crate) fn covers(&self, c: char) -> bool {
        self.shaper.glyph_index(c).is_some_and(|gid| gid.0 != 0)
    }

    pub(crate) fn bytes(&self) -> &'static [u8] {
        self.face.bytes()
    }
}

static FONTS: OnceLock<Result<Vec<LoadedFace>, String>> = OnceLock::new();

/// All bundled faces, parsed once per process.
pub(crate) fn loaded() -> Result<&'static [LoadedFace], Error> {
    let fonts = FONTS.get_or_init(|| {
        Face::ALL
            .into_iter()
            .map(|face| {
                let shaper = rustybuzz::Face::from_slice(face.bytes(), 0)
                    .ok_or_else(|| face.name().to_owned())?;
                let units_per_em = shaper.units_per_em() as f32;
                let ascender = f32::from(shaper.ascender());
                let descender = f32::from(shaper.descender());
                let space_is_inert = super::inert_space::space_is_inert(&shaper);
                Ok(LoadedFace {
                    face,
                    shaper,
                    units_per_em,
                    ascender,
                    descender,
                    space_is_inert,
                })
            })
            .collect()
    });
    fonts
        .as_deref()
        .map_err(|name| Error::Font(format!("the bundled font `{name}` cannot be read")))
}

/// One face, parsed.
pub(crate) fn load(face: Face) -> Result<&'static LoadedFace, Error> {
    loaded()?
        .get(face.index())
        .ok_or_else(|| Error::Font(format!("the bundled font `{}` is missing", face.name())))
}

/// Ascender and descender of `face` at `size_pt`, in millimetres (the
/// descender is negative): how far text reaches above and below its baseline.
pub fn vertical_metrics_mm(face: Face, size_pt: f32) -> Result<(f32, f32), Error> {
    let loaded = load(face)?;
    let scale = size_pt / loaded.units_per_em * super::MM_PER_PT;
    Ok((loaded.ascender * scale, loaded.descender * scale))
}

/// Whether some bundled face can show `c`.
pub fn can_show(c: char) -> bool {
    loaded().is_ok_and(|faces| faces.iter().any(|f| f.covers(c)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_face_loads_and_names_round_trip() {
        for face in Face::ALL {
            let loaded = load(face).expect("bundled face parses");
            assert_eq!(loaded.face, face);
            assert_eq!(Face::from_name(face.name()), Some(face));
        }
    }

    #[test]
    fn coverage() {
        for c in ['é', 'ễ', 'Ł', 'Ω', 'Ж', 'م'] {
            assert!(can_show(c), "{c}");
        }
        assert!(!can_show('你'));
        assert!(!load(Face::Sans).expect("sans").covers('م'));
    }
}
