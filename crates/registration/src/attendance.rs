//! Attendance by time: the participant reports of online sessions (Zoom,
//! Microsoft Teams, Google Meet), recognised by their content, read into
//! people with the intervals or durations they were connected.
//!
//! Reports are read section by section: a header row of a participants
//! table opens a section, a section title (`Attendee Details`,
//! `3. In-Meeting Activities`) closes it. Times are kept per file (a file
//! is a session, or a list of meetings with full dates), so that two
//! connections of one person at once count once.

use std::collections::HashMap;

use taller_model::{Place, Problem, ProblemKind};

use crate::normalise::{self, clean, shorten};
use crate::table::{Row, Table};
use taller_model::fold;

/// The platform export a report was recognised as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    ZoomParticipants,
    ZoomWebinar,
    ZoomUsage,
    TeamsMeeting,
    TeamsLive,
    GoogleMeet,
    /// A table of participants with times or durations from elsewhere.
    Other,
}

impl Layout {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Layout::ZoomParticipants => "Zoom meeting participants",
            Layout::ZoomWebinar => "Zoom webinar attendee report",
            Layout::ZoomUsage => "Zoom usage report with participant details",
            Layout::TeamsMeeting => "Microsoft Teams attendance report",
            Layout::TeamsLive => "Microsoft Teams live-event log",
            Layout::GoogleMeet => "Google Meet attendance",
            Layout::Other => "participant report",
        }
    }
}

/// The columns of a participants table that taller reads.
#[derive(Debug, Clone, Default)]
struct Columns {
    name: Option<usize>,
    first: Option<usize>,
    last: Option<usize>,
    email: Option<usize>,
    upn: Option<usize>,
    join: Option<usize>,
    leave: Option<usize>,
    duration: Option<usize>,
    attended: Option<usize>,
    session: Option<usize>,
    action: Option<usize>,
    timestamp: Option<usize>,
    /// Teams' `First Join`/`Last Leave`: one row per person with totals,
    /// left out when the same report lists every connection.
    summary: bool,
    /// Headers in Spanish: dates are day first unless they say otherwise.
    spanish: bool,
    /// Headers of a Zoom export (`Name (Original Name)`, `Time in Session`).
    zoom: bool,
    /// The Zoom usage report's meeting columns (`Topic`, `Host name`).
    meeting_columns: bool,
    /// The Zoom usage report's `Host email`, on every row.
    host: Option<usize>,
}

/// Header texts (folded) of each column, best first.
const NAME: &[&str] = &[
    "name original name",
    "user name original name",
    "nombre nombre original",
    "nombre de usuario nombre original",
    "full name",
    "name",
    "participant",
    "participant name",
    "nombre completo",
    "participante",
    "nombre",
];
const FIRST: &[&str] = &["first name", "nombre"];
const LAST: &[&str] = &["last name", "apellidos", "apellido"];
const EMAIL: &[&str] = &[
    "user email",
    "email",
    "email address",
    "e mail",
    "correo electronico",
    "correo electronico del usuario",
    "correo",
];
const UPN: &[&str] = &[
    "participant id upn",
    "id de participante upn",
    "upn",
    "participant id",
];
const JOIN: &[&str] = &[
    "join time",
    "first join",
    "time joined",
    "joined",
    "hora de entrada",
    "hora de union",
    "hora de ingreso",
    "primera entrada",
    "primera union",
    "hora de incorporacion",
];
const LEAVE: &[&str] = &[
    "leave time",
    "last leave",
    "time exited",
    "left",
    "hora de salida",
    "ultima salida",
    "hora de abandono",
];
const DURATION: &[&str] = &[
    "duration minutes 1",
    "total duration minutes",
    "time in session minutes",
    "in meeting duration",
    "duration minutes",
    "duration",
    "duracion minutos",
    "duracion total minutos",
    "tiempo en la sesion minutos",
    "duracion en la reunion",
    "duracion",
];
const ATTENDED: &[&str] = &["attended", "asistio"];

/// Titles that open (or close) a section of a report.
const TITLES: &[&str] = &[
    "attendee report",
    "report generated",
    "host details",
    "panelist details",
    "panelists details",
    "attendee details",
    "other attended",
    "informe de asistentes",
    "detalles del anfitrion",
    "detalles del panelista",
    "detalles de los panelistas",
    "detalles del asistente",
    "detalles de los asistentes",
    "otros asistentes",
];

/// Sections of staff, not counted.
const STAFF_TITLES: &[&str] = &["host", "panelist", "anfitrion", "panelista"];

fn find(headers: &[String], names: &[&str]) -> Option<usize> {
    names
        .iter()
        .find_map(|name| headers.iter().position(|h| h == name))
}

