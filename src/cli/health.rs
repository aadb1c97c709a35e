//! `bonafide health`: one GET of the service's readiness URL, for container health checks that
//! have no curl (docker/Dockerfile's `HEALTHCHECK`). It prints one line and exits 0 when the
//! answer is 2xx, 1 otherwise (including when nothing answers in time).

use std::time::Duration;

use anyhow::{Context as _, bail};
use clap::Args;

/// The URL `bonafide health` asks by default: the readiness check of a service on this machine,
/// on the port the Docker image listens on.
pub const DEFAULT_URL: &str = "http://127.0.0.1:8080/readyz";

/// `bonafide health`.
#[derive(Debug, Args)]
pub struct HealthArgs {
    /// The URL to GET; healthy when it answers with a 2xx status.
    #[arg(long, default_value = DEFAULT_URL)]
    pub url: String,
    /// The longest to wait for the answer, in seconds.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout_seconds: u64,
}

/// GETs the URL once: `Ok` (after printing `healthy: ...`) on a 2xx answer, an error otherwise,
/// which the command prints as one `error: ...` line before exiting with 1.
pub(crate) async fn run(args: HealthArgs) -> anyhow::Result<()> {
    let response = super::client::http()?
        .get(&args.url)
        .timeout(Duration::from_secs(args.timeout_seconds))
        .send()
        .await
        .with_context(|| format!("unhealthy: cannot reach {}", args.url))?;
    let status = response.status();
    if !status.is_success() {
        bail!("unhealthy: {} answered {status}", args.url);
    }
    println!("healthy: {} answered {status}", args.url);
    Ok(())
}
