//! `taller followup`: every message is parsed back with a MIME parser
//! (mail-parser) and checked as a mail client would show it.

use std::fs;
use std::path::{Path, PathBuf};

use mail_parser::{Message, MessageParser, MimeHeaders};
use taller_model::{
    Answer, Attendee, AttendeeId, CertificateManifest, Language, ManifestEntry, Roster, file_stem,
};

use crate::common::{fixture, taller, temp_dir};

/// An attendee as `taller import` would write them.
pub fn person(
    given: &str,
    family: &str,
    email: &str,
    language: &str,
    attended: Answer,
) -> Attendee {
    Attendee {
        id: AttendeeId::from_email(email),
        given_name: given.to_owned(),
        family_name: family.to_owned(),
        email: email.to_owned(),
        language: (!language.is_empty()).then(|| Language::parse(language).expect("language")),
        consent: Answer::Yes,
        attended,
        ..Attendee::default()
    }
}

/// The test roster: every case `followup` must handle.
pub fn roster() -> Vec<Attendee> {
    let mut pilar = person("Pilar", "Sanz", "pilar@ejemplo.org", "es", Answer::Yes);
    pilar.consent = Answer::No;
    let mut nadie = person("Nadie", "Sincorreo", "", "es", Answer::Yes);
    nadie.id = AttendeeId::new("a-nadie");
    let mut liam = person(
        "Liam <script>alert(1)</script>",
        "O'Brien",
        "liam@ejemplo.ie",
        "es",
        Answer::Yes,
    );
    liam.organisation = "<b>Hate-free</b> & Co".to_owned();
    vec![
        person("Ana", "Ruiz Gallardo", "ana@ejemplo.org", "es", Answer::Yes),
        person(
            "María de los Ángeles",
            "Fernández-Villaverde Íñiguez",
            "mangeles@ejemplo.es",
            "es",
            Answer::Yes,
        ),
        liam,
        person("Jean", "Dupont", "jean@exemple.fr", "fr", Answer::Yes),
        person("Tom", "Baker", "tom@example.co.uk", "en", Answer::No),
        pilar,
        nadie,
        person(
            "Eve\r\nBcc: victim@evil.example",
            "Hacker",
            "eve@evil.example",
            "es",
            Answer::Yes,
        ),
    ]
}

/// A workshop folder in a fresh temporary directory: the fixture's
/// workshop.toml, templates and handbook, `roster.csv`, and certificates
/// (with `certificates.json`) for everyone who came.
pub fn workshop_dir(attendees: Vec<Attendee>) -> tempfile::TempDir {
    let dir = temp_dir();
    copy_dir(&fixture("followup"), dir.path());
    let mut roster = Roster::new(attendees);
    roster.assign_certificate_ids("mad-2016-01");
    fs::write(
        dir.path().join("roster.csv"),
        taller_registration::write_roster_csv(&roster).expect("roster"),
    )
    .expect("write roster");
    let certificates = dir.path().join("certificates");
    fs::create_dir_all(&certificates).expect("certificates folder");
    let pdf = fs::read(fixture("followup/certificate.pdf")).expect("fixture pdf");
    let mut manifest = CertificateManifest {
        workshop_id: "mad-2016-01".to_owned(),
        ..CertificateManifest::default()
    };
    for attendee in roster.certificate_holders(false) {
        let id = attendee.certificate_id.clone().expect("id assigned");
        let file = format!("{}.pdf", file_stem(&id, &attendee.display_name()));
        fs::write(certificates.join(&file), &pdf).expect("write pdf");
        manifest.certificates.push(ManifestEntry {
            certificate_id: id,
            attendee_id: attendee.id.clone(),
            name: attendee.display_name(),
            email: attendee.email.clone(),
            file,
            sha256: String::new(),
            language: String::new(),
            url: None,
            revoked: None,
            name_key: None,
        });
    }
    fs::write(
        certificates.join("certificates.json"),
        serde_json::to_vec_pretty(&manifest).expect("manifest"),
    )
    .expect("write manifest");
    dir
}

/// Copies a folder and everything in it.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("folder");
    for entry in fs::read_dir(from).expect("fixture folder") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// The `.eml` files of an outbox, sorted.
