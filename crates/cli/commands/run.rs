//! `taller run`: the whole job for one workshop in one command — import,
//! roster, certificates, handouts, sign-in sheet, badges and the follow-up
//! outbox — then one summary of what was made and what needs attention.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;
use serde::Serialize;
use taller_followup::sendlog::SEND_LOG;
use taller_model::{Problem, Roster, Severity};
use taller_print::labels::LabelFormat;
use taller_registration::{write_roster_csv, write_roster_xlsx};

use super::flags::{Json, Quiet, Strict};
use super::report as programme;
use super::{Outcome, badges, certificates, followup, handout, import, purge, signin, site};
use crate::assets;
use crate::files::{self, WorkshopFile};
use crate::messages::{self, message};

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  taller run                               # the bundled example programme, into ./taller-out\n  taller run my-workshop/workshop.toml -o out\n  taller run redes-2016/programme.toml      # every workshop into redes-2016/taller-out/<workshop id>, the report into .../report\n\n\
Writes into OUT: roster.csv, roster.xlsx and import-report.json; certificates/ (one PDF each and certificates.json) \
and certificates.pdf (all of them, to print); site/ (the verification site, when verify_url is set; for a programme's workshops sharing one verify_url, \
one site in the programme's OUT/site instead); handouts/; \
signin.pdf; badges.pdf; outbox/ (one .eml per attendee, to review and then send with \
`taller send OUT/outbox --smtp …`). Running again replaces these files; an outbox that messages were already \
sent from is kept as it is."
)]
pub struct RunArgs {
    /// The workshop file, or a programme file [default: the bundled example programme].
    #[arg(value_name = "WORKSHOP.toml|PROGRAMME.toml")]
    workshop: Option<PathBuf>,
    /// Output folder [default: taller-out; for a programme file, taller-out beside it].
    #[arg(short, long, value_name = "OUT")]
    output: Option<PathBuf>,
    /// Label sheet format for the badges: avery-l7418, avery-l7163 or cut-2x4.
    #[arg(long, value_name = "FORMAT", default_value = "avery-l7418")]
    label: String,
    #[command(flatten)]
    json: Json,
    #[command(flatten)]
    quiet: Quiet,
    #[command(flatten)]
    strict: Strict,
    /// The bundled example's signing key, kept beside the output folder
    /// (not an option: the example's files are unpacked afresh each run).
    #[arg(skip)]
    example_key: Option<PathBuf>,
    /// The programme this workshop is run for, and its retention (not an
    /// option: set by a programme's run).
    #[arg(skip)]
    programme: Option<(PathBuf, Option<taller_model::Retention>)>,
    /// The programme's site this workshop's certificates are verified on,
    /// written by the programme's run instead of one of its own (not an
    /// option: set by a programme's run).
    #[arg(skip)]
    shared_site: Option<PathBuf>,
}

/// What one workshop's run made that its programme's run goes on with.
struct Ran {
    outcome: Outcome,
    /// The roster as imported (the programme's report counts it: each
    /// workshop is imported once).
    roster: Option<Roster>,
}

/// Blank rows at the end of the sign-in sheet, for walk-ins (as `taller signin`).
pub(crate) const SIGNIN_BLANK_ROWS: usize = 6;

/// What one run made, and what the coordinator should look at.
#[derive(Debug, Default, Serialize)]
struct RunSummary {
    workshop: String,
    output: PathBuf,
    attendees: usize,
    came: Option<usize>,
    roster: Vec<PathBuf>,
    certificates: usize,
    certificates_dir: PathBuf,
    merged_certificates: Option<PathBuf>,
    site: Option<PathBuf>,
    handouts: Vec<PathBuf>,
    signin: PathBuf,
    badges: usize,
    badges_file: PathBuf,
    messages: usize,
    outbox: PathBuf,
    outbox_kept: bool,
    /// Attendees by their answer to the consent question.
    consent: taller_model::ConsentCounts,
    attention: Vec<String>,
}

