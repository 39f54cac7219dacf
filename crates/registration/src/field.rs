//! What a column of a registration sheet holds: the roster's fields and
//! the few extra columns the import understands, with the names `--map`
//! and `[registration.columns]` use.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

/// What a column holds: a roster field, or one of the few extra columns
/// the import understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// Given name(s).
    GivenName,
    /// Family name(s), or the first surname when a second has its own column.
    FamilyName,
    /// The second surname, in forms that ask for it apart.
    SecondFamilyName,
    /// One column with the whole name.
    FullName,
    /// Email address.
    Email,
    /// Organisation.
    Organisation,
    /// Role or job title.
    Role,
    /// The cause the organisation works for.
    Cause,
    /// City.
    City,
    /// Twitter/X handle.
    Twitter,
    /// Phone number.
    Phone,
    /// Preferred language.
    Language,
    /// Consent to be contacted.
    Consent,
    /// Attendance mark (check-in sheets).
    Attended,
    /// A ticket status (Eventbrite `Attendee Status`).
    Status,
    /// The gender question of a form.
    Gender,
    /// An age, an age range, or a birth year or date.
    Age,
    /// When the form was answered (`Marca temporal`, `_submission_time`).
    SubmittedAt,
    /// A flag that the person asked not to be emailed (CiviCRM's `Do Not
    /// Email`): set, it makes `consent` a no.
    DoNotEmail,
}

impl Field {
    /// Every field, in roster order.
    pub const ALL: [Field; 19] = [
        Field::GivenName,
        Field::FamilyName,
        Field::SecondFamilyName,
        Field::FullName,
        Field::Email,
        Field::Organisation,
        Field::Role,
        Field::Cause,
        Field::City,
        Field::Twitter,
        Field::Phone,
        Field::Language,
        Field::Consent,
        Field::Attended,
        Field::Status,
        Field::Gender,
        Field::Age,
        Field::SubmittedAt,
        Field::DoNotEmail,
    ];

    /// The name used in `--map` and `[registration.columns]`.
    pub fn name(self) -> &'static str {
        match self {
            Field::GivenName => "given_name",
            Field::FamilyName => "family_name",
            Field::SecondFamilyName => "second_family_name",
            Field::FullName => "full_name",
            Field::Email => "email",
            Field::Organisation => "organisation",
            Field::Role => "role",
            Field::Cause => "cause",
            Field::City => "city",
            Field::Twitter => "twitter",
            Field::Phone => "phone",
            Field::Language => "language",
            Field::Consent => "consent",
            Field::Attended => "attended",
            Field::Status => "status",
            Field::Gender => "gender",
            Field::Age => "age",
            Field::SubmittedAt => "submitted_at",
            Field::DoNotEmail => "do_not_email",
        }
    }

    pub(crate) fn is_name(self) -> bool {
        matches!(
            self,
            Field::GivenName | Field::FamilyName | Field::SecondFamilyName | Field::FullName
        )
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Field {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wanted = text.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        let wanted = match wanted.as_str() {
            "name" => "full_name",
            "organization" => "organisation",
            "surname" | "last_name" => "family_name",
            "first_name" => "given_name",
            other => other,
        };
        Field::ALL
            .into_iter()
            .find(|field| field.name() == wanted)
            .ok_or_else(|| {
                let names: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
                format!(
                    "`{text}` is not a roster field (use one of: {})",
                    names.join(", ")
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_by_name() {
        assert_eq!("email".parse::<Field>(), Ok(Field::Email));
        assert_eq!("Given-Name".parse::<Field>(), Ok(Field::GivenName));
        assert!("correo".parse::<Field>().is_err());
    }
}
