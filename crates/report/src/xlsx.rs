//! `report.xlsx`: a summary sheet, one sheet per breakdown, the workshops'
//! figures, the people, the data gaps and the merges to check. Every value
//! from a roster is written as text, never as a formula.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use crate::{BREAKDOWNS, Error, Report, ranked};

/// The widest a column gets, in characters.
const MAX_WIDTH: usize = 60;

/// The workbook's bytes; `created_unix` is its creation time (passed in,
/// so the same report gives the same bytes).
pub fn write(report: &Report, created_unix: i64) -> Result<Vec<u8>, Error> {
    let mut workbook = Workbook::new();
    let created = ExcelDateTime::from_timestamp(created_unix)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(&report.programme.title)
            .set_creation_datetime(&created),
    );
    let bold = Format::new().set_bold();

    let summary = workbook.add_worksheet().set_name("Summary")?;
    let t = &report.totals;
    let mut rows: Vec<(String, Cell)> = vec![
        (
            "Programme".into(),
            Cell::Text(report.programme.title.clone()),
        ),
        (
            "Organiser".into(),
            Cell::Text(report.programme.organiser.clone()),
        ),
    ];
    if let Some(funder) = &report.programme.funder {
        rows.push(("Funder".into(), Cell::Text(funder.clone())));
    }
    rows.extend([
        ("Workshops".into(), Cell::Number(t.workshops)),
        ("Registrations".into(), Cell::Number(t.registrations)),
        ("Attendances".into(), Cell::Number(t.attendances)),
        ("People registered".into(), Cell::Number(t.people)),
        (
            "People who attended".into(),
            Cell::Number(t.people_attended),
        ),
        (
            "People who attended two or more".into(),
            Cell::Number(t.repeat_people),
        ),
    ]);
    rows.push((
        "No-show rate".into(),
        match t.no_show_rate {
            Some(rate) => Cell::Percent(rate),
            None => Cell::Text("not recorded".into()),
        },
    ));
    let c = &report.by_consent;
    for (label, n) in [
        ("Registrations with consent to follow-up: yes", c.yes),
        ("… no", c.no),
        ("… unknown (no answer recorded)", c.unknown),
    ] {
        rows.push((label.into(), Cell::Number(n)));
    }
    table(summary, &["", ""], &rows_of(rows), &bold)?;

    for (key, title, _) in BREAKDOWNS {
        let sheet = workbook.add_worksheet().set_name(title)?;
        let rows: Vec<Vec<Cell>> = ranked(report.breakdown(key))
            .into_iter()
            .map(|(k, n)| vec![Cell::Text(k.to_owned()), Cell::Number(n)])
            .collect();
        table(sheet, &[title, "People who attended"], &rows, &bold)?;
    }

    let sheet = workbook.add_worksheet().set_name("Workshops")?;
    let rows: Vec<Vec<Cell>> = report
        .workshops
        .iter()
        .map(|w| {
            vec![
                Cell::Text(w.id.clone()),
                Cell::Text(w.title.clone()),
                Cell::Text(w.city.clone()),
                Cell::Text(w.date.clone().unwrap_or_default()),
                Cell::Number(w.registered),
                w.attended
                    .map_or(Cell::Text("not recorded".into()), Cell::Number),
            ]
        })
        .collect();
    table(
        sheet,
        &[
            "Workshop",
            "Title",
            "City",
            "Date",
            "Registered",
            "Attended",
        ],
        &rows,
        &bold,
    )?;

    let sheet = workbook.add_worksheet().set_name("People")?;
    let rows: Vec<Vec<Cell>> = report
        .people
        .iter()
        .map(|p| {
            vec![
                Cell::Text(p.emails.join("; ")),
                Cell::Text(p.name.clone()),
                Cell::Text(p.organisation.clone()),
                Cell::Text(p.registered.join(", ")),
                Cell::Text(p.attended.join(", ")),
                Cell::Number(p.attended.len()),
            ]
        })
        .collect();
    table(
        sheet,
        &[
            "Email",
            "Name",
            "Organisation",
            "Registered for",
            "Attended",
            "Workshops attended",
        ],
        &rows,
        &bold,
    )?;

    let sheet = workbook.add_worksheet().set_name("Data gaps")?;
    let rows: Vec<Vec<Cell>> = report
        .data_gaps
        .iter()
        .map(|g| {
            vec![
                Cell::Text(g.workshop.clone()),
                Cell::Text(g.missing.clone()),
                Cell::Text(g.note.clone()),
            ]
        })
        .chain(report.unknown_cities.iter().map(|city| {
            vec![
                Cell::Text(String::new()),
                Cell::Text("region".into()),
                Cell::Text(format!(
                    "no autonomous community is known for the city “{city}”: counted as unknown"
                )),
            ]
        }))
        .collect();
    table(
        sheet,
        &["Workshop", "Missing", "What it means"],
        &rows,
        &bold,
    )?;

    let sheet = workbook.add_worksheet().set_name("Merges to check")?;
    let rows: Vec<Vec<Cell>> = report
        .merges_to_check
        .iter()
        .map(|m| {
            vec![
                Cell::Text(m.name.clone()),
                Cell::Text(m.organisation.clone()),
                Cell::Text(m.email.clone()),
                Cell::Text(m.other_email.clone()),
            ]
        })
        .collect();
    table(
        sheet,
        &[
            "Name",
            "Organisation",
            "Email",
            "Other email, counted as the same person",
        ],
        &rows,
        &bold,
    )?;

    Ok(workbook.save_to_buffer()?)
}

enum Cell {
    Text(String),
    Number(usize),
    Percent(f64),
}

fn rows_of(pairs: Vec<(String, Cell)>) -> Vec<Vec<Cell>> {
    pairs
        .into_iter()
        .map(|(label, value)| vec![Cell::Text(label), value])
        .collect()
}

/// A header row (bold, frozen; none when every title is empty) and rows,
/// with columns as wide as their content.
fn table(
    sheet: &mut Worksheet,
    header: &[&str],
    rows: &[Vec<Cell>],
    bold: &Format,
) -> Result<(), XlsxError> {
    let has_header = header.iter().any(|h| !h.is_empty());
    let first = u32::from(has_header);
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    let text = Format::new().set_num_format("@");
    let percent = Format::new().set_num_format("0.0%");
    if has_header {
        for (column, title) in header.iter().enumerate() {
            sheet.write_string_with_format(0, column as u16, *title, bold)?;
        }
        sheet.set_freeze_panes(1, 0)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = first + r as u32;
        for (c, cell) in row.iter().enumerate() {
            let column = c as u16;
            let width = match cell {
                Cell::Text(value) => {
                    sheet.write_string_with_format(r, column, value, &text)?;
                    value.chars().count()
                }
                Cell::Number(n) => {
                    sheet.write_number(r, column, *n as f64)?;
                    n.to_string().len()
                }
                Cell::Percent(rate) => {
                    sheet.write_number_with_format(r, column, *rate, &percent)?;
                    6
                }
            };
            if let Some(w) = widths.get_mut(c) {
                *w = (*w).max(width);
            }
        }
    }
    for (column, width) in widths.iter().enumerate() {
        sheet.set_column_width(column as u16, (*width).clamp(6, MAX_WIDTH) as f64 + 2.0)?;
    }
    Ok(())
}
