//! QR codes for certificates: exactly the code `qrcode::QrCode::new`
//! makes (error correction M, the mask with the lowest penalty), found
//! faster, as a grid of modules.
//!
//! qrcode scores each of the eight masks on a copy of its canvas, through
//! its module accessors; on a certificate that was a large share of the
//! page's cost. Here what every code of one version shares (the functional
//! patterns, the format information of each mask, each mask's pattern) is
//! made once per thread as rows of bits, a code's masked rows are its data
//! rows XOR a mask's, and the penalty is scored on whole rows at once.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use qrcode::canvas::{Canvas, MaskPattern, Module};
use qrcode::{Color, EcLevel, Version};

use crate::Error;
use crate::pdf::CellGrid;

/// qrcode's order: on equal scores the first mask wins.
const MASKS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

const LEVEL: EcLevel = EcLevel::M;

/// Widest code whose rows fit a `u64`: version 11, URLs of up to about 250
/// characters. Wider codes take qrcode's own, slower, way.
const MAX_ROW_BITS: usize = 64;

/// The QR code of `url` as a grid of modules.
pub(crate) fn grid(url: &str) -> Result<CellGrid, Error> {
    let (width, dark) = modules(url)?;
    CellGrid::new(width, dark)
        .ok_or_else(|| Error::Layout(format!("verify_url `{url}` cannot be a QR code")))
}

/// The modules of the QR code of `url`, row by row (`true` for dark), and
/// its width.
fn modules(url: &str) -> Result<(usize, Vec<bool>), Error> {
    let invalid = |err: qrcode::types::QrError| {
        Error::Layout(format!("verify_url `{url}` cannot be a QR code: {err}"))
    };
    let bits = qrcode::bits::encode_auto(url.as_bytes(), LEVEL).map_err(invalid)?;
    let version = bits.version();
    let (data, ec) =
        qrcode::ec::construct_codewords(&bits.into_bytes(), version, LEVEL).map_err(invalid)?;
    let width = usize::try_from(version.width()).unwrap_or(0);
    if width > MAX_ROW_BITS {
        return Ok((width, modules_module_by_module(version, &data, &ec)));
    }
    let template = template(version);
    let mut canvas = template.canvas.clone();
    canvas.draw_data(&data, &ec);
    let data = Lines::of(rows_where(&canvas, width, |module| {
        module == Module::Unmasked(Color::Dark)
    }));
    let mut best: Option<(u16, Lines)> = None;
    for mask in &template.masks {
        let masked = mask.xor(&data);
        let score = penalty_lines(&masked, width);
        if best.as_ref().is_none_or(|(lowest, _)| score < *lowest) {
            best = Some((score, masked));
        }
    }
    let (_, lines) =
        best.ok_or_else(|| Error::Layout(format!("verify_url `{url}` cannot be a QR code")))?;
    let dark = lines
        .rows
        .iter()
        .flat_map(|row| (0..width).map(move |x| row >> x & 1 == 1))
        .collect();
    Ok((width, dark))
}

/// What every code of one version shares.
struct Template {
    /// The functional patterns drawn, the data modules still empty.
    canvas: Canvas,
    /// For each mask in [`MASKS`] order, the rows of the empty canvas
    /// masked: functional patterns and that mask's format information
    /// where they go, the mask's own pattern where data goes. Data bits
    /// XOR-ed in make the masked code.
    masks: Vec<Lines>,
}

/// A square of modules as bit masks, both ways: bit `x` of `rows[y]` and
/// bit `y` of `columns[x]` are the module at column `x`, row `y`.
struct Lines {
    rows: Vec<u64>,
    columns: Vec<u64>,
}

impl Lines {
    fn of(rows: Vec<u64>) -> Lines {
        let mut columns = vec![0u64; rows.len()];
        for (y, &row) in rows.iter().enumerate() {
            let mut bits = row;
            while bits != 0 {
                let x = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                if let Some(column) = columns.get_mut(x) {
                    *column |= 1 << y;
                }
            }
        }
        Lines { rows, columns }
    }

    fn xor(&self, other: &Lines) -> Lines {
        let xor = |a: &[u64], b: &[u64]| a.iter().zip(b).map(|(a, b)| a ^ b).collect();
        Lines {
            rows: xor(&self.rows, &other.rows),
            columns: xor(&self.columns, &other.columns),
        }
    }
}

thread_local! {
    /// Templates by code width (one per version).
    static TEMPLATES: RefCell<HashMap<usize, Rc<Template>>> = RefCell::new(HashMap::new());
}

