//! `taller import` on the exports of the platforms NGOs register people
//! with (KoboToolbox, Typeform, Tally, Jotform, Luma, Meetup, CiviCRM,
//! Airtable), with no `--map`: the roster read back (gender, age band,
//! consent and its question, language, attendance) and the report's
//! warnings.

use std::fs;
use std::path::Path;

use taller_model::{AgeBand, Answer, Attendee, Gender, Roster};

use crate::common::{Output, by_email, folder_with_fixtures, import_roster, taller, temp_dir};

fn folder_with(fixtures: &[&str]) -> tempfile::TempDir {
    folder_with_fixtures("platforms", fixtures)
}

fn import(dir: &Path, args: &[&str]) -> (Output, Roster) {
    import_roster(dir, args)
}

#[track_caller]
fn assert_shows(output: &Output, expected: &[&str]) {
    for line in expected {
        assert!(
            output.stderr.contains(line),
            "missing {line:?} in:\n{}",
            output.stderr
        );
    }
}

/// What the funders' columns say of one attendee.
#[track_caller]
fn assert_person(
    a: &Attendee,
    full_name: &str,
    gender: Gender,
    age_band: AgeBand,
    language: Option<&str>,
    consent: Answer,
) {
    assert_eq!(a.display_name(), full_name, "{a:#?}");
    assert_eq!(a.gender, gender, "gender of {full_name}");
    assert_eq!(a.age_band, age_band, "age band of {full_name}");
    assert_eq!(
        a.language.as_ref().map(|l| l.code()),
        language,
        "language of {full_name}"
    );
    assert_eq!(a.consent, consent, "consent of {full_name}");
}

#[test]
fn kobotoolbox_csv_with_xml_names_and_group_paths() {
    let dir = folder_with(&["kobo-xml-names.csv"]);
    let (out, roster) = import(dir.path(), &["kobo-xml-names.csv"]);
    assert_eq!(roster.attendees.len(), 4, "{}", out.stderr);
    let ane = by_email(&roster, "ane@bizkaiaongs.eus");
    assert_person(
        ane,
        "Ane Etxeberria Goikoetxea",
        Gender::Woman,
        AgeBand::From30To44,
        Some("eu"),
        Answer::Yes,
    );
    assert_eq!(ane.organisation, "Bizkaiko GKEen Sarea");
    assert_eq!(ane.role, "coordinadora");
    assert_eq!(ane.consent_text, "consentimiento");
    assert_person(
        by_email(&roster, "mikel.agirre@gmail.com"),
        "Mikel Agirre Lasa",
        Gender::Man,
        AgeBand::Under18,
        Some("es"),
        Answer::No,
    );
    assert_person(
        by_email(&roster, "olena.kovalenko@ukr.net"),
        "Олена Коваленко",
        Gender::NonBinary,
        AgeBand::From45To64,
        Some("en"),
        Answer::Yes,
    );
    // "Prefiero no decirlo" and no age: empty, and nothing to report.
    assert_person(
        by_email(&roster, "fatima.benali@gmail.com"),
        "فاطمة الزهراء بنعلي",
        Gender::Unknown,
        AgeBand::Unknown,
        Some("fr"),
        Answer::Yes,
    );
    assert_shows(
        &out,
        &[
            "4 rows read: 4 attendees written to roster.csv, 0 rejected, 0 merged, 0 warnings",
            // Kobo's metadata and the select-multiple option columns are
            // passed over, and said so.
            "idiomas_hablados/es, idiomas_hablados/eu, idiomas_hablados/en, _id, _uuid",
        ],
    );
}