/// The participants-table columns of a header row, if it is one.
fn header_columns(row: &Row) -> Option<Columns> {
    let headers: Vec<String> = row.cells.iter().map(|c| fold(&c.text())).collect();
    let has = |name: &str| headers.iter().any(|h| h == name);
    let mut c = Columns {
        email: find(&headers, EMAIL),
        upn: find(&headers, UPN),
        join: find(&headers, JOIN),
        leave: find(&headers, LEAVE),
        duration: find(&headers, DURATION),
        attended: find(&headers, ATTENDED),
        session: find(&headers, &["session id"]),
        action: find(&headers, &["action", "accion"]),
        timestamp: find(
            &headers,
            &["utc event timestamp", "event timestamp", "timestamp"],
        ),
        host: find(
            &headers,
            &["host email", "correo electronico del anfitrion"],
        ),
        summary: ["first join", "last leave", "primera union", "ultima salida"]
            .iter()
            .any(|h| has(h)),
        ..Columns::default()
    };
    let last = find(&headers, LAST);
    if last.is_some() {
        c.first = find(&headers, FIRST);
        c.last = last;
    }
    c.name = find(&headers, NAME).filter(|n| Some(*n) != c.first);
    c.spanish = headers.iter().any(|h| {
        [
            "hora de entrada",
            "hora de salida",
            "duracion",
            "duracion minutos",
            "correo electronico",
            "nombre nombre original",
        ]
        .contains(&h.as_str())
    });
    c.zoom = headers.iter().any(|h| {
        [
            "original name",
            "time in session",
            "nombre original",
            "tiempo en la sesion",
        ]
        .iter()
        .any(|mark| h.contains(mark))
    });
    c.meeting_columns = has("topic") && has("host name");
    // An email alone is not enough with durations: Zoom's meeting block
    // above the table has `User Email` (the host's) and `Duration`.
    let who = c.name.is_some()
        || c.first.is_some()
        || (c.email.is_some() && c.join.is_some() && c.leave.is_some());
    let live = c.session.is_some() && c.action.is_some() && c.timestamp.is_some();
    let times = (c.join.is_some() && c.leave.is_some()) || c.duration.is_some();
    if live {
        c.name = find(&headers, &["full name", "name"]);
        c.upn = find(&headers, &["participant id"]);
        return Some(c);
    }
    (who && times).then_some(c)
}

/// A section title: one filled cell naming a section of a report.
fn title(row: &Row) -> Option<String> {
    let mut filled = row.cells.iter().filter(|c| !c.is_blank());
    let first = filled.next()?;
    let text = fold(&first.text());
    let known = TITLES.iter().any(|t| text.starts_with(t));
    // `Report Generated:` has its date in the next cell.
    let alone = filled.next().is_none();
    (known || (alone && crate::rows::is_section_heading(row))).then_some(text)
}

/// A time of day, with the day when the report gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    /// Days since 1970-01-01, when the value has a date.
    day: Option<i64>,
    /// Seconds since midnight (UTC when the value gave an offset).
    seconds: i64,
}

impl Stamp {
    fn instant(self) -> i64 {
        self.day.unwrap_or(0) * 86_400 + self.seconds
    }
}

/// Which number of `1/2/2025` is the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateOrder {
    MonthFirst,
    DayFirst,
}

/// Days from 1970-01-01 to a civil date; `None` for a date that does not
/// exist or a year no attendance export holds.
fn days_from_civil(year: i64, month: i64, day: i64) -> Option<i64> {
    if !(1900..=2200).contains(&year) {
        return None;
    }
    let date = jiff::civil::Date::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
    )
    .ok()?;
    let days = date.since(jiff::civil::date(1970, 1, 1)).ok()?.get_days();
    Some(i64::from(days))
}

fn month_number(word: &str) -> Option<i64> {
    const MONTHS: [[&str; 2]; 12] = [
        ["jan", "ene"],
        ["feb", "feb"],
        ["mar", "mar"],
        ["apr", "abr"],
        ["may", "may"],
        ["jun", "jun"],
        ["jul", "jul"],
        ["aug", "ago"],
        ["sep", "set"],
        ["oct", "oct"],
        ["nov", "nov"],
        ["dec", "dic"],
    ];
    let prefix: String = word.chars().take(3).collect();
    MONTHS
        .iter()
        .position(|names| names.contains(&prefix.as_str()))
        .map(|m| m as i64 + 1)
}

/// Reads `h:mm[:ss]`.
fn clock(text: &str) -> Option<(i64, i64, i64)> {
    let mut parts = text.split(':');
    let h: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let s: i64 = match parts.next() {
        Some(s) => s.split('.').next()?.parse().ok()?,
        None => 0,
    };
    if parts.next().is_some() || h > 23 || m > 59 || s > 60 {
        return None;
    }
    Some((h, m, s))
}

