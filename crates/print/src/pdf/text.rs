//! Turning a string into positioned glyphs: per-character font fallback,
//! right-to-left runs (unicode-bidi) shaped with rustybuzz, measurement with
//! the fonts' real metrics, and greedy word wrapping.

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use compact_str::CompactString;
use unicode_bidi::BidiInfo;
use unicode_normalization::UnicodeNormalization;

use super::MM_PER_PT;
use super::fonts::{self, Face, LoadedFace};
use super::glyph::{Glyph, is_invisible_control};
use super::words;
use crate::Error;

/// Consecutive glyphs drawn with one face.
///
/// A left-to-right run's glyphs are in drawing order, each placed where
/// the one before it ends. A right-to-left run's glyphs are in the order of
/// its characters, each placed to the left of the one before it: the order
/// a content stream keeps is the order every extractor reads back, whether
/// it reorders by position (pdftotext) or not (mutool, pdfminer).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Run {
    pub(crate) face: Face,
    pub(crate) glyphs: Vec<Glyph>,
    pub(crate) units_per_em: f32,
    pub(crate) rtl: bool,
    /// Where its characters start in the line's text: runs in this order
    /// are the line in reading order.
    pub(crate) start: usize,
}

impl Run {
    pub(crate) fn width_em(&self) -> f32 {
        let units: i64 = self.glyphs.iter().map(|g| i64::from(g.advance)).sum();
        units as f32 / self.units_per_em
    }
}

/// One line of text, shaped and ready to draw: runs in visual order (left to
/// right on the page), each in the face that covers its characters. Cloning
/// is cheap (shared, not copied): the same title is drawn on every page.
#[derive(Debug, Clone, PartialEq)]
pub struct ShapedText {
    text: Arc<str>,
    pub(crate) runs: Arc<[Run]>,
    width_em: f32,
}

impl ShapedText {
    /// The text as given (NFC, control characters turned into spaces).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Width in millimetres at `size_pt`.
    pub fn width_mm(&self, size_pt: f32) -> f32 {
        self.width_em * size_pt * MM_PER_PT
    }

    /// Whether there is nothing to draw.
    pub fn is_empty(&self) -> bool {
        self.runs.iter().all(|run| run.glyphs.is_empty())
    }

    /// The line cut in two before byte `at` of its text: drawn one after
    /// the other, the head at the line's place and the tail where the head
    /// ends, the glyphs land exactly where the whole line puts them.
    ///
    /// `None` when `at` leaves a part empty or falls inside a cluster, and
    /// for a line with right-to-left text: there "before" is not a place
    /// on the line.
    pub fn split_at(&self, at: usize) -> Option<(ShapedText, ShapedText)> {
        if at == 0 || at >= self.text.len() || self.runs.iter().any(|run| run.rtl) {
            return None;
        }
        let glyphs = || self.runs.iter().flat_map(|run| &run.glyphs);
        let mut in_order = glyphs().map(|glyph| glyph.text.as_str());
        let mut rest = &*self.text;
        if !in_order.all(|text| rest.strip_prefix(text).map(|r| rest = r).is_some()) {
            return None;
        }
        // The tail starts at the first glyph of the cluster at `at`: a
        // cluster's later glyphs (its marks) have no text of their own.
        let mut read = 0;
        let mut cut = None;
        for (index, glyph) in glyphs().enumerate() {
            if read == at && !glyph.text.is_empty() {
                cut = Some(index);
                break;
            }
            read += glyph.text.len();
        }
        let mut head_left = cut?;
        let (mut head, mut tail) = (Vec::new(), Vec::new());
        for run in self.runs.iter() {
            let (before, after) = run.glyphs.split_at(head_left.min(run.glyphs.len()));
            head_left -= before.len();
            for (part, glyphs, from) in [(&mut head, before, 0), (&mut tail, after, at)] {
                if !glyphs.is_empty() {
                    part.push(Run {
                        face: run.face,
                        glyphs: glyphs.to_vec(),
                        units_per_em: run.units_per_em,
                        rtl: false,
                        start: run.start.max(from) - from,
                    });
                }
            }
        }
        let part = |text: &str, runs: Vec<Run>| ShapedText {
            text: text.into(),
            width_em: runs.iter().map(Run::width_em).sum(),
            runs: runs.into(),
        };
        let (head_text, tail_text) = self.text.split_at(at);
        Some((part(head_text, head), part(tail_text, tail)))
    }
}