/// KoboToolbox's XLSX export with labels and the group in the label
/// (`Datos personales/Nombre completo`), written by a real XLSX writer.
#[test]
fn kobotoolbox_xlsx_with_labels() {
    let dir = temp_dir();
    let headers = [
        "start",
        "end",
        "Datos personales/Nombre completo",
        "Datos personales/Correo electrónico",
        "Datos personales/Género",
        "Datos personales/Edad",
        "¿Qué idiomas hablas?",
        "¿Qué idiomas hablas?/Castellano",
        "¿Qué idiomas hablas?/Euskara",
        "Idioma preferido",
        "¿Podemos escribirte después del taller?",
        "_id",
        "_uuid",
        "_submission_time",
        "_validation_status",
        "_index",
    ];
    let rows: [[&str; 16]; 3] = [
        [
            "2026-03-02T09:10:02.114+01:00",
            "2026-03-02T09:15:30.921+01:00",
            "Itziar Urrutia Bengoetxea",
            "itziar@emakumeak.eus",
            "Mujer",
            "",
            "Castellano Euskara",
            "1",
            "1",
            "Euskara",
            "Sí",
            "201",
            "4f8e0c1a-2b1d-4c7e-9a11-0d6f3b2a9e01",
            "2026-03-02T08:15:31",
            "",
            "1",
        ],
        [
            "2026-03-02T10:01:00.000+01:00",
            "2026-03-02T10:03:12.000+01:00",
            "Wang Fang 王芳",
            "wang.fang@gmail.com",
            "Hombre",
            "",
            "Castellano",
            "1",
            "0",
            "Castellano",
            "No",
            "202",
            "7a1c2e3f-1111-4aaa-8bbb-222233334444",
            "2026-03-02T09:03:13",
            "",
            "2",
        ],
        [
            "2026-03-03T18:20:00.000+01:00",
            "2026-03-03T18:29:44.000+01:00",
            "Iñaki Zubizarreta",
            "inaki.zubi@gmail.com",
            "Prefiero no decirlo",
            "",
            "Euskara",
            "0",
            "1",
            "Gaztelania",
            "Sí, acepto",
            "203",
            "9b2d3e4f-5555-4ccc-8ddd-666677778888",
            "2026-03-03T17:29:45",
            "",
            "3",
        ],
    ];
    let ages = [34.0, 61.0, 19.0];
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Taller_Bilbao").expect("a sheet name");
    for (column, header) in (0u16..).zip(headers) {
        sheet.write_string(0, column, header).expect("a header");
    }
    for (row, (values, age)) in (1u32..).zip(rows.iter().zip(ages)) {
        for (column, value) in (0u16..).zip(values) {
            if column == 5 {
                // Kobo writes integer answers as numbers.
                sheet.write_number(row, column, age).expect("an age");
            } else if !value.is_empty() {
                sheet.write_string(row, column, *value).expect("a cell");
            }
        }
    }
    book.save(dir.path().join("kobo-labels.xlsx"))
        .expect("the workbook is written");

    let (out, roster) = import(dir.path(), &["kobo-labels.xlsx"]);
    assert_eq!(roster.attendees.len(), 3, "{}", out.stderr);
    let itziar = by_email(&roster, "itziar@emakumeak.eus");
    assert_person(
        itziar,
        "Itziar Urrutia Bengoetxea",
        Gender::Woman,
        AgeBand::From30To44,
        Some("eu"),
        Answer::Yes,
    );
    assert_eq!(
        itziar.consent_text,
        "¿Podemos escribirte después del taller?"
    );
    assert_eq!(
        itziar.source.to_string(),
        "kobo-labels.xlsx:Taller_Bilbao:2"
    );
    assert_person(
        by_email(&roster, "wang.fang@gmail.com"),
        "Wang Fang 王芳",
        Gender::Man,
        AgeBand::From45To64,
        Some("es"),
        Answer::No,
    );
    assert_person(
        by_email(&roster, "inaki.zubi@gmail.com"),
        "Iñaki Zubizarreta",
        Gender::Unknown,
        AgeBand::From18To29,
        Some("es"),
        Answer::Yes,
    );
    assert_shows(&out, &["0 rejected, 0 merged, 0 warnings"]);
}

