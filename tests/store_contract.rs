//! The store contract: one suite of tests that every `Store` implementation must pass, run
//! against SQLite (always, in a temporary directory) and PostgreSQL when `TEST_DATABASE_URL`
//! names a database (`postgres://postgres@127.0.0.1:5432/test` in `.ci/run`). Each PostgreSQL
//! test works in a fresh schema of its own, dropped when it passes. Without `TEST_DATABASE_URL`
//! the PostgreSQL tests say `SKIPPED` on standard error and pass.
//!
//! Last, the real service runs on PostgreSQL and appends and serves statements through HTTP.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use bonafide::domain::Timestamp;
use bonafide::store::{
    NewCheckpoint, NewEntry, PostgresStore, SqliteStore, Store, StoreError, StoredCheckpoint,
    open_store,
};

/// The variable that names the PostgreSQL database for tests.
const DATABASE_VARIABLE: &str = "TEST_DATABASE_URL";

/// The note stored with every test checkpoint (the store does not read it).
const NOTE: &str = "test checkpoint\n";

/// Where a test's store lives; [`Place::open`] opens another handle (its own connection pool)
/// on the same data.
enum Place {
    Sqlite(tempfile::TempDir),
    Postgres { url: String, schema: String },
}

/// The PostgreSQL URL for tests, or `None` after saying loudly that the test is skipped.
fn database_url() -> Option<String> {
    match std::env::var(DATABASE_VARIABLE) {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            eprintln!("SKIPPED: {DATABASE_VARIABLE} is not set");
            None
        }
    }
}

/// A schema name no other test (in this run or another) uses at the same time.
fn schema_name(test: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let mut name: String = test.chars().take(30).collect();
    name = format!(
        "bonafide_t_{name}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    name
}

/// Runs `sql` on the database at `url`, outside any test schema.
async fn admin(url: &str, sql: String) {
    use sqlx::Connection as _;
    let mut connection = sqlx::PgConnection::connect(url)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to {DATABASE_VARIABLE}: {e}"));
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .execute(&mut connection)
        .await
        .unwrap_or_else(|e| panic!("admin statement failed: {e}"));
    connection.close().await.expect("connection closed");
}

impl Place {
    fn sqlite() -> Self {
        Self::Sqlite(tempfile::tempdir().expect("temp dir"))
    }

    /// A fresh schema for `test`, or `None` (skipped) without `TEST_DATABASE_URL`.
    async fn postgres(test: &str) -> Option<Self> {
        let url = database_url()?;
        let schema = schema_name(test);
        // A schema of the same name left by an earlier run (whose process had this id) is
        // dropped, never reused.
        admin(&url, format!("DROP SCHEMA IF EXISTS {schema} CASCADE")).await;
        Some(Self::Postgres { url, schema })
    }

    async fn open(&self) -> Arc<dyn Store> {
        match self {
            Self::Sqlite(dir) => Arc::new(SqliteStore::open(dir.path()).await.expect("opens")),
            Self::Postgres { url, schema } => Arc::new(
                PostgresStore::open_in_schema(url, schema)
                    .await
                    .expect("opens"),
            ),
        }
    }

    /// Removes the data. Reached only when the test passed: a failing test's schema
    /// (`bonafide_t_<test>_<pid>_<n>`) is kept for a look, until someone drops it.
    async fn clean_up(self) {
        match self {
            Self::Sqlite(_) => {}
            Self::Postgres { url, schema } => {
                admin(&url, format!("DROP SCHEMA IF EXISTS {schema} CASCADE")).await;
            }
        }
    }
}

/// Runs each contract test against SQLite and against PostgreSQL.
macro_rules! contract {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    let place = super::Place::sqlite();
                    super::$test(&place).await;
                    place.clean_up().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    let Some(place) = super::Place::postgres(stringify!($test)).await else {
                        return;
                    };
                    super::$test(&place).await;
                    place.clean_up().await;
                }
            )*
        }
    };
}

contract!(
    an_empty_store_holds_nothing,
    appended_entries_read_back,
    indices_stay_dense,
    a_refused_batch_leaves_nothing,
    checkpoints_keep_one_root_per_size,
    envelopes_come_in_the_order_asked,
    racing_handles_keep_indices_dense,
    the_writer_lock_makes_writers_take_turns,
);

/// A statement's data, owned, for [`new_entry`] to borrow.
struct Data {
    id: String,
    envelope: Vec<u8>,
}

fn data(tag: &str, n: u64) -> Data {
    Data {
        id: format!("{tag}-{n}"),
        envelope: format!("envelope of {tag} {n}").into_bytes(),
    }
}

