//! `taller`: the command line of the workshop toolkit. Argument parsing and
//! wiring only; the work is done by the library crates.

mod assets;
mod commands;
mod erasure;
mod files;
mod messages;
mod salt;
mod signing;

use std::process::ExitCode;

use clap::Parser;

/// Importing 100,000 rows makes a few million short strings (cells, names,
/// addresses): glibc's malloc and free were a large share of the import;
/// mimalloc spends much less on them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = commands::Cli::parse();
    match commands::dispatch(cli) {
        Ok(outcome) => outcome.exit_code(),
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            messages::error!("{err:#}");
            ExitCode::from(2)
        }
    }
}

/// `taller import … | head` closing the pipe early is not a failure.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
