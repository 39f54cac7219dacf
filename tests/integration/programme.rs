//! `taller report` and `taller run PROGRAMME.toml`: a programme of workshops
//! whose truth the test knows, every number of report.json checked against
//! it, and the other three files read back.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use taller_model::{AgeBand, Answer, Attendee, AttendeeId, Gender, Roster};

use crate::common::{pdf_pages_text, taller, temp_dir};

/// A small deterministic generator (xorshift), so the programme is the same
/// on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// One real person of the generated programme.
#[derive(Clone)]
struct Person {
    name: String,
    organisation: String,
    email: String,
    /// Another address the person registers with in some workshops (then
    /// recognised by name and organisation).
    other_email: String,
    gender: Gender,
    age: AgeBand,
    city: &'static str,
    region: &'static str,
    cause: &'static str,
}

/// One workshop: who registered (person, uses the other email), who came.
struct Workshop {
    id: &'static str,
    city: &'static str,
    date: &'static str,
    records_attendance: bool,
    asks_gender: bool,
    /// (person, registered with the other email, came, registered twice)
    rows: Vec<(usize, bool, bool, bool)>,
}

const CITIES: [(&str, &str); 8] = [
    ("Madrid", "Comunidad de Madrid"),
    ("Lleida", "Cataluña"),
    ("Donostia", "País Vasco"),
    ("A Coruña", "Galicia"),
    ("Sevilla", "Andalucía"),
    ("Getafe", "Comunidad de Madrid"),
    ("Springfield", "unknown"),
    ("", "unknown"),
];
const CAUSES: [&str; 4] = ["Infancia", "Personas refugiadas", "Pobreza", ""];
const ORGANISATIONS: [&str; 6] = [
    "Cruz Roja",
    "Cáritas",
    "Oxfam Intermón",
    "Red Solidaria",
    "Fundación Mano Amiga",
    "Xarxa d'Acollida",
];
const GIVEN: [&str; 10] = [
    "Ana",
    "Luis",
    "Marta",
    "Jordi",
    "Iker",
    "Lucía",
    "Ольга",
    "Νίκος",
    "Xoán",
    "Elena",
];
const FAMILY: [&str; 6] = ["Ruiz", "García", "Etxeberria", "Puig", "Petrenko", "Núñez"];

fn people(rng: &mut Rng) -> Vec<Person> {
    let mut people = Vec::new();
    let mut names = BTreeSet::new();
    while people.len() < 70 {
        let name = format!(
            "{} {}",
            GIVEN[rng.below(GIVEN.len())],
            FAMILY[rng.below(FAMILY.len())]
        );
        let organisation = ORGANISATIONS[rng.below(ORGANISATIONS.len())].to_owned();
        // The same name and organisation would be one person by the rule:
        // namesakes here are always in different organisations.
        if !names.insert((name.clone(), organisation.clone())) {
            continue;
        }
        let n = people.len();
        let (city, region) = CITIES[rng.below(CITIES.len())];
        people.push(Person {
            name,
            organisation,
            email: format!("p{n}@example.org"),
            other_email: format!("p{n}.personal@example.net"),
            gender: [
                Gender::Woman,
                Gender::Man,
                Gender::NonBinary,
                Gender::Unknown,
            ][rng.below(4)],
            age: [
                AgeBand::of_age(25),
                AgeBand::of_age(40),
                AgeBand::of_age(70),
            ][rng.below(3)],
            city,
            region,
            cause: CAUSES[rng.below(CAUSES.len())],
        });
    }
    people
}

fn workshops(rng: &mut Rng, people: &[Person]) -> Vec<Workshop> {
    let plan = [
        ("mad-2016-01", "Madrid", "2016-01-27", true, true),
        ("bcn-2016-02", "Barcelona", "2016-02-10", true, false),
        ("sev-2016-03", "Sevilla", "2016-03-09", false, true),
        ("bil-2016-04", "Bilbao", "2016-04-20", true, true),
    ];
    plan.iter()
        .enumerate()
        .map(|(w, &(id, city, date, records_attendance, asks_gender))| {
            let mut chosen = BTreeSet::new();
            while chosen.len() < 24 {
                chosen.insert(rng.below(people.len()));
            }
            let rows = chosen
                .into_iter()
                .map(|p| {
                    // After the first workshop, a fifth register under
                    // their other address; some register twice.
                    let other = w > 0 && p % 5 == 0;
                    let came = records_attendance && rng.below(4) != 0;
                    let twice = rng.below(10) == 0;
                    (p, other, came, twice)
                })
                .collect();
            Workshop {
                id,
                city,
                date,
                records_attendance,
                asks_gender,
                rows,
            }
        })
        .collect()
}