/// When entry `index` was accepted: a distinct second for each (in a day).
fn accepted(index: u64) -> Timestamp {
    let seconds = i64::try_from(index % 86_400).unwrap_or_default();
    Timestamp::parse("2026-11-28T09:00:00Z")
        .expect("valid")
        .saturating_add(time::Duration::seconds(seconds))
}

fn new_entry(index: u64, data: &Data) -> NewEntry<'_> {
    NewEntry {
        index,
        org: "acme",
        statement_id: &data.id,
        envelope: &data.envelope,
        accepted_at: accepted(index),
    }
}

fn checkpoint(size: u64, root: &[u8; 32]) -> NewCheckpoint<'_> {
    NewCheckpoint {
        size,
        root,
        note: NOTE,
        signed_at: accepted(size),
    }
}

/// A root that tells sizes and writers apart.
fn root(size: u64, writer: u8) -> [u8; 32] {
    let mut root = [writer; 32];
    root[..8].copy_from_slice(&size.to_be_bytes());
    root
}

/// Appends `count` entries one by one from the log's size `from`, each with its checkpoint.
async fn append_each(store: &dyn Store, from: u64, count: u64, tag: &str) {
    for index in from..from + count {
        let data = data(tag, index);
        store
            .append(
                new_entry(index, &data),
                checkpoint(index + 1, &root(index + 1, 0)),
            )
            .await
            .unwrap_or_else(|e| panic!("append at {index}: {e}"));
    }
}

/// Every entry's index, in the store's order.
async fn indices(store: &dyn Store) -> Vec<u64> {
    store
        .entries(0, u32::MAX)
        .await
        .expect("entries read")
        .iter()
        .map(|e| e.index)
        .collect()
}

fn assert_conflict(result: Result<(), StoreError>, what: &str) {
    assert!(
        matches!(result, Err(StoreError::Conflict(_))),
        "{what}: expected a conflict, got {result:?}"
    );
}

/// Where several processes share the store, one writer at a time holds the writer lock and
/// appends through it, at the log's size only.
async fn the_writer_lock_makes_writers_take_turns(place: &Place) {
    let store = place.open().await;
    let other = place.open().await;
    let Some(mut writer) = store.writer_lock().await.expect("the writer lock") else {
        // A store of one process has none: its own lock suffices.
        assert!(
            matches!(place, Place::Sqlite(_)),
            "only SQLite has no writer lock"
        );
        return;
    };
    append_each(&*store, 0, 2, "w").await;
    let at_size = data("w", 2);
    writer
        .append(new_entry(2, &at_size), checkpoint(3, &root(3, 1)))
        .await
        .expect("the writer appends at the log's size");
    let gap = data("w", 5);
    assert_conflict(
        writer
            .append(new_entry(5, &gap), checkpoint(6, &root(6, 1)))
            .await,
        "an index past the size",
    );
    let taken = data("x", 1);
    assert_conflict(
        writer
            .append(new_entry(1, &taken), checkpoint(2, &root(2, 1)))
            .await,
        "a taken index",
    );
    assert_eq!(indices(&*store).await, [0, 1, 2]);
    let latest = store.latest_checkpoint().await.expect("read");
    assert_eq!(latest.map(|c| (c.size, c.root)), Some((3, root(3, 1))));

    // A second writer waits until the first releases the lock.
    let second = tokio::spawn(async move { other.writer_lock().await });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(!second.is_finished(), "two writers held the lock at once");
    writer.release().await;
    let second = tokio::time::timeout(std::time::Duration::from_secs(5), second)
        .await
        .expect("the second writer gets the lock once the first releases it")
        .expect("joined")
        .expect("locked")
        .expect("a writer lock");
    second.release().await;
}

async fn an_empty_store_holds_nothing(place: &Place) {
    let store = place.open().await;
    store.ping().await.expect("ping");
    assert_eq!(store.latest_checkpoint().await.expect("read"), None);
    assert!(store.entries(0, 10).await.expect("read").is_empty());
    assert!(store.envelopes(&[]).await.expect("read").is_empty());
    assert!(matches!(
        store.envelopes(&[0]).await,
        Err(StoreError::Corrupt(_))
    ));
    // An empty batch is no append at all.
    store.append_all(&[], None).await.expect("empty batch");
    assert!(indices(store.as_ref()).await.is_empty());
    // No checkpoint beyond the empty log.
    assert_conflict(
        store.add_checkpoint(checkpoint(1, &root(1, 0))).await,
        "checkpoint of size 1 on an empty log",
    );
}

