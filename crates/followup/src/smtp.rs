//! Sending an outbox by SMTP exactly once: each `.eml` goes out byte for
//! byte, with the attempt logged before the transaction and the server's
//! answer after it (see [`crate::sendlog`]).

use std::path::{Path, PathBuf};
use std::time::Duration;

use lettre::address::{Address, Envelope};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{SmtpTransport, Transport};
use mail_parser::MessageParser;
use serde::Serialize;

use crate::Error;
use crate::sendlog::{Event, SendLog, Status};

/// How the connection is protected.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Security {
    /// Plain SMTP (a local relay or a test server).
    #[default]
    None,
    /// Plain connection upgraded with STARTTLS (usually port 587).
    StartTls,
    /// TLS from the first byte (usually port 465).
    Tls,
}

/// Where and how to send.
#[derive(Debug, Clone)]
pub struct SmtpSettings {
    /// Server host name.
    pub host: String,
    /// Server port.
    pub port: u16,
    /// Connection security.
    pub security: Security,
    /// User and password, when the server wants a login.
    pub credentials: Option<(String, String)>,
    /// Pause between messages (from `--rate N/min`).
    pub pause: Option<Duration>,
    /// How long to wait for the server.
    pub timeout: Duration,
    /// An extra certificate authority (PEM) to trust, for a server whose
    /// certificate comes from its organisation's own authority.
    pub ca_certificate: Option<Vec<u8>>,
}

impl SmtpSettings {
    /// Parses `smtp://host:port` (or `host:port`, or `host`; the port
    /// defaults to 25, 587 with STARTTLS and 465 with TLS).
    pub fn parse(url: &str, security: Security) -> Result<Self, Error> {
        let rest = url.trim();
        let rest = rest
            .strip_prefix("smtp://")
            .or_else(|| rest.strip_prefix("smtps://"))
            .unwrap_or(rest)
            .trim_end_matches('/');
        let default_port = match security {
            Security::None => 25,
            Security::StartTls => 587,
            Security::Tls => 465,
        };
        let (host, port) = match rest.rsplit_once(':') {
            Some((host, port)) => (
                host,
                port.parse::<u16>().map_err(|_| {
                    Error::Smtp(format!(
                        "`{url}`: `{port}` is not a port number; write the server as smtp://HOST:PORT, e.g. smtp://smtp.example.org:587"
                    ))
                })?,
            ),
            None => (rest, default_port),
        };
        if host.is_empty() || host.contains(['/', '@', ' ']) {
            return Err(Error::Smtp(format!(
                "`{url}` is not a server address; write it as smtp://HOST:PORT, e.g. smtp://smtp.example.org:587"
            )));
        }
        Ok(SmtpSettings {
            host: host.to_owned(),
            port,
            security,
            credentials: None,
            pause: None,
            timeout: Duration::from_secs(60),
            ca_certificate: None,
        })
    }

    fn transport(&self) -> Result<SmtpTransport, Error> {
        let tls_error = |err: lettre::transport::smtp::Error| {
            Error::Smtp(format!("cannot set up TLS for {}: {err}", self.host))
        };
        let parameters = || -> Result<TlsParameters, Error> {
            let mut builder = TlsParameters::builder(self.host.clone());
            if let Some(pem) = &self.ca_certificate {
                let certificate = Certificate::from_pem(pem).map_err(|err| {
                    Error::Smtp(format!("the certificate authority given with --ca-cert is not a PEM certificate: {err}"))
                })?;
                builder = builder.add_root_certificate(certificate);
            }
            builder.build().map_err(tls_error)
        };
        let tls = match self.security {
            Security::None => Tls::None,
            Security::StartTls => Tls::Required(parameters()?),
            Security::Tls => Tls::Wrapper(parameters()?),
        };
        let builder = SmtpTransport::builder_dangerous(&self.host).tls(tls);
        let mut builder = builder.port(self.port).timeout(Some(self.timeout));
        if let Some((user, password)) = &self.credentials {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(builder.build())
    }
}

/// What to do on this run.
#[derive(Debug, Clone, Copy, Default)]
pub struct SendOptions {
    /// Only list what would be sent.
    pub dry_run: bool,
    /// Send again the messages whose fate is unknown.
    pub resend_uncertain: bool,
}

/// One message of the outbox, as reported.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// The `.eml` file name.
    pub file: String,
    /// Its recipients.
    pub recipients: Vec<String>,
    /// The server's answer or the reason, where there is one.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub reply: String,
}

/// The outcome of a `send` run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SendReport {
    /// Accepted by the server on this run.
    pub sent: Vec<Item>,
    /// Already accepted on an earlier run: not sent again.
    pub already_sent: Vec<Item>,
    /// Refused by the server or unreadable (with the answer); retried on the next run.
    pub failed: Vec<Item>,
    /// Tried on an earlier run without a known outcome: not sent unless `--resend-uncertain`.
    pub uncertain: Vec<Item>,
    /// `--dry-run`: what would be sent.
    pub would_send: Vec<Item>,
    /// Why sending stopped before the end (connection refused or lost).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped: Option<String>,
}

