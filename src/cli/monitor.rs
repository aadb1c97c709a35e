//! `bonafide log verify`: a monitor of a bonafide transparency log.
//!
//! Each run fetches the log's signed checkpoint and checks it against the last one this monitor
//! saw (kept in a state file): a smaller tree is a rollback, another root at the same size or a
//! consistency proof that fails is a fork. It then fetches every entry, replays them in order
//! into a register of its own (so each is a validly signed statement in the context of the ones
//! before it), recomputes the root of all of them, and verifies the inclusion proof of each entry
//! new since the last run. Only then is the new checkpoint saved.
//!
//! Caught misbehaviour is a [`Misbehaviour`] error, which the command reports on its own and
//! with exit status 3; a failure to check (the network, a server error, a damaged state file)
//! exits with 1. Either way the state file is left as it was.
//!
//! Every run fetches every entry again: replaying needs the whole register, and keeping it
//! between runs would make the state file as large as the log.

use std::fmt;
use std::path::Path;

use anyhow::{Context as _, bail};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use tokio::task::JoinSet;

use super::LogVerifyArgs;
use super::keyfiles;
use crate::api::{ConsistencyProof, ErrorBody, InclusionProof};
use crate::crypto::{self, VerifyingKey};
use crate::domain::Timestamp;
use crate::log::proof::{verify_consistency, verify_inclusion};
use crate::log::{Checkpoint, CheckpointError, NoteError, NoteVerifier};
use crate::registry::{MAX_CLOCK_SKEW, Registry};

/// How many entries or proofs are fetched at once.
const PARALLEL_FETCHES: u64 = 16;

/// The header carrying an entry's acceptance time.
const ACCEPTED_AT: &str = "bonafide-accepted-at";

/// What a log was caught doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// Two different trees that cannot both be the log's history.
    Fork,
    /// A tree smaller than one the log signed before.
    Rollback,
    /// An entry that is not a validly signed statement in its context.
    BadEntry,
    /// A checkpoint whose signature does not verify with the log's key.
    BadSignature,
    /// A checkpoint that is malformed or names another log.
    BadCheckpoint,
    /// Entries that do not give the root the checkpoint signs.
    RootMismatch,
    /// An inclusion proof that does not verify.
    BadProof,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Fork => "FORK",
            Self::Rollback => "ROLLBACK",
            Self::BadEntry => "BAD ENTRY",
            Self::BadSignature => "BAD SIGNATURE",
            Self::BadCheckpoint => "BAD CHECKPOINT",
            Self::RootMismatch => "ROOT MISMATCH",
            Self::BadProof => "BAD PROOF",
        }
    }
}

/// Proven misbehaviour of a log: printed as `KIND: message` (with the evidence) and the command
/// exits with status 3.
#[derive(Debug, Clone)]
pub(super) struct Misbehaviour {
    kind: Kind,
    message: String,
}

impl Misbehaviour {
    /// The error that reports it.
    fn error(kind: Kind, message: impl Into<String>) -> anyhow::Error {
        anyhow::Error::new(Self {
            kind,
            message: message.into().trim_end().to_owned(),
        })
    }
}

impl fmt::Display for Misbehaviour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.as_str(), self.message)
    }
}

impl std::error::Error for Misbehaviour {}

/// What the monitor keeps between runs.
#[derive(Debug, Serialize, Deserialize)]
struct State {
    /// The log's note verifier key, `<name>+<id>+<key>`.
    log_key: String,
    /// The last checkpoint verified, as the signed note served.
    checkpoint: String,
    /// The server it came from (for the reader; not checked).
    server: String,
    /// When it was verified.
    checked_at: String,
}

/// A state loaded and checked: its key and its checkpoint, opened.
struct Known {
    key: NoteVerifier,
    note: String,
    checkpoint: Checkpoint,
}

/// Reads a log key given as a verifier key string (`<name>+<id hex>+<base64 key>`) or as a file
/// holding one.
pub(super) fn read_log_key(given: &str) -> anyhow::Result<NoteVerifier> {
    let not_a_key = match NoteVerifier::parse(given.trim()) {
        Ok(key) => return Ok(key),
        Err(e) => e,
    };
    let path = Path::new(given);
    if !path.is_file() {
        bail!(
            "--log-key {given:?} is neither a log key (<name>+<key id>+<key>, as GET /v1/log/key \
             serves it) nor a file: {not_a_key}"
        );
    }
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the log key file {}", path.display()))?;
    NoteVerifier::parse(text.trim()).with_context(|| {
        format!(
            "{} does not hold a log key (<name>+<key id>+<key>, as GET /v1/log/key serves it)",
            path.display()
        )
    })
}