async fn appended_entries_read_back(place: &Place) {
    let store = place.open().await;
    let first = data("read", 0);
    store
        .append(new_entry(0, &first), checkpoint(1, &root(1, 0)))
        .await
        .expect("first append");
    let batch: Vec<Data> = (1..4).map(|n| data("read", n)).collect();
    let entries: Vec<NewEntry<'_>> = batch
        .iter()
        .zip(1..)
        .map(|(d, index)| new_entry(index, d))
        .collect();
    store
        .append_all(&entries, Some(checkpoint(4, &root(4, 0))))
        .await
        .expect("batch append");

    let read = store.entries(0, 100).await.expect("read");
    assert_eq!(read.len(), 4);
    for (n, entry) in (0..).zip(&read) {
        assert_eq!(entry.index, n);
        assert_eq!(entry.envelope, data("read", n).envelope);
        assert_eq!(entry.accepted_at, accepted(n));
    }
    let middle = store.entries(1, 2).await.expect("read");
    assert_eq!(middle.iter().map(|e| e.index).collect::<Vec<_>>(), [1, 2]);
    assert!(store.entries(4, 10).await.expect("read").is_empty());
    assert!(store.entries(u64::MAX, 10).await.expect("read").is_empty());
    assert!(store.entries(0, 0).await.expect("read").is_empty());

    assert_eq!(
        store.latest_checkpoint().await.expect("read"),
        Some(StoredCheckpoint {
            size: 4,
            root: root(4, 0),
            note: NOTE.to_owned(),
        })
    );
    // A batch without a checkpoint leaves the latest one where it was.
    let more = data("read", 4);
    store
        .append_all(&[new_entry(4, &more)], None)
        .await
        .expect("append without checkpoint");
    assert_eq!(indices(store.as_ref()).await, [0, 1, 2, 3, 4]);
    let latest = store.latest_checkpoint().await.expect("read").expect("one");
    assert_eq!(latest.size, 4);

    // Another handle (a restart) reads the same.
    let again = place.open().await;
    assert_eq!(indices(again.as_ref()).await, [0, 1, 2, 3, 4]);
    assert_eq!(again.latest_checkpoint().await.expect("read"), Some(latest));
}

async fn indices_stay_dense(place: &Place) {
    let store = place.open().await;
    append_each(store.as_ref(), 0, 2, "dense").await;

    let taken = data("dense", 100);
    assert_conflict(
        store
            .append(new_entry(1, &taken), checkpoint(2, &root(2, 1)))
            .await,
        "an index taken",
    );
    assert_conflict(
        store
            .append(new_entry(0, &taken), checkpoint(1, &root(1, 1)))
            .await,
        "index 0 taken",
    );
    assert_conflict(
        store
            .append(new_entry(3, &taken), checkpoint(4, &root(4, 1)))
            .await,
        "a gap",
    );
    assert_conflict(
        store
            .append(new_entry(u64::MAX, &taken), checkpoint(0, &root(0, 1)))
            .await,
        "an index beyond any database integer",
    );
    // The same statement (org and id) twice is refused, even at the right index.
    let again = data("dense", 0);
    assert_conflict(
        store
            .append(new_entry(2, &again), checkpoint(3, &root(3, 1)))
            .await,
        "a statement stored twice",
    );
    // A checkpoint of another size than the append makes.
    assert_conflict(
        store
            .append(new_entry(2, &taken), checkpoint(5, &root(5, 1)))
            .await,
        "a checkpoint of the wrong size",
    );
    assert_eq!(indices(store.as_ref()).await, [0, 1]);
    assert_eq!(
        store
            .latest_checkpoint()
            .await
            .expect("read")
            .map(|c| c.size),
        Some(2)
    );

    store
        .append(new_entry(2, &taken), checkpoint(3, &root(3, 1)))
        .await
        .expect("the next index is free");
    assert_eq!(indices(store.as_ref()).await, [0, 1, 2]);
}

async fn a_refused_batch_leaves_nothing(place: &Place) {
    let store = place.open().await;
    append_each(store.as_ref(), 0, 1, "batch").await;
    let fresh: Vec<Data> = (1..4).map(|n| data("fresh", n)).collect();
    let duplicate = data("batch", 0);

    // The last entry repeats a stored statement: the first two must not stay.
    let batch = [
        new_entry(1, &fresh[0]),
        new_entry(2, &fresh[1]),
        new_entry(3, &duplicate),
    ];
    assert_conflict(
        store
            .append_all(&batch, Some(checkpoint(4, &root(4, 0))))
            .await,
        "a batch with a duplicate statement",
    );
    // A gap inside the batch.
    let batch = [new_entry(1, &fresh[0]), new_entry(3, &fresh[1])];
    assert_conflict(store.append_all(&batch, None).await, "a batch with a gap");
    // Two entries in the batch share an index.
    let batch = [new_entry(1, &fresh[0]), new_entry(1, &fresh[1])];
    assert_conflict(
        store.append_all(&batch, None).await,
        "a batch with an index twice",
    );
    // Entries fine, checkpoint of the wrong size.
    let batch = [new_entry(1, &fresh[0]), new_entry(2, &fresh[1])];
    assert_conflict(
        store
            .append_all(&batch, Some(checkpoint(2, &root(2, 0))))
            .await,
        "a batch with a checkpoint of the wrong size",
    );
    assert_eq!(indices(store.as_ref()).await, [0]);
    assert_eq!(
        store
            .latest_checkpoint()
            .await
            .expect("read")
            .map(|c| c.size),
        Some(1)
    );

    let batch = [
        new_entry(1, &fresh[0]),
        new_entry(2, &fresh[1]),
        new_entry(3, &fresh[2]),
    ];
    store
        .append_all(&batch, Some(checkpoint(4, &root(4, 0))))
        .await
        .expect("the good batch");
    assert_eq!(indices(store.as_ref()).await, [0, 1, 2, 3]);
}

