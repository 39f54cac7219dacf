//! A programme of workshops (`programme.toml`), and who is the same person
//! across its workshops.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::workshop::{check_code_and_title, toml_error};
use crate::{Attendee, AttendeeId, ModelError, Salt, fold};

/// A programme, as described by its `programme.toml`. The workshop paths
/// and globs in it are relative to that file's folder; finding the files is
/// the caller's job ([`Programme::matches`] says whether a name fits one
/// part of a pattern).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Programme {
    /// The `[programme]` table.
    pub programme: ProgrammeInfo,
}

/// The `[programme]` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeInfo {
    /// A short code, e.g. `redes-2016`.
    pub id: String,
    /// The programme's title, printed on the report.
    pub title: String,
    /// Who runs it.
    #[serde(default)]
    pub organiser: String,
    /// Who pays for it (printed on the report when given).
    #[serde(default)]
    pub funder: Option<String>,
    /// The workshop files: paths or globs (`*` and `?` within one folder
    /// name), relative to the programme file.
    pub workshops: Vec<String>,
    /// How long after its last day each workshop's personal data is kept
    /// (`"24 months"`), unless its own file says otherwise.
    #[serde(default)]
    pub retention: Option<crate::Retention>,
}

impl Programme {
    /// Parses and checks a `programme.toml`. Errors name the line and column.
    pub fn from_toml(text: &str) -> Result<Self, ModelError> {
        let programme: Programme =
            toml::from_str(text).map_err(|err| ModelError::Programme(toml_error(text, &err)))?;
        let info = &programme.programme;
        check_code_and_title("programme", &info.id, &info.title, "redes-2016")
            .map_err(ModelError::Programme)?;
        if info.workshops.is_empty() {
            return Err(ModelError::Programme(
                "[programme] workshops is empty; list the workshop files, e.g. workshops = [\"*/workshop.toml\"]"
                    .to_owned(),
            ));
        }
        for pattern in &info.workshops {
            let escapes = pattern.starts_with('/')
                || pattern.starts_with('\\')
                || pattern.contains(':')
                || pattern.split(['/', '\\']).any(|part| part == "..");
            if escapes || pattern.trim().is_empty() {
                return Err(ModelError::Programme(format!(
                    "[programme] workshops: `{pattern}` must be a path inside the programme's folder, e.g. \"madrid/workshop.toml\" or \"*/workshop.toml\""
                )));
            }
        }
        Ok(programme)
    }

    /// Whether a file or folder name fits one `/`-separated part of a
    /// workshop pattern: `*` stands for any run of characters, `?` for one.
    /// Hidden names (starting with `.`) fit only a part that starts with `.`.
    ///
    /// ```
    /// use taller_model::Programme;
    /// assert!(Programme::matches("*", "madrid-2016"));
    /// assert!(Programme::matches("mad*16", "madrid-2016"));
    /// assert!(!Programme::matches("*", ".git"));
    /// assert!(!Programme::matches("workshop.toml", "workshop.tom"));
    /// ```
    pub fn matches(pattern: &str, name: &str) -> bool {
        if name.starts_with('.') && !pattern.starts_with('.') {
            return false;
        }
        let pattern: Vec<char> = pattern.chars().collect();
        let name: Vec<char> = name.chars().collect();
        // Greedy matching with one backtrack point: linear for `*` patterns.
        let (mut p, mut n) = (0, 0);
        let mut star: Option<(usize, usize)> = None;
        while n < name.len() {
            match pattern.get(p) {
                Some('*') => {
                    star = Some((p, n));
                    p += 1;
                }
                Some(&c) if c == '?' || c == name[n] => {
                    p += 1;
                    n += 1;
                }
                _ => match star {
                    Some((sp, sn)) => {
                        p = sp + 1;
                        n = sn + 1;
                        star = Some((sp, sn + 1));
                    }
                    None => return false,
                },
            }
        }
        pattern[p..].iter().all(|c| *c == '*')
    }
}

/// Two roster rows of different emails counted as one person because their
/// full name and organisation are the same: to be checked by a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MergeToCheck {
    /// The full name, as the first of the two rows wrote it.
    pub name: String,
    /// The organisation, as the first of the two rows wrote it.
    pub organisation: String,
    /// The email already known for the person.
    pub email: String,
    /// The other email, now counted as the same person.
    pub other_email: String,
}

/// Who is who across the rosters of a programme: the person of every row,
/// numbered from 0 in order of first appearance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct People {
    /// The person of each row given to [`People::identify`], in that order.
    pub person_of_row: Vec<usize>,
    /// How many people.
    pub count: usize,
    /// The merges made on name and organisation under different emails.
    pub merges: Vec<MergeToCheck>,
}

