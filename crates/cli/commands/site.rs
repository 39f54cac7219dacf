//! `taller site`: the static verification site for one or more signed
//! `certificates.json`, to publish on any web host or open from a folder.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;
use taller_verify::{SITE_ITERATIONS, build_site, fingerprint};

use super::Outcome;
use super::flags::{Force, Quiet};
use crate::messages::{self, message};
use crate::{files, signing};

#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  taller site --manifest out/certificates/certificates.json -o site\n  \
taller site --manifest madrid/certificates.json --manifest sevilla/certificates.json -o site --key ~/taller.key\n\n\
Writes index.html, site.js, site.css, nacl.min.js (with its licence) and data.js: upload the folder to any \
static web host at the address of [certificate] verify_url, or open index.html from the folder. No attendee's \
name or email is in it in the clear; each certificate's entry opens only with its QR code's address, its \
number and the name as printed, or its PDF. Run it again after `taller revoke` to publish the revocation. \
Without --force, it writes only into a folder with no index.html, or over an earlier taller site."
)]
pub struct SiteArgs {
    /// A certificates.json written by `taller certificates` (repeat for several workshops).
    #[arg(long, value_name = "certificates.json", required = true)]
    manifest: Vec<PathBuf>,
    /// The folder to write the site into.
    #[arg(short, long, value_name = "DIR")]
    output: PathBuf,
    /// The organiser's signing key (default: the one the first manifest names).
    #[arg(long, value_name = "PATH")]
    key: Option<PathBuf>,
    #[command(flatten)]
    force: Force,
    #[command(flatten)]
    quiet: Quiet,
}

pub fn run(args: SiteArgs) -> anyhow::Result<Outcome> {
    messages::set_quiet(args.quiet.quiet);
    let made = make_site(
        &args.manifest,
        &args.output,
        args.key.as_deref(),
        args.force.force,
    )?;
    message!(
        "verification site for {} certificate{} written to {} (organiser's key {})",
        made.certificates,
        if made.certificates == 1 { "" } else { "s" },
        args.output.display(),
        made.fingerprint
    );
    message!(
        "open {} or publish the folder",
        args.output.join("index.html").display()
    );
    Ok(Outcome::Success)
}

/// What `make_site` wrote.
pub(crate) struct SiteSummary {
    pub certificates: usize,
    pub fingerprint: String,
}

/// Writes the site of `manifests` into `out`: the step `taller site` and
/// `taller run` share.
pub(crate) fn make_site(
    manifests: &[PathBuf],
    out: &Path,
    key: Option<&Path>,
    force: bool,
) -> anyhow::Result<SiteSummary> {
    let mut loaded = Vec::with_capacity(manifests.len());
    for path in manifests {
        loaded.push((path.display().to_string(), signing::load_manifest(path)?));
    }
    let Some((first_path, first)) = manifests.first().zip(loaded.first()) else {
        bail!("give at least one --manifest certificates.json");
    };
    let (organiser, key_file) = signing::key_for(&first.1, first_path, key)?;
    signing::check_outside(&key_file, &[out])?;
    let index = out.join("index.html");
    if !force && index.exists() {
        let existing = std::fs::read_to_string(&index).unwrap_or_default();
        if !existing.contains("name=\"taller-public-key\"") {
            bail!(
                "{} exists and is not a taller verification site: choose another folder or use --force",
                index.display()
            );
        }
    }
    let today = taller_followup::utc_now();
    let files = build_site(
        &loaded,
        &organiser,
        today.get(..10).unwrap_or(&today),
        SITE_ITERATIONS,
    )?;
    std::fs::create_dir_all(out)
        .with_context(|| format!("cannot create folder {}", out.display()))?;
    // data.js last: a site half-written by a crash still refuses to verify.
    for file in &files {
        files::write_atomic(&out.join(file.name), &file.bytes)?;
    }
    Ok(SiteSummary {
        certificates: loaded.iter().map(|(_, m)| m.certificates.len()).sum(),
        fingerprint: fingerprint(&organiser.public_base64()),
    })
}