async fn checkpoints_keep_one_root_per_size(place: &Place) {
    let store = place.open().await;
    append_each(store.as_ref(), 0, 3, "cp").await;

    // The size appended with its root: storing it again is a no-op; another root is refused.
    store
        .add_checkpoint(checkpoint(3, &root(3, 0)))
        .await
        .expect("same root again");
    assert_conflict(
        store.add_checkpoint(checkpoint(3, &root(3, 9))).await,
        "another root for a stored size",
    );
    // Beyond the log.
    assert_conflict(
        store.add_checkpoint(checkpoint(4, &root(4, 0))).await,
        "a size beyond the log",
    );
    assert_conflict(
        store
            .add_checkpoint(checkpoint(u64::MAX, &root(0, 0)))
            .await,
        "a size beyond any database integer",
    );
    // The latest is still the one appended.
    let latest = store.latest_checkpoint().await.expect("read");
    assert_eq!(
        latest,
        Some(StoredCheckpoint {
            size: 3,
            root: root(3, 0),
            note: NOTE.to_owned(),
        })
    );

    // A size appended without its checkpoint, which is stored afterwards (as the service does
    // when it signs at start a size it finds unsigned).
    store
        .append_all(&[new_entry(3, &data("cp", 3))], None)
        .await
        .expect("append without checkpoint");
    store
        .add_checkpoint(checkpoint(4, &root(4, 5)))
        .await
        .expect("the checkpoint of the log's size");
    store
        .add_checkpoint(checkpoint(4, &root(4, 5)))
        .await
        .expect("the same again");
    assert_conflict(
        store.add_checkpoint(checkpoint(4, &root(4, 6))).await,
        "another root for size 4",
    );
    assert_eq!(
        store.latest_checkpoint().await.expect("read"),
        Some(StoredCheckpoint {
            size: 4,
            root: root(4, 5),
            note: NOTE.to_owned(),
        })
    );
    let next = data("cp", 4);
    store
        .append(new_entry(4, &next), checkpoint(5, &root(5, 0)))
        .await
        .expect("append after");
    assert_eq!(
        store
            .latest_checkpoint()
            .await
            .expect("read")
            .map(|c| c.size),
        Some(5)
    );
}

async fn envelopes_come_in_the_order_asked(place: &Place) {
    let store = place.open().await;
    // More than one query's worth on either store (SQLite asks 500 at a time, PostgreSQL 1,000).
    const COUNT: u64 = 1_200;
    let all: Vec<Data> = (0..COUNT).map(|n| data("env", n)).collect();
    let entries: Vec<NewEntry<'_>> = all
        .iter()
        .zip(0..)
        .map(|(d, index)| new_entry(index, d))
        .collect();
    store
        .append_all(&entries, Some(checkpoint(COUNT, &root(COUNT, 0))))
        .await
        .expect("batch");

    let asked = [7, 0, 1_150, 3, 600];
    let envelopes = store.envelopes(&asked).await.expect("read");
    let expected: Vec<Vec<u8>> = asked.iter().map(|&n| data("env", n).envelope).collect();
    assert_eq!(envelopes, expected);

    let reversed: Vec<u64> = (0..COUNT).rev().collect();
    let envelopes = store.envelopes(&reversed).await.expect("read");
    assert_eq!(envelopes.len(), all.len());
    for (envelope, &index) in envelopes.iter().zip(&reversed) {
        assert_eq!(*envelope, data("env", index).envelope, "envelope {index}");
    }

    for missing in [vec![1, COUNT], vec![u64::MAX], vec![COUNT + 5, 0]] {
        let result = store.envelopes(&missing).await;
        assert!(
            matches!(result, Err(StoreError::Corrupt(_))),
            "{missing:?}: {result:?}"
        );
    }
}

