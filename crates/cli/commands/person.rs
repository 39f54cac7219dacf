//! `taller person EMAIL|ID`: every place taller holds data about one
//! person, for a subject-access request — the roster rows themselves, and
//! each output file (reports, messages, send logs, manifests, PDFs) that
//! mentions them — and `--export FILE.json` to hand it all over.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;
use serde::Serialize;
use taller_followup::sendlog::SEND_LOG;
use taller_model::Attendee;

use super::Outcome;
use super::flags::Json;
use super::report as programme;
use crate::files;

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
taller person ana@example.org --workshop my-workshop/workshop.toml -o taller-out\n  \
taller person a-7k2m9q4x1z --programme redes-2016/programme.toml\n  \
taller person ana@example.org --programme redes-2016/programme.toml --export ana.json\n\n\
Looks through everything `taller run` wrote into OUT. Your own registration sheets are not \
changed by taller; the rows they hold for the person are named too.")]
pub struct PersonArgs {
    /// The person's email address, or their attendee id (`a-…`) or certificate id.
    #[arg(value_name = "EMAIL|ID")]
    who: String,
    /// The workshop file the outputs were made from.
    #[arg(long, value_name = "W.toml", conflicts_with = "programme")]
    workshop: Option<PathBuf>,
    /// The programme file the outputs were made from.
    #[arg(long, value_name = "P.toml")]
    programme: Option<PathBuf>,
    /// The folder `taller run` wrote to [default: as `taller run`: taller-out,
    /// beside the programme file for a programme].
    #[arg(short, long, value_name = "OUT")]
    out: Option<PathBuf>,
    /// Write everything found (roster rows and the files that mention the
    /// person) to this JSON file.
    #[arg(long, value_name = "FILE.json")]
    export: Option<PathBuf>,
    #[command(flatten)]
    json: Json,
}

/// What kind of output a file is, as the organiser knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Roster,
    ImportReport,
    ProgrammeReport,
    OutboxMessage,
    SendLog,
    CertificateManifest,
    Certificate,
    Badges,
    SigninSheet,
    VerificationSite,
    Other,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Roster => "roster",
            Kind::ImportReport => "import report",
            Kind::ProgrammeReport => "programme report",
            Kind::OutboxMessage => "email to send",
            Kind::SendLog => "send log",
            Kind::CertificateManifest => "certificate list",
            Kind::Certificate => "certificate",
            Kind::Badges => "badges",
            Kind::SigninSheet => "sign-in sheet",
            Kind::VerificationSite => "verification site",
            Kind::Other => "other",
        }
    }
}

/// One roster row for the person.
#[derive(Debug, Serialize)]
pub struct RosterRow {
    pub file: PathBuf,
    /// 1-based data row (the header is not counted).
    pub row: usize,
    pub attendee: Attendee,
}

/// One output file that mentions the person.
#[derive(Debug, Serialize)]
pub struct Mention {
    pub file: PathBuf,
    pub kind: Kind,
    /// What of the person the file holds: `email`, `name`, `attendee id`,
    /// `certificate id`.
    pub holds: Vec<&'static str>,
}

/// Everything found about one person.
#[derive(Debug, Serialize)]
pub struct Findings {
    pub query: String,
    pub output: PathBuf,
    pub roster_rows: Vec<RosterRow>,
    pub files: Vec<Mention>,
    /// Files that could not be searched, and why.
    pub unreadable: Vec<String>,
}