fn write_programme(dir: &Path, people: &[Person], workshops: &[Workshop]) {
    fs::write(
        dir.join("programme.toml"),
        "[programme]\nid = \"redes-2016\"\ntitle = \"Redes 2016\"\norganiser = \"Red de Formación\"\nfunder = \"Fundación Ejemplo\"\nworkshops = [\"*/workshop.toml\"]\n",
    )
    .expect("programme.toml");
    for w in workshops {
        let folder = dir.join(w.id);
        fs::create_dir_all(&folder).expect("folder");
        fs::write(
            folder.join("workshop.toml"),
            format!(
                "[workshop]\nid = \"{}\"\ntitle = \"Taller {}\"\ncity = \"{}\"\ndate = {}\n\n[registration]\nsources = [\"roster.csv\"]\n",
                w.id, w.city, w.city, w.date
            ),
        )
        .expect("workshop.toml");
        let mut attendees = Vec::new();
        for &(p, other, came, twice) in &w.rows {
            let person = &people[p];
            let email = if other {
                &person.other_email
            } else {
                &person.email
            };
            let attendee = Attendee {
                id: AttendeeId::from_email(email),
                full_name: person.name.clone(),
                email: email.clone(),
                organisation: person.organisation.clone(),
                city: person.city.to_owned(),
                cause: person.cause.to_owned(),
                gender: if w.asks_gender {
                    person.gender
                } else {
                    Gender::Unknown
                },
                age_band: person.age,
                attended: match (w.records_attendance, came) {
                    (false, _) => Answer::Unknown,
                    (true, true) => Answer::Yes,
                    (true, false) => Answer::No,
                },
                ..Attendee::default()
            };
            if twice {
                attendees.push(attendee.clone());
            }
            attendees.push(attendee);
        }
        let csv = taller_registration::write_roster_csv(&Roster::new(attendees)).expect("csv");
        fs::write(folder.join("roster.csv"), csv).expect("roster.csv");
    }
}

/// What report.json must say, worked out from what the generator did
/// rather than from the roster files.
fn truth(people: &[Person], workshops: &[Workshop]) -> serde_json::Value {
    let mut registered: BTreeSet<usize> = BTreeSet::new();
    let mut attended: BTreeMap<usize, usize> = BTreeMap::new();
    let mut emails_used: BTreeMap<usize, BTreeSet<bool>> = BTreeMap::new();
    let mut gender_known: BTreeSet<usize> = BTreeSet::new();
    let (mut registrations, mut attendances, mut recorded_rows) = (0, 0, 0);
    let mut figures = Vec::new();
    let mut gaps = Vec::new();
    for w in workshops {
        let came = w.rows.iter().filter(|r| r.2).count();
        registrations += w.rows.len();
        attendances += came;
        if w.records_attendance {
            recorded_rows += w.rows.len();
        } else {
            gaps.push((w.id.to_owned(), "attendance".to_owned()));
        }
        if !w.asks_gender {
            gaps.push((w.id.to_owned(), "gender".to_owned()));
        }
        for &(p, other, came, _) in &w.rows {
            registered.insert(p);
            emails_used.entry(p).or_default().insert(other);
            if came {
                *attended.entry(p).or_default() += 1;
            }
            if w.asks_gender && people[p].gender != Gender::Unknown {
                gender_known.insert(p);
            }
        }
        figures.push(serde_json::json!({
            "id": w.id,
            "title": format!("Taller {}", w.city),
            "city": w.city,
            "date": w.date,
            "registered": w.rows.len(),
            "attended": w.records_attendance.then_some(came),
        }));
    }
    let mut by: [BTreeMap<String, usize>; 6] = Default::default();
    let key = |value: &str| {
        if value.is_empty() {
            "unknown".to_owned()
        } else {
            value.to_owned()
        }
    };
    let mut unknown_cities = BTreeSet::new();
    for &p in attended.keys() {
        let person = &people[p];
        let gender = if gender_known.contains(&p) {
            person.gender.as_str()
        } else {
            ""
        };
        for (slot, value) in by.iter_mut().zip([
            gender,
            person.age.as_str(),
            person.city,
            person.region,
            person.cause,
            &person.organisation,
        ]) {
            *slot.entry(key(value)).or_default() += 1;
        }
        if person.region == "unknown" && !person.city.is_empty() {
            unknown_cities.insert(person.city);
        }
    }
    let rate = 1.0 - attendances as f64 / recorded_rows as f64;
    let [
        by_gender,
        by_age_band,
        by_city,
        by_region,
        by_cause,
        by_organisation,
    ] = by;
    serde_json::json!({
        "totals": {
            "workshops": workshops.len(),
            "registrations": registrations,
            "attendances": attendances,
            "people": registered.len(),
            "people_attended": attended.len(),
            "repeat_people": attended.values().filter(|n| **n >= 2).count(),
            "no_show_rate": (rate * 10_000.0).round() / 10_000.0,
        },
        "workshops": figures,
        "by_gender": by_gender,
        "by_age_band": by_age_band,
        "by_city": by_city,
        "by_region": by_region,
        "by_cause": by_cause,
        "by_organisation": by_organisation,
        "unknown_cities": unknown_cities,
        "gaps": gaps,
        "merges": emails_used.values().filter(|used| used.len() == 2).count(),
    })
}

