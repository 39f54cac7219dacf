//! `taller certificates` and `taller verify` on the fixture roster in
//! `tests/fixtures/certificates/`: twelve attendees with names in Latin,
//! Greek, Cyrillic, Vietnamese and Arabic script, one who did not come, two
//! whose names no bundled font can show, and two with hostile names.

use std::path::Path;

use taller_model::{CertificateManifest, ManifestEntry};

use crate::common::{
    certificate_workshop, fixture, pdf_pages_text, run_dir, taller, taller_with_env,
};

/// `taller certificates` for the fixture roster and workshop, into `out/`.
fn make(dir: &Path, extra: &[&str]) -> crate::common::Output {
    let mut args = vec!["-o", "out"];
    args.extend_from_slice(extra);
    certificates(dir, &fixture("certificates/roster.csv"), &args, &[])
}

/// `taller certificates --roster ROSTER` with a copy of the fixture
/// workshop beside `dir` (a `run_dir()`), `extra` arguments and environment
/// variables.
fn certificates(
    dir: &Path,
    roster: &Path,
    extra: &[&str],
    env: &[(&str, &str)],
) -> crate::common::Output {
    let workshop = certificate_workshop(dir, "workshop.toml");
    certificates_for(dir, roster, &workshop, extra, env)
}

/// `taller certificates --roster ROSTER --workshop WORKSHOP` in `dir`.
fn certificates_for(
    dir: &Path,
    roster: &Path,
    workshop: &Path,
    extra: &[&str],
    env: &[(&str, &str)],
) -> crate::common::Output {
    let mut args = vec![
        "certificates",
        "--roster",
        roster.to_str().expect("utf-8 path"),
        "--workshop",
        workshop.to_str().expect("utf-8 path"),
    ];
    args.extend_from_slice(extra);
    taller_with_env(dir, &args, env)
}

/// The manifest entry of the certificate made for `name`.
fn entry<'a>(manifest: &'a CertificateManifest, name: &str) -> &'a ManifestEntry {
    manifest
        .certificates
        .iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("no certificate for {name}"))
}

fn manifest(dir: &Path) -> CertificateManifest {
    let bytes = std::fs::read(dir.join("out/certificates.json")).expect("manifest written");
    serde_json::from_slice(&bytes).expect("manifest parses")
}

/// Letters only: text extraction may split words into runs or add spaces,
/// but every letter of a name must come back, in order.
fn letters(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).collect()
}

