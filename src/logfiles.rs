//! The log's files outside the database: its signing key and its checkpoint lock.
//!
//! - The **log key** signs checkpoints as C2SP signed notes. It is a key of its own, not a verdict
//!   key: checkpoints and verdicts are verified by different people with different tools. Its
//!   name is the log's origin, fixed when the key is made. The file holds one line in Go's
//!   `PRIVATE+KEY+<name>+<id>+<seed>` form, mode 0600. Like the verdict key ring, it is created
//!   on first start only at its default path in the data directory; a configured path must exist.
//! - The **checkpoint lock** holds the last checkpoint the log signed. It lives outside the data
//!   directory (by default beside it, `<data-dir>.checkpoint`), on storage that is never restored
//!   from a backup, so that a data directory restored from an older copy (or a database that lost
//!   its last commits) is noticed at start: the stored leaves no longer reach the signed size, or
//!   lead to another root. Without it the service could sign a second, different tree for a size
//!   it signed before: a fork.

use std::path::{Path, PathBuf};

use crate::crypto::SigningKey;
use crate::files;
use crate::log::{Checkpoint, CheckpointError, NoteError, NoteSigner, NoteVerifier};

/// The log key's file name in the data directory, unless configured elsewhere.
pub const LOG_KEY_FILE: &str = "log-key";

/// Why a log file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum LogFileError {
    /// The file could not be read or written.
    #[error("{path}: {cause}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        cause: std::io::Error,
    },
    /// A configured log key does not exist.
    #[error(
        "log key {0} does not exist; a configured log key is never created at start (is a secret \
         mount missing?)"
    )]
    MissingKey(PathBuf),
    /// The log signed checkpoints with a key that is no longer there.
    #[error(
        "the log key {0} is missing, but the log has signed checkpoints: a new key cannot \
         continue them; restore the key file (from the secret store or backup it was kept in)"
    )]
    LostKey(PathBuf),
    /// The key file is not a note private key.
    #[error("log key {path}: {cause}")]
    MalformedKey {
        /// The file.
        path: PathBuf,
        /// Why.
        cause: NoteError,
    },
    /// The key file is readable by others.
    #[error("log key {path} is readable by others (mode {mode:o}); run chmod 600 on it")]
    Permissions {
        /// The file.
        path: PathBuf,
        /// Its mode.
        mode: u32,
    },
    /// The configured origin is not the one the log key was made for.
    #[error(
        "the log's origin is {key:?} (the name of its key, {path}), not the configured {configured:?}: \
         a log's origin never changes; drop the setting or make a new log"
    )]
    OriginMismatch {
        /// The key file.
        path: PathBuf,
        /// The key's name.
        key: String,
        /// The configured origin.
        configured: String,
    },
    /// The origin is not a valid key name.
    #[error("log origin {0:?} is not usable as a note key name (no spaces, no '+')")]
    BadOrigin(String),
    /// The checkpoint lock does not hold a checkpoint signed by the log key.
    #[error("checkpoint lock {path} is damaged or was signed by another key: {cause}")]
    BadLock {
        /// The file.
        path: PathBuf,
        /// Why.
        cause: CheckpointError,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> LogFileError + '_ {
    move |cause| LogFileError::Io {
        path: path.to_owned(),
        cause,
    }
}

/// The default checkpoint lock for a data directory: `<data-dir>.checkpoint`, beside it.
pub fn default_lock_path(data_dir: &Path) -> PathBuf {
    // `.` or `dir/..` have no name of their own: name the directory they stand for (it exists:
    // the service creates it before asking).
    let resolved;
    let data_dir = if data_dir.file_name().is_none() {
        resolved = std::fs::canonicalize(data_dir).unwrap_or_else(|_| data_dir.to_owned());
        resolved.as_path()
    } else {
        data_dir
    };
    let mut name = data_dir
        .file_name()
        .map(std::ffi::OsStr::to_os_string)
        .unwrap_or_else(|| "bonafide".into());
    name.push(".checkpoint");
    data_dir.with_file_name(name)
}

