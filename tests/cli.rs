//! The `bonafide` binary as a user runs it: the README walkthrough and quickstart executed as
//! written, a restart that keeps everything, the demo, checks and verdicts from the command line,
//! verdict key rotation, and the transparency log: the monitor (`log verify`) and receipts.

use std::io::{BufRead as _, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use bonafide::crypto::{GeneralJws, SigningKey, public_key_file};
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

/// Waits up to `limit` for `child` to exit by itself, then kills it; returns whether it had
/// exited and what it printed.
fn finish_within(mut child: Child, limit: Duration) -> (bool, std::process::Output) {
    let deadline = std::time::Instant::now() + limit;
    while child.try_wait().expect("wait").is_none() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    let finished = child.try_wait().expect("wait").is_some();
    let _ = child.kill();
    (finished, child.wait_with_output().expect("output"))
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
    let (running, mut lines) = start_collecting(args, dir, ready);
    let line = lines.pop().unwrap_or_default();
    (running, line)
}

/// Like [`start`], returning every line printed up to and including the `ready` one.
fn start_collecting(args: &[&str], dir: &Path, ready: &str) -> (Running, Vec<String>) {
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
            let done = line.contains(ready);
            seen.push(line);
            if done {
                return (running, seen);
            }
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

/// The arguments of `bonafide serve` with its data in `data`, listening on `bind`, the operator's
/// key taken from `operator.pub.jwk`.
fn serve_args<'a>(data: &'a str, bind: &'a str) -> Vec<&'a str> {
    vec![
        "serve",
        "--data",
        data,
        "--bind",
        bind,
        "--operator-key",
        "operator.pub.jwk",
    ]
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
    let args = serve_args("data", &bind);
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

    let (first, line) = start(&args, dir.path(), "registered 29 statements");
    let org: serde_json::Value = http
        .get(format!("http://{bind}/v1/orgs/iucg"))
        .send()
        .and_then(|r| r.json())
        .expect("the demo organisation");
    drop(first);
    let (_second, _) = start(&args, dir.path(), "already registered");

    assert!(line.contains("29"), "{line}");
    assert_eq!(org["names"]["en"], "International Union Construction Group");
    assert_eq!(org["active_statements"]["signatory"], 2);
    assert!(dir.path().join("demo/demo-keys/alice.key").exists());
}

#[test]
fn a_row_written_into_the_database_behind_the_service_is_refused_at_start() {
    let dir = tempfile::tempdir().expect("temp dir");
    let keys = keys_with_operator_file(dir.path());
    let bind = format!("127.0.0.1:{}", free_port());
    let args = serve_args("data", &bind);
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
        let mut jws = GeneralJws::new(&payload);
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

    let child = Command::new(BIN)
        .args(args)
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bonafide runs");
    // A service that wrongly starts would run forever: give it 30 s to refuse.
    let (refused, output) = finish_within(child, Duration::from_secs(30));

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

/// What `bonafide demo` prints once it is ready.
const DEMO_READY: &str = "Press Ctrl-C to stop.";

/// The output of a finished command.
struct Ran {
    success: bool,
    /// The exit status, if the process exited by itself.
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl std::fmt::Display for Ran {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "success: {} (exit status {:?})\nstdout:\n{}\nstderr:\n{}",
            self.success, self.code, self.stdout, self.stderr
        )
    }
}

fn ran(output: std::process::Output) -> Ran {
    Ran {
        success: output.status.success(),
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Runs the binary to completion in `dir`.
fn bonafide(args: &[&str], dir: &Path) -> Ran {
    ran(Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env_remove("BONAFIDE_SERVER")
        .env_remove("BONAFIDE_DATA")
        .env_remove("BONAFIDE_KEYRING")
        .output()
        .expect("bonafide runs"))
}

/// Runs a shell snippet with `sh -c` in `dir`, with the binary's directory first on PATH.
fn shell(script: &str, dir: &Path) -> Ran {
    let bin_dir = Path::new(BIN).parent().expect("binary directory");
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    ran(Command::new("sh")
        .arg("-c")
        .arg(script)
        .current_dir(dir)
        .env("PATH", path)
        .env_remove("BONAFIDE_SERVER")
        .output()
        .expect("sh runs"))
}

/// Fails loudly when curl is missing: these tests run the curl commands users paste.
fn require_curl() {
    let found = Command::new("curl")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        found,
        "curl is needed: this test runs the README's and the demo's curl commands as a user \
         would; install curl (for example `apt-get install curl`)"
    );
}

/// The fenced `sh` blocks of a README section, in order.
fn sh_blocks<'a>(readme: &'a str, heading: &str) -> Vec<&'a str> {
    let section = readme
        .split(heading)
        .nth(1)
        .unwrap_or_else(|| panic!("the README has a {heading:?} section"));
    let section = section.split("\n## ").next().unwrap_or(section);
    section
        .split("```sh\n")
        .skip(1)
        .filter_map(|rest| rest.split("```").next())
        .collect()
}

/// A command from the README and the lines it prints, written under it as `# → ...`.
#[derive(Debug)]
struct Shown {
    command: String,
    prints: Vec<String>,
}

/// Reads a block of commands, each followed by the `# → ` lines of what it prints.
fn shown_commands(block: &str) -> Vec<Shown> {
    let mut shown: Vec<Shown> = Vec::new();
    let mut command = String::new();
    for line in block.lines() {
        if let Some(printed) = line.strip_prefix("# → ") {
            if !command.is_empty() {
                shown.push(Shown {
                    command: std::mem::take(&mut command),
                    prints: Vec::new(),
                });
            }
            shown
                .last_mut()
                .expect("an output line follows a command")
                .prints
                .push(printed.to_owned());
        } else if !line.starts_with('#') && !line.trim().is_empty() {
            command.push_str(line);
            command.push('\n');
        }
    }
    assert!(
        command.is_empty(),
        "every command in the quickstart shows what it prints; this one does not:\n{command}"
    );
    shown
}

#[test]
fn the_readme_quickstart_checks_give_the_outcomes_it_shows() {
    require_curl();
    let readme = include_str!("../README.md");
    let blocks = sh_blocks(readme, "## Check a contact (investors)");
    let [checks, cli] = blocks[..] else {
        panic!("the quickstart has two sh blocks, the curl checks and the CLI; found {blocks:?}")
    };
    let shown = shown_commands(checks);
    // The claims are printed as signed (RFC 8785: keys sorted), so `official` may come first.
    let outcomes: Vec<&str> = shown
        .iter()
        .filter_map(|s| s.prints.iter().find(|p| p.starts_with(r#""outcome""#)))
        .map(String::as_str)
        .collect();
    assert_eq!(
        outcomes,
        [
            r#""outcome":"verified""#,
            r#""outcome":"not_authorised""#,
            r#""outcome":"fraud_risk""#,
            r#""outcome":"fraud_risk""#,
            r#""outcome":"verified""#,
            r#""outcome":"fraud_risk""#,
            r#""outcome":"fraud_risk""#,
            r#""outcome":"not_authorised""#,
            r#""outcome":"not_authorised""#,
        ],
        "the quickstart shows the four checks of issue 3 and the group checks of issue 15"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let port = free_port().to_string();
    let bind = format!("127.0.0.1:{port}");

    // The demo as a user starts it: a throwaway data directory, the port given.
    let (_demo, printed) =
        start_collecting(&["demo", "--bind", bind.as_str()], dir.path(), DEMO_READY);

    for check in &shown {
        let command = check.command.replace("8080", &port);
        let result = shell(&command, dir.path());
        let lines: Vec<&str> = result.stdout.lines().collect();
        assert_eq!(
            lines, check.prints,
            "the README says\n{}prints {:?}\n{result}",
            check.command, check.prints
        );
    }

    // The curl commands the demo itself prints, each under the outcome it says to expect.
    let mut suggested = 0;
    for pair in printed.windows(2) {
        let Some((_, expected)) = pair[0].split_once("expect \"") else {
            continue;
        };
        let expected = expected.trim_end_matches('"');
        let command = pair[1].trim();
        assert!(
            command.starts_with("curl ") && command.contains(&bind),
            "{command}"
        );
        let result = shell(command, dir.path());
        let answer: serde_json::Value =
            serde_json::from_str(&result.stdout).unwrap_or_else(|e| panic!("{e}\n{result}"));
        assert_eq!(answer["claims"]["outcome"], expected, "{command}");
        suggested += 1;
    }
    assert_eq!(
        suggested,
        4,
        "the demo suggests four checks:\n{}",
        printed.join("\n")
    );

    // The README's CLI commands, as written.
    let result = shell(&cli.replace("8080", &port), dir.path());
    assert!(result.success, "{result}");
    for expected in [
        "Outcome: Fraud risk",
        "Use instead: +86 10 5555 0100",
        "Saved to verdict.jwt",
        "The verdict verifies",
    ] {
        assert!(
            result.stdout.contains(expected),
            "missing {expected:?}\n{result}"
        );
    }
}

/// Flips one base64url character of `token` at `index` to another valid one.
fn with_one_byte_changed(token: &str, index: usize) -> String {
    let mut bytes = token.as_bytes().to_vec();
    bytes[index] = if bytes[index] == b'A' { b'B' } else { b'A' };
    String::from_utf8(bytes).expect("ASCII")
}

#[test]
fn a_saved_verdict_verifies_and_fails_with_one_byte_changed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bind = format!("127.0.0.1:{}", free_port());
    let server = format!("http://{bind}");
    let jwks = format!("{server}/.well-known/jwks.json");
    let (_demo, _) = start(&["demo", "--bind", bind.as_str()], dir.path(), DEMO_READY);

    let checked = bonafide(
        &[
            "check",
            "contact",
            "--server",
            &server,
            "--org",
            "iucg",
            "--name",
            "Wang Jianguo",
            "--phone",
            "+86 170 0000 1234",
            "--save",
            "verdict.jwt",
        ],
        dir.path(),
    );
    let answer = bonafide(
        &[
            "check",
            "contact",
            "--server",
            &server,
            "--org",
            "iucg",
            "--website",
            "iucg-invest.com",
            "--json",
        ],
        dir.path(),
    );
    std::fs::write(dir.path().join("answer.json"), &answer.stdout).expect("write answer");
    let verified = bonafide(&["verify", "verdict.jwt", "--jwks", &jwks], dir.path());
    let verified_answer = bonafide(&["verify", "answer.json", "--jwks", &jwks], dir.path());
    let refused = bonafide(
        &[
            "check",
            "contact",
            "--server",
            &server,
            "--org",
            "nope",
            "--name",
            "Wang Jianguo",
        ],
        dir.path(),
    );

    assert!(checked.success, "{checked}");
    for expected in [
        "Outcome: Fraud risk",
        "What to do: Stop.",
        "phone \"+8617000001234\": Fraud risk",
        "Use instead: +86 10 5555 0100",
        "Relied on: statement iucg-warning-phone-1",
        "name \"wang jianguo\": Verified",
    ] {
        assert!(
            checked.stdout.contains(expected),
            "missing {expected:?}\n{checked}"
        );
    }
    assert!(answer.success, "{answer}");
    let raw: serde_json::Value = serde_json::from_str(&answer.stdout).expect("--json is JSON");
    assert_eq!(raw["claims"]["outcome"], "fraud_risk");
    assert!(verified.success, "{verified}");
    assert!(
        verified.stdout.contains("The verdict verifies"),
        "{verified}"
    );
    assert!(
        verified.stdout.contains("Outcome: Fraud risk"),
        "{verified}"
    );
    assert!(!verified.stderr.contains("expired"), "{verified}");
    assert!(verified_answer.success, "{verified_answer}");
    assert!(
        verified_answer
            .stdout
            .contains("website \"iucg-invest.com\""),
        "{verified_answer}"
    );
    assert!(!refused.success, "{refused}");
    assert!(
        refused.stderr.contains("error: unknown organisation")
            && refused.stderr.contains("(unknown_org)"),
        "{refused}"
    );

    let token = std::fs::read_to_string(dir.path().join("verdict.jwt")).expect("saved verdict");
    let token = token.trim();
    let (header, rest) = token.split_once('.').expect("a compact JWS");
    let (payload, _) = rest.split_once('.').expect("a compact JWS");
    // A byte in the header, one in the payload and one in the signature.
    for index in [
        header.len() / 2,
        header.len() + 1 + payload.len() / 2,
        header.len() + payload.len() + 2 + 20,
    ] {
        std::fs::write(
            dir.path().join("changed.jwt"),
            with_one_byte_changed(token, index),
        )
        .expect("write");
        let changed = bonafide(&["verify", "changed.jwt", "--jwks", &jwks], dir.path());
        assert!(!changed.success, "byte {index} changed, yet:\n{changed}");
        assert!(changed.stderr.contains("error:"), "{changed}");
        assert!(!changed.stdout.contains("verifies"), "{changed}");
    }
}

#[test]
fn an_expired_verdict_fails_unless_allowed_and_a_jwks_file_leaves_the_issuer_unchecked() {
    use bonafide::check::verdict::{LogState, Subject, VerdictClaims};
    use bonafide::check::{Findings, Outcome};

    let dir = tempfile::tempdir().expect("temp dir");
    let key = SigningKey::from_seed([9; 32]);
    let signed_at = Timestamp::parse("2020-01-01T00:00:00Z").expect("time");
    let claims = VerdictClaims::new(
        Subject {
            iss: "https://bonafide.example".into(),
            jti: "test-verdict".into(),
            now: signed_at,
            org: "iucg".into(),
            check: "contact",
            subject_sha256: "00".repeat(32),
            as_of: signed_at,
            log: LogState {
                origin: "bonafide.example/log".into(),
                size: 0,
                root: String::new(),
            },
        },
        Findings {
            outcome: Outcome::Unknown,
            findings: Vec::new(),
        },
    );
    let token = claims.sign(&key).expect("signed");
    std::fs::write(dir.path().join("old.jwt"), &token).expect("write");
    let jwks = serde_json::json!({"keys": [{
        "kty": "OKP", "crv": "Ed25519", "x": key.public_jwk().x_b64(),
        "kid": key.id().as_str(), "alg": "EdDSA", "use": "sig",
    }]});
    std::fs::write(dir.path().join("jwks.json"), jwks.to_string()).expect("write");
    let other = SigningKey::from_seed([10; 32]);
    let wrong = serde_json::json!({"keys": [{
        "kty": "OKP", "crv": "Ed25519", "x": other.public_jwk().x_b64(),
    }]});
    std::fs::write(dir.path().join("wrong.json"), wrong.to_string()).expect("write");

    let expired = bonafide(&["verify", "old.jwt", "--jwks", "jwks.json"], dir.path());
    let verified = bonafide(
        &[
            "verify",
            "old.jwt",
            "--jwks",
            "jwks.json",
            "--allow-expired",
        ],
        dir.path(),
    );
    let as_given = bonafide(
        &[
            "verify",
            "old.jwt",
            "--jwks",
            "jwks.json",
            "--allow-expired",
            "--issuer",
            "https://bonafide.example/",
        ],
        dir.path(),
    );
    let other_issuer = bonafide(
        &[
            "verify",
            "old.jwt",
            "--jwks",
            "jwks.json",
            "--allow-expired",
            "--issuer",
            "https://checks.example",
        ],
        dir.path(),
    );
    let unknown = bonafide(
        &[
            "verify",
            "old.jwt",
            "--jwks",
            "wrong.json",
            "--allow-expired",
        ],
        dir.path(),
    );

    assert!(!expired.success, "an expired verdict fails\n{expired}");
    assert!(
        expired
            .stderr
            .contains("error: this verdict expired on 2020-01-31T00:00:00Z")
            && expired.stderr.contains("--allow-expired"),
        "{expired}"
    );
    assert!(!expired.stdout.contains("verifies"), "{expired}");
    assert!(
        verified.success,
        "an expired verdict verifies with --allow-expired\n{verified}"
    );
    assert!(verified.stdout.contains("Outcome: Unknown"), "{verified}");
    assert!(
        verified.stdout.contains("Signed 2020-01-01T00:00:00Z"),
        "{verified}"
    );
    assert!(
        verified
            .stderr
            .contains("warning: this verdict expired on 2020-01-31T00:00:00Z"),
        "{verified}"
    );
    // A key set from a file says nothing about who issued the verdict: the user is told so.
    assert!(
        verified.stderr.contains("THE ISSUER WAS NOT CHECKED")
            && verified.stderr.contains("\"https://bonafide.example\""),
        "{verified}"
    );
    assert!(
        verified
            .stdout
            .contains("Issuer https://bonafide.example (NOT checked)"),
        "{verified}"
    );
    assert!(as_given.success, "{as_given}");
    assert!(!as_given.stderr.contains("NOT CHECKED"), "{as_given}");
    assert!(
        as_given
            .stdout
            .contains("Issuer https://bonafide.example (as given with --issuer)"),
        "{as_given}"
    );
    assert!(!other_issuer.success, "{other_issuer}");
    assert!(
        other_issuer
            .stderr
            .contains("not by https://checks.example/ (--issuer)"),
        "{other_issuer}"
    );
    assert!(!other_issuer.stdout.contains("verifies"), "{other_issuer}");
    assert!(!unknown.success, "{unknown}");
    assert!(unknown.stderr.contains("unknown signing key"), "{unknown}");
}

#[test]
fn a_rotated_key_is_published_first_and_signs_only_once_promoted() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bind = format!("127.0.0.1:{}", free_port());
    let server = format!("http://{bind}");
    let jwks = format!("{server}/.well-known/jwks.json");
    let args = ["demo", "--data", "demo", "--bind", bind.as_str()];
    let check = |file: &str| {
        bonafide(
            &[
                "check", "contact", "--server", &server, "--org", "iucg", "--name", "Li Mei",
                "--save", file,
            ],
            dir.path(),
        )
    };
    let verify = |file: &str| bonafide(&["verify", file, "--jwks", &jwks], dir.path());
    let http = client();
    let key_ids = || -> Vec<String> {
        let set: bonafide::api::Jwks = http
            .get(&jwks)
            .send()
            .and_then(|r| r.json())
            .expect("the JWK set");
        set.keys.into_iter().map(|k| k.kid).collect()
    };

    let (first, _) = start(&args, dir.path(), DEMO_READY);
    let before = key_ids();
    let old = check("old.jwt");
    drop(first);
    // Step 1: the new key is added as the next key.
    let rotated = bonafide(&["keys", "rotate", "--data", "demo"], dir.path());
    let rotated_again = bonafide(&["keys", "rotate", "--data", "demo"], dir.path());
    let listed_next = bonafide(&["keys", "list", "--data", "demo"], dir.path());
    let (second, _) = start(&args, dir.path(), "already registered");
    let published = key_ids();
    let between = check("between.jwt");
    drop(second);
    // Step 2: once published everywhere, it is promoted and signs.
    let promoted = bonafide(&["keys", "promote", "--data", "demo"], dir.path());
    let listed = bonafide(&["keys", "list", "--data", "demo"], dir.path());
    let (_third, _) = start(&args, dir.path(), "already registered");
    let after = key_ids();
    let new = check("new.jwt");
    let old_verified = verify("old.jwt");
    let between_verified = verify("between.jwt");
    let new_verified = verify("new.jwt");

    assert!(
        old.success && between.success && new.success,
        "{old}\n{between}\n{new}"
    );
    assert!(rotated.success, "{rotated}");
    let new_id = rotated
        .stdout
        .split_whitespace()
        .skip_while(|w| *w != "key")
        .nth(1)
        .expect("rotate prints the new key id")
        .to_owned();
    assert_eq!(before.len(), 1, "{before:?}");
    let old_id = before[0].clone();
    assert!(
        !rotated_again.success && rotated_again.stderr.contains("already has a next key"),
        "one next key at a time\n{rotated_again}"
    );
    assert!(listed_next.success, "{listed_next}");
    assert!(
        listed_next.stdout.contains(&format!("{old_id}  current"))
            && listed_next.stdout.contains(&format!("{new_id}  next")),
        "{listed_next}"
    );
    assert_eq!(
        published,
        [new_id.clone(), old_id.clone()],
        "the next key is published at once, beside the current one"
    );
    assert!(between_verified.success, "{between_verified}");
    assert!(
        between_verified
            .stdout
            .contains(&format!("signed by key {old_id}")),
        "the next key does not sign before it is promoted\n{between_verified}"
    );
    assert!(promoted.success, "{promoted}");
    assert!(promoted.stdout.contains(&new_id), "{promoted}");
    assert!(listed.success, "{listed}");
    assert!(
        listed.stdout.contains(&format!("{new_id}  current"))
            && listed.stdout.contains(&format!("{old_id}  retired")),
        "{listed}"
    );
    assert_eq!(
        after,
        [new_id.clone(), old_id.clone()],
        "the new key is published first, the old one stays"
    );
    assert!(
        old_verified.success,
        "the old verdict still verifies\n{old_verified}"
    );
    assert!(
        old_verified
            .stdout
            .contains(&format!("signed by key {old_id}")),
        "{old_verified}"
    );
    assert!(new_verified.success, "{new_verified}");
    assert!(
        new_verified
            .stdout
            .contains(&format!("signed by key {new_id}")),
        "the new key signs once promoted\n{new_verified}"
    );
    let mode = std::fs::metadata(dir.path().join("demo/verdict-keys"))
        .map(|m| std::os::unix::fs::PermissionsExt::mode(&m.permissions()) & 0o777)
        .expect("the key ring exists");
    assert_eq!(mode, 0o600);
}

#[test]
fn serve_takes_its_key_ring_and_public_url_from_the_environment() {
    let dir = tempfile::tempdir().expect("temp dir");
    let keys = keys_with_operator_file(dir.path());
    let bind = format!("127.0.0.1:{}", free_port());
    // A configured ring must exist: the operator creates it.
    let ring_path = dir.path().join("ring");
    let created = bonafide(
        &[
            "keys",
            "rotate",
            "--keyring",
            &ring_path.display().to_string(),
        ],
        dir.path(),
    );
    assert!(created.success, "{created}");
    let child = Command::new(BIN)
        .args(["serve", "--data", "data", "--bind", bind.as_str()])
        .args(["--operator-key", "operator.pub.jwk"])
        .current_dir(dir.path())
        .env("BONAFIDE_KEYRING", dir.path().join("ring"))
        .env("BONAFIDE_PUBLIC_URL", "https://checks.example/")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("bonafide serve starts");
    // Stopped when the test ends, however it ends.
    let _running = Running(child);
    let ready = bonafide(
        &[
            "ping",
            "--wait",
            "60",
            "--server",
            &format!("http://{bind}"),
        ],
        dir.path(),
    );
    assert!(
        ready.success,
        "bonafide serve did not become ready\n{ready}"
    );
    let http = client();
    let now = Timestamp::from_datetime(time::OffsetDateTime::now_utc()).whole_seconds();
    let statements = demo_statements(&keys, now).expect("demo statements");
    let response = http
        .post(format!("http://{bind}/v1/statements"))
        .header("Content-Type", "application/jose+json")
        .body(statements[0].to_canonical_bytes())
        .send()
        .expect("submitted");
    assert_eq!(response.status(), 201);
    let answer: bonafide::api::CheckResponse = http
        .post(format!("http://{bind}/v1/checks/contact"))
        .json(&serde_json::json!({"org": "iucg", "website": "iucg.example"}))
        .send()
        .and_then(|r| r.json())
        .expect("a verdict");
    let ring = bonafide::keyring::read(&dir.path().join("ring")).expect("the configured ring");

    assert_eq!(answer.claims.iss, "https://checks.example");
    assert_eq!(answer.claims.log.origin, "checks.example/log");
    assert!(
        !dir.path()
            .join("data")
            .join(bonafide::keyring::KEYRING_FILE)
            .exists(),
        "no ring in the data directory when one is configured"
    );
    let published: Vec<bonafide::crypto::VerifyingKey> = ring.published();
    bonafide::check::verdict::VerdictClaims::verify(&answer.verdict, &published)
        .expect("signed with the configured ring's key");
}

/// Runs the binary in `dir`; it must finish within 30 s (a service that wrongly starts would run
/// forever, so it is killed then, and the result says it did not finish).
fn bonafide_finishing(args: &[&str], dir: &Path) -> (bool, Ran) {
    let child = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env_remove("BONAFIDE_SERVER")
        .env_remove("BONAFIDE_DATA")
        .env_remove("BONAFIDE_KEYRING")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bonafide runs");
    let (finished, output) = finish_within(child, Duration::from_secs(30));
    (finished, ran(output))
}

#[test]
fn serve_refuses_a_configured_key_ring_that_does_not_exist() {
    let dir = tempfile::tempdir().expect("temp dir");
    keys_with_operator_file(dir.path());
    let bind = format!("127.0.0.1:{}", free_port());
    // Such as a secret mount that failed.
    let ring = dir.path().join("secrets").join("verdict-keys");
    std::fs::create_dir(dir.path().join("secrets")).expect("mount point");
    let ring_arg = ring.display().to_string();

    let (finished, served) = bonafide_finishing(
        &[
            "serve",
            "--data",
            "data",
            "--bind",
            bind.as_str(),
            "--operator-key",
            "operator.pub.jwk",
            "--keyring",
            &ring_arg,
        ],
        dir.path(),
    );

    assert!(
        finished && !served.success,
        "the service must refuse to start\n{served}"
    );
    assert!(
        served.stderr.contains(&ring_arg) && served.stderr.contains("does not exist"),
        "the error names the ring\n{served}"
    );
    assert!(!ring.exists(), "no key is made up for a configured ring");
    assert!(
        !dir.path()
            .join("data")
            .join(bonafide::keyring::KEYRING_FILE)
            .exists(),
        "nor one in the data directory"
    );
}

#[test]
fn keys_rotate_refuses_a_locked_ring_and_releases_its_own_lock() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ring = dir.path().join("ring");
    let lock = dir.path().join("ring.lock");
    let created = bonafide(&["keys", "rotate", "--keyring", "ring"], dir.path());
    let before = std::fs::read_to_string(&ring).expect("the ring");
    // Another `keys rotate` is (or seems to be) under way.
    std::fs::write(&lock, "").expect("lock");

    let locked = bonafide(&["keys", "rotate", "--keyring", "ring"], dir.path());
    let unchanged = std::fs::read_to_string(&ring).expect("the ring");
    std::fs::remove_file(&lock).expect("unlock");
    let rotated = bonafide(&["keys", "rotate", "--keyring", "ring"], dir.path());

    assert!(created.success, "{created}");
    assert!(!locked.success, "{locked}");
    assert!(
        locked.stderr.contains("is locked") && locked.stderr.contains("ring.lock"),
        "{locked}"
    );
    assert_eq!(unchanged, before, "a locked ring is left alone");
    assert!(rotated.success, "{rotated}");
    assert!(!lock.exists(), "a rotation removes its lock");
    assert_eq!(bonafide::keyring::read(&ring).expect("ring").ids().len(), 2);
}

#[test]
fn a_service_posing_as_another_issuer_is_caught_by_verify_and_check_contact() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bind = format!("127.0.0.1:{}", free_port());
    let server = format!("http://{bind}");
    let jwks = format!("{server}/.well-known/jwks.json");
    // A fraudster's own instance, claiming the genuine service's URL as its issuer.
    let (_fake, _) = start(
        &[
            "demo",
            "--bind",
            bind.as_str(),
            "--public-url",
            "https://bonafide.example",
        ],
        dir.path(),
        DEMO_READY,
    );
    let http = client();
    let answer: bonafide::api::CheckResponse = http
        .post(format!("{server}/v1/checks/contact"))
        .json(&serde_json::json!({"org": "iucg", "name": "Wang Jianguo"}))
        .send()
        .and_then(|r| r.json())
        .expect("a verdict");
    std::fs::write(dir.path().join("verdict.jwt"), &answer.verdict).expect("write");
    let set = http
        .get(&jwks)
        .send()
        .and_then(|r| r.text())
        .expect("the key set");
    std::fs::write(dir.path().join("jwks.json"), set).expect("write");

    let from_url = bonafide(&["verify", "verdict.jwt", "--jwks", &jwks], dir.path());
    let with_issuer = bonafide(
        &[
            "verify",
            "verdict.jwt",
            "--jwks",
            &jwks,
            "--issuer",
            "https://bonafide.example",
        ],
        dir.path(),
    );
    let from_file = bonafide(
        &["verify", "verdict.jwt", "--jwks", "jwks.json"],
        dir.path(),
    );
    let checked = bonafide(
        &[
            "check",
            "contact",
            "--server",
            &server,
            "--org",
            "iucg",
            "--name",
            "Wang Jianguo",
            "--save",
            "checked.jwt",
        ],
        dir.path(),
    );

    assert_eq!(answer.claims.iss, "https://bonafide.example");
    for refused in [&from_url, &with_issuer] {
        assert!(!refused.success, "{refused}");
        assert!(
            refused.stderr.contains("another origin")
                && refused.stderr.contains(&server)
                && refused
                    .stderr
                    .contains("--jwks https://bonafide.example/.well-known/jwks.json"),
            "{refused}"
        );
        assert!(!refused.stdout.contains("verifies"), "{refused}");
        assert!(!refused.stdout.contains("Outcome"), "{refused}");
    }
    // From a file, the signature holds, but the user is told the issuer is unchecked.
    assert!(from_file.success, "{from_file}");
    assert!(
        from_file.stderr.contains("THE ISSUER WAS NOT CHECKED")
            && from_file.stderr.contains("https://bonafide.example"),
        "{from_file}"
    );
    assert!(!checked.success, "{checked}");
    assert!(
        checked
            .stderr
            .contains("names another service as its issuer"),
        "{checked}"
    );
    assert!(!checked.stdout.contains("Outcome"), "{checked}");
    assert!(!dir.path().join("checked.jwt").exists(), "nothing saved");
}

/// Reads one HTTP request from `stream`: its request line, which it returns, then its headers and
/// body, which it drops.
fn read_request(stream: &std::net::TcpStream) -> String {
    use std::io::Read as _;
    let mut reader = BufReader::new(stream);
    let mut request_line = String::new();
    let _ = reader.read_line(&mut request_line);
    let mut length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    let _ = reader.read_exact(&mut body);
    request_line
}

/// Writes an HTTP answer with `status` (such as `200 OK`), `headers` and `body` to `stream`, for
/// a connection that closes after it.
fn write_answer(
    mut stream: &std::net::TcpStream,
    status: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) {
    use std::io::Write as _;
    let mut head = format!("HTTP/1.1 {status}\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    let _ = stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(body));
}

/// A server on `listener` answering each request, one at a time, with the status and body that
/// `answer` gives for its request line, as `content_type`, until the test ends; returns its base
/// URL.
fn fake_server(
    listener: std::net::TcpListener,
    content_type: &'static str,
    answer: impl Fn(&str) -> (&'static str, String) + Send + 'static,
) -> String {
    let base = format!("http://{}", listener.local_addr().expect("a local address"));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let (status, body) = answer(&read_request(&stream));
            write_answer(
                &stream,
                status,
                &[("Content-Type", content_type)],
                body.as_bytes(),
            );
        }
    });
    base
}

