//! The `bonafide` command: the service, the staff workflow and read commands.
//!
//! Staff sign locally: `statement new` writes a draft JWS, each signer runs `statement sign` on
//! it in turn, and `statement submit` sends it. Private keys never leave the staff machine.
//! Investors run `check contact`, `check agreement` or `check message` for a signed verdict and
//! `verify` to check one offline; operators rotate the service's verdict keys with `keys rotate`
//! then `keys promote`. Anyone watches the transparency log with `log verify`, and checks a
//! statement's receipt with `verify`.

mod check;
mod client;
mod demo;
mod draft;
mod keyfiles;
mod monitor;
mod receipt;
mod verdict_keys;

pub mod health;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use clap::{Args, Parser, Subcommand};

use crate::domain::OrgSlug;
use crate::http::{Application, Settings, SystemClock};

pub use self::draft::NewStatement;

/// The server the client commands talk to, when neither `--server` nor `BONAFIDE_SERVER` says.
pub const DEFAULT_SERVER: &str = "http://127.0.0.1:8080";

/// bonafide: signed anti-fraud statements and checks against them.
#[derive(Debug, Parser)]
#[command(name = "bonafide", version, about, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the demo: the IUCG organisation registered through the real trust chain, on
    /// http://127.0.0.1:8080.
    Demo(DemoArgs),
    /// Run the service.
    Serve(ServeArgs),
    /// Generate Ed25519 key pairs: NAME.key (private, mode 0600) and NAME.pub.jwk (public).
    Keygen(KeygenArgs),
    /// Draft, sign, inspect, submit and list statements.
    #[command(subcommand)]
    Statement(Box<StatementCommand>),
    /// Read organisations.
    #[command(subcommand)]
    Orgs(OrgsCommand),
    /// Wait until the server answers `/readyz`.
    Ping(PingArgs),
    /// GET the service's `/readyz` (or `--url`) once: exit 0 on a 2xx answer, 1 otherwise (for
    /// container health checks).
    Health(health::HealthArgs),
    /// Check a contact, an agreement or a message against an organisation's register and get a
    /// signed verdict.
    #[command(subcommand)]
    Check(CheckCommand),
    /// Verify a saved verdict offline with the service's published keys (JWKS), or a statement's
    /// receipt with the log's key.
    Verify(VerifyArgs),
    /// The service's verdict keys: rotate, promote, list.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Watch the transparency log.
    #[command(subcommand)]
    Log(LogCommand),
    /// Internal: read one document from standard input in a limited process (the service starts
    /// it for each uploaded agreement).
    #[command(name = "document-worker", hide = true)]
    DocumentWorker(DocumentWorkerArgs),
}

/// `bonafide document-worker` (internal).
#[derive(Debug, Args)]
pub struct DocumentWorkerArgs {
    /// The limits, as JSON.
    #[arg(long)]
    pub limits: String,
    /// The address-space limit, in bytes.
    #[arg(long)]
    pub memory: u64,
    /// The CPU time limit, in seconds.
    #[arg(long)]
    pub cpu_seconds: u64,
}

/// `bonafide log ...`.
#[derive(Debug, Subcommand)]
pub enum LogCommand {
    /// Monitor the log: verify its checkpoint's signature and its consistency with the last
    /// checkpoint seen (kept in a state file), replay every entry as a signed statement, recompute
    /// the root and verify each new entry's inclusion proof. Exits with 3 on a fork, a rollback,
    /// a bad entry or a bad signature (leaving the state as it was), with 1 when it cannot check.
    Verify(LogVerifyArgs),
}

