//! `taller certificates`: one PDF certificate of attendance per attendee,
//! an optional merged PDF to print, and the `certificates.json` manifest.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;
use taller_model::{
    Answer, CertificateManifest, ManifestEntry, ManifestWorkshop, Roster, file_stem, sha256_hex,
};
use taller_print::certificate::{CertificateImages, CertificateMaker, Layout, Recipient};
use taller_print::pdf::DecodedImage;

use serde::Serialize;

use super::Outcome;
use super::flags::Output;
use crate::files::{self, WorkshopFile};
use crate::messages::{self, message, note};
use crate::signing;

/// The manifest's file name, inside the output folder.
pub(crate) const MANIFEST: &str = "certificates.json";

#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  taller certificates --roster roster.csv --workshop workshop.toml -o certificates --merged all-certificates.pdf\n  \
taller certificates --roster roster.csv --workshop workshop.toml --merged all-certificates.pdf --merged-only\n\n\
Only attendees marked attended=yes get a certificate when the roster records attendance (use --all for everyone).\n\
An attendee whose name holds characters no bundled font can show (Chinese, emoji, …) gets no certificate: \
they are listed, the others are made, and taller exits with status 1."
)]
pub struct CertificatesArgs {
    /// The roster written by `taller import`.
    #[arg(long, value_name = "ROSTER")]
    roster: PathBuf,
    /// The workshop file (title, city, date, [certificate] settings).
    #[arg(long, value_name = "WORKSHOP.toml")]
    workshop: PathBuf,
    /// Folder for the certificates and certificates.json.
    #[arg(short, long, value_name = "DIR", default_value = "certificates")]
    output: PathBuf,
    /// Also write every certificate into this one PDF, to print.
    #[arg(long, value_name = "FILE.pdf")]
    merged: Option<PathBuf>,
    /// Write only the merged PDF (given with --merged): no file per
    /// attendee and no certificates.json, so `taller verify` and the
    /// follow-up emails have nothing to check or attach. Much faster for
    /// thousands of certificates that are only printed.
    #[arg(long, requires = "merged", conflicts_with = "output")]
    merged_only: bool,
    /// Make certificates for every attendee, not only those who attended.
    #[arg(long)]
    all: bool,
    #[command(flatten)]
    flags: Output,
}

/// How to make the certificates, beyond what and where.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct CertificateOptions {
    /// Every attendee, not only those who attended.
    pub all: bool,
    /// Replace files that exist (`taller run` owns its folder).
    pub force: bool,
    /// No progress bar.
    pub quiet: bool,
}

/// What a certificates run made (and `--json` prints).
#[derive(Debug, Default, Serialize)]
pub(crate) struct CertificatesSummary {
    /// The folder of one file per attendee (none with --merged-only).
    pub output: Option<PathBuf>,
    /// Certificates written (one file each).
    pub made: usize,
    /// Attendees who got no certificate, with the reason.
    pub skipped: Vec<String>,
    /// Attendees who are not certificate holders (they did not come, or
    /// their attendance is blank while others' is recorded), with the
    /// reason: nobody is left out without a word.
    pub not_issued: Vec<String>,
    /// The manifest written (none with --merged-only).
    pub manifest: Option<PathBuf>,
    /// The merged PDF, when asked for and there was something to merge.
    pub merged: Option<PathBuf>,
    /// Attendees in the roster, certificate holders or not.
    pub roster_size: usize,
}

pub fn run(args: CertificatesArgs) -> anyhow::Result<Outcome> {
    messages::set_quiet(args.flags.quiet());
    let workshop = files::load_workshop(&args.workshop)?;
    let roster = files::load_roster(&args.roster)?;
    let summary = make(
        &workshop,
        roster,
        (!args.merged_only).then_some(args.output.as_path()),
        args.merged.as_deref(),
        CertificateOptions {
            all: args.all,
            force: args.flags.force(),
            quiet: args.flags.quiet(),
        },
    )?;
    if args.flags.json() {
        files::print_json(&summary)?;
    }
    report(&summary);
    Ok(if summary.skipped.is_empty() {
        Outcome::Success
    } else {
        Outcome::ProblemsFound
    })
}

