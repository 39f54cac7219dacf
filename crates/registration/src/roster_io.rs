//! The roster file: UTF-8 CSV (or JSON) with the columns of
//! [`ROSTER_COLUMNS`], formula-safe for spreadsheet applications.

use std::borrow::Cow;
use std::io::Write;

use rayon::prelude::*;

use taller_model::{
    AgeBand, Answer, Attendee, AttendeeId, CertificateId, Gender, Language, ModelError, Problem,
    ProblemKind, REQUIRED_ROSTER_COLUMNS, ROSTER_COLUMNS, Roster, Severity, Sources, parse_minutes,
};

use crate::Error;

/// The roster file formats taller writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RosterFormat {
    /// UTF-8 CSV without BOM, for programs.
    Csv,
    /// A JSON array of attendee objects.
    Json,
    /// An Excel workbook, for people.
    Xlsx,
}

impl RosterFormat {
    /// The format a file name asks for by its extension, if any.
    pub fn from_file_name(name: &str) -> Option<Self> {
        let extension = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match extension.as_str() {
            "csv" => Some(RosterFormat::Csv),
            "json" => Some(RosterFormat::Json),
            "xlsx" => Some(RosterFormat::Xlsx),
            _ => None,
        }
    }
}

/// Characters that make a spreadsheet application run a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Protects a value from running as a formula when the CSV is opened in a
/// spreadsheet: a leading `'`, as spreadsheets themselves do. A value that
/// itself starts with `'` gets one too, so that reading it back is exact.
pub(crate) fn defuse_formula(value: &str) -> std::borrow::Cow<'_, str> {
    if value.starts_with(FORMULA_STARTS) || value.starts_with('\'') {
        format!("'{value}").into()
    } else {
        value.into()
    }
}

/// Undoes [`defuse_formula`] on a value read back from a roster.
pub(crate) fn restore_formula(value: &str) -> &str {
    match value.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) || rest.starts_with('\'') => rest,
        _ => value,
    }
}

/// An attendee's values in [`ROSTER_COLUMNS`] order, borrowed where the
/// attendee holds them as they are written.
fn attendee_fields(attendee: &Attendee) -> [Cow<'_, str>; ROSTER_COLUMNS.len()] {
    [
        attendee.id.as_str().into(),
        attendee.given_name.as_str().into(),
        attendee.family_name.as_str().into(),
        attendee.full_name.as_str().into(),
        attendee.email.as_str().into(),
        attendee.organisation.as_str().into(),
        attendee.role.as_str().into(),
        attendee.cause.as_str().into(),
        attendee.city.as_str().into(),
        attendee.twitter.as_str().into(),
        attendee.phone.as_str().into(),
        attendee.language.as_ref().map_or("", Language::code).into(),
        attendee.consent.as_str().into(),
        attendee.attended.as_str().into(),
        attendee
            .certificate_id
            .as_ref()
            .map_or("", CertificateId::as_str)
            .into(),
        match attendee.source.0.as_slice() {
            [one] => one.as_str().into(),
            _ => attendee.source.to_string().into(),
        },
        attendee
            .minutes
            .map_or(Cow::Borrowed(""), |minutes| minutes.to_string().into()),
        attendee.gender.as_str().into(),
        attendee.age_band.as_str().into(),
        attendee.consent_text.as_str().into(),
    ]
}

/// The roster as CSV bytes: header row, one attendee a row.
pub fn write_roster_csv(roster: &Roster) -> Result<Vec<u8>, Error> {
    let mut bytes = Vec::new();
    write_roster_csv_to(roster, &mut bytes)?;
    Ok(bytes)
}

/// Writes the roster as CSV to `out`: chunks of rows are made on all
/// cores and written in order, never joined into one buffer (a second
/// copy of the whole roster).
pub fn write_roster_csv_to(roster: &Roster, mut out: impl Write) -> Result<(), Error> {
    const ROWS_PER_CHUNK: usize = 4096;
    let header = csv_rows(std::iter::once(ROSTER_COLUMNS.map(Cow::Borrowed)), 1)?;
    let chunks: Vec<Vec<u8>> = roster
        .attendees
        .par_chunks(ROWS_PER_CHUNK)
        .map(|chunk| csv_rows(chunk.iter().map(attendee_fields), chunk.len()))
        .collect::<Result<_, _>>()?;
    for chunk in std::iter::once(&header).chain(&chunks) {
        out.write_all(chunk).map_err(|e| Error::Write(e.into()))?;
    }
    Ok(())
}

