//! Operations over a real process: structured logs that name the request and never what was
//! checked, and a graceful shutdown that finishes the requests in flight.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_bonafide");

/// `bonafide demo` with `env`, its base URL, and every line it writes to stderr.
struct Demo {
    child: Child,
    base: String,
    stderr: mpsc::Receiver<String>,
}

impl Drop for Demo {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn demo(dir: &Path, env: &[(&str, &str)]) -> Demo {
    let mut child = Command::new(BIN)
        .args(["demo", "--bind", "127.0.0.1:0", "--data"])
        .arg(dir)
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bonafide demo starts");
    let stdout = child.stdout.take().expect("stdout");
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut base = None;
    for line in BufReader::new(stdout).lines().map_while(Result::ok) {
        if let Some(url) = line.strip_prefix("Open the organisation's news page, with the widget: ")
        {
            base = Some(url.trim_end_matches('/').to_owned());
        }
        if line.contains("Press Ctrl-C to stop.") {
            break;
        }
    }
    Demo {
        child,
        base: base.expect("the demo printed its address"),
        stderr: rx,
    }
}

/// Sends `request` and reads the whole answer.
fn exchange(address: &str, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(address).expect("connects");
    stream.write_all(request).expect("sent");
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer
}

fn post_check(body: &str) -> Vec<u8> {
    format!(
        "POST /v1/checks/contact HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

#[test]
fn logs_are_json_with_the_request_id_and_never_what_was_checked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut demo = demo(
        dir.path(),
        &[
            ("BONAFIDE_LOG", "debug,sqlx=warn,actix_server=warn"),
            ("BONAFIDE_LOG_FORMAT", "json"),
        ],
    );
    let address = demo.base.trim_start_matches("http://").to_owned();
    let body = r#"{"org":"iucg","name":"Zhang Wei","phone":"+86 170 0000 1234","email":"zw@mail.example"}"#;
    let answer = exchange(&address, &post_check(body));
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let id = answer
        .lines()
        .find_map(|l| l.strip_prefix("x-request-id: "))
        .expect("a request id")
        .trim()
        .to_owned();
    let claims_at = answer.find("\"subject_sha256\":\"").expect("claims") + 18;
    let subject = &answer[claims_at..claims_at + 64];
    let _ = demo.child.kill();
    let _ = demo.child.wait();

    let lines: Vec<String> = demo.stderr.try_iter().collect();
    let logs = lines.join("\n");
    // Every line is one JSON object.
    for line in &lines {
        let parsed: Result<serde_json::Value, _> = serde_json::from_str(line);
        assert!(parsed.is_ok(), "not JSON: {line}");
    }
    // The check's events name the request and the hash of what was checked, nothing more.
    let verdict = lines
        .iter()
        .find(|l| l.contains("verdict signed"))
        .unwrap_or_else(|| panic!("no verdict event in\n{logs}"));
    assert!(verdict.contains(&id), "{verdict}");
    assert!(verdict.contains(subject), "{verdict}");
    // Not "1234" alone: timestamps and hashes may hold it by chance.
    for secret in [
        "Zhang",
        "zhang",
        "170 0000",
        "17000001234",
        "zw@",
        "mail.example",
    ] {
        assert!(!logs.contains(secret), "the logs hold {secret:?}:\n{logs}");
    }
}

#[test]
fn a_stop_signal_finishes_the_requests_in_flight() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut demo = demo(dir.path(), &[("BONAFIDE_LOG", "info")]);
    let address = demo.base.trim_start_matches("http://").to_owned();
    let body = r#"{"org":"iucg","phone":"+86 170 0000 1234"}"#;
    let request = post_check(body);
    // Half a request: its headers and half its body are in; the server is waiting for the rest.
    let split = request.len() - body.len() / 2;
    let mut stream = TcpStream::connect(&address).expect("connects");
    stream.write_all(&request[..split]).expect("first half");
    std::thread::sleep(Duration::from_millis(200));

    let stopped = Command::new("kill")
        .args(["-TERM", &demo.child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(stopped.success());
    std::thread::sleep(Duration::from_millis(300));
    // New connections are no longer taken...
    assert!(
        TcpStream::connect(&address).is_err()
            || exchange(&address, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").is_empty(),
        "the server still takes new requests after SIGTERM"
    );
    // ...but the one in flight is answered in full.
    stream.write_all(&request[split..]).expect("second half");
    let mut answer = String::new();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let _ = stream.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"outcome\":\"fraud_risk\""), "{answer}");

    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Some(status) = demo.child.try_wait().expect("waits") {
            assert!(status.success(), "exited with {status}");
            break;
        }
        assert!(Instant::now() < deadline, "still running after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
}
