//! Minutes per attendee from the reports of online sessions: each
//! participant matched to a registrant (email first, else a name only one
//! registrant has), their time summed over every row and session with
//! overlapping connections counted once, and `attended` set from the
//! minimum.

use std::collections::HashMap;

use taller_model::{Answer, Attendee, Place, Problem, ProblemKind, Roster, Sources};

use crate::Error;
use crate::attendance::{Participant, Session, covered};
use crate::dedup::{self, name_key, same_person};
use crate::normalise::{name_case, shorten, split_name};
use crate::report::ImportReport;
use taller_model::fold;

/// Time of one person: dated connections on one clock (the same
/// connection in two reports counts once), and per report the times of day
/// without a date and the plain durations.
#[derive(Debug, Default)]
struct Time {
    per_file: HashMap<usize, (Vec<(i64, i64)>, i64)>,
    /// Where they were first seen.
    place: Option<Place>,
}

impl Time {
    fn add(&mut self, file: usize, person: &Participant) {
        let (undated, seconds) = self.per_file.entry(file).or_default();
        undated.extend_from_slice(&person.undated);
        *seconds += person.seconds;
        self.per_file
            .entry(DATED)
            .or_default()
            .0
            .extend_from_slice(&person.intervals);
        if self.place.is_none() {
            self.place = person.places.first().cloned();
        }
    }

    /// Whole minutes present (seconds left over are not rounded up).
    fn minutes(&mut self) -> u32 {
        let seconds: i64 = self
            .per_file
            .values_mut()
            .map(|(intervals, seconds)| covered(intervals) + *seconds)
            .sum();
        u32::try_from(seconds / 60).unwrap_or(u32::MAX)
    }
}

/// The key of the dated connections in [`Time::per_file`].
const DATED: usize = usize::MAX;

/// Who a participant is on the roster.
enum Match {
    One(usize),
    Several(Vec<usize>),
    Nobody,
}

/// The registrants by email and by folded name.
struct Index {
    by_email: HashMap<String, Vec<usize>>,
    by_name: HashMap<String, Vec<usize>>,
    keys: Vec<String>,
}

impl Index {
    fn new(attendees: &[Attendee]) -> Self {
        let mut by_email: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        let mut keys = Vec::with_capacity(attendees.len());
        for (index, attendee) in attendees.iter().enumerate() {
            if !attendee.email.is_empty() {
                by_email
                    .entry(attendee.email.clone())
                    .or_default()
                    .push(index);
            }
            let key = name_key(attendee);
            let full = fold(&attendee.full_name);
            for name in [&key, &full] {
                if !name.is_empty() {
                    let list = by_name.entry(name.clone()).or_default();
                    if !list.contains(&index) {
                        list.push(index);
                    }
                }
            }
            keys.push(key);
        }
        Index {
            by_email,
            by_name,
            keys,
        }
    }

    fn find(&self, person: &Participant) -> Match {
        let names = person.name_keys();
        if let Some(same_email) = self.by_email.get(&person.email) {
            if let [only] = same_email[..] {
                return Match::One(only);
            }
            // A shared address: the name tells who.
            let named: Vec<usize> = same_email
                .iter()
                .copied()
                .filter(|&i| names.iter().any(|n| same_person(&self.keys[i], n)))
                .collect();
            return match named[..] {
                [only] => Match::One(only),
                _ => Match::Several(same_email.clone()),
            };
        }
        // The account's name first (Zoom's original name), then the name
        // shown in the meeting.
        for name in &names {
            match self.by_name.get(name).map(Vec::as_slice) {
                Some([only]) => return Match::One(*only),
                Some(several) if several.len() > 1 => return Match::Several(several.to_vec()),
                _ => {}
            }
        }
        Match::Nobody
    }
}

