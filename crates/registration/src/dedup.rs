//! Duplicates: the same email and the same person is one
//! attendee; the same email and clearly different people is a shared
//! address (two attendees); the same name and organisation under two
//! emails is flagged, never merged.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};

use foldhash::quality::RandomState;
use rayon::prelude::*;
use taller_model::{AgeBand, Answer, Attendee, AttendeeId, Gender, Place, Problem, ProblemKind};

use taller_model::fold;

/// People read from the input, and where each was read: two arrays, so
/// that the attendees become the roster where they lie.
#[derive(Debug, Default)]
pub(crate) struct Records {
    /// The attendees (ids not yet set).
    pub(crate) attendees: Vec<Attendee>,
    /// The row each came from.
    pub(crate) places: Vec<Place>,
}

impl Records {
    /// Adds a person read at `place`.
    pub(crate) fn push(&mut self, attendee: Attendee, place: Place) {
        self.attendees.push(attendee);
        self.places.push(place);
    }
}

/// The name folded for comparison: no case, no accents, no punctuation.
pub(crate) fn name_key(attendee: &Attendee) -> String {
    fold(&attendee.display_name())
}

/// Two spellings of one person's name: equal once folded, or one the
/// other with words left out (`Ana Ruiz` and `Ana Ruiz Gallardo`).
pub(crate) fn same_person(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let long_words: Vec<&str> = long.split(' ').collect();
    let mut short_words = short.split(' ');
    short_words.next() == long_words.first().copied()
        && short_words.all(|word| long_words.contains(&word))
}

/// The outcome of de-duplication.
#[derive(Debug, Default)]
pub(crate) struct Deduplicated {
    /// One entry per person, in first-seen order, with ids set.
    pub(crate) attendees: Vec<Attendee>,
    /// Rows merged into an earlier one.
    pub(crate) merged: usize,
    /// Merges, conflicts, shared addresses, possible duplicates.
    pub(crate) problems: Vec<Problem>,
}

/// Merges the records of the same person and sets every id. Works in
/// place: a later record of the same person is merged into the earlier one
/// and left out at the end, so a big sheet is never held twice.
pub(crate) fn deduplicate(records: Records) -> Deduplicated {
    let Records {
        mut attendees,
        places,
    } = records;
    let count = attendees.len();
    let state = RandomState::default();
    // What one record is compared by is made on all cores, a chunk ahead
    // of the pass that goes through the records in order on one: the two
    // take about as long, and the pass alone left a core idle.
    let keys = |records: &[Attendee]| -> Vec<(Compared, AttendeeId)> {
        records
            .par_iter()
            .map(|a| (Compared::new(a, &state), AttendeeId::from_email(&a.email)))
            .collect()
    };
    let mut pass = OrderedPass::new(count);
    let mut compared: Vec<Compared> = Vec::with_capacity(count);
    let mut ids: Vec<AttendeeId> = Vec::with_capacity(count);
    let mut ahead = keys(&attendees[..count.min(PASS_CHUNK)]);
    let mut start = 0;
    while start < count {
        let end = (start + PASS_CHUNK).min(count);
        for (key, id) in ahead {
            compared.push(key);
            ids.push(id);
        }
        let (seen, rest) = attendees.split_at_mut(end);
        let next = &rest[..rest.len().min(PASS_CHUNK)];
        ahead = rayon::join(
            || keys(next),
            || {
                for index in start..end {
                    pass.visit(index, seen, &mut compared, &places);
                }
            },
        )
        .0;
        start = end;
    }
    let OrderedPass {
        mut out,
        merged_away,
        shared,
        ..
    } = pass;
    attendees
        .par_iter_mut()
        .zip(ids)
        .zip(&compared)
        .zip(shared)
        .for_each(|(((attendee, id), compared), shared)| {
            attendee.id = if shared {
                AttendeeId::from_shared_email(&attendee.email, &compared.name)
            } else {
                id
            };
        });
    // 300,000 small strings for a big sheet, allocated on other threads:
    // freeing them here took longer than the rest of this loop's work.
    rayon::spawn(move || drop((compared, places)));
    // Left out where they lie: no second buffer of attendees.
    let mut index = 0;
    attendees.retain(|_| {
        index += 1;
        !merged_away[index - 1]
    });
    out.attendees = attendees;
    out
}

/// Records the ordered pass of [`deduplicate`] takes at a time.
const PASS_CHUNK: usize = 8192;

/// The pass through the records in order: each is merged into an earlier
/// record of the same person, or kept.
struct OrderedPass {
    out: Deduplicated,
    merged_away: Vec<bool>,
    /// People sharing an address are told apart by name.
    shared: Vec<bool>,
    by_email: EmailGroups,
    /// A hit on the hash of (name, organisation) is checked for real.
    by_name_and_org: HashMap<u64, usize, Hashed>,
    /// The kept records with the address of the one visited.
    same_email: Vec<usize>,
}

