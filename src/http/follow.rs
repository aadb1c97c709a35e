//! Following the shared log: several replicas append to one store, and each keeps its in-memory
//! register up to date with what the others appended.
//!
//! A replica catches up when the store announces an append (PostgreSQL's LISTEN/NOTIFY), every
//! poll interval whatever it heard (notifications can be lost with a connection), and before it
//! retries an append another replica beat it to. Catching up reads the latest signed checkpoint,
//! checks it was signed by the log's key, reads the entries up to its size, and applies them only
//! if they lead to its root: the register and the checkpoint it serves change together, under one
//! lock, so a check never runs against a register its checkpoint does not sign.
//!
//! Every successful round trip to the store counts as contact. A replica that has had none for
//! longer than its staleness bound stops answering checks (503 `stale`): its register may be
//! missing statements accepted elsewhere, such as a new warning.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::log::SignedCheckpoint;
use super::{ApiError, AppState, halt, poisoned};
use crate::log::{Checkpoint, leaf_hash};

/// How a replica follows the shared log.
#[derive(Debug, Clone, Copy)]
pub struct FollowSettings {
    /// How often the store is read for appends by others, whatever notifications say.
    pub poll_interval: Duration,
    /// How long the replica keeps answering checks from its last known state after it lost the
    /// store.
    pub stale_after: Duration,
}

impl Default for FollowSettings {
    fn default() -> Self {
        Self {
            poll_interval: Duration::from_millis(500),
            stale_after: Duration::from_secs(30),
        }
    }
}

/// When the store last answered.
#[derive(Debug)]
pub(crate) struct Contact {
    started: Instant,
    /// Milliseconds from `started` to the last answer.
    last: AtomicU64,
    stale_after: Duration,
}

impl Contact {
    pub(crate) fn new(stale_after: Duration) -> Self {
        Self {
            started: Instant::now(),
            last: AtomicU64::new(0),
            stale_after,
        }
    }

    /// Records that the store answered just now.
    pub(crate) fn touch(&self) {
        let now = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last.fetch_max(now, Ordering::Relaxed);
    }

    /// How long since the store last answered.
    pub(crate) fn since(&self) -> Duration {
        let last = Duration::from_millis(self.last.load(Ordering::Relaxed));
        self.started.elapsed().saturating_sub(last)
    }

    /// `Ok` while the register may be trusted to be current: the store answered within the
    /// staleness bound.
    pub(crate) fn fresh(&self) -> Result<(), ApiError> {
        let since = self.since();
        if since > self.stale_after {
            return Err(ApiError::Stale(format!(
                "this replica has not reached the log's database for {} s (the bound is {} s), \
                 so its register may miss statements accepted since; try again later",
                since.as_secs(),
                self.stale_after.as_secs()
            )));
        }
        Ok(())
    }

    /// What is left of the staleness bound.
    pub(crate) fn remaining(&self) -> Duration {
        self.stale_after.saturating_sub(self.since())
    }
}

/// Brings the register and its checkpoint up to the latest checkpoint in the store. The caller
/// holds the append lock. Returns how many entries were applied.
pub(crate) async fn catch_up(state: &AppState) -> Result<u64, ApiError> {
    let (held, mut range) = {
        let live = state.live.read().map_err(poisoned)?;
        // A halted log stays halted: nothing it reads now can be trusted more than at start.
        live.signed()?;
        let tree = live.checker.registry().tree();
        (tree.size(), tree.compact_range())
    };
    let latest = state.store.latest_checkpoint().await?;
    let Some(latest) = latest else {
        if held > 0 {
            return Err(halt(
                state,
                format!(
                    "the store holds no checkpoint, but this replica serves {held} entries: the \
                     database was emptied or replaced"
                ),
            ));
        }
        state.contact.touch();
        return Ok(0);
    };
    if latest.size < held {
        return Err(halt(
            state,
            format!(
                "the store's latest checkpoint is of size {}, smaller than the {held} entries this \
                 replica serves: the database was rolled back",
                latest.size
            ),
        ));
    }
    if latest.size == held {
        if latest.root != range.root() {
            return Err(halt(
                state,
                format!(
                    "the store's checkpoint of size {held} has another root than this replica's \
                     register: the database was altered"
                ),
            ));
        }
        // Up to date: only now does the store's answer count as contact.
        state.contact.touch();
        return Ok(0);
    }
    let Ok(checkpoint) = Checkpoint::open(
        latest.note.as_bytes(),
        &state.log.verifier,
        state.log.origin(),
    ) else {
        return Err(halt(
            state,
            format!(
                "the stored checkpoint of size {} was not signed by this log's key",
                latest.size
            ),
        ));
    };
    if checkpoint.size != latest.size || checkpoint.root != latest.root {
        return Err(halt(
            state,
            format!(
                "the stored checkpoint of size {} does not say what its row says",
                latest.size
            ),
        ));
    }
    const BATCH: u64 = 10_000;
    let mut entries = Vec::new();
    while range.size() < latest.size {
        let want = u32::try_from((latest.size - range.size()).min(BATCH)).unwrap_or(u32::MAX);
        let batch = state.store.entries(range.size(), want).await?;
        if batch.is_empty() {
            return Err(halt(
                state,
                format!(
                    "the store signs size {} but holds entries only up to {}",
                    latest.size,
                    range.size()
                ),
            ));
        }
        for entry in batch {
            if entry.index != range.size() {
                return Err(halt(
                    state,
                    format!(
                        "the store skips from log index {} to {}",
                        range.size(),
                        entry.index
                    ),
                ));
            }
            range.push(leaf_hash(&entry.envelope));
            entries.push(entry);
        }
    }
    if range.size() != latest.size || range.root() != checkpoint.root {
        return Err(halt(
            state,
            format!(
                "the stored entries do not lead to the root the log signed at size {}",
                latest.size
            ),
        ));
    }
    let applied = entries.len() as u64;
    // The lock remembers the newest checkpoint this replica serves, so that a restart on a
    // rolled-back database is refused; it is written before the checkpoint is shown.
    let lock = state.log.lock.clone();
    let note = latest.note.clone();
    match tokio::task::spawn_blocking(move || lock.write(&note)).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => {
            return Err(halt(
                state,
                format!("cannot record the new checkpoint in the checkpoint lock: {e}"),
            ));
        }
        Err(e) => {
            return Err(halt(
                state,
                format!("writing the checkpoint lock failed: {e}"),
            ));
        }
    }
    {
        let mut live = state.live.write().map_err(poisoned)?;
        if live.checker.registry().len() != held {
            // Cannot happen while the caller holds the append lock; refuse rather than guess.
            drop(live);
            return Err(halt(state, "the register changed during a catch-up".into()));
        }
        for entry in &entries {
            if let Err(cause) = live.checker.replay(&entry.envelope, entry.accepted_at) {
                drop(live);
                return Err(halt(
                    state,
                    format!(
                        "log entry {} appended by another replica cannot be replayed here: \
                         {cause}; are the replicas configured alike (operator keys)?",
                        entry.index
                    ),
                ));
            }
        }
        if live.checker.registry().tree().root() != checkpoint.root {
            drop(live);
            return Err(halt(
                state,
                "the register's tree does not have the root of the checkpoint it caught up to"
                    .into(),
            ));
        }
        live.checkpoint = Ok(SignedCheckpoint {
            checkpoint,
            note: latest.note.as_str().into(),
        });
    }
    state.contact.touch();
    Ok(applied)
}