fn report(summary: &CertificatesSummary) {
    let plural = if summary.made == 1 { "" } else { "s" };
    match (&summary.output, &summary.merged) {
        (Some(out_dir), merged) => {
            message!(
                "{} certificate{plural} written to {}",
                summary.made,
                out_dir.display()
            );
            if let Some(merged) = merged {
                message!("all of them in one file: {}", merged.display());
            }
        }
        (None, Some(merged)) => {
            message!(
                "{} certificate{plural} written to {}",
                summary.made,
                merged.display()
            );
        }
        (None, None) => message!("no certificate written"),
    }
    if summary.made == 0 && summary.skipped.is_empty() {
        if summary.roster_size == 0 {
            message!("nobody gets a certificate: the roster has no attendees");
        } else {
            message!(
                "nobody gets a certificate: no attendee of the roster is marked attended=yes (use --all for everyone)"
            );
        }
    }
    if let Some(manifest) = &summary.manifest {
        message!("manifest: {}", manifest.display());
    }
    for problem in &summary.skipped {
        message!("problem: {problem}");
    }
    for line in &summary.not_issued {
        message!("no certificate: {line}");
    }
}

/// Makes the certificates of `roster` for `workshop` into `out_dir` (and
/// `merged`): the step `taller certificates` and `taller run` share.
pub(crate) fn make_certificates(
    workshop: &WorkshopFile,
    roster: &Roster,
    out_dir: &Path,
    merged: Option<&Path>,
    options: CertificateOptions,
) -> anyhow::Result<CertificatesSummary> {
    make(workshop, roster.clone(), Some(out_dir), merged, options)
}

/// Only the merged PDF of `roster`'s certificates, replacing `merged`
/// (`taller forget` makes it again without the person).
pub(crate) fn make_merged(
    workshop: &WorkshopFile,
    roster: &Roster,
    merged: &Path,
) -> anyhow::Result<CertificatesSummary> {
    make(
        workshop,
        roster.clone(),
        None,
        Some(merged),
        CertificateOptions {
            all: false,
            force: true,
            quiet: true,
        },
    )
}

