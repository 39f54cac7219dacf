//! Attendee registration for taller: reads the spreadsheets people send,
//! maps their columns, normalises and validates every value, merges
//! duplicates and attendance, and reads and writes the roster.
//!
//! Every input row ends up either in the [`taller_model::Roster`] or in the
//! report's problems: nothing is dropped silently.
//!
//! ```
//! use taller_registration::{ImportOptions, Input, import};
//! let sheet = Input {
//!     name: "inscripciones.csv".into(),
//!     bytes: "Nombre y apellidos;Correo\r\nANA RUIZ GALLARDO;Ana@Ejemplo.org\r\n".into(),
//! };
//! let imported = import(&[sheet], None, &ImportOptions::default()).expect("usable");
//! let ana = &imported.roster.attendees[0];
//! assert_eq!((ana.given_name.as_str(), ana.family_name.as_str()), ("Ana", "Ruiz Gallardo"));
//! assert_eq!(ana.email, "ana@ejemplo.org");
//! assert_eq!(ana.source.to_string(), "inscripciones.csv:2");
//! ```

mod answers;
mod attendance;
mod cfb;
mod dedup;
mod delimited;
mod error;
mod field;
mod forgotten;
mod headers;
mod import;
mod mapping;
mod minutes;
mod normalise;
mod report;
mod roster_io;
mod rows;
mod table;
mod vocabulary;
mod workbook;

#[cfg(feature = "bench")]
pub mod synthetic;

pub use error::Error;
pub use field::Field;
pub use forgotten::Forgotten;
#[cfg(feature = "bench")]
pub use import::stages;
pub use import::{ImportOptions, Imported, Input, import, import_sessions};
pub use report::{FileReport, ImportReport};
pub use roster_io::{
    RosterFormat, read_roster, write_roster_csv, write_roster_csv_to, write_roster_json,
    write_roster_xlsx,
};
pub use workbook::FileFormat;
