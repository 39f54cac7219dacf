//! Recognising the header row and what each column holds, in the words
//! coordinators and form tools really use (English, Spanish, Catalan,
//! Basque, Galician; Google Forms, Microsoft Forms, Eventbrite, Teams).

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::{
    canonical_combining_class, decompose_canonical, is_combining_mark,
};

use crate::table::{Row, Table};

/// What a column holds: a roster field, or one of the few extra columns
/// the import understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// Given name(s).
    GivenName,
    /// Family name(s), or the first surname when a second has its own column.
    FamilyName,
    /// The second surname, in forms that ask for it apart.
    SecondFamilyName,
    /// One column with the whole name.
    FullName,
    /// Email address.
    Email,
    /// Organisation.
    Organisation,
    /// Role or job title.
    Role,
    /// The cause the organisation works for.
    Cause,
    /// City.
    City,
    /// Twitter/X handle.
    Twitter,
    /// Phone number.
    Phone,
    /// Preferred language.
    Language,
    /// Consent to be contacted.
    Consent,
    /// Attendance mark (check-in sheets).
    Attended,
    /// A ticket status (Eventbrite `Attendee Status`).
    Status,
}

impl Field {
    /// Every field, in roster order.
    pub const ALL: [Field; 15] = [
        Field::GivenName,
        Field::FamilyName,
        Field::SecondFamilyName,
        Field::FullName,
        Field::Email,
        Field::Organisation,
        Field::Role,
        Field::Cause,
        Field::City,
        Field::Twitter,
        Field::Phone,
        Field::Language,
        Field::Consent,
        Field::Attended,
        Field::Status,
    ];

    /// The name used in `--map` and `[registration.columns]`.
    pub fn name(self) -> &'static str {
        match self {
            Field::GivenName => "given_name",
            Field::FamilyName => "family_name",
            Field::SecondFamilyName => "second_family_name",
            Field::FullName => "full_name",
            Field::Email => "email",
            Field::Organisation => "organisation",
            Field::Role => "role",
            Field::Cause => "cause",
            Field::City => "city",
            Field::Twitter => "twitter",
            Field::Phone => "phone",
            Field::Language => "language",
            Field::Consent => "consent",
            Field::Attended => "attended",
            Field::Status => "status",
        }
    }

    fn is_name(self) -> bool {
        matches!(
            self,
            Field::GivenName | Field::FamilyName | Field::SecondFamilyName | Field::FullName
        )
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Field {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wanted = text.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        let wanted = match wanted.as_str() {
            "name" => "full_name",
            "organization" => "organisation",
            "surname" | "last_name" => "family_name",
            "first_name" => "given_name",
            other => other,
        };
        Field::ALL
            .into_iter()
            .find(|field| field.name() == wanted)
            .ok_or_else(|| {
                let names: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
                format!(
                    "`{text}` is not a roster field (use one of: {})",
                    names.join(", ")
                )
            })
    }
}

/// Folds text for loose comparison: no accents, no case, punctuation as
/// spaces, spaces collapsed (`¿Correo electrónico? *` → `correo electronico`).
pub(crate) fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    if text.is_ascii() {
        fold_ascii(text, &mut out);
        return out;
    }
    if !fold_char_by_char(text, &mut out) {
        out.clear();
        let mut folder = Folder::new(&mut out);
        text.nfd()
            .filter(|c| !is_combining_mark(*c))
            .for_each(|c| folder.push(c));
    }
    out
}

/// [`fold`] of ASCII text (names, addresses and organisations mostly are):
/// nothing to decompose, so byte by byte.
fn fold_ascii(text: &str, out: &mut String) {
    let mut space = false;
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(char::from(b.to_ascii_lowercase()));
        } else {
            space = true;
        }
    }
}

/// [`fold`] without NFD's buffering and reordering: each character is
/// decomposed on its own. That gives what NFD gives as long as every
/// character that canonical reordering could move (a non-zero combining
/// class) is a mark, which folding drops anyway; false otherwise (a
/// Tibetan vowel sign, say), for the caller to fold the slow way.
fn fold_char_by_char(text: &str, out: &mut String) -> bool {
    let mut folder = Folder::new(out);
    let mut reorderable = false;
    for c in text.chars() {
        if c.is_ascii() {
            folder.push(c);
            continue;
        }
        match simple_fold(c) {
            Some(Folded::Letter(letter)) => {
                folder.push_letter(letter);
                continue;
            }
            Some(Folded::Separator) => {
                folder.space = true;
                continue;
            }
            Some(Folded::Nothing) => continue,
            None => {}
        }
        decompose_canonical(c, |part| {
            if is_combining_mark(part) {
                return;
            }
            if canonical_combining_class(part) != 0 {
                reorderable = true;
            }
            folder.push(part);
        });
        if reorderable {
            return false;
        }
    }
    true
}