#[test]
fn certificates_carry_exact_names_title_city_date_and_id() {
    let dir = run_dir();
    let out = make(dir.path(), &["--merged", "all.pdf"]);
    // Two attendees cannot be printed: the work is done, with exit 1.
    out.expect_code(1);
    let manifest = manifest(dir.path());
    let names: Vec<&str> = manifest
        .certificates
        .iter()
        .map(|e| e.name.as_str())
        .collect();
    for expected in [
        "Ana Ruiz",
        "Maximiliano Fernández de la Cueva y Hernández de Córdoba-Villanueva",
        "Ελένη Παπαδοπούλου",
        "Ольга Кузнецова",
        "Nguyễn Thị Minh Khai",
        "Jordi Puig i Serra",
    ] {
        assert!(names.contains(&expected), "{expected} not in {names:?}");
        let entry = entry(&manifest, expected);
        let pages = pdf_pages_text(&dir.path().join("out").join(&entry.file));
        assert_eq!(pages.len(), 1);
        let page = letters(&pages[0]);
        assert!(
            page.contains(&letters(expected)),
            "{expected} not in {:?}",
            pages[0]
        );
        assert!(page.contains(&letters(entry.certificate_id.as_str())));
        assert!(page.contains("Madrid"));
        assert!(page.contains("CampaigningonTwitter"));
    }
    // Fixed texts follow the attendee's language, else the workshop's (es).
    let text_of = |name: &str| {
        let entry = entry(&manifest, name);
        letters(&pdf_pages_text(&dir.path().join("out").join(&entry.file))[0])
    };
    let ana = text_of("Ana Ruiz");
    assert!(ana.contains("Certificadodeasistencia") && ana.contains("27deenerode2016"));
    assert!(ana.contains("4horas"));
    let olga = text_of("Ольга Кузнецова");
    assert!(olga.contains("Certificateofattendance") && olga.contains("27January2016"));
    assert!(olga.contains("4hours"));
    assert!(text_of("Jordi Puig i Serra").contains("Certificatdassistència"));
    assert!(text_of("Ελένη Παπαδοπούλου").contains("Certificadodeasistencia"));
    // Arabic is drawn right to left, so extraction in drawing order gives
    // each word's letters reversed; the letters are all there.
    let arabic = text_of("محمد بن سلمان");
    for word in ["محمد", "بن", "سلمان"] {
        let reversed: String = word.chars().rev().collect();
        assert!(
            arabic.contains(word) || arabic.contains(&reversed),
            "{word} in {arabic}"
        );
    }

    // The merged PDF: one page per certificate, each face embedded once.
    let merged = std::fs::read(dir.path().join("all.pdf")).expect("merged written");
    assert_eq!(
        pdf_pages_text(&dir.path().join("all.pdf")).len(),
        manifest.certificates.len()
    );
    let font_files = merged.windows(10).filter(|w| w == b"/FontFile2").count();
    assert!((3..=5).contains(&font_files), "{font_files} embedded fonts");
}

#[test]
fn only_attendees_who_came_unless_all() {
    let dir = run_dir();
    make(dir.path(), &[]).expect_code(1);
    let names: Vec<String> = manifest(dir.path())
        .certificates
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert!(!names.contains(&"Pedro Gómez".to_owned()), "{names:?}");
    assert_eq!(names.len(), 9);

    let all = run_dir();
    make(all.path(), &["--all"]).expect_code(1);
    let names: Vec<String> = manifest(all.path())
        .certificates
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert!(names.contains(&"Pedro Gómez".to_owned()), "{names:?}");
}