pub fn run(args: RunArgs) -> anyhow::Result<Outcome> {
    messages::set_quiet(args.quiet.quiet);
    let Some(format) = LabelFormat::by_name(&args.label) else {
        anyhow::bail!(
            "there is no label format called \"{}\"; use avery-l7418, avery-l7163 or cut-2x4",
            args.label
        );
    };
    // The bundled example is unpacked into a temporary folder, so the
    // binary works from anywhere and never writes into its own assets.
    let example_dir;
    let workshop_path = match &args.workshop {
        Some(path) if !programme::is_programme(path) => path.clone(),
        Some(path) => {
            let out = args.output.clone().unwrap_or_else(|| {
                path.parent()
                    .unwrap_or_else(|| Path::new(""))
                    .join("taller-out")
            });
            return run_programme(&args, path, &out, &format);
        }
        None => {
            example_dir = tempfile::tempdir().context("cannot create a temporary folder")?;
            assets::write_example(example_dir.path())?;
            let out = args.output.clone().unwrap_or_else(|| "taller-out".into());
            message!(
                "No workshop file given: running the bundled example programme of workshops into {}.",
                out.display()
            );
            // The example is unpacked afresh each run: its signing key is
            // kept beside the output folder (never in it), so its
            // certificates stay verifiable from one run to the next.
            let key = out
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or_else(|| Path::new("."))
                .join(taller_model::DEFAULT_SIGNING_KEY);
            let key = std::path::absolute(&key).unwrap_or(key);
            let args = RunArgs {
                example_key: Some(key),
                ..args
            };
            return run_programme(
                &args,
                &example_dir.path().join(assets::EXAMPLE_PROGRAMME),
                &out,
                &format,
            );
        }
    };
    Ok(run_workshop(&args, &workshop_path, &format)?.outcome)
}

/// One workshop, as `taller run W.toml` runs it.
fn run_workshop(args: &RunArgs, workshop_path: &Path, format: &LabelFormat) -> anyhow::Result<Ran> {
    let mut workshop = files::load_workshop(workshop_path)?;
    let out = &args.output.clone().unwrap_or_else(|| "taller-out".into());
    if purge::purged_roster_path(&workshop).exists() {
        message!("{}", purged_line(&workshop));
        return Ok(Ran {
            outcome: Outcome::Success,
            roster: None,
        });
    }
    if let Some(key) = &args.example_key {
        workshop.workshop.certificate.signing_key = Some(key.display().to_string());
    }
    std::fs::create_dir_all(out)
        .with_context(|| format!("cannot create the output folder {}", out.display()))?;

    let mut summary = RunSummary {
        workshop: workshop.workshop.workshop.title.clone(),
        output: out.to_path_buf(),
        ..RunSummary::default()
    };
    let mut attention = Vec::new();
    let (purge_with, programme_retention) = match &args.programme {
        Some((path, retention)) => (format!("--programme {}", path.display()), *retention),
        None => (format!("--workshop {}", workshop_path.display()), None),
    };
    let retention = purge::retention_of(&workshop, programme_retention);
    if let Some((retention, since)) = purge::past_retention(&workshop, retention, purge::today()) {
        attention.push(format!(
            "this workshop's personal data is past its retention ({retention} after its last day) since {since}: `taller purge {purge_with}` deletes it and keeps the report's figures"
        ));
    }

    let (roster, report) = import::import_workshop(&workshop)?;
    let roster_csv = out.join("roster.csv");
    let roster_xlsx = out.join("roster.xlsx");
    files::write_private(&roster_csv, &write_roster_csv(&roster)?)?;
    files::write_private(&roster_xlsx, &write_roster_xlsx(&roster, &report.problems)?)?;
    let report_path = out.join("import-report.json");
    files::write_private(&report_path, &serde_json::to_vec_pretty(&report)?)?;
    summary.attendees = roster.attendees.len();
    summary.came = report.attended;
    summary.consent = report.consent;
    summary.roster = vec![roster_csv.clone(), roster_xlsx, report_path];
    attention.extend(problems(&report.problems));

    let certificates_dir = out.join("certificates");
    let merged = out.join("certificates.pdf");
    let made = certificates::make_certificates(
        &workshop,
        &roster,
        &certificates_dir,
        Some(&merged),
        certificates::CertificateOptions {
            all: false,
            force: true,
            quiet: args.quiet.quiet,
        },
    )?;
    summary.certificates = made.made;
    summary.certificates_dir = certificates_dir.clone();
    summary.merged_certificates = made.merged;
    // The verification site that the certificates' QR codes lead to: the
    // programme's, when other workshops share its address, else its own.
    let own_site = out.join("site");
    if let Some(shared) = &args.shared_site {
        if is_taller_site(&own_site) {
            // An earlier run's site of this workshop alone: its
            // certificates are now verified on the programme's.
            std::fs::remove_dir_all(&own_site)
                .with_context(|| format!("cannot delete {}", own_site.display()))?;
        }
        summary.site = Some(shared.clone());
    } else if let (Some(_), Some(manifest)) =
        (&workshop.workshop.certificate.verify_url, &made.manifest)
    {
        site::make_site(std::slice::from_ref(manifest), &own_site, None, true)?;
        summary.site = Some(own_site);
    }
    attention.extend(
        made.skipped
            .iter()
            .chain(&made.not_issued)
            .map(|why| format!("no certificate: {why}")),
    );

    for settings in &workshop.workshop.handouts {
        let source = workshop.resolve(&settings.source);
        let output = handout_output(out, &source);
        let made =
            handout::make_handout(&source, &output, Some(&workshop), settings.title.as_deref())?;
        attention.extend(
            made.warnings
                .iter()
                .map(|warning| format!("{}: {warning}", source.display())),
        );
        summary.handouts.push(made.output);
    }

    let signin_path = out.join("signin.pdf");
    summary.signin =
        signin::make_signin(&roster, &workshop, &signin_path, SIGNIN_BLANK_ROWS)?.output;

    let badges_path = out.join("badges.pdf");
    summary.badges = badges::make_badges(&roster, &workshop, &badges_path, format, false)?.badges;
    summary.badges_file = badges_path;

    let outbox = out.join("outbox");
    summary.outbox = outbox.clone();
    if workshop.workshop.followup.is_none() {
        attention
            .push("no follow-up emails: the workshop file has no [followup] section".to_owned());
    } else if outbox.join(SEND_LOG).exists() {
        summary.outbox_kept = true;
        attention.push(format!(
            "{} was not rewritten: messages were already sent from it (its send log is kept)",
            outbox.display()
        ));
    } else {
        let made =
            followup::make_outbox(&workshop, &roster, &roster_csv, &certificates_dir, &outbox)?;
        summary.messages = made.messages;
        // Every attendee without a message is named, notes included (an
        // attendance left blank while others' is filled is one): the list
        // is the same as `taller followup` prints.
        attention.extend(
            made.problems
                .iter()
                .map(|p| format!("{}: {}", p.place, p.message)),
        );
    }

    summary.attention = attention;
    if args.json.json {
        files::print_json(&summary)?;
    } else if !args.quiet.quiet {
        print_summary(&summary, &workshop).context("cannot print the summary")?;
    }
    let outcome = if args.strict.strict && !summary.attention.is_empty() {
        Outcome::ProblemsFound
    } else {
        Outcome::Success
    };
    Ok(Ran {
        outcome,
        roster: Some(roster),
    })
}

