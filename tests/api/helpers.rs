//! `TestApp`: the service started in-process on port 0, with a clock the test controls, and one
//! helper per endpoint.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use bonafide::crypto::{GeneralJws, STATEMENT_TYP, SigningKey, canonicalize};
use bonafide::demo::{DemoKeys, demo_statements};
use bonafide::domain::Timestamp;
use bonafide::http::{Application, Clock, DocumentSettings, Settings};
use serde_json::Value;

/// The instant every test starts at.
pub(crate) const START: &str = "2026-11-28T09:00:00Z";

/// A clock that moves only when the test says so.
pub(crate) struct TestClock(Mutex<Timestamp>);

impl Clock for TestClock {
    fn now(&self) -> Timestamp {
        *self.0.lock().expect("clock lock")
    }
}

impl TestClock {
    pub(crate) fn advance(&self, by: time::Duration) {
        let mut now = self.0.lock().expect("clock lock");
        *now = now.saturating_add(by);
    }
}

/// The service's settings on `root/data`, with every file at its default place.
fn settings(root: &Path, keys: &DemoKeys, news_page: bool) -> Settings {
    Settings {
        bind: "127.0.0.1:0".into(),
        data_dir: root.join("data"),
        database_url: None,
        operator_keys: vec![keys.operator.public_jwk()],
        workers: 1,
        keyring: None,
        public_url: None,
        log_key: None,
        log_origin: None,
        checkpoint_lock: None,
        documents: DocumentSettings {
            // The tests run in their own executable: the worker is the bonafide binary.
            worker_exe: Some(env!("CARGO_BIN_EXE_bonafide").into()),
            ..DocumentSettings::default()
        },
        news_page,
        listen_backlog: bonafide::http::DEFAULT_BACKLOG,
        follow: bonafide::http::FollowSettings::default(),
        // The tests drive the service from one address, faster than any client: no limits,
        // except where a test sets them.
        rate_limits: bonafide::http::RateLimits::off(),
        metrics_bind: Some("127.0.0.1:0".into()),
        database_ca_file: None,
    }
}

/// Keys from fixed seeds, so that failures are reproducible.
pub(crate) fn demo_keys() -> DemoKeys {
    DemoKeys {
        operator: SigningKey::from_seed([1; 32]),
        root: SigningKey::from_seed([2; 32]),
        alice: SigningKey::from_seed([3; 32]),
        bob: SigningKey::from_seed([4; 32]),
    }
}

pub(crate) struct TestApp {
    pub(crate) address: String,
    /// The base URL of the metrics listener (`/metrics`, `/healthz`, `/readyz`).
    pub(crate) metrics: Option<String>,
    pub(crate) client: reqwest::Client,
    pub(crate) clock: Arc<TestClock>,
    pub(crate) keys: DemoKeys,
    /// Holds the data directory (`data/`) and, beside it, the checkpoint lock (`data.checkpoint`,
    /// the default place); kept so that they live as long as the app (and across restarts).
    root: tempfile::TempDir,
    /// Whether the demo news page is served at `/`.
    news_page: bool,
}

impl TestApp {
    /// The service with an empty register, trusting `keys.operator`.
    pub(crate) async fn spawn() -> Self {
        let root = tempfile::tempdir().expect("temp dir");
        let clock = Arc::new(TestClock(Mutex::new(
            Timestamp::parse(START).expect("valid start"),
        )));
        Self::start(root, clock, demo_keys(), false).await
    }

    /// The service with the demo organisation registered and its news page at `/`, as
    /// `bonafide demo` runs it.
    pub(crate) async fn with_news_page() -> Self {
        let root = tempfile::tempdir().expect("temp dir");
        let clock = Arc::new(TestClock(Mutex::new(
            Timestamp::parse(START).expect("valid start"),
        )));
        Self::start(root, clock, demo_keys(), true)
            .await
            .register_demo()
            .await
    }

