//! Personal data the organiser can answer for: `taller person` finds one
//! person in every kind of output, and outputs holding personal data are
//! readable by their owner only.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use crate::common::{taller, temp_dir};

/// An attendee of the bundled example, in two of its workshops.
const EMAIL: &str = "lucia.moreno@amigosdelainfancia.org";

/// The example programme run into `out`, with one message of the first
/// workshop recorded as sent, as `taller send` records it.
fn example_run(dir: &Path) {
    taller(dir, &["run", "-q", "-o", "out"]).expect_code(0);
    let outbox = dir.join("out/mad-2016-01/outbox");
    let message = fs::read_dir(&outbox)
        .expect("outbox")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .find(|name| name.contains("lucia-moreno"))
        .expect("Lucía has a message");
    let mut log = taller_followup::sendlog::SendLog::open(&outbox).expect("send log");
    log.record(
        taller_followup::sendlog::Event::Accepted,
        &message,
        "<m1@example.org>",
        &[EMAIL.to_owned()],
        "250 OK",
    )
    .expect("record");
}

#[test]
fn person_finds_a_person_in_every_kind_of_output_and_exports_it() {
    let dir = temp_dir();
    example_run(dir.path());

    let found = taller(
        dir.path(),
        &["person", EMAIL, "--out", "out", "--export", "lucia.json"],
    );
    found.expect_code(0);
    assert!(
        found.stdout.contains("Lucía Moreno Castillo"),
        "{}",
        found.stdout
    );
    assert!(
        found.stdout.contains("inscripciones.csv:2"),
        "the registration sheet's row is named: {}",
        found.stdout
    );

    let export: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.path().join("lucia.json")).expect("export"))
            .expect("the export is JSON");
    let rows = export["roster_rows"].as_array().expect("rows");
    // In the example Lucía took two workshops: one roster row in each.
    assert_eq!(rows.len(), 2, "{export:#}");
    for row in rows {
        assert_eq!(row["attendee"]["email"], EMAIL);
        assert_eq!(row["attendee"]["phone"], "600 123 456");
    }
    let files = export["files"].as_array().expect("files");
    let kinds: BTreeSet<&str> = files
        .iter()
        .map(|f| f["kind"].as_str().expect("kind"))
        .collect();
    for kind in [
        "roster",
        "outbox-message",
        "send-log",
        "certificate-manifest",
        "certificate",
        "badges",
        "signin-sheet",
        "programme-report",
    ] {
        assert!(kinds.contains(kind), "no {kind} found: {kinds:?}");
    }
    // Both copies of the roster, both sign-in sheets: one per workshop.
    let named = |suffix: &str| {
        files
            .iter()
            .filter(|f| f["file"].as_str().expect("file").ends_with(suffix))
            .count()
    };
    assert_eq!(named("roster.csv"), 2);
    assert_eq!(named("roster.xlsx"), 2);
    assert_eq!(named("signin.pdf"), 2);
    assert_eq!(named("badges.pdf"), 2);
    // Nothing of another workshop's people: only her own messages.
    assert_eq!(named(".eml"), 2);

    // By the attendee id, the same rows.
    let id = rows[0]["attendee"]["id"].as_str().expect("id");
    let by_id = taller(dir.path(), &["person", id, "--out", "out", "--json"]);
    by_id.expect_code(0);
    let by_id: serde_json::Value = serde_json::from_str(&by_id.stdout).expect("json");
    assert_eq!(by_id["roster_rows"].as_array().expect("rows").len(), 2);
}

#[test]
fn person_says_so_when_taller_holds_nothing() {
    let dir = temp_dir();
    taller(dir.path(), &["run", "-q", "-o", "out"]).expect_code(0);
    let none = taller(
        dir.path(),
        &["person", "nobody@example.org", "--out", "out"],
    );
    none.expect_code(1);
    assert!(
        none.stdout
            .contains("taller holds nothing about nobody@example.org in out"),
        "{}",
        none.stdout
    );
    let missing = taller(dir.path(), &["person", EMAIL, "--out", "elsewhere"]);
    assert_ne!(missing.code, Some(0));
    assert!(missing.stderr.contains("elsewhere"), "{}", missing.stderr);
}

