//! `taller init DIR`: a new workshop folder, ready to edit — a commented
//! `workshop.toml`, follow-up templates in Spanish and English, a handout
//! text and an example registration sheet. It never overwrites anything.

use std::path::PathBuf;

use anyhow::bail;
use clap::Args;

use super::Outcome;
use super::flags::Quiet;
use crate::assets::{self, EXAMPLE_FILES, INIT_FILES};
use crate::messages::{self, message};

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  taller init madrid-2026\n  (edit madrid-2026/workshop.toml and put your registration sheets in the folder)\n  taller run madrid-2026/workshop.toml -o madrid-2026/out\n\n  taller init --programme redes-2026      # a programme.toml and three example workshop folders\n  taller run redes-2026/programme.toml"
)]
pub struct InitArgs {
    /// The folder to create (or an empty one to fill).
    #[arg(value_name = "DIR")]
    dir: PathBuf,
    /// Make a programme instead: a programme.toml and three example workshop
    /// folders (Madrid, Sevilla and an online one from Bilbao), to edit or copy.
    #[arg(long)]
    programme: bool,
    #[command(flatten)]
    quiet: Quiet,
}

pub fn run(args: InitArgs) -> anyhow::Result<Outcome> {
    messages::set_quiet(args.quiet.quiet);
    let files = if args.programme {
        EXAMPLE_FILES
    } else {
        INIT_FILES
    };
    let existing: Vec<String> = files
        .iter()
        .map(|(name, _)| args.dir.join(name))
        .filter(|path| path.exists())
        .map(|path| path.display().to_string())
        .collect();
    if let Some(first) = existing.first() {
        let others = match existing.len() - 1 {
            0 => String::new(),
            1 => " and 1 other file".to_owned(),
            n => format!(" and {n} other files"),
        };
        bail!(
            "{} already holds a {} ({first}{others}); taller init never overwrites files, so choose a new folder",
            args.dir.display(),
            if args.programme {
                "programme"
            } else {
                "workshop"
            },
        );
    }
    assets::write_files(&args.dir, files)?;
    if !args.quiet.quiet {
        let dir = args.dir.display();
        {
            let what = if args.programme {
                "programme"
            } else {
                "workshop"
            };
            message!("Created the {what} folder {dir}:");
            for (name, _) in files {
                message!("  {dir}/{name}");
            }
            if args.programme {
                message!(
                    "Next: edit {dir}/programme.toml and each workshop's workshop.toml (copy a workshop folder for each new one),\nthen run: taller run {dir}/programme.toml"
                );
                return Ok(Outcome::Success);
            }
            message!(
                "Next: edit {dir}/workshop.toml, put your registration sheets in {dir} and list them under [registration],\nthen run: taller run {dir}/workshop.toml -o {dir}/out"
            );
        }
    }
    Ok(Outcome::Success)
}
