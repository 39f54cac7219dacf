//! One certificate with the default layout, and a 100-page merged file:
//! `cargo bench -p taller-print --bench certificates -- --quick`.

// criterion_main! generates an undocumented `main`.
#![allow(missing_docs)]

use criterion::{Criterion, criterion_group, criterion_main};
use taller_model::{Attendee, AttendeeId, CertificateId, Workshop};
use taller_print::certificate::{CertificateImages, CertificateMaker, Layout, Recipient};

const WORKSHOP: &str = r#"
[workshop]
id = "mad-2016-01"
title = "Campaigning on Twitter"
city = "Madrid"
venue = "Medialab Prado"
date = 2016-01-27
hours = 4
language = "es"
organiser = "Red de ONG por la Comunicación"

[certificate]
signatory = "Lucía Martín Ortega"
signatory_role = "Coordinadora del programa"
verify_url = "https://example.org/verify/{id}"
"#;

const NAMES: [&str; 5] = [
    "Ana Ruiz Gallardo",
    "Maximiliano Fernández de la Cueva y Hernández de Córdoba-Villanueva",
    "Ελένη Παπαδοπούλου",
    "Nguyễn Thị Minh Khai",
    "محمد بن سلمان",
];

fn people(count: usize) -> Vec<(Attendee, CertificateId)> {
    (0..count)
        .map(|i| {
            let id = AttendeeId::from_email(&format!("person{i}@example.org"));
            let certificate = CertificateId::derive("mad-2016-01", &id, 0);
            let attendee = Attendee {
                id,
                full_name: NAMES[i % NAMES.len()].to_owned(),
                ..Attendee::default()
            };
            (attendee, certificate)
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let workshop = Workshop::from_toml(WORKSHOP).expect("valid workshop");
    let layout = Layout::default_layout().expect("default layout");
    let maker = CertificateMaker::new(&workshop, layout, CertificateImages::default())
        .expect("templates compile");
    let people = people(100);
    let recipients: Vec<Recipient<'_>> = people
        .iter()
        .map(|(attendee, certificate_id)| Recipient {
            attendee,
            certificate_id,
        })
        .collect();

    c.bench_function("one certificate PDF", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % recipients.len();
            maker.single(recipients[i], 1_453_881_600).expect("prints")
        });
    });
    c.bench_function("100 certificates merged", |b| {
        b.iter(|| {
            let mut document = maker
                .document("all", 1_453_881_600, Vec::new())
                .expect("in memory");
            for result in document.add_all(&recipients).expect("in memory") {
                result.expect("prints");
            }
            document.finish().expect("in memory")
        });
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
