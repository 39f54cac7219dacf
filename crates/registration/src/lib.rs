//! Attendee registration for taller: reads the spreadsheets people send,
//! maps their columns, normalises and validates every value, merges
//! duplicates and attendance, and reads and writes the roster.
//!
//! Every input row ends up either in the [`taller_model::Roster`] or in the
//! report's problems: nothing is dropped silently.

mod error;
mod roster_io;

pub use error::Error;
pub use roster_io::{RosterFormat, read_roster, write_roster_csv, write_roster_json};