impl OrderedPass {
    fn new(records: usize) -> Self {
        OrderedPass {
            out: Deduplicated::default(),
            merged_away: vec![false; records],
            shared: vec![false; records],
            by_email: EmailGroups::new(records),
            by_name_and_org: HashMap::with_capacity_and_hasher(records, Hashed::default()),
            same_email: Vec::new(),
        }
    }

    /// Visits record `index`; `attendees` and `compared` hold it and every
    /// record before it.
    fn visit(
        &mut self,
        index: usize,
        attendees: &mut [Attendee],
        compared: &mut [Compared],
        places: &[Place],
    ) {
        let out = &mut self.out;
        let key = &compared[index].name;
        let email = &attendees[index].email;
        self.same_email.clear();
        self.same_email.extend(
            self.by_email
                .members(compared[index].email_hash)
                .filter(|&i| attendees[i].email == *email),
        );
        if let Some(&kept_index) = self
            .same_email
            .iter()
            .find(|&&i| same_person(&compared[i].name, key))
        {
            out.merged += 1;
            self.merged_away[index] = true;
            let (kept_place, new_place) = (&places[kept_index], &places[index]);
            out.problems.push(Problem::warning(
                ProblemKind::Merged,
                new_place.clone(),
                format!(
                    "same person as {kept_place} (same email and name): merged into one attendee"
                ),
            ));
            let attendee = std::mem::take(&mut attendees[index]);
            let kept = &mut attendees[kept_index];
            merge(kept, attendee, kept_place, new_place, &mut out.problems);
            compared[kept_index].name = name_key(kept);
            return;
        }
        let attendee = &attendees[index];
        if let Some(&other) = self.same_email.first() {
            self.shared[index] = true;
            for &i in &self.same_email {
                self.shared[i] = true;
            }
            out.problems.push(Problem::warning(
                ProblemKind::SharedEmail,
                places[index].clone(),
                format!(
                    "{} is also the address of {} ({}): kept as two attendees sharing one address; check that this is an organisation's shared mailbox",
                    attendee.email,
                    attendees[other].display_name(),
                    places[other]
                ),
            ));
        }
        self.by_email.add(compared[index].email_hash, index);
        let organisation = &compared[index].organisation;
        if organisation.is_empty() {
            return;
        }
        let slot = self
            .by_name_and_org
            .entry(compared[index].name_and_org_hash)
            .or_insert(index);
        let other = &attendees[*slot];
        let same_name_and_org = *slot != index
            && compared[*slot].name == *key
            && fold(&other.organisation) == *organisation;
        if same_name_and_org && other.email != attendee.email {
            out.problems.push(Problem::warning(
                ProblemKind::PossibleDuplicate,
                places[index].clone(),
                format!(
                    "{} of {} registered again with another email ({} at {}, now {}); both kept: remove one if it is the same person",
                    attendee.display_name(),
                    attendee.organisation,
                    other.email,
                    places[*slot],
                    attendee.email
                ),
            ));
        }
    }
}

/// What a record is compared by, made for each record on its own.
struct Compared {
    /// The name folded ([`name_key`]); a merge can change the kept
    /// record's name, so it is folded again then.
    name: String,
    /// The organisation folded.
    organisation: String,
    email_hash: u64,
    name_and_org_hash: u64,
}

impl Compared {
    fn new(attendee: &Attendee, state: &RandomState) -> Self {
        let name = name_key(attendee);
        let organisation = fold(&attendee.organisation);
        Compared {
            email_hash: state.hash_one(&attendee.email),
            name_and_org_hash: state.hash_one((&name, &organisation)),
            name,
            organisation,
        }
    }
}

/// Maps keyed by a hash already made (with a [`RandomState`] of this run,
/// so that a crafted sheet cannot make its addresses collide): the key is
/// its own hash, so looking up 100,000 of them costs no hashing again.
type Hashed = std::hash::BuildHasherDefault<AlreadyHashed>;

/// The hasher of [`Hashed`]: keeps the `u64` it is given.
#[derive(Debug, Default)]
struct AlreadyHashed(u64);

impl Hasher for AlreadyHashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `u64` keys are hashed here; anything else is folded in.
        for &byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(byte);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

/// The records kept so far under each address hash, oldest first: chains
/// through one array, so that 100,000 addresses need no allocation each.
/// Two addresses may share a hash; callers compare the addresses.
struct EmailGroups {
    /// Hash → (first, last) record of its chain.
    ends: HashMap<u64, (usize, usize), Hashed>,
    /// Record → the next record of its chain.
    next: Vec<Option<usize>>,
}

