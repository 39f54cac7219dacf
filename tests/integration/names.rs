//! Names as people typed them, end to end: split right on import
//! (family-first names, `Apellidos, Nombre`, capitals with `Mª` and
//! initials), printed and addressed as typed on every document, the PDFs'
//! text layer saying the name to two unrelated extractors, and every
//! attendee who gets no message named in `taller run`'s list.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use mail_parser::MessageParser;
use taller_model::{Answer, Attendee, Roster};

use crate::common::{fixture, mutool_text, one_line, pdftotext, repo_root, taller, temp_dir};
use crate::followup::eml_files;

fn read_roster(path: &Path) -> Roster {
    let bytes = fs::read(path).expect("roster written");
    taller_registration::read_roster(&bytes, "roster.csv").expect("a roster")
}

fn by_email(roster: &Roster) -> BTreeMap<String, Attendee> {
    roster
        .attendees
        .iter()
        .map(|a| (a.email.clone(), a.clone()))
        .collect()
}

/// (email, given, family, full name) as the roster must hold them.
const EXPECTED: &[(&str, &str, &str, &str)] = &[
    (
        "nguyen.an@vietsolidaria.org",
        "Văn An",
        "Nguyễn",
        "Nguyễn Văn An",
    ),
    (
        "minhkhai.tran@vietsolidaria.org",
        "Thị Minh Khai",
        "Trần",
        "Trần Thị Minh Khai",
    ),
    (
        "thuha.dang@mediterranea.org",
        "Thu Hà",
        "Đặng",
        "Đặng Thu Hà",
    ),
    (
        "ana.ruiz@ongverde.org",
        "Ana",
        "Ruiz Gallardo",
        "Ana Ruiz Gallardo",
    ),
    (
        "mangeles.perez@acoge.org",
        "Mª Ángeles",
        "Pérez Soto",
        "Mª Ángeles Pérez Soto",
    ),
    (
        "fjgarcia@cear.es",
        "Fco. Javier",
        "García López",
        "Fco. Javier García López",
    ),
    (
        "mcarmen.ruiz@caritas.es",
        "M.ª del Carmen",
        "Ruiz Díaz",
        "M.ª del Carmen Ruiz Díaz",
    ),
    (
        "jramon.ortiz@redacoge.org",
        "J. Ramón",
        "Ortiz",
        "J. Ramón Ortiz",
    ),
];

#[test]
fn one_name_column_is_split_and_cased_and_kept_as_typed() {
    let dir = temp_dir();
    fs::copy(
        fixture("names/inscripciones.csv"),
        dir.path().join("inscripciones.csv"),
    )
    .expect("copy");
    taller(
        dir.path(),
        &["import", "inscripciones.csv", "-o", "roster.csv"],
    )
    .expect_code(0);
    let roster = by_email(&read_roster(&dir.path().join("roster.csv")));
    for (email, given, family, full) in EXPECTED {
        let a = roster
            .get(*email)
            .unwrap_or_else(|| panic!("{email} in the roster"));
        assert_eq!(
            (
                a.given_name.as_str(),
                a.family_name.as_str(),
                a.full_name.as_str()
            ),
            (*given, *family, *full),
            "{email}"
        );
        assert_eq!(a.display_name(), *full);
    }
    // Family-first names the import cannot tell apart from given-first
    // ones are still printed as typed.
    for (email, full) in [
        ("nagy.katalin@menedek.hu", "Nagy Katalin"),
        ("wang.xiaoming@example.cn", "Wang Xiaoming"),
        ("minjun.kim@example.kr", "Kim Min-jun"),
        ("salah@nour.org", "صلاح عبد الله"),
    ] {
        assert_eq!(roster[email].display_name(), full);
    }
    // The list form never stays in the roster's full name.
    let csv = fs::read_to_string(dir.path().join("roster.csv")).expect("csv");
    assert!(!csv.contains("Ruiz Gallardo, Ana"), "{csv}");
}

#[test]
fn separate_name_columns_stay_as_answered() {
    let dir = temp_dir();
    fs::copy(
        fixture("names/columnas.csv"),
        dir.path().join("columnas.csv"),
    )
    .expect("copy");
    taller(dir.path(), &["import", "columnas.csv", "-o", "roster.csv"]).expect_code(0);
    let roster = by_email(&read_roster(&dir.path().join("roster.csv")));
    let parts = |email: &str| {
        let a = &roster[email];
        (a.given_name.clone(), a.family_name.clone())
    };
    assert_eq!(parts("wang@example.cn"), ("小明".into(), "王".into()));
    assert_eq!(
        parts("lan.nguyen@example.vn"),
        ("Thị Lan".into(), "Nguyễn".into())
    );
    assert_eq!(
        parts("mjose@example.es"),
        ("Mª José".into(), "Núñez Ibáñez".into())
    );
}