/// What a character folds to, when that is simple.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Folded {
    /// One lower-case letter or digit: `É` → `e`, `Ж` → `ж`.
    Letter(char),
    /// Punctuation or space: a word break.
    Separator,
    /// Nothing: a combining mark.
    Nothing,
}

/// Characters below this (Latin, Greek, Cyrillic: most names in the
/// sheets) are folded through a table made once: decomposing and
/// lower-casing them one by one was most of the cost of comparing names.
const SIMPLE_FOLDS: u32 = 0x0600;

/// `c` folded from the table; `None` when it must be folded the slow way
/// (outside the table, or more than one character).
fn simple_fold(c: char) -> Option<Folded> {
    static TABLE: std::sync::OnceLock<Vec<Option<Folded>>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        (0..SIMPLE_FOLDS)
            .map(|code| {
                let c = char::from_u32(code)?;
                let mut parts = Vec::new();
                decompose_canonical(c, |part| {
                    if !is_combining_mark(part) {
                        parts.push(part);
                    }
                });
                match parts.as_slice() {
                    [] => Some(Folded::Nothing),
                    [base] if canonical_combining_class(*base) != 0 => None,
                    [base] if !base.is_alphanumeric() => Some(Folded::Separator),
                    [base] => {
                        let mut lower = base.to_lowercase();
                        match (lower.next(), lower.next()) {
                            (Some(letter), None) => Some(Folded::Letter(letter)),
                            _ => None,
                        }
                    }
                    _ => None,
                }
            })
            .collect()
    });
    table
        .get(usize::try_from(u32::from(c)).ok()?)
        .copied()
        .flatten()
}

/// Appends decomposed, mark-free characters to a folded string.
struct Folder<'a> {
    out: &'a mut String,
    space: bool,
}

impl<'a> Folder<'a> {
    fn new(out: &'a mut String) -> Self {
        Folder { out, space: false }
    }

    /// Appends a letter or digit already lower-cased.
    fn push_letter(&mut self, letter: char) {
        if self.space && !self.out.is_empty() {
            self.out.push(' ');
        }
        self.space = false;
        self.out.push(letter);
    }

    fn push(&mut self, c: char) {
        if c.is_alphanumeric() {
            if self.space && !self.out.is_empty() {
                self.out.push(' ');
            }
            self.space = false;
            if c.is_ascii() {
                self.out.push(c.to_ascii_lowercase());
            } else {
                self.out.extend(c.to_lowercase());
            }
        } else {
            self.space = true;
        }
    }
}

