//! `taller signin`: the sign-in sheet for the door, from the roster.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;
use serde::Serialize;
use taller_model::Roster;
use taller_print::signin::{self, SigninOptions};

use super::Outcome;
use super::flags::Output;
use crate::files::{self, WorkshopFile};
use crate::messages::{self, message};

/// Print a sign-in sheet for the door.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  taller signin --roster roster.csv --workshop workshop.toml -o signin.pdf\n\nAttendees are listed by family name in Spanish alphabetical order (accents ignored, ñ after n, `de la Fuente` under F)."
)]
pub struct SigninArgs {
    /// The roster written by `taller import`.
    #[arg(long)]
    pub roster: PathBuf,
    /// The workshop file (title, city, date, language).
    #[arg(long)]
    pub workshop: PathBuf,
    /// Where to write the PDF.
    #[arg(short, long, default_value = "signin.pdf")]
    pub output: PathBuf,
    /// Blank rows at the end for walk-ins (the last page is filled up too).
    #[arg(long, default_value_t = 6)]
    pub blank_rows: usize,
    #[command(flatten)]
    pub flags: Output,
}

/// What making the sign-in sheet produced.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SigninSummary {
    pub output: PathBuf,
    pub pages: usize,
    pub attendees: usize,
    pub blank_rows: usize,
}

pub fn run(args: SigninArgs) -> anyhow::Result<Outcome> {
    messages::set_quiet(args.flags.quiet());
    let workshop = files::load_workshop(&args.workshop)?;
    let roster = files::load_roster(&args.roster)?;
    files::check_overwrite(&args.output, args.flags.force())?;
    let summary = make_signin(&roster, &workshop, &args.output, args.blank_rows)?;
    if args.flags.json() {
        files::print_json(&summary)?;
    }
    message!(
        "Wrote {}: {} attendees on {} page{}, {} blank rows for walk-ins",
        summary.output.display(),
        summary.attendees,
        summary.pages,
        if summary.pages == 1 { "" } else { "s" },
        summary.blank_rows
    );
    Ok(Outcome::Success)
}

/// Prints the sign-in sheet of everyone on the roster to `output` (written
/// atomically; the caller decides about overwriting). Callable from `taller run`.
pub(crate) fn make_signin(
    roster: &Roster,
    workshop: &WorkshopFile,
    output: &Path,
    blank_rows: usize,
) -> anyhow::Result<SigninSummary> {
    let info = &workshop.workshop.workshop;
    let date = workshop
        .workshop
        .dates()
        .map(|span| span.long(&info.language))
        .unwrap_or_default();
    let options = SigninOptions {
        title: info.title.clone(),
        city: info.city.clone(),
        venue: info.venue.clone(),
        date,
        language: info.language.clone(),
        blank_rows,
        created_unix: files::now_unix(),
    };
    let attendees: Vec<_> = roster.attendees.iter().collect();
    let made = signin::render(&attendees, &options)
        .with_context(|| format!("cannot print the sign-in sheet {}", output.display()))?;
    files::write_atomic(output, &made.pdf)?;
    Ok(SigninSummary {
        output: output.to_path_buf(),
        pages: made.pages,
        attendees: made.names.len(),
        blank_rows: made.blank_rows,
    })
}
