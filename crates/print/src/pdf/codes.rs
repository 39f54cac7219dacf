//! The character codes of the fonts [`StreamDocument`](super::StreamDocument)
//! writes: one, two or three bytes per glyph instead of `Identity-H`'s
//! two.
//!
//! A font's glyphs are numbered in the order pages first use them, so the
//! hundred or so that make up names, numbers and addresses in Latin script
//! come first. Giving those a one-byte code makes every page of a merged
//! certificate file smaller, where each page's own text is deflated on its
//! own and so gains little from deflate. The codes are a prefix code,
//! like UTF-8's: the first byte says how many follow (ISO 32000-1
//! §9.7.6.2, codespace ranges):
//!
//! | subset glyph ids | code bytes        | CIDs          |
//! |------------------|-------------------|---------------|
//! | 0–127            | `00`–`7F`         | 0–127         |
//! | 128–16,511       | `8000`–`BFFF`     | 128–16,511    |
//! | 16,512–65,535    | `C00000`–`C0BF7F` | 16,512–65,535 |
//!
//! The CID is the subset glyph id, as with `Identity-H`, so the widths and
//! the `CIDToGIDMap` stay as they were; only the encoding CMap (embedded,
//! the same in every font) and the ToUnicode map's keys change.

use std::fmt::Write as _;

/// Subset glyph ids below this have one-byte codes.
const ONE_BYTE: u16 = 0x80;
/// First two-byte code, for glyph [`ONE_BYTE`].
const TWO_BYTES: u32 = 0x8000;
/// Subset glyph ids from here on have three-byte codes.
const THREE_BYTE_GLYPHS: u16 = ONE_BYTE + 0x4000;
/// First three-byte code, for glyph [`THREE_BYTE_GLYPHS`].
const THREE_BYTES: u32 = 0xC0_0000;

/// The codespace ranges, shared by the encoding and the ToUnicode CMaps.
const CODESPACE: &str =
    "3 begincodespacerange\n<00><7F>\n<8000><BFFF>\n<C00000><C0FFFF>\nendcodespacerange\n";

/// The same ranges for the ToUnicode map, a space between the two codes
/// of each: a strict CMap parser (the one the PDF/UA validator uses)
/// rejects them written together.
const SPACED_CODESPACE: &str =
    "3 begincodespacerange\n<00> <7F>\n<8000> <BFFF>\n<C00000> <C0FFFF>\nendcodespacerange\n";

/// The code of subset glyph `gid`, and its length in bytes.
fn code(gid: u16) -> (u32, usize) {
    if gid < ONE_BYTE {
        (u32::from(gid), 1)
    } else if gid < THREE_BYTE_GLYPHS {
        (TWO_BYTES + u32::from(gid - ONE_BYTE), 2)
    } else {
        (THREE_BYTES + u32::from(gid - THREE_BYTE_GLYPHS), 3)
    }
}

/// Appends the code of subset glyph `gid` as hex digits (inside a `<…>`
/// string of a content stream).
pub(super) fn push_hex(out: &mut Vec<u8>, gid: u16) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let (code, bytes) = code(gid);
    for shift in (0..bytes * 2).rev().map(|digit| digit * 4) {
        out.push(HEX[(code >> shift) as usize & 0xF]);
    }
}

/// The code of subset glyph `gid` as a CMap writes it: `<2B>`, `<8012>`.
fn cmap_code(gid: u16) -> String {
    let (code, bytes) = code(gid);
    format!("<{code:0digits$X}>", digits = bytes * 2)
}

/// The `/CMapName` of [`encoding_cmap`], in its stream's dictionary too.
pub(super) const ENCODING_NAME: &str = "Taller-Compact-H";

/// The character collection of the encoding CMap and of every CIDFont:
/// Adobe-Identity-0 (CIDs are the subset's glyph ids).
pub(super) const IDENTITY: pdf_writer::types::SystemInfo<'static> = pdf_writer::types::SystemInfo {
    registry: pdf_writer::Str(b"Adobe"),
    ordering: pdf_writer::Str(b"Identity"),
    supplement: 0,
};