/// `bonafide log verify`.
#[derive(Debug, Args)]
pub struct LogVerifyArgs {
    /// The monitor's state: the log key and the last checkpoint verified (written atomically
    /// after each successful run).
    #[arg(long, default_value = "./bonafide-monitor.json")]
    pub state: PathBuf,
    /// The log's key (`<name>+<key id>+<key>`, as GET /v1/log/key serves it), or a file holding
    /// it. Without it, the first run trusts the key the server serves (with a warning); later
    /// runs use the key kept in the state, which a given key must equal.
    #[arg(long)]
    pub log_key: Option<String>,
    /// An operator public key file (`.pub.jwk`), as the service trusts to sign org statements;
    /// repeatable. Entries are replayed against them.
    #[arg(long = "operator-key", required = true)]
    pub operator_keys: Vec<PathBuf>,
    /// The log's server.
    #[command(flatten)]
    pub server: ServerArgs,
}

/// `bonafide demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Keep the demo's data (database and demo keys) in this directory instead of a throwaway one.
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// The demo's public URL, the issuer (`iss`) of its verdicts and the base of the URLs it
    /// prints (default: http:// and the bound address).
    #[arg(long)]
    pub public_url: Option<String>,
}

/// `bonafide serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The data directory (created if missing): the SQLite database lives here unless
    /// `--database-url` names another, the default verdict key ring and log key too, and operator
    /// public keys are read from its `operator-keys/` folder.
    #[arg(long, env = "BONAFIDE_DATA", default_value = "./bonafide-data")]
    pub data: PathBuf,
    /// The log's database: `postgres://user:password@host:port/database` (or `postgresql://`)
    /// for PostgreSQL, with `synchronous_commit=on`; default SQLite in the data directory.
    #[arg(long, env = "BONAFIDE_DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// Address to listen on.
    #[arg(long, env = "BONAFIDE_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// An operator public key file (`.pub.jwk`) trusted to sign org statements; repeatable.
    #[arg(
        long = "operator-key",
        env = "BONAFIDE_OPERATOR_KEYS",
        value_delimiter = ','
    )]
    pub operator_keys: Vec<PathBuf>,
    /// HTTP worker threads (default: one per core).
    #[arg(long, env = "BONAFIDE_WORKERS", default_value_t = 0)]
    pub workers: usize,
    /// The verdict key ring (mode 0600), which must exist (create one with `bonafide keys
    /// rotate --keyring PATH`); default `verdict-keys` in the data directory, created there with
    /// one key if missing.
    #[arg(long, env = "BONAFIDE_KEYRING")]
    pub keyring: Option<PathBuf>,
    /// The service's public URL, the issuer (`iss`) of its verdicts and, when the log is made,
    /// the default origin of its log (default: http:// and the bound address).
    #[arg(long, env = "BONAFIDE_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// The log's signing key (mode 0600), which must exist; default `log-key` in the data
    /// directory, created there on first start. Replicas share one.
    #[arg(long, env = "BONAFIDE_LOG_KEY")]
    pub log_key: Option<PathBuf>,
    /// The log's origin line, such as `bonafide.example.org/log`. It is fixed when the log key is
    /// made (default: the public URL's host and path, then `/log`); given later, it must match.
    #[arg(long, env = "BONAFIDE_LOG_ORIGIN")]
    pub log_origin: Option<String>,
    /// The checkpoint lock: a file outside the data directory, on storage never restored from a
    /// backup, holding the last checkpoint the log signed, so that a restored or damaged data
    /// directory is refused rather than forked (default: `<data-dir>.checkpoint`, beside it).
    #[arg(long, env = "BONAFIDE_CHECKPOINT_LOCK")]
    pub checkpoint_lock: Option<PathBuf>,
    /// The largest agreement accepted for a check, in bytes.
    #[arg(long, env = "BONAFIDE_MAX_DOCUMENT_BYTES", default_value_t = 10 * 1024 * 1024)]
    pub max_document_bytes: usize,
    /// The longest an agreement may take to read, in seconds (in a worker process of its own).
    #[arg(long, env = "BONAFIDE_DOCUMENT_SECONDS", default_value_t = 10)]
    pub document_seconds: u64,
    /// Agreements read at once (each in a worker process with its own memory limit).
    #[arg(long, env = "BONAFIDE_DOCUMENT_WORKERS", default_value_t = 2)]
    pub document_workers: usize,
    /// Agreement uploads admitted at once, received or waiting for a reader (with
    /// --max-document-bytes, the bound on the memory uploads take); others wait, then get 503.
    #[arg(long, env = "BONAFIDE_DOCUMENT_UPLOADS", default_value_t = 4)]
    pub document_uploads: usize,
    /// The listening socket's backlog (connections waiting to be accepted; a burst beyond it is
    /// reset by the kernel, which also caps it at net.core.somaxconn).
    #[arg(long, env = "BONAFIDE_LISTEN_BACKLOG", default_value_t = crate::http::DEFAULT_BACKLOG)]
    pub listen_backlog: u32,
    /// The longest a request body may take to arrive, in seconds (then 408).
    #[arg(long, env = "BONAFIDE_BODY_SECONDS", default_value_t = 30)]
    pub body_seconds: u64,
    /// How often to read the store for statements other replicas appended, in milliseconds
    /// (PostgreSQL also announces them at once with LISTEN/NOTIFY; this is the fallback).
    #[arg(long, env = "BONAFIDE_POLL_INTERVAL_MS", default_value_t = 500)]
    pub poll_interval_ms: u64,
    /// How long to keep answering checks from the last known register after losing the store,
    /// in seconds; after that, checks answer 503 `stale` until the store is back.
    #[arg(long, env = "BONAFIDE_STALE_AFTER_SECONDS", default_value_t = 30)]
    pub stale_after_seconds: u64,
    /// Contact and message checks a minute per client (an IPv4 address or an IPv6 /64), once
    /// its burst is spent; beyond it, 429 with Retry-After. 0: no limit.
    #[arg(long, env = "BONAFIDE_CHECK_RATE", default_value_t = crate::http::DEFAULT_CHECKS_PER_MINUTE)]
    pub check_rate: u32,
    /// Checks a quiet client may send at once.
    #[arg(long, env = "BONAFIDE_CHECK_BURST", default_value_t = crate::http::DEFAULT_CHECKS_BURST)]
    pub check_burst: u32,
    /// Agreement uploads a minute per client, once its burst is spent. 0: no limit.
    #[arg(long, env = "BONAFIDE_UPLOAD_RATE", default_value_t = crate::http::DEFAULT_UPLOADS_PER_MINUTE)]
    pub upload_rate: u32,
    /// Uploads a quiet client may send at once.
    #[arg(long, env = "BONAFIDE_UPLOAD_BURST", default_value_t = crate::http::DEFAULT_UPLOADS_BURST)]
    pub upload_burst: u32,
    /// An address range of a proxy in front of the service (such as 10.0.0.0/8): for requests
    /// from it, the client is read from X-Forwarded-For. Repeatable.
    #[arg(
        long = "trusted-proxy",
        env = "BONAFIDE_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Serve Prometheus metrics (with /healthz and /readyz) on this address, apart from the
    /// API, such as 127.0.0.1:9090; without it, no metrics are served.
    #[arg(long, env = "BONAFIDE_METRICS_BIND")]
    pub metrics_bind: Option<String>,
    /// A CA certificate (PEM) that the PostgreSQL server's certificate must chain to, with
    /// `sslmode=verify-ca` or `verify-full` in the database URL.
    #[arg(long, env = "BONAFIDE_DATABASE_CA_FILE")]
    pub database_ca_file: Option<PathBuf>,
}

