//! The import itself: registration sheets in, one roster and a report of
//! everything worth a look out. Works on bytes; the caller reads files.

use std::collections::BTreeMap;

use rayon::prelude::*;
use taller_model::{Answer, Attendee, Place, Problem, ProblemKind, Roster, Severity};

use crate::Error;
use crate::attendance;
use crate::dedup::{self, Records, deduplicate, name_key, same_person};
use crate::delimited::read_text_table;
use crate::field::Field;
use crate::headers::find_header;
use crate::mapping::{AgesOn, Mapping, map_columns};
use crate::report::{FileReport, ImportReport};
use crate::rows::{Parsed, RowKind, is_section_heading, read_row};
use crate::table::{Row, Table};
use crate::workbook::{FileFormat, read_workbook, sniff};
use taller_model::fold;

/// One input file: its bytes and the name to show in messages and in the
/// roster's `source` column (as the user wrote it).
#[derive(Debug, Clone)]
pub struct Input {
    /// File name as given on the command line or in `workshop.toml`.
    pub name: String,
    /// The whole file.
    pub bytes: Vec<u8>,
}

/// Choices that change how inputs are read.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The sheet to read in workbooks, instead of the automatic choice.
    pub sheet: Option<String>,
    /// Explicit columns: field → header text (or column letter such as `F`),
    /// from `--map` and `[registration.columns]`.
    pub columns: BTreeMap<Field, String>,
    /// The workshop's id: when given, every attendee gets a certificate id.
    pub workshop_id: Option<String>,
    /// The workshop's (first) day: ages are counted on it. Without it, on
    /// the day each form was answered, else on `today`.
    pub workshop_date: Option<taller_model::Date>,
    /// The import's day, for ages with no other date (`None`: the system
    /// clock's).
    pub today: Option<taller_model::Date>,
    /// Minutes in online sessions that count as having attended; without
    /// it, everyone who joined counts.
    pub min_attendance: Option<u32>,
    /// People who asked to be forgotten: their rows are skipped, each
    /// with a line in the report naming the row by its place only.
    pub forgotten: crate::Forgotten,
}

/// What the import made.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The attendees.
    pub roster: Roster,
    /// What was read and what needs a look.
    pub report: ImportReport,
}

/// Reads the registration `sources` (merged in order) and, when given, the
/// `attendance` sheet, and makes the roster.
///
/// Errors only for input that cannot be used at all (unreadable, no
/// header, too big); everything about single rows is in the report.
pub fn import(
    sources: &[Input],
    attendance: Option<&Input>,
    options: &ImportOptions,
) -> Result<Imported, Error> {
    import_sessions(
        sources,
        attendance.map_or(&[], std::slice::from_ref),
        options,
    )
}

/// [`import`] with any number of attendance files: check-in sheets, and
/// the participant reports of online sessions (Zoom, Teams, Meet), one
/// per session, whose minutes are summed per person.
pub fn import_sessions(
    sources: &[Input],
    attendance: &[Input],
    options: &ImportOptions,
) -> Result<Imported, Error> {
    let mut report = ImportReport::default();
    let mut records = Records::default();
    let mut columns = ChosenColumns::new(&options.columns, sources.len() > 1);
    for input in sources {
        if let Some(roster) = own_roster(input) {
            report.rows_read += roster.attendees.len();
            for (attendee, row) in roster.attendees.into_iter().zip(2u32..) {
                records.push(attendee, Place::file(&input.name).with_row(row));
            }
            continue;
        }
        // Each row becomes a record as it is read: a big sheet is never
        // held as rows and as records at once.
        read_sheet(
            read_file(input)?,
            options,
            &mut columns,
            &mut report,
            &mut records,
        )?;
    }
    make_roster(records, attendance, options, columns, report)
}

