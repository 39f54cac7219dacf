//! Certificates of attendance: a layout file (TOML: boxes, faces, colours,
//! Handlebars texts per language) applied to each attendee.
//!
//! The shipped layout is `assets/layouts/default.toml` ([`Layout::default_layout`]);
//! its comments document every key. Names always fit their box: the text is
//! shrunk, then wrapped, and never leaves the box.

mod fixed_texts;
mod layout;
mod maker;
mod merged;

pub use layout::Layout;
pub use maker::{CertificateImages, CertificateMaker, Recipient};
pub use merged::CertificateDocument;
