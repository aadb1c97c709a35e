//! Scoring the reading corpus (`tests/fixtures/agreements/corpus/`, see `tests/corpus/README.md`):
//! sending each item to a running service and comparing its verdict with `expected.json`.
//!
//! Shared by the benchmark (`tests/bench/reading.rs`) and the API test (`tests/api/corpus.rs`),
//! each of which includes it with `#[path]`.
//!
//! An item is right when the outcome is exactly `expected_outcome` and every expected finding is
//! present (its field and result, and `contains` in its input, excerpt or official value after
//! NFKC, case folding and removing white space and hyphens). Per category, an item is a
//! *positive* when its expected outcome is `fraud_risk` or `not_authorised`, and *flagged* when
//! the service answered one of those two: precision is the right positives over the flagged
//! items, recall the right positives over the positives.

use std::fmt::Write as _;
use std::path::Path;

use serde::Deserialize;
use serde_json::{Value, json};

/// The corpus directory.
pub(crate) const CORPUS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/agreements/corpus"
);

/// The categories, in the order the table lists them.
pub(crate) const CATEGORIES: [&str; 6] = ["signer", "fee", "negation", "party", "contact", "clean"];

/// One entry of `expected.json`.
#[derive(Debug, Deserialize)]
pub(crate) struct Entry {
    pub(crate) file: String,
    pub(crate) kind: String,
    pub(crate) language: String,
    pub(crate) format: String,
    pub(crate) category: String,
    pub(crate) expected_outcome: String,
    pub(crate) expected_findings: Vec<ExpectedFinding>,
}

/// A finding the verdict must contain.
#[derive(Debug, Deserialize)]
pub(crate) struct ExpectedFinding {
    pub(crate) field: String,
    pub(crate) result: String,
    pub(crate) contains: Option<String>,
}

/// The corpus's entries, in `expected.json`'s order.
pub(crate) fn corpus() -> anyhow::Result<Vec<Entry>> {
    let text = std::fs::read_to_string(Path::new(CORPUS).join("expected.json"))?;
    Ok(serde_json::from_str(&text)?)
}

/// The service's answer to one item, and what is wrong with it.
#[derive(Debug)]
pub(crate) struct Answer {
    /// The outcome, or `HTTP <status>` when there is no verdict.
    pub(crate) outcome: String,
    /// Expected findings that are not in the verdict, and transport errors.
    pub(crate) problems: Vec<String>,
    /// The verdict's findings, one line each.
    pub(crate) findings: Vec<String>,
}

impl Answer {
    /// Whether the item came out right.
    pub(crate) fn right(&self, entry: &Entry) -> bool {
        self.outcome == entry.expected_outcome && self.problems.is_empty()
    }

    fn flagged(&self) -> bool {
        flagging(&self.outcome)
    }
}

fn flagging(outcome: &str) -> bool {
    matches!(outcome, "fraud_risk" | "not_authorised")
}

/// The README's comparison: NFKC, case folding, no white space and no hyphens.
pub(crate) fn folded(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization as _;
    let nfkc: String = text.nfkc().collect();
    icu_casemap::CaseMapper::new()
        .fold_string(&nfkc)
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}'))
        .collect()
}

fn finding_contains(finding: &Value, contains: &str) -> bool {
    let wanted = folded(contains);
    ["input", "excerpt", "official"]
        .iter()
        .filter_map(|member| finding[member].as_str())
        .any(|text| folded(text).contains(&wanted))
}

fn brief(finding: &Value) -> String {
    let mut line = format!(
        "{}/{}/{} input={:?}",
        finding["field"].as_str().unwrap_or("?"),
        finding["result"].as_str().unwrap_or("?"),
        finding["reason"].as_str().unwrap_or("?"),
        finding["input"].as_str().unwrap_or_default(),
    );
    if let Some(excerpt) = finding["excerpt"].as_str() {
        let short: String = excerpt.chars().take(70).collect();
        let _ = write!(line, " excerpt={short:?}");
    }
    line
}

const BOUNDARY: &str = "----bonafide-reading-boundary-5c2e81f09a7d";

/// Sends `entry` to the service at `base`: an agreement as a multipart form to
/// `POST /v1/checks/agreement?org=iucg`, a message as JSON to `POST /v1/checks/message`.
pub(crate) async fn check(client: &reqwest::Client, base: &str, entry: &Entry) -> Answer {
    let bytes = match std::fs::read(Path::new(CORPUS).join(&entry.file)) {
        Ok(bytes) => bytes,
        Err(e) => return failed("unreadable", format!("read {}: {e}", entry.file)),
    };
    let request = if entry.kind == "message" {
        let text = String::from_utf8_lossy(&bytes);
        client
            .post(format!("{base}/v1/checks/message"))
            .json(&json!({"org": "iucg", "text": text}))
    } else {
        let mut body = format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; \
             filename=\"{}\"\r\nContent-Type: application/octet-stream\r\n\r\n",
            entry.file
        )
        .into_bytes();
        body.extend_from_slice(&bytes);
        body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
        client
            .post(format!("{base}/v1/checks/agreement?org=iucg"))
            .header(
                "Content-Type",
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(body)
    };
    let response = match request.send().await {
        Ok(response) => response,
        Err(e) => return failed("no answer", e.to_string()),
    };
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    if status != 200 {
        let code = body["error"]["code"].as_str().unwrap_or_default();
        return failed(&format!("HTTP {status}"), format!("HTTP {status} {code}"));
    }
    let claims = &body["claims"];
    let findings = claims["findings"].as_array().cloned().unwrap_or_default();
    let problems = entry
        .expected_findings
        .iter()
        .filter(|expected| {
            !findings.iter().any(|f| {
                f["field"] == expected.field.as_str()
                    && f["result"] == expected.result.as_str()
                    && expected
                        .contains
                        .as_deref()
                        .is_none_or(|contains| finding_contains(f, contains))
            })
        })
        .map(|expected| {
            format!(
                "no {} {} finding containing {:?}",
                expected.field,
                expected.result,
                expected.contains.as_deref().unwrap_or("-")
            )
        })
        .collect();
    Answer {
        outcome: claims["outcome"].as_str().unwrap_or("?").to_owned(),
        problems,
        findings: findings.iter().map(brief).collect(),
    }
}

