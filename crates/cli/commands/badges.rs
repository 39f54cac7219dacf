//! `taller badges`: name badges on A4 label sheets, from the roster.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;
use serde::Serialize;
use taller_model::Roster;
use taller_print::badges::{self, BadgeOptions};
use taller_print::labels::LabelFormat;
use taller_print::signin;

use super::Outcome;
use super::flags::Output;
use crate::files::{self, WorkshopFile};
use crate::messages::{self, message};

/// Print name badges on label sheets.
#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  taller badges --roster roster.csv --workshop workshop.toml --label avery-l7163 -o badges.pdf\n\nLabel formats:\n  avery-l7418  Avery L7418 name badge labels, 86 × 55 mm, 8 per A4 sheet (default)\n  avery-l7163  Avery L7163 labels, 99.1 × 38.1 mm, 14 per A4 sheet\n  cut-2x4      plain A4 paper, 8 badges of 90 × 60 mm to cut out along crop marks\n\nBadges follow the sign-in sheet's order (family name, Spanish alphabetical order). The workshop's logo, if it has one, goes on every badge."
)]
pub struct BadgesArgs {
    /// The roster written by `taller import`.
    #[arg(long)]
    pub roster: PathBuf,
    /// The workshop file (title, logo).
    #[arg(long)]
    pub workshop: PathBuf,
    /// Where to write the PDF.
    #[arg(short, long, default_value = "badges.pdf")]
    pub output: PathBuf,
    /// Label sheet format: avery-l7418, avery-l7163 or cut-2x4.
    #[arg(long, default_value = "avery-l7418")]
    pub label: String,
    /// Only attendees marked as having come (for badges printed after check-in).
    #[arg(long)]
    pub attended: bool,
    #[command(flatten)]
    pub flags: Output,
}

/// What making the badges produced.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct BadgesSummary {
    pub output: PathBuf,
    pub label: String,
    pub badges: usize,
    pub sheets: usize,
    /// Attendees without a badge (with `--attended`, those not marked as
    /// having come), named in one line.
    pub left_out: Option<String>,
}

pub fn run(args: BadgesArgs) -> anyhow::Result<Outcome> {
    messages::set_quiet(args.flags.quiet());
    let Some(format) = LabelFormat::by_name(&args.label) else {
        bail!(
            "unknown label format `{}`; use one of {}",
            args.label,
            LabelFormat::names()
        );
    };
    let workshop = files::load_workshop(&args.workshop)?;
    let roster = files::load_roster(&args.roster)?;
    files::check_overwrite(&args.output, args.flags.force())?;
    let summary = make_badges(&roster, &workshop, &args.output, &format, args.attended)?;
    if args.flags.json() {
        files::print_json(&summary)?;
    }
    message!(
        "Wrote {}: {} badges on {} {} sheet{}",
        summary.output.display(),
        summary.badges,
        summary.sheets,
        summary.label,
        if summary.sheets == 1 { "" } else { "s" }
    );
    if let Some(line) = &summary.left_out {
        message!("no badge: {line}");
    }
    Ok(Outcome::Success)
}

/// Prints badges for the roster to `output` (written atomically; the caller
/// decides about overwriting). Callable from `taller run`.
pub(crate) fn make_badges(
    roster: &Roster,
    workshop: &WorkshopFile,
    output: &Path,
    format: &LabelFormat,
    attended_only: bool,
) -> anyhow::Result<BadgesSummary> {
    let info = &workshop.workshop.workshop;
    let logo = files::load_logo(workshop)?;
    let mut attendees: Vec<_> = roster
        .attendees
        .iter()
        .filter(|a| !attended_only || a.attended == taller_model::Answer::Yes)
        .collect();
    let left_out: Vec<String> = roster
        .attendees
        .iter()
        .filter(|a| attended_only && a.attended != taller_model::Answer::Yes)
        .map(|a| a.display_name().chars().take(80).collect())
        .collect();
    signin::sort(&mut attendees);
    let options = BadgeOptions {
        workshop_title: info.title.clone(),
        logo,
        language: info.language.clone(),
        created_unix: files::now_unix(),
    };
    let made = badges::render(&attendees, format, &options)
        .with_context(|| format!("cannot print the badges {}", output.display()))?;
    files::write_atomic(output, &made.pdf)?;
    Ok(BadgesSummary {
        output: output.to_path_buf(),
        label: format.name.to_owned(),
        badges: made.badges.len(),
        sheets: made.sheets,
        left_out: (!left_out.is_empty()).then(|| {
            format!(
                "{} not marked attended=yes: {}",
                left_out.len(),
                left_out.join(", ")
            )
        }),
    })
}
