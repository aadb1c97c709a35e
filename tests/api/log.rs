//! The transparency log over HTTP: checkpoints that sign the root of the entries served, proofs
//! that verify against roots computed here from those entries, receipts, the checkpoint a verdict
//! names, bad proof parameters, and the never-fork checks across restarts, a data directory
//! restored from an older copy and a damaged checkpoint lock.

use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use bonafide::api::{ConsistencyProof, InclusionProof, StatementList, SubmitResponse};
use bonafide::crypto::SigningKey;
use bonafide::log::{Checkpoint, CompactRange, NoteSigner, NoteVerifier, leaf_hash, proof};
use serde_json::{Value, json};

use crate::helpers::{TestApp, copy_dir, error_of, restore_dir, sign, warning};

/// The number of statements in the demo register.
const DEMO_SIZE: u64 = 29;

/// `GET /v1/log/key`, checked for its form and parsed.
async fn log_key(app: &TestApp) -> NoteVerifier {
    let response = app.log_key().await;
    assert_eq!(response.status(), 200);
    assert_eq!(content_type(&response), "text/plain; charset=utf-8");
    let text = response.text().await.expect("a body");
    let vkey = text.trim();
    let parts: Vec<&str> = vkey.splitn(3, '+').collect();
    assert_eq!(parts.len(), 3, "<name>+<id>+<key>: {vkey:?}");
    assert!(!parts[0].is_empty(), "a key name: {vkey:?}");
    assert!(
        parts[1].len() == 8 && parts[1].bytes().all(|b| b.is_ascii_hexdigit()),
        "eight hex digits of key id: {vkey:?}"
    );
    let key = STANDARD.decode(parts[2]).expect("standard base64");
    assert_eq!(
        (key.len(), key.first()),
        (33, Some(&1)),
        "0x01 and 32 bytes"
    );
    NoteVerifier::parse(vkey).expect("the served key parses")
}

