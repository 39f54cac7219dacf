//! What an import read and found: the report the caller shows or writes
//! as JSON, filled by the import and by the session reports' minutes.

use std::collections::BTreeMap;

use serde::Serialize;
use taller_model::Problem;

use crate::field::Field;
use crate::workbook::FileFormat;

/// What was read, and every problem found, with its place.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    /// One entry per file read.
    pub files: Vec<FileReport>,
    /// Data rows read from the registration sheets.
    pub rows_read: usize,
    /// Attendees in the roster.
    pub attendees_written: usize,
    /// Rows left out because they lacked a name or a usable email.
    pub rejected: usize,
    /// Rows merged into an earlier row of the same person.
    pub merged: usize,
    /// People in the attendance sheet who had not registered, added.
    pub walk_ins: usize,
    /// Attendees marked as having come (when attendance was given).
    pub attended: Option<usize>,
    /// Attendees by their answer to the consent question (follow-up
    /// emails go to `yes` and `unknown` only).
    pub consent: taller_model::ConsentCounts,
    /// Problems that are warnings (notes not counted).
    pub warnings: usize,
    /// Every problem, in input order.
    pub problems: Vec<Problem>,
    /// The minutes in online sessions that counted as having attended,
    /// when session reports were read and a minimum was set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum_minutes: Option<u32>,
}

impl ImportReport {
    /// True when `--strict` should fail: a rejected row or any warning
    /// (notes such as "sheet passed over" do not count).
    pub fn has_findings(&self) -> bool {
        self.rejected > 0 || self.warnings > 0
    }
}

/// How one file was read.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    /// File name as given.
    pub file: String,
    /// `registration` or `attendance`.
    pub role: &'static str,
    /// The format recognised from the content.
    pub format: FileFormat,
    /// The sheet read (workbooks only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// The other sheets of the workbook, not read.
    pub sheets_passed_over: Vec<String>,
    /// Row of the header, as the spreadsheet shows it.
    pub header_row: u32,
    /// Which column each field was read from.
    pub columns: BTreeMap<Field, String>,
    /// Data rows read.
    pub rows_read: usize,
    /// The online platform's report the file was recognised as.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layout: Option<&'static str>,
}
