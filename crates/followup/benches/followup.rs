#![allow(missing_docs)] // criterion_group! generates undocumented items.
//! Benchmarks of the follow-up messages: one message with a ~45 KB
//! certificate attached (render + MIME + base64), and the strict check of
//! every template against 1,000 attendees.
//!
//! The end-to-end figure (10,000 messages written by the release binary) is
//! measured with `/usr/bin/time -v` by `scripts/bench.sh`; past figures are
//! in `docs/performance.md`.

use std::fs;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use taller_followup::{Audience, Followup, Settings};
use taller_model::{
    Answer, Attendee, AttendeeId, CertificateManifest, Language, ManifestEntry, Roster, Workshop,
};

const WORKSHOP: &str = r#"
[workshop]
id = "mad-2016-01"
title = "Campañas en redes sociales y contranarrativas"
city = "Madrid"
date = 2016-01-27
hours = 4
organiser = "Red de Formación para ONG"
[certificate]
verify_url = "https://example.org/verify/{id}"
"#;

/// A folder with the test templates, and certificates for `roster`.
fn fixture(dir: &Path, roster: &Roster) {
    let templates =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/followup/templates");
    fs::create_dir_all(dir.join("templates")).expect("templates folder");
    for entry in fs::read_dir(templates).expect("fixture templates") {
        let entry = entry.expect("entry");
        fs::copy(entry.path(), dir.join("templates").join(entry.file_name())).expect("copy");
    }
    // ~45 KB, like a subset-font certificate; base64 cost does not depend
    // on the content.
    let mut pdf = b"%PDF-1.4\n".to_vec();
    pdf.extend((0..45_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
    let certificates = dir.join("certificates");
    fs::create_dir_all(&certificates).expect("certificates folder");
    let mut manifest = CertificateManifest::default();
    for attendee in &roster.attendees {
        let id = attendee.certificate_id.clone().expect("id");
        let file = format!("{id}.pdf");
        fs::write(certificates.join(&file), &pdf).expect("pdf");
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
        serde_json::to_vec(&manifest).expect("manifest"),
    )
    .expect("manifest file");
}

fn roster(count: usize) -> Roster {
    let mut roster = Roster::new(
        (0..count)
            .map(|i| {
                let email = format!("persona{i}@ejemplo.org");
                Attendee {
                    id: AttendeeId::from_email(&email),
                    given_name: "María de los Ángeles".to_owned(),
                    family_name: format!("Fernández-Villaverde {i}"),
                    email,
                    organisation: "Asociación <Derechos> & Co".to_owned(),
                    language: Some(if i % 3 == 0 {
                        Language::english()
                    } else {
                        Language::spanish()
                    }),
                    attended: Answer::Yes,
                    ..Attendee::default()
                }
            })
            .collect(),
    );
    roster.assign_certificate_ids("mad-2016-01");
    roster
}

fn settings(dir: &Path) -> Settings {
    Settings {
        template: dir.join("templates/followup"),
        from: Some("Red de Formación para ONG <formacion@example.org>".to_owned()),
        reply_to: None,
        attach_certificate: true,
        attach: Vec::new(),
        certificates: dir.join("certificates"),
        audience: Audience::All,
        roster_name: "roster.csv".to_owned(),
    }
}

fn benches(c: &mut Criterion) {
    let workshop = Workshop::from_toml(WORKSHOP).expect("workshop");
    let dir = tempfile::tempdir().expect("temp dir");

    let one = roster(1);
    fixture(dir.path(), &one);
    let followup = Followup::prepare(&workshop, &one, settings(dir.path())).expect("prepare");
    c.bench_function("one message with a 45 KB certificate", |b| {
        b.iter(|| followup.message(0).expect("message").bytes.len())
    });

    let many = roster(1_000);
    fixture(dir.path(), &many);
    c.bench_function("plan and check every template for 1,000 attendees", |b| {
        b.iter(|| {
            Followup::prepare(&workshop, &many, settings(dir.path()))
                .expect("prepare")
                .len()
        })
    });
}

criterion_group!(followup_benches, benches);
criterion_main!(followup_benches);
