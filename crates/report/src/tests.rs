use taller_model::{AgeBand, Answer, AttendeeId, Gender, ProgrammeInfo};

use super::*;

fn person(email: &str, name: &str, organisation: &str, city: &str, attended: Answer) -> Attendee {
    Attendee {
        id: AttendeeId::from_email(email),
        full_name: name.to_owned(),
        email: email.to_owned(),
        organisation: organisation.to_owned(),
        city: city.to_owned(),
        attended,
        ..Attendee::default()
    }
}

fn workshop(id: &str, attendees: Vec<Attendee>) -> WorkshopRoster {
    WorkshopRoster {
        id: id.to_owned(),
        title: format!("Taller {id}"),
        city: "Madrid".to_owned(),
        date: Date::new(2016, 1, 27).ok(),
        roster: Roster::new(attendees),
    }
}

fn info() -> ProgrammeInfo {
    ProgrammeInfo {
        id: "redes-2016".into(),
        title: "Redes <2016> & \"más\"".into(),
        organiser: "Red".into(),
        funder: Some("Fundación".into()),
        workshops: vec!["*/workshop.toml".into()],
        retention: None,
    }
}

fn sample() -> Vec<WorkshopRoster> {
    let mut ana = person(
        "ana@a.org",
        "Ana Ruiz",
        "Cruz Roja",
        "A Coruña",
        Answer::Yes,
    );
    ana.gender = Gender::Woman;
    ana.age_band = AgeBand::of_age(30);
    let luis = person("luis@b.org", "Luis Gil", "Cáritas", "Atlantis", Answer::No);
    let mut ana_again = person("ana@a.org", "Ana Ruiz", "Cruz Roja", "", Answer::Yes);
    ana_again.gender = Gender::Woman;
    let luis_other = person(
        "lg@gmail.com",
        "LUIS GIL",
        "caritas",
        "Donostia",
        Answer::Unknown,
    );
    vec![
        workshop("mad", vec![ana, luis]),
        workshop("bcn", vec![ana_again]),
        workshop("sev", vec![luis_other]),
    ]
}

#[test]
fn figures_count_people_once_and_leave_unrecorded_attendance_out() {
    let report = Report::compute(&info(), &sample());
    let t = &report.totals;
    assert_eq!(
        (t.workshops, t.registrations, t.attendances, t.people),
        (3, 4, 2, 2)
    );
    assert_eq!((t.people_attended, t.repeat_people), (1, 1));
    // Recorded in mad and bcn: 3 rows, 2 attended.
    assert_eq!(t.no_show_rate, Some(0.3333));
    assert_eq!(report.workshops[2].attended, None);
    assert_eq!(report.by_gender, BTreeMap::from([("woman".into(), 1)]));
    assert_eq!(report.by_region, BTreeMap::from([("Galicia".into(), 1)]));
    assert_eq!(report.merges_to_check.len(), 1);
    assert!(report.unknown_cities.is_empty(), "Luis did not attend");
    let gaps: Vec<(&str, &str)> = report
        .data_gaps
        .iter()
        .map(|g| (g.workshop.as_str(), g.missing.as_str()))
        .collect();
    assert!(gaps.contains(&("sev", "attendance")), "{gaps:?}");
    assert!(gaps.contains(&("sev", "gender")), "{gaps:?}");
    assert!(!gaps.contains(&("mad", "gender")), "{gaps:?}");
    assert_eq!(report.people[0].attended, ["mad", "bcn"]);
    assert_eq!(report.people[1].emails, ["luis@b.org", "lg@gmail.com"]);
}

#[test]
fn the_four_files_are_the_same_bytes_every_time() {
    let workshops = sample();
    let make = || {
        let report = Report::compute(&info(), &workshops);
        let time = report.document_time(&workshops);
        (
            report.to_json().expect("json"),
            xlsx::write(&report, time).expect("xlsx"),
            pdf::write(&report, time).expect("pdf"),
            html::write(&report),
        )
    };
    assert_eq!(make(), make());
}

#[test]
fn the_html_escapes_and_fetches_nothing() {
    let report = Report::compute(&info(), &sample());
    let html = String::from_utf8(html::write(&report)).expect("utf-8");
    assert!(html.contains("Redes &lt;2016&gt; &amp; &quot;más&quot;"));
    assert!(!html.contains("<script"));
    assert!(!html.contains("http://") && !html.contains("https://"));
    assert!(html.contains("<svg"));
}

#[test]
fn the_pdf_says_the_figures() {
    let workshops = sample();
    let report = Report::compute(&info(), &workshops);
    let bytes = pdf::write(&report, report.document_time(&workshops)).expect("pdf");
    let mut warnings = Vec::new();
    let doc =
        printpdf::PdfDocument::parse(&bytes, &printpdf::PdfParseOptions::default(), &mut warnings)
            .expect("readable PDF");
    let text: String = doc
        .extract_text()
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    for expected in [
        "people who attended",
        "Galicia",
        "not recorded",
        "Taller sev",
        "33 %",
    ] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
}

#[test]
fn long_tails_of_a_breakdown_become_one_bar() {
    let many: BTreeMap<String, usize> = (0..20).map(|i| (format!("org {i:02}"), 20 - i)).collect();
    let bars = chart_bars(&many);
    assert_eq!(bars.len(), CHART_BARS);
    assert_eq!(bars[0], ("org 00".into(), 20));
    assert_eq!(bars[CHART_BARS - 1].0, "9 others");
    assert_eq!(
        bars.iter().map(|(_, n)| n).sum::<usize>(),
        many.values().sum::<usize>()
    );
}

#[test]
fn consent_is_counted_and_the_json_names_nobody() {
    let mut rows = sample();
    rows[0].roster.attendees[0].consent = Answer::Yes;
    rows[0].roster.attendees[1].consent = Answer::No;
    let report = Report::compute(&info(), &rows);
    assert_eq!(
        (
            report.by_consent.yes,
            report.by_consent.no,
            report.by_consent.unknown
        ),
        (1, 1, 2)
    );
    let json = String::from_utf8(report.to_json().expect("json")).expect("utf-8");
    assert!(json.contains("\"merges_to_check\": 1"), "{json}");
    for personal in ["@", "Ana", "Luis", "LUIS"] {
        assert!(!json.contains(personal), "{personal} in {json}");
    }
}

#[test]
fn purged_rosters_give_the_same_report() {
    let salt = Salt::from_bytes([9; 32]);
    let live = sample();
    let before = Report::compute(&info(), &live).to_json().expect("json");
    let mut purged = live.clone();
    for workshop in &mut purged[..2] {
        for row in &mut workshop.roster.attendees {
            *row = People::purged_row(row, &salt);
        }
    }
    let after = Report::compute_with(&info(), &purged, Some(&salt))
        .to_json()
        .expect("json");
    assert_eq!(
        String::from_utf8_lossy(&after),
        String::from_utf8_lossy(&before)
    );
}

#[test]
fn documents_are_dated_the_last_workshops_first_day_at_midnight_utc() {
    let workshops = sample();
    let report = Report::compute(&info(), &workshops);
    // 2016-01-27T00:00:00Z, the sample workshop's day.
    assert_eq!(report.document_time(&workshops), 1_453_852_800);
    assert_eq!(report.document_time(&[]), 0, "no date: 1970");
}
