//! `taller send`: sends the reviewed `.eml` files of an outbox by SMTP,
//! each exactly once across reruns (see the send log in the outbox).

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::Args;
use taller_followup::{
    Item, Security, SendOptions, SendReport, SmtpSettings, outbox_files, send_outbox,
};

use super::Outcome;
use super::flags::{Json, Quiet};
use crate::files;
use crate::messages::{self, message};

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  taller send outbox --dry-run
  read -rs SMTP_PASSWORD && export SMTP_PASSWORD    # typed, never in the shell history
  taller send outbox --smtp smtp://smtp.example.org:587 --starttls --user ong@example.org --password-env SMTP_PASSWORD --rate 30/min

Every attempt and every answer of the server is written to send-log.jsonl in the outbox. Run the same command again after a failure: messages the server accepted are skipped, refused ones are tried again, and a message whose fate is unknown (the connection broke or the process was killed mid-transaction) is listed as uncertain and only sent again with --resend-uncertain, once you have checked that it did not arrive.")]
pub struct SendArgs {
    /// The outbox folder written by `taller followup`.
    #[arg(value_name = "OUTBOX")]
    outbox: PathBuf,
    /// The SMTP server, as smtp://HOST:PORT.
    #[arg(long, value_name = "URL", required_unless_present = "dry_run")]
    smtp: Option<String>,
    /// Upgrade the connection with STARTTLS (usually port 587).
    #[arg(long, conflicts_with = "tls")]
    starttls: bool,
    /// Use TLS from the start (usually port 465).
    #[arg(long)]
    tls: bool,
    /// Also trust this certificate authority (PEM file), for a server whose certificate comes from its organisation's own authority.
    #[arg(long, value_name = "FILE")]
    ca_cert: Option<PathBuf>,
    /// User name for the server's login.
    #[arg(long, value_name = "USER", requires = "password_env")]
    user: Option<String>,
    /// Name of the environment variable holding the password (never the password itself).
    #[arg(long, value_name = "VAR", requires = "user")]
    password_env: Option<String>,
    /// At most this many messages per minute (or per hour: 100/h, per second: 2/s).
    #[arg(long, value_name = "N/min", value_parser = parse_rate)]
    rate: Option<Duration>,
    /// Seconds to wait for each answer of the server before giving up.
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    timeout: u64,
    /// List what would be sent, and send nothing.
    #[arg(long)]
    dry_run: bool,
    /// Also send the messages listed as uncertain (check first that they did not arrive).
    #[arg(long)]
    resend_uncertain: bool,
    #[command(flatten)]
    json: Json,
    #[command(flatten)]
    quiet: Quiet,
}

/// `30/min` → a pause of 2 s between messages.
fn parse_rate(text: &str) -> Result<Duration, String> {
    let bad = || format!("`{text}` is not a rate; write it as 30/min, 500/h or 2/s");
    let (count, unit) = text.trim().split_once('/').ok_or_else(bad)?;
    let count: f64 = count.trim().parse().map_err(|_| bad())?;
    let per = match unit.trim() {
        "s" | "sec" | "second" => 1.0,
        "m" | "min" | "minute" => 60.0,
        "h" | "hour" => 3600.0,
        _ => return Err(bad()),
    };
    if !(count.is_finite() && count > 0.0) {
        return Err(bad());
    }
    Ok(Duration::from_secs_f64(per / count))
}

pub fn run(args: SendArgs) -> anyhow::Result<Outcome> {
    messages::set_quiet(args.quiet.quiet);
    if !args.outbox.is_dir() {
        bail!(
            "{} is not an outbox folder; write one with `taller followup … -o {}` (an mbox file cannot be sent)",
            args.outbox.display(),
            args.outbox.display()
        );
    }
    let security = match (args.starttls, args.tls) {
        (true, _) => Security::StartTls,
        (_, true) => Security::Tls,
        _ => Security::None,
    };
    let mut smtp = match &args.smtp {
        Some(url) => SmtpSettings::parse(url, security)?,
        None => SmtpSettings::parse("localhost", security)?,
    };
    smtp.pause = args.rate;
    if let Some(path) = &args.ca_cert {
        smtp.ca_certificate = Some(files::read(path)?);
    }
    smtp.timeout = Duration::from_secs(args.timeout.max(1));
    if let (Some(user), Some(var)) = (&args.user, &args.password_env) {
        let password = std::env::var(var).with_context(|| {
            format!("the environment variable {var} (given with --password-env) is not set; set it first, e.g. `read -rs {var} && export {var}`")
        })?;
        smtp.credentials = Some((user.clone(), password));
    }
    let total = outbox_files(&args.outbox)?.len();
    let progress = messages::progress_bar(total, "{msg}", args.quiet.quiet || args.dry_run);
    let report = send_outbox(
        &args.outbox,
        &smtp,
        SendOptions {
            dry_run: args.dry_run,
            resend_uncertain: args.resend_uncertain,
        },
        &mut |file| {
            progress.set_message(file.to_owned());
            progress.inc(1);
        },
    )?;
    progress.finish_and_clear();
    if args.json.json {
        files::print_json(&report)?;
    }
    print_report(&report, args.dry_run);
    if let Some(why) = &report.stopped {
        bail!("{why}");
    }
    Ok(if report.failed.is_empty() && report.uncertain.is_empty() {
        Outcome::Success
    } else {
        Outcome::ProblemsFound
    })
}

fn print_report(report: &SendReport, dry_run: bool) {
    let list = |title: &str, items: &[Item]| {
        if items.is_empty() {
            return;
        }
        message!("{title}:");
        for item in items {
            let reply = if item.reply.is_empty() {
                String::new()
            } else {
                format!(" — {}", item.reply)
            };
            message!("  {} → {}{reply}", item.file, item.recipients.join(", "));
        }
    };
    if dry_run {
        list("Would send", &report.would_send);
    }
    list("Failed (tried again on the next run)", &report.failed);
    list(
        "Uncertain (not sent again unless --resend-uncertain)",
        &report.uncertain,
    );
    message!(
        "{}: {} {}, {} already sent before (skipped), {} failed, {} uncertain.",
        if dry_run { "Dry run" } else { "Done" },
        if dry_run {
            report.would_send.len()
        } else {
            report.sent.len()
        },
        if dry_run { "would be sent" } else { "sent" },
        report.already_sent.len(),
        report.failed.len(),
        report.uncertain.len()
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_become_pauses() {
        assert_eq!(parse_rate("30/min"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_rate("2/s"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_rate("360/h"), Ok(Duration::from_secs(10)));
        for bad in ["fast", "0/min", "-1/min", "30", "30/day"] {
            assert!(parse_rate(bad).is_err(), "{bad}");
        }
    }
}