/// Reads a date and time as the platforms write them: `08/30/2025 03:34:07
/// PM`, `1/27/24, 10:00:03 AM`, `Mar 22, 2025 19:13:27`, `22 mar. 2025
/// 7:13 p. m.`, `2025-03-22T19:13:27Z`, or a time alone (`10:02 AM`).
fn parse_stamp(text: &str, order: DateOrder) -> Option<Stamp> {
    let lower = text.trim().to_lowercase();
    let lower = lower
        .replace("a. m.", "am")
        .replace("p. m.", "pm")
        .replace("a.m.", "am")
        .replace("p.m.", "pm");
    if lower.len() >= 10 && lower.as_bytes()[4] == b'-' && lower.as_bytes()[7] == b'-' {
        return parse_iso(&lower);
    }
    let mut date: Option<(i64, i64, i64)> = None;
    let mut time: Option<(i64, i64, i64)> = None;
    let mut meridiem: Option<bool> = None;
    let mut month: Option<i64> = None;
    let mut numbers: Vec<i64> = Vec::new();
    for token in lower.split([' ', ',']).filter(|t| !t.is_empty()) {
        let token = token.trim_end_matches('.');
        let (body, suffix) = match token
            .strip_suffix("am")
            .or_else(|| token.strip_suffix("pm"))
        {
            Some(body) if body.contains(':') => (body, Some(token.ends_with("pm"))),
            _ => (token, None),
        };
        if suffix.is_some() {
            meridiem = suffix;
        }
        if body.contains(':') {
            time = Some(clock(body)?);
        } else if body == "am" || body == "pm" {
            meridiem = Some(body == "pm");
        } else if body.contains('/')
            || (body.contains('-') && body.chars().next()?.is_ascii_digit())
        {
            let parts: Vec<i64> = body
                .split(['/', '-'])
                .map(|p| p.parse().ok())
                .collect::<Option<_>>()?;
            let [a, b, y] = parts[..] else { return None };
            let y = if y < 100 { y + 2000 } else { y };
            date = Some(match order {
                DateOrder::MonthFirst => (y, a, b),
                DateOrder::DayFirst => (y, b, a),
            });
        } else if body.chars().all(|c| c.is_ascii_digit()) {
            numbers.push(body.parse().ok()?);
        } else if ["de", "del", "utc", "gmt", "at", "a las"].contains(&body) {
        } else if body.chars().all(char::is_alphabetic) {
            // Weekday names are not months: only a known month is taken.
            match month_number(body) {
                Some(m) if month.is_none() && body.len() <= 10 => month = Some(m),
                _ if WEEKDAYS.iter().any(|w| body.starts_with(w)) => {}
                _ => return None,
            }
        } else {
            return None;
        }
    }
    if let Some(m) = month {
        let (day, year) = match numbers[..] {
            [d, y] if d <= 31 && y > 31 => (d, y),
            [y, d] if d <= 31 && y > 31 => (d, y),
            _ => return None,
        };
        date = Some((year, m, day));
    } else if !numbers.is_empty() {
        return None;
    }
    let (mut h, m, s) = time?;
    match meridiem {
        Some(pm) if (1..=12).contains(&h) => h = h % 12 + if pm { 12 } else { 0 },
        Some(_) => return None,
        None => {}
    }
    let day = match date {
        Some((y, mo, d)) => Some(days_from_civil(y, mo, d)?),
        None => None,
    };
    Some(Stamp {
        day,
        seconds: h * 3600 + m * 60 + s,
    })
}

const WEEKDAYS: &[&str] = &[
    "mon", "tue", "wed", "thu", "fri", "sat", "sun", "lun", "mie", "mié", "jue", "vie", "sab",
    "sáb", "dom",
];

/// `2025-03-22T19:13:27Z`, `2025-03-22 19:13:27`, `+02:00` offsets.
fn parse_iso(text: &str) -> Option<Stamp> {
    let day = days_from_civil(
        text.get(0..4)?.parse().ok()?,
        text.get(5..7)?.parse().ok()?,
        text.get(8..10)?.parse().ok()?,
    )?;
    let rest = text.get(10..)?.trim_start_matches(['t', ' ']);
    if rest.is_empty() {
        return None;
    }
    let (time, offset) = if let Some(time) = rest.strip_suffix('z') {
        (time, 0)
    } else if let Some(at) = rest.rfind(['+', '-']) {
        let (h, m, _) = clock(&rest[at + 1..])?;
        let sign = if rest.as_bytes()[at] == b'-' { -1 } else { 1 };
        (&rest[..at], sign * (h * 3600 + m * 60))
    } else {
        (rest, 0)
    };
    let (h, m, s) = clock(time.trim())?;
    Some(Stamp {
        day: Some(day),
        seconds: h * 3600 + m * 60 + s - offset,
    })
}

/// Reads a duration as the platforms write it: `1h 2m 3s`, `1 hr 5 min`,
/// `45 min`, `1 h 5 min 3 s`, `1 hora 5 minutos`, `1:05:00`, or a bare
/// number of minutes (`65`, Zoom's `Duration (Minutes)`). In seconds.
fn parse_duration(text: &str) -> Option<i64> {
    let t = text.trim().to_lowercase();
    if t.is_empty() {
        return None;
    }
    if let Ok(minutes) = t.replace(',', ".").parse::<f64>() {
        return (minutes.is_finite() && (0.0..100_000.0).contains(&minutes))
            .then(|| (minutes * 60.0).round() as i64);
    }
    if t.contains(':') {
        let parts: Vec<i64> = t
            .split(':')
            .map(|p| p.trim().parse().ok())
            .collect::<Option<_>>()?;
        return match parts[..] {
            [h, m, s] if m < 60 && s < 60 => Some(h * 3600 + m * 60 + s),
            [h, m] if m < 60 => Some(h * 3600 + m * 60),
            _ => None,
        };
    }
    let mut total = 0;
    let mut seen = false;
    let mut rest = t.as_str();
    loop {
        rest = rest.trim_start_matches([' ', ',']);
        for filler in ["y ", "and "] {
            rest = rest.strip_prefix(filler).unwrap_or(rest);
        }
        if rest.is_empty() {
            break;
        }
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        let number: i64 = rest[..digits].parse().ok()?;
        rest = rest[digits..].trim_start();
        let unit_len = rest
            .chars()
            .take_while(|c| c.is_alphabetic())
            .map(char::len_utf8)
            .sum();
        let unit = rest[..unit_len].trim_end_matches('.');
        rest = rest[unit_len..].trim_start_matches('.');
        let scale = match unit {
            "h" | "hr" | "hrs" | "hour" | "hours" | "hora" | "horas" => 3600,
            "m" | "min" | "mins" | "minute" | "minutes" | "minuto" | "minutos" => 60,
            "s" | "sec" | "secs" | "second" | "seconds" | "seg" | "segundo" | "segundos" => 1,
            _ => return None,
        };
        total = number.checked_mul(scale)?.checked_add(total)?;
        seen = true;
    }
    (seen && total < 100_000 * 60).then_some(total)
}

