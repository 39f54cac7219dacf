//! `taller verify`: is this PDF a certificate we issued, untouched, and whose
//! is it?

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use taller_print::manifest::{Verdict, verify};
use taller_verify::{SignatureCheck, check_signature, fingerprint};

use super::Outcome;
use super::certificates::MANIFEST;
use crate::{files, signing};

#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  taller verify certificates/MAD16-7K3QX2-ana-ruiz.pdf\n\n\
Checks two things and says which failed: the file's SHA-256 against certificates.json, and the organiser's \
signature on certificates.json (so an edited manifest proves nothing).\n\
Exit status: 0 when the file is a certificate we issued, untouched, not revoked, in a manifest whose signature \
holds; 1 otherwise."
)]
pub struct VerifyArgs {
    /// The certificate PDF to check.
    #[arg(value_name = "FILE.pdf")]
    file: PathBuf,
    /// The manifest written with the certificates (default: certificates.json next to the file).
    #[arg(long, value_name = "certificates.json")]
    manifest: Option<PathBuf>,
}

pub fn run(args: VerifyArgs) -> anyhow::Result<Outcome> {
    let manifest_path = args.manifest.clone().unwrap_or_else(|| {
        args.file
            .parent()
            .map_or_else(|| PathBuf::from(MANIFEST), |dir| dir.join(MANIFEST))
    });
    let manifest = signing::load_manifest(&manifest_path)?;
    let bytes = files::read(&args.file)?;
    let file_name = args
        .file
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let shown = args.file.display();
    let manifest_shown = manifest_path.display();
    let signature = match check_signature(&manifest) {
        SignatureCheck::Valid(key) => Ok(format!(
            "{manifest_shown} is signed by the organiser's key {}",
            fingerprint(&key)
        )),
        SignatureCheck::Unsigned => Err(format!(
            "signature: {manifest_shown} is not signed (made by an older taller), so anyone could have written it; make the certificates again"
        )),
        SignatureCheck::Invalid => Err(format!(
            "signature: {manifest_shown} has been changed since it was signed: its signature does not match"
        )),
    };
    let (message, hash_ok) = match verify(&manifest, &file_name, &bytes) {
        Verdict::Valid(entry) => match &entry.revoked {
            None => (
                format!(
                    "{shown} is certificate {} issued to {}{}",
                    entry.certificate_id,
                    holder(entry),
                    issue_date(&bytes).map_or(String::new(), |date| format!(" on {date}"))
                ),
                true,
            ),
            Some(revoked) => (
                format!(
                    "REVOKED: {shown} is certificate {} issued to {}, revoked on {}: {}",
                    entry.certificate_id,
                    holder(entry),
                    revoked.date,
                    revoked.reason
                ),
                false,
            ),
        },
        Verdict::Modified(entry) => (
            format!(
                "hash: {shown} has been modified since certificate {} was issued to {} (its SHA-256 differs)",
                entry.certificate_id,
                holder(entry)
            ),
            false,
        ),
        Verdict::Unknown => (
            format!(
                "hash: {shown} is not a certificate listed in {manifest_shown} (no file with its SHA-256)"
            ),
            false,
        ),
    };
    let (message, outcome) = match (hash_ok, signature) {
        (true, Ok(signed)) => (format!("valid: {message}; {signed}"), Outcome::Success),
        (true, Err(why)) => (
            format!("NOT VALID: {why} (the file itself matches: {message})"),
            Outcome::ProblemsFound,
        ),
        (false, Ok(_)) if message.starts_with("REVOKED") => (message, Outcome::ProblemsFound),
        (false, Ok(_)) => (format!("NOT VALID: {message}"), Outcome::ProblemsFound),
        (false, Err(why)) => (
            format!("NOT VALID: {message}; and {why}"),
            Outcome::ProblemsFound,
        ),
    };
    writeln!(std::io::stdout().lock(), "{message}")?;
    Ok(outcome)
}

/// Whom a certificate was issued to, as `verify` says it: a person who
/// asked to be forgotten is no longer named.
fn holder(entry: &taller_model::ManifestEntry) -> &str {
    if entry.name.is_empty() && entry.name_key.is_some() {
        "a person whose data was erased at their request"
    } else {
        &entry.name
    }
}

/// The day the PDF says it was made (`/CreationDate (D:20160127…)`), as
/// `2016-01-27`. Only read from a file whose digest matched the manifest.
fn issue_date(pdf: &[u8]) -> Option<String> {
    let key = b"/CreationDate";
    let at = pdf.windows(key.len()).position(|w| w == key)?;
    let rest = pdf.get(at + key.len()..at + key.len() + 40)?;
    let start = rest.windows(2).position(|w| w == b"D:")? + 2;
    let digits = rest.get(start..start + 8)?;
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let text = std::str::from_utf8(digits).ok()?;
    Some(format!("{}-{}-{}", &text[..4], &text[4..6], &text[6..]))
}
