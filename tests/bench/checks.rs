//! Load benchmark of contact checks against `/healthz`, on one server, in one run.
//!
//! `cargo bench --bench checks` registers 100,000 signatories and 100,000 official channels for
//! the demo organisation (written straight into a fresh SQLite log, then replayed by a real
//! `bonafide serve` process that re-verifies every signature), then loads `GET /healthz` and
//! `POST /v1/checks/contact` with wrk (64 connections) and prints both rates, their ratio, p50
//! and p99 latency, the server's CPU use, its start-up (replay) time and its memory per entry.
//! `BENCH_ENTRIES` changes the number of signatories and of channels; `BENCH_SECONDS` the length
//! of each load run. wrk must be installed (`apt-get install wrk`).
//!
//! Under `cargo test` (no `--bench` argument) the same code runs on 200 entries without wrk and
//! asserts that the server it started answers checks correctly, so the benchmark cannot rot.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::{Context as _, bail};
use bonafide::demo::{DemoKeys, demo_statements};
use bonafide::domain::Timestamp;
use bonafide::store::{NewEntry, SqliteStore, Store as _};
use common::{
    Server, keys_with_operator_file, lua_script, parse_duration_or_number, sign, signatory_phone,
    smoke_cases,
};
use serde_json::{Value, json};

/// Counts the bytes this process has allocated and not freed, to measure the in-memory register
/// exactly (the server's resident memory also holds SQLite's cache and allocator slack).
#[global_allocator]
static ALLOCATOR: cap::Cap<std::alloc::System> = cap::Cap::new(std::alloc::System, usize::MAX);