/// "No value" as the platforms write it.
fn is_none_value(text: &str) -> bool {
    matches!(text.trim(), "" | "-" | "--" | "—" | "n/a" | "N/A")
}

/// One person's connections in one report, gathered over their rows.
#[derive(Debug, Clone, Default)]
pub(crate) struct Participant {
    /// Normalised email, when the report gave a usable one.
    pub(crate) email: String,
    /// The name as shown, and the other names it can be matched by.
    pub(crate) name: String,
    pub(crate) aliases: Vec<String>,
    /// Given and family name when the report has them apart (Meet).
    pub(crate) given: String,
    pub(crate) family: String,
    /// Every row of this person.
    pub(crate) places: Vec<Place>,
    /// Connections as `[start, end)` in seconds since 1970 (dated, so
    /// comparable across reports).
    pub(crate) intervals: Vec<(i64, i64)>,
    /// Connections given as times of day without a date (Meet): only
    /// comparable within their report.
    pub(crate) undated: Vec<(i64, i64)>,
    /// Time from rows that give only a duration, in seconds.
    pub(crate) seconds: i64,
}

impl Participant {
    /// The folded names to match a registrant by.
    pub(crate) fn name_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = std::iter::once(&self.name)
            .chain(&self.aliases)
            .map(|n| fold(n))
            .filter(|k| !k.is_empty())
            .collect();
        keys.dedup();
        keys
    }
}

/// One report read: who was connected and for how long.
#[derive(Debug, Default)]
pub(crate) struct Session {
    pub(crate) layout: Option<Layout>,
    /// Row of the (first) participants header.
    pub(crate) header_row: u32,
    /// Participant rows read (no-shows of a webinar included).
    pub(crate) rows_read: usize,
    /// Registrants listed as not having attended (webinar `Attended = No`).
    pub(crate) no_shows: usize,
    pub(crate) people: Vec<Participant>,
    pub(crate) problems: Vec<Problem>,
    /// The meeting's host, from the block above the table: not an attendee.
    hosts: Vec<String>,
}

/// The host's address in Zoom's meeting block (`Meeting ID, Topic, …,
/// User Email, …` and a row of values below it).
fn meeting_host(rows: &[Row]) -> Option<String> {
    rows.windows(2).find_map(|pair| {
        let headers: Vec<String> = pair[0].cells.iter().map(|c| fold(&c.text())).collect();
        if !headers
            .iter()
            .any(|h| h == "meeting id" || h == "id de reunion")
        {
            return None;
        }
        let column = find(
            &headers,
            &["user email", "host email", "correo electronico del usuario"],
        )?;
        normalise::email(&pair[1].cell(column).text())
            .ok()
            .map(|(address, _)| address)
    })
}

/// Seconds covered by a set of intervals, overlaps counted once.
pub(crate) fn covered(intervals: &mut [(i64, i64)]) -> i64 {
    intervals.sort_unstable();
    let mut total = 0;
    let mut current: Option<(i64, i64)> = None;
    for &(start, end) in intervals.iter() {
        match &mut current {
            Some((_, cur_end)) if start <= *cur_end => *cur_end = (*cur_end).max(end),
            _ => {
                if let Some((s, e)) = current {
                    total += e - s;
                }
                current = Some((start, end));
            }
        }
    }
    if let Some((s, e)) = current {
        total += e - s;
    }
    total
}

/// A table of one section of a report.
struct Section {
    title: Option<String>,
    header: usize,
    columns: Columns,
    end: usize,
}