pub fn run(args: PersonArgs) -> anyhow::Result<Outcome> {
    let out = output_folder(
        args.workshop.as_deref(),
        args.programme.as_deref(),
        args.out,
    )?;
    if !out.is_dir() {
        anyhow::bail!(
            "{} is not a folder taller wrote to; give the one `taller run` wrote with --out",
            out.display()
        );
    }
    let findings = find(&out, &args.who)?;
    if let Some(export) = &args.export {
        let bytes = serde_json::to_vec_pretty(&findings)?;
        // The export is the person's data: owner-only, like a roster.
        files::write_private(export, &bytes)?;
    }
    if args.json.json {
        files::print_json(&findings)?;
    } else {
        print_findings(&findings, args.export.as_deref())?;
    }
    Ok(
        if findings.roster_rows.is_empty() && findings.files.is_empty() {
            Outcome::ProblemsFound
        } else {
            Outcome::Success
        },
    )
}

/// OUT as `taller run` chooses it: `--out`, else `taller-out` (beside the
/// programme file for a programme). The workshop or programme file is
/// loaded so that a wrong path is named now rather than searched in vain.
pub fn output_folder(
    workshop: Option<&Path>,
    programme_file: Option<&Path>,
    out: Option<PathBuf>,
) -> anyhow::Result<PathBuf> {
    if let Some(path) = workshop {
        files::load_workshop(path)?;
    }
    let beside = match programme_file {
        Some(path) => {
            programme::load_programme(path)?;
            Some(
                path.parent()
                    .unwrap_or_else(|| Path::new(""))
                    .join("taller-out"),
            )
        }
        None => None,
    };
    Ok(out.or(beside).unwrap_or_else(|| "taller-out".into()))
}

/// Searches every file under `out` for the person named by `who`.
pub fn find(out: &Path, who: &str) -> anyhow::Result<Findings> {
    let mut paths = Vec::new();
    walk(out, &mut paths)?;
    paths.sort();
    let query = who.trim();
    if query.is_empty() {
        anyhow::bail!("give the person's email address or attendee id, not an empty text");
    }
    let email = query.contains('@').then(|| query.to_lowercase());
    let mut findings = Findings {
        query: query.to_owned(),
        output: out.to_path_buf(),
        roster_rows: Vec::new(),
        files: Vec::new(),
        unreadable: Vec::new(),
    };

    // The rosters first: they say who the person is (name, ids), which the
    // other files are then searched for.
    for path in paths.iter().filter(|p| kind_of(p) == Kind::Roster) {
        if !is_roster_text(path) {
            continue;
        }
        let roster = match files::load_roster(path) {
            Ok(roster) => roster,
            Err(e) => {
                findings.unreadable.push(format!("{e:#}"));
                continue;
            }
        };
        for (index, attendee) in roster.attendees.into_iter().enumerate() {
            let matches = match &email {
                Some(email) => attendee.email == *email,
                None => {
                    attendee.id.as_str() == query
                        || attendee
                            .certificate_id
                            .as_ref()
                            .is_some_and(|c| c.to_string().eq_ignore_ascii_case(query))
                }
            };
            if matches {
                findings.roster_rows.push(RosterRow {
                    file: path.clone(),
                    row: index + 1,
                    attendee,
                });
            }
        }
    }

    let needles = needles(query, email.as_deref(), &findings.roster_rows);
    for path in &paths {
        let kind = kind_of(path);
        // Certificates are found by their file name below: their text is
        // drawn with font subsets a reader cannot map back to letters, and
        // parsing thousands of them would be slow for nothing.
        let certificate_pdf = kind == Kind::Certificate
            && path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
        let text = if certificate_pdf {
            Ok(Some(String::new()))
        } else {
            searchable_text(path)
        };
        let text = match text {
            Ok(Some(text)) => text,
            Ok(None) => continue,
            Err(why) => {
                findings
                    .unreadable
                    .push(format!("{}: {why}", path.display()));
                continue;
            }
        };
        let mut holds: Vec<&'static str> = Vec::new();
        for (what, needle) in &needles {
            if !holds.contains(what) && text.contains(needle.as_str()) {
                holds.push(what);
            }
        }
        // A certificate's file name starts with its certificate id, and
        // the merged certificates.pdf holds every certificate of its folder.
        if certificate_pdf {
            let named = |file: &Path| {
                let name = fold(&file.file_name().unwrap_or_default().to_string_lossy());
                needles
                    .iter()
                    .any(|(what, id)| *what == "certificate id" && name.starts_with(id.as_str()))
            };
            let merged_holds = path.file_name().is_some_and(|n| n == "certificates.pdf")
                && path.parent().is_some_and(|dir| {
                    paths
                        .iter()
                        .any(|p| p.parent() == Some(&dir.join("certificates")) && named(p))
                });
            if named(path) || merged_holds {
                holds.push("name");
            }
        }
        if !holds.is_empty() {
            findings.files.push(Mention {
                file: path.clone(),
                kind,
                holds,
            });
        }
    }
    Ok(findings)
}