/// The roster from the registration records: columns checked, duplicates
/// merged, attendance applied, ids set, the report counted.
fn make_roster(
    records: Records,
    attendance: &[Input],
    options: &ImportOptions,
    columns: ChosenColumns<'_>,
    mut report: ImportReport,
) -> Result<Imported, Error> {
    columns.check_used()?;
    let records = skip_forgotten(records, &options.forgotten, &mut report);
    let deduplicated = deduplicate(records);
    report.merged = deduplicated.merged;
    report.problems.extend(deduplicated.problems);
    let mut roster = Roster::new(deduplicated.attendees);
    let mut sessions = Vec::new();
    let mut checked_in = Vec::new();
    for (index, input) in attendance.iter().enumerate() {
        // The same report twice would count its durations twice.
        if let Some(earlier) = attendance[..index].iter().find(|a| a.bytes == input.bytes) {
            return Err(Error::input(
                &input.name,
                format!(
                    "is the same file as {}; give each session's report once",
                    earlier.name
                ),
            ));
        }
        let file = read_file(input)?;
        let base = |table: &Table| match &table.sheet {
            Some(sheet) => Place::file(&input.name).with_sheet(sheet),
            None => Place::file(&input.name),
        };
        // An online session's report (read by its own rules), else a
        // check-in sheet.
        let session = file
            .tables
            .iter()
            .find_map(|table| attendance::read_session(table, &base(table)).map(|s| (table, s)));
        if let Some((table, mut session)) = session {
            // A forgotten person's connections are not counted, nor named.
            if !options.forgotten.is_empty() {
                session.people.retain(|person| {
                    let theirs = options.forgotten.matches(&Attendee {
                        email: person.email.clone(),
                        full_name: person.name.clone(),
                        ..Attendee::default()
                    });
                    if theirs {
                        report
                            .problems
                            .extend(person.places.iter().cloned().map(forgotten_problem));
                    }
                    !theirs
                });
            }
            report.files.push(FileReport {
                file: input.name.clone(),
                role: Role::Attendance.name(),
                format: file.format,
                sheet: table.sheet.clone(),
                sheets_passed_over: Vec::new(),
                header_row: session.header_row,
                columns: BTreeMap::new(),
                rows_read: session.rows_read,
                layout: session.layout.map(attendance::Layout::name),
            });
            sessions.push((input.name.as_str(), session));
            continue;
        }
        // The chosen columns describe the registration sheets; a check-in
        // sheet is matched by its own headers.
        let mut none = ChosenColumns::for_attendance();
        let mut rows: Vec<Parsed> = Vec::new();
        read_sheet(file, options, &mut none, &mut report, &mut rows)?;
        if !options.forgotten.is_empty() {
            rows.retain(|row| {
                let keep = !options.forgotten.matches(&row.attendee);
                if !keep {
                    report.problems.push(forgotten_problem(row.place.clone()));
                }
                keep
            });
        }
        apply_attendance(&mut roster, rows, &mut report);
        checked_in.resize(roster.attendees.len(), false);
        for (marked, attendee) in checked_in.iter_mut().zip(&roster.attendees) {
            *marked |= attendee.attended == Answer::Yes;
        }
    }
    if !sessions.is_empty() {
        checked_in.resize(roster.attendees.len(), false);
        crate::minutes::apply_sessions(
            &mut roster,
            sessions,
            options.min_attendance,
            &checked_in,
            &mut report,
        )?;
    }
    // A forgotten person who joined an online session would come back
    // as a walk-in.
    if !options.forgotten.is_empty() {
        let before = roster.attendees.len();
        roster
            .attendees
            .retain(|attendee| !options.forgotten.matches(attendee));
        report.walk_ins = report
            .walk_ins
            .saturating_sub(before - roster.attendees.len());
    }
    if !attendance.is_empty() {
        report.attended = Some(
            roster
                .attendees
                .iter()
                .filter(|a| a.attended == Answer::Yes)
                .count(),
        );
    }
    if let Some(workshop_id) = &options.workshop_id {
        roster.assign_certificate_ids(workshop_id);
    }
    report.attendees_written = roster.attendees.len();
    report.consent = roster.consent_counts();
    report.warnings = report
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Warning && p.kind != ProblemKind::Note)
        .count();
    Ok(Imported { roster, report })
}

/// The records less those of forgotten people, each skipped row named in
/// the report by its place (never by the name or address it holds).
fn skip_forgotten(
    records: Records,
    forgotten: &crate::Forgotten,
    report: &mut ImportReport,
) -> Records {
    if forgotten.is_empty() {
        return records;
    }
    let mut kept = Records::default();
    for (attendee, place) in records.attendees.into_iter().zip(records.places) {
        if forgotten.matches(&attendee) {
            report.problems.push(forgotten_problem(place));
        } else {
            kept.push(attendee, place);
        }
    }
    kept
}