/// Recognises an online-session report in a sheet and reads it; `None`
/// when the sheet is not one (a check-in sheet, read as before).
pub(crate) fn read_session(table: &Table, base: &Place) -> Option<Session> {
    let sections = sections(table);
    let first = sections.first()?;
    let titles: Vec<&str> = table
        .rows
        .iter()
        .filter_map(title)
        .map(|t| match t.as_str() {
            t if t.starts_with("attendee details") || t.starts_with("attendee report") => "webinar",
            t if [
                "summary",
                "participants",
                "in meeting",
                "resumen",
                "participantes",
                "actividades",
            ]
            .iter()
            .any(|word| t.contains(word)) =>
            {
                "teams"
            }
            _ => "",
        })
        .collect();
    let c = &first.columns;
    let layout = if c.session.is_some() && c.action.is_some() {
        Layout::TeamsLive
    } else if titles.contains(&"webinar") || c.attended.is_some() {
        Layout::ZoomWebinar
    } else if c.meeting_columns {
        Layout::ZoomUsage
    } else if titles.contains(&"teams") || c.summary || c.upn.is_some() {
        Layout::TeamsMeeting
    } else if c.zoom {
        Layout::ZoomParticipants
    } else if c.first.is_some() && c.last.is_some() && c.duration.is_some() {
        Layout::GoogleMeet
    } else {
        Layout::Other
    };
    let mut session = Session {
        layout: Some(layout),
        header_row: table.rows[first.header].number,
        hosts: meeting_host(&table.rows[..first.header])
            .into_iter()
            .collect(),
        ..Session::default()
    };
    let order = date_order(table, &sections);
    let per_connection = sections
        .iter()
        .any(|s| !s.columns.summary && s.columns.join.is_some());
    let mut people = People::default();
    let mut totals = People::default();
    for section in &sections {
        let rows = &table.rows[section.header + 1..section.end];
        let span = || match (rows.first(), rows.last()) {
            (Some(a), Some(b)) => format!("rows {}–{}", a.number, b.number),
            _ => format!("row {}", table.rows[section.header].number),
        };
        let staff = section
            .title
            .as_deref()
            .is_some_and(|t| STAFF_TITLES.iter().any(|s| t.contains(s)));
        if staff {
            session.problems.push(Problem::warning(
                ProblemKind::Note,
                base.clone().with_row(table.rows[section.header].number),
                format!(
                    "{} list the {} (`{}`), not attendees; their time is not counted",
                    span(),
                    if section
                        .title
                        .as_deref()
                        .is_some_and(|t| t.contains("host") || t.contains("anfitrion"))
                    {
                        "hosts"
                    } else {
                        "panelists"
                    },
                    section.title.as_deref().unwrap_or_default()
                ),
            ));
            continue;
        }
        if section.columns.summary && per_connection {
            session.problems.push(Problem::warning(
                ProblemKind::Note,
                base.clone().with_row(table.rows[section.header].number),
                format!(
                    "{} are each person's totals; the report's list of every connection was counted instead (and these totals for anyone missing from it)",
                    span()
                ),
            ));
            for row in rows {
                session.rows_read += 1;
                read_row(
                    row,
                    &table.rows[section.header],
                    &section.columns,
                    order,
                    base,
                    &mut session,
                    &mut totals,
                );
            }
            continue;
        }
        if section.columns.session.is_some() {
            read_live_log(
                rows,
                &section.columns,
                order,
                base,
                &mut session,
                &mut people,
            );
            continue;
        }
        for row in rows {
            session.rows_read += 1;
            read_row(
                row,
                &table.rows[section.header],
                &section.columns,
                order,
                base,
                &mut session,
                &mut people,
            );
        }
    }
    // Someone in the totals but not in the list of connections (a report
    // cut short, or a list that leaves people out) is counted by the totals.
    for person in totals.list {
        let key = People::key(&person.email, &person.name);
        if !people.index.contains_key(&key) {
            session.problems.push(Problem::warning(
                ProblemKind::Note,
                person.places.first().cloned().unwrap_or_else(|| base.clone()),
                format!(
                    "`{}` is in the totals but not in the list of connections; the total was counted",
                    shorten(&person.name)
                ),
            ));
            people.index.insert(key, people.list.len());
            people.list.push(person);
        }
    }
    session.people = people.list;
    Some(session)
}

/// The sections of a sheet: each participants table and where it ends.
fn sections(table: &Table) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::new();
    let mut current_title: Option<String> = None;
    let mut open = false;
    for (index, row) in table.rows.iter().enumerate() {
        if let Some(t) = title(row) {
            if open && let Some(last) = sections.last_mut() {
                last.end = index;
            }
            open = false;
            current_title = Some(t);
            continue;
        }
        if let Some(columns) = header_columns(row) {
            if open && let Some(last) = sections.last_mut() {
                // The same header again (a repeated header row) is read as
                // a row of the open section, which reports it.
                if row.cells == table.rows[last.header].cells {
                    continue;
                }
                last.end = index;
            }
            sections.push(Section {
                title: current_title.take(),
                header: index,
                columns,
                end: table.rows.len(),
            });
            open = true;
        }
    }
    sections
}

/// Day or month first, from the dates themselves when one of them tells
/// (`30/08/2025`), else from the language of the headers.
fn date_order(table: &Table, sections: &[Section]) -> DateOrder {
    let mut month_first = false;
    let mut day_first = false;
    for section in sections {
        let c = &section.columns;
        for row in &table.rows[section.header + 1..section.end] {
            for column in [c.join, c.leave, c.timestamp].into_iter().flatten() {
                let text = row.cell(column).text();
                let Some(date) = text.split([' ', ',']).find(|t| t.matches('/').count() == 2)
                else {
                    continue;
                };
                let mut parts = date.split('/').map(|p| p.parse::<u32>().unwrap_or(0));
                let (a, b) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
                day_first |= a > 12;
                month_first |= b > 12;
            }
        }
    }
    let spanish = sections.iter().any(|s| s.columns.spanish);
    match (day_first, month_first) {
        (true, false) => DateOrder::DayFirst,
        (false, true) => DateOrder::MonthFirst,
        _ if spanish => DateOrder::DayFirst,
        _ => DateOrder::MonthFirst,
    }
}

/// Participants of one report, one per email (else per name).
#[derive(Default)]
struct People {
    list: Vec<Participant>,
    index: HashMap<String, usize>,
}

impl People {
    fn key(email: &str, name: &str) -> String {
        if email.is_empty() {
            format!("name:{}", fold(name))
        } else {
            email.to_owned()
        }
    }

