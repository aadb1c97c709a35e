//! The `bonafide` binary as a user runs it: the README walkthrough executed as written, a restart
//! that keeps everything, and the demo.

use std::io::{BufRead as _, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use bonafide::crypto::{SigningKey, public_key_file};
use bonafide::demo::{DemoKeys, demo_statements};
use bonafide::domain::Timestamp;

const BIN: &str = env!("CARGO_BIN_EXE_bonafide");

/// A free port on the loopback interface.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A child process killed when dropped, so a failing test leaves nothing running.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the binary and waits (up to 60 s) for a line containing `ready` on stdout or stderr;
/// returns the process and that line.
fn start(args: &[&str], dir: &Path, ready: &str) -> (Running, String) {
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bonafide starts");
    let (tx, rx) = mpsc::channel();
    for stream in [
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
    ]
    .into_iter()
    .flatten()
    {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
    }
    let running = Running(child);
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    let mut seen = Vec::new();
    while std::time::Instant::now() < deadline {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(200)) {
            if line.contains(ready) {
                return (running, line);
            }
            seen.push(line);
        }
    }
    panic!(
        "bonafide {args:?} did not print {ready:?}; it printed:\n{}",
        seen.join("\n")
    );
}

/// Demo keys from fixed seeds, with the operator's public key written to `dir/operator.pub.jwk`.
fn keys_with_operator_file(dir: &Path) -> DemoKeys {
    let keys = DemoKeys {
        operator: SigningKey::from_seed([1; 32]),
        root: SigningKey::from_seed([2; 32]),
        alice: SigningKey::from_seed([3; 32]),
        bob: SigningKey::from_seed([4; 32]),
    };
    std::fs::write(
        dir.join("operator.pub.jwk"),
        public_key_file(&keys.operator.public_jwk()),
    )
    .expect("write operator key");
    keys
}

fn client() -> reqwest::blocking::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::blocking::Client::new()
}

#[test]
fn the_readme_walkthrough_runs_as_written() {
    let readme = include_str!("../README.md");
    let section = readme
        .split("## The staff workflow")
        .nth(1)
        .expect("the README has a staff workflow section");
    let block = section
        .split("```sh\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the section holds a sh block");
    let port = free_port().to_string();
    let script = format!(
        "set -euo pipefail\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n{}",
        block.replace("8090", &port)
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let bin_dir = Path::new(BIN).parent().expect("binary directory");
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );

    let output = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .current_dir(dir.path())
        .env("PATH", path)
        .env_remove("BONAFIDE_SERVER")
        .output()
        .expect("bash runs");

    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "walkthrough failed\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    for expected in [
        "accepted: org statement acme-org",
        "accepted: delegation statement acme-staff",
        "signed signatory statement wang-jianguo",
        "2 signature(s)",
        "accepted: signatory statement wang-jianguo",
        "active      signatory",
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in\n{stdout}"
        );
    }
    let key_mode = std::fs::metadata(dir.path().join("alice.key"))
        .map(|m| std::os::unix::fs::PermissionsExt::mode(&m.permissions()) & 0o777)
        .expect("alice.key exists");
    assert_eq!(key_mode, 0o600, "private keys are written with mode 0600");
}

#[test]
fn a_restarted_server_keeps_everything() {
    let dir = tempfile::tempdir().expect("temp dir");
    let keys = keys_with_operator_file(dir.path());
    let port = free_port().to_string();
    let bind = format!("127.0.0.1:{port}");
    let args = [
        "serve",
        "--data",
        "data",
        "--bind",
        bind.as_str(),
        "--operator-key",
        "operator.pub.jwk",
    ];
    let base = format!("http://{bind}");
    let http = client();
    let now = Timestamp::from_datetime(time::OffsetDateTime::now_utc()).whole_seconds();
    let statements = demo_statements(&keys, now).expect("demo statements");
    // Statuses are compared as of a fixed time after every statement was accepted.
    let later = now.saturating_add(time::Duration::hours(1));

    let (first, _) = start(&args, dir.path(), "listening on");
    for jws in &statements {
        let response = http
            .post(format!("{base}/v1/statements"))
            .header("Content-Type", "application/jose+json")
            .body(jws.to_canonical_bytes())
            .send()
            .expect("submitted");
        assert_eq!(response.status(), 201);
    }
    let before: serde_json::Value = http
        .get(format!("{base}/v1/orgs/iucg/statements?as_of={later}"))
        .send()
        .and_then(|r| r.json())
        .expect("statements");
    drop(first);

    let (_second, _) = start(&args, dir.path(), "listening on");
    let after: serde_json::Value = http
        .get(format!("{base}/v1/orgs/iucg/statements?as_of={later}"))
        .send()
        .and_then(|r| r.json())
        .expect("statements");
    let again = http
        .post(format!("{base}/v1/statements"))
        .header("Content-Type", "application/jose+json")
        .body(statements[3].to_canonical_bytes())
        .send()
        .expect("resubmitted");

    assert_eq!(
        after, before,
        "the register after a restart is the one before"
    );
    assert_eq!(
        after["statements"].as_array().map(Vec::len),
        Some(statements.len())
    );
    assert_eq!(
        again.status(),
        200,
        "a resubmission after a restart is a duplicate"
    );
}

