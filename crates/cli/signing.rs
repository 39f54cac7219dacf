//! Finding, making and reading the organiser's signing key, and reading and
//! writing signed manifests: the files around `taller_verify`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use taller_model::{CertificateManifest, DEFAULT_SIGNING_KEY};
use taller_verify::OrganiserKey;

use crate::files::{self, WorkshopFile};

/// Where a workshop's signing key is: `[certificate] signing_key`, relative
/// to the workshop file, or `.taller-signing-key` beside it.
pub fn key_path(workshop: &WorkshopFile) -> PathBuf {
    match &workshop.workshop.certificate.signing_key {
        Some(path) => workshop.resolve(path),
        None => workshop.dir.join(DEFAULT_SIGNING_KEY),
    }
}

/// The key at `path`, made there when there is none yet (then `created` is
/// true and the caller says to back it up). Refused inside any of
/// `outputs`: a key there would be published or emailed with them.
pub fn load_or_create(path: &Path, outputs: &[&Path]) -> anyhow::Result<(OrganiserKey, bool)> {
    check_outside(path, outputs)?;
    if path.exists() {
        return Ok((load(path)?, false));
    }
    let key = OrganiserKey::generate()?;
    let dir = files::make_folder_of(path)?;
    // A temporary file is made readable by its owner only; renamed into
    // place without replacing a key made meanwhile.
    let mut temp = files::temp_file_in(dir)
        .with_context(|| format!("cannot write the signing key {}", path.display()))?;
    temp.write_all(key.to_file_text().as_bytes())
        .and_then(|()| temp.as_file().sync_all())
        .with_context(|| format!("cannot write the signing key {}", path.display()))?;
    owner_only(temp.path())?;
    match temp.persist_noclobber(path) {
        Ok(_) => Ok((key, true)),
        // Another run made it first: use that one.
        Err(err) if err.error.kind() == std::io::ErrorKind::AlreadyExists => {
            Ok((load(path)?, false))
        }
        Err(err) => Err(err.error)
            .with_context(|| format!("cannot write the signing key {}", path.display())),
    }
}

#[cfg(unix)]
fn owner_only(path: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
        .with_context(|| format!("cannot make {} private", path.display()))
}

#[cfg(not(unix))]
fn owner_only(_path: &Path) -> anyhow::Result<()> {
    Ok(())
}

/// Reads the key at `path`.
pub fn load(path: &Path) -> anyhow::Result<OrganiserKey> {
    let bytes = files::read(path)?;
    let text = String::from_utf8(bytes).map_err(|_| {
        anyhow::anyhow!("{} is not a taller signing key (not text)", path.display())
    })?;
    Ok(OrganiserKey::from_file_text(
        &text,
        &path.display().to_string(),
    )?)
}

/// The sentence printed when a key is made.
pub fn created_message(path: &Path) -> String {
    format!(
        "created the signing key {}: it signs your certificates. Back it up and keep it secret \
         (never publish or email it): without it you cannot revoke a certificate or publish the \
         verification site again",
        path.display()
    )
}

pub fn check_outside(key: &Path, outputs: &[&Path]) -> anyhow::Result<()> {
    let key_dir = absolute_dir(key.parent().unwrap_or_else(|| Path::new(".")));
    for output in outputs {
        let output = absolute_dir(output);
        if key_dir.starts_with(&output) {
            bail!(
                "the signing key {} would be inside the output folder {}, which is published or \
                 emailed: set [certificate] signing_key in the workshop file to a path outside it",
                key.display(),
                output.display()
            );
        }
    }
    Ok(())
}

/// A folder as an absolute path without `..`, whether or not it exists yet.
fn absolute_dir(dir: &Path) -> PathBuf {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    if let Ok(real) = dir.canonicalize() {
        return real;
    }
    let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let mut out = PathBuf::new();
    for part in absolute.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Reads a `certificates.json`, naming the file in errors.
pub fn load_manifest(path: &Path) -> anyhow::Result<CertificateManifest> {
    serde_json::from_slice(&files::read(path)?).with_context(|| {
        format!(
            "{} is not a certificates manifest written by `taller certificates`",
            path.display()
        )
    })
}

/// The key that signed `manifest`: `key` when given, else the file the
/// manifest names. Its public half must be the manifest's.
pub fn key_for(
    manifest: &CertificateManifest,
    path: &Path,
    key: Option<&Path>,
) -> anyhow::Result<(OrganiserKey, PathBuf)> {
    let key_file = match (key, &manifest.signature) {
        (Some(key), _) => key.to_path_buf(),
        (None, Some(signature)) if !signature.key_file.is_empty() => {
            PathBuf::from(&signature.key_file)
        }
        _ => bail!(
            "{} does not say where its signing key is: give it with --key PATH",
            path.display()
        ),
    };
    let organiser = load(&key_file).with_context(|| {
        format!(
            "cannot read the signing key of {} (give it with --key PATH)",
            path.display()
        )
    })?;
    if let Some(signature) = &manifest.signature
        && signature.public_key != organiser.public_base64()
    {
        bail!(
            "{} was signed with another key than {}: give the right one with --key PATH",
            path.display(),
            key_file.display()
        );
    }
    Ok((organiser, key_file))
}