/// Whole headers, folded, that name a field for sure.
const EXACT: &[(Field, &[&str])] = &[
    (
        Field::Email,
        &[
            "email",
            "e mail",
            "mail",
            "correo",
            "correo electronico",
            "direccion de correo electronico",
            "direccion de correo",
            "email address",
            "e mail address",
            "correu",
            "correu electronic",
            "adreca electronica",
            "adreca de correu electronic",
            "helbide elektronikoa",
            "posta elektronikoa",
            "emaila",
            "enderezo electronico",
            "correo electronico de contacto",
            "correo de contacto",
            "contact email",
            "your email",
            "tu correo",
            "tu email",
        ],
    ),
    (
        Field::FullName,
        &[
            "nombre y apellidos",
            "nombre completo",
            "nombre y apellido",
            "apellidos y nombre",
            "apellidos nombre",
            "nombre apellidos",
            "name",
            "full name",
            "your name",
            "nom i cognoms",
            "nom complet",
            "cognoms i nom",
            "izen abizenak",
            "izena eta abizenak",
            "izena abizenak",
            "nome e apelidos",
            "nome completo",
            "apelidos e nome",
            "participante",
            "participant",
            "asistente",
            "attendee",
            "attendee name",
            "participant name",
            "nombre del participante",
            "nombre de la persona",
            "persona",
            "tu nombre",
            "nombre y apellidos del participante",
        ],
    ),
    (
        Field::GivenName,
        &[
            "nombre",
            "first name",
            "given name",
            "forename",
            "nom",
            "izena",
            "nome",
            "first",
            "nombre de pila",
            "name first",
            "nombre s",
            "given names",
        ],
    ),
    (
        Field::FamilyName,
        &[
            "apellidos",
            "apellido",
            "last name",
            "surname",
            "family name",
            "cognoms",
            "cognom",
            "abizenak",
            "abizena",
            "apelidos",
            "apelido",
            "primer apellido",
            "apellido 1",
            "1er apellido",
            "apellido1",
            "primer cognom",
            "cognom 1",
            "lehen abizena",
            "primeiro apelido",
            "last",
            "surnames",
        ],
    ),
    (
        Field::SecondFamilyName,
        &[
            "segundo apellido",
            "apellido 2",
            "2 apellido",
            "2o apellido",
            "2º apellido",
            "apellido2",
            "segon cognom",
            "cognom 2",
            "bigarren abizena",
            "segundo apelido",
        ],
    ),
    (
        Field::Organisation,
        &[
            "organizacion",
            "organisation",
            "organization",
            "entidad",
            "ong",
            "organizacion ong",
            "ong organizacion",
            "empresa",
            "company",
            "organitzacio",
            "entitat",
            "erakundea",
            "entidade",
            "organizacion o entidad",
            "asociacion",
            "institucion",
            "company name",
            "employer",
            "colectivo",
            "organizacion entidad",
            "entidad organizacion",
        ],
    ),
    (
        Field::Role,
        &[
            "cargo",
            "puesto",
            "rol",
            "role",
            "job title",
            "position",
            "carrec",
            "kargua",
            "funcion",
            "cargo puesto",
            "puesto cargo",
            "posicion",
            "ocupacion",
            "occupation",
            "lanpostua",
            "posto",
            "job",
        ],
    ),
    (
        Field::Cause,
        &[
            "causa",
            "cause",
            "ambito",
            "area",
            "tematica",
            "sector",
            "kausa",
            "eremua",
            "mision",
            "mission",
            "ambit",
            "ambito de actuacion",
            "area de trabajo",
        ],
    ),
    (
        Field::City,
        &[
            "ciudad",
            "city",
            "localidad",
            "municipio",
            "poblacion",
            "ciutat",
            "poblacio",
            "hiria",
            "herria",
            "udalerria",
            "cidade",
            "concello",
            "home city",
            "town",
            "localitat",
        ],
    ),
    (
        Field::Twitter,
        &[
            "twitter",
            "x",
            "usuario de x",
            "cuenta de x",
            "x twitter",
            "twitter x",
            "usuario de twitter",
        ],
    ),
    (
        Field::Phone,
        &[
            "telefono",
            "phone",
            "movil",
            "telefon",
            "telefonoa",
            "mobile",
            "celular",
            "tel",
            "phone number",
            "numero de telefono",
            "telefono movil",
            "whatsapp",
            "cell phone",
            "mugikorra",
            "mobil",
            "telefono de contacto",
            "mobile phone",
        ],
    ),
    (
        Field::Language,
        &[
            "idioma",
            "language",
            "lengua",
            "llengua",
            "hizkuntza",
            "lingua",
            "idioma preferido",
            "preferred language",
            "idioma de preferencia",
        ],
    ),
    (
        Field::Consent,
        &[
            "consentimiento",
            "consent",
            "rgpd",
            "gdpr",
            "lopd",
            "baimena",
            "consentiment",
        ],
    ),
    (
        Field::Attended,
        &[
            "asistencia",
            "asistio",
            "attended",
            "attendance",
            "presente",
            "present",
            "check in",
            "checked in",
            "firma",
            "asistido",
            "assistencia",
            "ha asistido",
            "vino",
            "bertaratua",
            "signature",
            "asistio si no",
            "ha venido",
        ],
    ),
    (
        Field::Status,
        &[
            "attendee status",
            "estado del asistente",
            "estado",
            "status",
        ],
    ),
];

