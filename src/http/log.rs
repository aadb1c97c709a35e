//! The transparency log's side of the service: checkpoints signed at start and with every append,
//! the never-fork check, and the public log endpoints.

use std::sync::Arc;

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;

use super::{ApiError, AppState, Code, poisoned};
use crate::api::{ConsistencyProof, InclusionProof};
use crate::domain::Timestamp;
use crate::log::{Checkpoint, NoteSigner, NoteVerifier, Tree};
use crate::logfiles::{CheckpointLock, LogFileError};
use crate::store::{NewCheckpoint, Store, StoreError};

/// A checkpoint the log signed, with its note.
#[derive(Debug, Clone)]
pub(crate) struct SignedCheckpoint {
    /// What it says.
    pub(crate) checkpoint: Checkpoint,
    /// The signed note, as served.
    pub(crate) note: Arc<str>,
}

/// The log's keys and lock.
pub(crate) struct LogKeys {
    /// Signs checkpoints.
    pub(crate) signer: NoteSigner,
    /// Its verifier, for reading the lock and the store back.
    pub(crate) verifier: NoteVerifier,
    /// The verifier key string served at `/v1/log/key`.
    pub(crate) vkey: String,
    /// The lock holding the last signed checkpoint.
    pub(crate) lock: CheckpointLock,
}

impl LogKeys {
    /// Keys for `signer`, with the lock at `lock`.
    pub(crate) fn new(signer: NoteSigner, lock: CheckpointLock) -> Self {
        let verifier = signer.verifier();
        Self {
            vkey: verifier.to_string(),
            verifier,
            signer,
            lock,
        }
    }

    /// The origin line of the log's checkpoints (its key's name).
    pub(crate) fn origin(&self) -> &str {
        self.signer.name()
    }

    /// Signs the checkpoint of the tree of `size` leaves with `root`.
    pub(crate) fn sign(&self, size: u64, root: [u8; 32]) -> Result<SignedCheckpoint, ApiError> {
        let checkpoint = Checkpoint::new(self.origin(), size, root);
        let note = checkpoint
            .sign(&self.signer)
            .map_err(|e| ApiError::Internal(format!("cannot sign a checkpoint: {e}")))?;
        Ok(SignedCheckpoint {
            checkpoint,
            note: note.into(),
        })
    }
}

/// Where [`Halt`] found a checkpoint: the store.
pub(crate) const DATABASE: &str = "the database";

/// Why the log refused to start signing.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Halt {
    /// The lock or the store says the log signed more than the store holds.
    #[error(
        "the log signed a checkpoint of size {signed} ({source_name}), but the store holds only \
         {held} entries: the data was restored from an older copy or lost its last writes; \
         restore the newest data (or point the service at it) before the log may sign again"
    )]
    Rollback {
        /// The signed size.
        signed: u64,
        /// The size held.
        held: u64,
        /// Where the signed checkpoint was found.
        source_name: &'static str,
    },
    /// The stored leaves lead to another root than the log signed.
    #[error(
        "the stored entries give another root at size {size} than the checkpoint the log signed \
         ({source_name}): the data was altered; signing now would fork the log"
    )]
    Mismatch {
        /// The size.
        size: u64,
        /// Where the signed checkpoint was found.
        source_name: &'static str,
    },
    /// A stored checkpoint is not one the log's key signed.
    #[error("the stored checkpoint of size {size} was not signed by this log's key")]
    Unsigned {
        /// Its size.
        size: u64,
    },
    /// The lock file cannot be used.
    #[error(transparent)]
    Lock(#[from] LogFileError),
}

/// Checks the stored leaves against every record of what the log signed, then signs the
/// checkpoint of the current size if none is stored. `Err` carries why the log must not sign.
pub(crate) async fn start(
    keys: &LogKeys,
    store: &dyn Store,
    tree: &Tree,
    now: Timestamp,
) -> Result<Result<SignedCheckpoint, Halt>, StoreError> {
    let held = tree.size();
    // What the lock file remembers, then what the database remembers.
    let lock = match keys.lock.read(&keys.verifier) {
        Ok(lock) => lock,
        Err(e) => return Ok(Err(e.into())),
    };
    if let Some(lock) = &lock
        && let Err(halt) = compare(tree, lock.size, &lock.root, "the checkpoint lock")
    {
        return Ok(Err(halt));
    }
    let stored = store.latest_checkpoint().await?;
    let stored = match stored {
        Some(stored) => {
            let Ok(checkpoint) =
                Checkpoint::open(stored.note.as_bytes(), &keys.verifier, keys.origin())
            else {
                return Ok(Err(Halt::Unsigned { size: stored.size }));
            };
            if checkpoint.size != stored.size || checkpoint.root != stored.root {
                return Ok(Err(Halt::Unsigned { size: stored.size }));
            }
            if let Err(halt) = compare(tree, stored.size, &stored.root, DATABASE) {
                return Ok(Err(halt));
            }
            Some(SignedCheckpoint {
                checkpoint,
                note: stored.note.into(),
            })
        }
        None => None,
    };
    if lock.is_none()
        && let Some(stored) = &stored
    {
        tracing::warn!(
            lock = %keys.lock.path().display(),
            log.size = stored.checkpoint.size,
            "the checkpoint lock is missing though the log has signed checkpoints: trusting the \
             database and writing a new lock; if the data was restored from a backup as well, \
             stop now and check it against the checkpoints the log handed out"
        );
    }
    let current = match stored {
        Some(stored) if stored.checkpoint.size == held => stored,
        _ => {
            let root = tree.root();
            let signed = keys.sign(held, root).map_err(|e| {
                StoreError::Unavailable(format!("cannot sign the start checkpoint: {e}"))
            })?;
            store
                .add_checkpoint(NewCheckpoint {
                    size: held,
                    root: &root,
                    note: &signed.note,
                    signed_at: now,
                })
                .await?;
            signed
        }
    };
    if lock.as_ref().is_none_or(|l| l.size < held)
        && let Err(e) = keys.lock.write(&current.note)
    {
        return Ok(Err(e.into()));
    }
    Ok(Ok(current))
}

