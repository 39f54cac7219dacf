//! Archival conformance of what taller writes, checked with an independent
//! validator: `page` (PyPI `page-validation`, installed by `.ci/run`), run
//! through `python3` on the files the binary wrote. A failing test prints
//! the rules the validator found broken, file by file.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{
    certificate_workshop, copy_fixtures, fixture, one_line, pdf_pages_text, pdf_text_shows,
    pdftotext, run_dir, taller, temp_dir,
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

/// Asserts that every file passes PDF/UA-1 and PDF/A-2a (the archival
/// level that comes with a tagged file), listing the failed rules if not.
#[track_caller]
fn assert_pdfua_1(files: &[PathBuf]) {
    let mut failures = failed_rules("ua1", files);
    failures.extend(failed_rules("2a", files));
    assert!(
        failures.is_empty(),
        "not PDF/UA-1 and PDF/A-2a:\n{}",
        failures.join("\n")
    );
}

/// The structure tree in reading order: each element's role, with a
/// figure's alternative text (`Figure: text`), a header cell's scope
/// (`TH: Column`) and a language other than the document's (`TD (el)`).
fn structure(path: &Path) -> Vec<String> {
    fn walk(doc: &lopdf::Document, object: &lopdf::Object, out: &mut Vec<String>, depth: usize) {
        assert!(depth < 64, "structure tree too deep");
        let resolved = match object {
            lopdf::Object::Reference(id) => doc.get_object(*id).expect("element exists"),
            other => other,
        };
        match resolved {
            lopdf::Object::Array(kids) => {
                for kid in kids {
                    walk(doc, kid, out, depth + 1);
                }
            }
            lopdf::Object::Dictionary(element) => {
                let Ok(role) = element.get(b"S").and_then(lopdf::Object::as_name) else {
                    return; // a marked-content or object reference
                };
                let mut entry = String::from_utf8_lossy(role).into_owned();
                if let Ok(alt) = element.get(b"Alt") {
                    let alt = lopdf::decode_text_string(alt).expect("a text string");
                    entry = format!("{entry}: {alt}");
                }
                if let Ok(attributes) = element.get(b"A").and_then(lopdf::Object::as_dict)
                    && let Ok(scope) = attributes.get(b"Scope").and_then(lopdf::Object::as_name)
                {
                    entry = format!("{entry}: {}", String::from_utf8_lossy(scope));
                }
                if let Ok(language) = element.get(b"Lang") {
                    let language = lopdf::decode_text_string(language).expect("a text string");
                    entry = format!("{entry} ({language})");
                }
                out.push(entry);
                if let Ok(kids) = element.get(b"K") {
                    walk(doc, kids, out, depth + 1);
                }
            }
            _ => {}
        }
    }
    let doc = lopdf::Document::load(path).expect("lopdf reads it");
    let root = doc
        .catalog()
        .and_then(|catalog| catalog.get(b"StructTreeRoot"))
        .and_then(lopdf::Object::as_reference)
        .and_then(|id| doc.get_dictionary(id))
        .expect("a structure tree");
    let mut out = Vec::new();
    walk(&doc, root.get(b"K").expect("a root element"), &mut out, 0);
    out
}

/// A folder with the handout fixtures' workshop (and its logo) and roster.
fn handout_folder() -> tempfile::TempDir {
    let dir = crate::common::folder_with_fixtures("handouts", &["workshop.toml", "roster.csv"]);
    std::fs::create_dir(dir.path().join("img")).expect("created");
    std::fs::copy(
        fixture("handouts/img/logo.png"),
        dir.path().join("img/logo.png"),
    )
    .expect("copied");
    dir
}