#[test]
fn typeform_with_markup_in_its_questions() {
    let dir = folder_with(&["typeform.csv"]);
    let (out, roster) = import(dir.path(), &["typeform.csv"]);
    assert_eq!(roster.attendees.len(), 4, "{}", out.stderr);
    let mj = by_email(&roster, "mjfernandez@accem.es");
    assert_person(
        mj,
        "María José Fernández Núñez",
        Gender::Woman,
        AgeBand::From30To44,
        Some("es"),
        Answer::Yes,
    );
    // The question with the word "email" in it is the consent, and the
    // `<strong>Email</strong>` column the address.
    assert_eq!(mj.consent_text, "Can we email you after the workshop?");
    assert_eq!(mj.organisation, "Accem");
    assert_person(
        by_email(&roster, "g.papadopoulos@ngo.gr"),
        "Γιώργος Παπαδόπουλος",
        Gender::Man,
        AgeBand::From18To29,
        Some("en"),
        Answer::No,
    );
    assert_person(
        by_email(&roster, "ahmad.alkhatib@cear.es"),
        "أحمد الخطيب",
        Gender::NonBinary,
        AgeBand::Unknown,
        Some("en"),
        Answer::Yes,
    );
    assert_person(
        by_email(&roster, "laura.gomez@ongverde.org"),
        "Laura Gómez Prieto",
        Gender::Unknown,
        AgeBand::From45To64,
        None,
        Answer::Yes,
    );
    assert_shows(
        &out,
        &[
            "4 rows read: 4 attendees written to roster.csv, 0 rejected, 0 merged, 1 warning",
            "typeform.csv, row 5, column \"Which language do you prefer?\": `Klingon` is not a language taller knows; left empty",
        ],
    );
    assert!(!out.stderr.contains("<strong>"), "{}", out.stderr);
}

#[test]
fn tally_birth_years_unknown_answers_and_a_possible_duplicate() {
    let dir = folder_with(&["tally.csv"]);
    let (out, roster) = import(dir.path(), &["tally.csv"]);
    assert_eq!(roster.attendees.len(), 8, "{}", out.stderr);
    let ana = by_email(&roster, "ana.ruiz@ongverde.org");
    // Born in 1985, answered in February 2026: 40 or 41.
    assert_person(
        ana,
        "Ana Ruiz Gallardo",
        Gender::Woman,
        AgeBand::From30To44,
        Some("es"),
        Answer::Yes,
    );
    assert_eq!(
        ana.consent_text,
        "Acepto la política de privacidad y el envío de comunicaciones"
    );
    // Born in 1996: 29 or 30, two bands: never guessed.
    assert_person(
        by_email(&roster, "odysseas@metadrasi.gr"),
        "Οδυσσέας Ελύτης",
        Gender::Man,
        AgeBand::Unknown,
        Some("en"),
        Answer::No,
    );
    assert_person(
        by_email(&roster, "d.ivanov@mail.ru"),
        "Дмитрий Иванов",
        Gender::Unknown,
        AgeBand::From18To29,
        Some("gl"),
        Answer::Yes,
    );
    assert_person(
        by_email(&roster, "lucia.moreno@cear.es"),
        "Lucía Moreno Castillo",
        Gender::Other,
        AgeBand::From65,
        Some("es"),
        Answer::Yes,
    );
    assert_eq!(
        by_email(&roster, "irene.vidal@gmail.com")
            .language
            .as_ref()
            .map(|l| l.code()),
        Some("ca")
    );
    // Never merged: both kept.
    assert_eq!(
        by_email(&roster, "ana.ruiz.gallardo@gmail.com").organisation,
        "ong verde"
    );
    assert_shows(
        &out,
        &[
            "8 rows read: 8 attendees written to roster.csv, 0 rejected, 0 merged, 4 warnings",
            "tally.csv, row 3, column \"Año de nacimiento\": `1996`: born in 1996: 29 or 30 on 2026-02-12, which fall in two bands; left empty",
            "tally.csv, row 4, column \"Sexo\": `Astronauta`: not an answer to the gender question taller knows; left empty",
            "tally.csv, row 6, column \"Año de nacimiento\": `Treinta`: not an age, an age range or a birth date; left empty",
            "tally.csv, row 9: Ána Ruiz Gallardo of ong verde registered again with another email (ana.ruiz@ongverde.org at tally.csv, row 2, now ana.ruiz.gallardo@gmail.com); both kept",
        ],
    );
}

