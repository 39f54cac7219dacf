//! `taller import` on the files coordinators really have: the roster read
//! back, the report, the summary on stderr and the exit code.

use std::fs;
use std::io::Read;
use std::path::Path;

use calamine::Reader;
use taller_model::{Answer, Attendee, Roster};

use crate::common::{
    Output, by_email, fixture, folder_with_fixtures, import_roster, read_roster, taller, temp_dir,
};

fn folder_with(fixtures: &[&str]) -> tempfile::TempDir {
    folder_with_fixtures("import", fixtures)
}

fn import(dir: &Path, args: &[&str]) -> (Output, Roster) {
    import_roster(dir, args)
}

#[test]
fn google_forms_csv_in_spanish() {
    let dir = folder_with(&["google-forms-es.csv"]);
    let (out, roster) = import(dir.path(), &["google-forms-es.csv"]);
    assert_eq!(roster.attendees.len(), 7, "{}", out.stderr);

    let ana = by_email(&roster, "ana.ruiz@ongverde.org");
    assert_eq!(
        (ana.given_name.as_str(), ana.family_name.as_str()),
        ("Ana", "Ruiz Gallardo")
    );
    assert_eq!(ana.twitter, "anaruizg");
    assert_eq!(ana.phone, "600123456");
    assert_eq!(ana.consent, Answer::Yes);
    assert_eq!(
        ana.source.to_string(),
        "google-forms-es.csv:2; google-forms-es.csv:7"
    );

    let jm = by_email(&roster, "jm.fuente@gmail.con");
    assert_eq!(jm.full_name, "José María de la Fuente");
    assert_eq!(
        (jm.given_name.as_str(), jm.family_name.as_str()),
        ("José María", "de la Fuente")
    );
    assert_eq!(jm.phone, "+34 612 345 678");
    assert_eq!(jm.twitter, "jmfuente");

    let shared: Vec<&Attendee> = roster
        .attendees
        .iter()
        .filter(|a| a.email == "info@asociacionsol.org")
        .collect();
    assert_eq!(shared.len(), 2);
    assert_ne!(shared[0].id, shared[1].id);
    assert_eq!(
        (
            shared[0].given_name.as_str(),
            shared[0].family_name.as_str()
        ),
        ("Lucía", "Pérez Núñez")
    );
    assert_eq!(shared[0].consent, Answer::No);
    assert_eq!(
        by_email(&roster, "mjose.carrasco@ejemplo.es").given_name,
        "Mª José"
    );

    let stderr = &out.stderr;
    for expected in [
        "9 rows read: 7 attendees written to roster.csv, 1 rejected, 1 merged",
        "error: google-forms-es.csv, row 6: row not imported: it has no email address",
        "jm.fuente@gmail.con looks like a typo of jm.fuente@gmail.com",
        "row 4, column \"Usuario de Twitter\": `no tengo` is not a Twitter handle",
        "google-forms-es.csv, row 5: info@asociacionsol.org is also the address of Lucía Pérez Núñez",
        "google-forms-es.csv, row 7: same person as google-forms-es.csv, row 2",
        "row 10: Luis Gil of ONG Verde registered again with another email",
        "columns not imported (taller has no field for them): Puntuación",
    ] {
        assert!(
            stderr.contains(expected),
            "missing {expected:?} in:\n{stderr}"
        );
    }
}

#[test]
fn strict_exits_1_but_still_writes_the_roster() {
    let dir = folder_with(&["google-forms-es.csv"]);
    taller(
        dir.path(),
        &["import", "google-forms-es.csv", "-o", "r.csv", "--strict"],
    )
    .expect_code(1);
    assert_eq!(read_roster(&dir.path().join("r.csv")).attendees.len(), 7);
    let dir = folder_with(&["texto-unicode.txt"]);
    taller(
        dir.path(),
        &["import", "texto-unicode.txt", "-o", "r.csv", "--strict"],
    )
    .expect_code(0);
}

