//! `taller handout`, `taller signin` and `taller badges` end to end: the
//! PDFs are read back as a reader would (text, order, links, positions).

use std::path::Path;

use crate::common::{fixture, pdf_pages_text, pdftotext, repo_root, taller, temp_dir};

fn arg(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

/// Where text starts on each page, in millimetres from the left edge.
fn text_x_positions(path: &Path) -> Vec<Vec<f32>> {
    let bytes = std::fs::read(path).expect("PDF written");
    let mut warnings = Vec::new();
    let document =
        printpdf::PdfDocument::parse(&bytes, &printpdf::PdfParseOptions::default(), &mut warnings)
            .expect("readable PDF");
    document
        .pages
        .iter()
        .map(|page| {
            page.ops
                .iter()
                .filter_map(|op| match op {
                    printpdf::Op::SetTextCursor { pos } => Some(pos.x.0 * 25.4 / 72.0),
                    _ => None,
                })
                .collect()
        })
        .collect()
}

#[track_caller]
fn assert_in_order(text: &str, parts: &[&str]) {
    let mut from = 0;
    for part in parts {
        let Some(at) = text[from..].find(part) else {
            panic!("{part:?} missing or out of order in:\n{text}");
        };
        from += at + part.len();
    }
}

#[test]
fn handout_is_set_with_placeholders_order_links_and_page_numbers() {
    let dir = temp_dir();
    let out = dir.path().join("guia.pdf");
    taller(
        dir.path(),
        &[
            "handout",
            arg(&fixture("handouts/handout.md")),
            "--workshop",
            arg(&fixture("handouts/workshop.toml")),
            "-o",
            arg(&out),
        ],
    )
    .expect_code(0);
    let pages = pdf_pages_text(&out);
    assert_eq!(pages.len(), 1);
    let text = &pages[0];
    assert!(!text.contains("{{"), "placeholders left: {text}");
    assert_in_order(
        text,
        &[
            "Guía rápida para Sevilla",
            "Primer párrafo del taller",
            "Campañas en redes sociales",
            "17 de febrero de 2016",
            "Pasos",
            "Primero activa",
            "Después revisa",
            "Por último guarda",
            "Aviso:",
            "la guía",
            "Final del texto.",
            "Página 1 de 1",
        ],
    );
    // The link annotation with its target, and the picture (the file's
    // objects read back: annotations are in compressed object streams).
    let doc = lopdf::Document::load(&out).expect("lopdf reads it");
    let uris: Vec<String> = doc
        .objects
        .values()
        .filter_map(|object| object.as_dict().ok())
        .filter_map(|dict| dict.get(b"A").and_then(lopdf::Object::as_dict).ok())
        .filter_map(|action| action.get(b"URI").and_then(lopdf::Object::as_str).ok())
        .map(|uri| String::from_utf8_lossy(uri).into_owned())
        .collect();
    assert_eq!(uris, ["https://example.org/guia-segura"]);
    let bytes = String::from_utf8_lossy(&std::fs::read(&out).expect("written")).into_owned();
    assert!(bytes.contains("/Subtype /Image") || bytes.contains("/Subtype/Image"));
    for x in text_x_positions(&out).concat() {
        assert!(
            (21.0..189.0).contains(&x),
            "text starts at {x} mm, outside the margins"
        );
    }
}

#[test]
fn the_bundled_factsheets_print_on_two_pages_each() {
    let dir = temp_dir();
    let example = repo_root().join("assets/examples/madrid-2016");
    for lang in ["es", "en"] {
        let out = dir.path().join(format!("factsheet.{lang}.pdf"));
        let source = example.join(format!("handouts/factsheet.{lang}.md"));
        taller(
            dir.path(),
            &[
                "handout",
                arg(&source),
                "--workshop",
                arg(&example.join("workshop.toml")),
                "-o",
                arg(&out),
            ],
        )
        .expect_code(0);
        let pages = pdf_pages_text(&out);
        assert_eq!(pages.len(), 2, "{lang}");
        let last = if lang == "es" {
            "Página 2 de 2"
        } else {
            "Page 2 of 2"
        };
        assert!(pages[1].contains(last), "{lang}: {}", pages[1]);
        assert!(pages[0].contains("Madrid"));
        let all = pages.concat();
        assert!(!all.contains("{{"));
        let heading = if lang == "es" {
            "5. Fotos de personal"
        } else {
            "5. Photos of staff"
        };
        assert!(all.contains(heading), "{lang}");
    }
}

#[test]
fn handout_without_workshop_is_english_and_takes_a_title() {
    let dir = temp_dir();
    let source = dir.path().join("notas.md");
    std::fs::write(&source, "Solo un párrafo.\n\n- uno\n- dos\n").expect("write");
    taller(dir.path(), &["handout", "notas.md", "--title", "Notas"]).expect_code(0);
    let out = dir.path().join("notas.pdf");
    let pages = pdf_pages_text(&out);
    assert_in_order(
        &pages[0],
        &["Notas", "Solo un párrafo.", "uno", "dos", "Page 1 of 1"],
    );
    // The default output exists now: no silent overwrite.
    let again = taller(dir.path(), &["handout", "notas.md"]);
    again.expect_code(2);
    assert!(again.stderr.contains("already exists") && again.stderr.contains("--force"));
    taller(dir.path(), &["handout", "notas.md", "--force"]).expect_code(0);
}

#[test]
fn an_unknown_placeholder_names_itself_and_its_line() {
    let dir = temp_dir();
    let out = dir.path().join("x.pdf");
    let run = taller(
        dir.path(),
        &[
            "handout",
            arg(&fixture("handouts/unknown.md")),
            "--workshop",
            arg(&fixture("handouts/workshop.toml")),
            "-o",
            arg(&out),
        ],
    );
    run.expect_code(2);
    assert!(run.stderr.contains("{{workshop.ciudad}}"), "{}", run.stderr);
    assert!(run.stderr.contains("line 5"), "{}", run.stderr);
    assert!(run.stderr.contains("unknown.md"), "{}", run.stderr);
    assert!(!out.exists(), "nothing written");
}

#[test]
fn a_missing_image_is_named_with_its_line() {
    let dir = temp_dir();
    std::fs::write(
        dir.path().join("h.md"),
        "# H\n\nTexto.\n\n![foto](no-such.png)\n",
    )
    .expect("write");
    let run = taller(dir.path(), &["handout", "h.md"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("line 5") && run.stderr.contains("no-such.png"),
        "{}",
        run.stderr
    );
}

fn signin(dir: &Path) -> Vec<String> {
    let out = dir.join("firmas.pdf");
    taller(
        dir,
        &[
            "signin",
            "--roster",
            arg(&fixture("handouts/roster.csv")),
            "--workshop",
            arg(&fixture("handouts/workshop.toml")),
            "-o",
            arg(&out),
        ],
    )
    .expect_code(0);
    pdf_pages_text(&out)
}

#[test]
fn signin_sheet_lists_everyone_once_in_spanish_order() {
    let dir = temp_dir();
    let pages = signin(dir.path());
    assert_eq!(pages.len(), 1);
    let text = &pages[0];
    assert_in_order(
        text,
        &[
            "Campañas en redes sociales",
            "Sevilla",
            "17 de febrero de 2016",
            "Nombre",
            "Organización",
            "Firma",
            "Álvarez, Tomás",
            "Ávila Ruiz, Beatriz",
            "Fernández de la Cueva",
            "de la Fuente, Pedro",
            "Munoz, Paco",
            "Muñoz, Rosa",
            "Núñez, Ana",
            "Nuño, Eva",
            "Ortega, Luis",
            "Петрова, Ольга",
            "Página 1 de 1",
        ],
    );
    for x in text_x_positions(&dir.path().join("firmas.pdf")).concat() {
        assert!(
            (14.9..195.0).contains(&x),
            "text starts at {x} mm, outside the margins"
        );
    }
    for name in [
        "Álvarez, Tomás",
        "Muñoz, Rosa",
        "Nuño, Eva",
        "de la Fuente, Pedro",
    ] {
        assert_eq!(text.matches(name).count(), 1, "{name}");
    }
    // Hostile cell text is printed as text.
    assert!(text.contains("<b>ONG</b> =1+1"));
}

#[test]
fn signin_repeats_the_header_on_every_page() {
    let dir = temp_dir();
    let mut csv = String::from("Nombre,Apellidos,Correo\n");
    for i in 0..45 {
        csv.push_str(&format!("Persona{i},Apellido{i:02},p{i}@ejemplo.org\n"));
    }
    std::fs::write(dir.path().join("r.csv"), csv).expect("write");
    taller(dir.path(), &["import", "r.csv", "-o", "roster.csv"]).expect_code(0);
    taller(
        dir.path(),
        &[
            "signin",
            "--roster",
            "roster.csv",
            "--workshop",
            arg(&fixture("handouts/workshop.toml")),
        ],
    )
    .expect_code(0);
    let pages = pdf_pages_text(&dir.path().join("signin.pdf"));
    assert!(pages.len() >= 2);
    let count = pages.len();
    for (i, page) in pages.iter().enumerate() {
        assert_in_order(
            page,
            &["Campañas en redes sociales", "Sevilla", "Nombre", "Firma"],
        );
        assert!(page.contains(&format!("Página {} de {count}", i + 1)));
    }
    let all = pages.concat();
    for i in 0..45 {
        assert_eq!(all.matches(&format!("Apellido{i:02},")).count(), 1);
    }
}

#[test]
fn badges_sit_on_the_label_grid() {
    let dir = temp_dir();
    for (label, sheets, columns) in [
        ("avery-l7418", 2, [14.0_f32, 110.0]),
        ("avery-l7163", 1, [4.65, 106.25]),
        ("cut-2x4", 2, [15.0, 105.0]),
    ] {
        let out = dir.path().join(format!("{label}.pdf"));
        taller(
            dir.path(),
            &[
                "badges",
                "--roster",
                arg(&fixture("handouts/roster.csv")),
                "--workshop",
                arg(&fixture("handouts/workshop.toml")),
                "--label",
                label,
                "-o",
                arg(&out),
            ],
        )
        .expect_code(0);
        let pages = pdf_pages_text(&out);
        assert_eq!(pages.len(), sheets, "{label}");
        let all = pages.concat();
        for name in [
            "Beatriz",
            "Tomás",
            "Rosa",
            "Paco",
            "Ana",
            "Eva",
            "Luis",
            "Pedro",
            "Maximiliano",
            "Ольга",
        ] {
            assert!(all.contains(name), "{name} on {label}");
        }
        assert!(all.contains("@bavila") && all.contains("@olga_p"));
        let bytes = std::fs::read(&out).expect("written");
        let raw = String::from_utf8_lossy(&bytes);
        assert!(
            raw.contains("/Subtype /Image") || raw.contains("/Subtype/Image"),
            "{label}: the workshop's logo is on the badges"
        );
        let width = if label == "avery-l7163" {
            99.1
        } else if label == "cut-2x4" {
            90.0
        } else {
            86.0
        };
        for x in text_x_positions(&out).concat() {
            let on_a_label = columns
                .iter()
                .any(|left| x >= left - 0.01 && x <= left + width);
            assert!(on_a_label, "{label}: text at {x} mm is off the labels");
        }
    }
    let bad = taller(
        dir.path(),
        &[
            "badges",
            "--roster",
            arg(&fixture("handouts/roster.csv")),
            "--workshop",
            arg(&fixture("handouts/workshop.toml")),
            "--label",
            "avery-0000",
        ],
    );
    bad.expect_code(2);
    assert!(
        bad.stderr.contains("avery-l7418, avery-l7163, cut-2x4"),
        "{}",
        bad.stderr
    );
}

#[test]
fn badges_help_lists_the_label_formats() {
    let dir = temp_dir();
    let help = taller(dir.path(), &["badges", "--help"]);
    help.expect_code(0);
    for name in ["avery-l7418", "avery-l7163", "cut-2x4", "Example:"] {
        assert!(help.stdout.contains(name), "{name}");
    }
}

#[test]
fn json_summaries_describe_what_was_made() {
    let dir = temp_dir();
    let run = taller(
        dir.path(),
        &[
            "signin",
            "--roster",
            arg(&fixture("handouts/roster.csv")),
            "--workshop",
            arg(&fixture("handouts/workshop.toml")),
            "--json",
            "--quiet",
        ],
    );
    run.expect_code(0);
    assert!(run.stderr.is_empty(), "--quiet: {}", run.stderr);
    let summary: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON on stdout");
    assert_eq!(summary["attendees"], 10);
    assert_eq!(summary["pages"], 1);
    let run = taller(
        dir.path(),
        &[
            "badges",
            "--roster",
            arg(&fixture("handouts/roster.csv")),
            "--workshop",
            arg(&fixture("handouts/workshop.toml")),
            "--label",
            "avery-l7163",
            "--json",
        ],
    );
    run.expect_code(0);
    let summary: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON on stdout");
    assert_eq!(summary["badges"], 10);
    assert_eq!(summary["sheets"], 1);
    assert_eq!(summary["label"], "avery-l7163");
    assert!(dir.path().join("badges.pdf").exists());
}

#[test]
fn a_handout_never_breaks_a_line_at_a_no_break_space() {
    let dir = temp_dir();
    let source = dir.path().join("notas.md");
    // Numbers of different widths move every break to a new place in the
    // phrase, so some line would end after "Ana" at an ordinary space.
    let paragraph: Vec<String> = (0..80).map(|i| format!("{i} Ana\u{a0}María")).collect();
    std::fs::write(&source, paragraph.join(" ")).expect("write");
    taller(dir.path(), &["handout", "notas.md", "--title", "Notas"]).expect_code(0);
    let text = pdftotext(&dir.path().join("notas.pdf"));
    for line in text.lines() {
        assert!(!line.trim_end().ends_with("Ana"), "{line:?}");
        assert!(!line.trim_start().starts_with("María"), "{line:?}");
    }
    // pdftotext gives the no-break space back as a plain space.
    let kept = text.matches("Ana\u{a0}María").count() + text.matches("Ana María").count();
    assert_eq!(kept, 80, "{text}");
}