/// Decodes proof hashes from standard base64; the error names the first bad one.
pub(super) fn decode_hashes(hashes: &[String]) -> Result<Vec<[u8; 32]>, String> {
    hashes
        .iter()
        .enumerate()
        .map(|(i, text)| {
            STANDARD
                .decode(text)
                .ok()
                .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
                .ok_or_else(|| {
                    format!(
                        "hash {} of the proof, {text:?}, is not 32 bytes of standard base64",
                        i + 1
                    )
                })
        })
        .collect()
}

/// The key's name and id, as signature lines show them.
pub(super) fn key_label(key: &NoteVerifier) -> String {
    format!("{}+{:08x}", key.name(), key.id())
}

/// Why a checkpoint did not open, in words, and the kind of misbehaviour it shows.
pub(super) fn checkpoint_problem(error: &CheckpointError, key: &NoteVerifier) -> (Kind, String) {
    let label = key_label(key);
    match error {
        CheckpointError::Note(NoteError::InvalidSignature(_)) => (
            Kind::BadSignature,
            format!(
                "the checkpoint's signature by the log key {label} does NOT verify: it was altered or forged"
            ),
        ),
        CheckpointError::Note(NoteError::UnknownKey) => (
            Kind::BadSignature,
            format!(
                "the checkpoint carries no signature by the log key {label}: it was forged, or is another log's"
            ),
        ),
        CheckpointError::Note(e @ (NoteError::Malformed(_) | NoteError::MalformedKey(_))) => (
            Kind::BadCheckpoint,
            format!("the checkpoint is not a well-formed signed note (truncated or altered?): {e}"),
        ),
        CheckpointError::Malformed(why) => (
            Kind::BadCheckpoint,
            format!(
                "the signed text is not a well-formed checkpoint (truncated or altered?): {why}"
            ),
        ),
        CheckpointError::WrongOrigin { expected, found } => (
            Kind::BadCheckpoint,
            format!(
                "the checkpoint is for the log {found:?}, but the log key {label} is for {expected:?}"
            ),
        ),
    }
}

/// A bonafide server, for the monitor's requests.
#[derive(Clone)]
struct Server {
    base: String,
    http: reqwest::Client,
}

impl Server {
    fn new(base: &str) -> anyhow::Result<Self> {
        Ok(Self {
            base: base.trim_end_matches('/').to_owned(),
            http: super::client::http()?,
        })
    }