#[test]
fn spanish_excel_csv_semicolons_windows_1252() {
    let dir = folder_with(&["excel-es-1252.csv"]);
    let (out, roster) = import(dir.path(), &["excel-es-1252.csv"]);
    let names: Vec<String> = roster
        .attendees
        .iter()
        .map(Attendee::display_name)
        .collect();
    assert_eq!(
        names,
        [
            "Begoña Ibáñez Muñoz",
            "Javier García López",
            "Núria Puig i Ferrer"
        ]
    );
    let javier = by_email(&roster, "javier.garcia@hotmial.com");
    assert_eq!(
        (
            javier.organisation.as_str(),
            javier.role.as_str(),
            javier.city.as_str()
        ),
        ("Greenpeace", "Voluntario", "Madrid")
    );
    assert_eq!(javier.phone, "600 111 222");
    assert!(
        out.stderr
            .contains("excel-es-1252.csv, row 6: `Total inscritos: 3` looks like a footer"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("looks like a typo of javier.garcia@hotmail.com"),
        "{}",
        out.stderr
    );
}

#[test]
fn excel_unicode_text_utf16_tabs() {
    let dir = folder_with(&["texto-unicode.txt"]);
    let (_, roster) = import(dir.path(), &["texto-unicode.txt"]);
    let inaki = by_email(&roster, "inaki@euskal-ong.eus");
    assert_eq!(
        (inaki.given_name.as_str(), inaki.family_name.as_str()),
        ("Iñaki", "Etxeberria Goikoetxea")
    );
    assert_eq!(inaki.language.as_ref().map(|l| l.code()), Some("eu"));
    assert_eq!(
        by_email(&roster, "xoan.castro@ong-galega.gal")
            .language
            .as_ref()
            .map(|l| l.code()),
        Some("gl")
    );
    assert_eq!(
        by_email(&roster, "zoe@example.org").family_name,
        "Łukasiewicz"
    );
    assert_eq!(inaki.source.to_string(), "texto-unicode.txt:2");
}

#[test]
fn workbook_with_instructions_sheet_title_rows_and_number_phones() {
    let dir = folder_with(&["inscripciones.xlsx"]);
    let (out, roster) = import(
        dir.path(),
        &["inscripciones.xlsx", "--report", "report.json"],
    );
    assert_eq!(roster.attendees.len(), 4, "{}", out.stderr);
    let alex = by_email(&roster, "alex.papadopoulos@example.gr");
    assert_eq!(
        (alex.given_name.as_str(), alex.family_name.as_str()),
        ("Αλέξανδρος", "Παπαδόπουλος")
    );
    assert_eq!(alex.phone, "600123456");
    assert_eq!(
        alex.source.to_string(),
        "inscripciones.xlsx:Inscripciones:5"
    );
    let olga = by_email(&roster, "olga.ivanova@example.ru");
    assert_eq!(
        (olga.given_name.as_str(), olga.family_name.as_str()),
        ("Ольга", "Иванова")
    );
    assert_eq!(olga.phone, "34612345678");
    assert_eq!(
        by_email(&roster, "jose.nunez@ejemplo.org").organisation,
        "ONG Sur"
    );
    assert_eq!(
        by_email(&roster, "ana.ruiz@ongverde.org").phone,
        "600123456"
    );
    assert!(out.stderr.contains("Read inscripciones.xlsx, sheet \"Inscripciones\" (header on row 4): 4 rows; passed over \"Instrucciones\""), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("row 6, column \"Teléfono\": the phone 34612345678 is stored as a number"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("row 10: `Total inscritos: 4` looks like a footer"),
        "{}",
        out.stderr
    );

    let report: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.path().join("report.json")).expect("report"))
            .expect("json");
    assert_eq!(report["files"][0]["sheet"], "Inscripciones");
    assert_eq!(report["files"][0]["sheets_passed_over"][0], "Instrucciones");
    assert_eq!(report["files"][0]["format"], "xlsx");
    assert_eq!(report["files"][0]["columns"]["email"], "Correo electrónico");
    assert_eq!(report["attendees_written"], 4);
    let kinds: Vec<&str> = report["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .filter_map(|p| p["kind"].as_str())
        .collect();
    assert!(
        kinds.contains(&"phone_as_number") && kinds.contains(&"not_an_attendee"),
        "{kinds:?}"
    );

    let out = taller(
        dir.path(),
        &[
            "import",
            "inscripciones.xlsx",
            "--sheet",
            "Instrucciones",
            "-o",
            "x.csv",
        ],
    );
    out.expect_code(2);
    assert!(
        out.stderr
            .contains("inscripciones.xlsx, sheet \"Instrucciones\": has no header row"),
        "{}",
        out.stderr
    );
    assert!(!dir.path().join("x.csv").exists());
}

#[test]
fn eventbrite_report_skips_refunded_tickets_and_reads_check_ins() {
    let dir = folder_with(&["eventbrite.csv"]);
    let (out, roster) = import(dir.path(), &["eventbrite.csv"]);
    assert_eq!(roster.attendees.len(), 2, "{}", out.stderr);
    let sarah = by_email(&roster, "sarah.oconnor@oxfam.org");
    assert_eq!(
        (
            sarah.given_name.as_str(),
            sarah.family_name.as_str(),
            sarah.full_name.as_str()
        ),
        ("Sarah", "O'Connor", "")
    );
    assert_eq!(
        (
            sarah.organisation.as_str(),
            sarah.role.as_str(),
            sarah.city.as_str()
        ),
        ("Oxfam", "Campaigner", "Dublin")
    );
    assert_eq!(sarah.attended, Answer::Unknown);
    assert_eq!(
        by_email(&roster, "m.elamrani@cear.es").attended,
        Answer::Yes
    );
    assert!(
        out.stderr.contains(
            "eventbrite.csv, row 4, column \"Attendee Status\": the ticket status is `Refunded`"
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn microsoft_forms_anonymous_respondents() {
    let dir = folder_with(&["ms-forms.xlsx"]);
    let (_, roster) = import(dir.path(), &["ms-forms.xlsx"]);
    let emails: Vec<&str> = roster.attendees.iter().map(|a| a.email.as_str()).collect();
    assert_eq!(
        emails,
        [
            "carmen.vidal@fundacion.org",
            "raul.moreno@ecologistas.org",
            "sofia.lopez@plataforma.org"
        ]
    );
    let raul = by_email(&roster, "raul.moreno@ecologistas.org");
    assert_eq!(
        (raul.given_name.as_str(), raul.family_name.as_str()),
        ("Raúl", "Moreno Díaz")
    );
    assert_eq!(
        by_email(&roster, "sofia.lopez@plataforma.org").consent,
        Answer::No
    );
}

#[test]
fn libreoffice_and_excel_97_files() {
    let dir = folder_with(&["inscripciones.ods", "inscripciones.xls"]);
    for file in ["inscripciones.ods", "inscripciones.xls"] {
        let out = taller(dir.path(), &["import", file, "-o", "r.csv", "--force"]);
        out.expect_code(0);
        let roster = read_roster(&dir.path().join("r.csv"));
        let carmen = by_email(&roster, "mcarmen.ortega@ong-sur.org");
        assert_eq!(
            (carmen.given_name.as_str(), carmen.family_name.as_str()),
            ("María del Carmen", "Ortega Ruiz"),
            "{file}"
        );
        assert_eq!(carmen.phone, "611222333", "{file}");
        assert_eq!(carmen.source.to_string(), format!("{file}:Hoja1:2"));
        let jordi = by_email(&roster, "jordi@entitat.cat");
        assert_eq!(jordi.family_name, "Pujol i Soley");
        assert_eq!(jordi.phone, "+34 622 333 444");
        assert_eq!(jordi.language.as_ref().map(|l| l.code()), Some("ca"));
        assert_eq!(
            by_email(&roster, "ana.petrova@example.org").given_name,
            "Ана"
        );
    }
}

#[test]
fn a_workbook_with_a_wrong_extension_is_read_by_content() {
    let dir = folder_with(&["inscripciones.xlsx"]);
    fs::rename(
        dir.path().join("inscripciones.xlsx"),
        dir.path().join("inscripciones.csv"),
    )
    .expect("rename");
    let (_, roster) = import(dir.path(), &["inscripciones.csv"]);
    assert_eq!(roster.attendees.len(), 4);
}

#[test]
fn sheets_merged_in_order_with_a_check_in_sheet() {
    let dir = folder_with(&["google-forms-es.csv", "inscripciones.xlsx", "checkin.csv"]);
    let (out, roster) = import(
        dir.path(),
        &[
            "google-forms-es.csv",
            "inscripciones.xlsx",
            "--attendance",
            "checkin.csv",
            "--report",
            "report.json",
        ],
    );
    let ana = by_email(&roster, "ana.ruiz@ongverde.org");
    assert_eq!(ana.attended, Answer::Yes);
    assert_eq!(
        ana.source.to_string(),
        "google-forms-es.csv:2; google-forms-es.csv:7; inscripciones.xlsx:Inscripciones:8; checkin.csv:2"
    );
    assert_eq!(
        by_email(&roster, "luis.gil@ongverde.org").attended,
        Answer::No
    );
    assert_eq!(
        by_email(&roster, "jm.fuente@gmail.con").attended,
        Answer::Yes
    );
    let walk_in = by_email(&roster, "carmen.vidal@fundacion.org");
    assert_eq!(
        (walk_in.attended, walk_in.source.to_string().as_str()),
        (Answer::Yes, "checkin.csv:5")
    );
    assert!(out.stderr.contains("checkin.csv, row 5: Carmen Vidal <carmen.vidal@fundacion.org> came but had not registered"), "{}", out.stderr);
    assert!(out.stderr.contains("checkin.csv, row 6: `Señora del fondo` is marked present but matches no registered attendee"), "{}", out.stderr);
    let report: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.path().join("report.json")).expect("report"))
            .expect("json");
    assert_eq!(
        (
            report["walk_ins"].as_u64(),
            report["attended"].as_u64(),
            report["merged"].as_u64()
        ),
        (Some(1), Some(3), Some(2))
    );
}

#[test]
fn teams_attendance_report() {
    let dir = folder_with(&["google-forms-es.csv", "teams-attendance.csv"]);
    let (out, roster) = import(
        dir.path(),
        &[
            "google-forms-es.csv",
            "--attendance",
            "teams-attendance.csv",
        ],
    );
    assert_eq!(
        by_email(&roster, "ana.ruiz@ongverde.org").attended,
        Answer::Yes
    );
    assert_eq!(
        by_email(&roster, "jm.fuente@gmail.con").attended,
        Answer::No
    );
    let begona = by_email(&roster, "begona.ibanez@cruzroja.es");
    assert_eq!(
        (begona.attended, begona.role.as_str(), begona.minutes),
        (Answer::Yes, "", Some(86))
    );
    // Ana's one connection (10:01:12 to 12:00:00), from the list of
    // connections; Begoña is only in the totals (1h 26m 20s).
    assert_eq!(
        by_email(&roster, "ana.ruiz@ongverde.org").minutes,
        Some(118)
    );
    for expected in [
        "Read attendance teams-attendance.csv, Microsoft Teams attendance report (header on row 8): 4 rows",
        "teams-attendance.csv, row 11: `Invitado (sin verificar)` was connected for 40 min but matches no registered attendee and has no email",
        "teams-attendance.csv, row 10: `Begoña Ibáñez Muñoz` is in the totals but not in the list of connections",
        "teams-attendance.csv, row 8: rows 9–11 are each person's totals",
    ] {
        assert!(out.stderr.contains(expected), "{expected}\n{}", out.stderr);
    }
}

const WORKSHOP: &str = r#"
[workshop]
id = "mad-2016-01"
title = "Campaigning on Twitter"
city = "Madrid"
date = 2016-01-27

[registration]
sources = ["sheets/google-forms-es.csv", "sheets/ms-forms.xlsx"]
attendance = "sheets/checkin.csv"
[registration.columns]
email = "Correo electrónico de contacto"
"#;

#[test]
fn workshop_settings_and_stable_certificate_ids() {
    let dir = folder_with(&[]);
    let sheets = dir.path().join("sheets");
    fs::create_dir(&sheets).expect("folder");
    for name in ["google-forms-es.csv", "ms-forms.xlsx", "checkin.csv"] {
        fs::copy(fixture(&format!("import/{name}")), sheets.join(name)).expect("copy");
    }
    fs::write(dir.path().join("workshop.toml"), WORKSHOP).expect("workshop");
    let out = taller(
        dir.path(),
        &[
            "import",
            "--workshop",
            "workshop.toml",
            "-o",
            "out/roster.csv",
        ],
    );
    out.expect_code(0);
    let first = fs::read(dir.path().join("out/roster.csv")).expect("roster");
    let roster = read_roster(&dir.path().join("out/roster.csv"));
    assert_eq!(roster.attendees.len(), 10, "{}", out.stderr);
    assert!(roster.attendees.iter().all(|a| {
        a.certificate_id
            .as_ref()
            .is_some_and(|c| c.as_str().starts_with("MAD16-"))
    }));
    assert_eq!(
        by_email(&roster, "carmen.vidal@fundacion.org")
            .source
            .to_string(),
        "sheets/ms-forms.xlsx:Form1:2; sheets/checkin.csv:5"
    );
    assert!(
        out.stderr.contains("Read attendance sheets/checkin.csv"),
        "{}",
        out.stderr
    );

    let out = taller(
        dir.path(),
        &[
            "import",
            "--workshop",
            "workshop.toml",
            "-o",
            "out/roster.csv",
        ],
    );
    out.expect_code(2);
    assert!(
        out.stderr
            .contains("out/roster.csv already exists; use --force to replace it"),
        "{}",
        out.stderr
    );
    taller(
        dir.path(),
        &[
            "import",
            "--workshop",
            "workshop.toml",
            "-o",
            "out/roster.csv",
            "--force",
        ],
    )
    .expect_code(0);
    assert_eq!(
        fs::read(dir.path().join("out/roster.csv")).expect("roster"),
        first,
        "a re-import gives the same ids"
    );
}

#[test]
fn reimporting_the_written_csv_gives_the_same_roster() {
    let dir = folder_with(&["google-forms-es.csv", "inscripciones.xlsx", "checkin.csv"]);
    let (_, roster) = import(
        dir.path(),
        &[
            "google-forms-es.csv",
            "inscripciones.xlsx",
            "--attendance",
            "checkin.csv",
        ],
    );
    let first = fs::read(dir.path().join("roster.csv")).expect("roster");
    let out = taller(dir.path(), &["import", "roster.csv", "-o", "again.csv"]);
    out.expect_code(0);
    assert_eq!(
        fs::read(dir.path().join("again.csv")).expect("again"),
        first
    );
    assert_eq!(read_roster(&dir.path().join("again.csv")), roster);
    // Formula-looking values are defused in the file and restored on reading.
    let text = String::from_utf8(first).expect("utf-8");
    assert!(text.contains(",'+34 612 345 678,"), "{text}");
}

#[test]
fn csv_to_standard_output_and_json_formats() {
    let dir = folder_with(&["texto-unicode.txt"]);
    let out = taller(dir.path(), &["import", "texto-unicode.txt"]);
    out.expect_code(0);
    let roster =
        taller_registration::read_roster(out.stdout.as_bytes(), "stdout").expect("csv on stdout");
    assert_eq!(roster.attendees.len(), 3);
    assert!(
        out.stderr.contains("3 rows read: 3 attendees written"),
        "{}",
        out.stderr
    );

    let out = taller(
        dir.path(),
        &["import", "texto-unicode.txt", "-o", "roster.json", "--json"],
    );
    out.expect_code(0);
    assert_eq!(read_roster(&dir.path().join("roster.json")), roster);
    let summary: serde_json::Value = serde_json::from_str(&out.stdout).expect("json summary");
    assert_eq!(summary["attendees_written"], 3);
    assert!(out.stderr.is_empty(), "{}", out.stderr);
}

#[test]
fn xlsx_roster_for_people() {
    let dir = folder_with(&["google-forms-es.csv", "inscripciones.xlsx"]);
    let out = taller(
        dir.path(),
        &[
            "import",
            "google-forms-es.csv",
            "inscripciones.xlsx",
            "-o",
            "roster.xlsx",
        ],
    );
    out.expect_code(0);
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook(dir.path().join("roster.xlsx")).expect("opens");
    assert_eq!(book.sheet_names(), ["Roster", "Problems"]);
    let roster = book.worksheet_range("Roster").expect("roster sheet");
    let rows: Vec<Vec<String>> = roster
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(rows[0], taller_model::ROSTER_COLUMNS);
    let column = |name: &str| rows[0].iter().position(|h| h == name).expect("column");
    let alex = rows
        .iter()
        .find(|r| r[column("email")] == "alex.papadopoulos@example.gr")
        .expect("alex");
    assert_eq!(alex[column("phone")], "600123456");
    assert!(
        roster.rows().skip(1).all(|r| r
            .iter()
            .all(|c| matches!(c, calamine::Data::String(_) | calamine::Data::Empty))),
        "all values are text"
    );
    let jm = rows
        .iter()
        .find(|r| r[column("email")] == "jm.fuente@gmail.con")
        .expect("jm");
    assert_eq!(jm[column("phone")], "+34 612 345 678");
    let problems = book.worksheet_range("Problems").expect("problems sheet");
    let problems: Vec<Vec<String>> = problems
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(
        problems[0],
        [
            "severity", "kind", "file", "sheet", "row", "column", "message"
        ]
    );
    assert!(
        problems
            .iter()
            .any(|p| p[1] == "rejected_row" && p[2] == "google-forms-es.csv" && p[4] == "6"),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p[1] == "phone_as_number" && p[3] == "Inscripciones" && p[5] == "Teléfono"),
        "{problems:?}"
    );
    // Bold, frozen header: the sheet XML says so.
    let file = fs::File::open(dir.path().join("roster.xlsx")).expect("open");
    let sheet = zip_entry(file, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains("state=\"frozen\""), "frozen header: {sheet}");
}

/// One part of a zipped workbook, as text.
fn zip_entry(file: fs::File, name: &str) -> String {
    let mut archive = zip::ZipArchive::new(file).expect("zip");
    let mut text = String::new();
    archive
        .by_name(name)
        .expect("part")
        .read_to_string(&mut text)
        .expect("text");
    text
}

#[test]
fn map_chooses_columns() {
    let dir = folder_with(&["ms-forms.xlsx"]);
    let out = taller(
        dir.path(),
        &[
            "import",
            "ms-forms.xlsx",
            "--map",
            "organisation=H",
            "--map",
            "full_name=Nombre y apellidos",
            "-o",
            "r.csv",
        ],
    );
    out.expect_code(0);
    assert_eq!(
        read_roster(&dir.path().join("r.csv")).attendees[0].organisation,
        "Fundación Vidal"
    );
    let out = taller(
        dir.path(),
        &["import", "ms-forms.xlsx", "--map", "correo=Email"],
    );
    out.expect_code(2);
    assert!(
        out.stderr
            .contains("--map correo=Email: `correo` is not a roster field"),
        "{}",
        out.stderr
    );
    let out = taller(
        dir.path(),
        &["import", "ms-forms.xlsx", "--map", "email=Mail"],
    );
    out.expect_code(2);
    assert!(
        out.stderr
            .contains("ms-forms.xlsx, sheet \"Form1\": has no column \"Mail\" for email"),
        "{}",
        out.stderr
    );
}

/// Runs an import that must fail: exit 2, one line naming the file, no
/// roster left behind.
#[track_caller]
fn refused(name: &str, bytes: &[u8], expected: &str) {
    let dir = temp_dir();
    fs::write(dir.path().join(name), bytes).expect("write");
    let out = taller(dir.path(), &["import", name, "-o", "roster.csv"]);
    out.expect_code(2);
    assert!(
        out.stderr.starts_with(&format!("taller: {name}")),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(expected),
        "missing {expected:?} in {}",
        out.stderr
    );
    assert_eq!(out.stderr.trim().lines().count(), 1, "{}", out.stderr);
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    assert!(!dir.path().join("roster.csv").exists());
}

#[test]
fn unusable_files_are_refused_with_one_sentence() {
    let xlsx = fs::read(fixture("import/inscripciones.xlsx")).expect("fixture");
    refused(
        "inscripciones.xlsx",
        &xlsx[..xlsx.len() / 2],
        "is damaged or incomplete",
    );
    refused(
        "garbage.xlsx",
        b"PK\x03\x04\x14\x00\x00\x00this is not a zip at all",
        "damaged or incomplete",
    );
    refused("empty.csv", b"", "is empty");
    refused(
        "nul.csv",
        b"Nombre,Email\nAna\0\0\0,a@b.es\n",
        "holds binary data",
    );
    refused(
        "random.csv",
        &[
            0xC3, 0x28, 0xA0, 0xA1, 0xE2, 0x28, 0xA1, 0x0A, 0xF0, 0x28, 0x8C, 0xBC,
        ],
        "has no header row taller recognises",
    );
    refused(
        "notes.csv",
        b"Lista de la compra\nleche\npan\n",
        "has no header row taller recognises",
    );
    refused(
        "dup.csv",
        b"Nombre,Email,Email\nAna,a@x.es,b@x.es\n",
        "has two columns called \"Email\" (B and C)",
    );
    refused(
        "noemail.csv",
        b"Nombre,Ciudad\nAna,Madrid\n",
        "the header row (row 1: Nombre, Ciudad) lacks an email column",
    );
    let mut big = b"Nombre,Email\nAna,".to_vec();
    big.extend(std::iter::repeat_n(b'x', 5 << 20));
    refused("big.csv", &big, "column B holds more than 1 MB of text");
    let wide = format!(
        "Nombre,Email,{}\n",
        (0..2000)
            .map(|i| format!("c{i}"))
            .collect::<Vec<_>>()
            .join(",")
    );
    refused(
        "wide.csv",
        wide.as_bytes(),
        "more than the 1000 a registration sheet can have",
    );
    let ole = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 not really an xls file";
    refused("damaged.xls", ole, "cannot be opened as a spreadsheet");
}

#[test]
fn a_workbook_that_would_inflate_enormously_is_not_opened() {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("xl/workbook.xml", deflated).expect("zip");
    zip.write_all(b"<workbook/>").expect("zip");
    zip.start_file("xl/worksheets/sheet1.xml", deflated)
        .expect("zip");
    let spaces = vec![b' '; 8 << 20];
    for _ in 0..8 {
        zip.write_all(&spaces).expect("zip");
    }
    let bytes = zip.finish().expect("zip").into_inner();
    assert!(bytes.len() < 1 << 20, "the bomb is small: {}", bytes.len());
    refused(
        "bomb.xlsx",
        &bytes,
        "would unpack to 64 MB, far more than any registration sheet",
    );
}

#[test]
fn a_header_without_rows_is_a_warning_not_an_error() {
    let dir = temp_dir();
    fs::write(
        dir.path().join("vacia.csv"),
        "Nombre y apellidos;Correo electrónico\r\n",
    )
    .expect("write");
    let out = taller(dir.path(), &["import", "vacia.csv", "-o", "roster.csv"]);
    out.expect_code(0);
    assert!(
        out.stderr
            .contains("warning: vacia.csv: has a header row but no attendees below it"),
        "{}",
        out.stderr
    );
    assert!(
        read_roster(&dir.path().join("roster.csv"))
            .attendees
            .is_empty()
    );
    taller(
        dir.path(),
        &["import", "vacia.csv", "-o", "r2.csv", "--strict"],
    )
    .expect_code(1);
}

#[test]
fn a_missing_file_names_it() {
    let dir = temp_dir();
    let out = taller(dir.path(), &["import", "nope.xlsx"]);
    out.expect_code(2);
    assert!(
        out.stderr.starts_with("taller: cannot read nope.xlsx"),
        "{}",
        out.stderr
    );
    let out = taller(dir.path(), &["import"]);
    out.expect_code(2);
    assert!(
        out.stderr.contains("name the registration sheets to read"),
        "{}",
        out.stderr
    );
}

#[test]
fn help_shows_an_example() {
    let out = taller(&std::env::temp_dir(), &["import", "--help"]);
    out.expect_code(0);
    assert!(
        out.stdout
            .contains("taller import inscripciones.xlsx late.csv -o roster.csv"),
        "{}",
        out.stdout
    );
}