/// The register's size now (0 if its lock is poisoned, which makes the caller read the store).
fn registered(state: &AppState) -> u64 {
    state
        .live
        .read()
        .map_or(0, |live| live.checker.registry().len())
}

/// Follows the store for as long as the runtime runs: on every notification and every poll
/// interval, catches up under the append lock.
pub(crate) fn spawn(state: Arc<AppState>, poll_interval: Duration) {
    // Supervised: should following ever panic, it is logged and started again, and meanwhile the
    // staleness bound protects the answers.
    tokio::spawn(async move {
        loop {
            let follower = tokio::spawn(follow(Arc::clone(&state), poll_interval));
            match follower.await {
                Ok(()) => return,
                Err(e) => {
                    tracing::error!(error = %e, "the log follower stopped; starting it again");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
    });
}

/// The follower's loop.
async fn follow(state: Arc<AppState>, poll_interval: Duration) {
    let mut listener = None;
    // SQLite has no notifications; PostgreSQL's are retried after a lost connection.
    let mut can_listen = true;
    let mut retry_listen = Instant::now();
    // A notification set aside while this replica was appending: read the store soon, not at
    // the next poll.
    let mut deferred = false;
    loop {
        let wait = if deferred {
            Duration::from_millis(20)
        } else {
            poll_interval
        };
        // Appends made before a LISTEN began were announced to nobody: read the store at once
        // after (re)connecting instead of waiting for the next notification or poll.
        let mut missed = false;
        if listener.is_none() && can_listen && Instant::now() >= retry_listen {
            match state.store.listen().await {
                Ok(Some(l)) => {
                    tracing::info!("listening for appends by other replicas");
                    listener = Some(l);
                    missed = true;
                }
                Ok(None) => can_listen = false,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot listen for appends; polling");
                    retry_listen = Instant::now() + Duration::from_secs(5);
                }
            }
        }
        let heard = match listener.as_mut() {
            _ if missed => None,
            Some(l) => {
                tokio::select! {
                    heard = l.next() => Some(heard),
                    () = tokio::time::sleep(wait) => None,
                }
            }
            None => {
                tokio::time::sleep(wait).await;
                None
            }
        };
        let notified = matches!(heard, Some(Ok(_)));
        match heard {
            Some(Err(e)) => {
                tracing::warn!(error = %e, "lost the LISTEN connection; polling until it is back");
                listener = None;
                retry_listen = Instant::now() + Duration::from_secs(1);
            }
            // This replica's own append, or one it already has: nothing to read.
            Some(Ok(size)) if size <= registered(&state) => continue,
            _ => {}
        }
        let _append = if notified {
            // An append this replica is making catches up under the writer lock anyway; reading
            // the store again beside it would only slow every writer down. What that append
            // does not cover is read 20 ms later.
            match state.append.try_lock() {
                Ok(guard) => guard,
                Err(_) => {
                    deferred = true;
                    continue;
                }
            }
        } else {
            state.append.lock().await
        };
        deferred = false;
        match catch_up(&state).await {
            Ok(0) => {}
            Ok(applied) => {
                tracing::info!(applied, "caught up with entries appended by other replicas");
            }
            Err(ApiError::LogHalted(_)) => {}
            Err(e) => tracing::warn!(error = %e, "cannot read the log's store"),
        }
    }
}
