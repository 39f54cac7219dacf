//! The report of a programme of workshops: how many people registered and
//! came, each counted once across the programme, broken down by gender,
//! age band, city, autonomous community, cause and organisation, with the
//! gaps in the data named so that nobody mistakes a partial count for a
//! whole one.
//!
//! [`Report::compute`] works on rosters already imported (the command line
//! imports each workshop with its own settings); [`Report::to_json`],
//! [`xlsx::write`], [`pdf::write`] and [`html::write`] give the bytes of the
//! four files. Nothing here reads a clock or iterates a hash map into the
//! output: the same rosters give the same bytes.

pub mod html;
pub mod pdf;
pub mod regions;
pub mod xlsx;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;
use taller_model::{
    Answer, Attendee, ConsentCounts, Date, MergeToCheck, People, ProgrammeInfo, Roster, Salt, fold,
};

/// The key of a breakdown for a person who left the field empty.
pub const UNKNOWN: &str = "unknown";

/// What can go wrong while writing the report.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The PDF cannot be made.
    #[error(transparent)]
    Print(#[from] taller_print::Error),
    /// The workbook cannot be made.
    #[error("cannot write the workbook: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// The JSON cannot be made.
    #[error("cannot write the JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// One workshop of the programme, imported.
#[derive(Debug, Clone)]
pub struct WorkshopRoster {
    /// Its short code.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Where it was held (the workshop's city, not the attendees').
    pub city: String,
    /// Its first day.
    pub date: Option<Date>,
    /// Its roster, as `taller run` imports it.
    pub roster: Roster,
}

/// The report, as `report.json` holds it.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The programme it is about.
    pub programme: ProgrammeSummary,
    /// The headline figures.
    pub totals: Totals,
    /// Each workshop's figures, in the programme's order.
    pub workshops: Vec<WorkshopFigures>,
    /// Unique people who attended, by the gender they gave.
    pub by_gender: BTreeMap<String, usize>,
    /// … by age band.
    pub by_age_band: BTreeMap<String, usize>,
    /// … by their own city (as first written).
    pub by_city: BTreeMap<String, usize>,
    /// … by Spain's autonomous community, from their city.
    pub by_region: BTreeMap<String, usize>,
    /// … by the cause their organisation works on.
    pub by_cause: BTreeMap<String, usize>,
    /// … by organisation.
    pub by_organisation: BTreeMap<String, usize>,
    /// Cities of attendees that no autonomous community is known for
    /// (counted under `unknown` in `by_region`).
    pub unknown_cities: Vec<String>,
    /// What is missing, so that no partial figure passes for a whole one.
    pub data_gaps: Vec<DataGap>,
    /// Registrations (roster rows) by their answer to the consent
    /// question: `yes`, `no`, `unknown`.
    pub by_consent: ConsentCounts,
    /// People counted once because of the same name and organisation under
    /// two emails: to be checked. `report.json` holds only how many (it is
    /// the anonymous record that outlives a purge); the workbook lists them.
    #[serde(serialize_with = "count")]
    pub merges_to_check: Vec<MergeToCheck>,
    /// Everyone, for the workbook (not in `report.json`: a funder needs
    /// the figures, not the names).
    #[serde(skip)]
    pub people: Vec<Person>,
}

/// The programme's own description.
#[derive(Debug, Clone, Serialize)]
pub struct ProgrammeSummary {
    /// Short code.
    pub id: String,
    /// Title.
    pub title: String,
    /// Who runs it.
    pub organiser: String,
    /// Who pays for it.
    pub funder: Option<String>,
}

/// The headline figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Totals {
    /// Workshops in the programme.
    pub workshops: usize,
    /// Roster rows of all workshops.
    pub registrations: usize,
    /// Roster rows with `attended=yes`.
    pub attendances: usize,
    /// Unique people registered.
    pub people: usize,
    /// Unique people who attended at least one workshop.
    pub people_attended: usize,
    /// Unique people who attended two workshops or more.
    pub repeat_people: usize,
    /// 1 − attendances / registrations, among the workshops that record
    /// attendance (rounded to 4 decimals); none when no workshop does.
    pub no_show_rate: Option<f64>,
}

