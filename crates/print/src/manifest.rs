//! Checking a certificate file against the `certificates.json` manifest
//! written when it was issued.

use taller_model::{CertificateManifest, ManifestEntry, sha256_hex};

/// What the manifest says about a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict<'a> {
    /// Issued by us and untouched.
    Valid(&'a ManifestEntry),
    /// A file of that name was issued, but its content has changed since.
    Modified(&'a ManifestEntry),
    /// Not a certificate in this manifest.
    Unknown,
}

/// Checks a file (its name, without folders, and content) against the
/// manifest. The content decides: a renamed, untouched certificate is still
/// valid; a changed one is reported as modified when its name is known.
pub fn verify<'a>(manifest: &'a CertificateManifest, file_name: &str, bytes: &[u8]) -> Verdict<'a> {
    let digest = sha256_hex(bytes);
    if let Some(entry) = manifest.by_sha256(&digest) {
        return Verdict::Valid(entry);
    }
    manifest
        .certificates
        .iter()
        .find(|entry| entry.file == file_name)
        .map_or(Verdict::Unknown, Verdict::Modified)
}

#[cfg(test)]
mod tests {
    use super::*;
    use taller_model::{AttendeeId, CertificateId};

    fn manifest(bytes: &[u8]) -> CertificateManifest {
        let attendee = AttendeeId::from_email("ana@example.org");
        CertificateManifest {
            workshop_id: "mad-2016-01".to_owned(),
            workshop: None,
            signature: None,
            certificates: vec![ManifestEntry {
                certificate_id: CertificateId::derive("mad-2016-01", &attendee, 0),
                attendee_id: attendee,
                name: "Ana Ruiz".to_owned(),
                email: "ana@example.org".to_owned(),
                file: "ana.pdf".to_owned(),
                sha256: sha256_hex(bytes),
                language: "es".to_owned(),
                url: None,
                revoked: None,
                name_key: None,
            }],
        }
    }

    #[test]
    fn untouched_renamed_modified_and_foreign_files() {
        let original = b"%PDF-1.7 certificate".to_vec();
        let manifest = manifest(&original);
        assert!(
            matches!(verify(&manifest, "ana.pdf", &original), Verdict::Valid(e) if e.name == "Ana Ruiz")
        );
        assert!(matches!(
            verify(&manifest, "renamed.pdf", &original),
            Verdict::Valid(_)
        ));
        let mut changed = original.clone();
        changed[10] ^= 1;
        assert!(matches!(
            verify(&manifest, "ana.pdf", &changed),
            Verdict::Modified(_)
        ));
        assert_eq!(verify(&manifest, "other.pdf", &changed), Verdict::Unknown);
    }
}
