//! One data row to one attendee: every value cleaned, every doubt written
//! down as a problem at its row and column.

use taller_model::{Answer, Attendee, Place, Problem, ProblemKind};

use crate::answers;
use crate::field::Field;
use crate::mapping::Mapping;
use crate::normalise::{
    self, EmailIssue, clean, clean_owned, full_name_in_order, is_blank, name_case, shorten,
    split_name,
};
use crate::table::{Cell, Row};
use taller_model::fold;

/// What a data row turned out to be.
#[derive(Debug)]
pub(crate) enum RowKind {
    /// A person (maybe without a usable email: see `email_problem`).
    Person(Box<Parsed>),
    /// Not a person: a footer, a cancelled ticket. The problem says why.
    NotAnAttendee(Problem),
}

/// A person read from a row.
#[derive(Debug)]
pub(crate) struct Parsed {
    /// The attendee, with `source` set to this row.
    pub(crate) attendee: Attendee,
    /// Where the row is.
    pub(crate) place: Place,
    /// Why the email cannot be used, when it cannot.
    pub(crate) email_problem: Option<String>,
    /// The attendance mark or check-in status, when the sheet has one.
    pub(crate) mark: Option<Answer>,
    /// Doubts about single values (the row is still imported).
    pub(crate) warnings: Vec<Problem>,
}

impl Parsed {
    /// True when the row has any part of a name.
    pub(crate) fn has_name(&self) -> bool {
        let a = &self.attendee;
        // What `display_name` is non-empty for, without making it.
        [&a.given_name, &a.family_name, &a.full_name]
            .iter()
            .any(|part| !is_blank(part))
    }
}

/// Words a footer row starts with (`Total inscritos: 23`).
const FOOTER_WORDS: &[&str] = &[
    "total",
    "totales",
    "suma",
    "guztira",
    "recuento",
    "count",
    "inscritos",
    "numero",
    "n",
    "nº",
    "num",
    "subtotal",
];

/// Eventbrite statuses of people who will not come.
const CANCELLED: &[&str] = &[
    "refunded",
    "cancelled",
    "canceled",
    "reembolsado",
    "cancelado",
    "cancelada",
    "not attending",
    "deleted",
    "transferred",
    "anulado",
    "anulada",
    "declined",
    "rejected",
    "rechazado",
    "rechazada",
    "expired",
];

