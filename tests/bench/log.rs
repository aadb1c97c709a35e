//! Benchmark of the transparency log: proofs at a million entries, and appends through the API.
//!
//! `cargo bench --bench log` prints:
//! - the in-memory Merkle tree at 1,000,000 leaves (`BENCH_LEAVES`): time to build it, its heap,
//!   and the time per root of an earlier size, inclusion proof and consistency proof (generated
//!   from stored interior nodes, never from all leaves), with the time to verify each;
//! - appends per second through `POST /v1/statements` on a real `bonafide serve` process with
//!   its SQLite file (`synchronous=FULL`) and checkpoint lock: each append signs a checkpoint,
//!   commits leaf and checkpoint in one transaction and writes the lock, with `BENCH_CLIENTS`
//!   (default 8) clients submitting `BENCH_APPENDS` (default 2,000) distinct signed statements,
//!   with p50 and p99 latency and the server's CPU.
//!
//! Under `cargo test` (no `--bench` argument) it runs on 20,000 leaves and 40 appends and checks
//! every proof and receipt, so the benchmark cannot rot.

mod common;

use std::time::Instant;

use anyhow::{Context as _, ensure};
use bonafide::demo::demo_statements;
use bonafide::log::proof::{verify_consistency, verify_inclusion};
use bonafide::log::{Tree, leaf_hash};
use common::{DemoService, demo_service, sign};
use serde_json::{Value, json};

/// Counts live heap bytes, to measure the tree's memory exactly.
#[global_allocator]
static ALLOCATOR: cap::Cap<std::alloc::System> = cap::Cap::new(std::alloc::System, usize::MAX);

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> anyhow::Result<T> {
    match std::env::var(name) {
        Ok(v) => v.parse().ok().with_context(|| format!("{name}={v:?}")),
        Err(_) => Ok(default),
    }
}

fn main() -> anyhow::Result<()> {
    let full = std::env::args().any(|a| a == "--bench");
    let leaves: u64 = env_or("BENCH_LEAVES", if full { 1_000_000 } else { 20_000 })?;
    let appends: usize = env_or("BENCH_APPENDS", if full { 2_000 } else { 40 })?;
    let clients: usize = env_or("BENCH_CLIENTS", 8)?;
    proofs(leaves, if full { 20_000 } else { 500 })?;
    println!();
    appends_through_the_api(appends, clients)?;
    Ok(())
}

/// A small deterministic generator, so runs pick the same indices.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// In `1..=max`.
    fn upto(&mut self, max: u64) -> u64 {
        1 + self.next() % max
    }
}

/// Per-operation times in microseconds: mean and p99.
fn summary(mut micros: Vec<f64>) -> (f64, f64) {
    micros.sort_by(f64::total_cmp);
    let mean = micros.iter().sum::<f64>() / micros.len().max(1) as f64;
    let p99 = micros
        .get((micros.len() * 99 / 100).min(micros.len().saturating_sub(1)))
        .copied()
        .unwrap_or(0.0);
    (mean, p99)
}

fn proofs(leaves: u64, samples: usize) -> anyhow::Result<()> {
    let heap_before = ALLOCATOR.allocated();
    let started = Instant::now();
    let mut tree = Tree::new();
    for i in 0..leaves {
        tree.push(leaf_hash(&i.to_be_bytes()));
    }
    let built = started.elapsed();
    let heap = ALLOCATOR.allocated().saturating_sub(heap_before);
    println!(
        "Merkle tree of {leaves} leaves: built in {:.2} s ({:.2} us per append), {:.1} MiB heap \
         ({:.0} bytes per leaf: leaf hashes and every complete interior node)",
        built.as_secs_f64(),
        built.as_secs_f64() * 1e6 / leaves as f64,
        heap as f64 / (1024.0 * 1024.0),
        heap as f64 / leaves as f64
    );
    let size = tree.size();
    let root = tree.root();
    let mut rng = SplitMix(42);
    let (mut roots, mut inclusion, mut consistency) = (Vec::new(), Vec::new(), Vec::new());
    let (mut verify_in, mut verify_co) = (Vec::new(), Vec::new());
    for _ in 0..samples {
        let at = rng.upto(size);
        let t = Instant::now();
        let old_root = tree.root_at(at).context("root of an earlier size")?;
        roots.push(t.elapsed().as_secs_f64() * 1e6);

        let index = rng.upto(size) - 1;
        let t = Instant::now();
        let proof = tree.inclusion_proof(index, size)?;
        inclusion.push(t.elapsed().as_secs_f64() * 1e6);
        let leaf = *tree.leaf(index).context("leaf")?;
        let t = Instant::now();
        verify_inclusion(index, size, &leaf, &proof, &root)?;
        verify_in.push(t.elapsed().as_secs_f64() * 1e6);

        let t = Instant::now();
        let proof = tree.consistency_proof(at, size)?;
        consistency.push(t.elapsed().as_secs_f64() * 1e6);
        let t = Instant::now();
        verify_consistency(at, size, &old_root, &root, &proof)?;
        verify_co.push(t.elapsed().as_secs_f64() * 1e6);
    }
    println!("{samples} random samples at size {size}, microseconds (target: proofs < 1000 us):");
    println!("{:<34} {:>10} {:>10}", "operation", "mean us", "p99 us");
    for (name, times) in [
        ("root of an earlier size", roots),
        ("inclusion proof", inclusion),
        ("verify inclusion proof", verify_in),
        ("consistency proof (to latest)", consistency),
        ("verify consistency proof", verify_co),
    ] {
        let (mean, p99) = summary(times);
        println!("{name:<34} {mean:>10.2} {p99:>10.2}");
    }
    Ok(())
}

