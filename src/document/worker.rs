//! Reading a document in a process of its own.
//!
//! The service never parses an uploaded document in its own process: a parser bug, a stack
//! overflow or a memory blow-up would take every request down with it. [`Worker::extract`] starts
//! the `bonafide` executable as `bonafide document-worker` in a fresh temporary directory (its
//! only place to write, removed afterwards) with an empty environment, hands it the bytes on
//! standard input, and waits at most the deadline. The worker limits its own address space, CPU
//! time, file size and core dumps before reading anything ([`run_child`]), extracts, and writes
//! its answer as JSON to `result.json` in that directory (standard output is left to whatever a
//! parser might print). At most `parallel` workers run at once; other uploads wait their turn,
//! while contact checks, which need no worker, go on.

use std::io::{Read as _, Write as _};
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use tokio::io::AsyncWriteExt as _;

use super::{DocumentError, Extracted, Kind, Limits};

/// The subcommand the worker runs as.
pub const SUBCOMMAND: &str = "document-worker";

/// The file the worker writes its answer to, in its directory.
const RESULT_FILE: &str = "result.json";

/// Where the worker's standard error goes, in its directory.
const STDERR_FILE: &str = "stderr.txt";

/// How the service runs workers.
#[derive(Debug, Clone)]
pub struct WorkerSettings {
    /// The `bonafide` executable.
    pub exe: PathBuf,
    /// What a document may make the reader do.
    pub limits: Limits,
    /// The longest a worker may take, wall clock.
    pub deadline: Duration,
    /// The worker's address-space limit, in bytes.
    pub memory_bytes: u64,
    /// Workers at once.
    pub parallel: usize,
    /// Uploads admitted at once, read or waiting for a worker (each holds up to
    /// `limits.max_bytes` in memory): the bound on the memory uploads take.
    pub admitted: usize,
}

impl WorkerSettings {
    /// Defaults for `exe`: 10 MiB documents, 10 s, 1 GiB of address space, two at once.
    pub fn new(exe: PathBuf) -> Self {
        Self {
            exe,
            limits: Limits::default(),
            deadline: Duration::from_secs(10),
            memory_bytes: 1024 * 1024 * 1024,
            parallel: 2,
            admitted: 4,
        }
    }
}

/// Runs document workers.
#[derive(Debug)]
pub struct Worker {
    settings: WorkerSettings,
    slots: tokio::sync::Semaphore,
    admission: tokio::sync::Semaphore,
}

/// The worker could not be run (a fault or the load of the service, not of the document).
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    /// Every worker stayed busy for the whole deadline.
    #[error("every document reader is busy; try again shortly")]
    Busy,
    /// The worker could not be started or answered nonsense.
    #[error("cannot run the document worker: {0}")]
    Failed(String),
}

impl Worker {
    /// Workers with these settings.
    pub fn new(settings: WorkerSettings) -> Self {
        Self {
            slots: tokio::sync::Semaphore::new(settings.parallel.max(1)),
            admission: tokio::sync::Semaphore::new(settings.admitted.max(settings.parallel).max(1)),
            settings,
        }
    }