#[test]
fn unprintable_names_are_reported_by_attendee_and_character() {
    let dir = run_dir();
    let out = make(dir.path(), &[]);
    out.expect_code(1);
    assert!(
        out.stderr.contains("李小龙 (inscripciones.csv:10)"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("'李' (U+674E)"), "{}", out.stderr);
    assert!(out.stderr.contains("'🎉' (U+1F389)"), "{}", out.stderr);
    let files: Vec<String> = manifest(dir.path())
        .certificates
        .into_iter()
        .map(|e| e.file)
        .collect();
    assert!(!files.iter().any(|f| f.contains("zoe")), "{files:?}");
}

#[test]
fn file_names_are_safe_whatever_the_name() {
    let dir = run_dir();
    make(dir.path(), &[]).expect_code(1);
    let manifest = manifest(dir.path());
    for entry in &manifest.certificates {
        let file = &entry.file;
        assert!(file.starts_with(entry.certificate_id.as_str()), "{file}");
        assert!(file.ends_with(".pdf"));
        assert!(
            !file.contains(['/', '\\', ':', '*', '?', '"', '<', '>', '|']),
            "{file}"
        );
        assert!(!file.contains(".."), "{file}");
        assert!(dir.path().join("out").join(file).is_file(), "{file}");
    }
    let passwd = entry(&manifest, "../../etc/passwd");
    assert!(passwd.file.ends_with("-etc-passwd.pdf"), "{}", passwd.file);
    let con = entry(&manifest, "CON");
    assert!(con.file.ends_with("-con.pdf"), "{}", con.file);
    // Nothing was written outside the output folder.
    assert!(!dir.path().join("etc").exists());
}

#[test]
fn outputs_are_not_replaced_without_force() {
    let dir = run_dir();
    make(dir.path(), &[]).expect_code(1);
    let again = make(dir.path(), &[]);
    again.expect_code(2);
    assert!(
        again.stderr.contains("already exists; use --force"),
        "{}",
        again.stderr
    );
    make(dir.path(), &["--force"]).expect_code(1);
}

#[test]
fn verify_accepts_the_untouched_file_and_rejects_a_modified_byte() {
    let dir = run_dir();
    make(dir.path(), &[]).expect_code(1);
    let manifest = manifest(dir.path());
    let entry = entry(&manifest, "Ana Ruiz");
    let path = dir.path().join("out").join(&entry.file);
    let path_text = path.to_str().expect("utf-8 path");

    let ok = taller(dir.path(), &["verify", path_text]);
    ok.expect_code(0);
    assert!(ok.stdout.starts_with("valid:"), "{}", ok.stdout);
    assert!(ok.stdout.contains(entry.certificate_id.as_str()));
    assert!(
        ok.stdout.contains("issued to Ana Ruiz on "),
        "{}",
        ok.stdout
    );

    let mut bytes = std::fs::read(&path).expect("certificate");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&path, &bytes).expect("tampered");
    let bad = taller(dir.path(), &["verify", path_text]);
    bad.expect_code(1);
    assert!(
        bad.stdout.contains("NOT VALID") && bad.stdout.contains("modified"),
        "{}",
        bad.stdout
    );

    let stranger = dir.path().join("stranger.pdf");
    std::fs::write(&stranger, b"%PDF-1.7 not ours").expect("written");
    let manifest_path = dir.path().join("out/certificates.json");
    let unknown = taller(
        dir.path(),
        &[
            "verify",
            stranger.to_str().expect("utf-8"),
            "--manifest",
            manifest_path.to_str().expect("utf-8"),
        ],
    );
    unknown.expect_code(1);
    assert!(
        unknown.stdout.contains("not a certificate listed"),
        "{}",
        unknown.stdout
    );
}

#[test]
fn a_missing_roster_is_an_error_naming_it() {
    let dir = run_dir();
    let out = certificates(dir.path(), Path::new("nope.csv"), &[], &[]);
    out.expect_code(2);
    assert!(out.stderr.contains("nope.csv"), "{}", out.stderr);
}

#[test]
fn every_text_starts_inside_the_page() {
    use printpdf::{Op, TextMatrix};
    let dir = run_dir();
    make(dir.path(), &["--merged", "all.pdf"]).expect_code(1);
    let bytes = std::fs::read(dir.path().join("all.pdf")).expect("merged written");
    let mut warnings = Vec::new();
    let doc =
        printpdf::PdfDocument::parse(&bytes, &printpdf::PdfParseOptions::default(), &mut warnings)
            .expect("parses");
    let mut positions = 0;
    for page in &doc.pages {
        let (width, height) = (page.media_box.width.0, page.media_box.height.0);
        assert!(
            (width - 841.89).abs() < 0.1 && (height - 595.28).abs() < 0.1,
            "A4 landscape"
        );
        for op in &page.ops {
            let (x, y) = match op {
                Op::SetTextCursor { pos } => (pos.x.0, pos.y.0),
                Op::SetTextMatrix {
                    matrix: TextMatrix::Translate(x, y),
                } => (x.0, y.0),
                Op::SetTextMatrix {
                    matrix: TextMatrix::Raw(m),
                } => (m[4], m[5]),
                _ => continue,
            };
            positions += 1;
            // Inside the frame, not just the page.
            assert!((20.0..width - 20.0).contains(&x), "x = {x}");
            assert!((20.0..height - 20.0).contains(&y), "y = {y}");
        }
    }
    assert!(positions >= 9 * 8, "{positions} text positions found");
}

