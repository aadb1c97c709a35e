//! The embedded store: one SQLite file in the data directory, in WAL mode with
//! `synchronous=FULL`, so that an acknowledged append survives a crash or a power cut.

use std::path::Path;
use std::str::FromStr as _;
use std::time::Duration;

use sqlx::Row as _;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use super::{NewCheckpoint, NewEntry, Store, StoreError, StoredCheckpoint, StoredEntry};

/// The database file's name inside the data directory.
pub const DATABASE_FILE: &str = "bonafide.sqlite3";

/// The next free index, which is the log's size because indices are dense. MAX uses the primary
/// key, where COUNT(*) would scan the table.
const NEXT_INDEX: &str = "SELECT COALESCE(MAX(idx) + 1, 0) FROM log_entries";

/// The log in a SQLite file.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

fn unavailable(e: sqlx::Error) -> StoreError {
    StoreError::Unavailable(e.to_string())
}

impl SqliteStore {
    /// Opens (creating if needed) the database in `data_dir` and applies the migrations.
    pub async fn open(data_dir: &Path) -> Result<Self, StoreError> {
        let path = data_dir.join(DATABASE_FILE);
        let options = SqliteConnectOptions::from_str("sqlite://")
            .map_err(unavailable)?
            .filename(&path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(unavailable)?;
        sqlx::migrate!("src/store/migrations/sqlite")
            .run(&pool)
            .await
            .map_err(|e| StoreError::Unavailable(format!("migrations failed: {e}")))?;
        Ok(Self { pool })
    }
}

#[async_trait::async_trait]
impl Store for SqliteStore {
    async fn append_all(
        &self,
        entries: &[NewEntry<'_>],
        checkpoint: Option<NewCheckpoint<'_>>,
    ) -> Result<(), StoreError> {
        let Some(first) = entries.first() else {
            return Ok(());
        };
        // BEGIN IMMEDIATE takes the write lock first, so that two writers serialise here rather
        // than fail with SQLITE_BUSY at their first write.
        let mut tx = self
            .pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(unavailable)?;
        // Dense indices: the new rows must directly follow the last one.
        let size: i64 = sqlx::query(NEXT_INDEX)
            .fetch_one(&mut *tx)
            .await
            .map_err(unavailable)?
            .try_get(0)
            .map_err(unavailable)?;
        for (offset, entry) in entries.iter().enumerate() {
            let index =
                i64::try_from(entry.index).map_err(|_| StoreError::Conflict(entry.index))?;
            if Some(index) != size.checked_add(offset as i64) {
                return Err(StoreError::Conflict(first.index));
            }
            let result = sqlx::query(
                "INSERT INTO log_entries (idx, org, statement_id, envelope, accepted_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(index)
            .bind(entry.org)
            .bind(entry.statement_id)
            .bind(entry.envelope)
            .bind(entry.accepted_at.to_string())
            .execute(&mut *tx)
            .await;
            match result {
                Ok(_) => {}
                Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                    return Err(StoreError::Conflict(entry.index));
                }
                Err(e) => return Err(unavailable(e)),
            }
        }
        if let Some(checkpoint) = checkpoint {
            let made = size.checked_add(entries.len() as i64);
            if i64::try_from(checkpoint.size).ok() != made {
                return Err(StoreError::Conflict(checkpoint.size));
            }
            insert_checkpoint(&mut tx, checkpoint).await?;
        }
        tx.commit().await.map_err(unavailable)
    }

    async fn add_checkpoint(&self, checkpoint: NewCheckpoint<'_>) -> Result<(), StoreError> {
        let mut tx = self
            .pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(unavailable)?;
        let size =
            i64::try_from(checkpoint.size).map_err(|_| StoreError::Conflict(checkpoint.size))?;
        let existing: Option<Vec<u8>> = sqlx::query("SELECT root FROM checkpoints WHERE size = $1")
            .bind(size)
            .fetch_optional(&mut *tx)
            .await
            .map_err(unavailable)?
            .map(|row| row.try_get(0))
            .transpose()
            .map_err(unavailable)?;
        match existing {
            Some(root) if root == checkpoint.root => return Ok(()),
            Some(_) => return Err(StoreError::Conflict(checkpoint.size)),
            None => {}
        }
        let held: i64 = sqlx::query(NEXT_INDEX)
            .fetch_one(&mut *tx)
            .await
            .map_err(unavailable)?
            .try_get(0)
            .map_err(unavailable)?;
        if size > held {
            return Err(StoreError::Conflict(checkpoint.size));
        }
        insert_checkpoint(&mut tx, checkpoint).await?;
        tx.commit().await.map_err(unavailable)
    }

    async fn latest_checkpoint(&self) -> Result<Option<StoredCheckpoint>, StoreError> {
        let row =
            sqlx::query("SELECT size, root, note FROM checkpoints ORDER BY size DESC LIMIT 1")
                .fetch_optional(&self.pool)
                .await
                .map_err(unavailable)?;
        let Some(row) = row else {
            return Ok(None);
        };
        let size: i64 = row.try_get(0).map_err(unavailable)?;
        let root: Vec<u8> = row.try_get(1).map_err(unavailable)?;
        let note: String = row.try_get(2).map_err(unavailable)?;
        StoredCheckpoint::from_row(size, root, note).map(Some)
    }

    async fn entries(&self, from: u64, limit: u32) -> Result<Vec<StoredEntry>, StoreError> {
        let from = i64::try_from(from).unwrap_or(i64::MAX);
        let rows = sqlx::query(
            "SELECT idx, envelope, accepted_at FROM log_entries WHERE idx >= $1 ORDER BY idx LIMIT $2",
        )
        .bind(from)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(unavailable)?;
        rows.into_iter()
            .map(|row| {
                let index: i64 = row.try_get(0).map_err(unavailable)?;
                let envelope: Vec<u8> = row.try_get(1).map_err(unavailable)?;
                let accepted_at: String = row.try_get(2).map_err(unavailable)?;
                StoredEntry::from_row(index, envelope, &accepted_at)
            })
            .collect()
    }

    async fn envelopes(&self, indices: &[u64]) -> Result<Vec<Vec<u8>>, StoreError> {
        // SQLite allows a few hundred bound parameters comfortably; ask in chunks.
        const CHUNK: usize = 500;
        let mut found: std::collections::HashMap<u64, Vec<u8>> =
            std::collections::HashMap::with_capacity(indices.len());
        for chunk in indices.chunks(CHUNK) {
            let placeholders: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT idx, envelope FROM log_entries WHERE idx IN ({})",
                placeholders.join(", ")
            );
            // Safe: the string holds only numbered placeholders, never a value.
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for &index in chunk {
                query = query.bind(i64::try_from(index).unwrap_or(i64::MAX));
            }
            for row in query.fetch_all(&self.pool).await.map_err(unavailable)? {
                let index: i64 = row.try_get(0).map_err(unavailable)?;
                let envelope: Vec<u8> = row.try_get(1).map_err(unavailable)?;
                if let Ok(index) = u64::try_from(index) {
                    found.insert(index, envelope);
                }
            }
        }
        indices
            .iter()
            .map(|index| {
                found
                    .remove(index)
                    .ok_or_else(|| StoreError::Corrupt(format!("log entry {index} is missing")))
            })
            .collect()
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
            .map_err(unavailable)
    }
}

async fn insert_checkpoint(
    tx: &mut sqlx::SqliteConnection,
    checkpoint: NewCheckpoint<'_>,
) -> Result<(), StoreError> {
    let size = i64::try_from(checkpoint.size).map_err(|_| StoreError::Conflict(checkpoint.size))?;
    let result = sqlx::query(
        "INSERT INTO checkpoints (size, root, note, signed_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(size)
    .bind(checkpoint.root.as_slice())
    .bind(checkpoint.note)
    .bind(checkpoint.signed_at.to_string())
    .execute(&mut *tx)
    .await;
    match result {
        Ok(_) => Ok(()),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            Err(StoreError::Conflict(checkpoint.size))
        }
        Err(e) => Err(unavailable(e)),
    }
}
