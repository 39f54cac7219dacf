//! Recognising the header row and what each column holds, in the words
//! coordinators and form tools really use (English, Spanish, Catalan,
//! Basque, Galician; Google Forms, Microsoft Forms, Eventbrite, Teams).

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::Serialize;
use taller_model::fold;

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
    /// The gender question of a form.
    Gender,
    /// An age, an age range, or a birth year or date.
    Age,
    /// When the form was answered (`Marca temporal`, `_submission_time`).
    SubmittedAt,
    /// A flag that the person asked not to be emailed (CiviCRM's `Do Not
    /// Email`): set, it makes `consent` a no.
    DoNotEmail,
}

impl Field {
    /// Every field, in roster order.
    pub const ALL: [Field; 19] = [
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
        Field::Gender,
        Field::Age,
        Field::SubmittedAt,
        Field::DoNotEmail,
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
            Field::Gender => "gender",
            Field::Age => "age",
            Field::SubmittedAt => "submitted_at",
            Field::DoNotEmail => "do_not_email",
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
            "display name",
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
            "current employer",
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
            "participant status",
            "approval status",
            "rsvp",
        ],
    ),
    (
        Field::Gender,
        &[
            "genero", "sexo", "gender", "genere", "xenero", "generoa", "sexe", "sex",
        ],
    ),
    (
        Field::Age,
        &[
            "edad",
            "age",
            "edat",
            "idade",
            "adina",
            "birth date",
            "date of birth",
            "birthdate",
            "year of birth",
            "birth year",
        ],
    ),
    (
        Field::SubmittedAt,
        &[
            "timestamp",
            "marca temporal",
            "marca de temps",
            "submitted at",
            "submit date utc",
            "submit date",
            "submission date",
            "submission time",
            "submitted",
            "date submitted",
            "created at",
            "register date",
            "registration time",
            "registration date",
            "fecha de inscripcion",
            "fecha de envio",
            "hora de finalizacion",
            "completion time",
            "order date",
            "rsvped on",
            "created",
            "created time",
        ],
    ),
    (
        Field::DoNotEmail,
        &[
            "do not email",
            "no bulk emails user opt out",
            "unsubscribed",
            "opted out",
            "email opt out",
        ],
    ),
];

/// Whole headers, folded, of columns that look like a field by their words
/// but are not it: CiviCRM's other flags (`Use for Bulk Mail`), greetings (`Dear Ana`), Meetup's group statistics (`Meetups attended`),
/// ids.
const NOT_A_FIELD: &[&str] = &[
    "do not phone",
    "do not mail",
    "do not sms",
    "do not trade",
    "email greeting",
    "email greeting id",
    "postal greeting",
    "postal greeting id",
    "use for bulk mail",
    "on hold",
    "sort name",
    "legal name",
    "household name",
    "middle name",
    "im screen name",
    "addressee",
    "addressee id",
    "signature text",
    "signature html",
    "participant role",
    "participant role id",
    "participant status id",
    "participant id",
    "participant note",
    "participant source",
    "created date",
    "modified date",
    "last attended",
    "meetups attended",
    "no shows",
    "mailing list",
    "assistant organizer",
    "url of member profile",
    "event host",
    "respondent id",
    "submission id",
    "network id",
    "response type",
    "current employer id",
    "contact type",
    "contact subtype",
];