#[test]
fn letter_paper_custom_layout_background_and_logo() {
    let dir = run_dir();
    let roster = fixture("certificates/roster.csv");
    let workshop = certificate_workshop(dir.path(), "letter-workshop.toml");
    let out = certificates_for(dir.path(), &roster, &workshop, &["-o", "out"], &[]);
    out.expect_code(1);
    let manifest = manifest(dir.path());
    let olga = entry(&manifest, "Ольга Кузнецова");
    let path = dir.path().join("out").join(&olga.file);
    // The layout file named in the workshop, not the default one.
    let text = letters(&pdf_pages_text(&path)[0]);
    assert!(text.contains("Certificateofparticipation"), "{text}");
    assert!(text.contains("1hour") && !text.contains("1hours"), "{text}");
    let bytes = std::fs::read(&path).expect("certificate");
    let mut warnings = Vec::new();
    let doc =
        printpdf::PdfDocument::parse(&bytes, &printpdf::PdfParseOptions::default(), &mut warnings)
            .expect("parses");
    let media = &doc.pages[0].media_box;
    assert!((media.width.0 - 792.0).abs() < 0.5 && (media.height.0 - 612.0).abs() < 0.5);
    // Background and logo are both there, compressed.
    let images = bytes.windows(14).filter(|w| w == b"/Subtype/Image").count();
    assert_eq!(images, 2, "background and logo");
    assert!(bytes.len() < 40_000, "{} bytes", bytes.len());
}

#[test]
fn an_empty_roster_makes_no_empty_pdf() {
    let dir = run_dir();
    let header = roster_header();
    std::fs::write(dir.path().join("empty.csv"), format!("{header}\n")).expect("written");
    let out = certificates(
        dir.path(),
        Path::new("empty.csv"),
        &["--merged", "all.pdf"],
        &[],
    );
    out.expect_code(0);
    assert!(
        out.stderr.contains("the roster has no attendees"),
        "{}",
        out.stderr
    );
    assert!(!dir.path().join("all.pdf").exists());
    let manifest: CertificateManifest = serde_json::from_slice(
        &std::fs::read(dir.path().join("certificates/certificates.json")).expect("manifest"),
    )
    .expect("parses");
    assert!(manifest.certificates.is_empty());
}

/// The header row of the fixture roster.
fn roster_header() -> String {
    std::fs::read_to_string(fixture("certificates/roster.csv"))
        .expect("fixture")
        .lines()
        .next()
        .expect("header")
        .to_owned()
}

/// A roster of `count` attendees with distinct names in several scripts
/// (the number keeps them apart), all of whom came.
fn big_roster(dir: &Path, count: usize) -> std::path::PathBuf {
    const GIVEN: [&str; 6] = ["Ana", "Ελένη", "Ольга", "Nguyễn Thị", "Zoë", "Jordi"];
    const FAMILY: [&str; 5] = [
        "Ruiz",
        "Παπαδοπούλου",
        "Кузнецова",
        "Łukasiewicz",
        "O'Brien",
    ];
    let header = roster_header();
    let mut csv = header + "\n";
    for i in 0..count {
        let given = GIVEN[i % GIVEN.len()];
        let family = format!("{} {i}", FAMILY[i % FAMILY.len()]);
        let language = ["es", "en", "ca", ""][i % 4];
        csv.push_str(&format!(
            "a-big{i:05},{given},{family},{given} {family},person{i}@example.org,,,,,,,{language},yes,yes,,big.csv:{}\n",
            i + 2
        ));
    }
    let path = dir.join("big.csv");
    std::fs::write(&path, csv).expect("roster written");
    path
}

/// Runs `taller certificates` with a fixed SOURCE_DATE_EPOCH, so that two
/// runs on the same input can be compared byte for byte.
fn certificates_at_fixed_date(dir: &Path, roster: &Path, extra: &[&str]) -> crate::common::Output {
    certificates(dir, roster, extra, &[("SOURCE_DATE_EPOCH", "1453881600")])
}