/// Word stems that make a longer header (a form question) name a field,
/// tried in this order: the earlier kinds are the more specific questions
/// (`¿Autorizas a tu organización…?` is about consent, not organisation).
const STEMS: &[(Field, &[&[&str]])] = &[
    (
        Field::Email,
        &[
            &["email"],
            &["correo"],
            &["correu"],
            &["mail"],
            &["elektronikoa"],
        ],
    ),
    (
        Field::Consent,
        &[
            &["consent"],
            &["autoriz"],
            &["acept"],
            &["accept"],
            &["rgpd"],
            &["gdpr"],
            &["lopd"],
            &["privacidad"],
            &["privacy"],
            &["baimen"],
            &["comunicacion"],
            &["newsletter"],
            &["permiso"],
            &["accepto"],
        ],
    ),
    (
        Field::Twitter,
        &[
            &["twitter"],
            &["tuiter"],
            &["usuario", "x"],
            &["cuenta", "x"],
        ],
    ),
    (
        Field::Phone,
        &[
            &["telefon"],
            &["phone"],
            &["movil"],
            &["mobile"],
            &["celular"],
            &["whatsapp"],
            &["mugikor"],
        ],
    ),
    (
        Field::SecondFamilyName,
        &[
            &["segundo", "apellido"],
            &["2", "apellido"],
            &["segon", "cognom"],
            &["bigarren", "abizen"],
            &["segundo", "apelido"],
        ],
    ),
    (
        Field::FullName,
        &[
            &["nombre", "apellido"],
            &["nom", "cognom"],
            &["nome", "apelido"],
            &["izen", "abizen"],
            &["full", "name"],
            &["nombre", "completo"],
        ],
    ),
    (
        Field::FamilyName,
        &[
            &["apellido"],
            &["cognom"],
            &["abizen"],
            &["apelido"],
            &["surname"],
            &["last", "name"],
        ],
    ),
    (Field::GivenName, &[&["first", "name"], &["given", "name"]]),
    (
        Field::Role,
        &[
            &["cargo"],
            &["puesto"],
            &["job"],
            &["carrec"],
            &["kargu"],
            &["ocupacion"],
            &["occupation"],
        ],
    ),
    (
        Field::Cause,
        &[
            &["causa"],
            &["cause"],
            &["ambito"],
            &["ambit"],
            &["tematica"],
            &["sector"],
            &["eremu"],
        ],
    ),
    (
        Field::City,
        &[
            &["ciudad"],
            &["city"],
            &["localidad"],
            &["municipio"],
            &["poblacion"],
            &["ciutat"],
            &["poblacio"],
            &["hiri"],
            &["cidade"],
            &["concello"],
        ],
    ),
    (
        Field::Language,
        &[
            &["idioma"],
            &["language"],
            &["lengua"],
            &["llengua"],
            &["hizkuntz"],
        ],
    ),
    (
        Field::Attended,
        &[&["asisten"], &["asisti"], &["attend"], &["check", "in"]],
    ),
    (
        Field::Organisation,
        &[
            &["organiza"],
            &["organisa"],
            &["organitza"],
            &["entidad"],
            &["entitat"],
            &["entidade"],
            &["erakunde"],
            &["empresa"],
            &["company"],
            &["asociacion"],
            &["ong"],
            &["colectivo"],
        ],
    ),
    (
        Field::FullName,
        &[&["name"], &["nombre"], &["nom"], &["izena"], &["nome"]],
    ),
];

/// How sure a header match is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Strength {
    /// Found by a word inside a longer question.
    Stem,
    /// The whole header is a known name for the field.
    Exact,
    /// Chosen by the user (`--map`, `[registration.columns]`).
    Chosen,
}

/// The field a header names, if any.
pub(crate) fn match_header(header: &str) -> Option<(Field, Strength)> {
    let folded = fold(header);
    if folded.is_empty() {
        return None;
    }
    for (field, names) in EXACT {
        if names.contains(&folded.as_str()) {
            return Some((*field, Strength::Exact));
        }
    }
    // A sentence (instructions, a note) is not a header, even when it
    // mentions a name or an email.
    let trimmed = header.trim_end();
    if trimmed.ends_with(['.', '!']) || trimmed.chars().count() > 150 {
        return None;
    }
    let words: Vec<&str> = folded.split(' ').collect();
    let has = |stem: &str| {
        words.iter().any(|word| {
            if stem.len() <= 2 {
                *word == stem
            } else {
                word.starts_with(stem)
            }
        })
    };
    for (field, groups) in STEMS {
        if groups
            .iter()
            .any(|group| group.iter().all(|stem| has(stem)))
        {
            return Some((*field, Strength::Stem));
        }
    }
    None
}

/// How many rows from the top may be titles above the header.
const HEADER_SEARCH_ROWS: usize = 30;