#[test]
fn the_bundled_runs_handouts_signin_sheets_and_badges_are_pdfua_1() {
    let dir = temp_dir();
    taller(dir.path(), &["run", "-o", "out"]).expect_code(0);
    let out = dir.path().join("out");
    let mut files = Vec::new();
    for workshop in EXAMPLE_WORKSHOPS {
        let folder = out.join(workshop);
        files.push(folder.join("signin.pdf"));
        files.push(folder.join("badges.pdf"));
        let handouts = folder.join("handouts");
        if handouts.is_dir() {
            files.extend(pdfs_in(&handouts));
        }
    }
    let handouts = files
        .iter()
        .filter(|f| !f.ends_with("signin.pdf") && !f.ends_with("badges.pdf"))
        .count();
    assert!(handouts >= 2, "{files:?}");
    assert_pdfua_1(&files);
    // The sheet still reads in order: the table's header, then the rows.
    let sheet = one_line(&pdftotext(&out.join("mad-2016-01/signin.pdf")));
    let at = |needle: &str| {
        sheet
            .find(needle)
            .unwrap_or_else(|| panic!("{needle} not in {sheet}"))
    };
    assert!(at("Nombre") < at("Laura Benítez Lozano"), "{sheet}");
    assert!(
        at("Laura Benítez Lozano") < at("Xoán Carballo Pereira"),
        "{sheet}"
    );
    assert!(
        at("Xoán Carballo Pereira") < at("Ольга Петренко"),
        "{sheet}"
    );
}

#[test]
fn greek_and_arabic_names_and_a_rich_handout_are_pdfua_1() {
    let dir = handout_folder();
    std::fs::write(
        dir.path().join("roster.csv"),
        "id,given_name,family_name,full_name,email,organisation,role,cause,city,twitter,phone,language,consent,attended,certificate_id,source\n\
         a-1,Ελένη,Παπαδοπούλου,Ελένη Παπαδοπούλου,eleni@example.org,Ένωση Πολιτών,,,,,,el,yes,,,r.csv:2\n\
         a-2,,,محمد بن سلمان,mohamed@example.org,جمعية الشباب,,,,,,ar,yes,,,r.csv:3\n\
         a-3,Ana,Ruiz,Ana Ruiz,ana@example.org,Fundación <Ávila> & Co,,,,,,es,yes,,,r.csv:4\n",
    )
    .expect("written");
    std::fs::write(
        dir.path().join("guide.md"),
        "# Guía\n\nUn párrafo.\n\n### Detalle\n\nOtro párrafo.\n\n## Pasos\n\n\
         - Primero\n- Segundo con [la guía](https://example.org/guia)\n\n\
         ### Cierre\n\n![Logo de la red](img/logo.png)\n\n![](img/logo.png)\n",
    )
    .expect("written");
    taller(
        dir.path(),
        &[
            "signin",
            "--roster",
            "roster.csv",
            "--workshop",
            "workshop.toml",
            "-o",
            "signin.pdf",
        ],
    )
    .expect_code(0);
    let handout = taller(
        dir.path(),
        &[
            "handout",
            "guide.md",
            "--workshop",
            "workshop.toml",
            "-o",
            "guide.pdf",
        ],
    );
    handout.expect_code(0);
    // The picture without a description is named, with what to write.
    let stderr = &handout.stderr;
    assert!(
        stderr.contains("line 18") && stderr.contains("![what it shows](img/logo.png)"),
        "{stderr}"
    );
    let signin = dir.path().join("signin.pdf");
    let guide = dir.path().join("guide.pdf");
    assert_pdfua_1(&[signin.clone(), guide.clone()]);

    // The sheet: a heading, then a table with a header row and a row per
    // attendee (blank rows for walk-ins are decoration).
    let tree = structure(&signin);
    assert_eq!(tree[0], "Document");
    assert_eq!(tree[1], "H1");
    let table = tree.iter().position(|e| e == "Table").expect("a table");
    assert_eq!(
        tree[table + 1..table + 6],
        ["TR", "TH: Column", "TH: Column", "TH: Column", "TH: Column"]
    );
    assert_eq!(tree.iter().filter(|e| *e == "TR").count(), 1 + 3);
    assert_eq!(tree.iter().filter(|e| e.starts_with("TD")).count(), 3 * 4);
    // Greek and Arabic names and organisations in their own language.
    assert_eq!(
        tree.iter().filter(|e| *e == "TD (el)").count(),
        2,
        "{tree:?}"
    );
    assert_eq!(
        tree.iter().filter(|e| *e == "TD (ar)").count(),
        2,
        "{tree:?}"
    );
    let text = one_line(&pdftotext(&signin));
    for name in [
        "Ελένη Παπαδοπούλου",
        "Fundación <Ávila> & Co",
        "Ένωση Πολιτών",
    ] {
        assert!(text.contains(name), "{name} not in {text}");
    }
    let letters = |text: &str| -> String { text.chars().filter(|c| c.is_alphanumeric()).collect() };
    assert!(
        pdf_text_shows(&letters(&text), &letters("محمد بن سلمان")),
        "{text}"
    );

    // The handout: headings without gaps (### after # is an H2), the
    // list's items with their labels, the link inside its item, and the
    // described picture as a figure; the other is decoration.
    let tree = structure(&guide);
    let headings: Vec<&str> = tree
        .iter()
        .map(String::as_str)
        .filter(|e| e.starts_with('H'))
        .collect();
    assert_eq!(headings, ["H1", "H2", "H2", "H3"], "{tree:?}");
    let list = tree.iter().position(|e| e.starts_with('L') && e.len() == 1);
    let list = list.expect("a list");
    assert_eq!(
        tree[list..list + 9],
        ["L", "LI", "Lbl", "LBody", "P", "LI", "Lbl", "LBody", "P"],
        "{tree:?}"
    );
    assert_eq!(tree[list + 9], "Link", "{tree:?}");
    let figures: Vec<&String> = tree.iter().filter(|e| e.starts_with("Figure")).collect();
    assert_eq!(figures, ["Figure: Logo de la red"], "{tree:?}");
    // pdftotext reads the text in the order written.
    let text = one_line(&pdftotext(&guide));
    let order: Vec<usize> = [
        "Guía",
        "Un párrafo",
        "Detalle",
        "Pasos",
        "Primero",
        "la guía",
        "Cierre",
    ]
    .iter()
    .map(|needle| {
        text.find(needle)
            .unwrap_or_else(|| panic!("{needle} not in {text}"))
    })
    .collect();
    assert!(order.windows(2).all(|pair| pair[0] < pair[1]), "{text}");
}