/// Reads one data row, moving its cells into the attendee. `place` is
/// the row's place (file, sheet, row).
pub(crate) fn read_row(mut row: Row, mapping: &Mapping, place: Place) -> RowKind {
    let has_address = mapping
        .get(Field::Email)
        .is_some_and(|column| row.cell(column).text().contains('@'));
    if let Some(footer) = footer(&row, has_address) {
        return RowKind::NotAnAttendee(Problem::warning(
            ProblemKind::NotAnAttendee,
            place,
            format!(
                "`{}` looks like a footer, not an attendee; not imported",
                shorten(&footer)
            ),
        ));
    }
    let mut warnings = Vec::new();
    let mut take = |field: Field| -> Cell {
        match mapping
            .get(field)
            .and_then(|column| row.cells.get_mut(column))
        {
            Some(cell) => std::mem::replace(cell, Cell::Empty),
            None => Cell::Empty,
        }
    };
    let phone_cell = take(Field::Phone);
    let mut value = |field: Field| -> String {
        match take(field) {
            Cell::Error(error) => {
                warnings.push(Problem::warning(
                    ProblemKind::InvalidValue,
                    column_place(&place, mapping, field),
                    format!("the cell shows the error {error} instead of a value; left empty"),
                ));
                String::new()
            }
            Cell::Text(text) => clean_owned(text),
            cell => clean(&cell.text()),
        }
    };
    let given = value(Field::GivenName);
    let family = value(Field::FamilyName);
    let second = value(Field::SecondFamilyName);
    let full = value(Field::FullName);
    let email_raw = value(Field::Email);
    let status = value(Field::Status);
    let mut attendee = Attendee {
        given_name: name_case(given),
        family_name: if second.is_empty() {
            name_case(family)
        } else {
            name_case(format!("{family} {second}"))
        },
        full_name: name_case(full),
        organisation: value(Field::Organisation),
        role: value(Field::Role),
        cause: value(Field::Cause),
        city: value(Field::City),
        source: taller_model::Sources::one(place.source()),
        ..Attendee::default()
    };
    let twitter_raw = value(Field::Twitter);
    let language_raw = value(Field::Language);
    let consent_raw = value(Field::Consent);
    let mark_raw = value(Field::Attended);
    let gender_raw = value(Field::Gender);
    let age_raw = value(Field::Age);
    let submitted_raw = value(Field::SubmittedAt);
    let do_not_email_raw = value(Field::DoNotEmail);

    let status_key = fold(&status);
    // Meetup: an RSVP of `No` is someone who said they would not come.
    let rsvp_no = status_key == "no"
        && mapping
            .header(Field::Status)
            .is_some_and(|h| fold(h) == "rsvp");
    if CANCELLED.contains(&status_key.as_str()) || rsvp_no {
        return RowKind::NotAnAttendee(Problem::warning(
            ProblemKind::NotAnAttendee,
            column_place(&place, mapping, Field::Status),
            format!("the ticket status is `{status}`: this person will not come; not imported"),
        ));
    }
    if attendee.given_name.is_empty()
        && attendee.family_name.is_empty()
        && !attendee.full_name.is_empty()
    {
        let (given, family) = split_name(&attendee.full_name);
        attendee.full_name =
            full_name_in_order(std::mem::take(&mut attendee.full_name), &given, &family);
        attendee.given_name = given;
        attendee.family_name = family;
    }

    let mut email_problem = None;
    match normalise::email(&email_raw) {
        Ok((address, several)) => {
            if several {
                warnings.push(Problem::warning(
                    ProblemKind::InvalidValue,
                    column_place(&place, mapping, Field::Email),
                    format!(
                        "`{}` holds several addresses; the first, {address}, was used",
                        shorten(&email_raw)
                    ),
                ));
            }
            if let Some(fix) = normalise::typo_fix(&address) {
                warnings.push(Problem::warning(
                    ProblemKind::EmailTypo,
                    column_place(&place, mapping, Field::Email),
                    format!("{address} looks like a typo of {fix}; kept as typed: correct it in the sheet if so"),
                ));
            }
            attendee.email = address;
        }
        Err(EmailIssue::Missing) => email_problem = Some("it has no email address".to_owned()),
        Err(EmailIssue::Invalid) => {
            email_problem = Some(format!(
                "`{}` is not a usable email address",
                shorten(&email_raw)
            ));
        }
    }

    attendee.phone = match &phone_cell {
        Cell::Text(text) => clean(text),
        cell => cell.text().into_owned(),
    };
    if let Cell::Number(_) = phone_cell {
        let digits = attendee.phone.chars().filter(char::is_ascii_digit).count();
        // Spanish numbers have nine digits and never start with 0; any
        // other length may have lost a leading `+` or `0`.
        if digits != 9 {
            warnings.push(Problem::warning(
                ProblemKind::PhoneAsNumber,
                column_place(&place, mapping, Field::Phone),
                format!(
                    "the phone {} is stored as a number, so a leading + or 0 may have been lost; format the column as text in the sheet",
                    attendee.phone
                ),
            ));
        }
    }
    match normalise::twitter(&twitter_raw) {
        Ok(handle) => attendee.twitter = handle,
        Err(why) => warnings.push(Problem::warning(
            ProblemKind::InvalidHandle,
            column_place(&place, mapping, Field::Twitter),
            why,
        )),
    }
    if !language_raw.is_empty() {
        attendee.language = normalise::language(&language_raw);
        if attendee.language.is_none() {
            warnings.push(Problem::warning(
                ProblemKind::InvalidValue,
                column_place(&place, mapping, Field::Language),
                format!("`{}` is not a language taller knows; left empty (the workshop's language applies)", shorten(&language_raw)),
            ));
        }
    }
    attendee.consent = yes_no(&consent_raw, Field::Consent, &place, mapping, &mut warnings);
    if attendee.consent != Answer::Unknown
        && let Some(question) = mapping.header(Field::Consent)
    {
        attendee.consent_text = consent_question(question);
    }
    // Asked not to be emailed (CiviCRM's `Do Not Email`): whatever else
    // the sheet says, no follow-up email.
    if normalise::answer(&do_not_email_raw) == Some(Answer::Yes) {
        if attendee.consent == Answer::Yes {
            warnings.push(Problem::warning(
                ProblemKind::Conflict,
                column_place(&place, mapping, Field::DoNotEmail),
                format!(
                    "says not to email this person, but \"{}\" says yes; consent set to no",
                    shorten(&attendee.consent_text)
                ),
            ));
        }
        attendee.consent = Answer::No;
        attendee.consent_text = mapping
            .header(Field::DoNotEmail)
            .map(consent_question)
            .unwrap_or_default();
    }
    let doubt = |field: Field, raw: &str, why: String| {
        Problem::warning(
            ProblemKind::InvalidValue,
            column_place(&place, mapping, field),
            format!("`{}`: {why}", shorten(raw)),
        )
    };
    match answers::gender(&gender_raw) {
        Ok(gender) => attendee.gender = gender,
        Err(why) => warnings.push(doubt(Field::Gender, &gender_raw, why)),
    }
    if !age_raw.is_empty() {
        let on = mapping
            .ages_on
            .workshop
            .or_else(|| answers::parse_date(&submitted_raw))
            .or(mapping.ages_on.today)
            .unwrap_or_else(answers::today);
        match answers::age_band(&age_raw, on) {
            Ok(band) => attendee.age_band = band,
            Err(why) => warnings.push(doubt(Field::Age, &age_raw, why)),
        }
    }
    let mut mark = mapping.get(Field::Attended).map(|_| {
        if mark_raw.is_empty() && checks_in_by_time(mapping) {
            // Luma's `checked_in_at`: no time, no check-in.
            Answer::No
        } else if answers::parse_date(&mark_raw).is_some() {
            // A check-in time.
            Answer::Yes
        } else {
            yes_no(&mark_raw, Field::Attended, &place, mapping, &mut warnings)
        }
    });
    if mark.is_none() && mapping.get(Field::Status).is_some() {
        // Eventbrite: `Attending` is a ticket, `Checked In` is a person;
        // CiviCRM: `Registered`, then `Attended` or `No-show`.
        mark = Some(
            if status_key.contains("checked in")
                || status_key.contains("check in")
                || status_key == "attended"
            {
                Answer::Yes
            } else if matches!(status_key.as_str(), "no show" | "noshow" | "no asistio") {
                Answer::No
            } else {
                Answer::Unknown
            },
        );
    }
    RowKind::Person(Box::new(Parsed {
        attendee,
        place,
        email_problem,
        mark,
        warnings,
    }))
}

