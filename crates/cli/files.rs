//! Reading inputs and writing outputs at the binary's edge: every error
//! names the file, and every output appears complete or not at all.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use taller_model::{Roster, Workshop};

/// Reads a whole input file, naming it in the error.
/// The folder `path` is in: `.` for a bare file name.
pub fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."))
}

/// [`folder_of`] `path`, made first if it does not exist yet.
pub fn make_folder_of(path: &Path) -> anyhow::Result<&Path> {
    let dir = folder_of(path);
    fs::create_dir_all(dir).with_context(|| format!("cannot create folder {}", dir.display()))?;
    Ok(dir)
}

pub fn read(path: &Path) -> anyhow::Result<Vec<u8>> {
    fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

/// A workshop file and the folder its relative paths start from.
pub struct WorkshopFile {
    pub workshop: Workshop,
    pub dir: PathBuf,
    pub path: PathBuf,
}

impl WorkshopFile {
    /// A path written in the workshop file, resolved against its folder.
    pub fn resolve(&self, relative: &str) -> PathBuf {
        self.dir.join(relative)
    }
}

/// Loads and checks a `workshop.toml`.
pub fn load_workshop(path: &Path) -> anyhow::Result<WorkshopFile> {
    let bytes = read(path)?;
    let text = String::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("{} is not UTF-8 text", path.display()))?;
    let workshop = Workshop::from_toml(&text)
        .with_context(|| format!("{} is not a usable workshop file", path.display()))?;
    let dir = folder_of(path).to_path_buf();
    Ok(WorkshopFile {
        workshop,
        dir,
        path: path.to_path_buf(),
    })
}

/// Loads a roster written by `taller import`.
pub fn load_roster(path: &Path) -> anyhow::Result<Roster> {
    let bytes = read(path)?;
    Ok(taller_registration::read_roster(
        &bytes,
        &path.display().to_string(),
    )?)
}

/// Refuses to replace an existing file unless `force` is set.
pub fn check_overwrite(path: &Path, force: bool) -> anyhow::Result<()> {
    if !force && path.exists() {
        bail!(
            "{} already exists; use --force to replace it",
            path.display()
        );
    }
    Ok(())
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder,
/// renamed into place, so an interrupted run never leaves half a file.
///
/// No fsync: the rename already hides half-written files from a killed
/// process, and syncing each of 10,000 certificates would cost more than
/// making them. (The send log, where durability matters, syncs itself.)
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    write_atomic_with(path, |file| Ok(file.write_all(bytes)?))
}

/// [`write_atomic`] for an output that holds personal data (a roster, an
/// import report, a person's export): readable by its owner only.
pub fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    write_private_with(path, |file| Ok(file.write_all(bytes)?))
}

/// [`write_private`] for content written piece by piece by `write`.
pub fn write_private_with(
    path: &Path,
    write: impl FnOnce(&mut fs::File) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    write_in_place(path, Access::Private, write)
}

/// [`write_atomic`] for content written piece by piece by `write`.
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut fs::File) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    write_in_place(path, Access::Shared, write)
}

/// Who may read an output once it is in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Read for everyone, as the umask allows: certificates, handouts and
    /// printouts are shared with colleagues.
    Shared,
    /// The owner only (files 0600, folders 0700 on Unix): rosters, reports
    /// on the import and outboxes hold people's emails and phones, which
    /// other accounts on the machine have no business reading.
    Private,
}

impl Access {
    /// The Unix mode of a file written with this access.
    pub fn file_mode(self) -> u32 {
        match self {
            Access::Shared => 0o644,
            Access::Private => 0o600,
        }
    }

    /// The Unix mode of a folder written with this access.
    pub fn dir_mode(self) -> u32 {
        match self {
            Access::Shared => 0o755,
            Access::Private => 0o700,
        }
    }
}

fn write_in_place(
    path: &Path,
    access: Access,
    write: impl FnOnce(&mut fs::File) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let dir = make_folder_of(path)?;
    let mut temp = temp_file_with(dir, access)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    write(temp.as_file_mut()).with_context(|| format!("cannot write {}", path.display()))?;
    temp.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// A temporary file in `dir` that, once renamed into place, has ordinary
/// permissions (read for everyone, as the umask allows) rather than the
/// owner-only ones temporary files get: outputs are shared with colleagues.
pub fn temp_file_in(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    temp_file_with(dir, Access::Shared)
}

/// A temporary file in `dir` with the permissions of `access` from the
/// start, so a private output is never readable by others, not even while
/// it is being written.
pub fn temp_file_with(dir: &Path, access: Access) -> std::io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".taller-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(access.file_mode()));
    }
    #[cfg(not(unix))]
    let _ = access;
    builder.tempfile_in(dir)
}

/// A temporary folder in `dir` with the permissions of `access`, to be
/// renamed into place whole (an outbox).
pub fn temp_dir_with(
    dir: &Path,
    prefix: &str,
    access: Access,
) -> std::io::Result<tempfile::TempDir> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(access.dir_mode()));
    }
    #[cfg(not(unix))]
    let _ = access;
    builder.tempdir_in(dir)
}

/// Seconds since 1970 for PDF creation dates: `SOURCE_DATE_EPOCH` when set
/// (reproducible builds of the same inputs), else now.
pub fn now_unix() -> i64 {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
        })
}

/// Writes a command's summary as JSON on stdout (`--json`).
pub fn print_json(summary: &impl serde::Serialize) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut stdout, summary)?;
    writeln!(stdout)?;
    Ok(())
}

/// The workshop's logo (`[workshop] logo`), decoded, when it names one.
pub fn load_logo(
    workshop: &WorkshopFile,
) -> anyhow::Result<Option<taller_print::pdf::DecodedImage>> {
    let Some(logo) = &workshop.workshop.workshop.logo else {
        return Ok(None);
    };
    let path = workshop.resolve(logo);
    let bytes = read(&path)?;
    let decoded = taller_print::pdf::DecodedImage::decode(&bytes, &path.display().to_string())
        .with_context(|| format!("the logo in {} cannot be used", workshop.path.display()))?;
    Ok(Some(decoded))
}
