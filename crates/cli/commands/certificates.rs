//! `taller certificates`: not built yet (this file is replaced by its issue's work).

use clap::Args;

use super::Outcome;

#[derive(Debug, Args)]
pub struct CertificatesArgs {}

pub fn run(_args: CertificatesArgs) -> anyhow::Result<Outcome> {
    anyhow::bail!("`taller certificates` is not available yet")
}