#[test]
fn jotform_in_catalan() {
    let dir = folder_with(&["jotform.csv"]);
    let (out, roster) = import(dir.path(), &["jotform.csv"]);
    assert_eq!(roster.attendees.len(), 4, "{}", out.stderr);
    let jordi = by_email(&roster, "jordi.puig@fundacioputxet.cat");
    assert_eq!(
        (jordi.given_name.as_str(), jordi.family_name.as_str()),
        ("Jordi", "Puig i Ferrer")
    );
    assert_person(
        jordi,
        "Jordi Puig i Ferrer",
        Gender::Man,
        AgeBand::From45To64,
        Some("ca"),
        Answer::Yes,
    );
    assert_eq!(jordi.consent_text, "Accepto rebre informació");
    assert_person(
        by_email(&roster, "nuria.sole@gmail.com"),
        "Núria Solé Martí",
        Gender::Woman,
        AgeBand::From18To29,
        Some("ca"),
        Answer::Yes,
    );
    assert_person(
        by_email(&roster, "maria.petrova@yandex.ru"),
        "Мария Петрова",
        Gender::NonBinary,
        AgeBand::From30To44,
        Some("en"),
        Answer::No,
    );
    // `M` alone may be Mujer or Male: empty, and reported.
    let mohamed = by_email(&roster, "m.elamrani@gmail.com");
    assert_person(
        mohamed,
        "Mohamed El Amrani",
        Gender::Unknown,
        AgeBand::From65,
        Some("es"),
        Answer::Unknown,
    );
    assert_eq!(mohamed.consent_text, "");
    assert_shows(
        &out,
        &["jotform.csv, row 5, column \"Gènere\": `M`: may be Mujer or Male; left empty"],
    );
}

#[test]
fn luma_check_in_times_mark_attendance() {
    let dir = folder_with(&["luma-guests.csv"]);
    let (out, roster) = import(dir.path(), &["luma-guests.csv"]);
    // The declined guest is not an attendee, and the report says so.
    assert_eq!(roster.attendees.len(), 3, "{}", out.stderr);
    let uxia = by_email(&roster, "uxia.fernandez@galiciasolidaria.gal");
    assert_person(
        uxia,
        "Uxía Fernández Castro",
        Gender::Woman,
        AgeBand::From30To44,
        Some("gl"),
        Answer::Yes,
    );
    assert_eq!(uxia.attended, Answer::Yes);
    assert_eq!(
        uxia.consent_text,
        "¿Podemos escribirte despois do obradoiro?"
    );
    let brais = by_email(&roster, "brais.outeiro@gmail.com");
    assert_person(
        brais,
        "Brais Outeiro Pazos",
        Gender::Man,
        AgeBand::From65,
        Some("es"),
        Answer::No,
    );
    assert_eq!(brais.attended, Answer::No);
    let katerina = by_email(&roster, "katerina.nikolaou@gmail.com");
    assert_eq!(katerina.attended, Answer::Yes);
    assert_eq!(katerina.gender, Gender::Unknown);
    assert_shows(
        &out,
        &[
            "luma-guests.csv, row 5, column \"approval_status\": the ticket status is `declined`: this person will not come; not imported",
        ],
    );
}

