//! Durability over real processes: `bonafide serve` is killed with SIGKILL at random moments
//! during a stream of concurrent submissions, then restarted on the same data (and the same
//! checkpoint lock, at its default place beside the data directory), several rounds in a row.
//!
//! After every kill, with no process on the store, the store itself is checked: SQLite's
//! `PRAGMA integrity_check` (read-only connection) or, on PostgreSQL, dense indices; in both, every
//! checkpoint row at most the log's size and with the root of the stored leaves at its size, and
//! every acknowledged statement stored byte for byte at the index its receipt gave. After every
//! restart the service is checked through HTTP: the log has no gaps, every acknowledged statement
//! is served at its receipt's index with its receipt's leaf hash, every entry is a statement the
//! test sent (once), and the new checkpoint is consistent (by the service's proofs, verified with
//! the library's verifier, and by the recomputed tree) with every checkpoint handed out before.
//! Each receipt's inclusion proof is verified against its own signed checkpoint.
//!
//! SQLite always; PostgreSQL when `TEST_DATABASE_URL` is set (in a database of its own, dropped
//! when the test passes). `DURABILITY_SEED` changes the kill moments.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail, ensure};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use bonafide::api::{ConsistencyProof, Receipt, SubmitResponse};
use bonafide::crypto::{GeneralJws, STATEMENT_TYP, SigningKey, canonicalize, public_key_file};
use bonafide::demo::{DemoKeys, demo_statements};
use bonafide::domain::Timestamp;
use bonafide::log::proof::{verify_consistency, verify_inclusion};
use bonafide::log::{Checkpoint, NoteVerifier, Tree, leaf_hash};
use serde_json::{Value, json};
use sqlx::Connection as _;

const BIN: &str = env!("CARGO_BIN_EXE_bonafide");

/// Kill-and-restart rounds.
const ROUNDS: usize = 8;

/// Concurrent submitting clients.
const CLIENTS: usize = 4;

/// The stream runs this long (in milliseconds, inclusive range) before the kill.
const KILL_AFTER_MS: (u64, u64) = (50, 600);

/// The kill moments' seed unless `DURABILITY_SEED` gives one.
const DEFAULT_SEED: u64 = 0x6b69_6c6c_2d39;

/// The variable that names the PostgreSQL database for tests.
const DATABASE_VARIABLE: &str = "TEST_DATABASE_URL";

/// Alice's seed in the demo keys: staff with the `admin` role, so one signature suffices for an
/// official channel.
const ALICE_SEED: [u8; 32] = [3; 32];

#[test]
fn sqlite_keeps_every_acknowledged_statement_across_sigkill() -> anyhow::Result<()> {
    run(None)
}

#[test]
fn postgres_keeps_every_acknowledged_statement_across_sigkill() -> anyhow::Result<()> {
    let Some(admin_url) = std::env::var(DATABASE_VARIABLE)
        .ok()
        .filter(|v| !v.is_empty())
    else {
        eprintln!(
            "SKIPPED: {DATABASE_VARIABLE} is not set; the PostgreSQL durability test did not run"
        );
        return Ok(());
    };
    let admin_runtime = runtime()?;
    let name = format!(
        "bonafide_durability_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .subsec_nanos()
    );
    let mut url = url::Url::parse(&admin_url).context("TEST_DATABASE_URL is not a URL")?;
    url.set_path(&format!("/{name}"));
    let database_url = url.to_string();
    admin_runtime.block_on(admin(&admin_url, format!("CREATE DATABASE {name}")))?;
    eprintln!("durability: PostgreSQL database {name} (dropped if the test passes)");
    run(Some(database_url))?;
    admin_runtime.block_on(admin(
        &admin_url,
        format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
    ))
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?)
}

/// Runs `sql` on the database at `url`.
async fn admin(url: &str, sql: String) -> anyhow::Result<()> {
    let mut connection = sqlx::PgConnection::connect(url)
        .await
        .with_context(|| format!("cannot connect to {DATABASE_VARIABLE}"))?;
    sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
        .execute(&mut connection)
        .await
        .with_context(|| format!("{sql} failed"))?;
    connection.close().await?;
    Ok(())
}

/// A small deterministic generator (SplitMix64), so that a seed replays the same kill moments.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// In `low..=high`.
    fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.next() % (high - low + 1)
    }
}

