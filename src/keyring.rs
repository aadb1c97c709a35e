//! The service's verdict keys on disk.
//!
//! A key ring is a text file, mode 0600, with one private key per line (the
//! `PRIVATE+KEY+bonafide+ed25519+...` form) and `#` comments. Keys are listed oldest first:
//!
//! - the last plain line is the **current** key, which signs new verdicts;
//! - plain lines before it are **retired** keys, still published so the verdicts they signed
//!   still verify;
//! - a last line prefixed `next ` is the **next** key: published at `/.well-known/jwks.json`
//!   (from the service's next start) but not yet signing. At most one key is next.
//!
//! Every key in the ring, next included, is published.
//!
//! # Rotating keys in two steps
//!
//! A verifier may hold the key set for a while (it is served with `max-age=60`), and replicas
//! sharing the ring restart at different times. A key that signed as soon as it was published
//! would make fresh verdicts fail for them. So a rotation has two steps:
//!
//! 1. [`add_next`] (`bonafide keys rotate`) adds a next key; restart or reload every replica so
//!    that all of them publish it;
//! 2. wait until caches have expired (more than a minute after the last replica publishes it),
//!    then [`promote`] (`bonafide keys promote`) makes it the current key; restart every replica
//!    again, and they sign with it.
//!
//! The service creates the ring with one key on first start, but only at its default path in the
//! data directory ([`load`]); a ring configured elsewhere must exist, so that a missing secret
//! mount stops the service instead of silently giving it a fresh key. Several replicas share one
//! ring through configuration. Every change takes an exclusive lock (`<ring>.lock`, created with
//! `create_new`) and replaces the file through a temporary file renamed into place.

use std::ffi::OsString;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::crypto::{KeyId, SigningKey, VerifyingKey};
use crate::files;

/// The key ring's file name in the data directory, unless configured elsewhere.
pub const KEYRING_FILE: &str = "verdict-keys";

/// The prefix marking the next key's line.
pub const NEXT_PREFIX: &str = "next ";

/// The key ring's path for a data directory.
pub fn default_path(data_dir: &Path) -> PathBuf {
    data_dir.join(KEYRING_FILE)
}

/// The lock file that guards changes to the ring at `path`: `<ring>.lock`.
pub fn lock_path(path: &Path) -> PathBuf {
    with_suffix(path, ".lock")
}

/// `path` with `suffix` appended to its file name.
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = OsString::from(path.as_os_str());
    name.push(suffix);
    PathBuf::from(name)
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
    /// The ring does not exist.
    #[error(
        "key ring {0} does not exist; a configured key ring is never created at start (is a \
         secret mount missing?): check the path, or create a ring there with \
         `bonafide keys rotate --keyring {0}`"
    )]
    Missing(PathBuf),
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
    /// The file holds no current key.
    #[error("key ring {0} holds no current key")]
    Empty(PathBuf),
    /// The file is readable by others.
    #[error("key ring {path} is readable by others (mode {mode:o}); run chmod 600 on it")]
    Permissions {
        /// The file.
        path: PathBuf,
        /// Its mode.
        mode: u32,
    },
    /// Another process holds the ring's lock.
    #[error(
        "key ring {path} is locked ({lock} exists): another `bonafide keys` command is changing \
         it; try again when it has finished, or remove {lock} if no such command is running"
    )]
    Locked {
        /// The ring.
        path: PathBuf,
        /// The lock file.
        lock: PathBuf,
    },
    /// A next key is already waiting to be promoted.
    #[error(
        "key ring {path} already has a next key, {id}, waiting to sign: promote it \
         (`bonafide keys promote`) before adding another"
    )]
    NextPending {
        /// The ring.
        path: PathBuf,
        /// The waiting key.
        id: KeyId,
    },
    /// There is no next key to promote.
    #[error("key ring {0} has no next key to promote; add one with `bonafide keys rotate`")]
    NoNextKey(PathBuf),
}

/// The keys: retired ones, the current signing key, and possibly a next key, all published.
#[derive(Debug)]
pub struct Keyring {
    /// Retired keys then the current one, oldest first; never empty.
    keys: Vec<SigningKey>,
    /// The next key: published, not yet signing.
    next: Option<SigningKey>,
}