#[test]
fn every_figure_of_report_json_is_the_generators_truth() {
    let dir = temp_dir();
    let mut rng = Rng(0x5EED_2016);
    let people = people(&mut rng);
    let workshops = workshops(&mut rng, &people);
    write_programme(dir.path(), &people, &workshops);
    let truth = truth(&people, &workshops);
    // The generator must have made the cases the report has to get right.
    assert!(
        workshops.iter().flat_map(|w| &w.rows).any(|r| r.3),
        "duplicates"
    );
    assert!(truth["merges"].as_u64() > Some(0));
    assert!(truth["totals"]["repeat_people"].as_u64() > Some(0));
    let namesakes = people
        .iter()
        .enumerate()
        .any(|(i, a)| people[i + 1..].iter().any(|b| b.name == a.name));
    assert!(namesakes, "namesakes in different organisations");

    let run = taller(dir.path(), &["report", "programme.toml", "-o", "out"]);
    run.expect_code(0);
    let out = dir.path().join("out");
    let report: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("report.json")).expect("report.json"))
            .expect("json");

    assert_eq!(report["totals"], truth["totals"]);
    assert_eq!(report["workshops"], truth["workshops"]);
    for key in [
        "by_gender",
        "by_age_band",
        "by_city",
        "by_region",
        "by_cause",
        "by_organisation",
        "unknown_cities",
    ] {
        assert_eq!(report[key], truth[key], "{key}");
    }
    let gaps: Vec<serde_json::Value> = report["data_gaps"]
        .as_array()
        .expect("data_gaps")
        .iter()
        .map(|g| serde_json::json!([g["workshop"], g["missing"]]))
        .collect();
    assert_eq!(serde_json::json!(gaps), truth["gaps"]);
    // A funder's file, and the record that outlives a purge: how many
    // merges to check, and no emails at all.
    assert_eq!(report["merges_to_check"], truth["merges"]);
    let json = fs::read_to_string(out.join("report.json")).expect("text");
    assert_eq!(json.matches('@').count(), 0);

    // The workbook lists every person once, with the workshops they came
    // to, and the merges to check with both emails.
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook(out.join("report.xlsx")).expect("report.xlsx");
    use calamine::Reader;
    let merges = workbook
        .worksheet_range("Merges to check")
        .expect("Merges to check sheet");
    assert_eq!(
        merges.height() as u64 - 1,
        truth["merges"].as_u64().expect("n")
    );
    for merge in merges.rows().skip(1) {
        let cell = |i: usize| merge[i].to_string();
        let person = people
            .iter()
            .find(|p| p.email == cell(2))
            .expect("a merge names the first email");
        assert_eq!(cell(3), person.other_email);
        assert_eq!(cell(0), person.name);
    }
    let sheets = workbook.sheet_names();
    for sheet in [
        "Summary",
        "Gender",
        "Autonomous community",
        "Workshops",
        "People",
    ] {
        assert!(sheets.iter().any(|s| s == sheet), "{sheet} in {sheets:?}");
    }
    let listed = workbook.worksheet_range("People").expect("People sheet");
    assert_eq!(
        listed.height() - 1,
        truth["totals"]["people"].as_u64().expect("n") as usize
    );

    // The PDF and the page say the same figures.
    let pdf = pdf_pages_text(&out.join("report.pdf")).join("\n");
    let html = fs::read_to_string(out.join("report.html")).expect("report.html");
    for figure in ["people_attended", "registrations"] {
        let n = truth["totals"][figure].to_string();
        assert!(pdf.contains(&n), "{figure} {n} in the PDF");
        assert!(
            html.contains(&format!("<b>{n}</b>")),
            "{figure} {n} in the page"
        );
    }
    for words in ["not recorded", "sev-2016-03", "País Vasco", "Springfield"] {
        assert!(pdf.contains(words), "{words} in the PDF:\n{pdf}");
        assert!(html.contains(words), "{words} in the page");
    }
    assert!(!html.contains("<script") && !html.contains("src=\"http"));

    // Same inputs, same bytes.
    taller(dir.path(), &["report", "programme.toml", "-o", "again"]).expect_code(0);
    for file in ["report.json", "report.xlsx", "report.pdf", "report.html"] {
        assert_eq!(
            fs::read(out.join(file)).expect("first"),
            fs::read(dir.path().join("again").join(file)).expect("second"),
            "{file} differs between two runs"
        );
    }
    // And nothing is replaced without --force.
    let refused = taller(dir.path(), &["report", "programme.toml", "-o", "out"]);
    refused.expect_code(2);
    assert!(refused.stderr.contains("--force"), "{}", refused.stderr);
}

