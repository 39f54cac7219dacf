//! `taller handout`: not built yet (this file is replaced by its issue's work).

use clap::Args;

use super::Outcome;

#[derive(Debug, Args)]
pub struct HandoutArgs {}

pub fn run(_args: HandoutArgs) -> anyhow::Result<Outcome> {
    anyhow::bail!("`taller handout` is not available yet")
}