#[test]
fn a_merged_pdf_of_hundreds_of_pages_reads_back_page_by_page() {
    let dir = run_dir();
    let roster = big_roster(dir.path(), 300);
    certificates_at_fixed_date(dir.path(), &roster, &["-o", "out", "--merged", "all.pdf"])
        .expect_code(0);
    let manifest = manifest(dir.path());
    assert_eq!(manifest.certificates.len(), 300);
    let pages = pdf_pages_text(&dir.path().join("all.pdf"));
    assert_eq!(pages.len(), 300);
    // Page n is the n-th certificate of the manifest: its name and number,
    // and the texts every page shares (stored once in the file).
    for (page, entry) in pages.iter().zip(&manifest.certificates) {
        let page = letters(page);
        assert!(
            page.contains(&letters(&entry.name)),
            "{} not in {page}",
            entry.name
        );
        assert!(
            page.contains(&letters(entry.certificate_id.as_str())),
            "{page}"
        );
        assert!(page.contains("CampaigningonTwitter"), "{page}");
        assert!(page.contains("LucíaMartínOrtega"), "{page}");
    }
    let merged = std::fs::read(dir.path().join("all.pdf")).expect("merged written");
    // Sans, Serif, Serif Italic: each embedded once for 300 pages.
    let font_files = merged.windows(10).filter(|w| w == b"/FontFile2").count();
    assert!((3..=4).contains(&font_files), "{font_files} embedded fonts");
    // Drawing common to pages is stored once: far less than a whole
    // certificate (about 15 KB) per page.
    assert!(merged.len() < 300 * 1_000, "{} bytes", merged.len());
    // The same page read from the person's own file.
    let first = &manifest.certificates[0];
    let own = pdf_pages_text(&dir.path().join("out").join(&first.file));
    assert_eq!(letters(&own[0]), letters(&pages[0]));
}

#[test]
fn certificates_are_byte_identical_on_rerun() {
    let dir = run_dir();
    let roster = big_roster(dir.path(), 40);
    for run in ["one", "two"] {
        certificates_at_fixed_date(
            dir.path(),
            &roster,
            &["-o", run, "--merged", &format!("{run}.pdf")],
        )
        .expect_code(0);
    }
    let read = |name: &str| std::fs::read(dir.path().join(name)).expect("written");
    assert!(read("one.pdf") == read("two.pdf"), "merged PDFs differ");
    let entries = manifest_at(&dir.path().join("one"));
    for entry in &entries.certificates {
        assert!(
            read(&format!("one/{}", entry.file)) == read(&format!("two/{}", entry.file)),
            "{} differs",
            entry.file
        );
    }
}

fn manifest_at(out: &Path) -> CertificateManifest {
    let bytes = std::fs::read(out.join("certificates.json")).expect("manifest written");
    serde_json::from_slice(&bytes).expect("manifest parses")
}

#[test]
fn merged_only_writes_one_pdf_and_nothing_else() {
    let dir = run_dir();
    let out = make_merged_only(dir.path(), &["--merged", "all.pdf", "--merged-only"]);
    // The two unprintable names are still reported, with exit 1.
    out.expect_code(1);
    assert!(out.stderr.contains("'李' (U+674E)"), "{}", out.stderr);
    assert!(
        out.stderr.contains("9 certificates written to all.pdf"),
        "{}",
        out.stderr
    );
    let pages = pdf_pages_text(&dir.path().join("all.pdf"));
    assert_eq!(pages.len(), 9);
    assert!(letters(&pages[0]).contains("AnaRuiz"), "{}", pages[0]);
    assert!(!dir.path().join("certificates").exists());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        leftovers,
        vec!["all.pdf".to_owned()],
        "no temporary file left"
    );
    // Without --merged there is nothing to write.
    make_merged_only(dir.path(), &["--merged-only"]).expect_code(2);
}

fn make_merged_only(dir: &Path, extra: &[&str]) -> crate::common::Output {
    certificates(dir, &fixture("certificates/roster.csv"), extra, &[])
}

