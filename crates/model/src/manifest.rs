use serde::{Deserialize, Serialize};

use crate::{AttendeeId, CertificateId};

/// `certificates.json`: what was issued, so a certificate can be verified
/// later and attached to the right email.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateManifest {
    /// The workshop's id.
    pub workshop_id: String,
    /// One entry per issued certificate.
    pub certificates: Vec<ManifestEntry>,
}

/// One issued certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestEntry {
    /// The certificate's id.
    pub certificate_id: CertificateId,
    /// The attendee it was issued to.
    pub attendee_id: AttendeeId,
    /// The name printed on it.
    pub name: String,
    /// The attendee's email.
    pub email: String,
    /// File name, relative to the manifest's folder.
    pub file: String,
    /// SHA-256 of the file, lower-case hex.
    pub sha256: String,
}

impl CertificateManifest {
    /// The entry for an attendee, if a certificate was issued to them.
    pub fn for_attendee(&self, attendee: &AttendeeId) -> Option<&ManifestEntry> {
        self.certificates
            .iter()
            .find(|entry| &entry.attendee_id == attendee)
    }

    /// The entry whose file has this SHA-256, if any.
    pub fn by_sha256(&self, sha256: &str) -> Option<&ManifestEntry> {
        self.certificates
            .iter()
            .find(|entry| entry.sha256.eq_ignore_ascii_case(sha256))
    }
}