#[test]
fn the_validator_rejects_a_sheet_without_its_structure_tree() {
    let dir = handout_folder();
    taller(
        dir.path(),
        &[
            "signin",
            "--roster",
            "roster.csv",
            "--workshop",
            "workshop.toml",
            "-o",
            "signin.pdf",
        ],
    )
    .expect_code(0);
    let sheet = dir.path().join("signin.pdf");
    assert_pdfua_1(std::slice::from_ref(&sheet));
    // The catalog's reference to the tree renamed, the same length so every
    // offset holds: the file has no structure tree any more.
    let bytes = std::fs::read(&sheet).expect("written");
    let at = bytes
        .windows(16)
        .position(|w| w == b"/StructTreeRoot ")
        .expect("the catalog names its structure tree");
    let mut broken = bytes.clone();
    broken[at..at + 16].copy_from_slice(b"/StructTreeRoox ");
    let broken_path = dir.path().join("untagged.pdf");
    std::fs::write(&broken_path, broken).expect("written");
    let failures = failed_rules("ua1", &[broken_path]);
    assert!(
        !failures.is_empty(),
        "the validator passed an untagged file"
    );
}

/// The roster of the PDF/UA tests: a Greek, an Arabic and a Spanish name.
const THREE_SCRIPTS_ROSTER: &str = "id,given_name,family_name,full_name,email,organisation,role,cause,city,twitter,phone,language,consent,attended,certificate_id,source\n\
     a-1,Ελένη,Παπαδοπούλου,Ελένη Παπαδοπούλου,eleni@example.org,Ένωση Πολιτών,,,,,,el,yes,yes,,r.csv:2\n\
     a-2,,,محمد بن سلمان,mohamed@example.org,جمعية الشباب,,,,,,ar,yes,yes,,r.csv:3\n\
     a-3,Ana,Ruiz,Ana Ruiz,ana@example.org,Fundación <Ávila> & Co,,,,ana_r,,es,yes,yes,,r.csv:4\n";

