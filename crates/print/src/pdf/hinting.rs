//! Removing TrueType hinting from a subset font before it is embedded.
//!
//! Hinting (the `fpgm`, `prep` and `cvt ` programs and each glyph's
//! instructions) adjusts outlines to screen pixels at small sizes. PDF
//! viewers on high-resolution screens and printers draw the outlines
//! without it (pdf.js and macOS ignore it), and in a Noto subset it is a
//! large share of the bytes: without it a one-page certificate stays within
//! its size aim (README, Benchmarks).
//!
//! The result keeps every outline, metric and the `cmap`; only programs go.

const TAG_GLYF: [u8; 4] = *b"glyf";
const TAG_LOCA: [u8; 4] = *b"loca";
const TAG_HEAD: [u8; 4] = *b"head";
const TAG_MAXP: [u8; 4] = *b"maxp";
const DROPPED: [[u8; 4]; 3] = [*b"fpgm", *b"prep", *b"cvt "];

fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    data.get(at..at + 2)
        .map(|b| u16::from_be_bytes([b[0], b[1]]))
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    data.get(at..at + 4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, chunk| {
        let mut word = [0u8; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

/// One glyph without its instructions (`None` when it is malformed).
fn strip_glyph(glyph: &[u8]) -> Option<Vec<u8>> {
    if glyph.is_empty() {
        return Some(Vec::new());
    }
    let contours = i16::from_be_bytes([*glyph.first()?, *glyph.get(1)?]);
    if contours >= 0 {
        let header = 10 + 2 * usize::try_from(contours).ok()?;
        let length = usize::from(u16_at(glyph, header)?);
        let rest = glyph.get(header + 2 + length..)?;
        let mut out = Vec::with_capacity(glyph.len());
        out.extend_from_slice(glyph.get(..header)?);
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(rest);
        return Some(out);
    }
    // A composite glyph: clear WE_HAVE_INSTRUCTIONS on every component and
    // drop the instructions after the last one.
    const ARGS_ARE_WORDS: u16 = 0x0001;
    const HAVE_SCALE: u16 = 0x0008;
    const MORE_COMPONENTS: u16 = 0x0020;
    const HAVE_XY_SCALE: u16 = 0x0040;
    const HAVE_2X2: u16 = 0x0080;
    const HAVE_INSTRUCTIONS: u16 = 0x0100;
    let mut out = glyph.to_vec();
    let mut at = 10;
    loop {
        let flags = u16_at(&out, at)?;
        let cleared = flags & !HAVE_INSTRUCTIONS;
        out.get_mut(at..at + 2)?
            .copy_from_slice(&cleared.to_be_bytes());
        let args = if flags & ARGS_ARE_WORDS != 0 { 4 } else { 2 };
        let scale = if flags & HAVE_SCALE != 0 {
            2
        } else if flags & HAVE_XY_SCALE != 0 {
            4
        } else if flags & HAVE_2X2 != 0 {
            8
        } else {
            0
        };
        at += 4 + args + scale;
        if at > out.len() {
            return None;
        }
        if flags & MORE_COMPONENTS == 0 {
            break;
        }
    }
    out.truncate(at);
    Some(out)
}

/// The font without hinting, or `None` when it is not a TrueType font this
/// understands (the caller then embeds it unchanged).
pub(crate) fn strip(font: &[u8]) -> Option<Vec<u8>> {
    let tables = usize::from(u16_at(font, 4)?);
    let mut records: Vec<([u8; 4], &[u8])> = Vec::with_capacity(tables);
    for i in 0..tables {
        let at = 12 + 16 * i;
        let tag: [u8; 4] = font.get(at..at + 4)?.try_into().ok()?;
        let offset = usize::try_from(u32_at(font, at + 8)?).ok()?;
        let length = usize::try_from(u32_at(font, at + 12)?).ok()?;
        records.push((tag, font.get(offset..offset + length)?));
    }
    let find = |tag: [u8; 4]| records.iter().find(|(t, _)| *t == tag).map(|(_, d)| *d);
    let head = find(TAG_HEAD)?;
    let glyf = find(TAG_GLYF)?;
    let loca = find(TAG_LOCA)?;
    let glyphs = usize::from(u16_at(find(TAG_MAXP)?, 4)?);
    let long_loca = u16_at(head, 50)? == 1;
    let offset = |i: usize| -> Option<usize> {
        if long_loca {
            usize::try_from(u32_at(loca, 4 * i)?).ok()
        } else {
            Some(usize::from(u16_at(loca, 2 * i)?) * 2)
        }
    };
    let mut new_glyf = Vec::with_capacity(glyf.len());
    let mut new_loca = Vec::with_capacity(4 * (glyphs + 1));
    for i in 0..glyphs {
        let (start, end) = (offset(i)?, offset(i + 1)?);
        let glyph = strip_glyph(glyf.get(start..end)?)?;
        new_loca.extend_from_slice(&u32::try_from(new_glyf.len()).ok()?.to_be_bytes());
        new_glyf.extend_from_slice(&glyph);
        while new_glyf.len() % 4 != 0 {
            new_glyf.push(0);
        }
    }
    new_loca.extend_from_slice(&u32::try_from(new_glyf.len()).ok()?.to_be_bytes());
    let mut new_head = head.to_vec();
    // Long offsets in `loca`; checkSumAdjustment is recomputed below.
    new_head
        .get_mut(50..52)?
        .copy_from_slice(&1u16.to_be_bytes());
    new_head.get_mut(8..12)?.copy_from_slice(&[0; 4]);

    let mut kept: Vec<([u8; 4], Vec<u8>)> = records
        .iter()
        .filter(|(tag, _)| !DROPPED.contains(tag))
        .map(|(tag, data)| {
            let data = match *tag {
                TAG_GLYF => new_glyf.clone(),
                TAG_LOCA => new_loca.clone(),
                TAG_HEAD => new_head.clone(),
                _ => data.to_vec(),
            };
            (*tag, data)
        })
        .collect();
    kept.sort_by_key(|(tag, _)| *tag);
    write_font(font.get(..4)?, &kept)
}

fn write_font(version: &[u8], tables: &[([u8; 4], Vec<u8>)]) -> Option<Vec<u8>> {
    let count = u16::try_from(tables.len()).ok()?;
    let mut power = 1u16;
    let mut log = 0u16;
    while power * 2 <= count {
        power *= 2;
        log += 1;
    }
    let mut out = Vec::new();
    out.extend_from_slice(version);
    out.extend_from_slice(&count.to_be_bytes());
    out.extend_from_slice(&(power * 16).to_be_bytes());
    out.extend_from_slice(&log.to_be_bytes());
    out.extend_from_slice(&(count * 16 - power * 16).to_be_bytes());
    let mut offset = 12 + 16 * tables.len();
    let mut head_at = None;
    for (tag, data) in tables {
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&u32::try_from(offset).ok()?.to_be_bytes());
        out.extend_from_slice(&u32::try_from(data.len()).ok()?.to_be_bytes());
        if *tag == TAG_HEAD {
            head_at = Some(offset);
        }
        offset += data.len().div_ceil(4) * 4;
    }
    for (_, data) in tables {
        out.extend_from_slice(data);
        while out.len() % 4 != 0 {
            out.push(0);
        }
    }
    if let Some(at) = head_at {
        let adjustment = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out.get_mut(at + 8..at + 12)?
            .copy_from_slice(&adjustment.to_be_bytes());
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::fonts::{self, Face};

    #[test]
    fn stripped_fonts_keep_outlines_and_metrics() {
        for face in Face::ALL {
            let bytes = fonts::load(face).expect("bundled").bytes();
            let stripped = strip(bytes).expect("a TrueType font");
            assert!(stripped.len() < bytes.len(), "{}", face.name());
            let before = ttf_parser::Face::parse(bytes, 0).expect("parses");
            let after = ttf_parser::Face::parse(&stripped, 0).expect("still parses");
            assert_eq!(before.number_of_glyphs(), after.number_of_glyphs());
            for c in ['A', 'é', 'Ж', 'Ω', 'ễ', 'م'] {
                let (Some(g1), Some(g2)) = (before.glyph_index(c), after.glyph_index(c)) else {
                    continue;
                };
                assert_eq!(before.glyph_hor_advance(g1), after.glyph_hor_advance(g2));
                assert_eq!(
                    before.glyph_bounding_box(g1),
                    after.glyph_bounding_box(g2),
                    "{c}"
                );
            }
            let tables: Vec<_> = after
                .raw_face()
                .table(ttf_parser::Tag::from_bytes(b"fpgm"))
                .into_iter()
                .collect();
            assert!(tables.is_empty(), "fpgm dropped from {}", face.name());
        }
    }

    #[test]
    fn garbage_is_refused_not_a_panic() {
        assert!(strip(b"").is_none());
        assert!(strip(b"\0\x01\0\0\0\x05garbage").is_none());
        let bytes = fonts::load(Face::Sans).expect("bundled").bytes();
        for cut in [13, 100, 1000, bytes.len() / 2] {
            let _ = strip(&bytes[..cut]);
        }
    }
}