/// A server on the loopback interface answering a contact check with `answer` and the key set
/// with `jwks`, until the test ends; returns its base URL.
fn fake_service(
    listener: std::net::TcpListener,
    answer: serde_json::Value,
    jwks: serde_json::Value,
) -> String {
    fake_server(listener, "application/json", move |request_line| {
        if request_line.starts_with("POST /v1/checks/contact ") {
            ("200 OK", answer.to_string())
        } else if request_line.starts_with("GET /.well-known/jwks.json ") {
            ("200 OK", jwks.to_string())
        } else {
            ("404 Not Found", "{}".to_owned())
        }
    })
}

#[test]
fn check_contact_prints_the_signed_verdict_not_the_unsigned_claims_beside_it() {
    use bonafide::check::verdict::{LogState, Subject, VerdictClaims};
    use bonafide::check::{Findings, Outcome};

    let key = SigningKey::from_seed([21; 32]);
    let other = SigningKey::from_seed([22; 32]);
    let jwk = |key: &SigningKey| {
        serde_json::json!({"keys": [{
            "kty": "OKP", "crv": "Ed25519", "x": key.public_jwk().x_b64(),
            "kid": key.id().as_str(),
        }]})
    };
    // A service whose verdict says fraud risk while the claims beside it say verified.
    let service = |published: &SigningKey| {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
        let address = listener.local_addr().expect("a local address");
        let now = Timestamp::from_datetime(time::OffsetDateTime::now_utc());
        let claims = VerdictClaims::new(
            Subject {
                iss: format!("http://{address}"),
                jti: "test-verdict".into(),
                now,
                org: "iucg".into(),
                check: "contact",
                subject_sha256: "00".repeat(32),
                as_of: now,
                log: LogState {
                    origin: format!("{address}/log"),
                    size: 0,
                    root: String::new(),
                },
            },
            Findings {
                outcome: Outcome::FraudRisk,
                findings: Vec::new(),
            },
        );
        let token = claims.sign(&key).expect("signed");
        let mut shown = serde_json::to_value(&claims).expect("claims");
        shown["outcome"] = "verified".into();
        fake_service(
            listener,
            serde_json::json!({"verdict": token, "claims": shown}),
            jwk(published),
        )
    };
    let honest_keys = service(&key);
    let wrong_keys = service(&other);
    let dir = tempfile::tempdir().expect("temp dir");
    let check = |server: &str, extra: &[&str]| {
        let mut args = vec![
            "check", "contact", "--server", server, "--org", "iucg", "--name", "Li Mei",
        ];
        args.extend_from_slice(extra);
        bonafide(&args, dir.path())
    };

    let signed = check(&honest_keys, &["--save", "signed.jwt"]);
    let unverified = check(&wrong_keys, &["--save", "unverified.jwt"]);
    let unverified_json = check(&wrong_keys, &["--json"]);

    assert!(signed.success, "{signed}");
    assert!(
        signed.stdout.contains("Outcome: Fraud risk"),
        "the summary is the signed one\n{signed}"
    );
    assert!(!signed.stdout.contains("Verified"), "{signed}");
    assert!(
        signed
            .stderr
            .contains("unsigned claims in http://127.0.0.1:"),
        "{signed}"
    );
    assert!(dir.path().join("signed.jwt").exists());
    for refused in [&unverified, &unverified_json] {
        assert!(!refused.success, "{refused}");
        assert!(
            refused
                .stderr
                .contains("does NOT verify with its own published keys"),
            "{refused}"
        );
        assert!(
            refused.stdout.is_empty(),
            "nothing unverified is printed\n{refused}"
        );
    }
    assert!(!dir.path().join("unverified.jwt").exists(), "nothing saved");
}

