//! How long the door-and-desk prints take: a 50-page handout, a 500-name
//! sign-in sheet and 500 badges (each rendered to PDF bytes in memory).

// criterion_main! generates an undocumented `main`.
#![allow(missing_docs)]

use std::collections::HashMap;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use taller_model::{Attendee, Language};
use taller_print::badges::{self, BadgeOptions};
use taller_print::handout::{Handout, HandoutOptions};
use taller_print::labels::LabelFormat;
use taller_print::signin::{self, SigninOptions};

const GIVEN: [&str; 10] = [
    "Ana",
    "José María",
    "Núria",
    "Ольга",
    "Fátima",
    "Iñaki",
    "Zoë",
    "Xoán",
    "Lucía",
    "Kwame",
];
const FAMILY: [&str; 10] = [
    "García López",
    "de la Fuente",
    "Muñoz",
    "Петрова",
    "El Amrani",
    "Etxeberria Goikoetxea",
    "Łukasiewicz",
    "Carballo Pereira",
    "Núñez-Ibáñez",
    "Mensah",
];

fn attendees(n: usize) -> Vec<Attendee> {
    (0..n)
        .map(|i| Attendee {
            given_name: GIVEN[i % 10].to_owned(),
            family_name: format!("{} {i}", FAMILY[(i / 10) % 10]),
            organisation: format!("Asociación número {i} para la defensa de derechos"),
            twitter: format!("ong_{i}"),
            ..Attendee::default()
        })
        .collect()
}

/// `sections` sections of headings, paragraphs, lists and call-outs.
fn long_handout(sections: usize) -> String {
    let mut text = String::from("# Manual de seguridad digital\n\n");
    for section in 0..sections {
        text.push_str(&format!("## Apartado {section}\n\n"));
        for _ in 0..3 {
            text.push_str("Una organización que trabaja con personas vulnerables debe **proteger sus cuentas** con contraseñas largas, *verificación en dos pasos* y un reparto claro de permisos; consulta [la guía](https://example.org/guia) y repásala cada trimestre con todo el equipo.\n\n");
        }
        text.push_str("1. Activa la verificación\n2. Revisa las sesiones\n   - en el móvil\n   - en el ordenador\n3. Guarda los códigos\n\n");
        text.push_str("> **Aviso:** documenta antes de bloquear y guarda las capturas en una carpeta compartida.\n\n");
    }
    text
}

fn bench(c: &mut Criterion) {
    let options = HandoutOptions {
        footer: "Campañas en redes sociales".into(),
        language: Language::spanish(),
        ..HandoutOptions::default()
    };
    let pages_of = |source: &str| {
        Handout::parse(source, None, "manual.md")
            .and_then(|h| h.render(&HashMap::new(), &options))
            .expect("renders")
            .pages
    };
    // Scale the text until it makes 50 pages.
    let mut sections = 40;
    let mut source = long_handout(sections);
    let mut pages = pages_of(&source);
    while pages < 50 {
        sections = sections * 50 / pages.max(1) + 1;
        source = long_handout(sections);
        pages = pages_of(&source);
    }
    c.bench_function(&format!("handout_{pages}_pages"), |b| {
        b.iter(|| {
            let handout = Handout::parse(black_box(&source), None, "manual.md").expect("parses");
            handout.render(&HashMap::new(), &options).expect("renders")
        });
    });

    let people = attendees(500);
    let refs: Vec<&Attendee> = people.iter().collect();
    let signin_options = SigninOptions {
        title: "Campañas en redes sociales y contranarrativas".into(),
        city: "Madrid".into(),
        venue: "Centro Cultural".into(),
        date: "27 de enero de 2016".into(),
        language: Language::spanish(),
        blank_rows: 6,
        created_unix: 0,
    };
    c.bench_function("signin_500_names", |b| {
        b.iter(|| signin::render(black_box(&refs), &signin_options).expect("renders"));
    });

    let format = LabelFormat::by_name("avery-l7418").expect("known");
    let badge_options = BadgeOptions {
        workshop_title: "Campañas en redes sociales y contranarrativas".into(),
        ..BadgeOptions::default()
    };
    c.bench_function("badges_500", |b| {
        b.iter(|| badges::render(black_box(&refs), &format, &badge_options).expect("renders"));
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