/// A message read from the outbox.
struct Outgoing {
    file: String,
    path: PathBuf,
    message_id: String,
    envelope: Result<Envelope, String>,
    recipients: Vec<String>,
}

/// The `.eml` files of an outbox, in name order.
pub fn outbox_files(outbox: &Path) -> Result<Vec<PathBuf>, Error> {
    let read_error = |source| Error::Read {
        path: outbox.to_path_buf(),
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(outbox).map_err(read_error)? {
        let path = entry.map_err(read_error)?.path();
        if path
            .extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("eml"))
            && path.is_file()
        {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Reads the envelope (From and To/Cc addresses) and Message-ID of a
/// message without changing a byte of it.
fn read_outgoing(path: &Path, bytes: &[u8]) -> Outgoing {
    let file = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let parsed = MessageParser::default().parse_headers(bytes);
    let message_id = parsed
        .as_ref()
        .and_then(|m| m.message_id())
        .map(|id| format!("<{id}>"))
        .unwrap_or_default();
    let addresses = |list: Option<&mail_parser::Address<'_>>| -> Vec<String> {
        list.map(|a| {
            a.iter()
                .filter_map(|addr| addr.address().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
    };
    let from = addresses(parsed.as_ref().and_then(|m| m.from()));
    let mut recipients = addresses(parsed.as_ref().and_then(|m| m.to()));
    recipients.extend(addresses(parsed.as_ref().and_then(|m| m.cc())));
    let envelope = envelope(&from, &recipients);
    Outgoing {
        file,
        path: path.to_path_buf(),
        message_id,
        envelope,
        recipients,
    }
}

fn envelope(from: &[String], recipients: &[String]) -> Result<Envelope, String> {
    let Some(sender) = from.first() else {
        return Err("the message has no From address".to_owned());
    };
    let sender: Address = sender
        .parse()
        .map_err(|_| format!("the From address `{sender}` is not valid"))?;
    let to = recipients
        .iter()
        .map(|r| {
            r.parse::<Address>()
                .map_err(|_| format!("the recipient `{r}` is not valid"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Envelope::new(Some(sender), to).map_err(|err| format!("no usable recipient: {err}"))
}

/// An exclusive lock on `send.lock` in the outbox while a `send` runs:
/// two runs at once would both see a message as unsent and both send it.
/// The lock is the operating system's, held through the open file, so it
/// ends with the process however that ends (a crash, a kill, a power cut)
/// and the file left behind never blocks the next run. The file itself is
/// never deleted: a run that deleted it could let a third run lock a new
/// file while a second still holds the old one.
struct SendLock {
    _file: std::fs::File,
}

impl SendLock {
    const NAME: &'static str = "send.lock";

    fn take(outbox: &Path) -> Result<Self, Error> {
        let path = outbox.join(Self::NAME);
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|source| Error::Write {
                path: path.clone(),
                source,
            })?;
        match file.try_lock() {
            Ok(()) => Ok(SendLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(Error::Smtp(format!(
                "another `taller send` is sending from {} right now; wait for it to finish, then run `taller send` again",
                outbox.display()
            ))),
            Err(std::fs::TryLockError::Error(source)) => Err(Error::Write { path, source }),
        }
    }
}

/// How an SMTP error bears on delivery.
enum Failure {
    /// Certainly not delivered (a refusal, or no connection at all): log it
    /// as failed; `stop` when no further message can go either.
    NotDelivered { stop: bool },
    /// The connection broke mid-transaction: the message may have arrived.
    Unknown,
}

fn classify(err: &lettre::transport::smtp::Error) -> Failure {
    use std::error::Error as _;
    let refused = {
        let mut source = err.source();
        let mut found = false;
        while let Some(cause) = source {
            if let Some(io) = cause.downcast_ref::<std::io::Error>() {
                found |= matches!(
                    io.kind(),
                    std::io::ErrorKind::ConnectionRefused | std::io::ErrorKind::AddrNotAvailable
                );
            }
            source = cause.source();
        }
        found
    };
    // Authentication answers (530, 534, 535, 538) will be the same for
    // every message.
    let auth = err
        .status()
        .is_some_and(|code| matches!(code.to_string().as_str(), "530" | "534" | "535" | "538"));
    if err.is_permanent() || err.is_transient() {
        Failure::NotDelivered { stop: auth }
    } else if err.is_client() {
        Failure::NotDelivered { stop: false }
    } else if refused || err.is_tls() || err.to_string().starts_with("Connection error") {
        Failure::NotDelivered { stop: true }
    } else {
        Failure::Unknown
    }
}

/// Sends every `.eml` of `outbox` not yet accepted, exactly once across
/// reruns. `progress` is called after each message.
pub fn send_outbox(
    outbox: &Path,
    smtp: &SmtpSettings,
    options: SendOptions,
    progress: &mut dyn FnMut(&str),
) -> Result<SendReport, Error> {
    let _lock = if options.dry_run {
        None
    } else {
        Some(SendLock::take(outbox)?)
    };
    let mut log = SendLog::open(outbox)?;
    let mut report = SendReport::default();
    let transport = if options.dry_run {
        None
    } else {
        Some(smtp.transport()?)
    };
    let mut first = true;
    for path in outbox_files(outbox)? {
        let bytes = std::fs::read(&path).map_err(|source| Error::Read {
            path: path.clone(),
            source,
        })?;
        let out = read_outgoing(&path, &bytes);
        let item = |reply: String| Item {
            file: out.file.clone(),
            recipients: out.recipients.clone(),
            reply,
        };
        match log.status(&out.file, &out.message_id) {
            Status::Accepted => {
                report.already_sent.push(item(String::new()));
                continue;
            }
            Status::Uncertain if !options.resend_uncertain => {
                report.uncertain.push(item(
                    "tried before without a known outcome; check the recipient got it, then rerun with --resend-uncertain if not".to_owned(),
                ));
                continue;
            }
            Status::New | Status::Uncertain | Status::Failed(_) => {}
        }
        let envelope = match &out.envelope {
            Ok(envelope) => envelope,
            Err(why) => {
                report.failed.push(item(why.clone()));
                continue;
            }
        };
        let Some(transport) = &transport else {
            report.would_send.push(item(String::new()));
            continue;
        };
        if let (Some(pause), false) = (smtp.pause, first) {
            std::thread::sleep(pause);
        }
        first = false;
        // Connecting, TLS and login happen before any message is handed
        // over: a failure there is certain not to have delivered anything,
        // unlike one during the transaction.
        let ready = match transport.test_connection() {
            Ok(true) => Ok(()),
            Ok(false) => Err("the server does not answer".to_owned()),
            Err(err) => Err(err.to_string()),
        };
        if let Err(why) = ready {
            report.stopped = Some(format!(
                "cannot send through {}:{}: {why}; nothing more was sent — fix the server settings and run `taller send` again to resume",
                smtp.host, smtp.port
            ));
            break;
        }
        log.record(
            Event::Attempt,
            &out.file,
            &out.message_id,
            &out.recipients,
            "",
        )?;
        match transport.send_raw(envelope, &bytes) {
            Ok(response) => {
                let reply = format!(
                    "{} {}",
                    response.code(),
                    response.message().collect::<Vec<_>>().join(" ")
                );
                log.record(
                    Event::Accepted,
                    &out.file,
                    &out.message_id,
                    &out.recipients,
                    &reply,
                )?;
                report.sent.push(item(reply));
            }
            Err(err) => {
                let reply = err.to_string();
                match classify(&err) {
                    Failure::NotDelivered { stop } => {
                        log.record(
                            Event::Failed,
                            &out.file,
                            &out.message_id,
                            &out.recipients,
                            &reply,
                        )?;
                        report.failed.push(item(reply.clone()));
                        if stop {
                            report.stopped = Some(format!(
                                "cannot send through {}:{}: {reply}; nothing more was sent — fix the server settings and run `taller send` again to resume",
                                smtp.host, smtp.port
                            ));
                            break;
                        }
                    }
                    Failure::Unknown => {
                        report.uncertain.push(item(reply.clone()));
                        report.stopped = Some(format!(
                            "the connection to {}:{} broke while sending {} ({reply}); it may or may not have arrived, so it is listed as uncertain — run `taller send` again to resume the rest",
                            smtp.host,
                            smtp.port,
                            out.path.display()
                        ));
                        break;
                    }
                }
            }
        }
        progress(&out.file);
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_addresses() {
        let s = SmtpSettings::parse("smtp://mail.example.org:2525", Security::None).expect("valid");
        assert_eq!((s.host.as_str(), s.port), ("mail.example.org", 2525));
        let s = SmtpSettings::parse("mail.example.org", Security::StartTls).expect("valid");
        assert_eq!(s.port, 587);
        assert!(SmtpSettings::parse("smtp://host:port", Security::None).is_err());
        assert!(SmtpSettings::parse("smtp://user@host", Security::None).is_err());
    }

    #[test]
    fn envelopes_come_from_the_headers() {
        let raw = b"From: =?utf-8?b?Sm9zw6k=?= <ong@example.org>\r\nTo: \"Ana\" <ana@x.es>\r\nCc: b@x.es\r\nMessage-ID: <m1@x>\r\nSubject: x\r\n\r\nbody\r\n";
        let out = read_outgoing(Path::new("a.eml"), raw);
        assert_eq!(out.message_id, "<m1@x>");
        assert_eq!(
            out.recipients,
            vec!["ana@x.es".to_owned(), "b@x.es".to_owned()]
        );
        let envelope = out.envelope.expect("envelope");
        assert_eq!(
            envelope.from().map(ToString::to_string).as_deref(),
            Some("ong@example.org")
        );
        let none = read_outgoing(Path::new("b.eml"), b"Subject: x\r\n\r\nbody");
        assert!(none.envelope.is_err());
    }
}
