//! The HTTP service (actix-web): the statement API, the public register and checks (contacts,
//! agreements and messages).
//!
//! [`Application::build`] opens the store, replays the log into the in-memory register, binds the
//! listener and returns a value that tests and `bonafide serve` run alike.

mod agreement;
mod error;
mod follow;
mod limits;
mod log;
mod message;
mod ops;
mod routes;
mod widget;

use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use actix_web::dev::Server;
use actix_web::http::header;
use actix_web::{App, HttpServer, web};

pub use self::error::{ApiError, Code};
pub use self::follow::FollowSettings;
pub use self::limits::{
    DEFAULT_CHECKS_BURST, DEFAULT_CHECKS_PER_MINUTE, DEFAULT_UPLOADS_BURST,
    DEFAULT_UPLOADS_PER_MINUTE, Rate, RateLimits,
};

use self::log::{LogKeys, SignedCheckpoint};
use crate::check::Checker;
use crate::crypto::VerifyingKey;
use crate::document::worker::{Worker, WorkerSettings};
use crate::domain::{PublicJwk, Timestamp};
use crate::keyring::{self, Keyring, KeyringError};
use crate::logfiles::{self, CheckpointLock, LogFileError};
use crate::registry::{AdmitError, Registry};
use crate::store::{self as stores, Store, StoreError};

/// The largest request body accepted, in bytes. A statement is a few KiB; 64 KiB leaves room for
/// long notices in several languages and sixteen signatures.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The source of the current time, so that tests can decide it.
pub trait Clock: Send + Sync + 'static {
    /// Now.
    fn now(&self) -> Timestamp;
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::from_datetime(time::OffsetDateTime::now_utc())
    }
}

/// What the service needs to start.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Where to listen, such as `127.0.0.1:8080` (port 0 picks a free port).
    pub bind: String,
    /// The data directory: the SQLite database lives here (unless `database_url` names another
    /// store), and so do the default verdict key ring and log key.
    pub data_dir: PathBuf,
    /// The log's database: `postgres://user:password@host:port/database` (or `postgresql://`)
    /// for PostgreSQL, which several processes may share; `None` for SQLite in the data
    /// directory. Any other scheme refuses to start.
    pub database_url: Option<String>,
    /// The operator's public keys, which sign `org` statements.
    pub operator_keys: Vec<PublicJwk>,
    /// HTTP worker threads (0: one per core).
    pub workers: usize,
    /// The verdict key ring, which must exist; when not given, `verdict-keys` in the data
    /// directory, created with one key if missing.
    pub keyring: Option<PathBuf>,
    /// The service's public URL, the `iss` of its verdicts; `http://` and the bound address when
    /// not given.
    pub public_url: Option<String>,
    /// The log key, which must exist; when not given, `log-key` in the data directory, created
    /// on first start.
    pub log_key: Option<PathBuf>,
    /// The log's origin line. Fixed when the log key is made (default: the public URL's host and
    /// path, then `/log`); when given, it must be the log key's name.
    pub log_origin: Option<String>,
    /// The checkpoint lock file, kept outside the data directory; `<data-dir>.checkpoint` when
    /// not given.
    pub checkpoint_lock: Option<PathBuf>,
    /// How uploaded documents are read: the `bonafide` executable that runs as the worker (this
    /// process's own executable when not given), limits and deadline.
    pub documents: DocumentSettings,
    /// Serve the demo organisation's news page at `/` (`bonafide demo` only).
    pub news_page: bool,
    /// The listening socket's backlog: connections the kernel holds before they are accepted
    /// (a burst beyond it is reset).
    pub listen_backlog: u32,
    /// How this replica follows appends by others and how long it answers without its store.
    pub follow: FollowSettings,
    /// Per-client rate limits on checks and uploads.
    pub rate_limits: RateLimits,
    /// Where to serve `/metrics` (with `/healthz` and `/readyz`), apart from the public API,
    /// such as `127.0.0.1:9090`; `None` serves no metrics.
    pub metrics_bind: Option<String>,
    /// A CA certificate file (PEM) that the PostgreSQL server's certificate must chain to, for
    /// `sslmode=verify-ca` or `verify-full`; the URL's `sslrootcert` names one too.
    pub database_ca_file: Option<PathBuf>,
}