impl Keyring {
    /// The key that signs new verdicts (never the next key).
    pub fn current(&self) -> &SigningKey {
        // A ring is never empty: `read` refuses a file without a current key.
        &self.keys[self.keys.len() - 1]
    }

    /// The next key, published but not yet signing, if one is waiting.
    pub fn next(&self) -> Option<&SigningKey> {
        self.next.as_ref()
    }

    /// Every key to publish, oldest first: retired keys, the current one, then the next one.
    pub fn published(&self) -> Vec<VerifyingKey> {
        self.all().map(SigningKey::verifying_key).collect()
    }

    /// The ids of every key, oldest first, the next key last.
    pub fn ids(&self) -> Vec<KeyId> {
        self.all().map(|k| k.id().clone()).collect()
    }

    fn all(&self) -> impl Iterator<Item = &SigningKey> {
        self.keys.iter().chain(self.next.iter())
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> KeyringError + '_ {
    move |cause| {
        if cause.kind() == std::io::ErrorKind::NotFound {
            KeyringError::Missing(path.to_owned())
        } else {
            KeyringError::Io {
                path: path.to_owned(),
                cause,
            }
        }
    }
}

/// Reads the ring at `path`; a missing file is [`KeyringError::Missing`].
pub fn read(path: &Path) -> Result<Keyring, KeyringError> {
    if let Some(mode) = files::open_to_others(path).map_err(io(path))? {
        return Err(KeyringError::Permissions {
            path: path.to_owned(),
            mode,
        });
    }
    let text = std::fs::read_to_string(path).map_err(io(path))?;
    let malformed = |line: usize, cause: String| KeyringError::Malformed {
        path: path.to_owned(),
        line,
        cause,
    };
    let mut keys = Vec::new();
    let mut next = None;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if next.is_some() {
            return Err(malformed(
                i + 1,
                "a key follows the next key; the next key must be the last".into(),
            ));
        }
        let (is_next, text) = match line.strip_prefix(NEXT_PREFIX) {
            Some(rest) => (true, rest.trim_start()),
            None => (false, line),
        };
        let key =
            SigningKey::from_private_text(text).map_err(|e| malformed(i + 1, e.to_string()))?;
        if is_next {
            next = Some(key);
        } else {
            keys.push(key);
        }
    }
    if keys.is_empty() {
        return Err(KeyringError::Empty(path.to_owned()));
    }
    Ok(Keyring { keys, next })
}

/// The service's ring: the `configured` one, which must exist, or else the default one in
/// `data_dir`, created with one new key if it does not exist.
pub fn load<R: rand::CryptoRng + ?Sized>(
    configured: Option<&Path>,
    data_dir: &Path,
    rng: &mut R,
) -> Result<Keyring, KeyringError> {
    if let Some(path) = configured {
        return read(path);
    }
    let path = default_path(data_dir);
    if !path.exists() {
        let _lock = Lock::take(&path)?;
        if !path.exists() {
            write(&path, &[SigningKey::generate(rng)], None)?;
        }
    }
    read(&path)
}

/// Adds a new key to the ring at `path` (creating the ring if needed) that becomes the current
/// key at once: it signs from the service's next start, the others stay published. Returns the
/// new key's id. Refused while a next key is waiting.
///
/// Verifiers holding a cached key set, and replicas not yet restarted, cannot verify verdicts
/// signed with a key published this way until they fetch the set again: for a running service,
/// rotate in two steps with [`add_next`] and [`promote`].
pub fn rotate<R: rand::CryptoRng + ?Sized>(
    path: &Path,
    rng: &mut R,
) -> Result<KeyId, KeyringError> {
    let _lock = Lock::take(path)?;
    let mut keys = if path.exists() {
        let ring = read(path)?;
        if let Some(next) = ring.next {
            return Err(KeyringError::NextPending {
                path: path.to_owned(),
                id: next.id().clone(),
            });
        }
        ring.keys
    } else {
        Vec::new()
    };
    let key = SigningKey::generate(rng);
    let id = key.id().clone();
    keys.push(key);
    write(path, &keys, None)?;
    Ok(id)
}

