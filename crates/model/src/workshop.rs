use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{Date, DateSpan, Language, ModelError};

/// A workshop, as described by its `workshop.toml`. Paths in it are relative
/// to that file's folder; resolving them is the caller's job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Workshop {
    /// What, where and when.
    pub workshop: WorkshopInfo,
    /// Where the attendees come from.
    #[serde(default)]
    pub registration: RegistrationSettings,
    /// How certificates are made.
    #[serde(default)]
    pub certificate: CertificateSettings,
    /// Handout texts to print.
    #[serde(default)]
    pub handouts: Vec<HandoutSettings>,
    /// The follow-up email; none when the workshop sends none.
    #[serde(default)]
    pub followup: Option<FollowupSettings>,
}

/// The `[workshop]` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkshopInfo {
    /// Short code used in certificate ids and file names (`mad-2016-01`).
    pub id: String,
    /// Title printed on certificates and handouts.
    pub title: String,
    /// City where it takes place.
    pub city: String,
    /// Venue.
    #[serde(default)]
    pub venue: String,
    /// The day of a one-day workshop.
    #[serde(default)]
    pub date: Option<Date>,
    /// First day of a workshop of several days.
    #[serde(default)]
    pub start: Option<Date>,
    /// Last day of a workshop of several days.
    #[serde(default)]
    pub end: Option<Date>,
    /// Length in hours, printed on certificates.
    #[serde(default)]
    pub hours: Option<f64>,
    /// Default language of certificates and emails.
    #[serde(default)]
    pub language: Language,
    /// Who organises it.
    #[serde(default)]
    pub organiser: String,
    /// Optional logo (PNG/JPEG) for certificates, badges and handouts.
    #[serde(default)]
    pub logo: Option<String>,
    /// How long after its last day the workshop's personal data is kept
    /// (`"24 months"`); the programme's when not given.
    #[serde(default)]
    pub retention: Option<crate::Retention>,
}

/// The `[registration]` table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistrationSettings {
    /// Registration sheets, merged in this order.
    #[serde(default)]
    pub sources: Vec<String>,
    /// Who actually came: a check-in sheet, or the participant reports of
    /// online sessions (Zoom, Teams, Meet), one file or a list, one per
    /// session.
    #[serde(default, deserialize_with = "one_or_many")]
    pub attendance: Vec<String>,
    /// Sheet to read in workbooks, when the automatic choice is wrong.
    #[serde(default)]
    pub sheet: Option<String>,
    /// Explicit column mapping: roster field → column header.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// The time in online sessions that counts as having attended:
    /// `"80%"` (of the workshop's `hours`) or `"150 min"`.
    #[serde(default)]
    pub min_attendance: Option<String>,
}

/// `attendance = "one.csv"` or `attendance = ["day1.csv", "day2.csv"]`.
fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    match OneOrMany::deserialize(d) {
        Ok(OneOrMany::One(one)) => Ok(vec![one]),
        Ok(OneOrMany::Many(many)) => Ok(many),
        Err(_) => Err(serde::de::Error::custom(
            "attendance is a file name or a list of them, e.g. attendance = [\"dia1.csv\", \"dia2.csv\"]",
        )),
    }
}

/// The least time in online sessions that counts as having attended.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MinAttendance {
    /// A share of the workshop's hours, in per cent.
    Percent(f64),
    /// A number of minutes.
    Minutes(u32),
}

