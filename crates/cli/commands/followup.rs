//! `taller followup`: not built yet (this file is replaced by its issue's work).

use clap::Args;

use super::Outcome;

#[derive(Debug, Args)]
pub struct FollowupArgs {}

pub fn run(_args: FollowupArgs) -> anyhow::Result<Outcome> {
    anyhow::bail!("`taller followup` is not available yet")
}
