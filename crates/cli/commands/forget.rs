//! `taller forget EMAIL|ID …`: erases people from everything `taller run`
//! wrote — rosters, import reports, emails not yet sent, badges, sign-in
//! sheets, merged certificates, their own certificate files, the
//! programme's report — keeping only what verification and the send log
//! need, as hashes, and recording the erasure (salted keys, no data) in an
//! erasure log that every later import reads to skip them.
//!
//! Interrupted, it leaves each file old or new: the log says "pending"
//! first, every file is replaced by a rename, and a rerun (of `forget`, or
//! any import) already skips the person and finishes the job.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;
use taller_followup::sendlog::{self, SEND_LOG};
use taller_model::{Attendee, AttendeeId, ProblemKind, Roster, Salt, sha256_hex};
use taller_print::labels::LabelFormat;
use taller_registration::{
    Forgotten, ImportReport, write_roster_csv, write_roster_json, write_roster_xlsx,
};
use taller_verify::{SignatureCheck, check_signature, name_key, sign};

use super::report as programme;
use super::{Outcome, badges, certificates, import, person, signin, site};
use crate::erasure::{self, Entry, State};
use crate::files::{self, WorkshopFile};
use crate::messages::message;
use crate::{salt, signing};

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
taller forget ana@example.org --programme redes-2016/programme.toml\n  \
taller forget a-7k2m9q4x1z luis@example.org --workshop my-workshop/workshop.toml -o taller-out\n  \
taller forget ana@example.org --programme redes-2016/programme.toml --dry-run\n\n\
Removes the person from every roster, import report, unsent email, badge and sign-in sheet,\n\
certificate file and report that taller wrote into OUT (made again without them). A certificate\n\
already handed out still verifies. The erasure is recorded, without the person's data, in\n\
taller-erasures.jsonl beside the workshop or programme file, and every later import skips them.\n\
Your own registration sheets are not changed: the rows that still hold the person are named.")]
pub struct ForgetArgs {
    /// The person's email address, or their attendee id (`a-…`) or certificate id.
    #[arg(value_name = "EMAIL|ID", required = true)]
    who: Vec<String>,
    /// The workshop file the outputs were made from.
    #[arg(long, value_name = "W.toml", conflicts_with = "programme")]
    workshop: Option<PathBuf>,
    /// The programme file the outputs were made from.
    #[arg(long, value_name = "P.toml")]
    programme: Option<PathBuf>,
    /// The folder `taller run` wrote to [default: as `taller run`: taller-out,
    /// beside the programme file for a programme].
    #[arg(short, long, value_name = "OUT")]
    out: Option<PathBuf>,
    /// Say what would be erased, and change nothing.
    #[arg(long)]
    dry_run: bool,
    /// The label format the badges were printed on (as `taller run --label`).
    #[arg(long, value_name = "FORMAT", default_value = "avery-l7418")]
    label: String,
}

/// One workshop's outputs: its file, and the folder `taller run` wrote.
struct Outputs {
    workshop: WorkshopFile,
    folder: PathBuf,
}