fn forgotten_problem(place: Place) -> Problem {
    Problem::warning(
        ProblemKind::Forgotten,
        place,
        "row skipped: it is a person who asked to be forgotten (taller forget); delete the row from your sheet",
    )
}

/// A registration row with a name and a usable email becomes a record;
/// any other is rejected and reported.
fn accept(parsed: Parsed, report: &mut ImportReport) -> Option<(Attendee, Place)> {
    let why = match (parsed.has_name(), parsed.email_problem) {
        (true, None) => {
            report.problems.extend(parsed.warnings);
            let mut attendee = parsed.attendee;
            // A registration sheet that records attendance (an "Asistió"
            // column, Eventbrite's `Checked In`) says who came.
            attendee.attended = parsed.mark.unwrap_or_default();
            return Some((attendee, parsed.place));
        }
        (false, None) => "it has no name".to_owned(),
        (false, Some(email)) => format!("it has no name and {email}"),
        (true, Some(email)) => email,
    };
    report.rejected += 1;
    report.problems.push(Problem::error(
        ProblemKind::RejectedRow,
        parsed.place,
        format!("row not imported: {why}; correct it in the sheet and import again"),
    ));
    None
}

/// A roster that taller itself wrote, read back as it is (ids,
/// certificate ids, attendance and sources kept), so that importing it
/// again gives exactly the same roster.
fn own_roster(input: &Input) -> Option<Roster> {
    let looks_like_one = input
        .bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&input.bytes)
        .starts_with(
            taller_model::ROSTER_COLUMNS[..taller_model::REQUIRED_ROSTER_COLUMNS]
                .join(",")
                .as_bytes(),
        );
    looks_like_one
        .then(|| crate::read_roster(&input.bytes, &input.name).ok())
        .flatten()
}

/// The columns chosen by the user (`--map`, `[registration.columns]`).
/// With several registration files, a file without a chosen column has its
/// columns matched automatically (the choice is about another file); a
/// choice that fits no file at all is an error.
struct ChosenColumns<'a> {
    chosen: &'a BTreeMap<Field, String>,
    lenient: bool,
    role: Role,
    /// How many files had each chosen column, and the first complaint.
    found: BTreeMap<Field, (usize, Option<Error>)>,
}

impl<'a> ChosenColumns<'a> {
    fn new(chosen: &'a BTreeMap<Field, String>, lenient: bool) -> Self {
        ChosenColumns {
            chosen,
            lenient,
            role: Role::Registration,
            found: BTreeMap::new(),
        }
    }