/// The header row: the one among the first rows whose cells name the most
/// different fields, at least one of them an email or a name. Returns its
/// index in `table.rows` and that count.
pub(crate) fn find_header(table: &Table) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize)> = None;
    for (index, row) in table.rows.iter().take(HEADER_SEARCH_ROWS).enumerate() {
        let fields = row_fields(row);
        let identity = fields.iter().any(|f| *f == Field::Email || f.is_name());
        if identity && best.is_none_or(|(_, score)| fields.len() > score) {
            best = Some((index, fields.len()));
        }
    }
    best
}

fn row_fields(row: &Row) -> Vec<Field> {
    let mut fields: Vec<Field> = row
        .cells
        .iter()
        .filter_map(|cell| match_header(&cell.text()).map(|(field, _)| field))
        .collect();
    fields.sort_unstable();
    fields.dedup();
    fields
}

/// Which column holds each field, decided from the header row, the user's
/// choices and, where two columns compete, the data below.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Mapping {
    /// Field → 0-based column.
    pub(crate) columns: BTreeMap<Field, usize>,
    /// Column → its header text, for every non-empty header.
    pub(crate) headers: BTreeMap<usize, String>,
}

impl Mapping {
    /// The column of `field`, if the sheet has one.
    pub(crate) fn get(&self, field: Field) -> Option<usize> {
        self.columns.get(&field).copied()
    }

    /// The header text of `field`'s column, to name it in messages.
    pub(crate) fn header(&self, field: Field) -> Option<&str> {
        self.get(field)
            .and_then(|column| self.headers.get(&column))
            .map(String::as_str)
    }

    /// The headers of the columns that hold no field.
    pub(crate) fn unused(&self) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(column, _)| !self.columns.values().any(|c| c == *column))
            .map(|(_, header)| header.as_str())
            .collect()
    }
}

/// Decides the mapping of one table whose header is `table.rows[header]`.
/// `chosen` maps fields to a header text or a column letter. Errors are one
/// sentence without the file name (the caller adds it).
pub(crate) fn map_columns(
    table: &Table,
    header: usize,
    chosen: &BTreeMap<Field, String>,
) -> Result<Mapping, String> {
    let header_row = &table.rows[header];
    let data = &table.rows[header + 1..];
    let mut mapping = Mapping::default();
    let mut candidates: BTreeMap<Field, Vec<(Strength, usize)>> = BTreeMap::new();
    let mut digits_only: Vec<(Field, usize)> = Vec::new();
    for (column, cell) in header_row.cells.iter().enumerate() {
        let text = cell.text().trim().to_owned();
        if text.is_empty() {
            continue;
        }
        if let Some((field, strength)) = match_header(&text) {
            candidates
                .entry(field)
                .or_default()
                .push((strength, column));
        }
        mapping.headers.insert(column, text);
    }
    for (field, wanted) in chosen {
        let column = find_column(&mapping.headers, wanted).ok_or_else(|| {
            let known: Vec<&str> = mapping.headers.values().map(String::as_str).collect();
            format!(
                "has no column \"{wanted}\" for {field} (its columns are: {})",
                known.join(", ")
            )
        })?;
        for list in candidates.values_mut() {
            list.retain(|(_, c)| *c != column);
        }
        candidates.insert(*field, vec![(Strength::Chosen, column)]);
    }
    for (field, mut list) in candidates {
        list.retain(|(strength, column)| {
            *strength == Strength::Chosen || !is_placeholder_column(data, *column)
        });
        if field.is_name() {
            let (named, numbers): (Vec<_>, Vec<_>) = list.iter().partition(|(strength, column)| {
                *strength == Strength::Chosen || has_letters(data, *column)
            });
            if named.is_empty() {
                digits_only.extend(numbers.first().map(|(_, column)| (field, *column)));
            }
            list = named;
        }
        let Some(strongest) = list.iter().map(|(s, _)| *s).max() else {
            continue;
        };
        list.retain(|(s, _)| *s == strongest);
        if field == Field::Email && list.len() > 1 {
            // Microsoft Forms' respondent column says `anonymous`; the
            // question that asked for the address holds the real ones.
            let best = list
                .iter()
                .map(|(_, c)| addresses_in(data, *c))
                .max()
                .unwrap_or(0);
            list.retain(|(_, c)| addresses_in(data, *c) == best);
        }
        if let [(_, first), (_, second), ..] = list.as_slice() {
            let (a, b) = (&mapping.headers[first], &mapping.headers[second]);
            if fold(a) == fold(b) && has_values(data, *first) && has_values(data, *second) {
                return Err(format!(
                    "has two columns called \"{a}\" ({} and {}); rename one of them, or choose with --map {field}={}",
                    crate::table::column_letter(*first),
                    crate::table::column_letter(*second),
                    crate::table::column_letter(*first),
                ));
            }
        }
        if let Some((_, column)) = list.first() {
            mapping.columns.insert(field, *column);
        }
    }
    // A name column of numbers (Eventbrite's `Attendee #`) is used only
    // when the sheet has no other: its rows are then rejected one by one.
    if !mapping.columns.keys().any(|f| f.is_name()) {
        mapping.columns.extend(digits_only);
    }
    // A lone "Nombre" column holds the whole name.
    if let (Some(given), None, None) = (
        mapping.get(Field::GivenName),
        mapping.get(Field::FamilyName),
        mapping.get(Field::FullName),
    ) {
        mapping.columns.remove(&Field::GivenName);
        mapping.columns.insert(Field::FullName, given);
    }
    Ok(mapping)
}