pub fn run(args: ForgetArgs) -> anyhow::Result<Outcome> {
    let Some(format) = LabelFormat::by_name(&args.label) else {
        bail!(
            "there is no label format called \"{}\"; use avery-l7418, avery-l7163 or cut-2x4",
            args.label
        );
    };
    let config = match (&args.workshop, &args.programme) {
        (Some(path), None) | (None, Some(path)) => path.clone(),
        _ => bail!(
            "give the workshop file (--workshop W.toml) or the programme file (--programme P.toml): the erasure log is kept beside it"
        ),
    };
    let out = person::output_folder(
        args.workshop.as_deref(),
        args.programme.as_deref(),
        args.out.clone(),
    )?;
    if !out.is_dir() {
        bail!(
            "{} is not a folder taller wrote to; give the one `taller run` wrote with --out",
            out.display()
        );
    }
    let loaded = args
        .programme
        .as_deref()
        .map(programme::load_programme)
        .transpose()?;
    let outputs: Vec<Outputs> = match &loaded {
        Some(loaded) => loaded
            .workshops
            .iter()
            .map(|w| {
                Ok(Outputs {
                    workshop: files::load_workshop(&w.path)?,
                    folder: out.join(&w.workshop.workshop.id),
                })
            })
            .collect::<anyhow::Result<_>>()?,
        None => vec![Outputs {
            workshop: files::load_workshop(&config)?,
            folder: out.clone(),
        }],
    };
    // The programme's sites and their one key, known before anything is
    // erased: a site that could not be signed again would keep the person.
    let shared_sites = match &loaded {
        Some(loaded) => site::shared_sites(loaded, &out)
            .into_iter()
            .filter(|shared| shared.dir.join("index.html").exists())
            .map(|shared| {
                let key = site::shared_key(loaded, &shared, None)?;
                Ok((shared, key))
            })
            .collect::<anyhow::Result<Vec<_>>>()?,
        None => Vec::new(),
    };
    let log_path = erasure::path_beside(&config);
    let salt_path = salt::path_beside(&config);
    let log = erasure::load(&log_path)?;
    let unfinished: Vec<Entry> = erasure::pending(&log).into_iter().cloned().collect();

    // Who each query names, from the rosters taller wrote.
    let mut people: Vec<Person> = Vec::new();
    for who in &args.who {
        let findings = person::find(&out, who)?;
        if findings.roster_rows.is_empty() {
            let existing = salt::load(&salt_path)?;
            let known = existing
                .as_ref()
                .and_then(|s| s.email_key(who))
                .is_some_and(|key| log.iter().any(|e| e.keys.contains(&key)));
            if known {
                message!(
                    "{} was forgotten before; finishing any erasure left pending.",
                    who.trim()
                );
                continue;
            }
            if who.contains('@') && !findings.files.is_empty() {
                // In no roster, but named elsewhere: a purged workshop's
                // manifest, say. Known by the address given.
                people.push(Person {
                    who: who.trim().to_owned(),
                    rows: Vec::new(),
                    mentions: findings.files,
                });
                continue;
            }
            if !unfinished.is_empty() {
                // A forget killed after the rosters were rewritten: the
                // pending erasure is finished below.
                message!(
                    "{} is in no roster in {} (an erasure left pending is finished now).",
                    who.trim(),
                    out.display()
                );
                continue;
            }
            bail!(
                "nobody with the email or id \"{}\" is in the rosters in {}; check it with `taller person`",
                who.trim().chars().take(80).collect::<String>(),
                out.display()
            );
        }
        people.push(Person {
            who: who.trim().to_owned(),
            rows: findings.roster_rows,
            mentions: findings.files,
        });
    }

    if args.dry_run {
        print_plan(&people, &unfinished, &log_path)?;
        return Ok(Outcome::Success);
    }

    let salt = salt::load_or_create(&salt_path)?;
    let mut started = Vec::new();
    for Person {
        who,
        rows,
        mentions,
    } in &people
    {
        let keys: BTreeSet<String> = rows
            .iter()
            .flat_map(|row| keys_of(&salt, &row.attendee))
            .chain(who.contains('@').then(|| salt.email_key(who)).flatten())
            .collect();
        let kinds: BTreeSet<String> = std::iter::once("roster".to_owned())
            .chain(
                mentions
                    .iter()
                    .map(|m| person::Kind::label(m.kind).to_owned()),
            )
            .collect();
        let time = taller_followup::utc_now();
        let erasure =
            sha256_hex(format!("{time}\0{who}\0{}", salt.to_hex()).as_bytes())[..16].to_owned();
        started.push(Entry {
            erasure,
            state: State::Pending,
            time,
            keys: keys.into_iter().collect(),
            kinds: kinds.into_iter().collect(),
        });
    }
    // Written before anything is erased: from now on every import skips
    // them, and a rerun after a crash knows what to finish.
    if !started.is_empty() {
        erasure::append(&log_path, &started)?;
    }

    // Temporary files a killed taller left in OUT may hold anyone's data.
    remove_leftovers(&out)?;
    let mut rosters = Vec::new();
    let mut still_held = Vec::new();
    for outputs in &outputs {
        let mut all = erasure::forgotten_for_workshop(&outputs.workshop.path)?;
        all.add(
            salt.clone(),
            erasure::load(&log_path)?.into_iter().flat_map(|e| e.keys),
        );
        if let Some(record) = super::purge::purged_roster(&outputs.workshop)? {
            // Purged: its registration sheets are never read again, so the
            // person is taken out of the record and the manifest only.
            let roster = erase_from_purged(outputs, record, &all, &salt)?;
            rosters.push(programme::workshop_roster(&outputs.workshop, roster));
            continue;
        }
        let (roster, report) = if outputs.folder.is_dir() {
            erase_workshop(outputs, all, &salt, &format)?
        } else {
            import::import_workshop_forgetting(&outputs.workshop, all)?
        };
        // The rows of the organiser's sheets that still hold a forgotten
        // person, by place: the import skipped them.
        still_held.extend(
            report
                .problems
                .iter()
                .filter(|p| p.kind == ProblemKind::Forgotten)
                .map(|p| format!("{}: {}", outputs.workshop.dir.display(), p.place)),
        );
        rosters.push(programme::workshop_roster(&outputs.workshop, roster));
    }
    if let Some(loaded) = &loaded {
        // The programme's sites, for workshops sharing a verify_url, from
        // their manifests just rewritten.
        for (shared, key) in &shared_sites {
            let manifests = shared.manifests(loaded, &out);
            if shared.dir.join("index.html").exists() && !manifests.is_empty() {
                let key = Some(key).filter(|path| path.exists());
                site::make_site(&manifests, &shared.dir, key.map(PathBuf::as_path), true)?;
            }
        }
        let report_dir = out.join("report");
        if report_dir.is_dir() {
            programme::write_report(loaded, &rosters, &report_dir)?;
        }
    }

    let finished: Vec<Entry> = started
        .iter()
        .chain(&unfinished)
        .map(|entry| Entry {
            erasure: entry.erasure.clone(),
            state: State::Done,
            time: taller_followup::utc_now(),
            keys: Vec::new(),
            kinds: Vec::new(),
        })
        .collect();
    if !finished.is_empty() {
        erasure::append(&log_path, &finished)?;
    }
    print_done(&out, &people, &still_held, &log_path)?;
    Ok(Outcome::Success)
}

