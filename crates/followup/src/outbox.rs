//! Who gets which message, the strict check of every template against every
//! attendee, and building each message on demand (so that 10,000 messages
//! never sit in memory at once).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use handlebars::Context;
use lettre::message::Mailbox;
use rayon::prelude::*;
use serde::Serialize;
use taller_model::{
    Answer, Attendee, AttendeeId, CertificateId, CertificateManifest, Language, ManifestEntry,
    Place, Problem, ProblemKind, Roster, Workshop, file_stem, slug,
};

use crate::mime::{self, Addresses, Content, FileAttachment};
use crate::template::{Kind, Rendered, Templates};
use crate::{Error, context};

/// Which attendees get a message.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Audience {
    /// Only those who came (the thank-you message).
    Attended,
    /// Only those who registered and did not come (the `missed` message).
    Missed,
    /// Both.
    #[default]
    All,
}

/// Everything `followup` needs besides the workshop and the roster, with
/// paths already resolved by the caller.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Template path without language and extension (`…/templates/followup`).
    pub template: PathBuf,
    /// Default sender (`[followup] from`); a template's `From:` wins.
    pub from: Option<String>,
    /// Default Reply-To (`[followup] reply_to`); a template's `Reply-To:` wins.
    pub reply_to: Option<String>,
    /// Attach each attendee's certificate.
    pub attach_certificate: bool,
    /// Files attached to every message.
    pub attach: Vec<PathBuf>,
    /// The folder holding `certificates.json` and the certificate PDFs.
    pub certificates: PathBuf,
    /// Who gets a message.
    pub audience: Audience,
    /// The roster's file name, used to place problems (`roster.csv, row 7`).
    pub roster_name: String,
}

/// What `followup` found: how many messages, and everyone left out or
/// written to in another language, with the reason.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FollowupSummary {
    /// Messages made.
    pub messages: usize,
    /// Of which thank-you messages.
    pub attended: usize,
    /// Of which `missed` messages.
    pub missed: usize,
    /// Messages per language code.
    pub languages: BTreeMap<String, usize>,
    /// Attendees outside the chosen `--audience`.
    pub outside_audience: usize,
    /// Who got no message (and why), and who got one in another language.
    pub problems: Vec<Problem>,
    /// The roster's attendees by their answer to the consent question:
    /// only `yes` and `unknown` are written to.
    pub consent: taller_model::ConsentCounts,
}

impl FollowupSummary {
    /// Attendees left out for a reason the coordinator should see.
    pub fn left_out(&self) -> usize {
        self.problems
            .iter()
            .filter(|p| p.kind != ProblemKind::LanguageFallback)
            .count()
    }
}

/// One finished message.
#[derive(Debug, Clone)]
pub struct OutboxMessage {
    /// Safe file name, `<certificate id>-<name>.eml`.
    pub file_name: String,
    /// The recipient as written in `To:`.
    pub to: String,
    /// The RFC 5322 bytes.
    pub bytes: Vec<u8>,
}

/// A message decided on, not yet rendered.
#[derive(Debug, Clone)]
struct Planned {
    attendee: usize,
    kind: Kind,
    language: Language,
    stem: String,
    to: Mailbox,
    certificate: Option<Certificate>,
}

#[derive(Debug, Clone)]
struct Certificate {
    id: String,
    path: PathBuf,
    name: String,
    /// SHA-256 recorded in `certificates.json` (empty when not recorded).
    sha256: String,
    /// The address of its QR code (with its token), when recorded.
    url: Option<String>,
}

impl Certificate {
    /// Refuses a file that is not the certificate issued (replaced or
    /// damaged since): nobody gets a wrong certificate.
    fn check(&self) -> Result<(), String> {
        if self.sha256.is_empty() {
            return Ok(());
        }
        let bytes = std::fs::read(&self.path).map_err(|err| {
            format!(
                "cannot read their certificate {}: {err}",
                self.path.display()
            )
        })?;
        let hex = taller_model::sha256_hex(&bytes);
        if hex.eq_ignore_ascii_case(&self.sha256) {
            Ok(())
        } else {
            Err(format!(
                "their certificate {} is not the one issued (its SHA-256 differs from certificates.json); run `taller certificates` again",
                self.path.display()
            ))
        }
    }
}

