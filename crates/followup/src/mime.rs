//! MIME assembly with lettre: encoded UTF-8 subject and display names,
//! `multipart/alternative` for text + HTML, `multipart/mixed` with the
//! attachments; and the mbox form of a finished message.

use lettre::Message;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, Mailboxes, MultiPart, SinglePart};

/// A file attached to a message.
#[derive(Debug, Clone)]
pub struct FileAttachment {
    /// The name the recipient sees.
    pub name: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// The addresses of one message, already checked.
#[derive(Debug, Clone)]
pub struct Addresses {
    /// Sender.
    pub from: Mailbox,
    /// The attendee.
    pub to: Mailbox,
    /// Optional Reply-To.
    pub reply_to: Option<Mailbox>,
    /// Copies.
    pub cc: Vec<Mailbox>,
}

/// What a message says: subject, text and optional HTML.
#[derive(Debug, Clone, Copy)]
pub struct Content<'a> {
    /// The subject line.
    pub subject: &'a str,
    /// The plain-text body.
    pub text: &'a str,
    /// The HTML alternative.
    pub html: Option<&'a str>,
}

/// The MIME type of an attachment, from its extension: clients open a PDF
/// inline only when it is labelled `application/pdf`.
pub fn content_type_for(name: &str) -> &'static str {
    let extension = name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "html" | "htm" => "text/html; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "odt" => "application/vnd.oasis.opendocument.text",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

/// Parses one address (`Name <a@b.es>` or `a@b.es`), refusing control
/// characters: lettre panics on CR/LF in a display name and silently drops
/// the header on a tab or NUL.
pub fn mailbox(text: &str) -> Result<Mailbox, String> {
    if text.chars().any(char::is_control) {
        return Err(format!(
            "`{}` contains a line break or control character",
            text.escape_debug()
        ));
    }
    text.trim()
        .parse::<Mailbox>()
        .map_err(|_| format!("`{}` is not an email address", text.trim()))
}

/// Parses a comma-separated list of addresses, with the same checks.
pub fn mailboxes(text: &str) -> Result<Vec<Mailbox>, String> {
    if text.chars().any(char::is_control) {
        return Err(format!(
            "`{}` contains a line break or control character",
            text.escape_debug()
        ));
    }
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    text.trim()
        .parse::<Mailboxes>()
        .map(|list| list.into_iter().collect())
        .map_err(|_| format!("`{}` is not a list of email addresses", text.trim()))
}

/// Builds the message and returns its RFC 5322 bytes (CRLF line ends).
pub fn build(
    addresses: &Addresses,
    content: Content<'_>,
    message_id: String,
    attachments: &[FileAttachment],
) -> Result<Vec<u8>, String> {
    let mut builder = Message::builder()
        .from(addresses.from.clone())
        .to(addresses.to.clone())
        .subject(content.subject)
        .message_id(Some(message_id));
    if let Some(reply_to) = &addresses.reply_to {
        builder = builder.reply_to(reply_to.clone());
    }
    for cc in &addresses.cc {
        builder = builder.cc(cc.clone());
    }
    let text = SinglePart::plain(content.text.to_owned());
    let message = if attachments.is_empty() {
        match content.html {
            Some(html) => builder.multipart(alternative(text, html)),
            None => builder.singlepart(text),
        }
    } else {
        let mut mixed = match content.html {
            Some(html) => MultiPart::mixed().multipart(alternative(text, html)),
            None => MultiPart::mixed().singlepart(text),
        };
        for attachment in attachments {
            let content_type = ContentType::parse(content_type_for(&attachment.name))
                .map_err(|err| err.to_string())?;
            mixed = mixed.singlepart(
                Attachment::new(attachment.name.clone())
                    .body(attachment.bytes.clone(), content_type),
            );
        }
        builder.multipart(mixed)
    };
    message
        .map(|m| m.formatted())
        .map_err(|err| err.to_string())
}

fn alternative(text: SinglePart, html: &str) -> MultiPart {
    MultiPart::alternative()
        .singlepart(text)
        .singlepart(SinglePart::html(html.to_owned()))
}

/// One message as an mbox entry (mboxrd): a `From ` separator line, the
/// message with LF line ends and `From ` lines quoted, and a blank line.
pub fn mbox_entry(message: &[u8], sender: &str, date: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(message.len() + 64);
    out.extend_from_slice(format!("From {sender} {date}\n").as_bytes());
    for line in message.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let unquoted = line.iter().position(|&b| b != b'>').unwrap_or(line.len());
        if line[unquoted..].starts_with(b"From ") {
            out.push(b'>');
        }
        out.extend_from_slice(line);
        out.push(b'\n');
    }
    while out.ends_with(b"\n\n") {
        out.pop();
    }
    out.extend_from_slice(b"\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_never_reach_a_header() {
        assert!(mailbox("Ana\r\nBcc: x@y.es <ana@x.es>").is_err());
        assert!(mailbox("\"Ana\tRuiz\" <ana@x.es>").is_err());
        assert!(mailbox("ana@x.es\0").is_err());
        assert!(mailbox("Equipo ONG <ong@example.org>").is_ok());
        assert!(mailbox("not an address").is_err());
        assert_eq!(mailboxes("a@x.es, B <b@x.es>").map(|l| l.len()), Ok(2));
        assert_eq!(mailboxes(" ").map(|l| l.len()), Ok(0));
    }

    #[test]
    fn mbox_quotes_from_lines() {
        let entry = mbox_entry(
            b"Subject: x\r\n\r\nFrom here\r\n>From there\r\n",
            "a@b",
            "Sat Jan 30 10:00:00 2016",
        );
        assert_eq!(
            String::from_utf8(entry).expect("utf-8"),
            "From a@b Sat Jan 30 10:00:00 2016\nSubject: x\n\n>From here\n>>From there\n\n"
        );
    }

    #[test]
    fn pdfs_are_labelled_as_pdf() {
        assert_eq!(content_type_for("Certificado.PDF"), "application/pdf");
        assert_eq!(content_type_for("noextension"), "application/octet-stream");
    }
}
