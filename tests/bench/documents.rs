//! Benchmark of agreement checks: the time to check a 20-page PDF and a 20-page DOCX, and the
//! peak memory of the service and its document workers while ten are checked at once.
//!
//! `cargo bench --bench documents` starts a real `bonafide serve` (documents read in worker
//! processes, two at a time), registers the demo organisation, then checks each long corpus
//! document `BENCH_ROUNDS` (default 40) times in a row and prints the median and p99, and then
//! sends ten at once, three times, sampling the resident memory of the server and of every
//! worker it runs (from `/proc`, every 2 ms) and printing the peak; then floods it with
//! `BENCH_FLOOD` (default 1000) uploads of 5 MiB at once and prints how they were answered and
//! the peak memory (the target: under 512 MiB; `BENCH_FLOOD_ORG` floods another organisation,
//! such as one that does not exist). Under `cargo test` it runs a few rounds and a
//! flood of 20, and checks the verdicts.

mod common;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context as _, ensure};
use common::{DemoService, demo_service};
use serde_json::Value;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/agreements");

fn main() -> anyhow::Result<()> {
    let full = std::env::args().any(|a| a == "--bench");
    let rounds: usize = match std::env::var("BENCH_ROUNDS") {
        Ok(v) => v.parse().context("BENCH_ROUNDS")?,
        Err(_) if full => 40,
        Err(_) => 3,
    };
    let work = tempfile::tempdir()?;
    let DemoService {
        server,
        runtime,
        client,
        ..
    } = demo_service(work.path())?;
    let url = format!("{}/v1/checks/agreement?org=iucg", server.base);
    let pdf = std::fs::read(Path::new(CORPUS).join("long_agreement_20p.pdf"))?;
    let docx = std::fs::read(Path::new(CORPUS).join("long_agreement_20p.docx"))?;

    println!("agreement checks through POST /v1/checks/agreement, each read in a worker process:");
    println!(
        "{:<28} {:>8} {:>10} {:>10} {:>10}",
        "document", "checks", "median ms", "p99 ms", "max ms"
    );
    for (name, bytes) in [("20-page PDF (127 KB)", &pdf), ("20-page DOCX", &docx)] {
        let mut times = Vec::with_capacity(rounds);
        for _ in 0..rounds {
            let t = Instant::now();
            let outcome = runtime.block_on(check(&client, &url, bytes.clone()))?;
            times.push(t.elapsed().as_secs_f64() * 1e3);
            ensure!(outcome == "fraud_risk", "{name}: outcome {outcome}");
        }
        times.sort_by(f64::total_cmp);
        let at = |q: usize| times[(times.len() * q / 100).min(times.len() - 1)];
        println!(
            "{name:<28} {rounds:>8} {:>10.1} {:>10.1} {:>10.1}",
            at(50),
            at(99),
            times[times.len() - 1]
        );
    }

    // Ten at once, three times, while memory is sampled.
    let idle_kib = process_tree_rss_kib(server.pid());
    let peak = Arc::new(AtomicU64::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (peak, done, pid) = (peak.clone(), done.clone(), server.pid());
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                peak.fetch_max(process_tree_rss_kib(pid), Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(2));
            }
        })
    };
    let started = Instant::now();
    let cpu_before = server.cpu_seconds()?;
    let parallel = if full { 10 } else { 4 };
    for _ in 0..3 {
        runtime.block_on(async {
            let mut tasks = Vec::new();
            for i in 0..parallel {
                let body = if i % 2 == 0 {
                    pdf.clone()
                } else {
                    docx.clone()
                };
                tasks.push(tokio::spawn(check(client.clone(), url.clone(), body)));
            }
            for task in tasks {
                let outcome = task.await??;
                ensure!(outcome == "fraud_risk", "outcome {outcome}");
            }
            anyhow::Ok(())
        })?;
    }
    let wall = started.elapsed();
    let server_cpu = server.cpu_seconds()? - cpu_before;
    done.store(true, Ordering::Relaxed);
    let _ = sampler.join();
    println!(
        "{parallel} at once, 3 times ({} checks in {:.2} s): peak resident memory of the server \
         and its workers {:.1} MiB (idle server {:.1} MiB); the server process itself used \
         {server_cpu:.2} s of CPU, the rest was the workers'",
        3 * parallel,
        wall.as_secs_f64(),
        peak.load(Ordering::Relaxed) as f64 / 1024.0,
        idle_kib as f64 / 1024.0
    );

    // A flood: uploads of 5 MiB, all at once. Uploads are admitted a few at a time before their
    // bodies are read (the others wait in their sockets, then get 503), so memory stays bounded.
    let flood: usize = match std::env::var("BENCH_FLOOD") {
        Ok(v) => v.parse().context("BENCH_FLOOD")?,
        Err(_) if full => 1000,
        Err(_) => 20,
    };
    let mut big = b"%PDF-1.7\n".to_vec();
    big.resize(5 * 1024 * 1024, b'x');
    // Shared, not copied: a thousand copies would be the client's 5 GB, not the server's.
    let big = actix_web::web::Bytes::from(big);
    peak.store(0, Ordering::Relaxed);
    done.store(false, Ordering::Relaxed);
    let server_peak = Arc::new(AtomicU64::new(0));
    let sampler = {
        let (peak, server_peak, done, pid) = (
            peak.clone(),
            server_peak.clone(),
            done.clone(),
            server.pid(),
        );
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                peak.fetch_max(process_tree_rss_kib(pid), Ordering::Relaxed);
                server_peak.fetch_max(common::rss_kib(pid).unwrap_or(0), Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(2));
            }
        })
    };
    let started = Instant::now();
    let statuses: Vec<u16> = runtime.block_on(async {
        // A client of its own: one connection per upload, as a flood of clients would.
        let flooder = reqwest::Client::builder()
            .pool_max_idle_per_host(0)
            .build()?;
        let tasks: Vec<_> = (0..flood)
            .map(|_| {
                let url = match std::env::var("BENCH_FLOOD_ORG") {
                    Ok(org) => url.replace("org=iucg", &format!("org={org}")),
                    Err(_) => url.clone(),
                };
                let (flooder, body) = (flooder.clone(), big.clone());
                tokio::spawn(async move {
                    match flooder.post(url).body(body).send().await {
                        Ok(r) => r.status().as_u16(),
                        Err(_) => 0,
                    }
                })
            })
            .collect();
        let mut statuses = Vec::with_capacity(tasks.len());
        for task in tasks {
            statuses.push(task.await.unwrap_or(0));
        }
        anyhow::Ok(statuses)
    })?;
    let wall = started.elapsed();
    done.store(true, Ordering::Relaxed);
    let _ = sampler.join();
    let count = |f: &dyn Fn(u16) -> bool| statuses.iter().filter(|s| f(**s)).count();
    let peak_mib = peak.load(Ordering::Relaxed) as f64 / 1024.0;
    println!(
        "flood of {flood} uploads of 5 MiB at once ({:.1} s): {} answered 4xx (the document \
         read and refused), {} 503 busy, {} other; peak resident memory of the server process \
         {:.1} MiB (target < 512 MiB), with its document workers {peak_mib:.1} MiB",
        wall.as_secs_f64(),
        count(&|s| (400..500).contains(&s)),
        count(&|s| s == 503),
        count(&|s| !(400..500).contains(&s) && s != 503),
        server_peak.load(Ordering::Relaxed) as f64 / 1024.0,
    );
    let outcome = runtime.block_on(check(&client, &url, pdf.clone()))?;
    ensure!(
        outcome == "fraud_risk",
        "after the flood: outcome {outcome}"
    );
    drop(server);

    // Contact checks from one client while another floods uploads of the 20-page PDF: first
    // with the upload limit of the defaults, then with no limit (what the admission of uploads
    // alone does). Checks are not limited here, so that the measuring client is not itself.
    let seconds = if full { 10 } else { 1 };
    for (label, extra) in [
        ("default upload limit", &["--check-rate", "0"][..]),
        (
            "no upload limit",
            &["--check-rate", "0", "--upload-rate", "0"][..],
        ),
    ] {
        let dir = work.path().join(label.replace(' ', "-"));
        std::fs::create_dir_all(&dir)?;
        checks_during_flood(&dir, &pdf, seconds, label, extra)?;
    }
    Ok(())
}