fn main() -> anyhow::Result<()> {
    let full = std::env::args().any(|a| a == "--bench");
    let entries: u32 = match std::env::var("BENCH_ENTRIES") {
        Ok(v) => v.parse().context("BENCH_ENTRIES")?,
        Err(_) if full => 100_000,
        Err(_) => 200,
    };
    let seconds: u32 = match std::env::var("BENCH_SECONDS") {
        Ok(v) => v.parse().context("BENCH_SECONDS")?,
        Err(_) => 10,
    };
    let _ = rustls::crypto::ring::default_provider().install_default();
    let work = tempfile::tempdir()?;
    let (keys, operator_file) = keys_with_operator_file(work.path())?;
    let now = Timestamp::parse("2026-11-28T09:00:00Z")?;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;

    // The demo organisation alone, for the memory baseline.
    let small = work.path().join("demo-only");
    let started = Instant::now();
    runtime.block_on(write_log(&small, &keys, now, 0))?;
    // The demo organisation with `entries` signatories and `entries` channels.
    let big = work.path().join("loaded");
    runtime.block_on(write_log(&big, &keys, now, entries))?;
    let total = 17 + 2 * u64::from(entries);
    println!(
        "wrote {total} signed statements ({entries} signatories, {entries} channels) in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let (register_bytes, register_entries) =
        runtime.block_on(register_heap(&big, &keys.operator.verifying_key()))?;
    let register_per_entry = register_bytes as f64 / register_entries as f64;
    println!(
        "in-memory register and index: {:.1} MiB live heap for the {register_entries} added \
         statements: {register_per_entry:.0} bytes per statement",
        register_bytes as f64 / (1024.0 * 1024.0)
    );

    let baseline = Server::start(&small, &operator_file)?;
    let baseline_rss = baseline.rss_kib()?;
    drop(baseline);
    let server = Server::start(&big, &operator_file)?;
    let rss = server.rss_kib()?;
    let per_entry = (rss.saturating_sub(baseline_rss) as f64 * 1024.0) / (2.0 * f64::from(entries));
    println!(
        "start-up with {total} statements (replay re-verifies every signature, then indexes): \
         {:.2} s",
        server.startup.as_secs_f64()
    );
    println!(
        "server memory: {} MiB with the demo only, {} MiB loaded: {per_entry:.0} bytes per added \
         statement (register + index + SQLite cache)",
        baseline_rss / 1024,
        rss / 1024
    );

    smoke(&server.base, entries)?;
    if !full {
        println!(
            "smoke run: the server answers checks; run `cargo bench --bench checks` to load it"
        );
        return Ok(());
    }

    let script = work.path().join("checks.lua");
    std::fs::write(&script, lua_script(entries))?;
    let health = server.load(&format!("{}/healthz", server.base), None, seconds)?;
    let checks = server.load(
        &format!("{}/v1/checks/contact", server.base),
        Some(&script),
        seconds,
    )?;
    println!();
    println!(
        "wrk, 2 threads, 64 connections, {seconds} s each, server with 2 workers, same 2 cores"
    );
    println!(
        "{:<22} {:>10} {:>9} {:>9} {:>12} {:>14}",
        "endpoint", "req/s", "p50 ms", "p99 ms", "server CPU", "req/s per core"
    );
    for (name, r) in [
        ("GET /healthz", &health),
        ("POST /v1/checks/contact", &checks),
    ] {
        println!(
            "{:<22} {:>10.0} {:>9.2} {:>9.2} {:>11.2}c {:>14.0}",
            name,
            r.rate,
            r.p50_ms,
            r.p99_ms,
            r.cpu_cores,
            r.rate / r.cpu_cores.max(0.01)
        );
    }
    println!(
        "checks / healthz: {:.2} (target >= 0.25); check p99 {:.2} ms (target < 10 ms); register \
         {register_per_entry:.0} bytes per statement live heap, {per_entry:.0} resident (target < 1024)",
        checks.rate / health.rate,
        checks.p99_ms
    );
    if checks.errors > 0 || health.errors > 0 {
        bail!(
            "wrk saw non-2xx answers or socket errors: healthz {}, checks {}",
            health.errors,
            checks.errors
        );
    }
    Ok(())
}

/// Replays the log in `dir` into a register and its index in this process, as the server does at
/// start, and returns the live heap bytes the statements after the demo's add, and their number.
async fn register_heap(
    dir: &Path,
    operator: &bonafide::crypto::VerifyingKey,
) -> anyhow::Result<(usize, u64)> {
    use bonafide::check::Checker;
    use bonafide::registry::Registry;
    let store = SqliteStore::open(dir).await?;
    // Read the log first, so that only the register's own allocations are counted.
    let mut stored = Vec::new();
    loop {
        let batch = store.entries(stored.len() as u64, 10_000).await?;
        if batch.is_empty() {
            break;
        }
        stored.extend(batch);
    }
    let mut checker = Checker::new(Registry::new([operator.clone()]));
    // The demo's 17 statements first: they load the phone metadata and the Unicode tables,
    // which are the program's, not the register's, and are loaded once.
    let (demo, added) = stored.split_at(stored.len().min(17));
    for entry in demo {
        checker.replay(&entry.envelope, entry.accepted_at)?;
    }
    let before = ALLOCATOR.allocated();
    for entry in added {
        checker.replay(&entry.envelope, entry.accepted_at)?;
    }
    // As the server does once it has replayed the log.
    checker.shrink_to_fit();
    let bytes = ALLOCATOR.allocated().saturating_sub(before);
    Ok((bytes, added.len() as u64))
}

fn common(kind: &str, id: &str, now: Timestamp) -> Value {
    json!({"type": kind, "id": id, "org": "iucg", "issued_at": now.to_string(),
           "effective_from": now.to_string()})
}

fn merge(mut a: Value, b: Value) -> Value {
    if let (Some(a), Value::Object(b)) = (a.as_object_mut(), b) {
        a.extend(b);
    }
    a
}

/// Signatory `i`: a name, a mobile number and an email of their own.
/// Writes the demo statements and `n` signatories and `n` channels into a new log in `dir`.
async fn write_log(dir: &Path, keys: &DemoKeys, now: Timestamp, n: u32) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)?;
    let store = SqliteStore::open(dir).await?;
    let mut envelopes: Vec<(String, Vec<u8>)> = demo_statements(keys, now)?
        .into_iter()
        .map(|jws| {
            let statement: Value = serde_json::from_slice(jws.payload())?;
            let id = statement["id"].as_str().unwrap_or_default().to_owned();
            Ok((id, jws.to_canonical_bytes()))
        })
        .collect::<anyhow::Result<_>>()?;
    for i in 0..n {
        let id = format!("bench-signatory-{i}");
        let body = json!({
            "person": {"names": {"en": format!("Signatory{i} Zhang")}},
            "entity": {"names": {"en": "IUCG Investment Co., Ltd."}, "uscc": "91110000MA01UCG8XQ"},
            "role": "authorised_representative",
            "actions": ["sign_investment_agreement"],
            "phones": [signatory_phone(u64::from(i))],
            "emails": [format!("signatory{i}@iucg.example")],
        });
        let statement = merge(common("signatory", &id, now), body);
        envelopes.push((id, sign(&statement, &[&keys.alice, &keys.bob])?));
    }
    for i in 0..n {
        let id = format!("bench-channel-{i}");
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
        let statement = merge(common("official-channel", &id, now), body);
        envelopes.push((id, sign(&statement, &[&keys.alice])?));
    }
    for (chunk_no, chunk) in envelopes.chunks(10_000).enumerate() {
        let base = (chunk_no * 10_000) as u64;
        let rows: Vec<NewEntry<'_>> = chunk
            .iter()
            .enumerate()
            .map(|(i, (id, envelope))| NewEntry {
                index: base + i as u64,
                org: "iucg",
                statement_id: id,
                envelope,
                accepted_at: now,
            })
            .collect();
        store.append_all(&rows, None).await?;
    }
    Ok(())
}

