//! `taller followup`: one personal follow-up email per attendee, written as
//! `.eml` files (or one mbox) for the coordinator to review before sending.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use serde::Serialize;
use taller_followup::sendlog::SEND_LOG;
use taller_followup::{Audience, Followup, FollowupSummary, Settings, mime};
use taller_model::{ProblemKind, Roster};

use super::Outcome;
use super::flags::{Output, Strict};
use crate::files::{self, WorkshopFile};
use crate::messages::{self, message};

/// Output format of the messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One `.eml` file per attendee in the outbox folder (what `taller send` sends).
    Eml,
    /// One mbox file with every message (to open in Thunderbird and similar).
    Mbox,
}

/// Who gets a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AudienceArg {
    /// Those who came: the thank-you message, with their certificate.
    Attended,
    /// Those who registered and did not come: the `missed` message.
    Missed,
    /// Both.
    All,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  taller followup --roster roster.csv --workshop workshop.toml -o outbox
  taller followup --roster roster.csv --workshop workshop.toml --preview ana@ejemplo.org

Templates: followup.es.hbs, followup.en.hbs … (Subject:, From:, Reply-To:, Cc: lines, a blank line, then the body); followup.html.hbs or followup.es.html.hbs for an HTML version; followup.missed.es.hbs for those who did not come.