/// `bonafide check ...`.
#[derive(Debug, Subcommand)]
pub enum CheckCommand {
    /// Check a person, phone, email, website, bank account or company against an organisation's
    /// register: prints the outcome, what to do and each finding.
    Contact(ContactArgs),
    /// Check an agreement (PDF, DOCX or text) against an organisation's register: prints the
    /// outcome, then each finding with where it is in the document and an excerpt.
    Agreement(AgreementArgs),
    /// Check a message you received (a chat or SMS text) against an organisation's register:
    /// the fees it asks for and the contacts, names, companies and links in it. A message is
    /// never verified (anyone can write one); prints the outcome and each finding.
    Message(MessageArgs),
}

/// `bonafide check message`.
#[derive(Debug, Args)]
pub struct MessageArgs {
    /// A file holding the message (UTF-8), or `-` for standard input; or give --text.
    #[arg(required_unless_present = "text", conflicts_with = "text")]
    pub file: Option<PathBuf>,
    /// The message itself.
    #[arg(long, allow_hyphen_values = true)]
    pub text: Option<String>,
    /// The organisation it claims to come from, by slug (such as `iucg`).
    #[arg(long)]
    pub org: String,
    /// The action a signer in it claims to perform (default: sign_investment_agreement).
    #[arg(long)]
    pub action: Option<String>,
    /// Check the register as it stood at this time (RFC 3339).
    #[arg(long)]
    pub as_of: Option<String>,
    /// Where to ask and what to do with the verdict.
    #[command(flatten)]
    pub verdict: VerdictArgs,
}