impl MinAttendance {
    /// Reads `80%`, `80 %`, `150 min`, `150m`, `150 minutos` or `150`
    /// (minutes); the error says what is accepted.
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim().to_lowercase();
        let bad = || {
            format!(
                "minimum attendance `{}` is neither a share of the hours (\"80%\") nor minutes (\"150 min\")",
                text.trim()
            )
        };
        if let Some(number) = t.strip_suffix('%') {
            let share: f64 = number.trim().replace(',', ".").parse().map_err(|_| bad())?;
            return if share.is_finite() && share > 0.0 && share <= 100.0 {
                Ok(MinAttendance::Percent(share))
            } else {
                Err(bad())
            };
        }
        let digits = t.chars().take_while(char::is_ascii_digit).count();
        let unit = t[digits..].trim();
        if digits == 0
            || ![
                "", "m", "min", "mins", "minutes", "minute", "minutos", "minuto",
            ]
            .contains(&unit)
        {
            return Err(bad());
        }
        t[..digits]
            .parse()
            .ok()
            .filter(|m| *m > 0)
            .map(MinAttendance::Minutes)
            .ok_or_else(bad)
    }

    /// The minimum in whole minutes (a share rounded up), given the
    /// workshop's hours; a share needs them.
    pub fn minutes(self, hours: Option<f64>) -> Result<u32, String> {
        match (self, hours) {
            (MinAttendance::Minutes(minutes), _) => Ok(minutes),
            (MinAttendance::Percent(share), Some(hours)) => {
                Ok((hours * 60.0 * share / 100.0 - 1e-9).ceil().max(1.0) as u32)
            }
            (MinAttendance::Percent(share), None) => Err(format!(
                "a minimum attendance of {share}% needs the workshop's length: add hours = … under [workshop], or give the minimum in minutes (\"150 min\")"
            )),
        }
    }
}

/// Paper sizes taller prints on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PaperSize {
    /// ISO A4, 210 × 297 mm.
    #[default]
    A4,
    /// US Letter, 8.5 × 11 in.
    Letter,
}

impl PaperSize {
    /// Width and height in millimetres, portrait.
    pub fn portrait_mm(self) -> (f32, f32) {
        match self {
            PaperSize::A4 => (210.0, 297.0),
            PaperSize::Letter => (215.9, 279.4),
        }
    }
}

/// The `[certificate]` table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificateSettings {
    /// Who signs.
    #[serde(default)]
    pub signatory: String,
    /// The signatory's role.
    #[serde(default)]
    pub signatory_role: String,
    /// `default` or a path to a layout file.
    #[serde(default = "default_layout")]
    pub layout: String,
    /// Paper size.
    #[serde(default)]
    pub paper: PaperSize,
    /// Optional designed background (PNG/JPEG).
    #[serde(default)]
    pub background: Option<String>,
    /// Optional address where the verification site (`taller site`) is
    /// published: a QR code on each certificate leads there, with the
    /// certificate's id after a `#`. An older form with `{id}` at the end
    /// of the path (`https://example.org/verify/{id}`) means the address
    /// before `{id}`.
    #[serde(default)]
    pub verify_url: Option<String>,
    /// The organiser's signing key (Ed25519), relative to the workshop
    /// file; made on first use. Default: `.taller-signing-key` beside it.
    #[serde(default)]
    pub signing_key: Option<String>,
    /// Only attendees who came get a certificate (when attendance is known).
    #[serde(default = "yes")]
    pub attended_only: bool,
}

fn default_layout() -> String {
    "default".to_owned()
}

fn yes() -> bool {
    true
}

impl Default for CertificateSettings {
    fn default() -> Self {
        CertificateSettings {
            signatory: String::new(),
            signatory_role: String::new(),
            layout: default_layout(),
            paper: PaperSize::default(),
            background: None,
            verify_url: None,
            signing_key: None,
            attended_only: true,
        }
    }
}

/// The signing key's file name when `[certificate] signing_key` is not set:
/// beside the workshop file, hidden, and never inside an output folder.
pub const DEFAULT_SIGNING_KEY: &str = ".taller-signing-key";

impl CertificateSettings {
    /// The address of the verification site, if the workshop has one:
    /// `verify_url`, without a trailing `{id}` of the older form.
    pub fn verify_site(&self) -> Option<&str> {
        self.verify_url
            .as_deref()
            .map(|url| url.strip_suffix("{id}").unwrap_or(url))
    }

    /// The address of one certificate's page, as printed on it: the site
    /// with the id in the fragment (never in the path, so that any static
    /// host or a folder opened from disk serves it). The page asks for the
    /// name as printed.
    pub fn verify_url_for(&self, certificate_id: &str) -> Option<String> {
        self.verify_site()
            .map(|site| format!("{site}#id={certificate_id}"))
    }