#[cfg(unix)]
#[test]
fn outputs_with_personal_data_are_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir();
    taller(dir.path(), &["run", "-q", "-o", "out"]).expect_code(0);
    let out = dir.path().join("out/mad-2016-01");
    let mode = |path: &Path| {
        fs::metadata(path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .permissions()
            .mode()
            & 0o777
    };
    for file in ["roster.csv", "roster.xlsx", "import-report.json"] {
        assert_eq!(mode(&out.join(file)), 0o600, "{file}");
    }
    assert_eq!(mode(&out.join("outbox")), 0o700);
    // The programme report's workbook has the people annex; its PDF counts.
    assert_eq!(mode(&dir.path().join("out/report/report.xlsx")), 0o600);
    assert_ne!(mode(&dir.path().join("out/report/report.pdf")) & 0o044, 0);
    // Printouts and certificates are for sharing: others may read them.
    assert_ne!(mode(&out.join("signin.pdf")) & 0o044, 0);

    // `taller import -o` and `--report` too, and the person's export.
    let roster = taller(
        dir.path(),
        &[
            "import",
            out.join("roster.csv").to_str().expect("path"),
            "-o",
            "again.csv",
            "--report",
            "again.json",
        ],
    );
    roster.expect_code(0);
    assert_eq!(mode(&dir.path().join("again.csv")), 0o600);
    assert_eq!(mode(&dir.path().join("again.json")), 0o600);
    taller(
        dir.path(),
        &["person", EMAIL, "--out", "out", "--export", "x.json"],
    )
    .expect_code(0);
    assert_eq!(mode(&dir.path().join("x.json")), 0o600);
}

#[test]
fn person_looks_where_run_wrote_for_a_workshop_file() {
    let dir = temp_dir();
    taller(dir.path(), &["init", "nuevo"]).expect_code(0);
    // `run` and `person` both default to taller-out for a workshop file.
    taller(dir.path(), &["run", "-q", "nuevo/workshop.toml"]).expect_code(0);
    let roster = fs::read_to_string(dir.path().join("taller-out/roster.csv")).expect("roster");
    let mut reader = csv::Reader::from_reader(roster.as_bytes());
    let headers = reader.headers().expect("headers").clone();
    let first = reader.records().next().expect("a row").expect("record");
    let column = |name: &str| {
        let at = headers.iter().position(|h| h == name).expect(name);
        first[at].to_owned()
    };
    // The address as someone might type it in a request.
    let email = column("email").to_uppercase();
    let found = taller(
        dir.path(),
        &[
            "person",
            &email,
            "--workshop",
            "nuevo/workshop.toml",
            "--json",
        ],
    );
    found.expect_code(0);
    let found: serde_json::Value = serde_json::from_str(&found.stdout).expect("json");
    let rows = found["roster_rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 1, "{found:#}");
    assert_eq!(rows[0]["row"], 1);
    // The sign-in sheet lists `Family, Given`: found all the same.
    let kinds: BTreeSet<&str> = found["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["kind"].as_str().expect("kind"))
        .collect();
    for kind in [
        "roster",
        "signin-sheet",
        "badges",
        "certificate",
        "outbox-message",
    ] {
        assert!(kinds.contains(kind), "no {kind} found: {kinds:?}");
    }
    assert_eq!(
        rows[0]["attendee"]["phone"].as_str(),
        Some(column("phone").trim_start_matches('\''))
    );

    let wrong = taller(
        dir.path(),
        &["person", &email, "--workshop", "nowhere/workshop.toml"],
    );
    wrong.expect_code(2);
    assert!(
        wrong.stderr.contains("nowhere/workshop.toml"),
        "{}",
        wrong.stderr
    );
}

#[test]
fn person_refuses_an_empty_query() {
    let dir = temp_dir();
    taller(dir.path(), &["run", "-q", "-o", "out"]).expect_code(0);
    let empty = taller(dir.path(), &["person", "  ", "--out", "out"]);
    empty.expect_code(2);
    assert!(
        empty.stderr.contains("email address or attendee id"),
        "{}",
        empty.stderr
    );
}
