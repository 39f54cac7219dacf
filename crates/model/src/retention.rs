//! How long a workshop's personal data is kept: `retention = "24 months"`
//! in `[programme]` or `[workshop]`, counted from the workshop's last day.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::Date;

/// The unit of a retention period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetentionUnit {
    /// Calendar days.
    Days,
    /// Seven days.
    Weeks,
    /// Calendar months (the day kept, or the month's last day).
    Months,
    /// Calendar years.
    Years,
}

/// A retention period: how long after a workshop's last day its personal
/// data may be kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// How many units.
    pub amount: u32,
    /// Of what.
    pub unit: RetentionUnit,
}

impl Retention {
    /// Reads `24 months`, `90 days`, `6 weeks`, `2 years` (singular or
    /// plural, in English or Spanish, `24months` too); the error says what
    /// is accepted.
    pub fn parse(text: &str) -> Result<Retention, String> {
        let t = text.trim().to_lowercase();
        let bad = || {
            format!(
                "retention = \"{}\" is not a period: write a whole number and days, weeks, months or years, e.g. \"24 months\"",
                crate::shorten(text.trim(), 40)
            )
        };
        let digits = t.chars().take_while(char::is_ascii_digit).count();
        let amount: u32 = t[..digits].parse().map_err(|_| bad())?;
        let unit = match t[digits..].trim() {
            "day" | "days" | "día" | "días" | "dia" | "dias" => RetentionUnit::Days,
            "week" | "weeks" | "semana" | "semanas" => RetentionUnit::Weeks,
            "month" | "months" | "mes" | "meses" => RetentionUnit::Months,
            "year" | "years" | "año" | "años" => RetentionUnit::Years,
            _ => return Err(bad()),
        };
        // Beyond a century is a typo, and keeps the date arithmetic small.
        if amount == 0 || amount > 100 * 366 {
            return Err(bad());
        }
        Ok(Retention { amount, unit })
    }

    /// The first day the data is past its retention, for a workshop whose
    /// last day was `last_day`.
    pub fn expires(self, last_day: Date) -> Date {
        let n = i64::from(self.amount);
        match self.unit {
            RetentionUnit::Days => last_day.add_days(n),
            RetentionUnit::Weeks => last_day.add_days(7 * n),
            RetentionUnit::Months => last_day.add_months(n),
            RetentionUnit::Years => last_day.add_months(12 * n),
        }
    }
}

impl fmt::Display for Retention {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match (self.unit, self.amount == 1) {
            (RetentionUnit::Days, true) => "day",
            (RetentionUnit::Days, false) => "days",
            (RetentionUnit::Weeks, true) => "week",
            (RetentionUnit::Weeks, false) => "weeks",
            (RetentionUnit::Months, true) => "month",
            (RetentionUnit::Months, false) => "months",
            (RetentionUnit::Years, true) => "year",
            (RetentionUnit::Years, false) => "years",
        };
        write!(f, "{} {unit}", self.amount)
    }
}

impl Serialize for Retention {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Retention {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Retention::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        Date::parse(text).expect("valid")
    }

    #[test]
    fn periods_are_read_and_refused_with_a_sentence() {
        let r = |t: &str| Retention::parse(t);
        assert_eq!(
            r("24 months"),
            Ok(Retention {
                amount: 24,
                unit: RetentionUnit::Months
            })
        );
        assert_eq!(r(" 1 Year ").map(|r| r.to_string()), Ok("1 year".into()));
        assert_eq!(r("90days").map(|r| r.to_string()), Ok("90 days".into()));
        assert_eq!(r("6 semanas").map(|r| r.to_string()), Ok("6 weeks".into()));
        for bad in [
            "",
            "months",
            "24",
            "0 days",
            "-3 days",
            "2.5 years",
            "24 monhts",
        ] {
            let err = r(bad).expect_err(bad);
            assert!(err.contains("e.g. \"24 months\""), "{err}");
        }
    }

    #[test]
    fn the_end_is_counted_on_the_calendar() {
        let r = |t: &str| Retention::parse(t).expect("valid");
        assert_eq!(
            r("24 months").expires(date("2016-01-27")),
            date("2018-01-27")
        );
        assert_eq!(r("1 month").expires(date("2016-01-31")), date("2016-02-29"));
        assert_eq!(r("1 year").expires(date("2016-02-29")), date("2017-02-28"));
        assert_eq!(r("30 days").expires(date("2016-12-15")), date("2017-01-14"));
        assert_eq!(r("2 weeks").expires(date("2016-02-20")), date("2016-03-05"));
    }
}