    /// The address in a certificate's QR code: the id and the token that
    /// opens its entry on the site (see [`verify_token`]).
    pub fn verify_url_with_token(&self, certificate_id: &str, token: &str) -> Option<String> {
        self.verify_url_for(certificate_id)
            .map(|url| format!("{url}&t={token}"))
    }
}

/// A certificate's token: 128 bits derived from the organiser's secret and
/// the id, so that only the holder of the certificate (whose QR code carries
/// it) can read its entry on the site, and the same certificate gets the
/// same token every time it is made. Crockford base32, 25 characters
/// (125 bits).
pub fn verify_token(secret: &[u8; 32], certificate_id: &str) -> String {
    let digest =
        crate::ids::digest_bytes(&[b"taller verify token", secret, certificate_id.as_bytes()]);
    crate::ids::base32_of(&digest[..16], 25)
}

/// One `[[handouts]]` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandoutSettings {
    /// The handout's Markdown text.
    pub source: String,
    /// Title, when not the text's first heading.
    #[serde(default)]
    pub title: Option<String>,
}

/// The `[followup]` table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowupSettings {
    /// Template path without language and extension (`templates/followup`
    /// stands for `followup.es.hbs`, `followup.en.hbs`, `followup.html.hbs` …).
    pub template: String,
    /// Sender, `Name <address>`.
    pub from: String,
    /// Optional Reply-To address.
    #[serde(default)]
    pub reply_to: Option<String>,
    /// Attach each attendee's certificate.
    #[serde(default = "yes")]
    pub attach_certificate: bool,
    /// Other files attached to every message.
    #[serde(default)]
    pub attach: Vec<String>,
}

/// Checks a `[section]`'s id (a short code used in file names and
/// certificate ids) and title, saying what to write instead.
pub(crate) fn check_code_and_title(
    section: &str,
    id: &str,
    title: &str,
    example: &str,
) -> Result<(), String> {
    let id_ok = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !id_ok {
        return Err(format!(
            "[{section}] id `{id}` must be a short code of letters, digits and dashes, e.g. {example}"
        ));
    }
    if title.trim().is_empty() {
        return Err(format!("[{section}] title is empty"));
    }
    Ok(())
}

/// A TOML error as a coordinator reads it: the line and column, and the
/// key to add rather than serde's wording.
pub(crate) fn toml_error(text: &str, err: &toml::de::Error) -> String {
    let message = err.message().trim();
    let message = match message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.strip_suffix('`'))
    {
        Some(key) => format!("the section that starts here needs a `{key} = …` line"),
        None => message.to_owned(),
    };
    match err.span() {
        Some(span) => {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!("line {line}, column {column}: {message}")
        }
        None => message,
    }
}

impl Workshop {
    /// Parses and checks a `workshop.toml`. Errors name the line and column.
    pub fn from_toml(text: &str) -> Result<Self, ModelError> {
        let workshop: Workshop =
            toml::from_str(text).map_err(|err| ModelError::Workshop(toml_error(text, &err)))?;
        workshop.check()?;
        Ok(workshop)
    }

    fn check(&self) -> Result<(), ModelError> {
        let info = &self.workshop;
        check_code_and_title("workshop", &info.id, &info.title, "mad-2016-01")
            .map_err(ModelError::Workshop)?;
        self.dates()?;
        if let Some(hours) = info.hours
            && !(hours.is_finite() && hours > 0.0 && hours < 1000.0)
        {
            return Err(ModelError::Workshop(format!(
                "[workshop] hours = {hours} is not a number of hours"
            )));
        }
        if let Some(url) = &self.certificate.verify_url {
            check_verify_url(url)?;
        }
        Ok(())
    }