impl EmailGroups {
    fn new(records: usize) -> Self {
        EmailGroups {
            ends: HashMap::with_capacity_and_hasher(records, Hashed::default()),
            next: vec![None; records],
        }
    }

    /// The records under `hash`, oldest first.
    fn members(&self, hash: u64) -> impl Iterator<Item = usize> + '_ {
        let first = self.ends.get(&hash).map(|(first, _)| *first);
        std::iter::successors(first, |&i| self.next[i])
    }

    /// Adds `record` at the end of the chain of `hash`.
    fn add(&mut self, hash: u64, record: usize) {
        match self.ends.get_mut(&hash) {
            Some((_, last)) => {
                self.next[*last] = Some(record);
                *last = record;
            }
            None => {
                self.ends.insert(hash, (record, record));
            }
        }
    }
}

/// Ids from the email; people sharing an address are told apart by name.
/// (For a roster that changed after [`deduplicate`], which sets its own.)
pub(crate) fn assign_ids(attendees: &mut [Attendee]) {
    let mut users: HashMap<&str, usize> = HashMap::new();
    for attendee in attendees.iter() {
        *users.entry(attendee.email.as_str()).or_default() += 1;
    }
    let shared: Vec<bool> = attendees
        .iter()
        .map(|a| users.get(a.email.as_str()).copied().unwrap_or(0) > 1)
        .collect();
    // Hashing every address is the slow part.
    attendees
        .par_iter_mut()
        .zip(shared)
        .for_each(|(attendee, shared)| {
            attendee.id = if shared {
                AttendeeId::from_shared_email(&attendee.email, &name_key(attendee))
            } else {
                AttendeeId::from_email(&attendee.email)
            };
        });
}

/// Merges `new` into `kept`: empty fields are filled, the more complete
/// spelling wins, and a real disagreement keeps the first value and is
/// reported.
fn merge(
    kept: &mut Attendee,
    new: Attendee,
    kept_place: &Place,
    place: &Place,
    problems: &mut Vec<Problem>,
) {
    let mut conflict = |field: &str, first: &str, second: &str| {
        problems.push(Problem::warning(
            ProblemKind::Conflict,
            place.clone().with_column(field),
            format!(
                "says `{second}` but {kept_place} says `{first}` for the same person; kept `{first}`"
            ),
        ));
    };
    let text_fields: [(&str, &mut String, String); 11] = [
        ("given_name", &mut kept.given_name, new.given_name),
        ("family_name", &mut kept.family_name, new.family_name),
        ("full_name", &mut kept.full_name, new.full_name),
        ("organisation", &mut kept.organisation, new.organisation),
        ("role", &mut kept.role, new.role),
        ("cause", &mut kept.cause, new.cause),
        ("city", &mut kept.city, new.city),
        ("twitter", &mut kept.twitter, new.twitter),
        ("phone", &mut kept.phone, new.phone),
        ("email", &mut kept.email, new.email),
        ("consent_text", &mut kept.consent_text, new.consent_text),
    ];
    for (field, kept_value, new_value) in text_fields {
        if *kept_value == new_value {
            continue;
        }
        let (a, b) = (fold(kept_value), fold(&new_value));
        if b.is_empty() || a == b || a.contains(&b) {
            continue;
        }
        if a.is_empty() || b.contains(&a) {
            *kept_value = new_value;
        } else {
            conflict(field, kept_value, &new_value);
        }
    }
    match (&kept.language, new.language) {
        (None, language) => kept.language = language,
        (Some(a), Some(b)) if *a != b => conflict("language", a.code(), b.code()),
        _ => {}
    }
    for (field, kept_answer, new_answer) in [
        ("consent", &mut kept.consent, new.consent),
        ("attended", &mut kept.attended, new.attended),
    ] {
        match (*kept_answer, new_answer) {
            (Answer::Unknown, answer) => *kept_answer = answer,
            (a, b) if b != Answer::Unknown && a != b => conflict(field, a.as_str(), b.as_str()),
            _ => {}
        }
    }
    if kept.gender == Gender::Unknown {
        kept.gender = new.gender;
    } else if new.gender != Gender::Unknown && kept.gender != new.gender {
        conflict("gender", kept.gender.as_str(), new.gender.as_str());
    }
    if kept.age_band == AgeBand::Unknown {
        kept.age_band = new.age_band;
    } else if new.age_band != AgeBand::Unknown && kept.age_band != new.age_band {
        conflict("age_band", kept.age_band.as_str(), new.age_band.as_str());
    }
    // Two registrations of one person are not two sessions: minutes come
    // from attendance reports, which are merged after de-duplication.
    kept.minutes = kept.minutes.or(new.minutes);
    kept.source.extend(&new.source);
}