/// A header text or a column letter (`F`) chosen by the user.
fn find_column(headers: &BTreeMap<usize, String>, wanted: &str) -> Option<usize> {
    let folded = fold(wanted);
    headers
        .iter()
        .find(|(_, header)| fold(header) == folded)
        .map(|(column, _)| *column)
        .or_else(|| {
            let letters = wanted.trim();
            (!letters.is_empty()
                && letters.len() <= 3
                && letters.chars().all(|c| c.is_ascii_uppercase()))
            .then(|| {
                letters
                    .bytes()
                    .fold(0usize, |n, b| n * 26 + usize::from(b - b'A' + 1))
                    - 1
            })
        })
}

fn has_values(data: &[Row], column: usize) -> bool {
    data.iter().any(|row| !row.cell(column).is_blank())
}

/// A column of numbers (Eventbrite's `Attendee #`) holds no names.
fn has_letters(data: &[Row], column: usize) -> bool {
    let mut values = data
        .iter()
        .map(|row| row.cell(column))
        .filter(|cell| !cell.is_blank())
        .peekable();
    values.peek().is_none() || values.any(|cell| cell.text().chars().any(char::is_alphabetic))
}

fn addresses_in(data: &[Row], column: usize) -> usize {
    data.iter()
        .filter(|row| row.cell(column).text().contains('@'))
        .count()
}