fn appends_through_the_api(appends: usize, clients: usize) -> anyhow::Result<()> {
    let work = tempfile::tempdir()?;
    let DemoService {
        keys,
        server,
        runtime,
        client,
        now,
    } = demo_service(work.path())?;
    let url = format!("{}/v1/statements", server.base);
    // Signed before the clock starts: the benchmark measures the service, not the clients.
    let bodies: Vec<Vec<u8>> = (0..appends)
        .map(|i| {
            let id = format!("bench-append-{i}");
            let statement = json!({"type": "official-channel", "id": id, "org": "iucg",
                "issued_at": now.to_string(), "effective_from": now.to_string(),
                "kind": "email", "value": format!("desk{i}@iucg.example")});
            sign(&statement, &[&keys.alice])
        })
        .collect::<anyhow::Result<_>>()?;
    let cpu_before = server.cpu_seconds()?;
    let started = Instant::now();
    let queue = std::sync::Arc::new(std::sync::Mutex::new(bodies));
    let latencies = runtime.block_on(async {
        let mut tasks = Vec::new();
        for _ in 0..clients {
            let (client, url, queue) = (client.clone(), url.clone(), queue.clone());
            tasks.push(tokio::spawn(async move {
                let mut times = Vec::new();
                loop {
                    let body = queue.lock().map_err(|_| anyhow::anyhow!("poisoned"))?.pop();
                    let Some(body) = body else {
                        return anyhow::Ok(times);
                    };
                    let t = Instant::now();
                    let (status, answer) = post(&client, &url, body).await?;
                    ensure!(status == 201, "append refused: {status} {answer}");
                    ensure!(
                        answer["receipt"]["inclusion_proof"].is_array(),
                        "no receipt: {answer}"
                    );
                    times.push(t.elapsed().as_secs_f64() * 1e3);
                }
            }));
        }
        let mut all = Vec::new();
        for task in tasks {
            all.extend(task.await??);
        }
        anyhow::Ok(all)
    })?;
    let wall = started.elapsed().as_secs_f64();
    let cpu = server.cpu_seconds()? - cpu_before;
    let mut sorted = latencies;
    sorted.sort_by(f64::total_cmp);
    let at = |q: usize| sorted.get(sorted.len() * q / 100).copied().unwrap_or(0.0);
    println!(
        "POST /v1/statements: {appends} appends by {clients} clients in {wall:.2} s: {:.0} appends/s, \
         p50 {:.2} ms, p99 {:.2} ms; server CPU {:.2} cores ({:.0} appends/s per core). Each \
         append: admission (signature and trust chain), a signed checkpoint, one SQLite \
         transaction with synchronous=FULL, and the checkpoint lock written and synced.",
        appends as f64 / wall,
        at(50),
        at(99),
        cpu / wall,
        appends as f64 / cpu.max(1e-9)
    );
    // Every checkpoint handed out is the latest one's prefix: the log is one chain.
    let checkpoint = runtime.block_on(async {
        anyhow::Ok(
            client
                .get(format!("{}/v1/log/checkpoint", server.base))
                .send()
                .await?
                .text()
                .await?,
        )
    })?;
    let size: usize = checkpoint
        .lines()
        .nth(1)
        .and_then(|l| l.parse().ok())
        .context("checkpoint size")?;
    let demo = demo_statements(&keys, now)?.len();
    ensure!(
        size == demo + appends,
        "the checkpoint has size {size}, {} expected",
        demo + appends
    );
    Ok(())
}

async fn post(client: &reqwest::Client, url: &str, body: Vec<u8>) -> anyhow::Result<(u16, Value)> {
    let response = client
        .post(url)
        .header("Content-Type", "application/jose+json")
        .body(body)
        .send()
        .await?;
    let status = response.status().as_u16();
    let answer = response.json().await.unwrap_or(Value::Null);
    Ok((status, answer))
}
