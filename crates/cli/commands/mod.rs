//! One module per subcommand: its arguments (clap derive, with a `///` line
//! as its help and an example in `after_help`) and its `run` function.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod badges;
mod certificates;
mod completions;
mod flags;
mod followup;
mod forget;
#[cfg(feature = "bench")]
mod generate;
mod handout;
mod import;
mod init;
mod person;
mod purge;
mod report;
mod revoke;
mod run;
mod send;
mod signin;
mod site;
mod verify;

/// taller: attendee lists, certificates, handouts, badges and follow-up
/// emails for a programme of training workshops.
#[derive(Debug, Parser)]
#[command(name = "taller", version, propagate_version = true)]
#[command(
    after_help = "Start with `taller run` to see everything taller makes for the bundled example programme, then `taller init my-workshop` to make your own."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read registration sheets (CSV, Excel, LibreOffice, Google Forms, Eventbrite) and write the roster.
    Import(import::ImportArgs),
    /// Make a PDF certificate of attendance for every attendee.
    Certificates(certificates::CertificatesArgs),
    /// Check that a certificate PDF is one we issued, untouched.
    Verify(verify::VerifyArgs),
    /// Withdraw a certificate: marks it revoked in the signed certificates.json.
    Revoke(revoke::RevokeArgs),
    /// Write the static site that verifies certificates (their QR codes lead there).
    Site(site::SiteArgs),
    /// Turn a handout text (Markdown) into a printable PDF.
    Handout(handout::HandoutArgs),
    /// Print a sign-in sheet for the door.
    Signin(signin::SigninArgs),
    /// Print name badges on label sheets.
    Badges(badges::BadgesArgs),
    /// Write one personal follow-up email per attendee, for review.
    Followup(followup::FollowupArgs),
    /// Send the reviewed follow-up emails, each exactly once.
    Send(send::SendArgs),
    /// Do the whole job for one workshop or a programme (the bundled example by default).
    Run(run::RunArgs),
    /// Create a new workshop folder, ready to edit.
    Init(init::InitArgs),
    /// Write a programme's report for a funder: people counted once, breakdowns, charts.
    Report(report::ReportArgs),
    /// List every place taller holds data about one person (a subject-access request).
    Person(person::PersonArgs),
    /// Erase a person from everything taller wrote, at their request; later imports skip them.
    Forget(forget::ForgetArgs),
    /// Delete the personal data of workshops past their retention, keeping the report's figures.
    Purge(purge::PurgeArgs),
    /// Print shell completions (bash, zsh, fish, …).
    Completions(completions::CompletionsArgs),
    /// Print the manual page (roff).
    Man(completions::ManArgs),
    /// Write a synthetic registration sheet (benchmarks and load tests).
    #[cfg(feature = "bench")]
    Generate(generate::GenerateArgs),
}

/// How a command that did its work ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything went well.
    Success,
    /// The work was done, but problems were found and the user asked for
    /// strictness (or the answer is "no", as for `verify`).
    ProblemsFound,
}

impl Outcome {
    pub fn exit_code(self) -> ExitCode {
        match self {
            Outcome::Success => ExitCode::SUCCESS,
            Outcome::ProblemsFound => ExitCode::from(1),
        }
    }
}

pub fn dispatch(cli: Cli) -> anyhow::Result<Outcome> {
    match cli.command {
        Command::Import(args) => import::run(args),
        Command::Certificates(args) => certificates::run(args),
        Command::Verify(args) => verify::run(args),
        Command::Revoke(args) => revoke::run(args),
        Command::Site(args) => site::run(args),
        Command::Handout(args) => handout::run(args),
        Command::Signin(args) => signin::run(args),
        Command::Badges(args) => badges::run(args),
        Command::Followup(args) => followup::run(args),
        Command::Send(args) => send::run(args),
        Command::Run(args) => run::run(args),
        Command::Init(args) => init::run(args),
        Command::Report(args) => report::run(args),
        Command::Person(args) => person::run(args),
        Command::Forget(args) => forget::run(args),
        Command::Purge(args) => purge::run(args),
        Command::Completions(args) => completions::completions(args),
        Command::Man(args) => completions::man(args),
        #[cfg(feature = "bench")]
        Command::Generate(args) => generate::run(args),
    }
}
