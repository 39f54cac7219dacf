//! Wall-clock times as the send log and mbox files write them, without a
//! date crate for two lines of output.

use std::time::{SystemTime, UNIX_EPOCH};

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// A UTC moment split into calendar parts.
struct Civil {
    year: i64,
    month: usize,
    day: i64,
    hour: u64,
    minute: u64,
    second: u64,
    weekday: usize,
}

/// Howard Hinnant's days-to-civil algorithm.
fn civil(secs: u64) -> Civil {
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Civil {
        year,
        month: usize::try_from(month).unwrap_or(1),
        day,
        hour: rem / 3_600,
        minute: rem % 3_600 / 60,
        second: rem % 60,
        // 1970-01-01 was a Thursday (Sunday = 0).
        weekday: usize::try_from((days + 4).rem_euclid(7)).unwrap_or(0),
    }
}

fn iso(secs: u64) -> String {
    let c = civil(secs);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    )
}

fn asctime(secs: u64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    let c = civil(secs);
    format!(
        "{} {} {:>2} {:02}:{:02}:{:02} {}",
        DAYS[c.weekday % 7],
        MONTHS[(c.month + 11) % 12],
        c.day,
        c.hour,
        c.minute,
        c.second,
        c.year
    )
}

/// The current UTC time as `2016-01-30T10:15:00Z` (the send log's form).
pub fn utc_now() -> String {
    iso(now_secs())
}

/// The current UTC time as `Sat Jan 30 10:15:00 2016` (the mbox `From `
/// line's form).
pub fn asctime_now() -> String {
    asctime(now_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        assert_eq!(iso(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso(1_454_148_900), "2016-01-30T10:15:00Z");
        assert_eq!(iso(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(asctime(0), "Thu Jan  1 00:00:00 1970");
        assert_eq!(asctime(1_454_148_900), "Sat Jan 30 10:15:00 2016");
    }
}
