//! Benchmark of the deployments: SQLite with one `bonafide serve`, PostgreSQL with one replica,
//! and PostgreSQL with two replicas sharing the log key and the verdict key ring, in one run.
//!
//! `cargo bench --bench replicas` writes the demo organisation plus `BENCH_ENTRIES` (default
//! 100,000) signatories and as many official channels into each set-up's store, starts the
//! set-up's processes on it, and prints for each set-up:
//! - `GET /healthz` and `POST /v1/checks/contact` (the request mix of `tests/bench/checks.rs`)
//!   requests per second with p50 and p99, loaded by wrk with 64 connections in all for
//!   `BENCH_SECONDS` (default 10) each: one wrk with 2 threads for one process, one wrk with 1
//!   thread and 32 connections per replica for two, run at once (the rate is their sum, the
//!   latencies the worse replica's);
//! - statement appends per second with p50 and p99: `BENCH_CLIENTS` (default 8) clients submit
//!   `BENCH_APPENDS` (default 2,000) distinct signed statements, spread over the replicas; a
//!   replica that lost the race for an index answers 503 `busy` and the client retries, as a
//!   client should (counted);
//! - the CPU time each server process used in each phase, and the rates per core-second of
//!   server CPU as well as the totals (the machine's cores are shared with the load generator);
//!
//! then the time a new replica takes, from spawn to listening, to load a register of
//! `BENCH_LOAD_ENTRIES` (default 1,000,000) statements from PostgreSQL, with its resident
//! memory. That log is written straight into the tables in large batches (`INSERT ... SELECT
//! FROM UNNEST`), with the checkpoint of its size signed by the two-replica set-up's log key,
//! which the new replica is given as a replica of that deployment would be. After every bulk fill
//! the table is vacuumed and analysed (and a `CHECKPOINT` run, where the role may), as in a
//! database in service, so that autovacuum and the checkpointer stay out of the measurements.
//!
//! PostgreSQL comes from `TEST_DATABASE_URL` (as in `.ci/run`); every set-up makes a database of
//! its own and drops it at the end. Without it, the PostgreSQL parts say SKIPPED loudly and the
//! SQLite part still runs. wrk must be installed (`apt-get install wrk`).
//!
//! Under `cargo test` (no `--bench` argument) it runs small, without wrk: 200 entries, 40
//! appends, a load of 2,000 statements; it checks the answers of every process, that appends
//! succeed through both replicas with dense indices, that both replicas reach the same
//! checkpoint and give the same answer to one check, and that the new replica serves the signed
//! checkpoint it loaded.

mod common;

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail, ensure};
use bonafide::demo::{DemoKeys, demo_statements};
use bonafide::domain::Timestamp;
use bonafide::log::{Checkpoint, CompactRange, NoteSigner, leaf_hash};
use bonafide::store::{NewEntry, PostgresStore, SqliteStore, Store as _};
use common::{
    BIN, Server, keys_with_operator_file, lua_script, parse_duration_or_number, sign,
    signatory_phone, smoke_cases,
};
use serde_json::{Value, json};
use sqlx::Connection as _;

/// What the service calls itself in every PostgreSQL set-up: the verdicts' `iss` and the log's
/// origin, the same on every replica.
const PUBLIC_URL: &str = "http://bonafide.test";

/// Statements signed and inserted at once when filling PostgreSQL.
const BATCH: usize = 10_000;

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> anyhow::Result<T> {
    match std::env::var(name) {
        Ok(v) => v.parse().ok().with_context(|| format!("{name}={v:?}")),
        Err(_) => Ok(default),
    }
}

/// The sizes of one run.
struct Sizes {
    full: bool,
    entries: u32,
    seconds: u32,
    appends: usize,
    clients: usize,
    load_entries: u64,
}

