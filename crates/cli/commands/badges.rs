//! `taller badges`: not built yet (this file is replaced by its issue's work).

use clap::Args;

use super::Outcome;

#[derive(Debug, Args)]
pub struct BadgesArgs {}

pub fn run(_args: BadgesArgs) -> anyhow::Result<Outcome> {
    anyhow::bail!("`taller badges` is not available yet")
}