/// `bonafide check agreement`.
#[derive(Debug, Args)]
pub struct AgreementArgs {
    /// The agreement: a PDF, a DOCX or a text file (UTF-8, UTF-16 or GB18030).
    pub file: PathBuf,
    /// The organisation it claims to come from, by slug (such as `iucg`).
    #[arg(long)]
    pub org: String,
    /// The action the signer claims to perform (default: sign_investment_agreement).
    #[arg(long)]
    pub action: Option<String>,
    /// Check the register as it stood at this time (RFC 3339).
    #[arg(long)]
    pub as_of: Option<String>,
    /// Where to ask and what to do with the verdict.
    #[command(flatten)]
    pub verdict: VerdictArgs,
}

/// What every check takes beside its subject: the service, and what to do with the verdict.
#[derive(Debug, Args)]
pub struct VerdictArgs {
    /// Write the verdict (a compact JWS) to this file, once it verifies.
    #[arg(long)]
    pub save: Option<PathBuf>,
    /// Print the server's JSON answer as it came (once its verdict verifies).
    #[arg(long)]
    pub json: bool,
    /// Where to ask.
    #[command(flatten)]
    pub server: ServerArgs,
}

/// `bonafide check contact`.
#[derive(Debug, Args)]
pub struct ContactArgs {
    /// The organisation, by slug (such as `iucg`).
    #[arg(long)]
    pub org: String,
    /// A person's name, in any script and order ("Wang Jianguo", "王建国").
    #[arg(long)]
    pub name: Option<String>,
    /// A phone number, in any common format.
    #[arg(long)]
    pub phone: Option<String>,
    /// An email address.
    #[arg(long)]
    pub email: Option<String>,
    /// A website or URL.
    #[arg(long)]
    pub website: Option<String>,
    /// A bank account number or IBAN.
    #[arg(long)]
    pub bank_account: Option<String>,
    /// A company name or USCC.
    #[arg(long)]
    pub company: Option<String>,
    /// A department the contact claims to be from.
    #[arg(long)]
    pub department: Option<String>,
    /// A project or tender of the group, by name or number (with --company, the contractor
    /// claimed for it).
    #[arg(long)]
    pub project: Option<String>,
    /// The action the person claims to be allowed to perform (default
    /// `sign_investment_agreement`).
    #[arg(long)]
    pub action: Option<String>,
    /// Check against the register as it stood at this time (RFC 3339); default now.
    #[arg(long)]
    pub as_of: Option<String>,
    /// Where to ask and what to do with the verdict.
    #[command(flatten)]
    pub verdict: VerdictArgs,
}