/// The exit status of `bonafide log verify` when it caught the log misbehaving.
const MISBEHAVIOUR: Option<i32> = Some(3);

/// Submits a statement's bytes to `base`; returns the whole JSON answer, which must be a 201.
fn submit(http: &reqwest::blocking::Client, base: &str, body: Vec<u8>) -> serde_json::Value {
    let response = http
        .post(format!("{base}/v1/statements"))
        .header("Content-Type", "application/jose+json")
        .body(body)
        .send()
        .expect("submitted");
    assert_eq!(response.status(), 201);
    response.json().expect("a JSON answer")
}

/// Copies a directory and everything in it.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create the copy");
    for entry in std::fs::read_dir(from).expect("read the directory") {
        let entry = entry.expect("an entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy a file");
        }
    }
}

/// `text` with the (ASCII) character at byte `index` replaced by another base64 character.
fn with_char_changed(text: &str, index: usize) -> String {
    let replacement = if text[index..].starts_with('A') {
        "B"
    } else {
        "A"
    };
    format!("{}{replacement}{}", &text[..index], &text[index + 1..])
}

/// Runs the monitor (`log verify`) in `dir` on the log at `base`, with the operator's key from
/// `operator.pub.jwk` and its state in `state`; `extra` are further arguments.
fn monitor_in(dir: &Path, base: &str, state: &str, extra: &[&str]) -> Ran {
    let mut args = vec![
        "log",
        "verify",
        "--server",
        base,
        "--state",
        state,
        "--operator-key",
        "operator.pub.jwk",
    ];
    args.extend_from_slice(extra);
    bonafide(&args, dir)
}

