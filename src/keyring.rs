//! The service's verdict keys on disk.
//!
//! A key ring is a text file, mode 0600, with one private key per line (the
//! `PRIVATE+KEY+bonafide+ed25519+...` form) and `#` comments. The last key signs; the ones before
//! it are retired and stay published at `/.well-known/jwks.json`, so verdicts signed with them
//! still verify. The service creates the ring with one key on first start; `bonafide keys rotate`
//! adds a key. Several replicas share one ring through configuration.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::crypto::{KeyId, SigningKey, VerifyingKey};

/// The key ring's file name in the data directory, unless configured elsewhere.
pub const KEYRING_FILE: &str = "verdict-keys";

/// The key ring's path for a data directory.
pub fn default_path(data_dir: &Path) -> PathBuf {
    data_dir.join(KEYRING_FILE)
}

/// Why the key ring could not be used.
#[derive(Debug, thiserror::Error)]
pub enum KeyringError {
    /// The file could not be read or written.
    #[error("key ring {path}: {cause}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        cause: std::io::Error,
    },
    /// A line is not a private key.
    #[error("key ring {path}, line {line}: {cause}")]
    Malformed {
        /// The file.
        path: PathBuf,
        /// The line, from 1.
        line: usize,
        /// Why.
        cause: String,
    },
    /// The file holds no key.
    #[error("key ring {0} holds no key")]
    Empty(PathBuf),
    /// The file is readable by others.
    #[error("key ring {path} is readable by others (mode {mode:o}); run chmod 600 on it")]
    Permissions {
        /// The file.
        path: PathBuf,
        /// Its mode.
        mode: u32,
    },
}

/// The keys: the current signing key and every key, current and retired, to publish.
#[derive(Debug)]
pub struct Keyring {
    keys: Vec<SigningKey>,
}

impl Keyring {
    /// The key that signs new verdicts.
    pub fn current(&self) -> &SigningKey {
        // A ring is never empty: `read` refuses an empty file.
        &self.keys[self.keys.len() - 1]
    }

    /// Every key, oldest first, as public keys.
    pub fn published(&self) -> Vec<VerifyingKey> {
        self.keys.iter().map(SigningKey::verifying_key).collect()
    }

    /// The key ids, oldest first.
    pub fn ids(&self) -> Vec<KeyId> {
        self.keys.iter().map(|k| k.id().clone()).collect()
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> KeyringError + '_ {
    move |cause| KeyringError::Io {
        path: path.to_owned(),
        cause,
    }
}

/// Reads the ring at `path`.
pub fn read(path: &Path) -> Result<Keyring, KeyringError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(path)
            .map_err(io(path))?
            .permissions()
            .mode()
            & 0o777;
        if mode & 0o077 != 0 {
            return Err(KeyringError::Permissions {
                path: path.to_owned(),
                mode,
            });
        }
    }
    let text = std::fs::read_to_string(path).map_err(io(path))?;
    let mut keys = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let key = SigningKey::from_private_text(line).map_err(|e| KeyringError::Malformed {
            path: path.to_owned(),
            line: i + 1,
            cause: e.to_string(),
        })?;
        keys.push(key);
    }
    if keys.is_empty() {
        return Err(KeyringError::Empty(path.to_owned()));
    }
    Ok(Keyring { keys })
}

/// Reads the ring at `path`, creating it with one new key if the file does not exist.
pub fn load_or_create<R: rand::CryptoRng + ?Sized>(
    path: &Path,
    rng: &mut R,
) -> Result<Keyring, KeyringError> {
    if !path.exists() {
        let key = SigningKey::generate(rng);
        write(path, &[key])?;
    }
    read(path)
}

/// Adds a new key to the ring at `path` (creating it if needed); the new key signs from the next
/// start, the others stay published. Returns the new key's id.
pub fn rotate<R: rand::CryptoRng + ?Sized>(
    path: &Path,
    rng: &mut R,
) -> Result<KeyId, KeyringError> {
    let mut keys = if path.exists() {
        read(path)?.keys
    } else {
        Vec::new()
    };
    let key = SigningKey::generate(rng);
    let id = key.id().clone();
    keys.push(key);
    write(path, &keys)?;
    Ok(id)
}

/// Writes the ring through a temporary file renamed into place, so a crash leaves either the old
/// ring or the new one, never half of one.
fn write(path: &Path, keys: &[SigningKey]) -> Result<(), KeyringError> {
    let mut text = String::from(
        "# bonafide verdict keys: the last line signs, earlier lines are retired but published.\n",
    );
    for key in keys {
        text.push_str(&key.to_private_text());
        text.push('\n');
    }
    let tmp = path.with_extension("tmp");
    let _ = std::fs::remove_file(&tmp);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options.open(&tmp).map_err(io(&tmp))?;
    file.write_all(text.as_bytes()).map_err(io(&tmp))?;
    file.sync_all().map_err(io(&tmp))?;
    std::fs::rename(&tmp, path).map_err(io(path))?;
    Ok(())
}
