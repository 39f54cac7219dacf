//! Mutation testing: every committed registration sheet and roster,
//! damaged byte by byte with a fixed seed, read in-process. No mutant may
//! panic; every refusal is a sentence naming the file.

#[path = "../../../tests/support/mutate.rs"]
mod mutate;

use std::path::Path;

use taller_registration::{ImportOptions, Input, import, import_sessions, read_roster};

/// Mutants per file: 20 sheets and 2 rosters, under 400 in all.
const PER_FILE: usize = 16;

fn sheets() -> Vec<std::path::PathBuf> {
    let mut files = mutate::files_in(
        "tests/fixtures/import",
        &[".csv", ".txt", ".xlsx", ".xls", ".ods"],
    );
    files.extend(mutate::files_in("assets/examples/madrid-2016", &[".csv"]));
    // The platforms' exports; Meetup's (no email column) only import as
    // attendance, so they are left out here.
    files.extend(mutate::files_in("tests/fixtures/platforms", &[".csv"]));
    files.extend(mutate::files_in("assets/templates", &[".csv"]));
    files
}

fn name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Imports `bytes` as the sheet `name`, and as an attendance sheet next to
/// a good registration sheet (the other way into the reader).
fn import_both_ways(name: &str, bytes: Vec<u8>) -> Result<usize, taller_registration::Error> {
    let input = Input {
        name: name.to_owned(),
        bytes,
    };
    let alone = import(
        std::slice::from_ref(&input),
        None,
        &ImportOptions::default(),
    )?;
    let registrations = Input {
        name: "registro.csv".to_owned(),
        bytes: "Nombre,Correo\nAna Ruiz,ana@ejemplo.org\n".into(),
    };
    let with = import(&[registrations], Some(&input), &ImportOptions::default())?;
    Ok(alone.roster.attendees.len() + with.roster.attendees.len())
}

#[test]
fn damaged_sheets_never_panic_and_errors_name_the_file() {
    let files = sheets();
    assert!(files.len() >= 10, "fixtures missing: {files:?}");
    let mut refused = 0;
    for path in &files {
        let name = name_of(path);
        let original = std::fs::read(path).expect("fixture");
        assert!(
            import(
                &[Input {
                    name: name.clone(),
                    bytes: original
                }],
                None,
                &ImportOptions::default()
            )
            .is_ok(),
            "the undamaged {name} must import"
        );
        for (index, bytes) in mutate::mutants(path, PER_FILE).into_iter().enumerate() {
            let accepted = mutate::check(
                path,
                index,
                |message| message.contains(&name) || message.contains("registro.csv"),
                || import_both_ways(&name, bytes),
            );
            refused += usize::from(!accepted);
        }
    }
    // Damaged workbooks must be refused, not read as empty: the check of
    // the error messages above ran.
    assert!(refused > 0, "no mutant was refused");
}

#[test]
fn damaged_rosters_never_panic_and_errors_name_the_file() {
    let files = [
        mutate::repo_file("tests/fixtures/certificates/roster.csv"),
        mutate::repo_file("tests/fixtures/handouts/roster.csv"),
    ];
    let mut refused = 0;
    for path in &files {
        let name = name_of(path);
        let original = std::fs::read(path).expect("fixture");
        read_roster(&original, &name).expect("the undamaged roster reads");
        for (index, bytes) in mutate::mutants(path, 2 * PER_FILE).into_iter().enumerate() {
            let accepted = mutate::check(
                path,
                index,
                |message| message.contains(&name),
                || read_roster(&bytes, &name),
            );
            refused += usize::from(!accepted);
        }
    }
    assert!(refused > 0, "no damaged roster was refused");
}

/// The reports of online sessions, damaged, read as attendance next to
/// the Bilbao example's registrations: no mutant may panic, and every
/// refusal names the file.
#[test]
fn damaged_session_reports_never_panic() {
    let mut files = mutate::files_in("tests/fixtures/online", &[".csv"]);
    files.extend(mutate::files_in("tests/fixtures/online/bad", &[".csv"]));
    files.extend(mutate::files_in(
        "assets/examples/bilbao-online-2016",
        &[".csv"],
    ));
    assert!(files.len() >= 9, "fixtures missing: {files:?}");
    let registrations = Input {
        name: "zoom-registro.csv".to_owned(),
        bytes: std::fs::read(mutate::repo_file(
            "assets/examples/bilbao-online-2016/zoom-registro.csv",
        ))
        .expect("the example's registrations"),
    };
    let options = ImportOptions {
        min_attendance: Some(60),
        ..ImportOptions::default()
    };
    for path in &files {
        let name = name_of(path);
        for (index, bytes) in mutate::mutants(path, PER_FILE).into_iter().enumerate() {
            let input = Input {
                name: name.clone(),
                bytes,
            };
            mutate::check(
                path,
                index,
                |message| message.contains(&name),
                || {
                    import_sessions(
                        std::slice::from_ref(&registrations),
                        std::slice::from_ref(&input),
                        &options,
                    )
                    .map(|imported| imported.roster.attendees.len())
                },
            );
        }
    }
}
