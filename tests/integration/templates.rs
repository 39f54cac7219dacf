//! One template context: a certificate layout, a handout and an email,
//! made for the same workshop, say the same hours, date and name.

use std::fs;

use mail_parser::MessageParser;

use crate::common::{pdf_pages_text, taller, temp_dir};
use crate::followup::eml_files;

#[test]
fn every_kind_of_template_says_the_same_hours_date_and_name() {
    let dir = temp_dir();
    let root = dir.path();
    fs::write(
        root.join("workshop.toml"),
        "[workshop]\nid = \"sev-2016-02\"\ntitle = \"Contranarrativas\"\ncity = \"Sevilla\"\n\
         date = 2016-01-27\nhours = 2.5\nlanguage = \"es\"\norganiser = \"Red de Formación\"\n\n\
         [registration]\nsources = [\"inscripciones.csv\"]\n\n\
         [certificate]\nsignatory = \"Marta Aguirre\"\n\n\
         [followup]\ntemplate = \"templates/aviso\"\nfrom = \"Red <formacion@example.org>\"\n\
         attach_certificate = false\n",
    )
    .expect("workshop");
    fs::write(
        root.join("inscripciones.csv"),
        "Nombre,Apellidos,Correo\nAna,Ruiz Gallardo,ana@ejemplo.org\n",
    )
    .expect("sheet");
    fs::write(
        root.join("notas.md"),
        "# Notas\n\nDuración: {{workshop.duration}} ({{workshop.hours}}), el {{workshop.date}}.\n",
    )
    .expect("handout");
    fs::create_dir(root.join("templates")).expect("templates folder");
    fs::write(
        root.join("templates/aviso.es.hbs"),
        "Subject: {{workshop.title}}\n\nHola, {{attendee.name}}: {{workshop.duration}} \
         ({{workshop.hours}}), el {{workshop.date}}.\n",
    )
    .expect("template");

    let steps: [&[&str]; 4] = [
        &["import", "--workshop", "workshop.toml", "-o", "roster.csv"],
        &[
            "certificates",
            "--roster",
            "roster.csv",
            "--workshop",
            "workshop.toml",
            "-o",
            "certs",
        ],
        &[
            "handout",
            "notas.md",
            "--workshop",
            "workshop.toml",
            "-o",
            "notas.pdf",
        ],
        &[
            "followup",
            "--roster",
            "roster.csv",
            "--workshop",
            "workshop.toml",
            "--certificates",
            "certs",
            "-o",
            "outbox",
        ],
    ];
    for args in steps {
        taller(root, args).expect_code(0);
    }

    let flat = |text: String| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let certificate = fs::read_dir(root.join("certs"))
        .expect("certificates folder")
        .map(|entry| entry.expect("entry").path())
        .find(|path| path.extension().is_some_and(|e| e == "pdf"))
        .expect("a certificate");
    let certificate = flat(pdf_pages_text(&certificate).join(" "));
    for expected in [
        "Ana Ruiz Gallardo",
        "de 2,5 horas de duración",
        "27 de enero de 2016",
    ] {
        assert!(
            certificate.contains(expected),
            "certificate lacks {expected:?}: {certificate}"
        );
    }

    let handout = flat(pdf_pages_text(&root.join("notas.pdf")).join(" "));
    assert!(
        handout.contains("Duración: 2,5 horas (2,5), el 27 de enero de 2016."),
        "{handout}"
    );

    let messages = eml_files(&root.join("outbox"));
    assert_eq!(messages.len(), 1);
    let bytes = fs::read(&messages[0]).expect("message");
    let message = MessageParser::default().parse(&bytes).expect("MIME");
    let body = flat(message.body_text(0).expect("text body").into_owned());
    assert_eq!(
        body,
        "Hola, Ana Ruiz Gallardo: 2,5 horas (2,5), el 27 de enero de 2016."
    );
}