/// One workshop's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkshopFigures {
    /// Short code.
    pub id: String,
    /// Title.
    pub title: String,
    /// Where it was held.
    pub city: String,
    /// First day, ISO 8601.
    pub date: Option<String>,
    /// Roster rows.
    pub registered: usize,
    /// Rows with `attended=yes`; none when attendance was not recorded.
    pub attended: Option<usize>,
}

/// Something missing from the data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DataGap {
    /// The workshop's id.
    pub workshop: String,
    /// What is missing: `attendance`, `gender`, `age_band`, `city`, `cause`
    /// or `organisation`.
    pub missing: String,
    /// What that means for the figures, in a sentence.
    pub note: String,
}

/// One person of the programme, for the workbook's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// Every email the person registered with, in order of appearance.
    pub emails: Vec<String>,
    /// The name, as first written.
    pub name: String,
    /// The organisation, as first written.
    pub organisation: String,
    /// Ids of the workshops registered for.
    pub registered: Vec<String>,
    /// Ids of the workshops attended.
    pub attended: Vec<String>,
}

/// A breakdown's fields, in the order the report shows them: its key in
/// `report.json`, its title, and the missing-data name.
pub const BREAKDOWNS: [(&str, &str, &str); 6] = [
    ("by_gender", "Gender", "gender"),
    ("by_age_band", "Age band", "age_band"),
    ("by_region", "Autonomous community", "city"),
    ("by_city", "City", "city"),
    ("by_cause", "Cause", "cause"),
    ("by_organisation", "Organisation", "organisation"),
];

impl Report {
    /// Counts the programme. Workshops are taken by date (those without one
    /// last, ties in the order given); a person's breakdown values are the
    /// first non-empty ones in that order, and a merge's first email is the
    /// one of the earlier workshop.
    pub fn compute(programme: &ProgrammeInfo, workshops: &[WorkshopRoster]) -> Report {
        Report::compute_with(programme, workshops, None)
    }

