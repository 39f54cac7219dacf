//! Which column holds each field: decided from the header row, the user's
//! choices (`--map`, `[registration.columns]`) and, where two columns
//! compete for a field, the data below them.

use std::collections::BTreeMap;

use taller_model::fold;

use crate::field::Field;
use crate::headers::{Strength, header_text, match_column};
use crate::table::{Row, Table};

/// Which column holds each field, decided from the header row, the user's
/// choices and, where two columns compete, the data below.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Mapping {
    /// Field → 0-based column.
    pub(crate) columns: BTreeMap<Field, usize>,
    /// Column → its header text, for every non-empty header.
    pub(crate) headers: BTreeMap<usize, String>,
    /// The dates ages are counted on.
    pub(crate) ages_on: AgesOn,
}

/// The day an age answer is counted on: the workshop's date when known,
/// else the day the form was answered, else `today`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct AgesOn {
    /// The workshop's (first) day.
    pub(crate) workshop: Option<taller_model::Date>,
    /// The import's day (`None`: the system clock's).
    pub(crate) today: Option<taller_model::Date>,
}

impl Mapping {
    /// The column of `field`, if the sheet has one.
    pub(crate) fn get(&self, field: Field) -> Option<usize> {
        self.columns.get(&field).copied()
    }

    /// The header text of `field`'s column, to name it in messages.
    pub(crate) fn header(&self, field: Field) -> Option<&str> {
        self.get(field)
            .and_then(|column| self.headers.get(&column))
            .map(String::as_str)
    }

    /// The headers of the columns that hold no field.
    pub(crate) fn unused(&self) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(column, _)| !self.columns.values().any(|c| c == *column))
            .map(|(_, header)| header.as_str())
            .collect()
    }
}

/// Decides the mapping of one table whose header is `table.rows[header]`.
/// `chosen` maps fields to a header text or a column letter. Errors are one
/// sentence without the file name (the caller adds it).
pub(crate) fn map_columns(
    table: &Table,
    header: usize,
    chosen: &BTreeMap<Field, String>,
) -> Result<Mapping, String> {
    let header_row = &table.rows[header];
    let data = &table.rows[header + 1..];
    let mut mapping = Mapping::default();
    let mut candidates: BTreeMap<Field, Vec<(Strength, usize)>> = BTreeMap::new();
    let mut digits_only: Vec<(Field, usize)> = Vec::new();
    let texts: Vec<std::borrow::Cow<'_, str>> =
        header_row.cells.iter().map(|cell| cell.text()).collect();
    for (column, raw) in texts.iter().enumerate() {
        let text = header_text(raw);
        if text.is_empty() {
            continue;
        }
        if let Some((mut field, mut strength)) = match_column(raw, texts.iter().map(|t| t.as_ref()))
        {
            // A column of addresses is the email, whatever its question
            // says (`Email (para enviarte comunicaciones)`).
            if field == Field::Consent && mostly_addresses(data, column) {
                (field, strength) = (Field::Email, Strength::Stem);
            }
            candidates
                .entry(field)
                .or_default()
                .push((strength, column));
        }
        mapping.headers.insert(column, text);
    }
    for (field, wanted) in chosen {
        let column = find_column(&mapping.headers, wanted).ok_or_else(|| {
            let known: Vec<&str> = mapping.headers.values().map(String::as_str).collect();
            format!(
                "has no column \"{wanted}\" for {field} (its columns are: {})",
                known.join(", ")
            )
        })?;
        for list in candidates.values_mut() {
            list.retain(|(_, c)| *c != column);
        }
        candidates.insert(*field, vec![(Strength::Chosen, column)]);
    }
    for (field, mut list) in candidates {
        list.retain(|(strength, column)| {
            *strength == Strength::Chosen || !is_placeholder_column(data, *column)
        });
        if field.is_name() {
            let (named, numbers): (Vec<_>, Vec<_>) = list.iter().partition(|(strength, column)| {
                *strength == Strength::Chosen || has_letters(data, *column)
            });
            if named.is_empty() {
                digits_only.extend(numbers.first().map(|(_, column)| (field, *column)));
            }
            list = named;
        }
        let Some(strongest) = list.iter().map(|(s, _)| *s).max() else {
            continue;
        };
        list.retain(|(s, _)| *s == strongest);
        if field == Field::Email && list.len() > 1 {
            // Microsoft Forms' respondent column says `anonymous`; the
            // question that asked for the address holds the real ones.
            let best = list
                .iter()
                .map(|(_, c)| addresses_in(data, *c))
                .max()
                .unwrap_or(0);
            list.retain(|(_, c)| addresses_in(data, *c) == best);
        }
        if let [(_, first), (_, second), ..] = list.as_slice() {
            let (a, b) = (&mapping.headers[first], &mapping.headers[second]);
            if fold(a) == fold(b) && has_values(data, *first) && has_values(data, *second) {
                return Err(format!(
                    "has two columns called \"{a}\" ({} and {}); rename one of them, or choose with --map {field}={}",
                    crate::table::column_letter(*first),
                    crate::table::column_letter(*second),
                    crate::table::column_letter(*first),
                ));
            }
        }
        if let Some((_, column)) = list.first() {
            mapping.columns.insert(field, *column);
        }
    }
    // A name column of numbers (Eventbrite's `Attendee #`) is used only
    // when the sheet has no other: its rows are then rejected one by one.
    if !mapping.columns.keys().any(|f| f.is_name()) {
        mapping.columns.extend(digits_only);
    }
    // A lone "Nombre" column holds the whole name.
    if let (Some(given), None, None) = (
        mapping.get(Field::GivenName),
        mapping.get(Field::FamilyName),
        mapping.get(Field::FullName),
    ) {
        mapping.columns.remove(&Field::GivenName);
        mapping.columns.insert(Field::FullName, given);
    }
    Ok(mapping)
}

