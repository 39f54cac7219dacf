//! `taller site`: the static verification site for one or more signed
//! `certificates.json`, to publish on any web host or open from a folder.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;
use taller_verify::{SITE_ITERATIONS, build_site, fingerprint};

use super::flags::{Force, Quiet};
use super::report::ProgrammeFile;
use super::{Outcome, certificates};
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

/// Workshops of a programme whose certificates lead to one `verify_url`:
/// they are verified on one site, which `taller run` writes once.
pub(crate) struct SharedSite {
    /// Where the site is written (`OUT/site`).
    pub dir: PathBuf,
    pub verify_url: String,
    /// Indexes into the programme's workshops, in its order.
    pub workshops: Vec<usize>,
}

impl SharedSite {
    /// The certificates' manifests of its workshops that exist in `out`
    /// (a purged workshop keeps its own, so its certificates still verify).
    pub fn manifests(&self, programme: &ProgrammeFile, out: &Path) -> Vec<PathBuf> {
        self.workshops
            .iter()
            .filter_map(|&i| programme.workshops.get(i))
            .map(|w| {
                out.join(&w.workshop.workshop.id)
                    .join("certificates")
                    .join(certificates::MANIFEST)
            })
            .filter(|path| path.exists())
            .collect()
    }

    /// The ids of its workshops, for messages.
    pub fn ids(&self, programme: &ProgrammeFile) -> Vec<String> {
        self.workshops
            .iter()
            .filter_map(|&i| programme.workshops.get(i))
            .map(|w| w.workshop.workshop.id.clone())
            .collect()
    }
}

/// The sites a programme's run writes into `out` for workshops that share
/// a `verify_url` (two or more): `out/site`, or `out/site-<first workshop
/// id>` each when several addresses are shared. A workshop alone with its
/// address keeps its own site in its folder.
pub(crate) fn shared_sites(programme: &ProgrammeFile, out: &Path) -> Vec<SharedSite> {
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, workshop) in programme.workshops.iter().enumerate() {
        let Some(url) = &workshop.workshop.certificate.verify_url else {
            continue;
        };
        let url = url.trim();
        match groups.iter_mut().find(|(known, _)| known == url) {
            Some((_, members)) => members.push(i),
            None => groups.push((url.to_owned(), vec![i])),
        }
    }
    groups.retain(|(_, members)| members.len() > 1);
    let several = groups.len() > 1;
    groups
        .into_iter()
        .map(|(verify_url, workshops)| {
            let dir = match workshops.first().and_then(|&i| programme.workshops.get(i)) {
                Some(first) if several => out.join(format!("site-{}", first.workshop.workshop.id)),
                _ => out.join("site"),
            };
            SharedSite {
                dir,
                verify_url,
                workshops,
            }
        })
        .collect()
}

/// The one signing key of a shared site's workshops (`key` when given for
/// all of them): a site is signed by one organiser's key, so workshops
/// that name different keys are refused before anything is written.
pub(crate) fn shared_key(
    programme: &ProgrammeFile,
    site: &SharedSite,
    key: Option<&Path>,
) -> anyhow::Result<PathBuf> {
    if let Some(key) = key {
        return Ok(key.to_path_buf());
    }
    let mut first: Option<(&str, PathBuf)> = None;
    for workshop in site
        .workshops
        .iter()
        .filter_map(|&i| programme.workshops.get(i))
    {
        let path = resolved(&signing::key_path(workshop));
        let id = workshop.workshop.workshop.id.as_str();
        match &first {
            None => first = Some((id, path)),
            Some((first_id, first_path)) if *first_path != path => bail!(
                "{first_id} and {id} share verify_url \"{}\", so their certificates are verified on one site, signed by one key; but {first_id} signs with {} and {id} with {}: name one key in both before their certificates are handed out (under [certificate], e.g. signing_key = \"../{}\"), or give each its own verify_url",
                site.verify_url,
                first_path.display(),
                path.display(),
                taller_model::DEFAULT_SIGNING_KEY
            ),
            Some(_) => {}
        }
    }
    first
        .map(|(_, path)| path)
        .context("a shared verification site has no workshop")
}

/// A key file's path with links and `..` resolved through its folder (the
/// key itself may not be made yet), so that two workshops naming one key
/// by different paths are seen to share it.
fn resolved(path: &Path) -> PathBuf {
    let folder = files::folder_of(path);
    match (std::fs::canonicalize(folder), path.file_name()) {
        (Ok(folder), Some(name)) => folder.join(name),
        _ => std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()),
    }
}
