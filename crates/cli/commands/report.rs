//! `taller report PROGRAMME.toml`: the programme's report for a funder —
//! every workshop imported as `taller run` imports it, people counted once
//! across them — as report.json, report.xlsx, report.pdf and report.html.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;
use serde::Serialize;
use taller_model::{Programme, Roster};
use taller_report::{Report, WorkshopRoster};

use super::flags::Output;
use super::{Outcome, import};
use crate::files::{self, WorkshopFile};
use crate::messages::{self, message};

#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  taller report redes-2016/programme.toml -o informe\n\n\
Writes into DIR: report.json (the figures, for programs), report.xlsx (a sheet per breakdown, the workshops \
and the people), report.pdf (a few A4 pages with charts) and report.html (one page, readable on a phone)."
)]
pub struct ReportArgs {
    /// The programme file (`[programme]` with `workshops = [\"*/workshop.toml\"]`).
    #[arg(value_name = "PROGRAMME.toml")]
    programme: PathBuf,
    /// Output folder [default: taller-out/report beside the programme file].
    #[arg(short, long, value_name = "DIR")]
    output: Option<PathBuf>,
    #[command(flatten)]
    flags: Output,
}

/// The four files, in the order they are written.
const FILES: [&str; 4] = ["report.json", "report.xlsx", "report.pdf", "report.html"];

/// A programme file and its workshops' files, found.
pub struct ProgrammeFile {
    pub programme: Programme,
    /// The programme file itself.
    pub path: PathBuf,
    pub dir: PathBuf,
    /// The workshop files, in the order the patterns list them (names in
    /// byte order within a pattern), each once.
    pub workshops: Vec<WorkshopFile>,
}

/// Whether a file is a programme rather than a workshop: it has a
/// `[programme]` table.
pub fn is_programme(path: &Path) -> bool {
    std::fs::read_to_string(path)
        .is_ok_and(|text| text.lines().any(|line| line.trim() == "[programme]"))
}

/// Loads a programme file and every workshop file it names.
pub fn load_programme(path: &Path) -> anyhow::Result<ProgrammeFile> {
    let bytes = files::read(path)?;
    let text = String::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("{} is not UTF-8 text", path.display()))?;
    let programme = Programme::from_toml(&text)
        .with_context(|| format!("{} is not a usable programme file", path.display()))?;
    let dir = files::folder_of(path).to_path_buf();
    let mut seen = HashSet::new();
    let mut workshops = Vec::new();
    let mut ids: Vec<(String, PathBuf)> = Vec::new();
    for pattern in &programme.programme.workshops {
        let found = expand(&dir, pattern)
            .with_context(|| format!("{}: cannot list the workshops", path.display()))?;
        if found.is_empty() {
            bail!(
                "{}: workshops = \"{pattern}\" names no workshop file in {}",
                path.display(),
                dir.display()
            );
        }
        for file in found {
            if !seen.insert(file.clone()) {
                continue;
            }
            let workshop = files::load_workshop(&file)?;
            let id = workshop.workshop.workshop.id.clone();
            if let Some((_, other)) = ids.iter().find(|(known, _)| *known == id) {
                bail!(
                    "{} and {} have the same workshop id \"{id}\"; each workshop of a programme needs its own id (its output folder is named after it)",
                    other.display(),
                    file.display()
                );
            }
            ids.push((id, file));
            workshops.push(workshop);
        }
    }
    Ok(ProgrammeFile {
        programme,
        path: path.to_path_buf(),
        dir,
        workshops,
    })
}

/// The files a workshop pattern names under `dir`: `*` and `?` match within
/// one folder or file name; names are taken in byte order.
fn expand(dir: &Path, pattern: &str) -> std::io::Result<Vec<PathBuf>> {
    let parts: Vec<&str> = pattern
        .split(['/', '\\'])
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    let mut current = vec![dir.to_path_buf()];
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let mut next = Vec::new();
        for base in &current {
            if !part.contains(['*', '?']) {
                let path = base.join(part);
                if (last && path.is_file()) || (!last && path.is_dir()) {
                    next.push(path);
                }
                continue;
            }
            let Ok(entries) = std::fs::read_dir(base) else {
                continue;
            };
            let mut names: Vec<(String, PathBuf)> = Vec::new();
            for entry in entries {
                let entry = entry?;
                let path = entry.path();
                let fits = if last { path.is_file() } else { path.is_dir() };
                let name = entry.file_name().to_string_lossy().into_owned();
                if fits && Programme::matches(part, &name) {
                    names.push((name, path));
                }
            }
            names.sort();
            next.extend(names.into_iter().map(|(_, path)| path));
        }
        current = next;
    }
    Ok(current)
}

/// What `taller report` made.
#[derive(Debug, Serialize)]
pub struct ReportSummary {
    pub programme: String,
    pub workshops: usize,
    pub people: usize,
    pub people_attended: usize,
    pub files: Vec<PathBuf>,
    pub data_gaps: Vec<String>,
    pub merges_to_check: usize,
    /// Registrations by their answer to the consent question.
    pub consent: taller_model::ConsentCounts,
}

