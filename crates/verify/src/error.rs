/// What can go wrong with keys, signatures and the site.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// The key file is not one taller wrote.
    #[error("{file} is not a taller signing key: {why}")]
    Key {
        /// The key file, as the user named it.
        file: String,
        /// What is wrong with it.
        why: String,
    },
    /// The system could not give random bytes.
    #[error("cannot get random bytes from the system: {0}")]
    Random(String),
    /// A manifest is not signed by the key it is to be published with.
    #[error("{0}")]
    Manifest(String),
    /// Encrypting an entry failed.
    #[error("cannot encrypt an entry of the site")]
    Encrypt,
}