fn content_type(response: &reqwest::Response) -> &str {
    response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

/// `GET /v1/log/checkpoint`, opened with `key` for the origin that is the key's name; and the
/// note as served.
async fn checkpoint(app: &TestApp, key: &NoteVerifier) -> (Checkpoint, String) {
    let response = app.checkpoint().await;
    assert_eq!(response.status(), 200);
    assert_eq!(content_type(&response), "text/plain; charset=utf-8");
    let note = response.text().await.expect("a body");
    (open(&note, key), note)
}

/// Opens a signed checkpoint of the log of `key`.
fn open(note: &str, key: &NoteVerifier) -> Checkpoint {
    let checkpoint = Checkpoint::open(note.as_bytes(), key, key.name())
        .unwrap_or_else(|e| panic!("the checkpoint opens with the log key: {e}\n{note}"));
    assert!(note.starts_with(&checkpoint.to_text()), "{note}");
    checkpoint
}

/// `GET /v1/log/entries/{index}`: the bytes of a leaf.
async fn entry(app: &TestApp, index: u64) -> Vec<u8> {
    let response = app.entry(index).await;
    assert_eq!(response.status(), 200, "entry {index}");
    assert_eq!(content_type(&response), "application/octet-stream");
    response.bytes().await.expect("a body").to_vec()
}

/// What a monitor knows of the log, computed here from the entries alone.
struct Mirror {
    /// Every entry's bytes.
    entries: Vec<Vec<u8>>,
    /// Their leaf hashes.
    leaves: Vec<[u8; 32]>,
    /// `roots[n]`: the root of the first `n` leaves.
    roots: Vec<[u8; 32]>,
}

impl Mirror {
    /// Fetches entries 0 to `size` - 1 and follows the root as each is added.
    async fn fetch(app: &TestApp, size: u64) -> Self {
        let mut range = CompactRange::new();
        let mut mirror = Self {
            entries: Vec::new(),
            leaves: Vec::new(),
            roots: vec![range.root()],
        };
        for index in 0..size {
            let bytes = entry(app, index).await;
            let leaf = leaf_hash(&bytes);
            range.push(leaf);
            mirror.entries.push(bytes);
            mirror.leaves.push(leaf);
            mirror.roots.push(range.root());
        }
        mirror
    }

    fn root(&self, size: u64) -> [u8; 32] {
        self.roots[usize::try_from(size).expect("a small size")]
    }

    fn leaf(&self, index: u64) -> [u8; 32] {
        self.leaves[usize::try_from(index).expect("a small index")]
    }
}

fn lower_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Decodes proof hashes: standard base64 of 32 bytes each.
fn hashes(encoded: &[String]) -> Vec<[u8; 32]> {
    encoded
        .iter()
        .map(|h| {
            let bytes = STANDARD
                .decode(h)
                .unwrap_or_else(|e| panic!("{h:?} is not standard base64: {e}"));
            <[u8; 32]>::try_from(bytes).unwrap_or_else(|_| panic!("{h:?} is not 32 bytes"))
        })
        .collect()
}

/// `GET /v1/log/proof/inclusion?index&size`: the proof, after checking the parameters echoed.
async fn inclusion_proof(app: &TestApp, index: u64, size: u64) -> Vec<[u8; 32]> {
    let response = app.inclusion(&format!("index={index}&size={size}")).await;
    assert_eq!(response.status(), 200, "inclusion of {index} in {size}");
    let proof: InclusionProof = response.json().await.expect("an inclusion proof");
    assert_eq!((proof.index, proof.size), (index, size));
    hashes(&proof.hashes)
}

/// `GET /v1/log/proof/consistency?from&to`: the proof, after checking the parameters echoed.
async fn consistency_proof(app: &TestApp, from: u64, to: u64) -> Vec<[u8; 32]> {
    let response = app.consistency(&format!("from={from}&to={to}")).await;
    assert_eq!(response.status(), 200, "consistency of {from} with {to}");
    let proof: ConsistencyProof = response.json().await.expect("a consistency proof");
    assert_eq!((proof.from, proof.to), (from, to));
    hashes(&proof.hashes)
}

/// Checks that the log's tree of `earlier.size` is a prefix of its tree of `later.size`.
async fn assert_consistent(app: &TestApp, earlier: &Checkpoint, later: &Checkpoint) {
    let proof = consistency_proof(app, earlier.size, later.size).await;
    proof::verify_consistency(earlier.size, later.size, &earlier.root, &later.root, &proof)
        .unwrap_or_else(|e| {
            panic!(
                "checkpoint {} is not consistent with {}: {e}",
                earlier.size, later.size
            )
        });
}

/// Submits a new warning signed by the demo's staff key; fails unless it is accepted (201).
async fn append(app: &TestApp, id: &str) -> SubmitResponse {
    let response = app
        .submit_signed(&warning(id, app.now()), &[&app.keys.bob])
        .await;
    assert_eq!(response.status(), 201, "{id} is accepted");
    let answer: SubmitResponse = response.json().await.expect("a submit response");
    assert_eq!(answer.result, "accepted");
    answer
}

/// Checks a receipt against the log: its checkpoint opens with the log key and holds the leaf,
/// and its proof leads from the hash of the bytes the log serves for its index to that root.
async fn assert_receipt_verifies(
    app: &TestApp,
    key: &NoteVerifier,
    answer: &SubmitResponse,
) -> Checkpoint {
    let receipt = &answer.receipt;
    let checkpoint = open(&receipt.checkpoint, key);
    assert_eq!(checkpoint.size, receipt.tree_size);
    assert!(receipt.log_index < receipt.tree_size, "{receipt:?}");
    let leaf = leaf_hash(&entry(app, receipt.log_index).await);
    assert_eq!(receipt.leaf_hash, lower_hex(&leaf));
    proof::verify_inclusion(
        receipt.log_index,
        receipt.tree_size,
        &leaf,
        &hashes(&receipt.inclusion_proof),
        &checkpoint.root,
    )
    .unwrap_or_else(|e| panic!("the receipt's proof fails: {e}: {receipt:?}"));
    checkpoint
}

/// A contact check's response, which must be a 200.
async fn check(app: &TestApp) -> Value {
    let response = app
        .check_contact(&json!({"org": "iucg", "name": "Wang Jianguo"}))
        .await;
    assert_eq!(response.status(), 200);
    response.json().await.expect("JSON")
}

/// The `log` claim of a verdict, as signed (read from the JWS payload) and as shown in the
/// decoded claims, which must agree.
fn verdict_log(answer: &Value) -> Value {
    let token = answer["verdict"].as_str().expect("a verdict");
    let payload = token.split('.').nth(1).expect("a compact JWS");
    let signed: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64url"))
            .expect("JSON claims");
    assert_eq!(signed["log"], answer["claims"]["log"]);
    signed["log"].clone()
}

/// Checks that every statement a verdict's findings rely on is the log's entry at the index
/// cited, with the leaf hash cited, included in the tree the verdict names.
async fn assert_findings_cite_the_log(app: &TestApp, answer: &Value, signed: &Checkpoint) {
    let findings = answer["claims"]["findings"].as_array().expect("findings");
    let cited: Vec<&Value> = findings.iter().filter_map(|f| f.get("statement")).collect();
    assert!(!cited.is_empty(), "a finding cites a statement: {answer}");
    for statement in cited {
        let index = statement["log_index"].as_u64().expect("log_index");
        let leaf = leaf_hash(&entry(app, index).await);
        assert_eq!(statement["leaf_hash"], lower_hex(&leaf), "{statement}");
        let proof = inclusion_proof(app, index, signed.size).await;
        proof::verify_inclusion(index, signed.size, &leaf, &proof, &signed.root)
            .unwrap_or_else(|e| panic!("{statement} is not in the verdict's tree: {e}"));
    }
}

fn log_claim(checkpoint: &Checkpoint) -> Value {
    json!({
        "origin": checkpoint.origin,
        "size": checkpoint.size,
        "root": STANDARD.encode(checkpoint.root),
    })
}

/// Asserts a 503 `log_halted` whose message contains each of `needles`.
async fn assert_halted(what: &str, response: reqwest::Response, needles: &[&str]) {
    let (status, code, message) = error_of(response).await;
    assert_eq!(
        (status, code.as_str()),
        (503, "log_halted"),
        "{what}: {message}"
    );
    for needle in needles {
        assert!(
            message.contains(needle),
            "{what}: {message:?} should mention {needle:?}"
        );
    }
}

#[tokio::test]
async fn the_checkpoint_signs_the_root_of_the_entries_served() {
    let app = TestApp::with_demo().await;
    let key = log_key(&app).await;

    let (checkpoint, _) = checkpoint(&app, &key).await;

    assert_eq!(checkpoint.origin, key.name());
    assert_eq!(checkpoint.size, DEMO_SIZE);
    assert_eq!(app.log_size().await, DEMO_SIZE);
    let mirror = Mirror::fetch(&app, checkpoint.size).await;
    assert_eq!(checkpoint.root, mirror.root(checkpoint.size));
    // Each entry is a statement's envelope, byte for byte as the register lists it.
    let response = app.get("/v1/orgs/iucg/statements").await;
    assert_eq!(response.status(), 200);
    let list: StatementList = response.json().await.expect("a statement list");
    let mut listed: Vec<u64> = list.statements.iter().map(|s| s.log_index).collect();
    listed.sort_unstable();
    assert_eq!(listed, (0..DEMO_SIZE).collect::<Vec<_>>());
    for item in &list.statements {
        let index = usize::try_from(item.log_index).expect("small");
        assert_eq!(
            item.envelope.get().as_bytes(),
            mirror.entries[index].as_slice(),
            "entry {index}"
        );
        assert_eq!(
            item.leaf_hash,
            lower_hex(&mirror.leaves[index]),
            "entry {index}"
        );
        let served = app.entry(item.log_index).await;
        assert_eq!(
            served
                .headers()
                .get("bonafide-accepted-at")
                .and_then(|v| v.to_str().ok()),
            Some(item.accepted_at.to_string().as_str())
        );
    }
}

#[tokio::test]
async fn every_inclusion_and_consistency_proof_verifies() {
    let app = TestApp::with_demo().await;
    let key = log_key(&app).await;
    let (checkpoint, _) = checkpoint(&app, &key).await;
    let n = checkpoint.size;
    let mirror = Mirror::fetch(&app, n).await;

    for size in 1..=n {
        for index in 0..size {
            let hashes = inclusion_proof(&app, index, size).await;
            proof::verify_inclusion(
                index,
                size,
                &mirror.leaf(index),
                &hashes,
                &mirror.root(size),
            )
            .unwrap_or_else(|e| panic!("inclusion of {index} in {size}: {e}"));
        }
    }
    for from in 1..=n {
        for to in from..=n {
            let hashes = consistency_proof(&app, from, to).await;
            proof::verify_consistency(from, to, &mirror.root(from), &mirror.root(to), &hashes)
                .unwrap_or_else(|e| panic!("consistency of {from} with {to}: {e}"));
        }
    }
}

#[tokio::test]
async fn bad_proof_parameters_get_a_400_in_the_envelope() {
    let app = TestApp::with_demo().await;
    assert_eq!(app.log_size().await, DEMO_SIZE);
    let too_large = "99999999999999999999";
    // (query, a word the message must contain)
    let inclusion: Vec<(String, &str)> = vec![
        (String::new(), "index"),
        ("size=5".into(), "index"),
        ("index=1".into(), "size"),
        ("index=-1&size=5".into(), "index"),
        ("index=abc&size=5".into(), "index"),
        ("index=1.5&size=5".into(), "index"),
        // `+` in a query is a space.
        ("index=+3&size=5".into(), "index"),
        ("index=%2B3&size=5".into(), "index"),
        ("index=%203&size=5".into(), "index"),
        ("index=0x1&size=5".into(), "index"),
        ("index=1e2&size=5".into(), "index"),
        ("index=%D9%A3&size=5".into(), "index"),
        ("index=%FF&size=5".into(), "index"),
        ("index=&size=5".into(), "index"),
        ("index=1&size=".into(), "size"),
        ("index=1&size=-5".into(), "size"),
        (format!("index={too_large}&size=5"), "index"),
        (format!("index=1&size={too_large}"), "size"),
        ("index=5&size=5".into(), "index"),
        ("index=6&size=5".into(), "index"),
        ("index=0&size=0".into(), "size"),
        (format!("index=0&size={}", DEMO_SIZE + 1), "size"),
        (format!("index={DEMO_SIZE}&size={DEMO_SIZE}"), "index"),
        ("index=1&size=5&extra=1".into(), "extra"),
        ("index=1&size=5&index=2".into(), "index"),
    ];
    let consistency: Vec<(String, &str)> = vec![
        (String::new(), "from"),
        ("to=5".into(), "from"),
        ("from=1".into(), "to"),
        ("from=-1&to=5".into(), "from"),
        ("from=abc&to=5".into(), "from"),
        ("from=1.5&to=5".into(), "from"),
        ("from=+3&to=5".into(), "from"),
        ("from=%2B3&to=5".into(), "from"),
        ("from=&to=5".into(), "from"),
        ("from=1&to=".into(), "to"),
        ("from=1&to=abc".into(), "to"),
        (format!("from={too_large}&to=5"), "from"),
        (format!("from=1&to={too_large}"), "to"),
        ("from=0&to=5".into(), "from"),
        ("from=0&to=0".into(), "from"),
        ("from=6&to=5".into(), "from"),
        (format!("from=1&to={}", DEMO_SIZE + 1), "to"),
        (format!("from={0}&to={0}", DEMO_SIZE + 1), "to"),
        ("from=1&to=5&extra=1".into(), "extra"),
        ("from=1&to=5&to=6".into(), "to"),
    ];

    let mut failures = Vec::new();
    for (endpoint, cases) in [("inclusion", &inclusion), ("consistency", &consistency)] {
        for (query, needle) in cases {
            let response = match endpoint {
                "inclusion" => app.inclusion(query).await,
                _ => app.consistency(query).await,
            };
            let status = response.status().as_u16();
            let body = response.text().await.unwrap_or_default();
            let envelope: Option<(String, String)> =
                serde_json::from_str::<Value>(&body).ok().and_then(|v| {
                    Some((
                        v["error"]["code"].as_str()?.to_owned(),
                        v["error"]["message"].as_str()?.to_owned(),
                    ))
                });
            let ok = status == 400
                && envelope.as_ref().is_some_and(|(code, message)| {
                    code == "invalid_query" && message.contains(needle)
                });
            if !ok {
                failures.push(format!(
                    "{endpoint}?{query}: {status} {body} (want 400 invalid_query naming {needle:?})"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Valid parameters at the edges still answer.
    assert_eq!(
        app.inclusion(&format!("index={}&size={DEMO_SIZE}", DEMO_SIZE - 1))
            .await
            .status(),
        200
    );
    assert_eq!(
        app.consistency(&format!("from={DEMO_SIZE}&to={DEMO_SIZE}"))
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn entries_past_the_end_are_404_and_bad_indices_400() {
    let app = TestApp::with_demo().await;

    let (status, code, message) = error_of(app.entry(DEMO_SIZE).await).await;
    assert_eq!((status, code.as_str()), (404, "not_found"), "{message}");
    assert!(message.contains(&DEMO_SIZE.to_string()), "{message}");
    let (status, code, _) = error_of(app.entry(u64::MAX).await).await;
    assert_eq!((status, code.as_str()), (404, "not_found"));
    for bad in ["abc", "-1", "1.5", "+1", "0x1", "99999999999999999999"] {
        let (status, code, message) = error_of(app.entry(bad).await).await;
        assert_eq!(status, 400, "entry {bad:?}: {code} {message}");
        assert!(message.contains("index"), "entry {bad:?}: {message}");
    }
    assert_eq!(app.entry(DEMO_SIZE - 1).await.status(), 200);
}

#[tokio::test]
async fn receipts_prove_inclusion_of_the_served_entry() {
    let app = TestApp::with_demo().await;
    let key = log_key(&app).await;
    let body = sign(&warning("w-receipt", app.now()), &[&app.keys.bob]);

    let response = app.submit(&body).await;

    assert_eq!(response.status(), 201);
    let first: SubmitResponse = response.json().await.expect("a submit response");
    assert_eq!(first.result, "accepted");
    assert_eq!(first.receipt.id, "w-receipt");
    assert_eq!(first.receipt.log_index, DEMO_SIZE);
    assert_eq!(first.receipt.tree_size, first.receipt.log_index + 1);
    let signed = assert_receipt_verifies(&app, &key, &first).await;
    assert_eq!(signed.origin, key.name());
    let (latest, note) = checkpoint(&app, &key).await;
    assert_eq!(latest, signed);
    assert_eq!(note, first.receipt.checkpoint);
    assert_eq!(entry(&app, first.receipt.log_index).await, body);

    // Something else is appended; the same statement again gets a receipt against the
    // checkpoint of then.
    let other = append(&app, "w-receipt-2").await;
    assert_receipt_verifies(&app, &key, &other).await;
    let response = app.submit(&body).await;
    assert_eq!(response.status(), 200);
    let again: SubmitResponse = response.json().await.expect("a submit response");
    assert_eq!(again.result, "duplicate");
    assert_eq!(again.receipt.log_index, first.receipt.log_index);
    assert_eq!(again.receipt.leaf_hash, first.receipt.leaf_hash);
    assert_eq!(again.receipt.tree_size, DEMO_SIZE + 2);
    let then = assert_receipt_verifies(&app, &key, &again).await;
    let (latest, note) = checkpoint(&app, &key).await;
    assert_eq!(then, latest);
    assert_eq!(note, again.receipt.checkpoint);
    assert_consistent(&app, &signed, &latest).await;
    assert_eq!(app.log_size().await, DEMO_SIZE + 2);
}

#[tokio::test]
async fn verdicts_name_the_current_checkpoint() {
    let app = TestApp::with_demo().await;
    let key = log_key(&app).await;
    let (before, _) = checkpoint(&app, &key).await;

    let answer = check(&app).await;

    assert_eq!(verdict_log(&answer), log_claim(&before));
    assert_findings_cite_the_log(&app, &answer, &before).await;
    append(&app, "w-verdict").await;
    let (after, _) = checkpoint(&app, &key).await;
    assert_eq!(after.size, before.size + 1);
    let answer = check(&app).await;
    assert_eq!(verdict_log(&answer), log_claim(&after));
    assert_findings_cite_the_log(&app, &answer, &after).await;
}

#[tokio::test]
async fn after_a_restart_every_earlier_checkpoint_is_consistent_with_the_new_one() {
    let app = TestApp::with_demo().await;
    let key = log_key(&app).await;
    let (first, _) = checkpoint(&app, &key).await;
    let mut handed_out = vec![first];
    let mut last_note = String::new();
    for i in 0..4 {
        let answer = append(&app, &format!("w-before-{i}")).await;
        let from_receipt = assert_receipt_verifies(&app, &key, &answer).await;
        let (served, note) = checkpoint(&app, &key).await;
        assert_eq!(served, from_receipt);
        handed_out.push(served);
        last_note = note;
    }
    let last = handed_out.last().expect("checkpoints").clone();

    let app = app.restart().await;

    let key_after = log_key(&app).await;
    assert_eq!(
        key_after.to_string(),
        key.to_string(),
        "the log key is kept"
    );
    let (after, note) = checkpoint(&app, &key).await;
    assert_eq!((after.size, after.root), (last.size, last.root));
    assert_eq!(note, last_note, "the same checkpoint, not a new signature");
    assert_eq!(app.log_size().await, last.size);
    for i in 0..3 {
        let answer = append(&app, &format!("w-after-{i}")).await;
        let from_receipt = assert_receipt_verifies(&app, &key, &answer).await;
        handed_out.push(from_receipt);
    }
    let (newest, _) = checkpoint(&app, &key).await;
    assert_eq!(newest.size, last.size + 3);
    let mirror = Mirror::fetch(&app, newest.size).await;
    assert_eq!(newest.root, mirror.root(newest.size));
    for earlier in &handed_out {
        assert_eq!(
            earlier.root,
            mirror.root(earlier.size),
            "size {}",
            earlier.size
        );
        assert_consistent(&app, earlier, &newest).await;
    }
}

#[tokio::test]
async fn a_data_directory_restored_from_an_older_copy_halts_the_log() {
    let app = TestApp::with_demo().await;
    let key = log_key(&app).await;
    let backups = tempfile::tempdir().expect("temp dir");
    let (older, newest) = (backups.path().join("older"), backups.path().join("newest"));
    append(&app, "w-1").await;
    append(&app, "w-2").await;
    let (at_backup, _) = checkpoint(&app, &key).await;
    copy_dir(&app.data_dir(), &older);
    append(&app, "w-3").await;
    append(&app, "w-4").await;
    let (signed, signed_note) = checkpoint(&app, &key).await;
    assert_eq!(signed.size, at_backup.size + 2);
    copy_dir(&app.data_dir(), &newest);

    let app = app
        .restart_with(|data: &Path| restore_dir(data, &older))
        .await;

    let signed_size = signed.size.to_string();
    let held = at_backup.size.to_string();
    let why = [signed_size.as_str(), held.as_str(), "older copy"];
    let submitted = app
        .submit_signed(&warning("w-5", app.now()), &[&app.keys.bob])
        .await;
    assert_halted("POST /v1/statements", submitted, &why).await;
    let checked = app
        .check_contact(&json!({"org": "iucg", "name": "Wang Jianguo"}))
        .await;
    assert_halted("POST /v1/checks/contact", checked, &why).await;
    assert_halted("GET /readyz", app.get("/readyz").await, &why).await;
    assert_halted("GET /v1/log/checkpoint", app.checkpoint().await, &why).await;
    assert_halted(
        "GET /v1/log/proof/inclusion",
        app.inclusion("index=0&size=1").await,
        &[],
    )
    .await;
    assert_halted(
        "GET /v1/log/proof/consistency",
        app.consistency("from=1&to=2").await,
        &[],
    )
    .await;
    assert_eq!(app.get("/v1/orgs").await.status(), 200);
    assert_eq!(app.get("/healthz").await.status(), 200);
    let lock = std::fs::read_to_string(app.checkpoint_lock()).expect("the lock");
    assert_eq!(lock, signed_note, "a halted log leaves its lock alone");

    // Pointed at the newest data again, it serves the checkpoint it signed and appends.
    let app = app
        .restart_with(|data: &Path| restore_dir(data, &newest))
        .await;

    let (back, note) = checkpoint(&app, &key).await;
    assert_eq!(note, signed_note);
    let answer = append(&app, "w-5").await;
    assert_eq!(answer.receipt.tree_size, signed.size + 1);
    let next = assert_receipt_verifies(&app, &key, &answer).await;
    assert_consistent(&app, &back, &next).await;
    assert_consistent(&app, &at_backup, &next).await;
}

#[tokio::test]
async fn a_damaged_checkpoint_lock_halts_the_log() {
    let app = TestApp::with_demo().await;
    let key = log_key(&app).await;
    append(&app, "w-1").await;
    let (signed, signed_note) = checkpoint(&app, &key).await;
    let lock = app.checkpoint_lock();
    assert_eq!(
        std::fs::read_to_string(&lock).expect("the lock"),
        signed_note,
        "the lock holds the last checkpoint signed"
    );
    let lock_name = lock.display().to_string();
    // The same checkpoint signed by another key under the log's name.
    let forger =
        NoteSigner::new(key.name(), SigningKey::from_seed([9; 32])).expect("a note signer");
    let forged = signed.sign(&forger).expect("signed");
    let damaged: [(&str, Vec<u8>); 4] = [
        ("garbage", b"\x00\xffnot a checkpoint at all\n".to_vec()),
        ("empty", Vec::new()),
        (
            "truncated",
            signed_note.as_bytes()[..signed_note.len() - 10].to_vec(),
        ),
        ("signed by another key", forged.into_bytes()),
    ];

    let mut app = app;
    for (case, bytes) in damaged {
        app = app
            .restart_with(|_: &Path| std::fs::write(&lock, &bytes).expect("lock written"))
            .await;
        let submitted = app
            .submit_signed(&warning("w-2", app.now()), &[&app.keys.bob])
            .await;
        assert_halted(case, submitted, &[&lock_name, "checkpoint lock"]).await;
        assert_halted(case, app.checkpoint().await, &[&lock_name]).await;
        let checked = app
            .check_contact(&json!({"org": "iucg", "name": "Wang Jianguo"}))
            .await;
        assert_halted(case, checked, &[&lock_name]).await;
        assert_halted(case, app.get("/readyz").await, &[&lock_name]).await;
    }

    // With the lock put back, the log signs again.
    let app = app
        .restart_with(|_: &Path| std::fs::write(&lock, &signed_note).expect("lock written"))
        .await;
    let (back, _) = checkpoint(&app, &key).await;
    assert_eq!(back, signed);
    let answer = append(&app, "w-2").await;
    let next = assert_receipt_verifies(&app, &key, &answer).await;
    assert_consistent(&app, &signed, &next).await;
    assert_eq!(
        std::fs::read_to_string(&lock).expect("the lock"),
        answer.receipt.checkpoint,
        "the lock follows the appends"
    );
}

#[tokio::test]
async fn concurrent_appends_each_get_a_receipt_that_verifies() {
    let app = TestApp::with_demo().await;
    let key = log_key(&app).await;
    let (before, _) = checkpoint(&app, &key).await;
    const N: u64 = 8;
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..N {
        let body = sign(&warning(&format!("w-c{i}"), app.now()), &[&app.keys.bob]);
        let request = app
            .client
            .post(format!("{}/v1/statements", app.address))
            .header("Content-Type", "application/jose+json")
            .body(body);
        tasks.spawn(async move { request.send().await.expect("request sent") });
    }
    let mut answers = Vec::new();
    while let Some(response) = tasks.join_next().await {
        let response = response.expect("the task ran");
        assert_eq!(response.status(), 201);
        answers.push(response.json::<SubmitResponse>().await.expect("a receipt"));
    }

    let (after, _) = checkpoint(&app, &key).await;
    assert_eq!(after.size, before.size + N);
    let mut indices: Vec<u64> = answers.iter().map(|a| a.receipt.log_index).collect();
    indices.sort_unstable();
    assert_eq!(indices, (before.size..after.size).collect::<Vec<_>>());
    for answer in &answers {
        let signed = assert_receipt_verifies(&app, &key, answer).await;
        assert_eq!(signed.size, answer.receipt.log_index + 1, "{answer:?}");
        assert_consistent(&app, &before, &signed).await;
        assert_consistent(&app, &signed, &after).await;
    }
    let mirror = Mirror::fetch(&app, after.size).await;
    assert_eq!(after.root, mirror.root(after.size));
}

#[tokio::test]
async fn stored_entries_with_another_root_than_the_lock_halt_the_log() {
    let app = TestApp::with_demo().await;
    let key = log_key(&app).await;
    let backups = tempfile::tempdir().expect("temp dir");
    let older = backups.path().join("older");
    append(&app, "w-1").await;
    copy_dir(&app.data_dir(), &older);
    append(&app, "w-2").await;
    append(&app, "w-3").await;
    let (signed, signed_note) = checkpoint(&app, &key).await;
    let lock = app.checkpoint_lock();
    // The older copy started without the lock, and other statements appended: a fork of the
    // same size.
    let app = app
        .restart_with(|data: &Path| {
            restore_dir(data, &older);
            std::fs::remove_file(&lock).expect("lock removed");
        })
        .await;
    append(&app, "w-fork-2").await;
    append(&app, "w-fork-3").await;
    let (forked, _) = checkpoint(&app, &key).await;
    assert_eq!(forked.size, signed.size);
    assert_ne!(forked.root, signed.root);

    // The lock of the log that handed out `signed` is back.
    let app = app
        .restart_with(|_: &Path| std::fs::write(&lock, &signed_note).expect("lock written"))
        .await;

    let size = signed.size.to_string();
    let why = ["another root", size.as_str(), "checkpoint lock", "fork"];
    let submitted = app
        .submit_signed(&warning("w-4", app.now()), &[&app.keys.bob])
        .await;
    assert_halted("POST /v1/statements", submitted, &why).await;
    assert_halted("GET /v1/log/checkpoint", app.checkpoint().await, &why).await;
    let checked = app
        .check_contact(&json!({"org": "iucg", "name": "Wang Jianguo"}))
        .await;
    assert_halted("POST /v1/checks/contact", checked, &why).await;
    assert_eq!(
        std::fs::read_to_string(&lock).expect("the lock"),
        signed_note,
        "a halted log leaves its lock alone"
    );
}

#[tokio::test]
async fn a_missing_or_lagging_lock_is_rewritten_from_the_database() {
    let app = TestApp::with_demo().await;
    let key = log_key(&app).await;
    let lock = app.checkpoint_lock();
    append(&app, "w-1").await;
    let lagging = std::fs::read(&lock).expect("the lock");
    append(&app, "w-2").await;
    let (signed, signed_note) = checkpoint(&app, &key).await;

    let app = app
        .restart_with(|_: &Path| std::fs::remove_file(&lock).expect("lock removed"))
        .await;

    let (back, note) = checkpoint(&app, &key).await;
    assert_eq!((&back, note.as_str()), (&signed, signed_note.as_str()));
    assert_eq!(
        std::fs::read_to_string(&lock).expect("the lock is written again"),
        signed_note
    );

    let app = app
        .restart_with(|_: &Path| std::fs::write(&lock, &lagging).expect("lock written"))
        .await;

    let (back, note) = checkpoint(&app, &key).await;
    assert_eq!((&back, note.as_str()), (&signed, signed_note.as_str()));
    assert_eq!(
        std::fs::read_to_string(&lock).expect("the lock is brought up to date"),
        signed_note
    );
    let answer = append(&app, "w-3").await;
    assert_receipt_verifies(&app, &key, &answer).await;
}

#[tokio::test]
async fn a_lost_log_key_stops_the_service_and_lost_data_halts_the_log() {
    let app = TestApp::with_demo().await;
    let key = log_key(&app).await;
    append(&app, "w-1").await;
    let (signed, signed_note) = checkpoint(&app, &key).await;
    let backups = tempfile::tempdir().expect("temp dir");
    let kept = backups.path().join("kept");
    copy_dir(&app.data_dir(), &kept);
    let lock = app.checkpoint_lock();
    let lock_name = lock.display().to_string();

    // Without its key the log would sign with a new one: it must not even start.
    std::fs::remove_file(app.data_dir().join("log-key")).expect("log key removed");
    let error = app
        .start_error()
        .await
        .expect("the service refuses to start");
    assert!(
        error.contains("log-key") && error.contains("missing"),
        "the refusal names the lost key: {error}"
    );
    assert!(
        !app.data_dir().join("log-key").exists(),
        "no new log key was made"
    );
    assert_eq!(std::fs::read_to_string(&lock).expect("lock"), signed_note);

    // Without any data, the same.
    let app = app
        .restart_with(|data: &Path| std::fs::remove_dir_all(data).expect("data removed"))
        .await;

    assert_halted("lost data", app.checkpoint().await, &[&lock_name]).await;
    assert_halted("lost data", app.get("/readyz").await, &[&lock_name]).await;
    assert_eq!(std::fs::read_to_string(&lock).expect("lock"), signed_note);

    // With the data and its key back, the log goes on.
    let app = app
        .restart_with(|data: &Path| restore_dir(data, &kept))
        .await;

    assert_eq!(log_key(&app).await.to_string(), key.to_string());
    let (back, _) = checkpoint(&app, &key).await;
    assert_eq!(back, signed);
    let answer = append(&app, "w-2").await;
    let next = assert_receipt_verifies(&app, &key, &answer).await;
    assert_consistent(&app, &signed, &next).await;
}

#[tokio::test]
async fn an_empty_log_signs_the_empty_tree() {
    let app = TestApp::spawn().await;
    let key = log_key(&app).await;

    let (empty, _) = checkpoint(&app, &key).await;

    assert_eq!(empty.size, 0);
    assert_eq!(
        lower_hex(&empty.root),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert_eq!(app.log_size().await, 0);
    let (status, code, _) = error_of(app.entry(0).await).await;
    assert_eq!((status, code.as_str()), (404, "not_found"));
    let (status, code, _) = error_of(app.inclusion("index=0&size=1").await).await;
    assert_eq!((status, code.as_str()), (400, "invalid_query"));
    let (status, code, _) = error_of(app.consistency("from=1&to=1").await).await;
    assert_eq!((status, code.as_str()), (400, "invalid_query"));
    let app = app.restart().await;
    let (again, _) = checkpoint(&app, &key).await;
    assert_eq!(again, empty);
}

/// Two services on one data directory (here the instance before a restart, still running): the
/// second cannot append over the first's entry; it follows the log, so the two form one chain and
/// no size gets two roots.
#[tokio::test]
async fn a_second_instance_on_the_same_data_follows_the_log_instead_of_forking_it() {
    let first = TestApp::with_demo().await;
    let key = log_key(&first).await;
    let first_address = first.address.clone();
    let app = first.restart().await;
    let body = sign(&warning("w-first", app.now()), &[&app.keys.bob]);
    let response = app
        .client
        .post(format!("{first_address}/v1/statements"))
        .header("Content-Type", "application/jose+json")
        .body(body)
        .send()
        .await
        .expect("request sent");
    assert_eq!(response.status(), 201);
    let by_first: SubmitResponse = response.json().await.expect("a receipt");
    let first_signed = open(&by_first.receipt.checkpoint, &key);

    // The second instance has not heard of that append (SQLite cannot announce it): it loses the
    // race for the index, catches up with what the first appended, and appends after it.
    let by_second = app
        .submit_signed(&warning("w-second", app.now()), &[&app.keys.bob])
        .await;
    assert_eq!(by_second.status(), 201);
    let by_second: SubmitResponse = by_second.json().await.expect("a receipt");
    assert_eq!(by_second.receipt.log_index, by_first.receipt.log_index + 1);
    let second_signed = open(&by_second.receipt.checkpoint, &key);
    assert_eq!(second_signed.size, first_signed.size + 1);
    // One chain: the first instance's checkpoint is a prefix of the second's, and both
    // instances serve the same statements.
    assert_consistent(&app, &first_signed, &second_signed).await;
    // The first instance follows too: within its poll interval it serves the second's entry.
    let wanted = entry(&app, by_second.receipt.log_index).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(3);
    loop {
        let served_by_first = app
            .client
            .get(format!(
                "{first_address}/v1/log/entries/{}",
                by_second.receipt.log_index
            ))
            .send()
            .await
            .expect("request sent")
            .bytes()
            .await
            .expect("body");
        if served_by_first.to_vec() == wanted {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the first instance did not catch up"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let app = app.restart().await;
    let (after, _) = checkpoint(&app, &key).await;
    assert_eq!(after, second_signed);
}

#[tokio::test]
async fn a_checkpoint_lock_that_cannot_be_written_stops_the_log_signing() {
    let app = TestApp::with_demo().await;
    let key = log_key(&app).await;
    let (before, before_note) = checkpoint(&app, &key).await;
    // A directory where the lock file should be: the rename into place fails.
    let lock = app.checkpoint_lock();
    std::fs::remove_file(&lock).expect("lock removed");
    std::fs::create_dir(&lock).expect("a directory in its place");

    let submitted = app
        .submit_signed(&warning("w-1", app.now()), &[&app.keys.bob])
        .await;

    // The entry is durable, but its checkpoint was never shown, and nothing more is signed.
    assert_halted("an unwritable lock", submitted, &["checkpoint lock"]).await;
    let checked = app
        .check_contact(&json!({"org": "iucg", "name": "Wang Jianguo"}))
        .await;
    assert_halted("an unwritable lock", checked, &["checkpoint lock"]).await;
    assert_halted("an unwritable lock", app.checkpoint().await, &[]).await;

    // Restarted with the lock writable again, the lagging lock is caught up from the database.
    std::fs::remove_dir(&lock).expect("directory removed");
    std::fs::write(&lock, &before_note).expect("lock back at the last checkpoint shown");
    let app = app.restart().await;
    let (after, after_note) = checkpoint(&app, &key).await;
    assert_eq!(after.size, before.size + 1, "the committed entry stands");
    assert_consistent(&app, &before, &after).await;
    assert_eq!(std::fs::read_to_string(&lock).expect("lock"), after_note);
}
