//! `taller send`: not built yet (this file is replaced by its issue's work).

use clap::Args;

use super::Outcome;

#[derive(Debug, Args)]
pub struct SendArgs {}

pub fn run(_args: SendArgs) -> anyhow::Result<Outcome> {
    anyhow::bail!("`taller send` is not available yet")
}
