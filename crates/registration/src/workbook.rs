//! Workbooks (XLSX, XLSM, XLSB, XLS, ODS), recognised by their content:
//! people rename files, and mail programs mangle extensions.

use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

use calamine::{Data, Ods, Range, Reader, Xls, Xlsb, Xlsx};

use crate::Error;
use crate::table::{Cell, Row, Table, check_row, number_text};

/// The file formats taller reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileFormat {
    /// Comma-, semicolon-, tab- or bar-separated text.
    Csv,
    /// Excel 2007+ (also .xlsm).
    Xlsx,
    /// Excel binary workbook.
    Xlsb,
    /// Excel 97–2003.
    Xls,
    /// OpenDocument (LibreOffice).
    Ods,
}

/// Largest uncompressed part of a zipped workbook: a sheet of 100,000
/// registrations is a few tens of MB; anything near this is a zip bomb.
const MAX_PART_BYTES: u64 = 512 << 20;

/// Largest uncompressed size of all the parts together.
const MAX_TOTAL_BYTES: u64 = 1 << 30;

/// Real workbooks compress about 5–50 times; a bomb hundreds or thousands of times.
const MAX_RATIO: u64 = 500;

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// Tells the format from the first bytes and, for zip files, from the
/// parts inside. Checks the zip's declared sizes before anything inflates.
pub(crate) fn sniff(bytes: &[u8], file: &str) -> Result<FileFormat, Error> {
    if bytes.starts_with(OLE_MAGIC) {
        return Ok(FileFormat::Xls);
    }
    if !bytes.starts_with(ZIP_MAGIC) {
        return Ok(FileFormat::Csv);
    }
    let damaged = |detail: String| {
        Error::input(
            file,
            format!(
                "looks like an Excel or LibreOffice file but is damaged or incomplete ({detail}); save it again or export it as CSV"
            ),
        )
    };
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| damaged(e.to_string()))?;
    let mut total: u64 = 0;
    let mut format = None;
    for index in 0..archive.len() {
        let part = archive
            .by_index_raw(index)
            .map_err(|e| damaged(e.to_string()))?;
        let (size, packed) = (part.size(), part.compressed_size().max(1));
        total = total.saturating_add(size);
        if size > MAX_PART_BYTES
            || total > MAX_TOTAL_BYTES
            || (size > 1 << 20 && size / packed > MAX_RATIO)
        {
            return Err(Error::input(
                file,
                format!(
                    "would unpack to {} MB, far more than any registration sheet (a damaged or malicious file); it was not opened",
                    size.max(total) >> 20
                ),
            ));
        }
        let name = part.name().map(|n| n.into_owned()).unwrap_or_default();
        format = format.or(match name.as_str() {
            "xl/workbook.xml" => Some(FileFormat::Xlsx),
            "xl/workbook.bin" => Some(FileFormat::Xlsb),
            "content.xml" => Some(FileFormat::Ods),
            _ => None,
        });
    }
    format.ok_or_else(|| {
        Error::input(
            file,
            "is a zip archive, not a spreadsheet; unzip it and import the spreadsheet inside",
        )
    })
}

/// Reads every sheet of a workbook. calamine panics on some damaged .xls
/// files; that is caught and reported as a damaged file.
pub(crate) fn read_workbook(
    bytes: &[u8],
    format: FileFormat,
    file: &str,
) -> Result<Vec<Table>, Error> {
    if format == FileFormat::Xls {
        crate::cfb::check_chains(bytes).map_err(|why| {
            Error::input(
                file,
                format!("is damaged ({why}); open it in Excel or LibreOffice and save it again"),
            )
        })?;
    }
    let previous_hook = std::panic::take_hook();
    // The panic is reported as a clear error below; calamine's own message
    // would only confuse a coordinator.
    std::panic::set_hook(Box::new(|_| {}));
    let result = catch_unwind(AssertUnwindSafe(|| match format {
        FileFormat::Xlsx => xlsx_sheets(bytes, file),
        FileFormat::Xlsb => sheets::<Xlsb<_>>(bytes, file),
        FileFormat::Xls => sheets::<Xls<_>>(bytes, file),
        FileFormat::Ods => sheets::<Ods<_>>(bytes, file),
        FileFormat::Csv => Ok(Vec::new()),
    }));
    std::panic::set_hook(previous_hook);
    result.unwrap_or_else(|_| {
        Err(Error::input(
            file,
            "is damaged: the spreadsheet reader could not make sense of it; open it in Excel or LibreOffice and save it again",
        ))
    })
}

