//! Archival conformance of what taller writes, checked with an independent
//! validator: `page` (PyPI `page-validation`, installed by `.ci/run`), run
//! through `python3` on the files the binary wrote. A failing test prints
//! the rules the validator found broken, file by file.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{
    certificate_workshop, fixture, pdf_pages_text, pdf_text_shows, run_dir, taller, temp_dir,
};

/// Validates every file with `page` and the given profile (`"2b"` is
/// PDF/A-2b) and returns one line per failed rule: `file: RULE-ID message`.
/// Empty when every file conforms.
pub fn failed_rules(profile: &str, files: &[PathBuf]) -> Vec<String> {
    const SCRIPT: &str = r#"
import sys
try:
    import page
except ImportError:
    sys.exit("the PDF validator is missing: python3 -m pip install page-validation")
profile = sys.argv[1]
for path in sys.argv[2:]:
    report = page.validate_pdf(path, profile=profile)
    for failure in report.failures:
        print(f"{path}: {failure.rule_id} {failure.message}".replace("\n", " "))
"#;
    assert!(!files.is_empty(), "no file to validate");
    let output = Command::new("python3")
        .arg("-c")
        .arg(SCRIPT)
        .arg(profile)
        .args(files)
        .output()
        .expect("python3 runs (the validator is a Python package)");
    assert!(
        output.status.success(),
        "the validator did not run: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Asserts that every file passes PDF/A-2b, listing the failed rules if not.
#[track_caller]
fn assert_pdfa_2b(files: &[PathBuf]) {
    let failures = failed_rules("2b", files);
    assert!(
        failures.is_empty(),
        "not PDF/A-2b:\n{}",
        failures.join("\n")
    );
}

/// The PDFs directly in `folder`, in name order.
fn pdfs_in(folder: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", folder.display()))
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "pdf"))
        .collect();
    files.sort();
    files
}

/// The bundled example programme's workshops, as `taller run` lays them out.
const EXAMPLE_WORKSHOPS: [&str; 3] = ["mad-2016-01", "sev-2016-01", "bio-2016-06"];

#[test]
fn the_bundled_runs_certificates_and_report_are_pdfa_2b() {
    let dir = temp_dir();
    taller(dir.path(), &["run", "-o", "out"]).expect_code(0);
    let out = dir.path().join("out");
    let mut files = Vec::new();
    for workshop in EXAMPLE_WORKSHOPS {
        let certificates = pdfs_in(&out.join(workshop).join("certificates"));
        assert!(!certificates.is_empty(), "no certificates in {workshop}");
        files.extend(certificates);
        files.push(out.join(workshop).join("certificates.pdf"));
    }
    assert!(files.len() > 30, "{} certificates", files.len());
    // The programme's report is written by the same PDF core.
    files.push(out.join("report/report.pdf"));
    assert_pdfa_2b(&files);
}

#[test]
fn arabic_greek_and_a_background_image_stay_pdfa_2b() {
    let dir = run_dir();
    let roster = fixture("certificates/roster.csv");
    // The default layout (with its QR code) and the letter layout with a
    // background picture and a logo.
    for (workshop, out, merged) in [
        ("workshop.toml", "a4", "a4.pdf"),
        ("letter-workshop.toml", "letter", "letter.pdf"),
    ] {
        let workshop = certificate_workshop(dir.path(), workshop);
        taller(
            dir.path(),
            &[
                "certificates",
                "--roster",
                roster.to_str().expect("utf-8"),
                "--workshop",
                workshop.to_str().expect("utf-8"),
                "-o",
                out,
                "--merged",
                merged,
            ],
        )
        // Two names no bundled font shows are reported; the rest is made.
        .expect_code(1);
        let mut files = pdfs_in(&dir.path().join(out));
        files.push(dir.path().join(merged));
        assert_pdfa_2b(&files);
    }
    // The names are still there for a reader, in the merged file too.
    let merged: String = pdf_pages_text(&dir.path().join("a4.pdf")).concat();
    for name in ["Ελένη Παπαδοπούλου", "محمد", "سلمان"] {
        let letters =
            |text: &str| -> String { text.chars().filter(|c| c.is_alphanumeric()).collect() };
        assert!(
            pdf_text_shows(&letters(&merged), &letters(name)),
            "{name} not in the merged file"
        );
    }
}

#[test]
fn the_validator_rejects_a_certificate_without_its_metadata() {
    let dir = temp_dir();
    taller(dir.path(), &["run", "-o", "out"]).expect_code(0);
    let merged = dir.path().join("out/mad-2016-01/certificates.pdf");
    assert_pdfa_2b(std::slice::from_ref(&merged));
    // The catalog's reference to the XMP renamed, byte for byte the same
    // length so every offset still holds: the file no longer says it is
    // PDF/A, and the validator must see it.
    let bytes = std::fs::read(&merged).expect("written");
    let at = bytes
        .windows(10)
        .position(|w| w == b"/Metadata ")
        .expect("the catalog names its metadata");
    let mut broken = bytes.clone();
    broken[at..at + 10].copy_from_slice(b"/Metadatx ");
    let broken_path = dir.path().join("no-xmp.pdf");
    std::fs::write(&broken_path, broken).expect("written");
    let failures = failed_rules("2b", &[broken_path]);
    assert!(
        failures.iter().any(|line| line.contains("METADATA")),
        "{failures:?}"
    );
}
