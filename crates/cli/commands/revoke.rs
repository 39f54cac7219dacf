//! `taller revoke`: withdraw a certificate in the signed manifest.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::Args;
use taller_model::{CertificateId, Revocation};
use taller_verify::{SignatureCheck, check_signature, sign};

use super::Outcome;
use crate::{files, signing};

#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  taller revoke MAD16-7K3QX2 --manifest out/certificates/certificates.json --reason \"Issued by mistake\"\n\n\
Marks the certificate revoked in certificates.json and signs it again with the organiser's key; \
`taller verify` then says it is revoked. Run `taller site` again to publish the revocation."
)]
pub struct RevokeArgs {
    /// The certificate's number, as printed on it.
    #[arg(value_name = "ID")]
    id: String,
    /// The certificates.json it is listed in.
    #[arg(long, value_name = "certificates.json")]
    manifest: PathBuf,
    /// Why it is withdrawn: shown on the verification page.
    #[arg(long, value_name = "TEXT", default_value = "")]
    reason: String,
    /// The organiser's signing key (default: the one the manifest names).
    #[arg(long, value_name = "PATH")]
    key: Option<PathBuf>,
}

/// A reason is shown on a public page: one line, of a sensible length.
const REASON_LIMIT: usize = 300;

pub fn run(args: RevokeArgs) -> anyhow::Result<Outcome> {
    let path = &args.manifest;
    let mut manifest = signing::load_manifest(path)?;
    match check_signature(&manifest) {
        SignatureCheck::Valid(_) => {}
        SignatureCheck::Unsigned => bail!(
            "{} is not signed (made by an older taller): make the certificates again first",
            path.display()
        ),
        SignatureCheck::Invalid => bail!(
            "{} has been changed since it was signed: make the certificates again rather than sign an edited list",
            path.display()
        ),
    }
    let (key, _) = signing::key_for(&manifest, path, args.key.as_deref())?;
    let id = CertificateId::parse(&args.id).with_context(|| {
        format!(
            "`{}` is not a certificate number such as MAD16-7K3QX2",
            args.id.chars().take(40).collect::<String>()
        )
    })?;
    let reason: String = args
        .reason
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .take(REASON_LIMIT)
        .collect();
    let today = taller_followup::utc_now();
    let Some(entry) = manifest
        .certificates
        .iter_mut()
        .find(|entry| entry.certificate_id == id)
    else {
        bail!("{} lists no certificate {id}", path.display());
    };
    let again = entry.revoked.is_some();
    entry.revoked = Some(Revocation {
        reason,
        date: today.get(..10).unwrap_or(&today).to_owned(),
    });
    let key_file = manifest
        .signature
        .as_ref()
        .map(|s| s.key_file.clone())
        .unwrap_or_default();
    sign(&mut manifest, &key, &key_file);
    let json = serde_json::to_vec_pretty(&manifest).context("cannot write the manifest")?;
    files::write_atomic(path, &json)?;
    writeln!(
        std::io::stdout().lock(),
        "{}revoked certificate {id} in {}; run `taller site` again to publish it",
        if again {
            "already revoked; reason updated: "
        } else {
            ""
        },
        path.display()
    )?;
    Ok(Outcome::Success)
}
