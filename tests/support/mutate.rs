//! Seeded byte-level mutation of committed fixtures, shared by the mutation
//! tests of every crate (each includes this file with `#[path]`, so no crate
//! needs a dependency for it). The same seed always gives the same mutants,
//! so a failure names the fixture and mutant number that reproduce it.

#![allow(dead_code)]

use std::fmt::Display;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use proptest::prelude::Rng as _;
use proptest::test_runner::{RngAlgorithm, TestRng};

/// The seed of every mutation test: fixed, so CI runs the same mutants.
pub const SEED: u64 = 0x7a11_e220_2016;

/// Bytes that tend to mean something to a parser: delimiters, quotes,
/// line ends, Handlebars and TOML punctuation, NUL, a UTF-8 lead byte, a
/// lone continuation byte, and the zip local-header magic.
const INTERESTING: &[u8] = b"\0\r\n\";,\t{}[]#=\\<>\xC3\x80\xFFPK\x03\x04";

/// proptest's deterministic generator (ChaCha), seeded: the same mutants
/// on every platform, from the RNG the property tests already use.
pub struct Rng(TestRng);

impl Rng {
    /// A generator for this seed (any value, zero included).
    pub fn new(seed: u64) -> Self {
        let mut bytes = [0u8; 32];
        bytes[..8].copy_from_slice(&seed.to_le_bytes());
        Rng(TestRng::from_seed(RngAlgorithm::ChaCha, &bytes))
    }

    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// A number in `0..n`; 0 when `n` is 0.
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn byte(&mut self) -> u8 {
        if self.below(2) == 0 {
            INTERESTING[self.below(INTERESTING.len())]
        } else {
            self.next() as u8
        }
    }
}

/// One to four random edits of `original`: bit flips, byte overwrites,
/// insertions, deletions, a duplicated chunk, or truncation.
pub fn mutate(original: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut bytes = original.to_vec();
    for _ in 0..=rng.below(4) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(6) {
            0 if at < bytes.len() => bytes[at] ^= 1 << rng.below(8),
            1 if at < bytes.len() => bytes[at] = rng.byte(),
            2 => {
                let inserted: Vec<u8> = (0..=rng.below(8)).map(|_| rng.byte()).collect();
                bytes.splice(at..at, inserted);
            }
            3 => {
                let end = (at + 1 + rng.below(16)).min(bytes.len());
                bytes.drain(at.min(end)..end);
            }
            4 => {
                let end = (at + 1 + rng.below(64)).min(bytes.len());
                let chunk = bytes[at.min(end)..end].to_vec();
                bytes.splice(at..at, chunk);
            }
            _ => bytes.truncate(at),
        }
    }
    bytes
}

/// `count` mutants of the file at `path`, from a generator seeded with
/// [`SEED`] and the file's name (each file gets its own mutants). CI runs
/// the fixed few; `MUTATE_SCALE=50 cargo test --test mutation` searches
/// fifty times deeper (the first mutants stay the same).
pub fn mutants(path: &Path, count: usize) -> Vec<Vec<u8>> {
    let scale = std::env::var("MUTATE_SCALE")
        .ok()
        .and_then(|s| s.parse::<usize>().ok())
        .unwrap_or(1)
        .max(1);
    let count = count * scale;
    let original =
        std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let salt = name
        .bytes()
        .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
    let mut rng = Rng::new(SEED ^ salt);
    (0..count).map(|_| mutate(&original, &mut rng)).collect()
}

/// `tests/fixtures/<relative>` and the workspace's other committed inputs:
/// resolved from the repository root.
pub fn repo_file(relative: &str) -> PathBuf {
    // Every crate's manifest is at crates/<name>/Cargo.toml.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(relative)
}

/// Every file directly in the folder `relative` (from the repository root)
/// whose name ends with one of `extensions`, sorted.
pub fn files_in(relative: &str, extensions: &[&str]) -> Vec<PathBuf> {
    let dir = repo_file(relative);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            let name = path.to_string_lossy().to_lowercase();
            extensions.iter().any(|ext| name.ends_with(ext))
        })
        .collect();
    files.sort();
    files
}

/// Runs `read` on mutant `index` of `file`: a panic fails the test with
/// the place to reproduce it; an error must be one readable sentence that
/// passes `names_file` (usually: it contains the file name). Returns
/// whether the reader accepted the mutant.
#[track_caller]
pub fn check<T, E: Display>(
    file: &Path,
    index: usize,
    names_file: impl Fn(&str) -> bool,
    read: impl FnOnce() -> Result<T, E>,
) -> bool {
    let shown = file.display();
    // To find a mutant that hangs or exhausts memory (which no assertion can catch).
    if std::env::var_os("MUTATE_TRACE").is_some() {
        #[allow(clippy::print_stderr)]
        {
            eprintln!("mutant {index} of {shown}");
        }
    }
    match catch_unwind(AssertUnwindSafe(read)) {
        Err(panic) => {
            let why = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("?");
            panic!("mutant {index} of {shown} (seed {SEED:#x}) panicked: {why}")
        }
        Ok(Ok(_)) => true,
        Ok(Err(error)) => {
            let message = error.to_string();
            assert!(
                !message.trim().is_empty(),
                "mutant {index} of {shown}: empty error message"
            );
            assert!(
                names_file(&message),
                "mutant {index} of {shown}: the error does not name the file: {message}"
            );
            assert!(
                !message.contains("panicked"),
                "mutant {index} of {shown}: a contained panic leaks into the message: {message}"
            );
            false
        }
    }
}