/// Measures contact checks (4 clients from 127.0.0.1, one check after another) for `seconds`
/// alone, then while 32 uploads at a time come from 127.0.0.2, and prints both.
fn checks_during_flood(
    work: &Path,
    pdf: &[u8],
    seconds: u64,
    label: &str,
    extra: &[&str],
) -> anyhow::Result<()> {
    let DemoService {
        server,
        runtime,
        client,
        ..
    } = common::demo_service_with(work, extra)?;
    let contact = format!("{}/v1/checks/contact", server.base);
    let upload = format!("{}/v1/checks/agreement?org=iucg", server.base);
    let window = Duration::from_secs(seconds);
    let alone = runtime.block_on(measure(&client, &contact, window))?;
    let (during, uploads) = runtime.block_on(async {
        let stop = Arc::new(AtomicBool::new(false));
        let flooder = reqwest::Client::builder()
            .local_address(std::net::IpAddr::from([127, 0, 0, 2]))
            .build()?;
        let body = actix_web::web::Bytes::from(pdf.to_vec());
        let floods: Vec<_> = (0..32)
            .map(|_| {
                let (flooder, url, body, stop) =
                    (flooder.clone(), upload.clone(), body.clone(), stop.clone());
                tokio::spawn(async move {
                    let mut statuses = Vec::new();
                    while !stop.load(Ordering::Relaxed) {
                        let status = match flooder.post(&url).body(body.clone()).send().await {
                            Ok(r) => r.status().as_u16(),
                            Err(_) => 0,
                        };
                        statuses.push(status);
                    }
                    statuses
                })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(300)).await;
        let during = measure(&client, &contact, window).await;
        stop.store(true, Ordering::Relaxed);
        let mut uploads = Vec::new();
        for flood in floods {
            uploads.extend(flood.await.unwrap_or_default());
        }
        anyhow::Ok((during?, uploads))
    })?;
    let at = |times: &[f64], p: usize| times[(times.len() * p / 100).min(times.len() - 1)];
    let count = |f: &dyn Fn(u16) -> bool| uploads.iter().filter(|s| f(**s)).count();
    println!(
        "contact checks, {label}: alone p50 {:.2} ms p99 {:.2} ms ({} checks); during an upload \
         flood from another client p50 {:.2} ms p99 {:.2} ms max {:.2} ms ({} checks; target p99 \
         < 10 ms); the flood's {} uploads: {} answered 200, {} 429, {} 503, {} other",
        at(&alone, 50),
        at(&alone, 99),
        alone.len(),
        at(&during, 50),
        at(&during, 99),
        during.last().copied().unwrap_or_default(),
        during.len(),
        uploads.len(),
        count(&|s| s == 200),
        count(&|s| s == 429),
        count(&|s| s == 503),
        count(&|s| ![200, 429, 503].contains(&s)),
    );
    Ok(())
}

/// Contact checks by 4 clients, one after another each, for `window`; their latencies in ms,
/// sorted.
async fn measure(
    client: &reqwest::Client,
    url: &str,
    window: Duration,
) -> anyhow::Result<Vec<f64>> {
    let deadline = Instant::now() + window;
    let body = serde_json::json!({"org": "iucg", "phone": "+86 10 5555 0100"});
    let clients: Vec<_> = (0..4)
        .map(|_| {
            let (client, url, body) = (client.clone(), url.to_owned(), body.clone());
            tokio::spawn(async move {
                let mut times = Vec::new();
                while Instant::now() < deadline {
                    let t = Instant::now();
                    let status = client.post(&url).json(&body).send().await?.status();
                    times.push(t.elapsed().as_secs_f64() * 1e3);
                    ensure!(status == 200, "contact check answered {status}");
                }
                anyhow::Ok(times)
            })
        })
        .collect();
    let mut times = Vec::new();
    for c in clients {
        times.extend(c.await??);
    }
    ensure!(!times.is_empty(), "no contact check answered");
    times.sort_by(f64::total_cmp);
    Ok(times)
}

/// Uploads `body` and returns the verdict's outcome.
async fn check(
    client: impl std::borrow::Borrow<reqwest::Client>,
    url: impl AsRef<str>,
    body: Vec<u8>,
) -> anyhow::Result<String> {
    let response = client.borrow().post(url.as_ref()).body(body).send().await?;
    let status = response.status();
    let answer: Value = response.json().await?;
    ensure!(status == 200, "check refused: {status} {answer}");
    Ok(answer["claims"]["outcome"]
        .as_str()
        .unwrap_or_default()
        .to_owned())
}

/// Resident memory of `pid` and all its descendants, in KiB.
fn process_tree_rss_kib(pid: u32) -> u64 {
    let rss = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.split_whitespace().next())
                .and_then(|v| v.parse::<u64>().ok())
        })
        .unwrap_or(0);
    let mut children = Vec::new();
    if let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) {
        for task in tasks.flatten() {
            if let Ok(list) = std::fs::read_to_string(task.path().join("children")) {
                children.extend(
                    list.split_whitespace()
                        .filter_map(|c| c.parse::<u32>().ok()),
                );
            }
        }
    }
    rss + children.into_iter().map(process_tree_rss_kib).sum::<u64>()
}