/// Whether `dir` holds a verification site taller wrote.
fn is_taller_site(dir: &Path) -> bool {
    std::fs::read_to_string(dir.join("index.html"))
        .is_ok_and(|text| text.contains("name=\"taller-public-key\""))
}

/// A programme: each workshop as `taller run W.toml -o OUT/<workshop id>`
/// would run it, then one verification site for the workshops that share
/// a `verify_url`, then the report into `OUT/report/` from the rosters
/// just imported.
fn run_programme(
    args: &RunArgs,
    path: &Path,
    out: &Path,
    format: &LabelFormat,
) -> anyhow::Result<Outcome> {
    let loaded = programme::load_programme(path)?;
    let shared = site::shared_sites(&loaded, out);
    // Refused before anything is written: one site, one key.
    let keys = shared
        .iter()
        .map(|s| site::shared_key(&loaded, s, args.example_key.as_deref()))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let mut outcome = Outcome::Success;
    let mut outputs = Vec::new();
    let mut purged = Vec::new();
    let mut rosters = Vec::with_capacity(loaded.workshops.len());
    for (i, workshop) in loaded.workshops.iter().enumerate() {
        let folder = out.join(&workshop.workshop.workshop.id);
        // A purged workshop is counted from its pseudonymised roster: its
        // registration sheets are not read again.
        if let Some(record) = purge::purged_roster(workshop)? {
            let line = purged_line(workshop);
            if !args.json.json {
                message!("\n{line}");
            }
            purged.push(line);
            rosters.push(programme::workshop_roster(workshop, record));
            continue;
        }
        let one = RunArgs {
            workshop: Some(workshop.path.clone()),
            output: Some(folder.clone()),
            label: args.label.clone(),
            json: Json { json: false },
            quiet: Quiet {
                quiet: args.quiet.quiet || args.json.json,
            },
            strict: args.strict,
            example_key: args.example_key.clone(),
            programme: Some((path.to_path_buf(), loaded.programme.programme.retention)),
            shared_site: shared
                .iter()
                .find(|s| s.workshops.contains(&i))
                .map(|s| s.dir.clone()),
        };
        let ran = run_workshop(&one, &workshop.path, format)?;
        if ran.outcome == Outcome::ProblemsFound {
            outcome = Outcome::ProblemsFound;
        }
        // Purged between loading and running (by another taller): read
        // its record as the report would.
        let roster = match ran.roster {
            Some(roster) => roster,
            None => purge::purged_roster(workshop)?.unwrap_or_default(),
        };
        rosters.push(programme::workshop_roster(workshop, roster));
        outputs.push(folder);
    }
    let mut sites = Vec::new();
    for (shared, key) in shared.iter().zip(&keys) {
        let manifests = shared.manifests(&loaded, out);
        if manifests.is_empty() {
            continue;
        }
        let made = site::make_site(&manifests, &shared.dir, Some(key), true)?;
        sites.push(SiteLine {
            site: shared.dir.clone(),
            verify_url: shared.verify_url.clone(),
            workshops: shared.ids(&loaded),
            certificates: made.certificates,
        });
    }
    let report = programme::write_report(&loaded, &rosters, &out.join("report"))?;
    if args.json.json {
        files::print_json(&serde_json::json!({
            "programme": report.programme,
            "workshops": outputs,
            "purged": purged,
            "sites": sites,
            "report": report,
        }))?;
    } else if !args.quiet.quiet {
        programme::print_summary(&report);
        for line in &sites {
            message!(
                "  verification  {}: one site for {} ({} certificates); publish the folder at {}",
                line.site.join("index.html").display(),
                line.workshops.join(", "),
                line.certificates,
                line.verify_url
            );
        }
    }
    Ok(outcome)
}