    fn for_attendance() -> ChosenColumns<'static> {
        static NONE: BTreeMap<Field, String> = BTreeMap::new();
        ChosenColumns {
            chosen: &NONE,
            lenient: true,
            role: Role::Attendance,
            found: BTreeMap::new(),
        }
    }

    /// The choices that apply to a table, noting those it lacks.
    fn for_table(
        &mut self,
        table: &Table,
        header: usize,
        base: &Place,
        report: &mut ImportReport,
    ) -> BTreeMap<Field, String> {
        if !self.lenient {
            return self.chosen.clone();
        }
        let mut applicable = BTreeMap::new();
        for (field, wanted) in self.chosen {
            let single = BTreeMap::from([(*field, wanted.clone())]);
            let entry = self.found.entry(*field).or_insert((0, None));
            match map_columns(table, header, &single) {
                Err(message) => {
                    entry
                        .1
                        .get_or_insert_with(|| Error::input(base.to_string(), message));
                    report.problems.push(Problem::warning(
                        ProblemKind::Note,
                        base.clone(),
                        format!(
                            "has no column \"{wanted}\" (chosen for {field}); its columns were matched by their headers"
                        ),
                    ));
                }
                Ok(_) => {
                    entry.0 += 1;
                    applicable.insert(*field, wanted.clone());
                }
            }
        }
        applicable
    }

    /// Fails when a choice fitted none of the files.
    fn check_used(self) -> Result<(), Error> {
        for (_, (hits, complaint)) in self.found {
            if let (0, Some(error)) = (hits, complaint) {
                return Err(error);
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Registration,
    Attendance,
}

impl Role {
    fn name(self) -> &'static str {
        match self {
            Role::Registration => "registration",
            Role::Attendance => "attendance",
        }
    }
}

/// Where the people read from a sheet go, in row order.
trait People {
    /// Makes room for up to `rows` more people.
    fn reserve(&mut self, rows: usize);
    /// Takes one person; what is wrong with them goes to `report`.
    fn add(&mut self, person: Parsed, report: &mut ImportReport);
}

/// Registration rows: those with a name and a usable email become records.
impl People for Records {
    fn reserve(&mut self, rows: usize) {
        self.attendees.reserve(rows);
        self.places.reserve(rows);
    }

    fn add(&mut self, person: Parsed, report: &mut ImportReport) {
        if let Some((attendee, place)) = accept(person, report) {
            self.push(attendee, place);
        }
    }
}

/// Attendance rows, kept for matching with the roster.
impl People for Vec<Parsed> {
    fn reserve(&mut self, rows: usize) {
        Vec::reserve(self, rows);
    }

    fn add(&mut self, person: Parsed, _: &mut ImportReport) {
        self.push(person);
    }
}

/// A file read into sheets of rows, not yet made into people.
#[derive(Debug)]
pub struct ReadFile {
    name: String,
    format: FileFormat,
    tables: Vec<Table>,
}

#[cfg(feature = "bench")]
impl ReadFile {
    /// Non-blank rows read, in every sheet.
    pub fn rows(&self) -> usize {
        self.tables.iter().map(|t| t.rows.len()).sum()
    }
}

/// Reads a file into sheets of rows, its format told by its content.
fn read_file(input: &Input) -> Result<ReadFile, Error> {
    let file = input.name.as_str();
    if input.bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::input(
            file,
            "is empty; export the registrations again (CSV or Excel)",
        ));
    }
    let format = sniff(&input.bytes, file)?;
    let tables = match format {
        FileFormat::Csv => vec![read_text_table(&input.bytes, file)?],
        _ => read_workbook(&input.bytes, format, file)?,
    };
    Ok(ReadFile {
        name: input.name.clone(),
        format,
        tables,
    })
}

/// The import one stage at a time, for the benchmarks (`benches/`, with
/// the `bench` feature): reading a file into rows, then making the roster
/// from them. `import` runs the same code.
#[cfg(feature = "bench")]
pub mod stages {
    pub use super::ReadFile;
    use super::{ChosenColumns, ImportOptions, ImportReport, Imported, Input, Records};
    use crate::Error;

    /// Reads a registration file into rows.
    pub fn read(input: &Input) -> Result<ReadFile, Error> {
        super::read_file(input)
    }

    /// Makes the roster from one registration file read by [`read`].
    pub fn roster(file: ReadFile, options: &ImportOptions) -> Result<Imported, Error> {
        let mut report = ImportReport::default();
        let mut records = Records::default();
        let mut columns = ChosenColumns::new(&options.columns, false);
        super::read_sheet(file, options, &mut columns, &mut report, &mut records)?;
        super::make_roster(records, &[], options, columns, report)
    }
}