#[test]
fn chinese_and_korean_names_in_one_column_are_split_family_first() {
    let dir = temp_dir();
    fs::copy(
        fixture("names/nombre-completo.csv"),
        dir.path().join("nombre-completo.csv"),
    )
    .expect("copy");
    taller(
        dir.path(),
        &["import", "nombre-completo.csv", "-o", "roster.csv"],
    )
    .expect_code(0);
    let roster = by_email(&read_roster(&dir.path().join("roster.csv")));
    let parts = |email: &str| {
        let a = &roster[email];
        (
            a.given_name.clone(),
            a.family_name.clone(),
            a.display_name(),
        )
    };
    assert_eq!(
        parts("wang.xm@example.cn"),
        ("小明".into(), "王".into(), "王小明".into())
    );
    assert_eq!(
        parts("kim.mj@example.kr"),
        ("민준".into(), "김".into(), "김민준".into())
    );
    assert_eq!(
        parts("an.nguyen@example.vn"),
        ("Văn An".into(), "Nguyễn".into(), "Nguyễn Văn An".into())
    );
}

/// The bidi controls that must never reach extracted text.
fn has_direction_controls(text: &str) -> bool {
    text.chars()
        .any(|c| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
}

/// pdftotext's text with the one pair of marks poppler itself wraps round
/// every right-to-left stretch of a mostly left-to-right page (RLE before,
/// PDF after, whatever the file holds): what is left is the file's text.
fn without_poppler_embeddings(text: &str) -> String {
    text.replace(['\u{202B}', '\u{202C}'], "")
}

/// `name` as every extractor must give it: as printed, without the
/// direction controls a name pasted from a right-to-left page carries
/// (`Salma`'s in the fixture), which are invisible.
fn as_read(name: &str) -> String {
    name.chars()
        .filter(|&c| !has_direction_controls(&c.to_string()))
        .collect()
}

/// A program that reads a PDF's text.
type Extractor = fn(&Path) -> String;

/// `tool`'s text of `path`, checked for direction controls of the file's
/// own (poppler's wrapping pair aside).
fn extract_checked(tool: &str, extract: Extractor, path: &Path) -> String {
    let raw = extract(path);
    let text = if tool == "pdftotext" {
        without_poppler_embeddings(&raw)
    } else {
        raw
    };
    assert!(
        !has_direction_controls(&text),
        "{tool} on {}: {text:?}",
        path.display()
    );
    one_line(&text)
}

/// Runs `taller run` on the fixture workshop with the bundled example's
/// templates, returning the folder and the `--json` summary.
fn run_names_workshop() -> (tempfile::TempDir, serde_json::Value) {
    let dir = temp_dir();
    for file in ["workshop.toml", "inscripciones.csv"] {
        fs::copy(fixture("names").join(file), dir.path().join(file)).expect("copy");
    }
    let templates = repo_root().join("assets/examples/madrid-2016/templates");
    fs::create_dir_all(dir.path().join("templates")).expect("mkdir");
    for entry in fs::read_dir(&templates).expect("templates") {
        let path = entry.expect("entry").path();
        fs::copy(
            &path,
            dir.path()
                .join("templates")
                .join(path.file_name().expect("name")),
        )
        .expect("copy");
    }
    let out = taller(dir.path(), &["run", "workshop.toml", "-o", "out", "--json"]);
    out.expect_code(0);
    let summary: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON summary");
    (dir, summary)
}

#[test]
fn run_prints_and_addresses_names_as_typed_and_names_everyone_left_out() {
    let (dir, summary) = run_names_workshop();
    let out = dir.path().join("out");
    let roster = read_roster(&out.join("roster.csv"));
    assert_eq!(roster.attendees.len(), 14);
    let attention: Vec<String> = summary["attention"]
        .as_array()
        .expect("attention list")
        .iter()
        .map(|line| line.as_str().expect("text").to_owned())
        .collect();

    // Messages, parsed as a mail client would: addressed with the name as
    // typed, greeting by the given name, never by a family name.
    let mut written_to = BTreeMap::new();
    for path in eml_files(&out.join("outbox")) {
        let bytes = fs::read(&path).expect("eml");
        let message = MessageParser::default().parse(&bytes).expect("a message");
        let to = message.to().and_then(|to| to.first()).expect("To");
        let email = to.address().expect("address").to_owned();
        let body = message.body_text(0).expect("text body").into_owned();
        written_to.insert(email, (to.name().unwrap_or_default().to_owned(), body));
    }
    assert_eq!(summary["messages"].as_u64(), Some(written_to.len() as u64));
    let (name, body) = &written_to["nguyen.an@vietsolidaria.org"];
    assert_eq!(name, "Nguyễn Văn An");
    assert!(body.contains("Hola, Văn An:"), "{body}");
    assert!(!body.contains("Hola, Nguyễn"), "{body}");
    assert_eq!(written_to["ana.ruiz@ongverde.org"].0, "Ana Ruiz Gallardo");
    assert_eq!(written_to["salah@nour.org"].0, "صلاح عبد الله");
    assert_eq!(written_to["nagy.katalin@menedek.hu"].0, "Nagy Katalin");

    // Nobody lost without a word: everyone without a message is named in
    // the list, with the reason.
    let mut listed = 0;
    for attendee in &roster.attendees {
        if written_to.contains_key(&attendee.email) {
            continue;
        }
        let name = attendee.display_name();
        let line = attention
            .iter()
            .find(|line| line.contains(&name) && line.contains("no message"))
            .unwrap_or_else(|| panic!("{name} got no message and is not listed: {attention:#?}"));
        listed += 1;
        match attendee.email.as_str() {
            "thuha.dang@mediterranea.org" => {
                assert!(line.contains("attendance not recorded"), "{line}");
            }
            "lucia.romero@fundacionluz.org" => assert!(line.contains("consent=no"), "{line}"),
            other => panic!("{other} should have had a message: {line}"),
        }
    }
    assert_eq!(roster.attendees.len(), written_to.len() + listed);
    assert_eq!(listed, 2);

    // Certificates only for those who came; the blank attendance and the
    // one who did not come are named.
    assert!(
        attention
            .iter()
            .any(|l| l.contains("no certificate") && l.contains("Đặng Thu Hà")),
        "{attention:#?}"
    );
    assert!(
        attention
            .iter()
            .any(|l| l.contains("no certificate") && l.contains("Fco. Javier García López")),
        "{attention:#?}"
    );
}

#[test]
fn every_document_says_the_name_as_typed_to_two_extractors() {
    let (dir, _) = run_names_workshop();
    let out = dir.path().join("out");
    let roster = read_roster(&out.join("roster.csv"));
    let manifest: taller_model::CertificateManifest = serde_json::from_slice(
        &fs::read(out.join("certificates/certificates.json")).expect("manifest"),
    )
    .expect("manifest JSON");
    let came: Vec<&Attendee> = roster
        .attendees
        .iter()
        .filter(|a| a.attended == Answer::Yes)
        .collect();
    assert_eq!(manifest.certificates.len(), came.len());
    let extractors: [(&str, Extractor); 2] = [("pdftotext", pdftotext), ("mutool", mutool_text)];
    for entry in &manifest.certificates {
        let attendee = roster
            .attendees
            .iter()
            .find(|a| a.certificate_id.as_ref() == Some(&entry.certificate_id))
            .expect("the certificate's attendee");
        let name = attendee.display_name();
        let path = out.join("certificates").join(&entry.file);
        for (tool, extract) in extractors {
            let text = extract_checked(tool, extract, &path);
            assert!(
                text.contains(&as_read(&name)),
                "{tool} on {}: `{name}` not in {text:?}",
                path.display()
            );
            assert!(!text.contains("Ruiz Gallardo, Ana"), "{tool}: {text:?}");
        }
    }
    // The merged file, the badges and the sign-in sheet print every name
    // of the roster (the merged file: those who came) as typed.
    for (file, people) in [
        ("certificates.pdf", came.clone()),
        ("badges.pdf", roster.attendees.iter().collect()),
        ("signin.pdf", roster.attendees.iter().collect()),
    ] {
        for (tool, extract) in extractors {
            let text = extract_checked(tool, extract, &out.join(file));
            for attendee in &people {
                // A badge prints the given name large over the family
                // name, each a line of its own (badges side by side on the
                // sheet interleave their lines in extracted text), unless
                // that would reorder the name: then the name as typed.
                let lines = if file == "badges.pdf" && !attendee.name_is_reordered_by_parts() {
                    vec![attendee.given_name.clone(), attendee.family_name.clone()]
                } else {
                    vec![attendee.display_name()]
                };
                for line in lines {
                    assert!(
                        text.contains(&as_read(&line)),
                        "{tool} on {file}: `{line}` not in {text:?}"
                    );
                }
            }
        }
    }
    // The Arabic name, with its ligatures (`الله`, lam-alef in `صلاح`),
    // comes out of both extractors exactly, in logical order, a line of
    // its own on the certificate.
    let salah = manifest
        .certificates
        .iter()
        .find(|entry| entry.file.contains("صلاح"))
        .expect("the Arabic name's certificate");
    let path = out.join("certificates").join(&salah.file);
    for (tool, extract) in extractors {
        let text = without_poppler_embeddings(&extract(&path));
        assert!(
            text.lines().any(|line| line.trim() == "صلاح عبد الله"),
            "{tool}: {text:?}"
        );
    }
}

#[test]
fn the_single_commands_name_the_same_people_as_run() {
    let (dir, _) = run_names_workshop();
    let roster = "out/roster.csv";
    let certificates = taller(
        dir.path(),
        &[
            "certificates",
            "--roster",
            roster,
            "--workshop",
            "workshop.toml",
            "-o",
            "certs",
        ],
    );
    certificates.expect_code(0);
    for who in ["Đặng Thu Hà", "Fco. Javier García López"] {
        assert!(
            certificates
                .stderr
                .lines()
                .any(|line| line.starts_with("no certificate:") && line.contains(who)),
            "{who}: {}",
            certificates.stderr
        );
    }
    // The follow-up needs the certificates it attaches, next to the outbox.
    let followup = taller(
        dir.path(),
        &[
            "followup",
            "--roster",
            roster,
            "--workshop",
            "workshop.toml",
            "--certificates",
            "certs",
            "-o",
            "outbox2",
        ],
    );
    followup.expect_code(0);
    assert!(
        followup.stderr.contains("2 attendees got no message:"),
        "{}",
        followup.stderr
    );
    for who in ["Đặng Thu Hà", "Lucía Romero Vidal"] {
        assert!(followup.stderr.contains(who), "{who}: {}", followup.stderr);
    }
    let badges = taller(
        dir.path(),
        &[
            "badges",
            "--roster",
            roster,
            "--workshop",
            "workshop.toml",
            "--attended",
            "-o",
            "came.pdf",
        ],
    );
    badges.expect_code(0);
    let line = badges
        .stderr
        .lines()
        .find(|line| line.starts_with("no badge:"))
        .unwrap_or_else(|| panic!("{}", badges.stderr));
    assert!(
        line.contains("2 not marked attended=yes")
            && line.contains("Đặng Thu Hà")
            && line.contains("Fco. Javier García López"),
        "{line}"
    );
}

#[test]
fn a_line_mixing_directions_reads_in_order_and_keeps_its_place() {
    let dir = temp_dir();
    let source = dir.path().join("ponentes.md");
    fs::write(
        &source,
        "# Ponentes\n\nEl ponente صلاح عبد الله de Madrid habló.\n",
    )
    .expect("write");
    let pdf = dir.path().join("ponentes.pdf");
    taller(
        dir.path(),
        &["handout", "ponentes.md", "-o", "ponentes.pdf", "--quiet"],
    )
    .expect_code(0);
    // Word by word: poppler wraps the right-to-left stretch in its own
    // RLE…PDF marks and moves the space after it inside them.
    let line = [
        "El", "ponente", "صلاح", "عبد", "الله", "de", "Madrid", "habló.",
    ];
    let extractors: [(&str, Extractor); 2] = [("pdftotext", pdftotext), ("mutool", mutool_text)];
    for (tool, extract) in extractors {
        let text = extract(&pdf).replace(['\u{202B}', '\u{202C}'], " ");
        let words: Vec<&str> = text.split_whitespace().collect();
        assert!(
            words.windows(line.len()).any(|window| window == line),
            "{tool}: {words:?}"
        );
    }
    // The Arabic words are written in reading order but drawn right to
    // left: what follows them on the line starts where they end.
    let bbox = std::process::Command::new("pdftotext")
        .args(["-bbox", "-enc", "UTF-8"])
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    let words: Vec<(f32, f32, String)> = String::from_utf8_lossy(&bbox.stdout)
        .lines()
        .filter_map(|line| {
            let number = |key: &str| -> Option<f32> {
                let at = line.find(key)? + key.len();
                line[at..].split('"').next()?.parse().ok()
            };
            let text = line.split('>').nth(1)?.split('<').next()?.to_owned();
            Some((number("xMin=\"")?, number("xMax=\"")?, text))
        })
        .collect();
    let arabic_end = words
        .iter()
        .filter(|(_, _, text)| text.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)))
        .map(|(_, x_max, _)| *x_max)
        .fold(f32::MIN, f32::max);
    let (de_start, ..) = words
        .iter()
        .find(|(_, _, text)| text == "de")
        .expect("the word after the name");
    let (ponente_end, ..) = words
        .iter()
        .find(|(_, _, text)| text == "ponente")
        .map(|(_, x_max, text)| (*x_max, text))
        .expect("the word before the name");
    assert!(
        ponente_end < arabic_end && arabic_end <= *de_start,
        "{words:?}"
    );
}