pub fn run(args: ReportArgs) -> anyhow::Result<Outcome> {
    messages::set_quiet(args.flags.quiet());
    let programme = load_programme(&args.programme)?;
    let out = args
        .output
        .clone()
        .unwrap_or_else(|| programme.dir.join("taller-out").join("report"));
    for name in FILES {
        files::check_overwrite(&out.join(name), args.flags.force())?;
    }
    let workshops = import_all(&programme)?;
    let summary = write_report(&programme, &workshops, &out)?;
    if args.flags.json() {
        files::print_json(&summary)?;
    } else {
        print_summary(&summary);
    }
    Ok(Outcome::Success)
}

/// Imports every workshop of the programme as `taller run` does, with its
/// own settings and attendance.
pub fn import_all(programme: &ProgrammeFile) -> anyhow::Result<Vec<WorkshopRoster>> {
    programme
        .workshops
        .iter()
        .map(|workshop| {
            // A purged workshop is counted from its pseudonymised roster:
            // its registration sheets are not read again.
            let roster = match super::purge::purged_roster(workshop)? {
                Some(roster) => roster,
                None => import::import_workshop(workshop)?.0,
            };
            Ok(workshop_roster(workshop, roster))
        })
        .collect()
}

/// A workshop's roster as the report counts it.
pub fn workshop_roster(workshop: &WorkshopFile, roster: Roster) -> WorkshopRoster {
    let info = &workshop.workshop.workshop;
    WorkshopRoster {
        id: info.id.clone(),
        title: info.title.clone(),
        city: info.city.clone(),
        date: workshop.workshop.dates().ok().map(|span| span.start),
        roster,
    }
}

/// The salt people are told apart by when a workshop of the programme was
/// purged (its roster holds salted keys); none otherwise.
pub fn report_salt(programme: &ProgrammeFile) -> anyhow::Result<Option<taller_model::Salt>> {
    let purged = programme
        .workshops
        .iter()
        .find(|w| super::purge::purged_roster_path(w).exists());
    let Some(purged) = purged else {
        return Ok(None);
    };
    let path = crate::salt::path_beside(&programme.path);
    match crate::salt::load(&path)? {
        Some(salt) => Ok(Some(salt)),
        None => bail!(
            "{} was purged, but the salt file {} it was purged with is missing: restore it from your backup to count its people again",
            super::purge::purged_roster_path(purged).display(),
            path.display()
        ),
    }
}

/// Computes the report and writes its four files into `out`, each whole
/// or not at all.
pub fn write_report(
    programme: &ProgrammeFile,
    workshops: &[WorkshopRoster],
    out: &Path,
) -> anyhow::Result<ReportSummary> {
    let salt = report_salt(programme)?;
    write_report_with(programme, workshops, out, salt.as_ref())
}

/// [`write_report`] with the salt to tell people apart by.
pub fn write_report_with(
    programme: &ProgrammeFile,
    workshops: &[WorkshopRoster],
    out: &Path,
    salt: Option<&taller_model::Salt>,
) -> anyhow::Result<ReportSummary> {
    let report = Report::compute_with(&programme.programme.programme, workshops, salt);
    let time = report.document_time(workshops);
    let contents = [
        report.to_json()?,
        taller_report::xlsx::write(&report, time)?,
        taller_report::pdf::write(&report, time).context("cannot make report.pdf")?,
        taller_report::html::write(&report),
    ];
    let mut written = Vec::new();
    for (name, bytes) in FILES.iter().zip(&contents) {
        let path = out.join(name);
        // The workbook's annex lists the people by name and email: it is
        // the organiser's, not the funder's; the other three are counts.
        if *name == "report.xlsx" {
            files::write_private(&path, bytes)?;
        } else {
            files::write_atomic(&path, bytes)?;
        }
        written.push(path);
    }
    Ok(ReportSummary {
        programme: report.programme.title.clone(),
        workshops: report.totals.workshops,
        people: report.totals.people,
        people_attended: report.totals.people_attended,
        files: written,
        data_gaps: report
            .data_gaps
            .iter()
            .map(|g| g.note.clone())
            .chain(report.unknown_cities.iter().map(|city| {
                format!(
                    "no autonomous community is known for the city “{city}”: counted as unknown"
                )
            }))
            .collect(),
        merges_to_check: report.merges_to_check.len(),
        consent: report.by_consent,
    })
}

pub fn print_summary(summary: &ReportSummary) {
    message!(
        "\n{} — {} workshops, {} people registered, {} attended",
        summary.programme,
        summary.workshops,
        summary.people,
        summary.people_attended
    );
    for file in &summary.files {
        message!("  report        {}", file.display());
    }
    message!(
        "  consent       to follow-up emails, over all registrations: {}",
        summary.consent.sentence()
    );
    if summary.merges_to_check > 0 {
        let who = match summary.merges_to_check {
            1 => "1 person".to_owned(),
            n => format!("{n} people"),
        };
        message!(
            "  {who} counted once on the same name and organisation under two emails: check in report.xlsx (sheet \"Merges to check\")"
        );
    }
    if !summary.data_gaps.is_empty() {
        message!(
            "\nData gaps ({}), also listed in the report:",
            summary.data_gaps.len()
        );
        for gap in &summary.data_gaps {
            message!("  - {gap}");
        }
    }
}
