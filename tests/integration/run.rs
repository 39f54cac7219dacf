//! `taller run` on the bundled example, and `taller init` then `taller run`
//! on the new folder: everything a newcomer sees in their first minutes.

use std::fs;
use std::path::Path;

use taller_model::Answer;

use crate::common::{pdf_pages_text, pdf_text_shows, taller, temp_dir};

fn files_with_extension(dir: &Path, extension: &str) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.ends_with(extension))
        .collect();
    names.sort();
    names
}

fn roster(path: &Path) -> taller_model::Roster {
    let bytes = fs::read(path).expect("roster written");
    taller_registration::read_roster(&bytes, "roster.csv").expect("a roster")
}

#[test]
fn run_without_arguments_makes_everything_for_the_bundled_example() {
    let dir = temp_dir();
    let run = taller(dir.path(), &["run"]);
    run.expect_code(0);
    assert!(
        run.stderr.contains("bundled example programme"),
        "{}",
        run.stderr
    );
    // The example is a programme: each workshop in its own folder, then
    // the programme's report.
    let report = dir.path().join("taller-out/report");
    for file in ["report.json", "report.xlsx", "report.pdf", "report.html"] {
        assert!(report.join(file).is_file(), "{file}");
    }
    assert!(
        dir.path()
            .join("taller-out/sev-2016-01/roster.csv")
            .is_file()
    );
    let out = dir.path().join("taller-out/mad-2016-01");

    // The roster: 30 registration rows, one duplicate merged, one without
    // an email rejected, one walk-in added.
    let roster = roster(&out.join("roster.csv"));
    assert_eq!(roster.attendees.len(), 29);
    assert!(out.join("roster.xlsx").is_file());
    let report: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("import-report.json")).expect("report"))
            .expect("json");
    assert_eq!(report["rejected"], 1);
    assert_eq!(report["merged"], 1);
    assert_eq!(report["walk_ins"], 1);

    // One certificate per attendee who came, and all of them merged.
    let came: Vec<_> = roster
        .attendees
        .iter()
        .filter(|a| a.attended == Answer::Yes)
        .collect();
    assert_eq!(came.len(), 25);
    let certificates = out.join("certificates");
    let pdfs = files_with_extension(&certificates, ".pdf");
    assert_eq!(pdfs.len(), came.len());
    for attendee in &came {
        let id = attendee
            .certificate_id
            .as_ref()
            .expect("certificate id")
            .to_string();
        let file = pdfs
            .iter()
            .find(|f| f.starts_with(&id))
            .unwrap_or_else(|| panic!("no certificate for {id}"));
        let text = pdf_pages_text(&certificates.join(file)).join("\n");
        let name = attendee.display_name();
        assert!(
            pdf_text_shows(&text, &name),
            "{name} not in {file}:\n{text}"
        );
        assert!(text.contains(&id), "{id} not in {file}");
    }
    assert_eq!(
        pdf_pages_text(&out.join("certificates.pdf")).len(),
        came.len()
    );

    // Handouts with their placeholders filled, the sign-in sheet, badges.
    let factsheet = pdf_pages_text(&out.join("handouts/factsheet.es.pdf")).join("\n");
    assert!(factsheet.contains("Madrid"));
    assert!(!factsheet.contains("{{"));
    assert!(out.join("handouts/factsheet.en.pdf").is_file());
    let signin = pdf_pages_text(&out.join("signin.pdf")).join("\n");
    for attendee in &roster.attendees {
        // Long names wrap onto two lines in their cell: look for each word.
        for word in attendee.display_name().split_whitespace() {
            assert!(
                pdf_text_shows(&signin, word),
                "{word} not on the sign-in sheet"
            );
        }
    }
    let badges = pdf_pages_text(&out.join("badges.pdf")).join("\n");
    assert!(badges.contains("Lucía"));

    // One email per attendee who agreed to be contacted: the thank-you for
    // those who came, the `missed` message for those who did not.
    let consenting = roster
        .attendees
        .iter()
        .filter(|a| a.consent != Answer::No)
        .count();
    let emails = files_with_extension(&out.join("outbox"), ".eml");
    assert_eq!(emails.len(), consenting);
    assert!(run.stderr.contains("consent=no"), "{}", run.stderr);

    // Each in their language: Jordi asked for Catalan, Olga for English.
    for (who, subject) in [
        ("jordi", "Gràcies per venir"),
        ("ольга", "Thank you"),
        ("lucia", "Gracias por venir"),
    ] {
        let file = emails
            .iter()
            .find(|f| f.contains(who))
            .unwrap_or_else(|| panic!("no email for {who}"));
        let bytes = fs::read(out.join("outbox").join(file)).expect("email");
        let message = mail_parser::MessageParser::default()
            .parse(&bytes)
            .expect("a MIME message");
        let got = message.subject().unwrap_or_default();
        assert!(got.starts_with(subject), "{who}: {got}");
    }
}

#[test]
fn running_again_gives_the_same_outputs_and_keeps_a_send_log() {
    let dir = temp_dir();
    taller(dir.path(), &["run", "-o", "out"]).expect_code(0);
    let out = dir.path().join("out/mad-2016-01");
    let first_roster = fs::read(out.join("roster.csv")).expect("roster");
    let first_certificates = files_with_extension(&out.join("certificates"), ".pdf");
    let first_emails = files_with_extension(&out.join("outbox"), ".eml");

    // Pretend messages were sent: the outbox must then be left alone.
    let log = out.join("outbox").join(taller_followup::sendlog::SEND_LOG);
    fs::write(&log, b"sent before\n").expect("write log");
    let again = taller(dir.path(), &["run", "-o", "out"]);
    again.expect_code(0);
    assert_eq!(
        fs::read(out.join("roster.csv")).expect("roster"),
        first_roster
    );
    assert_eq!(
        files_with_extension(&out.join("certificates"), ".pdf"),
        first_certificates
    );
    assert_eq!(
        files_with_extension(&out.join("outbox"), ".eml"),
        first_emails
    );
    assert_eq!(fs::read(&log).expect("log kept"), b"sent before\n");
    assert!(again.stderr.contains("already sent"), "{}", again.stderr);
}

#[test]
fn init_then_run_makes_a_working_workshop_and_init_never_overwrites() {
    let dir = temp_dir();
    taller(dir.path(), &["init", "nuevo"]).expect_code(0);
    let workshop = dir.path().join("nuevo/workshop.toml");
    let original = fs::read(&workshop).expect("workshop.toml written");

    let run = taller(
        dir.path(),
        &["run", "nuevo/workshop.toml", "-o", "nuevo/out"],
    );
    run.expect_code(0);
    let roster = roster(&dir.path().join("nuevo/out/roster.csv"));
    assert_eq!(roster.attendees.len(), 2);
    assert_eq!(
        files_with_extension(&dir.path().join("nuevo/out/outbox"), ".eml").len(),
        2
    );

    let again = taller(dir.path(), &["init", "nuevo"]);
    again.expect_code(2);
    assert!(
        again.stderr.contains("never overwrites"),
        "{}",
        again.stderr
    );
    assert_eq!(fs::read(&workshop).expect("still there"), original);
}

#[test]
fn a_missing_workshop_file_is_one_clear_sentence() {
    let dir = temp_dir();
    let run = taller(dir.path(), &["run", "nowhere/workshop.toml"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("nowhere/workshop.toml"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.trim().lines().count(), 1, "{}", run.stderr);
    assert!(!dir.path().join("taller-out").exists());
}
