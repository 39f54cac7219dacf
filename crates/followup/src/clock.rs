//! Wall-clock times as the send log and mbox files write them.

use jiff::Timestamp;

/// `2016-01-30T10:15:00Z`: the send log's form.
fn iso(moment: Timestamp) -> String {
    moment.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// `Sat Jan 30 10:15:00 2016`: the mbox `From ` line's form (C's asctime).
fn asctime(moment: Timestamp) -> String {
    moment.strftime("%a %b %e %H:%M:%S %Y").to_string()
}

/// The current UTC time as `2016-01-30T10:15:00Z` (the send log's form).
pub fn utc_now() -> String {
    iso(Timestamp::now())
}

/// The current UTC time as `Sat Jan 30 10:15:00 2016` (the mbox `From `
/// line's form).
pub fn asctime_now() -> String {
    asctime(Timestamp::now())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(second: i64) -> Timestamp {
        Timestamp::from_second(second).expect("in range")
    }

    #[test]
    fn times() {
        assert_eq!(iso(at(0)), "1970-01-01T00:00:00Z");
        assert_eq!(iso(at(1_454_148_900)), "2016-01-30T10:15:00Z");
        assert_eq!(iso(at(951_782_400)), "2000-02-29T00:00:00Z");
        assert_eq!(asctime(at(0)), "Thu Jan  1 00:00:00 1970");
        assert_eq!(asctime(at(1_454_148_900)), "Sat Jan 30 10:15:00 2016");
    }
}