/// `bonafide verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The verdict: a file holding the compact JWS, or a whole check response (JSON with a
    /// `verdict` member). Or a receipt: the JSON answer to submitting a statement, or its
    /// `receipt` member.
    pub file: PathBuf,
    /// For a verdict: the service's key set, a JWKS file or its URL (such as
    /// http://127.0.0.1:8080/.well-known/jwks.json). A URL must be on the verdict's issuer's
    /// origin (scheme, host and port): keys from one site cannot vouch for another's verdicts.
    #[arg(long)]
    pub jwks: Option<String>,
    /// The issuer you expect (the service's public URL, such as https://checks.example); the
    /// verdict's `iss` must be it. Without it, a key set from a file leaves the issuer
    /// unchecked.
    #[arg(long)]
    pub issuer: Option<String>,
    /// Accept an expired verdict (with a warning) instead of failing.
    #[arg(long)]
    pub allow_expired: bool,
    /// For a receipt: the log's key (`<name>+<key id>+<key>`), a file holding it, or its URL
    /// (such as http://127.0.0.1:8080/v1/log/key).
    #[arg(long)]
    pub log_key: Option<String>,
    /// For a receipt: the statement it is for (as submitted or as the log serves it); its leaf
    /// hash must be the receipt's.
    #[arg(long)]
    pub statement: Option<PathBuf>,
}

/// `bonafide keys ...`.
#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Add a new verdict key as the next key: published from the service's next start, not yet
    /// signing (creates the ring, with a signing key, if it does not exist). Promote it once
    /// every replica publishes it and caches have expired.
    Rotate(KeyringArgs),
    /// Make the next key the signing key (from the service's next start); the older keys stay
    /// published so the verdicts they signed still verify.
    Promote(KeyringArgs),
    /// List the verdict key ids, oldest first, the current and next ones marked.
    List(KeyringArgs),
}

/// Where the verdict key ring is, as `bonafide serve` finds it.
#[derive(Debug, Args)]
pub struct KeyringArgs {
    /// The service's data directory; the ring is its `verdict-keys` file.
    #[arg(long, env = "BONAFIDE_DATA", default_value = "./bonafide-data")]
    pub data: PathBuf,
    /// The key ring file, when configured outside the data directory (overrides --data).
    #[arg(long, env = "BONAFIDE_KEYRING")]
    pub keyring: Option<PathBuf>,
}

/// `bonafide keygen`.
#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// Names of the keys to generate, such as `operator` or `alice`.
    #[arg(required = true)]
    pub names: Vec<String>,
    /// Directory to write the files to.
    #[arg(long, default_value = ".")]
    pub out: PathBuf,
}

/// Where the server is.
#[derive(Debug, Clone, Args)]
pub struct ServerArgs {
    /// The bonafide server's base URL.
    #[arg(long, env = "BONAFIDE_SERVER", default_value = DEFAULT_SERVER)]
    pub server: String,
}

/// `bonafide statement ...`.
#[derive(Debug, Subcommand)]
pub enum StatementCommand {
    /// Draft a statement from flags into an unsigned JWS file.
    #[command(subcommand)]
    New(Box<NewStatement>),
    /// Add your signature to a statement file (in place).
    Sign {
        /// The statement file.
        file: PathBuf,
        /// Your private key file.
        #[arg(long)]
        key: PathBuf,
    },
    /// Show what a statement file says and who signed it.
    Show {
        /// The statement file.
        file: PathBuf,
    },
    /// Submit a signed statement.
    Submit {
        /// The statement file.
        file: PathBuf,
        /// Where to send it.
        #[command(flatten)]
        server: ServerArgs,
    },
    /// List an organisation's statements with their status.
    List {
        /// The organisation.
        #[arg(long)]
        org: String,
        /// Only statements of this type.
        #[arg(long = "type")]
        kind: Option<String>,
        /// Statuses as of this time (RFC 3339); default now.
        #[arg(long)]
        as_of: Option<String>,
        /// Print the server's JSON.
        #[arg(long)]
        json: bool,
        /// Where to ask.
        #[command(flatten)]
        server: ServerArgs,
    },
}