/// One log served twice: server A with three of the demo statements, and server B started from a
/// copy of A's data directory (with its log key), both under the same origin whatever their
/// ports, so that the copy is the same log to a monitor and can roll back or fork what it saw.
struct CopiedLog {
    /// A and B, stopped before `dir` is removed.
    _servers: [Running; 2],
    a: String,
    b: String,
    http: reqwest::blocking::Client,
    statements: Vec<GeneralJws>,
    dir: tempfile::TempDir,
}

impl CopiedLog {
    fn start() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let keys = keys_with_operator_file(dir.path());
        let now = Timestamp::from_datetime(time::OffsetDateTime::now_utc()).whole_seconds();
        let statements = demo_statements(&keys, now).expect("demo statements");
        let http = client();
        let (bind_a, bind_b) = (
            format!("127.0.0.1:{}", free_port()),
            format!("127.0.0.1:{}", free_port()),
        );
        let (a, b) = (format!("http://{bind_a}"), format!("http://{bind_b}"));
        let serve = |data: &str, bind: &str, lock: &str| {
            let mut args = serve_args(data, bind);
            args.extend([
                "--log-origin",
                "monitor.test/log",
                "--checkpoint-lock",
                lock,
            ]);
            start(&args, dir.path(), "listening on").0
        };
        let first = serve("d1", &bind_a, "d1.lock");
        for jws in &statements[..3] {
            submit(&http, &a, jws.to_canonical_bytes());
        }
        drop(first);
        copy_dir(&dir.path().join("d1"), &dir.path().join("d2"));
        let servers = [
            serve("d1", &bind_a, "d1.lock"),
            serve("d2", &bind_b, "d2.lock"),
        ];
        Self {
            _servers: servers,
            a,
            b,
            http,
            statements,
            dir,
        }
    }

    /// Submits demo statement `i` to the server at `base`.
    fn submit(&self, base: &str, i: usize) {
        submit(&self.http, base, self.statements[i].to_canonical_bytes());
    }

    /// Runs the monitor on the server at `base`, its state kept in `state.json`.
    fn monitor(&self, base: &str) -> Ran {
        monitor_in(self.dir.path(), base, "state.json", &[])
    }

    /// The monitor's state file.
    fn state(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("state.json")).expect("the state")
    }

    /// Runs the monitor on the server at `base` and asserts that it reports misbehaviour: exit
    /// status 3, a report that starts with `kind` and contains `words`, and the state left as
    /// `kept`; returns the run.
    fn assert_misbehaves(&self, base: &str, kind: &str, words: &str, kept: &str) -> Ran {
        let ran = self.monitor(base);
        assert_eq!(ran.code, MISBEHAVIOUR, "{ran}");
        assert!(
            ran.stderr.starts_with(kind) && ran.stderr.contains(words),
            "{ran}"
        );
        assert_eq!(self.state(), kept, "the state is left as it was");
        ran
    }

    /// Asserts that `evidence`, from the monitor's report `ran`, shows every line of both the
    /// checkpoint kept in the state `kept` (A's) and B's current one.
    fn assert_evidence_shows_both_checkpoints(&self, evidence: &str, kept: &str, ran: &Ran) {
        let note_a: serde_json::Value = serde_json::from_str(kept).expect("JSON state");
        let note_b = self
            .http
            .get(format!("{}/v1/log/checkpoint", self.b))
            .send()
            .and_then(|r| r.text())
            .expect("B's checkpoint");
        for note in [note_a["checkpoint"].as_str().expect("a note"), &note_b] {
            for line in note.lines().filter(|l| !l.is_empty()) {
                assert!(
                    evidence.contains(line),
                    "the evidence shows both checkpoints; missing {line:?}\n{ran}"
                );
            }
        }
    }
}

