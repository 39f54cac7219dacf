//! The organiser's salt file, `.taller-salt` beside the programme or
//! workshop file: what salts the keys by which a forgotten or purged person
//! is recognised again (see `taller_model::Salt`).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use taller_model::Salt;

use crate::files;

/// The salt file's name, beside the programme or workshop file.
pub const SALT_FILE: &str = ".taller-salt";

/// Where the salt of the programme or workshop file `config` is.
pub fn path_beside(config: &Path) -> PathBuf {
    config
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."))
        .join(SALT_FILE)
}

/// The salt at `path`, if there is one yet.
pub fn load(path: &Path) -> anyhow::Result<Option<Salt>> {
    if !path.exists() {
        return Ok(None);
    }
    let bytes = files::read(path)?;
    let text = String::from_utf8_lossy(&bytes);
    Salt::from_hex(&text)
        .map(Some)
        .with_context(|| format!("{} is not a taller salt file", path.display()))
}

/// The salt at `path`, made there (readable by its owner only) when there
/// is none yet.
pub fn load_or_create(path: &Path) -> anyhow::Result<Salt> {
    if let Some(salt) = load(path)? {
        return Ok(salt);
    }
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes)
        .map_err(|err| anyhow::anyhow!("cannot draw a random salt: {err}"))?;
    let salt = Salt::from_bytes(bytes);
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    let write_error = || format!("cannot write the salt file {}", path.display());
    let mut temp = files::temp_file_with(dir, files::Access::Private).with_context(write_error)?;
    temp.write_all(salt.to_hex().as_bytes())
        .and_then(|()| temp.as_file().sync_all())
        .with_context(write_error)?;
    match temp.persist_noclobber(path) {
        Ok(_) => Ok(salt),
        // Another run made it first: use that one.
        Err(err) if err.error.kind() == std::io::ErrorKind::AlreadyExists => {
            load(path)?.with_context(|| format!("{} vanished while being read", path.display()))
        }
        Err(err) => Err(err.error).with_context(write_error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_salt_is_made_once_owner_only_and_read_back() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = path_beside(&dir.path().join("programme.toml"));
        assert_eq!(load(&path)?, None);
        let made = load_or_create(&path)?;
        assert_eq!(load_or_create(&path)?, made);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path)?.permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(&path, "not a salt")?;
        let err = load(&path).err().map(|err| format!("{err:#}"));
        assert!(
            err.as_deref()
                .is_some_and(|err| err.contains("is not a taller salt file")),
            "{err:?}"
        );
        Ok(())
    }
}