Placeholders: attendee.name, attendee.given_name and every roster column as attendee.<column>; workshop.title, workshop.date, workshop.city, workshop.venue, workshop.hours, workshop.organiser; certificate.id, certificate.file, certificate.verify_url. Helpers: {{date \"2016-02-15\"}} writes a date in the message's language; {{default attendee.organisation \"tu organización\"}} gives a value for empty fields.

Who gets what: without attendance in the roster, everyone gets the thank-you; with it, attended=yes gets the thank-you with the certificate, attended=no the missed message (or nothing), unknown attendance nothing. Attendees with consent=no get nothing; the summary lists everyone left out.

--force replaces an outbox, but never one that messages were already sent from (its send log keeps anyone from getting the same email twice).")]
pub struct FollowupArgs {
    /// The roster written by `taller import`.
    #[arg(long, value_name = "ROSTER")]
    roster: PathBuf,
    /// The workshop file.
    #[arg(long, value_name = "WORKSHOP.toml")]
    workshop: PathBuf,
    /// Template path without language and extension [default: `[followup] template` in the workshop file].
    #[arg(long, value_name = "TEMPLATE")]
    template: Option<PathBuf>,
    /// Where to write: the outbox folder, or the mbox file with --format mbox [default: outbox, or outbox.mbox].
    #[arg(short, long, value_name = "OUTBOX")]
    output: Option<PathBuf>,
    /// One .eml per attendee, or one mbox.
    #[arg(long, value_enum, default_value_t = Format::Eml)]
    format: Format,
    /// Folder with certificates.json and the certificate PDFs [default: `certificates` next to the outbox].
    #[arg(long, value_name = "DIR")]
    certificates: Option<PathBuf>,
    /// Who gets a message.
    #[arg(long, value_enum, default_value_t = AudienceArg::All)]
    audience: AudienceArg,
    /// Print one message (the first, or the attendee with this name, email or certificate id) and write nothing.
    #[arg(long, value_name = "NAME_OR_EMAIL", num_args = 0..=1, default_missing_value = "")]
    preview: Option<String>,
    #[command(flatten)]
    flags: Output,
    #[command(flatten)]
    strict: Strict,
}

pub fn run(args: FollowupArgs) -> anyhow::Result<Outcome> {
    messages::set_quiet(args.flags.quiet());
    let workshop = files::load_workshop(&args.workshop)?;
    let roster = files::load_roster(&args.roster)?;
    let output = args.output.clone().unwrap_or_else(|| match args.format {
        Format::Eml => PathBuf::from("outbox"),
        Format::Mbox => PathBuf::from("outbox.mbox"),
    });
    let certificates = args
        .certificates
        .clone()
        .unwrap_or_else(|| sibling(&output, "certificates"));
    let mut settings = settings(&workshop, &args.roster, &certificates)?;
    if let Some(template) = &args.template {
        settings.template = template.clone();
    }
    settings.audience = match args.audience {
        AudienceArg::Attended => Audience::Attended,
        AudienceArg::Missed => Audience::Missed,
        AudienceArg::All => Audience::All,
    };
    let followup = Followup::prepare(&workshop.workshop, &roster, settings)?;

    if let Some(who) = &args.preview {
        let index = if who.is_empty() {
            (!followup.is_empty()).then_some(0)
        } else {
            followup.find(who)
        };
        let Some(index) = index else {
            bail!(
                "no message to preview{}: the roster {} has nobody who gets a message by that name, email or certificate id",
                if who.is_empty() {
                    String::new()
                } else {
                    format!(" for `{who}`")
                },
                args.roster.display()
            );
        };
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(followup.preview(index)?.as_bytes())?;
        return Ok(Outcome::Success);
    }

    // With nobody to write to, an empty outbox would only look like work done.
    match args.format {
        _ if followup.is_empty() => {}
        Format::Eml => write_outbox(
            &followup,
            &output,
            OutboxOptions {
                force: args.flags.force(),
                quiet: args.flags.quiet(),
            },
        )?,
        Format::Mbox => write_mbox(&followup, &output, args.flags.force())?,
    }
    let summary = followup.summary();
    report(summary, &output, args.format, args.flags.json())?;
    Ok(if args.strict.strict && summary.left_out() > 0 {
        Outcome::ProblemsFound
    } else {
        Outcome::Success
    })
}

/// The follow-up step of `taller run`: the whole outbox into `outbox` (its
/// own folder, replaced on each run unless messages were sent from it).
pub(crate) fn make_outbox(
    workshop: &WorkshopFile,
    roster: &Roster,
    roster_path: &Path,
    certificates_dir: &Path,
    outbox: &Path,
) -> anyhow::Result<FollowupSummary> {
    let settings = settings(workshop, roster_path, certificates_dir)?;
    let followup = Followup::prepare(&workshop.workshop, roster, settings)?;
    write_outbox(
        &followup,
        outbox,
        OutboxOptions {
            force: true,
            quiet: true,
        },
    )?;
    Ok(followup.summary().clone())
}

/// The library's settings from `[followup]`, paths resolved against the
/// workshop file's folder.
fn settings(
    workshop: &WorkshopFile,
    roster_path: &Path,
    certificates: &Path,
) -> anyhow::Result<Settings> {
    let section = workshop.workshop.followup.as_ref();
    let template = section.map_or_else(
        || workshop.resolve("templates/followup"),
        |f| workshop.resolve(&f.template),
    );
    Ok(Settings {
        template,
        from: section
            .map(|f| f.from.clone())
            .filter(|f| !f.trim().is_empty()),
        reply_to: section.and_then(|f| f.reply_to.clone()),
        attach_certificate: section.is_none_or(|f| f.attach_certificate),
        attach: section
            .map(|f| f.attach.iter().map(|a| workshop.resolve(a)).collect())
            .unwrap_or_default(),
        certificates: certificates.to_path_buf(),
        audience: Audience::All,
        roster_name: roster_path.display().to_string(),
    })
}

/// `name` in the same folder as `path`.
fn sibling(path: &Path, name: &str) -> PathBuf {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from(name), |p| p.join(name))
}

/// Refuses to replace an outbox that messages were sent from: its send log
/// is what keeps anyone from getting the same email twice.
fn check_outbox(outbox: &Path, force: bool) -> anyhow::Result<()> {
    let log = outbox.join(SEND_LOG);
    if log.exists() {
        bail!(
            "messages were already sent from {} (see {}); write the new messages to another folder with -o, so that nobody gets an email twice",
            outbox.display(),
            log.display()
        );
    }
    files::check_overwrite(outbox, force)
}

/// How to write an outbox.
#[derive(Debug, Clone, Copy)]
struct OutboxOptions {
    /// Replace an outbox that exists (never one messages were sent from).
    force: bool,
    /// No progress bar.
    quiet: bool,
}

/// Writes every message into a hidden folder next to the outbox, then puts
/// it in place with one rename: the outbox appears complete or not at all.
fn write_outbox(
    followup: &Followup<'_>,
    outbox: &Path,
    options: OutboxOptions,
) -> anyhow::Result<()> {
    check_outbox(outbox, options.force)?;
    let parent = files::make_folder_of(outbox)?;
    let staging = staging_dir(parent)?;
    let progress = messages::progress_bar(followup.len(), "messages", options.quiet);
    followup.try_for_each(|message| -> anyhow::Result<()> {
        let path = staging.path().join(&message.file_name);
        fs::write(&path, &message.bytes)
            .with_context(|| format!("cannot write {}", path.display()))?;
        progress.inc(1);
        Ok(())
    })?;
    progress.finish_and_clear();
    let staged = staging.keep();
    if outbox.exists() {
        let old = tempfile::Builder::new()
            .prefix(".outbox-old-")
            .tempdir_in(parent)
            .with_context(|| format!("cannot write in {}", parent.display()))?;
        let old_path = old.path().join("outbox");
        fs::rename(outbox, &old_path)
            .with_context(|| format!("cannot replace {}", outbox.display()))?;
        fs::rename(&staged, outbox)
            .with_context(|| format!("cannot write {}", outbox.display()))?;
        drop(old);
    } else {
        fs::rename(&staged, outbox)
            .with_context(|| format!("cannot write {}", outbox.display()))?;
    }
    Ok(())
}

/// A hidden folder next to the outbox, owner-only: the messages hold
/// every attendee's address and name.
fn staging_dir(parent: &Path) -> anyhow::Result<tempfile::TempDir> {
    files::temp_dir_with(parent, ".outbox-", files::Access::Private)
        .with_context(|| format!("cannot write in {}", parent.display()))
}

/// Writes one mbox file (mboxrd), atomically.
fn write_mbox(followup: &Followup<'_>, path: &Path, force: bool) -> anyhow::Result<()> {
    files::check_overwrite(path, force)?;
    let dir = files::make_folder_of(path)?;
    let temp = files::temp_file_with(dir, files::Access::Private)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    let mut writer = std::io::BufWriter::new(temp);
    let sender = followup.envelope_sender();
    let date = taller_followup::asctime_now();
    followup.try_for_each_in_order(|message| -> anyhow::Result<()> {
        writer
            .write_all(&mime::mbox_entry(&message.bytes, &sender, &date))
            .with_context(|| format!("cannot write {}", path.display()))
    })?;
    let temp = writer
        .into_inner()
        .map_err(|err| err.into_error())
        .with_context(|| format!("cannot write {}", path.display()))?;
    temp.as_file()
        .sync_all()
        .with_context(|| format!("cannot write {}", path.display()))?;
    temp.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

#[derive(Serialize)]
struct JsonSummary<'a> {
    output: String,
    format: &'static str,
    #[serde(flatten)]
    summary: &'a FollowupSummary,
}

/// The summary on stderr (and as JSON on stdout with --json).
fn report(
    summary: &FollowupSummary,
    output: &Path,
    format: Format,
    json: bool,
) -> anyhow::Result<()> {
    if json {
        let value = JsonSummary {
            output: output.display().to_string(),
            format: match format {
                Format::Eml => "eml",
                Format::Mbox => "mbox",
            },
            summary,
        };
        files::print_json(&value)?;
    }
    if messages::quiet() {
        return Ok(());
    }
    let languages: Vec<String> = summary
        .languages
        .iter()
        .map(|(language, count)| format!("{language} {count}"))
        .collect();
    if summary.messages == 0 {
        message!("No message written: nobody on the roster gets one.");
    } else {
        message!(
            "Wrote {} message{} to {} ({} thank-you, {} for those who missed it{}{}).",
            summary.messages,
            if summary.messages == 1 { "" } else { "s" },
            output.display(),
            summary.attended,
            summary.missed,
            if languages.is_empty() { "" } else { "; " },
            languages.join(", ")
        );
    }
    message!(
        "Consent to follow-up emails: {}; nobody who said no is written to.",
        summary.consent.sentence()
    );
    if summary.outside_audience > 0 {
        message!(
            "{} attendees are outside --audience.",
            summary.outside_audience
        );
    }
    let left_out = summary.left_out();
    if left_out > 0 {
        message!(
            "{left_out} attendee{} got no message:",
            if left_out == 1 { "" } else { "s" }
        );
        for problem in summary
            .problems
            .iter()
            .filter(|p| p.kind != ProblemKind::LanguageFallback)
        {
            message!("  {problem}");
        }
    }
    let fallbacks: Vec<_> = summary
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::LanguageFallback)
        .collect();
    if !fallbacks.is_empty() {
        message!(
            "{} message{} in another language than the attendee's:",
            fallbacks.len(),
            if fallbacks.len() == 1 { " is" } else { "s are" }
        );
        for problem in fallbacks {
            message!("  {problem}");
        }
    }
    if format == Format::Eml && summary.messages > 0 {
        message!(
            "Next: read a few (taller followup … --preview NAME, or open the .eml files in your mail program), then send them with:\n  taller send {} --smtp smtp://HOST:PORT --starttls --user USER --password-env SMTP_PASSWORD",
            output.display()
        );
    }
    Ok(())
}
