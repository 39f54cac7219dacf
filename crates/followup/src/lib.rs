//! Follow-up emails for taller: Handlebars templates rendered for every
//! attendee into standard MIME messages (`.eml` or mbox) for review, and an
//! SMTP sender that delivers each reviewed message exactly once across
//! reruns, thanks to an append-only send log.
//!
//! This crate reads its inputs (templates, certificates, attachments) and
//! keeps the send log; writing the outbox is the caller's job, so that it
//! can be written atomically.
//!
//! ```
//! use taller_followup::{Audience, Followup, Settings};
//! use taller_model::{Answer, Attendee, AttendeeId, Roster, Workshop};
//!
//! let dir = tempfile::tempdir()?;
//! std::fs::write(
//!     dir.path().join("followup.es.hbs"),
//!     "Subject: Gracias, {{attendee.given_name}}\n\nNos vimos el {{workshop.date}}.\n",
//! )?;
//! let workshop = Workshop::from_toml(
//!     "[workshop]\nid = \"mad-2016-01\"\ntitle = \"Taller\"\ncity = \"Madrid\"\ndate = 2016-01-27\n",
//! )?;
//! let roster = Roster::new(vec![Attendee {
//!     id: AttendeeId::from_email("ana@ejemplo.org"),
//!     given_name: "Ana".into(),
//!     email: "ana@ejemplo.org".into(),
//!     attended: Answer::Yes,
//!     ..Attendee::default()
//! }]);
//! let settings = Settings {
//!     template: dir.path().join("followup"),
//!     from: Some("Equipo ONG <ong@example.org>".into()),
//!     reply_to: None,
//!     attach_certificate: false,
//!     attach: Vec::new(),
//!     certificates: dir.path().join("certificates"),
//!     audience: Audience::All,
//!     roster_name: "roster.csv".into(),
//! };
//! let followup = Followup::prepare(&workshop, &roster, settings)?;
//! let message = followup.message(0)?;
//! assert_eq!(message.file_name, format!("{}-ana.eml", roster.attendees[0].id));
//! assert!(String::from_utf8(message.bytes)?.contains("Nos vimos el 27 de enero de 2016."));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod clock;
mod context;
mod error;
pub mod mime;
mod outbox;
pub mod sendlog;
mod smtp;
mod template;

pub use clock::{asctime_now, utc_now};
pub use error::Error;
pub use outbox::{Audience, Followup, FollowupSummary, OutboxMessage, Settings};
pub use smtp::{Item, Security, SendOptions, SendReport, SmtpSettings, outbox_files, send_outbox};
pub use template::{Kind, Rendered, Templates};