fn template(version: Version) -> Rc<Template> {
    let width = usize::try_from(version.width()).unwrap_or(0);
    TEMPLATES.with(|templates| {
        Rc::clone(templates.borrow_mut().entry(width).or_insert_with(|| {
            let mut canvas = Canvas::new(version, LEVEL);
            canvas.draw_all_functional_patterns();
            let masks = MASKS
                .iter()
                .map(|&mask| {
                    // An empty module masked is the mask's own bit.
                    let mut masked = canvas.clone();
                    masked.apply_mask(mask);
                    Lines::of(rows_where(&masked, width, Module::is_dark))
                })
                .collect();
            Rc::new(Template { canvas, masks })
        }))
    })
}

/// The rows of `canvas` as bit masks (bit `x` for column `x`) of the
/// modules `wanted` picks.
fn rows_where(canvas: &Canvas, width: usize, wanted: impl Fn(Module) -> bool) -> Vec<u64> {
    let side = i16::try_from(width).unwrap_or(i16::MAX);
    (0..side)
        .map(|y| {
            (0..side)
                .filter(|&x| wanted(canvas.get(x, y)))
                .fold(0u64, |row, x| row | 1 << x)
        })
        .collect()
}

/// Codes wider than [`MAX_ROW_BITS`], qrcode's way: each mask applied to a
/// copy of the canvas.
fn modules_module_by_module(version: Version, data: &[u8], ec: &[u8]) -> Vec<bool> {
    let width = usize::try_from(version.width()).unwrap_or(0);
    let mut canvas = Canvas::new(version, LEVEL);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(data, ec);
    let mut best: Option<(u16, Vec<bool>)> = None;
    for mask in MASKS {
        let mut masked = canvas.clone();
        masked.apply_mask(mask);
        let dark: Vec<bool> = masked
            .into_colors()
            .into_iter()
            .map(|c| c == Color::Dark)
            .collect();
        let score = penalty_bytes(&dark, width);
        if best.as_ref().is_none_or(|(lowest, _)| score < *lowest) {
            best = Some((score, dark));
        }
    }
    best.map(|(_, dark)| dark).unwrap_or_default()
}

/// qrcode's penalty of a masked QR code (ISO/IEC 18004 §7.8.3 as that
/// crate computes it, to choose the same mask): runs of five or more,
/// 2 × 2 blocks, finder-like patterns and the dark/light balance, in its
/// 16-bit arithmetic. Whole rows and columns are compared at once, as bit
/// masks, without a branch per module.
fn penalty_lines(lines: &Lines, width: usize) -> u16 {
    let all = if width == 64 {
        u64::MAX
    } else {
        (1u64 << width) - 1
    };
    let mut score: u16 = 0;
    for lines in [&lines.rows, &lines.columns] {
        let mut finder: u16 = 0;
        for &line in lines {
            // A run of L ≥ 5 modules of one colour scores L - 2. Bit i of
            // `five` is set where modules i to i + 4 are alike: L - 4 bits
            // per such run, in one block, so each block adds 2 more.
            let same = !(line ^ (line >> 1)) & (all >> 1);
            let five = same & (same >> 1) & (same >> 2) & (same >> 3);
            let blocks = five & !(five << 1);
            let runs = five.count_ones() + 2 * blocks.count_ones();
            score = score.wrapping_add(u16::try_from(runs).unwrap_or(u16::MAX));
            // Dark-light-dark-dark-dark-light-dark starting at each bit.
            let light = !line & all;
            let mut found = line
                & (light >> 1)
                & (line >> 2)
                & (line >> 3)
                & (line >> 4)
                & (light >> 5)
                & (line >> 6)
                & (all >> 6);
            while found != 0 {
                let j = found.trailing_zeros() as usize;
                found &= found - 1;
                let before = if j == 0 {
                    0
                } else {
                    (line >> j.saturating_sub(4)) & ((1u64 << j.min(4)) - 1)
                };
                let after = line.checked_shr(j as u32 + 7).unwrap_or(0) & 0xF;
                if before == 0 || after == 0 {
                    finder = finder.wrapping_add(40);
                }
            }
        }
        score = score.wrapping_add(finder.wrapping_sub(360));
    }
    // 2 x 2 blocks of one colour.
    for pair in lines.rows.windows(2) {
        let (top, bottom) = (pair[0], pair[1]);
        let same = !(top ^ (top >> 1)) & !(bottom ^ (bottom >> 1)) & !(top ^ bottom);
        let blocks = (same & (all >> 1)).count_ones();
        score = score.wrapping_add(u16::try_from(blocks * 3).unwrap_or(u16::MAX));
    }
    let darks: u32 = lines.rows.iter().map(|row| row.count_ones()).sum();
    let ratio = darks as usize * 200 / (width * width).max(1);
    score.wrapping_add(u16::try_from(ratio.abs_diff(100)).unwrap_or(u16::MAX))
}

