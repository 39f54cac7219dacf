//! The values a template sees: `attendee.*`, `workshop.*`, `certificate.*`
//! and `message.language`, all as text so that strict mode only fires on
//! names that do not exist, never on a value that is merely empty.

use serde_json::{Map, Value, json};
use taller_model::{Attendee, Language, Workshop};

/// `attendee.*`: every roster column, plus `name` (the display name).
pub fn attendee(attendee: &Attendee) -> Value {
    let mut fields = match serde_json::to_value(attendee) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    for value in fields.values_mut() {
        if value.is_null() {
            *value = Value::String(String::new());
        }
    }
    fields.insert("name".to_owned(), Value::String(attendee.display_name()));
    Value::Object(fields)
}

/// `workshop.*`, with the date written in `language`.
pub fn workshop(workshop: &Workshop, language: &Language) -> Value {
    let info = &workshop.workshop;
    let dates = workshop.dates().ok();
    let iso = |pick: fn(&taller_model::DateSpan) -> taller_model::Date| {
        dates
            .map(|span| pick(&span).to_string())
            .unwrap_or_default()
    };
    json!({
        "id": info.id,
        "title": info.title,
        "city": info.city,
        "venue": info.venue,
        "date": dates.map(|span| span.long(language)).unwrap_or_default(),
        "start": iso(|span| span.start),
        "end": iso(|span| span.end),
        "hours": info.hours.map(hours_text).unwrap_or_default(),
        "organiser": info.organiser,
        "language": info.language.code(),
    })
}

/// `4` rather than `4.0`; `2.5` stays.
fn hours_text(hours: f64) -> String {
    if hours.fract() == 0.0 {
        format!("{hours:.0}")
    } else {
        hours.to_string()
    }
}

/// `certificate.*`: empty strings for an attendee without a certificate.
pub fn certificate(id: &str, file: &str, verify_url: &str) -> Value {
    json!({ "id": id, "file": file, "verify_url": verify_url })
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

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn hours_read_naturally() {
        assert_eq!(hours_text(4.0), "4");
        assert_eq!(hours_text(2.5), "2.5");
    }
}
