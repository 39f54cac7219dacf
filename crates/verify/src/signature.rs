//! Signing `certificates.json` and checking its signature.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::{Signature, VerifyingKey};
use taller_model::{CertificateManifest, ManifestSignature};

use crate::OrganiserKey;

/// Signs the manifest (replacing any signature); `key_file` says where the
/// key is, to sign again later.
pub fn sign(manifest: &mut CertificateManifest, key: &OrganiserKey, key_file: &str) {
    let value = key.sign_base64(&manifest.signed_bytes());
    manifest.signature = Some(ManifestSignature {
        algorithm: "ed25519".to_owned(),
        public_key: key.public_base64(),
        value,
        key_file: key_file.to_owned(),
    });
}

/// What a manifest's signature says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureCheck {
    /// Signed by this public key (base64), and unchanged since.
    Valid(String),
    /// No signature (written by an older taller).
    Unsigned,
    /// Signed, but the content or the signature has changed since.
    Invalid,
}

/// Checks the manifest's signature against the public key it names. Who
/// that key belongs to is for the caller to compare (the page has the
/// organiser's key built in).
pub fn check_signature(manifest: &CertificateManifest) -> SignatureCheck {
    let Some(signature) = &manifest.signature else {
        return SignatureCheck::Unsigned;
    };
    let parsed = (|| {
        if signature.algorithm != "ed25519" {
            return None;
        }
        let public: [u8; 32] = STANDARD
            .decode(&signature.public_key)
            .ok()?
            .try_into()
            .ok()?;
        let value: [u8; 64] = STANDARD.decode(&signature.value).ok()?.try_into().ok()?;
        let key = VerifyingKey::from_bytes(&public).ok()?;
        key.verify_strict(&manifest.signed_bytes(), &Signature::from_bytes(&value))
            .ok()
    })();
    match parsed {
        Some(()) => SignatureCheck::Valid(signature.public_key.clone()),
        None => SignatureCheck::Invalid,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use taller_model::{AttendeeId, CertificateId, ManifestEntry};

    fn manifest() -> CertificateManifest {
        let attendee = AttendeeId::from_email("ana@example.org");
        CertificateManifest {
            workshop_id: "mad-2016-01".to_owned(),
            workshop: None,
            certificates: vec![ManifestEntry {
                certificate_id: CertificateId::derive("mad-2016-01", &attendee, 0),
                attendee_id: attendee,
                name: "Ana Ruiz".to_owned(),
                email: "ana@example.org".to_owned(),
                file: "ana.pdf".to_owned(),
                sha256: "00".to_owned(),
                language: "es".to_owned(),
                url: None,
                revoked: None,
                name_key: None,
            }],
            signature: None,
        }
    }

    #[test]
    fn signed_reformatted_changed_and_unsigned() {
        let key = OrganiserKey::generate().expect("random");
        let mut signed = manifest();
        assert_eq!(check_signature(&signed), SignatureCheck::Unsigned);
        sign(&mut signed, &key, "/k");
        assert_eq!(
            check_signature(&signed),
            SignatureCheck::Valid(key.public_base64())
        );
        let pretty = serde_json::to_string_pretty(&signed).expect("json");
        let value: serde_json::Value = serde_json::from_str(&pretty).expect("json");
        let compact = serde_json::to_string(&value).expect("json");
        let reread: CertificateManifest = serde_json::from_str(&compact).expect("manifest");
        assert!(matches!(check_signature(&reread), SignatureCheck::Valid(_)));
        let mut changed = signed.clone();
        changed.certificates[0].sha256 = "01".to_owned();
        assert_eq!(check_signature(&changed), SignatureCheck::Invalid);
        let mut other_key = signed.clone();
        other_key.signature.as_mut().expect("signed").public_key =
            OrganiserKey::generate().expect("random").public_base64();
        assert_eq!(check_signature(&other_key), SignatureCheck::Invalid);
    }
}
