//! The static verification site: `index.html`, its script and style, and
//! the signed data, in which every certificate is three encrypted entries
//! that only someone holding the certificate can find and open:
//! - by the address in its QR code (the id and a 128-bit token);
//! - by the id and the name as printed, typed in (stretched with PBKDF2,
//!   since ids are short enough to try them all);
//! - by the PDF itself (its SHA-256).
//!
//! An entry is `[tag, iv, ciphertext]`: from a lookup secret L, the tag is
//! the first 16 bytes of SHA-256("tag\0" ‖ L) and the AES-256-GCM key
//! SHA-256("key\0" ‖ L). The page (`assets/site/site.js`) derives the same
//! with WebCrypto; the whole data is signed with the organiser's key, whose
//! public half is written into `index.html`.

use aes_gcm::aead::Aead;
use aes_gcm::{Aes256Gcm, KeyInit, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};
use taller_model::{CertificateManifest, ManifestEntry, verify_token};
use unicode_normalization::UnicodeNormalization;

use crate::signature::{SignatureCheck, check_signature};
use crate::{OrganiserKey, VerifyError};

/// PBKDF2-HMAC-SHA-256 iterations for the typed id and name: quick enough
/// for one look-up in a browser, and that cost times a billion ids for
/// whoever tries them all.
pub const SITE_ITERATIONS: u32 = 100_000;

const INDEX: &str = include_str!("../../../assets/site/index.html");
const SCRIPT: &str = include_str!("../../../assets/site/site.js");
const STYLE: &str = include_str!("../../../assets/site/site.css");
const NACL: &str = include_str!("../../../assets/site/nacl.min.js");
const NACL_LICENCE: &str = include_str!("../../../assets/site/LICENSE-tweetnacl.txt");

/// One file of the site.
#[derive(Debug, Clone)]
pub struct SiteFile {
    /// Its name in the site's folder.
    pub name: &'static str,
    /// Its content.
    pub bytes: Vec<u8>,
}

/// A name as the lookup uses it: lower case, NFC, spaces collapsed, so that
/// "ana  RUIZ" typed finds "Ana Ruiz". The page does the same.
pub fn normalise_name(name: &str) -> String {
    let spaced = name.split_whitespace().collect::<Vec<_>>().join(" ");
    spaced.to_lowercase().nfc().collect()
}

/// What the typed lookup needs of a name: a hash of the certificate's id
/// and the name as printed (normalised), lower-case hex. A manifest keeps
/// it in place of the name of a person who asked to be forgotten, so the
/// id and the name they type still open their entry. The page hashes what
/// is typed the same way.
pub fn name_key(id: &str, name: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(
        format!(
            "taller-name\0{}\0{}",
            id.trim().to_ascii_uppercase(),
            normalise_name(name)
        )
        .as_bytes(),
    );
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The three lookup secrets of a certificate: by QR token, by typed id and
/// name, by the PDF's SHA-256 (lower-case hex).
pub fn lookup_secrets(
    id: &str,
    token: &str,
    name: &str,
    sha256: &str,
    salt: &[u8],
    iterations: u32,
) -> [[u8; 32]; 3] {
    let key = name_key(id, name);
    keyed_lookup_secrets(id, token, &key, sha256, salt, iterations)
}

/// [`lookup_secrets`] with the name already made into its [`name_key`].
fn keyed_lookup_secrets(
    id: &str,
    token: &str,
    name_key: &str,
    sha256: &str,
    salt: &[u8],
    iterations: u32,
) -> [[u8; 32]; 3] {
    let mut qr = Sha256::new();
    qr.update(format!("taller-qr\0{id}\0{token}").as_bytes());
    let password = format!("{}\0{name_key}", id.trim().to_ascii_uppercase());
    let mut typed = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<Sha256>(password.as_bytes(), salt, iterations, &mut typed);
    let mut pdf = Sha256::new();
    pdf.update(format!("taller-pdf\0{}", sha256.to_ascii_lowercase()).as_bytes());
    [qr.finalize().into(), typed, pdf.finalize().into()]
}

fn labelled(label: &[u8], secret: &[u8; 32]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(label);
    hasher.update(secret);
    hasher.finalize().into()
}

/// What an entry decrypts to: what the page shows.
#[derive(Debug, Serialize)]
struct Record<'a> {
    id: &'a str,
    name: &'a str,
    title: &'a str,
    date: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    hours: Option<f64>,
    organiser: &'a str,
    language: &'a str,
    sha256: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    revoked: Option<&'a taller_model::Revocation>,
}

#[derive(Debug, Serialize)]
struct Payload {
    format: &'static str,
    made: String,
    public_key: String,
    kdf: Kdf,
    entries: Vec<[String; 3]>,
}

#[derive(Debug, Serialize)]
struct Kdf {
    name: &'static str,
    iterations: u32,
    salt: String,
}

#[derive(Debug, Serialize)]
struct SignedData {
    payload: String,
    signature: String,
}

