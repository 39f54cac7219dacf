//! The values an email template sees: the one template context of
//! `taller-model` (`attendee.*`, `workshop.*`, `certificate.*`, the same as
//! on certificates and in handouts), and `message.language`.

use serde_json::{Value, json};
use taller_model::{AttendeeContext, CertificateContext, Language, Workshop, WorkshopContext};

/// `attendee.*`.
pub fn attendee(attendee: &taller_model::Attendee) -> Value {
    to_value(AttendeeContext::new(attendee))
}

/// `workshop.*`, written in `language`.
pub fn workshop(workshop: &Workshop, language: &Language) -> Value {
    to_value(WorkshopContext::new(workshop, language))
}

/// `certificate.*`: empty strings for an attendee without a certificate.
pub fn certificate(workshop: &Workshop, id: &str, file: &str, verify_url: &str) -> Value {
    let settings = &workshop.certificate;
    to_value(CertificateContext {
        id: id.to_owned(),
        file: file.to_owned(),
        verify_url: verify_url.to_owned(),
        signatory: settings.signatory.clone(),
        signatory_role: settings.signatory_role.clone(),
    })
}

/// The whole context of one message.
pub fn message(attendee: Value, workshop: Value, certificate: Value, language: &Language) -> Value {
    json!({
        "attendee": attendee,
        "workshop": workshop,
        "certificate": certificate,
        "message": { "language": language.code() },
    })
}

/// A context struct as JSON: its fields are all strings, which cannot fail
/// to serialise.
fn to_value(context: impl serde::Serialize) -> Value {
    serde_json::to_value(context).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;
    use taller_model::Attendee;

    #[test]
    fn every_roster_field_is_text() {
        let a = Attendee {
            given_name: "Ana".into(),
            family_name: "Ruiz".into(),
            ..Attendee::default()
        };
        let value = attendee(&a);
        assert_eq!(value["name"], "Ana Ruiz");
        assert_eq!(value["language"], "");
        assert_eq!(value["certificate_id"], "");
        for column in taller_model::ROSTER_COLUMNS {
            assert!(value[column].is_string(), "{column}");
        }
    }
}
