//! Form answers the funders ask about: gender and age, in the words people
//! answer with in Spanish, English, Catalan, Basque and Galician, and the
//! dates forms write (for a birth date, or when the form was sent).
//!
//! Nothing here guesses: an answer that is not clearly one value is `Err`,
//! for the caller to leave empty and report.

use taller_model::{AgeBand, Date, Gender};

use taller_model::fold;

/// Answers that decline to say: left empty, and nothing to report.
const DECLINED: &[&str] = &[
    "prefiero no decirlo",
    "prefiero no decir",
    "prefiero no contestar",
    "prefiero no responder",
    "prefer not to say",
    "prefer not to answer",
    "rather not say",
    "ns nc",
    "nsnc",
    "no contesta",
    "no responde",
    "no sabe no contesta",
    "prefereixo no dir ho",
    "prefereixo no dir",
    "prefereixo no respondre",
    "nahiago dut ez esan",
    "nahiago dut ez erantzun",
    "prefiro non dicilo",
    "prefiro non dicir",
    "prefiro non responder",
    "n a",
];

/// Whole answers meaning non-binary.
const NON_BINARY: &[&str] = &[
    "no binario",
    "no binaria",
    "no binarie",
    "non binary",
    "nonbinary",
    "non binario",
    "non binaria",
    "no binari",
    "no binaria o",
    "ez bitarra",
    "genero no binario",
    "persona no binaria",
    "enby",
];

/// Whole answers meaning another gender, as the person said.
const OTHER: &[&str] = &[
    "otro",
    "otra",
    "otros",
    "other",
    "altre",
    "altra",
    "beste bat",
    "beste",
    "outro",
    "outra",
    "prefiero autodescribirme",
    "self describe",
    "prefer to self describe",
];

/// First words of an answer meaning a woman (`Mujer`, `Mujer cis`).
const WOMAN: &[&str] = &[
    "mujer", "female", "woman", "f", "femenino", "femenina", "dona", "emakumea", "emakume",
    "muller", "feminino", "femeni", "femme",
];

/// First words of an answer meaning a man (`Hombre`, `Home`, `Gizona`).
const MAN: &[&str] = &[
    "hombre",
    "male",
    "man",
    "h",
    "v",
    "varon",
    "masculino",
    "home",
    "gizona",
    "gizon",
    "masculi",
    "homme",
];

/// Why an answer could not be read, for the report.
pub(crate) type Doubt = String;

/// The gender an answer says. Empty and declined answers are
/// `Ok(Gender::Unknown)`; an answer that is none of the known words is an
/// `Err` (`M` alone too: `Mujer` in Spanish, `Male` in English).
pub(crate) fn gender(raw: &str) -> Result<Gender, Doubt> {
    let folded = fold(raw);
    if folded.is_empty()
        || DECLINED.contains(&folded.as_str())
        || ["prefiero", "prefer", "prefereixo", "prefiro", "nahiago"]
            .iter()
            .any(|word| folded.starts_with(word))
    {
        return Ok(Gender::Unknown);
    }
    if NON_BINARY.contains(&folded.as_str()) {
        return Ok(Gender::NonBinary);
    }
    if OTHER.contains(&folded.as_str()) {
        return Ok(Gender::Other);
    }
    if folded == "m" {
        return Err("may be Mujer or Male; left empty: write the word in the sheet".to_owned());
    }
    let first = folded.split(' ').next().unwrap_or_default();
    if WOMAN.contains(&first) {
        Ok(Gender::Woman)
    } else if MAN.contains(&first) {
        Ok(Gender::Man)
    } else {
        Err("not an answer to the gender question taller knows; left empty".to_owned())
    }
}

/// Words before a number that mean "under it" (`Menos de 18`).
const UNDER: &[&str] = &[
    "menos", "menor", "menores", "under", "below", "less", "younger", "azpi", "azpitik", "menys",
];

/// Words that mean "it or over" (`65 o más`, `Más de 65`, `65+`).
const OVER: &[&str] = &[
    "mas", "mayor", "mayores", "over", "more", "older", "plus", "gehiago", "mes", "majors",
    "superior",
];

/// Words around the numbers of an age or a range (`De 30 a 44 años`).
const AGE_WORDS: &[&str] = &[
    "de", "a", "to", "from", "y", "and", "anos", "ano", "years", "year", "old", "anys", "any",
    "urte", "entre", "between", "o", "or", "e", "i", "eta", "edad", "age", "tengo", "idade",
    "edat",
];