async fn racing_handles_keep_indices_dense(place: &Place) {
    // Two handles, each with its own connection pool, as two processes would have.
    let a = place.open().await;
    let b = place.open().await;

    // Both try to take the same index at the same moment: one wins, the other is told.
    const ROUNDS: u64 = 15;
    for index in 0..ROUNDS {
        let barrier = Arc::new(tokio::sync::Barrier::new(2));
        let race = |store: Arc<dyn Store>, writer: u8| {
            let barrier = barrier.clone();
            tokio::spawn(async move {
                let data = data(&format!("writer{writer}"), index);
                let root = root(index + 1, writer);
                barrier.wait().await;
                store
                    .append(new_entry(index, &data), checkpoint(index + 1, &root))
                    .await
            })
        };
        let (first, second) = tokio::join!(race(a.clone(), 1), race(b.clone(), 2));
        let results = [first.expect("task"), second.expect("task")];
        let won = results.iter().filter(|r| r.is_ok()).count();
        assert_eq!(won, 1, "round {index}: {results:?}");
        for result in &results {
            if let Err(e) = result {
                assert!(matches!(e, StoreError::Conflict(_)), "round {index}: {e}");
            }
        }
    }
    let expected: Vec<u64> = (0..ROUNDS).collect();
    assert_eq!(indices(a.as_ref()).await, expected);
    assert_eq!(indices(b.as_ref()).await, expected);

    // Four writers over both handles, each appending at the size it last saw and retrying on
    // a conflict, until each has appended its share.
    const EACH: u64 = 8;
    let mut writers = Vec::new();
    for writer in 0..4u8 {
        let store = if writer % 2 == 0 {
            a.clone()
        } else {
            b.clone()
        };
        writers.push(tokio::spawn(async move {
            let mut appended = 0;
            let mut conflicts = 0u32;
            while appended < EACH {
                let size = store.entries(0, u32::MAX).await.expect("read").len() as u64;
                let data = data(&format!("many{writer}"), appended);
                let root = root(size + 1, writer);
                match store
                    .append(new_entry(size, &data), checkpoint(size + 1, &root))
                    .await
                {
                    Ok(()) => appended += 1,
                    Err(StoreError::Conflict(_)) => conflicts += 1,
                    Err(e) => panic!("writer {writer}: {e}"),
                }
                assert!(conflicts < 1_000, "writer {writer} never gets through");
            }
        }));
    }
    for writer in writers {
        writer.await.expect("writer");
    }
    let total = ROUNDS + 4 * EACH;
    let expected: Vec<u64> = (0..total).collect();
    assert_eq!(indices(a.as_ref()).await, expected);
    // One checkpoint per size, the latest of the whole log, whoever wrote it.
    let latest = b.latest_checkpoint().await.expect("read").expect("one");
    assert_eq!(latest.size, total);
    assert_eq!(latest.root[..8], total.to_be_bytes());
}

// Choosing the store.

#[tokio::test]
async fn no_database_url_means_sqlite_in_the_data_directory() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = open_store(None, dir.path(), None).await.expect("opens");
    append_each(store.as_ref(), 0, 1, "default").await;
    assert!(dir.path().join(bonafide::store::DATABASE_FILE).is_file());
}

#[tokio::test]
async fn other_database_urls_are_refused_clearly() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (url, said) in [
        ("mysql://root:secret@localhost/db", "\"mysql\""),
        ("sqlite://x.db", "\"sqlite\""),
        ("localhost:5432", "no scheme"),
    ] {
        let error = open_store(Some(url), dir.path(), None)
            .await
            .err()
            .unwrap_or_else(|| panic!("{url} opened"));
        assert!(matches!(error, StoreError::Config(_)), "{url}: {error:?}");
        let message = error.to_string();
        assert!(message.contains(said), "{url}: {message}");
        assert!(!message.contains("secret"), "{url}: {message}");
    }
}

#[tokio::test]
async fn an_unreachable_database_is_unavailable() {
    // Port 1 on this machine: nothing listens. The store retries for its acquire timeout (5 s),
    // then says it is unavailable, without the password.
    let result = open_store(
        Some("postgresql://postgres:secret@127.0.0.1:1/test"),
        Path::new("/nonexistent"),
        None,
    )
    .await;
    let error = result.err().expect("nothing listens on port 1");
    assert!(matches!(error, StoreError::Unavailable(_)), "{error:?}");
    assert!(!error.to_string().contains("secret"), "{error}");
}

#[tokio::test]
async fn schema_names_are_checked() {
    // Refused before any connection: the URL need not answer.
    for bad in ["", "Upper", "a;drop", "9lives", "a b", "x\"y"] {
        let result =
            PostgresStore::open_in_schema("postgres://postgres@127.0.0.1:1/test", bad).await;
        assert!(
            matches!(result, Err(StoreError::Config(_))),
            "{bad:?}: {:?}",
            result.err()
        );
    }
}