/// [`make_certificates`], with no file per attendee (and no manifest)
/// when `out_dir` is `None`. Takes the roster to give it certificate
/// numbers.
fn make(
    workshop: &WorkshopFile,
    mut roster: Roster,
    out_dir: Option<&Path>,
    merged: Option<&Path>,
    options: CertificateOptions,
) -> anyhow::Result<CertificatesSummary> {
    let CertificateOptions { all, force, quiet } = options;
    let info = &workshop.workshop;
    let mut maker = CertificateMaker::new(info, load_layout(workshop)?, load_images(workshop)?)?;
    // The organiser's key signs the manifest, and gives each QR code the
    // token that opens its entry on the verification site; made on first
    // use, never inside what is written here.
    let has_site = info.certificate.verify_url.is_some();
    let key = if out_dir.is_some() || has_site {
        let path = signing::key_path(workshop);
        let merged_dir = merged.and_then(Path::parent);
        let outputs: Vec<&Path> = out_dir.into_iter().chain(merged_dir).collect();
        let (key, created) = signing::load_or_create(&path, &outputs)?;
        if created {
            note!("{}", signing::created_message(&path));
        }
        if has_site {
            maker = maker.with_verify_secret(key.token_secret());
        }
        Some((key, path))
    } else {
        None
    };
    roster.assign_certificate_ids(&info.workshop.id);
    let everyone = all || !info.certificate.attended_only;
    let holders: Vec<_> = roster.certificate_holders(everyone).collect();
    let recipients: Vec<Recipient<'_>> = holders
        .iter()
        .filter_map(|attendee| {
            attendee.certificate_id.as_ref().map(|id| Recipient {
                attendee,
                certificate_id: id,
            })
        })
        .collect();
    if let Some(merged) = merged {
        files::check_overwrite(merged, force)?;
    }
    if let Some(out_dir) = out_dir {
        let file_names: Vec<String> = recipients
            .iter()
            .map(|r| {
                format!(
                    "{}.pdf",
                    file_stem(r.certificate_id, &r.attendee.display_name())
                )
            })
            .collect();
        check_outputs(out_dir, &file_names, &out_dir.join(MANIFEST), force)?;
        std::fs::create_dir_all(out_dir)
            .with_context(|| format!("cannot create folder {}", out_dir.display()))?;
    }

    let created = files::now_unix();
    let title = format!("{} — certificates", info.workshop.title);
    // The merged PDF is written as it is made, into a temporary file beside
    // its destination, renamed when complete (deleted on any error).
    let merged_file = merged.map(temp_file_beside).transpose()?;
    let mut merged_document = match (&merged_file, merged) {
        (Some(temp), Some(path)) => Some(
            maker
                .document(&title, created, temp.as_file())
                .with_context(|| format!("cannot write {}", path.display()))?,
        ),
        _ => None,
    };
    let progress = messages::progress_bar(recipients.len(), "certificates", quiet);
    let results = match (out_dir, merged_document.as_mut()) {
        (Some(out_dir), merged) => {
            maker.each_single_and_merged(&recipients, created, merged, |recipient, pdf| {
                let made = write_one(recipient, pdf, out_dir, &maker);
                progress.inc(1);
                made
            })
        }
        (None, Some(merged)) => merged.add_all(&recipients).map(|results| {
            progress.inc(recipients.len() as u64);
            recipients
                .iter()
                .zip(results)
                .map(|(recipient, result)| {
                    Ok(match result {
                        Ok(()) => Made::Merged,
                        Err(err) => Made::Skipped(describe_skip(*recipient, &err)),
                    })
                })
                .collect()
        }),
        (None, None) => Ok(Vec::new()),
    };
    progress.finish_and_clear();
    let results = match (results, merged) {
        (Ok(results), _) => results,
        (Err(err), Some(path)) => {
            return Err(err).with_context(|| format!("cannot write {}", path.display()));
        }
        (Err(err), None) => return Err(err.into()),
    };

    let mut summary = CertificatesSummary {
        output: out_dir.map(Path::to_path_buf),
        roster_size: roster.attendees.len(),
        not_issued: not_issued(&roster, everyone),
        ..CertificatesSummary::default()
    };
    let mut manifest = CertificateManifest {
        workshop_id: info.workshop.id.clone(),
        workshop: Some(ManifestWorkshop {
            title: info.workshop.title.clone(),
            date: info
                .dates()
                .map(|span| {
                    if span.start == span.end {
                        span.start.to_string()
                    } else {
                        format!("{}/{}", span.start, span.end)
                    }
                })
                .unwrap_or_default(),
            hours: info.workshop.hours,
            organiser: info.workshop.organiser.clone(),
            language: info.workshop.language.code().to_owned(),
        }),
        certificates: Vec::with_capacity(recipients.len()),
        signature: None,
    };
    for result in results {
        match result? {
            Made::Written(entry) => manifest.certificates.push(*entry),
            Made::Merged => summary.made += 1,
            Made::Skipped(why) => summary.skipped.push(why),
        }
    }
    if let Some(out_dir) = out_dir {
        summary.made = manifest.certificates.len();
        let manifest_path = out_dir.join(MANIFEST);
        if let Some((key, path)) = &key {
            let key_file = std::path::absolute(path).unwrap_or_else(|_| path.clone());
            taller_verify::sign(&mut manifest, key, &key_file.display().to_string());
        }
        let json = serde_json::to_vec_pretty(&manifest).context("cannot write the manifest")?;
        files::write_atomic(&manifest_path, &json)?;
        summary.manifest = Some(manifest_path);
    }

    // A PDF without pages is no use to print (and some readers reject it):
    // the temporary file is then dropped, which deletes it.
    let finished = merged_document.map_or(Ok(false), |document| {
        if document.is_empty() {
            Ok(false)
        } else {
            document.finish().map(|_| true)
        }
    });
    if let (Some(merged_path), Some(temp)) = (merged, merged_file) {
        let context = || format!("cannot write {}", merged_path.display());
        if finished.with_context(context)? {
            temp.persist(merged_path).with_context(context)?;
            summary.merged = Some(merged_path.to_path_buf());
        }
    }
    Ok(summary)
}

/// A temporary file in the folder of `path`, to be renamed to it.
fn temp_file_beside(path: &Path) -> anyhow::Result<tempfile::NamedTempFile> {
    let dir = files::make_folder_of(path)?;
    files::temp_file_in(dir).with_context(|| format!("cannot write in {}", dir.display()))
}

/// One attendee's outcome; an `Err` beside it is a write failure that stops
/// the run.
enum Made {
    Written(Box<ManifestEntry>),
    /// A page of the merged PDF only (--merged-only).
    Merged,
    Skipped(String),
}

