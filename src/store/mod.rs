//! Storage of the log: one trait, [`Store`], and its implementations: SQLite (the default, one
//! file in the data directory, one process) and PostgreSQL (shared by several processes).
//! [`open_store`] picks one from the configured database URL.
//!
//! The store holds the log of accepted statements, one row per leaf, and the checkpoints the log
//! signed, one per tree size. The register and the Merkle tree are rebuilt from the leaves at
//! start (`Registry::replay`). Appends name the index they expect, so two writers can never both
//! take one index, and commit the checkpoint of the new size with the leaves, so a size can never
//! be signed with two roots.

mod postgres;
mod sqlite;

pub use self::postgres::{NOTIFY_CHANNEL, PostgresStore};
pub use self::sqlite::{DATABASE_FILE, SqliteStore};

use std::path::Path;
use std::sync::Arc;

use crate::domain::Timestamp;

/// Opens the log's store: PostgreSQL when `database_url` is a `postgres://` or `postgresql://`
/// URL, SQLite in `data_dir` (created by the caller) when there is none. Any other URL is a
/// [`StoreError::Config`].
pub async fn open_store(
    database_url: Option<&str>,
    data_dir: &Path,
    ca_file: Option<&Path>,
) -> Result<Arc<dyn Store>, StoreError> {
    let Some(url) = database_url else {
        return Ok(Arc::new(SqliteStore::open(data_dir).await?));
    };
    match url.split_once("://").map(|(scheme, _)| scheme) {
        Some("postgres" | "postgresql") => {
            Ok(Arc::new(PostgresStore::open_with_ca(url, ca_file).await?))
        }
        // Only the scheme is named: the rest may hold a password.
        Some(scheme) => Err(StoreError::Config(format!(
            "unsupported database URL scheme {scheme:?}: use postgres:// or postgresql://, or no \
             database URL for SQLite in the data directory"
        ))),
        None => Err(StoreError::Config(
            "the database URL has no scheme: use postgres://user@host:port/database".into(),
        )),
    }
}

/// A short description of the store `database_url` selects, safe to log: never a password.
pub fn describe(database_url: Option<&str>, data_dir: &Path) -> String {
    match database_url {
        None => format!("SQLite in {}", data_dir.join(DATABASE_FILE).display()),
        Some(url) => match url::Url::parse(url) {
            Ok(parsed) => format!(
                "PostgreSQL at {}:{}{}",
                parsed.host_str().unwrap_or("localhost"),
                parsed.port().unwrap_or(5432),
                parsed.path()
            ),
            Err(_) => "PostgreSQL".to_owned(),
        },
    }
}

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database cannot be reached or refused the operation; the caller may retry later.
    #[error("store unavailable: {0}")]
    Unavailable(String),
    /// The index to append at is taken (another writer appended first).
    #[error("log index {0} is already taken")]
    Conflict(u64),
    /// What the store holds cannot be read back as it was written.
    #[error("store corrupt: {0}")]
    Corrupt(String),
    /// The store is misconfigured (an unsupported or unreadable database URL, say); retrying
    /// will not help.
    #[error("store configuration: {0}")]
    Config(String),
}

/// A log entry to append.
#[derive(Debug, Clone, Copy)]
pub struct NewEntry<'a> {
    /// The index it must take: the current size of the log.
    pub index: u64,
    /// The organisation and statement id, unique together.
    pub org: &'a str,
    /// The statement id.
    pub statement_id: &'a str,
    /// The leaf data: the canonical statement JWS.
    pub envelope: &'a [u8],
    /// When it was accepted.
    pub accepted_at: Timestamp,
}

/// A log entry read back.
#[derive(Debug, Clone)]
pub struct StoredEntry {
    /// Its index.
    pub index: u64,
    /// The leaf data.
    pub envelope: Vec<u8>,
    /// When it was accepted.
    pub accepted_at: Timestamp,
}

/// A signed checkpoint to store with the entries that make its size.
#[derive(Debug, Clone, Copy)]
pub struct NewCheckpoint<'a> {
    /// The tree size.
    pub size: u64,
    /// The root hash at that size.
    pub root: &'a [u8; 32],
    /// The signed note.
    pub note: &'a str,
    /// When it was signed.
    pub signed_at: Timestamp,
}

/// A signed checkpoint read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCheckpoint {
    /// The tree size.
    pub size: u64,
    /// The root hash at that size.
    pub root: [u8; 32],
    /// The signed note.
    pub note: String,
}

