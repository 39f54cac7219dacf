//! Shaping a line word by word, each word shaped once per thread.
//!
//! A certificate's name and number lines are new on every page, but their
//! words are not: first names, surnames and labels repeat across a roster.
//! Shaping is a large share of a certificate's cost, so a left-to-right
//! line is cut at its spaces and each word's glyphs are kept, as browsers'
//! word caches do.
//!
//! That gives the glyphs of shaping the whole line only when nothing in
//! the font joins, kerns or positions across a space. [`super::inert_space`]
//! checks this once per face, in the font's own tables, and answers no
//! whenever it cannot be sure; such faces, and right-to-left runs, are
//! shaped whole.

use std::cell::RefCell;
use std::hash::BuildHasher;
use std::rc::Rc;

use foldhash::{HashMap, HashSet};
use unicode_normalization::char::is_combining_mark;

use super::fonts::{Face, LoadedFace};
use super::glyph::{Glyph, is_invisible_control};

/// Words kept per thread before the cache starts again: a few MB, more
/// than the distinct repeated words of a large roster.
const WORDS_KEPT: usize = 8_192;

/// Words seen once, remembered by hash, before that memory starts again.
const SEEN_KEPT: usize = 65_536;

/// Which words: their face and script (its OpenType tag).
type Shelf = (Face, [u8; 4]);

/// The words of one thread.
#[derive(Default)]
struct Words {
    /// Glyphs by face, script and word.
    shaped: HashMap<Shelf, HashMap<Box<str>, Rc<[Glyph]>>>,
    shaped_count: usize,
    /// Hashes of the words seen once: a word is kept when it comes again,
    /// so the certificate numbers and URLs, new on every page, are not.
    seen: HashSet<u64>,
}

thread_local! {
    static WORDS: RefCell<Words> = RefCell::new(Words::default());
}

/// Whether `piece` can be shaped word by word: it has a space to cut at,
/// and no combining mark or invisible control (a mark after a space
/// belongs to it; a joiner steers the characters around it).
pub(crate) fn splittable(piece: &str) -> bool {
    piece.contains(' ')
        && !piece
            .chars()
            .any(|c| !c.is_ascii() && (is_combining_mark(c) || is_invisible_control(c)))
}

/// The glyphs of left-to-right `piece` in `loaded`, whose space is inert:
/// each space-separated word (and each space) shaped by `shape_word` once
/// per thread and script, then laid end to end.
pub(crate) fn shape(
    loaded: &LoadedFace,
    piece: &str,
    script: rustybuzz::Script,
    shape_word: impl Fn(&str) -> Vec<Glyph>,
) -> Vec<Glyph> {
    let key: Shelf = (loaded.face, script.tag().to_bytes());
    WORDS.with(|cell| {
        let cache = &mut *cell.borrow_mut();
        let mut glyphs = Vec::with_capacity(piece.len());
        let mut rest = piece;
        while !rest.is_empty() {
            let end = match rest.find(' ') {
                Some(0) => 1,
                Some(at) => at,
                None => rest.len(),
            };
            let (word, after) = rest.split_at(end);
            rest = after;
            if let Some(shaped) = cache.shaped.get(&key).and_then(|words| words.get(word)) {
                glyphs.extend_from_slice(shaped);
                continue;
            }
            let shaped = shape_word(word);
            glyphs.extend_from_slice(&shaped);
            if cache.seen.len() >= SEEN_KEPT {
                cache.seen.clear();
            }
            if !cache.seen.insert(hash_of(&key, word)) {
                if cache.shaped_count >= WORDS_KEPT {
                    cache.shaped.clear();
                    cache.shaped_count = 0;
                }
                let words = cache.shaped.entry(key).or_default();
                words.insert(word.into(), shaped.into());
                cache.shaped_count += 1;
            }
        }
        glyphs
    })
}

fn hash_of(key: &Shelf, word: &str) -> u64 {
    foldhash::fast::FixedState::default().hash_one((key, word))
}