/// The follow-up messages of one workshop: planned and checked, built one
/// at a time by [`Followup::message`].
#[derive(Debug)]
pub struct Followup<'a> {
    workshop: &'a Workshop,
    roster: &'a Roster,
    settings: Settings,
    templates: Templates,
    attachments: Vec<FileAttachment>,
    from: Option<Mailbox>,
    reply_to: Option<Mailbox>,
    planned: Vec<Planned>,
    summary: FollowupSummary,
    run_stamp: String,
}

impl<'a> Followup<'a> {
    /// Loads the templates and attachments, decides who gets which message,
    /// and renders every template for every one of them, so that a template
    /// mistake stops everything before any file is written.
    ///
    /// Who gets what, as certificates decide it too: in a roster without
    /// attendance everyone gets the thank-you; with attendance recorded,
    /// `attended=yes` gets the thank-you and `attended=no` the `missed`
    /// message (nothing without a `missed` template), and an attendee whose
    /// attendance is unknown gets nothing and is listed: thanking someone
    /// for coming, with no certificate, could be wrong. `consent=no`, no
    /// usable address, or a control character in the name or address leaves
    /// the attendee out, listed in the summary with the reason.
    pub fn prepare(
        workshop: &'a Workshop,
        roster: &'a Roster,
        settings: Settings,
    ) -> Result<Self, Error> {
        let templates = Templates::load(&settings.template)?;
        let attachments = settings
            .attach
            .iter()
            .map(|path| read_attachment(path))
            .collect::<Result<Vec<_>, _>>()?;
        let from = settings
            .from
            .as_deref()
            .map(|text| {
                mime::mailbox(text).map_err(|why| {
                    Error::Sender(format!(
                        "[followup] from: {why}; write it as `Equipo ONG <ong@example.org>`"
                    ))
                })
            })
            .transpose()?;
        let reply_to = settings
            .reply_to
            .as_deref()
            .map(|text| {
                mime::mailbox(text)
                    .map_err(|why| Error::Sender(format!("[followup] reply_to: {why}")))
            })
            .transpose()?;
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let mut followup = Followup {
            workshop,
            roster,
            settings,
            templates,
            attachments,
            from,
            reply_to,
            planned: Vec::new(),
            summary: FollowupSummary {
                consent: roster.consent_counts(),
                ..FollowupSummary::default()
            },
            run_stamp: format!("{nanos:x}"),
        };
        followup.plan()?;
        followup.check()?;
        for planned in &followup.planned {
            followup.summary.messages += 1;
            match planned.kind {
                Kind::Attended => followup.summary.attended += 1,
                Kind::Missed => followup.summary.missed += 1,
            }
            *followup
                .summary
                .languages
                .entry(planned.language.to_string())
                .or_default() += 1;
        }
        Ok(followup)
    }

    /// The summary: counts and everyone left out.
    pub fn summary(&self) -> &FollowupSummary {
        &self.summary
    }

    /// Number of messages.
    pub fn len(&self) -> usize {
        self.planned.len()
    }

    /// True when nobody gets a message.
    pub fn is_empty(&self) -> bool {
        self.planned.is_empty()
    }

    /// The message for the attendee with this email, name, certificate id or
    /// attendee id (case does not matter).
    pub fn find(&self, who: &str) -> Option<usize> {
        let who = who.trim().to_lowercase();
        self.planned.iter().position(|planned| {
            let a = &self.roster.attendees[planned.attendee];
            a.email.to_lowercase() == who
                || a.display_name().to_lowercase() == who
                || a.id.as_str().to_lowercase() == who
                || a.certificate_id
                    .as_ref()
                    .is_some_and(|id| id.as_str().to_lowercase() == who)
        })
    }

    fn place(&self, index: usize) -> Place {
        // Row 1 of the roster file is its header.
        let row = u32::try_from(index + 2).unwrap_or(u32::MAX);
        Place::file(self.settings.roster_name.clone()).with_row(row)
    }

    fn who(&self, index: usize) -> String {
        let a = &self.roster.attendees[index];
        format!(
            "{} <{}> ({}, row {})",
            a.display_name().escape_debug(),
            a.email.escape_debug(),
            self.settings.roster_name,
            index + 2
        )
    }