/// Removes what interrupted runs left under `dir`: taller's temporary
/// files (`.taller-…`) and half-made outboxes (`.outbox-…`), never taller's
/// own `.taller-salt` or signing key, which may
/// hold the person being forgotten. An old outbox with a send log is kept:
/// it is the record of what was sent.
fn remove_leftovers(dir: &Path) -> anyhow::Result<()> {
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("cannot read folder {}", dir.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot read folder {}", dir.display()))?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let kind = entry
            .file_type()
            .with_context(|| format!("cannot read {}", path.display()))?;
        let leftover = is_temporary(&name);
        if kind.is_dir() {
            if leftover && !path.join("outbox").join(SEND_LOG).exists() {
                std::fs::remove_dir_all(&path)
                    .with_context(|| format!("cannot delete {}", path.display()))?;
            } else if !leftover {
                remove_leftovers(&path)?;
            }
        } else if kind.is_file() && leftover {
            std::fs::remove_file(&path)
                .with_context(|| format!("cannot delete {}", path.display()))?;
        }
    }
    Ok(())
}

/// A temporary file's or folder's name as taller makes them: a prefix and
/// six random letters or digits (so never `.taller-salt` or the signing key).
fn is_temporary(name: &str) -> bool {
    [".taller-", ".outbox-old-", ".outbox-"]
        .iter()
        .any(|prefix| {
            name.strip_prefix(prefix).is_some_and(|rest| {
                rest.len() == 6 && rest.chars().all(|c| c.is_ascii_alphanumeric())
            })
        })
}

/// A person's salted keys: their email, and their name in their organisation.
fn keys_of(salt: &Salt, attendee: &Attendee) -> Vec<String> {
    salt.email_key(&attendee.email)
        .into_iter()
        .chain(salt.name_key(&attendee.display_name(), &attendee.organisation))
        .collect()
}

