//! Attendance by time: the participant reports of Zoom, Microsoft Teams and
//! Google Meet, recognised by their content, summed per person over rows
//! and sessions, and compared with the minimum.

use std::fs;
use std::path::{Path, PathBuf};

use mail_parser::MessageParser;
use serde_json::Value;
use taller_model::{Answer, Roster};

use crate::common::{Output, fixture, pdf_pages_text, repo_root, taller, temp_dir};

fn example(name: &str) -> PathBuf {
    repo_root()
        .join("assets/examples/bilbao-online-2016")
        .join(name)
}

/// A fresh folder holding the Bilbao registrations and the given files.
fn folder_with(files: &[PathBuf]) -> tempfile::TempDir {
    let dir = temp_dir();
    for path in files
        .iter()
        .chain(std::iter::once(&example("zoom-registro.csv")))
    {
        let name = path.file_name().expect("a file name");
        fs::copy(path, dir.path().join(name))
            .unwrap_or_else(|e| panic!("cannot copy {}: {e}", path.display()));
    }
    dir
}

/// `taller import ARGS… -o roster.csv --report report.json`, exit 0.
fn import(dir: &Path, args: &[&str]) -> (Output, Roster, Value) {
    let mut all = vec!["import"];
    all.extend(args);
    all.extend(["-o", "roster.csv", "--report", "report.json"]);
    let out = taller(dir, &all);
    out.expect_code(0);
    let bytes = fs::read(dir.join("roster.csv")).expect("a roster");
    let roster = taller_registration::read_roster(&bytes, "roster.csv").expect("a roster");
    let report = serde_json::from_slice(&fs::read(dir.join("report.json")).expect("a report"))
        .expect("JSON");
    (out, roster, report)
}

/// (attended, minutes) of the attendee with this email.
fn time(roster: &Roster, email: &str) -> (Answer, Option<u32>) {
    let a = roster
        .attendees
        .iter()
        .find(|a| a.email == email)
        .unwrap_or_else(|| panic!("{email} is not in the roster: {roster:#?}"));
    (a.attended, a.minutes)
}