#[test]
fn badges_with_greek_and_arabic_names_and_any_logo_are_pdfua_1() {
    let dir = handout_folder();
    copy_fixtures(
        "badges",
        &["logo-alpha.png", "logo.jpg"],
        &dir.path().join("img"),
    );
    std::fs::write(dir.path().join("roster.csv"), THREE_SCRIPTS_ROSTER).expect("written");
    let workshop = std::fs::read_to_string(dir.path().join("workshop.toml")).expect("read");
    // An RGB PNG, a PNG with transparency (a soft mask) and a JPEG (passed
    // through), each on another label format.
    let mut files = Vec::new();
    for (logo, label) in [
        ("img/logo.png", "avery-l7418"),
        ("img/logo-alpha.png", "cut-2x4"),
        ("img/logo.jpg", "avery-l7163"),
    ] {
        let name = format!("{label}.toml");
        std::fs::write(
            dir.path().join(&name),
            workshop.replace("img/logo.png", logo),
        )
        .expect("written");
        let out = format!("{label}.pdf");
        taller(
            dir.path(),
            &[
                "badges",
                "--roster",
                "roster.csv",
                "--workshop",
                &name,
                "--label",
                label,
                "-o",
                &out,
            ],
        )
        .expect_code(0);
        files.push(dir.path().join(out));
    }
    assert_pdfua_1(&files);
    // Level A asks all that level B does: the `2b` profile's only
    // complaint is that the files claim level A.
    let level_b = failed_rules("2b", &files);
    assert!(
        level_b.iter().all(|line| line.contains("ID-CONFORMANCE")),
        "{}",
        level_b.join("\n")
    );
    let alpha = std::fs::read(dir.path().join("cut-2x4.pdf")).expect("written");
    assert!(
        alpha.windows(6).any(|w| w == b"/SMask"),
        "the transparent logo has no soft mask"
    );
    let jpeg = std::fs::read(dir.path().join("avery-l7163.pdf")).expect("written");
    assert!(
        jpeg.windows(10).any(|w| w == b"/DCTDecode"),
        "the JPEG logo was not passed through"
    );

    // Each badge, in the sign-in sheet's order: the logo as a figure, the
    // workshop's title, the name as a heading (Greek and Arabic in their
    // language), the organisation and the handle.
    let tree = structure(&files[0]);
    assert_eq!(tree[0], "Document");
    assert_eq!(
        tree[1..10],
        [
            "Figure: Logotipo del taller",
            "P",
            "H1",
            "P",
            "P",
            "Figure: Logotipo del taller",
            "P",
            "H1 (el)",
            "P (el)"
        ],
        "{tree:?}"
    );
    let headings: Vec<&str> = tree
        .iter()
        .map(String::as_str)
        .filter(|e| e.starts_with('H'))
        .collect();
    assert_eq!(headings, ["H1", "H1 (el)", "H1 (ar)"], "{tree:?}");
    assert_eq!(
        tree.iter().filter(|e| e.starts_with("Figure")).count(),
        3,
        "{tree:?}"
    );
    for file in &files {
        let text = one_line(&pdftotext(file));
        for name in ["Ελένη", "Παπαδοπούλου", "Ana", "Ruiz", "@ana_r"] {
            assert!(text.contains(name), "{name} not in {text}");
        }
        let letters =
            |text: &str| -> String { text.chars().filter(|c| c.is_alphanumeric()).collect() };
        assert!(
            pdf_text_shows(&letters(&text), &letters("محمد بن سلمان")),
            "{text}"
        );
    }
}

#[test]
fn certificates_with_a_transparent_logo_and_a_jpeg_background_are_pdfa_2b() {
    let dir = run_dir();
    let workshop = certificate_workshop(dir.path(), "letter-workshop.toml");
    let folder = workshop.parent().expect("a folder");
    copy_fixtures("badges", &["logo-alpha.png", "logo.jpg"], folder);
    let text = std::fs::read_to_string(&workshop).expect("read");
    std::fs::write(
        &workshop,
        text.replace("\"logo.png\"", "\"logo-alpha.png\"")
            .replace("\"background.png\"", "\"logo.jpg\""),
    )
    .expect("written");
    let roster = dir.path().join("roster.csv");
    std::fs::write(&roster, THREE_SCRIPTS_ROSTER).expect("written");
    taller(
        dir.path(),
        &[
            "certificates",
            "--roster",
            "roster.csv",
            "--workshop",
            workshop.to_str().expect("utf-8"),
            "-o",
            "out",
            "--merged",
            "all.pdf",
        ],
    )
    .expect_code(0);
    let mut files = pdfs_in(&dir.path().join("out"));
    assert_eq!(files.len(), 3, "{files:?}");
    files.push(dir.path().join("all.pdf"));
    assert_pdfa_2b(&files);
    let merged = std::fs::read(dir.path().join("all.pdf")).expect("written");
    for needle in [&b"/SMask"[..], b"/DCTDecode"] {
        assert!(
            merged.windows(needle.len()).any(|w| w == needle),
            "{} missing",
            String::from_utf8_lossy(needle)
        );
    }
}