#[test]
fn the_monitor_verifies_a_demo_log_then_its_growth_and_its_receipts_verify() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bind = format!("127.0.0.1:{}", free_port());
    let server = format!("http://{bind}");
    let (_demo, _) = start(
        &["demo", "--data", "demo", "--bind", bind.as_str()],
        dir.path(),
        DEMO_READY,
    );
    let operator = "demo/demo-keys/operator.pub.jwk";
    let monitor = |extra: &[&str]| {
        let mut args = vec![
            "log",
            "verify",
            "--server",
            &server,
            "--operator-key",
            operator,
        ];
        args.extend_from_slice(extra);
        bonafide(&args, dir.path())
    };

    let first = monitor(&[]);
    let state = std::fs::read_to_string(dir.path().join("bonafide-monitor.json"))
        .expect("the default state file is written");
    let again = monitor(&[]);

    assert!(first.success, "{first}");
    assert!(
        first.stderr.contains("TRUSTING THE LOG KEY ON FIRST USE"),
        "{first}"
    );
    assert!(
        first.stdout.contains("verifies") && first.stdout.contains("size 29 (first run"),
        "{first}"
    );
    assert!(
        state.contains("\"log_key\"") && state.contains(r"\n29\n"),
        "{state}"
    );
    assert!(again.success, "{again}");
    assert!(
        !again.stderr.contains("TRUSTING"),
        "the key is kept\n{again}"
    );
    assert!(again.stdout.contains("the same tree"), "{again}");

    // A new statement through the staff workflow, its receipt kept as the service answered it.
    let drafted = bonafide(
        &[
            "statement",
            "new",
            "warning",
            "--org",
            "iucg",
            "--id",
            "monitor-warning",
            "--kind",
            "phone",
            "--value",
            "+86 170 0000 9999",
            "--description",
            "en=An impostor's line",
            "--out",
            "warning.json",
        ],
        dir.path(),
    );
    assert!(drafted.success, "{drafted}");
    let signed = bonafide(
        &[
            "statement",
            "sign",
            "warning.json",
            "--key",
            "demo/demo-keys/bob.key",
        ],
        dir.path(),
    );
    assert!(signed.success, "{signed}");
    let statement = std::fs::read(dir.path().join("warning.json")).expect("the statement");
    let answer = submit(&client(), &server, statement);
    std::fs::write(dir.path().join("answer.json"), answer.to_string()).expect("write");
    std::fs::write(
        dir.path().join("receipt.json"),
        answer["receipt"].to_string(),
    )
    .expect("write");
    let log_key = client()
        .get(format!("{server}/v1/log/key"))
        .send()
        .and_then(|r| r.text())
        .expect("the log key");
    std::fs::write(dir.path().join("log.vkey"), &log_key).expect("write");

    let grown = monitor(&[]);
    let other_key = bonafide(&["keygen", "stranger"], dir.path());
    assert!(other_key.success, "{other_key}");
    let wrong_operator = bonafide(
        &[
            "log",
            "verify",
            "--server",
            &server,
            "--operator-key",
            "stranger.pub.jwk",
            "--state",
            "other-state.json",
            "--log-key",
            "log.vkey",
        ],
        dir.path(),
    );
    let another_log =
        bonafide::log::NoteSigner::new("another.test/log", SigningKey::from_seed([8; 32]))
            .expect("a note signer")
            .verifier()
            .to_string();
    let wrong_key = monitor(&["--log-key", &another_log]);

    assert!(grown.success, "{grown}");
    assert!(
        grown.stdout.contains("size 29 → 30, consistency")
            && grown
                .stdout
                .contains("the inclusion proof of the 1 new entry verifies"),
        "{grown}"
    );
    assert_eq!(wrong_operator.code, MISBEHAVIOUR, "{wrong_operator}");
    assert!(
        wrong_operator.stderr.starts_with("BAD ENTRY: log entry 0 "),
        "{wrong_operator}"
    );
    assert!(
        !dir.path().join("other-state.json").exists(),
        "nothing is saved after misbehaviour"
    );
    assert_eq!(wrong_key.code, Some(1), "{wrong_key}");
    assert!(
        wrong_key.stderr.contains("is not the log key kept in"),
        "{wrong_key}"
    );

    // The receipt: the whole answer with the key's URL, the receipt alone with the key file and
    // the statement.
    let key_url = format!("{server}/v1/log/key");
    let verify = |file: &str, extra: &[&str]| {
        let mut args = vec!["verify", file];
        args.extend_from_slice(extra);
        bonafide(&args, dir.path())
    };
    let whole = verify("answer.json", &["--log-key", &key_url]);
    let alone = verify(
        "receipt.json",
        &["--log-key", "log.vkey", "--statement", "warning.json"],
    );
    let without_key = verify("receipt.json", &[]);
    let other_statement = verify(
        "receipt.json",
        &[
            "--log-key",
            "log.vkey",
            "--statement",
            "demo/genuine-agreement.txt",
        ],
    );

    assert!(whole.success, "{whole}");
    assert!(
        whole.stdout.contains("The receipt verifies")
            && whole.stdout.contains("is entry 29 of the log")
            && whole.stdout.contains("its word only"),
        "{whole}"
    );
    assert!(alone.success, "{alone}");
    assert!(
        alone
            .stdout
            .contains("the warning statement monitor-warning of iucg"),
        "{alone}"
    );
    assert!(
        !without_key.success && without_key.stderr.contains("--log-key"),
        "{without_key}"
    );
    assert!(
        !other_statement.success && other_statement.stderr.contains("NOT the one"),
        "{other_statement}"
    );

    // Tampered and truncated receipts are refused, each for what is wrong with it.
    let receipt = &answer["receipt"];
    let checkpoint = receipt["checkpoint"].as_str().expect("a checkpoint");
    let signature_at = checkpoint.rfind(' ').expect("a signature line") + 12;
    let proof_hash = receipt["inclusion_proof"][0]
        .as_str()
        .expect("a proof hash");
    let mut cases = Vec::new();
    let mut changed = receipt.clone();
    changed["inclusion_proof"][0] = with_char_changed(proof_hash, 5).into();
    cases.push((
        "a proof hash changed",
        changed,
        "inclusion proof does NOT show",
    ));
    let mut changed = receipt.clone();
    changed["checkpoint"] = with_char_changed(checkpoint, signature_at).into();
    cases.push((
        "the checkpoint's signature changed",
        changed,
        "signature by the log key",
    ));
    let mut changed = receipt.clone();
    changed["checkpoint"] = checkpoint[..checkpoint.len() / 2].into();
    cases.push(("the checkpoint truncated", changed, "not a well-formed"));
    let mut changed = receipt.clone();
    changed["checkpoint"] = checkpoint.replacen("\n30\n", "\n31\n", 1).into();
    cases.push(("the checkpoint's size changed", changed, "does NOT verify"));
    let mut changed = receipt.clone();
    changed["inclusion_proof"] = receipt["inclusion_proof"]
        .as_array()
        .map(|hashes| hashes[..hashes.len() - 1].to_vec())
        .expect("proof hashes")
        .into();
    cases.push((
        "the proof truncated",
        changed,
        "inclusion proof does NOT show",
    ));
    for (what, changed, expected) in cases {
        std::fs::write(dir.path().join("changed.json"), changed.to_string()).expect("write");
        let refused = verify("changed.json", &["--log-key", "log.vkey"]);
        assert!(!refused.success, "{what}, yet:\n{refused}");
        assert!(
            refused.stderr.contains(expected) && refused.stderr.contains("do not rely"),
            "{what}: expected {expected:?}\n{refused}"
        );
        assert!(!refused.stdout.contains("verifies"), "{what}\n{refused}");
    }
}

