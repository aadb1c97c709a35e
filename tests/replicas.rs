//! Several `bonafide serve` replicas on one PostgreSQL database, as real processes: appends
//! through all of them at once keep one dense log and one chain of checkpoints, a statement
//! accepted by one replica changes the answers of the others within a second, and a replica cut
//! off from the database says so, refuses appends, and answers checks only for its bounded time.
//!
//! Needs `TEST_DATABASE_URL` (`.ci/run` sets it); each test makes a database of its own. Without
//! it the tests say so loudly and skip.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use base64::Engine as _;
use bonafide::crypto::{GeneralJws, STATEMENT_TYP, SigningKey, canonicalize, public_key_file};
use bonafide::demo::{DemoKeys, demo_statements};
use bonafide::domain::Timestamp;
use bonafide::log::proof::verify_consistency;
use bonafide::log::{Checkpoint, NoteVerifier};
use serde_json::{Value, json};
use sqlx::Connection as _;
use tokio::io::{AsyncBufReadExt as _, BufReader};
use tokio::net::{TcpListener, TcpStream};

const BIN: &str = env!("CARGO_BIN_EXE_bonafide");

/// A database of its own on the server `TEST_DATABASE_URL` names, dropped at the end.
struct Database {
    admin: String,
    name: String,
    url: url::Url,
}

impl Database {
    async fn create(prefix: &str) -> anyhow::Result<Option<Self>> {
        let Ok(admin) = std::env::var("TEST_DATABASE_URL") else {
            eprintln!(
                "\n!!!!! SKIPPED: TEST_DATABASE_URL is not set; the replica tests need PostgreSQL \
                 (see README) !!!!!\n"
            );
            return Ok(None);
        };
        let name = format!("{prefix}_{:016x}", rand::random::<u64>());
        let mut connection = sqlx::PgConnection::connect(&admin).await?;
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut connection)
            .await?;
        let mut url = url::Url::parse(&admin)?;
        url.set_path(&format!("/{name}"));
        Ok(Some(Self { admin, name, url }))
    }

    /// The database's URL through `port` on this machine instead of the server's own.
    fn via(&self, port: u16) -> String {
        let mut url = self.url.clone();
        let _ = url.set_host(Some("127.0.0.1"));
        let _ = url.set_port(Some(port));
        url.to_string()
    }

    /// The server's port.
    fn port(&self) -> u16 {
        self.url.port().unwrap_or(5432)
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
}

/// A `bonafide serve` process, killed when dropped.
struct Replica {
    child: Child,
    base: String,
}

impl Drop for Replica {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Replica {
    /// Starts a replica with its own data directory `data`, the shared log key and verdict keys
    /// in `shared` (made by the first replica when missing), on the database at `url`.
    async fn start(
        name: &str,
        data: &Path,
        shared: &Path,
        operator: &Path,
        url: &str,
        extra: &[&str],
    ) -> anyhow::Result<Self> {
        let mut command = Command::new(BIN);
        command
            .args(["serve", "--bind", "127.0.0.1:0", "--workers", "2", "--data"])
            .arg(data)
            .arg("--operator-key")
            .arg(operator)
            .args(["--database-url", url])
            .args(["--public-url", "http://bonafide.test"])
            .args(extra)
            .env("BONAFIDE_LOG", "info")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let log_key = shared.join("log-key");
        let keyring = shared.join("verdict-keys");
        if log_key.exists() {
            command.arg("--log-key").arg(&log_key);
            command.arg("--keyring").arg(&keyring);
        }
        let mut child = command.spawn().context("cannot start bonafide serve")?;
        let stderr = child.stderr.take().context("no stderr")?;
        let stderr = tokio::process::ChildStderr::from_std(stderr)?;
        let mut lines = BufReader::new(stderr).lines();
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut replica = Self {
            child,
            base: String::new(),
        };
        while Instant::now() < deadline {
            let Ok(Some(line)) =
                tokio::time::timeout(Duration::from_secs(60), lines.next_line()).await?
            else {
                break;
            };
            if let Some(rest) = line.split("listening on ").nth(1) {
                replica.base = rest.split_whitespace().next().unwrap_or_default().into();
                let name = name.to_owned();
                tokio::spawn(async move {
                    while let Ok(Some(line)) = lines.next_line().await {
                        eprintln!("{name}: {line}");
                    }
                });
                if !log_key.exists() {
                    std::fs::copy(data.join("log-key"), &log_key)?;
                    std::fs::copy(data.join("verdict-keys"), &keyring)?;
                }
                return Ok(replica);
            }
            eprintln!("{name}: {line}");
        }
        bail!("replica {name} did not start listening")
    }
}

/// A TCP proxy to PostgreSQL that can be cut: a replica behind it loses its database.
struct Proxy {
    port: u16,
    blocked: Arc<AtomicBool>,
    connections: Arc<std::sync::Mutex<Vec<tokio::task::JoinHandle<()>>>>,
}

impl Proxy {
    async fn start(target: u16) -> anyhow::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let blocked = Arc::new(AtomicBool::new(false));
        let connections = Arc::new(std::sync::Mutex::new(Vec::new()));
        let (b, c) = (blocked.clone(), connections.clone());
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if b.load(Ordering::SeqCst) {
                    drop(inbound);
                    continue;
                }
                let task = tokio::spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(("127.0.0.1", target)).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                if let Ok(mut list) = c.lock() {
                    list.push(task);
                }
            }
        });
        Ok(Self {
            port,
            blocked,
            connections,
        })
    }

    /// Drops every connection and refuses new ones.
    fn cut(&self) {
        self.blocked.store(true, Ordering::SeqCst);
        if let Ok(mut list) = self.connections.lock() {
            for task in list.drain(..) {
                task.abort();
            }
        }
    }

    fn restore(&self) {
        self.blocked.store(false, Ordering::SeqCst);
    }
}

