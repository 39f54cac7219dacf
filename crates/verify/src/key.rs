//! The organiser's signing key: one Ed25519 key, kept in a small text file
//! outside every output folder.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::{Signer, SigningKey};
use sha2::{Digest, Sha256};

use crate::VerifyError;

const HEADER: &str = "# taller signing key (Ed25519): it signs your certificates.\n\
# Keep it secret (never publish or email it) and back it up: without it you\n\
# cannot revoke certificates or publish the verification site again, and a\n\
# new key makes the certificates issued so far unverifiable.\n";
const PREFIX: &str = "ed25519-secret-key: ";

/// An organiser's key.
pub struct OrganiserKey {
    signing: SigningKey,
}

impl std::fmt::Debug for OrganiserKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the secret, even in a debug print.
        write!(f, "OrganiserKey({})", self.public_base64())
    }
}

impl OrganiserKey {
    /// A new key from the system's random source.
    pub fn generate() -> Result<OrganiserKey, VerifyError> {
        let mut seed = [0u8; 32];
        getrandom::getrandom(&mut seed).map_err(|err| VerifyError::Random(err.to_string()))?;
        Ok(OrganiserKey {
            signing: SigningKey::from_bytes(&seed),
        })
    }

    /// The key file's text: a comment saying what it is, then the secret.
    pub fn to_file_text(&self) -> String {
        format!(
            "{HEADER}{PREFIX}{}\n",
            STANDARD.encode(self.signing.to_bytes())
        )
    }

    /// Reads a key file's text; `file` names it in errors.
    pub fn from_file_text(text: &str, file: &str) -> Result<OrganiserKey, VerifyError> {
        let error = |why: &str| VerifyError::Key {
            file: file.to_owned(),
            why: why.to_owned(),
        };
        let line = text
            .lines()
            .find_map(|line| line.trim().strip_prefix(PREFIX.trim_end()))
            .ok_or_else(|| error("it has no `ed25519-secret-key:` line"))?;
        let bytes = STANDARD
            .decode(line.trim())
            .map_err(|_| error("its secret is not base64"))?;
        let seed: [u8; 32] = bytes
            .try_into()
            .map_err(|_| error("its secret is not 32 bytes long"))?;
        Ok(OrganiserKey {
            signing: SigningKey::from_bytes(&seed),
        })
    }

    /// The public key, base64: what the page and `taller verify` check with.
    pub fn public_base64(&self) -> String {
        STANDARD.encode(self.signing.verifying_key().to_bytes())
    }

    /// A signature over `bytes`, base64.
    pub fn sign_base64(&self, bytes: &[u8]) -> String {
        STANDARD.encode(self.signing.sign(bytes).to_bytes())
    }

    /// The secret that certificate tokens are derived from (see
    /// `taller_model::verify_token`): derived from the key, so that a token
    /// never reveals the key and the same certificate always gets the same
    /// token.
    pub fn token_secret(&self) -> [u8; 32] {
        let mut hasher = Sha256::new();
        hasher.update(b"taller token secret\0");
        hasher.update(self.signing.to_bytes());
        hasher.finalize().into()
    }
}

/// A public key (base64) as people compare it: the first 16 bytes of its
/// SHA-256 in groups of four hex digits, as the page shows it.
pub fn fingerprint(public_base64: &str) -> String {
    let bytes = STANDARD.decode(public_base64).unwrap_or_default();
    // The first 16 bytes of the digest are its first 32 hex digits.
    let hex = taller_model::sha256_hex(&bytes);
    hex.as_bytes()[..32]
        .chunks(4)
        .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_reads_back_and_a_damaged_file_says_why() {
        let key = OrganiserKey::generate().expect("random");
        let text = key.to_file_text();
        let again = OrganiserKey::from_file_text(&text, "k").expect("reads back");
        assert_eq!(key.public_base64(), again.public_base64());
        assert_eq!(key.token_secret(), again.token_secret());
        assert!(!format!("{key:?}").contains(text.lines().last().unwrap_or("x")));
        let short = text.replace(PREFIX, &format!("{PREFIX}AAAA"));
        let err = OrganiserKey::from_file_text(&short, "key.txt").expect_err("damaged");
        assert!(err.to_string().contains("key.txt"), "{err}");
        let err = OrganiserKey::from_file_text("hello", "key.txt").expect_err("not a key");
        assert!(err.to_string().contains("ed25519-secret-key"), "{err}");
    }
}