/// A programme's verification site, as the run summary names it.
#[derive(Debug, Serialize)]
struct SiteLine {
    site: PathBuf,
    verify_url: String,
    workshops: Vec<String>,
    certificates: usize,
}

/// The line that says a purged workshop is skipped.
fn purged_line(workshop: &WorkshopFile) -> String {
    format!(
        "{}: purged after its retention, skipped: its registration sheets are not read again (the report counts it from {})",
        workshop.workshop.workshop.id,
        purge::purged_roster_path(workshop).display()
    )
}

/// `handouts/factsheet.es.md` → `OUT/handouts/factsheet.es.pdf`.
fn handout_output(out: &Path, source: &Path) -> PathBuf {
    let stem = source
        .file_stem()
        .map_or_else(|| "handout".into(), |s| s.to_string_lossy().into_owned());
    out.join("handouts").join(format!("{stem}.pdf"))
}

/// Problems worth the coordinator's attention, one line each (notes such
/// as "sheet passed over" are left to the detailed report).
fn problems(problems: &[Problem]) -> impl Iterator<Item = String> + '_ {
    problems
        .iter()
        .filter(|p| p.severity == Severity::Error || p.kind != taller_model::ProblemKind::Note)
        .map(|p| format!("{}: {}", p.place, p.message))
}

fn print_summary(summary: &RunSummary, workshop: &WorkshopFile) -> std::io::Result<()> {
    let mut err = std::io::stderr().lock();
    let info = &workshop.workshop.workshop;
    writeln!(err, "\n{} — {}", info.title, info.city)?;
    let came = summary
        .came
        .map(|n| format!(", {n} came"))
        .unwrap_or_default();
    writeln!(
        err,
        "  roster        {} attendees{came}: {}",
        summary.attendees,
        summary.roster[0].display()
    )?;
    writeln!(
        err,
        "  certificates  {} in {}{}",
        summary.certificates,
        summary.certificates_dir.display(),
        summary
            .merged_certificates
            .as_ref()
            .map(|m| format!(", all in {}", m.display()))
            .unwrap_or_default()
    )?;
    writeln!(
        err,
        "  consent       to follow-up emails: {} (only yes and unknown are written to)",
        summary.consent.sentence()
    )?;
    if let Some(site) = &summary.site {
        writeln!(
            err,
            "  verification  {}: publish the folder at the address of verify_url",
            site.join("index.html").display()
        )?;
    }
    for handout in &summary.handouts {
        writeln!(err, "  handout       {}", handout.display())?;
    }
    writeln!(err, "  sign-in sheet {}", summary.signin.display())?;
    writeln!(
        err,
        "  badges        {} in {}",
        summary.badges,
        summary.badges_file.display()
    )?;
    if summary.outbox_kept {
        writeln!(
            err,
            "  emails        {} kept as it was",
            summary.outbox.display()
        )?;
    } else {
        writeln!(
            err,
            "  emails        {} to review in {}; send them with: taller send {} --smtp smtp://HOST:587 --starttls",
            summary.messages,
            summary.outbox.display(),
            summary.outbox.display()
        )?;
    }
    if summary.attention.is_empty() {
        writeln!(err, "\nNothing needs your attention.")?;
    } else {
        writeln!(err, "\nNeeds your attention ({}):", summary.attention.len())?;
        for line in &summary.attention {
            writeln!(err, "  - {line}")?;
        }
    }
    Ok(())
}