    /// [`Report::compute`], with people told apart by their salted keys
    /// when a salt is given: for a programme some of whose rosters were
    /// purged (their rows hold keys instead of emails and names), which
    /// gives the same figures as before the purge.
    pub fn compute_with(
        programme: &ProgrammeInfo,
        workshops: &[WorkshopRoster],
        salt: Option<&Salt>,
    ) -> Report {
        let mut by_date: Vec<&WorkshopRoster> = workshops.iter().collect();
        by_date.sort_by_key(|w| (w.date.is_none(), w.date));
        let workshops = by_date;
        let rows: Vec<(usize, &Attendee)> = workshops
            .iter()
            .enumerate()
            .flat_map(|(w, ws)| ws.roster.attendees.iter().map(move |a| (w, a)))
            .collect();
        let identity = match salt {
            Some(salt) => People::identify_keyed(rows.iter().map(|(_, a)| *a), salt),
            None => People::identify(rows.iter().map(|(_, a)| *a)),
        };
        let mut by_consent = ConsentCounts::default();
        for (_, a) in &rows {
            by_consent.add(a.consent);
        }
        let recorded: Vec<bool> = workshops
            .iter()
            .map(|w| w.roster.records_attendance())
            .collect();

        let mut figures = Vec::with_capacity(workshops.len());
        let mut data_gaps = Vec::new();
        for (w, ws) in workshops.iter().enumerate() {
            let attended = recorded[w].then(|| {
                ws.roster
                    .attendees
                    .iter()
                    .filter(|a| a.attended == Answer::Yes)
                    .count()
            });
            figures.push(WorkshopFigures {
                id: ws.id.clone(),
                title: ws.title.clone(),
                city: ws.city.clone(),
                date: ws.date.map(|d| d.to_string()),
                registered: ws.roster.attendees.len(),
                attended,
            });
            data_gaps.extend(gaps(ws, recorded[w]));
        }

        // People: their rows in programme order.
        let mut people: Vec<Person> = vec![
            Person {
                emails: Vec::new(),
                name: String::new(),
                organisation: String::new(),
                registered: Vec::new(),
                attended: Vec::new(),
            };
            identity.count
        ];
        let mut fields: Vec<[String; 5]> = vec![Default::default(); identity.count];
        for (&(w, a), &p) in rows.iter().zip(&identity.person_of_row) {
            let person = &mut people[p];
            let email = a.email.trim();
            if !email.is_empty() && !person.emails.iter().any(|e| e.eq_ignore_ascii_case(email)) {
                person.emails.push(email.to_owned());
            }
            first_non_empty(&mut person.name, &a.display_name());
            first_non_empty(&mut person.organisation, &a.organisation);
            let id = &workshops[w].id;
            if person.registered.last() != Some(id) {
                person.registered.push(id.clone());
            }
            if a.attended == Answer::Yes && person.attended.last() != Some(id) {
                person.attended.push(id.clone());
            }
            let values = [
                a.gender.as_str(),
                a.age_band.as_str(),
                &a.city,
                &a.cause,
                &a.organisation,
            ];
            for (slot, value) in fields[p].iter_mut().zip(values) {
                first_non_empty(slot, value);
            }
        }

        let mut by = [(); 6].map(|_| Tally::default());
        let mut unknown_cities = BTreeSet::new();
        for (person, f) in people.iter().zip(&fields) {
            if person.attended.is_empty() {
                continue;
            }
            let [gender, age, city, cause, organisation] = f;
            by[0].add(gender);
            by[1].add(age);
            let region = if city.is_empty() {
                ""
            } else {
                regions::region_of(city).unwrap_or_else(|| {
                    unknown_cities.insert(city.clone());
                    ""
                })
            };
            by[2].add(region);
            by[3].add(city);
            by[4].add(cause);
            by[5].add(organisation);
        }
        let [
            by_gender,
            by_age_band,
            by_region,
            by_city,
            by_cause,
            by_organisation,
        ] = by.map(Tally::finish);

        let attendances = rows
            .iter()
            .filter(|(_, a)| a.attended == Answer::Yes)
            .count();
        let recorded_rows: usize = workshops
            .iter()
            .zip(&recorded)
            .filter(|(_, r)| **r)
            .map(|(w, _)| w.roster.attendees.len())
            .sum();
        let no_show_rate = (recorded_rows > 0).then(|| {
            let rate = 1.0 - attendances as f64 / recorded_rows as f64;
            (rate * 10_000.0).round() / 10_000.0
        });
        let totals = Totals {
            workshops: workshops.len(),
            registrations: rows.len(),
            attendances,
            people: identity.count,
            people_attended: people.iter().filter(|p| !p.attended.is_empty()).count(),
            repeat_people: people.iter().filter(|p| p.attended.len() >= 2).count(),
            no_show_rate,
        };
        Report {
            programme: ProgrammeSummary {
                id: programme.id.clone(),
                title: programme.title.clone(),
                organiser: programme.organiser.clone(),
                funder: programme.funder.clone(),
            },
            totals,
            workshops: figures,
            by_gender,
            by_age_band,
            by_city,
            by_region,
            by_cause,
            by_organisation,
            unknown_cities: unknown_cities.into_iter().collect(),
            data_gaps,
            by_consent,
            merges_to_check: identity.merges,
            people,
        }
    }

    /// `report.json`, pretty-printed, ending with a line break.
    pub fn to_json(&self) -> Result<Vec<u8>, Error> {
        let mut bytes = serde_json::to_vec_pretty(self)?;
        bytes.push(b'\n');
        Ok(bytes)
    }