fn yes_no(
    raw: &str,
    field: Field,
    place: &Place,
    mapping: &Mapping,
    warnings: &mut Vec<Problem>,
) -> Answer {
    if raw.is_empty() {
        return Answer::Unknown;
    }
    normalise::answer(raw).unwrap_or_else(|| {
        warnings.push(Problem::warning(
            ProblemKind::InvalidValue,
            column_place(place, mapping, field),
            format!("`{}` is neither yes nor no; left empty", shorten(raw)),
        ));
        Answer::Unknown
    })
}

/// Longest consent question kept whole in `consent_text`: a privacy
/// clause pasted into a header is kept readable, but a hostile header of a
/// megabyte is not copied into every attendee.
const MAX_QUESTION_CHARS: usize = 500;

/// The consent question as asked, for `consent_text`.
fn consent_question(header: &str) -> String {
    taller_model::shorten(header, MAX_QUESTION_CHARS)
}

/// True when the attendance column holds the time of a check-in (Luma's
/// `checked_in_at`): an empty cell there means the person did not come.
fn checks_in_by_time(mapping: &Mapping) -> bool {
    mapping.header(Field::Attended).is_some_and(|header| {
        matches!(
            fold(header).as_str(),
            "checked in at"
                | "check in at"
                | "check in time"
                | "checked in time"
                | "hora de entrada"
        )
    })
}

/// The place of one field's cell in a row.
pub(crate) fn column_place(place: &Place, mapping: &Mapping, field: Field) -> Place {
    match mapping.header(field) {
        Some(header) => place.clone().with_column(header),
        None => place.clone(),
    }
}

/// The footer text, when the row is a footer: few cells, no address, and
/// a first cell such as `Total inscritos: 23`.
fn footer(row: &Row, has_address: bool) -> Option<String> {
    if has_address {
        return None;
    }
    let filled: Vec<String> = row
        .cells
        .iter()
        .filter(|cell| !cell.is_blank())
        .map(|cell| clean(&cell.text()))
        .collect();
    let first = filled.first()?;
    let word = fold(first).split(' ').next().unwrap_or("").to_owned();
    (filled.len() <= 3 && FOOTER_WORDS.contains(&word.as_str())).then(|| filled.join(" "))
}

