//! `taller import`: registration sheets in, the roster out, and a summary
//! of everything the coordinator should look at.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use taller_model::{MinAttendance, ProblemKind, Roster, Severity};
use taller_registration::{Field, ImportOptions, ImportReport, Input, RosterFormat};

use super::Outcome;
use super::flags::{Output, Strict};
use crate::files::{self, WorkshopFile};

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    taller import inscripciones.xlsx late.csv -o roster.csv\n  \
    taller import --workshop workshop.toml -o roster.xlsx --report report.json\n  \
    taller import respuestas.csv --map email=\"Correo de contacto\" --attendance checkin.csv -o roster.csv\n  \
    taller import zoom-registro.csv --attendance sesion1.csv --attendance sesion2.csv --min-attendance 150m -o roster.csv")]
pub struct ImportArgs {
    /// Registration sheets (CSV, TSV, TXT, XLSX, XLSM, XLSB, XLS, ODS), merged in this order.
    /// Without any, the workshop's [registration] sources are read.
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Where to write the roster: .csv, .json or .xlsx. Without it, CSV goes to standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// The workshop file: its [registration] settings apply and certificate ids are filled in.
    #[arg(long, value_name = "W.toml")]
    workshop: Option<PathBuf>,
    /// The sheet to read in workbooks (by default the one whose header names the most attendee fields).
    #[arg(long, value_name = "NAME")]
    sheet: Option<String>,
    /// Read a field from a column, by header text or letter: --map email="Correo de contacto", --map phone=F.
    /// Fields: given_name, family_name, second_family_name, full_name, email, organisation, role,
    /// cause, city, twitter, phone, language, consent, attended, status, gender, age, submitted_at,
    /// do_not_email. Repeatable.
    #[arg(long = "map", value_name = "FIELD=COLUMN")]
    map: Vec<String>,
    /// Who actually came: a check-in sheet, or the participant report of an online session
    /// (Zoom, Microsoft Teams, Google Meet), recognised by its content. Repeat it, one per session:
    /// minutes are summed over every session.
    #[arg(long, value_name = "FILE")]
    attendance: Vec<PathBuf>,
    /// The time in online sessions that counts as having attended: a share of the workshop's
    /// hours (80%) or minutes (150m). Without it, everyone who joined counts.
    #[arg(long, value_name = "80%|150m")]
    min_attendance: Option<String>,
    /// Also write the whole report (files read, counts, every problem with its place) as JSON.
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
    /// Roster format (by default from the extension of -o, else csv).
    #[arg(long, value_enum)]
    format: Option<FormatArg>,
    #[command(flatten)]
    strict: Strict,
    #[command(flatten)]
    flags: Output,
}

/// The roster formats, as typed after `--format`.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Csv,
    Json,
    Xlsx,
}

impl From<FormatArg> for RosterFormat {
    fn from(format: FormatArg) -> Self {
        match format {
            FormatArg::Csv => RosterFormat::Csv,
            FormatArg::Json => RosterFormat::Json,
            FormatArg::Xlsx => RosterFormat::Xlsx,
        }
    }
}

pub fn run(args: ImportArgs) -> anyhow::Result<Outcome> {
    let format = match (args.format, &args.output) {
        (Some(format), _) => format.into(),
        (None, Some(path)) => {
            RosterFormat::from_file_name(&path.to_string_lossy()).unwrap_or(RosterFormat::Csv)
        }
        (None, None) => RosterFormat::Csv,
    };
    if args.output.is_none() {
        if format == RosterFormat::Xlsx {
            bail!("an Excel roster cannot go to the terminal; name the file with -o roster.xlsx");
        }
        if args.flags.json() {
            bail!("--json prints the summary on standard output, so name the roster file with -o");
        }
    }
    for path in [&args.output, &args.report].into_iter().flatten() {
        files::check_overwrite(path, args.flags.force())?;
    }
    let workshop = args
        .workshop
        .as_deref()
        .map(files::load_workshop)
        .transpose()?;
    let plan = Plan::new(&args, workshop.as_ref())?;
    let (roster, report) = plan.import()?;

    let write_roster = |out: &mut dyn Write| -> anyhow::Result<()> {
        match format {
            RosterFormat::Csv => taller_registration::write_roster_csv_to(&roster, out)?,
            RosterFormat::Json => {
                out.write_all(&taller_registration::write_roster_json(&roster)?)?
            }
            RosterFormat::Xlsx => out.write_all(&taller_registration::write_roster_xlsx(
                &roster,
                &report.problems,
            )?)?,
        }
        Ok(())
    };
    match &args.output {
        Some(path) => files::write_private_with(path, |file| write_roster(file))?,
        None => write_roster(&mut std::io::stdout().lock())
            .context("cannot write the roster to standard output")?,
    }
    // The command ends here: freeing 100,000 attendees string by string
    // took longer than writing them, and the system takes the memory back
    // at exit anyway.
    std::mem::forget(roster);
    if let Some(path) = &args.report {
        let json = serde_json::to_vec_pretty(&report).context("cannot write the report")?;
        files::write_private(path, &json)?;
    }
    if args.flags.json() {
        files::print_json(&report).context("cannot print the summary")?;
    } else if !args.flags.quiet() {
        print_summary(
            &report,
            args.output.as_deref(),
            &mut std::io::stderr().lock(),
        )
        .context("cannot print the summary")?;
    }
    Ok(if args.strict.strict && report.has_findings() {
        Outcome::ProblemsFound
    } else {
        Outcome::Success
    })
}