#[test]
fn init_programme_then_run_lays_out_one_folder_per_workshop_and_the_report() {
    let dir = temp_dir();
    taller(dir.path(), &["init", "--programme", "redes"]).expect_code(0);
    let run = taller(dir.path(), &["run", "redes/programme.toml", "--quiet"]);
    run.expect_code(0);
    let out = dir.path().join("redes/taller-out");
    for workshop in ["mad-2016-01", "sev-2016-01", "bio-2016-06"] {
        assert!(
            out.join(workshop).join("roster.csv").is_file(),
            "{workshop}"
        );
        assert!(
            out.join(workshop).join("certificates.pdf").is_file(),
            "{workshop}"
        );
    }
    let report: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("report/report.json")).expect("report"))
            .expect("json");
    // Lucía and Javier registered in both by email; María del Carmen in
    // Sevilla under another email, recognised by name and organisation.
    assert_eq!(report["totals"]["workshops"], 3);
    assert_eq!(report["merges_to_check"], 1);
    assert_eq!(
        report["unknown_cities"],
        serde_json::json!(["Atenas", "Mairena del Alcor"])
    );
    let again = taller(dir.path(), &["init", "--programme", "redes"]);
    again.expect_code(2);
    assert!(
        again.stderr.contains("never overwrites"),
        "{}",
        again.stderr
    );
}

#[test]
fn a_programme_that_names_no_workshop_is_one_clear_sentence() {
    let dir = temp_dir();
    fs::write(
        dir.path().join("programme.toml"),
        "[programme]\nid = \"p\"\ntitle = \"P\"\nworkshops = [\"*/workshop.toml\"]\n",
    )
    .expect("write");
    let run = taller(dir.path(), &["report", "programme.toml"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("programme.toml") && run.stderr.contains("names no workshop file"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);

    // Two workshops with one id would write into one folder.
    for folder in ["a", "b"] {
        fs::create_dir_all(dir.path().join(folder)).expect("folder");
        fs::write(
            dir.path().join(folder).join("workshop.toml"),
            "[workshop]\nid = \"same\"\ntitle = \"T\"\ncity = \"Madrid\"\ndate = 2016-01-27\n\n[registration]\nsources = [\"x.csv\"]\n",
        )
        .expect("write");
    }
    let run = taller(dir.path(), &["report", "programme.toml"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("the same workshop id"),
        "{}",
        run.stderr
    );

    // A pattern may not leave the programme's folder.
    fs::write(
        dir.path().join("programme.toml"),
        "[programme]\nid = \"p\"\ntitle = \"P\"\nworkshops = [\"../*/workshop.toml\"]\n",
    )
    .expect("write");
    let run = taller(dir.path(), &["report", "programme.toml"]);
    run.expect_code(2);
    assert!(
        run.stderr
            .contains("must be a path inside the programme's folder"),
        "{}",
        run.stderr
    );
    assert!(!dir.path().join("taller-out").exists());
}
