//! The one place the command line writes messages for people: a command's
//! report lines, notes and the final error, all on standard error
//! (standard output is kept for data: a roster, JSON, a manual page).
//!
//! `--quiet` is set once per command with [`set_quiet`]; report lines then
//! stay silent, errors never do. A note tells of something
//! taller did on the user's behalf that they must keep (a signing key it
//! created), so it is printed under `--quiet` too.

use std::sync::atomic::{AtomicBool, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

static QUIET: AtomicBool = AtomicBool::new(false);

/// Silences (or not) report lines from here on.
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// Whether `--quiet` (or `--json`, where it implies it) was given.
pub fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// One line of a command's human report; nothing under `--quiet`.
macro_rules! message {
    ($($tt:tt)*) => {
        if !$crate::messages::quiet() {
            $crate::messages::print(format_args!($($tt)*));
        }
    };
}

/// `note: …`, printed even under `--quiet` (see the module's comment).
macro_rules! note {
    ($($tt:tt)*) => {
        $crate::messages::print(format_args!("note: {}", format_args!($($tt)*)));
    };
}

/// `taller: …`: the error that ended the command; always printed.
macro_rules! error {
    ($($tt:tt)*) => {
        $crate::messages::print(format_args!("taller: {}", format_args!($($tt)*)));
    };
}

pub(crate) use {error, message, note};

/// Writes one line to standard error. A closed or full terminal is not
/// worth failing the command over (the files are already written), so a
/// failed write is ignored, as `eprintln!` would panic instead.
pub fn print(line: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// A progress bar on standard error for `len` steps of `what`
/// ("certificates", or `{msg}` for a label set at each step); `hidden` when
/// the caller wants none (`--quiet`, a dry run, a step inside `taller run`).
pub fn progress_bar(len: usize, what: &str, hidden: bool) -> ProgressBar {
    if hidden {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(&format!("{{bar:40}} {{pos}}/{{len}} {what}")) {
        bar.set_style(style);
    }
    bar
}