/// The age band an answer to an age question gives, on `on`: an age
/// (`34`), a range (`30-44`, `De 18 a 29 años`, `65+`), a birth year
/// (`1987`) or a birth date (`1987-03-14`, `14/03/1987`). `Ok(Unknown)` for
/// an empty answer; `Err` for one that gives no single band (a range across
/// two bands, a birth year whose two possible ages fall in two).
pub(crate) fn age_band(raw: &str, on: Date) -> Result<AgeBand, Doubt> {
    let text = raw.trim();
    if text.is_empty() {
        return Ok(AgeBand::Unknown);
    }
    if let Some(born) = parse_date(text) {
        return years_between(born, on).map(AgeBand::of_age).ok_or_else(|| {
            format!(
                "a birth date after {on} or before {}; left empty",
                on.year - 120
            )
        });
    }
    let folded = fold(text);
    if DECLINED.contains(&folded.as_str()) || folded.starts_with("prefer") {
        return Ok(AgeBand::Unknown);
    }
    let numbers: Vec<u32> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|part| !part.is_empty())
        .filter_map(|part| part.parse().ok())
        .collect();
    let words: Vec<&str> = folded.split(' ').collect();
    let has = |list: &[&str]| words.iter().any(|w| list.contains(w));
    let plus = text.contains('+') || text.contains('>') || has(OVER);
    let under = text.contains('<') || has(UNDER);
    let one_band = |low: u32, high: u32| -> Result<AgeBand, Doubt> {
        let band = AgeBand::of_age(low);
        if AgeBand::of_age(high) == band {
            Ok(band)
        } else {
            Err(format!(
                "the ages {low} to {high} fall in more than one band; left empty"
            ))
        }
    };
    let unclear = || Err("not an age, an age range or a birth date; left empty".to_owned());
    // Every word is a number or says how to read one (`1e9` is neither).
    let known = |word: &&str| {
        word.bytes().all(|b| b.is_ascii_digit())
            || AGE_WORDS.contains(word)
            || UNDER.contains(word)
            || OVER.contains(word)
    };
    if !words.iter().all(known) {
        return unclear();
    }
    match numbers.as_slice() {
        [year] if (1900..=2100).contains(year) => {
            let year = i32::try_from(*year).unwrap_or(0);
            if year > on.year || on.year - year > 120 {
                return Err(format!(
                    "a birth year after {} or before {}; left empty",
                    on.year,
                    on.year - 120
                ));
            }
            // Born that year: one age before the birthday, one after (on
            // the last day of the year, every birthday has passed).
            let older = u32::try_from(on.year - year).unwrap_or(0);
            let younger = if (on.month, on.day) == (12, 31) {
                older
            } else {
                older.saturating_sub(1)
            };
            one_band(younger, older).map_err(|_| {
                format!(
                    "born in {year}: {} or {older} on {on}, which fall in two bands; left empty (ask for the age or the birth date)",
                    older.saturating_sub(1)
                )
            })
        }
        [age] if under && *age <= 120 => one_band(0, age.saturating_sub(1)),
        [age] if plus && *age <= 120 => one_band(*age, 120),
        [age] if *age <= 120 => Ok(AgeBand::of_age(*age)),
        [low, high] if low <= high && *high <= 120 && !plus && !under => one_band(*low, *high),
        _ => unclear(),
    }
}