/// Picks a read file's attendee sheet and header row, maps the columns,
/// and reads every data row, handing each person to `people`. Non-person
/// rows and notes go straight into the report.
fn read_sheet(
    read: ReadFile,
    options: &ImportOptions,
    columns: &mut ChosenColumns<'_>,
    report: &mut ImportReport,
    people: &mut (impl People + Send),
) -> Result<(), Error> {
    let role = columns.role;
    let ReadFile {
        name,
        format,
        mut tables,
    } = read;
    if role == Role::Registration {
        tables.iter_mut().for_each(attendance::registrants_section);
    }
    let file = name.as_str();
    // `--sheet` names a sheet of the registration workbooks; an attendance
    // workbook is searched for its attendee sheet.
    let wanted = match role {
        Role::Registration => options.sheet.as_deref(),
        Role::Attendance => None,
    };
    let (chosen, header) = choose_sheet(&tables, wanted, file)?;
    let table = &tables[chosen];
    let base = match &table.sheet {
        Some(sheet) => Place::file(file).with_sheet(sheet),
        None => Place::file(file),
    };
    let passed_over: Vec<String> = tables
        .iter()
        .enumerate()
        .filter(|(index, _)| *index != chosen)
        .filter_map(|(_, t)| t.sheet.clone())
        .collect();
    for sheet in &passed_over {
        report.problems.push(Problem::warning(
            ProblemKind::Note,
            Place::file(file).with_sheet(sheet),
            format!(
                "sheet passed over: \"{}\" holds the attendees (choose another with --sheet)",
                table.sheet.as_deref().unwrap_or_default()
            ),
        ));
    }
    let chosen_columns = columns.for_table(table, header, &base, report);
    let mut mapping = map_columns(table, header, &chosen_columns)
        .map_err(|message| Error::input(base.to_string(), message))?;
    mapping.ages_on = AgesOn {
        workshop: options.workshop_date,
        today: options.today,
    };
    check_identity(&mapping, role, &base, table.rows[header].number)?;
    let unused = mapping.unused();
    if !unused.is_empty() {
        report.problems.push(Problem::warning(
            ProblemKind::Note,
            base.clone().with_row(table.rows[header].number),
            format!(
                "columns not imported (taller has no field for them): {}",
                unused
                    .iter()
                    .map(|h| crate::normalise::shorten(h))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    let header_row = table.rows[header].number;
    let sheet = table.sheet.clone();
    // The sheet is consumed row by row: its cells move into the attendees
    // instead of being copied, which halves the peak memory.
    let table = tables.swap_remove(chosen);
    drop(tables);
    let rows_read = read_data_rows(table, header, &mapping, &base, report, people);
    if rows_read == 0 {
        report.problems.push(Problem::warning(
            ProblemKind::NoAttendees,
            base.clone(),
            "has a header row but no attendees below it",
        ));
    }
    if role == Role::Registration {
        report.rows_read += rows_read;
    }
    report.files.push(FileReport {
        file: file.to_owned(),
        role: role.name(),
        format,
        sheet,
        sheets_passed_over: passed_over,
        header_row,
        columns: mapping
            .columns
            .keys()
            .filter_map(|field| Some((*field, mapping.header(*field)?.to_owned())))
            .collect(),
        rows_read,
        layout: None,
    });
    Ok(())
}

/// Reads the rows below the header until the table ends (the end of the
/// sheet, or the next section of a report), handing each person to
/// `people`; returns how many. Rows are read in parallel; the people and
/// problems keep the rows' order.
fn read_data_rows(
    table: Table,
    header: usize,
    mapping: &Mapping,
    base: &Place,
    report: &mut ImportReport,
    people: &mut (impl People + Send),
) -> usize {
    let last = table.rows.last().map_or(0, |r| r.number);
    let mut rows = table.rows.into_iter();
    let Some(header_row) = rows.nth(header) else {
        return 0;
    };
    let section = rows.as_slice().iter().position(is_section_heading);
    let section_note = section.map(|at| {
        let row = &rows.as_slice()[at];
        Problem::warning(
            ProblemKind::Note,
            base.clone().with_row(row.number),
            format!(
                "rows {}–{last} are another section (`{}`), not attendees; not read",
                row.number,
                crate::normalise::shorten(&row.cells.iter().map(|c| c.text()).collect::<String>())
            ),
        )
    });
    let mut rows = rows.take(section.unwrap_or(usize::MAX));
    people.reserve(rows.size_hint().0);
    let mut count = 0;
    let read_chunk = |chunk: Vec<Row>| -> Vec<RowKind> {
        chunk
            .into_par_iter()
            .map(|row| {
                let place = base.clone().with_row(row.number);
                if row.cells == header_row.cells {
                    return RowKind::NotAnAttendee(Problem::warning(
                        ProblemKind::NotAnAttendee,
                        place,
                        "repeats the header row; not imported",
                    ));
                }
                read_row(row, mapping, place)
            })
            .collect()
    };
    let mut hand_on = |kinds: Vec<RowKind>| {
        for kind in kinds {
            match kind {
                RowKind::Person(person) => {
                    count += 1;
                    people.add(*person, report);
                }
                RowKind::NotAnAttendee(problem) => report.problems.push(problem),
            }
        }
    };
    // In chunks, so that only a chunk's rows are held twice (as rows read
    // and as people handed on); a chunk is handed on, in order, while the
    // next one is read.
    let mut read: Vec<RowKind> = Vec::new();
    loop {
        let chunk: Vec<Row> = rows.by_ref().take(ROWS_PER_CHUNK).collect();
        if chunk.is_empty() {
            break;
        }
        let done = std::mem::take(&mut read);
        read = rayon::join(|| read_chunk(chunk), || hand_on(done)).0;
    }
    hand_on(read);
    report.problems.extend(section_note);
    count
}

/// Rows read in parallel at a time: enough to keep the cores busy, few
/// enough to add little memory.
const ROWS_PER_CHUNK: usize = 4096;

/// Picks the sheet: the one asked for, else the one whose header names the
/// most attendee fields (the first on a tie). Returns it and its header row.
fn choose_sheet(
    tables: &[Table],
    wanted: Option<&str>,
    file: &str,
) -> Result<(usize, usize), Error> {
    let named: Vec<&str> = tables.iter().filter_map(|t| t.sheet.as_deref()).collect();
    if let (Some(wanted), false) = (wanted, named.is_empty()) {
        let index = tables
            .iter()
            .position(|t| t.sheet.as_deref() == Some(wanted))
            .or_else(|| {
                tables
                    .iter()
                    .position(|t| t.sheet.as_deref().is_some_and(|s| fold(s) == fold(wanted)))
            })
            .ok_or_else(|| {
                Error::Option(format!(
                    "{file} has no sheet \"{wanted}\" (its sheets are: {})",
                    named.join(", ")
                ))
            })?;
        let (header, _) =
            find_header(&tables[index]).ok_or_else(|| no_header(&tables[index], file))?;
        return Ok((index, header));
    }
    let mut best: Option<(usize, usize, usize)> = None;
    for (index, table) in tables.iter().enumerate() {
        if let Some((header, score)) = find_header(table)
            && best.is_none_or(|(_, _, best_score)| score > best_score)
        {
            best = Some((index, header, score));
        }
    }
    match best {
        Some((index, header, _)) => Ok((index, header)),
        None if tables.len() == 1 => Err(no_header(&tables[0], file)),
        None => Err(Error::input(
            file,
            "has no sheet with attendee columns: none has a header row naming a name and an email column (such as \"Nombre\" and \"Correo\"); add one, or name the columns with --map",
        )),
    }
}

fn no_header(table: &Table, file: &str) -> Error {
    let place = match &table.sheet {
        Some(sheet) => Place::file(file).with_sheet(sheet),
        None => Place::file(file),
    };
    let message = if table.rows.is_empty() {
        "is empty: it has no header row and no attendees".to_owned()
    } else {
        "has no header row taller recognises: add a first row naming the columns (such as \"Nombre\", \"Correo\"), or name them with --map email=COLUMN".to_owned()
    };
    Error::input(place.to_string(), message)
}

/// A registration sheet needs a name and an email column; an attendance
/// sheet one of them.
fn check_identity(
    mapping: &Mapping,
    role: Role,
    place: &Place,
    header_row: u32,
) -> Result<(), Error> {
    let has_name = [Field::FullName, Field::GivenName, Field::FamilyName]
        .iter()
        .any(|f| mapping.get(*f).is_some());
    let has_email = mapping.get(Field::Email).is_some();
    if let Some(refusal) = meetup_refusal(mapping, role, has_email) {
        return Err(Error::input(place.to_string(), refusal));
    }
    let missing = match (role, has_name, has_email) {
        (_, true, true) | (Role::Attendance, true, false) | (Role::Attendance, false, true) => {
            return Ok(());
        }
        (_, false, false) => "a name column and an email column",
        (Role::Registration, false, true) => "a name column",
        (Role::Registration, true, false) => "an email column",
    };
    let headers: Vec<&str> = mapping.headers.values().map(String::as_str).collect();
    Err(Error::input(
        place.to_string(),
        format!(
            "the header row (row {header_row}: {}) lacks {missing}; name it with --map, e.g. --map email=\"Correo de contacto\"",
            crate::normalise::shorten(&headers.join(", "))
        ),
    ))
}

/// What taller says of a Meetup export it cannot use: a member list says
/// who is in the group, not who came; an event's attendee export has no
/// email addresses, so it can only say who came (matched by name) to
/// people registered elsewhere.
fn meetup_refusal(mapping: &Mapping, role: Role, has_email: bool) -> Option<String> {
    let has = |name: &str| mapping.headers.values().any(|h| fold(h) == name);
    if !has("url of member profile") || has_email {
        return None;
    }
    if has("meetups attended") || has("member id") {
        return Some(
            "is a Meetup member list: it says who is in the group, not who registered for or came to this workshop, and has no email addresses; export the event's attendee list instead, and give it as the attendance file next to a registration sheet with emails".to_owned(),
        );
    }
    (role == Role::Registration).then(|| {
        "is a Meetup attendee export, which has no email addresses, so taller cannot make attendees of it (no certificates or emails without an address); give it as the attendance file (--attendance, or attendance = in workshop.toml) next to a registration sheet with the emails: its Attendance column then marks who came, matched by name".to_owned()
    })
}

/// Meeting roles in a Teams attendance report.
const MEETING_ROLES: &[&str] = &[
    "attendee",
    "organizer",
    "organiser",
    "presenter",
    "co organizer",
    "asistente",
    "organizador",
    "moderador",
    "participante",
    "ponente",
];

/// Marks who came. A registered attendee not marked present gets `no`; a
/// walk-in with a name and an email is added; anyone else is reported.
fn apply_attendance(roster: &mut Roster, rows: Vec<Parsed>, report: &mut ImportReport) {
    for row in rows {
        report.problems.extend(
            row.warnings
                .iter()
                .filter(|w| w.kind != ProblemKind::EmailTypo)
                .cloned(),
        );
        // Listed without a mark column means present.
        let present = row.mark.unwrap_or(Answer::Yes) == Answer::Yes;
        let key = name_key(&row.attendee);
        let matched = roster
            .attendees
            .iter()
            .position(|a| {
                !row.attendee.email.is_empty()
                    && a.email == row.attendee.email
                    && (key.is_empty() || same_person(&name_key(a), &key))
            })
            .or_else(|| {
                roster
                    .attendees
                    .iter()
                    .position(|a| !row.attendee.email.is_empty() && a.email == row.attendee.email)
            })
            .or_else(|| {
                let by_name: Vec<usize> = (0..roster.attendees.len())
                    .filter(|&i| !key.is_empty() && name_key(&roster.attendees[i]) == key)
                    .collect();
                (by_name.len() == 1).then(|| by_name[0])
            });
        match (matched, present) {
            (Some(index), true) => {
                let attendee = &mut roster.attendees[index];
                attendee.attended = Answer::Yes;
                attendee.source.extend(&row.attendee.source);
            }
            (Some(_), false) => {}
            (None, true) if row.has_name() && row.email_problem.is_none() => {
                report.walk_ins += 1;
                report.problems.push(Problem::warning(
                    ProblemKind::WalkIn,
                    row.place.clone(),
                    format!(
                        "{} <{}> came but had not registered: added as a walk-in",
                        row.attendee.display_name(),
                        row.attendee.email
                    ),
                ));
                let mut attendee = row.attendee;
                attendee.attended = Answer::Yes;
                // Teams' `Role` column is the meeting role, not a job.
                if MEETING_ROLES.contains(&fold(&attendee.role).as_str()) {
                    attendee.role.clear();
                }
                roster.attendees.push(attendee);
            }
            (None, true) => report.problems.push(Problem::warning(
                ProblemKind::UnmatchedAttendance,
                row.place,
                format!(
                    "{} is marked present but matches no registered attendee and has no usable email, so cannot be added; add them to a registration sheet",
                    if key.is_empty() { "this row".to_owned() } else { format!("`{}`", row.attendee.display_name()) }
                ),
            )),
            (None, false) => report.problems.push(Problem::warning(
                ProblemKind::Note,
                row.place,
                "not registered and not marked present; ignored",
            )),
        }
    }
    // Walk-ins may share an address with a registered attendee.
    dedup::assign_ids(&mut roster.attendees);
    for attendee in &mut roster.attendees {
        if attendee.attended == Answer::Unknown {
            attendee.attended = Answer::No;
        }
    }
}
