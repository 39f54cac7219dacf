//! The leaf the shaping modules share: one shaped glyph, and the
//! characters that never need one.

use compact_str::CompactString;

/// One glyph of shaped text, in font units of its run's face.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Glyph {
    /// Glyph id in the full (not yet subset) face.
    pub(crate) gid: u16,
    /// How far the pen moves after this glyph.
    pub(crate) advance: i32,
    /// Horizontal shift of this glyph from the pen position.
    pub(crate) x_offset: i32,
    /// Vertical shift (Arabic marks).
    pub(crate) y_offset: i32,
    /// The characters this glyph stands for, for copy and search (empty for
    /// the second and later glyphs of one cluster).
    pub(crate) text: CompactString,
}

/// Zero-width characters that steer shaping or direction; they belong to
/// whatever run they sit in, and no face needs a glyph for them.
pub(crate) fn is_invisible_control(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{FEFF}')
}