/// Rewrites one workshop's outputs without the forgotten people, and
/// returns its new roster. The roster is written last: until then it
/// still says who is being erased, should this be interrupted and rerun.
fn erase_workshop(
    outputs: &Outputs,
    forgotten: Forgotten,
    salt: &Salt,
    format: &LabelFormat,
) -> anyhow::Result<(Roster, ImportReport)> {
    let folder = &outputs.folder;
    let workshop = &outputs.workshop;
    let roster_csv = folder.join("roster.csv");
    let old = if roster_csv.exists() {
        files::load_roster(&roster_csv)?
    } else {
        Roster::default()
    };
    let removed: Vec<&Attendee> = old
        .attendees
        .iter()
        .filter(|a| forgotten.matches(a))
        .collect();

    erase_from_outbox(&folder.join("outbox"), &removed, &forgotten, salt)?;
    let manifest = folder.join("certificates").join(certificates::MANIFEST);
    // The workshop's own key, found from its file (the path the manifest
    // recorded may be relative to wherever `taller run` was started).
    let key = Some(signing::key_path(workshop)).filter(|path| path.exists());
    if manifest.exists() {
        erase_from_manifest(&manifest, &removed, &forgotten, salt, key.as_deref())?;
    }

    let (roster, report) = import::import_workshop_forgetting(workshop, forgotten)?;
    let merged = folder.join("certificates.pdf");
    if merged.exists() {
        certificates::make_merged(workshop, &roster, &merged)?;
    }
    let site_dir = folder.join("site");
    if site_dir.join("index.html").exists() && manifest.exists() {
        site::make_site(
            std::slice::from_ref(&manifest),
            &site_dir,
            key.as_deref(),
            true,
        )?;
    }
    let signin_path = folder.join("signin.pdf");
    if signin_path.exists() {
        signin::make_signin(
            &roster,
            workshop,
            &signin_path,
            super::run::SIGNIN_BLANK_ROWS,
        )?;
    }
    let badges_path = folder.join("badges.pdf");
    if badges_path.exists() {
        badges::make_badges(&roster, workshop, &badges_path, format, false)?;
    }
    let report_path = folder.join("import-report.json");
    if report_path.exists() {
        files::write_private(&report_path, &serde_json::to_vec_pretty(&report)?)?;
    }
    let roster_xlsx = folder.join("roster.xlsx");
    if roster_xlsx.exists() {
        files::write_private(&roster_xlsx, &write_roster_xlsx(&roster, &report.problems)?)?;
    }
    let roster_json = folder.join("roster.json");
    if roster_json.exists() {
        files::write_private(&roster_json, &write_roster_json(&roster)?)?;
    }
    if roster_csv.exists() {
        files::write_private(&roster_csv, &write_roster_csv(&roster)?)?;
    }
    Ok((roster, report))
}

/// Takes the forgotten people out of a purged workshop's record (whose
/// rows hold salted keys) and out of its certificates' manifest, and
/// returns the record the programme's report now counts.
fn erase_from_purged(
    outputs: &Outputs,
    record: Roster,
    forgotten: &Forgotten,
    salt: &Salt,
) -> anyhow::Result<Roster> {
    let manifest = outputs
        .folder
        .join("certificates")
        .join(certificates::MANIFEST);
    if manifest.exists() {
        let key = Some(signing::key_path(&outputs.workshop)).filter(|path| path.exists());
        erase_from_manifest(&manifest, &[], forgotten, salt, key.as_deref())?;
        let site_dir = outputs.folder.join("site");
        if site_dir.join("index.html").exists() {
            site::make_site(
                std::slice::from_ref(&manifest),
                &site_dir,
                key.as_deref(),
                true,
            )?;
        }
    }
    let before = record.attendees.len();
    let kept = Roster {
        attendees: record
            .attendees
            .into_iter()
            .filter(|row| !forgotten.matches(row))
            .collect(),
    };
    if kept.attendees.len() != before {
        files::write_private(
            &super::purge::purged_roster_path(&outputs.workshop),
            &write_roster_csv(&kept)?,
        )?;
    }
    Ok(kept)
}