    fn plan(&mut self) -> Result<(), Error> {
        let records_attendance = self.roster.records_attendance();
        let manifest = self.load_manifest()?;
        // One lookup per attendee (a linear search would be quadratic), by
        // certificate id first: a hand-edited roster may repeat an attendee
        // id, and nobody may get someone else's certificate.
        let issued = manifest.as_ref().map(Issued::new);
        let workshop_language = self.workshop.workshop.language.clone();
        let mut stems = HashSet::new();
        let mut problems = Vec::new();
        let mut planned = Vec::new();
        for (index, attendee) in self.roster.attendees.iter().enumerate() {
            let place = self.place(index);
            let name = attendee.display_name();
            let kind = match attendee.attended {
                Answer::Yes => Kind::Attended,
                Answer::Unknown if !records_attendance => Kind::Attended,
                Answer::No => Kind::Missed,
                Answer::Unknown => {
                    problems.push(Problem::warning(
                        ProblemKind::Note,
                        place,
                        format!("{name}: attendance not recorded while others' is, so no message; mark attended yes or no in the roster"),
                    ));
                    continue;
                }
            };
            let wanted = matches!(
                (self.settings.audience, kind),
                (Audience::All, _)
                    | (Audience::Attended, Kind::Attended)
                    | (Audience::Missed, Kind::Missed)
            );
            if !wanted {
                self.summary.outside_audience += 1;
                continue;
            }
            if attendee.consent == Answer::No {
                problems.push(Problem::warning(
                    ProblemKind::NoConsent,
                    place,
                    format!("{name} said no to being contacted (consent=no): no message"),
                ));
                continue;
            }
            if kind == Kind::Missed && !self.templates.has(Kind::Missed) {
                problems.push(Problem::warning(
                    ProblemKind::Note,
                    place,
                    format!(
                        "{name} did not attend and there is no `missed` template ({}.missed.es.hbs): no message",
                        self.settings.template.display()
                    ),
                ));
                continue;
            }
            let to = match recipient(attendee, &name) {
                Ok(to) => to,
                Err((kind, why)) => {
                    problems.push(Problem::error(kind, place, why));
                    continue;
                }
            };
            let Some(language) =
                self.templates
                    .choose(kind, attendee.language.as_ref(), &workshop_language)
            else {
                problems.push(Problem::warning(
                    ProblemKind::Note,
                    place,
                    format!(
                        "{name}: there is no template for this message in any language ({}.*.hbs): no message",
                        self.settings.template.display()
                    ),
                ));
                continue;
            };
            if let Some(own) = &attendee.language
                && own != &language
            {
                problems.push(Problem::warning(
                    ProblemKind::LanguageFallback,
                    place.clone(),
                    format!(
                        "{name} writes in `{own}` but there is no template in that language: sent in `{language}`"
                    ),
                ));
            }
            let certificate = if kind == Kind::Attended
                && self.settings.attach_certificate
                && let Some(issued) = issued.as_ref()
            {
                match self.certificate_for(issued.find(attendee)) {
                    Ok(certificate) => Some(certificate),
                    Err(why) => {
                        problems.push(Problem::error(
                            ProblemKind::Note,
                            place,
                            format!("{name}: {why}; no message"),
                        ));
                        continue;
                    }
                }
            } else {
                None
            };
            let stem = unique_stem(&mut stems, attendee, &name, index);
            planned.push(Planned {
                attendee: index,
                kind,
                language,
                stem,
                to,
                certificate,
            });
        }
        if manifest.is_none()
            && self.settings.attach_certificate
            && planned.iter().any(|p| p.kind == Kind::Attended)
        {
            return Err(Error::NoManifest {
                path: self.settings.certificates.join("certificates.json"),
            });
        }
        self.summary.problems = problems;
        self.planned = planned;
        Ok(())
    }