#[test]
fn the_monitor_catches_a_rollback_and_a_fork_of_a_log_copied_with_its_key() {
    // Server A with three statements; its data directory (with the log key) copied for B.
    let log = CopiedLog::start();
    let (a, b) = (log.a.as_str(), log.b.as_str());

    log.submit(a, 3);
    let seen_a = log.monitor(a);
    assert!(seen_a.success, "{seen_a}");
    let kept = log.state();

    // B is behind what the monitor saw: a rollback.
    log.assert_misbehaves(b, "ROLLBACK: ", "tree of 3 entries", &kept);

    // B appends another statement at the same index: same size, another root.
    log.submit(b, 4);
    let forked = log.assert_misbehaves(
        b,
        "FORK: ",
        "two different roots for the same size 4",
        &kept,
    );
    log.assert_evidence_shows_both_checkpoints(&forked.stderr, &kept, &forked);

    // B grows past the monitor's checkpoint: no consistency proof can hold.
    log.submit(b, 5);
    log.assert_misbehaves(b, "FORK: ", "consistency proof fails", &kept);

    // A, the log the monitor follows, grows consistently.
    log.submit(a, 5);
    let grown = log.monitor(a);
    assert!(grown.success, "{grown}");
    assert!(grown.stdout.contains("size 4 → 5, consistency"), "{grown}");
    assert_ne!(log.state(), kept, "the state follows A");
}

/// A server on the loopback interface answering each GET of a path in `routes` with its text,
/// until the test ends; returns its base URL.
fn fake_log(routes: Vec<(&'static str, String)>) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    fake_server(listener, "text/plain", move |request_line| {
        let found = routes
            .iter()
            .find(|(path, _)| request_line.starts_with(&format!("GET {path} ")));
        match found {
            Some((_, body)) => ("200 OK", body.clone()),
            None => ("404 Not Found", "{}".to_owned()),
        }
    })
}

#[test]
fn the_monitor_reports_a_tampered_or_truncated_checkpoint_as_such() {
    use bonafide::log::{Checkpoint, NoteSigner};

    let dir = tempfile::tempdir().expect("temp dir");
    keys_with_operator_file(dir.path());
    let signer =
        NoteSigner::new("fake.test/log", SigningKey::from_seed([5; 32])).expect("a note signer");
    let vkey = signer.verifier().to_string();
    let empty = bonafide::log::proof::root(&[]);
    let note = Checkpoint::new("fake.test/log", 0, empty)
        .sign(&signer)
        .expect("signed");
    let signature_at = note.rfind(' ').expect("a signature line") + 12;
    let other = NoteSigner::new("other.test/log", SigningKey::from_seed([6; 32])).expect("signer");
    let other_origin = Checkpoint::new("other.test/log", 0, empty)
        .sign(&other)
        .expect("signed");
    let cases = [
        (
            with_char_changed(&note, signature_at),
            "BAD SIGNATURE: ",
            "does NOT verify",
        ),
        (
            note.replacen("\n0\n", "\n1\n", 1),
            "BAD SIGNATURE: ",
            "altered",
        ),
        (
            note[..note.len() - 10].to_owned(),
            "BAD CHECKPOINT: ",
            "truncated",
        ),
        (
            other_origin,
            "BAD SIGNATURE: ",
            "no signature by the log key",
        ),
    ];
    for (served, kind, words) in cases {
        let base = fake_log(vec![
            ("/v1/log/key", format!("{vkey}\n")),
            ("/v1/log/checkpoint", served.clone()),
        ]);
        let ran = monitor_in(dir.path(), &base, "state.json", &["--log-key", &vkey]);
        assert_eq!(ran.code, MISBEHAVIOUR, "served {served:?}\n{ran}");
        assert!(
            ran.stderr.starts_with(kind) && ran.stderr.contains(words),
            "served {served:?}: expected {kind:?} and {words:?}\n{ran}"
        );
        assert!(!dir.path().join("state.json").exists(), "nothing saved");
    }
    // The genuine checkpoint of the empty log verifies.
    let base = fake_log(vec![
        ("/v1/log/key", format!("{vkey}\n")),
        ("/v1/log/checkpoint", note),
    ]);
    let fine = monitor_in(dir.path(), &base, "state.json", &[]);
    assert!(
        fine.success && fine.stdout.contains("size 0 (first run"),
        "{fine}"
    );
}