    fn entry(&mut self, email: &str, name: &str) -> &mut Participant {
        let key = Self::key(email, name);
        let at = *self.index.entry(key).or_insert_with(|| {
            self.list.push(Participant::default());
            self.list.len() - 1
        });
        &mut self.list[at]
    }
}

/// Who a row is: the email, the shown name and its aliases, given and
/// family name (each empty when the row lacks it).
fn identity(row: &Row, c: &Columns) -> (String, String, Vec<String>, String, String) {
    let text = |column: Option<usize>| {
        column
            .map(|i| clean(&row.cell(i).text()))
            .unwrap_or_default()
    };
    let email = [c.email, c.upn]
        .into_iter()
        .flatten()
        .map(|i| clean(&row.cell(i).text()))
        .find_map(|raw| normalise::email(&raw).ok().map(|(address, _)| address))
        .unwrap_or_default();
    let given = text(c.first);
    let family = text(c.last);
    let mut name = text(c.name);
    let mut aliases = Vec::new();
    // Zoom's `Name (Original Name)`: the name shown in the meeting, then
    // the account's name.
    if let Some(open) = name.rfind(" (")
        && name.ends_with(')')
    {
        let original = name[open + 2..name.len() - 1].trim().to_owned();
        let shown = name[..open].trim().to_owned();
        if !original.is_empty() {
            aliases.push(original);
        }
        aliases.push(shown);
    }
    if !given.is_empty() || !family.is_empty() {
        let joined = format!("{given} {family}").trim().to_owned();
        if name.is_empty() {
            name = joined;
        } else {
            aliases.push(joined);
        }
    }
    (email, name, aliases, given, family)
}

/// Reads one participant row into `people`; a row that cannot be read is
/// reported with its place.
#[allow(clippy::too_many_arguments)]
fn read_row(
    row: &Row,
    header: &Row,
    c: &Columns,
    order: DateOrder,
    base: &Place,
    session: &mut Session,
    people: &mut People,
) {
    let place = base.clone().with_row(row.number);
    let at = |column: Option<usize>| {
        let mut place = place.clone();
        if let Some(h) = column.map(|i| header.cell(i).text().into_owned()) {
            place = place.with_column(h);
        }
        place
    };
    if row.cells == header.cells {
        session.problems.push(Problem::warning(
            ProblemKind::NotAnAttendee,
            place,
            "repeats the header row; not read",
        ));
        return;
    }
    if let Some(column) = c.attended {
        let mark = fold(&row.cell(column).text());
        if ["no", "false"].contains(&mark.as_str()) {
            session.no_shows += 1;
            return;
        }
    }
    let (email, name, aliases, given, family) = identity(row, c);
    let host_of_row = c
        .host
        .and_then(|i| normalise::email(&row.cell(i).text()).ok())
        .map(|(address, _)| address);
    if !email.is_empty()
        && (session.hosts.contains(&email) || host_of_row.as_deref() == Some(email.as_str()))
    {
        session.problems.push(Problem::warning(
            ProblemKind::Note,
            place,
            format!("{email} is the meeting's host, not an attendee; not counted"),
        ));
        return;
    }
    if email.is_empty() && fold(&name).is_empty() {
        session.problems.push(Problem::warning(
            ProblemKind::UnmatchedAttendance,
            place,
            "this row has neither a name nor an email, so its time cannot be given to anyone",
        ));
        return;
    }
    let cell = |column: Option<usize>| {
        column
            .map(|i| row.cell(i).text().into_owned())
            .unwrap_or_default()
    };
    let (join, leave, duration) = (cell(c.join), cell(c.leave), cell(c.duration));
    // A row of a person's totals (first join, last leave) has the
    // platform's own duration, which leaves out the time away between.
    let totals = c.summary && parse_duration(&duration).is_some();
    let times = !is_none_value(&join) && !is_none_value(&leave) && !totals;
    if c.summary && !totals && !is_none_value(&duration) {
        session.problems.push(Problem::warning(
            ProblemKind::InvalidValue,
            at(c.duration),
            format!(
                "`{}` is not a duration taller can read (such as `1h 5m 3s` or `1 hr 5 min`); the time from first join to last leave was counted instead",
                shorten(&duration)
            ),
        ));
    }
    let span = if times {
        match (parse_stamp(&join, order), parse_stamp(&leave, order)) {
            (Some(start), Some(end)) if end.instant() >= start.instant() => Ok(Span::Interval(
                start.instant(),
                end.instant(),
                start.day.is_some() && end.day.is_some(),
            )),
            (Some(start), Some(end)) if start.day.is_none() && end.day.is_none() => {
                // Times without a date that pass midnight.
                Ok(Span::Interval(
                    start.instant(),
                    end.instant() + 86_400,
                    false,
                ))
            }
            (Some(_), Some(_)) => Err((
                at(c.leave),
                format!(
                    "`{}` left at `{}`, before joining at `{}`; this row's time was not counted",
                    shorten(&name),
                    shorten(&leave),
                    shorten(&join)
                ),
            )),
            (None, _) => Err((at(c.join), unreadable_time(&join))),
            (_, None) => Err((at(c.leave), unreadable_time(&leave))),
        }
    } else if !is_none_value(&duration) {
        parse_duration(&duration).map(Span::Seconds).ok_or_else(|| {
            (
                at(c.duration),
                format!(
                    "`{}` is not a duration taller can read (such as `1h 5m 3s`, `1 hr 5 min` or `65`); this row's time was not counted",
                    shorten(&duration)
                ),
            )
        })
    } else {
        Err((
            at(c.join.or(c.duration)),
            format!(
                "`{}` has no join and leave time and no duration (the row may be cut short); this row's time was not counted",
                shorten(&name)
            ),
        ))
    };
    let person = people.entry(&email, &name);
    if person.places.is_empty() {
        person.email = email;
        person.name = name;
        person.given = given;
        person.family = family;
    }
    for alias in aliases {
        if !person.aliases.contains(&alias) {
            person.aliases.push(alias);
        }
    }
    person.places.push(place);
    match span {
        Ok(Span::Interval(start, end, true)) => person.intervals.push((start, end)),
        Ok(Span::Interval(start, end, false)) => person.undated.push((start, end)),
        Ok(Span::Seconds(seconds)) => person.seconds += seconds,
        Err((place, message)) => {
            session
                .problems
                .push(Problem::warning(ProblemKind::InvalidValue, place, message));
        }
    }
}