fn main() -> anyhow::Result<()> {
    let full = std::env::args().any(|a| a == "--bench");
    let sizes = Sizes {
        full,
        entries: env_or("BENCH_ENTRIES", if full { 100_000 } else { 200 })?,
        seconds: env_or("BENCH_SECONDS", 10)?,
        appends: env_or("BENCH_APPENDS", if full { 2_000 } else { 40 })?,
        clients: env_or("BENCH_CLIENTS", 8)?,
        load_entries: env_or("BENCH_LOAD_ENTRIES", if full { 1_000_000 } else { 2_000 })?,
    };
    ensure!(sizes.entries > 0, "BENCH_ENTRIES must be at least 1");
    ensure!(
        sizes.clients > 0 && sizes.appends > 0,
        "BENCH_CLIENTS and BENCH_APPENDS must be at least 1"
    );
    let _ = rustls::crypto::ring::default_provider().install_default();
    let work = tempfile::tempdir()?;
    let (keys, operator_file) = keys_with_operator_file(work.path())?;
    let now = Timestamp::parse("2026-11-28T09:00:00Z")?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let ctx = Context {
        sizes,
        keys,
        operator_file,
        now,
        work: work.path().to_owned(),
        runtime,
        http: reqwest::Client::new(),
    };

    // The register every set-up starts from: the demo, n signatories, n channels.
    let n = ctx.sizes.entries;
    let started = Instant::now();
    let register = signed_statements(&ctx.keys, now, n, n, 0..2 * u64::from(n))?;
    let demo = demo_rows(&ctx.keys, now)?;
    let register: Vec<Row> = demo.into_iter().chain(register).collect();
    let bytes: usize = register.iter().map(|r| r.envelope.len()).sum();
    println!(
        "signed the register of every set-up: {} statements (the demo, {n} signatories, {n} \
         channels; {:.0} bytes each) in {:.1} s",
        register.len(),
        bytes as f64 / register.len() as f64,
        started.elapsed().as_secs_f64()
    );
    if ctx.sizes.full {
        std::fs::write(ctx.work.join("checks.lua"), lua_script(n))?;
    }

    let mut results = vec![ctx.sqlite_setup(&register)?];
    let mut loaded = None;
    match std::env::var("TEST_DATABASE_URL") {
        Err(_) => println!(
            "\n!!!!! SKIPPED: TEST_DATABASE_URL is not set; the PostgreSQL set-ups (one replica, \
             two replicas) and the new replica's load need PostgreSQL, e.g. \
             TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test (see README) !!!!!\n"
        ),
        Ok(admin) => {
            for replicas in [1, 2] {
                let db = ctx.runtime.block_on(Database::create(&admin))?;
                let result = ctx.postgres_setup(&db, &register, replicas);
                ctx.runtime.block_on(db.drop_it());
                results.push(result?);
            }
            // The two-replica set-up's shared keys, for the new replica.
            let shared = ctx.work.join("postgres-2").join("shared");
            let db = ctx.runtime.block_on(Database::create(&admin))?;
            let result = ctx.new_replica_load(&db, &shared);
            ctx.runtime.block_on(db.drop_it());
            loaded = Some(result?);
        }
    }
    drop(register);
    report(&ctx.sizes, &results, loaded.as_ref());
    Ok(())
}

/// What every set-up needs.
struct Context {
    sizes: Sizes,
    keys: DemoKeys,
    operator_file: PathBuf,
    now: Timestamp,
    work: PathBuf,
    runtime: tokio::runtime::Runtime,
    http: reqwest::Client,
}

/// One statement of a log.
struct Row {
    id: String,
    envelope: Vec<u8>,
}

fn demo_rows(keys: &DemoKeys, now: Timestamp) -> anyhow::Result<Vec<Row>> {
    demo_statements(keys, now)?
        .into_iter()
        .map(|jws| {
            let statement: Value = serde_json::from_slice(jws.payload())?;
            let id = statement["id"].as_str().unwrap_or_default().to_owned();
            Ok(Row {
                id,
                envelope: jws.to_canonical_bytes(),
            })
        })
        .collect()
}

/// Signatory `i`'s own mobile number.
/// Statement `j` of a register of `signatories` signatories followed by channels, as
/// `tests/bench/checks.rs` writes them: signatory `j` (signed by Alice and Bob) while `j <
/// signatories`, else channel `j - signatories` (signed by Alice), a phone, an email, a bank
/// account or a website in turn.
fn statement(keys: &DemoKeys, now: Timestamp, signatories: u64, j: u64) -> anyhow::Result<Row> {
    let (kind, id, body, signers) = if j < signatories {
        let i = j;
        let body = json!({
            "person": {"names": {"en": format!("Signatory{i} Zhang")}},
            "entity": {"names": {"en": "IUCG Investment Co., Ltd."}, "uscc": "91110000MA01UCG8XQ"},
            "role": "authorised_representative",
            "actions": ["sign_investment_agreement"],
            "phones": [signatory_phone(i)],
            "emails": [format!("signatory{i}@iucg.example")],
        });
        let signers = vec![&keys.alice, &keys.bob];
        ("signatory", format!("bench-signatory-{i}"), body, signers)
    } else {
        let i = j - signatories;
        let (kind, value) = match i % 4 {
            0 => (
                "phone",
                format!("+86 150 {:04} {:04}", i / 10_000, i % 10_000),
            ),
            1 => ("email", format!("office{i}@iucg.example")),
            2 => ("bank_account", format!("6222 0000 {i:011}")),
            _ => ("website", format!("w{i}.iucg.example")),
        };
        let body = json!({"kind": kind, "value": value});
        let id = format!("bench-channel-{i}");
        ("official-channel", id, body, vec![&keys.alice])
    };
    let mut statement = json!({"type": kind, "id": id, "org": "iucg",
        "issued_at": now.to_string(), "effective_from": now.to_string()});
    if let (Some(a), Value::Object(b)) = (statement.as_object_mut(), body) {
        a.extend(b);
    }
    let envelope = sign(&statement, &signers)?;
    Ok(Row { id, envelope })
}