/// Deletes the person's messages from the outbox — unsent ones are then
/// never sent, sent ones are no longer kept — and rewrites the send log
/// so that it knows their sent messages by a hash of their Message-ID,
/// with no address or file name, and still never sends them again.
fn erase_from_outbox(
    outbox: &Path,
    removed: &[&Attendee],
    forgotten: &Forgotten,
    salt: &Salt,
) -> anyhow::Result<()> {
    if !outbox.is_dir() {
        return Ok(());
    }
    // No `taller send` may read the outbox while it changes.
    let lock_path = outbox.join("send.lock");
    let lock = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock_path)
        .with_context(|| format!("cannot open {}", lock_path.display()))?;
    if lock.try_lock().is_err() {
        bail!(
            "a `taller send` is sending from {} right now; run `taller forget` again when it has finished",
            outbox.display()
        );
    }
    let emails: Vec<String> = removed.iter().map(|a| a.email.to_lowercase()).collect();
    let ids: Vec<String> = removed.iter().map(|a| a.id.to_string()).collect();
    let holds_person = |header: &str| {
        emails
            .iter()
            .any(|e| !e.is_empty() && header.contains(e.as_str()))
            || ids.iter().any(|id| header.contains(id.as_str()))
    };
    let entries = std::fs::read_dir(outbox)
        .with_context(|| format!("cannot read folder {}", outbox.display()))?;
    for entry in entries {
        let path = entry
            .with_context(|| format!("cannot read folder {}", outbox.display()))?
            .path();
        if !path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("eml"))
        {
            continue;
        }
        let bytes = files::read(&path)?;
        let header = header_block(&bytes);
        if holds_person(&header) {
            std::fs::remove_file(&path)
                .with_context(|| format!("cannot delete {}", path.display()))?;
        }
    }

    let log_path = outbox.join(SEND_LOG);
    if !log_path.exists() {
        return Ok(());
    }
    let text = String::from_utf8_lossy(&files::read(&log_path)?).into_owned();
    let mut changed = false;
    let mut rewritten = String::with_capacity(text.len());
    for line in text.lines() {
        let Ok(mut entry) = serde_json::from_str::<sendlog::Entry>(line) else {
            // A torn last line (a killed send) is left for the log to skip.
            rewritten.push_str(line);
            rewritten.push('\n');
            continue;
        };
        let theirs = entry.recipients.iter().any(|r| {
            forgotten.matches(&Attendee {
                email: r.clone(),
                ..Attendee::default()
            }) || emails.contains(&r.to_lowercase())
        }) || holds_person(&entry.message_id.to_lowercase());
        if theirs {
            entry.message_id = format!(
                "<erased.{}@taller>",
                &sha256_hex(format!("{}\0{}", salt.to_hex(), entry.message_id).as_bytes())[..32]
            );
            entry.file = String::new();
            entry.recipients = Vec::new();
            changed = true;
        }
        rewritten.push_str(&serde_json::to_string(&entry)?);
        rewritten.push('\n');
    }
    if changed {
        files::write_private(&log_path, rewritten.as_bytes())?;
    }
    drop(lock);
    Ok(())
}

/// A message's header, unfolded and in lower case (where its recipients
/// and Message-ID are).
fn header_block(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let end = text
        .find("\r\n\r\n")
        .or_else(|| text.find("\n\n"))
        .unwrap_or(text.len());
    text[..end]
        .replace("\r\n ", " ")
        .replace("\n ", " ")
        .to_lowercase()
}

/// Erases the person's entries from a signed `certificates.json` and signs
/// it again: their certificate id, the PDF's hash and a hash of the id and
/// name stay, so a certificate already handed out still verifies (by
/// `taller verify`, and by its QR code, its PDF or its id and name typed on
/// the site); their name, email, attendee id and file go, and so does
/// their certificate file.
fn erase_from_manifest(
    path: &Path,
    removed: &[&Attendee],
    forgotten: &Forgotten,
    salt: &Salt,
    key: Option<&Path>,
) -> anyhow::Result<()> {
    let mut manifest = signing::load_manifest(path)?;
    let before = manifest.clone();
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    for entry in &mut manifest.certificates {
        let theirs = removed.iter().any(|a| a.id == entry.attendee_id)
            || forgotten.matches(&Attendee {
                full_name: entry.name.clone(),
                email: entry.email.clone(),
                ..Attendee::default()
            });
        if !theirs || entry.name_key.is_some() {
            continue;
        }
        if !entry.file.is_empty() && !entry.file.contains(['/', '\\']) && entry.file != ".." {
            let file = dir.join(&entry.file);
            if file.exists() {
                std::fs::remove_file(&file)
                    .with_context(|| format!("cannot delete {}", file.display()))?;
            }
        }
        entry.name_key = Some(name_key(entry.certificate_id.as_str(), &entry.name));
        let pseudonym =
            sha256_hex(format!("{}\0{}", salt.to_hex(), entry.attendee_id.as_str()).as_bytes());
        entry.attendee_id = AttendeeId::new(format!("a-erased-{}", &pseudonym[..16]));
        entry.name.clear();
        entry.email.clear();
        entry.file.clear();
    }
    if manifest == before {
        return Ok(());
    }
    match check_signature(&before) {
        SignatureCheck::Valid(_) => {}
        SignatureCheck::Unsigned | SignatureCheck::Invalid => bail!(
            "{} is not signed, or was changed since it was signed: taller will not sign it again; make the certificates again",
            path.display()
        ),
    }
    let (key, _) = signing::key_for(&before, path, key)?;
    let key_file = before
        .signature
        .as_ref()
        .map(|s| s.key_file.clone())
        .unwrap_or_default();
    sign(&mut manifest, &key, &key_file);
    let json = serde_json::to_vec_pretty(&manifest).context("cannot write the manifest")?;
    files::write_atomic(path, &json)
}

