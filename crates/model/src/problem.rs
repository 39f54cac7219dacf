use std::fmt::{self, Write as _};

use serde::{Deserialize, Serialize};

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth a look; the work went on.
    Warning,
    /// A row or attendee was left out of the output.
    Error,
}

/// What kind of problem was found: a stable code for scripts and reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// A row was not imported (no name, no usable email, …).
    RejectedRow,
    /// A row that is not an attendee (a `Total inscritos: 23` footer).
    NotAnAttendee,
    /// An email whose domain looks like a typo of a common provider.
    EmailTypo,
    /// A Twitter handle that is not one, or a placeholder such as `no tengo`.
    InvalidHandle,
    /// A value that could not be understood and was left empty.
    InvalidValue,
    /// A phone number stored as a spreadsheet number (a leading `+` or `0`
    /// may have been lost).
    PhoneAsNumber,
    /// Two rows of the same person were merged into one attendee.
    Merged,
    /// A merged attendee had two different values for one field.
    Conflict,
    /// One email address used by clearly different people.
    SharedEmail,
    /// Same name and organisation under different emails.
    PossibleDuplicate,
    /// Someone in the attendance sheet who had not registered.
    WalkIn,
    /// A line of the attendance sheet that matches no one and cannot be added.
    UnmatchedAttendance,
    /// A sheet or file with a header and no attendees.
    NoAttendees,
    /// A sheet passed over, or another fact about the input worth knowing.
    Note,
    /// A name that cannot be printed with the bundled fonts.
    UnprintableName,
    /// An attendee who said no to being contacted.
    NoConsent,
    /// An attendee without a usable email address.
    NoEmail,
    /// A message sent in another language than the attendee's.
    LanguageFallback,
    /// Someone who joined an online session but for less than the minimum.
    ShortAttendance,
    /// A participant whose name fits several registered attendees.
    AmbiguousName,
    /// A row of a person who asked to be forgotten (`taller forget`): not
    /// imported, and named by its place only.
    Forgotten,
}

/// Where a problem is, as a person finds it in their spreadsheet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Place {
    /// File name as given on the command line.
    pub file: String,
    /// Sheet name, for workbooks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// Row number as the spreadsheet shows it (1 is the first line).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<u32>,
    /// Column header (or letter when there is no header).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
}

impl Place {
    /// A whole file.
    pub fn file(file: impl Into<String>) -> Self {
        Place {
            file: file.into(),
            ..Place::default()
        }
    }

    /// The same place in a given sheet.
    pub fn with_sheet(mut self, sheet: impl Into<String>) -> Self {
        self.sheet = Some(sheet.into());
        self
    }

    /// The same place at a given row.
    pub fn with_row(mut self, row: u32) -> Self {
        self.row = Some(row);
        self
    }

    /// The same place at a given column.
    pub fn with_column(mut self, column: impl Into<String>) -> Self {
        self.column = Some(column.into());
        self
    }

    /// The compact form used in the roster's `source` column:
    /// `file:sheet:row` or `file:row`.
    pub fn source(&self) -> String {
        // Made for every row of every sheet: one allocation, sized once.
        let sheet = self.sheet.as_deref().map_or(0, |sheet| sheet.len() + 1);
        let mut out = String::with_capacity(self.file.len() + sheet + 11);
        out.push_str(&self.file);
        if let Some(sheet) = &self.sheet {
            out.push(':');
            out.push_str(sheet);
        }
        if let Some(row) = self.row {
            // Writing to a String cannot fail.
            let _ = write!(out, ":{row}");
        }
        out
    }
}

impl fmt::Display for Place {
    /// `inscripciones.xlsx, sheet "Respuestas", row 12, column "Correo"`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(sheet) = &self.sheet {
            write!(f, ", sheet \"{sheet}\"")?;
        }
        if let Some(row) = self.row {
            write!(f, ", row {row}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ", column \"{column}\"")?;
        }
        Ok(())
    }
}

/// One thing a coordinator should know about: where, what, how serious.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// Warning or error.
    pub severity: Severity,
    /// Stable code.
    pub kind: ProblemKind,
    /// Where it is.
    pub place: Place,
    /// One sentence in plain words, with the fix where it is known.
    pub message: String,
}

impl Problem {
    /// A warning.
    pub fn warning(kind: ProblemKind, place: Place, message: impl Into<String>) -> Self {
        Problem {
            severity: Severity::Warning,
            kind,
            place,
            message: message.into(),
        }
    }

    /// An error: something was left out.
    pub fn error(kind: ProblemKind, place: Place, message: impl Into<String>) -> Self {
        Problem {
            severity: Severity::Error,
            kind,
            place,
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{label}: {}: {}", self.place, self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_read_like_a_spreadsheet() {
        let place = Place::file("inscripciones.xlsx")
            .with_sheet("Respuestas")
            .with_row(12);
        assert_eq!(place.source(), "inscripciones.xlsx:Respuestas:12");
        let place = place.with_column("Correo");
        assert_eq!(
            place.to_string(),
            "inscripciones.xlsx, sheet \"Respuestas\", row 12, column \"Correo\""
        );
        assert_eq!(Place::file("late.csv").with_row(4).source(), "late.csv:4");
    }
}