/// Statements `range` of a register of `signatories` signatories then `channels` channels,
/// signed on two threads.
fn signed_statements(
    keys: &DemoKeys,
    now: Timestamp,
    signatories: u32,
    channels: u32,
    range: std::ops::Range<u64>,
) -> anyhow::Result<Vec<Row>> {
    let end = range.end.min(u64::from(signatories) + u64::from(channels));
    let mid = range.start + (end.saturating_sub(range.start)) / 2;
    let half = |from: u64, to: u64| -> anyhow::Result<Vec<Row>> {
        (from..to)
            .map(|j| statement(keys, now, u64::from(signatories), j))
            .collect()
    };
    std::thread::scope(|scope| {
        let first = scope.spawn(|| half(range.start, mid));
        let mut second = half(mid, end)?;
        let mut rows = first
            .join()
            .map_err(|_| anyhow::anyhow!("a signing thread panicked"))??;
        rows.append(&mut second);
        Ok(rows)
    })
}

/// A database of its own on the server `TEST_DATABASE_URL` names, dropped at the end.
struct Database {
    admin: String,
    name: String,
    url: String,
}

impl Database {
    async fn create(admin: &str) -> anyhow::Result<Self> {
        let name = format!("bench_{:016x}", rand::random::<u64>());
        let mut connection = sqlx::PgConnection::connect(admin)
            .await
            .context("cannot connect to TEST_DATABASE_URL")?;
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut connection)
            .await?;
        let mut url = url::Url::parse(admin)?;
        url.set_path(&format!("/{name}"));
        Ok(Self {
            admin: admin.to_owned(),
            name,
            url: url.to_string(),
        })
    }

    async fn drop_it(self) {
        if let Ok(mut connection) = sqlx::PgConnection::connect(&self.admin).await {
            let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            )))
            .execute(&mut connection)
            .await;
        }
    }

    /// Creates the service's tables (its own migrations, through the library) and returns a
    /// connection for filling them.
    async fn tables(&self) -> anyhow::Result<sqlx::PgConnection> {
        let store = PostgresStore::open(&self.url).await?;
        store.close().await;
        Ok(sqlx::PgConnection::connect(&self.url).await?)
    }
}

/// After a bulk fill: the table vacuumed and analysed, and the fill's WAL flushed (where the role
/// may), as autovacuum and the checkpointer would have left a database in service, so that they
/// do not run in the middle of a measurement.
async fn settle(mut connection: sqlx::PgConnection) -> anyhow::Result<()> {
    sqlx::query("VACUUM ANALYZE log_entries")
        .execute(&mut connection)
        .await?;
    // CHECKPOINT needs a superuser or pg_checkpoint; without it, the checkpointer's own timing.
    let _ = sqlx::query("CHECKPOINT").execute(&mut connection).await;
    connection.close().await?;
    Ok(())
}

/// Inserts `rows` at indices `first..` in one multi-row statement.
async fn insert_rows(
    connection: &mut sqlx::PgConnection,
    first: u64,
    rows: &[Row],
    now: Timestamp,
) -> anyhow::Result<()> {
    let first = i64::try_from(first)?;
    let indices: Vec<i64> = (first..).take(rows.len()).collect();
    let orgs = vec!["iucg"; rows.len()];
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let envelopes: Vec<&[u8]> = rows.iter().map(|r| r.envelope.as_slice()).collect();
    let accepted = vec![now.to_string(); rows.len()];
    sqlx::query(
        "INSERT INTO log_entries (idx, org, statement_id, envelope, accepted_at) \
         SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::bytea[], $5::text[])",
    )
    .bind(indices)
    .bind(orgs)
    .bind(ids)
    .bind(envelopes)
    .bind(accepted)
    .execute(connection)
    .await?;
    Ok(())
}

/// Inserts `rows` at `*next` and on, and adds their leaves to `range`.
async fn append_rows(
    connection: &mut sqlx::PgConnection,
    range: &mut CompactRange,
    next: &mut u64,
    rows: &[Row],
    now: Timestamp,
) -> anyhow::Result<()> {
    for row in rows {
        range.push(leaf_hash(&row.envelope));
    }
    insert_rows(connection, *next, rows, now).await?;
    *next += rows.len() as u64;
    Ok(())
}

/// A process serving the API.
trait Process {
    fn base(&self) -> &str;
    fn cpu_seconds(&self) -> anyhow::Result<f64>;
}

impl Process for Server {
    fn base(&self) -> &str {
        &self.base
    }

    fn cpu_seconds(&self) -> anyhow::Result<f64> {
        Self::cpu_seconds(self)
    }
}

/// A `bonafide serve` replica on PostgreSQL, killed when dropped. (`common::Server` starts
/// SQLite ones only.)
struct Replica {
    child: Child,
    base: String,
    startup: Duration,
}