fn demo_keys() -> DemoKeys {
    DemoKeys {
        operator: SigningKey::from_seed([1; 32]),
        root: SigningKey::from_seed([2; 32]),
        alice: SigningKey::from_seed([3; 32]),
        bob: SigningKey::from_seed([4; 32]),
    }
}

/// A warning about phone `phone`, signed by the demo's staff key.
fn warning(keys: &DemoKeys, id: &str, phone: &str) -> anyhow::Result<Vec<u8>> {
    let now = Timestamp::from_datetime(time::OffsetDateTime::now_utc()).whole_seconds();
    let statement = json!({
        "type": "warning",
        "id": id,
        "org": "iucg",
        "issued_at": now.to_string(),
        "effective_from": now.to_string(),
        "kind": "phone",
        "value": phone,
        "description": {"en": "Impersonates the investment department."},
    });
    let mut jws = GeneralJws::new(&canonicalize(&statement)?);
    jws.sign(&keys.alice, STATEMENT_TYP);
    Ok(jws.to_canonical_bytes())
}

async fn submit(http: &reqwest::Client, base: &str, body: Vec<u8>) -> anyhow::Result<Value> {
    // A replica that keeps losing the race for the next index says "busy": try again, as a
    // client should.
    for _ in 0..20 {
        let response = http
            .post(format!("{base}/v1/statements"))
            .header("Content-Type", "application/jose+json")
            .body(body.clone())
            .send()
            .await?;
        let status = response.status();
        let answer: Value = response.json().await?;
        if status == 201 {
            return Ok(answer);
        }
        if status != 503 || answer["error"]["code"] != "busy" {
            bail!("{base} refused a statement ({status}): {answer}");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    bail!("{base} stayed busy")
}

async fn check_phone(http: &reqwest::Client, base: &str, phone: &str) -> anyhow::Result<Value> {
    let response = http
        .post(format!("{base}/v1/checks/contact"))
        .json(&json!({"org": "iucg", "phone": phone}))
        .send()
        .await?;
    Ok(json!({"status": response.status().as_u16(), "body": response.json::<Value>().await?}))
}

/// The signed checkpoint `note` opened with the log's key.
fn open(note: &str, verifier: &NoteVerifier) -> anyhow::Result<Checkpoint> {
    let origin = note.lines().next().unwrap_or_default();
    Checkpoint::open(note.as_bytes(), verifier, origin).context("a checkpoint signed by the log")
}

fn unb64(text: &str) -> anyhow::Result<[u8; 32]> {
    let bytes = base64::engine::general_purpose::STANDARD.decode(text)?;
    <[u8; 32]>::try_from(bytes).map_err(|_| anyhow::anyhow!("not 32 bytes"))
}

struct Setup {
    _dir: tempfile::TempDir,
    shared: PathBuf,
    operator: PathBuf,
    root: PathBuf,
}

fn setup() -> anyhow::Result<Setup> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let dir = tempfile::tempdir()?;
    let shared = dir.path().join("shared");
    std::fs::create_dir_all(&shared)?;
    let operator = dir.path().join("operator.pub.jwk");
    std::fs::write(
        &operator,
        public_key_file(&demo_keys().operator.public_jwk()),
    )?;
    let root = dir.path().to_path_buf();
    Ok(Setup {
        _dir: dir,
        shared,
        operator,
        root,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn replicas_share_one_log_and_see_each_others_statements() -> anyhow::Result<()> {
    let Some(db) = Database::create("bonafide_replicas").await? else {
        return Ok(());
    };
    let result = share_one_log(&db).await;
    db.drop_it().await;
    result
}

async fn share_one_log(db: &Database) -> anyhow::Result<()> {
    let s = setup()?;
    let url = db.via(db.port());
    let mut replicas = Vec::new();
    // Polling once a minute: what the others learn within a second, they learn by LISTEN/NOTIFY.
    let slow_poll = ["--poll-interval-ms", "60000"];
    for name in ["a", "b", "c"] {
        replicas.push(
            Replica::start(
                name,
                &s.root.join(name),
                &s.shared,
                &s.operator,
                &url,
                &slow_poll,
            )
            .await?,
        );
    }
    let mut bases: Vec<String> = replicas.iter().map(|r| r.base.clone()).collect();
    let http = reqwest::Client::new();
    let keys = demo_keys();

    // The demo organisation through replica a; b and c know it within a second.
    let now = Timestamp::from_datetime(time::OffsetDateTime::now_utc()).whole_seconds();
    for jws in demo_statements(&keys, now)? {
        submit(&http, &bases[0], jws.to_canonical_bytes()).await?;
    }
    let started = Instant::now();
    let phone = "+86 171 0000 0001";
    submit(&http, &bases[0], warning(&keys, "warn-first", phone)?).await?;
    for base in &bases[1..] {
        loop {
            let answer = check_phone(&http, base, phone).await?;
            if answer["body"]["claims"]["outcome"] == "fraud_risk" {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(1),
                "{base} did not learn of a warning accepted by another replica within 1 s: {answer}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    let propagation = started.elapsed();

    // Appends through all three at once.
    let per_replica = 15;
    let mut tasks = Vec::new();
    for (r, base) in bases.iter().enumerate() {
        for i in 0..per_replica {
            let http = http.clone();
            let base = base.clone();
            let body = warning(
                &keys,
                &format!("warn-{r}-{i}"),
                &format!("+86 172 {r:04} {i:04}"),
            )?;
            tasks.push(tokio::spawn(
                async move { submit(&http, &base, body).await },
            ));
        }
    }
    // A fourth replica starts while the others append: it must not mistake their appends for a
    // rollback, and it joins the chain.
    tokio::time::sleep(Duration::from_millis(30)).await;
    let late = Replica::start(
        "d",
        &s.root.join("d"),
        &s.shared,
        &s.operator,
        &url,
        &slow_poll,
    )
    .await?;
    bases.push(late.base.clone());
    let mut receipts = Vec::new();
    for task in tasks {
        receipts.push(task.await??);
    }
    let ready = http.get(format!("{}/readyz", late.base)).send().await?;
    assert_eq!(ready.status(), 200, "{}", ready.text().await?);

    // One dense log: every index once.
    let mut indices: Vec<u64> = receipts
        .iter()
        .map(|r| r["receipt"]["log_index"].as_u64().unwrap_or(u64::MAX))
        .collect();
    indices.sort_unstable();
    let first = indices[0];
    assert_eq!(
        indices,
        (first..first + indices.len() as u64).collect::<Vec<_>>(),
        "indices are not dense"
    );

    // One chain: no size signed with two roots, and every checkpoint a prefix of the final one.
    let vkey = http
        .get(format!("{}/v1/log/key", bases[0]))
        .send()
        .await?
        .text()
        .await?;
    let verifier = NoteVerifier::parse(vkey.trim()).context("the log's key")?;
    let mut roots: BTreeMap<u64, [u8; 32]> = BTreeMap::new();
    for receipt in &receipts {
        let note = receipt["receipt"]["checkpoint"]
            .as_str()
            .unwrap_or_default();
        let checkpoint = open(note, &verifier)?;
        if let Some(seen) = roots.insert(checkpoint.size, checkpoint.root) {
            assert_eq!(
                seen, checkpoint.root,
                "size {} signed with two roots",
                checkpoint.size
            );
        }
    }
    let total = first + indices.len() as u64;
    // Every replica converges on the same signed checkpoint.
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut notes = Vec::new();
    for base in &bases {
        loop {
            let note = http
                .get(format!("{base}/v1/log/checkpoint"))
                .send()
                .await?
                .text()
                .await?;
            if open(&note, &verifier)?.size == total {
                notes.push(note);
                break;
            }
            assert!(
                Instant::now() < deadline,
                "{base} did not reach size {total}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    assert!(notes.windows(2).all(|w| w[0] == w[1]), "{notes:?}");
    let last = open(&notes[0], &verifier)?;
    for (size, root) in &roots {
        let proof: Value = http
            .get(format!(
                "{}/v1/log/proof/consistency?from={size}&to={total}",
                bases[1]
            ))
            .send()
            .await?
            .json()
            .await?;
        let hashes = proof["hashes"]
            .as_array()
            .context("hashes")?
            .iter()
            .map(|h| unb64(h.as_str().unwrap_or_default()))
            .collect::<anyhow::Result<Vec<_>>>()?;
        verify_consistency(*size, total, root, &last.root, &hashes)
            .with_context(|| format!("checkpoint {size} is not a prefix of {total}"))?;
    }

    // The same question gets the same answer from every replica, against the same checkpoint.
    let mut answers = Vec::new();
    for base in &bases {
        let answer = check_phone(&http, base, "+86 172 0002 0014").await?;
        answers.push((
            answer["body"]["claims"]["outcome"].clone(),
            answer["body"]["claims"]["log"].clone(),
        ));
    }
    assert_eq!(answers[0].0, "fraud_risk");
    assert!(answers.windows(2).all(|w| w[0] == w[1]), "{answers:?}");
    eprintln!(
        "3 replicas and a late fourth: {} appends at once, dense indices {first}..{total}, {} checkpoints in one \
         chain; a warning reached the other replicas in {} ms",
        receipts.len(),
        roots.len(),
        propagation.as_millis()
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_replica_cut_off_from_the_database_says_so_and_answers_only_for_its_bound()
-> anyhow::Result<()> {
    let Some(db) = Database::create("bonafide_cutoff").await? else {
        return Ok(());
    };
    let result = cut_off(&db).await;
    db.drop_it().await;
    result
}

async fn cut_off(db: &Database) -> anyhow::Result<()> {
    let s = setup()?;
    let proxy = Proxy::start(db.port()).await?;
    let a = Replica::start(
        "a",
        &s.root.join("a"),
        &s.shared,
        &s.operator,
        &db.via(db.port()),
        &[],
    )
    .await?;
    let b = Replica::start(
        "b",
        &s.root.join("b"),
        &s.shared,
        &s.operator,
        &db.via(proxy.port),
        &["--stale-after-seconds", "3", "--poll-interval-ms", "200"],
    )
    .await?;
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()?;
    let keys = demo_keys();
    let now = Timestamp::from_datetime(time::OffsetDateTime::now_utc()).whole_seconds();
    for jws in demo_statements(&keys, now)? {
        submit(&http, &a.base, jws.to_canonical_bytes()).await?;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        http.get(format!("{}/readyz", b.base))
            .send()
            .await?
            .status(),
        200
    );

    proxy.cut();
    let cut_at = Instant::now();
    // It says so, refuses appends, and still answers checks from what it knows.
    let ready = http.get(format!("{}/readyz", b.base)).send().await?;
    assert_eq!(ready.status(), 503);
    let ready: Value = ready.json().await?;
    assert_eq!(ready["error"]["code"], "stale", "{ready}");
    assert!(
        ready["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("last known register"),
        "{ready}"
    );
    let refused = http
        .post(format!("{}/v1/statements", b.base))
        .header("Content-Type", "application/jose+json")
        .body(warning(&keys, "warn-during-cut", "+86 173 0000 0001")?)
        .send()
        .await?;
    assert_eq!(refused.status(), 503);
    let answer = check_phone(&http, &b.base, "+86 170 0000 1234").await?;
    assert!(
        cut_at.elapsed() < Duration::from_secs(3),
        "the check took too long to test the bound"
    );
    assert_eq!(answer["status"], 200, "{answer}");
    assert_eq!(answer["body"]["claims"]["outcome"], "fraud_risk");

    // Meanwhile replica a accepts a new warning.
    let phone = "+86 173 0000 0002";
    submit(
        &http,
        &a.base,
        warning(&keys, "warn-while-b-is-cut", phone)?,
    )
    .await?;

    // Past the bound, b refuses to answer rather than answer from an old register.
    tokio::time::sleep(
        Duration::from_secs(3).saturating_sub(cut_at.elapsed()) + Duration::from_millis(500),
    )
    .await;
    let stale = check_phone(&http, &b.base, phone).await?;
    assert_eq!(stale["status"], 503, "{stale}");
    assert_eq!(stale["body"]["error"]["code"], "stale", "{stale}");

    // Back on the database, it catches up and answers with what a accepted meanwhile.
    proxy.restore();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let answer = check_phone(&http, &b.base, phone).await?;
        if answer["status"] == 200 {
            assert_eq!(
                answer["body"]["claims"]["outcome"], "fraud_risk",
                "{answer}"
            );
            break;
        }
        assert!(Instant::now() < deadline, "b did not recover: {answer}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        http.get(format!("{}/readyz", b.base))
            .send()
            .await?
            .status(),
        200
    );
    Ok(())
}