impl People {
    /// Counts people across roster rows: rows with the same email are one
    /// person; so are rows with the same full name and the same
    /// organisation (both non-empty, compared without case or accents)
    /// under another email, and each such merge is listed to be checked.
    /// Namesakes in different organisations stay two people. Two people
    /// sharing an address within a workshop (rosters give them ids of their
    /// own) are kept apart by that id.
    pub fn identify<'a>(rows: impl IntoIterator<Item = &'a Attendee>) -> People {
        People::identify_by(rows, |row| {
            let email = row.email.trim().to_lowercase();
            let email = if email.is_empty() || row.id == AttendeeId::from_email(&email) {
                email
            } else {
                // A shared address's rows carry an id of their own.
                format!("{email}\u{0}{}", row.id)
            };
            let (name, organisation) = (fold(&row.full_name), fold(&row.organisation));
            let name = (!name.is_empty() && !organisation.is_empty())
                .then(|| format!("{name}\u{0}{organisation}"));
            (email, name)
        })
    }

    /// [`People::identify`] over salted keys, for a programme some of whose
    /// rosters were purged (their rows hold [`People::purged_row`]'s keys
    /// in place of the email and name): the same people, counted the same
    /// way, whether a roster is purged or not.
    pub fn identify_keyed<'a>(rows: impl IntoIterator<Item = &'a Attendee>, salt: &Salt) -> People {
        People::identify_by(rows, |row| {
            let (email, name) = People::keys(row, salt);
            (email.unwrap_or_default(), name)
        })
    }

    /// A row's salted keys: its email's (told apart by the attendee id for
    /// a shared address) and its name's within its organisation. A purged
    /// row's are the ones it holds.
    pub fn keys(row: &Attendee, salt: &Salt) -> (Option<String>, Option<String>) {
        let email = row.email.trim();
        let email = if Salt::is_key(email) {
            Some(email.to_owned())
        } else {
            let lower = email.to_lowercase();
            if lower.is_empty() || row.id == AttendeeId::from_email(&lower) {
                salt.email_key(&lower)
            } else {
                salt.email_key(&format!("{lower}\u{0}{}", row.id))
            }
        };
        let name = row.full_name.trim();
        let name = if Salt::is_key(name) {
            Some(name.to_owned())
        } else {
            salt.name_key(name, &row.organisation)
        };
        (email, name)
    }

    /// The row a purged roster keeps for `row`: its email and name replaced
    /// by their salted keys, its attendee id by one derived from the email's
    /// key; phone, Twitter handle, role, certificate id and source row
    /// dropped; what the report counts (organisation, cause, city, gender,
    /// age band, language, consent, attendance, minutes) kept.
    pub fn purged_row(row: &Attendee, salt: &Salt) -> Attendee {
        let (email, name) = People::keys(row, salt);
        let email = email.unwrap_or_default();
        Attendee {
            id: if email.is_empty() {
                AttendeeId::default()
            } else {
                AttendeeId::from_email(&email)
            },
            full_name: name.unwrap_or_default(),
            email,
            organisation: row.organisation.clone(),
            cause: row.cause.clone(),
            city: row.city.clone(),
            language: row.language.clone(),
            consent: row.consent,
            consent_text: row.consent_text.clone(),
            attended: row.attended,
            minutes: row.minutes,
            gender: row.gender,
            age_band: row.age_band,
            ..Attendee::default()
        }
    }

    /// Counts people with the keys `key` gives each row: its email key
    /// (empty for none) and its name-and-organisation key.
    fn identify_by<'a>(
        rows: impl IntoIterator<Item = &'a Attendee>,
        key: impl Fn(&Attendee) -> (String, Option<String>),
    ) -> People {
        let rows: Vec<&Attendee> = rows.into_iter().collect();
        let mut parent: Vec<usize> = (0..rows.len()).collect();
        fn root(parent: &mut [usize], mut i: usize) -> usize {
            while parent[i] != i {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            i
        }
        // The first row of each email, then of each name and organisation.
        let mut by_email: HashMap<String, usize> = HashMap::new();
        let mut by_name: HashMap<String, usize> = HashMap::new();
        let mut merges = Vec::new();
        for (i, row) in rows.iter().enumerate() {
            let (email, name) = key(row);
            if !email.is_empty() {
                match by_email.get(&email) {
                    Some(&first) => {
                        let (a, b) = (root(&mut parent, first), root(&mut parent, i));
                        parent[b.max(a)] = a.min(b);
                    }
                    None => {
                        by_email.insert(email, i);
                    }
                }
            }
            let Some(name) = name else {
                continue;
            };
            match by_name.get(&name) {
                Some(&first) => {
                    let (a, b) = (root(&mut parent, first), root(&mut parent, i));
                    if a != b {
                        let earlier = rows[first];
                        merges.push(MergeToCheck {
                            name: earlier.full_name.trim().to_owned(),
                            organisation: earlier.organisation.trim().to_owned(),
                            email: earlier.email.trim().to_owned(),
                            other_email: row.email.trim().to_owned(),
                        });
                        parent[b.max(a)] = a.min(b);
                    }
                }
                None => {
                    by_name.insert(name, i);
                }
            }
        }
        // Number people by their first row.
        let mut number: HashMap<usize, usize> = HashMap::new();
        let mut person_of_row = Vec::with_capacity(rows.len());
        for i in 0..rows.len() {
            let r = root(&mut parent, i);
            let next = number.len();
            person_of_row.push(*number.entry(r).or_insert(next));
        }
        People {
            count: number.len(),
            person_of_row,
            merges,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(email: &str, name: &str, organisation: &str) -> Attendee {
        Attendee {
            id: AttendeeId::from_email(&email.to_lowercase()),
            full_name: name.to_owned(),
            email: email.to_owned(),
            organisation: organisation.to_owned(),
            ..Attendee::default()
        }
    }

    #[test]
    fn a_programme_file_is_read_and_checked() {
        let text = "[programme]\nid = \"redes-2016\"\ntitle = \"Redes\"\nfunder = \"Fundación\"\nworkshops = [\"*/workshop.toml\"]\n";
        let p = Programme::from_toml(text).expect("valid");
        assert_eq!(p.programme.workshops, ["*/workshop.toml"]);
        assert_eq!(p.programme.funder.as_deref(), Some("Fundación"));
        let bad = Programme::from_toml("[programme]\nid = \"x\"\ntitle = \"T\"\n")
            .expect_err("no workshops")
            .to_string();
        assert!(bad.contains("workshops"), "{bad}");
        let escape = text.replace("*/workshop.toml", "../other/workshop.toml");
        assert!(Programme::from_toml(&escape).is_err());
        let typo = text.replace("funder", "fundr");
        let message = Programme::from_toml(&typo)
            .expect_err("unknown key")
            .to_string();
        assert!(message.starts_with("line 4"), "{message}");
    }

    #[test]
    fn glob_parts_match_names() {
        assert!(Programme::matches("*", "sevilla-2016"));
        assert!(Programme::matches("*.toml", "workshop.toml"));
        assert!(Programme::matches("w?rkshop.toml", "workshop.toml"));
        assert!(Programme::matches("*-2016*", "bilbao-online-2016"));
        assert!(!Programme::matches("*.toml", "workshop.toml.bak"));
        assert!(!Programme::matches("*", ".hidden"));
    }

    #[test]
    fn people_are_one_by_email_or_by_name_and_organisation() {
        let rows = [
            row("ana@a.org", "Ana Ruiz", "Cruz Roja"),
            row("luis@b.org", "Luis Gil", "Cáritas"),
            // Same email, another workshop: the same person.
            row("ANA@a.org", "Ana Ruiz", "Cruz Roja"),
            // Same name and organisation without case or accents, other email.
            row("luis.gil@gmail.com", "LUIS GÍL", "caritas"),
            // A namesake in another organisation: someone else.
            row("ana.ruiz@c.org", "Ana Ruiz", "Oxfam"),
            // Same name, no organisation: never merged on the name.
            row("x@d.org", "Ana Ruiz", ""),
        ];
        let people = People::identify(&rows);
        assert_eq!(people.person_of_row, [0, 1, 0, 1, 2, 3]);
        assert_eq!(people.count, 4);
        assert_eq!(
            people.merges,
            [MergeToCheck {
                name: "Luis Gil".into(),
                organisation: "Cáritas".into(),
                email: "luis@b.org".into(),
                other_email: "luis.gil@gmail.com".into(),
            }]
        );
    }

    #[test]
    fn purged_rows_are_counted_as_the_rows_they_replace() {
        let salt = Salt::from_bytes([3; 32]);
        let mut a = row("info@ong.org", "Ana", "ONG");
        a.id = AttendeeId::from_shared_email("info@ong.org", "ana");
        a.phone = "+34 600 000 000".into();
        let mut b = row("info@ong.org", "Berta", "ONG");
        b.id = AttendeeId::from_shared_email("info@ong.org", "berta");
        let rows = [
            row("ana@a.org", "Ana Ruiz", "Cruz Roja"),
            row("luis@b.org", "Luis Gil", "Cáritas"),
            row("luis.gil@gmail.com", "LUIS GÍL", "caritas"),
            a.clone(),
            b,
            a,
            row("", "Sin Correo", ""),
        ];
        let plain = People::identify(&rows);
        assert_eq!(People::identify_keyed(&rows, &salt), plain);
        // Any rows purged, the same people and the same merges' count.
        let mixed: Vec<Attendee> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                if i % 2 == 0 {
                    People::purged_row(r, &salt)
                } else {
                    r.clone()
                }
            })
            .collect();
        let keyed = People::identify_keyed(&mixed, &salt);
        assert_eq!(keyed.person_of_row, plain.person_of_row);
        assert_eq!(keyed.merges.len(), plain.merges.len());
        let purged = People::purged_row(&rows[3], &salt);
        assert!(purged.phone.is_empty() && purged.given_name.is_empty());
        assert!(Salt::is_key(&purged.email) && Salt::is_key(&purged.full_name));
        assert_eq!(purged.organisation, "ONG");
    }

    #[test]
    fn people_sharing_an_address_stay_apart() {
        let mut a = row("info@ong.org", "Ana", "");
        a.id = AttendeeId::from_shared_email("info@ong.org", "ana");
        let mut b = row("info@ong.org", "Berta", "");
        b.id = AttendeeId::from_shared_email("info@ong.org", "berta");
        let people = People::identify([&a, &b, &a]);
        assert_eq!(people.person_of_row, [0, 1, 0]);
    }
}
