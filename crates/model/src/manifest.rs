use serde::{Deserialize, Serialize};

use crate::{AttendeeId, CertificateId};

/// `certificates.json`: what was issued, so a certificate can be verified
/// later and attached to the right email. Signed by the organiser's key
/// (`signature`) over a canonical form of everything else, so a file
/// reformatted by an editor still verifies and a changed value does not.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificateManifest {
    /// The workshop's id.
    pub workshop_id: String,
    /// What the verification page shows of the workshop (absent in
    /// manifests written before taller signed them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workshop: Option<ManifestWorkshop>,
    /// One entry per issued certificate.
    pub certificates: Vec<ManifestEntry>,
    /// The organiser's signature; absent in manifests written before taller
    /// signed them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<ManifestSignature>,
}

/// The workshop as a valid certificate's verdict shows it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestWorkshop {
    /// Its title.
    pub title: String,
    /// Its days, ISO (`2016-01-27`, or `2016-01-27/2016-01-28`).
    pub date: String,
    /// Hours printed on certificates, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<f64>,
    /// Who organised it.
    pub organiser: String,
    /// The workshop's default language.
    pub language: String,
}

/// One issued certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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
    /// The language it is written in.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub language: String,
    /// The address its QR code leads to, when the workshop has a
    /// verification site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Set by `taller revoke`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked: Option<Revocation>,
    /// Set by `taller forget`, which empties `name`, `email` and `file`:
    /// the hash of the id and the name as printed that the verification
    /// site's typed lookup needs (`taller_verify::name_key`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_key: Option<String>,
}

/// Why and when a certificate was withdrawn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Revocation {
    /// The reason, as the organiser gave it (shown on the verification page).
    pub reason: String,
    /// The day it was revoked, ISO.
    pub date: String,
}

/// An Ed25519 signature over [`CertificateManifest::signed_bytes`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestSignature {
    /// Always `ed25519`.
    pub algorithm: String,
    /// The organiser's public key, base64 (32 bytes).
    pub public_key: String,
    /// The signature, base64 (64 bytes).
    pub value: String,
    /// Where the private key was, to sign again (`taller revoke`, `taller
    /// site`); not signed, since a moved key signs the same.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub key_file: String,
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

    /// What the signature covers: the manifest without its signature, as
    /// compact JSON with the fields in a fixed order, after a line naming
    /// the format. Parsing then writing again gives the same bytes whatever
    /// the file's spacing, so only a change of value breaks the signature.
    pub fn signed_bytes(&self) -> Vec<u8> {
        let unsigned = CertificateManifest {
            signature: None,
            ..self.clone()
        };
        let mut bytes = b"taller certificates manifest v1\n".to_vec();
        // Serialising plain structs, strings and numbers cannot fail.
        bytes.extend(serde_json::to_vec(&unsigned).unwrap_or_default());
        bytes
    }
}

/// SHA-256 of a file's bytes, lower-case hex, as [`ManifestEntry::sha256`]
/// records it. The one place it is computed, so the certificate that print
/// records, the one followup attaches and the one verify publishes are
/// compared the same way.
///
/// ```
/// assert_eq!(
///     taller_model::sha256_hex(b"abc"),
///     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
/// );
/// ```
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    use std::fmt::Write;
    let mut hex = String::with_capacity(64);
    for byte in Sha256::digest(bytes) {
        // Writing to a String cannot fail.
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_bytes_ignore_formatting_and_the_signature() {
        let text = r#"{"workshop_id":"mad-2016-01","certificates":[{"certificate_id":"MAD16-7K3QX2","attendee_id":"ana","name":"Ana Ruiz","email":"ana@example.org","file":"a.pdf","sha256":"00"}]}"#;
        let compact: CertificateManifest = serde_json::from_str(text).expect("parses");
        let value: serde_json::Value = serde_json::from_str(text).expect("json");
        let pretty = serde_json::to_string_pretty(&value).expect("pretty");
        let mut reformatted: CertificateManifest = serde_json::from_str(&pretty).expect("parses");
        assert_eq!(compact.signed_bytes(), reformatted.signed_bytes());
        reformatted.signature = Some(ManifestSignature {
            algorithm: "ed25519".to_owned(),
            public_key: "k".to_owned(),
            value: "v".to_owned(),
            key_file: String::new(),
        });
        assert_eq!(compact.signed_bytes(), reformatted.signed_bytes());
        reformatted.certificates[0].name = "Ana Ruíz".to_owned();
        assert_ne!(compact.signed_bytes(), reformatted.signed_bytes());
    }

    #[test]
    fn an_added_field_is_refused_not_ignored() {
        let text = r#"{"workshop_id":"w","certificates":[],"extra":1}"#;
        assert!(serde_json::from_str::<CertificateManifest>(text).is_err());
    }
}