fn write_one(
    recipient: Recipient<'_>,
    pdf: Result<Vec<u8>, taller_print::Error>,
    out_dir: &Path,
    maker: &CertificateMaker,
) -> anyhow::Result<Made> {
    let bytes = match pdf {
        Ok(bytes) => bytes,
        Err(err) => return Ok(Made::Skipped(describe_skip(recipient, &err))),
    };
    let name = recipient.attendee.display_name();
    let file = format!("{}.pdf", file_stem(recipient.certificate_id, &name));
    files::write_atomic(&out_dir.join(&file), &bytes)?;
    Ok(Made::Written(Box::new(ManifestEntry {
        certificate_id: recipient.certificate_id.clone(),
        attendee_id: recipient.attendee.id.clone(),
        name,
        email: recipient.attendee.email.clone(),
        file,
        sha256: sha256_hex(&bytes),
        language: maker.language_for(recipient.attendee).code().to_owned(),
        url: maker.qr_url(recipient.certificate_id.as_str()),
        revoked: None,
        name_key: None,
    })))
}

/// The attendees left out because of their attendance: one line naming
/// those marked as not having come, one line each for a blank attendance
/// among recorded ones (a mark forgotten at the door, most likely).
fn not_issued(roster: &Roster, everyone: bool) -> Vec<String> {
    if everyone || !roster.records_attendance() {
        return Vec::new();
    }
    let short = |attendee: &taller_model::Attendee| -> String {
        attendee.display_name().chars().take(80).collect()
    };
    let mut lines = Vec::new();
    let absent: Vec<String> = roster
        .attendees
        .iter()
        .filter(|a| a.attended == Answer::No)
        .map(short)
        .collect();
    if !absent.is_empty() {
        lines.push(format!(
            "{} marked as not having come (attended=no): {}",
            absent.len(),
            absent.join(", ")
        ));
    }
    for attendee in roster
        .attendees
        .iter()
        .filter(|a| a.attended == Answer::Unknown)
    {
        let from = attendee.source.0.join("; ");
        lines.push(format!(
            "{}{}: attendance not recorded while others' is; mark attended yes or no in the roster",
            short(attendee),
            if from.is_empty() {
                String::new()
            } else {
                format!(" ({from})")
            }
        ));
    }
    lines
}

/// "Ana 你好 (roster.csv:4) gets no certificate: …": who, where they came
/// from, and why.
fn describe_skip(recipient: Recipient<'_>, err: &taller_print::Error) -> String {
    let attendee = recipient.attendee;
    let from = attendee.source.0.join("; ");
    let place = if from.is_empty() {
        String::new()
    } else {
        format!(" ({from})")
    };
    // A pasted essay in a name cell must not flood the terminal.
    let name: String = attendee.display_name().chars().take(80).collect();
    format!("{name}{place} gets no certificate: {err}; correct the name in the roster")
}

fn load_layout(workshop: &WorkshopFile) -> anyhow::Result<Layout> {
    let setting = workshop.workshop.certificate.layout.trim();
    if setting.is_empty() || setting == "default" {
        return Ok(Layout::default_layout()?);
    }
    let path = workshop.resolve(setting);
    let bytes = files::read(&path)?;
    let text = String::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("{} is not UTF-8 text", path.display()))?;
    Ok(Layout::from_toml(&text, &path.display().to_string())?)
}

fn load_images(workshop: &WorkshopFile) -> anyhow::Result<CertificateImages> {
    let load = |relative: Option<&String>| -> anyhow::Result<Option<DecodedImage>> {
        let Some(relative) = relative else {
            return Ok(None);
        };
        let path = workshop.resolve(relative);
        let bytes = files::read(&path)?;
        Ok(Some(DecodedImage::decode(
            &bytes,
            &path.display().to_string(),
        )?))
    };
    Ok(CertificateImages {
        background: load(workshop.workshop.certificate.background.as_ref())?,
        logo: load(workshop.workshop.workshop.logo.as_ref())?,
    })
}

/// Refuses, before anything is written, to replace existing outputs
/// without `--force`.
fn check_outputs(
    out_dir: &Path,
    file_names: &[String],
    manifest: &Path,
    force: bool,
) -> anyhow::Result<()> {
    if force {
        return Ok(());
    }
    files::check_overwrite(manifest, force)?;
    for name in file_names {
        files::check_overwrite(&out_dir.join(name), force)?;
    }
    Ok(())
}
