//! The `bonafide` binary: parses the command line and hands over to [`bonafide::cli`].

use std::process::ExitCode;

use clap::Parser as _;

/// mimalloc rather than the system allocator: a check makes many small allocations, and the
/// register holds hundreds of thousands of small objects. In the benchmark (tests/bench) the
/// server's resident memory per statement was lower with it (1,204 against 1,279 bytes); check
/// throughput was the same within the machine's noise.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = bonafide::cli::Cli::parse();
    // A document worker reads one document and exits, on this one thread: no runtime, no
    // logging, no TLS, nothing that would need memory or threads under its limits.
    if let bonafide::cli::Command::DocumentWorker(args) = &cli.command {
        return match bonafide::cli::document_worker(args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                // The service logs it; run by hand, it says why. The memory figures tell a
                // document that needed too much from a limit set too low.
                let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
                let memory: Vec<&str> = status
                    .lines()
                    .filter(|l| l.starts_with("VmPeak") || l.starts_with("VmSize"))
                    .collect();
                eprintln!("error: {e:#} ({})", memory.join(", "));
                ExitCode::FAILURE
            }
        };
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run(cli))
}

async fn run(cli: bonafide::cli::Cli) -> ExitCode {
    // The demo prints its own summary; its request log would bury it.
    let default_filter = match cli.command {
        bonafide::cli::Command::Demo(_) => "warn",
        _ => "info,sqlx=warn",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("BONAFIDE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_filter));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    // One JSON object per line for log collectors; the request's span (with its id) is in each.
    if std::env::var("BONAFIDE_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json")) {
        logs.json()
            .with_current_span(false)
            .with_span_list(true)
            .init();
    } else {
        logs.init();
    }
    // One TLS provider (ring) for every outbound client; installing twice is harmless.
    let _ = rustls::crypto::ring::default_provider().install_default();
    match bonafide::cli::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => bonafide::cli::report_failure(&e),
    }
}