    /// GETs `path`: the answer's headers and body when it succeeded, otherwise an error with the
    /// server's message.
    async fn get(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> anyhow::Result<(reqwest::header::HeaderMap, Vec<u8>)> {
        let url = format!("{}{path}", self.base);
        let response = self
            .http
            .get(&url)
            .query(query)
            .send()
            .await
            .with_context(|| format!("cannot reach {}", self.base))?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .bytes()
            .await
            .with_context(|| format!("cannot read the answer to GET {url}"))?
            .to_vec();
        if status.is_success() {
            return Ok((headers, body));
        }
        match serde_json::from_slice::<ErrorBody>(&body) {
            Ok(e) => bail!(
                "GET {url}: the server answered {status}: {} ({})",
                e.error.message,
                e.error.code
            ),
            Err(_) => bail!(
                "GET {url}: the server answered {status}: {}",
                String::from_utf8_lossy(&body).trim()
            ),
        }
    }

    async fn text(&self, path: &str) -> anyhow::Result<String> {
        let (_, body) = self.get(path, &[]).await?;
        String::from_utf8(body).with_context(|| format!("{}{path} is not UTF-8 text", self.base))
    }

    async fn json<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> anyhow::Result<T> {
        let (_, body) = self.get(path, query).await?;
        serde_json::from_slice(&body)
            .with_context(|| format!("{}{path} did not answer with the expected JSON", self.base))
    }

    /// Entry `index`: its bytes and when the service says it accepted it.
    async fn entry(&self, index: u64) -> anyhow::Result<(Vec<u8>, Timestamp)> {
        let (headers, body) = self.get(&format!("/v1/log/entries/{index}"), &[]).await?;
        let accepted_at = headers
            .get(ACCEPTED_AT)
            .and_then(|v| v.to_str().ok())
            .with_context(|| format!("log entry {index} came without a {ACCEPTED_AT} header"))?;
        let accepted_at = Timestamp::parse(accepted_at)
            .with_context(|| format!("log entry {index}: the {ACCEPTED_AT} header"))?;
        Ok((body, accepted_at))
    }

    /// The inclusion proof of entry `index` in the tree of `size`.
    async fn inclusion(&self, index: u64, size: u64) -> anyhow::Result<InclusionProof> {
        self.json(
            "/v1/log/proof/inclusion",
            &[("index", index.to_string()), ("size", size.to_string())],
        )
        .await
    }
}

/// Runs `fetch` for every index in `range`, [`PARALLEL_FETCHES`] at a time, handing the results
/// to `each` in index order.
async fn for_each_fetched<T, F, Fut>(
    range: std::ops::Range<u64>,
    fetch: F,
    mut each: impl FnMut(u64, T) -> anyhow::Result<()>,
) -> anyhow::Result<()>
where
    T: Send + 'static,
    F: Fn(u64) -> Fut,
    Fut: Future<Output = anyhow::Result<T>> + Send + 'static,
{
    let mut start = range.start;
    while start < range.end {
        let end = range.end.min(start.saturating_add(PARALLEL_FETCHES));
        let mut tasks = JoinSet::new();
        for index in start..end {
            let future = fetch(index);
            tasks.spawn(async move { (index, future.await) });
        }
        let mut window: Vec<(u64, anyhow::Result<T>)> = Vec::new();
        while let Some(joined) = tasks.join_next().await {
            window.push(joined.context("a fetch task failed")?);
        }
        window.sort_by_key(|(index, _)| *index);
        for (index, result) in window {
            each(index, result?)?;
        }
        start = end;
    }
    Ok(())
}

/// Reads and checks the state file, if there is one.
fn load_state(path: &Path) -> anyhow::Result<Option<Known>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    let damaged = || {
        format!(
            "the monitor state {} is damaged; move it away to start over (the log key will be \
             trusted anew)",
            path.display()
        )
    };
    let state: State = serde_json::from_str(&text).with_context(damaged)?;
    let key = NoteVerifier::parse(&state.log_key).with_context(damaged)?;
    let checkpoint =
        Checkpoint::open(state.checkpoint.as_bytes(), &key, key.name()).with_context(damaged)?;
    Ok(Some(Known {
        key,
        note: state.checkpoint,
        checkpoint,
    }))
}

/// Writes the state file atomically: a temporary file beside it, renamed over it.
fn save_state(path: &Path, state: &State) -> anyhow::Result<()> {
    let mut json = serde_json::to_string_pretty(state)?;
    json.push('\n');
    crate::files::write_private(path, json.as_bytes())
        .with_context(|| format!("cannot save the monitor state to {}", path.display()))
}

/// A note as evidence in a report: verbatim, so that anyone can check its signature, ending in a
/// newline.
fn verbatim(note: &str) -> String {
    if note.ends_with('\n') {
        note.to_owned()
    } else {
        format!("{note}\n")
    }
}

