//! The shared vocabulary of taller: who attends ([`Attendee`], [`Roster`]),
//! what the workshop is ([`Workshop`]), how certificates are named
//! ([`CertificateId`], [`CertificateManifest`]) and what went wrong
//! ([`Problem`]).
//!
//! This crate does no I/O: it parses and prints values, and every other crate
//! speaks in its types.
//!
//! ```
//! use taller_model::{AttendeeId, CertificateId};
//! let id = AttendeeId::from_email("ana@ejemplo.org");
//! let cert = CertificateId::derive("mad-2016-01", &id, 0);
//! assert!(cert.as_str().starts_with("MAD16-"));
//! ```

mod attendee;
mod context;
mod date;
mod error;
mod fold;
mod ids;
mod language;
mod manifest;
mod problem;
mod programme;
mod pseudonym;
mod retention;
mod roster;
mod text;
mod workshop;

pub use attendee::{AgeBand, Answer, Attendee, Gender, Sources, parse_minutes};
pub use context::{AttendeeContext, CertificateContext, WorkshopContext, duration, hours_number};
pub use date::{Date, DateSpan};
pub use error::ModelError;
pub use fold::fold;
pub use ids::{AttendeeId, CertificateId};
pub use language::Language;
pub use manifest::{
    CertificateManifest, ManifestEntry, ManifestSignature, ManifestWorkshop, Revocation, sha256_hex,
};
pub use problem::{Place, Problem, ProblemKind, Severity};
pub use programme::{MergeToCheck, People, Programme, ProgrammeInfo};
pub use pseudonym::Salt;
pub use retention::{Retention, RetentionUnit};
pub use roster::{ConsentCounts, REQUIRED_ROSTER_COLUMNS, ROSTER_COLUMNS, Roster};
pub use text::{escape_markup, file_stem, shorten, slug};
pub use workshop::{
    CertificateSettings, FollowupSettings, HandoutSettings, MinAttendance, PaperSize,
    RegistrationSettings, Workshop, WorkshopInfo,
};
pub use workshop::{DEFAULT_SIGNING_KEY, verify_token};