#[cfg(test)]
mod tests {
    use taller_model::Sources;

    use super::*;

    fn record(given: &str, family: &str, email: &str, org: &str, row: u32) -> (Attendee, Place) {
        let place = Place::file("a.csv").with_row(row);
        let attendee = Attendee {
            given_name: given.into(),
            family_name: family.into(),
            email: email.into(),
            organisation: org.into(),
            source: Sources::one(place.source()),
            ..Attendee::default()
        };
        (attendee, place)
    }

    fn deduplicate(records: Vec<(Attendee, Place)>) -> Deduplicated {
        let mut all = Records::default();
        for (attendee, place) in records {
            all.push(attendee, place);
        }
        super::deduplicate(all)
    }

    #[test]
    fn same_email_same_person_is_merged() {
        let mut second = record("ANA", "Ruiz Gallardo", "ana@x.es", "", 3);
        second.0.phone = "600123456".into();
        let out = deduplicate(vec![record("Ána", "Ruiz", "ana@x.es", "CEAR", 2), second]);
        assert_eq!(out.attendees.len(), 1);
        assert_eq!(out.merged, 1);
        let a = &out.attendees[0];
        assert_eq!(a.family_name, "Ruiz Gallardo");
        assert_eq!(a.organisation, "CEAR");
        assert_eq!(a.phone, "600123456");
        assert_eq!(a.source.to_string(), "a.csv:2; a.csv:3");
        assert_eq!(a.id, AttendeeId::from_email("ana@x.es"));
        assert_eq!(out.problems[0].kind, ProblemKind::Merged);
    }

    #[test]
    fn conflicts_keep_the_first_value() {
        let mut first = record("Ana", "Ruiz", "ana@x.es", "CEAR", 2);
        first.0.city = "Madrid".into();
        let mut second = record("Ana", "Ruiz", "ana@x.es", "CEAR", 5);
        second.0.city = "Sevilla".into();
        let out = deduplicate(vec![first, second]);
        assert_eq!(out.attendees[0].city, "Madrid");
        let conflict = out
            .problems
            .iter()
            .find(|p| p.kind == ProblemKind::Conflict)
            .expect("conflict");
        assert_eq!(conflict.place.row, Some(5));
        assert!(
            conflict.message.contains("kept `Madrid`"),
            "{}",
            conflict.message
        );
    }

    #[test]
    fn a_shared_address_keeps_both_people() {
        let out = deduplicate(vec![
            record("Ana", "Ruiz", "info@ong.org", "ONG", 2),
            record("Luis", "Gil", "info@ong.org", "ONG", 3),
        ]);
        assert_eq!(out.attendees.len(), 2);
        assert_ne!(out.attendees[0].id, out.attendees[1].id);
        assert_eq!(
            out.attendees[0].id,
            AttendeeId::from_shared_email("info@ong.org", "ana ruiz")
        );
        assert_eq!(out.problems[0].kind, ProblemKind::SharedEmail);
    }

    #[test]
    fn same_name_and_organisation_is_flagged_not_merged() {
        let out = deduplicate(vec![
            record("Ana", "Ruiz", "ana@ong.org", "CEAR", 2),
            record("ana", "RUIZ", "ana.ruiz@gmail.com", "cear", 3),
        ]);
        assert_eq!(out.attendees.len(), 2);
        assert_eq!(out.problems[0].kind, ProblemKind::PossibleDuplicate);
    }

    #[test]
    fn records_chunks_apart_are_compared() {
        let far = PASS_CHUNK + 100;
        let mut records: Vec<(Attendee, Place)> = (0..far)
            .map(|i| record("Ana", &format!("Ruiz {i}"), &format!("a{i}@x.es"), "", 2))
            .collect();
        // The first record again, and a namesake of the second at another
        // address, a chunk of the ordered pass later.
        records.push(record("ANA", "Ruiz 0", "a0@x.es", "CEAR", 3));
        records.push(record("Ana", "Ruiz 1", "otra@x.es", "cear", 4));
        records[1].0.organisation = "CEAR".into();
        let out = deduplicate(records);
        assert_eq!((out.merged, out.attendees.len()), (1, far + 1));
        assert_eq!(out.attendees[0].organisation, "CEAR");
        let kinds: Vec<ProblemKind> = out.problems.iter().map(|p| p.kind).collect();
        assert_eq!(kinds, [ProblemKind::Merged, ProblemKind::PossibleDuplicate]);
    }

    #[test]
    fn name_comparison() {
        assert!(same_person("ana ruiz", "ana ruiz gallardo"));
        assert!(same_person("ana", "ana ruiz"));
        assert!(!same_person("ana ruiz", "luis ruiz"));
        assert!(!same_person("ruiz", "ana ruiz"));
    }
}
