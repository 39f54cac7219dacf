//! The grid every input becomes, whatever its format: rows of cells with
//! the row number a person sees in their spreadsheet or text editor.

/// Largest cell taller accepts: far beyond any name or address, small
/// enough that a hostile file cannot make the roster enormous.
pub(crate) const MAX_CELL_BYTES: usize = 1 << 20;

/// Most filled columns a row may have: registration forms have a few dozen.
pub(crate) const MAX_COLUMNS: usize = 1_000;

use crate::normalise::is_blank;

/// One cell, as read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    /// Nothing in it.
    Empty,
    /// Text (also dates and booleans, written as people read them).
    Text(String),
    /// A spreadsheet number: kept apart so that a phone number stored as a
    /// number can be written without a decimal point, and flagged.
    Number(f64),
    /// A spreadsheet error value such as `#DIV/0!`.
    Error(String),
}

impl Cell {
    /// True when the cell holds nothing visible.
    pub(crate) fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(text) => is_blank(text),
            Cell::Number(_) | Cell::Error(_) => false,
        }
    }

    /// The value as a person reads it in the cell. Whole numbers have no
    /// decimal point (`600123456`, never `6.00123456e8` or `600123456.0`).
    pub(crate) fn text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Cell::Empty | Cell::Error(_) => "".into(),
            Cell::Text(text) => text.as_str().into(),
            Cell::Number(number) => number_text(*number).into(),
        }
    }
}

/// A number written as a spreadsheet shows it in a general-format cell.
pub(crate) fn number_text(number: f64) -> String {
    // Integers up to 2^53 are exact in f64; phone numbers are far below.
    if number.fract() == 0.0 && number.abs() < 9.0e15 {
        format!("{}", number as i64)
    } else {
        format!("{number}")
    }
}

/// One row: its number as the spreadsheet shows it, and its cells.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    /// 1 is the first line of the file or sheet.
    pub(crate) number: u32,
    /// The cells, left to right from column A.
    pub(crate) cells: Vec<Cell>,
}

impl Row {
    /// A row of text cells for tests; `""` is an empty cell.
    #[cfg(test)]
    pub(crate) fn of_texts(number: u32, cells: &[&str]) -> Self {
        let cells = cells
            .iter()
            .map(|c| {
                if c.is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text((*c).to_owned())
                }
            })
            .collect();
        Row { number, cells }
    }

    /// The cell in `column`, empty past the end of a short row.
    pub(crate) fn cell(&self, column: usize) -> &Cell {
        self.cells.get(column).unwrap_or(&Cell::Empty)
    }

    /// True when every cell is blank.
    pub(crate) fn is_blank(&self) -> bool {
        self.cells.iter().all(Cell::is_blank)
    }
}

/// One sheet (or the one table of a CSV file).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Table {
    /// The sheet's name; `None` for CSV and text files.
    pub(crate) sheet: Option<String>,
    /// The non-blank rows, in order.
    pub(crate) rows: Vec<Row>,
}

/// The spreadsheet name of a 0-based column: A, B, … Z, AA, AB …
pub(crate) fn column_letter(mut column: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(char::from(b'A' + (column % 26) as u8));
        if column < 26 {
            break;
        }
        column = column / 26 - 1;
    }
    letters.iter().rev().collect()
}

/// Checks the limits on one row, returning why it is too big.
pub(crate) fn check_row(cells: &[Cell]) -> Result<(), String> {
    if let Some(column) = cells
        .iter()
        .position(|cell| matches!(cell, Cell::Text(text) if text.len() > MAX_CELL_BYTES))
    {
        return Err(format!(
            "column {} holds more than {} MB of text, which is not a registration answer; check that this is the right file",
            column_letter(column),
            MAX_CELL_BYTES >> 20
        ));
    }
    if cells.len() <= MAX_COLUMNS {
        return Ok(());
    }
    let filled = cells.iter().filter(|cell| !cell.is_blank()).count();
    if filled > MAX_COLUMNS {
        return Err(format!(
            "has {filled} filled columns, more than the {MAX_COLUMNS} a registration sheet can have; check that this is the right file"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_people_typed_them() {
        assert_eq!(Cell::Number(600123456.0).text(), "600123456");
        assert_eq!(Cell::Number(34612345678.0).text(), "34612345678");
        assert_eq!(Cell::Number(2.5).text(), "2.5");
        assert_eq!(Cell::Error("#DIV/0!".into()).text(), "");
    }

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn limits() {
        assert!(check_row(&[Cell::Text("a".into())]).is_ok());
        let big = Cell::Text("x".repeat(MAX_CELL_BYTES + 1));
        let err = check_row(&[Cell::Empty, big]).expect_err("too big");
        assert!(err.starts_with("column B holds more than 1 MB"), "{err}");
        let wide = vec![Cell::Text("a".into()); MAX_COLUMNS + 1];
        assert!(check_row(&wide).is_err());
    }
}