/// One person to forget: the query, their roster rows, the files that
/// mention them.
struct Person {
    who: String,
    rows: Vec<person::RosterRow>,
    mentions: Vec<person::Mention>,
}

/// The sheets and rows that still hold a person (taller never edits them).
fn sheets_lines<'a>(
    out: &mut impl Write,
    places: impl IntoIterator<Item = &'a String>,
) -> std::io::Result<()> {
    // In the order the import met them (file by file, row by row), once each.
    let mut unique: Vec<&String> = Vec::new();
    for place in places {
        if !unique.contains(&place) {
            unique.push(place);
        }
    }
    let places = unique;
    if !places.is_empty() {
        writeln!(
            out,
            "  your registration sheets still hold them (taller never changes them; delete the rows yourself):"
        )?;
        for place in places {
            writeln!(out, "    {place}")?;
        }
    }
    Ok(())
}

fn print_plan(people: &[Person], unfinished: &[Entry], log: &Path) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "Dry run: nothing is changed.")?;
    for Person {
        who,
        rows,
        mentions,
    } in people
    {
        writeln!(
            out,
            "\n{who}: {} roster row(s); these files would be rewritten without them:",
            rows.len()
        )?;
        for mention in mentions {
            writeln!(
                out,
                "  {:<18} {}",
                person::Kind::label(mention.kind),
                mention.file.display()
            )?;
        }
        // Each roster row's sources, beside the roster's folder.
        let places: BTreeSet<String> = rows
            .iter()
            .flat_map(|row| {
                let dir = row.file.parent().unwrap_or_else(|| Path::new(""));
                row.attendee
                    .source
                    .0
                    .iter()
                    .map(move |place| format!("{} (output {})", place, dir.display()))
            })
            .collect();
        sheets_lines(&mut out, &places)?;
    }
    if !unfinished.is_empty() {
        writeln!(
            out,
            "\n{} erasure(s) left pending would be finished.",
            unfinished.len()
        )?;
    }
    writeln!(out, "\nThe erasure would be recorded in {}.", log.display())?;
    Ok(())
}

fn print_done(
    out_dir: &Path,
    people: &[Person],
    still_held: &[String],
    log: &Path,
) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    for Person { who, .. } in people {
        writeln!(
            out,
            "forgotten: {who}, erased from every output in {}",
            out_dir.display()
        )?;
    }
    sheets_lines(&mut out, still_held)?;
    // What is left mentioning them, checked rather than assumed.
    for Person { who, .. } in people {
        let left = person::find(out_dir, who)?;
        for mention in left.files {
            writeln!(
                out,
                "  still mentions {who}: {} ({})",
                mention.file.display(),
                mention.holds.join(", ")
            )?;
        }
    }
    writeln!(out, "erasure log: {}", log.display())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_temporary_names_are_leftovers() {
        assert!(is_temporary(".taller-a1B2c3"));
        assert!(is_temporary(".outbox-Zz9yx8"));
        assert!(is_temporary(".outbox-old-abc123"));
        assert!(!is_temporary(".taller-salt"));
        assert!(!is_temporary(".taller-signing-key"));
        assert!(!is_temporary("roster.csv"));
        assert!(!is_temporary(".taller-abc12/"));
    }
}
