//! The reading corpus (`tests/fixtures/agreements/corpus/`, see `tests/corpus/README.md`) over
//! HTTP: at least 98% of its agreements and messages get exactly their expected outcome and
//! findings, and no clean item is answered fraud_risk or not_authorised. `cargo bench --bench
//! reading` prints the same figures without asserting them.

#[path = "../corpus/score.rs"]
mod score;

use crate::helpers::TestApp;

/// The accuracy the rules must reach on the corpus.
const TARGET: f64 = 0.98;

#[tokio::test]
async fn the_reading_corpus_is_read_right() {
    let app = TestApp::with_demo().await;
    let corpus = score::corpus().expect("the corpus's expected.json reads");
    assert!(corpus.len() >= 220, "the corpus has {} items", corpus.len());
    let entries: Vec<&score::Entry> = corpus.iter().collect();
    let mut answers = Vec::with_capacity(entries.len());
    for entry in &entries {
        answers.push(score::check(&app.client, &app.address, entry).await);
    }
    let (table, summary) = score::report(&entries, &answers);
    assert!(
        summary.accuracy() >= TARGET && summary.false_alarms_clean == 0,
        "the reading corpus: accuracy {:.1}% (at least {:.0}% wanted), {} clean items answered \
         fraud_risk or not_authorised (none wanted)\n{table}",
        100.0 * summary.accuracy(),
        100.0 * TARGET,
        summary.false_alarms_clean,
    );
}