/// `bonafide log verify`.
pub(super) async fn verify(args: LogVerifyArgs) -> anyhow::Result<()> {
    let server = Server::new(&args.server.server)?;
    let operator_keys = args
        .operator_keys
        .iter()
        .map(|path| {
            let jwk = keyfiles::read_public(path)?;
            VerifyingKey::from_jwk(&jwk)
                .with_context(|| format!("{} is not a usable operator key", path.display()))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let known = load_state(&args.state)?;
    let given = args.log_key.as_deref().map(read_log_key).transpose()?;

    // The log key: the one kept, the one given (which must be the kept one), or the server's.
    let key = match (&known, given) {
        (Some(known), Some(given)) if given.to_string() != known.key.to_string() => bail!(
            "--log-key {given} is not the log key kept in {}, {}: the log changed its key, or \
             this is another log. If the change is genuine, move the state file away and run \
             again",
            args.state.display(),
            known.key
        ),
        (Some(known), _) => known.key.clone(),
        (None, Some(given)) => given,
        (None, None) => {
            let text = server.text("/v1/log/key").await?;
            let key = NoteVerifier::parse(text.trim()).with_context(|| {
                format!("{}/v1/log/key did not answer with a log key", server.base)
            })?;
            eprintln!(
                "WARNING: TRUSTING THE LOG KEY ON FIRST USE. No --log-key was given and {} does \
                 not exist yet, so the key {key} was taken from {}/v1/log/key itself: anyone in \
                 control of that server could have served their own. Compare it with the key \
                 the log's operator publishes elsewhere (or pass --log-key next time). It is \
                 kept in {}, and later runs require it.",
                args.state.display(),
                server.base,
                args.state.display()
            );
            key
        }
    };
    let label = key_label(&key);

    // The checkpoint, opened with the key; its origin must be the key's name.
    let note = server.text("/v1/log/checkpoint").await?;
    let checkpoint = Checkpoint::open(note.as_bytes(), &key, key.name()).map_err(|e| {
        let (kind, why) = checkpoint_problem(&e, &key);
        Misbehaviour::error(
            kind,
            format!(
                "{}/v1/log/checkpoint: {why}\nThe checkpoint served:\n{}",
                server.base,
                verbatim(&note)
            ),
        )
    })?;
    let size = checkpoint.size;

    // Against the last checkpoint seen.
    let old_size = match &known {
        None => 0,
        Some(known) => {
            let old = &known.checkpoint;
            let evidence = || {
                format!(
                    "\nThe checkpoint seen before (kept in {}):\n{}The checkpoint {} serves \
                     now:\n{}",
                    args.state.display(),
                    verbatim(&known.note),
                    server.base,
                    verbatim(&note)
                )
            };
            if size < old.size {
                return Err(Misbehaviour::error(
                    Kind::Rollback,
                    format!(
                        "the log {} now serves a tree of {size} entries, but it signed one of {} \
                         before: signed history was taken back.{}",
                        old.origin,
                        old.size,
                        evidence()
                    ),
                ));
            }
            if size == old.size && checkpoint.root != old.root {
                return Err(Misbehaviour::error(
                    Kind::Fork,
                    format!(
                        "the log {} signed two different roots for the same size {size}: two \
                         histories exist.{}",
                        old.origin,
                        evidence()
                    ),
                ));
            }
            if size > old.size && old.size > 0 {
                let answer: anyhow::Result<ConsistencyProof> = server
                    .json(
                        "/v1/log/proof/consistency",
                        &[("from", old.size.to_string()), ("to", size.to_string())],
                    )
                    .await;
                // A server that withholds the proof does not stop the check: the replay below
                // recomputes the old root from the entries, which proves or disproves the same.
                let verified = match answer {
                    Err(e) => {
                        eprintln!(
                            "warning: the server gave no consistency proof ({e:#}); proving \
                             consistency from the entries instead"
                        );
                        Ok(())
                    }
                    Ok(proof) if proof.from != old.size || proof.to != size => Err(format!(
                        "the server answered with a proof from {} to {}",
                        proof.from, proof.to
                    )),
                    Ok(proof) => decode_hashes(&proof.hashes).and_then(|hashes| {
                        verify_consistency(old.size, size, &old.root, &checkpoint.root, &hashes)
                            .map_err(|e| e.to_string())
                    }),
                };
                if let Err(why) = verified {
                    return Err(Misbehaviour::error(
                        Kind::Fork,
                        format!(
                            "the log {}'s tree of {size} entries is not an extension of the tree \
                             of {} it signed before: the consistency proof fails ({why}).{}",
                            old.origin,
                            old.size,
                            evidence()
                        ),
                    ));
                }
            }
            old.size
        }
    };

    // Every entry, replayed in order into a register of our own.
    let mut registry = Registry::new(operator_keys);
    let now = Timestamp::from_datetime(time::OffsetDateTime::now_utc());
    let mut last_accepted: Option<Timestamp> = None;
    let fetcher = server.clone();
    for_each_fetched(
        0..size,
        |index| {
            let server = fetcher.clone();
            async move { server.entry(index).await }
        },
        |index, (bytes, accepted_at)| {
            // The acceptance time is the server's word (the leaf does not hold it), and replay
            // judges keys and revocations at it: at least it must never go backwards, lie in
            // the future, or precede the statement's own issue time.
            let bad_time = |why: String| {
                Misbehaviour::error(
                    Kind::BadEntry,
                    format!(
                        "log entry {index} of {}: its acceptance time {accepted_at} {why}",
                        checkpoint.origin
                    ),
                )
            };
            if let Some(last) = last_accepted
                && accepted_at < last
            {
                return Err(bad_time(format!(
                    "is earlier than the entry before it ({last})"
                )));
            }
            if accepted_at > now.saturating_add(MAX_CLOCK_SKEW) {
                return Err(bad_time("is in the future".into()));
            }
            last_accepted = Some(accepted_at);
            let entry = registry.replay(&bytes, accepted_at).map_err(|e| {
                Misbehaviour::error(
                    Kind::BadEntry,
                    format!(
                        "log entry {index} of {} (accepted at {accepted_at}, leaf hash {}) is not \
                         a validly signed statement in the register before it: {e}",
                        checkpoint.origin,
                        crypto::hex(&crate::log::leaf_hash(&bytes))
                    ),
                )
            })?;
            if entry.statement.common.issued_at > accepted_at.saturating_add(MAX_CLOCK_SKEW) {
                return Err(bad_time(format!(
                    "is before the statement was issued ({})",
                    entry.statement.common.issued_at
                )));
            }
            Ok(())
        },
    )
    .await?;
    let tree = registry.tree();
    let root = tree.root();
    if tree.size() != size || root != checkpoint.root {
        return Err(Misbehaviour::error(
            Kind::RootMismatch,
            format!(
                "the {} entries {} serves give the root {}, but its checkpoint signs {}: the \
                 entries served are not the log that was signed.\nThe checkpoint served:\n{}",
                tree.size(),
                server.base,
                STANDARD.encode(root),
                STANDARD.encode(checkpoint.root),
                verbatim(&note)
            ),
        ));
    }
    if let Some(known) = &known
        && tree.root_at(known.checkpoint.size) != Some(known.checkpoint.root)
    {
        return Err(Misbehaviour::error(
            Kind::Fork,
            format!(
                "the first {} entries served do not give the root of the checkpoint of that size \
                 seen before.\nThe checkpoint seen before:\n{}The checkpoint served now:\n{}",
                known.checkpoint.size,
                verbatim(&known.note),
                verbatim(&note)
            ),
        ));
    }

    // The inclusion proof of each new entry in the new tree.
    let leaves: Vec<[u8; 32]> = (old_size..size)
        .map(|i| tree.leaf(i).copied().unwrap_or_default())
        .collect();
    let fetcher = server.clone();
    for_each_fetched(
        old_size..size,
        |index| {
            let server = fetcher.clone();
            async move { server.inclusion(index, size).await }
        },
        |index, proof| {
            let position = usize::try_from(index - old_size).unwrap_or(usize::MAX);
            let leaf = leaves.get(position).copied().unwrap_or_default();
            let verified = if proof.index != index || proof.size != size {
                Err(format!(
                    "the server answered with a proof of entry {} in a tree of {}",
                    proof.index, proof.size
                ))
            } else {
                decode_hashes(&proof.hashes).and_then(|hashes| {
                    verify_inclusion(index, size, &leaf, &hashes, &checkpoint.root)
                        .map_err(|e| e.to_string())
                })
            };
            verified.map_err(|why| {
                Misbehaviour::error(
                    Kind::BadProof,
                    format!(
                        "the inclusion proof {} serves for entry {index} in the tree of {size} \
                         does not verify against its checkpoint: {why}",
                        server.base
                    ),
                )
            })
        },
    )
    .await?;

    let now = Timestamp::from_datetime(time::OffsetDateTime::now_utc()).whole_seconds();
    save_state(
        &args.state,
        &State {
            log_key: key.to_string(),
            checkpoint: note,
            server: server.base.clone(),
            checked_at: now.to_string(),
        },
    )?;
    let sizes = match &known {
        None => format!("size {size} (first run: nothing to compare with)"),
        Some(_) if old_size == size => format!("size {size}, the same tree as seen before"),
        Some(_) if old_size == 0 => format!("size 0 → {size}"),
        Some(_) => {
            format!("size {old_size} → {size}, consistency with the tree seen before proven")
        }
    };
    let new = match size - old_size {
        0 => "no entry is new".to_owned(),
        1 => "the inclusion proof of the 1 new entry verifies".to_owned(),
        n => format!("the inclusion proofs of the {n} new entries verify"),
    };
    println!(
        "The log {} at {} verifies: its checkpoint is signed by {label}; {sizes}; all {size} \
         entries were fetched and replayed as validly signed statements and give the signed root \
         {}; {new}. State saved to {}.",
        checkpoint.origin,
        server.base,
        STANDARD.encode(checkpoint.root),
        args.state.display()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proof_hashes_must_be_32_bytes_of_standard_base64() {
        let good = STANDARD.encode([7u8; 32]);
        assert_eq!(
            decode_hashes(std::slice::from_ref(&good)),
            Ok(vec![[7u8; 32]])
        );
        for bad in ["", "AAAA", "not base64!", &good[..good.len() - 2]] {
            let error = decode_hashes(&[good.clone(), bad.to_owned()]).expect_err(bad);
            assert!(error.starts_with("hash 2 "), "{error}");
        }
    }

    #[test]
    fn a_misbehaviour_prints_its_kind_first() {
        let error = Misbehaviour::error(Kind::Fork, "two roots");
        assert_eq!(error.to_string(), "FORK: two roots");
        assert!(error.downcast_ref::<Misbehaviour>().is_some());
    }
}