    /// A breakdown by its key in [`BREAKDOWNS`].
    pub fn breakdown(&self, key: &str) -> &BTreeMap<String, usize> {
        match key {
            "by_gender" => &self.by_gender,
            "by_age_band" => &self.by_age_band,
            "by_city" => &self.by_city,
            "by_region" => &self.by_region,
            "by_cause" => &self.by_cause,
            _ => &self.by_organisation,
        }
    }

    /// The totals as the PDF and the HTML show them: each figure written
    /// out, with its label.
    pub fn total_figures(&self) -> [(String, &'static str); 7] {
        let t = &self.totals;
        let no_show = t
            .no_show_rate
            .map_or_else(|| "—".to_owned(), |r| format!("{:.0} %", r * 100.0));
        [
            (t.workshops.to_string(), "workshops"),
            (t.registrations.to_string(), "registrations"),
            (t.attendances.to_string(), "attendances"),
            (t.people.to_string(), "people registered"),
            (t.people_attended.to_string(), "people who attended"),
            (t.repeat_people.to_string(), "attended two or more"),
            (no_show, "no-show rate"),
        ]
    }

    /// The consent counts in a sentence, for the PDF and the page.
    pub fn consent_sentence(&self) -> String {
        let c = &self.by_consent;
        format!(
            "Consent to follow-up emails, over all registrations: {} yes, {} no, {} unknown (no answer recorded). Follow-up emails go only to yes and unknown.",
            c.yes, c.no, c.unknown
        )
    }

    /// The data gaps in a few sentences for people, one per kind of gap
    /// naming its workshops (`data_gaps` has one entry per workshop and
    /// kind), then the unknown cities.
    pub fn gap_sentences(&self) -> Vec<String> {
        let mut sentences = Vec::new();
        for missing in [
            "attendance",
            "gender",
            "age_band",
            "city",
            "cause",
            "organisation",
        ] {
            let ids: Vec<&str> = self
                .data_gaps
                .iter()
                .filter(|g| g.missing == missing)
                .map(|g| g.workshop.as_str())
                .collect();
            if ids.is_empty() {
                continue;
            }
            let which = if ids.len() == self.workshops.len() && ids.len() > 1 {
                format!("any of the {} workshops", ids.len())
            } else if ids.len() == 1 {
                format!("workshop {}", ids[0])
            } else {
                format!("{} workshops ({})", ids.len(), ids.join(", "))
            };
            sentences.push(if missing == "attendance" {
                let rows: usize = self
                    .workshops
                    .iter()
                    .filter(|w| w.attended.is_none())
                    .map(|w| w.registered)
                    .sum();
                format!(
                    "Attendance was not recorded in {which}: their {rows} registrations count in no attendance figure."
                )
            } else {
                format!(
                    "Nobody's {} is known in {which} (the question was not asked): their attendees count as unknown in that breakdown.",
                    missing.replace('_', " ")
                )
            });
        }
        if !self.unknown_cities.is_empty() {
            sentences.push(format!(
                "No autonomous community is known for these cities, counted as unknown: {}.",
                self.unknown_cities.join(", ")
            ));
        }
        sentences
    }

    /// A date for the documents' metadata that depends on the inputs only:
    /// the last workshop's first day, midnight UTC (1970 when none has one).
    pub fn document_time(&self, workshops: &[WorkshopRoster]) -> i64 {
        workshops
            .iter()
            .filter_map(|w| w.date)
            .max()
            .and_then(midnight_utc)
            .unwrap_or(0)
    }
}

/// A breakdown's entries for a chart: largest first, ties by name, and
/// `unknown` last.
pub fn ranked(breakdown: &BTreeMap<String, usize>) -> Vec<(&str, usize)> {
    let mut entries: Vec<(&str, usize)> = breakdown.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    entries.sort_by(|a, b| {
        (a.0 == UNKNOWN)
            .cmp(&(b.0 == UNKNOWN))
            .then(b.1.cmp(&a.1))
            .then(a.0.cmp(b.0))
    });
    entries
}

/// Most bars a chart shows; the rest are summed into one "others" bar.
pub const CHART_BARS: usize = 12;

/// A chart's bars: [`ranked`], with whatever is past [`CHART_BARS`]
/// summed into one bar that says how many values it holds.
pub fn chart_bars(breakdown: &BTreeMap<String, usize>) -> Vec<(String, usize)> {
    let entries = ranked(breakdown);
    if entries.len() <= CHART_BARS {
        return entries
            .into_iter()
            .map(|(k, n)| (k.to_owned(), n))
            .collect();
    }
    let (shown, rest) = entries.split_at(CHART_BARS - 1);
    let mut bars: Vec<(String, usize)> = shown.iter().map(|(k, n)| ((*k).to_owned(), *n)).collect();
    bars.push((
        format!("{} others", rest.len()),
        rest.iter().map(|(_, n)| n).sum(),
    ));
    bars
}

/// A list written as how many it holds.
fn count<S: serde::Serializer, T>(list: &[T], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_u64(list.len() as u64)
}

fn first_non_empty(slot: &mut String, value: &str) {
    if slot.is_empty() {
        value.trim().clone_into(slot);
    }
}

/// Counts of one breakdown, values grouped without case or accents and
/// shown as first written.
#[derive(Default)]
struct Tally {
    shown: HashMap<String, String>,
    counts: BTreeMap<String, usize>,
}

impl Tally {
    fn add(&mut self, value: &str) {
        let key = fold(value);
        let shown = if key.is_empty() {
            UNKNOWN.to_owned()
        } else {
            self.shown
                .entry(key)
                .or_insert_with(|| value.trim().to_owned())
                .clone()
        };
        *self.counts.entry(shown).or_insert(0) += 1;
    }