#[test]
fn civicrm_participants_take_the_current_employer() {
    let dir = folder_with(&["civicrm-participants.csv"]);
    let (out, roster) = import(dir.path(), &["civicrm-participants.csv"]);
    assert_eq!(roster.attendees.len(), 3, "{}", out.stderr);
    let ana = by_email(&roster, "ana.ruiz@cear.es");
    assert_person(
        ana,
        "Ana Ruiz Gallardo",
        Gender::Woman,
        AgeBand::From45To64,
        Some("es"),
        Answer::Unknown,
    );
    assert_eq!(ana.organisation, "CEAR");
    assert_eq!(ana.role, "Técnica de incidencia");
    assert_eq!(ana.attended, Answer::Yes);
    // Born 2010-01-02, registered 2026-01-11: 16. `Do Not Email` is 1:
    // no consent to be written to.
    let youssef = by_email(&roster, "youssef.benali@gmail.com");
    assert_eq!(youssef.consent, Answer::No);
    assert_eq!(youssef.consent_text, "Do Not Email");
    assert_eq!(youssef.age_band, AgeBand::Under18);
    assert_eq!(youssef.organisation, "Asociación Alianza");
    assert_eq!(youssef.attended, Answer::No);
    let irina = by_email(&roster, "irina.smirnova@cepaim.org");
    assert_eq!(irina.display_name(), "Ирина Смирнова");
    assert_eq!(irina.attended, Answer::Unknown);
    assert_shows(
        &out,
        &[
            "civicrm-participants.csv, row 5, column \"Participant Status\": the ticket status is `Cancelled`",
        ],
    );
}

/// With the workshop file, ages are counted on the workshop's date, not on
/// the day the form was sent.
#[test]
fn ages_on_the_workshop_date() {
    let dir = folder_with(&["civicrm-participants.csv"]);
    fs::write(
        dir.path().join("workshop.toml"),
        "[workshop]\nid = \"mad-2028-01\"\ntitle = \"Campañas\"\ncity = \"Madrid\"\nvenue = \"La Corrala\"\ndate = 2028-01-02\nhours = 4\nlanguage = \"es\"\norganiser = \"Red\"\n\n[certificate]\nsignatory = \"Marta Aguirre\"\n",
    )
    .expect("a workshop file");
    let (_, roster) = import(
        dir.path(),
        &["--workshop", "workshop.toml", "civicrm-participants.csv"],
    );
    // Born 2010-01-02: 18 on 2028-01-02.
    assert_eq!(
        by_email(&roster, "youssef.benali@gmail.com").age_band,
        AgeBand::From18To29
    );
}

#[test]
fn airtable_csv_with_a_bom() {
    let dir = folder_with(&["Inscripciones-Grid view.csv"]);
    let (out, roster) = import(dir.path(), &["Inscripciones-Grid view.csv"]);
    assert_eq!(roster.attendees.len(), 3, "{}", out.stderr);
    let carmen = by_email(&roster, "carmen.ortega@redacoge.org");
    assert_person(
        carmen,
        "Carmen Ortega Ruiz",
        Gender::Woman,
        AgeBand::From45To64,
        Some("es"),
        Answer::Yes,
    );
    assert_eq!(carmen.consent_text, "¿Quieres recibir el boletín?");
    assert_eq!(carmen.source.to_string(), "Inscripciones-Grid view.csv:2");
    assert_person(
        by_email(&roster, "sofia.antoniou@gmail.com"),
        "Σοφία Αντωνίου",
        Gender::Woman,
        AgeBand::Under18,
        Some("en"),
        Answer::Yes,
    );
    assert_shows(&out, &["0 rejected, 0 merged, 0 warnings"]);
}