/// The log key: the `configured` file, which must exist, or else `log-key` in `data_dir`, made
/// on first start for `origin` (or `default_origin`) unless the log has `signed` checkpoints
/// already: a new key could never continue them. A configured `origin` must be the key's name.
pub fn load_log_key<R: rand::CryptoRng + ?Sized>(
    configured: Option<&Path>,
    data_dir: &Path,
    origin: Option<&str>,
    default_origin: &str,
    signed: bool,
    rng: &mut R,
) -> Result<NoteSigner, LogFileError> {
    let path = match configured {
        Some(path) => {
            if !path.exists() {
                return Err(LogFileError::MissingKey(path.to_owned()));
            }
            path.to_owned()
        }
        None => {
            let path = data_dir.join(LOG_KEY_FILE);
            if !path.exists() && signed {
                return Err(LogFileError::LostKey(path));
            }
            if !path.exists() {
                let name = origin.unwrap_or(default_origin);
                let signer = NoteSigner::new(name, SigningKey::generate(rng))
                    .map_err(|_| LogFileError::BadOrigin(name.to_owned()))?;
                write_private(&path, signer.to_private_text().as_bytes())?;
            }
            path
        }
    };
    check_permissions(&path)?;
    let text = std::fs::read_to_string(&path).map_err(io(&path))?;
    let signer =
        NoteSigner::from_private_text(&text).map_err(|cause| LogFileError::MalformedKey {
            path: path.clone(),
            cause,
        })?;
    if let Some(origin) = origin
        && origin != signer.name()
    {
        return Err(LogFileError::OriginMismatch {
            path,
            key: signer.name().to_owned(),
            configured: origin.to_owned(),
        });
    }
    Ok(signer)
}

fn check_permissions(path: &Path) -> Result<(), LogFileError> {
    match files::open_to_others(path).map_err(io(path))? {
        Some(mode) => Err(LogFileError::Permissions {
            path: path.to_owned(),
            mode,
        }),
        None => Ok(()),
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<(), LogFileError> {
    files::write_private(path, bytes).map_err(io(path))
}

/// The checkpoint lock: the last checkpoint the log signed, kept outside the data directory.
#[derive(Debug, Clone)]
pub struct CheckpointLock {
    path: PathBuf,
}

impl CheckpointLock {
    /// The lock at `path` (the file need not exist yet).
    pub fn new(path: PathBuf) -> Self {
        Self { path }
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The checkpoint it holds, opened with the log's key, or `None` if there is no lock yet.
    pub fn read(&self, verifier: &NoteVerifier) -> Result<Option<Checkpoint>, LogFileError> {
        let bytes = match std::fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(cause) => return Err(io(&self.path)(cause)),
        };
        Checkpoint::open(&bytes, verifier, verifier.name())
            .map(Some)
            .map_err(|cause| LogFileError::BadLock {
                path: self.path.clone(),
                cause,
            })
    }

    /// Records `note`, a newly signed checkpoint, durably.
    pub fn write(&self, note: &str) -> Result<(), LogFileError> {
        write_private(&self.path, note.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_lock_is_beside_the_data_directory() {
        assert_eq!(
            default_lock_path(Path::new("/var/lib/bonafide")),
            Path::new("/var/lib/bonafide.checkpoint")
        );
        assert_eq!(
            default_lock_path(Path::new("data/")),
            Path::new("data.checkpoint")
        );
    }

    #[test]
    fn a_log_key_is_made_once_and_its_origin_is_kept() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut rng = rand::rng();
        let first = load_log_key(None, dir.path(), None, "example.org/log", false, &mut rng)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(first.name(), "example.org/log");
        let again = load_log_key(None, dir.path(), None, "other/log", true, &mut rng)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(again.verifier().to_string(), first.verifier().to_string());
        assert!(matches!(
            load_log_key(None, dir.path(), Some("other/log"), "x", true, &mut rng),
            Err(LogFileError::OriginMismatch { .. })
        ));
        assert!(matches!(
            load_log_key(
                Some(&dir.path().join("nope")),
                dir.path(),
                None,
                "x",
                false,
                &mut rng
            ),
            Err(LogFileError::MissingKey(_))
        ));
        std::fs::remove_file(dir.path().join(LOG_KEY_FILE)).unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            load_log_key(None, dir.path(), None, "x", true, &mut rng),
            Err(LogFileError::LostKey(_))
        ));
        assert!(!dir.path().join(LOG_KEY_FILE).exists());
    }
}