    fn finish(self) -> BTreeMap<String, usize> {
        self.counts
    }
}

/// Whether an attendee answered one question.
type Answered = fn(&Attendee) -> bool;

/// The gaps of one workshop: attendance not recorded, and each question
/// nobody answered (not asked, most likely).
fn gaps(ws: &WorkshopRoster, recorded: bool) -> Vec<DataGap> {
    let mut found = Vec::new();
    if !recorded {
        found.push(DataGap {
            workshop: ws.id.clone(),
            missing: "attendance".to_owned(),
            note: format!(
                "{}: attendance was not recorded, so its {} registrations count in no attendance figure",
                ws.id,
                ws.roster.attendees.len()
            ),
        });
    }
    if ws.roster.attendees.is_empty() {
        return found;
    }
    let fields: [(&str, Answered); 5] = [
        ("gender", |a| !a.gender.as_str().is_empty()),
        ("age_band", |a| !a.age_band.as_str().is_empty()),
        ("city", |a| !a.city.trim().is_empty()),
        ("cause", |a| !a.cause.trim().is_empty()),
        ("organisation", |a| !a.organisation.trim().is_empty()),
    ];
    for (name, answered) in fields {
        if !ws.roster.attendees.iter().any(answered) {
            found.push(DataGap {
                workshop: ws.id.clone(),
                missing: name.to_owned(),
                note: format!(
                    "{}: nobody's {} is known (the question was not asked), so its attendees count as unknown in that breakdown",
                    ws.id,
                    name.replace('_', " ")
                ),
            });
        }
    }
    found
}

/// Seconds from 1970-01-01 to `date` at midnight UTC (`None` out of
/// jiff's range, years -9999 to 9999, which a workshop file cannot hold).
fn midnight_utc(date: taller_model::Date) -> Option<i64> {
    let day = jiff::civil::Date::new(
        i16::try_from(date.year).ok()?,
        i8::try_from(date.month).ok()?,
        i8::try_from(date.day).ok()?,
    )
    .ok()?;
    let moment = jiff::tz::Offset::UTC
        .to_timestamp(day.to_datetime(jiff::civil::Time::midnight()))
        .ok()?;
    Some(moment.as_second())
}

#[cfg(test)]
mod tests;