/// The invisible marks and embeddings that set the direction of text
/// (LRM, RLM, LRE…PDF, LRI…PDI): never part of the text a reader extracts.
pub(crate) fn is_direction_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// NFC, with line breaks, tabs and other control characters made spaces:
/// this draws one line, and a stray CR/LF from a spreadsheet cell must not
/// turn into a missing-glyph box.
fn clean(text: &str) -> String {
    text.nfc()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Shapes one line of `text` in `face`, falling back to other bundled faces
/// for characters `face` lacks.
///
/// Errors with [`Error::MissingGlyphs`] when no bundled face can show some
/// character: the error lists the text and those characters.
pub fn shape(text: &str, face: Face) -> Result<ShapedText, Error> {
    let text = clean(text);
    let faces = fonts::loaded()?;
    let chain = face.chain();
    let mut missing: Vec<char> = Vec::new();
    // Choose a face per character first, so that the error can list every
    // character that cannot be shown, not just the first.
    let mut choice: Vec<(usize, Face)> = Vec::with_capacity(text.len());
    let mut previous = face;
    for (at, c) in text.char_indices() {
        let chosen = if c == ' ' || is_invisible_control(c) {
            Some(previous)
        } else {
            chain
                .iter()
                .copied()
                .find(|candidate| faces[candidate.index()].covers(c))
        };
        match chosen {
            Some(chosen) => {
                previous = chosen;
                choice.push((at, chosen));
            }
            None => {
                if !missing.contains(&c) {
                    missing.push(c);
                }
            }
        }
    }
    if !missing.is_empty() {
        return Err(Error::MissingGlyphs {
            text: text.clone(),
            chars: missing,
        });
    }
    let runs = if text.is_ascii() {
        // Plain ASCII is left to right and has no other direction to sort out.
        font_runs(&text, 0..text.len(), &choice, false, faces)
    } else {
        bidi_runs(&text, &choice, faces)
    };
    let width_em = runs.iter().map(Run::width_em).sum();
    Ok(ShapedText {
        text: text.into(),
        runs: runs.into(),
        width_em,
    })
}

fn bidi_runs(text: &str, choice: &[(usize, Face)], faces: &[LoadedFace]) -> Vec<Run> {
    let bidi = BidiInfo::new(text, None);
    let mut runs = Vec::new();
    for paragraph in &bidi.paragraphs {
        let (levels, visual) = bidi.visual_runs(paragraph, paragraph.range.clone());
        for range in visual {
            let rtl = levels.get(range.start).is_some_and(|level| level.is_rtl());
            runs.extend(font_runs(text, range, choice, rtl, faces));
        }
    }
    runs
}

/// Splits one directional run into runs of one face each and shapes them;
/// for right-to-left text the face runs are returned in visual order.
fn font_runs(
    text: &str,
    range: std::ops::Range<usize>,
    choice: &[(usize, Face)],
    rtl: bool,
    faces: &[LoadedFace],
) -> Vec<Run> {
    let mut runs = Vec::new();
    let mut start = range.start;
    let mut current: Option<Face> = None;
    for &(at, face) in choice.iter().filter(|(at, _)| range.contains(at)) {
        match current {
            Some(open) if open != face => {
                runs.push(shape_run(text, start..at, open, rtl, faces));
                start = at;
                current = Some(face);
            }
            Some(_) => {}
            None => {
                start = at;
                current = Some(face);
            }
        }
    }
    if let Some(open) = current {
        runs.push(shape_run(text, start..range.end, open, rtl, faces));
    }
    if rtl {
        runs.reverse();
    }
    runs
}

fn shape_run(
    text: &str,
    range: std::ops::Range<usize>,
    face: Face,
    rtl: bool,
    faces: &[LoadedFace],
) -> Run {
    let loaded = &faces[face.index()];
    let start = range.start;
    let piece = &text[range];
    let glyphs = if !rtl && loaded.space_is_inert && words::splittable(piece) {
        // The words take the script of the whole piece: "2026" alone
        // would be shaped as Common, not Latin.
        let script = segment_buffer(piece, false).script();
        words::shape(loaded, piece, script, |word| {
            let mut buffer = rustybuzz::UnicodeBuffer::new();
            buffer.push_str(word);
            buffer.set_script(script);
            buffer.set_direction(rustybuzz::Direction::LeftToRight);
            glyphs_of(loaded, word, buffer)
        })
    } else {
        glyphs_of(loaded, piece, segment_buffer(piece, rtl))
    };
    Run {
        face,
        glyphs,
        units_per_em: loaded.units_per_em,
        rtl,
        start,
    }
}

/// A buffer of `piece` with its script guessed and its direction set.
fn segment_buffer(piece: &str, rtl: bool) -> rustybuzz::UnicodeBuffer {
    let mut buffer = rustybuzz::UnicodeBuffer::new();
    buffer.push_str(piece);
    buffer.guess_segment_properties();
    buffer.set_direction(if rtl {
        rustybuzz::Direction::RightToLeft
    } else {
        rustybuzz::Direction::LeftToRight
    });
    buffer
}

/// Shapes `buffer`, which holds `piece`, into glyphs that each carry the
/// text of their cluster; a right-to-left run's come in the order of its
/// characters ([`Run`]).
fn glyphs_of(loaded: &LoadedFace, piece: &str, buffer: rustybuzz::UnicodeBuffer) -> Vec<Glyph> {
    let rtl = buffer.direction() == rustybuzz::Direction::RightToLeft;
    let shaped = shape_buffer(loaded, buffer);
    let infos = shaped.glyph_infos();
    let positions = shaped.glyph_positions();
    // Cluster values are byte offsets into `piece`; a cluster's text runs to
    // the next larger cluster value.
    let mut starts: Vec<usize> = infos.iter().map(|info| info.cluster as usize).collect();
    starts.sort_unstable();
    starts.dedup();
    let cluster_text = |cluster: usize| -> CompactString {
        let end = starts
            .iter()
            .copied()
            .find(|&s| s > cluster)
            .unwrap_or(piece.len());
        piece
            .get(cluster..end)
            .unwrap_or("")
            .chars()
            .filter(|&c| !is_direction_control(c))
            .collect()
    };
    let glyph = |(info, pos): (&rustybuzz::GlyphInfo, &rustybuzz::GlyphPosition)| Glyph {
        gid: u16::try_from(info.glyph_id).unwrap_or(0),
        advance: pos.x_advance,
        x_offset: pos.x_offset,
        y_offset: pos.y_offset,
        text: CompactString::default(),
    };
    // A cluster's glyphs are consecutive, whatever the direction.
    let mut clusters: Vec<(CompactString, Vec<Glyph>)> = Vec::new();
    let mut last_cluster = None;
    for pair in infos.iter().zip(positions) {
        let cluster = pair.0.cluster as usize;
        match clusters.last_mut() {
            Some((_, glyphs)) if last_cluster == Some(cluster) => glyphs.push(glyph(pair)),
            _ => clusters.push((cluster_text(cluster), vec![glyph(pair)])),
        }
        last_cluster = Some(cluster);
    }
    let mut out: Vec<Glyph> = Vec::with_capacity(infos.len());
    if !rtl {
        for (text, mut glyphs) in clusters {
            glyphs[0].text = text;
            out.append(&mut glyphs);
        }
        return out;
    }
    // Right to left, in reading order. The widest glyph of a cluster
    // carries its text: a mark has no place of its own on the line.
    for (text, mut glyphs) in clusters.into_iter().rev() {
        let widest = (0..glyphs.len())
            .max_by_key(|&at| (glyphs[at].advance, std::cmp::Reverse(at)))
            .unwrap_or(0);
        glyphs[widest].text = text;
        out.append(&mut glyphs);
    }
    out
}

/// Shaping plans by face, right-to-left or not, and script tag.
type Plans = HashMap<(Face, bool, [u8; 4]), Rc<rustybuzz::ShapePlan>>;

thread_local! {
    /// Shaping plans by face, direction and script. Making a plan (which
    /// features of the font apply) costs more than shaping a short name
    /// with it, and a certificate shapes a few texts with the same plans.
    static PLANS: std::cell::RefCell<Plans> = std::cell::RefCell::new(HashMap::new());
}

/// Shapes a buffer whose direction is set, with the plan of its face,
/// direction and script made once per thread.
fn shape_buffer(loaded: &LoadedFace, buffer: rustybuzz::UnicodeBuffer) -> rustybuzz::GlyphBuffer {
    if buffer.language().is_some() {
        return rustybuzz::shape(&loaded.shaper, &[], buffer);
    }
    let rtl = buffer.direction() == rustybuzz::Direction::RightToLeft;
    let script = buffer.script();
    let key = (loaded.face, rtl, script.tag().to_bytes());
    let plan = PLANS.with(|plans| {
        Rc::clone(plans.borrow_mut().entry(key).or_insert_with(|| {
            Rc::new(rustybuzz::ShapePlan::new(
                &loaded.shaper,
                buffer.direction(),
                Some(script),
                None,
                &[],
            ))
        }))
    });
    rustybuzz::shape_with_plan(&loaded.shaper, &plan, buffer)
}

/// Width of `text` in millimetres at `size_pt`.
pub fn measure(text: &str, face: Face, size_pt: f32) -> Result<f32, Error> {
    Ok(shape(text, face)?.width_mm(size_pt))
}

/// Whether a line may break at `c`: any white space except the no-break
/// ones (U+00A0, U+202F, U+2007, U+2060), which people put between a
/// number and its unit or inside a name precisely so it stays on one line.
/// The one rule for certificates, badges, the sign-in sheet and handouts.
pub(crate) fn is_break_space(c: char) -> bool {
    c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{202f}' | '\u{2007}' | '\u{2060}')
}

/// Breaks `text` into lines no wider than `max_width_mm` at `size_pt`,
/// at spaces ([`is_break_space`]: never at a no-break space, which is kept
/// as it is); a word wider than a whole line is broken between characters.
/// Line breaks in `text` start a new line. Each line comes back shaped.
///
/// Each word is measured once and a line's width is the sum of its words
/// and spaces, so wrapping a long paragraph costs one shaping per word.
pub fn wrap(
    text: &str,
    face: Face,
    size_pt: f32,
    max_width_mm: f32,
) -> Result<Vec<ShapedText>, Error> {
    let space = measure(" ", face, size_pt)?;
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut width = 0.0;
        for word in paragraph.split(is_break_space).filter(|w| !w.is_empty()) {
            let word_width = measure(word, face, size_pt)?;
            if line.is_empty() {
                line.push_str(word);
                width = word_width;
            } else if width + space + word_width <= max_width_mm {
                line.push(' ');
                line.push_str(word);
                width += space + word_width;
                continue;
            } else {
                lines.push(shape(&line, face)?);
                line = word.to_owned();
                width = word_width;
            }
            if width > max_width_mm {
                line = break_long_word(word, face, size_pt, max_width_mm, &mut lines)?;
                width = measure(&line, face, size_pt)?;
            }
        }
        lines.push(shape(&line, face)?);
    }
    Ok(lines)
}