/// `TEST_DATABASE_URL` with `search_path` set to `schema`, as an operator would choose one.
fn url_in_schema(url: &str, schema: &str) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}options[search_path]={schema}")
}

#[tokio::test]
async fn a_postgres_url_opens_postgres() {
    let Some(Place::Postgres { url, schema }) = Place::postgres("url").await else {
        return;
    };
    // The schema must exist for `search_path` to use it.
    admin(&url, format!("CREATE SCHEMA {schema}")).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let store = open_store(Some(&url_in_schema(&url, &schema)), dir.path(), None)
        .await
        .expect("opens");
    append_each(store.as_ref(), 0, 2, "url").await;
    assert!(!dir.path().join(bonafide::store::DATABASE_FILE).exists());
    let in_schema = PostgresStore::open_in_schema(&url, &schema)
        .await
        .expect("opens");
    assert_eq!(indices(&in_schema).await, [0, 1]);
    in_schema.close().await;
    drop(store);
    Place::Postgres { url, schema }.clean_up().await;
}

// TLS to PostgreSQL (rustls). The test server must offer TLS (Debian's cluster does, with its
// snakeoil certificate for `localhost`; .ci/run turns TLS on where it is off): its certificate
// file, read from the server's own settings, is the CA for the verifying modes.

/// `url` with `sslmode` (and the host replaced by `host`, when given).
fn with_tls(url: &str, sslmode: &str, host: Option<&str>) -> String {
    let mut parsed = url::Url::parse(url).expect("TEST_DATABASE_URL is a URL");
    if let Some(host) = host {
        parsed.set_host(Some(host)).expect("a host");
    }
    parsed.query_pairs_mut().append_pair("sslmode", sslmode);
    parsed.to_string()
}

/// The server's certificate file, which signs itself (PostgreSQL's `ssl_cert_file`).
async fn server_certificate(url: &str) -> std::path::PathBuf {
    use sqlx::Connection as _;
    use sqlx::Row as _;
    let mut connection = sqlx::PgConnection::connect(url).await.expect("connects");
    let ssl: String = sqlx::query("SHOW ssl")
        .fetch_one(&mut connection)
        .await
        .expect("SHOW ssl")
        .get(0);
    assert_eq!(
        ssl, "on",
        "the test PostgreSQL offers no TLS: turn it on (ssl = on; .ci/run does)"
    );
    let file: String = sqlx::query("SHOW ssl_cert_file")
        .fetch_one(&mut connection)
        .await
        .expect("SHOW ssl_cert_file")
        .get(0);
    std::path::PathBuf::from(file)
}

#[tokio::test]
async fn postgres_over_tls_in_every_sslmode_and_refused_where_the_certificate_does_not_match() {
    let Some(Place::Postgres { url, schema }) = Place::postgres("tls").await else {
        return;
    };
    let _ = rustls::crypto::ring::default_provider().install_default();
    let certificate = server_certificate(&url).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let open = |url: String, ca: Option<std::path::PathBuf>| {
        let schema = schema.clone();
        async move {
            match ca {
                None => PostgresStore::open_in_schema(&url, &schema).await,
                Some(ca) => {
                    PostgresStore::open_with_ca(&url_in_schema(&url, &schema), Some(&ca)).await
                }
            }
        }
    };
    admin(&url, format!("CREATE SCHEMA {schema}")).await;

    // Plain text only when asked for; every other mode encrypts, prefer included.
    let plain = open(with_tls(&url, "disable", None), None)
        .await
        .expect("opens");
    assert!(
        !plain.encrypted().await.expect("answers"),
        "disable is plain text"
    );
    plain.close().await;
    for mode in ["prefer", "require"] {
        let store = open(with_tls(&url, mode, None), None).await.expect(mode);
        assert!(
            store.encrypted().await.expect("answers"),
            "{mode} is not over TLS"
        );
        store.close().await;
    }
    // verify-ca: the certificate chains to the CA file; verify-full: and names the host.
    let verified = [
        (with_tls(&url, "verify-ca", None), "verify-ca"),
        (
            with_tls(&url, "verify-full", Some("localhost")),
            "verify-full",
        ),
    ];
    for (index, (url, mode)) in (0..).zip(verified) {
        let store = open(url, Some(certificate.clone())).await.expect(mode);
        assert!(store.encrypted().await.expect("answers"), "{mode}");
        append_each(&store, index, 1, mode).await;
        store.close().await;
    }
    // The CA in the URL (`sslrootcert`) serves as well as the setting.
    let in_url = format!(
        "{}&sslrootcert={}",
        with_tls(&url, "verify-full", Some("localhost")),
        certificate.display()
    );
    let store = open(in_url, None).await.expect("sslrootcert");
    assert!(store.encrypted().await.expect("answers"));
    store.close().await;

    // Refused: a certificate for another name, one no CA here signed, the web's roots (which
    // never signed a snakeoil certificate), and a CA file that is not there.
    let other_ca = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tls/other-ca.pem");
    let refused = [
        (
            with_tls(&url, "verify-full", Some("127.0.0.1")),
            Some(certificate.clone()),
            "the certificate names localhost, not 127.0.0.1",
        ),
        (
            with_tls(&url, "verify-ca", None),
            Some(other_ca),
            "another CA",
        ),
        (
            with_tls(&url, "verify-full", Some("localhost")),
            None,
            "no CA file: the web's roots",
        ),
    ];
    for (url, ca, why) in refused {
        match open(url, ca).await {
            Err(StoreError::Unavailable(message)) => {
                assert!(
                    message.to_lowercase().contains("certificate"),
                    "{why}: {message}"
                );
            }
            Ok(_) => panic!("{why}: connected"),
            Err(other) => panic!("{why}: {other:?}"),
        }
    }
    let missing = dir.path().join("no-such-ca.pem");
    match open(
        with_tls(&url, "verify-full", Some("localhost")),
        Some(missing),
    )
    .await
    {
        Err(StoreError::Config(message)) => {
            assert!(message.contains("no-such-ca.pem"), "{message}")
        }
        other => panic!("a missing CA file: {:?}", other.err()),
    }
    Place::Postgres { url, schema }.clean_up().await;
}

