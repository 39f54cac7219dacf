//! `taller init`: not built yet (this file is replaced by its issue's work).

use clap::Args;

use super::Outcome;

#[derive(Debug, Args)]
pub struct InitArgs {}

pub fn run(_args: InitArgs) -> anyhow::Result<Outcome> {
    anyhow::bail!("`taller init` is not available yet")
}