    /// The days of the workshop: `date`, or `start` to `end`.
    pub fn dates(&self) -> Result<DateSpan, ModelError> {
        let info = &self.workshop;
        match (info.date, info.start, info.end) {
            (Some(date), None, None) => Ok(DateSpan::day(date)),
            (None, Some(start), Some(end)) if start <= end => Ok(DateSpan { start, end }),
            (None, Some(start), Some(end)) => Err(ModelError::Workshop(format!(
                "[workshop] end {end} is before start {start}"
            ))),
            (None, Some(start), None) => Ok(DateSpan::day(start)),
            (None, None, _) => Err(ModelError::Workshop(
                "[workshop] needs a date (date = 2016-01-27) or start and end".to_owned(),
            )),
            _ => Err(ModelError::Workshop(
                "[workshop] has both date and start/end: keep one".to_owned(),
            )),
        }
    }
}

/// The verification site's address: http(s) or file, no fragment (taller
/// writes the id there), and `{id}` only at the end of the older form.
fn check_verify_url(url: &str) -> Result<(), ModelError> {
    let how = "write the address where the verification site made by `taller site` is published, \
               e.g. verify_url = \"https://example.org/certificados/\" (taller adds each certificate's id after a #)";
    let site = url.strip_suffix("{id}").unwrap_or(url);
    let scheme_ok = ["https://", "http://", "file://"]
        .iter()
        .any(|scheme| site.len() > scheme.len() && site.to_ascii_lowercase().starts_with(scheme));
    let problem = if site.contains("{id}") {
        Some("puts the certificate id inside the address")
    } else if site.contains('#') {
        Some("has a # (taller puts the certificate id there)")
    } else if site.contains('?') && url.ends_with("{id}") {
        Some("puts the certificate id in the query")
    } else if !scheme_ok {
        Some("is not an https:// address")
    } else if site.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Some("contains spaces")
    } else {
        None
    };
    match problem {
        Some(problem) => Err(ModelError::Workshop(format!(
            "[certificate] verify_url `{url}` {problem}: {how}"
        ))),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = r#"
[workshop]
id = "mad-2016-01"
title = "Campaigning on Twitter"
city = "Madrid"
venue = "Centro"
date = 2016-01-27
hours = 4
language = "es"
organiser = "ONG"

[registration]
sources = ["inscripciones.xlsx", "late.csv"]
attendance = "checkin.csv"
[registration.columns]
email = "Correo de contacto"

[certificate]
signatory = "Ana"
signatory_role = "Directora"
verify_url = "https://example.org/verify/{id}"

[[handouts]]
source = "handouts/factsheet.md"

[followup]
template = "templates/followup"
from = "Equipo ONG <ong@example.org>"
attach = ["handouts/handbook.pdf"]
"#;

    #[test]
    fn parses_the_spec_example() {
        let w = Workshop::from_toml(EXAMPLE).expect("valid");
        assert_eq!(w.workshop.id, "mad-2016-01");
        assert_eq!(w.dates().map(|d| d.start), Date::new(2016, 1, 27));
        assert_eq!(w.workshop.hours, Some(4.0));
        assert_eq!(w.registration.columns["email"], "Correo de contacto");
        assert!(w.certificate.attended_only);
        assert_eq!(
            w.certificate.verify_url_for("MAD16-7K3QX2").as_deref(),
            Some("https://example.org/verify/#id=MAD16-7K3QX2")
        );
        assert_eq!(
            w.certificate
                .verify_url_with_token("MAD16-7K3QX2", "TOKEN")
                .as_deref(),
            Some("https://example.org/verify/#id=MAD16-7K3QX2&t=TOKEN")
        );
        let followup = w.followup.expect("followup");
        assert!(followup.attach_certificate);
    }

    #[test]
    fn verify_url_forms() {
        let with = |url: &str| {
            Workshop::from_toml(&EXAMPLE.replace("https://example.org/verify/{id}", url))
        };
        let w = with("https://example.org/certificados/").expect("the site's address");
        assert_eq!(
            w.certificate.verify_url_for("MAD16-7K3QX2").as_deref(),
            Some("https://example.org/certificados/#id=MAD16-7K3QX2")
        );
        for bad in [
            "https://example.org/{id}/verify",
            "https://example.org/verify?id={id}",
            "https://example.org/verify#x",
            "example.org/verify",
            "javascript:alert(1)",
        ] {
            let err = with(bad).expect_err(bad).to_string();
            assert!(
                err.contains("verify_url") && err.contains("e.g. verify_url = "),
                "{err}"
            );
        }
    }

    #[test]
    fn tokens_are_fixed_per_secret_and_id() {
        let a = verify_token(&[1; 32], "MAD16-7K3QX2");
        assert_eq!(a.len(), 25);
        assert_eq!(a, verify_token(&[1; 32], "MAD16-7K3QX2"));
        assert_ne!(a, verify_token(&[2; 32], "MAD16-7K3QX2"));
        assert_ne!(a, verify_token(&[1; 32], "MAD16-7K3QX3"));
    }

    #[test]
    fn the_bundled_example_parses() {
        let text = include_str!("../../../assets/examples/madrid-2016/workshop.toml");
        let w = Workshop::from_toml(text).expect("the example workshop is valid");
        assert_eq!(w.handouts.len(), 2);
        assert_eq!(w.registration.attendance, ["checkin.csv"]);
    }

    #[test]
    fn attendance_is_one_file_or_a_list() {
        let many = EXAMPLE.replace(
            "attendance = \"checkin.csv\"",
            "attendance = [\"dia1.csv\", \"dia2.csv\"]\nmin_attendance = \"80%\"",
        );
        let w = Workshop::from_toml(&many).expect("valid");
        assert_eq!(w.registration.attendance, ["dia1.csv", "dia2.csv"]);
        assert_eq!(w.registration.min_attendance.as_deref(), Some("80%"));
        let err = Workshop::from_toml(&EXAMPLE.replace("\"checkin.csv\"", "3"))
            .expect_err("a number is no file")
            .to_string();
        assert!(err.contains("attendance is a file name or a list"), "{err}");
    }

    #[test]
    fn minimum_attendance() {
        let m = |t: &str| MinAttendance::parse(t);
        assert_eq!(m("80%"), Ok(MinAttendance::Percent(80.0)));
        assert_eq!(m(" 80 % "), Ok(MinAttendance::Percent(80.0)));
        assert_eq!(m("150 min"), Ok(MinAttendance::Minutes(150)));
        assert_eq!(m("150m"), Ok(MinAttendance::Minutes(150)));
        assert_eq!(m("150"), Ok(MinAttendance::Minutes(150)));
        for bad in ["", "ochenta", "120%", "0 min", "2 h", "-5%"] {
            assert!(m(bad).is_err(), "{bad}");
        }
        assert_eq!(MinAttendance::Percent(80.0).minutes(Some(3.0)), Ok(144));
        assert_eq!(MinAttendance::Percent(75.0).minutes(Some(2.5)), Ok(113));
        assert_eq!(MinAttendance::Minutes(90).minutes(None), Ok(90));
        assert!(
            MinAttendance::Percent(80.0)
                .minutes(None)
                .expect_err("needs hours")
                .contains("hours")
        );
    }

    #[test]
    fn errors_name_the_line() {
        let broken = EXAMPLE.replace("city = \"Madrid\"", "city = Madrid");
        let err = Workshop::from_toml(&broken)
            .expect_err("invalid")
            .to_string();
        assert!(err.starts_with("line 5, column"), "{err}");
        let unknown = EXAMPLE.replace("hours = 4", "hours = 4\nhoras = 4");
        let err = Workshop::from_toml(&unknown)
            .expect_err("unknown key")
            .to_string();
        assert!(err.contains("horas"), "{err}");
        let no_title = EXAMPLE.replace("title = \"Campaigning on Twitter\"", "");
        let err = Workshop::from_toml(&no_title)
            .expect_err("no title")
            .to_string();
        assert!(err.contains("needs a `title = …` line"), "{err}");
        let no_date = EXAMPLE.replace("date = 2016-01-27", "");
        let err = Workshop::from_toml(&no_date)
            .expect_err("no date")
            .to_string();
        assert!(err.contains("needs a date"), "{err}");
    }
}