/// What to look for, each folded as [`fold`] folds a file's text.
fn needles(query: &str, email: Option<&str>, rows: &[RosterRow]) -> Vec<(&'static str, String)> {
    let mut needles = Vec::new();
    let mut push = |what: &'static str, value: &str| {
        let folded = fold(value);
        // A name of a letter or two would be found everywhere.
        if folded.chars().count() >= 3 && !needles.contains(&(what, folded.clone())) {
            needles.push((what, folded));
        }
    };
    match email {
        Some(email) => push("email", email),
        None => push("id", query),
    }
    for row in rows {
        let a = &row.attendee;
        push("email", &a.email);
        push("attendee id", a.id.as_str());
        if let Some(certificate) = &a.certificate_id {
            push("certificate id", &certificate.to_string());
        }
        push("name", &a.display_name());
        push("name", &a.full_name);
        push("name", &format!("{} {}", a.given_name, a.family_name));
        // The sign-in sheet lists people by family name: `Family, Given`.
        push("name", &format!("{}, {}", a.family_name, a.given_name));
    }
    needles
}

/// Lower case without white space: a PDF's extracted text breaks and
/// spaces words as its layout did, not as the roster has them.
fn fold(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Every regular file under `dir` (links are not followed: they may lead
/// out of the output folder), taller's own temporary files left out.
fn walk(dir: &Path, paths: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("cannot read folder {}", dir.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot read folder {}", dir.display()))?;
        let path = entry.path();
        let kind = entry
            .file_type()
            .with_context(|| format!("cannot read {}", path.display()))?;
        if kind.is_dir() {
            walk(&path, paths)?;
        } else if kind.is_file() && !entry.file_name().to_string_lossy().starts_with(".taller-") {
            paths.push(path);
        }
    }
    Ok(())
}

/// The kind of output, from where `taller run` puts it.
pub fn kind_of(path: &Path) -> Kind {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let parent = path
        .parent()
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if name.starts_with("roster.") {
        Kind::Roster
    } else if name == "import-report.json" {
        Kind::ImportReport
    } else if parent == "report" {
        Kind::ProgrammeReport
    } else if name == SEND_LOG {
        Kind::SendLog
    } else if ext == "eml" || ext == "mbox" {
        Kind::OutboxMessage
    } else if name == "certificates.json" {
        Kind::CertificateManifest
    } else if parent == "certificates" || name == "certificates.pdf" {
        Kind::Certificate
    } else if name == "badges.pdf" {
        Kind::Badges
    } else if name == "signin.pdf" {
        Kind::SigninSheet
    } else if parent == "site" {
        Kind::VerificationSite
    } else {
        Kind::Other
    }
}

/// A roster taller can read back (CSV or JSON); the Excel copy is searched
/// as text like any other file.
fn is_roster_text(path: &Path) -> bool {
    !path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
}

/// Files larger than this are not outputs taller wrote about people.
const LARGEST_SEARCHED: u64 = 512 * 1024 * 1024;

/// A file's text, folded for searching: PDFs and workbooks as their text,
/// anything else as bytes read as UTF-8. `None` for files with no text
/// worth searching (images, fonts).
fn searchable_text(path: &Path) -> Result<Option<String>, String> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if matches!(
        ext.as_str(),
        "png" | "jpg" | "jpeg" | "gif" | "ttf" | "otf" | "woff" | "woff2" | "ico"
    ) {
        return Ok(None);
    }
    let size = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
    if size > LARGEST_SEARCHED {
        return Err("too large to search".to_owned());
    }
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let text = match ext.as_str() {
        "pdf" => pdf_text(&bytes)?,
        "xlsx" => workbook_text(bytes)?,
        _ => String::from_utf8_lossy(&bytes).into_owned(),
    };
    Ok(Some(fold(&text)))
}

/// The text of every page of a PDF (fonts map glyphs back to characters).
fn pdf_text(bytes: &[u8]) -> Result<String, String> {
    let mut document =
        lopdf::Document::load_mem(bytes).map_err(|e| format!("not a readable PDF: {e}"))?;
    // taller's PDF core names an embedded encoding CMap (codes of one to
    // three bytes) that lopdf cannot read, and lopdf then falls back on a
    // one-byte encoding: without it, lopdf reads the codes through the
    // font's ToUnicode map, which gives the text.
    for object in document.objects.values_mut() {
        if let Ok(font) = object.as_dict_mut()
            && font.has_type(b"Font")
            && font.has(b"ToUnicode")
            && font
                .get(b"Encoding")
                .is_ok_and(|encoding| encoding.as_reference().is_ok())
        {
            font.remove(b"Encoding");
        }
    }
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    let mut text = String::new();
    for chunk in document.extract_text_chunks(&pages) {
        // A page whose text cannot be read is said so, not passed over.
        text.push_str(&chunk.map_err(|e| format!("a page's text cannot be read: {e}"))?);
    }
    Ok(text)
}

/// Every cell of every sheet of a workbook, as text.
fn workbook_text(bytes: Vec<u8>) -> Result<String, String> {
    use calamine::Reader;
    let mut workbook = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| format!("not a readable workbook: {e}"))?;
    let mut text = String::new();
    for name in workbook.sheet_names() {
        let range = workbook
            .worksheet_range(&name)
            .map_err(|e| format!("sheet {name} cannot be read: {e}"))?;
        for row in range.rows() {
            for cell in row {
                text.push_str(&cell.to_string());
                text.push('\n');
            }
        }
    }
    Ok(text)
}

