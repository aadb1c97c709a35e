//! `bonafide demo`: the service with the demo organisation, International Union Construction Group,
//! registered through the real trust chain (operator, root key, two staff signatures).

use std::path::Path;
use std::sync::Arc;

use anyhow::Context as _;

use super::DemoArgs;
use super::keyfiles;
use crate::crypto::SigningKey;
use crate::demo::{DEMO_AGREEMENT, DEMO_ORG, DemoKeys, demo_statements};
use crate::domain::Timestamp;
use crate::http::{Application, Settings, SystemClock};

pub(super) async fn run(args: DemoArgs) -> anyhow::Result<()> {
    // A throwaway directory lives as long as this function, so it is removed on a clean stop.
    let (_temp, data) = match &args.data {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            (None, dir.clone())
        }
        None => {
            let temp = tempfile::Builder::new()
                .prefix("bonafide-demo-")
                .tempdir()?;
            let path = temp.path().to_path_buf();
            (Some(temp), path)
        }
    };
    let keys_dir = data.join("demo-keys");
    std::fs::create_dir_all(&keys_dir)?;
    let keys = DemoKeys {
        operator: keyfiles::load_or_generate(&keys_dir, "operator")?,
        root: keyfiles::load_or_generate(&keys_dir, "iucg-root")?,
        alice: keyfiles::load_or_generate(&keys_dir, "alice")?,
        bob: keyfiles::load_or_generate(&keys_dir, "bob")?,
    };
    let agreement = data.join("genuine-agreement.txt");
    if !agreement.exists() {
        std::fs::write(&agreement, DEMO_AGREEMENT)?;
    }
    let app = Application::build(
        Settings {
            bind: args.bind.clone(),
            data_dir: data.clone(),
            database_url: None,
            operator_keys: vec![keys.operator.public_jwk()],
            workers: 0,
            keyring: None,
            public_url: args.public_url.clone(),
            log_key: None,
            log_origin: None,
            // A throwaway demo keeps its lock inside its directory, so nothing is left behind;
            // a kept one uses the default, beside it.
            checkpoint_lock: args.data.is_none().then(|| data.join("checkpoint-lock")),
            documents: crate::http::DocumentSettings::default(),
            news_page: true,
            listen_backlog: crate::http::DEFAULT_BACKLOG,
            follow: crate::http::FollowSettings::default(),
            rate_limits: crate::http::RateLimits::default(),
            metrics_bind: None,
            database_ca_file: None,
        },
        Arc::new(SystemClock),
    )
    .await?;
    let base = local_url(&args.bind, app.port());
    let public = args
        .public_url
        .as_deref()
        .map_or_else(|| base.clone(), |u| u.trim_end_matches('/').to_owned());
    let server = tokio::spawn(app.run_until_stopped());
    let registered = register(&base, &keys).await?;
    print_summary(
        &public,
        &data,
        &keys_dir,
        &keys,
        registered,
        args.data.is_none(),
    );
    server.await??;
    Ok(())
}

/// The URL this machine reaches the service at: the bound host (loopback for a wildcard) and the
/// port actually bound, so `--bind 127.0.0.1:0` prints the port the system chose.
fn local_url(bind: &str, port: u16) -> String {
    let host = bind.rsplit_once(':').map_or("", |(host, _)| host);
    let host = match host {
        "" | "0.0.0.0" | "[::]" | "::" => "127.0.0.1",
        other => other,
    };
    format!("http://{host}:{port}")
}

/// The checks the demo suggests: what each shows, the outcome it gives, and the request body.
const SUGGESTED_CHECKS: [(&str, &str, &str); 4] = [
    (
        "a listed signatory",
        "verified",
        r#"{"org":"iucg","name":"Wang Jianguo"}"#,
    ),
    (
        "a person not on the complete list",
        "not_authorised",
        r#"{"org":"iucg","name":"Zhang Wei"}"#,
    ),
    (
        "a phone number the organisation warns about",
        "fraud_risk",
        r#"{"org":"iucg","phone":"+86 170 0000 1234"}"#,
    ),
    (
        "a lookalike of the official domain",
        "fraud_risk",
        r#"{"org":"iucg","website":"iucg-invest.com"}"#,
    ),
];

