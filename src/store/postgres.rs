//! The shared store: the log in a PostgreSQL database, which several processes may use at once.
//!
//! Every connection runs with `synchronous_commit = on`, so an acknowledged append is on the
//! server's disk (and on its synchronous standbys, if it has any) before the caller hears of it.
//!
//! Appends are serialised in the database, not in the process: each append (and each
//! [`Store::add_checkpoint`]) first takes a transaction-scoped advisory lock keyed on this log's
//! `log_entries` table, then reads the log's size. Writers in other processes wait for the lock,
//! then see the rows committed before it, so indices stay dense and a size is stored with one
//! root. The lock is keyed on the table's oid, so logs in other schemas of the same database do
//! not wait for each other. Readers take no lock.
//!
//! In the transaction of every append the store runs `pg_notify('bonafide_log', '<new size>')`:
//! PostgreSQL delivers it to every session that ran `LISTEN bonafide_log` when (and only if) the
//! append commits, with the log's new size as decimal text. The channel is database-wide; a
//! listener that shares a database between several logs (schemas) must read the size back from
//! its own schema.
//!
//! TLS (rustls): the URL's `sslmode` says how. `prefer` (the default) and `require` encrypt
//! without checking the server's certificate (`prefer` falls back to plain text where the
//! server offers no TLS); `verify-ca` also checks that the certificate chains to the CA file
//! (`sslrootcert` in the URL, or the CA file setting) or to the web's roots; `verify-full` also
//! that it names the host connected to. Whether the connection is encrypted is logged when the
//! store opens.

use std::path::Path;
use std::str::FromStr as _;
use std::time::Duration;

use sqlx::Row as _;
use sqlx::postgres::{PgConnectOptions, PgListener, PgPool, PgPoolOptions};
use sqlx::{ConnectOptions as _, Connection as _};

use super::{
    AppendListener, NewCheckpoint, NewEntry, Store, StoreError, StoredCheckpoint, StoredEntry,
    WriterGuard,
};

/// The channel every append notifies, with the log's new size as the payload.
pub const NOTIFY_CHANNEL: &str = "bonafide_log";

/// The first key of the advisory lock that serialises appends (the second is the oid of the
/// log's table): "bonafide" in the first four bytes' ASCII ("bona").
const LOCK_CLASS: i32 = 0x626f_6e61;

/// Takes the append lock until the transaction ends.
const LOCK: &str = "SELECT pg_advisory_xact_lock($1, 'log_entries'::regclass::oid::int4)";

/// The writer lock: a session-level advisory lock on another key than the append lock's, held
/// across one replica's catch-up, signing and append, so that replicas take turns writing.
const WRITER_LOCK: &str = "SELECT pg_advisory_lock($1, 'log_entries'::regclass::oid::int4)";

/// Releases the writer lock.
const WRITER_UNLOCK: &str = "SELECT pg_advisory_unlock($1, 'log_entries'::regclass::oid::int4)";

/// The writer lock's first key: the append lock's plus one.
const WRITER_CLASS: i32 = LOCK_CLASS + 1;

/// One entry, the checkpoint of the size it makes, and the notification, in one statement. The
/// notification is delivered when, and only if, the transaction commits.
const APPEND_ONE: &str = "WITH entry AS (\
     INSERT INTO log_entries (idx, org, statement_id, envelope, accepted_at) \
     VALUES ($1, $2, $3, $4, $5) RETURNING idx), \
     checkpoint AS (\
     INSERT INTO checkpoints (size, root, note, signed_at) VALUES ($6, $7, $8, $9) \
     RETURNING size) \
     SELECT pg_notify($10, checkpoint.size::text) FROM entry, checkpoint";