fn unreadable_time(text: &str) -> String {
    format!(
        "`{}` is not a date and time taller can read (such as `08/30/2025 03:34:07 PM` or `Mar 22, 2025 19:13:27`); this row's time was not counted",
        shorten(text)
    )
}

enum Span {
    /// Join and leave; dated or times of day only.
    Interval(i64, i64, bool),
    Seconds(i64),
}

/// The Teams live-event log: a `Joined` and a `Left` row per connection
/// (`Session Id`), paired in time order.
fn read_live_log(
    rows: &[Row],
    c: &Columns,
    order: DateOrder,
    base: &Place,
    session: &mut Session,
    people: &mut People,
) {
    // Open connections: session id → (row, start).
    let mut open: HashMap<String, (usize, i64)> = HashMap::new();
    let mut events: Vec<(i64, usize, bool, String)> = Vec::new();
    for (index, row) in rows.iter().enumerate() {
        session.rows_read += 1;
        let place = base.clone().with_row(row.number);
        let cell = |column: Option<usize>| {
            column
                .map(|i| row.cell(i).text().into_owned())
                .unwrap_or_default()
        };
        let action = fold(&cell(c.action));
        let joined = matches!(action.as_str(), "joined" | "join" | "se unio" | "unido");
        let left = matches!(action.as_str(), "left" | "leave" | "salio" | "abandono");
        let stamp = cell(c.timestamp);
        let Some(time) = parse_stamp(&stamp, order).filter(|s| s.day.is_some()) else {
            session.problems.push(Problem::warning(
                ProblemKind::InvalidValue,
                place.with_column("UTC Event Timestamp"),
                unreadable_time(&stamp),
            ));
            continue;
        };
        if !joined && !left {
            session.problems.push(Problem::warning(
                ProblemKind::InvalidValue,
                place.with_column("Action"),
                format!(
                    "`{}` is neither Joined nor Left; row not counted",
                    shorten(&cell(c.action))
                ),
            ));
            continue;
        }
        events.push((time.instant(), index, joined, cell(c.session)));
    }
    events.sort_by_key(|e| (e.0, e.1));
    let mut pairs: Vec<(usize, i64, i64)> = Vec::new();
    for (time, index, joined, id) in events {
        if joined {
            if let Some((earlier, _)) = open.insert(id, (index, time)) {
                session.problems.push(unpaired(
                    base,
                    &rows[earlier],
                    c,
                    "joined again before a Left row",
                ));
            }
        } else {
            match open.remove(&id) {
                Some((start_row, start)) => pairs.push((start_row, start, time)),
                None => session.problems.push(unpaired(
                    base,
                    &rows[index],
                    c,
                    "left without a Joined row",
                )),
            }
        }
    }
    let mut still_open: Vec<usize> = open.into_values().map(|(row, _)| row).collect();
    still_open.sort_unstable();
    for row in still_open {
        session.problems.push(unpaired(
            base,
            &rows[row],
            c,
            "joined and has no Left row (the log may be cut short)",
        ));
    }
    pairs.sort_unstable();
    for (index, start, end) in pairs {
        let row = &rows[index];
        let (email, name, aliases, _, _) = identity(row, c);
        let place = base.clone().with_row(row.number);
        if email.is_empty() && fold(&name).is_empty() {
            session.problems.push(Problem::warning(
                ProblemKind::UnmatchedAttendance,
                place,
                "an anonymous attendee (no name, no id) was connected; their time cannot be given to anyone",
            ));
            continue;
        }
        let person = people.entry(&email, &name);
        if person.places.is_empty() {
            person.email = email;
            person.name = name;
        }
        person.aliases.extend(aliases);
        person.places.push(place);
        person.intervals.push((start, end));
    }
}

fn unpaired(base: &Place, row: &Row, c: &Columns, what: &str) -> Problem {
    let (email, name, ..) = identity(row, c);
    let who = match (name.is_empty(), email.is_empty()) {
        (false, _) => format!("`{}`", shorten(&name)),
        (true, false) => email,
        (true, true) => "an anonymous attendee".to_owned(),
    };
    Problem::warning(
        ProblemKind::InvalidValue,
        base.clone().with_row(row.number),
        format!("a connection of {who} {what}; its time was not counted"),
    )
}

