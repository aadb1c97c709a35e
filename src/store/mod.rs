//! Storage of the log: one trait, [`Store`], and its SQLite implementation.
//!
//! The store holds the log of accepted statements, one row per leaf, and nothing derived: the
//! register is rebuilt from it at start (`Registry::replay`). Appends name the
//! index they expect, so two writers can never both take one index.

mod sqlite;

pub use self::sqlite::{DATABASE_FILE, SqliteStore};

use crate::domain::Timestamp;

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

/// The log's storage.
#[async_trait::async_trait]
pub trait Store: Send + Sync + 'static {
    /// Appends `entry` at exactly `entry.index`, durably, before returning.
    async fn append(&self, entry: NewEntry<'_>) -> Result<(), StoreError>;

    /// Appends consecutive entries in one transaction (a bulk import): all or none. The first
    /// must take exactly the next index.
    async fn append_all(&self, entries: &[NewEntry<'_>]) -> Result<(), StoreError>;

    /// Up to `limit` entries from index `from` on, in order.
    async fn entries(&self, from: u64, limit: u32) -> Result<Vec<StoredEntry>, StoreError>;

    /// The envelopes at these indices, in the order asked; an index the log does not hold is
    /// a [`StoreError::Corrupt`] (callers ask only for indices the register holds).
    async fn envelopes(&self, indices: &[u64]) -> Result<Vec<Vec<u8>>, StoreError>;

    /// Whether the store answers.
    async fn ping(&self) -> Result<(), StoreError>;
}