impl Drop for Replica {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Replica {
    /// Starts a replica with 2 workers and its own data directory `data` on the database at
    /// `url`, and waits until it listens (however long its replay takes). With `shared`, it
    /// uses the log key and verdict key ring there, as `tests/replicas.rs` does.
    fn start(
        name: &str,
        data: &Path,
        operator: &Path,
        url: &str,
        shared: Option<&Path>,
    ) -> anyhow::Result<Self> {
        let started = Instant::now();
        let mut command = Command::new(BIN);
        command
            .args(["serve", "--bind", "127.0.0.1:0", "--workers", "2", "--data"])
            .arg(data)
            .arg("--operator-key")
            .arg(operator)
            .args(["--database-url", url, "--public-url", PUBLIC_URL])
            // One client on loopback measuring capacity: the per-client limits would cap it.
            .args(["--check-rate", "0", "--upload-rate", "0"])
            .env("BONAFIDE_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        if let Some(shared) = shared {
            command.arg("--log-key").arg(shared.join("log-key"));
            command.arg("--keyring").arg(shared.join("verdict-keys"));
        }
        let mut child = command.spawn().context("cannot start bonafide serve")?;
        let stderr = child.stderr.take().context("no stderr")?;
        let mut replica = Self {
            child,
            base: String::new(),
            startup: Duration::ZERO,
        };
        let mut lines = BufReader::new(stderr).lines();
        while let Some(line) = lines.next() {
            let line = line?;
            if let Some(rest) = line.split("listening on ").nth(1) {
                rest.split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .clone_into(&mut replica.base);
                replica.startup = started.elapsed();
                let name = name.to_owned();
                std::thread::spawn(move || {
                    // Answers 503 `busy` are expected with two replicas, and counted.
                    for line in lines.map_while(Result::ok) {
                        if !line.contains("error.code") || !line.contains("\"busy\"") {
                            eprintln!("{name}: {line}");
                        }
                    }
                });
                return Ok(replica);
            }
            eprintln!("{name}: {line}");
        }
        bail!("replica {name} exited before listening")
    }

    /// Resident memory in KiB.
    fn rss_kib(&self) -> anyhow::Result<u64> {
        common::rss_kib(self.child.id())
    }
}

impl Process for Replica {
    fn base(&self) -> &str {
        &self.base
    }

    /// User and system CPU seconds so far.
    fn cpu_seconds(&self) -> anyhow::Result<f64> {
        common::cpu_seconds(self.child.id())
    }
}

/// What one phase measured.
struct Phase {
    name: &'static str,
    rate: f64,
    p50_ms: f64,
    p99_ms: f64,
    /// Wall-clock seconds.
    wall: f64,
    /// CPU seconds each server process used, in process order.
    cpu: Vec<f64>,
    /// Appends only: answers 503 `busy` that the clients retried.
    retries: u64,
}

impl Phase {
    fn cpu_total(&self) -> f64 {
        self.cpu.iter().sum()
    }

    /// Requests per second of server CPU, all processes together.
    fn per_core_second(&self) -> f64 {
        self.rate * self.wall / self.cpu_total().max(1e-9)
    }
}

/// One set-up's figures.
struct SetupResult {
    name: String,
    startup: Vec<Duration>,
    phases: Vec<Phase>,
}

impl SetupResult {
    fn phase(&self, name: &str) -> Option<&Phase> {
        self.phases.iter().find(|p| p.name == name)
    }
}

const HEALTHZ: &str = "GET /healthz";
const CHECKS: &str = "POST /v1/checks/contact";
const APPENDS: &str = "POST /v1/statements";

/// The new replica's load.
struct Loaded {
    statements: u64,
    fill: Duration,
    startup: Duration,
    rss_kib: u64,
}

impl Context {
    fn sqlite_setup(&self, register: &[Row]) -> anyhow::Result<SetupResult> {
        let data = self.work.join("sqlite");
        std::fs::create_dir_all(&data)?;
        self.runtime.block_on(async {
            let store = SqliteStore::open(&data).await?;
            for (chunk_no, chunk) in register.chunks(BATCH).enumerate() {
                let base = (chunk_no * BATCH) as u64;
                let rows: Vec<NewEntry<'_>> = chunk
                    .iter()
                    .enumerate()
                    .map(|(i, row)| NewEntry {
                        index: base + i as u64,
                        org: "iucg",
                        statement_id: &row.id,
                        envelope: &row.envelope,
                        accepted_at: self.now,
                    })
                    .collect();
                store.append_all(&rows, None).await?;
            }
            anyhow::Ok(())
        })?;
        let server = Server::start(&data, &self.operator_file)?;
        let startup = vec![server.startup];
        let phases = self.phases(&[&server], register.len() as u64)?;
        Ok(SetupResult {
            name: "SQLite, 1 serve".into(),
            startup,
            phases,
        })
    }

