//! `taller import`: not built yet (this file is replaced by its issue's work).

use clap::Args;

use super::Outcome;

#[derive(Debug, Args)]
pub struct ImportArgs {}

pub fn run(_args: ImportArgs) -> anyhow::Result<Outcome> {
    anyhow::bail!("`taller import` is not available yet")
}