/// An answer passing through a [`proxy`], which the test may alter before it is sent on.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// A server on the loopback interface that forwards each GET to `upstream` and sends back the
/// answer as `alter` leaves it (`alter` gets the request target, path and query), until the test
/// ends; returns its base URL.
fn proxy(upstream: &str, alter: impl Fn(&str, &mut Answer) + Send + Sync + 'static) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let base = format!("http://{}", listener.local_addr().expect("a local address"));
    let upstream = upstream.trim_end_matches('/').to_owned();
    let alter = std::sync::Arc::new(alter);
    let http = client();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let (http, alter, upstream) = (http.clone(), alter.clone(), upstream.clone());
            std::thread::spawn(move || {
                let request_line = read_request(&stream);
                let target = request_line
                    .strip_prefix("GET ")
                    .and_then(|rest| rest.split(' ').next())
                    .unwrap_or_default()
                    .to_owned();
                let mut answer = match http.get(format!("{upstream}{target}")).send() {
                    Ok(response) => Answer {
                        status: response.status().as_u16(),
                        headers: response
                            .headers()
                            .iter()
                            .filter(|(name, _)| {
                                !["content-length", "transfer-encoding", "connection"]
                                    .contains(&name.as_str())
                            })
                            .filter_map(|(name, value)| {
                                Some((name.to_string(), value.to_str().ok()?.to_owned()))
                            })
                            .collect(),
                        body: response.bytes().map(|b| b.to_vec()).unwrap_or_default(),
                    },
                    Err(e) => Answer {
                        status: 502,
                        headers: Vec::new(),
                        body: format!("the proxy cannot reach {upstream}: {e}").into_bytes(),
                    },
                };
                alter(&target, &mut answer);
                let headers: Vec<(&str, &str)> = answer
                    .headers
                    .iter()
                    .map(|(name, value)| (name.as_str(), value.as_str()))
                    .collect();
                write_answer(
                    &stream,
                    &format!("{} Proxied", answer.status),
                    &headers,
                    &answer.body,
                );
            });
        }
    });
    base
}

/// A [`proxy`] to `upstream` that withholds every consistency proof: it answers 503.
fn withholding_consistency_proofs(upstream: &str) -> String {
    proxy(upstream, |target, answer| {
        if target.starts_with("/v1/log/proof/consistency") {
            *answer = Answer {
                status: 503,
                headers: vec![("Content-Type".into(), "application/json".into())],
                body: br#"{"error":{"code":"unavailable","message":"proofs withheld"}}"#.to_vec(),
            };
        }
    })
}

#[test]
fn the_monitor_proves_consistency_from_the_entries_when_the_proof_is_withheld() {
    // A with three statements, copied with its key for B; the monitor sees A at 4.
    let log = CopiedLog::start();
    let (a, b) = (log.a.as_str(), log.b.as_str());
    let withheld = "warning: the server gave no consistency proof";
    log.submit(a, 3);
    let seen_a = log.monitor(a);
    assert!(seen_a.success, "{seen_a}");
    let kept = log.state();

    // B forks at entry 3 and grows past the monitor's checkpoint, withholding the proof that
    // would fail: the entries themselves give another root at size 4.
    log.submit(b, 4);
    log.submit(b, 5);
    let forked = log.monitor(&withholding_consistency_proofs(b));
    assert_eq!(forked.code, MISBEHAVIOUR, "{forked}");
    assert!(forked.stderr.contains(withheld), "{forked}");
    let report = forked
        .stderr
        .lines()
        .skip_while(|line| !line.starts_with("FORK: "))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        report.contains("the first 4 entries served do not give the root of the checkpoint"),
        "{forked}"
    );
    log.assert_evidence_shows_both_checkpoints(&report, &kept, &forked);
    assert!(!forked.stdout.contains("verifies"), "{forked}");
    assert_eq!(log.state(), kept, "the state is left as it was");

    // A grows honestly by the same two statements and withholds the proof too: it verifies.
    log.submit(a, 4);
    log.submit(a, 5);
    let grown = log.monitor(&withholding_consistency_proofs(a));
    assert!(grown.success, "{grown}");
    assert_eq!(grown.code, Some(0), "{grown}");
    assert!(grown.stderr.contains(withheld), "{grown}");
    assert!(
        grown.stdout.contains("size 4 → 6, consistency")
            && grown
                .stdout
                .contains("the inclusion proofs of the 2 new entries verify"),
        "{grown}"
    );
    assert_ne!(log.state(), kept, "the state follows A");
    assert!(log.state().contains(r"\n6\n"), "{}", log.state());
}

#[test]
fn the_monitor_refuses_acceptance_times_that_go_backwards_lie_ahead_or_precede_the_statement() {
    let dir = tempfile::tempdir().expect("temp dir");
    let keys = keys_with_operator_file(dir.path());
    let now = Timestamp::from_datetime(time::OffsetDateTime::now_utc()).whole_seconds();
    let statements = demo_statements(&keys, now).expect("demo statements");
    let bind = format!("127.0.0.1:{}", free_port());
    let server = format!("http://{bind}");
    let (_serve, _) = start(&serve_args("data", &bind), dir.path(), "listening on");
    let http = client();
    for jws in &statements[..3] {
        submit(&http, &server, jws.to_canonical_bytes());
    }
    let accepted_at = |index: u64| -> Timestamp {
        let response = http
            .get(format!("{server}/v1/log/entries/{index}"))
            .send()
            .expect("the entry");
        let header = response
            .headers()
            .get("bonafide-accepted-at")
            .and_then(|v| v.to_str().ok())
            .expect("an acceptance time");
        Timestamp::parse(header).expect("RFC 3339")
    };
    let log_key = http
        .get(format!("{server}/v1/log/key"))
        .send()
        .and_then(|r| r.text())
        .expect("the log key");
    let log_key = log_key.trim();
    let minutes = |n: i64| time::Duration::minutes(n);
    // Every statement was issued at `now`, and accepted at or after it.
    let monitor = |state: &str, times: Vec<(u64, Timestamp)>| {
        let base = proxy(&server, move |target, answer| {
            for (index, time) in &times {
                if target == format!("/v1/log/entries/{index}") {
                    answer
                        .headers
                        .retain(|(name, _)| name != "bonafide-accepted-at");
                    answer
                        .headers
                        .push(("bonafide-accepted-at".into(), time.to_string()));
                }
            }
        });
        monitor_in(dir.path(), &base, state, &["--log-key", log_key])
    };

    // Through the proxy unaltered, and with times moved within the allowed clock skew: entry 0
    // accepted two minutes before it was issued, entry 2 two minutes ahead of the monitor.
    let faithful = monitor("faithful.json", Vec::new());
    let within_skew = monitor(
        "skew.json",
        vec![
            (0, now.saturating_add(minutes(-2))),
            (
                2,
                Timestamp::from_datetime(time::OffsetDateTime::now_utc())
                    .saturating_add(minutes(2)),
            ),
        ],
    );
    assert!(faithful.success, "{faithful}");
    assert!(within_skew.success, "{within_skew}");

    let cases = [
        (
            "entry 2 a second before entry 1",
            vec![(
                2,
                accepted_at(1).saturating_add(time::Duration::seconds(-1)),
            )],
            "log entry 2 ",
            "is earlier than the entry before it",
        ),
        (
            "entry 2 an hour ahead",
            vec![(
                2,
                Timestamp::from_datetime(time::OffsetDateTime::now_utc())
                    .saturating_add(minutes(60)),
            )],
            "log entry 2 ",
            "is in the future",
        ),
        (
            "entry 0 ten minutes before it was issued",
            vec![(0, now.saturating_add(minutes(-10)))],
            "log entry 0 ",
            "is before the statement was issued",
        ),
    ];
    for (what, times, entry, why) in cases {
        let shown = times[0].1.to_string();
        let refused = monitor("refused.json", times);
        assert_eq!(refused.code, MISBEHAVIOUR, "{what}\n{refused}");
        assert!(
            refused.stderr.starts_with(&format!("BAD ENTRY: {entry}"))
                && refused
                    .stderr
                    .contains(&format!("its acceptance time {shown} {why}")),
            "{what}: expected {why:?}\n{refused}"
        );
        assert!(!refused.stdout.contains("verifies"), "{what}\n{refused}");
        assert!(
            !dir.path().join("refused.json").exists(),
            "{what}: nothing is saved after misbehaviour"
        );
    }
}