    /// `certificates.json`, when certificates are attached and anyone came.
    fn load_manifest(&self) -> Result<Option<CertificateManifest>, Error> {
        if !self.settings.attach_certificate {
            return Ok(None);
        }
        let path = self.settings.certificates.join("certificates.json");
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(Error::Read { path, source }),
        };
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|err| Error::Manifest {
                path,
                message: err.to_string(),
            })
    }

    fn certificate_for(&self, entry: Option<&ManifestEntry>) -> Result<Certificate, String> {
        let manifest_path = self.settings.certificates.join("certificates.json");
        let Some(entry) = entry else {
            return Err(format!(
                "no certificate was issued to them in {} (run `taller certificates` again after changing the roster)",
                manifest_path.display()
            ));
        };
        let relative = Path::new(&entry.file);
        if !relative
            .components()
            .all(|part| matches!(part, Component::Normal(_)))
        {
            return Err(format!(
                "{} names the file `{}`, which is outside the certificates folder",
                manifest_path.display(),
                entry.file
            ));
        }
        let path = self.settings.certificates.join(relative);
        if !path.is_file() {
            return Err(format!(
                "their certificate {} is missing (run `taller certificates` again)",
                path.display()
            ));
        }
        let name = relative
            .file_name()
            .map_or_else(|| entry.file.clone(), |n| n.to_string_lossy().into_owned());
        Ok(Certificate {
            id: entry.certificate_id.to_string(),
            path,
            name,
            sha256: entry.sha256.trim().to_owned(),
            url: entry.url.clone(),
        })
    }

    /// The values of one attendee's messages that do not depend on the
    /// language: `attendee.*` and `certificate.*`.
    fn base_value(&self, planned: &Planned) -> serde_json::Value {
        let attendee = &self.roster.attendees[planned.attendee];
        let id = planned.certificate.as_ref().map_or_else(
            || {
                attendee
                    .certificate_id
                    .as_ref()
                    .map(|id| id.to_string())
                    .unwrap_or_default()
            },
            |c| c.id.clone(),
        );
        let file = planned
            .certificate
            .as_ref()
            .map(|c| c.name.clone())
            .unwrap_or_default();
        // The certificate's own QR address opens its verdict at once;
        // without one, the page asks for the name.
        let recorded = planned.certificate.as_ref().and_then(|c| c.url.clone());
        let verify_url = if let Some(url) = recorded {
            url
        } else if id.is_empty() {
            String::new()
        } else {
            self.workshop
                .certificate
                .verify_url_for(&id)
                .unwrap_or_default()
        };
        context::message(
            context::attendee(attendee),
            serde_json::Value::Null,
            context::certificate(self.workshop, &id, &file, &verify_url),
            &planned.language,
        )
    }

    /// The full context in `language`: `workshop.*` with the date written
    /// in it, and `message.language`.
    fn localised(&self, mut value: serde_json::Value, language: &Language) -> Context {
        value["workshop"] = context::workshop(self.workshop, language);
        value["message"]["language"] = serde_json::Value::String(language.code().to_owned());
        Context::from(value)
    }

    fn context(&self, planned: &Planned, language: &Language) -> Context {
        self.localised(self.base_value(planned), language)
    }

    /// Every template variant, rendered for every planned attendee (in
    /// parallel). A template error stops everything (the first in roster
    /// order is reported); an attendee whose rendered headers are unusable
    /// is left out and listed.
    fn check(&mut self) -> Result<(), Error> {
        let variants = self.templates.all_variants();
        let outcomes: Vec<Result<Option<String>, Error>> = self
            .planned
            .par_iter()
            .map(|planned| {
                let who = self.who(planned.attendee);
                if let Some(Err(why)) = planned.certificate.as_ref().map(Certificate::check) {
                    return Ok(Some(why));
                }
                let base = self.base_value(planned);
                for (kind, language) in &variants {
                    let language = language.clone().unwrap_or_else(|| planned.language.clone());
                    let context = self.localised(base.clone(), &language);
                    let rendered = self.templates.render(*kind, &language, &context, &who)?;
                    if let Err(why) = self.addresses(planned, &rendered) {
                        return Ok(Some(why));
                    }
                }
                Ok(None)
            })
            .collect();
        let mut kept = Vec::with_capacity(self.planned.len());
        for (planned, outcome) in std::mem::take(&mut self.planned).into_iter().zip(outcomes) {
            match outcome? {
                None => kept.push(planned),
                Some(why) => {
                    let name = self.roster.attendees[planned.attendee].display_name();
                    self.summary.problems.push(Problem::error(
                        ProblemKind::RejectedRow,
                        self.place(planned.attendee),
                        format!("{name}: {why}; no message"),
                    ));
                }
            }
        }
        self.planned = kept;
        Ok(())
    }

    fn addresses(&self, planned: &Planned, rendered: &Rendered) -> Result<Addresses, String> {
        let from = match &rendered.from {
            Some(text) => mime::mailbox(text).map_err(|why| format!("From: {why}"))?,
            None => self.from.clone().ok_or_else(|| {
                "no sender: add `From: Equipo <ong@example.org>` to the template or `from = …` under [followup] in the workshop file".to_owned()
            })?,
        };
        let reply_to = match &rendered.reply_to {
            Some(text) => Some(mime::mailbox(text).map_err(|why| format!("Reply-To: {why}"))?),
            None => self.reply_to.clone(),
        };
        let cc = match &rendered.cc {
            Some(text) => mime::mailboxes(text).map_err(|why| format!("Cc: {why}"))?,
            None => Vec::new(),
        };
        Ok(Addresses {
            from,
            to: planned.to.clone(),
            reply_to,
            cc,
        })
    }

    /// Renders and assembles message `index` (0-based, roster order).
    pub fn message(&self, index: usize) -> Result<OutboxMessage, Error> {
        let Some(planned) = self.planned.get(index) else {
            return Err(Error::Build {
                attendee: format!("message {index}"),
                message: "there is no such message".to_owned(),
            });
        };
        let who = self.who(planned.attendee);
        let context = self.context(planned, &planned.language);
        let rendered = self
            .templates
            .render(planned.kind, &planned.language, &context, &who)?;
        let build_error = |message: String| Error::Build {
            attendee: who.clone(),
            message,
        };
        let addresses = self.addresses(planned, &rendered).map_err(build_error)?;
        let mut attachments = Vec::with_capacity(self.attachments.len() + 1);
        if let Some(certificate) = &planned.certificate {
            let bytes = std::fs::read(&certificate.path).map_err(|source| Error::Read {
                path: certificate.path.clone(),
                source,
            })?;
            attachments.push(FileAttachment {
                name: certificate.name.clone(),
                bytes,
            });
        }
        attachments.extend(self.attachments.iter().cloned());
        let domain = addresses.from.email.domain().to_owned();
        // Unique per message and run (the send log knows messages by it):
        // the roster row keeps it unique even if a hand-edited roster
        // repeats an attendee id; the id rather than the name, which Cc
        // recipients and server logs would otherwise see.
        let message_id = format!(
            "<taller.{}.{}.r{}.{}@{domain}>",
            slug(&self.workshop.workshop.id),
            slug(self.roster.attendees[planned.attendee].id.as_str()),
            planned.attendee + 2,
            self.run_stamp
        );
        let bytes = mime::build(
            &addresses,
            Content {
                subject: &rendered.subject,
                text: &rendered.text,
                html: rendered.html.as_deref(),
            },
            message_id,
            &attachments,
        )
        .map_err(build_error)?;
        Ok(OutboxMessage {
            file_name: format!("{}.eml", planned.stem),
            to: planned.to.to_string(),
            bytes,
        })
    }

    /// Builds every message in parallel and hands each to `write` as soon
    /// as it is made, so memory stays flat however many there are.
    pub fn try_for_each<E>(
        &self,
        write: impl Fn(OutboxMessage) -> Result<(), E> + Sync,
    ) -> Result<(), E>
    where
        E: From<Error> + Send,
    {
        (0..self.planned.len())
            .into_par_iter()
            .try_for_each(|index| write(self.message(index)?))
    }

    /// Builds every message (in parallel, a batch at a time) and hands them
    /// to `write` in roster order, as an mbox needs.
    pub fn try_for_each_in_order<E>(
        &self,
        mut write: impl FnMut(OutboxMessage) -> Result<(), E>,
    ) -> Result<(), E>
    where
        E: From<Error> + Send,
    {
        const BATCH: usize = 256;
        let indexes: Vec<usize> = (0..self.planned.len()).collect();
        for batch in indexes.chunks(BATCH) {
            let built: Vec<Result<OutboxMessage, Error>> =
                batch.par_iter().map(|&index| self.message(index)).collect();
            for message in built {
                write(message?)?;
            }
        }
        Ok(())
    }

    /// Message `index` as a person reads it: headers, attachments, the text
    /// and the HTML source, without MIME encoding.
    pub fn preview(&self, index: usize) -> Result<String, Error> {
        let message = self.message(index)?;
        let Some(planned) = self.planned.get(index) else {
            return Err(Error::Build {
                attendee: format!("message {index}"),
                message: "there is no such message".to_owned(),
            });
        };
        let who = self.who(planned.attendee);
        let context = self.context(planned, &planned.language);
        let rendered = self
            .templates
            .render(planned.kind, &planned.language, &context, &who)?;
        let addresses = self
            .addresses(planned, &rendered)
            .map_err(|message| Error::Build {
                attendee: who.clone(),
                message,
            })?;
        let mut out = String::new();
        let mut line = |name: &str, value: &str| {
            out.push_str(&format!("{name}: {value}\n"));
        };
        line("File", &message.file_name);
        line("From", &addresses.from.to_string());
        line("To", &addresses.to.to_string());
        if let Some(reply_to) = &addresses.reply_to {
            line("Reply-To", &reply_to.to_string());
        }
        if !addresses.cc.is_empty() {
            let cc: Vec<String> = addresses.cc.iter().map(ToString::to_string).collect();
            line("Cc", &cc.join(", "));
        }
        line("Subject", &rendered.subject);
        line("Language", planned.language.code());
        let mut attachments: Vec<String> =
            planned.certificate.iter().map(|c| c.name.clone()).collect();
        attachments.extend(self.attachments.iter().map(|a| a.name.clone()));
        if !attachments.is_empty() {
            line("Attachments", &attachments.join(", "));
        }
        line("Size", &format!("{} bytes as .eml", message.bytes.len()));
        out.push('\n');
        out.push_str(&rendered.text);
        if let Some(html) = &rendered.html {
            out.push_str("\n----- HTML alternative -----\n");
            out.push_str(html);
            if !html.ends_with('\n') {
                out.push('\n');
            }
        }
        Ok(out)
    }

    /// The sender address of the mbox `From ` line.
    pub fn envelope_sender(&self) -> String {
        self.from
            .as_ref()
            .map_or_else(|| "MAILER-DAEMON".to_owned(), |m| m.email.to_string())
    }
}