/// True for a row that opens another section of a report
/// (`3. In-Meeting activities` in a Teams attendance report).
pub(crate) fn is_section_heading(row: &Row) -> bool {
    // Runs on every row of every sheet: no collecting.
    let mut filled = row.cells.iter().filter(|cell| !cell.is_blank());
    let (Some(only), None) = (filled.next(), filled.next()) else {
        return false;
    };
    let text = only.text();
    let text = text.trim();
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && text[digits..].starts_with(". ")
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::mapping::map_columns;
    use crate::table::Table;

    fn text_row(number: u32, cells: &[&str]) -> Row {
        Row::of_texts(number, cells)
    }

    fn parse(header: &[&str], cells: Vec<Cell>) -> RowKind {
        let table = Table {
            sheet: None,
            rows: vec![text_row(1, header), Row { number: 2, cells }],
        };
        let mapping = map_columns(&table, 0, &BTreeMap::new()).expect("maps");
        read_row(
            table.rows[1].clone(),
            &mapping,
            Place::file("f.csv").with_row(2),
        )
    }

    fn person(kind: RowKind) -> Parsed {
        match kind {
            RowKind::Person(parsed) => *parsed,
            RowKind::NotAnAttendee(problem) => panic!("not a person: {problem}"),
        }
    }

    #[test]
    fn a_full_row() {
        let t = |s: &str| Cell::Text(s.into());
        let p = person(parse(
            &[
                "Nombre y apellidos",
                "Correo",
                "Teléfono",
                "Twitter",
                "Idioma",
                "¿Autorizas?",
                "Organización",
            ],
            vec![
                t("  JOSÉ MARÍA DE LA FUENTE "),
                t("mailto:JM@Gmail.con"),
                Cell::Number(34612345678.0),
                t("https://twitter.com/jmfuente"),
                t("Español"),
                t("Sí"),
                t("CEAR"),
            ],
        ));
        let a = &p.attendee;
        assert_eq!(a.full_name, "José María de la Fuente");
        assert_eq!(
            (a.given_name.as_str(), a.family_name.as_str()),
            ("José María", "de la Fuente")
        );
        assert_eq!(a.email, "jm@gmail.con");
        assert_eq!(a.phone, "34612345678");
        assert_eq!(a.twitter, "jmfuente");
        assert_eq!(a.language.as_ref().map(|l| l.code()), Some("es"));
        assert_eq!(a.consent, Answer::Yes);
        assert_eq!(a.organisation, "CEAR");
        assert_eq!(a.source.to_string(), "f.csv:2");
        let kinds: Vec<ProblemKind> = p.warnings.iter().map(|w| w.kind).collect();
        assert_eq!(kinds, [ProblemKind::EmailTypo, ProblemKind::PhoneAsNumber]);
        assert_eq!(p.warnings[0].place.column.as_deref(), Some("Correo"));
    }

    #[test]
    fn footers_and_cancelled_tickets_are_not_attendees() {
        let t = |s: &str| Cell::Text(s.into());
        assert!(matches!(
            parse(&["Nombre", "Email"], vec![t("Total inscritos: 23")]),
            RowKind::NotAnAttendee(_)
        ));
        assert!(matches!(
            parse(
                &["Name", "Email", "Attendee Status"],
                vec![t("Ana"), t("a@x.es"), t("Refunded")]
            ),
            RowKind::NotAnAttendee(_)
        ));
        let p = person(parse(&["Name", "Email"], vec![t("Ana"), t("no tengo")]));
        assert!(p.email_problem.is_some());
    }

    #[test]
    fn funders_questions_and_consent() {
        let t = |s: &str| Cell::Text(s.into());
        let question = format!("¿Podemos escribirte? {}", "x".repeat(2000));
        let p = person(parse(
            &["Nombre", "Email", "Género", "Edad", &question],
            vec![
                t("Ana"),
                t("a@x.es"),
                t("Astronauta\r\n<b>"),
                t("1e9"),
                t("Sí"),
            ],
        ));
        assert_eq!(p.attendee.consent, Answer::Yes);
        assert_eq!(
            p.attendee.consent_text.chars().count(),
            MAX_QUESTION_CHARS + 1
        );
        assert!(
            p.attendee
                .consent_text
                .starts_with("¿Podemos escribirte? xxx")
        );
        let messages: Vec<String> = p.warnings.iter().map(|w| w.to_string()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(
            messages[0].contains("column \"Género\": `Astronauta <b>`: not an answer"),
            "{messages:?}"
        );
        assert!(
            messages[1].contains("column \"Edad\": `1e9`: not an age"),
            "{messages:?}"
        );
    }

    #[test]
    fn asked_not_to_be_emailed_is_no_consent() {
        let t = |s: &str| Cell::Text(s.into());
        let header = ["Nombre", "Email", "¿Podemos escribirte?", "Do Not Email"];
        let p = person(parse(&header, vec![t("Ana"), t("a@x.es"), t("Sí"), t("1")]));
        assert_eq!(p.attendee.consent, Answer::No);
        assert_eq!(p.attendee.consent_text, "Do Not Email");
        assert_eq!(p.warnings[0].kind, ProblemKind::Conflict);
        let p = person(parse(&header, vec![t("Ana"), t("a@x.es"), t("Sí"), t("0")]));
        assert_eq!(p.attendee.consent, Answer::Yes);
        assert_eq!(p.attendee.consent_text, "¿Podemos escribirte?");
    }

    #[test]
    fn section_headings() {
        assert!(is_section_heading(&text_row(
            9,
            &["3. In-Meeting activities"]
        )));
        assert!(!is_section_heading(&text_row(9, &["3. Ana", "a@b.es"])));
        assert!(!is_section_heading(&text_row(9, &["Ana"])));
    }
}
