//! `taller verify`: is this PDF a certificate we issued, untouched, and whose
//! is it?

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use taller_model::CertificateManifest;
use taller_print::manifest::{Verdict, verify};

use super::Outcome;
use super::certificates::MANIFEST;
use crate::files;

#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  taller verify certificates/MAD16-7K3QX2-ana-ruiz.pdf\n\n\
Exit status: 0 when the file is a certificate we issued and untouched, 1 when it is not."
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
    let manifest: CertificateManifest = serde_json::from_slice(&files::read(&manifest_path)?)
        .with_context(|| {
            format!(
                "{} is not a certificates manifest written by `taller certificates`",
                manifest_path.display()
            )
        })?;
    let bytes = files::read(&args.file)?;
    let file_name = args
        .file
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let shown = args.file.display();
    let (message, outcome) = match verify(&manifest, &file_name, &bytes) {
        Verdict::Valid(entry) => (
            format!(
                "valid: {shown} is certificate {} issued to {}{}",
                entry.certificate_id,
                entry.name,
                issue_date(&bytes).map_or(String::new(), |date| format!(" on {date}"))
            ),
            Outcome::Success,
        ),
        Verdict::Modified(entry) => (
            format!(
                "NOT VALID: {shown} has been modified since certificate {} was issued to {}",
                entry.certificate_id, entry.name
            ),
            Outcome::ProblemsFound,
        ),
        Verdict::Unknown => (
            format!(
                "NOT VALID: {shown} is not a certificate listed in {}",
                manifest_path.display()
            ),
            Outcome::ProblemsFound,
        ),
    };
    writeln!(std::io::stdout().lock(), "{message}")?;
    Ok(outcome)
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
