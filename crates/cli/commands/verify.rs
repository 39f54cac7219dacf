//! `taller verify`: not built yet (this file is replaced by its issue's work).

use clap::Args;

use super::Outcome;

#[derive(Debug, Args)]
pub struct VerifyArgs {}

pub fn run(_args: VerifyArgs) -> anyhow::Result<Outcome> {
    anyhow::bail!("`taller verify` is not available yet")
}