/// What one wrk run measured.
struct Load {
    rate: f64,
    p50_ms: f64,
    p99_ms: f64,
    cpu_cores: f64,
    errors: u64,
}

/// The wrk load runs, in this benchmark only.
impl Server {
    fn load(&self, url: &str, script: Option<&Path>, seconds: u32) -> anyhow::Result<Load> {
        let mut wrk = Command::new("wrk");
        wrk.args(["-t2", "-c64", &format!("-d{seconds}s"), "--latency"]);
        if let Some(script) = script {
            wrk.arg("-s").arg(script);
        }
        wrk.arg(url);
        let cpu_before = self.cpu_seconds()?;
        let started = Instant::now();
        let output = wrk
            .output()
            .context("cannot run wrk: install it (apt-get install wrk)")?;
        let wall = started.elapsed().as_secs_f64();
        let cpu = self.cpu_seconds()? - cpu_before;
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
        let errors = text
            .lines()
            .filter(|l| l.contains("Non-2xx") || l.contains("Socket errors"))
            .flat_map(|l| l.split(|c: char| !c.is_ascii_digit()))
            .filter_map(|n| n.parse::<u64>().ok())
            .sum();
        Ok(Load {
            rate: number("Requests/sec:").context("no Requests/sec in wrk output")?,
            p50_ms: number("50%").context("no p50 in wrk output")?,
            p99_ms: number("99%").context("no p99 in wrk output")?,
            cpu_cores: cpu / wall,
            errors,
        })
    }
}

/// A few checks that must come out right, so that a broken setup never produces figures.
fn smoke(base: &str, n: u32) -> anyhow::Result<()> {
    let client = reqwest::blocking::Client::new();
    let cases = smoke_cases(n);
    for (body, expected) in cases {
        let answer: Value = client
            .post(format!("{base}/v1/checks/contact"))
            .json(&body)
            .send()?
            .json()?;
        let outcome = answer["claims"]["outcome"].as_str().unwrap_or_default();
        if outcome != expected {
            bail!("smoke check {body} gave {answer}, expected {expected}");
        }
    }
    let health = client.get(format!("{base}/healthz")).send()?;
    if !health.status().is_success() {
        bail!("/healthz answered {}", health.status());
    }
    Ok(())
}