/// [`APPEND_ONE`] for the holder of the writer lock, as one statement that commits on its own: it
/// inserts nothing unless the entry's index is the log's size (then it returns no row), and a
/// unique violation still catches any writer that did not take the writer lock. Three round
/// trips fewer than a transaction, while every other writer waits.
const APPEND_AS_WRITER: &str = "WITH entry AS (\
     INSERT INTO log_entries (idx, org, statement_id, envelope, accepted_at) \
     SELECT $1, $2, $3, $4, $5 \
     WHERE (SELECT COALESCE(MAX(idx) + 1, 0) FROM log_entries) = $1 RETURNING idx), \
     checkpoint AS (\
     INSERT INTO checkpoints (size, root, note, signed_at) SELECT $6, $7, $8, $9 FROM entry \
     RETURNING size) \
     SELECT pg_notify($10, checkpoint.size::text) FROM checkpoint";

/// The next free index, which is the log's size because indices are dense. MAX uses the primary
/// key, where COUNT(*) would scan the table.
const NEXT_INDEX: &str = "SELECT COALESCE(MAX(idx) + 1, 0) FROM log_entries";

/// Each statement of a READ COMMITTED transaction sees what was committed before it started, so
/// the size read after the lock includes every append that released it. (Under REPEATABLE READ
/// the snapshot would date from the lock's own statement.)
const BEGIN: &str = "BEGIN ISOLATION LEVEL READ COMMITTED";

/// Connections in the pool.
const MAX_CONNECTIONS: u32 = 8;

/// How long an operation waits for a free connection (or a new one) before the store answers
/// that it is unavailable.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// The log in a PostgreSQL database.
#[derive(Debug, Clone)]
pub struct PostgresStore {
    pool: PgPool,
}

fn unavailable(e: sqlx::Error) -> StoreError {
    StoreError::Unavailable(e.to_string())
}

fn corrupt(e: sqlx::Error) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

/// Whether `name` is a schema name the store accepts: ASCII lowercase letters, digits and
/// underscores, not starting with a digit, at most 63 bytes (PostgreSQL's limit), so that it
/// needs no quoting anywhere.
fn valid_schema(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 63
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl PostgresStore {
    /// Connects to the database at `url` (`postgres://user:password@host:port/database`) and
    /// applies the migrations. The tables live in the first schema of the connection's
    /// `search_path` (`public` by default; `?options[search_path]=NAME` in the URL chooses
    /// another, which must exist). A database that does not answer is retried for 5 s, then
    /// [`StoreError::Unavailable`].
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        Self::open_with_ca(url, None).await
    }

    /// As [`PostgresStore::open`], with `ca_file` (PEM) the CA that the server's certificate
    /// must chain to under `sslmode=verify-ca` or `verify-full`.
    pub async fn open_with_ca(url: &str, ca_file: Option<&Path>) -> Result<Self, StoreError> {
        let mut options = options(url)?;
        if let Some(ca) = ca_file {
            // sqlx reads the file at each connection; one that is missing is a setting to fix,
            // not a database that does not answer.
            std::fs::metadata(ca).map_err(|e| {
                StoreError::Config(format!(
                    "cannot read the database CA file {}: {e}",
                    ca.display()
                ))
            })?;
            options = options.ssl_root_cert(ca);
        }
        Self::connect(options).await
    }

    /// Whether this store's connections are encrypted (PostgreSQL's `pg_stat_ssl` for one of
    /// them).
    pub async fn encrypted(&self) -> Result<bool, StoreError> {
        sqlx::query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            .fetch_optional(&self.pool)
            .await
            .map_err(unavailable)
            .map(|row| row.is_some_and(|row| row.get::<bool, _>(0)))
    }

    /// As [`PostgresStore::open`], but in the schema `schema`, created if missing: every
    /// connection's `search_path` is that schema alone. Tests give each store a schema of its
    /// own. The name must be lowercase ASCII letters, digits and underscores.
    pub async fn open_in_schema(url: &str, schema: &str) -> Result<Self, StoreError> {
        if !valid_schema(schema) {
            return Err(StoreError::Config(format!(
                "invalid schema name {schema:?}: use lowercase ASCII letters, digits and \
                 underscores, at most 63, not starting with a digit"
            )));
        }
        let base = options(url)?;
        let mut connection = base.connect().await.map_err(unavailable)?;
        // Safe: the name was checked to hold only letters, digits and underscores.
        let created = sqlx::query(sqlx::AssertSqlSafe(format!(
            "CREATE SCHEMA IF NOT EXISTS {schema}"
        )))
        .execute(&mut connection)
        .await;
        match created {
            Ok(_) => {}
            // Two sessions creating the schema at once: the other one won, which is as good.
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {}
            Err(e) => return Err(unavailable(e)),
        }
        connection.close().await.map_err(unavailable)?;
        Self::connect(base.options([("search_path", schema)])).await
    }

    async fn connect(options: PgConnectOptions) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(options)
            .await
            .map_err(unavailable)?;
        sqlx::migrate!("src/store/migrations/postgres")
            .run(&pool)
            .await
            .map_err(|e| StoreError::Unavailable(format!("migrations failed: {e}")))?;
        let store = Self { pool };
        match store.encrypted().await {
            Ok(true) => tracing::info!("connected to PostgreSQL over TLS"),
            Ok(false) => tracing::warn!(
                "connected to PostgreSQL in PLAIN TEXT: set sslmode=verify-full in the database \
                 URL unless the database is on this host"
            ),
            Err(e) => tracing::warn!(error = %e, "cannot tell whether PostgreSQL is over TLS"),
        }
        Ok(store)
    }

    /// Closes every connection; operations after this fail as [`StoreError::Unavailable`].
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// The connect options of `url`, with `synchronous_commit = on` for every connection whatever
/// the server's or the role's default.
fn options(url: &str) -> Result<PgConnectOptions, StoreError> {
    let options = PgConnectOptions::from_str(url)
        // sqlx's message names the part of the URL it could not read, never the password.
        .map_err(|e| StoreError::Config(format!("invalid PostgreSQL URL: {e}")))?;
    Ok(options
        .application_name("bonafide")
        // A statement that hangs (a lock never released, a database that stopped answering)
        // fails after 10 s, so callers answer 503 instead of waiting for TCP to give up.
        .options([("synchronous_commit", "on"), ("statement_timeout", "10000")]))
}