    fn postgres_setup(
        &self,
        db: &Database,
        register: &[Row],
        replicas: usize,
    ) -> anyhow::Result<SetupResult> {
        let root = self.work.join(format!("postgres-{replicas}"));
        let shared = root.join("shared");
        std::fs::create_dir_all(&shared)?;
        self.runtime.block_on(async {
            let mut connection = db.tables().await?;
            let mut first = 0;
            for chunk in register.chunks(BATCH) {
                insert_rows(&mut connection, first, chunk, self.now).await?;
                first += chunk.len() as u64;
            }
            settle(connection).await
        })?;
        let mut started: Vec<Replica> = Vec::new();
        for r in 0..replicas {
            let name = ["a", "b"].get(r).copied().unwrap_or("c");
            let data = root.join(name);
            // The first one makes the log key and the verdict key ring; the others share them.
            let keys = (r > 0).then_some(shared.as_path());
            started.push(Replica::start(
                name,
                &data,
                &self.operator_file,
                &db.url,
                keys,
            )?);
            if r == 0 {
                std::fs::copy(data.join("log-key"), shared.join("log-key"))?;
                std::fs::copy(data.join("verdict-keys"), shared.join("verdict-keys"))?;
            }
        }
        let nodes: Vec<&dyn Process> = started.iter().map(|r| r as &dyn Process).collect();
        let phases = self.phases(&nodes, register.len() as u64)?;
        Ok(SetupResult {
            name: format!(
                "PostgreSQL, {replicas} replica{}",
                if replicas == 1 { "" } else { "s" }
            ),
            startup: started.iter().map(|r| r.startup).collect(),
            phases,
        })
    }

    /// Checks the answers, loads `/healthz` and checks (full runs), then appends; checks that
    /// every process ends on the same checkpoint and answers alike.
    fn phases(&self, nodes: &[&dyn Process], size: u64) -> anyhow::Result<Vec<Phase>> {
        self.runtime
            .block_on(smoke_checks(&self.http, nodes, self.sizes.entries))?;
        let mut phases = Vec::new();
        if self.sizes.full {
            let seconds = self.sizes.seconds;
            phases.push(wrk(HEALTHZ, nodes, "/healthz", None, seconds)?);
            let script = self.work.join("checks.lua");
            phases.push(wrk(
                CHECKS,
                nodes,
                "/v1/checks/contact",
                Some(&script),
                seconds,
            )?);
        }
        phases.push(self.appends(nodes)?);
        let expected = size + self.sizes.appends as u64;
        self.runtime.block_on(same_everywhere(
            &self.http,
            nodes,
            expected,
            self.sizes.appends - 1,
        ))?;
        Ok(phases)
    }

    /// `BENCH_APPENDS` distinct signed statements from `BENCH_CLIENTS` clients, client `c`
    /// through process `c` modulo their number.
    fn appends(&self, nodes: &[&dyn Process]) -> anyhow::Result<Phase> {
        // Signed before the clock starts: the benchmark measures the service, not the clients.
        let bodies: Vec<Vec<u8>> = (0..self.sizes.appends)
            .map(|i| sign(&appended(i, self.now), &[&self.keys.alice]))
            .collect::<anyhow::Result<_>>()?;
        let queue = std::sync::Arc::new(std::sync::Mutex::new(bodies));
        let cpu_before = cpu(nodes)?;
        let started = Instant::now();
        let outcomes = self.runtime.block_on(async {
            let mut tasks = Vec::new();
            for c in 0..self.sizes.clients {
                let url = format!("{}/v1/statements", nodes[c % nodes.len()].base());
                let (http, queue) = (self.http.clone(), queue.clone());
                tasks.push(tokio::spawn(async move {
                    let mut done = Vec::new();
                    loop {
                        let body = queue.lock().map_err(|_| anyhow::anyhow!("poisoned"))?.pop();
                        let Some(body) = body else {
                            return anyhow::Ok((c, done));
                        };
                        let t = Instant::now();
                        let (index, retries) = submit(&http, &url, body).await?;
                        done.push((t.elapsed().as_secs_f64() * 1e3, index, retries));
                    }
                }));
            }
            let mut all = Vec::new();
            for task in tasks {
                all.push(task.await??);
            }
            anyhow::Ok(all)
        })?;
        let wall = started.elapsed().as_secs_f64();
        let cpu_after = cpu(nodes)?;
        // Every process took some, and the indices are dense: one log.
        let mut per_node = vec![0usize; nodes.len()];
        let mut latencies = Vec::new();
        let mut indices = Vec::new();
        let mut retries = 0;
        for (client, done) in outcomes {
            per_node[client % nodes.len()] += done.len();
            for (ms, index, r) in done {
                latencies.push(ms);
                indices.push(index);
                retries += r;
            }
        }
        ensure!(
            self.sizes.appends < self.sizes.clients || per_node.iter().all(|&n| n > 0),
            "appends did not succeed through every process: {per_node:?}"
        );
        indices.sort_unstable();
        let first = indices.first().copied().unwrap_or_default();
        ensure!(
            indices
                .iter()
                .enumerate()
                .all(|(i, &idx)| idx == first + i as u64),
            "the receipts' indices are not dense"
        );
        latencies.sort_by(f64::total_cmp);
        let at = |q: usize| {
            latencies
                .get(latencies.len() * q / 100)
                .copied()
                .unwrap_or(0.0)
        };
        Ok(Phase {
            name: APPENDS,
            rate: latencies.len() as f64 / wall,
            p50_ms: at(50),
            p99_ms: at(99),
            wall,
            cpu: cpu_after
                .iter()
                .zip(&cpu_before)
                .map(|(a, b)| a - b)
                .collect(),
            retries,
        })
    }

