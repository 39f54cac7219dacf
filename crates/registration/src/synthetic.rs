//! Synthetic registration sheets for benchmarks and load tests: realistic
//! people (Spanish and international names, organisations, typos, bad
//! emails, people who registered twice), the same sheet for the same seed.
//!
//! ```
//! use taller_registration::synthetic::{Sheet, SheetFormat};
//! let sheet = Sheet::generate(200, 7);
//! let csv = sheet.to_bytes(SheetFormat::CsvUtf8).expect("csv");
//! assert_eq!(csv, Sheet::generate(200, 7).to_bytes(SheetFormat::CsvUtf8).expect("csv"));
//! assert!(String::from_utf8(csv).expect("utf-8").starts_with("Nombre,Apellidos,"));
//! ```

use encoding_rs::WINDOWS_1252;

use crate::Error;

/// The columns of a generated sheet, as a Spanish sign-up form names them.
pub const HEADER: [&str; 10] = [
    "Nombre",
    "Apellidos",
    "Correo electrónico",
    "Organización",
    "Cargo",
    "Ciudad",
    "Teléfono",
    "Twitter",
    "Idioma",
    "¿Autorizas?",
];

/// Column of the phone number: a number in workbooks, as people type it.
const PHONE: usize = 6;

/// A given name as typed, and how a Windows-1252 export spells it (the
/// code page has no Greek or Cyrillic letters).
const GIVEN: [(&str, &str); 24] = [
    ("Ana", "Ana"),
    ("JOSÉ MARÍA", "JOSÉ MARÍA"),
    ("lucía", "lucía"),
    ("Iñaki", "Iñaki"),
    ("Núria", "Núria"),
    ("Xoán", "Xoán"),
    ("María del Carmen", "María del Carmen"),
    ("Begoña", "Begoña"),
    ("Jesús", "Jesús"),
    ("Àngels", "Àngels"),
    ("Aitziber", "Aitziber"),
    ("Francisco Javier", "Francisco Javier"),
    ("Inés", "Inés"),
    ("Zoë", "Zoë"),
    ("François", "François"),
    ("Jürgen", "Jürgen"),
    ("Αλέξανδρος", "Alexandros"),
    ("Ελένη", "Eleni"),
    ("Ольга", "Olga"),
    ("Дмитрий", "Dmitri"),
    ("Oksana", "Oksana"),
    ("Fatima Zahra", "Fatima Zahra"),
    ("Mamadou", "Mamadou"),
    ("Nguyễn", "Nguyen"),
];

/// Family names, with their Windows-1252 spelling.
const FAMILY: [(&str, &str); 20] = [
    ("Ruiz Gallardo", "Ruiz Gallardo"),
    ("DE LA FUENTE", "DE LA FUENTE"),
    ("Pérez Núñez", "Pérez Núñez"),
    ("Puig i Ferrer", "Puig i Ferrer"),
    ("Etxeberria Goikoetxea", "Etxeberria Goikoetxea"),
    ("Castro", "Castro"),
    ("García-Ibáñez", "García-Ibáñez"),
    ("Muñoz Peña", "Muñoz Peña"),
    ("del Río", "del Río"),
    ("O'Donnell", "O'Donnell"),
    ("Fernández de Córdoba", "Fernández de Córdoba"),
    ("Lòpez i Vidal", "Lòpez i Vidal"),
    ("Castaño", "Castaño"),
    ("Papadopoulou", "Papadopoulou"),
    ("Παπαδόπουλος", "Papadopoulos"),
    ("Иванова", "Ivanova"),
    ("Kovalenko", "Kovalenko"),
    ("El Amrani", "El Amrani"),
    ("Diallo", "Diallo"),
    ("Thị Minh Khai", "Thi Minh Khai"),
];

const ORGANISATIONS: [&str; 12] = [
    "Cruz Roja Española",
    "CEAR",
    "Asociación Pro Derechos Humanos de España",
    "UNICEF Comité Español",
    "Fundación Secretariado Gitano",
    "Médicos del Mundo",
    "Red Acoge",
    "SOS Racismo, Madrid",
    "Amnistía Internacional",
    "Plataforma del Voluntariado",
    "Federació Catalana d'ONG",
    "Cáritas Diocesana",
];

