//! Cleaning one value: names, emails, phones, handles,
//! languages and yes/no answers, each kept as typed unless clearly wrong.

use taller_model::{Answer, Language};
use unicode_normalization::UnicodeNormalization;

use taller_model::fold;

/// Trims, collapses runs of white space (line breaks included) into one
/// space, drops control characters and normalises to NFC.
pub(crate) fn clean(text: &str) -> String {
    let trimmed = trimmed(text);
    if is_clean(trimmed) {
        return trimmed.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    for word in text
        .nfc()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// [`clean`] for a value the caller owns: most values are already clean
/// and are returned without copying.
pub(crate) fn clean_owned(mut text: String) -> String {
    let trimmed = trimmed(&text);
    if !is_clean(trimmed) {
        return clean(&text);
    }
    if trimmed.len() != text.len() {
        let start = text.len() - text.trim_start().len();
        text.truncate(text.trim_end().len());
        text.drain(..start);
    }
    text
}

/// `text.trim()`, answered without decoding a character when both ends
/// are visible ASCII, as they are in almost every cell: a million cells
/// went through `str::trim` several times each.
#[inline]
pub(crate) fn trimmed(text: &str) -> &str {
    let visible = |byte: Option<&u8>| byte.is_some_and(|b| (b'!'..=b'~').contains(b));
    let bytes = text.as_bytes();
    if visible(bytes.first()) && visible(bytes.last()) {
        text
    } else {
        text.trim()
    }
}

/// True when `text` is empty or only white space.
#[inline]
pub(crate) fn is_blank(text: &str) -> bool {
    trimmed(text).is_empty()
}

/// One space between words, no control characters, already NFC.
fn is_clean(trimmed: &str) -> bool {
    if trimmed.is_ascii() {
        // Printable ASCII excludes every control and white space but ' '.
        // No early exit: almost every value is clean, and a loop without
        // one runs on whole vectors of bytes.
        let bytes = trimmed.as_bytes();
        let printable = bytes
            .iter()
            .fold(true, |all, &b| all & (b' '..=b'~').contains(&b));
        return printable && !bytes.windows(2).any(|pair| pair == b"  ");
    }
    let mut after_space = false;
    let mut may_be_unnormalised = false;
    for c in trimmed.chars() {
        if c == ' ' {
            if after_space {
                return false;
            }
            after_space = true;
            continue;
        }
        after_space = false;
        if c.is_control() || c.is_whitespace() {
            return false;
        }
        may_be_unnormalised |= !is_stable(c);
    }
    !may_be_unnormalised
        || unicode_normalization::is_nfc_quick(trimmed.chars())
            == unicode_normalization::IsNormalized::Yes
}

/// Characters below this (Latin, Greek, Cyrillic) are looked up in a table.
const STABLE_TABLE: u32 = 0x0600;

/// True for a character that leaves any text of such characters in NFC:
/// a starter that never combines with what is before it. Below U+0300
/// every character is; Greek and Cyrillic letters are, and a table made
/// once says so faster than the normalisation check.
fn is_stable(c: char) -> bool {
    static TABLE: std::sync::OnceLock<Vec<bool>> = std::sync::OnceLock::new();
    if c < '\u{300}' {
        return true;
    }
    let table = TABLE.get_or_init(|| {
        (0..STABLE_TABLE)
            .map(|code| {
                char::from_u32(code).is_some_and(|c| {
                    unicode_normalization::char::canonical_combining_class(c) == 0
                        && unicode_normalization::is_nfc_quick(std::iter::once(c))
                            == unicode_normalization::IsNormalized::Yes
                })
            })
            .collect()
    });
    usize::try_from(u32::from(c))
        .ok()
        .and_then(|i| table.get(i))
        .copied()
        .unwrap_or(false)
}

/// Words that stay lower case inside a name: Spanish, Catalan, Galician,
/// Portuguese, Dutch and German particles.
const PARTICLES: &[&str] = &[
    "de", "del", "la", "las", "los", "y", "i", "e", "da", "das", "do", "dos", "van", "von", "der",
    "den", "di", "du",
];

/// Proper case for a name typed all in capitals or all in lower case
/// (`JOSÉ MARÍA DE LA FUENTE` → `José María de la Fuente`); a name in mixed
/// case is the person's own spelling and is kept.
pub(crate) fn name_case(name: String) -> String {
    let name = clean_owned(name);
    let has_upper = name.chars().any(char::is_uppercase);
    // `ª` and `º` (in `Mª`, `M.ª`) are lower case letters without a capital:
    // they say nothing about how the rest was typed.
    let has_lower = name
        .chars()
        .any(|c| c.is_lowercase() && !matches!(c, 'ª' | 'º'));
    if has_upper && has_lower {
        return name;
    }
    name.split(' ')
        .enumerate()
        .map(|(index, word)| {
            let lower = word.to_lowercase();
            if index > 0 && PARTICLES.contains(&lower.as_str()) {
                lower
            } else {
                capitalise_parts(&lower)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Capitalises each part of `ruiz-gallardo`, `o'brien` or the initials
/// `j.r.`.
fn capitalise_parts(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut start = true;
    for c in word.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        start = matches!(c, '-' | '\'' | '’' | '.');
    }
    out
}

/// Given names that often begin a compound given name (`José María`,
/// `María José`, `Juan Carlos`); the next word then belongs to it when the
/// name is long enough to leave a family name.
const COMPOUND_FIRST: &[&str] = &[
    "jose",
    "maria",
    "mª",
    "m ª",
    "juan",
    "ana",
    "luis",
    "miguel",
    "francisco",
    "jesus",
    "antonio",
    "manuel",
    "pedro",
    "carlos",
    "rosa",
    "jose luis",
    "mari",
    "josep",
    "joan",
    "xose",
    "xoan",
];

const COMPOUND_SECOND: &[&str] = &[
    "maria",
    "jose",
    "carmen",
    "luis",
    "luisa",
    "isabel",
    "angel",
    "angeles",
    "antonio",
    "antonia",
    "manuel",
    "manuela",
    "jesus",
    "carlos",
    "pablo",
    "teresa",
    "elena",
    "dolores",
    "pilar",
    "ignacio",
    "francisco",
    "miguel",
    "eugenia",
    "victoria",
    "josep",
    "maria",
    "lluis",
    "pau",
    "andres",
    "ramon",
    "fernando",
    "alberto",
    "javier",
    "mercedes",
    "rosa",
    "cruz",
    "belen",
    "jose maria",
    "cristina",
    "montserrat",
];

/// Vietnamese family names, as written with their diacritics: a name that
/// begins with one is written family first (`Nguyễn Văn An`). Without the
/// diacritics (`Le`, `Ho`, `Ly`) they are also Western words and names, so
/// only the written forms count.
const VIETNAMESE_FAMILY: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý", "Đào", "Đinh", "Lương", "Trương", "Trịnh", "Đoàn", "Lâm", "Mai",
    "Tạ", "Hà", "Vương", "Quách", "Cao", "Tô", "Chu", "Thái", "Triệu", "Kiều", "Lưu", "Hứa",
];

/// True for a name written in a script whose names come family first
/// without spaces (Chinese, Japanese kanji, Korean hangul): `王小明`,
/// `김민준`.
fn is_cjk_name(word: &str) -> bool {
    word.chars().all(|c| {
        matches!(u32::from(c),
            0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F
            | 0xAC00..=0xD7AF | 0x1100..=0x11FF | 0x3130..=0x318F)
    })
}

/// Splits a one-column name into given and family names. `Ruiz Gallardo,
/// Ana` is family, given; a name that begins with a Vietnamese family name
/// (`Nguyễn Văn An`) or is written in Chinese or Korean characters
/// (`王小明`, `김 민준`) is family first; otherwise the first word (or a
/// compound given name such as `José María`, `María del Carmen`, `Fco.
/// Javier`) is the given name and the rest, Spanish double surnames and
/// particles included, the family name.
pub(crate) fn split_name(full: &str) -> (String, String) {
    if let Some((family, given)) = full.split_once(',') {
        let (given, family) = (given.trim(), family.trim());
        if !given.is_empty() && !family.is_empty() && !given.contains(',') {
            return (given.to_owned(), family.to_owned());
        }
    }
    let words: Vec<&str> = full.split_whitespace().collect();
    if words.len() >= 2 && words.iter().all(|w| is_cjk_name(w)) {
        return (words[1..].join(" "), words[0].to_owned());
    }
    if let [only] = words.as_slice()
        && is_cjk_name(only)
        && (2..=4).contains(&only.chars().count())
    {
        // One-character family names are by far the most common; a name of
        // four characters is most often a two-character family name, but
        // not reliably, so the first character is taken.
        let split = only.char_indices().nth(1).map_or(only.len(), |(at, _)| at);
        return (only[split..].to_owned(), only[..split].to_owned());
    }
    if words.len() >= 2 && VIETNAMESE_FAMILY.contains(&words[0]) {
        return (words[1..].join(" "), words[0].to_owned());
    }
    let given_words = given_name_length(&words);
    (
        words[..given_words].join(" "),
        words[given_words..].join(" "),
    )
}

/// The full name to keep for a one-column name: `Ruiz Gallardo, Ana`, a
/// list's way of writing it, becomes `Ana Ruiz Gallardo`, as it is printed
/// and addressed; any other name stays as typed.
pub(crate) fn full_name_in_order(full: String, given: &str, family: &str) -> String {
    if full.contains(',') && !given.is_empty() && !family.is_empty() {
        format!("{given} {family}")
    } else {
        full
    }
}

fn given_name_length(words: &[&str]) -> usize {
    if words.len() <= 2 {
        return words.len().min(1);
    }
    let key = |word: &str| fold(word);
    let first = key(words[0]);
    let second = key(words[1]);
    let marian = matches!(first.as_str(), "maria" | "mª" | "m ª" | "juan" | "ma");
    // María del Carmen, María de los Ángeles, Juan de Dios: the particle
    // and the word after it are part of the given name only when at least
    // one more word is left for the family name.
    if marian {
        let particles: &[&[&str]] = &[
            &["del"],
            &["de", "los"],
            &["de", "las"],
            &["de", "la"],
            &["de"],
        ];
        for particle in particles {
            let end = 1 + particle.len();
            if words.len() > end + 1
                && words[1..end]
                    .iter()
                    .map(|w| key(w))
                    .eq(particle.iter().map(|p| (*p).to_owned()))
                && COMPOUND_AFTER_PARTICLE.contains(&key(words[end]).as_str())
            {
                return end + 1;
            }
        }
    }
    // An abbreviated or initial first given name (`Fco. Javier`, `J.
    // Ramón`, `Mª Ángeles`) is followed by the rest of the given name.
    let abbreviated = words[0].ends_with('.')
        && (first.chars().count() == 1 || ABBREVIATED_GIVEN.contains(&first.as_str()));
    if abbreviated && words.len() >= 3 {
        return 2;
    }
    if words.len() >= 3
        && COMPOUND_FIRST.contains(&first.as_str())
        && COMPOUND_SECOND.contains(&second.as_str())
    {
        return 2;
    }
    1
}

/// Abbreviated given names written with a full stop (`Fco.`, `Jº.`).
const ABBREVIATED_GIVEN: &[&str] = &["fco", "fdo", "jm", "ma", "mª", "m ª"];

const COMPOUND_AFTER_PARTICLE: &[&str] = &[
    "carmen",
    "pilar",
    "mar",
    "rosario",
    "angeles",
    "dolores",
    "mercedes",
    "dios",
    "sol",
    "luz",
    "consuelo",
    "remedios",
    "rocio",
    "socorro",
    "o",
    "montserrat",
    "nieves",
    "asuncion",
];

/// Why an email address cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum EmailIssue {
    /// Nothing usable in the cell.
    Missing,
    /// Something that is not an address.
    Invalid,
}

/// Cleans an email address: trims, removes `mailto:`, `<>` and quotes,
/// lower-cases. A cell with several addresses gives the first and says so.
pub(crate) fn email(raw: &str) -> Result<(String, bool), EmailIssue> {
    // Most cells hold one plain address: nothing to split, trim off or
    // unwrap, so it is checked as it stands.
    let raw = trimmed(raw);
    if is_plain_address(raw) {
        let address = raw.to_ascii_lowercase();
        return if is_address(&address) {
            Ok((address, false))
        } else {
            Err(EmailIssue::Invalid)
        };
    }
    let text = clean(raw);
    if text.is_empty() {
        return Err(EmailIssue::Missing);
    }
    let inner = match (text.find('<'), text.rfind('>')) {
        (Some(open), Some(close)) if open < close => &text[open + 1..close],
        _ => text.as_str(),
    };
    // Lower-casing and `mailto:` never add or remove an `@`, so only the
    // first address is lower-cased.
    let mut addresses = inner
        .split([' ', ';', ',', '/'])
        .map(|part| {
            part.trim_matches(|c: char| matches!(c, '"' | '\'' | '<' | '>' | '(' | ')' | '.' | ':'))
        })
        .filter(|part| part.contains('@'));
    let first = addresses.next().map(|part| {
        let mut lower = part.to_lowercase();
        if lower.starts_with("mailto:") {
            lower.drain(.."mailto:".len());
        }
        lower
    });
    match first {
        Some(first) if is_address(&first) => Ok((first, addresses.next().is_some())),
        _ => Err(EmailIssue::Invalid),
    }
}

/// ASCII with one `@`, none of the characters that separate, wrap or
/// end addresses in a cell (spaces, `;` `,` `/` `<>` quotes brackets `:`)
/// and no `.` at either end: [`email`] would take it whole.
fn is_plain_address(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().filter(|&&b| b == b'@').count() == 1
        && bytes.first() != Some(&b'.')
        && bytes.last() != Some(&b'.')
        && bytes.iter().all(|&b| {
            b.is_ascii_graphic()
                && !matches!(
                    b,
                    b';' | b',' | b'/' | b'<' | b'>' | b'"' | b'\'' | b'(' | b')' | b':'
                )
        })
}

fn is_address(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
    !local.is_empty()
        && local.len() <= 64
        && text.len() <= 254
        && domain_ok
        && !local.chars().any(|c| {
            c.is_whitespace() || c.is_control() || matches!(c, '@' | '<' | '>' | ',' | ';' | '"')
        })
}

/// Domains of the common providers, for typo suggestions.
const PROVIDERS: &[&str] = &[
    "gmail.com",
    "hotmail.com",
    "hotmail.es",
    "yahoo.com",
    "yahoo.es",
    "outlook.com",
    "outlook.es",
    "live.com",
    "icloud.com",
    "protonmail.com",
    "telefonica.net",
    "msn.com",
];

/// Real domains one letter away from a provider: never a typo.
const REAL_NEIGHBOURS: &[&str] = &[
    "mail.com",
    "gmx.com",
    "gmx.es",
    "ymail.com",
    "live.es",
    "me.com",
    "mac.com",
    "aol.com",
    "gmail.co.uk",
    "yahoo.co.uk",
    "hotmail.co.uk",
    "hotmail.fr",
    "hotmail.it",
    "yahoo.fr",
    "yahoo.it",
    "outlook.fr",
    "live.co.uk",
];

/// The address with the provider it was probably meant for, when its
/// domain is one or two slips away from a common provider's.
pub(crate) fn typo_fix(address: &str) -> Option<String> {
    let (local, domain) = address.rsplit_once('@')?;
    if PROVIDERS.contains(&domain) || REAL_NEIGHBOURS.contains(&domain) {
        return None;
    }
    let (name, tld) = domain.rsplit_once('.')?;
    let fixed_tld = match tld {
        "con" | "cmo" | "cpm" | "vom" | "xom" | "comm" | "om" | "co" | "cm" => "com",
        "ed" | "esp" | "ess" => "es",
        other => other,
    };
    let near = |domain: &str| {
        PROVIDERS
            .iter()
            .find(|provider| **provider == domain || edit_distance(domain, provider) == 1)
    };
    // Most domains have a good ending: then the candidate is the domain,
    // looked at once.
    let found = if fixed_tld == tld {
        near(domain)
    } else {
        near(&format!("{name}.{fixed_tld}")).or_else(|| {
            PROVIDERS
                .iter()
                .find(|provider| edit_distance(domain, provider) == 1)
        })
    };
    found.map(|provider| format!("{local}@{provider}"))
}

/// Levenshtein distance with adjacent transpositions, capped: anything
/// beyond 1 is reported as 2. Runs on every address, so it allocates
/// nothing and gives up early.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a == b {
        return 0;
    }
    if a.len().abs_diff(b.len()) > 1 {
        return 2;
    }
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    let same = |x: &[u8], y: &[u8]| x == y;
    let one_edit = same(&a[a.len().min(1)..], &b[b.len().min(1)..]) // substitution
        || same(&a[a.len().min(1)..], b) // deletion from a
        || same(a, &b[b.len().min(1)..]) // insertion into a
        || (a.len() >= 2 && b.len() >= 2 && a[0] == b[1] && a[1] == b[0] && a[2..] == b[2..]); // transposition
    if one_edit { 1 } else { 2 }
}

/// Answers that mean "I have none".
const PLACEHOLDERS: &[&str] = &[
    "",
    "no",
    "no tengo",
    "n a",
    "na",
    "ninguno",
    "ninguna",
    "none",
    "no uso",
    "nop",
    "sin twitter",
    "no tiene",
    "nada",
    "no aplica",
    "ez dut",
    "ez",
    "non teno",
    "no en tinc",
    "cap",
    "nil",
    "null",
    "no tengo twitter",
    "x",
    "no uso twitter",
];

/// A Twitter/X handle from `@x`, `x`, `twitter.com/x`, `x.com/x`. `Err`
/// carries why the value was dropped; `Ok("")` is an empty cell.
pub(crate) fn twitter(raw: &str) -> Result<String, String> {
    let text = clean(raw);
    if text.is_empty() {
        return Ok(String::new());
    }
    if PLACEHOLDERS.contains(&fold(&text).as_str()) {
        return Err(format!("`{text}` is not a Twitter handle; left empty"));
    }
    let lower = text.to_lowercase();
    let mut handle = text.as_str();
    for host in ["twitter.com/", "x.com/"] {
        if let Some(at) = lower.find(host) {
            let before = &lower[..at];
            if before.is_empty() || before.ends_with(['/', '.']) {
                handle = &text[at + host.len()..];
                break;
            }
        }
    }
    let handle = handle
        .trim_start_matches('@')
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("")
        .trim();
    let valid = (1..=15).contains(&handle.len())
        && handle
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_');
    if valid {
        Ok(handle.to_owned())
    } else {
        Err(format!(
            "`{}` is not a Twitter handle (letters, digits and _, at most 15); left empty",
            shorten(&text)
        ))
    }
}

/// A value quoted in a message, cut short so a 5 MB cell cannot flood it.
pub(crate) fn shorten(text: &str) -> String {
    taller_model::shorten(text, 60)
}

/// Codes taken as an answer on their own: the languages of the forms
/// taller reads and of the people in them. Any other two letters (`si`,
/// `no`) are not taken for a language.
const LANGUAGE_CODES: &[&str] = &[
    "es", "en", "ca", "eu", "gl", "fr", "pt", "it", "de", "ar", "ro", "uk", "ru", "nl", "pl", "el",
    "zh", "vi",
];

/// The ISO 639-1 code of a language as people name it (`Español`,
/// `English`, `Català`, `euskera`, `es`, `Español / Spanish`).
pub(crate) fn language(raw: &str) -> Option<Language> {
    let folded = fold(raw);
    let named = folded.split(' ').find_map(|word| {
        let code = match word {
            "esp" | "espanol" | "castellano" | "spanish" | "castella" | "gaztelania"
            | "gaztelaniaz" | "espanyol" | "cast" | "castelan" | "espanhol" | "espagnol" => "es",
            "eng" | "english" | "ingles" | "angles" | "ingelesa" | "ingelesez" | "anglais" => "en",
            "cat" | "catala" | "catalan" | "valencia" | "valenciano" | "katalana" | "katalanez"
            | "catalao" => "ca",
            "eus" | "euskara" | "euskera" | "euskaraz" | "basque" | "vasco" | "basc" => "eu",
            "gal" | "galego" | "gallego" | "galician" | "galle" | "galiziera" => "gl",
            "francais" | "frances" | "french" | "frantsesa" => "fr",
            "portugues" | "portuguese" => "pt",
            "italiano" | "italian" => "it",
            "deutsch" | "aleman" | "german" => "de",
            "arabe" | "arabic" => "ar",
            _ => return None,
        };
        Language::parse(code).ok()
    });
    // A bare code (`es`, `EN`) or a locale (`es_ES`, CiviCRM's) only as
    // the whole answer: inside a sentence `en`, `de` or `es` are Spanish
    // words (`Prefiero en castellano`).
    named.or_else(|| {
        let mut words = folded.split(' ');
        let (code, region, rest) = (words.next()?, words.next(), words.next());
        (LANGUAGE_CODES.contains(&code) && region.is_none_or(|r| r.len() == 2) && rest.is_none())
            .then(|| Language::parse(code).ok())
            .flatten()
    })
}

/// A yes/no answer as typed in a form (`Sí`, `Si`, `Yes`, `Acepto`,
/// `No`, `Bai`, `✓`, `1`…). `None` when it is neither.
pub(crate) fn answer(raw: &str) -> Option<Answer> {
    let text = clean(raw);
    if matches!(text.as_str(), "✓" | "✔" | "☑" | "✅" | "X" | "x") {
        return Some(Answer::Yes);
    }
    if matches!(text.as_str(), "✗" | "✘" | "☐") {
        return Some(Answer::No);
    }
    let folded = fold(&text);
    let first = folded.split(' ').next().unwrap_or("");
    const NO: &[&str] = &[
        "no", "n", "false", "falso", "0", "ez", "non", "ausente", "absent", "nope", "noshow",
    ];
    const YES: &[&str] = &[
        "si",
        "s",
        "yes",
        "y",
        "true",
        "verdadero",
        "1",
        "acepto",
        "autorizo",
        "ok",
        "bai",
        "sim",
        "accepto",
        "asistio",
        "asistido",
        "attended",
        "present",
        "presente",
        "checked",
        "check",
        "vino",
        "assistit",
        "de",
        "estoy",
        "agree",
        "i",
        "consiento",
        "vale",
    ];
    // A checked box reads as its label: `He leído y acepto la política…`.
    const AGREEING: &[&str] = &["acepto", "accepto", "autorizo", "consiento", "onartzen"];
    let words = || folded.split(' ');
    if folded.is_empty() {
        None
    } else if NO.contains(&first) {
        Some(Answer::No)
    } else if YES.contains(&first)
        || (words().any(|w| AGREEING.contains(&w)) && !words().any(|w| w == "no" || w == "not"))
    {
        Some(Answer::Yes)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_in_their_own_words() {
        for (answer, code) in [
            ("Castellano", "es"),
            ("Castelán", "es"),
            ("Gaztelania", "es"),
            ("Espanyol", "es"),
            ("Español", "es"),
            ("Inglés", "en"),
            ("Anglès", "en"),
            ("Ingelesa", "en"),
            ("Inglés (English)", "en"),
            ("Galego", "gl"),
            ("Euskara", "eu"),
            ("Català", "ca"),
            ("Valencià", "ca"),
            ("Prefiero en castellano", "es"),
            ("es_ES", "es"),
            ("EN", "en"),
        ] {
            assert_eq!(
                language(answer).map(|l| l.code().to_owned()),
                Some(code.to_owned()),
                "{answer}"
            );
        }
        for unknown in ["Klingon", "si", "no", "de nada"] {
            assert_eq!(language(unknown), None, "{unknown}");
        }
    }

    #[test]
    fn consent_answers() {
        for yes in [
            "Sí",
            "Sí, acepto",
            "TRUE",
            "1",
            "Yes",
            "✓",
            "He leído y acepto la política de privacidad",
        ] {
            assert_eq!(answer(yes), Some(Answer::Yes), "{yes}");
        }
        for no in ["No", "FALSE", "0", "No acepto", "no-show"] {
            assert_eq!(answer(no), Some(Answer::No), "{no}");
        }
    }

    #[test]
    fn cleaning() {
        assert_eq!(clean("  Ana \r\n  Ruiz\t"), "Ana Ruiz");
        assert_eq!(clean("Jose\u{301}"), "José");
        assert_eq!(clean_owned("  Ana Ruiz ".into()), "Ana Ruiz");
        assert_eq!(clean_owned("Ana  Ruiz".into()), "Ana Ruiz");
        assert_eq!(clean_owned("Ana".into()), "Ana");
        assert_eq!(clean("Ana\u{a0}Ruiz"), "Ana Ruiz");
        assert_eq!(clean("Ana\u{85}Ruiz"), "Ana Ruiz");
    }

    #[test]
    fn below_u0300_everything_is_nfc() {
        for c in (0..0x300).filter_map(char::from_u32) {
            assert_eq!(
                unicode_normalization::is_nfc_quick(std::iter::once(c)),
                unicode_normalization::IsNormalized::Yes,
                "U+{:04X}",
                u32::from(c)
            );
            assert_eq!(unicode_normalization::char::canonical_combining_class(c), 0);
        }
    }

    #[test]
    fn name_casing() {
        assert_eq!(
            name_case("JOSÉ MARÍA DE LA FUENTE".into()),
            "José María de la Fuente"
        );
        assert_eq!(name_case("ana ruiz-gallardo".into()), "Ana Ruiz-Gallardo");
        assert_eq!(
            name_case("JORDI PUJOL I SOLEY".into()),
            "Jordi Pujol i Soley"
        );
        assert_eq!(name_case("sean o'brien".into()), "Sean O'Brien");
        assert_eq!(
            name_case("McDonald de la Vega".into()),
            "McDonald de la Vega"
        );
        assert_eq!(name_case("ΑΛΈΞΑΝΔΡΟΣ".into()), "Αλέξανδρος");
        assert_eq!(name_case("ольга".into()), "Ольга");
        assert_eq!(name_case("DE LA FUENTE".into()), "De la Fuente");
        assert_eq!(name_case("Mª ÁNGELES".into()), "Mª Ángeles");
        assert_eq!(name_case("Mª JOSÉ".into()), "Mª José");
        assert_eq!(name_case("FCO. JAVIER".into()), "Fco. Javier");
        assert_eq!(name_case("J. RAMÓN".into()), "J. Ramón");
        assert_eq!(name_case("M.ª DEL CARMEN".into()), "M.ª del Carmen");
        assert_eq!(name_case("J.R. GARCÍA".into()), "J.R. García");
        // Mixed case is the person's own spelling, ordinals included.
        assert_eq!(name_case("Mª ángeles".into()), "Mª ángeles");
        assert_eq!(name_case("Fco. JAVIER".into()), "Fco. JAVIER");
    }

    #[test]
    fn family_first_and_list_form_names() {
        let split = |s: &str| split_name(s);
        assert_eq!(split("Nguyễn Văn An"), ("Văn An".into(), "Nguyễn".into()));
        assert_eq!(
            split("Trần Thị Minh Khai"),
            ("Thị Minh Khai".into(), "Trần".into())
        );
        assert_eq!(split("Đặng Thu Hà"), ("Thu Hà".into(), "Đặng".into()));
        // Without its diacritics `Le` is a Western word: no guess.
        assert_eq!(split("Le Van An"), ("Le".into(), "Van An".into()));
        assert_eq!(split("王小明"), ("小明".into(), "王".into()));
        assert_eq!(split("김민준"), ("민준".into(), "김".into()));
        assert_eq!(split("김 민준"), ("민준".into(), "김".into()));
        assert_eq!(split("王"), ("王".into(), "".into()));
        assert_eq!(
            split("Fco. Javier Ruiz López"),
            ("Fco. Javier".into(), "Ruiz López".into())
        );
        assert_eq!(split("J. Ramón Pérez"), ("J. Ramón".into(), "Pérez".into()));
        assert_eq!(
            split("M.ª del Carmen Ruiz"),
            ("M.ª del Carmen".into(), "Ruiz".into())
        );
        assert_eq!(
            split("Mª Ángeles Ruiz"),
            ("Mª Ángeles".into(), "Ruiz".into())
        );
        assert_eq!(
            full_name_in_order("Ruiz Gallardo, Ana".into(), "Ana", "Ruiz Gallardo"),
            "Ana Ruiz Gallardo"
        );
        assert_eq!(
            full_name_in_order("Nguyễn Văn An".into(), "Văn An", "Nguyễn"),
            "Nguyễn Văn An"
        );
    }

    #[test]
    fn name_splitting() {
        let split = |s: &str| split_name(s);
        assert_eq!(
            split("Ana Ruiz Gallardo"),
            ("Ana".into(), "Ruiz Gallardo".into())
        );
        assert_eq!(
            split("Ruiz Gallardo, Ana"),
            ("Ana".into(), "Ruiz Gallardo".into())
        );
        assert_eq!(
            split("José María García López"),
            ("José María".into(), "García López".into())
        );
        assert_eq!(
            split("María del Carmen Pérez"),
            ("María del Carmen".into(), "Pérez".into())
        );
        assert_eq!(
            split("Mª José Núñez Ibáñez"),
            ("Mª José".into(), "Núñez Ibáñez".into())
        );
        assert_eq!(
            split("Ana de la Fuente"),
            ("Ana".into(), "de la Fuente".into())
        );
        assert_eq!(split("María Del Río"), ("María".into(), "Del Río".into()));
        assert_eq!(
            split("Jordi Pujol i Soley"),
            ("Jordi".into(), "Pujol i Soley".into())
        );
        assert_eq!(split("Ольга"), ("Ольга".into(), "".into()));
        assert_eq!(
            split("Zoë Łukasiewicz"),
            ("Zoë".into(), "Łukasiewicz".into())
        );
        assert_eq!(split("José García"), ("José".into(), "García".into()));
    }

    #[test]
    fn emails() {
        assert_eq!(
            email(" Ana@Ejemplo.ORG "),
            Ok(("ana@ejemplo.org".into(), false))
        );
        assert_eq!(email("mailto:ana@x.es"), Ok(("ana@x.es".into(), false)));
        assert_eq!(email("Ana Ruiz <ana@x.es>"), Ok(("ana@x.es".into(), false)));
        assert_eq!(email("a@x.es; b@y.es"), Ok(("a@x.es".into(), true)));
        assert_eq!(email(""), Err(EmailIssue::Missing));
        assert_eq!(email("no tengo"), Err(EmailIssue::Invalid));
        assert_eq!(email("ana@localhost"), Err(EmailIssue::Invalid));
        assert_eq!(email("ana@@x.es"), Err(EmailIssue::Invalid));
    }

    /// `email` as written before it lower-cased only the first address.
    fn email_by_every_part(raw: &str) -> Result<(String, bool), EmailIssue> {
        let text = clean(raw);
        if text.is_empty() {
            return Err(EmailIssue::Missing);
        }
        let text = match (text.find('<'), text.rfind('>')) {
            (Some(open), Some(close)) if open < close => text[open + 1..close].to_owned(),
            _ => text,
        };
        let parts: Vec<String> = text
            .split([' ', ';', ',', '/'])
            .map(|part| {
                let part = part.trim_matches(|c: char| {
                    matches!(c, '"' | '\'' | '<' | '>' | '(' | ')' | '.' | ':')
                });
                let lower = part.to_lowercase();
                lower
                    .strip_prefix("mailto:")
                    .map(str::to_owned)
                    .unwrap_or(lower)
            })
            .filter(|part| part.contains('@'))
            .collect();
        match parts.first() {
            Some(first) if is_address(first) => Ok((first.clone(), parts.len() > 1)),
            _ => Err(EmailIssue::Invalid),
        }
    }

    /// `clean` done the slow way: trim, collapse spaces, NFC.
    fn clean_by_nfc(raw: &str) -> String {
        raw.nfc()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn every_latin_greek_and_cyrillic_character_is_cleaned_as_nfc_says() {
        // The table of `is_stable` against the normalisation itself, with
        // the neighbours that can change a character's NFC.
        for c in (0..0x700_u32).filter_map(char::from_u32) {
            for text in [
                format!("{c}"),
                format!("a{c}"),
                format!("{c}\u{301}"),
                format!("{c}\u{308}\u{301}"),
                format!("\u{391}{c}"),
            ] {
                assert_eq!(clean(&text), clean_by_nfc(&text), "U+{:04X}", u32::from(c));
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn ascii_values_are_clean_when_printable_with_single_spaces(raw in "[ -~\t\r\n\x00\x7f]{0,40}") {
            let mut previous = b'x';
            let mut expected = true;
            for &b in raw.as_bytes() {
                if !(b' '..=b'~').contains(&b) || (b == b' ' && previous == b' ') {
                    expected = false;
                }
                previous = b;
            }
            proptest::prop_assert_eq!(is_clean(&raw), expected);
        }

        #[test]
        fn email_is_unchanged(raw in "(MailTo:|[ <>;,/@.:\"'()aÁΣς]|\\PC){0,24}") {
            proptest::prop_assert_eq!(email(&raw), email_by_every_part(&raw));
        }

        #[test]
        fn trimmed_is_str_trim(raw in "[ \t\r\n\u{a0}\u{85}\u{3000}!~aé\x7f]{0,6}|\\PC{0,6}") {
            proptest::prop_assert_eq!(trimmed(&raw), raw.trim());
            proptest::prop_assert_eq!(is_blank(&raw), raw.trim().is_empty());
        }

        #[test]
        fn clean_is_unchanged(raw in "[ \t\r\n\u{a0}\u{85}a\u{301}é]{0,12}|\\PC{0,12}") {
            proptest::prop_assert_eq!(clean(&raw), clean_by_nfc(&raw));
        }
    }

    /// `typo_fix` as written before it skipped the second look.
    fn typo_fix_twice(address: &str) -> Option<String> {
        let (local, domain) = address.rsplit_once('@')?;
        if PROVIDERS.contains(&domain) || REAL_NEIGHBOURS.contains(&domain) {
            return None;
        }
        let (name, tld) = domain.rsplit_once('.')?;
        let fixed_tld = match tld {
            "con" | "cmo" | "cpm" | "vom" | "xom" | "comm" | "om" | "co" | "cm" => "com",
            "ed" | "esp" | "ess" => "es",
            other => other,
        };
        let candidate = format!("{name}.{fixed_tld}");
        PROVIDERS
            .iter()
            .find(|provider| **provider == candidate || edit_distance(&candidate, provider) == 1)
            .or_else(|| {
                PROVIDERS
                    .iter()
                    .find(|provider| edit_distance(domain, provider) == 1)
            })
            .map(|provider| format!("{local}@{provider}"))
    }

    proptest::proptest! {
        #[test]
        fn typo_fix_is_unchanged(
            address in "[a-z.]{0,3}@(g?mail|gmial|gmai|hotmail|hotmial|yaho|yahoo|outlok|live|ong)[.](com|con|cm|co|es|esp|ed|org|net|c)"
        ) {
            proptest::prop_assert_eq!(typo_fix(&address), typo_fix_twice(&address));
        }
    }

    #[test]
    fn typo_domains() {
        assert_eq!(typo_fix("ana@gmail.con").as_deref(), Some("ana@gmail.com"));
        assert_eq!(
            typo_fix("ana@hotmial.com").as_deref(),
            Some("ana@hotmail.com")
        );
        assert_eq!(typo_fix("ana@yaho.es").as_deref(), Some("ana@yahoo.es"));
        assert_eq!(typo_fix("ana@gmial.com").as_deref(), Some("ana@gmail.com"));
        assert_eq!(typo_fix("ana@gmail.com"), None);
        assert_eq!(typo_fix("ana@mail.com"), None);
        assert_eq!(typo_fix("ana@ong.org"), None);
    }

    #[test]
    fn handles() {
        assert_eq!(twitter("@AnaRuiz"), Ok("AnaRuiz".into()));
        assert_eq!(
            twitter("https://twitter.com/ana_ruiz?lang=es"),
            Ok("ana_ruiz".into())
        );
        assert_eq!(twitter("x.com/ana"), Ok("ana".into()));
        assert_eq!(twitter("www.x.com/ana/"), Ok("ana".into()));
        assert_eq!(twitter(""), Ok("".into()));
        assert!(twitter("-").is_err());
        assert!(twitter("No tengo").is_err());
        assert!(twitter("ana ruiz").is_err());
        assert!(twitter("@this_handle_is_too_long").is_err());
    }

    #[test]
    fn languages_and_answers() {
        let code = |s: &str| language(s).map(|l| l.code().to_owned());
        assert_eq!(code("Español").as_deref(), Some("es"));
        assert_eq!(code("English").as_deref(), Some("en"));
        assert_eq!(code("Català").as_deref(), Some("ca"));
        assert_eq!(code("Euskera").as_deref(), Some("eu"));
        assert_eq!(code("Galego").as_deref(), Some("gl"));
        assert_eq!(code("EN"), Some("en".into()));
        assert_eq!(code("Klingon"), None);
        for yes in [
            "Sí",
            "si",
            "Yes",
            "Acepto",
            "x",
            "✓",
            "1",
            "Asistió",
            "Bai",
            "Sí, acepto",
        ] {
            assert_eq!(answer(yes), Some(Answer::Yes), "{yes}");
        }
        for no in ["No", "no acepto", "0", "Ez"] {
            assert_eq!(answer(no), Some(Answer::No), "{no}");
        }
        assert_eq!(answer(""), None);
        assert_eq!(answer("quizás"), None);
    }
}
