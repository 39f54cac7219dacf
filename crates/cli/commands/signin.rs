//! `taller signin`: not built yet (this file is replaced by its issue's work).

use clap::Args;

use super::Outcome;

#[derive(Debug, Args)]
pub struct SigninArgs {}

pub fn run(_args: SigninArgs) -> anyhow::Result<Outcome> {
    anyhow::bail!("`taller signin` is not available yet")
}