const ROLES: [&str; 6] = [
    "Técnica de comunicación",
    "Coordinador de voluntariado",
    "Community manager",
    "Presidenta",
    "Educador social",
    "",
];

const CITIES: [&str; 8] = [
    "Madrid",
    "Barcelona",
    "Sevilla",
    "Bilbao",
    "València",
    "A Coruña",
    "Málaga",
    "Logroño",
];

const DOMAINS: [&str; 5] = [
    "ejemplo.org",
    "correo.es",
    "gmail.com",
    "hotmail.es",
    "ong.cat",
];

const LANGUAGES: [&str; 4] = ["Español", "Español", "English", "Català"];

/// Second given names of compound ones (`Ana Isabel`, `Pablo José`).
const SECOND_GIVEN: [&str; 8] = [
    "María", "José", "Luis", "Elena", "Carmen", "Antonio", "Isabel", "Pablo",
];

/// The file formats a sheet can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetFormat {
    /// CSV in UTF-8 with `,`, as Google Forms exports it.
    CsvUtf8,
    /// CSV in Windows-1252 with `;`, as a Spanish Excel saves "CSV
    /// (delimitado por comas)"; Greek and Cyrillic names are transliterated
    /// as people do when the code page cannot hold them.
    CsvWindows1252,
    /// An Excel workbook, with phone numbers as numbers.
    Xlsx,
}

impl SheetFormat {
    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            SheetFormat::CsvUtf8 | SheetFormat::CsvWindows1252 => "csv",
            SheetFormat::Xlsx => "xlsx",
        }
    }
}

/// One generated answer to the sign-up form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// Given name as typed, and its Windows-1252 spelling.
    pub given_name: (String, String),
    /// Family name as typed, and its Windows-1252 spelling.
    pub family_name: (String, String),
    /// The other columns of [`HEADER`], from the email on.
    pub rest: [String; 8],
}

/// A generated registration sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    /// The answers, in the order they were "submitted".
    pub people: Vec<Person>,
    /// How many rows repeat an earlier person (same email, typed differently).
    pub duplicates: usize,
    /// How many rows have an email address that cannot be used.
    pub bad_emails: usize,
}