fn compare(tree: &Tree, size: u64, root: &[u8; 32], source_name: &'static str) -> Result<(), Halt> {
    match tree.root_at(size) {
        None => Err(Halt::Rollback {
            signed: size,
            held: tree.size(),
            source_name,
        }),
        Some(ours) if ours != *root => Err(Halt::Mismatch { size, source_name }),
        Some(_) => Ok(()),
    }
}

/// Encodes hashes as standard base64 strings.
pub(crate) fn b64_hashes(hashes: &[[u8; 32]]) -> Vec<String> {
    hashes.iter().map(|h| STANDARD.encode(h)).collect()
}

/// `GET /v1/log/checkpoint`: the latest signed checkpoint.
pub(super) async fn checkpoint(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let note = state.live.read().map_err(poisoned)?.signed()?.note.clone();
    Ok(HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(note.to_string()))
}

/// `GET /v1/log/key`: the note verifier key of the log.
pub(super) async fn key(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body(format!("{}\n", state.log.vkey))
}

/// `GET /v1/log/entries/{index}`: a leaf's data, exactly the bytes hashed into the tree.
pub(super) async fn entry(
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let index = number("index", &path)?;
    let accepted_at = {
        let live = state.live.read().map_err(poisoned)?;
        let registry = live.checker.registry();
        let entry = registry.entry(index).ok_or_else(|| {
            ApiError::NotFound(format!(
                "no log entry {index}: the log has {} entries",
                registry.len()
            ))
        })?;
        entry.accepted_at
    };
    let envelope = state
        .store
        .envelopes(&[index])
        .await?
        .pop()
        .ok_or_else(|| ApiError::Internal(format!("entry {index} missing")))?;
    Ok(HttpResponse::Ok()
        .content_type("application/octet-stream")
        .insert_header(("bonafide-accepted-at", accepted_at.to_string()))
        // A leaf never changes.
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .body(envelope))
}

/// Parameters as text, so that a negative or non-numeric value gets our message.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct InclusionQuery {
    index: Option<String>,
    size: Option<String>,
}

/// Parameters as text, so that a negative or non-numeric value gets our message.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ConsistencyQuery {
    from: Option<String>,
    to: Option<String>,
}

/// A required non-negative decimal parameter.
fn number(name: &str, value: &str) -> Result<u64, ApiError> {
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiError::bad_request(
            Code::INVALID_QUERY,
            format!("{name} must be a non-negative whole number, not {value:?}"),
        ));
    }
    value.parse().map_err(|_| {
        ApiError::bad_request(
            Code::INVALID_QUERY,
            format!("{name} {value:?} is too large"),
        )
    })
}

fn required(name: &str, value: Option<&str>) -> Result<u64, ApiError> {
    let value = value.ok_or_else(|| {
        ApiError::bad_request(
            Code::INVALID_QUERY,
            format!("the parameter {name} is required"),
        )
    })?;
    number(name, value)
}

/// `GET /v1/log/proof/inclusion?index=I&size=N`.
pub(super) async fn inclusion(
    query: web::Query<InclusionQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let index = required("index", query.index.as_deref())?;
    let size = required("size", query.size.as_deref())?;
    let live = state.live.read().map_err(poisoned)?;
    let signed = live.signed()?.checkpoint.size;
    if size == 0 || size > signed {
        return Err(ApiError::bad_request(
            Code::INVALID_QUERY,
            format!("size must be between 1 and the latest checkpoint's size, {signed}"),
        ));
    }
    if index >= size {
        return Err(ApiError::bad_request(
            Code::INVALID_QUERY,
            format!("index must be below size ({size})"),
        ));
    }
    let hashes = live
        .checker
        .registry()
        .tree()
        .inclusion_proof(index, size)
        .map_err(|e| ApiError::bad_request(Code::INVALID_QUERY, e.to_string()))?;
    Ok(HttpResponse::Ok().json(InclusionProof {
        index,
        size,
        hashes: b64_hashes(&hashes),
    }))
}

/// `GET /v1/log/proof/consistency?from=M&to=N`.
pub(super) async fn consistency(
    query: web::Query<ConsistencyQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let from = required("from", query.from.as_deref())?;
    let to = required("to", query.to.as_deref())?;
    let live = state.live.read().map_err(poisoned)?;
    let signed = live.signed()?.checkpoint.size;
    if to > signed {
        return Err(ApiError::bad_request(
            Code::INVALID_QUERY,
            format!("to must not exceed the latest checkpoint's size, {signed}"),
        ));
    }
    if from == 0 || from > to {
        return Err(ApiError::bad_request(
            Code::INVALID_QUERY,
            format!("from must be between 1 and to ({to})"),
        ));
    }
    let hashes = live
        .checker
        .registry()
        .tree()
        .consistency_proof(from, to)
        .map_err(|e| ApiError::bad_request(Code::INVALID_QUERY, e.to_string()))?;
    Ok(HttpResponse::Ok().json(ConsistencyProof {
        from,
        to,
        hashes: b64_hashes(&hashes),
    }))
}