/// Builds the site for `manifests` (each named for errors, e.g. by its
/// path), signed with `key`; `made` is the day, ISO. Every manifest must
/// carry a valid signature by `key`: a manifest edited by hand, or issued
/// by another organiser, is refused.
pub fn build_site(
    manifests: &[(String, CertificateManifest)],
    key: &OrganiserKey,
    made: &str,
    iterations: u32,
) -> Result<Vec<SiteFile>, VerifyError> {
    let public = key.public_base64();
    for (label, manifest) in manifests {
        match check_signature(manifest) {
            SignatureCheck::Valid(signer) if signer == public => {}
            SignatureCheck::Valid(_) => {
                return Err(VerifyError::Manifest(format!(
                    "{label} is signed by another key than this one: one site per organiser's key"
                )));
            }
            SignatureCheck::Unsigned => {
                return Err(VerifyError::Manifest(format!(
                    "{label} is not signed: make the certificates again with this version of taller"
                )));
            }
            SignatureCheck::Invalid => {
                return Err(VerifyError::Manifest(format!(
                    "{label} has been changed since it was signed (its signature does not match): make the certificates again"
                )));
            }
        }
        if manifest.workshop.is_none() {
            return Err(VerifyError::Manifest(format!(
                "{label} does not say what the workshop was: make the certificates again with this version of taller"
            )));
        }
    }
    let mut salt = [0u8; 16];
    getrandom::getrandom(&mut salt).map_err(|err| VerifyError::Random(err.to_string()))?;
    let secret = key.token_secret();
    let all: Vec<(&CertificateManifest, &ManifestEntry)> = manifests
        .iter()
        .flat_map(|(_, m)| m.certificates.iter().map(move |e| (m, e)))
        .collect();
    let mut entries = all
        .par_iter()
        .map(
            |(manifest, entry)| -> Result<Vec<[String; 3]>, VerifyError> {
                let workshop = manifest.workshop.clone().unwrap_or_default();
                let id = entry.certificate_id.as_str();
                let language = if entry.language.is_empty() {
                    workshop.language.as_str()
                } else {
                    entry.language.as_str()
                };
                let record = Record {
                    id,
                    name: &entry.name,
                    title: &workshop.title,
                    date: &workshop.date,
                    hours: workshop.hours,
                    organiser: &workshop.organiser,
                    language,
                    sha256: &entry.sha256,
                    revoked: entry.revoked.as_ref(),
                };
                let plain = serde_json::to_vec(&record).map_err(|_| VerifyError::Encrypt)?;
                let token = verify_token(&secret, id);
                let name = entry
                    .name_key
                    .clone()
                    .unwrap_or_else(|| name_key(id, &entry.name));
                keyed_lookup_secrets(id, &token, &name, &entry.sha256, &salt, iterations)
                    .iter()
                    .map(|lookup| seal(lookup, &plain))
                    .collect()
            },
        )
        .collect::<Result<Vec<_>, _>>()?
        .concat();
    // In tag order, which says nothing about the certificates' order.
    entries.sort();
    let payload = Payload {
        format: "taller-site-1",
        made: made.to_owned(),
        public_key: public.clone(),
        kdf: Kdf {
            name: "PBKDF2-SHA-256",
            iterations,
            salt: STANDARD.encode(salt),
        },
        entries,
    };
    let payload = serde_json::to_vec(&payload).map_err(|_| VerifyError::Encrypt)?;
    let data = SignedData {
        signature: key.sign_base64(&payload),
        payload: STANDARD.encode(&payload),
    };
    let data = serde_json::to_string(&data).map_err(|_| VerifyError::Encrypt)?;
    let language = manifests
        .first()
        .and_then(|(_, m)| m.workshop.as_ref())
        .map_or("en", |w| if w.language == "es" { "es" } else { "en" });
    let index = INDEX
        .replace("{{public_key}}", &public)
        .replace("{{language}}", language);
    Ok(vec![
        SiteFile {
            name: "index.html",
            bytes: index.into_bytes(),
        },
        SiteFile {
            name: "site.js",
            bytes: SCRIPT.as_bytes().to_vec(),
        },
        SiteFile {
            name: "site.css",
            bytes: STYLE.as_bytes().to_vec(),
        },
        SiteFile {
            name: "nacl.min.js",
            bytes: NACL.as_bytes().to_vec(),
        },
        SiteFile {
            name: "LICENSE-tweetnacl.txt",
            bytes: NACL_LICENCE.as_bytes().to_vec(),
        },
        SiteFile {
            name: "data.js",
            bytes: format!("window.tallerSiteData = {data};\n").into_bytes(),
        },
    ])
}

/// One entry: its tag, a fresh IV, and `plain` encrypted under the key of
/// `lookup`.
fn seal(lookup: &[u8; 32], plain: &[u8]) -> Result<[String; 3], VerifyError> {
    let tag = labelled(b"tag\0", lookup);
    let key = labelled(b"key\0", lookup);
    let mut iv = [0u8; 12];
    getrandom::getrandom(&mut iv).map_err(|err| VerifyError::Random(err.to_string()))?;
    let cipher = Aes256Gcm::new_from_slice(&key).map_err(|_| VerifyError::Encrypt)?;
    let sealed = cipher
        .encrypt(Nonce::from_slice(&iv), plain)
        .map_err(|_| VerifyError::Encrypt)?;
    Ok([
        STANDARD.encode(&tag[..16]),
        STANDARD.encode(iv),
        STANDARD.encode(sealed),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_compared_as_a_person_reads_them() {
        assert_eq!(normalise_name("  ana   RUIZ "), "ana ruiz");
        assert_eq!(normalise_name("Jose\u{301}"), normalise_name("JOSÉ"));
        assert_eq!(normalise_name("ΟΔΥΣΣΕΑΣ"), "οδυσσεα\u{3c2}");
    }

    #[test]
    fn each_way_in_has_its_own_secret() {
        let [qr, typed, pdf] = lookup_secrets("MAD16-7K3QX2", "T", "Ana", "ab", b"salt", 10);
        assert!(qr != typed && typed != pdf && qr != pdf);
        let again = lookup_secrets("mad16-7k3qx2 ", "T", "ANA", "AB", b"salt", 10);
        assert_eq!(again[1], typed);
        assert_eq!(again[2], pdf);
        let other_salt = lookup_secrets("MAD16-7K3QX2", "T", "Ana", "ab", b"pepper", 10);
        assert_ne!(other_salt[1], typed);
    }
}