/// The import of a workshop's own [registration] sources, for `taller run`.
pub(crate) fn import_workshop(workshop: &WorkshopFile) -> anyhow::Result<(Roster, ImportReport)> {
    let forgotten = crate::erasure::forgotten_for_workshop(&workshop.path)?;
    import_workshop_forgetting(workshop, forgotten)
}

/// [`import_workshop`] skipping the people of `forgotten` (`taller forget`
/// gives those of its own log too).
pub(crate) fn import_workshop_forgetting(
    workshop: &WorkshopFile,
    forgotten: taller_registration::Forgotten,
) -> anyhow::Result<(Roster, ImportReport)> {
    let settings = &workshop.workshop.registration;
    if settings.sources.is_empty() {
        bail!(
            "{} lists no registration sheets; add sources = [\"inscripciones.xlsx\"] under [registration]",
            workshop.path.display()
        );
    }
    Plan {
        sources: settings
            .sources
            .iter()
            .map(|s| (s.clone(), workshop.resolve(s)))
            .collect(),
        attendance: settings
            .attendance
            .iter()
            .map(|s| (s.clone(), workshop.resolve(s)))
            .collect(),
        options: ImportOptions {
            sheet: settings.sheet.clone(),
            columns: parse_columns(&settings.columns, &workshop.path)?,
            workshop_id: Some(workshop.workshop.workshop.id.clone()),
            workshop_date: workshop.workshop.dates().ok().map(|d| d.start),
            today: None,
            min_attendance: min_attendance(None, Some(workshop))?,
            forgotten,
        },
    }
    .import()
}

/// What to read: each file with the name to show for it, and the options.
struct Plan {
    sources: Vec<(String, PathBuf)>,
    attendance: Vec<(String, PathBuf)>,
    options: ImportOptions,
}

impl Plan {
    /// Command-line files and flags first, the workshop's settings for
    /// whatever they leave out.
    fn new(args: &ImportArgs, workshop: Option<&WorkshopFile>) -> anyhow::Result<Self> {
        let settings = workshop.map(|w| &w.workshop.registration);
        let shown = |path: &Path| (path.display().to_string(), path.to_path_buf());
        let sources: Vec<(String, PathBuf)> = match (args.files.is_empty(), workshop) {
            (false, _) => args.files.iter().map(|p| shown(p)).collect(),
            (true, Some(w)) => w
                .workshop
                .registration
                .sources
                .iter()
                .map(|s| (s.clone(), w.resolve(s)))
                .collect(),
            (true, None) => bail!(
                "name the registration sheets to read (taller import inscripciones.xlsx), or give --workshop workshop.toml"
            ),
        };
        if sources.is_empty() {
            bail!(
                "no registration sheets to read: name them on the command line or under [registration] sources in the workshop file"
            );
        }
        let attendance = match (args.attendance.is_empty(), workshop) {
            (false, _) => args.attendance.iter().map(|p| shown(p)).collect(),
            (true, Some(w)) => w
                .workshop
                .registration
                .attendance
                .iter()
                .map(|s| (s.clone(), w.resolve(s)))
                .collect(),
            (true, None) => Vec::new(),
        };
        let mut columns = match workshop {
            Some(w) => parse_columns(&w.workshop.registration.columns, &w.path)?,
            None => BTreeMap::new(),
        };
        for mapping in &args.map {
            let Some((field, column)) = mapping.split_once('=') else {
                bail!(
                    "--map {mapping}: write it as FIELD=COLUMN, e.g. --map email=\"Correo de contacto\""
                );
            };
            let field: Field = field
                .parse()
                .map_err(|e| anyhow::anyhow!("--map {mapping}: {e}"))?;
            columns.insert(field, column.trim().to_owned());
        }
        Ok(Plan {
            sources,
            attendance,
            options: ImportOptions {
                sheet: args
                    .sheet
                    .clone()
                    .or_else(|| settings.and_then(|s| s.sheet.clone())),
                columns,
                workshop_id: workshop.map(|w| w.workshop.workshop.id.clone()),
                workshop_date: workshop.and_then(|w| w.workshop.dates().ok().map(|d| d.start)),
                today: None,
                min_attendance: min_attendance(args.min_attendance.as_deref(), workshop)?,
                forgotten: match workshop {
                    Some(w) => crate::erasure::forgotten_for_workshop(&w.path)?,
                    None => taller_registration::Forgotten::default(),
                },
            },
        })
    }

