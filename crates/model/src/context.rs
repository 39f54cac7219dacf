//! What templates see: one context for every kind of template (certificate
//! layouts, handouts, follow-up emails), so `{{workshop.hours}}` or
//! `{{attendee.name}}` says the same thing on a certificate, in a handout
//! and in an email.
//!
//! Every value is text, so that Handlebars' strict mode fires only on a
//! name that does not exist, never on a value that is merely empty.

use serde::Serialize;

use crate::{Attendee, Language, Workshop};

/// `workshop.*`: the workshop, written in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkshopContext {
    /// The short code: `mad-2016-01`.
    pub id: String,
    /// The title.
    pub title: String,
    /// The city where it is held.
    pub city: String,
    /// The venue.
    pub venue: String,
    /// Who organises it.
    pub organiser: String,
    /// The workshop's own language code.
    pub language: String,
    /// The date or dates as people write them: `27 de enero de 2016`,
    /// `del 27 al 28 de enero de 2016`.
    pub date: String,
    /// The first day, ISO 8601.
    pub start: String,
    /// The last day, ISO 8601.
    pub end: String,
    /// The hours as a number written in the language: `4`, `2,5`.
    pub hours: String,
    /// The hours with their unit: `4 horas`, `2.5 hours`.
    pub duration: String,
}

impl WorkshopContext {
    /// The workshop's values, written in `language`.
    pub fn new(workshop: &Workshop, language: &Language) -> Self {
        let info = &workshop.workshop;
        let dates = workshop.dates().ok();
        let iso = |pick: fn(&crate::DateSpan) -> crate::Date| {
            dates
                .map(|span| pick(&span).to_string())
                .unwrap_or_default()
        };
        WorkshopContext {
            id: info.id.clone(),
            title: info.title.clone(),
            city: info.city.clone(),
            venue: info.venue.clone(),
            organiser: info.organiser.clone(),
            language: info.language.code().to_owned(),
            date: dates.map(|span| span.long(language)).unwrap_or_default(),
            start: iso(|span| span.start),
            end: iso(|span| span.end),
            hours: info
                .hours
                .map(|hours| hours_number(hours, language))
                .unwrap_or_default(),
            duration: info
                .hours
                .map(|hours| duration(hours, language))
                .unwrap_or_default(),
        }
    }
}

/// `attendee.*`: every roster column as text, and `name`, the name to
/// print and address ([`Attendee::display_name`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttendeeContext {
    /// The name to print and address.
    pub name: String,
    /// Stable attendee id.
    pub id: String,
    /// Given name(s).
    pub given_name: String,
    /// Family name(s).
    pub family_name: String,
    /// The name as typed in one column.
    pub full_name: String,
    /// Email address.
    pub email: String,
    /// Organisation.
    pub organisation: String,
    /// Role or job title.
    pub role: String,
    /// Cause.
    pub cause: String,
    /// City.
    pub city: String,
    /// Twitter/X handle, bare.
    pub twitter: String,
    /// Phone, as typed.
    pub phone: String,
    /// Language code, or empty.
    pub language: String,
    /// `yes`, `no` or empty.
    pub consent: String,
    /// `yes`, `no` or empty.
    pub attended: String,
    /// Certificate id, or empty.
    pub certificate_id: String,
    /// Where the attendee came from.
    pub source: String,
    /// Minutes present online, or empty.
    pub minutes: String,
    /// Gender as answered, or empty.
    pub gender: String,
    /// Age band, or empty.
    pub age_band: String,
    /// The consent question as asked, or empty.
    pub consent_text: String,
}

impl AttendeeContext {
    /// The attendee's values.
    pub fn new(attendee: &Attendee) -> Self {
        AttendeeContext {
            name: attendee.display_name(),
            id: attendee.id.as_str().to_owned(),
            given_name: attendee.given_name.clone(),
            family_name: attendee.family_name.clone(),
            full_name: attendee.full_name.clone(),
            email: attendee.email.clone(),
            organisation: attendee.organisation.clone(),
            role: attendee.role.clone(),
            cause: attendee.cause.clone(),
            city: attendee.city.clone(),
            twitter: attendee.twitter.clone(),
            phone: attendee.phone.clone(),
            language: attendee
                .language
                .as_ref()
                .map_or_else(String::new, |l| l.code().to_owned()),
            consent: attendee.consent.as_str().to_owned(),
            attended: attendee.attended.as_str().to_owned(),
            certificate_id: attendee
                .certificate_id
                .as_ref()
                .map_or_else(String::new, |id| id.as_str().to_owned()),
            source: attendee.source.to_string(),
            minutes: attendee.minutes.map_or_else(String::new, |m| m.to_string()),
            gender: attendee.gender.as_str().to_owned(),
            age_band: attendee.age_band.as_str().to_owned(),
            consent_text: attendee.consent_text.clone(),
        }
    }
}

/// `certificate.*`: empty strings for an attendee without a certificate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CertificateContext {
    /// The certificate id: `MAD16-7K3QX2`.
    pub id: String,
    /// The certificate's file name.
    pub file: String,
    /// The address that verifies it (its QR code).
    pub verify_url: String,
    /// Who signs certificates.
    pub signatory: String,
    /// The signatory's role.
    pub signatory_role: String,
}

/// The hours as a number written in `language`: `4`, `2,5` in Spanish,
/// `2.5` in English. At most two decimals.
pub fn hours_number(hours: f64, language: &Language) -> String {
    if hours.fract() == 0.0 {
        return format!("{hours:.0}");
    }
    let text = format!("{hours:.2}");
    let text = text.trim_end_matches('0');
    match language.decimal_separator() {
        '.' => text.to_owned(),
        separator => text.replace('.', &separator.to_string()),
    }
}

/// The hours with their unit, as a certificate says them: `4 horas`,
/// `1 hour`, `2,5 hores`, `4 ordu`.
pub fn duration(hours: f64, language: &Language) -> String {
    let (one, many) = match language.code() {
        "es" | "gl" => ("hora", "horas"),
        "ca" => ("hora", "hores"),
        "eu" => ("ordu", "ordu"),
        _ => ("hour", "hours"),
    };
    let unit = if hours == 1.0 { one } else { many };
    format!("{} {unit}", hours_number(hours, language))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(code: &str) -> Language {
        Language::parse(code).expect("a code")
    }

    #[test]
    fn hours_are_written_as_each_language_writes_them() {
        assert_eq!(hours_number(4.0, &lang("es")), "4");
        assert_eq!(hours_number(2.5, &lang("es")), "2,5");
        assert_eq!(hours_number(2.5, &lang("en")), "2.5");
        assert_eq!(hours_number(1.75, &lang("ca")), "1,75");
        assert_eq!(duration(2.5, &lang("es")), "2,5 horas");
        assert_eq!(duration(1.0, &lang("en")), "1 hour");
        assert_eq!(duration(3.0, &lang("ca")), "3 hores");
        assert_eq!(duration(3.0, &lang("eu")), "3 ordu");
    }
}
