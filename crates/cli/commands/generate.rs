//! `taller generate` (hidden): a synthetic registration sheet of any size,
//! the input of `scripts/bench.sh` and of load tests.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use taller_registration::synthetic::{Sheet, SheetFormat};

use super::Outcome;
use super::flags::Force;
use crate::files;
use crate::messages::message;

#[derive(Debug, Args)]
#[command(
    hide = true,
    after_help = "Example:\n  taller generate --count 100000 --seed 1 --format xlsx -o big.xlsx"
)]
pub struct GenerateArgs {
    /// How many answers (rows) the sheet has; about 2 % repeat an earlier person, about 1 % have a bad email.
    #[arg(short = 'n', long, default_value_t = 1_000)]
    count: usize,
    /// Seed of the generator: the same seed and count always give the same file.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// File format: UTF-8 CSV, Spanish-Excel CSV (Windows-1252, `;`), or XLSX [default: from the extension of -o].
    #[arg(long, value_enum)]
    format: Option<FormatArg>,
    /// Where to write the sheet.
    #[arg(short, long, value_name = "FILE")]
    output: PathBuf,
    #[command(flatten)]
    force: Force,
}

/// The sheet formats, as typed after `--format`.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Csv,
    #[value(name = "csv-1252")]
    Csv1252,
    Xlsx,
}

impl From<FormatArg> for SheetFormat {
    fn from(format: FormatArg) -> Self {
        match format {
            FormatArg::Csv => SheetFormat::CsvUtf8,
            FormatArg::Csv1252 => SheetFormat::CsvWindows1252,
            FormatArg::Xlsx => SheetFormat::Xlsx,
        }
    }
}

pub fn run(args: GenerateArgs) -> anyhow::Result<Outcome> {
    let format = match args.format {
        Some(format) => format.into(),
        None if has_extension(&args.output, "xlsx") => SheetFormat::Xlsx,
        None => SheetFormat::CsvUtf8,
    };
    files::check_overwrite(&args.output, args.force.force)?;
    let sheet = Sheet::generate(args.count, args.seed);
    let bytes = sheet.to_bytes(format)?;
    files::write_atomic(&args.output, &bytes)?;
    report(&sheet, &args.output);
    Ok(Outcome::Success)
}

fn has_extension(path: &std::path::Path, extension: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(extension))
}

fn report(sheet: &Sheet, output: &std::path::Path) {
    message!(
        "{} rows written to {} ({} repeat an earlier person, {} with a bad email)",
        sheet.people.len(),
        output.display(),
        sheet.duplicates,
        sheet.bad_emails
    );
}
