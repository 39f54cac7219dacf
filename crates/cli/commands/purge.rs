//! `taller purge`: the personal data of every workshop past its retention
//! (`retention = "24 months"` after its last day) goes — its roster,
//! import report, outbox and send log, badges, sign-in sheet and
//! certificate PDFs — after the programme's report has been written as the
//! anonymous record. What stays is a pseudonymised roster beside the
//! workshop file (salted keys instead of emails and names), from which
//! `taller report` counts the same figures again, and the certificates'
//! signed list and verification site, so that a certificate handed out
//! still verifies.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;
use serde::Serialize;
use taller_model::{Date, People, Retention, Roster, Salt};
use taller_registration::write_roster_csv;

use super::Outcome;
use super::person::{Kind, kind_of};
use super::report as programme;
use crate::files::{self, WorkshopFile};
use crate::salt;

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
taller purge --programme redes-2016/programme.toml --dry-run\n  \
taller purge --programme redes-2016/programme.toml\n  \
taller purge --workshop my-workshop/workshop.toml -o taller-out\n\n\
A workshop is past its retention the day after its last day plus `retention` (in [programme] or in\n\
its own [workshop]). For a programme, report.json is written first and must come out the same after\n\
the purge; then each such workshop's roster, import report, outbox and send log, badges, sign-in sheet\n\
and certificate PDFs are deleted. Kept: certificates.json and site/ (verification keeps working),\n\
the handouts, and .taller-purged.csv beside the workshop file (salted keys, no names or emails),\n\
from which `taller report` counts the workshop again. `taller run` skips a purged workshop.")]
pub struct PurgeArgs {
    /// The programme file whose workshops to look at.
    #[arg(long, value_name = "P.toml", conflicts_with = "workshop")]
    programme: Option<PathBuf>,
    /// A workshop on its own (not part of a programme).
    #[arg(long, value_name = "W.toml", required_unless_present = "programme")]
    workshop: Option<PathBuf>,
    /// The folder `taller run` wrote to [default: as `taller run`: taller-out,
    /// beside the programme file for a programme].
    #[arg(short, long, value_name = "OUT")]
    out: Option<PathBuf>,
    /// List what would be deleted, and change nothing.
    #[arg(long)]
    dry_run: bool,
    /// Print the result as JSON on stdout.
    #[arg(long)]
    json: bool,
}

/// The pseudonymised roster of a purged workshop, beside its file: its
/// presence is what makes the workshop purged.
pub const PURGED_ROSTER: &str = ".taller-purged.csv";

/// Where a workshop's pseudonymised roster is (or would be).
pub fn purged_roster_path(workshop: &WorkshopFile) -> PathBuf {
    workshop
        .path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."))
        .join(PURGED_ROSTER)
}

/// The pseudonymised roster of a purged workshop, when it was purged.
pub fn purged_roster(workshop: &WorkshopFile) -> anyhow::Result<Option<Roster>> {
    let path = purged_roster_path(workshop);
    if !path.exists() {
        return Ok(None);
    }
    files::load_roster(&path).map(Some)
}

/// The retention of a workshop: its own, else its programme's.
pub fn retention_of(workshop: &WorkshopFile, programme: Option<Retention>) -> Option<Retention> {
    workshop.workshop.workshop.retention.or(programme)
}

/// Today, from the clock the PDFs' dates use (`SOURCE_DATE_EPOCH` when set).
pub fn today() -> Date {
    Date::from_unix(files::now_unix())
}

/// When a workshop's data is past its retention: the retention and the
/// first day past it, if that day is today or earlier.
pub fn past_retention(
    workshop: &WorkshopFile,
    retention: Option<Retention>,
    today: Date,
) -> Option<(Retention, Date)> {
    let retention = retention?;
    let last_day = workshop.workshop.dates().ok()?.end;
    let expires = retention.expires(last_day).add_days(1);
    (expires <= today).then_some((retention, expires))
}

/// What happened (or would happen) to one workshop.
#[derive(Debug, Serialize)]
struct WorkshopPurge {
    workshop: String,
    /// `purged`, `would-purge`, `already-purged`, `within-retention`,
    /// `no-retention`.
    status: &'static str,
    /// The retention period, when one applies.
    retention: Option<String>,
    /// The first day past it.
    past_retention_since: Option<String>,
    /// Files deleted (or that would be).
    deleted: Vec<PathBuf>,
    /// The pseudonymised roster kept in their place.
    pseudonymised_roster: Option<PathBuf>,
}

#[derive(Debug, Serialize)]
struct PurgeSummary {
    dry_run: bool,
    today: String,
    report: Option<PathBuf>,
    workshops: Vec<WorkshopPurge>,
}