/// A `bonafide serve` process, killed (SIGKILL) when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    /// Starts `bonafide serve` on a free port and waits (up to 30 s) for its start-up line.
    fn start(data: &Path, operator_key: &Path, database_url: Option<&str>) -> anyhow::Result<Self> {
        let mut command = Command::new(BIN);
        command
            .args(["serve", "--bind", "127.0.0.1:0", "--workers", "2", "--data"])
            .arg(data)
            .arg("--operator-key")
            .arg(operator_key)
            .env("BONAFIDE_LOG", "warn")
            .env_remove("BONAFIDE_DATABASE_URL")
            .env_remove("BONAFIDE_CHECKPOINT_LOCK")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        if let Some(url) = database_url {
            command.arg("--database-url").arg(url);
        }
        let mut child = command.spawn().context("cannot start bonafide serve")?;
        let stderr = child.stderr.take().context("no stderr")?;
        let (sender, receiver) = std::sync::mpsc::channel();
        // Reads what it logs until it exits, so that it never writes into a closed pipe.
        std::thread::spawn(move || {
            let mut sender = Some(sender);
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(rest) = line.split("listening on ").nth(1)
                    && let Some(sender) = sender.take()
                {
                    let base = rest.split_whitespace().next().unwrap_or_default();
                    let _ = sender.send(base.to_owned());
                } else {
                    eprintln!("server: {line}");
                }
            }
        });
        let mut server = Self {
            child,
            base: String::new(),
        };
        server.base = receiver
            .recv_timeout(Duration::from_secs(30))
            .context("bonafide serve exited or hung before listening")?;
        Ok(server)
    }

    /// SIGKILL (what `Child::kill` sends on Unix), then reaps it.
    fn kill(&mut self) -> anyhow::Result<()> {
        self.child.kill()?;
        self.child.wait()?;
        Ok(())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Where the log's rows live.
enum StoreAt {
    Sqlite(PathBuf),
    Postgres(String),
}

/// An acknowledged submission: the exact bytes sent and the receipt of the 201.
struct Ack {
    body: Vec<u8>,
    receipt: Receipt,
}

/// What one submitting client did in a round.
#[derive(Default)]
struct Stream {
    acks: Vec<Ack>,
    attempted: Vec<Vec<u8>>,
    error: Option<String>,
}

/// Everything the test has seen so far.
struct Record {
    verifier: NoteVerifier,
    /// The log key as served at the first start.
    log_key: String,
    acks: Vec<Ack>,
    /// Every body sent, by leaf hash: an entry in the log must be one of them.
    sent: HashMap<[u8; 32], Vec<u8>>,
    /// Every checkpoint handed out (receipts and `GET /v1/log/checkpoint`): size to root.
    checkpoints: BTreeMap<u64, [u8; 32]>,
}

impl Record {
    /// Checks a new receipt (its checkpoint's signature, size and inclusion proof) and keeps it.
    fn acknowledge(&mut self, ack: Ack) -> anyhow::Result<()> {
        let receipt = &ack.receipt;
        let checkpoint = Checkpoint::open(
            receipt.checkpoint.as_bytes(),
            &self.verifier,
            self.verifier.name(),
        )
        .with_context(|| format!("receipt of {}: its checkpoint does not open", receipt.id))?;
        ensure!(
            checkpoint.size == receipt.tree_size,
            "receipt of {}: tree_size {} but its checkpoint has size {}",
            receipt.id,
            receipt.tree_size,
            checkpoint.size
        );
        let leaf = leaf_hash(&ack.body);
        ensure!(
            hex(&leaf) == receipt.leaf_hash,
            "receipt of {}: leaf hash {} is not the hash of the bytes sent ({})",
            receipt.id,
            receipt.leaf_hash,
            hex(&leaf)
        );
        let proof = decode_hashes(&receipt.inclusion_proof)?;
        verify_inclusion(
            receipt.log_index,
            checkpoint.size,
            &leaf,
            &proof,
            &checkpoint.root,
        )
        .map_err(|e| anyhow::anyhow!("receipt of {}: inclusion proof: {e}", receipt.id))?;
        self.remember(checkpoint.size, checkpoint.root)?;
        self.acks.push(ack);
        Ok(())
    }

    /// Keeps a checkpoint handed out; one size with two roots is a fork.
    fn remember(&mut self, size: u64, root: [u8; 32]) -> anyhow::Result<()> {
        if let Some(earlier) = self.checkpoints.insert(size, root) {
            ensure!(
                earlier == root,
                "FORK: two checkpoints of size {size} with roots {} and {}",
                hex(&earlier),
                hex(&root)
            );
        }
        Ok(())
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn decode_hashes(hashes: &[String]) -> anyhow::Result<Vec<[u8; 32]>> {
    hashes
        .iter()
        .map(|h| {
            STANDARD
                .decode(h)
                .ok()
                .and_then(|b| <[u8; 32]>::try_from(b).ok())
                .with_context(|| format!("{h:?} is not a base64 hash"))
        })
        .collect()
}

/// The canonical JWS of `statement` signed by each of `signers`.
fn sign(statement: &Value, signers: &[&SigningKey]) -> anyhow::Result<Vec<u8>> {
    let mut jws = GeneralJws::new(&canonicalize(statement)?);
    for key in signers {
        jws.sign(key, STATEMENT_TYP);
    }
    Ok(jws.to_canonical_bytes())
}

async fn submit(
    client: &reqwest::Client,
    base: &str,
    body: &[u8],
) -> anyhow::Result<(u16, Vec<u8>)> {
    let response = client
        .post(format!("{base}/v1/statements"))
        .header("Content-Type", "application/jose+json")
        .body(body.to_vec())
        .send()
        .await?;
    let status = response.status().as_u16();
    Ok((status, response.bytes().await?.to_vec()))
}

async fn get(client: &reqwest::Client, base: &str, path: &str) -> anyhow::Result<(u16, Vec<u8>)> {
    let response = client
        .get(format!("{base}{path}"))
        .send()
        .await
        .with_context(|| format!("GET {path}"))?;
    let status = response.status().as_u16();
    Ok((status, response.bytes().await?.to_vec()))
}

async fn get_ok(client: &reqwest::Client, base: &str, path: &str) -> anyhow::Result<Vec<u8>> {
    let (status, body) = get(client, base, path).await?;
    ensure!(
        status == 200,
        "GET {path}: {status} {}",
        String::from_utf8_lossy(&body)
    );
    Ok(body)
}

/// One client of the stream: submits new official channels, signed by Alice, until told to stop
/// or until the server is gone.
async fn submitter(
    client: reqwest::Client,
    base: String,
    round: usize,
    task: usize,
    stop: Arc<AtomicBool>,
) -> Stream {
    let alice = SigningKey::from_seed(ALICE_SEED);
    let mut out = Stream::default();
    for n in 0u64.. {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let now = Timestamp::from_datetime(time::OffsetDateTime::now_utc()).to_string();
        let statement = json!({
            "type": "official-channel",
            "id": format!("durability-{round}-{task}-{n}"),
            "org": "iucg",
            "issued_at": now,
            "effective_from": now,
            "kind": "email",
            "value": format!("desk-{round}-{task}-{n}@iucg.example"),
        });
        let body = match sign(&statement, &[&alice]) {
            Ok(body) => body,
            Err(e) => {
                out.error = Some(format!("cannot sign: {e:#}"));
                break;
            }
        };
        out.attempted.push(body.clone());
        match submit(&client, &base, &body).await {
            Ok((201, answer)) => match serde_json::from_slice::<SubmitResponse>(&answer) {
                Ok(answer) if answer.result == "accepted" => out.acks.push(Ack {
                    body,
                    receipt: answer.receipt,
                }),
                other => {
                    out.error = Some(format!(
                        "201 without an accepted receipt ({}): {}",
                        other.err().map(|e| e.to_string()).unwrap_or_default(),
                        String::from_utf8_lossy(&answer)
                    ));
                    break;
                }
            },
            // SIGKILL leaves no time for an answer: any other status is the service's own.
            Ok((status, answer)) => {
                out.error = Some(format!(
                    "submission refused: {status} {}",
                    String::from_utf8_lossy(&answer)
                ));
                break;
            }
            // A request cut by the kill is not acknowledged; before the kill it is a failure.
            Err(e) => {
                if !stop.load(Ordering::SeqCst) {
                    out.error = Some(format!("request failed before the kill: {e:#}"));
                }
                break;
            }
        }
    }
    out
}

/// The rows of the store, read with no service running. Checks SQLite's integrity first.
async fn read_store(store: &StoreAt) -> anyhow::Result<(Vec<(i64, Vec<u8>)>, Vec<(i64, Vec<u8>)>)> {
    const ENTRIES: &str = "SELECT idx, envelope FROM log_entries ORDER BY idx";
    const CHECKPOINTS: &str = "SELECT size, root FROM checkpoints ORDER BY size";
    const COUNT: &str = "SELECT count(*), max(idx) FROM log_entries";
    let (count, max, entries, checkpoints) = match store {
        StoreAt::Sqlite(file) => {
            let options = sqlx::sqlite::SqliteConnectOptions::new()
                .filename(file)
                .read_only(true);
            let mut connection = sqlx::SqliteConnection::connect_with(&options)
                .await
                .with_context(|| format!("cannot open {} read-only", file.display()))?;
            let integrity: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
                .fetch_all(&mut connection)
                .await?;
            ensure!(integrity == ["ok"], "PRAGMA integrity_check: {integrity:?}");
            let (count, max): (i64, Option<i64>) =
                sqlx::query_as(COUNT).fetch_one(&mut connection).await?;
            let entries = sqlx::query_as(ENTRIES).fetch_all(&mut connection).await?;
            let checkpoints = sqlx::query_as(CHECKPOINTS)
                .fetch_all(&mut connection)
                .await?;
            connection.close().await?;
            (count, max, entries, checkpoints)
        }
        StoreAt::Postgres(url) => {
            let mut connection = sqlx::PgConnection::connect(url).await?;
            let (count, max): (i64, Option<i64>) =
                sqlx::query_as(COUNT).fetch_one(&mut connection).await?;
            let entries = sqlx::query_as(ENTRIES).fetch_all(&mut connection).await?;
            let checkpoints = sqlx::query_as(CHECKPOINTS)
                .fetch_all(&mut connection)
                .await?;
            connection.close().await?;
            (count, max, entries, checkpoints)
        }
    };
    ensure!(
        max.map_or(0, |m| m + 1) == count,
        "indices are not dense: {count} rows, largest index {max:?}"
    );
    Ok((entries, checkpoints))
}

/// Checks the stored log against itself and the receipts; returns (entries, checkpoint rows).
async fn check_store(store: &StoreAt, record: &Record) -> anyhow::Result<(u64, usize)> {
    let (entries, checkpoints) = read_store(store).await?;
    let mut tree = Tree::new();
    for (position, (index, envelope)) in entries.iter().enumerate() {
        ensure!(
            u64::try_from(*index).ok() == Some(position as u64),
            "stored index {index} at position {position}: a gap"
        );
        tree.push(leaf_hash(envelope));
    }
    let size = tree.size();
    for (checkpoint_size, root) in &checkpoints {
        let checkpoint_size = u64::try_from(*checkpoint_size)?;
        ensure!(
            checkpoint_size <= size,
            "a checkpoint row of size {checkpoint_size} but {size} stored entries: lost writes"
        );
        ensure!(
            tree.root_at(checkpoint_size).as_ref().map(|r| &r[..]) == Some(&root[..]),
            "the checkpoint row of size {checkpoint_size} has a root the stored leaves do not give"
        );
    }
    for ack in &record.acks {
        let index = usize::try_from(ack.receipt.log_index)?;
        ensure!(
            entries.get(index).map(|(_, e)| e) == Some(&ack.body),
            "LOST: acknowledged {} at index {index} is not stored as sent ({} entries stored)",
            ack.receipt.id,
            entries.len()
        );
    }
    Ok((size, checkpoints.len()))
}

/// Checks the restarted service through HTTP; returns its checkpoint size and the number of
/// earlier checkpoint sizes proven consistent with it.
async fn check_service(
    client: &reqwest::Client,
    base: &str,
    record: &mut Record,
    stored: u64,
) -> anyhow::Result<(u64, usize)> {
    let ready: Value = serde_json::from_slice(&get_ok(client, base, "/readyz").await?)?;
    let log_key = String::from_utf8(get_ok(client, base, "/v1/log/key").await?)?;
    ensure!(
        log_key.trim() == record.log_key.trim(),
        "the log key changed across a restart"
    );
    let note = get_ok(client, base, "/v1/log/checkpoint").await?;
    let checkpoint = Checkpoint::open(&note, &record.verifier, record.verifier.name())
        .context("the checkpoint after the restart does not open")?;
    let n = checkpoint.size;
    ensure!(
        ready["log_size"].as_u64() == Some(n),
        "/readyz says {ready}, the checkpoint has size {n}"
    );
    ensure!(
        n == stored,
        "the checkpoint has size {n} but the store holds {stored} entries"
    );

    // Every entry, and none past the end: no gaps.
    let mut tree = Tree::new();
    let mut entries = Vec::new();
    let mut seen = HashMap::new();
    for index in 0..n {
        let entry = get_ok(client, base, &format!("/v1/log/entries/{index}")).await?;
        let hash = leaf_hash(&entry);
        ensure!(
            record.sent.get(&hash) == Some(&entry),
            "entry {index} is nothing the test sent"
        );
        if let Some(earlier) = seen.insert(hash, index) {
            bail!("entries {earlier} and {index} hold the same statement");
        }
        tree.push(hash);
        entries.push(entry);
    }
    let (status, _) = get(client, base, &format!("/v1/log/entries/{n}")).await?;
    ensure!(status == 404, "entry {n}, past the checkpoint: {status}");
    ensure!(
        tree.root() == checkpoint.root,
        "the checkpoint's root is not the root of the served entries"
    );

    // Every acknowledged statement, where its receipt put it.
    for ack in &record.acks {
        let index = ack.receipt.log_index;
        let served = usize::try_from(index)
            .ok()
            .and_then(|i| entries.get(i))
            .with_context(|| {
                format!(
                    "LOST: acknowledged {} at index {index}, log size {n}",
                    ack.receipt.id
                )
            })?;
        ensure!(
            *served == ack.body,
            "LOST: entry {index} is not the acknowledged {}",
            ack.receipt.id
        );
        ensure!(
            hex(&leaf_hash(served)) == ack.receipt.leaf_hash,
            "entry {index}: leaf hash differs from the receipt's"
        );
    }

    // Every checkpoint handed out before is a prefix of this one.
    let mut proven = 0;
    for (&m, root) in &record.checkpoints {
        ensure!(
            m <= n,
            "ROLLBACK: a checkpoint of size {m} was handed out, now {n}"
        );
        ensure!(
            tree.root_at(m).as_ref() == Some(root),
            "FORK: the handed-out checkpoint of size {m} is not a prefix of the log"
        );
        let proof: ConsistencyProof = serde_json::from_slice(
            &get_ok(
                client,
                base,
                &format!("/v1/log/proof/consistency?from={m}&to={n}"),
            )
            .await?,
        )?;
        ensure!(
            proof.from == m && proof.to == n,
            "asked {m}..{n}, got {}..{}",
            proof.from,
            proof.to
        );
        verify_consistency(m, n, root, &checkpoint.root, &decode_hashes(&proof.hashes)?)
            .map_err(|e| anyhow::anyhow!("consistency proof {m} -> {n}: {e}"))?;
        proven += 1;
    }
    record.remember(n, checkpoint.root)?;
    Ok((n, proven))
}

/// The whole test on SQLite in the data directory (`None`) or on the PostgreSQL database named.
fn run(database_url: Option<String>) -> anyhow::Result<()> {
    let started = Instant::now();
    let label = if database_url.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let seed = match std::env::var("DURABILITY_SEED") {
        Ok(v) => v
            .parse()
            .with_context(|| format!("DURABILITY_SEED={v:?}"))?,
        Err(_) => DEFAULT_SEED,
    };
    let mut rng = SplitMix(seed);
    let _ = rustls::crypto::ring::default_provider().install_default();
    let work = tempfile::tempdir()?;
    let data = work.path().join("data");
    let keys = DemoKeys {
        operator: SigningKey::from_seed([1; 32]),
        root: SigningKey::from_seed([2; 32]),
        alice: SigningKey::from_seed(ALICE_SEED),
        bob: SigningKey::from_seed([4; 32]),
    };
    let operator_file = work.path().join("operator.pub.jwk");
    std::fs::write(&operator_file, public_key_file(&keys.operator.public_jwk()))?;
    let store = match &database_url {
        Some(url) => StoreAt::Postgres(url.clone()),
        None => StoreAt::Sqlite(data.join(bonafide::store::DATABASE_FILE)),
    };
    let runtime = runtime()?;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()?;

    let mut server = Server::start(&data, &operator_file, database_url.as_deref())?;
    // Pin the log key, then register the demo organisation: its receipts count too.
    let mut record = runtime.block_on(async {
        let log_key = String::from_utf8(get_ok(&client, &server.base, "/v1/log/key").await?)?;
        let verifier = NoteVerifier::parse(log_key.trim())?;
        let mut record = Record {
            verifier,
            log_key,
            acks: Vec::new(),
            sent: HashMap::new(),
            checkpoints: BTreeMap::new(),
        };
        let now = Timestamp::from_datetime(time::OffsetDateTime::now_utc());
        for jws in demo_statements(&keys, now)? {
            let body = jws.to_canonical_bytes();
            record.sent.insert(leaf_hash(&body), body.clone());
            let (status, answer) = submit(&client, &server.base, &body).await?;
            ensure!(
                status == 201,
                "demo statement refused: {status} {}",
                String::from_utf8_lossy(&answer)
            );
            let answer: SubmitResponse = serde_json::from_slice(&answer)?;
            record.acknowledge(Ack {
                body,
                receipt: answer.receipt,
            })?;
        }
        anyhow::Ok(record)
    })?;
    let demo = record.acks.len();
    eprintln!(
        "durability [{label}]: seed {seed}, {ROUNDS} rounds of {CLIENTS} clients, demo \
         organisation registered ({demo} statements)"
    );

    for round in 1..=ROUNDS {
        let delay = Duration::from_millis(rng.between(KILL_AFTER_MS.0, KILL_AFTER_MS.1));
        let streams = runtime.block_on(async {
            let stop = Arc::new(AtomicBool::new(false));
            let tasks: Vec<_> = (0..CLIENTS)
                .map(|task| {
                    tokio::spawn(submitter(
                        client.clone(),
                        server.base.clone(),
                        round,
                        task,
                        stop.clone(),
                    ))
                })
                .collect();
            tokio::time::sleep(delay).await;
            // The flag first: a request that fails after it was cut by the kill.
            stop.store(true, Ordering::SeqCst);
            server.kill()?;
            let mut streams = Vec::new();
            for task in tasks {
                streams.push(task.await?);
            }
            anyhow::Ok(streams)
        })?;
        let (mut acked, mut attempted) = (0, 0);
        for stream in streams {
            if let Some(error) = stream.error {
                bail!("round {round}: {error}");
            }
            attempted += stream.attempted.len();
            for body in stream.attempted {
                record.sent.insert(leaf_hash(&body), body);
            }
            acked += stream.acks.len();
            for ack in stream.acks {
                record.acknowledge(ack)?;
            }
        }

        // No process on the store now: check it as the kill left it.
        let (stored, checkpoint_rows) = runtime
            .block_on(check_store(&store, &record))
            .with_context(|| format!("round {round}: the store after the kill"))?;

        let restarting = Instant::now();
        server = Server::start(&data, &operator_file, database_url.as_deref())
            .with_context(|| format!("round {round}: restart"))?;
        let restart = restarting.elapsed();
        let (size, proven) = runtime
            .block_on(check_service(&client, &server.base, &mut record, stored))
            .with_context(|| format!("round {round}: the service after the restart"))?;
        eprintln!(
            "durability [{label}]: round {round}: SIGKILL after {} ms; {acked} acknowledged of \
             {attempted} sent ({} unacknowledged in flight); store: {stored} entries, \
             {checkpoint_rows} checkpoint rows{}; restarted in {} ms; checkpoint size {size}; \
             all {} acknowledged statements at their indices; {proven} earlier checkpoints \
             consistent",
            delay.as_millis(),
            attempted - acked,
            if database_url.is_some() {
                ", indices dense"
            } else {
                ", integrity_check ok"
            },
            restart.as_millis(),
            record.acks.len(),
        );
    }
    server.kill()?;
    let (stored, checkpoint_rows) = runtime
        .block_on(check_store(&store, &record))
        .context("the store after the last stop")?;
    let streamed = record.acks.len() - demo;
    ensure!(streamed > 0, "no submission was acknowledged in any round");
    eprintln!(
        "durability [{label}]: done in {:.1} s: {ROUNDS} kills and restarts, {streamed} streamed \
         statements acknowledged (+{demo} demo), log size {stored}, {checkpoint_rows} checkpoint \
         rows, {} distinct checkpoint sizes handed out, all consistent",
        started.elapsed().as_secs_f64(),
        record.checkpoints.len()
    );
    Ok(())
}
