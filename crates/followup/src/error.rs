//! The one error type of the follow-up crate.

use std::path::PathBuf;

use thiserror::Error;

/// What can stop the follow-up emails from being made or sent.
#[derive(Debug, Error)]
pub enum Error {
    /// A file (template, certificate, attachment, send log) cannot be read.
    /// The reason is the source, which `{:#}` prints after the message.
    #[error("cannot read {path}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file (send log) cannot be written.
    #[error("cannot write {path}")]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// No template file matches the template path.
    #[error(
        "no template found for {base}: expected {base}.es.hbs, {base}.en.hbs or {base}.hbs (check [followup] template in the workshop file or --template)"
    )]
    NoTemplate {
        /// The template path without language and extension.
        base: String,
    },
    /// A template's header lines are not `Name: value` lines.
    #[error("{file} line {line}: {message}")]
    TemplateHeader {
        /// Template file name.
        file: String,
        /// 1-based line.
        line: usize,
        /// What is wrong, with the fix.
        message: String,
    },
    /// A template is not valid Handlebars.
    #[error("{file} line {line}: the template is not valid Handlebars: {message}")]
    TemplateSyntax {
        /// Template file name.
        file: String,
        /// 1-based line.
        line: usize,
        /// The parser's explanation.
        message: String,
    },
    /// A placeholder names a value that does not exist.
    #[error(
        "{file} line {line}: placeholder `{placeholder}` does not exist (it fails for {attendee}); use attendee.*, workshop.* or certificate.* names such as attendee.given_name, workshop.title, certificate.id"
    )]
    MissingPlaceholder {
        /// Template file name.
        file: String,
        /// 1-based line.
        line: usize,
        /// The placeholder as written.
        placeholder: String,
        /// An attendee for whom it fails: name, email and roster place.
        attendee: String,
    },
    /// A template fails to render for another reason (a helper's argument).
    #[error("{file} line {line}: {message} (for {attendee})")]
    Render {
        /// Template file name.
        file: String,
        /// 1-based line.
        line: usize,
        /// What went wrong.
        message: String,
        /// An attendee for whom it fails.
        attendee: String,
    },
    /// The sender address (`From:` or `[followup] from`) is missing or invalid.
    #[error("{0}")]
    Sender(String),
    /// `certificates.json` is unreadable or not a certificate manifest.
    #[error("{path} is not a certificates.json written by taller certificates: {message}")]
    Manifest {
        /// The manifest file.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// Certificates are to be attached but there is no `certificates.json`.
    #[error(
        "{path} does not exist, so there are no certificates to attach: run `taller certificates` first, give the folder with --certificates DIR, or set attach_certificate = false under [followup] in the workshop file"
    )]
    NoManifest {
        /// Where it was looked for.
        path: PathBuf,
    },
    /// A message could not be assembled (should not happen once checked).
    #[error("cannot build the message for {attendee}: {message}")]
    Build {
        /// The attendee.
        attendee: String,
        /// lettre's explanation.
        message: String,
    },
    /// The SMTP address or options are not usable.
    #[error("{0}")]
    Smtp(String),
    /// The send log has a line that is not one of ours.
    #[error(
        "{path} line {line} is not a send-log entry ({message}); it must not be edited by hand"
    )]
    SendLog {
        /// The log file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// Why.
        message: String,
    },
}