    fn import(&self) -> anyhow::Result<(Roster, ImportReport)> {
        let read = |(name, path): &(String, PathBuf)| -> anyhow::Result<Input> {
            Ok(Input {
                name: name.clone(),
                bytes: files::read(path)?,
            })
        };
        let sources = self
            .sources
            .iter()
            .map(read)
            .collect::<anyhow::Result<Vec<_>>>()?;
        let attendance = self
            .attendance
            .iter()
            .map(read)
            .collect::<anyhow::Result<Vec<_>>>()?;
        let imported = taller_registration::import_sessions(&sources, &attendance, &self.options)?;
        Ok((imported.roster, imported.report))
    }
}

/// The minimum attendance in minutes: `--min-attendance`, else the
/// workshop's `min_attendance`; a share of the hours needs the workshop.
fn min_attendance(
    flag: Option<&str>,
    workshop: Option<&WorkshopFile>,
) -> anyhow::Result<Option<u32>> {
    let hours = workshop.and_then(|w| w.workshop.workshop.hours);
    let (text, from) = match (flag, workshop) {
        (Some(text), _) => (text, "--min-attendance".to_owned()),
        (None, Some(w)) => match &w.workshop.registration.min_attendance {
            Some(text) => (
                text.as_str(),
                format!("{} [registration] min_attendance", w.path.display()),
            ),
            None => return Ok(None),
        },
        (None, None) => return Ok(None),
    };
    MinAttendance::parse(text)
        .and_then(|minimum| minimum.minutes(hours))
        .map(Some)
        .map_err(|message| anyhow::anyhow!("{from}: {message}"))
}

/// `[registration.columns]` as fields, naming the workshop file on error.
fn parse_columns(
    columns: &BTreeMap<String, String>,
    path: &Path,
) -> anyhow::Result<BTreeMap<Field, String>> {
    columns
        .iter()
        .map(|(field, column)| {
            let field: Field = field
                .parse()
                .map_err(|e| anyhow::anyhow!("{} [registration.columns]: {e}", path.display()))?;
            Ok((field, column.clone()))
        })
        .collect()
}

/// The human summary: what was read, the counts, then each problem with
/// its place (errors first, notes last).
pub(crate) fn print_summary(
    report: &ImportReport,
    output: Option<&Path>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    for file in &report.files {
        let sheet = file
            .sheet
            .as_ref()
            .map(|s| format!(", sheet \"{s}\""))
            .unwrap_or_default();
        let role = if file.role == "attendance" {
            "attendance "
        } else {
            ""
        };
        let layout = file.layout.map(|l| format!(", {l}")).unwrap_or_default();
        write!(
            out,
            "Read {role}{}{sheet}{layout} (header on row {}): {} row{}",
            file.file,
            file.header_row,
            file.rows_read,
            plural(file.rows_read)
        )?;
        if !file.sheets_passed_over.is_empty() {
            let names: Vec<String> = file
                .sheets_passed_over
                .iter()
                .map(|s| format!("\"{s}\""))
                .collect();
            write!(out, "; passed over {}", names.join(", "))?;
        }
        writeln!(out)?;
    }
    write!(
        out,
        "{} row{} read: {} attendee{} written",
        report.rows_read,
        plural(report.rows_read),
        report.attendees_written,
        plural(report.attendees_written)
    )?;
    if let Some(path) = output {
        write!(out, " to {}", path.display())?;
    }
    write!(
        out,
        ", {} rejected, {} merged",
        report.rejected, report.merged
    )?;
    if let Some(attended) = report.attended {
        write!(out, ", {attended} came")?;
        if let Some(minimum) = report.minimum_minutes {
            write!(out, " (at least {minimum} min online)")?;
        }
        write!(
            out,
            ", {} walk-in{}",
            report.walk_ins,
            plural(report.walk_ins)
        )?;
    }
    writeln!(
        out,
        ", {} warning{}",
        report.warnings,
        plural(report.warnings)
    )?;
    writeln!(
        out,
        "Consent to follow-up emails: {} (only yes and unknown get one)",
        report.consent.sentence()
    )?;
    let mut problems: Vec<_> = report.problems.iter().collect();
    problems.sort_by_key(|p| match (p.severity, p.kind) {
        (Severity::Error, _) => 0,
        (_, ProblemKind::Note) => 2,
        _ => 1,
    });
    // A sheet of thousands of rows can have thousands of problems: the
    // terminal shows the first of each kind, the report keeps them all.
    let mut shown: BTreeMap<String, usize> = BTreeMap::new();
    for problem in problems {
        let label = match (problem.severity, problem.kind) {
            (Severity::Error, _) => "error",
            (_, ProblemKind::Note) => "note",
            _ => "warning",
        };
        let count = shown.entry(format!("{:?}", problem.kind)).or_default();
        *count += 1;
        if *count <= SHOWN_PER_KIND {
            writeln!(out, "  {label}: {}: {}", problem.place, problem.message)?;
        }
    }
    let hidden: usize = shown
        .values()
        .map(|n| n.saturating_sub(SHOWN_PER_KIND))
        .sum();
    if hidden > 0 {
        writeln!(
            out,
            "  … and {hidden} more like the above: --report FILE lists every one, or -o roster.xlsx (sheet Problems)"
        )?;
    }
    Ok(())
}

/// Problems of one kind printed on the terminal.
const SHOWN_PER_KIND: usize = 20;

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}