/// The index as PostgreSQL's BIGINT; an index beyond it cannot be free.
fn index_of(index: u64) -> Result<i64, StoreError> {
    i64::try_from(index).map_err(|_| StoreError::Conflict(index))
}

/// The log's size, under the append lock.
async fn size(tx: &mut sqlx::PgConnection) -> Result<i64, StoreError> {
    sqlx::query(NEXT_INDEX)
        .fetch_one(&mut *tx)
        .await
        .map_err(unavailable)?
        .try_get(0)
        .map_err(corrupt)
}

/// Takes the append lock until the transaction ends.
async fn lock(tx: &mut sqlx::PgConnection) -> Result<(), StoreError> {
    sqlx::query(LOCK)
        .bind(LOCK_CLASS)
        .execute(&mut *tx)
        .await
        .map(|_| ())
        .map_err(unavailable)
}

#[async_trait::async_trait]
impl Store for PostgresStore {
    async fn append_all(
        &self,
        entries: &[NewEntry<'_>],
        checkpoint: Option<NewCheckpoint<'_>>,
    ) -> Result<(), StoreError> {
        let Some(first) = entries.first() else {
            return Ok(());
        };
        let mut tx = self.pool.begin_with(BEGIN).await.map_err(unavailable)?;
        lock(&mut tx).await?;
        // Dense indices: the new rows must directly follow the last one.
        let size = size(&mut tx).await?;
        if let ([entry], Some(checkpoint)) = (entries, checkpoint) {
            // The usual append, one entry and its checkpoint: one statement instead of three,
            // since every round trip here is made while every other writer waits.
            let index = index_of(entry.index)?;
            if index != size || index_of(checkpoint.size)? != size + 1 {
                return Err(StoreError::Conflict(entry.index));
            }
            let result = sqlx::query(APPEND_ONE)
                .bind(index)
                .bind(entry.org)
                .bind(entry.statement_id)
                .bind(entry.envelope)
                .bind(entry.accepted_at.to_string())
                .bind(size + 1)
                .bind(checkpoint.root.as_slice())
                .bind(checkpoint.note)
                .bind(checkpoint.signed_at.to_string())
                .bind(NOTIFY_CHANNEL)
                .execute(&mut *tx)
                .await;
            return match result {
                Ok(_) => tx.commit().await.map_err(unavailable),
                Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                    Err(StoreError::Conflict(entry.index))
                }
                Err(e) => Err(unavailable(e)),
            };
        }
        for (offset, entry) in entries.iter().enumerate() {
            let index = index_of(entry.index)?;
            if Some(index) != i64::try_from(offset).ok().and_then(|o| size.checked_add(o)) {
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
        let made = i64::try_from(entries.len())
            .ok()
            .and_then(|n| size.checked_add(n))
            .ok_or(StoreError::Conflict(first.index))?;
        if let Some(checkpoint) = checkpoint {
            if i64::try_from(checkpoint.size).ok() != Some(made) {
                return Err(StoreError::Conflict(checkpoint.size));
            }
            insert_checkpoint(&mut tx, checkpoint).await?;
        }
        // Delivered to listeners when, and only if, the transaction commits.
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(NOTIFY_CHANNEL)
            .bind(made.to_string())
            .execute(&mut *tx)
            .await
            .map_err(unavailable)?;
        tx.commit().await.map_err(unavailable)
    }

    async fn add_checkpoint(&self, checkpoint: NewCheckpoint<'_>) -> Result<(), StoreError> {
        let size_asked = index_of(checkpoint.size)?;
        let mut tx = self.pool.begin_with(BEGIN).await.map_err(unavailable)?;
        lock(&mut tx).await?;
        let existing: Option<Vec<u8>> = sqlx::query("SELECT root FROM checkpoints WHERE size = $1")
            .bind(size_asked)
            .fetch_optional(&mut *tx)
            .await
            .map_err(unavailable)?
            .map(|row| row.try_get(0))
            .transpose()
            .map_err(corrupt)?;
        match existing {
            Some(root) if root == checkpoint.root => return Ok(()),
            Some(_) => return Err(StoreError::Conflict(checkpoint.size)),
            None => {}
        }
        if size_asked > size(&mut tx).await? {
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
        let size: i64 = row.try_get(0).map_err(corrupt)?;
        let root: Vec<u8> = row.try_get(1).map_err(corrupt)?;
        let note: String = row.try_get(2).map_err(corrupt)?;
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
                let index: i64 = row.try_get(0).map_err(corrupt)?;
                let envelope: Vec<u8> = row.try_get(1).map_err(corrupt)?;
                let accepted_at: String = row.try_get(2).map_err(corrupt)?;
                StoredEntry::from_row(index, envelope, &accepted_at)
            })
            .collect()
    }

    async fn envelopes(&self, indices: &[u64]) -> Result<Vec<Vec<u8>>, StoreError> {
        // One array parameter per query; chunks keep each answer a bounded size.
        const CHUNK: usize = 1_000;
        let mut found: std::collections::HashMap<u64, Vec<u8>> =
            std::collections::HashMap::with_capacity(indices.len());
        for chunk in indices.chunks(CHUNK) {
            // An index beyond BIGINT is not held; the lookup below reports it missing.
            let asked: Vec<i64> = chunk
                .iter()
                .filter_map(|&index| i64::try_from(index).ok())
                .collect();
            let rows = sqlx::query("SELECT idx, envelope FROM log_entries WHERE idx = ANY($1)")
                .bind(asked)
                .fetch_all(&self.pool)
                .await
                .map_err(unavailable)?;
            for row in rows {
                let index: i64 = row.try_get(0).map_err(corrupt)?;
                let envelope: Vec<u8> = row.try_get(1).map_err(corrupt)?;
                if let Ok(index) = u64::try_from(index) {
                    found.insert(index, envelope);
                }
            }
        }
        indices
            .iter()
            .map(|index| {
                // An index asked twice is answered twice: clone rather than take.
                found
                    .get(index)
                    .cloned()
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

    async fn writer_lock(&self) -> Result<Option<Box<dyn WriterGuard>>, StoreError> {
        let mut connection = self.pool.acquire().await.map_err(unavailable)?;
        sqlx::query(WRITER_LOCK)
            .bind(WRITER_CLASS)
            .execute(&mut *connection)
            .await
            .map_err(unavailable)?;
        Ok(Some(Box::new(Writer(Some(connection)))))
    }

    async fn listen(&self) -> Result<Option<Box<dyn AppendListener>>, StoreError> {
        let mut listener = PgListener::connect_with(&self.pool)
            .await
            .map_err(unavailable)?;
        listener.listen(NOTIFY_CHANNEL).await.map_err(unavailable)?;
        Ok(Some(Box::new(Listener(listener))))
    }
}

/// The writer lock, on a connection of the pool held until release.
struct Writer(Option<sqlx::pool::PoolConnection<sqlx::Postgres>>);

#[async_trait::async_trait]
impl WriterGuard for Writer {
    async fn append(
        &mut self,
        entry: NewEntry<'_>,
        checkpoint: NewCheckpoint<'_>,
    ) -> Result<(), StoreError> {
        let index = index_of(entry.index)?;
        if index_of(checkpoint.size)? != index + 1 {
            return Err(StoreError::Conflict(checkpoint.size));
        }
        let Some(connection) = self.0.as_mut() else {
            return Err(StoreError::Unavailable(
                "the writer lock was released".into(),
            ));
        };
        let result = sqlx::query(APPEND_AS_WRITER)
            .bind(index)
            .bind(entry.org)
            .bind(entry.statement_id)
            .bind(entry.envelope)
            .bind(entry.accepted_at.to_string())
            .bind(index + 1)
            .bind(checkpoint.root.as_slice())
            .bind(checkpoint.note)
            .bind(checkpoint.signed_at.to_string())
            .bind(NOTIFY_CHANNEL)
            .fetch_all(&mut **connection)
            .await;
        match result {
            Ok(rows) if rows.len() == 1 => Ok(()),
            // The index is not the log's size: nothing was inserted.
            Ok(_) => Err(StoreError::Conflict(entry.index)),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                Err(StoreError::Conflict(entry.index))
            }
            Err(e) => Err(unavailable(e)),
        }
    }

    async fn release(mut self: Box<Self>) {
        if let Some(mut connection) = self.0.take() {
            let unlocked = sqlx::query(WRITER_UNLOCK)
                .bind(WRITER_CLASS)
                .execute(&mut *connection)
                .await;
            if unlocked.is_err() {
                // Unsure whether the lock is still held: close the session, which releases it.
                drop(connection.detach());
            }
        }
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        // Dropped without release (a request cancelled mid-append): a session lock must not go
        // back to the pool with its connection, so the connection is closed instead.
        if let Some(connection) = self.0.take() {
            drop(connection.detach());
        }
    }
}

/// A `LISTEN bonafide_log` session of its own.
struct Listener(PgListener);

#[async_trait::async_trait]
impl AppendListener for Listener {
    async fn next(&mut self) -> Result<u64, StoreError> {
        // `try_recv` rather than `recv`: a lost connection is reported, not silently re-made,
        // so that the caller knows notifications may have been missed and reads the store.
        match self.0.try_recv().await.map_err(unavailable)? {
            // Another log in the same database may notify the channel too: the payload is only
            // a hint, so an unreadable one is reported as size 0.
            Some(notification) => Ok(notification.payload().parse().unwrap_or(0)),
            None => Err(StoreError::Unavailable(
                "the LISTEN connection to PostgreSQL was lost".into(),
            )),
        }
    }
}

async fn insert_checkpoint(
    tx: &mut sqlx::PgConnection,
    checkpoint: NewCheckpoint<'_>,
) -> Result<(), StoreError> {
    let size = index_of(checkpoint.size)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Timestamp;

    #[test]
    fn schema_names_need_no_quoting() {
        assert!(valid_schema("bonafide_test_1"));
        assert!(valid_schema("_x"));
        assert!(!valid_schema(""));
        assert!(!valid_schema("1abc"));
        assert!(!valid_schema("Upper"));
        assert!(!valid_schema("a;drop table x"));
        assert!(!valid_schema("a\"b"));
        assert!(!valid_schema(&"a".repeat(64)));
        assert!(valid_schema(&"a".repeat(63)));
    }

    /// Every connection commits synchronously and sees only its schema (needs
    /// `TEST_DATABASE_URL`; skipped loudly without it).
    #[tokio::test]
    async fn connections_commit_synchronously_in_their_schema() {
        let Ok(url) = std::env::var("TEST_DATABASE_URL") else {
            eprintln!("SKIPPED: TEST_DATABASE_URL is not set");
            return;
        };
        let schema = format!("bonafide_unit_{}", std::process::id());
        let store = PostgresStore::open_in_schema(&url, &schema)
            .await
            .expect("the store opens");
        for _ in 0..3 {
            let mut connection = store.pool.acquire().await.expect("a connection");
            // `source` is `client` for a setting the connection gave, rather than a server,
            // database or role default that happens to be the same.
            let row = sqlx::query(
                "SELECT setting, source, current_setting('search_path') \
                 FROM pg_settings WHERE name = 'synchronous_commit'",
            )
            .fetch_one(&mut *connection)
            .await
            .expect("settings read");
            let synchronous: String = row.try_get(0).expect("text");
            let source: String = row.try_get(1).expect("text");
            let search_path: String = row.try_get(2).expect("text");
            assert_eq!((synchronous.as_str(), source.as_str()), ("on", "client"));
            assert_eq!(search_path, schema);
        }
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
            .execute(&store.pool)
            .await
            .expect("schema dropped");
        store.close().await;
    }

    /// Each committed append notifies the log's new size; a refused one notifies nothing
    /// (needs `TEST_DATABASE_URL`; skipped loudly without it).
    #[tokio::test]
    async fn committed_appends_notify_the_new_size() {
        let Ok(url) = std::env::var("TEST_DATABASE_URL") else {
            eprintln!("SKIPPED: TEST_DATABASE_URL is not set");
            return;
        };
        let schema = format!("bonafide_unit_notify_{}", std::process::id());
        let opened = PostgresStore::open_in_schema(&url, &schema)
            .await
            .expect("the store opens");
        // One connection, so that its backend's id tells its notifications from those of other
        // tests appending on the same database.
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .connect_with(
                options(&url)
                    .expect("a URL")
                    .options([("search_path", schema.as_str())]),
            )
            .await
            .expect("connects");
        let store = PostgresStore { pool };
        let backend: i32 = sqlx::query("SELECT pg_backend_pid()")
            .fetch_one(&store.pool)
            .await
            .expect("read")
            .try_get(0)
            .expect("an int");
        let mut listener = PgListener::connect(&url).await.expect("listener connects");
        listener.listen(NOTIFY_CHANNEL).await.expect("listens");

        let at = Timestamp::parse("2026-11-28T09:00:00Z").expect("valid");
        let entry = |index, id| NewEntry {
            index,
            org: "acme",
            statement_id: id,
            envelope: b"envelope",
            accepted_at: at,
        };
        let root = [7; 32];
        let checkpoint = |size| NewCheckpoint {
            size,
            root: &root,
            note: "note",
            signed_at: at,
        };
        store
            .append(entry(0, "a"), checkpoint(1))
            .await
            .expect("first append");
        assert!(matches!(
            store.append(entry(0, "b"), checkpoint(1)).await,
            Err(StoreError::Conflict(0))
        ));
        store
            .append_all(&[entry(1, "b"), entry(2, "c")], Some(checkpoint(3)))
            .await
            .expect("a batch");

        let mut payloads = Vec::new();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        while payloads.len() < 2 {
            let notification = tokio::time::timeout_at(deadline, listener.recv())
                .await
                .expect("notified within 5 s")
                .expect("a notification");
            if i64::from(notification.process_id()) == i64::from(backend) {
                payloads.push(notification.payload().to_owned());
            }
        }
        assert_eq!(payloads, ["1", "3"]);

        sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
            .execute(&store.pool)
            .await
            .expect("schema dropped");
        store.close().await;
        opened.close().await;
    }
}