fn open_error(file: &str, error: impl std::fmt::Display) -> Error {
    Error::input(
        file,
        format!(
            "cannot be opened as a spreadsheet ({error}); save it again in Excel or LibreOffice, or export it as CSV"
        ),
    )
}

fn read_error(place: &str, error: impl std::fmt::Display) -> Error {
    Error::input(
        place,
        format!("cannot be read ({error}); save the file again in Excel or LibreOffice"),
    )
}

fn sheets<'a, R>(bytes: &'a [u8], file: &str) -> Result<Vec<Table>, Error>
where
    R: Reader<Cursor<&'a [u8]>>,
    R::Error: std::fmt::Display,
{
    let mut workbook = R::new(Cursor::new(bytes)).map_err(|e| open_error(file, e))?;
    let names = workbook.sheet_names();
    if names.is_empty() {
        return Err(Error::input(file, "has no sheets"));
    }
    let mut tables = Vec::with_capacity(names.len());
    for name in names {
        let place = format!("{file}, sheet \"{name}\"");
        let range = workbook
            .worksheet_range(&name)
            .map_err(|e| read_error(&place, e))?;
        tables.push(table_from_range(&range, name, &place)?);
    }
    Ok(tables)
}

/// XLSX sheets read cell by cell: no intermediate range of the whole
/// sheet, so a big sheet is not held twice on its way in.
fn xlsx_sheets(bytes: &[u8], file: &str) -> Result<Vec<Table>, Error> {
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(|e| open_error(file, e))?;
    let names = workbook.sheet_names();
    if names.is_empty() {
        return Err(Error::input(file, "has no sheets"));
    }
    let mut tables = Vec::with_capacity(names.len());
    for name in names {
        let place = format!("{file}, sheet \"{name}\"");
        let mut reader = workbook
            .worksheet_cells_reader(&name)
            .map_err(|e| read_error(&place, e))?;
        let mut rows = Vec::new();
        let mut current = Row {
            number: 0,
            cells: Vec::new(),
        };
        while let Some(found) = reader.next_cell().map_err(|e| read_error(&place, e))? {
            let value = cell(Data::from(found.get_value().clone()));
            if value == Cell::Empty {
                continue;
            }
            let (row, column) = found.get_position();
            let number = row.saturating_add(1);
            if number != current.number {
                // Rows of a sheet are about as wide as the one before:
                // sized once instead of grown to the next power of two.
                let width = current.cells.len();
                let done = std::mem::replace(
                    &mut current,
                    Row {
                        number,
                        cells: Vec::with_capacity(width),
                    },
                );
                push_row(&mut rows, done, &place)?;
            }
            let column = column as usize;
            // Cells are stored by position: a value far to the right must
            // not make every row that wide.
            if column >= FARTHEST_COLUMN {
                return Err(Error::input(
                    format!("{place}, row {number}"),
                    format!(
                        "has a value in column {}, far beyond the columns of a registration sheet; delete it, or copy the attendees to a new sheet",
                        crate::table::column_letter(column)
                    ),
                ));
            }
            if current.cells.len() <= column {
                current.cells.resize(column + 1, Cell::Empty);
            }
            current.cells[column] = value;
        }
        push_row(&mut rows, current, &place)?;
        // Writers store rows in order; a file that does not is still read
        // in the order the spreadsheet shows.
        rows.sort_by_key(|row: &Row| row.number);
        tables.push(Table {
            sheet: Some(name),
            rows,
        });
    }
    Ok(tables)
}

/// Values from this column on (EWW) are refused.
const FARTHEST_COLUMN: usize = 4 * crate::table::MAX_COLUMNS;

/// Adds a row read from a workbook: trailing blanks trimmed, limits
/// checked, blank rows left out.
fn push_row(rows: &mut Vec<Row>, mut row: Row, place: &str) -> Result<(), Error> {
    while row.cells.last().is_some_and(Cell::is_blank) {
        row.cells.pop();
    }
    check_row(&row.cells)
        .map_err(|message| Error::input(format!("{place}, row {}", row.number), message))?;
    if !row.cells.is_empty() {
        rows.push(row);
    }
    Ok(())
}