/// `bonafide orgs ...`.
#[derive(Debug, Subcommand)]
pub enum OrgsCommand {
    /// List the registered organisations.
    List {
        /// Where to ask.
        #[command(flatten)]
        server: ServerArgs,
    },
    /// Show an organisation's profile.
    Show {
        /// The organisation.
        org: String,
        /// Where to ask.
        #[command(flatten)]
        server: ServerArgs,
    },
    /// List an organisation's root and staff keys with their status.
    Keys {
        /// The organisation.
        org: String,
        /// Statuses as of this time (RFC 3339); default now.
        #[arg(long)]
        as_of: Option<String>,
        /// Where to ask.
        #[command(flatten)]
        server: ServerArgs,
    },
}

/// `bonafide ping`.
#[derive(Debug, Args)]
pub struct PingArgs {
    /// How long to keep trying, in seconds.
    #[arg(long, default_value_t = 10)]
    pub wait: u64,
    /// Where to ask.
    #[command(flatten)]
    pub server: ServerArgs,
}

/// Runs the parsed command.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Demo(args) => demo::run(args).await,
        Command::Serve(args) => serve(args).await,
        Command::Keygen(args) => keyfiles::keygen(&args.names, &args.out),
        Command::Statement(command) => statement(*command).await,
        Command::Orgs(command) => orgs(command).await,
        Command::Ping(args) => {
            client::Client::new(&args.server.server)?
                .wait_ready(args.wait)
                .await
        }
        Command::Health(args) => health::run(args).await,
        Command::Check(CheckCommand::Contact(args)) => check::contact(args).await,
        Command::Check(CheckCommand::Agreement(args)) => check::agreement(args).await,
        Command::Check(CheckCommand::Message(args)) => check::message(args).await,
        Command::Verify(args) => check::verify(args).await,
        Command::Keys(KeysCommand::Rotate(args)) => verdict_keys::rotate(&args),
        Command::Keys(KeysCommand::Promote(args)) => verdict_keys::promote(&args),
        Command::Keys(KeysCommand::List(args)) => verdict_keys::list(&args),
        Command::Log(LogCommand::Verify(args)) => monitor::verify(args).await,
        Command::DocumentWorker(args) => document_worker(&args),
    }
}

/// `bonafide document-worker`: reads one document from standard input under limits and writes
/// the answer to `result.json` (see [`crate::document::worker`]). Synchronous: run it outside any
/// runtime.
pub fn document_worker(args: &DocumentWorkerArgs) -> anyhow::Result<()> {
    let limits: crate::document::Limits = serde_json::from_str(&args.limits).context("--limits")?;
    crate::document::worker::run_child(&limits, args.memory, args.cpu_seconds)?;
    Ok(())
}