/// For a registration sheet that is a Zoom webinar attendee report: only
/// its `Attendee Details` section lists registrants (the others are hosts,
/// panelists and people who joined without registering). Cuts the table
/// to that section; other sheets are left as they are.
pub(crate) fn registrants_section(table: &mut Table) {
    let Some(start) = table.rows.iter().position(|row| {
        title(row).is_some_and(|t| {
            t.starts_with("attendee details")
                || t.starts_with("detalles del asistente")
                || t.starts_with("detalles de los asistentes")
        })
    }) else {
        return;
    };
    let end = table.rows[start + 1..]
        .iter()
        .position(|row| title(row).is_some())
        .map_or(table.rows.len(), |at| start + 1 + at);
    table.rows.truncate(end);
    table.rows.drain(..=start);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(text: &str, order: DateOrder) -> Option<(i64, i64)> {
        parse_stamp(text, order).map(|s| (s.day.unwrap_or(-1), s.seconds))
    }

    #[test]
    fn dates_as_the_platforms_write_them() {
        let day = days_from_civil(2025, 8, 30).expect("a date");
        let us = DateOrder::MonthFirst;
        assert_eq!(
            stamp("08/30/2025 03:34:07 PM", us),
            Some((day, 15 * 3600 + 34 * 60 + 7))
        );
        assert_eq!(
            stamp("30/08/2025 15:34:07", DateOrder::DayFirst),
            Some((day, 15 * 3600 + 34 * 60 + 7))
        );
        assert_eq!(
            stamp("Aug 30, 2025 3:34 PM", us),
            Some((day, 15 * 3600 + 34 * 60))
        );
        assert_eq!(
            stamp("30 ago. 2025 3:34 p. m.", us),
            Some((day, 15 * 3600 + 34 * 60))
        );
        assert_eq!(
            stamp("30 de agosto de 2025 15:34", us),
            Some((day, 15 * 3600 + 34 * 60))
        );
        assert_eq!(stamp("8/30/25, 12:00:03 AM", us), Some((day, 3)));
        assert_eq!(
            stamp("2025-08-30T15:34:07Z", us),
            Some((day, 15 * 3600 + 34 * 60 + 7))
        );
        assert_eq!(
            stamp("2025-08-30T17:34:07+02:00", us),
            Some((day, 15 * 3600 + 34 * 60 + 7))
        );
        assert_eq!(stamp("10:02 AM", us), Some((-1, 10 * 3600 + 120)));
        assert_eq!(
            stamp("Sat, Aug 30, 2025 3:34 PM", us),
            Some((day, 15 * 3600 + 34 * 60))
        );
        for bad in [
            "",
            "--",
            "yesterday",
            "13/45/2025 10:00",
            "25:00",
            "08/30/2025 13:00 PM",
            "Foo 3, 2025 10:00",
        ] {
            assert_eq!(stamp(bad, us), None, "{bad}");
        }
    }

    #[test]
    fn durations_as_the_platforms_write_them() {
        for (text, seconds) in [
            ("1h 2m 3s", 3723),
            ("45m 10s", 2710),
            ("40m", 2400),
            ("1 hr 5 min", 3900),
            ("2 hrs", 7200),
            ("1 h 5 min 3 s", 3903),
            ("1 hora y 5 minutos", 3900),
            ("65", 3900),
            ("1:05:00", 3900),
            ("0 min", 0),
        ] {
            assert_eq!(parse_duration(text), Some(seconds), "{text}");
        }
        for bad in ["", "mucho", "1 fortnight", "h", "-5", "5 min later"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }

    #[test]
    fn zoom_in_spanish_with_day_first_dates() {
        let rows = [
            vec![
                "Nombre (nombre original)",
                "Correo electrónico del usuario",
                "Hora de entrada",
                "Hora de salida",
                "Duración (minutos)",
            ],
            vec![
                "Ane (Ane Etxeberria)",
                "ane@example.org",
                "14/06/2016 10:00:00 a. m.",
                "14/06/2016 12:30:00 p. m.",
                "150",
            ],
            vec![
                "Ane (Ane Etxeberria)",
                "ane@example.org",
                "14/06/2016 12:00:00 p. m.",
                "14/06/2016 01:00:00 p. m.",
                "60",
            ],
            vec!["Jon", "", "--", "--", "abc"],
        ];
        let table = Table {
            sheet: None,
            rows: rows
                .iter()
                .zip(1..)
                .map(|(cells, n)| Row::of_texts(n, cells))
                .collect(),
        };
        let session = read_session(&table, &Place::file("zoom.csv")).expect("a Zoom report");
        assert_eq!(session.layout, Some(Layout::ZoomParticipants));
        let ane = &session.people[0];
        assert_eq!(ane.aliases, ["Ane Etxeberria", "Ane"]);
        // 10:00–12:30 and 12:00–13:00 overlap: three hours.
        assert_eq!(covered(&mut ane.intervals.clone()), 3 * 3600);
        assert_eq!(session.problems.len(), 1, "{:?}", session.problems);
        assert!(
            session.problems[0]
                .message
                .starts_with("`abc` is not a duration")
        );
    }

    #[test]
    fn overlapping_connections_count_once() {
        let mut intervals = vec![(0, 600), (300, 900), (1200, 1500), (1500, 1600), (100, 200)];
        assert_eq!(covered(&mut intervals), 900 + 400);
        assert_eq!(covered(&mut []), 0);
    }
}