fn table_from_range(range: &Range<Data>, name: String, place: &str) -> Result<Table, Error> {
    // A sheet's used range may start below row 1 or right of column A;
    // numbers and cells must still match what the spreadsheet shows.
    let (first_row, first_column) = range.start().unwrap_or((0, 0));
    let mut rows = Vec::new();
    for (offset, data) in range.rows().enumerate() {
        if data.iter().all(|d| matches!(d, Data::Empty)) {
            continue;
        }
        let mut cells = vec![Cell::Empty; first_column as usize];
        cells.extend(data.iter().cloned().map(cell));
        let number = first_row.saturating_add(offset as u32).saturating_add(1);
        push_row(&mut rows, Row { number, cells }, place)?;
    }
    Ok(Table {
        sheet: Some(name),
        rows,
    })
}

fn cell(data: Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(text) => Cell::Text(text),
        Data::Int(number) => Cell::Text(number.to_string()),
        Data::Float(number) => Cell::Number(number),
        Data::Bool(true) => Cell::Text("yes".to_owned()),
        Data::Bool(false) => Cell::Text("no".to_owned()),
        Data::DateTime(date) => {
            let (y, m, d, hh, mm, ss, _) = date.to_ymd_hms_milli();
            if date.is_duration() {
                Cell::Text(number_text(date.as_f64()))
            } else if (hh, mm, ss) == (0, 0, 0) {
                Cell::Text(format!("{y:04}-{m:02}-{d:02}"))
            } else {
                Cell::Text(format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02}"))
            }
        }
        Data::DateTimeIso(text) | Data::DurationIso(text) => Cell::Text(text),
        Data::Error(error) => Cell::Error(error.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_content() {
        assert_eq!(sniff(b"Name,Email\n", "a.xlsx").ok(), Some(FileFormat::Csv));
        assert_eq!(sniff(OLE_MAGIC, "a.csv").ok(), Some(FileFormat::Xls));
        let err = sniff(b"PK\x03\x04garbage", "a.xlsx").expect_err("damaged");
        assert!(err.to_string().contains("damaged or incomplete"), "{err}");
    }

    #[test]
    fn a_real_workbook_reads_with_its_row_numbers() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name("Datos").expect("name");
        sheet.write_string(2, 1, "Nombre").expect("write");
        sheet.write_number(3, 1, 600123456.0).expect("write");
        let bytes = book.save_to_buffer().expect("xlsx");
        assert_eq!(sniff(&bytes, "x.xls").ok(), Some(FileFormat::Xlsx));
        let tables = read_workbook(&bytes, FileFormat::Xlsx, "x.xls").expect("reads");
        assert_eq!(tables[0].sheet.as_deref(), Some("Datos"));
        assert_eq!(tables[0].rows[0].number, 3);
        assert_eq!(tables[0].rows[0].cell(1), &Cell::Text("Nombre".into()));
        assert_eq!(tables[0].rows[1].cell(1).text(), "600123456");
    }

    #[test]
    fn a_value_far_to_the_right_is_refused() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "Nombre").expect("write");
        sheet.write_string(1, 16_000, "x").expect("write");
        let bytes = book.save_to_buffer().expect("xlsx");
        let err = read_workbook(&bytes, FileFormat::Xlsx, "w.xlsx").expect_err("too far");
        assert!(
            err.to_string()
                .starts_with("w.xlsx, sheet \"Sheet1\", row 2: has a value in column WQK"),
            "{err}"
        );
    }

    #[test]
    fn a_zip_bomb_is_refused_before_inflating() {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("xl/workbook.xml", options).expect("zip");
        zip.write_all(b"<workbook/>").expect("zip");
        zip.start_file("xl/worksheets/sheet1.xml", options)
            .expect("zip");
        let zeros = vec![b' '; 8 << 20];
        for _ in 0..8 {
            zip.write_all(&zeros).expect("zip");
        }
        let bytes = zip.finish().expect("zip").into_inner();
        let err = sniff(&bytes, "bomb.xlsx").expect_err("bomb");
        assert!(err.to_string().contains("would unpack to"), "{err}");
    }
}