fn print_findings(findings: &Findings, export: Option<&Path>) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if findings.roster_rows.is_empty() && findings.files.is_empty() {
        writeln!(
            out,
            "taller holds nothing about {} in {}.",
            findings.query,
            findings.output.display()
        )?;
    }
    if let Some(first) = findings.roster_rows.first() {
        let a = &first.attendee;
        writeln!(out, "{} <{}> ({})", a.display_name(), a.email, a.id)?;
    }
    for row in &findings.roster_rows {
        writeln!(out, "  roster row {:>4}  {}", row.row, row.file.display())?;
        // The organiser's own sheets: taller reads them, never changes them.
        writeln!(
            out,
            "    from your registration sheets (taller never changes them): {}",
            row.attendee.source.0.join("; ")
        )?;
    }
    if !findings.files.is_empty() {
        writeln!(
            out,
            "\nFiles that hold data about this person ({}):",
            findings.files.len()
        )?;
        for mention in &findings.files {
            writeln!(
                out,
                "  {:<18} {}  ({})",
                mention.kind.label(),
                mention.file.display(),
                mention.holds.join(", ")
            )?;
        }
    }
    if !findings.unreadable.is_empty() {
        writeln!(
            out,
            "\nCould not be searched ({}):",
            findings.unreadable.len()
        )?;
        for why in &findings.unreadable {
            writeln!(out, "  {why}")?;
        }
    }
    if let Some(export) = export {
        writeln!(out, "\nWritten to {}.", export.display())?;
    }
    Ok(())
}