#[test]
fn check_agreement_prints_each_finding_with_where_it_is_and_saves_a_verdict_that_verifies() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bind = format!("127.0.0.1:{}", free_port());
    let server = format!("http://{bind}");
    let jwks = format!("{server}/.well-known/jwks.json");
    let (_demo, _) = start(&["demo", "--bind", bind.as_str()], dir.path(), DEMO_READY);
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/agreements");
    let file = |name: &str| corpus.join(name).display().to_string();

    let fake = bonafide(
        &[
            "check",
            "agreement",
            &file("fake_deposit_zh.pdf"),
            "--org",
            "iucg",
            "--server",
            &server,
            "--save",
            "verdict.jwt",
        ],
        dir.path(),
    );
    let genuine = bonafide(
        &[
            "check",
            "agreement",
            &file("genuine.txt"),
            "--org",
            "iucg",
            "--server",
            &server,
        ],
        dir.path(),
    );
    let verified = bonafide(&["verify", "verdict.jwt", "--jwks", &jwks], dir.path());
    std::fs::write(
        dir.path().join("photo.pdf"),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
    )
    .expect("write");
    let unreadable = bonafide(
        &[
            "check",
            "agreement",
            "photo.pdf",
            "--org",
            "iucg",
            "--server",
            &server,
        ],
        dir.path(),
    );

    assert!(fake.success, "{fake}");
    for expected in [
        "Outcome: Fraud risk",
        "fee ",
        "保证金",
        "In page 1",
        "Saved to verdict.jwt",
    ] {
        assert!(
            fake.stdout.contains(expected),
            "missing {expected:?}\n{fake}"
        );
    }
    assert!(genuine.success, "{genuine}");
    assert!(genuine.stdout.contains("Outcome: Verified"), "{genuine}");
    assert!(
        genuine
            .stdout
            .contains("Relied on: statement iucg-genuine-agreement-2026-001"),
        "{genuine}"
    );
    assert!(verified.success, "{verified}");
    assert!(
        verified.stdout.contains("Outcome: Fraud risk"),
        "{verified}"
    );
    assert!(!unreadable.success, "{unreadable}");
    assert!(
        unreadable.stderr.contains("PNG") && unreadable.stderr.contains("reads PDF"),
        "the refusal says what it is and what is read: {unreadable}"
    );
}

#[test]
fn the_readme_message_checks_give_the_outcomes_it_shows() {
    require_curl();
    let readme = include_str!("../README.md");
    let blocks = sh_blocks(readme, "## Check a message (investors)");
    let [checks] = blocks[..] else {
        panic!("the message section has one sh block; found {blocks:?}")
    };
    let shown = shown_commands(checks);
    let prints: Vec<&[String]> = shown.iter().map(|s| s.prints.as_slice()).collect();
    assert_eq!(
        prints,
        [
            &["Outcome: Fraud risk".to_owned()][..],
            &["Outcome: Fraud risk".to_owned()],
            &["Outcome: Fraud risk".to_owned()],
            &[r#""outcome":"fraud_risk""#.to_owned()],
            &[
                r#""reason":"practice_never""#.to_owned(),
                r#""reason":"practice_never""#.to_owned(),
                r#""outcome":"fraud_risk""#.to_owned(),
            ],
        ],
        "the section shows a fee-asking message checked with --text, a file, standard input and \
         curl"
    );
    for (check, how) in shown.iter().zip(["--text", "message.txt", " - ", "curl "]) {
        assert!(check.command.contains(how), "{how}: {}", check.command);
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let port = free_port().to_string();
    let bind = format!("127.0.0.1:{port}");
    let (_demo, _) = start(&["demo", "--bind", bind.as_str()], dir.path(), DEMO_READY);

    for check in &shown {
        let command = check.command.replace("8080", &port);
        let result = shell(&command, dir.path());
        let lines: Vec<&str> = result.stdout.lines().collect();
        assert_eq!(
            lines, check.prints,
            "the README says\n{}prints {:?}\n{result}",
            check.command, check.prints
        );
    }
    // The verdict the file's check saved verifies offline.
    let jwks = format!("http://{bind}/.well-known/jwks.json");
    let verified = bonafide(&["verify", "verdict.jwt", "--jwks", &jwks], dir.path());
    assert!(verified.success, "{verified}");
    assert!(
        verified.stdout.contains("Outcome: Fraud risk"),
        "{verified}"
    );
}

/// A message asking for an unfreezing fee to a personal account.
const FEE_MESSAGE_ZH: &str = "王经理：您的投资款已通过审核，但账户处于冻结状态。\
请今天支付解冻费人民币28,000元至财务人员个人账户 6222 0000 1111 2222。";

/// Runs the binary in `dir` with `stdin` on its standard input.
fn bonafide_with_stdin(args: &[&str], dir: &Path, stdin: &[u8]) -> Ran {
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env_remove("BONAFIDE_SERVER")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bonafide runs");
    let mut input = child.stdin.take().expect("piped stdin");
    // The binary may stop reading early (a message too long): a broken pipe is expected then.
    let _ = std::io::Write::write_all(&mut input, stdin);
    drop(input);
    ran(child.wait_with_output().expect("output"))
}

#[test]
fn check_message_takes_the_text_a_file_or_standard_input_and_refuses_over_64_kib_before_sending() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bind = format!("127.0.0.1:{}", free_port());
    let server = format!("http://{bind}");
    let jwks = format!("{server}/.well-known/jwks.json");
    let (_demo, _) = start(&["demo", "--bind", bind.as_str()], dir.path(), DEMO_READY);
    std::fs::write(dir.path().join("message.txt"), FEE_MESSAGE_ZH).expect("write");
    let common = ["--org", "iucg", "--server", server.as_str()];
    let with = |extra: &[&str]| -> Vec<String> {
        ["check", "message"]
            .iter()
            .chain(extra)
            .chain(&common)
            .map(|s| (*s).to_owned())
            .collect()
    };
    fn args(v: &[String]) -> Vec<&str> {
        v.iter().map(String::as_str).collect()
    }

    let by_text = bonafide(
        &args(&with(&["--text", FEE_MESSAGE_ZH, "--save", "text.jwt"])),
        dir.path(),
    );
    let by_file = bonafide(
        &args(&with(&["message.txt", "--save", "file.jwt"])),
        dir.path(),
    );
    let by_stdin = bonafide_with_stdin(
        &args(&with(&["-", "--save", "stdin.jwt"])),
        dir.path(),
        FEE_MESSAGE_ZH.as_bytes(),
    );
    let as_json = bonafide(
        &args(&with(&["--text", FEE_MESSAGE_ZH, "--json"])),
        dir.path(),
    );

    for (what, result) in [
        ("--text", &by_text),
        ("a file", &by_file),
        ("standard input", &by_stdin),
    ] {
        assert!(result.success, "{what}: {result}");
        for expected in [
            "Outcome: Fraud risk",
            "1. message \"message\": Unknown",
            "fee \"解冻费",
            "In paragraph 1: \u{201c}",
            "bank_account \"6222000011112222\"",
            "signed by http://",
            "Saved to ",
        ] {
            assert!(
                result.stdout.contains(expected),
                "{what}: missing {expected:?}\n{result}"
            );
        }
    }
    // The three are verdicts about the same bytes, and each verifies offline.
    let answer: serde_json::Value = serde_json::from_str(&as_json.stdout).expect("JSON");
    let subject = answer["claims"]["subject_sha256"].as_str().expect("a hash");
    assert_eq!(answer["claims"]["check"], "message");
    assert_eq!(
        subject,
        bonafide::crypto::hex(&bonafide::crypto::sha256(FEE_MESSAGE_ZH.as_bytes()))
    );
    for saved in ["text.jwt", "file.jwt", "stdin.jwt"] {
        let verified = bonafide(&["verify", saved, "--jwks", &jwks], dir.path());
        assert!(verified.success, "{saved}: {verified}");
        assert!(
            verified.stdout.contains("Outcome: Fraud risk"),
            "{verified}"
        );
    }

    // Over 64 KiB: refused before anything is sent, so a server that is not there is never
    // reached (the error is about the size, not the connection), and nothing is saved.
    let long = "冻".repeat(21_846); // 65,538 bytes of UTF-8
    std::fs::write(dir.path().join("long.txt"), &long).expect("write");
    let nowhere = "http://127.0.0.1:9";
    let over_text = bonafide(
        &[
            "check", "message", "--text", &long, "--org", "iucg", "--server", nowhere, "--save",
            "over.jwt",
        ],
        dir.path(),
    );
    let over_file = bonafide(
        &[
            "check", "message", "long.txt", "--org", "iucg", "--server", nowhere,
        ],
        dir.path(),
    );
    let over_stdin = bonafide_with_stdin(
        &[
            "check", "message", "-", "--org", "iucg", "--server", nowhere,
        ],
        dir.path(),
        &vec![b'a'; 1024 * 1024],
    );
    for (what, result) in [
        ("--text", &over_text),
        ("a file", &over_file),
        ("standard input", &over_stdin),
    ] {
        assert!(!result.success, "{what}: {result}");
        assert!(
            result.stderr.contains("65536") && result.stderr.contains("nothing was sent"),
            "{what}: the refusal names the limit and says nothing was sent: {result}"
        );
    }
    assert!(!dir.path().join("over.jwt").exists());

    // An empty message is the service's refusal, in its words.
    let empty = bonafide(&args(&with(&["--text", " \n "])), dir.path());
    assert!(!empty.success, "{empty}");
    assert!(empty.stderr.contains("empty_message"), "{empty}");
}
