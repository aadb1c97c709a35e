//! What the benchmarks share: the demo keys, signing a statement, and a real `bonafide serve`
//! process with its start-up time, memory and CPU read from `/proc`.
//!
//! Each benchmark includes it with `mod common;`.

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use bonafide::crypto::{GeneralJws, STATEMENT_TYP, SigningKey, canonicalize, public_key_file};
use bonafide::demo::DemoKeys;
use serde_json::{Value, json};

pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_bonafide");

/// Demo keys from fixed seeds, with the operator's public key written to `dir/operator.pub.jwk`;
/// returns the keys and that file.
pub(crate) fn keys_with_operator_file(dir: &Path) -> anyhow::Result<(DemoKeys, PathBuf)> {
    let keys = DemoKeys {
        operator: SigningKey::from_seed([1; 32]),
        root: SigningKey::from_seed([2; 32]),
        alice: SigningKey::from_seed([3; 32]),
        bob: SigningKey::from_seed([4; 32]),
    };
    let operator_file = dir.join("operator.pub.jwk");
    std::fs::write(&operator_file, public_key_file(&keys.operator.public_jwk()))?;
    Ok((keys, operator_file))
}

/// The canonical JWS of `statement`, signed by each of `signers`.
#[allow(dead_code, reason = "not every benchmark signs statements")]
pub(crate) fn sign(statement: &Value, signers: &[&SigningKey]) -> anyhow::Result<Vec<u8>> {
    let mut jws = GeneralJws::new(&canonicalize(statement)?);
    for key in signers {
        jws.sign(key, STATEMENT_TYP);
    }
    Ok(jws.to_canonical_bytes())
}

/// A `bonafide serve` process, killed when dropped.
pub(crate) struct Server {
    child: Child,
    /// Its base URL, from the line it prints once listening.
    pub(crate) base: String,
    /// From spawning it to that line: for a loaded log, the replay.
    #[allow(dead_code, reason = "not every benchmark reports it")]
    pub(crate) startup: Duration,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts `bonafide serve` with 2 workers on a free port, with its data in `data`, and waits
    /// (up to 60 s) until it listens. The per-client rate limits are off: a benchmark is one
    /// client on loopback measuring what the service can do, which the limits would cap.
    #[allow(dead_code, reason = "not every benchmark starts a bare server")]
    pub(crate) fn start(data: &Path, operator_key: &Path) -> anyhow::Result<Self> {
        Self::start_with(
            data,
            operator_key,
            &["--check-rate", "0", "--upload-rate", "0"],
        )
    }

    /// As [`Server::start`], with `extra` arguments instead of the limits being off.
    pub(crate) fn start_with(
        data: &Path,
        operator_key: &Path,
        extra: &[&str],
    ) -> anyhow::Result<Self> {
        let started = Instant::now();
        let mut child = Command::new(BIN)
            .args(["serve", "--bind", "127.0.0.1:0", "--workers", "2", "--data"])
            .arg(data)
            .arg("--operator-key")
            .arg(operator_key)
            .args(extra)
            .env("BONAFIDE_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .context("cannot start bonafide serve")?;
        let stderr = child.stderr.take().context("no stderr")?;
        let mut server = Self {
            child,
            base: String::new(),
            startup: Duration::ZERO,
        };
        let deadline = started + Duration::from_secs(60);
        let mut lines = BufReader::new(stderr).lines();
        while let Some(line) = lines.next() {
            let line = line?;
            if let Some(rest) = line.split("listening on ").nth(1) {
                rest.split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .clone_into(&mut server.base);
                server.startup = started.elapsed();
                // Keep reading what it logs, so that it never writes into a closed pipe.
                std::thread::spawn(move || {
                    for line in lines.map_while(Result::ok) {
                        eprintln!("server: {line}");
                    }
                });
                return Ok(server);
            }
            eprintln!("server: {line}");
            if Instant::now() > deadline {
                break;
            }
        }
        bail!("bonafide serve exited before listening")
    }

    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Resident memory in KiB.
    #[allow(dead_code, reason = "not every benchmark reports it")]
    pub(crate) fn rss_kib(&self) -> anyhow::Result<u64> {
        rss_kib(self.pid())
    }

    /// CPU seconds used so far (user and system).
    pub(crate) fn cpu_seconds(&self) -> anyhow::Result<f64> {
        cpu_seconds(self.pid())
    }
}

/// The resident memory of process `pid`, in KiB.
pub(crate) fn rss_kib(pid: u32) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .context("no VmRSS in /proc status")
}

/// The CPU seconds process `pid` has used so far (user and system).
pub(crate) fn cpu_seconds(pid: u32) -> anyhow::Result<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let after = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or_default();
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| -> f64 { fields.get(i).and_then(|v| v.parse().ok()).unwrap_or(0.0) };
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
    Ok((ticks(11) + ticks(12)) / clock_ticks())
}

/// Clock ticks per second, in which `/proc/<pid>/stat` counts CPU time.
fn clock_ticks() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

