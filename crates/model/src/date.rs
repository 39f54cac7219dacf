use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{Language, ModelError};

/// A calendar date, written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, e.g. 2016.
    pub year: i32,
    /// Month, 1–12.
    pub month: u8,
    /// Day of the month, 1–31.
    pub day: u8,
}

const MONTHS_ES: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_CA: [&str; 12] = [
    "gener", "febrer", "març", "abril", "maig", "juny", "juliol", "agost", "setembre", "octubre",
    "novembre", "desembre",
];
const MONTHS_GL: [&str; 12] = [
    "xaneiro", "febreiro", "marzo", "abril", "maio", "xuño", "xullo", "agosto", "setembro",
    "outubro", "novembro", "decembro",
];
const MONTHS_EU: [&str; 12] = [
    "urtarrilaren",
    "otsailaren",
    "martxoaren",
    "apirilaren",
    "maiatzaren",
    "ekainaren",
    "uztailaren",
    "abuztuaren",
    "irailaren",
    "urriaren",
    "azaroaren",
    "abenduaren",
];

impl Date {
    /// A checked date.
    pub fn new(year: i32, month: u8, day: u8) -> Result<Self, ModelError> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => 0,
        };
        if day == 0 || day > days {
            return Err(ModelError::Date(format!("{year:04}-{month:02}-{day:02}")));
        }
        Ok(Date { year, month, day })
    }

    /// Days since 1970-01-01 (Howard Hinnant's algorithm).
    pub fn to_days(self) -> i64 {
        let (month, day) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01 (before it when negative).
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// The day of a moment given in seconds since 1970 (UTC).
    pub fn from_unix(seconds: i64) -> Date {
        Date::from_days(seconds.div_euclid(86_400))
    }

    /// `n` days later.
    pub fn add_days(self, n: i64) -> Date {
        Date::from_days(self.to_days() + n)
    }

    /// `n` calendar months later, on the same day or, when that month is
    /// shorter, on its last day.
    pub fn add_months(self, n: i64) -> Date {
        let index = i64::from(self.year) * 12 + i64::from(self.month) - 1 + n;
        let (year, month) = (
            index.div_euclid(12) as i32,
            (index.rem_euclid(12) + 1) as u8,
        );
        (1..=self.day)
            .rev()
            .find_map(|day| Date::new(year, month, day).ok())
            .unwrap_or(Date {
                year,
                month,
                day: 1,
            })
    }

    /// Parses `YYYY-MM-DD` (a time after it, as in `2016-01-27T10:00`, is ignored).
    pub fn parse(text: &str) -> Result<Self, ModelError> {
        let bad = || ModelError::Date(text.to_owned());
        let text_trimmed = text.trim();
        let date = text_trimmed.get(..10).ok_or_else(bad)?;
        let rest = &text_trimmed[10..];
        if !(rest.is_empty() || rest.starts_with(['T', ' '])) {
            return Err(bad());
        }
        let mut parts = date.split('-');
        let (Some(y), Some(m), Some(d), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let year = y.parse().map_err(|_| bad())?;
        let month = m.parse().map_err(|_| bad())?;
        let day = d.parse().map_err(|_| bad())?;
        Date::new(year, month, day).map_err(|_| bad())
    }

    fn month_name(self, months: &[&'static str; 12]) -> &'static str {
        months[usize::from(self.month - 1)]
    }

    /// The date as people write it in `language`: `27 de enero de 2016`,
    /// `27 January 2016`, `27 de gener de 2016`, `2016ko urtarrilaren 27a`.
    /// Languages without their own form get the ISO date.
    pub fn long(self, language: &Language) -> String {
        let Date { year, day, .. } = self;
        match language.code() {
            "es" => format!("{day} de {} de {year}", self.month_name(&MONTHS_ES)),
            "en" => format!("{day} {} {year}", self.month_name(&MONTHS_EN)),
            "ca" => format!(
                "{day} {} de {year}",
                catalan_of(self.month_name(&MONTHS_CA))
            ),
            "gl" => format!("{day} de {} de {year}", self.month_name(&MONTHS_GL)),
            "eu" => format!("{year}ko {} {day}a", self.month_name(&MONTHS_EU)),
            _ => self.to_string(),
        }
    }
}

/// Catalan elides `de` before a vowel: `d'abril`, `d'agost`, `d'octubre`.
fn catalan_of(month: &str) -> String {
    if month.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("d'{month}")
    } else {
        format!("de {month}")
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    /// Accepts a string (`"2016-01-27"`) or a TOML date (`2016-01-27`),
    /// which TOML's deserialiser hands over as a one-entry map.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DateVisitor;
        impl<'de> Visitor<'de> for DateVisitor {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date such as 2016-01-27")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Date, E> {
                Date::parse(text).map_err(E::custom)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Date, A::Error> {
                let Some((_, text)) = map.next_entry::<String, String>()? else {
                    return Err(de::Error::custom("expected a date such as 2016-01-27"));
                };
                Date::parse(&text).map_err(de::Error::custom)
            }
        }
        deserializer.deserialize_any(DateVisitor)
    }
}

/// The days a workshop runs: one day, or several in a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DateSpan {
    /// First day.
    pub start: Date,
    /// Last day (equal to `start` for a one-day workshop).
    pub end: Date,
}

impl DateSpan {
    /// A one-day span.
    pub fn day(date: Date) -> Self {
        DateSpan {
            start: date,
            end: date,
        }
    }

    /// The span as people write it: `27 de enero de 2016`, or
    /// `del 27 al 28 de enero de 2016`, `27–28 January 2016`.
    pub fn long(&self, language: &Language) -> String {
        let (start, end) = (self.start, self.end);
        if start == end {
            return start.long(language);
        }
        let same_month = start.year == end.year && start.month == end.month;
        match (language.code(), same_month) {
            ("es", true) => format!("del {} al {}", start.day, end.long(language)),
            ("es", false) => format!("del {} al {}", start.long(language), end.long(language)),
            ("ca", true) => format!("del {} al {}", start.day, end.long(language)),
            ("ca", false) => format!("del {} al {}", start.long(language), end.long(language)),
            ("gl", true) => format!("do {} ao {}", start.day, end.long(language)),
            ("gl", false) => format!("do {} ao {}", start.long(language), end.long(language)),
            ("en", true) => format!("{}–{}", start.day, end.long(language)),
            _ => format!("{} – {}", start.long(language), end.long(language)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(code: &str) -> Language {
        Language::parse(code).expect("valid code")
    }

    #[test]
    fn long_dates_as_people_write_them() {
        let d = Date::new(2016, 1, 27).expect("valid");
        assert_eq!(d.long(&lang("es")), "27 de enero de 2016");
        assert_eq!(d.long(&lang("en")), "27 January 2016");
        assert_eq!(d.long(&lang("ca")), "27 de gener de 2016");
        assert_eq!(d.long(&lang("gl")), "27 de xaneiro de 2016");
        assert_eq!(d.long(&lang("eu")), "2016ko urtarrilaren 27a");
        assert_eq!(d.long(&lang("fr")), "2016-01-27");
        let april = Date::new(2016, 4, 1).expect("valid");
        assert_eq!(april.long(&lang("ca")), "1 d'abril de 2016");
    }

    #[test]
    fn spans() {
        let span = DateSpan {
            start: Date::new(2016, 1, 27).expect("valid"),
            end: Date::new(2016, 1, 28).expect("valid"),
        };
        assert_eq!(span.long(&lang("es")), "del 27 al 28 de enero de 2016");
        assert_eq!(span.long(&lang("en")), "27–28 January 2016");
    }

    #[test]
    fn days_count_both_ways() {
        for text in [
            "1970-01-01",
            "2000-02-29",
            "2016-01-27",
            "1969-12-31",
            "2100-03-01",
        ] {
            let d = Date::parse(text).expect("valid");
            assert_eq!(Date::from_days(d.to_days()), d, "{text}");
        }
        assert_eq!(Date::parse("1970-01-02").map(Date::to_days), Ok(1));
        assert_eq!(Date::from_unix(1_454_148_900).to_string(), "2016-01-30");
    }

    #[test]
    fn parse_checks_the_calendar() {
        assert_eq!(Date::parse("2016-02-29").map(|d| d.day), Ok(29));
        for bad in [
            "2015-02-29",
            "2016-13-01",
            "27/01/2016",
            "2016-1-27",
            "",
            "2016-01-27x",
        ] {
            assert!(Date::parse(bad).is_err(), "{bad}");
        }
    }
}
