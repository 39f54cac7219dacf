//! Mutation testing: every committed handout text and the certificate
//! layout, damaged byte by byte with a fixed seed, read in-process. No
//! mutant may panic; every refusal is a sentence naming the file.

#[path = "../../../tests/support/mutate.rs"]
mod mutate;

use std::collections::HashMap;

use taller_model::Workshop;
use taller_print::certificate::Layout;
use taller_print::handout::placeholders::PlaceholderValues;
use taller_print::handout::{Handout, HandoutOptions};

/// Mutants per file.
const PER_FILE: usize = 24;

/// Every n-th mutant that parses is also laid out and printed: the slow
/// part, so only a sample of them.
const RENDER_EVERY: usize = 6;

#[test]
fn damaged_handouts_never_panic_and_errors_name_the_file() {
    let workshop =
        std::fs::read_to_string(mutate::repo_file("tests/fixtures/handouts/workshop.toml"))
            .expect("fixture");
    let workshop = Workshop::from_toml(&workshop).expect("workshop");
    let values = PlaceholderValues::from_workshop(&workshop);
    let mut files = mutate::files_in("assets/examples/madrid-2016/handouts", &[".md"]);
    files.extend(mutate::files_in("tests/fixtures/handouts", &["handout.md"]));
    files.push(mutate::repo_file("assets/templates/handout.md"));
    let mut refused = 0;
    for path in &files {
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        for (index, bytes) in mutate::mutants(path, PER_FILE).into_iter().enumerate() {
            let text = String::from_utf8_lossy(&bytes);
            let accepted = mutate::check(
                path,
                index,
                |m| m.contains(&name),
                || {
                    let handout =
                        Handout::parse(&text, Some(&values), &name).map_err(|e| e.to_string())?;
                    if index % RENDER_EVERY == 0 {
                        // Printing does not know the file's name: the
                        // command adds it ("cannot print NAME: …").
                        handout
                            .render(&HashMap::new(), &HandoutOptions::default())
                            .map_err(|e| format!("cannot print {name}: {e}"))?;
                    }
                    Ok::<_, String>(())
                },
            );
            refused += usize::from(!accepted);
        }
    }
    // Broken `{{placeholders}}` are refused: the error check above ran.
    assert!(refused > 0, "no damaged handout was refused");
}

#[test]
fn damaged_layouts_never_panic_and_errors_name_the_file() {
    let path = mutate::repo_file("assets/layouts/default.toml");
    let name = "default.toml";
    let mut refused = 0;
    for (index, bytes) in mutate::mutants(&path, 4 * PER_FILE).into_iter().enumerate() {
        let text = String::from_utf8_lossy(&bytes);
        let accepted = mutate::check(
            &path,
            index,
            |m| m.contains(name),
            || Layout::from_toml(&text, name),
        );
        refused += usize::from(!accepted);
    }
    assert!(
        refused > PER_FILE,
        "too few damaged layouts refused: {refused}"
    );
}