    /// Starts the service on `root/data`, which may hold the register and keys of an earlier run.
    async fn start(
        root: tempfile::TempDir,
        clock: Arc<TestClock>,
        keys: DemoKeys,
        news_page: bool,
    ) -> Self {
        let _ = rustls::crypto::ring::default_provider().install_default();
        Self::start_with(root, clock, keys, news_page, |_| {}).await
    }

    /// The demo register (no news page) with its document settings changed by `change`.
    pub(crate) async fn demo_with_documents(change: impl FnOnce(&mut DocumentSettings)) -> Self {
        Self::demo_with(|settings| change(&mut settings.documents)).await
    }

    /// The demo register (no news page) with its settings changed by `change`.
    pub(crate) async fn demo_with(change: impl FnOnce(&mut Settings)) -> Self {
        let root = tempfile::tempdir().expect("temp dir");
        let clock = Arc::new(TestClock(Mutex::new(
            Timestamp::parse(START).expect("valid start"),
        )));
        Self::start_with(root, clock, demo_keys(), false, change)
            .await
            .register_demo()
            .await
    }

    async fn start_with(
        root: tempfile::TempDir,
        clock: Arc<TestClock>,
        keys: DemoKeys,
        news_page: bool,
        change: impl FnOnce(&mut Settings),
    ) -> Self {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut settings = settings(root.path(), &keys, news_page);
        change(&mut settings);
        let app = Application::build(settings, clock.clone())
            .await
            .expect("the service starts");
        let address = format!("http://127.0.0.1:{}", app.port());
        let metrics = app
            .metrics_port()
            .map(|port| format!("http://127.0.0.1:{port}"));
        tokio::spawn(app.run_until_stopped());
        Self {
            address,
            metrics,
            client: reqwest::Client::new(),
            clock,
            keys,
            root,
            news_page,
        }
    }

    /// A new service process on the same data directory and clock, as after a restart: it
    /// replays the stored log and reloads the key ring. It listens on a new port; the earlier
    /// instance is no longer used.
    pub(crate) async fn restart(self) -> Self {
        Self::start(self.root, self.clock, self.keys, self.news_page).await
    }

    /// Tries to start another instance on the same data directory and returns why it refused to
    /// start, or `None` if it started (it is then dropped, unused).
    pub(crate) async fn start_error(&self) -> Option<String> {
        Application::build(
            settings(self.root.path(), &self.keys, self.news_page),
            self.clock.clone(),
        )
        .await
        .err()
        .map(|e| e.to_string())
    }

    /// As [`TestApp::restart`], but first lets `change` alter the data directory (given its
    /// path) while no instance is started on it: replace its contents with a backup, say. The
    /// earlier instance still runs, unused, on whatever files it had open.
    pub(crate) async fn restart_with(self, change: impl FnOnce(&Path)) -> Self {
        change(&self.data_dir());
        self.restart().await
    }

    /// The data directory (SQLite database, `verdict-keys`, `log-key`).
    pub(crate) fn data_dir(&self) -> PathBuf {
        self.root.path().join("data")
    }

    /// The checkpoint lock, at its default place beside the data directory (`data.checkpoint`).
    pub(crate) fn checkpoint_lock(&self) -> PathBuf {
        self.root.path().join("data.checkpoint")
    }

    /// The service with the demo organisation registered.
    pub(crate) async fn with_demo() -> Self {
        Self::spawn().await.register_demo().await
    }

    /// Submits the demo organisation's statements.
    async fn register_demo(self) -> Self {
        let app = self;
        for jws in demo_statements(&app.keys, app.now()).expect("demo statements build") {
            let response = app.submit(&jws.to_canonical_bytes()).await;
            assert_eq!(
                response.status(),
                201,
                "{}",
                response.text().await.unwrap_or_default()
            );
        }
        app
    }

    pub(crate) fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// `POST /v1/statements` with `application/jose+json`.
    pub(crate) async fn submit(&self, body: &[u8]) -> reqwest::Response {
        self.client
            .post(format!("{}/v1/statements", self.address))
            .header("Content-Type", "application/jose+json")
            .body(body.to_vec())
            .send()
            .await
            .expect("request sent")
    }