/// A column whose every value is `anonymous` (Microsoft Forms' respondent
/// columns for people outside the organisation) holds nobody's data.
fn is_placeholder_column(data: &[Row], column: usize) -> bool {
    let mut values = data
        .iter()
        .map(|row| row.cell(column).text())
        .filter(|text| !text.trim().is_empty())
        .peekable();
    values.peek().is_some() && values.all(|text| fold(&text) == "anonymous")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(number: u32, cells: &[&str]) -> Row {
        Row::of_texts(number, cells)
    }

    #[test]
    fn folding() {
        assert_eq!(fold("¿Correo electrónico? *"), "correo electronico");
        assert_eq!(fold("  NOMBRE_y-Apellidos "), "nombre y apellidos");
        assert_eq!(fold("Ñúñez-IBÁÑEZ Łukasiewicz"), "nunez ibanez łukasiewicz");
        assert_eq!(fold("Ольга Αλέξανδρος"), "ольга αλεξανδρος");
    }

    /// Folding with full NFD, as `fold` did before its fast path.
    fn fold_by_nfd(text: &str) -> String {
        let mut out = String::new();
        let mut folder = Folder::new(&mut out);
        text.nfd()
            .filter(|c| !is_combining_mark(*c))
            .for_each(|c| folder.push(c));
        out
    }

    #[test]
    fn folding_char_by_char_is_folding_by_nfd() {
        let chars = || (0..=0x2_FFFF_u32).filter_map(char::from_u32);
        for c in chars() {
            let alone = c.to_string();
            assert_eq!(fold(&alone), fold_by_nfd(&alone), "U+{:04X}", u32::from(c));
            // A mark after a precomposed letter is reordered by NFD.
            let after = format!("e\u{1EC7}{c}\u{301}x");
            assert_eq!(fold(&after), fold_by_nfd(&after), "U+{:04X}", u32::from(c));
        }
        for text in [
            "a\u{F73}b",
            "\u{301}a",
            "ệ\u{323}\u{302}",
            "Zoë Łukasiewicz",
        ] {
            assert_eq!(fold(text), fold_by_nfd(text), "{text}");
        }
    }

    proptest::proptest! {
        #[test]
        fn folding_any_text_is_folding_by_nfd(text in "\\PC{0,12}") {
            proptest::prop_assert_eq!(fold(&text), fold_by_nfd(&text));
        }
    }

    #[test]
    fn headers_people_write() {
        let cases = [
            ("Dirección de correo electrónico", Field::Email),
            ("Email Address", Field::Email),
            ("Correu electrònic *", Field::Email),
            ("Helbide elektronikoa", Field::Email),
            ("Nombre y apellidos", Field::FullName),
            ("Nom i cognoms", Field::FullName),
            ("Izen-abizenak", Field::FullName),
            ("Nome e apelidos", Field::FullName),
            ("First Name", Field::GivenName),
            ("Last Name", Field::FamilyName),
            ("Segundo apellido", Field::SecondFamilyName),
            ("Organización / ONG", Field::Organisation),
            ("Company", Field::Organisation),
            ("Job Title", Field::Role),
            ("Usuario de Twitter", Field::Twitter),
            ("Teléfono móvil", Field::Phone),
            (
                "¿Autorizas a la organización a enviarte comunicaciones?",
                Field::Consent,
            ),
            ("Idioma preferido", Field::Language),
            ("Attendee Status", Field::Status),
            ("¿En qué ámbito trabaja tu organización?", Field::Cause),
            ("Nombre de tu organización", Field::Organisation),
        ];
        for (header, field) in cases {
            assert_eq!(match_header(header).map(|m| m.0), Some(field), "{header}");
        }
        assert_eq!(match_header("Marca temporal"), None);
        assert_eq!(match_header("Puntuación"), None);
        assert_eq!(match_header(""), None);
    }

    #[test]
    fn header_below_titles_and_anonymous_columns() {
        let table = Table {
            sheet: Some("Respuestas".into()),
            rows: vec![
                row(1, &["Inscripciones Madrid 2016"]),
                row(
                    3,
                    &[
                        "ID",
                        "Start time",
                        "Email",
                        "Name",
                        "Correo de contacto",
                        "Nombre y apellidos",
                    ],
                ),
                row(
                    4,
                    &[
                        "1",
                        "x",
                        "anonymous",
                        "anonymous",
                        "ana@ong.org",
                        "Ana Ruiz",
                    ],
                ),
                row(
                    5,
                    &[
                        "2",
                        "x",
                        "anonymous",
                        "anonymous",
                        "luis@ong.org",
                        "Luis Gil",
                    ],
                ),
            ],
        };
        let (header, score) = find_header(&table).expect("header");
        assert_eq!((header, score), (1, 2));
        let mapping = map_columns(&table, header, &BTreeMap::new()).expect("maps");
        assert_eq!(mapping.get(Field::Email), Some(4));
        assert_eq!(mapping.get(Field::FullName), Some(5));
        let chosen = BTreeMap::from([(Field::Email, "C".to_owned())]);
        assert_eq!(
            map_columns(&table, header, &chosen)
                .expect("maps")
                .get(Field::Email),
            Some(2)
        );
        let chosen = BTreeMap::from([(Field::Email, "Correo".to_owned())]);
        let err = map_columns(&table, header, &chosen).expect_err("no such column");
        assert!(
            err.starts_with("has no column \"Correo\" for email"),
            "{err}"
        );
    }

    #[test]
    fn duplicate_headers_with_data_are_refused() {
        let table = Table {
            sheet: None,
            rows: vec![
                row(1, &["Nombre", "Email", "Email"]),
                row(2, &["Ana", "a@x.es", "b@x.es"]),
            ],
        };
        let err = map_columns(&table, 0, &BTreeMap::new()).expect_err("ambiguous");
        assert!(
            err.contains("two columns called \"Email\" (B and C)"),
            "{err}"
        );
    }

    #[test]
    fn fields_by_name() {
        assert_eq!("email".parse::<Field>(), Ok(Field::Email));
        assert_eq!("Given-Name".parse::<Field>(), Ok(Field::GivenName));
        assert!("correo".parse::<Field>().is_err());
    }
}