/// The first step of a rotation: adds a new key to the existing ring at `path` as the next key,
/// published from the service's next start but not signing until [`promote`]d. Returns its id.
/// Refused while another next key is waiting.
pub fn add_next<R: rand::CryptoRng + ?Sized>(
    path: &Path,
    rng: &mut R,
) -> Result<KeyId, KeyringError> {
    let _lock = Lock::take(path)?;
    let ring = read(path)?;
    if let Some(next) = ring.next {
        return Err(KeyringError::NextPending {
            path: path.to_owned(),
            id: next.id().clone(),
        });
    }
    let key = SigningKey::generate(rng);
    let id = key.id().clone();
    write(path, &ring.keys, Some(&key))?;
    Ok(id)
}

/// The second step of a rotation: makes the next key of the ring at `path` the current one (it
/// signs from the service's next start); the previous current key is retired and stays
/// published. Returns the promoted key's id.
pub fn promote(path: &Path) -> Result<KeyId, KeyringError> {
    let _lock = Lock::take(path)?;
    let ring = read(path)?;
    let Some(next) = ring.next else {
        return Err(KeyringError::NoNextKey(path.to_owned()));
    };
    let id = next.id().clone();
    let mut keys = ring.keys;
    keys.push(next);
    write(path, &keys, None)?;
    Ok(id)
}

/// An exclusive lock on a ring: the `<ring>.lock` file, created with `create_new` (atomic, so
/// exactly one process gets it) and removed when dropped.
struct Lock {
    file: PathBuf,
}

impl Lock {
    fn take(ring: &Path) -> Result<Self, KeyringError> {
        let file = lock_path(ring);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&file)
        {
            Ok(mut handle) => {
                // Who holds it, for an operator looking at a stale lock; best effort.
                let _ = writeln!(handle, "{}", std::process::id());
                Ok(Self { file })
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(KeyringError::Locked {
                path: ring.to_owned(),
                lock: file,
            }),
            Err(cause) => Err(KeyringError::Io { path: file, cause }),
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.file);
    }
}