    /// Writes a log of `BENCH_LOAD_ENTRIES` statements into `db` with the checkpoint of its size
    /// signed by the log key in `shared`, then times a new replica's start on it.
    fn new_replica_load(&self, db: &Database, shared: &Path) -> anyhow::Result<Loaded> {
        let signer =
            NoteSigner::from_private_text(&std::fs::read_to_string(shared.join("log-key"))?)
                .map_err(|e| anyhow::anyhow!("the shared log key: {e}"))?;
        let demo = demo_rows(&self.keys, self.now)?;
        let rest = self
            .sizes
            .load_entries
            .saturating_sub(demo.len() as u64)
            .max(2);
        let signatories = u32::try_from(rest / 2)?;
        let channels = u32::try_from(rest - rest / 2)?;
        let started = Instant::now();
        // Two signing threads, each on every other batch, feed the inserts in order.
        let batches = rest.div_ceil(BATCH as u64);
        let (note, size) = std::thread::scope(|scope| {
            let mut receivers = Vec::new();
            for t in 0..2u64 {
                let (send, receive) = mpsc::sync_channel::<anyhow::Result<Vec<Row>>>(2);
                receivers.push(receive);
                let (keys, now) = (&self.keys, self.now);
                scope.spawn(move || {
                    for b in (t..batches).step_by(2) {
                        let from = b * BATCH as u64;
                        let rows = (from..(from + BATCH as u64).min(rest))
                            .map(|j| statement(keys, now, u64::from(signatories), j))
                            .collect();
                        if send.send(rows).is_err() {
                            return;
                        }
                    }
                });
            }
            self.runtime.block_on(async {
                let mut connection = db.tables().await?;
                let mut range = CompactRange::new();
                let mut next = 0u64;
                append_rows(&mut connection, &mut range, &mut next, &demo, self.now).await?;
                for b in 0..batches {
                    let receiver = &receivers[(b % 2) as usize];
                    let rows = receiver.recv().context("a signing thread stopped")??;
                    append_rows(&mut connection, &mut range, &mut next, &rows, self.now).await?;
                }
                let size = next;
                let root = range.root();
                let note = Checkpoint::new(signer.name(), size, root)
                    .sign(&signer)
                    .map_err(|e| anyhow::anyhow!("cannot sign the checkpoint: {e}"))?;
                sqlx::query(
                    "INSERT INTO checkpoints (size, root, note, signed_at) VALUES ($1, $2, $3, $4)",
                )
                .bind(i64::try_from(size)?)
                .bind(root.as_slice())
                .bind(&note)
                .bind(self.now.to_string())
                .execute(&mut connection)
                .await?;
                settle(connection).await?;
                anyhow::Ok((note, size))
            })
        })?;
        let fill = started.elapsed();
        ensure!(
            size == demo.len() as u64 + u64::from(signatories) + u64::from(channels),
            "wrote {size} statements"
        );
        println!(
            "\nwrote a log of {size} statements ({signatories} signatories, {channels} channels, \
             the demo) into PostgreSQL with its signed checkpoint in {:.1} s",
            fill.as_secs_f64()
        );

        let replica = Replica::start(
            "new",
            &self.work.join("postgres-new"),
            &self.operator_file,
            &db.url,
            Some(shared),
        )?;
        let rss_kib = replica.rss_kib()?;
        // It serves the checkpoint it loaded, and knows the last signatory.
        self.runtime.block_on(async {
            let served = self
                .http
                .get(format!("{}/v1/log/checkpoint", replica.base))
                .send()
                .await?
                .text()
                .await?;
            ensure!(
                served == note,
                "the new replica serves {served:?}, not the stored checkpoint {note:?}"
            );
            let last = u64::from(signatories) - 1;
            let answer = check(
                &self.http,
                &replica.base,
                &json!({"org": "iucg", "name": format!("Signatory{last} Zhang"),
                        "phone": signatory_phone(last)}),
            )
            .await?;
            ensure!(
                answer["claims"]["outcome"] == "verified",
                "the new replica's answer: {answer}"
            );
            anyhow::Ok(())
        })?;
        Ok(Loaded {
            statements: size,
            fill,
            startup: replica.startup,
            rss_kib,
        })
    }
}

/// Appended statement `i`: an official email channel.
fn appended(i: usize, now: Timestamp) -> Value {
    json!({"type": "official-channel", "id": format!("bench-append-{i}"), "org": "iucg",
           "issued_at": now.to_string(), "effective_from": now.to_string(),
           "kind": "email", "value": format!("desk{i}@iucg.example")})
}

fn cpu(nodes: &[&dyn Process]) -> anyhow::Result<Vec<f64>> {
    nodes.iter().map(|n| n.cpu_seconds()).collect()
}

/// Submits one statement, retrying while the replica answers 503 `busy` (it lost the race for
/// the next index to another replica); returns its log index and the retries.
async fn submit(http: &reqwest::Client, url: &str, body: Vec<u8>) -> anyhow::Result<(u64, u64)> {
    for retries in 0..50 {
        let response = http
            .post(url)
            .header("Content-Type", "application/jose+json")
            .body(body.clone())
            .send()
            .await?;
        let status = response.status().as_u16();
        let answer: Value = response.json().await.unwrap_or(Value::Null);
        if status == 201 {
            let index = answer["receipt"]["log_index"]
                .as_u64()
                .with_context(|| format!("no receipt: {answer}"))?;
            ensure!(
                answer["receipt"]["inclusion_proof"].is_array(),
                "no inclusion proof: {answer}"
            );
            return Ok((index, retries));
        }
        if status != 503 || answer["error"]["code"] != "busy" {
            bail!("{url} refused a statement ({status}): {answer}");
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    bail!("{url} stayed busy")
}

async fn check(http: &reqwest::Client, base: &str, body: &Value) -> anyhow::Result<Value> {
    let response = http
        .post(format!("{base}/v1/checks/contact"))
        .json(body)
        .send()
        .await?;
    let status = response.status();
    let answer: Value = response.json().await?;
    ensure!(
        status == 200,
        "{base} answered a check with {status}: {answer}"
    );
    Ok(answer)
}

/// A few checks every process must get right, so that a broken set-up never produces figures.
async fn smoke_checks(
    http: &reqwest::Client,
    nodes: &[&dyn Process],
    n: u32,
) -> anyhow::Result<()> {
    let cases = smoke_cases(n);
    for node in nodes {
        for (body, expected) in &cases {
            let answer = check(http, node.base(), body).await?;
            let outcome = answer["claims"]["outcome"].as_str().unwrap_or_default();
            ensure!(
                outcome == *expected,
                "{}: check {body} gave {answer}, expected {expected}",
                node.base()
            );
        }
        let health = http.get(format!("{}/healthz", node.base())).send().await?;
        ensure!(
            health.status().is_success(),
            "/healthz answered {}",
            health.status()
        );
    }
    Ok(())
}

/// Waits (up to 10 s) until every process serves the checkpoint of `size`, the same note, then
/// checks that they give the same answer, against the same log state, to one check of a
/// statement appended through one of them (`appended(last)`).
async fn same_everywhere(
    http: &reqwest::Client,
    nodes: &[&dyn Process],
    size: u64,
    last: usize,
) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut notes = Vec::new();
    for node in nodes {
        loop {
            let note = http
                .get(format!("{}/v1/log/checkpoint", node.base()))
                .send()
                .await?
                .text()
                .await?;
            let served: Option<u64> = note.lines().nth(1).and_then(|l| l.parse().ok());
            if served == Some(size) {
                notes.push(note);
                break;
            }
            ensure!(
                Instant::now() < deadline,
                "{} serves the checkpoint of {served:?}, not of {size}",
                node.base()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    ensure!(
        notes.windows(2).all(|w| w[0] == w[1]),
        "the processes serve different checkpoints: {notes:?}"
    );
    let body = json!({"org": "iucg", "email": format!("desk{last}@iucg.example")});
    let mut answers = Vec::new();
    for node in nodes {
        let answer = check(http, node.base(), &body).await?;
        ensure!(
            answer["claims"]["outcome"] == "verified",
            "{}: {body} gave {answer}",
            node.base()
        );
        answers.push((
            answer["claims"]["outcome"].clone(),
            answer["claims"]["log"].clone(),
            answer["claims"]["findings"].clone(),
        ));
    }
    ensure!(
        answers.windows(2).all(|w| w[0] == w[1]),
        "the processes answer {body} differently: {answers:?}"
    );
    Ok(())
}

/// Loads `path` on every process at once for `seconds`, 64 connections and 2 wrk threads in all.
fn wrk(
    name: &'static str,
    nodes: &[&dyn Process],
    path: &str,
    script: Option<&Path>,
    seconds: u32,
) -> anyhow::Result<Phase> {
    let connections = 64 / nodes.len();
    let threads = (2 / nodes.len()).max(1);
    let cpu_before = cpu(nodes)?;
    let started = Instant::now();
    let mut running = Vec::new();
    for node in nodes {
        let mut command = Command::new("wrk");
        command.args([
            &format!("-t{threads}"),
            &format!("-c{connections}"),
            &format!("-d{seconds}s"),
            "--latency",
        ]);
        if let Some(script) = script {
            command.arg("-s").arg(script);
        }
        command
            .arg(format!("{}{path}", node.base()))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        running.push(
            command
                .spawn()
                .context("cannot run wrk: install it (apt-get install wrk)")?,
        );
    }
    let mut outputs = Vec::new();
    for child in running {
        outputs.push(child.wait_with_output()?);
    }
    let wall = started.elapsed().as_secs_f64();
    let cpu_after = cpu(nodes)?;
    let (mut rate, mut p50_ms, mut p99_ms) = (0.0, 0.0f64, 0.0f64);
    for output in outputs {
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        if !output.status.success() {
            bail!(
                "wrk failed: {text}{}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let number = |label: &str| -> Option<f64> {
            text.lines()
                .find_map(|l| l.trim_start().strip_prefix(label))
                .and_then(|v| v.split_whitespace().next())
                .and_then(parse_duration_or_number)
        };
        let errors: u64 = text
            .lines()
            .filter(|l| l.contains("Non-2xx") || l.contains("Socket errors"))
            .flat_map(|l| l.split(|c: char| !c.is_ascii_digit()))
            .filter_map(|n| n.parse::<u64>().ok())
            .sum();
        ensure!(
            errors == 0,
            "wrk saw non-2xx answers or socket errors on {name}: {text}"
        );
        rate += number("Requests/sec:").context("no Requests/sec in wrk output")?;
        p50_ms = p50_ms.max(number("50%").context("no p50 in wrk output")?);
        p99_ms = p99_ms.max(number("99%").context("no p99 in wrk output")?);
    }
    Ok(Phase {
        name,
        rate,
        p50_ms,
        p99_ms,
        wall,
        cpu: cpu_after
            .iter()
            .zip(&cpu_before)
            .map(|(a, b)| a - b)
            .collect(),
        retries: 0,
    })
}

fn report(sizes: &Sizes, results: &[SetupResult], loaded: Option<&Loaded>) {
    println!();
    if sizes.full {
        println!(
            "register: the demo + {n} signatories + {n} channels; wrk for {s} s per phase, 64 \
             connections and 2 threads in all (one wrk per process, run at once; latencies are \
             the worse process's); appends: {a} statements from {c} clients spread over the \
             processes; every server has 2 workers, on the same 2 cores as the load generator",
            n = sizes.entries,
            s = sizes.seconds,
            a = sizes.appends,
            c = sizes.clients
        );
    } else {
        println!(
            "smoke run (no wrk; {} appends): run `cargo bench --bench replicas` for the figures",
            sizes.appends
        );
    }
    println!(
        "{:<26} {:<24} {:>9} {:>8} {:>8} {:>22} {:>7} {:>10}",
        "set-up", "phase", "total/s", "p50 ms", "p99 ms", "server CPU s (each)", "cores", "/core-s"
    );
    for result in results {
        let startup: Vec<String> = result
            .startup
            .iter()
            .map(|d| format!("{:.2}", d.as_secs_f64()))
            .collect();
        for (i, phase) in result.phases.iter().enumerate() {
            let each: Vec<String> = phase.cpu.iter().map(|c| format!("{c:.2}")).collect();
            let retries = if phase.retries > 0 {
                format!(" ({} busy retries)", phase.retries)
            } else {
                String::new()
            };
            println!(
                "{:<26} {:<24} {:>9.0} {:>8.2} {:>8.2} {:>22} {:>7.2} {:>10.0}{retries}",
                if i == 0 { result.name.as_str() } else { "" },
                phase.name,
                phase.rate,
                phase.p50_ms,
                phase.p99_ms,
                each.join(" + "),
                phase.cpu_total() / phase.wall,
                phase.per_core_second()
            );
        }
        println!("{:<26} start-up (replay) s: {}", "", startup.join(", "));
    }
    let sqlite = results.first();
    println!();
    for result in results.iter().skip(1) {
        if let (Some(base), Some(ours)) =
            (sqlite.and_then(|s| s.phase(CHECKS)), result.phase(CHECKS))
        {
            let ratio = ours.rate / base.rate;
            let per_core = ours.per_core_second() / base.per_core_second();
            println!(
                "target: checks on {} within 10% of SQLite: {:.0}/s vs {:.0}/s in total = \
                 {ratio:.2}, {:.0} vs {:.0} per core-second = {per_core:.2} ({})",
                result.name,
                ours.rate,
                base.rate,
                ours.per_core_second(),
                base.per_core_second(),
                if ratio.min(per_core) >= 0.9 {
                    "met"
                } else {
                    "MISSED"
                }
            );
        }
        if let Some(appends) = result.phase(APPENDS) {
            println!(
                "target: appends on {} >= 500/s: {:.0}/s ({})",
                result.name,
                appends.rate,
                if !sizes.full {
                    "smoke size, not measured"
                } else if appends.rate >= 500.0 {
                    "met"
                } else {
                    "MISSED"
                }
            );
        }
    }
    match loaded {
        Some(l) => println!(
            "new replica: loaded {} statements from PostgreSQL (replay re-verifies every \
             signature and the signed checkpoint) in {:.2} s from spawn to listening; resident \
             memory {} MiB; the log was written in {:.1} s",
            l.statements,
            l.startup.as_secs_f64(),
            l.rss_kib / 1024,
            l.fill.as_secs_f64()
        ),
        None => println!(
            "!!!!! SKIPPED: PostgreSQL set-ups and the new replica's load (TEST_DATABASE_URL is \
             not set) !!!!!"
        ),
    }
}