impl StoredEntry {
    /// An entry from a row's columns, as both stores keep them.
    fn from_row(index: i64, envelope: Vec<u8>, accepted_at: &str) -> Result<Self, StoreError> {
        Ok(Self {
            index: u64::try_from(index)
                .map_err(|_| StoreError::Corrupt(format!("negative index {index}")))?,
            envelope,
            accepted_at: Timestamp::parse(accepted_at)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
        })
    }
}

impl StoredCheckpoint {
    /// A checkpoint from a row's columns, as both stores keep them.
    fn from_row(size: i64, root: Vec<u8>, note: String) -> Result<Self, StoreError> {
        Ok(Self {
            size: u64::try_from(size)
                .map_err(|_| StoreError::Corrupt(format!("checkpoint of negative size {size}")))?,
            root: <[u8; 32]>::try_from(root).map_err(|_| {
                StoreError::Corrupt(format!("checkpoint {size}: root is not 32 bytes"))
            })?,
            note,
        })
    }
}

/// The log's storage.
#[async_trait::async_trait]
pub trait Store: Send + Sync + 'static {
    /// Appends `entry` at exactly `entry.index` with the checkpoint of the new size, durably,
    /// in one transaction, before returning.
    async fn append(
        &self,
        entry: NewEntry<'_>,
        checkpoint: NewCheckpoint<'_>,
    ) -> Result<(), StoreError> {
        self.append_all(&[entry], Some(checkpoint)).await
    }

    /// Appends consecutive entries, and the checkpoint of the size they make if given, in one
    /// transaction: all or none. The first must take exactly the next index.
    async fn append_all(
        &self,
        entries: &[NewEntry<'_>],
        checkpoint: Option<NewCheckpoint<'_>>,
    ) -> Result<(), StoreError>;

    /// Stores a checkpoint signed for a size the log already has. Storing the same root again is
    /// a no-op; another root for a stored size is a [`StoreError::Conflict`].
    async fn add_checkpoint(&self, checkpoint: NewCheckpoint<'_>) -> Result<(), StoreError>;

    /// The checkpoint of the largest size stored, if any.
    async fn latest_checkpoint(&self) -> Result<Option<StoredCheckpoint>, StoreError>;

    /// Up to `limit` entries from index `from` on, in order.
    async fn entries(&self, from: u64, limit: u32) -> Result<Vec<StoredEntry>, StoreError>;

    /// The envelopes at these indices, in the order asked; an index the log does not hold is
    /// a [`StoreError::Corrupt`] (callers ask only for indices the register holds).
    async fn envelopes(&self, indices: &[u64]) -> Result<Vec<Vec<u8>>, StoreError>;

    /// Whether the store answers.
    async fn ping(&self) -> Result<(), StoreError>;

    /// Makes this process the log's only writer until the guard is released: where several
    /// processes share the store (PostgreSQL), each takes this before it reads the log's size,
    /// signs and appends, so that none signs a checkpoint for an index another one takes. `None`
    /// where the store has one process (SQLite), whose own lock suffices.
    async fn writer_lock(&self) -> Result<Option<Box<dyn WriterGuard>>, StoreError> {
        Ok(None)
    }

    /// A subscription to appends made by any process, where the store can deliver them
    /// (PostgreSQL's LISTEN/NOTIFY); `None` where it cannot, and the caller polls
    /// [`Store::latest_checkpoint`] instead.
    async fn listen(&self) -> Result<Option<Box<dyn AppendListener>>, StoreError> {
        Ok(None)
    }
}

/// Holds the log's writer lock ([`Store::writer_lock`]).
#[async_trait::async_trait]
pub trait WriterGuard: Send {
    /// Appends `entry` and the checkpoint of the size it makes, durably, as the writer: like
    /// [`Store::append`], [`StoreError::Conflict`] if the index is not the log's size.
    async fn append(
        &mut self,
        entry: NewEntry<'_>,
        checkpoint: NewCheckpoint<'_>,
    ) -> Result<(), StoreError>;

    /// Releases the lock. A guard dropped without this releases it too, by closing its
    /// connection.
    async fn release(self: Box<Self>);
}

/// Hears of appends to the log, by this process or another.
#[async_trait::async_trait]
pub trait AppendListener: Send {
    /// Waits for the next append and returns the log's new size as the appender announced it
    /// (a hint: read the store for the truth). An error means the subscription is lost; a new
    /// one must be made.
    async fn next(&mut self) -> Result<u64, StoreError>;
}