/// The encoding CMap of every font: codes to CIDs (= subset glyph ids).
pub(super) fn encoding_cmap() -> String {
    format!(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo<</Registry(Adobe)/Ordering(Identity)/Supplement 0>>def\n/CMapName/Taller-Compact-H def\n/CMapType 1 def\n{CODESPACE}3 begincidrange\n<00><7F> 0\n<8000><BFFF> {ONE_BYTE}\n<C00000><C0FFFF> {THREE_BYTE_GLYPHS}\nendcidrange\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    )
}

/// A ToUnicode CMap (§9.10.3): each subset glyph's code to the text it
/// stands for (several characters for a ligature or an Arabic joined
/// form). `texts[gid]` is glyph `gid`'s text; empty ones are left out.
pub(super) fn to_unicode_cmap(name: &str, texts: &[String]) -> String {
    let mut cmap = format!(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo<</Registry(Adobe)/Ordering(UCS)/Supplement 0>> def\n/CMapName/{name}-UCS def\n/CMapType 2 def\n{SPACED_CODESPACE}"
    );
    let entries: Vec<(u16, &String)> = texts
        .iter()
        .enumerate()
        .filter(|(_, text)| !text.is_empty())
        .map_while(|(gid, text)| Some((u16::try_from(gid).ok()?, text)))
        .collect();
    // At most 100 entries per block (§9.10.3).
    for chunk in entries.chunks(100) {
        let _ = writeln!(cmap, "{} beginbfchar", chunk.len());
        for (gid, text) in chunk {
            cmap.push_str(&cmap_code(*gid));
            cmap.push_str(" <");
            for unit in text.encode_utf16() {
                let _ = write!(cmap, "{unit:04X}");
            }
            cmap.push_str(">\n");
        }
        cmap.push_str("endbfchar\n");
    }
    cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    cmap
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(gid: u16) -> String {
        let mut out = Vec::new();
        push_hex(&mut out, gid);
        String::from_utf8(out).expect("hex digits")
    }

    #[test]
    fn codes_are_as_long_as_the_glyph_is_rare() {
        assert_eq!(hex(0), "00");
        assert_eq!(hex(0x7F), "7f");
        assert_eq!(hex(0x80), "8000");
        assert_eq!(hex(16_511), "bfff");
        assert_eq!(hex(16_512), "c00000");
        assert_eq!(hex(u16::MAX), "c0bf7f");
        assert_eq!(cmap_code(0x2B), "<2B>");
    }

    /// Splits `bytes` into codes by their first byte and maps each to its
    /// CID through the ranges of the encoding CMap, as a reader does.
    fn cids_as_read(bytes: &[u8]) -> Vec<u32> {
        let mut cids = Vec::new();
        let mut at = 0;
        while at < bytes.len() {
            let (len, first_code, first_cid) = match bytes[at] {
                0x00..=0x7F => (1, 0, 0),
                0x80..=0xBF => (2, TWO_BYTES, u32::from(ONE_BYTE)),
                _ => (3, THREE_BYTES, u32::from(THREE_BYTE_GLYPHS)),
            };
            let code = bytes[at..at + len]
                .iter()
                .fold(0u32, |code, &b| code << 8 | u32::from(b));
            cids.push(code - first_code + first_cid);
            at += len;
        }
        cids
    }

    #[test]
    fn every_glyph_reads_back_as_its_own_cid() {
        let gids: Vec<u16> = (0..=u16::MAX).collect();
        let mut text = Vec::new();
        for &gid in &gids {
            push_hex(&mut text, gid);
        }
        let bytes: Vec<u8> = text
            .chunks(2)
            .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).expect("ascii"), 16))
            .collect::<Result<_, _>>()
            .expect("hex");
        let cids = cids_as_read(&bytes);
        assert!(cids.iter().copied().eq(gids.iter().map(|&g| u32::from(g))));
    }

    #[test]
    fn the_cmaps_declare_the_ranges_the_codes_use() {
        let encoding = encoding_cmap();
        assert!(encoding.contains("<8000><BFFF> 128\n"), "{encoding}");
        assert!(encoding.contains("<C00000><C0FFFF> 16512\n"), "{encoding}");
        let texts = ["", "A", "", "ß"].map(String::from);
        let mut many = texts.to_vec();
        many.resize(200, String::new());
        many[150] = "fi".into();
        let to_unicode = to_unicode_cmap("F", &many);
        assert!(to_unicode.contains(SPACED_CODESPACE));
        assert!(to_unicode.contains("<01> <0041>\n<03> <00DF>\n<8016> <00660069>\n"));
    }
}
