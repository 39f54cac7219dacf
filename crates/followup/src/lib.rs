//! Follow-up emails for taller: Handlebars templates rendered for every
//! attendee into standard MIME messages (`.eml` or mbox) for review, and an
//! SMTP sender that delivers each reviewed message exactly once across
//! reruns, thanks to an append-only send log.
//!
//! This crate reads its inputs (templates, certificates, attachments) and
//! keeps the send log; writing the outbox is the caller's job, so that it
//! can be written atomically.

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
