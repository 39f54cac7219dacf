//! The output flags every command shares, each defined once with one help
//! text. A command flattens the ones that make sense for it, so `--force`,
//! `--json`, `--quiet` and `--strict` read and behave the same everywhere.

use clap::Args;

/// `--force`: replace what a command would otherwise refuse to overwrite.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct Force {
    /// Replace output files that already exist.
    #[arg(long)]
    pub force: bool,
}

/// `--json`: the summary for scripts.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct Json {
    /// Print a machine-readable summary (JSON) on standard output.
    #[arg(long)]
    pub json: bool,
}

/// `-q`, `--quiet`: nothing on the terminal but errors.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct Quiet {
    /// Print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,
}

/// `--strict`: problems that were worked around still fail the command.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct Strict {
    /// Exit with code 1 when the summary lists anything that needs attention.
    #[arg(long)]
    pub strict: bool,
}

/// The flags of a command that writes files and prints a summary.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct Output {
    #[command(flatten)]
    force: Force,
    #[command(flatten)]
    quiet: Quiet,
    #[command(flatten)]
    json: Json,
}

impl Output {
    /// `--force`.
    pub fn force(self) -> bool {
        self.force.force
    }

    /// `--quiet`.
    pub fn quiet(self) -> bool {
        self.quiet.quiet
    }

    /// `--json`.
    pub fn json(self) -> bool {
        self.json.json
    }
}