/// A Meetup attendee export has no email addresses: as a registration
/// sheet it is refused with what to do; as the attendance file it marks
/// who came, by name.
#[test]
fn meetup_exports() {
    let dir = folder_with(&[
        "meetup-attendees.xls",
        "meetup-members.xls",
        "Inscripciones-Grid view.csv",
    ]);
    let refused = taller(
        dir.path(),
        &["import", "meetup-attendees.xls", "-o", "r.csv"],
    );
    refused.expect_code(2);
    assert!(
        refused.stderr.contains(
            "meetup-attendees.xls: is a Meetup attendee export, which has no email addresses"
        ) && refused.stderr.contains("give it as the attendance file"),
        "{}",
        refused.stderr
    );
    assert!(!dir.path().join("r.csv").exists());

    let members = taller(
        dir.path(),
        &[
            "import",
            "Inscripciones-Grid view.csv",
            "--attendance",
            "meetup-members.xls",
            "-o",
            "r.csv",
        ],
    );
    members.expect_code(2);
    assert!(
        members
            .stderr
            .contains("meetup-members.xls: is a Meetup member list: it says who is in the group, not who registered for or came to this workshop"),
        "{}",
        members.stderr
    );

    let (out, roster) = import(
        dir.path(),
        &[
            "Inscripciones-Grid view.csv",
            "--attendance",
            "meetup-attendees.xls",
        ],
    );
    assert_eq!(roster.attendees.len(), 3, "{}", out.stderr);
    assert_eq!(
        by_email(&roster, "carmen.ortega@redacoge.org").attended,
        Answer::Yes
    );
    assert_eq!(
        by_email(&roster, "yusuf.demir@gmail.com").attended,
        Answer::No
    );
    assert_eq!(
        by_email(&roster, "sofia.antoniou@gmail.com").attended,
        Answer::Yes
    );
    assert_shows(
        &out,
        &[
            "meetup-attendees.xls, row 5: `Walk Sin Correo` is marked present but matches no registered attendee and has no usable email",
        ],
    );
}

/// The same person and organisation under two emails, thousands of rows
/// apart, written in other case and accents: reported, naming both rows,
/// never merged.
#[test]
fn possible_duplicates_far_apart() {
    let dir = temp_dir();
    let mut csv = String::from("Nombre,Apellidos,Email,Organización\n");
    csv.push_str("María Ángeles,Núñez Ibáñez,mangeles@cear.es,CEAR Euskadi\n");
    for i in 0..5000 {
        csv.push_str(&format!("Persona,Número {i},p{i}@ejemplo.org,ONG {i}\n"));
    }
    csv.push_str("MARIA ANGELES,NUNEZ IBAÑEZ,maria.angeles.nunez@gmail.com,cear euskadi\n");
    fs::write(dir.path().join("inscripciones.csv"), csv).expect("a sheet");
    let (out, roster) = import(dir.path(), &["inscripciones.csv"]);
    assert_eq!(roster.attendees.len(), 5002, "{}", out.stderr);
    assert_shows(
        &out,
        &[
            "inscripciones.csv, row 5003: Maria Angeles Nunez Ibañez of cear euskadi registered again with another email (mangeles@cear.es at inscripciones.csv, row 2, now maria.angeles.nunez@gmail.com); both kept",
        ],
    );
}

/// A question that mentions email asks for a yes or a no; a column of
/// addresses is the email whatever its header says.
#[test]
fn consent_questions_and_email_columns_are_told_apart() {
    let dir = temp_dir();
    fs::write(
        dir.path().join("form.csv"),
        "Nombre y apellidos,Email (para enviarte comunicaciones),¿Podemos escribirte por email después del taller?\n\
         Ana Ruiz,ana@ejemplo.org,\"Sí, acepto\"\n\
         Luis Gil,luis@ejemplo.org,No\n",
    )
    .expect("a sheet");
    let (_, roster) = import(dir.path(), &["form.csv"]);
    let ana = by_email(&roster, "ana@ejemplo.org");
    assert_eq!(ana.consent, Answer::Yes);
    assert_eq!(
        ana.consent_text,
        "¿Podemos escribirte por email después del taller?"
    );
    assert_eq!(by_email(&roster, "luis@ejemplo.org").consent, Answer::No);

    // Without a column of addresses, the consent question is not taken
    // for one: the sheet is refused, naming what it lacks.
    fs::write(
        dir.path().join("no-email.csv"),
        "Nombre y apellidos,Can we email you after the workshop?\nAna Ruiz,Yes\n",
    )
    .expect("a sheet");
    let refused = taller(dir.path(), &["import", "no-email.csv", "-o", "r.csv"]);
    refused.expect_code(2);
    assert!(
        refused.stderr.contains("no-email.csv: the header row (row 1: Nombre y apellidos, Can we email you after the workshop?) lacks an email column"),
        "{}",
        refused.stderr
    );
}