/// Submits the demo statements unless the organisation is registered already (a kept `--data`).
async fn register(base: &str, keys: &DemoKeys) -> anyhow::Result<usize> {
    let http = reqwest::Client::new();
    let existing = http
        .get(format!("{base}/v1/orgs/{DEMO_ORG}"))
        .send()
        .await?;
    if existing.status().is_success() {
        return Ok(0);
    }
    let now = Timestamp::from_datetime(time::OffsetDateTime::now_utc()).whole_seconds();
    let statements = demo_statements(keys, now)?;
    for jws in &statements {
        let response = http
            .post(format!("{base}/v1/statements"))
            .header(reqwest::header::CONTENT_TYPE, "application/jose+json")
            .body(jws.to_canonical_bytes())
            .send()
            .await?;
        let status = response.status();
        if !status.is_success() {
            anyhow::bail!(
                "the demo statement was refused ({status}): {}",
                response.text().await.unwrap_or_default()
            );
        }
    }
    Ok(statements.len())
}

fn print_summary(
    public: &str,
    data: &Path,
    keys_dir: &Path,
    keys: &DemoKeys,
    registered: usize,
    throwaway: bool,
) {
    let id = |k: &SigningKey| k.id().to_string();
    println!("bonafide demo: International Union Construction Group (iucg)");
    if registered > 0 {
        println!("  registered {registered} statements through the trust chain:");
        println!(
            "    operator key {} signed the org statement",
            id(&keys.operator)
        );
        println!(
            "    root key     {} delegated to two staff keys",
            id(&keys.root)
        );
        println!("    Alice Chen   {} (admin)", id(&keys.alice));
        println!("    Bob Liu      {} (signatories, warnings)", id(&keys.bob));
        println!("    signatories carry both staff signatures (threshold 2)");
    } else {
        println!("  already registered in {}", data.display());
    }
    println!(
        "  data: {}{}",
        data.display(),
        if throwaway { " (removed on exit)" } else { "" }
    );
    println!(
        "  demo keys, to try the staff workflow: {}",
        keys_dir.display()
    );
    println!();
    println!("Open the organisation's news page, with the widget: {public}/");
    println!("Embed the widget on any page:");
    println!("  {}", crate::widget::script_tag(public, DEMO_ORG));
    println!();
    println!("Look:");
    println!("  {public}/v1/orgs/iucg");
    println!("  {public}/v1/orgs/iucg/statements");
    println!("  {public}/v1/orgs/iucg/keys");
    println!("  bonafide statement list --org iucg --server {public}");
    println!();
    println!("Check contacts (paste into a shell; each answers with a signed verdict):");
    for (what, outcome, body) in SUGGESTED_CHECKS {
        println!("  # {what}: expect \"{outcome}\"");
        println!(
            "  curl -s -w '\\n' {public}/v1/checks/contact -H 'Content-Type: application/json' \
             -d '{body}'"
        );
    }
    println!("  # the same with the bonafide command, keeping the verdict, then verifying it:");
    println!(
        "  bonafide check contact --server {public} --org iucg --name 'Wang Jianguo' \
         --phone '+86 170 0000 1234' --save verdict.jwt"
    );
    println!("  bonafide verify verdict.jwt --jwks {public}/.well-known/jwks.json");
    println!();
    println!("Transparency log (each statement is a leaf; checkpoints are signed by the log key):");
    println!("  curl -s {public}/v1/log/checkpoint");
    println!("  curl -s {public}/v1/log/key");
    println!(
        "  bonafide log verify --server {public} --operator-key {} --state monitor.json",
        keys_dir.join("operator.pub.jwk").display()
    );
    println!();
    println!("Press Ctrl-C to stop.");
}