/// Prints why a command failed, on standard error, and returns the exit status: 3 when a
/// transparency log was caught misbehaving (`bonafide log verify`: a fork, a rollback, a bad
/// entry, a bad signature), reported as `KIND: what was seen`; 1 for any other failure, reported
/// as `error: ...`. (2 is clap's, for a command line it cannot parse.)
pub fn report_failure(error: &anyhow::Error) -> ExitCode {
    if let Some(misbehaviour) = error.downcast_ref::<monitor::Misbehaviour>() {
        eprintln!("{misbehaviour}");
        return ExitCode::from(3);
    }
    eprintln!("error: {error:#}");
    ExitCode::FAILURE
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    std::fs::create_dir_all(&args.data)
        .with_context(|| format!("cannot create data directory {}", args.data.display()))?;
    let mut files = args.operator_keys.clone();
    let folder = args.data.join("operator-keys");
    if folder.is_dir() {
        for entry in std::fs::read_dir(&folder)? {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "jwk") {
                files.push(path);
            }
        }
    }
    let operator_keys = files
        .iter()
        .map(|path| keyfiles::read_public(path))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let app = Application::build(
        Settings {
            bind: args.bind.clone(),
            data_dir: args.data.clone(),
            database_url: args.database_url.clone(),
            operator_keys,
            workers: args.workers,
            keyring: args.keyring.clone(),
            public_url: args.public_url.clone(),
            log_key: args.log_key.clone(),
            log_origin: args.log_origin.clone(),
            checkpoint_lock: args.checkpoint_lock.clone(),
            documents: crate::http::DocumentSettings {
                worker_exe: None,
                max_bytes: args.max_document_bytes,
                deadline: std::time::Duration::from_secs(args.document_seconds.max(1)),
                parallel: args.document_workers.max(1),
                admitted: args.document_uploads.max(1),
                body_deadline: std::time::Duration::from_secs(args.body_seconds.max(1)),
            },
            news_page: false,
            listen_backlog: args.listen_backlog,
            follow: crate::http::FollowSettings {
                poll_interval: std::time::Duration::from_millis(args.poll_interval_ms.max(10)),
                stale_after: std::time::Duration::from_secs(args.stale_after_seconds),
            },
            rate_limits: crate::http::RateLimits {
                checks: crate::http::Rate::new(args.check_rate, args.check_burst),
                uploads: crate::http::Rate::new(args.upload_rate, args.upload_burst),
                trusted_proxies: args.trusted_proxies.clone(),
            },
            metrics_bind: args.metrics_bind.clone(),
            database_ca_file: args.database_ca_file.clone(),
        },
        Arc::new(SystemClock),
    )
    .await?;
    let host = args
        .bind
        .rsplit_once(':')
        .map_or("127.0.0.1", |(host, _)| host);
    eprintln!(
        "bonafide listening on http://{host}:{} (data in {}, log in {})",
        app.port(),
        args.data.display(),
        crate::store::describe(args.database_url.as_deref(), &args.data)
    );
    if let (Some(port), Some(bind)) = (app.metrics_port(), &args.metrics_bind) {
        let host = bind.rsplit_once(':').map_or("127.0.0.1", |(host, _)| host);
        eprintln!("metrics on http://{host}:{port}/metrics");
    }
    app.run_until_stopped().await?;
    Ok(())
}

async fn statement(command: StatementCommand) -> anyhow::Result<()> {
    match command {
        StatementCommand::New(new) => draft::new(*new),
        StatementCommand::Sign { file, key } => draft::sign(&file, &key),
        StatementCommand::Show { file } => draft::show(&file),
        StatementCommand::Submit { file, server } => {
            client::Client::new(&server.server)?.submit(&file).await
        }
        StatementCommand::List {
            org,
            kind,
            as_of,
            json,
            server,
        } => {
            client::Client::new(&server.server)?
                .list_statements(&org, kind.as_deref(), as_of.as_deref(), json)
                .await
        }
    }
}

async fn orgs(command: OrgsCommand) -> anyhow::Result<()> {
    match command {
        OrgsCommand::List { server } => {
            client::Client::new(&server.server)?
                .get_json("/v1/orgs", &[])
                .await
        }
        OrgsCommand::Show { org, server } => {
            let org = OrgSlug::parse(&org)?;
            client::Client::new(&server.server)?
                .get_json(&format!("/v1/orgs/{org}"), &[])
                .await
        }
        OrgsCommand::Keys { org, as_of, server } => {
            let org = OrgSlug::parse(&org)?;
            let query: Vec<_> = as_of.iter().map(|t| ("as_of", t.as_str())).collect();
            client::Client::new(&server.server)?
                .get_json(&format!("/v1/orgs/{org}/keys"), &query)
                .await
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory as _;

    use super::*;

    #[test]
    fn the_command_tree_is_consistent() {
        Cli::command().debug_assert();
    }
}
