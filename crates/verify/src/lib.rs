//! Certificates anyone can verify: the organiser's Ed25519 key, the signed
//! `certificates.json`, and the static verification site that `taller
//! site` publishes. No I/O: the binary reads and writes the files.

mod error;
mod key;
mod signature;
mod site;

pub use error::VerifyError;
pub use key::{OrganiserKey, fingerprint};
pub use signature::{SignatureCheck, check_signature, sign};
pub use site::{SITE_ITERATIONS, SiteFile, build_site, lookup_secrets, name_key, normalise_name};
