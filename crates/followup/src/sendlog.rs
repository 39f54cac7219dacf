//! The append-only send log (`send-log.jsonl` in the outbox): one JSON line
//! per event, written and flushed to disk before the next step, so that a
//! rerun knows what the server already accepted.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::Error;
use crate::clock::utc_now;

/// The log's file name inside the outbox.
pub const SEND_LOG: &str = "send-log.jsonl";

/// What happened to a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Event {
    /// About to be handed to the server (logged before the SMTP transaction).
    Attempt,
    /// The server accepted it.
    Accepted,
    /// The server refused it, or it was certainly not handed over.
    Failed,
}

/// One line of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// UTC time, `2016-01-30T10:15:00Z`.
    pub time: String,
    /// What happened.
    pub event: Event,
    /// The `.eml` file, relative to the outbox.
    pub file: String,
    /// The message's `Message-ID`.
    pub message_id: String,
    /// Envelope recipients.
    pub recipients: Vec<String>,
    /// The server's answer (or the error), empty for an attempt.
    #[serde(default)]
    pub reply: String,
}

/// Where a message stands according to the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Never tried.
    New,
    /// Accepted by the server: never send again.
    Accepted,
    /// Tried, and the process stopped before the outcome was known.
    Uncertain,
    /// Refused last time (with the answer): try again.
    Failed(String),
}

/// The log of one outbox: the status of every message so far, and the open
/// file new events are appended to.
#[derive(Debug)]
pub struct SendLog {
    path: PathBuf,
    status: HashMap<String, Status>,
    file: Option<File>,
}

/// A message is known by its Message-ID, or by its file name when it has
/// none (the log stays meaningful if files are renamed).
fn key(file: &str, message_id: &str) -> String {
    if message_id.is_empty() {
        format!("file:{file}")
    } else {
        message_id.to_owned()
    }
}

impl SendLog {
    /// Reads the log of `outbox` (an absent log is an empty one).
    pub fn open(outbox: &Path) -> Result<Self, Error> {
        let path = outbox.join(SEND_LOG);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(source) => return Err(Error::Read { path, source }),
        };
        let mut status: HashMap<String, Status> = HashMap::new();
        let lines: Vec<&str> = text.lines().collect();
        for (index, line) in lines.iter().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let entry: Entry = match serde_json::from_str(line) {
                Ok(entry) => entry,
                // A killed process can leave a torn last line. Skipping it is
                // safe: a torn attempt means the transaction never began (it
                // starts after the line is on disk), and a torn acceptance
                // leaves the message uncertain, never resent by itself.
                Err(_) if index + 1 == lines.len() && !text.ends_with('\n') => continue,
                Err(err) => {
                    return Err(Error::SendLog {
                        path,
                        line: index + 1,
                        message: err.to_string(),
                    });
                }
            };
            let slot = status
                .entry(key(&entry.file, &entry.message_id))
                .or_insert(Status::New);
            if *slot == Status::Accepted {
                continue;
            }
            *slot = match entry.event {
                Event::Attempt => Status::Uncertain,
                Event::Accepted => Status::Accepted,
                Event::Failed => Status::Failed(entry.reply),
            };
        }
        Ok(SendLog {
            path,
            status,
            file: None,
        })
    }

    /// Where a message stands.
    pub fn status(&self, file: &str, message_id: &str) -> Status {
        self.status
            .get(&key(file, message_id))
            .cloned()
            .unwrap_or(Status::New)
    }

    /// Appends one event and waits until it is on disk.
    pub fn record(
        &mut self,
        event: Event,
        file: &str,
        message_id: &str,
        recipients: &[String],
        reply: &str,
    ) -> Result<(), Error> {
        let entry = Entry {
            time: utc_now(),
            event,
            file: file.to_owned(),
            message_id: message_id.to_owned(),
            recipients: recipients.to_vec(),
            reply: reply.to_owned(),
        };
        let write_error = |source| Error::Write {
            path: self.path.clone(),
            source,
        };
        let mut line =
            serde_json::to_string(&entry).map_err(|err| write_error(std::io::Error::other(err)))?;
        line.push('\n');
        if self.file.is_none() {
            let file = OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.path)
                .map_err(write_error)?;
            // A new log's name must survive a power cut as well as its
            // lines: sync the folder that holds it (Unix can; elsewhere
            // this is best effort).
            #[cfg(unix)]
            {
                let dir = self
                    .path
                    .parent()
                    .filter(|dir| !dir.as_os_str().is_empty())
                    .unwrap_or_else(|| Path::new("."));
                File::open(dir)
                    .and_then(|dir| dir.sync_all())
                    .map_err(write_error)?;
            }
            self.file = Some(file);
        }
        if let Some(file) = self.file.as_mut() {
            file.write_all(line.as_bytes())
                .and_then(|()| file.sync_data())
                .map_err(write_error)?;
        }
        let status = match event {
            Event::Attempt => Status::Uncertain,
            Event::Accepted => Status::Accepted,
            Event::Failed => Status::Failed(reply.to_owned()),
        };
        self.status.insert(key(file, message_id), status);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rerun_sees_what_happened() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut log = SendLog::open(dir.path()).expect("empty log");
        let to = vec!["a@x.es".to_owned()];
        log.record(Event::Attempt, "a.eml", "<a@x>", &to, "")
            .expect("write");
        log.record(Event::Accepted, "a.eml", "<a@x>", &to, "250 OK")
            .expect("write");
        log.record(Event::Attempt, "b.eml", "<b@x>", &to, "")
            .expect("write");
        log.record(Event::Attempt, "c.eml", "<c@x>", &to, "")
            .expect("write");
        log.record(Event::Failed, "c.eml", "<c@x>", &to, "554 no")
            .expect("write");
        let reread = SendLog::open(dir.path()).expect("log");
        assert_eq!(reread.status("a.eml", "<a@x>"), Status::Accepted);
        assert_eq!(reread.status("b.eml", "<b@x>"), Status::Uncertain);
        assert_eq!(
            reread.status("c.eml", "<c@x>"),
            Status::Failed("554 no".into())
        );
        assert_eq!(reread.status("d.eml", "<d@x>"), Status::New);
    }

    #[test]
    fn a_torn_last_line_is_ignored_but_a_bad_middle_line_is_not() {
        let dir = tempfile::tempdir().expect("temp dir");
        let good = r#"{"time":"t","event":"accepted","file":"a.eml","message_id":"<a@x>","recipients":[],"reply":"250"}"#;
        std::fs::write(dir.path().join(SEND_LOG), format!("{good}\n{{\"time\":")).expect("write");
        let log = SendLog::open(dir.path()).expect("torn tail is fine");
        assert_eq!(log.status("a.eml", "<a@x>"), Status::Accepted);
        std::fs::write(dir.path().join(SEND_LOG), format!("garbage\n{good}\n")).expect("write");
        let err = SendLog::open(dir.path()).expect_err("edited").to_string();
        assert!(err.contains("line 1"), "{err}");
    }
}