/// Whole years from `born` to `on`; `None` when not between 0 and 120.
fn years_between(born: Date, on: Date) -> Option<u32> {
    let mut years = on.year - born.year;
    if (on.month, on.day) < (born.month, born.day) {
        years -= 1;
    }
    u32::try_from(years).ok().filter(|y| *y <= 120)
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// The date at the start of a date or time as forms write it:
/// `2024-10-05 02:39:31` (Typeform, Tally, Jotform), `2026-02-26T18:30:00Z`
/// (Luma, KoboToolbox), `27/01/2016 10:11:12` (Google Forms in Spanish;
/// day first unless the first number cannot be a month… or the second
/// cannot be a day), `Mar 22, 2025 19:13:27` (Zoom).
pub(crate) fn parse_date(text: &str) -> Option<Date> {
    let text = text.trim();
    let date_part = text.split([' ', 'T']).next()?;
    if let Ok(date) = Date::parse(date_part) {
        return Some(date);
    }
    let parts: Vec<&str> = date_part.split(['/', '.', '-']).collect();
    if let [a, b, c] = parts.as_slice()
        && c.len() == 4
        && (1..=2).contains(&a.len())
        && (1..=2).contains(&b.len())
    {
        let (a, b, year): (u8, u8, i32) = (a.parse().ok()?, b.parse().ok()?, c.parse().ok()?);
        let (day, month) = if b > 12 { (b, a) } else { (a, b) };
        return Date::new(year, month, day).ok();
    }
    // `Mar 22, 2025`
    let mut words = text.split([' ', ',']).filter(|w| !w.is_empty());
    let (month, day, year) = (words.next()?, words.next()?, words.next()?);
    let month = MONTHS
        .iter()
        .position(|m| month.len() >= 3 && month.to_ascii_lowercase().starts_with(m))?;
    let month = u8::try_from(month + 1).ok()?;
    Date::new(year.parse().ok()?, month, day.parse().ok()?).ok()
}

/// Today's date (UTC), the reference of last resort for an age.
pub(crate) fn today() -> Date {
    let today = jiff::tz::Offset::UTC
        .to_datetime(jiff::Timestamp::now())
        .date();
    Date::new(
        i32::from(today.year()),
        u8::try_from(today.month()).unwrap_or(1),
        u8::try_from(today.day()).unwrap_or(1),
    )
    .unwrap_or(Date {
        year: 1970,
        month: 1,
        day: 1,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u8, d: u8) -> Date {
        Date::new(y, m, d).expect("a date")
    }

    #[test]
    fn genders_in_every_language() {
        for (answer, want) in [
            ("Mujer", Gender::Woman),
            ("mujer cis", Gender::Woman),
            ("Female", Gender::Woman),
            ("Dona", Gender::Woman),
            ("Emakumea", Gender::Woman),
            ("Muller", Gender::Woman),
            ("F", Gender::Woman),
            ("Hombre", Gender::Man),
            ("Male", Gender::Man),
            ("Home", Gender::Man),
            ("Gizona", Gender::Man),
            ("No binario", Gender::NonBinary),
            ("Non-binary", Gender::NonBinary),
            ("Otro", Gender::Other),
            ("Prefiero no decirlo", Gender::Unknown),
            ("Prefer not to say", Gender::Unknown),
            ("Nahiago dut ez esan", Gender::Unknown),
            ("", Gender::Unknown),
        ] {
            assert_eq!(gender(answer), Ok(want), "{answer}");
        }
        assert!(gender("M").is_err());
        assert!(gender("Mujeriego").is_err());
        assert!(gender("Astronauta").is_err());
    }

    #[test]
    fn ages_ranges_and_births() {
        let on = date(2026, 3, 14);
        for (answer, want) in [
            ("34", AgeBand::From30To44),
            ("17", AgeBand::Under18),
            ("18-29", AgeBand::From18To29),
            ("De 30 a 44 años", AgeBand::From30To44),
            ("45–64", AgeBand::From45To64),
            ("65+", AgeBand::From65),
            ("Más de 65", AgeBand::From65),
            ("Menos de 18", AgeBand::Under18),
            ("<18", AgeBand::Under18),
            ("1970", AgeBand::From45To64),
            ("1987-03-14", AgeBand::From30To44),
            ("14/03/1997", AgeBand::From18To29),
            ("15/03/1996", AgeBand::From18To29),
            ("14/03/1996", AgeBand::From30To44),
            ("", AgeBand::Unknown),
            ("Prefiero no decirlo", AgeBand::Unknown),
        ] {
            assert_eq!(age_band(answer, on), Ok(want), "{answer}");
        }
        // Born in 1996: 29 or 30 in March 2026, two bands.
        assert!(age_band("1996", on).is_err());
        assert_eq!(
            age_band("1996", date(2026, 12, 31)),
            Ok(AgeBand::From30To44)
        );
        assert!(age_band("25-34", on).is_err());
        assert!(age_band("muchos", on).is_err());
        assert!(age_band("2030", on).is_err());
        assert!(age_band("300", on).is_err());
        assert!(age_band("1e9", on).is_err());
        assert!(age_band("30 hijos 2", on).is_err());
    }

    #[test]
    fn dates_forms_write() {
        for (text, want) in [
            ("2024-10-05 02:39:31", date(2024, 10, 5)),
            ("2026-02-26T18:30:00Z", date(2026, 2, 26)),
            ("2025-03-05T10:12:13.123+01:00", date(2025, 3, 5)),
            ("27/01/2016 10:11:12", date(2016, 1, 27)),
            ("1/27/2016 10:11:12", date(2016, 1, 27)),
            ("Mar 22, 2025 19:13:27", date(2025, 3, 22)),
        ] {
            assert_eq!(parse_date(text), Some(want), "{text}");
        }
        assert_eq!(parse_date("yes"), None);
        assert_eq!(parse_date("31/02/2020"), None);
        assert!(today().year >= 2024);
    }
}