    /// Admits one upload: wait (up to the reading deadline) until fewer than `admitted` uploads
    /// are being received or read, then hold the permit while the body is received and read.
    /// Taken before a byte of the body is read, so that however many clients upload at once,
    /// at most `admitted` bodies are in memory; the others wait in their sockets, then are
    /// turned away with [`WorkerError::Busy`].
    pub async fn admit(&self) -> Result<tokio::sync::SemaphorePermit<'_>, WorkerError> {
        match tokio::time::timeout(self.settings.deadline, self.admission.acquire()).await {
            Ok(permit) => permit.map_err(|e| WorkerError::Failed(e.to_string())),
            Err(_) => Err(WorkerError::Busy),
        }
    }

    /// The limits documents are read with.
    pub fn limits(&self) -> &Limits {
        &self.settings.limits
    }

    /// Extracts the text of `bytes` in a worker process. The outer error is the service's fault;
    /// the inner one says what is wrong with the document.
    pub async fn extract(
        &self,
        bytes: &[u8],
    ) -> Result<Result<Extracted, DocumentError>, WorkerError> {
        let fail = |e: &dyn std::fmt::Display| WorkerError::Failed(e.to_string());
        // The type is decided here, from magic bytes alone: what no reader reads needs no worker.
        let kind = match super::sniff(bytes) {
            Ok(kind) => kind,
            Err(e) => return Ok(Err(e)),
        };
        if bytes.len() > self.settings.limits.max_bytes {
            return Ok(Err(DocumentError::TooLarge(self.settings.limits.max_bytes)));
        }
        // Waiting counts against the deadline: when every worker stays busy that long, the
        // upload is turned away rather than queued without end (each waiting upload holds its
        // bytes).
        let _slot = match tokio::time::timeout(self.settings.deadline, self.slots.acquire()).await {
            Ok(slot) => slot.map_err(|e| fail(&e))?,
            Err(_) => return Err(WorkerError::Busy),
        };
        let dir = tempfile::Builder::new()
            .prefix("bonafide-document-")
            .tempdir()
            .map_err(|e| fail(&e))?;
        let limits = serde_json::to_string(&self.settings.limits).map_err(|e| fail(&e))?;
        let cpu = self.settings.deadline.as_secs().max(1) + 1;
        // What a failing worker says goes to the service's log, never to the client.
        let stderr = std::fs::File::create(dir.path().join(STDERR_FILE)).map_err(|e| fail(&e))?;
        let mut child = tokio::process::Command::new(&self.settings.exe)
            .arg(SUBCOMMAND)
            .arg("--limits")
            .arg(limits)
            .arg("--memory")
            .arg(self.settings.memory_bytes.to_string())
            .arg("--cpu-seconds")
            .arg(cpu.to_string())
            .current_dir(dir.path())
            .env_clear()
            // mimalloc reserves address space a GiB at a time, which alone would fill the
            // worker's address-space limit; reserve in small steps instead (KiB).
            .env("MIMALLOC_ARENA_RESERVE", "16384")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(stderr)
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| fail(&e))?;
        let mut stdin = child
            .stdin
            .take()
            .ok_or_else(|| WorkerError::Failed("no stdin".into()))?;
        let input = bytes.to_vec();
        // Feed the input while waiting, so that a worker that stops reading cannot block us.
        let feed = tokio::spawn(async move {
            let _ = stdin.write_all(&input).await;
            let _ = stdin.shutdown().await;
        });
        let deadline = self.settings.deadline;
        let status = match tokio::time::timeout(deadline, child.wait()).await {
            Ok(status) => status.map_err(|e| fail(&e))?,
            Err(_) => {
                let _ = child.kill().await;
                feed.abort();
                return Ok(Err(DocumentError::Timeout(deadline.as_secs())));
            }
        };
        feed.abort();
        let result = std::fs::read(dir.path().join(RESULT_FILE));
        if status.success()
            && let Ok(bytes) = result
        {
            return serde_json::from_slice(&bytes).map_err(|e| {
                WorkerError::Failed(format!("the worker's answer does not parse: {e}"))
            });
        }
        let mut said = String::new();
        if let Ok(file) = std::fs::File::open(dir.path().join(STDERR_FILE)) {
            let _ = file.take(4096).read_to_string(&mut said);
        }
        tracing::warn!(%status, stderr = %said.trim(), "a document worker failed");
        Ok(Err(failed(status, kind)))
    }
}

/// What a worker that did not answer means for the document.
fn failed(status: std::process::ExitStatus, kind: Kind) -> DocumentError {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt as _;
        match status.signal() {
            // SIGXCPU or SIGKILL: the CPU limit; SIGXFSZ: the file-size limit.
            Some(24 | 9 | 25) => {
                return DocumentError::OverLimit(
                    kind,
                    "reading it used more CPU time or output than allowed".into(),
                );
            }
            // SIGABRT or SIGSEGV: an allocation refused under the memory limit, or a stack
            // overflow on deep nesting.
            Some(6 | 11) => {
                return DocumentError::OverLimit(
                    kind,
                    "reading it used more memory or nesting than allowed".into(),
                );
            }
            _ => {}
        }
    }
    DocumentError::Damaged(
        kind,
        format!("the reader failed on it ({status}): it is damaged or hostile"),
    )
}

/// The worker's side, run by `bonafide document-worker`: limits itself, reads standard input,
/// extracts, writes `result.json` in the current directory. Returns an error only when it
/// cannot do that.
pub fn run_child(limits: &Limits, memory_bytes: u64, cpu_seconds: u64) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use rlimit::{Resource, setrlimit};
        setrlimit(Resource::AS, memory_bytes, memory_bytes)?;
        setrlimit(Resource::CPU, cpu_seconds, cpu_seconds.saturating_add(1))?;
        setrlimit(Resource::CORE, 0, 0)?;
        // It writes one JSON file, bounded by the text limit.
        setrlimit(Resource::FSIZE, 64 * 1024 * 1024, 64 * 1024 * 1024)?;
    }
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(limits.max_bytes as u64 + 1)
        .read_to_end(&mut bytes)?;
    let answer = super::extract(&bytes, limits);
    let json = serde_json::to_vec(&answer).map_err(std::io::Error::other)?;
    let mut file = std::fs::File::create(RESULT_FILE)?;
    file.write_all(&json)?;
    file.sync_all()
}