/// A small xorshift64* generator: deterministic across platforms and
/// versions, which a seeded benchmark needs and `rand` does not promise.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        // Zero is xorshift's fixed point; mix the seed so nearby seeds differ.
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// True with probability `percent` / 100.
    fn percent(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

impl Sheet {
    /// `count` answers from the generator seeded with `seed`: about 2 % of
    /// them repeat an earlier person and about 1 % carry a bad email.
    pub fn generate(count: usize, seed: u64) -> Self {
        let mut rng = Rng::new(seed);
        let mut sheet = Sheet {
            people: Vec::with_capacity(count),
            duplicates: 0,
            bad_emails: 0,
        };
        for index in 0..count {
            let person = if index > 0 && rng.percent(2) {
                sheet.duplicates += 1;
                let earlier = sheet.people[rng.below(index)].clone();
                registered_again(earlier, &mut rng)
            } else {
                let bad = rng.percent(1);
                sheet.bad_emails += usize::from(bad);
                new_person(index, bad, &mut rng)
            };
            sheet.people.push(person);
        }
        sheet
    }

    /// The sheet as a file in `format`.
    pub fn to_bytes(&self, format: SheetFormat) -> Result<Vec<u8>, Error> {
        match format {
            SheetFormat::CsvUtf8 => self.csv(b',', false),
            SheetFormat::CsvWindows1252 => {
                let text = self.csv(b';', true)?;
                let text = String::from_utf8(text).map_err(|e| Error::Write(e.into()))?;
                let (bytes, _, unmappable) = WINDOWS_1252.encode(&text);
                if unmappable {
                    return Err(Error::Write(
                        "a generated value has no Windows-1252 spelling".into(),
                    ));
                }
                Ok(bytes.into_owned())
            }
            SheetFormat::Xlsx => self.xlsx(),
        }
    }

    fn row(person: &Person, latin: bool) -> [&str; 10] {
        fn pick((typed, latin_spelling): &(String, String), latin: bool) -> &str {
            if latin { latin_spelling } else { typed }
        }
        let r = &person.rest;
        [
            pick(&person.given_name, latin),
            pick(&person.family_name, latin),
            &r[0],
            &r[1],
            &r[2],
            &r[3],
            &r[4],
            &r[5],
            &r[6],
            &r[7],
        ]
    }

    fn csv(&self, delimiter: u8, latin: bool) -> Result<Vec<u8>, Error> {
        let mut writer = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        let write_err = |e: csv::Error| Error::Write(e.into());
        writer.write_record(HEADER).map_err(write_err)?;
        for person in &self.people {
            writer
                .write_record(Self::row(person, latin))
                .map_err(write_err)?;
        }
        writer.into_inner().map_err(|e| Error::Write(e.into()))
    }

    fn xlsx(&self) -> Result<Vec<u8>, Error> {
        let write_err = |e: rust_xlsxwriter::XlsxError| Error::Write(e.into());
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book
            .add_worksheet()
            .set_name("Respuestas de formulario 1")
            .map_err(write_err)?;
        for (column, title) in (0u16..).zip(HEADER) {
            sheet.write_string(0, column, title).map_err(write_err)?;
        }
        for (row, person) in (1u32..).zip(&self.people) {
            for (column, value) in (0u16..).zip(Self::row(person, false)) {
                let phone = (usize::from(column) == PHONE)
                    .then(|| value.parse::<f64>().ok())
                    .flatten();
                match phone {
                    Some(number) => sheet.write_number(row, column, number),
                    None => sheet.write_string(row, column, value),
                }
                .map_err(write_err)?;
            }
        }
        book.save_to_buffer().map_err(write_err)
    }
}

/// Folds a name into an email's local part: `José María` → `jose.maria`.
fn local_part(given: &str, family: &str) -> String {
    let mut out = String::new();
    for c in format!("{given}.{family}").chars() {
        let c = match c {
            'á' | 'à' | 'Á' | 'À' => 'a',
            'é' | 'è' | 'ë' | 'É' => 'e',
            'í' | 'ï' | 'Í' => 'i',
            'ó' | 'ò' | 'Ó' => 'o',
            'ú' | 'ü' | 'Ú' => 'u',
            'ñ' | 'Ñ' => 'n',
            'ç' => 'c',
            ' ' | '\'' | '-' => '.',
            c => c.to_ascii_lowercase(),
        };
        if c.is_ascii_alphanumeric() || (c == '.' && !out.ends_with('.')) {
            out.push(c);
        }
    }
    out.trim_matches('.').to_owned()
}

/// A given name, compound for about a third of people, so that 100,000
/// people are not a few hundred names repeated (which real lists are not).
fn given_name(rng: &mut Rng) -> (String, String) {
    let (typed, latin) = rng.pick(&GIVEN);
    if rng.percent(35) {
        let second = rng.pick(&SECOND_GIVEN);
        (format!("{typed} {second}"), format!("{latin} {second}"))
    } else {
        (typed.to_owned(), latin.to_owned())
    }
}

/// One family name, or two as most Spanish people have.
fn family_name(rng: &mut Rng) -> (String, String) {
    let (typed, latin) = rng.pick(&FAMILY);
    if rng.percent(60) {
        let (second, second_latin) = rng.pick(&FAMILY);
        (
            format!("{typed} {second}"),
            format!("{latin} {second_latin}"),
        )
    } else {
        (typed.to_owned(), latin.to_owned())
    }
}

fn new_person(index: usize, bad_email: bool, rng: &mut Rng) -> Person {
    let given = given_name(rng);
    let family = family_name(rng);
    // The index keeps addresses unique; the Latin spelling keeps them ASCII.
    let local = format!("{}{index}", local_part(&given.1, &family.1));
    let domain = rng.pick(&DOMAINS);
    let email = if bad_email {
        match rng.below(4) {
            0 => format!("{local}.{domain}"),
            1 => format!("{local}@"),
            2 => format!("{local} @ {}", domain.replace('.', " ")),
            _ => "no tengo".to_owned(),
        }
    } else if rng.percent(10) {
        // Mixed case and stray spaces, as typed on a phone.
        format!(" {}@{} ", capitalise(&local), domain.to_uppercase())
    } else {
        format!("{local}@{domain}")
    };
    let city = rng.pick(&CITIES);
    // Local branches: the same NGO in another city is another team.
    let organisation = format!("{} ({city})", rng.pick(&ORGANISATIONS));
    let twitter = if rng.percent(40) {
        // Twitter handles have at most 15 letters, digits or underscores.
        let short: String = local
            .chars()
            .filter(char::is_ascii_alphabetic)
            .take(9)
            .collect();
        let handle = format!("{short}{}", index % 100_000);
        match rng.below(3) {
            0 => format!("@{handle}"),
            1 => format!("https://twitter.com/{handle}"),
            _ => handle,
        }
    } else {
        String::new()
    };
    Person {
        given_name: given,
        family_name: family,
        rest: [
            email,
            organisation,
            rng.pick(&ROLES).to_owned(),
            city.to_owned(),
            format!("6{:08}", rng.below(100_000_000)),
            twitter,
            rng.pick(&LANGUAGES).to_owned(),
            if rng.percent(15) { "No" } else { "Sí" }.to_owned(),
        ],
    }
}

/// The same person filling the form in again: same address, typed with
/// different case or spaces, sometimes a new organisation.
fn registered_again(mut person: Person, rng: &mut Rng) -> Person {
    let email = &mut person.rest[0];
    *email = match rng.below(3) {
        0 => email.to_uppercase(),
        1 => format!("  {}", email.trim()),
        _ => email.trim().to_owned(),
    };
    if rng.percent(30) {
        person.rest[1] = format!("{} ({})", rng.pick(&ORGANISATIONS), person.rest[3]);
    }
    person
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ImportOptions, Input, import};

    #[test]
    fn same_seed_same_sheet_other_seed_other_sheet() {
        assert_eq!(Sheet::generate(300, 1), Sheet::generate(300, 1));
        assert_ne!(Sheet::generate(300, 1), Sheet::generate(300, 2));
    }

    #[test]
    fn shares_of_duplicates_and_bad_emails_are_near_the_aim() {
        let sheet = Sheet::generate(20_000, 42);
        assert!(
            (300..500).contains(&sheet.duplicates),
            "{}",
            sheet.duplicates
        );
        assert!(
            (120..280).contains(&sheet.bad_emails),
            "{}",
            sheet.bad_emails
        );
    }

    #[test]
    fn names_mix_spanish_and_international_scripts() {
        let sheet = Sheet::generate(2_000, 3);
        let names: String = sheet
            .people
            .iter()
            .map(|p| format!("{} {}\n", p.given_name.0, p.family_name.0))
            .collect();
        for letter in ['ñ', 'á', 'α', 'о'] {
            assert!(names.to_lowercase().contains(letter), "no {letter}");
        }
    }

    #[test]
    fn every_format_imports_to_the_same_people() {
        let sheet = Sheet::generate(1_000, 9);
        let expected = 1_000 - sheet.duplicates - sheet.bad_emails;
        for format in [
            SheetFormat::CsvUtf8,
            SheetFormat::CsvWindows1252,
            SheetFormat::Xlsx,
        ] {
            let input = Input {
                name: format!("inscripciones.{}", format.extension()),
                bytes: sheet.to_bytes(format).expect("written"),
            };
            let imported = import(&[input], None, &ImportOptions::default()).expect("imports");
            let attendees = &imported.roster.attendees;
            // Bad emails may be kept (with a warning) or rejected; never
            // more people than distinct answers.
            assert!(
                attendees.len() >= expected && attendees.len() <= 1_000 - sheet.duplicates,
                "{format:?}: {} attendees, {expected} expected",
                attendees.len()
            );
            assert!(
                attendees
                    .iter()
                    .any(|a| a.given_name == "Begoña" || a.family_name.contains("Muñoz")),
                "{format:?}: accents lost"
            );
        }
    }
}
