//! The erasure log, `taller-erasures.jsonl` beside the programme or
//! workshop file: one line per step of each `taller forget` (`pending`
//! when it starts, `done` when every output is rewritten), holding when,
//! which kinds of data, and the forgotten person's salted keys — nothing
//! erased in the clear. Every import reads it to skip forgotten people.

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::{Deserialize, Serialize};
use taller_registration::Forgotten;

use crate::{files, salt};

/// The log's file name, beside the programme or workshop file.
pub const ERASURE_LOG: &str = "taller-erasures.jsonl";

/// Where a `taller forget` stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Started: some outputs may still hold the person (a rerun finishes).
    Pending,
    /// Every output taller wrote was rewritten without the person.
    Done,
}

/// One line of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Which erasure this line is about (the same on its pending and done lines).
    pub erasure: String,
    pub state: State,
    /// UTC time, `2026-12-07T10:15:00Z`.
    pub time: String,
    /// The person's salted keys (`Salt::email_key`, `Salt::name_key`).
    #[serde(default)]
    pub keys: Vec<String>,
    /// The kinds of data erased (`roster`, `email to send`, …).
    #[serde(default)]
    pub kinds: Vec<String>,
}

/// The log beside the programme or workshop file `config`.
pub fn path_beside(config: &Path) -> PathBuf {
    salt::path_beside(config).with_file_name(ERASURE_LOG)
}

/// Every line of the log at `path` (none when there is no log).
pub fn load(path: &Path) -> anyhow::Result<Vec<Entry>> {
    if !path.exists() {
        return Ok(Vec::new());
    }
    let text = String::from_utf8(files::read(path)?)
        .map_err(|_| anyhow::anyhow!("{} is not UTF-8 text", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| {
            serde_json::from_str(line).with_context(|| {
                format!(
                    "{}, line {}: not a line of a taller erasure log",
                    path.display(),
                    index + 1
                )
            })
        })
        .collect()
}

/// Adds `entries` to the log at `path`: the whole log is written anew and
/// renamed into place, so it is never half a line.
pub fn append(path: &Path, entries: &[Entry]) -> anyhow::Result<()> {
    let mut all = load(path)?;
    all.extend_from_slice(entries);
    let mut text = String::new();
    for entry in &all {
        text.push_str(&serde_json::to_string(entry)?);
        text.push('\n');
    }
    files::write_private(path, text.as_bytes())
}

/// Erasures of the log that were started and not finished.
pub fn pending(entries: &[Entry]) -> Vec<&Entry> {
    entries
        .iter()
        .filter(|e| e.state == State::Pending)
        .filter(|e| {
            !entries
                .iter()
                .any(|d| d.state == State::Done && d.erasure == e.erasure)
        })
        .collect()
}

/// Adds the people forgotten in the log beside `config` to `forgotten`.
pub fn add_log(config: &Path, forgotten: &mut Forgotten) -> anyhow::Result<()> {
    let log = path_beside(config);
    let entries = load(&log)?;
    if entries.is_empty() {
        return Ok(());
    }
    let salt_path = salt::path_beside(config);
    let Some(salt) = salt::load(&salt_path)? else {
        anyhow::bail!(
            "{} lists forgotten people but their salt file {} is missing: restore it from your backup",
            log.display(),
            salt_path.display()
        );
    };
    forgotten.add(salt, entries.into_iter().flat_map(|e| e.keys));
    Ok(())
}

/// The people a workshop's import must skip: those of the erasure log
/// beside its file, and of the one beside a programme file in the folder
/// above (a programme is a folder of workshop folders).
pub fn forgotten_for_workshop(workshop: &Path) -> anyhow::Result<Forgotten> {
    let mut forgotten = Forgotten::default();
    add_log(workshop, &mut forgotten)?;
    let dir = workshop
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    if let Ok(dir) = std::path::absolute(dir)
        && let Some(parent) = dir.parent()
    {
        add_log(&parent.join("programme.toml"), &mut forgotten)?;
    }
    Ok(forgotten)
}