/// How uploaded agreements are read.
#[derive(Debug, Clone)]
pub struct DocumentSettings {
    /// The `bonafide` executable to run as the document worker; this process's executable when
    /// not given (tests, which run in another executable, give it).
    pub worker_exe: Option<PathBuf>,
    /// The largest document accepted, in bytes.
    pub max_bytes: usize,
    /// The longest a document may take to read.
    pub deadline: std::time::Duration,
    /// Documents read at once.
    pub parallel: usize,
    /// Uploads admitted at once (received, or waiting for a reader): with `max_bytes`, the
    /// bound on the memory uploads take.
    pub admitted: usize,
    /// The longest a request body may take to arrive (a slow or stalled body is cut off with
    /// 408).
    pub body_deadline: std::time::Duration,
}

impl Default for DocumentSettings {
    fn default() -> Self {
        Self {
            worker_exe: None,
            max_bytes: 10 * 1024 * 1024,
            deadline: std::time::Duration::from_secs(10),
            parallel: 2,
            admitted: 4,
            body_deadline: std::time::Duration::from_secs(30),
        }
    }
}

/// Why the service could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The store could not be opened.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// An operator key is not a usable Ed25519 key.
    #[error("operator key: {0}")]
    OperatorKey(String),
    /// A stored entry could not be replayed: the store is damaged or was edited.
    #[error("log entry {index} cannot be replayed: {cause}")]
    Replay {
        /// The entry's index.
        index: u64,
        /// Why.
        cause: AdmitError,
    },
    /// The verdict keys could not be loaded.
    #[error(transparent)]
    Keyring(#[from] KeyringError),
    /// The log key could not be loaded.
    #[error(transparent)]
    LogFile(#[from] LogFileError),
    /// The data directory could not be created.
    #[error("cannot create the data directory {path}: {cause}")]
    DataDir {
        /// The directory.
        path: PathBuf,
        /// Why.
        cause: std::io::Error,
    },
    /// This executable's path, run as the document worker, is unknown.
    #[error("cannot find this executable to run document workers: {0}")]
    WorkerExe(std::io::Error),
    /// The metrics could not be registered.
    #[error("cannot register the metrics: {0}")]
    Metrics(String),
    /// The listener could not be bound.
    #[error("cannot listen on {bind}: {cause}")]
    Bind {
        /// The address.
        bind: String,
        /// Why.
        cause: std::io::Error,
    },
}

/// What changes with every append, behind one lock so that a reader sees the register and the
/// checkpoint that signs it together.
pub(crate) struct Live {
    /// The register and the index of its identifiers.
    pub(crate) checker: Checker,
    /// The latest signed checkpoint, of the register's size; or why the log refuses to sign.
    pub(crate) checkpoint: Result<SignedCheckpoint, Arc<str>>,
}

impl Live {
    /// The latest signed checkpoint, or [`ApiError::LogHalted`].
    pub(crate) fn signed(&self) -> Result<&SignedCheckpoint, ApiError> {
        self.checkpoint
            .as_ref()
            .map_err(|why| ApiError::LogHalted(why.to_string()))
    }
}

/// Shared state of the handlers.
pub(crate) struct AppState {
    /// The register and its checkpoint.
    pub(crate) live: RwLock<Live>,
    /// The verdict keys.
    pub(crate) keys: Keyring,
    /// The `iss` of verdicts.
    pub(crate) issuer: String,
    /// The public URL, if one was configured.
    pub(crate) public_url: Option<String>,
    /// The log's key and checkpoint lock.
    pub(crate) log: LogKeys,
    /// Reads uploaded documents in worker processes.
    pub(crate) worker: Worker,
    pub(crate) store: Arc<dyn Store>,
    /// When the store last answered.
    pub(crate) contact: follow::Contact,
    /// Prometheus metrics.
    pub(crate) metrics: ops::Metrics,
    /// Serialises admit, store and register update, so that an admission stays valid until its
    /// statement is in the register.
    pub(crate) append: tokio::sync::Mutex<()>,
    pub(crate) clock: Arc<dyn Clock>,
    /// The longest a request body may take to arrive.
    pub(crate) body_deadline: std::time::Duration,
    /// Per-client rate limits.
    pub(crate) limits: limits::Limiters,
}

/// Stops the log from signing, for `why`, and returns the error to answer with.
pub(crate) fn halt(state: &AppState, why: String) -> ApiError {
    tracing::error!(reason = %why, "the log REFUSES to append or sign from now on");
    if let Ok(mut live) = state.live.write() {
        live.checkpoint = Err(why.as_str().into());
    }
    ApiError::LogHalted(why)
}

fn poisoned<T>(_: T) -> ApiError {
    ApiError::Internal("register lock poisoned".into())
}

/// The default listen backlog.
pub const DEFAULT_BACKLOG: u32 = 1024;

/// A listening socket on `bind` (an address and port, or a host name and port) with `backlog`.
fn listen(bind: &str, backlog: u32) -> std::io::Result<TcpListener> {
    use std::net::ToSocketAddrs as _;
    let mut last = None;
    for addr in bind.to_socket_addrs()? {
        let socket = socket2::Socket::new(
            socket2::Domain::for_address(addr),
            socket2::Type::STREAM,
            Some(socket2::Protocol::TCP),
        )?;
        // As std does, so that a restart can bind while old connections linger.
        socket.set_reuse_address(true)?;
        match socket.bind(&addr.into()) {
            Ok(()) => {
                socket.listen(i32::try_from(backlog.max(1)).unwrap_or(i32::MAX))?;
                return Ok(socket.into());
            }
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| {
        std::io::Error::new(std::io::ErrorKind::InvalidInput, "no address to listen on")
    }))
}

/// A built service: bound, with its register loaded, ready to run.
pub struct Application {
    port: u16,
    metrics_port: Option<u16>,
    server: Server,
}

impl Application {
    /// Opens the store (`settings.database_url`, or SQLite in `settings.data_dir`), replays the
    /// log, and binds the listener.
    pub async fn build(settings: Settings, clock: Arc<dyn Clock>) -> Result<Self, StartError> {
        let operator_keys = settings
            .operator_keys
            .iter()
            .map(|jwk| {
                VerifyingKey::from_jwk(jwk).map_err(|e| StartError::OperatorKey(e.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if operator_keys.is_empty() {
            tracing::warn!("no operator key configured: org statements will be refused");
        }
        std::fs::create_dir_all(&settings.data_dir).map_err(|cause| StartError::DataDir {
            path: settings.data_dir.clone(),
            cause,
        })?;
        let store = stores::open_store(
            settings.database_url.as_deref(),
            &settings.data_dir,
            settings.database_ca_file.as_deref(),
        )
        .await?;
        tracing::info!(
            store = %stores::describe(settings.database_url.as_deref(), &settings.data_dir),
            "store opened"
        );
        // A configured ring must exist; only the default one is created on first start.
        let keys = keyring::load(
            settings.keyring.as_deref(),
            &settings.data_dir,
            &mut rand::rng(),
        )?;
        tracing::info!(key.id = %keys.current().id(), "verdict key loaded");
        if let Some(next) = keys.next() {
            tracing::info!(key.id = %next.id(), "next verdict key published, not yet signing");
        }
        let mut checker =
            replay(store.as_ref(), Checker::new(Registry::new(operator_keys))).await?;
        // Other replicas may append while this one replays: replay on until the store's latest
        // checkpoint is no larger than the register, so that the never-fork check below compares
        // like with like.
        for _ in 0..100 {
            match store.latest_checkpoint().await? {
                Some(latest) if latest.size > checker.registry().len() => {
                    checker = replay(store.as_ref(), checker).await?;
                }
                _ => break,
            }
        }
        checker.shrink_to_fit();
        tracing::info!(log.size = checker.registry().len(), "register loaded");
        let listener =
            listen(&settings.bind, settings.listen_backlog).map_err(|cause| StartError::Bind {
                bind: settings.bind.clone(),
                cause,
            })?;
        let local = listener.local_addr().map_err(|cause| StartError::Bind {
            bind: settings.bind.clone(),
            cause,
        })?;
        let port = local.port();
        let issuer = settings
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{local}"))
            .trim_end_matches('/')
            .to_owned();
        let default_origin = format!(
            "{}/log",
            issuer
                .split_once("://")
                .map_or(issuer.as_str(), |(_, rest)| rest)
        );
        let signed = store.latest_checkpoint().await?.is_some();
        let signer = logfiles::load_log_key(
            settings.log_key.as_deref(),
            &settings.data_dir,
            settings.log_origin.as_deref(),
            &default_origin,
            signed,
            &mut rand::rng(),
        )?;
        let lock = CheckpointLock::new(
            settings
                .checkpoint_lock
                .clone()
                .unwrap_or_else(|| logfiles::default_lock_path(&settings.data_dir)),
        );
        let log = LogKeys::new(signer, lock);
        tracing::info!(log.origin = log.origin(), log.key = %log.vkey, "log key loaded");
        // Another replica may still append between the replay and the check: a stored checkpoint
        // larger than the register is then a reason to replay on, not a rollback, as long as the
        // store holds the entries to replay.
        let mut started =
            log::start(&log, store.as_ref(), checker.registry().tree(), clock.now()).await?;
        for _ in 0..100 {
            let behind = matches!(
                &started,
                Err(log::Halt::Rollback { source_name, .. }) if *source_name == log::DATABASE
            );
            let held = checker.registry().len();
            if !behind || store.entries(held, 1).await?.is_empty() {
                break;
            }
            checker = replay(store.as_ref(), checker).await?;
            started =
                log::start(&log, store.as_ref(), checker.registry().tree(), clock.now()).await?;
        }
        let checkpoint = match started {
            Ok(signed) => {
                tracing::info!(log.size = signed.checkpoint.size, "log checkpoint signed");
                Ok(signed)
            }
            Err(halt) => {
                tracing::error!(reason = %halt, "the log REFUSES to append or sign");
                Err(halt.to_string().into())
            }
        };
        let exe = match &settings.documents.worker_exe {
            Some(exe) => exe.clone(),
            None => std::env::current_exe().map_err(StartError::WorkerExe)?,
        };
        let mut worker = WorkerSettings::new(exe);
        worker.limits.max_bytes = settings.documents.max_bytes;
        worker.deadline = settings.documents.deadline;
        worker.parallel = settings.documents.parallel;
        worker.admitted = settings.documents.admitted;
        let state = web::Data::new(AppState {
            live: RwLock::new(Live {
                checker,
                checkpoint,
            }),
            keys,
            issuer,
            public_url: settings
                .public_url
                .as_deref()
                .map(|u| u.trim_end_matches('/').to_owned()),
            log,
            worker: Worker::new(worker),
            store,
            contact: follow::Contact::new(settings.follow.stale_after),
            metrics: ops::Metrics::new().map_err(|e| StartError::Metrics(e.to_string()))?,
            append: tokio::sync::Mutex::new(()),
            clock,
            body_deadline: settings.documents.body_deadline,
            limits: limits::Limiters::new(&settings.rate_limits),
        });
        state.contact.touch();
        follow::spawn(state.clone().into_inner(), settings.follow.poll_interval);
        limits::spawn_forgetting(state.clone().into_inner());
        let metrics =
            match &settings.metrics_bind {
                None => None,
                Some(bind) => Some(ops::serve_metrics(bind, state.clone()).map_err(|cause| {
                    StartError::Bind {
                        bind: bind.clone(),
                        cause,
                    }
                })?),
            };
        let news_page = settings.news_page;
        let mut server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .configure(|cfg| routes::configure(cfg, news_page))
                .wrap(actix_web::middleware::from_fn(ops::observe))
                // Every answer is the type it says (JSON, the widget's script, the news page).
                .wrap(
                    actix_web::middleware::DefaultHeaders::new()
                        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff")),
                )
        })
        .listen(listener)
        .map_err(|cause| StartError::Bind {
            bind: settings.bind.clone(),
            cause,
        })?;
        if settings.workers > 0 {
            server = server.workers(settings.workers);
        }
        Ok(Self {
            port,
            metrics_port: metrics.map(|(port, server)| {
                // It stops with the public server: both answer the same signals.
                tokio::spawn(server);
                port
            }),
            server: server.run(),
        })
    }

    /// The port the service listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The port `/metrics` is served on, if it is.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics_port
    }

    /// Serves until the process is asked to stop (SIGINT or SIGTERM), finishing requests in flight.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// Rebuilds the register from every stored entry, in order.
async fn replay(store: &dyn Store, mut registry: Checker) -> Result<Checker, StartError> {
    const BATCH: u32 = 10_000;
    loop {
        let batch = store.entries(registry.registry().len(), BATCH).await?;
        if batch.is_empty() {
            return Ok(registry);
        }
        for entry in batch {
            if entry.index != registry.registry().len() {
                return Err(StartError::Store(StoreError::Corrupt(format!(
                    "expected log index {}, found {}",
                    registry.registry().len(),
                    entry.index
                ))));
            }
            registry
                .replay(&entry.envelope, entry.accepted_at)
                .map_err(|cause| StartError::Replay {
                    index: entry.index,
                    cause,
                })?;
        }
    }
}