/// Word stems that make a longer header (a form question) name a field,
/// tried in this order: the earlier kinds are the more specific questions
/// (`¿Autorizas a tu organización…?` is about consent, not organisation).
const STEMS: &[(Field, &[&[&str]])] = &[
    // A consent question may name the email (`Can we email you after the
    // workshop?`): it asks for a yes or a no, not for an address. A column
    // of addresses under such a question is still read as the email (see
    // `map_columns`).
    (
        Field::Consent,
        &[
            &["consent"],
            &["consient"],
            &["autoriz"],
            &["acept"],
            &["accept"],
            &["agree"],
            &["rgpd"],
            &["gdpr"],
            &["lopd"],
            &["privacidad"],
            &["privacy"],
            &["privacitat"],
            &["privacidade"],
            &["pribatutasun"],
            &["baimen"],
            &["onart"],
            &["newsletter"],
            &["permiso"],
            &["comunicacion"],
            &["comunicacio"],
            &["can", "we"],
            &["may", "we"],
            &["podemos"],
            &["podem"],
            &["rebre"],
            &["quieres", "recibir"],
            &["deseas", "recibir"],
            &["desea", "recibir"],
            &["like", "receive"],
            &["want", "receive"],
            &["keep", "touch"],
            &["jaso", "nahi"],
        ],
    ),
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
        Field::Gender,
        &[
            &["=genero"],
            &["=generoa"],
            &["=genere"],
            &["=xenero"],
            &["=gender"],
            &["=sexo"],
            &["=sexe"],
        ],
    ),
    (
        Field::Age,
        &[
            &["=edad"],
            &["=edat"],
            &["=idade"],
            &["=adina"],
            &["=age"],
            &["nacimiento"],
            &["naixement"],
            &["nacemento"],
            &["jaiotz"],
            &["birth"],
            &["naciste"],
            &["how", "old"],
            &["cuantos", "anos"],
            &["zenbat", "urte"],
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
            &["lingua"],
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

/// A header as a person reads it: Typeform writes its questions' markup
/// into the header (`<strong>Email</strong>`), which is dropped here, with
/// its entities decoded, and the spaces collapsed.
pub(crate) fn header_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let is_tag = after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/');
        match after.find('>') {
            Some(end) if is_tag => rest = &after[end + 1..],
            _ => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    let decoded = if out.contains('&') {
        out.replace("&nbsp;", " ")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    } else {
        out
    };
    crate::normalise::clean_owned(decoded)
}

/// The field a column's header names, knowing the row's other headers:
/// KoboToolbox writes a question inside a group as its path
/// (`datos/correo`), read by its last part, and a select-multiple question
/// as a summary column (`idiomas`) followed by one 0/1 column per option
/// (`idiomas/es`), which hold no field of their own.
pub(crate) fn match_column<'a>(
    header: &str,
    row: impl Iterator<Item = &'a str>,
) -> Option<(Field, Strength)> {
    let whole = match_header(header);
    let Some((group, last)) = header.rsplit_once('/') else {
        return whole;
    };
    let (group, last) = (group.trim(), last.trim());
    if header.contains("://") || group.is_empty() || last.is_empty() {
        return whole;
    }
    // Kobo's option columns, with (`idiomas`) or without the summary
    // column: the question's text followed by an option that names no
    // field, several times over.
    let mut siblings = 0;
    for other in row {
        let other = other.trim();
        if other == group {
            return None;
        }
        siblings += usize::from(
            other
                .rsplit_once('/')
                .is_some_and(|(other_group, _)| other_group.trim() == group),
        );
    }
    match whole {
        Some((_, Strength::Exact)) => whole,
        _ => match_header(last).or(if siblings > 1 { None } else { whole }),
    }
}

/// The field a header names, if any.
pub(crate) fn match_header(header: &str) -> Option<(Field, Strength)> {
    let header = header_text(header);
    let header = header.as_str();
    let folded = fold(header);
    if folded.is_empty() {
        return None;
    }
    // KoboToolbox's own columns (`_uuid`, `_status`, `__version__`) hold
    // no answer; `_submission_time` says when the form was sent.
    if header.starts_with('_') {
        return (folded == "submission time").then_some((Field::SubmittedAt, Strength::Exact));
    }
    if NOT_A_FIELD.contains(&folded.as_str()) {
        return None;
    }
    for (field, names) in EXACT {
        if names.contains(&folded.as_str()) {
            return Some((*field, Strength::Exact));
        }
    }
    // A sentence (instructions, a note) is not a header, even when it
    // mentions a name or an email; but a consent checkbox is often a whole
    // clause (`He leído y acepto la política de privacidad.`).
    let trimmed = header.trim_end();
    let sentence = trimmed.ends_with(['.', '!']) || trimmed.chars().count() > 150;
    let words: Vec<&str> = folded.split(' ').collect();
    let has = |stem: &str| {
        words.iter().any(|word| {
            if let Some(whole) = stem.strip_prefix('=') {
                *word == whole
            } else if stem.len() <= 2 {
                *word == stem
            } else {
                word.starts_with(stem)
            }
        })
    };
    for (field, groups) in STEMS {
        if sentence && *field != Field::Consent {
            continue;
        }
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
    let texts: Vec<std::borrow::Cow<'_, str>> = row.cells.iter().map(|cell| cell.text()).collect();
    let mut fields: Vec<Field> = texts
        .iter()
        .filter_map(|text| {
            match_column(text, texts.iter().map(|t| t.as_ref())).map(|(field, _)| field)
        })
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
    /// The dates ages are counted on.
    pub(crate) ages_on: AgesOn,
}

/// The day an age answer is counted on: the workshop's date when known,
/// else the day the form was answered, else `today`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct AgesOn {
    /// The workshop's (first) day.
    pub(crate) workshop: Option<taller_model::Date>,
    /// The import's day (`None`: the system clock's).
    pub(crate) today: Option<taller_model::Date>,
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
    let texts: Vec<std::borrow::Cow<'_, str>> =
        header_row.cells.iter().map(|cell| cell.text()).collect();
    for (column, raw) in texts.iter().enumerate() {
        let text = header_text(raw);
        if text.is_empty() {
            continue;
        }
        if let Some((mut field, mut strength)) = match_column(raw, texts.iter().map(|t| t.as_ref()))
        {
            // A column of addresses is the email, whatever its question
            // says (`Email (para enviarte comunicaciones)`).
            if field == Field::Consent && mostly_addresses(data, column) {
                (field, strength) = (Field::Email, Strength::Stem);
            }
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

/// True when most of the first filled cells of a column hold an address.
fn mostly_addresses(data: &[Row], column: usize) -> bool {
    let (mut filled, mut addresses) = (0usize, 0usize);
    for row in data {
        let cell = row.cell(column);
        if cell.is_blank() {
            continue;
        }
        filled += 1;
        if crate::normalise::email(&cell.text()).is_ok() {
            addresses += 1;
        }
        if filled == 200 {
            break;
        }
    }
    filled > 0 && addresses * 2 > filled
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
        assert_eq!(
            match_header("Marca temporal").map(|m| m.0),
            Some(Field::SubmittedAt)
        );
        assert_eq!(match_header("Puntuación"), None);
        assert_eq!(match_header(""), None);
    }

    #[test]
    fn platform_and_question_headers() {
        let cases = [
            ("<strong>Email</strong>", Some(Field::Email)),
            ("What's your <em>first name</em>?", Some(Field::GivenName)),
            ("Can we email you after the workshop?", Some(Field::Consent)),
            (
                "¿Podemos escribirte después del taller?",
                Some(Field::Consent),
            ),
            ("Accepto rebre informació", Some(Field::Consent)),
            (
                "Acepto la política de privacidad y el envío de comunicaciones.",
                Some(Field::Consent),
            ),
            ("¿Cuál es tu correo electrónico?", Some(Field::Email)),
            ("Género", Some(Field::Gender)),
            ("Xénero", Some(Field::Gender)),
            ("Generoa", Some(Field::Gender)),
            ("Gènere", Some(Field::Gender)),
            ("Comentarios generales", None),
            ("Rango de edad", Some(Field::Age)),
            ("Año de nacimiento", Some(Field::Age)),
            ("Agencia", None),
            ("_submission_time", Some(Field::SubmittedAt)),
            ("_uuid", None),
            ("_status", None),
            ("Current Employer", Some(Field::Organisation)),
            ("Do Not Email", Some(Field::DoNotEmail)),
            ("Email Greeting", None),
            ("Participant Status", Some(Field::Status)),
            ("checked_in_at", Some(Field::Attended)),
            ("Meetups attended", None),
        ];
        for (header, field) in cases {
            assert_eq!(match_header(header).map(|m| m.0), field, "{header}");
        }
    }

    #[test]
    fn kobo_group_paths_and_select_multiple_columns() {
        let row = [
            "datos_personales/nombre_completo",
            "datos_personales/correo",
            "idiomas",
            "idiomas/es",
            "idiomas/eu",
        ];
        let field = |header: &str| match_column(header, row.iter().copied()).map(|m| m.0);
        assert_eq!(field(row[0]), Some(Field::FullName));
        assert_eq!(field(row[1]), Some(Field::Email));
        assert_eq!(field(row[2]), Some(Field::Language));
        assert_eq!(field(row[3]), None);
        assert_eq!(field(row[4]), None);
        // Option columns without their summary column.
        let details = ["nombre", "correo", "idiomas/es", "idiomas/eu"];
        assert_eq!(match_column(details[2], details.iter().copied()), None);
        // A lone group path still names its field by the whole header.
        let lone = ["nombre", "correo", "datos/idiomas hablados"];
        assert_eq!(
            match_column(lone[2], lone.iter().copied()).map(|m| m.0),
            Some(Field::Language)
        );
        assert_eq!(
            header_text("<p>Tu <b>nombre</b> &amp; apellidos</p>"),
            "Tu nombre & apellidos"
        );
        assert_eq!(header_text("a < b"), "a < b");
    }

    #[test]
    fn a_consent_question_over_addresses_is_the_email() {
        let table = Table {
            sheet: None,
            rows: vec![
                row(
                    1,
                    &[
                        "Nombre",
                        "Email (para enviarte comunicaciones)",
                        "¿Podemos escribirte?",
                    ],
                ),
                row(2, &["Ana", "ana@x.es", "Sí"]),
            ],
        };
        let mapping = map_columns(&table, 0, &BTreeMap::new()).expect("maps");
        assert_eq!(mapping.get(Field::Email), Some(1));
        assert_eq!(mapping.get(Field::Consent), Some(2));
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