/// Rows as CSV lines (CRLF), every value defused of formulas.
fn csv_rows<'a>(
    rows: impl Iterator<Item = [Cow<'a, str>; ROSTER_COLUMNS.len()]>,
    count: usize,
) -> Result<Vec<u8>, Error> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        // About 200 bytes a row: one allocation instead of a dozen copies.
        .from_writer(Vec::with_capacity(200 * count));
    let write_err = |e: csv::Error| Error::Write(e.into());
    for fields in rows {
        writer
            .write_record(fields.iter().map(|field| match defuse_formula(field) {
                Cow::Borrowed(text) => Cow::Borrowed(text.as_bytes()),
                Cow::Owned(text) => Cow::Owned(text.into_bytes()),
            }))
            .map_err(write_err)?;
    }
    writer.into_inner().map_err(|e| Error::Write(e.into()))
}

/// The roster as pretty-printed JSON.
pub fn write_roster_json(roster: &Roster) -> Result<Vec<u8>, Error> {
    serde_json::to_vec_pretty(roster).map_err(|e| Error::Write(e.into()))
}

/// Widest column in the workbook, in characters: long answers wrap in
/// the cell rather than pushing the next column off screen.
const MAX_WIDTH: usize = 50;

/// The roster as an Excel workbook for people: a "Roster" sheet with a
/// bold, frozen, filtered header and every value as text (a phone stays
/// `600123456`, a value starting with `=` is never a formula), and a
/// "Problems" sheet listing every problem with its place.
pub fn write_roster_xlsx(roster: &Roster, problems: &[Problem]) -> Result<Vec<u8>, Error> {
    let write_err = |e: rust_xlsxwriter::XlsxError| Error::Write(e.into());
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let rows: Vec<[Cow<'_, str>; ROSTER_COLUMNS.len()]> =
        roster.attendees.iter().map(attendee_fields).collect();
    let sheet = workbook
        .add_worksheet()
        .set_name("Roster")
        .map_err(write_err)?;
    write_text_table(sheet, &ROSTER_COLUMNS, &rows).map_err(write_err)?;
    let problem_rows: Vec<[String; 7]> = problems
        .iter()
        .map(|p| {
            [
                match (p.severity, p.kind) {
                    (Severity::Error, _) => "error".to_owned(),
                    (_, ProblemKind::Note) => "note".to_owned(),
                    (Severity::Warning, _) => "warning".to_owned(),
                },
                serde_json::to_value(p.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                p.place.file.clone(),
                p.place.sheet.clone().unwrap_or_default(),
                p.place.row.map(|r| r.to_string()).unwrap_or_default(),
                p.place.column.clone().unwrap_or_default(),
                p.message.clone(),
            ]
        })
        .collect();
    let sheet = workbook
        .add_worksheet()
        .set_name("Problems")
        .map_err(write_err)?;
    write_text_table(
        sheet,
        &[
            "severity", "kind", "file", "sheet", "row", "column", "message",
        ],
        &problem_rows,
    )
    .map_err(write_err)?;
    workbook.save_to_buffer().map_err(write_err)
}

fn write_text_table<S: AsRef<str>, const N: usize>(
    sheet: &mut rust_xlsxwriter::Worksheet,
    header: &[&str; N],
    rows: &[[S; N]],
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let text = rust_xlsxwriter::Format::new().set_num_format("@");
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for (column, title) in header.iter().enumerate() {
        sheet.write_string_with_format(0, column as u16, *title, &bold)?;
    }
    for (index, row) in rows.iter().enumerate() {
        let row_number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        for (column, value) in row.iter().enumerate() {
            let value = value.as_ref();
            if !value.is_empty() {
                sheet.write_string_with_format(row_number, column as u16, value, &text)?;
            }
            widths[column] = widths[column].max(value.chars().count());
        }
    }
    for (column, width) in widths.iter().enumerate() {
        sheet.set_column_width(column as u16, (*width).clamp(6, MAX_WIDTH) as f64 + 2.0)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    if !rows.is_empty() {
        sheet.autofilter(
            0,
            0,
            u32::try_from(rows.len()).unwrap_or(u32::MAX),
            (N - 1) as u16,
        )?;
    }
    Ok(())
}

/// Reads a roster that taller wrote (CSV, or JSON when it starts with `[`).
/// `file` names the file in error messages.
pub fn read_roster(bytes: &[u8], file: &str) -> Result<Roster, Error> {
    let roster_err = |message: String| Error::Roster {
        file: file.to_owned(),
        message,
    };
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).map_err(
        |_| roster_err("is not UTF-8 text; a roster is the CSV that `taller import` writes".into()),
    )?;
    if text.trim_start().starts_with('[') {
        return serde_json::from_str(text)
            .map_err(|e| roster_err(format!("line {}, column {}: {e}", e.line(), e.column())));
    }
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| roster_err(format!("cannot read the header row: {e}")))?
        .clone();
    let missing: Vec<&str> = ROSTER_COLUMNS[..REQUIRED_ROSTER_COLUMNS]
        .iter()
        .filter(|column| !headers.iter().any(|h| h == **column))
        .copied()
        .collect();
    if !missing.is_empty() {
        return Err(roster_err(format!(
            "is not a roster: column{} {} missing (make one with `taller import`)",
            if missing.len() == 1 { " is" } else { "s are" },
            missing.join(", ")
        )));
    }
    // An optional column that is missing reads as empty.
    let index: Vec<Option<usize>> = ROSTER_COLUMNS
        .iter()
        .map(|column| headers.iter().position(|h| h == *column))
        .collect();
    let mut attendees = Vec::new();
    for (number, record) in reader.records().enumerate() {
        // Row numbers as a text editor shows them: the header is row 1.
        let row = number + 2;
        let record = record.map_err(|e| roster_err(format!("row {row}: {e}")))?;
        let field = |column: usize| {
            restore_formula(index[column].and_then(|at| record.get(at)).unwrap_or(""))
        };
        let bad = |column: usize, err: ModelError| {
            roster_err(format!(
                "row {row}, column \"{}\": {err}",
                ROSTER_COLUMNS[column]
            ))
        };
        let optional = |text: &str| (!text.is_empty()).then(|| text.to_owned());
        attendees.push(Attendee {
            id: AttendeeId::new(field(0)),
            given_name: field(1).to_owned(),
            family_name: field(2).to_owned(),
            full_name: field(3).to_owned(),
            email: field(4).to_owned(),
            organisation: field(5).to_owned(),
            role: field(6).to_owned(),
            cause: field(7).to_owned(),
            city: field(8).to_owned(),
            twitter: field(9).to_owned(),
            phone: field(10).to_owned(),
            language: optional(field(11))
                .map(|code| Language::parse(&code))
                .transpose()
                .map_err(|e| bad(11, e))?,
            consent: Answer::parse(field(12)).map_err(|e| bad(12, e))?,
            attended: Answer::parse(field(13)).map_err(|e| bad(13, e))?,
            certificate_id: optional(field(14))
                .map(|id| CertificateId::parse(&id))
                .transpose()
                .map_err(|e| bad(14, e))?,
            source: Sources::parse(field(15)),
            minutes: parse_minutes(field(16)).map_err(|e| bad(16, e))?,
            gender: Gender::parse(field(17)).map_err(|e| bad(17, e))?,
            age_band: AgeBand::parse(field(18)).map_err(|e| bad(18, e))?,
            consent_text: field(19).to_owned(),
        });
    }
    Ok(Roster::new(attendees))
}

#[cfg(test)]
mod tests {

    use super::*;

    fn sample() -> Roster {
        Roster::new(vec![Attendee {
            id: AttendeeId::from_email("ana@ejemplo.org"),
            given_name: "Ana".into(),
            family_name: "=HYPERLINK(\"x\")".into(),
            email: "ana@ejemplo.org".into(),
            organisation: "-ONG, \"quoted\"\r\nline".into(),
            phone: "+34600123456".into(),
            language: Some(Language::english()),
            consent: Answer::Yes,
            attended: Answer::No,
            source: Sources(vec!["a.xlsx:Hoja 1:2".into(), "late.csv:3".into()]),
            ..Attendee::default()
        }])
    }

    #[test]
    fn csv_round_trips_and_is_formula_safe() {
        let roster = sample();
        let bytes = write_roster_csv(&roster).expect("writes");
        let text = String::from_utf8(bytes.clone()).expect("utf-8");
        assert!(text.starts_with("id,given_name,family_name,"));
        assert!(text.contains("'=HYPERLINK"));
        assert!(text.contains("'+34600123456"));
        assert_eq!(read_roster(&bytes, "roster.csv").expect("reads"), roster);
    }

    #[test]
    fn json_round_trips() {
        let roster = sample();
        let bytes = write_roster_json(&roster).expect("writes");
        assert_eq!(read_roster(&bytes, "roster.json").expect("reads"), roster);
    }

    #[test]
    fn a_value_that_starts_with_a_quote_survives() {
        let mut roster = sample();
        roster.attendees[0].role = "'quoted".into();
        let bytes = write_roster_csv(&roster).expect("writes");
        assert_eq!(read_roster(&bytes, "r.csv").expect("reads"), roster);
    }

    #[test]
    fn errors_name_the_file_row_and_column() {
        let err = read_roster(b"name,email\nAna,a@b.es\n", "r.csv").expect_err("not a roster");
        assert!(
            err.to_string().starts_with("r.csv: is not a roster"),
            "{err}"
        );
        let mut bytes = write_roster_csv(&sample()).expect("writes");
        let text = String::from_utf8(bytes.clone())
            .expect("utf-8")
            .replace(",yes,no,", ",maybe,no,");
        bytes = text.into_bytes();
        let err = read_roster(&bytes, "r.csv")
            .expect_err("bad answer")
            .to_string();
        assert!(err.contains("row 2, column \"consent\""), "{err}");
    }
}