/// A `bonafide serve` process with the demo organisation registered through its API, and what a
/// benchmark needs to talk to it.
#[allow(dead_code, reason = "not every benchmark uses every field")]
pub(crate) struct DemoService {
    /// The demo keys (from fixed seeds).
    pub(crate) keys: DemoKeys,
    /// The server.
    pub(crate) server: Server,
    /// A runtime for the benchmark's clients.
    pub(crate) runtime: tokio::runtime::Runtime,
    /// An HTTP client.
    pub(crate) client: reqwest::Client,
    /// When the demo statements were issued.
    pub(crate) now: bonafide::domain::Timestamp,
}

/// Starts `bonafide serve` with its data under `work` and registers the demo statements.
#[allow(dead_code, reason = "not every benchmark starts the demo")]
pub(crate) fn demo_service(work: &Path) -> anyhow::Result<DemoService> {
    demo_service_with(work, &["--check-rate", "0", "--upload-rate", "0"])
}

/// As [`demo_service`], the server started with `extra` arguments (the limits as they say).
#[allow(dead_code, reason = "not every benchmark starts the demo")]
pub(crate) fn demo_service_with(work: &Path, extra: &[&str]) -> anyhow::Result<DemoService> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let (keys, operator_file) = keys_with_operator_file(work)?;
    let server = Server::start_with(&work.join("data"), &operator_file, extra)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let client = reqwest::Client::new();
    let now = bonafide::domain::Timestamp::from_datetime(time::OffsetDateTime::now_utc());
    runtime.block_on(async {
        for jws in bonafide::demo::demo_statements(&keys, now)? {
            let status = client
                .post(format!("{}/v1/statements", server.base))
                .header("Content-Type", "application/jose+json")
                .body(jws.to_canonical_bytes())
                .send()
                .await?
                .status();
            anyhow::ensure!(status == 201, "demo statement refused: {status}");
        }
        anyhow::Ok(())
    })?;
    Ok(DemoService {
        keys,
        server,
        runtime,
        client,
        now,
    })
}

/// wrk prints latencies as `1.23ms`, `456.00us` or `1.02s`; returns milliseconds, or a plain
/// number as it is.
#[allow(dead_code, reason = "only the benchmarks that run wrk use it")]
pub(crate) fn parse_duration_or_number(text: &str) -> Option<f64> {
    if let Some(v) = text.strip_suffix("us") {
        v.parse::<f64>().ok().map(|v| v / 1000.0)
    } else if let Some(v) = text.strip_suffix("ms") {
        v.parse().ok()
    } else if let Some(v) = text.strip_suffix('s') {
        v.parse::<f64>().ok().map(|v| v * 1000.0)
    } else {
        text.parse().ok()
    }
}

/// A wrk script that sends a mix of checks over the whole register: a signatory with their own
/// phone (verified), an official channel phone (verified), an email of a signatory, an unknown
/// person (not authorised), and a signatory with someone else's phone (fraud risk).
#[allow(dead_code, reason = "only the benchmarks that run wrk use it")]
pub(crate) fn lua_script(n: u32) -> String {
    format!(
        r#"math.randomseed(42)
local n = {n}
local headers = {{["Content-Type"] = "application/json"}}
request = function()
  local i = math.random(0, n - 1)
  local k = i % 5
  local body
  if k == 0 then
    body = string.format('{{"org":"iucg","name":"Signatory%d Zhang","phone":"+86 138 %04d %04d"}}', i, math.floor(i / 10000), i % 10000)
  elseif k == 1 then
    local j = i - (i % 4)
    body = string.format('{{"org":"iucg","phone":"150%04d%04d"}}', math.floor(j / 10000), j % 10000)
  elseif k == 2 then
    body = string.format('{{"org":"iucg","name":"Zhang Signatory%d","email":"Signatory%d@IUCG.example"}}', i, i)
  elseif k == 3 then
    body = string.format('{{"org":"iucg","name":"Unknown Person%d"}}', i)
  else
    body = string.format('{{"org":"iucg","name":"Signatory%d Zhang","phone":"+86 139 %04d %04d"}}', i, math.floor(i / 10000), i % 10000)
  end
  return wrk.format("POST", nil, headers, body)
end
"#
    )
}

/// Signatory `i`'s phone in the benchmarks' register (`checks.rs` writes it).
#[allow(
    dead_code,
    reason = "only the benchmarks that write that register use it"
)]
pub(crate) fn signatory_phone(i: u64) -> String {
    format!("+86 138 {:04} {:04}", i / 10_000, i % 10_000)
}

/// Checks that must come out right on the benchmarks' register of `n` signatories and channels,
/// with their expected outcomes, so that a broken set-up never produces figures.
#[allow(
    dead_code,
    reason = "only the benchmarks that write that register use it"
)]
pub(crate) fn smoke_cases(n: u32) -> [(Value, &'static str); 4] {
    let last = u64::from(n.saturating_sub(1));
    [
        (
            json!({"org": "iucg", "name": format!("Signatory{last} Zhang"),
                   "phone": signatory_phone(last)}),
            "verified",
        ),
        (
            json!({"org": "iucg", "name": "Unknown Person"}),
            "not_authorised",
        ),
        (
            json!({"org": "iucg", "name": format!("Signatory{last} Zhang"),
                   "phone": "+86 139 0000 0001"}),
            "fraud_risk",
        ),
        (
            json!({"org": "iucg", "website": "w3.iucg.example"}),
            "verified",
        ),
    ]
}