/// Gives every registrant their minutes in the sessions and sets
/// `attended`; adds walk-ins with an email; reports those who fell short,
/// the names that fit several registrants and those who match nobody.
/// A report none of whose participants is registered is an error: it is
/// most likely the report of another meeting.
pub(crate) fn apply_sessions(
    roster: &mut Roster,
    sessions: Vec<(&str, Session)>,
    minimum: Option<u32>,
    checked_in: &[bool],
    report: &mut ImportReport,
) -> Result<(), Error> {
    let registrants = roster.attendees.len();
    let first_file = sessions
        .first()
        .map(|(file, _)| *file)
        .unwrap_or_default()
        .to_owned();
    let index = Index::new(&roster.attendees);
    let mut times: Vec<Option<Time>> = (0..registrants).map(|_| None).collect();
    // Walk-ins by email, in the order first seen.
    let mut walk_ins: Vec<(Participant, Time)> = Vec::new();
    let mut walk_in_at: HashMap<String, usize> = HashMap::new();
    for (file_index, (file, session)) in sessions.into_iter().enumerate() {
        report.problems.extend(session.problems);
        if session.no_shows > 0 {
            report.problems.push(Problem::warning(
                ProblemKind::Note,
                Place::file(file),
                format!(
                    "{} registrant{} listed as not having attended (Attended = No)",
                    session.no_shows,
                    if session.no_shows == 1 {
                        " is"
                    } else {
                        "s are"
                    }
                ),
            ));
        }
        let participants = session.people.len();
        let mut matched = 0;
        for person in session.people {
            match index.find(&person) {
                Match::One(at) => {
                    matched += 1;
                    let time = times[at].get_or_insert_with(Time::default);
                    time.add(file_index, &person);
                    if let Some(place) = person.places.first() {
                        let attendee = &mut roster.attendees[at];
                        attendee.source.extend(&Sources::one(place.source()));
                    }
                }
                Match::Several(candidates) => {
                    matched += 1;
                    let who: Vec<String> = candidates
                        .iter()
                        .map(|&i| {
                            let a = &roster.attendees[i];
                            format!("{} <{}>", a.display_name(), a.email)
                        })
                        .collect();
                    report.problems.push(Problem::warning(
                        ProblemKind::AmbiguousName,
                        first_place(&person, file),
                        format!(
                            "`{}` fits {} registered attendees ({}); their time was given to none of them: tell them apart by email in the registrations",
                            shorten(&person.name),
                            candidates.len(),
                            who.join(", ")
                        ),
                    ));
                }
                Match::Nobody if !person.email.is_empty() => {
                    let at = *walk_in_at.entry(person.email.clone()).or_insert_with(|| {
                        walk_ins.push((person.clone(), Time::default()));
                        walk_ins.len() - 1
                    });
                    walk_ins[at].1.add(file_index, &person);
                }
                Match::Nobody => {
                    let mut time = Time::default();
                    time.add(file_index, &person);
                    report.problems.push(Problem::warning(
                        ProblemKind::UnmatchedAttendance,
                        first_place(&person, file),
                        format!(
                            "`{}` was connected for {} min but matches no registered attendee and has no email, so cannot be added; add them to a registration sheet",
                            shorten(&person.name),
                            time.minutes()
                        ),
                    ));
                }
            }
        }
        if participants > 0 && matched == 0 && registrants > 0 {
            return Err(Error::input(
                file,
                format!(
                    "none of its {participants} participants matches a registered attendee by email or name: it looks like the report of another meeting; check that it is this workshop's"
                ),
            ));
        }
    }
    let reached = |minutes: u32, joined: bool| match minimum {
        Some(minimum) => minutes >= minimum,
        None => joined,
    };
    if minimum.is_none() {
        report.problems.push(Problem::warning(
            ProblemKind::Note,
            Place::file(first_file),
            "no minimum attendance is set (min_attendance under [registration], or --min-attendance): everyone who joined an online session counts as having attended",
        ));
    }
    for (at, time) in times.iter_mut().enumerate() {
        let joined = time.is_some();
        let minutes = time.as_mut().map_or(0, Time::minutes);
        let attendee = &mut roster.attendees[at];
        attendee.minutes = Some(minutes);
        let checked = checked_in.get(at).copied().unwrap_or(false);
        attendee.attended = if reached(minutes, joined) || checked {
            Answer::Yes
        } else {
            Answer::No
        };
        if let (Some(minimum), Some(time), false) = (minimum, time.as_ref(), checked)
            && minutes < minimum
        {
            report
                .problems
                .push(short(attendee, minutes, minimum, time));
        }
    }
    for (person, mut time) in walk_ins {
        let minutes = time.minutes();
        let mut attendee = walk_in(&person);
        attendee.minutes = Some(minutes);
        attendee.attended = if reached(minutes, true) {
            Answer::Yes
        } else {
            Answer::No
        };
        report.walk_ins += 1;
        report.problems.push(Problem::warning(
            ProblemKind::WalkIn,
            time.place.clone().unwrap_or_default(),
            format!(
                "{} <{}> joined for {minutes} min but had not registered: added as a walk-in",
                attendee.display_name(),
                attendee.email
            ),
        ));
        if let Some(minimum) = minimum.filter(|m| minutes < *m) {
            report
                .problems
                .push(short(&attendee, minutes, minimum, &time));
        }
        roster.attendees.push(attendee);
    }
    // Walk-ins may share an address with a registered attendee.
    dedup::assign_ids(&mut roster.attendees);
    report.minimum_minutes = minimum;
    Ok(())
}

fn first_place(person: &Participant, file: &str) -> Place {
    person
        .places
        .first()
        .cloned()
        .unwrap_or_else(|| Place::file(file))
}

fn short(attendee: &Attendee, minutes: u32, minimum: u32, time: &Time) -> Problem {
    Problem::warning(
        ProblemKind::ShortAttendance,
        time.place.clone().unwrap_or_default(),
        format!(
            "{} <{}> joined for {minutes} min, short of the {minimum} min minimum: attended=no",
            attendee.display_name(),
            attendee.email
        ),
    )
}

/// An attendee from a participant who had not registered.
fn walk_in(person: &Participant) -> Attendee {
    let mut attendee = Attendee {
        email: person.email.clone(),
        source: Sources::one(person.places.first().map(Place::source).unwrap_or_default()),
        ..Attendee::default()
    };
    if person.given.is_empty() && person.family.is_empty() {
        // Zoom's `Name (Original Name)`: the account's name is the one to print.
        let name = person
            .aliases
            .first()
            .filter(|_| person.name.ends_with(')'))
            .unwrap_or(&person.name);
        attendee.full_name = name_case(name.clone());
        let (given, family) = split_name(&attendee.full_name);
        attendee.given_name = given;
        attendee.family_name = family;
    } else {
        attendee.given_name = name_case(person.given.clone());
        attendee.family_name = name_case(person.family.clone());
    }
    attendee
}
