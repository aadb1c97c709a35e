//! The reading benchmark: how well the checking rules read the reading corpus
//! (`tests/fixtures/agreements/corpus/`, made by `tests/corpus/generate.py`).
//!
//! `cargo bench --bench reading` starts a real `bonafide serve`, registers the demo organisation,
//! sends every corpus item (agreements to `POST /v1/checks/agreement?org=iucg` as a form,
//! messages to `POST /v1/checks/message`) and prints per category the counts, precision, recall
//! and accuracy, the overall accuracy, the false fraud_risk/not_authorised answers on clean and
//! negation items, and every wrong item with what was expected and what came back (see
//! `tests/corpus/score.rs` for the definitions). Under `cargo test` it sends one document and
//! one message of each category and prints the same table; it never fails on accuracy, which the
//! rules are still improving, only when the set-up is broken (an agreement check not answered).

mod common;

#[path = "../corpus/score.rs"]
mod score;

use std::time::Instant;

use anyhow::ensure;
use common::{DemoService, demo_service};

fn main() -> anyhow::Result<()> {
    let full = std::env::args().any(|a| a == "--bench");
    let corpus = score::corpus()?;
    let selected: Vec<&score::Entry> = if full {
        corpus.iter().collect()
    } else {
        // The first document and the first message of each category.
        let mut seen = std::collections::BTreeSet::new();
        corpus
            .iter()
            .filter(|e| seen.insert((e.category.clone(), e.kind.clone())))
            .collect()
    };
    let work = tempfile::tempdir()?;
    let DemoService {
        server,
        runtime,
        client,
        ..
    } = demo_service(work.path())?;
    let started = Instant::now();
    let cpu_before = server.cpu_seconds()?;
    let answers: Vec<score::Answer> = runtime.block_on(async {
        let mut answers = Vec::with_capacity(selected.len());
        for entry in &selected {
            answers.push(score::check(&client, &server.base, entry).await);
        }
        answers
    });
    let elapsed = started.elapsed();
    let server_cpu = server.cpu_seconds()? - cpu_before;
    let (table, summary) = score::report(&selected, &answers);
    println!(
        "reading corpus: {} of {} items checked in {:.1} s (the server process {server_cpu:.1} s \
         of CPU){}",
        selected.len(),
        corpus.len(),
        elapsed.as_secs_f64(),
        if full { "" } else { " (smoke run)" }
    );
    print!("{table}");
    let unanswered: Vec<&str> = selected
        .iter()
        .zip(&answers)
        .filter(|(e, a)| e.kind == "agreement" && a.outcome.starts_with("HTTP"))
        .map(|(e, _)| e.file.as_str())
        .collect();
    ensure!(
        unanswered.is_empty(),
        "agreement checks not answered: {unanswered:?}"
    );
    println!(
        "target (tests/api/corpus.rs): accuracy at least 98% and no false alarm on clean items; \
         now {:.1}% and {}",
        100.0 * summary.accuracy(),
        summary.false_alarms_clean
    );
    Ok(())
}