// The service on PostgreSQL.

mod service {
    use std::sync::Arc;

    use bonafide::crypto::SigningKey;
    use bonafide::demo::{DemoKeys, demo_statements};
    use bonafide::http::{Application, Clock, DocumentSettings, Settings, SystemClock};
    use serde_json::Value;

    use super::{Place, PostgresStore, admin, url_in_schema};

    /// Keys from fixed seeds (as tests/api/helpers.rs).
    fn demo_keys() -> DemoKeys {
        DemoKeys {
            operator: SigningKey::from_seed([1; 32]),
            root: SigningKey::from_seed([2; 32]),
            alice: SigningKey::from_seed([3; 32]),
            bob: SigningKey::from_seed([4; 32]),
        }
    }

    fn settings(root: &std::path::Path, keys: &DemoKeys, database_url: &str) -> Settings {
        Settings {
            bind: "127.0.0.1:0".into(),
            data_dir: root.join("data"),
            database_url: Some(database_url.to_owned()),
            operator_keys: vec![keys.operator.public_jwk()],
            workers: 1,
            keyring: None,
            public_url: None,
            log_key: None,
            log_origin: None,
            checkpoint_lock: None,
            documents: DocumentSettings {
                worker_exe: Some(env!("CARGO_BIN_EXE_bonafide").into()),
                ..DocumentSettings::default()
            },
            news_page: false,
            listen_backlog: bonafide::http::DEFAULT_BACKLOG,
            follow: bonafide::http::FollowSettings::default(),
            rate_limits: bonafide::http::RateLimits::off(),
            metrics_bind: None,
            database_ca_file: None,
        }
    }