    /// Signs `statement` with each of `signers` and submits it.
    pub(crate) async fn submit_signed(
        &self,
        statement: &Value,
        signers: &[&SigningKey],
    ) -> reqwest::Response {
        self.submit(&sign(statement, signers)).await
    }

    pub(crate) async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("request sent")
    }

    pub(crate) async fn get_json(&self, path: &str) -> Value {
        let response = self.get(path).await;
        assert_eq!(response.status(), 200, "GET {path}");
        response.json().await.expect("JSON body")
    }

    /// The log size the service reports.
    pub(crate) async fn log_size(&self) -> u64 {
        self.get_json("/readyz").await["log_size"]
            .as_u64()
            .expect("log_size")
    }

    /// `POST /v1/checks/contact` with a JSON body.
    pub(crate) async fn check_contact(&self, body: &Value) -> reqwest::Response {
        self.client
            .post(format!("{}/v1/checks/contact", self.address))
            .json(body)
            .send()
            .await
            .expect("request sent")
    }

    /// `POST /v1/checks/contact` with raw bytes and the Content-Type given (none if `None`).
    pub(crate) async fn check_contact_raw(
        &self,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> reqwest::Response {
        let mut request = self
            .client
            .post(format!("{}/v1/checks/contact", self.address))
            .body(body);
        if let Some(content_type) = content_type {
            request = request.header("Content-Type", content_type);
        }
        request.send().await.expect("request sent")
    }

    /// `POST /v1/checks/message` with a JSON body.
    pub(crate) async fn check_message(&self, body: &Value) -> reqwest::Response {
        self.client
            .post(self.url("/v1/checks/message"))
            .json(body)
            .send()
            .await
            .expect("request sent")
    }

    /// `POST /v1/checks/message` with raw bytes and the Content-Type given (none if `None`).
    pub(crate) async fn check_message_raw(
        &self,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> reqwest::Response {
        let mut request = self.client.post(self.url("/v1/checks/message")).body(body);
        if let Some(content_type) = content_type {
            request = request.header("Content-Type", content_type);
        }
        request.send().await.expect("request sent")
    }

    /// `POST /v1/checks/agreement?{query}` (no query string if `query` is empty) with the
    /// document as the raw body and the Content-Type given (none if `None`).
    pub(crate) async fn check_agreement_raw(
        &self,
        query: &str,
        body: Vec<u8>,
        content_type: Option<&str>,
    ) -> reqwest::Response {
        let mut request = self
            .client
            .post(self.url(&with_query("/v1/checks/agreement", query)))
            .body(body);
        if let Some(content_type) = content_type {
            request = request.header("Content-Type", content_type);
        }
        request.send().await.expect("request sent")
    }

    /// `POST /v1/checks/agreement?{query}` as a browser form sends it: `multipart/form-data`
    /// with one file field named `field` (the service reads `file`) holding `bytes`.
    pub(crate) async fn check_agreement_multipart(
        &self,
        query: &str,
        field: &str,
        bytes: &[u8],
    ) -> reqwest::Response {
        let (content_type, body) = multipart_form(field, bytes);
        self.check_agreement_raw(query, body, Some(&content_type))
            .await
    }

    /// The absolute URL of `path` on this service.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// `GET /v1/log/checkpoint`.
    pub(crate) async fn checkpoint(&self) -> reqwest::Response {
        self.get("/v1/log/checkpoint").await
    }

    /// `GET /v1/log/key`.
    pub(crate) async fn log_key(&self) -> reqwest::Response {
        self.get("/v1/log/key").await
    }

    /// `GET /v1/log/entries/{index}`; `index` is text so that bad ones can be sent.
    pub(crate) async fn entry(&self, index: impl std::fmt::Display) -> reqwest::Response {
        self.get(&format!("/v1/log/entries/{index}")).await
    }

    /// `GET /v1/log/proof/inclusion` with the query string `query` as given (none if empty),
    /// such as `index=3&size=7`.
    pub(crate) async fn inclusion(&self, query: &str) -> reqwest::Response {
        self.get(&with_query("/v1/log/proof/inclusion", query))
            .await
    }

    /// `GET /v1/log/proof/consistency` with the query string `query` as given (none if empty),
    /// such as `from=3&to=7`.
    pub(crate) async fn consistency(&self, query: &str) -> reqwest::Response {
        self.get(&with_query("/v1/log/proof/consistency", query))
            .await
    }

    /// `GET /.well-known/jwks.json`.
    pub(crate) async fn jwks(&self) -> reqwest::Response {
        self.get("/.well-known/jwks.json").await
    }

    /// The status of statement `id` of `org`, as of `as_of` (or now).
    pub(crate) async fn status_of(&self, org: &str, id: &str, as_of: Option<&str>) -> String {
        let query = as_of.map(|t| format!("?as_of={t}")).unwrap_or_default();
        let list = self
            .get_json(&format!("/v1/orgs/{org}/statements{query}"))
            .await;
        list["statements"]
            .as_array()
            .expect("statements")
            .iter()
            .find(|s| s["id"] == id)
            .map(|s| s["status"].as_str().expect("status").to_owned())
            .unwrap_or_else(|| panic!("statement {id} not listed"))
    }
}

fn with_query(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    }
}