/// [`penalty_lines`] module by module, for codes wider than 64 modules.
fn penalty_bytes(dark: &[bool], width: usize) -> u16 {
    let rows: Vec<u8> = dark.iter().map(|&d| u8::from(d)).collect();
    let mut columns = vec![0u8; rows.len()];
    for (y, row) in rows.chunks_exact(width).enumerate() {
        for (x, &module) in row.iter().enumerate() {
            columns[x * width + y] = module;
        }
    }
    // Dark-light-dark-dark-dark-light-dark, first module in the high bit.
    const FINDER: u32 = 0b101_1101;
    let mut score: u16 = 0;
    for grid in [&rows, &columns] {
        let mut finder: u16 = 0;
        for line in grid.chunks_exact(width) {
            // Runs of five or more of the same colour.
            let mut run = 1u16;
            for pair in line.windows(2) {
                if pair[0] == pair[1] {
                    run += 1;
                } else {
                    if run >= 5 {
                        score = score.wrapping_add(run - 2);
                    }
                    run = 1;
                }
            }
            if run >= 5 {
                score = score.wrapping_add(run - 2);
            }
            // The finder pattern without four light modules on one side.
            let mut window = 0u32;
            for (end, &module) in line.iter().enumerate() {
                window = ((window << 1) | u32::from(module)) & 0x7F;
                if end < 6 || window != FINDER {
                    continue;
                }
                let start = end - 6;
                let before = &line[start.saturating_sub(4)..start];
                let after = &line[(end + 1).min(width)..(end + 5).min(width)];
                if !before.contains(&1) || !after.contains(&1) {
                    finder = finder.wrapping_add(40);
                }
            }
        }
        score = score.wrapping_add(finder.wrapping_sub(360));
    }
    // 2 x 2 blocks of one colour.
    for pair in rows.chunks_exact(width).collect::<Vec<_>>().windows(2) {
        let (top, bottom) = (pair[0], pair[1]);
        for x in 0..width - 1 {
            let this = top[x];
            if this == top[x + 1] && this == bottom[x] && this == bottom[x + 1] {
                score = score.wrapping_add(3);
            }
        }
    }
    let darks = rows.iter().filter(|&&d| d == 1).count();
    let ratio = darks * 200 / rows.len().max(1);
    score.wrapping_add(u16::try_from(ratio.abs_diff(100)).unwrap_or(u16::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn qrcode_makes(url: &str) -> Vec<bool> {
        qrcode::QrCode::new(url.as_bytes())
            .expect("encodes")
            .to_colors()
            .into_iter()
            .map(|c| c == Color::Dark)
            .collect()
    }

    #[test]
    fn codes_are_the_ones_qrcode_makes() {
        for i in 0..300 {
            let url = format!(
                "https://example.org/verify/MAD16-{i:06X}{}",
                // Up to 290 characters: versions up to 12 (65 modules).
                "x".repeat(i % 40 * (1 + i % 7))
            );
            let (width, modules) = modules(&url).expect("encodes");
            assert_eq!(modules, qrcode_makes(&url), "{url}");
            for mask in (0..8).filter(|_| width <= MAX_ROW_BITS) {
                // Both ways of scoring agree on codes that are not the best.
                let shifted: Vec<bool> = modules
                    .iter()
                    .enumerate()
                    .map(|(at, &d)| d ^ ((at / width + at % width + mask) % 3 == 0))
                    .collect();
                let rows: Vec<u64> = shifted
                    .chunks(width)
                    .map(|row| {
                        row.iter()
                            .enumerate()
                            .fold(0, |bits, (x, &d)| bits | u64::from(d) << x)
                    })
                    .collect();
                assert_eq!(
                    penalty_lines(&Lines::of(rows), width),
                    penalty_bytes(&shifted, width),
                    "{url}"
                );
            }
        }
    }

    #[test]
    fn the_grid_is_the_code_qrcode_makes() {
        let url = "https://example.org/verify/MAD16-PFEZBH";
        let grid = grid(url).expect("encodes");
        assert_eq!(grid.dark(), qrcode_makes(url));
        assert_eq!(grid.side() * grid.side(), grid.dark().len());
    }
}
