//! `taller init DIR`: a new workshop folder, ready to edit — a commented
//! `workshop.toml`, follow-up templates in Spanish and English, a handout
//! text and an example registration sheet. It never overwrites anything.

use std::path::PathBuf;

use anyhow::bail;
use clap::Args;

use super::Outcome;
use crate::assets::{self, INIT_FILES};

#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  taller init madrid-2026\n  (edit madrid-2026/workshop.toml and put your registration sheets in the folder)\n  taller run madrid-2026/workshop.toml -o madrid-2026/out"
)]
pub struct InitArgs {
    /// The folder to create (or an empty one to fill).
    #[arg(value_name = "DIR")]
    dir: PathBuf,
    /// Print nothing on success.
    #[arg(short, long)]
    quiet: bool,
}

pub fn run(args: InitArgs) -> anyhow::Result<Outcome> {
    let existing: Vec<String> = INIT_FILES
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
            "{} already holds a workshop ({first}{others}); taller init never overwrites files, so choose a new folder",
            args.dir.display(),
        );
    }
    assets::write_files(&args.dir, INIT_FILES)?;
    if !args.quiet {
        let dir = args.dir.display();
        #[allow(clippy::print_stderr)]
        {
            eprintln!("Created the workshop folder {dir}:");
            for (name, _) in INIT_FILES {
                eprintln!("  {dir}/{name}");
            }
            eprintln!(
                "Next: edit {dir}/workshop.toml, put your registration sheets in {dir} and list them under [registration],\nthen run: taller run {dir}/workshop.toml -o {dir}/out"
            );
        }
    }
    Ok(Outcome::Success)
}
