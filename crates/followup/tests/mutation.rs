//! Mutation testing: every committed follow-up template, damaged byte by
//! byte with a fixed seed, loaded and rendered in-process for a small
//! roster. No mutant may panic; every refusal is a sentence naming the
//! template file.

#[path = "../../../tests/support/mutate.rs"]
mod mutate;

use std::fs;
use std::path::Path;

use taller_followup::{Audience, Followup, Settings};
use taller_model::{Answer, Attendee, AttendeeId, Language, Roster, Workshop};

/// Mutants per template file.
const PER_FILE: usize = 12;

/// Someone who came and someone who did not, in both languages, with
/// values that need escaping.
fn roster() -> Roster {
    let person = |given: &str, email: &str, language: Language, attended: Answer| Attendee {
        id: AttendeeId::from_email(email),
        given_name: given.to_owned(),
        family_name: "Núñez <b>O'Brien</b>".to_owned(),
        email: email.to_owned(),
        organisation: "Asociación \"Derechos\" & Co".to_owned(),
        language: Some(language),
        attended,
        ..Attendee::default()
    };
    Roster::new(vec![
        person("Ana", "ana@example.org", Language::spanish(), Answer::Yes),
        person("John", "john@example.org", Language::english(), Answer::Yes),
        person(
            "Lucía",
            "lucia@example.org",
            Language::spanish(),
            Answer::No,
        ),
        person("Mary", "mary@example.org", Language::english(), Answer::No),
    ])
}

/// Loads the templates in `dir` and renders every message.
fn render_all(
    dir: &Path,
    workshop: &Workshop,
    roster: &Roster,
) -> Result<usize, taller_followup::Error> {
    let settings = Settings {
        template: dir.join("followup"),
        from: Some("Red de Formación para ONG <formacion@example.org>".to_owned()),
        reply_to: None,
        attach_certificate: false,
        attach: Vec::new(),
        certificates: dir.join("certificates"),
        audience: Audience::All,
        roster_name: "roster.csv".to_owned(),
    };
    let followup = Followup::prepare(workshop, roster, settings)?;
    let mut bytes = 0;
    for index in 0..followup.len() {
        bytes += followup.message(index)?.bytes.len();
    }
    Ok(bytes)
}

#[test]
fn damaged_templates_never_panic_and_errors_name_the_file() {
    let workshop = fs::read_to_string(mutate::repo_file("tests/fixtures/followup/workshop.toml"))
        .expect("fixture");
    let workshop = Workshop::from_toml(&workshop).expect("workshop");
    let roster = roster();
    let mut refused = 0;
    for set in ["tests/fixtures/followup/templates", "assets/templates"] {
        let templates = mutate::files_in(set, &[".hbs"]);
        assert!(!templates.is_empty(), "no templates in {set}");
        let dir = tempfile::tempdir().expect("temp dir");
        for path in &templates {
            fs::copy(path, dir.path().join(path.file_name().expect("name"))).expect("copy");
        }
        render_all(dir.path(), &workshop, &roster).expect("the undamaged templates render");
        for path in &templates {
            let name = path
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            let target = dir.path().join(&name);
            for (index, bytes) in mutate::mutants(path, PER_FILE).into_iter().enumerate() {
                fs::write(&target, bytes).expect("mutant");
                let accepted = mutate::check(
                    path,
                    index,
                    |message| message.contains(&name),
                    || render_all(dir.path(), &workshop, &roster),
                );
                refused += usize::from(!accepted);
            }
            fs::copy(path, &target).expect("restore");
        }
    }
    assert!(refused > 0, "no damaged template was refused");
}