#[test]
fn json_summary_says_what_was_made_and_who_got_none() {
    let dir = run_dir();
    let run = make(dir.path(), &["--merged", "all.pdf", "--json", "--quiet"]);
    run.expect_code(1);
    assert!(
        !run.stderr.contains("written to") && !run.stderr.contains("problem:"),
        "--quiet: {}",
        run.stderr
    );
    let summary: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON on stdout");
    let made = manifest(dir.path()).certificates.len();
    assert_eq!(made, 9);
    assert_eq!(summary["made"], made);
    assert_eq!(summary["roster_size"], 12);
    assert_eq!(summary["output"], "out");
    assert_eq!(summary["merged"], "all.pdf");
    assert_eq!(
        summary["manifest"],
        Path::new("out")
            .join("certificates.json")
            .to_str()
            .expect("utf-8")
    );
    let skipped = summary["skipped"].as_array().expect("a list");
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert!(
        skipped
            .iter()
            .any(|s| s.as_str().is_some_and(|s| s.contains("李小龙"))),
        "{skipped:?}"
    );
    let not_issued = summary["not_issued"].as_array().expect("a list");
    assert_eq!(not_issued.len(), 1, "{not_issued:?}");
    assert!(
        not_issued[0]
            .as_str()
            .is_some_and(|s| s.contains("Pedro Gómez")),
        "{not_issued:?}"
    );
}

#[test]
fn no_break_spaces_keep_a_name_and_an_organisation_whole_on_one_line() {
    let dir = run_dir();
    let workshop = certificate_workshop(dir.path(), "workshop.toml");
    let folder = workshop.parent().expect("its folder");
    // Boxes too narrow for either text on one line, and no room to shrink:
    // each must wrap, and only at an ordinary space.
    std::fs::write(
        folder.join("nbsp-layout.toml"),
        r#"[page]
width = 297.0
height = 210.0
landscape = true

[[text]]
text = "{{attendee.name}}"
box = [20.0, 30.0, 90.0, 30.0]
face = "serif"
size = 20.0
min_size = 20.0
max_lines = 2

[[text]]
text = "{{attendee.organisation}}"
box = [20.0, 120.0, 80.0, 30.0]
face = "sans"
size = 14.0
min_size = 14.0
max_lines = 2

[texts.en]
title = "Certificate"
"#,
    )
    .expect("layout written");
    let settings = std::fs::read_to_string(&workshop).expect("workshop");
    std::fs::write(&workshop, settings + "layout = \"nbsp-layout.toml\"\n").expect("written");
    // U+00A0 in the name, U+202F in the organisation.
    let name = "Ana Isabel Fernández\u{a0}de\u{a0}la\u{a0}Cueva";
    let organisation = "Asociación de Vecinos San\u{202f}Juan\u{202f}de\u{202f}Dios";
    let roster = dir.path().join("roster.csv");
    std::fs::write(
        &roster,
        format!(
            "{}\na-nbsp000001,Ana Isabel,Fernández\u{a0}de\u{a0}la\u{a0}Cueva,{name},ana@example.org,{organisation},,,Madrid,,,es,yes,yes,,inscripciones.csv:2\n",
            roster_header()
        ),
    )
    .expect("roster written");
    certificates_for(dir.path(), &roster, &workshop, &["-o", "out"], &[]).expect_code(0);
    let manifest = manifest(dir.path());
    let ana = entry(&manifest, name);
    let text = crate::common::pdftotext(&dir.path().join("out").join(&ana.file));
    let lines: Vec<String> = text
        .lines()
        .map(|line| line.replace(['\u{a0}', '\u{202f}'], " ").trim().to_owned())
        .filter(|line| !line.is_empty())
        .collect();
    for line in [
        "Ana Isabel",
        "Fernández de la Cueva",
        "Asociación de Vecinos",
        "San Juan de Dios",
    ] {
        assert!(lines.iter().any(|l| l == line), "{line:?} in {lines:?}");
    }
}
