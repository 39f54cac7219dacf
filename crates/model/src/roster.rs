use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::{Answer, Attendee, AttendeeId, CertificateId};

/// The roster's columns, in order: the header row of every roster file
/// taller writes. The first [`REQUIRED_ROSTER_COLUMNS`] are in every
/// roster; the ones after `source` may be missing from a roster written by
/// an older taller or by hand, and then read as empty.
pub const ROSTER_COLUMNS: [&str; 20] = [
    "id",
    "given_name",
    "family_name",
    "full_name",
    "email",
    "organisation",
    "role",
    "cause",
    "city",
    "twitter",
    "phone",
    "language",
    "consent",
    "attended",
    "certificate_id",
    "source",
    "minutes",
    "gender",
    "age_band",
    "consent_text",
];

/// How many of [`ROSTER_COLUMNS`] every roster must have: up to `source`.
pub const REQUIRED_ROSTER_COLUMNS: usize = 16;

/// How many people consented to follow-up emails: `yes`, `no`, and
/// `unknown` (no answer recorded).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentCounts {
    /// Answered yes.
    pub yes: usize,
    /// Answered no.
    pub no: usize,
    /// No answer recorded.
    pub unknown: usize,
}

impl ConsentCounts {
    /// Counts one more answer.
    pub fn add(&mut self, answer: Answer) {
        match answer {
            Answer::Yes => self.yes += 1,
            Answer::No => self.no += 1,
            Answer::Unknown => self.unknown += 1,
        }
    }

    /// `12 yes, 3 no, 2 unknown`: for summaries.
    pub fn sentence(&self) -> String {
        format!("{} yes, {} no, {} unknown", self.yes, self.no, self.unknown)
    }
}

/// Everyone registered for one workshop: the one list every tool reads.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Roster {
    /// The attendees, in import order.
    pub attendees: Vec<Attendee>,
}

impl Roster {
    /// A roster of these attendees.
    pub fn new(attendees: Vec<Attendee>) -> Self {
        Roster { attendees }
    }

    /// How many attendees answered the consent question yes, no, or are
    /// not known to have answered it.
    pub fn consent_counts(&self) -> ConsentCounts {
        let mut counts = ConsentCounts::default();
        for a in &self.attendees {
            counts.add(a.consent);
        }
        counts
    }

    /// True when at least one attendee's attendance is known, i.e. an
    /// attendance sheet was merged in.
    pub fn records_attendance(&self) -> bool {
        self.attendees.iter().any(|a| a.attended != Answer::Unknown)
    }

    /// The attendees who should get a certificate: those who came when
    /// attendance is recorded, else everyone. `all` overrides.
    pub fn certificate_holders(&self, all: bool) -> impl Iterator<Item = &Attendee> {
        let only_attended = !all && self.records_attendance();
        self.attendees
            .iter()
            .filter(move |a| !only_attended || a.attended == Answer::Yes)
    }

    /// The attendee with this id.
    pub fn find(&self, id: &AttendeeId) -> Option<&Attendee> {
        self.attendees.iter().find(|a| &a.id == id)
    }

    /// Gives every attendee without one a certificate id for `workshop_id`,
    /// keeping ids already assigned. Ids stay unique: when two derive the
    /// same (about one chance in a billion per pair) the later one in
    /// attendee-id order is derived again with the next salt, so the result
    /// does not depend on row order.
    pub fn assign_certificate_ids(&mut self, workshop_id: &str) {
        let mut taken: HashSet<CertificateId> = self
            .attendees
            .iter()
            .filter_map(|a| a.certificate_id.clone())
            .collect();
        let mut missing: Vec<usize> = (0..self.attendees.len())
            .filter(|&i| self.attendees[i].certificate_id.is_none())
            .collect();
        missing.sort_by(|&a, &b| self.attendees[a].id.cmp(&self.attendees[b].id));
        for index in missing {
            let attendee = &mut self.attendees[index];
            let mut salt = 0;
            let id = loop {
                let candidate = CertificateId::derive(workshop_id, &attendee.id, salt);
                if taken.insert(candidate.clone()) {
                    break candidate;
                }
                salt += 1;
            };
            attendee.certificate_id = Some(id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attendee(email: &str, attended: Answer) -> Attendee {
        Attendee {
            id: AttendeeId::from_email(email),
            email: email.to_owned(),
            attended,
            ..Attendee::default()
        }
    }

    #[test]
    fn certificate_holders_follow_attendance() {
        let mut roster = Roster::new(vec![
            attendee("a@x.es", Answer::Unknown),
            attendee("b@x.es", Answer::Unknown),
        ]);
        assert_eq!(roster.certificate_holders(false).count(), 2);
        roster.attendees[0].attended = Answer::Yes;
        roster.attendees[1].attended = Answer::No;
        assert_eq!(roster.certificate_holders(false).count(), 1);
        assert_eq!(roster.certificate_holders(true).count(), 2);
    }

    #[test]
    fn certificate_ids_are_stable_and_unique() {
        let mut roster = Roster::new(vec![
            attendee("a@x.es", Answer::Yes),
            attendee("b@x.es", Answer::Yes),
        ]);
        roster.assign_certificate_ids("mad-2016-01");
        let first = roster.clone();
        roster.attendees.reverse();
        roster
            .attendees
            .iter_mut()
            .for_each(|a| a.certificate_id = None);
        roster.assign_certificate_ids("mad-2016-01");
        roster.attendees.reverse();
        assert_eq!(roster, first);
        assert_ne!(
            first.attendees[0].certificate_id,
            first.attendees[1].certificate_id
        );
    }

    #[test]
    fn columns_match_the_attendee_fields() {
        let json = serde_json::to_value(Attendee::default()).expect("serialises");
        let keys: Vec<&str> = json
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        let mut expected = ROSTER_COLUMNS.to_vec();
        expected.sort_unstable();
        let mut keys = keys;
        keys.sort_unstable();
        assert_eq!(keys, expected);
    }
}