/// A header text or a column letter (`F`) chosen by the user.
fn find_column(headers: &BTreeMap<usize, String>, wanted: &str) -> Option<usize> {
    let folded = fold(wanted);
    headers
        .iter()
        .find(|(_, header)| fold(header) == folded)
        .map(|(column, _)| *column)
        .or_else(|| {
            let letters = wanted.trim();
            (!letters.is_empty()
                && letters.len() <= 3
                && letters.chars().all(|c| c.is_ascii_uppercase()))
            .then(|| {
                letters
                    .bytes()
                    .fold(0usize, |n, b| n * 26 + usize::from(b - b'A' + 1))
                    - 1
            })
        })
}

fn has_values(data: &[Row], column: usize) -> bool {
    data.iter().any(|row| !row.cell(column).is_blank())
}

/// A column of numbers (Eventbrite's `Attendee #`) holds no names.
fn has_letters(data: &[Row], column: usize) -> bool {
    let mut values = data
        .iter()
        .map(|row| row.cell(column))
        .filter(|cell| !cell.is_blank())
        .peekable();
    values.peek().is_none() || values.any(|cell| cell.text().chars().any(char::is_alphabetic))
}

/// True when most of the first filled cells of a column hold an address.
fn mostly_addresses(data: &[Row], column: usize) -> bool {
    let (mut filled, mut addresses) = (0usize, 0usize);
    for row in data {
        let cell = row.cell(column);
        if cell.is_blank() {
            continue;
        }
        filled += 1;
        if crate::normalise::email(&cell.text()).is_ok() {
            addresses += 1;
        }
        if filled == 200 {
            break;
        }
    }
    filled > 0 && addresses * 2 > filled
}

fn addresses_in(data: &[Row], column: usize) -> usize {
    data.iter()
        .filter(|row| row.cell(column).text().contains('@'))
        .count()
}

/// A column whose every value is `anonymous` (Microsoft Forms' respondent
/// columns for people outside the organisation) holds nobody's data.
fn is_placeholder_column(data: &[Row], column: usize) -> bool {
    let mut values = data
        .iter()
        .map(|row| row.cell(column).text())
        .filter(|text| !text.trim().is_empty())
        .peekable();
    values.peek().is_some() && values.all(|text| fold(&text) == "anonymous")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::headers::find_header;

    fn row(number: u32, cells: &[&str]) -> Row {
        Row::of_texts(number, cells)
    }

    #[test]
    fn a_consent_question_over_addresses_is_the_email() {
        let table = Table {
            sheet: None,
            rows: vec![
                row(
                    1,
                    &[
                        "Nombre",
                        "Email (para enviarte comunicaciones)",
                        "¿Podemos escribirte?",
                    ],
                ),
                row(2, &["Ana", "ana@x.es", "Sí"]),
            ],
        };
        let mapping = map_columns(&table, 0, &BTreeMap::new()).expect("maps");
        assert_eq!(mapping.get(Field::Email), Some(1));
        assert_eq!(mapping.get(Field::Consent), Some(2));
    }

    #[test]
    fn header_below_titles_and_anonymous_columns() {
        let table = Table {
            sheet: Some("Respuestas".into()),
            rows: vec![
                row(1, &["Inscripciones Madrid 2016"]),
                row(
                    3,
                    &[
                        "ID",
                        "Start time",
                        "Email",
                        "Name",
                        "Correo de contacto",
                        "Nombre y apellidos",
                    ],
                ),
                row(
                    4,
                    &[
                        "1",
                        "x",
                        "anonymous",
                        "anonymous",
                        "ana@ong.org",
                        "Ana Ruiz",
                    ],
                ),
                row(
                    5,
                    &[
                        "2",
                        "x",
                        "anonymous",
                        "anonymous",
                        "luis@ong.org",
                        "Luis Gil",
                    ],
                ),
            ],
        };
        let (header, score) = find_header(&table).expect("header");
        assert_eq!((header, score), (1, 2));
        let mapping = map_columns(&table, header, &BTreeMap::new()).expect("maps");
        assert_eq!(mapping.get(Field::Email), Some(4));
        assert_eq!(mapping.get(Field::FullName), Some(5));
        let chosen = BTreeMap::from([(Field::Email, "C".to_owned())]);
        assert_eq!(
            map_columns(&table, header, &chosen)
                .expect("maps")
                .get(Field::Email),
            Some(2)
        );
        let chosen = BTreeMap::from([(Field::Email, "Correo".to_owned())]);
        let err = map_columns(&table, header, &chosen).expect_err("no such column");
        assert!(
            err.starts_with("has no column \"Correo\" for email"),
            "{err}"
        );
    }

    #[test]
    fn duplicate_headers_with_data_are_refused() {
        let table = Table {
            sheet: None,
            rows: vec![
                row(1, &["Nombre", "Email", "Email"]),
                row(2, &["Ana", "a@x.es", "b@x.es"]),
            ],
        };
        let err = map_columns(&table, 0, &BTreeMap::new()).expect_err("ambiguous");
        assert!(
            err.contains("two columns called \"Email\" (B and C)"),
            "{err}"
        );
    }
}
