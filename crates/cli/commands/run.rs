//! `taller run`: not built yet (this file is replaced by its issue's work).

use clap::Args;

use super::Outcome;

#[derive(Debug, Args)]
pub struct RunArgs {}

pub fn run(_args: RunArgs) -> anyhow::Result<Outcome> {
    anyhow::bail!("`taller run` is not available yet")
}
