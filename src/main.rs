//! The `bonafide` binary: parses the command line and hands over to [`bonafide::cli`].

use std::process::ExitCode;

use clap::Parser as _;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("BONAFIDE_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    // One TLS provider (ring) for every outbound client; installing twice is harmless.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let cli = bonafide::cli::Cli::parse();
    match bonafide::cli::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