/// Writes the ring through a temporary file synced and renamed into place, so a crash leaves
/// either the old ring or the new one, never half of one. The caller holds the ring's [`Lock`].
fn write(path: &Path, keys: &[SigningKey], next: Option<&SigningKey>) -> Result<(), KeyringError> {
    let mut text = String::from(
        "# bonafide verdict keys, oldest first: the last plain line signs, earlier lines are \
         retired but published;\n# a last line starting with `next ` is published but does not \
         sign until `bonafide keys promote`.\n",
    );
    for key in keys {
        text.push_str(key.to_private_text().trim_end());
        text.push('\n');
    }
    if let Some(key) = next {
        text.push_str(NEXT_PREFIX);
        text.push_str(key.to_private_text().trim_end());
        text.push('\n');
    }
    files::write_private(path, text.as_bytes()).map_err(|cause| KeyringError::Io {
        path: path.to_owned(),
        cause,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring_in(dir: &tempfile::TempDir) -> PathBuf {
        dir.path().join("ring")
    }

    #[test]
    fn a_configured_ring_that_does_not_exist_is_refused_not_created() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("mounted").join("ring");

        let error = load(Some(&path), dir.path(), &mut rand::rng()).expect_err("refused");

        assert!(
            matches!(&error, KeyringError::Missing(p) if *p == path),
            "{error}"
        );
        assert!(error.to_string().contains(&path.display().to_string()));
        assert!(!path.exists());
        assert!(!default_path(dir.path()).exists());
    }

    #[test]
    fn the_default_ring_is_created_once() {
        let dir = tempfile::tempdir().expect("temp dir");

        let first = load(None, dir.path(), &mut rand::rng()).expect("created");
        let second = load(None, dir.path(), &mut rand::rng()).expect("read");

        assert_eq!(first.ids(), second.ids());
        assert_eq!(first.ids().len(), 1);
        assert!(!lock_path(&default_path(dir.path())).exists());
    }

    #[test]
    fn a_next_key_is_published_but_does_not_sign_until_promoted() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = ring_in(&dir);
        let first = rotate(&path, &mut rand::rng()).expect("created");

        let next = add_next(&path, &mut rand::rng()).expect("added");
        let ring = read(&path).expect("reads");
        let again = add_next(&path, &mut rand::rng()).expect_err("one next key at a time");
        let also = rotate(&path, &mut rand::rng()).expect_err("no rotation past a next key");
        let text = std::fs::read_to_string(&path).expect("text");

        assert_eq!(ring.current().id(), &first);
        assert_eq!(ring.next().map(SigningKey::id), Some(&next));
        assert_eq!(ring.ids(), [first.clone(), next.clone()]);
        let published: Vec<KeyId> = ring.published().iter().map(|k| k.id().clone()).collect();
        assert_eq!(published, [first.clone(), next.clone()]);
        assert!(matches!(again, KeyringError::NextPending { .. }), "{again}");
        assert!(matches!(also, KeyringError::NextPending { .. }), "{also}");
        assert!(
            text.lines()
                .any(|l| l.starts_with(NEXT_PREFIX) && l.contains(next.as_str())),
            "{text}"
        );

        let promoted = promote(&path).expect("promoted");
        let ring = read(&path).expect("reads");
        let nothing = promote(&path).expect_err("nothing left to promote");

        assert_eq!(promoted, next);
        assert_eq!(ring.current().id(), &next);
        assert!(ring.next().is_none());
        assert_eq!(ring.ids(), [first, next]);
        assert!(matches!(nothing, KeyringError::NoNextKey(_)), "{nothing}");
        assert!(!lock_path(&path).exists(), "the lock is released");
    }

    #[test]
    fn a_key_after_the_next_key_or_a_ring_of_only_a_next_key_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = ring_in(&dir);
        let a = SigningKey::from_seed([1; 32]).to_private_text();
        let b = SigningKey::from_seed([2; 32]).to_private_text();
        let (a, b) = (a.trim(), b.trim());
        let write_text = |text: String| {
            std::fs::write(&path, text).expect("write");
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt as _;
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
                    .expect("chmod");
            }
        };

        write_text(format!("{NEXT_PREFIX}{a}\n{b}\n"));
        let after = read(&path).expect_err("a key after the next one");
        write_text(format!("{NEXT_PREFIX}{a}\n"));
        let only = read(&path).expect_err("no current key");

        assert!(
            matches!(after, KeyringError::Malformed { line: 2, .. }),
            "{after}"
        );
        assert!(matches!(only, KeyringError::Empty(_)), "{only}");
    }

    #[test]
    fn a_held_lock_refuses_changes() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = ring_in(&dir);
        rotate(&path, &mut rand::rng()).expect("created");
        let before = std::fs::read_to_string(&path).expect("text");
        std::fs::write(lock_path(&path), "").expect("lock");

        let rotated = rotate(&path, &mut rand::rng()).expect_err("locked");
        let added = add_next(&path, &mut rand::rng()).expect_err("locked");
        let promoted = promote(&path).expect_err("locked");

        for error in [rotated, added, promoted] {
            assert!(matches!(error, KeyringError::Locked { .. }), "{error}");
        }
        assert_eq!(std::fs::read_to_string(&path).expect("text"), before);
        assert!(
            lock_path(&path).exists(),
            "someone else's lock is left alone"
        );
    }

    #[test]
    fn concurrent_rotations_lose_no_key() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = ring_in(&dir);
        rotate(&path, &mut rand::rng()).expect("created");
        const THREADS: usize = 8;
        const EACH: usize = 5;

        std::thread::scope(|scope| {
            for _ in 0..THREADS {
                scope.spawn(|| {
                    let mut done = 0;
                    while done < EACH {
                        match rotate(&path, &mut rand::rng()) {
                            Ok(_) => done += 1,
                            Err(KeyringError::Locked { .. }) => std::thread::yield_now(),
                            Err(e) => panic!("{e}"),
                        }
                    }
                });
            }
        });

        assert_eq!(read(&path).expect("reads").ids().len(), 1 + THREADS * EACH);
    }
}
