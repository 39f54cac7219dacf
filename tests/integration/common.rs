//! Helpers shared by the end-to-end tests: a fresh folder per test, the built
//! `taller` binary, and reading back what it wrote as a user would see it.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// What a run of `taller` showed the user.
#[derive(Debug)]
pub struct Output {
    /// The exit code (`None` when killed by a signal, which is a failure).
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// Asserts the exit code, showing everything the user saw when it differs.
    #[track_caller]
    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code,
            Some(code),
            "unexpected exit code\nstdout:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
        self
    }
}

/// Runs `taller ARGS…` in `dir`, without a terminal and with a fixed
/// environment.
pub fn taller(dir: &Path, args: &[&str]) -> Output {
    taller_with_env(dir, args, &[])
}

/// [`taller`] with more environment variables (a test cannot set its own:
/// that is `unsafe` in edition 2024).
pub fn taller_with_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_taller"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE")
        .envs(env.iter().copied())
        .output()
        .expect("the taller binary runs");
    Output {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A fresh, empty folder, removed when dropped.
pub fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary folder")
}

/// The repository's root (where `assets/` and `tests/fixtures/` are).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A committed fixture: `tests/fixtures/<relative>`.
pub fn fixture(relative: &str) -> PathBuf {
    repo_root().join("tests/fixtures").join(relative)
}

/// The text of every page of a PDF, as a PDF reader extracts it.
pub fn pdf_pages_text(path: &Path) -> Vec<String> {
    let bytes =
        std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut warnings = Vec::new();
    let document =
        printpdf::PdfDocument::parse(&bytes, &printpdf::PdfParseOptions::default(), &mut warnings)
            .unwrap_or_else(|e| panic!("{} is not a readable PDF: {e}", path.display()));
    document
        .extract_text()
        .into_iter()
        .map(|chunks| chunks.join(""))
        .collect()
}

/// True when extracted PDF text shows `name`. printpdf's extractor returns
/// right-to-left runs (Arabic) in visual order, where pdftotext gives the
/// logical one, so the reversed form is accepted too.
pub fn pdf_text_shows(text: &str, name: &str) -> bool {
    let visual: String = name.chars().rev().collect();
    text.contains(name) || text.contains(&visual)
}

/// The text `pdftotext` (poppler-utils) extracts from a PDF, as a reader's
/// copy and search see it. `.ci/run` installs poppler-utils when missing.
pub fn pdftotext(path: &Path) -> String {
    extracted(
        Command::new("pdftotext")
            .args(["-enc", "UTF-8"])
            .arg(path)
            .arg("-"),
        "pdftotext (apt-get install poppler-utils)",
    )
}

/// The text a second, unrelated extractor gives: MuPDF's `mutool`
/// (`.ci/run` installs mupdf-tools when missing).
pub fn mutool_text(path: &Path) -> String {
    extracted(
        Command::new("mutool")
            .args(["draw", "-q", "-F", "txt", "-o", "-"])
            .arg(path),
        "mutool (apt-get install mupdf-tools)",
    )
}

fn extracted(command: &mut Command, tool: &str) -> String {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {tool}: {e}"));
    assert!(
        output.status.success(),
        "{tool} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("extracted text is UTF-8")
}

/// Extracted text with every run of white space made one space, so that a
/// name wrapped over two lines still reads as the name.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A fresh folder holding copies of the named fixtures of
/// `tests/fixtures/<folder>/`, so that the roster's `source` column shows
/// plain file names.
pub fn folder_with_fixtures(folder: &str, names: &[&str]) -> tempfile::TempDir {
    let dir = temp_dir();
    copy_fixtures(folder, names, dir.path());
    dir
}

/// Copies the named fixtures of `tests/fixtures/<folder>/` into `into`
/// (made if missing).
pub fn copy_fixtures(folder: &str, names: &[&str], into: &Path) {
    std::fs::create_dir_all(into).unwrap_or_else(|e| panic!("{}: {e}", into.display()));
    for name in names {
        std::fs::copy(fixture(&format!("{folder}/{name}")), into.join(name))
            .unwrap_or_else(|e| panic!("cannot copy fixture {name}: {e}"));
    }
}

/// A temporary folder to run taller in, `path()`, with a sibling for the
/// inputs that must stay outside every output folder (a workshop file,
/// beside which taller makes the organiser's signing key).
pub struct RunDir {
    _root: tempfile::TempDir,
    run: PathBuf,
}

impl RunDir {
    /// The folder taller runs in and writes into.
    pub fn path(&self) -> &Path {
        &self.run
    }
}

/// A fresh [`RunDir`].
pub fn run_dir() -> RunDir {
    let root = temp_dir();
    let run = root.path().join("run");
    std::fs::create_dir(&run).unwrap_or_else(|e| panic!("{}: {e}", run.display()));
    RunDir { _root: root, run }
}

/// A copy of the certificate fixtures' workshop file `name` (with the
/// layout, background and logo the Letter one names) beside `dir`, the
/// `path()` of a [`RunDir`]: taller makes the organiser's signing key
/// beside the workshop file, so a test never writes into `tests/fixtures/`
/// nor puts the key inside the folder it writes certificates into.
pub fn certificate_workshop(dir: &Path, name: &str) -> PathBuf {
    assert!(dir.ends_with("run"), "{}: not a run_dir()", dir.display());
    let folder = dir.with_file_name("workshop");
    copy_fixtures(
        "certificates",
        &[name, "custom-layout.toml", "background.png", "logo.png"],
        &folder,
    );
    folder.join(name)
}

/// The roster file at `path`, read back as taller reads it.
pub fn read_roster(path: &Path) -> taller_model::Roster {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    taller_registration::read_roster(&bytes, &path.display().to_string()).expect("a roster")
}

/// The attendee with this email, or a panic showing the roster.
pub fn by_email<'a>(roster: &'a taller_model::Roster, email: &str) -> &'a taller_model::Attendee {
    roster
        .attendees
        .iter()
        .find(|a| a.email == email)
        .unwrap_or_else(|| panic!("{email} is not in the roster: {roster:#?}"))
}

/// `taller import ARGS… -o roster.csv` in `dir`, which must succeed, and
/// the roster it wrote.
pub fn import_roster(dir: &Path, args: &[&str]) -> (Output, taller_model::Roster) {
    let mut all = vec!["import"];
    all.extend(args);
    all.extend(["-o", "roster.csv"]);
    let output = taller(dir, &all);
    output.expect_code(0);
    (output, read_roster(&dir.join("roster.csv")))
}