pub fn eml_files(outbox: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(outbox)
        .expect("outbox exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    files.sort();
    files
}

pub fn followup(dir: &Path, extra: &[&str]) -> crate::common::Output {
    let mut args = vec![
        "followup",
        "--roster",
        "roster.csv",
        "--workshop",
        "workshop.toml",
    ];
    args.extend_from_slice(extra);
    taller(dir, &args)
}

fn parse(bytes: &[u8]) -> Message<'_> {
    MessageParser::default()
        .parse(bytes)
        .expect("a MIME message")
}

/// The message whose `To` address is `email`.
fn message_to(outbox: &Path, email: &str) -> Vec<u8> {
    eml_files(outbox)
        .into_iter()
        .map(|path| fs::read(path).expect("read eml"))
        .find(|bytes| {
            parse(bytes)
                .to()
                .and_then(|to| to.first())
                .and_then(|a| a.address())
                == Some(email)
        })
        .unwrap_or_else(|| panic!("no message to {email}"))
}

fn sender(address: Option<&mail_parser::Address<'_>>) -> (String, String) {
    let addr = address.and_then(|a| a.first()).expect("address");
    (
        addr.name().unwrap_or_default().to_owned(),
        addr.address().unwrap_or_default().to_owned(),
    )
}

#[test]
fn writes_one_standard_message_per_attendee() {
    let dir = workshop_dir(roster());
    let out = followup(dir.path(), &["-o", "outbox"]);
    out.expect_code(0);
    let outbox = dir.path().join("outbox");
    let files = eml_files(&outbox);
    assert_eq!(files.len(), 5, "{:?}\n{}", files, out.stderr);

    // Ana: headers, both alternatives, the certificate and the handbook.
    let bytes = message_to(&outbox, "ana@ejemplo.org");
    let ana = parse(&bytes);
    assert_eq!(
        ana.subject(),
        Some(
            "Gracias por venir a «Campañas en redes sociales y contranarrativas: cómo responder al discurso de odio sin amplificarlo», Ana"
        )
    );
    assert_eq!(
        sender(ana.from()),
        (
            "Red de Formación para ONG".to_owned(),
            "formacion@example.org".to_owned()
        )
    );
    assert_eq!(
        sender(ana.to()),
        ("Ana Ruiz Gallardo".to_owned(), "ana@ejemplo.org".to_owned())
    );
    assert_eq!(
        sender(ana.reply_to()),
        (
            "Marta Aguirre Solís".to_owned(),
            "marta@example.org".to_owned()
        )
    );
    assert!(
        ana.message_id()
            .is_some_and(|id| id.ends_with("@example.org"))
    );
    assert!(ana.date().is_some(), "a Date header");
    let text = ana.body_text(0).expect("text part");
    assert!(text.contains("Hola, Ana:"), "{text}");
    assert!(
        text.contains("Gracias por acompañarnos el 27 de enero de 2016 en Madrid."),
        "{text}"
    );
    assert!(text.contains("Organización: sin organización."), "{text}");
    assert!(
        text.contains("Próxima sesión: 15 de febrero de 2016."),
        "{text}"
    );
    let html = ana.body_html(0).expect("html part");
    assert!(html.contains("<b>Ana Ruiz Gallardo</b>"), "{html}");
    let certificate_id = taller_model::CertificateId::derive(
        "mad-2016-01",
        &AttendeeId::from_email("ana@ejemplo.org"),
        0,
    );
    assert!(
        text.contains(&format!("https://example.org/verify/#id={certificate_id}")),
        "{text}"
    );
    let stem = file_stem(&certificate_id, "Ana Ruiz Gallardo");
    let attachments: Vec<_> = ana.attachments().collect();
    assert_eq!(attachments.len(), 2);
    assert_eq!(
        attachments[0].attachment_name(),
        Some(format!("{stem}.pdf").as_str())
    );
    let content_type = attachments[0].content_type().expect("content type");
    assert_eq!(
        (content_type.ctype(), content_type.subtype()),
        ("application", Some("pdf"))
    );
    assert_eq!(
        attachments[0].contents(),
        fs::read(fixture("followup/certificate.pdf")).expect("pdf")
    );
    assert_eq!(attachments[1].attachment_name(), Some("handbook.pdf"));
    assert_eq!(
        attachments[1].contents(),
        fs::read(fixture("followup/handbook.pdf")).expect("pdf")
    );
    assert!(text.contains(&format!("({stem}.pdf)")), "{text}");
    assert!(
        outbox.join(format!("{stem}.eml")).is_file(),
        "named like the certificate"
    );
    let raw = String::from_utf8_lossy(&bytes);
    assert!(raw.contains("multipart/mixed") && raw.contains("multipart/alternative"));

    // Long accented names and subjects survive encoding, spaces included.
    let bytes = message_to(&outbox, "mangeles@ejemplo.es");
    let maria = parse(&bytes);
    assert_eq!(
        sender(maria.to()),
        (
            "María de los Ángeles Fernández-Villaverde Íñiguez".to_owned(),
            "mangeles@ejemplo.es".to_owned()
        )
    );
    assert_eq!(
        maria.subject(),
        Some(
            "Gracias por venir a «Campañas en redes sociales y contranarrativas: cómo responder al discurso de odio sin amplificarlo», María de los Ángeles"
        )
    );
    // Each display name is encoded on its own, the address stays outside
    // the encoded words (mail clients show `Name <address>` otherwise broken).
    let unfolded = String::from_utf8_lossy(&bytes).replace("\r\n ", " ");
    let to_line = unfolded
        .lines()
        .find(|l| l.starts_with("To:"))
        .expect("To header");
    assert!(to_line.starts_with("To: =?utf-8?"), "{to_line}");
    assert!(to_line.ends_with("?= <mangeles@ejemplo.es>"), "{to_line}");

    // HTML-escaped in the HTML part only.
    let bytes = message_to(&outbox, "liam@ejemplo.ie");
    let liam = parse(&bytes);
    let html = liam.body_html(0).expect("html");
    assert!(
        html.contains("Liam &lt;script&gt;alert(1)&lt;/script&gt; O&#x27;Brien"),
        "{html}"
    );
    assert!(
        html.contains("&lt;b&gt;Hate-free&lt;/b&gt; &amp; Co"),
        "{html}"
    );
    assert!(!html.contains("<script>"), "{html}");
    let text = liam.body_text(0).expect("text");
    assert!(
        text.contains("Organización: <b>Hate-free</b> & Co."),
        "{text}"
    );
    assert_eq!(
        sender(liam.to()).0,
        "Liam <script>alert(1)</script> O'Brien"
    );

    // A French speaker gets Spanish, and the summary says so.
    let jean = message_to(&outbox, "jean@exemple.fr");
    assert!(
        parse(&jean)
            .subject()
            .is_some_and(|s| s.starts_with("Gracias"))
    );
    assert!(
        out.stderr.contains("Jean Dupont writes in `fr`"),
        "{}",
        out.stderr
    );

    // Tom did not come: the missed message, in English, no certificate.
    let tom = message_to(&outbox, "tom@example.co.uk");
    let tom = parse(&tom);
    assert_eq!(tom.subject(), Some("We missed you at Madrid"));
    let names: Vec<_> = tom
        .attachments()
        .filter_map(|a| a.attachment_name())
        .collect();
    assert_eq!(names, ["handbook.pdf"]);

    // Left out, each listed with the reason.
    assert!(
        out.stderr.contains("Pilar Sanz said no to being contacted"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("Nadie Sincorreo has no email address"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("line break or control character"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("roster.csv, row 9"), "{}", out.stderr);
    for path in eml_files(&outbox) {
        let text = fs::read_to_string(&path).expect("ascii eml");
        assert!(!text.contains("evil.example"), "{}", path.display());
    }

    // Every Message-ID is different.
    let mut ids: Vec<String> = eml_files(&outbox)
        .iter()
        .map(|p| {
            parse(&fs::read(p).expect("eml"))
                .message_id()
                .expect("id")
                .to_owned()
        })
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 5);
}

#[test]
fn a_missing_placeholder_stops_everything_before_writing() {
    let dir = workshop_dir(roster());
    let template = dir.path().join("templates/followup.en.hbs");
    let text = fs::read_to_string(&template).expect("template");
    fs::write(
        &template,
        text.replace(
            "Your certificate",
            "From {{attendee.organization}}: your certificate",
        ),
    )
    .expect("edit template");
    let out = followup(dir.path(), &["-o", "outbox"]);
    out.expect_code(2);
    assert!(
        out.stderr
            .contains("followup.en.hbs line 6: placeholder `attendee.organization` does not exist"),
        "{}",
        out.stderr
    );
    // The English template is checked against everyone, so the first
    // attendee in the roster is the one named.
    assert!(
        out.stderr
            .contains("Ana Ruiz Gallardo <ana@ejemplo.org> (roster.csv, row 2)"),
        "{}",
        out.stderr
    );
    assert!(!dir.path().join("outbox").exists(), "nothing written");
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".outbox"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn a_syntax_error_names_the_template_and_line() {
    let dir = workshop_dir(roster());
    fs::write(
        dir.path().join("templates/followup.es.html.hbs"),
        "<p>Hola</p>\n<p>{{#if attendee.name}}sin cerrar</p>\n",
    )
    .expect("write");
    let out = followup(dir.path(), &["-o", "outbox"]);
    out.expect_code(2);
    assert!(
        out.stderr.contains("followup.es.html.hbs line"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("not valid Handlebars"),
        "{}",
        out.stderr
    );
    assert!(!dir.path().join("outbox").exists());
}

#[test]
fn preview_prints_one_message_and_writes_nothing() {
    let dir = workshop_dir(roster());
    let out = followup(dir.path(), &["--preview", "mangeles@ejemplo.es"]);
    out.expect_code(0);
    assert!(
        out.stdout.contains(
            "To: \"María de los Ángeles Fernández-Villaverde Íñiguez\" <mangeles@ejemplo.es>"
        ) || out.stdout.contains(
            "To: María de los Ángeles Fernández-Villaverde Íñiguez <mangeles@ejemplo.es>"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("Hola, María de los Ángeles:"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("----- HTML alternative -----"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("Attachments: MAD16-"), "{}", out.stdout);
    assert!(!dir.path().join("outbox").exists());
    let first = followup(dir.path(), &["--preview"]);
    first.expect_code(0);
    assert!(
        first.stdout.contains("<ana@ejemplo.org>"),
        "{}",
        first.stdout
    );
    let nobody = followup(dir.path(), &["--preview", "pilar@ejemplo.org"]);
    nobody.expect_code(2);
    assert!(
        nobody
            .stderr
            .contains("no message to preview for `pilar@ejemplo.org`"),
        "{}",
        nobody.stderr
    );
}

#[test]
fn mbox_holds_every_message_in_roster_order() {
    let dir = workshop_dir(roster());
    let out = followup(
        dir.path(),
        &["--format", "mbox", "-o", "outbox.mbox", "--json"],
    );
    out.expect_code(0);
    let bytes = fs::read(dir.path().join("outbox.mbox")).expect("mbox");
    let recipients: Vec<String> = mail_parser::mailbox::mbox::MessageIterator::new(&bytes[..])
        .map(|m| {
            let m = m.expect("mbox message");
            let parsed = MessageParser::default()
                .parse(m.contents())
                .expect("message");
            assert!(parsed.attachments().count() >= 1);
            parsed
                .to()
                .and_then(|t| t.first())
                .and_then(|a| a.address())
                .expect("to")
                .to_owned()
        })
        .collect();
    assert_eq!(
        recipients,
        [
            "ana@ejemplo.org",
            "mangeles@ejemplo.es",
            "liam@ejemplo.ie",
            "jean@exemple.fr",
            "tom@example.co.uk"
        ]
    );
    let summary: serde_json::Value = serde_json::from_str(&out.stdout).expect("json summary");
    assert_eq!(summary["messages"], 5);
    assert_eq!(summary["attended"], 4);
    assert_eq!(summary["missed"], 1);
    assert_eq!(summary["languages"]["es"], 4);
    let kinds: Vec<&str> = summary["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .filter_map(|p| p["kind"].as_str())
        .collect();
    for kind in [
        "no_consent",
        "no_email",
        "rejected_row",
        "language_fallback",
    ] {
        assert!(kinds.contains(&kind), "{kinds:?}");
    }
}

#[test]
fn audience_and_overwriting() {
    let dir = workshop_dir(roster());
    let out = followup(dir.path(), &["-o", "outbox", "--audience", "missed"]);
    out.expect_code(0);
    assert_eq!(eml_files(&dir.path().join("outbox")).len(), 1);
    let again = followup(dir.path(), &["-o", "outbox"]);
    again.expect_code(2);
    assert!(
        again.stderr.contains("already exists; use --force"),
        "{}",
        again.stderr
    );
    followup(dir.path(), &["-o", "outbox", "--force"]).expect_code(0);
    assert_eq!(eml_files(&dir.path().join("outbox")).len(), 5);
    fs::write(dir.path().join("outbox/send-log.jsonl"), "").expect("log");
    let sent = followup(dir.path(), &["-o", "outbox", "--force"]);
    sent.expect_code(2);
    assert!(
        sent.stderr
            .contains("messages were already sent from outbox"),
        "{}",
        sent.stderr
    );
}

#[test]
fn without_a_missed_template_those_who_did_not_come_get_nothing() {
    let dir = workshop_dir(roster());
    fs::remove_file(dir.path().join("templates/followup.missed.en.hbs")).expect("remove");
    let out = followup(dir.path(), &["-o", "outbox", "--strict"]);
    out.expect_code(1);
    assert_eq!(eml_files(&dir.path().join("outbox")).len(), 4);
    assert!(
        out.stderr
            .contains("Tom Baker did not attend and there is no `missed` template"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_roster_without_attendance_thanks_everyone() {
    let mut people = roster();
    people.truncate(2);
    people.push(person(
        "Tom",
        "Baker",
        "tom@example.co.uk",
        "en",
        Answer::Unknown,
    ));
    for p in &mut people {
        p.attended = Answer::Unknown;
    }
    let dir = workshop_dir(people);
    followup(dir.path(), &["-o", "outbox"]).expect_code(0);
    let tom = message_to(&dir.path().join("outbox"), "tom@example.co.uk");
    let tom = parse(&tom);
    assert_eq!(
        tom.subject(),
        Some(
            "Thank you for coming to «Campañas en redes sociales y contranarrativas: cómo responder al discurso de odio sin amplificarlo»"
        )
    );
    assert!(
        tom.body_text(0)
            .is_some_and(|t| t.contains("on 27 January 2016 in Madrid"))
    );
    assert_eq!(tom.attachments().count(), 2);
}

#[test]
fn certificates_must_exist_when_they_are_to_be_attached() {
    let dir = workshop_dir(roster());
    fs::remove_dir_all(dir.path().join("certificates")).expect("remove");
    let out = followup(dir.path(), &["-o", "outbox"]);
    out.expect_code(2);
    assert!(
        out.stderr.contains("certificates.json does not exist"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("taller certificates"), "{}", out.stderr);
    let only_missed = followup(dir.path(), &["-o", "outbox", "--audience", "missed"]);
    only_missed.expect_code(0);
    assert_eq!(eml_files(&dir.path().join("outbox")).len(), 1);
}

#[test]
fn the_bundled_templates_render_in_spanish_and_english() {
    let dir = workshop_dir(roster());
    let templates = dir.path().join("templates");
    fs::remove_dir_all(&templates).expect("remove fixture templates");
    copy_dir(
        &crate::common::repo_root().join("assets/templates"),
        &templates,
    );
    for extra in ["workshop.toml", "inscripciones.csv", "handout.md"] {
        let _ = fs::remove_file(templates.join(extra));
    }
    let out = followup(dir.path(), &["-o", "outbox"]);
    out.expect_code(0);
    let outbox = dir.path().join("outbox");

    let ana = message_to(&outbox, "ana@ejemplo.org");
    let ana = parse(&ana);
    assert!(
        ana.subject()
            .is_some_and(|s| s.starts_with("Gracias por venir a «Campañas"))
    );
    let text = ana.body_text(0).expect("text");
    assert!(text.contains("Hola, Ana:"), "{text}");
    assert!(text.contains("el 27 de enero de 2016 en Madrid"), "{text}");
    assert!(text.contains("(4 horas)"), "{text}");
    let html = ana.body_html(0).expect("html");
    assert!(
        // `=` escaped as HTML does in an attribute; a browser reads it back.
        html.contains("<a href=\"https://example.org/verify/#id&#x3D;MAD16-"),
        "{html}"
    );
    assert!(html.contains("Muchas gracias"), "{html}");

    let tom = message_to(&outbox, "tom@example.co.uk");
    let tom = parse(&tom);
    assert!(
        tom.subject()
            .is_some_and(|s| s.starts_with("We missed you at «Campañas"))
    );
    assert!(
        tom.body_text(0)
            .is_some_and(|t| t.contains("On 27 January 2016 we ran"))
    );
    assert!(tom.body_html(0).is_none() || tom.body_html(0).is_some_and(|h| !h.contains("<p>")));

    // The HTML part follows the message's language.
    let mut people = roster();
    people.truncate(1);
    people[0].language = Some(Language::english());
    let dir = workshop_dir(people);
    let templates = dir.path().join("templates");
    fs::remove_dir_all(&templates).expect("remove fixture templates");
    copy_dir(
        &crate::common::repo_root().join("assets/templates"),
        &templates,
    );
    followup(dir.path(), &["-o", "outbox"]).expect_code(0);
    let ana = message_to(&dir.path().join("outbox"), "ana@ejemplo.org");
    let ana = parse(&ana);
    let html = ana.body_html(0).expect("html");
    assert!(
        html.contains("Thank you so much for joining us in Madrid on 27 January 2016"),
        "{html}"
    );
    assert!(html.contains("lang=\"en\""), "{html}");
}

#[test]
fn hostile_roster_values_never_panic_or_escape() {
    let mut people = roster();
    people.truncate(1);
    people[0].organisation = format!(
        "=HYPERLINK(\"http://x\")\r\n<img src=x onerror=alert(1)>{}",
        "ñ".repeat(2_500_000)
    );
    let mut traveller = person("../../etc", "passwd", "dots@ejemplo.org", "es", Answer::Yes);
    traveller.city = "\u{0}\u{7}".to_owned();
    people.push(traveller);
    let dir = workshop_dir(people);
    let out = followup(dir.path(), &["-o", "outbox"]);
    out.expect_code(0);
    let files = eml_files(&dir.path().join("outbox"));
    assert_eq!(files.len(), 2);
    for file in &files {
        assert_eq!(file.parent(), Some(dir.path().join("outbox").as_path()));
    }
    let ana = message_to(&dir.path().join("outbox"), "ana@ejemplo.org");
    let ana = parse(&ana);
    let html = ana.body_html(0).expect("html");
    assert!(
        html.contains("&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;"),
        "escaped"
    );
    assert!(ana.body_text(0).is_some_and(|t| t.len() > 5_000_000));
}

#[test]
fn a_repeated_attendee_id_still_gets_two_distinct_messages() {
    let mut people = roster();
    people.truncate(2);
    let twin_id = people[0].id.clone();
    people[1].id = twin_id;
    people[1].certificate_id = None;
    let dir = workshop_dir(people);
    let out = followup(dir.path(), &["-o", "outbox", "--audience", "attended"]);
    out.expect_code(0);
    let files = eml_files(&dir.path().join("outbox"));
    assert_eq!(files.len(), 2, "{}", out.stderr);
    let ids: Vec<String> = files
        .iter()
        .map(|p| {
            parse(&fs::read(p).expect("eml"))
                .message_id()
                .expect("id")
                .to_owned()
        })
        .collect();
    assert_ne!(ids[0], ids[1]);
    // Each gets their own certificate, never the other's.
    let roster = std::fs::read(dir.path().join("roster.csv")).expect("roster");
    let roster = taller_registration::read_roster(&roster, "roster.csv").expect("roster");
    for attendee in &roster.attendees {
        let message = message_to(&dir.path().join("outbox"), &attendee.email);
        let message = parse(&message);
        let certificate = message.attachments().next().expect("certificate");
        let id = attendee.certificate_id.as_ref().expect("id").to_string();
        assert!(
            certificate
                .attachment_name()
                .is_some_and(|n| n.starts_with(&id)),
            "{id}"
        );
    }
}

#[test]
fn a_certificate_changed_since_it_was_issued_is_not_attached() {
    let mut people = roster();
    people.truncate(2);
    let dir = workshop_dir(people);
    let manifest_path = dir.path().join("certificates/certificates.json");
    let mut manifest: CertificateManifest =
        serde_json::from_slice(&fs::read(&manifest_path).expect("manifest")).expect("json");
    for entry in &mut manifest.certificates {
        entry.sha256 = CERTIFICATE_SHA256.to_owned();
    }
    fs::write(&manifest_path, serde_json::to_vec(&manifest).expect("json")).expect("write");
    // María's file is replaced by another PDF after issuing.
    let maria = &manifest.certificates[1];
    fs::write(
        dir.path().join("certificates").join(&maria.file),
        fs::read(fixture("followup/handbook.pdf")).expect("pdf"),
    )
    .expect("replace");
    let out = followup(dir.path(), &["-o", "outbox"]);
    out.expect_code(0);
    assert_eq!(eml_files(&dir.path().join("outbox")).len(), 1);
    assert!(
        out.stderr.contains("is not the one issued"),
        "{}",
        out.stderr
    );
    message_to(&dir.path().join("outbox"), "ana@ejemplo.org");
}

/// SHA-256 of `tests/fixtures/followup/certificate.pdf`, as `taller
/// certificates` records it in `certificates.json`.
const CERTIFICATE_SHA256: &str = "05ac473acc491cd835dbac87141274534e70eaa1ce858d955d16db8deb6ffc13";