/// The messages of the report's problems of one kind, with their places.
fn problems(report: &Value, kind: &str) -> Vec<String> {
    report["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .filter(|p| p["kind"] == kind)
        .map(|p| {
            let place = &p["place"];
            format!(
                "{}:{}: {}",
                place["file"].as_str().unwrap_or_default(),
                place["row"].as_u64().unwrap_or_default(),
                p["message"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

const YES: Answer = Answer::Yes;
const NO: Answer = Answer::No;

#[test]
fn two_zoom_sessions_summed_with_rejoins_overlaps_and_the_exact_minimum() {
    let dir = folder_with(&[example("sesion-1.csv"), example("sesion-2.csv")]);
    let (out, roster, report) = import(
        dir.path(),
        &[
            "zoom-registro.csv",
            "--attendance",
            "sesion-1.csv",
            "--attendance",
            "sesion-2.csv",
            "--min-attendance",
            "144m",
        ],
    );
    // Rejoined in session 1 (40 + 45), then the whole of session 2.
    assert_eq!(
        time(&roster, "ane.etxeberria@bizkaia-ong.eus"),
        (YES, Some(175))
    );
    // Laptop and phone at once count once: 90 + 54 is exactly the minimum.
    assert_eq!(time(&roster, "inaki@gazteak.eus"), (YES, Some(144)));
    // One minute short.
    assert_eq!(
        time(&roster, "miren.uriarte@emakumeak.org"),
        (NO, Some(143))
    );
    // Session 1 without an email, matched by Zoom's original name.
    assert_eq!(
        time(&roster, "alexandros.papadopoulos@example.gr"),
        (YES, Some(180))
    );
    // Session 1 by name alone (no email), session 2 by email.
    assert_eq!(
        time(&roster, "nerea.agirre@sos-arrazakeria.org"),
        (YES, Some(150))
    );
    assert_eq!(
        time(&roster, "olena.kovalenko@ukr-bilbao.org"),
        (YES, Some(150))
    );
    assert_eq!(time(&roster, "m.alaoui@atzegi.org"), (NO, Some(90)));
    assert_eq!(time(&roster, "karmele@kultur.eus"), (NO, Some(50)));
    // Registered, never connected.
    assert_eq!(time(&roster, "joseramon.garcia@cruzroja.es"), (NO, Some(0)));
    // Two registrants are called Jon Aranburu: the session-1 row without
    // an email is given to neither; session 2 had his email.
    assert_eq!(time(&roster, "jon.aranburu@gazteak.eus"), (NO, Some(90)));
    assert_eq!(time(&roster, "jon.aranburu@ehu.eus"), (NO, Some(0)));
    // Not registered, with an email: a walk-in, with her minutes.
    assert_eq!(
        time(&roster, "leire.bengoetxea@gmail.com"),
        (YES, Some(180))
    );
    let leire = roster
        .attendees
        .iter()
        .find(|a| a.email == "leire.bengoetxea@gmail.com")
        .expect("Leire");
    assert_eq!(
        (leire.given_name.as_str(), leire.family_name.as_str()),
        ("Leire", "Bengoetxea")
    );
    assert_eq!(roster.attendees.len(), 12);
    // The roster keeps every registrant's name as typed, in order.
    let names: Vec<String> = roster.attendees.iter().map(|a| a.display_name()).collect();
    assert_eq!(names[3], "Αλέξανδρος Παπαδόπουλος");
    assert_eq!(names[5], "محمد العلوي");

    let short = problems(&report, "short_attendance");
    assert_eq!(
        short,
        [
            "sesion-1.csv:8: Miren Begoña Uriarte <miren.uriarte@emakumeak.org> joined for 143 min, short of the 144 min minimum: attended=no",
            "sesion-1.csv:11: محمد العلوي <m.alaoui@atzegi.org> joined for 90 min, short of the 144 min minimum: attended=no",
            "sesion-2.csv:10: Jon Aranburu <jon.aranburu@gazteak.eus> joined for 90 min, short of the 144 min minimum: attended=no",
            "sesion-1.csv:17: Karmele Otxoa <karmele@kultur.eus> joined for 50 min, short of the 144 min minimum: attended=no",
        ]
    );
    let ambiguous = problems(&report, "ambiguous_name");
    assert_eq!(ambiguous.len(), 1, "{ambiguous:?}");
    assert!(
        ambiguous[0].starts_with("sesion-1.csv:12: `Jon Aranburu` fits 2 registered attendees"),
        "{ambiguous:?}"
    );
    assert_eq!(
        problems(&report, "unmatched_attendance"),
        [
            "sesion-1.csv:16: `iPhone de Koldo` was connected for 30 min but matches no registered attendee and has no email, so cannot be added; add them to a registration sheet"
        ]
    );
    assert_eq!(
        problems(&report, "walk_in"),
        [
            "sesion-1.csv:15: Leire Bengoetxea <leire.bengoetxea@gmail.com> joined for 180 min but had not registered: added as a walk-in"
        ]
    );
    // The host (in the meeting block above the table) is not an attendee.
    assert!(
        problems(&report, "note").contains(
            &"sesion-1.csv:18: formacion@bizkaia-ong.eus is the meeting's host, not an attendee; not counted"
                .to_owned()
        ),
        "{report}"
    );
    assert_eq!(report["minimum_minutes"], 144);
    assert_eq!(report["attended"], 6);
    assert!(
        out.stderr.contains(
            "Read attendance sesion-1.csv, Zoom meeting participants (header on row 4): 14 rows"
        ),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("6 came (at least 144 min online), 1 walk-in"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_online_example_runs_end_to_end() {
    let dir = temp_dir();
    // A copy: the run keeps the signing key beside the workshop file, and
    // the repository's example folder must stay as committed.
    crate::followup::copy_dir(&example(""), &dir.path().join("bilbao"));
    let out = taller(dir.path(), &["run", "bilbao/workshop.toml", "-o", "out"]);
    out.expect_code(0);
    let out_dir = dir.path().join("out");
    let bytes = fs::read(out_dir.join("roster.csv")).expect("a roster");
    let roster = taller_registration::read_roster(&bytes, "roster.csv").expect("a roster");
    // min_attendance = "80%" of hours = 3: 144 minutes over both sessions.
    assert_eq!(time(&roster, "inaki@gazteak.eus"), (YES, Some(144)));
    assert_eq!(
        time(&roster, "miren.uriarte@emakumeak.org"),
        (NO, Some(143))
    );
    let text = pdf_pages_text(&out_dir.join("certificates.pdf")).join("\n");
    for name in [
        "Iñaki Zubizarreta Arrieta",
        "Αλέξανδρος Παπαδόπουλος",
        "Олена Коваленко",
        "Leire Bengoetxea",
    ] {
        assert!(
            crate::common::pdf_text_shows(&text, name),
            "{name} has a certificate"
        );
    }
    assert!(!crate::common::pdf_text_shows(
        &text,
        "Miren Begoña Uriarte"
    ));
    // Miren fell one minute short: the message for those who missed it,
    // without a certificate.
    let miren = fs::read_dir(out_dir.join("outbox"))
        .expect("an outbox")
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().contains("miren"))
        .expect("a message for Miren");
    let bytes = fs::read(miren.path()).expect("readable");
    let message = MessageParser::default().parse(&bytes).expect("a message");
    assert_eq!(
        message.subject(),
        Some("Las grabaciones de «Comunicación digital para asociaciones»")
    );
    assert_eq!(message.attachment_count(), 0);
}

#[test]
fn zoom_webinar_report_gives_registrants_and_attendance() {
    let dir = folder_with(&[fixture("online/zoom-webinar.csv")]);
    let (out, roster, report) = import(
        dir.path(),
        &[
            "zoom-webinar.csv",
            "--attendance",
            "zoom-webinar.csv",
            "--min-attendance",
            "60m",
        ],
    );
    // Registrants are the Attendee Details rows (Ane twice: she rejoined),
    // not the host or panelist; Leire is in "Other Attended".
    let emails: Vec<&str> = roster.attendees.iter().map(|a| a.email.as_str()).collect();
    assert_eq!(
        emails,
        [
            "ane.etxeberria@bizkaia-ong.eus",
            "olena.kovalenko@ukr-bilbao.org",
            "joseramon.garcia@cruzroja.es",
            "alexandros.papadopoulos@example.gr",
            "leire.bengoetxea@gmail.com",
        ],
        "{}",
        out.stderr
    );
    assert_eq!(
        time(&roster, "ane.etxeberria@bizkaia-ong.eus"),
        (YES, Some(80))
    );
    assert_eq!(
        time(&roster, "olena.kovalenko@ukr-bilbao.org"),
        (NO, Some(55))
    );
    assert_eq!(time(&roster, "joseramon.garcia@cruzroja.es"), (NO, Some(0)));
    // Exactly the minimum.
    assert_eq!(
        time(&roster, "alexandros.papadopoulos@example.gr"),
        (YES, Some(60))
    );
    assert_eq!(time(&roster, "leire.bengoetxea@gmail.com"), (YES, Some(85)));
    let notes = problems(&report, "note").join("\n");
    assert!(notes.contains("list the hosts (`host details`)"), "{notes}");
    assert!(notes.contains("list the panelists"), "{notes}");
    assert!(
        notes.contains("1 registrant is listed as not having attended"),
        "{notes}"
    );
    assert!(
        out.stderr.contains("Zoom webinar attendee report"),
        "{}",
        out.stderr
    );
}

#[test]
fn zoom_usage_report_with_two_meetings() {
    let dir = folder_with(&[fixture("online/zoom-usage.csv")]);
    let (_, roster, report) = import(
        dir.path(),
        &[
            "zoom-registro.csv",
            "--attendance",
            "zoom-usage.csv",
            "--min-attendance",
            "90 min",
        ],
    );
    // 60 + 30 in two meetings; the participant's own `Duration
    // (minutes)_1`, not the meeting's, and overlapping devices once
    // (10:00–10:30 and 10:15–11:00 are 60, then 29).
    assert_eq!(
        time(&roster, "ane.etxeberria@bizkaia-ong.eus"),
        (YES, Some(90))
    );
    assert_eq!(time(&roster, "miren.uriarte@emakumeak.org"), (NO, Some(89)));
    assert_eq!(time(&roster, "inaki@gazteak.eus"), (NO, Some(0)));
    // The host (`Host email` on every row) is not a walk-in.
    assert_eq!(roster.attendees.len(), 11);
    assert!(
        problems(&report, "note").iter().any(|n| n.ends_with(
            "formacion@bizkaia-ong.eus is the meeting's host, not an attendee; not counted"
        )),
        "{report}"
    );
}

#[test]
fn teams_meeting_report_in_utf16() {
    let dir = folder_with(&[fixture("online/teams-meeting.csv")]);
    let (out, roster, report) = import(
        dir.path(),
        &[
            "zoom-registro.csv",
            "--attendance",
            "teams-meeting.csv",
            "--min-attendance",
            "60",
        ],
    );
    // From "3. In-Meeting Activities": two connections, 50 + 30 (the
    // totals section says 1h 20m too); Miren's overlapping ones once.
    assert_eq!(
        time(&roster, "ane.etxeberria@bizkaia-ong.eus"),
        (YES, Some(80))
    );
    assert_eq!(
        time(&roster, "miren.uriarte@emakumeak.org"),
        (YES, Some(90))
    );
    assert_eq!(
        time(&roster, "olena.kovalenko@ukr-bilbao.org"),
        (NO, Some(30))
    );
    assert_eq!(
        problems(&report, "unmatched_attendance"),
        [
            "teams-meeting.csv:23: `Invitado (sin verificar)` was connected for 40 min but matches no registered attendee and has no email, so cannot be added; add them to a registration sheet"
        ]
    );
    assert!(
        out.stderr.contains(
            "Read attendance teams-meeting.csv, Microsoft Teams attendance report (header on row 10)"
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn teams_report_in_spanish_with_a_duration_that_does_not_parse() {
    let dir = folder_with(&[fixture("online/teams-reunion-es.csv")]);
    let (_, roster, report) = import(
        dir.path(),
        &["zoom-registro.csv", "--attendance", "teams-reunion-es.csv"],
    );
    // `1 h 15 min`: Teams' own duration, not first join to last leave.
    assert_eq!(
        time(&roster, "ane.etxeberria@bizkaia-ong.eus"),
        (YES, Some(75))
    );
    assert_eq!(time(&roster, "karmele@kultur.eus"), (YES, Some(88)));
    // `mucho rato`: reported, and the span from 10:02 to 11:30 counted.
    assert_eq!(
        time(&roster, "nerea.agirre@sos-arrazakeria.org"),
        (YES, Some(88))
    );
    let invalid = problems(&report, "invalid_value");
    assert_eq!(invalid.len(), 1, "{invalid:?}");
    assert!(
        invalid[0].starts_with("teams-reunion-es.csv:11: `mucho rato` is not a duration"),
        "{invalid:?}"
    );
    // Without a minimum, joining is attending, and the report says so.
    assert!(
        problems(&report, "note")
            .iter()
            .any(|n| n.contains("no minimum attendance is set")),
        "{report}"
    );
}

#[test]
fn teams_live_event_log_pairs_joined_and_left() {
    let dir = folder_with(&[fixture("online/teams-live.csv")]);
    let (_, roster, report) = import(
        dir.path(),
        &[
            "zoom-registro.csv",
            "--attendance",
            "teams-live.csv",
            "--min-attendance",
            "85m",
        ],
    );
    // 08:00–08:45 and 08:50–09:30.
    assert_eq!(
        time(&roster, "ane.etxeberria@bizkaia-ong.eus"),
        (YES, Some(85))
    );
    assert_eq!(time(&roster, "m.alaoui@atzegi.org"), (YES, Some(88)));
    // Joined and never left: reported, not guessed.
    assert_eq!(
        time(&roster, "olena.kovalenko@ukr-bilbao.org"),
        (NO, Some(0))
    );
    let invalid = problems(&report, "invalid_value");
    assert_eq!(
        invalid,
        [
            "teams-live.csv:9: a connection of `Олена Коваленко` joined and has no Left row (the log may be cut short); its time was not counted"
        ]
    );
    assert_eq!(
        problems(&report, "unmatched_attendance"),
        [
            "teams-live.csv:4: an anonymous attendee (no name, no id) was connected; their time cannot be given to anyone"
        ]
    );
}

#[test]
fn google_meet_sheets_in_english_xlsx_and_spanish_csv() {
    let dir = folder_with(&[fixture("online/meet-es.csv")]);
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Attendance").expect("a sheet name");
    let rows = [
        [
            "First name",
            "Last name",
            "Email",
            "Duration",
            "Time joined",
            "Time exited",
        ],
        [
            "Ane",
            "Etxeberria Goikoetxea",
            "ane.etxeberria@bizkaia-ong.eus",
            "1 hr 5 min",
            "10:00 AM",
            "11:05 AM",
        ],
        [
            "Олена",
            "Коваленко",
            "olena.kovalenko@ukr-bilbao.org",
            "2 hr",
            "10:00 AM",
            "12:00 PM",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            sheet
                .write_string(r as u32, c as u16, *value)
                .expect("written");
        }
    }
    workbook
        .save(dir.path().join("meet.xlsx"))
        .expect("a workbook");
    let (out, roster, report) = import(
        dir.path(),
        &[
            "zoom-registro.csv",
            "--attendance",
            "meet.xlsx",
            "--attendance",
            "meet-es.csv",
            "--min-attendance",
            "65m",
        ],
    );
    assert_eq!(
        time(&roster, "ane.etxeberria@bizkaia-ong.eus"),
        (YES, Some(65))
    );
    assert_eq!(
        time(&roster, "olena.kovalenko@ukr-bilbao.org"),
        (YES, Some(120))
    );
    assert_eq!(time(&roster, "inaki@gazteak.eus"), (YES, Some(85)));
    assert_eq!(time(&roster, "karmele@kultur.eus"), (NO, Some(45)));
    assert_eq!(time(&roster, "koldo.arrese@gmail.com"), (YES, Some(65)));
    assert_eq!(problems(&report, "ambiguous_name").len(), 1);
    assert!(
        out.stderr
            .contains("meet.xlsx, sheet \"Attendance\", Google Meet attendance"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_report_of_another_meeting_is_refused() {
    let dir = folder_with(&[fixture("online/bad/otra-reunion.csv")]);
    let out = taller(
        dir.path(),
        &[
            "import",
            "zoom-registro.csv",
            "--attendance",
            "otra-reunion.csv",
            "-o",
            "roster.csv",
        ],
    );
    out.expect_code(2);
    assert_eq!(
        out.stderr.trim(),
        "taller: otra-reunion.csv: none of its 2 participants matches a registered attendee by email or name: it looks like the report of another meeting; check that it is this workshop's"
    );
    assert!(!dir.path().join("roster.csv").exists());
}

#[test]
fn a_truncated_report_reports_the_cut_row() {
    let dir = folder_with(&[fixture("online/bad/cortado.csv")]);
    let (_, roster, report) = import(
        dir.path(),
        &[
            "zoom-registro.csv",
            "--attendance",
            "cortado.csv",
            "--min-attendance",
            "60m",
        ],
    );
    assert_eq!(
        time(&roster, "ane.etxeberria@bizkaia-ong.eus"),
        (YES, Some(90))
    );
    assert_eq!(time(&roster, "karmele@kultur.eus"), (NO, Some(0)));
    let invalid = problems(&report, "invalid_value");
    assert_eq!(invalid.len(), 1, "{invalid:?}");
    assert!(
        invalid[0].starts_with("cortado.csv:3: `Karmele Otxoa` has no join and leave time"),
        "{invalid:?}"
    );
}

#[test]
fn a_minimum_that_cannot_be_used_is_one_sentence() {
    let dir = folder_with(&[example("sesion-1.csv")]);
    for (minimum, expected) in [
        (
            "80%",
            "taller: --min-attendance: a minimum attendance of 80% needs the workshop's length: add hours = … under [workshop], or give the minimum in minutes (\"150 min\")",
        ),
        (
            "mucho",
            "taller: --min-attendance: minimum attendance `mucho` is neither a share of the hours (\"80%\") nor minutes (\"150 min\")",
        ),
    ] {
        let out = taller(
            dir.path(),
            &[
                "import",
                "zoom-registro.csv",
                "--attendance",
                "sesion-1.csv",
                "--min-attendance",
                minimum,
                "-o",
                "roster.csv",
            ],
        );
        out.expect_code(2);
        assert_eq!(out.stderr.trim(), expected);
    }
}

#[test]
fn the_same_report_given_twice_is_refused() {
    let dir = folder_with(&[example("sesion-2.csv")]);
    fs::copy(
        dir.path().join("sesion-2.csv"),
        dir.path().join("sesion-2-copia.csv"),
    )
    .expect("a copy");
    let out = taller(
        dir.path(),
        &[
            "import",
            "zoom-registro.csv",
            "--attendance",
            "sesion-2.csv",
            "--attendance",
            "sesion-2-copia.csv",
            "-o",
            "roster.csv",
        ],
    );
    out.expect_code(2);
    assert_eq!(
        out.stderr.trim(),
        "taller: sesion-2-copia.csv: is the same file as sesion-2.csv; give each session's report once"
    );
}

#[test]
fn hostile_values_in_a_report_stay_values() {
    let dir = folder_with(&[]);
    fs::write(
        dir.path().join("zoom.csv"),
        "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\r\n\
         Ane Etxeberria,ane.etxeberria@bizkaia-ong.eus,06/14/2016 10:00:00 AM,06/14/2016 11:00:00 AM,60\r\n\
         \"=HYPERLINK(\"\"http://x\"\")\r\n<b>Mallory</b>\",mallory@example.org,06/14/2016 10:00:00 AM,06/14/2016 11:00:00 AM,60\r\n\
         ../../etc/passwd,,06/14/2016 10:00:00 AM,06/14/2016 10:30:00 AM,30\r\n",
    )
    .expect("written");
    let (_, roster, report) = import(
        dir.path(),
        &["zoom-registro.csv", "--attendance", "zoom.csv"],
    );
    let raw = fs::read_to_string(dir.path().join("roster.csv")).expect("a roster");
    assert!(raw.contains("'=HYPERLINK"), "{raw}");
    let mallory = roster
        .attendees
        .iter()
        .find(|a| a.email == "mallory@example.org")
        .expect("the walk-in");
    // One line, as typed otherwise; never run as a formula.
    assert!(!mallory.display_name().contains(['\r', '\n']));
    assert!(mallory.display_name().starts_with("=HYPERLINK"));
    assert_eq!(mallory.minutes, Some(60));
    assert!(
        problems(&report, "unmatched_attendance")[0]
            .contains("`../../etc/passwd` was connected for 30 min"),
        "{report}"
    );
    assert!(fs::read_dir(dir.path()).expect("listable").all(|e| {
        !e.expect("entry")
            .file_name()
            .to_string_lossy()
            .contains("passwd")
    }));
}

#[test]
fn a_hybrid_workshop_keeps_who_signed_in_at_the_door() {
    let dir = folder_with(&[example("sesion-1.csv")]);
    fs::write(
        dir.path().join("checkin.csv"),
        "Nombre,Correo\nKarmele Otxoa,karmele@kultur.eus\n",
    )
    .expect("written");
    let (_, roster, report) = import(
        dir.path(),
        &[
            "zoom-registro.csv",
            "--attendance",
            "checkin.csv",
            "--attendance",
            "sesion-1.csv",
            "--min-attendance",
            "60m",
        ],
    );
    // In the room, and 30 min online: present, not reported as short.
    assert_eq!(time(&roster, "karmele@kultur.eus"), (YES, Some(30)));
    assert_eq!(time(&roster, "inaki@gazteak.eus"), (YES, Some(90)));
    assert_eq!(time(&roster, "joseramon.garcia@cruzroja.es"), (NO, Some(0)));
    assert!(
        problems(&report, "short_attendance")
            .iter()
            .all(|p| !p.contains("Karmele")),
        "{report}"
    );
}
