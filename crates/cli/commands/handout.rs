//! `taller handout`: a Markdown text (factsheet, handbook excerpt) to a
//! printable A4 PDF, placeholders filled from the workshop file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;
use serde::Serialize;
use taller_model::Language;
use taller_print::handout::placeholders::PlaceholderValues;
use taller_print::handout::{Handout, HandoutOptions};

use super::Outcome;
use super::flags::Output;
use crate::files::{self, WorkshopFile};
use crate::messages::{self, message};

/// Turn a handout text (Markdown) into a printable PDF.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  taller handout handouts/factsheet.es.md --workshop workshop.toml -o factsheet.pdf\n\nPlaceholders such as {{workshop.city}}, {{workshop.title}}, {{workshop.date}} are filled from --workshop.\nPage numbers are in the language the file name gives (factsheet.en.md: Page 1 of 2), else the workshop's."
)]
pub struct HandoutArgs {
    /// The handout text, in Markdown.
    pub source: PathBuf,
    /// Where to write the PDF [default: SOURCE with .pdf].
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Workshop file: fills placeholders, names the footer and sets the language of page numbers.
    #[arg(long)]
    pub workshop: Option<PathBuf>,
    /// Title printed at the top [default: the text's first heading].
    #[arg(long)]
    pub title: Option<String>,
    #[command(flatten)]
    pub flags: Output,
}

/// What making a handout produced.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct HandoutSummary {
    pub output: PathBuf,
    pub pages: usize,
    pub title: String,
    /// Pictures without a description (a screen reader skips them).
    pub warnings: Vec<String>,
}

pub fn run(args: HandoutArgs) -> anyhow::Result<Outcome> {
    messages::set_quiet(args.flags.quiet());
    let workshop = args
        .workshop
        .as_deref()
        .map(files::load_workshop)
        .transpose()?;
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| args.source.with_extension("pdf"));
    if output == args.source {
        bail!(
            "the output {} would replace the handout text itself; choose another name with -o",
            output.display()
        );
    }
    files::check_overwrite(&output, args.flags.force())?;
    let summary = make_handout(
        &args.source,
        &output,
        workshop.as_ref(),
        args.title.as_deref(),
    )?;
    if args.flags.json() {
        files::print_json(&summary)?;
    }
    message!(
        "Wrote {} ({} page{}): {}",
        summary.output.display(),
        summary.pages,
        if summary.pages == 1 { "" } else { "s" },
        summary.title
    );
    for warning in &summary.warnings {
        message!("warning: {}: {warning}", args.source.display());
    }
    Ok(Outcome::Success)
}

/// Prints the handout `source` to `output` (written atomically; the caller
/// decides about overwriting). Callable from `taller run`.
pub(crate) fn make_handout(
    source: &Path,
    output: &Path,
    workshop: Option<&WorkshopFile>,
    title: Option<&str>,
) -> anyhow::Result<HandoutSummary> {
    let bytes = files::read(source)?;
    let text = String::from_utf8(bytes).map_err(|_| {
        anyhow::anyhow!(
            "{} is not UTF-8 text; save it as UTF-8 (\"Unicode\") in your editor",
            source.display()
        )
    })?;
    let name = source.display().to_string();
    let values = workshop.map(|w| PlaceholderValues::from_workshop(&w.workshop));
    let handout = Handout::parse(text.trim_start_matches('\u{feff}'), values.as_ref(), &name)?;
    let images = load_images(&handout, source)?;
    let options = HandoutOptions {
        title: title.map(str::to_owned),
        footer: workshop
            .map(|w| w.workshop.workshop.title.clone())
            .unwrap_or_default(),
        language: language_of(source).unwrap_or_else(|| {
            workshop.map_or_else(Language::english, |w| w.workshop.workshop.language.clone())
        }),
        author: workshop
            .map(|w| w.workshop.workshop.organiser.clone())
            .unwrap_or_default(),
        created_unix: files::now_unix(),
        logo: workshop.map(files::load_logo).transpose()?.flatten(),
    };
    let made = handout
        .render(&images, &options)
        .with_context(|| format!("cannot print {}", source.display()))?;
    files::write_atomic(output, &made.pdf)?;
    Ok(HandoutSummary {
        output: output.to_path_buf(),
        pages: made.pages,
        title: made.title,
        warnings: made.warnings,
    })
}

/// The language a file name states, as in `factsheet.en.md`: an English
/// handout of a Spanish workshop gets `Page 1 of 2`.
fn language_of(source: &Path) -> Option<Language> {
    let stem = Path::new(source.file_stem()?);
    let code = stem.extension()?.to_str()?;
    (code.len() == 2)
        .then(|| Language::parse(code).ok())
        .flatten()
}

/// Reads every image the handout shows, relative to its folder.
fn load_images(handout: &Handout, source: &Path) -> anyhow::Result<HashMap<String, Vec<u8>>> {
    let dir = files::folder_of(source);
    let mut images = HashMap::new();
    for (image, line) in handout.images() {
        if images.contains_key(&image) {
            continue;
        }
        if image.contains("://") {
            bail!(
                "{}, line {line}: the image {image} is on the web; save it next to the handout and write its file name instead",
                source.display()
            );
        }
        let path = dir.join(&image);
        let bytes = std::fs::read(&path).with_context(|| {
            format!(
                "{}, line {line}: cannot read the image {}",
                source.display(),
                path.display()
            )
        })?;
        images.insert(image, bytes);
    }
    Ok(images)
}