pub fn run(args: PurgeArgs) -> anyhow::Result<Outcome> {
    let today = today();
    let (loaded, config, out, programme_retention) = match (&args.programme, &args.workshop) {
        (Some(path), _) => {
            let loaded = programme::load_programme(path)?;
            let out = args
                .out
                .clone()
                .unwrap_or_else(|| loaded.dir.join("taller-out"));
            let retention = loaded.programme.programme.retention;
            (Some(loaded), path.clone(), out, retention)
        }
        (None, Some(path)) => {
            files::load_workshop(path)?;
            let out = args.out.clone().unwrap_or_else(|| "taller-out".into());
            (None, path.clone(), out, None)
        }
        (None, None) => bail!("give --programme P.toml or --workshop W.toml"),
    };
    let single;
    let workshops: Vec<&WorkshopFile> = match &loaded {
        Some(p) => p.workshops.iter().collect(),
        None => {
            single = files::load_workshop(&config)?;
            vec![&single]
        }
    };
    // A workshop's outputs: OUT/<id> in a programme, OUT itself alone.
    let folder_of = |w: &WorkshopFile| {
        if loaded.is_some() {
            out.join(&w.workshop.workshop.id)
        } else {
            out.clone()
        }
    };

    let mut summary = PurgeSummary {
        dry_run: args.dry_run,
        today: today.to_string(),
        report: None,
        workshops: Vec::new(),
    };
    let mut due = Vec::new();
    for (index, workshop) in workshops.iter().enumerate() {
        let id = workshop.workshop.workshop.id.clone();
        let retention = retention_of(workshop, programme_retention);
        let past = past_retention(workshop, retention, today);
        let already = purged_roster_path(workshop).exists();
        let folder = folder_of(workshop);
        let status = match (retention, past, already) {
            (_, _, true) => "already-purged",
            (None, _, _) => "no-retention",
            (Some(_), None, _) => "within-retention",
            (Some(_), Some(_), false) if args.dry_run => "would-purge",
            (Some(_), Some(_), false) => "purged",
        };
        // An interrupted purge is finished: whatever personal data is
        // still there goes too.
        let deleted = if past.is_some() || already {
            personal_files(&folder)?
        } else {
            Vec::new()
        };
        if status == "purged" || status == "would-purge" || (already && !deleted.is_empty()) {
            due.push(index);
        }
        summary.workshops.push(WorkshopPurge {
            workshop: id,
            status,
            retention: retention.map(|r| r.to_string()),
            past_retention_since: past.map(|(_, since)| since.to_string()),
            deleted,
            pseudonymised_roster: None,
        });
    }

    if !args.dry_run && !due.is_empty() {
        let salt = salt::load_or_create(&salt::path_beside(&config))?;
        // The purged rosters, made before anything is deleted.
        let mut purged: Vec<Option<Roster>> = vec![None; workshops.len()];
        for &index in &due {
            let workshop = workshops[index];
            if purged_roster_path(workshop).exists() {
                continue;
            }
            let (roster, _) = super::import::import_workshop(workshop)?;
            purged[index] = Some(Roster::new(
                roster
                    .attendees
                    .iter()
                    .map(|a| People::purged_row(a, &salt))
                    .collect(),
            ));
        }
        if let Some(loaded) = &loaded {
            summary.report = Some(write_record(loaded, &purged, &salt, &out)?);
        }
        for &index in &due {
            let workshop = workshops[index];
            let record = purged_roster_path(workshop);
            // The record first: from then on `run` skips the workshop and
            // `report` counts it from the record, and a purge cut short is
            // finished by the next one.
            if let Some(roster) = &purged[index] {
                files::write_private(&record, &write_roster_csv(roster)?)?;
            }
            for file in &summary.workshops[index].deleted {
                remove(file)?;
            }
            remove_empty_dirs(&folder_of(workshop));
            let entry = &mut summary.workshops[index];
            entry.status = "purged";
            entry.pseudonymised_roster = Some(record);
        }
    }

    if args.json {
        files::print_json(&summary)?;
    } else {
        print_summary(&summary).context("cannot print the summary")?;
    }
    Ok(Outcome::Success)
}

