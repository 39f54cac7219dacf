//! `taller completions SHELL` and `taller man`: shell completions and a
//! manual page, generated from the same clap definitions as `--help`.

use std::io::Write;

use anyhow::Context;
use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::{Cli, Outcome};

#[derive(Debug, Args)]
#[command(
    after_help = "Example:\n  taller completions bash > ~/.local/share/bash-completion/completions/taller"
)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, elvish or powershell.
    #[arg(value_enum)]
    shell: Shell,
}

#[derive(Debug, Args)]
#[command(after_help = "Example:\n  taller man > taller.1 && man ./taller.1")]
pub struct ManArgs {}

pub fn completions(args: CompletionsArgs) -> anyhow::Result<Outcome> {
    let mut command = Cli::command();
    let mut stdout = std::io::stdout().lock();
    clap_complete::generate(args.shell, &mut command, "taller", &mut stdout);
    stdout.flush().context("cannot write the completions")?;
    Ok(Outcome::Success)
}

pub fn man(_args: ManArgs) -> anyhow::Result<Outcome> {
    let page = clap_mangen::Man::new(Cli::command());
    let mut stdout = std::io::stdout().lock();
    page.render(&mut stdout)
        .context("cannot write the manual page")?;
    stdout.flush().context("cannot write the manual page")?;
    Ok(Outcome::Success)
}