    /// Builds and starts the service; its base URL.
    async fn start(settings: Settings) -> String {
        let app = Application::build(settings, Arc::new(SystemClock))
            .await
            .expect("the service starts on PostgreSQL");
        let base = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.run_until_stopped());
        base
    }

    async fn log_size(client: &reqwest::Client, base: &str) -> u64 {
        let ready: Value = client
            .get(format!("{base}/readyz"))
            .send()
            .await
            .expect("sent")
            .json()
            .await
            .expect("JSON");
        ready["log_size"].as_u64().expect("log_size")
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_service_appends_and_serves_statements_from_postgres() {
        let Some(Place::Postgres { url, schema }) = Place::postgres("service").await else {
            return;
        };
        let _ = rustls::crypto::ring::default_provider().install_default();
        admin(&url, format!("CREATE SCHEMA {schema}")).await;
        let database_url = url_in_schema(&url, &schema);
        let root = tempfile::tempdir().expect("temp dir");
        let keys = demo_keys();
        let client = reqwest::Client::new();

        let base = start(settings(root.path(), &keys, &database_url)).await;
        assert_eq!(log_size(&client, &base).await, 0);
        let statements = demo_statements(&keys, SystemClock.now()).expect("demo statements");
        let mut bodies = Vec::new();
        for (index, jws) in (0u64..).zip(&statements) {
            let body = jws.to_canonical_bytes();
            let response = client
                .post(format!("{base}/v1/statements"))
                .header("Content-Type", "application/jose+json")
                .body(body.clone())
                .send()
                .await
                .expect("sent");
            assert_eq!(response.status(), 201, "statement {index}");
            let answer: Value = response.json().await.expect("JSON");
            assert_eq!(answer["receipt"]["log_index"], index, "{answer}");
            bodies.push(body);
        }
        let size = bodies.len() as u64;
        assert_eq!(log_size(&client, &base).await, size);

        // The rows are in the schema, and a restarted service replays them from there.
        let store = PostgresStore::open_in_schema(&url, &schema)
            .await
            .expect("opens");
        let stored = bonafide::store::Store::entries(&store, 0, 1_000)
            .await
            .expect("read");
        assert_eq!(stored.len(), bodies.len());
        let latest = bonafide::store::Store::latest_checkpoint(&store)
            .await
            .expect("read")
            .expect("a checkpoint");
        assert_eq!(latest.size, size);
        store.close().await;

        let again = start(settings(root.path(), &keys, &database_url)).await;
        assert_eq!(log_size(&client, &again).await, size);
        for (index, body) in bodies.iter().enumerate() {
            let response = client
                .get(format!("{again}/v1/log/entries/{index}"))
                .send()
                .await
                .expect("sent");
            assert_eq!(response.status(), 200, "entry {index}");
            assert_eq!(&response.bytes().await.expect("body")[..], &body[..]);
        }
        let listed: Value = client
            .get(format!("{again}/v1/orgs/iucg/statements"))
            .send()
            .await
            .expect("sent")
            .json()
            .await
            .expect("JSON");
        assert_eq!(
            listed["statements"].as_array().map(Vec::len),
            Some(bodies.len()),
            "every statement is listed"
        );

        Place::Postgres { url, schema }.clean_up().await;
    }

    async fn submit(client: &reqwest::Client, base: &str, body: &[u8]) -> (u16, Value) {
        let response = client
            .post(format!("{base}/v1/statements"))
            .header("Content-Type", "application/jose+json")
            .body(body.to_vec())
            .send()
            .await
            .expect("sent");
        let status = response.status().as_u16();
        (status, response.json().await.expect("JSON"))
    }

    /// Two services on one database, as replicas: the second one follows the first, so the same
    /// statement sent to it is a duplicate of the first's entry (never a second entry, never a
    /// second root for a size), and what it appends the first one serves.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_second_service_on_the_same_database_never_forks_the_log() {
        let Some(Place::Postgres { url, schema }) = Place::postgres("two_services").await else {
            return;
        };
        let _ = rustls::crypto::ring::default_provider().install_default();
        admin(&url, format!("CREATE SCHEMA {schema}")).await;
        let database_url = url_in_schema(&url, &schema);
        // One data directory: the two share the log key and the verdict keys, as replicas do.
        let root = tempfile::tempdir().expect("temp dir");
        let keys = demo_keys();
        let client = reqwest::Client::new();
        // Each replica has a checkpoint lock of its own, as the README says.
        let own_lock = |name: &str| Settings {
            checkpoint_lock: Some(root.path().join(name)),
            ..settings(root.path(), &keys, &database_url)
        };
        let first = start(own_lock("first.checkpoint")).await;
        let second = start(own_lock("second.checkpoint")).await;
        let statements = demo_statements(&keys, SystemClock.now()).expect("demo statements");
        let bodies: Vec<Vec<u8>> = statements.iter().map(|s| s.to_canonical_bytes()).collect();

        let (status, answer) = submit(&client, &first, &bodies[0]).await;
        assert_eq!(status, 201, "{answer}");
        // Whether or not the second has heard of it yet, it finds the first's entry.
        let (status, answer) = submit(&client, &second, &bodies[0]).await;
        assert_eq!(status, 200, "{answer}");
        assert_eq!(answer["result"], "duplicate", "{answer}");
        assert_eq!(answer["receipt"]["log_index"], 0, "{answer}");
        let (status, answer) = submit(&client, &second, &bodies[1]).await;
        assert_eq!(status, 201, "{answer}");
        assert_eq!(answer["receipt"]["log_index"], 1, "{answer}");

        let store = PostgresStore::open_in_schema(&url, &schema)
            .await
            .expect("opens");
        let stored = bonafide::store::Store::entries(&store, 0, 100)
            .await
            .expect("read");
        assert_eq!(
            stored.iter().map(|e| e.index).collect::<Vec<_>>(),
            [0, 1],
            "dense"
        );
        // The first serves the second's entry within a second (LISTEN/NOTIFY).
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(1);
        loop {
            let (status, _) = submit(&client, &first, &bodies[1]).await;
            if status == 200 {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the first service did not learn of the second's entry ({status})"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        store.close().await;

        Place::Postgres { url, schema }.clean_up().await;
    }
}