/// Pushes full-width pieces of a word that does not fit on one line and
/// returns the remainder.
fn break_long_word(
    word: &str,
    face: Face,
    size_pt: f32,
    max_width_mm: f32,
    lines: &mut Vec<ShapedText>,
) -> Result<String, Error> {
    let mut piece = String::new();
    for c in word.chars() {
        piece.push(c);
        if piece.chars().count() > 1 && measure(&piece, face, size_pt)? > max_width_mm {
            piece.pop();
            lines.push(shape(&piece, face)?);
            piece.clear();
            piece.push(c);
        }
    }
    Ok(piece)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `text` shaped in one piece, left to right, in `face`.
    fn shaped_whole(text: &str, face: Face) -> Vec<Glyph> {
        let loaded = fonts::load(face).expect("bundled face");
        glyphs_of(loaded, text, segment_buffer(text, false))
    }

    /// `text` shaped as `shape` does, word by word where it can.
    fn shaped_by_words(text: &str, face: Face) -> Vec<Glyph> {
        let faces = fonts::loaded().expect("bundled faces");
        shape_run(text, 0..text.len(), face, false, faces).glyphs
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        /// Word by word gives exactly the glyphs, advances and offsets of
        /// shaping the whole line, in every bundled face: names and
        /// labels in the scripts a roster has, with ligatures ("fi"),
        /// kerning pairs ("AV", "Te", "«Y"), digits and punctuation.
        #[test]
        fn words_shape_as_the_whole_line(
            text in "([A-Za-z]|fi|ff|AV|To|Te|«Y|[áéíóúñÑçàèüößłŁøÅ'’.,:/«»“”()\\-]|[0-9]|[ΑαΒβΓΔδΩωάέ]|[ЖжЯяЁёЙй]| ){1,40}"
        ) {
            for face in Face::ALL {
                let loaded = fonts::load(face).expect("bundled face");
                let covered: String = text
                    .chars()
                    .map(|c| if loaded.covers(c) { c } else { ' ' })
                    .collect();
                prop_assert_eq!(
                    shaped_by_words(&covered, face),
                    shaped_whole(&covered, face),
                    "{} in {}", covered, face.name()
                );
            }
        }
    }

    #[test]
    fn latin_stays_in_the_requested_face() {
        let shaped = shape("José María Núñez", Face::Serif).expect("shapes");
        assert_eq!(shaped.runs.len(), 1);
        assert_eq!(shaped.runs[0].face, Face::Serif);
        let text: String = shaped.runs[0]
            .glyphs
            .iter()
            .map(|g| g.text.as_str())
            .collect();
        assert_eq!(text, "José María Núñez");
    }

    #[test]
    fn right_to_left_glyphs_come_in_reading_order() {
        // `الله` is one ligature glyph for four letters, `صلاح` has the
        // lam-alef, marks sit on their letters, and direction controls
        // pasted around a name are not text.
        for name in ["صلاح عبد الله", "عَلِيّ", "\u{202B}سلمى\u{202C}"] {
            let shaped = shape(name, Face::Arabic).expect("shapes");
            let glyphs = || shaped.runs.iter().flat_map(|run| &run.glyphs);
            let drawn: String = glyphs().map(|g| g.text.as_str()).collect();
            let logical: String = name.chars().filter(|&c| !is_direction_control(c)).collect();
            assert_eq!(drawn, logical);
        }
    }

    #[test]
    fn arabic_falls_back_and_runs_right_to_left() {
        let shaped = shape("محمد (Mohamed) علي", Face::Sans).expect("shapes");
        let faces: Vec<Face> = shaped.runs.iter().map(|r| r.face).collect();
        assert!(
            faces.contains(&Face::Arabic) && faces.contains(&Face::Sans),
            "{faces:?}"
        );
        // The first run on the page (leftmost) is the last word in reading
        // order, its glyphs in reading order too.
        let text = |run: &Run| -> String { run.glyphs.iter().map(|g| g.text.as_str()).collect() };
        assert_eq!(text(&shaped.runs[0]), "علي");
        let mut reading: Vec<&Run> = shaped.runs.iter().collect();
        reading.sort_by_key(|run| run.start);
        assert_eq!(
            reading.into_iter().map(text).collect::<String>(),
            "محمد (Mohamed) علي"
        );
        // Joined forms differ from the isolated letters.
        let isolated = shape("م ح م د", Face::Arabic).expect("shapes");
        let joined = shape("محمد", Face::Arabic).expect("shapes");
        let gids = |s: &ShapedText| -> Vec<u16> {
            s.runs
                .iter()
                .flat_map(|r| r.glyphs.iter().map(|g| g.gid))
                .collect()
        };
        assert!(gids(&joined).iter().any(|g| !gids(&isolated).contains(g)));
    }

    #[test]
    fn missing_glyphs_are_named() {
        let err = shape("Ana 你好 🎉", Face::Sans).expect_err("CJK and emoji are not bundled");
        match err {
            Error::MissingGlyphs { text, chars } => {
                assert_eq!(text, "Ana 你好 🎉");
                assert_eq!(chars, vec!['你', '好', '🎉']);
            }
            other => panic!("unexpected {other}"),
        }
    }

    #[test]
    fn control_characters_become_spaces() {
        let shaped = shape("Ana\r\nRuiz\t", Face::Sans).expect("shapes");
        assert_eq!(shaped.text(), "Ana  Ruiz ");
    }

    #[test]
    fn measuring_uses_real_advances() {
        let narrow = measure("iiii", Face::Sans, 12.0).expect("measures");
        let wide = measure("MMMM", Face::Sans, 12.0).expect("measures");
        assert!(wide > 2.0 * narrow, "{narrow} {wide}");
        let double = measure("MMMM", Face::Sans, 24.0).expect("measures");
        assert!((double - 2.0 * wide).abs() < 1e-3);
    }

    #[test]
    fn wrapping_respects_the_width() {
        let text = "Maximiliano Fernández de la Cueva y Hernández de Córdoba-Villanueva";
        let lines = wrap(text, Face::Serif, 30.0, 150.0).expect("wraps");
        assert!(lines.len() >= 2);
        for line in &lines {
            assert!(line.width_mm(30.0) <= 150.0, "{}", line.text());
        }
        let joined: Vec<&str> = lines.iter().map(ShapedText::text).collect();
        assert_eq!(joined.join(" "), text);
        let long = wrap(&"x".repeat(500), Face::Sans, 10.0, 50.0).expect("wraps");
        assert!(long.len() > 3 && long.iter().all(|l| l.width_mm(10.0) <= 50.0));
    }

    #[test]
    fn never_breaks_at_a_no_break_space_and_keeps_it() {
        // Room for "Ana María" but not for "de Ana María": at an ordinary
        // space the line would end after "Ana".
        let width = measure("Ana María", Face::Serif, 30.0).expect("measures") + 1.0;
        let spaced = wrap("de Ana María", Face::Serif, 30.0, width).expect("wraps");
        let spaced: Vec<&str> = spaced.iter().map(ShapedText::text).collect();
        assert_eq!(spaced, ["de Ana", "María"]);
        for nbsp in ['\u{a0}', '\u{202f}', '\u{2007}'] {
            let text = format!("de Ana{nbsp}María");
            let lines = wrap(&text, Face::Serif, 30.0, width + 5.0).expect("wraps");
            let lines: Vec<&str> = lines.iter().map(ShapedText::text).collect();
            assert_eq!(lines, ["de".to_owned(), format!("Ana{nbsp}María")]);
        }
    }

    fn glyphs(shaped: &ShapedText) -> Vec<(Face, Glyph)> {
        shaped
            .runs
            .iter()
            .flat_map(|run| run.glyphs.iter().map(|g| (run.face, g.clone())))
            .collect()
    }

    proptest! {
        /// A line cut in two has the whole line's glyphs, faces and
        /// advances, and its two parts are as wide as the whole.
        #[test]
        fn a_line_cut_in_two_is_the_whole_line(
            text in "([A-Za-z]|fi|ff|AV|[áéñçøÅ’./:\\-]|[0-9]|[ΑαΔδΩω]|[ЖжЯя]|[مرحبا]|\u{301}| ){1,30}",
            at in 0usize..80,
        ) {
            let whole = shape(&text, Face::Sans).expect("bundled glyphs");
            if let Some((head, tail)) = whole.split_at(at) {
                prop_assert!(!head.is_empty() && !tail.is_empty());
                prop_assert_eq!(format!("{}{}", head.text(), tail.text()), whole.text());
                for part in [&head, &tail] {
                    let drawn: String = glyphs(part).iter().map(|(_, g)| g.text.as_str()).collect();
                    prop_assert_eq!(drawn, part.text());
                }
                let mut parts = glyphs(&head);
                parts.extend(glyphs(&tail));
                prop_assert_eq!(parts, glyphs(&whole));
                prop_assert!((head.width_mm(10.0) + tail.width_mm(10.0) - whole.width_mm(10.0)).abs() < 1e-3);
            }
        }
    }

    #[test]
    fn lines_are_cut_between_clusters_of_left_to_right_text_only() {
        let line = shape(
            "Verificable en https://example.org/verify/MAD16-7YGSED",
            Face::Sans,
        )
        .expect("shapes");
        let at = line.text().find("MAD16").expect("id");
        let (head, tail) = line.split_at(at).expect("a place between two letters");
        assert_eq!(head.text(), "Verificable en https://example.org/verify/");
        assert_eq!(tail.text(), "MAD16-7YGSED");
        assert!(line.split_at(0).is_none() && line.split_at(line.text().len()).is_none());
        // Inside "é" written as e and a combining accent: one cluster.
        let accented = shape("Jose\u{301} Ruiz", Face::Sans).expect("shapes");
        assert!(accented.split_at(4).is_none());
        assert!(accented.split_at("Jose\u{301} ".len()).is_some());
        // Right to left, the glyphs are not in the order of the text.
        let arabic = shape("شهادة رقم 12", Face::Sans).expect("shapes");
        assert!(arabic.split_at("شهادة ".len()).is_none());
    }
}