#[test]
fn the_demo_registers_the_organisation_and_keeps_it_with_data() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bind = format!("127.0.0.1:{}", free_port());
    let args = ["demo", "--data", "demo", "--bind", bind.as_str()];
    let http = client();

    let (first, line) = start(&args, dir.path(), "registered 17 statements");
    let org: serde_json::Value = http
        .get(format!("http://{bind}/v1/orgs/iucg"))
        .send()
        .and_then(|r| r.json())
        .expect("the demo organisation");
    drop(first);
    let (_second, _) = start(&args, dir.path(), "already registered");

    assert!(line.contains("17"), "{line}");
    assert_eq!(org["names"]["en"], "International Union Construction Group");
    assert_eq!(org["active_statements"]["signatory"], 2);
    assert!(dir.path().join("demo/demo-keys/alice.key").exists());
}

#[test]
fn a_row_written_into_the_database_behind_the_service_is_refused_at_start() {
    let dir = tempfile::tempdir().expect("temp dir");
    let keys = keys_with_operator_file(dir.path());
    let bind = format!("127.0.0.1:{}", free_port());
    let args = [
        "serve",
        "--data",
        "data",
        "--bind",
        bind.as_str(),
        "--operator-key",
        "operator.pub.jwk",
    ];
    let now = Timestamp::from_datetime(time::OffsetDateTime::now_utc()).whole_seconds();
    let statements = demo_statements(&keys, now).expect("demo statements");
    let (first, _) = start(&args, dir.path(), "listening on");
    let http = client();
    for jws in &statements[..2] {
        let response = http
            .post(format!("http://{bind}/v1/statements"))
            .header("Content-Type", "application/jose+json")
            .body(jws.to_canonical_bytes())
            .send()
            .expect("submitted");
        assert_eq!(response.status(), 201);
    }
    drop(first);
    // A warning signed by a key nobody granted, inserted straight into SQLite at the next index.
    let intruder = SigningKey::from_seed([66; 32]);
    let forged = {
        let statement = serde_json::json!({
            "type": "warning", "id": "forged", "org": "iucg",
            "issued_at": now.to_string(), "effective_from": now.to_string(),
            "kind": "phone", "value": "+86 138 0013 8000",
            "description": {"en": "Planted."},
        });
        let payload = bonafide::crypto::canonicalize(&statement).expect("canonical");
        let mut jws = bonafide::crypto::GeneralJws::new(&payload);
        jws.sign(&intruder, bonafide::crypto::STATEMENT_TYP);
        jws.to_canonical_bytes()
    };
    let database = dir.path().join("data").join(bonafide::store::DATABASE_FILE);
    tokio::runtime::Runtime::new()
        .expect("runtime")
        .block_on(async {
            let url = format!("sqlite://{}", database.display());
            let pool = sqlx::SqlitePool::connect(&url)
                .await
                .expect("open database");
            sqlx::query(
                "INSERT INTO log_entries (idx, org, statement_id, envelope, accepted_at) \
                 VALUES (2, 'iucg', 'forged', $1, $2)",
            )
            .bind(forged)
            // After the real entries were accepted, so only the signature can be wrong.
            .bind(now.saturating_add(time::Duration::minutes(1)).to_string())
            .execute(&pool)
            .await
            .expect("insert");
            pool.close().await;
        });

    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bonafide runs");
    // A service that wrongly starts would run forever: give it 30 s to refuse.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while child.try_wait().expect("wait").is_none() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    let refused = child.try_wait().expect("wait").is_some();
    let _ = child.kill();
    let output = child.wait_with_output().expect("output");

    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        refused && !output.status.success(),
        "the service must refuse to start:\n{stderr}"
    );
    assert!(
        stderr.contains("log entry 2 cannot be replayed") && stderr.contains("unknown key"),
        "{stderr}"
    );
}