/// `certificates.json` indexed by certificate id and by attendee id.
struct Issued<'m> {
    by_certificate: HashMap<&'m CertificateId, &'m ManifestEntry>,
    by_attendee: HashMap<&'m AttendeeId, &'m ManifestEntry>,
}

impl<'m> Issued<'m> {
    fn new(manifest: &'m CertificateManifest) -> Self {
        // Reversed, so that the first entry wins, as in the manifest's own
        // lookup.
        let entries = || manifest.certificates.iter().rev();
        Issued {
            by_certificate: entries().map(|e| (&e.certificate_id, e)).collect(),
            by_attendee: entries().map(|e| (&e.attendee_id, e)).collect(),
        }
    }

    /// The attendee's certificate: the one with their certificate id when
    /// the roster has it, else the one issued to their attendee id.
    fn find(&self, attendee: &Attendee) -> Option<&'m ManifestEntry> {
        match &attendee.certificate_id {
            Some(id) => self
                .by_certificate
                .get(id)
                .copied()
                .filter(|entry| entry.attendee_id == attendee.id),
            None => self.by_attendee.get(&attendee.id).copied(),
        }
    }
}

/// The attendee's address, or why they cannot be written to.
fn recipient(attendee: &Attendee, name: &str) -> Result<Mailbox, (ProblemKind, String)> {
    let shown = |text: &str| text.escape_debug().to_string();
    if name.chars().any(char::is_control) || attendee.email.chars().any(char::is_control) {
        return Err((
            ProblemKind::RejectedRow,
            format!(
                "the name `{}` or email `{}` contains a line break or control character, which could add a header or a recipient; fix it in the roster",
                shown(name),
                shown(&attendee.email)
            ),
        ));
    }
    if attendee.email.trim().is_empty() {
        return Err((
            ProblemKind::NoEmail,
            format!("{name} has no email address: no message"),
        ));
    }
    let address = attendee.email.trim().parse().map_err(|_| {
        (
            ProblemKind::NoEmail,
            format!(
                "{name}: `{}` is not a usable email address: no message",
                attendee.email
            ),
        )
    })?;
    let display = (!name.trim().is_empty()).then(|| name.trim().to_owned());
    Ok(Mailbox::new(display, address))
}

/// `<certificate id>-<name>`, or `<attendee id>-<name>` for someone without
/// a certificate; made unique ignoring case (macOS and Windows folders).
fn unique_stem(
    taken: &mut HashSet<String>,
    attendee: &Attendee,
    name: &str,
    index: usize,
) -> String {
    let base = match &attendee.certificate_id {
        Some(id) => file_stem(id, name),
        None => {
            let id = slug(attendee.id.as_str());
            let joined = [id, slug(name)]
                .into_iter()
                .filter(|part| !part.is_empty())
                .collect::<Vec<_>>()
                .join("-");
            if joined.is_empty() {
                format!("message-{}", index + 1)
            } else {
                joined
            }
        }
    };
    let mut stem = base.clone();
    let mut counter = 2;
    while !taken.insert(stem.to_lowercase()) {
        stem = format!("{base}-{counter}");
        counter += 1;
    }
    stem
}

fn read_attachment(path: &Path) -> Result<FileAttachment, Error> {
    let bytes = std::fs::read(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    Ok(FileAttachment { name, bytes })
}