/// Writes the programme's report as it will be after the purge, having
/// checked that `report.json` says exactly what it said before. Returns
/// the report folder.
fn write_record(
    loaded: &programme::ProgrammeFile,
    purged: &[Option<Roster>],
    salt: &Salt,
    out: &Path,
) -> anyhow::Result<PathBuf> {
    let before = programme::import_all(loaded)?;
    let mut after = before.clone();
    for (workshop, roster) in after.iter_mut().zip(purged) {
        if let Some(roster) = roster {
            workshop.roster = roster.clone();
        }
    }
    let info = &loaded.programme.programme;
    let old_salt = programme::report_salt(loaded)?;
    let old = taller_report::Report::compute_with(info, &before, old_salt.as_ref()).to_json()?;
    let new = taller_report::Report::compute_with(info, &after, Some(salt)).to_json()?;
    if old != new {
        bail!(
            "nothing was purged: the programme's report would change after the purge (its figures must not); please report this as a bug"
        );
    }
    let dir = out.join("report");
    programme::write_report_with(loaded, &after, &dir, Some(salt))?;
    Ok(dir)
}

/// The files with personal data in a workshop's output folder: rosters,
/// import report, outbox and send log, certificate PDFs, badges and
/// sign-in sheet. The certificates' list, the site and the handouts stay.
fn personal_files(folder: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    if folder.is_dir() {
        walk(folder, &mut found)?;
    }
    found.retain(|path| {
        matches!(
            kind_of(path),
            Kind::Roster
                | Kind::ImportReport
                | Kind::OutboxMessage
                | Kind::SendLog
                | Kind::Certificate
                | Kind::Badges
                | Kind::SigninSheet
        ) || path
            .parent()
            .and_then(Path::file_name)
            .is_some_and(|name| name == "outbox")
    });
    found.sort();
    Ok(found)
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("cannot read folder {}", dir.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot read folder {}", dir.display()))?;
        let path = entry.path();
        let kind = entry
            .file_type()
            .with_context(|| format!("cannot read {}", path.display()))?;
        if kind.is_dir() {
            walk(&path, found)?;
        } else if kind.is_file() {
            found.push(path);
        }
    }
    Ok(())
}

fn remove(file: &Path) -> anyhow::Result<()> {
    match std::fs::remove_file(file) {
        Ok(()) => Ok(()),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(err) => Err(err).with_context(|| format!("cannot delete {}", file.display())),
    }
}

/// Removes the outbox folder left empty (other folders stay).
fn remove_empty_dirs(folder: &Path) {
    // Fails, as it should, when something else is left in it.
    let _ = std::fs::remove_dir(folder.join("outbox"));
}

fn print_summary(summary: &PurgeSummary) -> std::io::Result<()> {
    use std::io::Write;
    let mut err = std::io::stderr().lock();
    if summary.dry_run {
        writeln!(
            err,
            "Dry run on {}: nothing is changed. Would purge:",
            summary.today
        )?;
    } else {
        writeln!(err, "Purge on {}:", summary.today)?;
    }
    if let Some(report) = &summary.report {
        writeln!(
            err,
            "  report        {}: written first, the anonymous record (its figures unchanged)",
            report.join("report.json").display()
        )?;
    }
    for w in &summary.workshops {
        let retention = w.retention.as_deref().unwrap_or("none");
        match w.status {
            "no-retention" => writeln!(
                err,
                "  {}: no retention set ([programme] or [workshop] retention = \"24 months\"): kept",
                w.workshop
            )?,
            "within-retention" => writeln!(
                err,
                "  {}: within its retention ({retention}): kept",
                w.workshop
            )?,
            "already-purged" if w.deleted.is_empty() => {
                writeln!(err, "  {}: purged already", w.workshop)?;
            }
            _ => {
                let verb = if summary.dry_run {
                    "would delete"
                } else {
                    "deleted"
                };
                writeln!(
                    err,
                    "  {}: past its retention ({retention}) since {}; {verb} {} file{}:",
                    w.workshop,
                    w.past_retention_since.as_deref().unwrap_or("before"),
                    w.deleted.len(),
                    if w.deleted.len() == 1 { "" } else { "s" }
                )?;
                // By kind, not by file: certificate and message file names
                // carry people's names (`--json` lists every file).
                let mut kinds: Vec<(&'static str, usize)> = Vec::new();
                for file in &w.deleted {
                    let label = match kind_of(file) {
                        Kind::Other => "other outbox file",
                        kind => kind.label(),
                    };
                    match kinds.iter_mut().find(|(k, _)| *k == label) {
                        Some((_, n)) => *n += 1,
                        None => kinds.push((label, 1)),
                    }
                }
                let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{k} {n}")).collect();
                if !kinds.is_empty() {
                    writeln!(err, "    {}", kinds.join(", "))?;
                }
                if let Some(record) = &w.pseudonymised_roster {
                    writeln!(
                        err,
                        "    kept: {} (salted keys, no names or emails), certificates.json and site/",
                        record.display()
                    )?;
                }
            }
        }
    }
    Ok(())
}