/// A `multipart/form-data` body with one file field `field` holding `bytes`, built by hand as a
/// browser writes it, and its Content-Type (with the boundary).
pub(crate) fn multipart_form(field: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    const BOUNDARY: &str = "----bonafide-test-boundary-7d3f9a2c41e8b650";
    assert!(
        !bytes
            .windows(BOUNDARY.len())
            .any(|w| w == BOUNDARY.as_bytes()),
        "the boundary occurs in the file"
    );
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{field}\"; \
         filename=\"agreement\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={BOUNDARY}"), body)
}

/// Copies the directory `from` to `to` (which must not exist), files and subdirectories, keeping
/// file modes (the log key must stay 0600).
pub(crate) fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir(to).unwrap_or_else(|e| panic!("create {}: {e}", to.display()));
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("read {}: {e}", from.display()))
    {
        let entry = entry.expect("a directory entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target)
                .unwrap_or_else(|e| panic!("copy {}: {e}", entry.path().display()));
        }
    }
}

/// Replaces the directory `dir` with a copy of `backup`.
pub(crate) fn restore_dir(dir: &Path, backup: &Path) {
    std::fs::remove_dir_all(dir).unwrap_or_else(|e| panic!("remove {}: {e}", dir.display()));
    copy_dir(backup, dir);
}

/// The canonical JWS of `statement` signed by each of `signers`.
pub(crate) fn sign(statement: &Value, signers: &[&SigningKey]) -> Vec<u8> {
    let mut jws = GeneralJws::new(&canonicalize(statement).expect("canonical"));
    for key in signers {
        jws.sign(key, STATEMENT_TYP);
    }
    jws.to_canonical_bytes()
}

/// A statement of the demo organisation with the common fields filled in.
pub(crate) fn statement(kind: &str, id: &str, now: Timestamp, body: Value) -> Value {
    let mut value = serde_json::json!({
        "type": kind,
        "id": id,
        "org": "iucg",
        "issued_at": now.to_string(),
        "effective_from": now.to_string(),
    });
    if let (Some(target), Value::Object(fields)) = (value.as_object_mut(), body) {
        target.extend(fields);
    }
    value
}

/// A warning statement: the smallest content statement, signed by one staff key in the demo.
pub(crate) fn warning(id: &str, now: Timestamp) -> Value {
    statement(
        "warning",
        id,
        now,
        serde_json::json!({
            "kind": "phone",
            "value": "+86 171 0000 0000",
            "description": {"en": "An impersonator."},
        }),
    )
}

/// The status and error envelope of a refused request; fails the test if it is not an envelope.
pub(crate) async fn error_of(response: reqwest::Response) -> (u16, String, String) {
    let status = response.status().as_u16();
    let body: Value = response.json().await.expect("an error envelope in JSON");
    let code = body["error"]["code"]
        .as_str()
        .expect("error.code")
        .to_owned();
    let message = body["error"]["message"]
        .as_str()
        .expect("error.message")
        .to_owned();
    (status, code, message)
}