fn failed(outcome: &str, problem: String) -> Answer {
    Answer {
        outcome: outcome.to_owned(),
        problems: vec![problem],
        findings: Vec::new(),
    }
}

/// The figures over a set of answered items.
#[derive(Debug, Default)]
pub(crate) struct Summary {
    pub(crate) items: usize,
    pub(crate) right: usize,
    /// fraud_risk or not_authorised answered for a `clean` item.
    pub(crate) false_alarms_clean: usize,
    /// The same for a `negation` item.
    pub(crate) false_alarms_negation: usize,
}

impl Summary {
    pub(crate) fn accuracy(&self) -> f64 {
        if self.items == 0 {
            0.0
        } else {
            self.right as f64 / self.items as f64
        }
    }
}

fn ratio(num: usize, den: usize) -> String {
    if den == 0 {
        "-".to_owned()
    } else {
        format!("{:.1}%", 100.0 * num as f64 / den as f64)
    }
}

/// The table, the summary line and every wrong item, for `answers[i]` answering `entries[i]`.
pub(crate) fn report(entries: &[&Entry], answers: &[Answer]) -> (String, Summary) {
    let mut out = String::new();
    let mut summary = Summary::default();
    let _ = writeln!(
        out,
        "{:<10} {:>5} {:>5} {:>5} {:>5} {:>6} {:>7} {:>9} {:>7} {:>8}",
        "category",
        "items",
        "docs",
        "msgs",
        "right",
        "wrong",
        "pos",
        "precision",
        "recall",
        "accuracy"
    );
    for category in CATEGORIES {
        let pairs: Vec<(&Entry, &Answer)> = entries
            .iter()
            .copied()
            .zip(answers)
            .filter(|(e, _)| e.category == category)
            .collect();
        if pairs.is_empty() {
            continue;
        }
        let right = pairs.iter().filter(|(e, a)| a.right(e)).count();
        let positives = pairs
            .iter()
            .filter(|(e, _)| flagging(&e.expected_outcome))
            .count();
        let true_pos = pairs
            .iter()
            .filter(|(e, a)| flagging(&e.expected_outcome) && a.right(e))
            .count();
        let flagged = pairs.iter().filter(|(_, a)| a.flagged()).count();
        let docs = pairs.iter().filter(|(e, _)| e.kind == "agreement").count();
        let _ = writeln!(
            out,
            "{category:<10} {:>5} {docs:>5} {:>5} {right:>5} {:>6} {positives:>7} {:>9} {:>7} {:>8}",
            pairs.len(),
            pairs.len() - docs,
            pairs.len() - right,
            ratio(true_pos, flagged),
            ratio(true_pos, positives),
            ratio(right, pairs.len()),
        );
        summary.items += pairs.len();
        summary.right += right;
        let alarms = pairs.iter().filter(|(_, a)| a.flagged()).count();
        match category {
            "clean" => summary.false_alarms_clean = alarms,
            "negation" => summary.false_alarms_negation = alarms,
            _ => {}
        }
    }
    let _ = writeln!(
        out,
        "overall: {} of {} right, accuracy {}; false fraud_risk/not_authorised on clean items {}, \
         on negation items {}",
        summary.right,
        summary.items,
        ratio(summary.right, summary.items),
        summary.false_alarms_clean,
        summary.false_alarms_negation,
    );
    let mut by_format = std::collections::BTreeMap::<(&str, &str), (usize, usize)>::new();
    for (e, a) in entries.iter().zip(answers) {
        let slot = by_format
            .entry((e.format.as_str(), e.language.as_str()))
            .or_default();
        slot.0 += 1;
        slot.1 += usize::from(a.right(e));
    }
    let _ = writeln!(
        out,
        "by format and language: {}",
        by_format
            .iter()
            .map(|((f, l), (n, r))| format!("{f}/{l} {r}/{n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let wrong: Vec<(&Entry, &Answer)> = entries
        .iter()
        .copied()
        .zip(answers)
        .filter(|(e, a)| !a.right(e))
        .collect();
    if !wrong.is_empty() {
        let _ = writeln!(out, "wrong items ({}):", wrong.len());
    }
    for (e, a) in wrong {
        let _ = writeln!(
            out,
            "- {} [{} {} {}]: expected {}, got {}",
            e.file, e.kind, e.language, e.format, e.expected_outcome, a.outcome
        );
        for problem in &a.problems {
            let _ = writeln!(out, "    {problem}");
        }
        for finding in &a.findings {
            let _ = writeln!(out, "      got {finding}");
        }
    }
    (out, summary)
}
