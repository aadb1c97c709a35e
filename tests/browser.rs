//! The widget and the demo news page in a real browser: starts two `bonafide demo` servers and
//! runs `tests/browser/widget.test.mjs` (node's test runner, playwright-core driving Debian's
//! headless Chromium) against them. Screenshots and the downloaded verdict are saved under
//! `target/tmp/browser-artifacts/`.
//!
//! Needs `/usr/bin/chromium` (or `CHROMIUM`) and Node.js; where either is missing the test says so
//! loudly and skips. `.ci/run` installs both, so in CI it never skips.

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_bonafide");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// A child process killed when dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `bonafide demo` on a free port in `dir`; returns it and its base URL once it has
/// registered the demo organisation.
fn demo(dir: &Path) -> (Running, String) {
    let mut child = Command::new(BIN)
        .args(["demo", "--bind", "127.0.0.1:0", "--data"])
        .arg(dir)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("bonafide demo starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let running = Running(child);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut seen = Vec::new();
    let mut base = None;
    while Instant::now() < deadline {
        let Ok(line) = rx.recv_timeout(Duration::from_millis(200)) else {
            continue;
        };
        if let Some(url) = line
            .strip_prefix("Open the organisation's news page, with the widget: ")
            .map(|u| u.trim_end_matches('/').to_owned())
        {
            base = Some(url);
        }
        let ready = line.contains("Press Ctrl-C to stop.");
        seen.push(line);
        if ready {
            if let Some(base) = base {
                return (running, base);
            }
            break;
        }
    }
    panic!(
        "bonafide demo did not print its news page and become ready; it printed:\n{}",
        seen.join("\n")
    );
}

/// The embedding tag the README publishes, with `https://HOST` for the service.
fn readme_tag() -> String {
    let readme = std::fs::read_to_string(Path::new(ROOT).join("README.md")).expect("README.md");
    readme
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("<script src=\"https://HOST/") && l.contains("integrity="))
        .expect("the README shows the widget's tag with its integrity")
        .to_owned()
}

/// Whether `program --version` runs.
fn runs(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Installs playwright-core from `tests/browser/package-lock.json` when it is not there yet.
fn playwright(dir: &Path) {
    if dir
        .join("node_modules/playwright-core/package.json")
        .exists()
    {
        return;
    }
    eprintln!(
        "installing playwright-core with npm ci in {}",
        dir.display()
    );
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(dir)
        .status()
        .expect("npm runs (Node.js is installed, so npm should be)");
    assert!(status.success(), "npm ci failed in {}", dir.display());
}

/// Registers, on the demo service at `url` whose data is in `dir`, a notice whose title and text
/// hold markup, signed with the demo's staff key through the command line as staff would.
fn publish_notice_with_markup(dir: &Path, url: &str) {
    let file = dir.join("notice-markup.json");
    let key = dir.join("demo-keys/alice.key");
    let steps: [Vec<std::ffi::OsString>; 3] = [
        [
            "statement",
            "new",
            "notice",
            "--org",
            "iucg",
            "--id",
            "iucg-notice-markup",
            "--title",
            "en=<img src=x onerror=\"window.__xss=1\"> Notice",
            "--text",
            "en=</p><script>window.__xss=1</script> Be careful.",
            "--out",
        ]
        .iter()
        .map(Into::into)
        .chain([file.clone().into_os_string()])
        .collect(),
        vec![
            "statement".into(),
            "sign".into(),
            file.clone().into_os_string(),
            "--key".into(),
            key.into_os_string(),
        ],
        vec![
            "statement".into(),
            "submit".into(),
            file.into_os_string(),
            "--server".into(),
            url.into(),
        ],
    ];
    for args in steps {
        let output = Command::new(BIN)
            .args(&args)
            .output()
            .expect("bonafide runs");
        assert!(
            output.status.success(),
            "bonafide {args:?} failed:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn the_widget_in_chromium() {
    let chromium = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    if !chromium.exists() || !runs("node") {
        // CI installs both (.ci/run): there a missing browser is a failure, not a skip.
        assert!(
            std::env::var_os("BONAFIDE_REQUIRE_BROWSER").is_none(),
            "BONAFIDE_REQUIRE_BROWSER is set, but Chromium ({}) or Node.js is missing",
            chromium.display()
        );
        eprintln!(
            "\n!!!!! SKIPPED: the browser tests need Chromium at {} and Node.js; install them \
             (apt-get install chromium nodejs npm) or run .ci/run !!!!!\n",
            chromium.display()
        );
        return;
    }
    let browser_dir = Path::new(ROOT).join("tests/browser");
    playwright(&browser_dir);
    let artifacts = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-artifacts");
    let _ = std::fs::remove_dir_all(&artifacts);
    std::fs::create_dir_all(&artifacts).expect("artifacts directory");

    let data = tempfile::tempdir().expect("temp dir");
    let (_server, base) = demo(&data.path().join("main"));
    let (down, down_url) = demo(&data.path().join("down"));
    publish_notice_with_markup(&data.path().join("down"), &down_url);

    let output = Command::new("node")
        .args(["--test", "--test-concurrency=1", "widget.test.mjs"])
        .current_dir(&browser_dir)
        .env("BONAFIDE_URL", &base)
        .env("BONAFIDE_DOWN_URL", &down_url)
        .env("BONAFIDE_DOWN_PID", down.0.id().to_string())
        .env("WIDGET_TAG", readme_tag())
        .env("ARTIFACTS", &artifacts)
        .env("FIXTURES", Path::new(ROOT).join("tests/fixtures"))
        .env("CHROMIUM", &chromium)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    eprintln!("{stderr}");
    assert!(
        output.status.success(),
        "browser tests failed (screenshots in {})",
        artifacts.display()
    );
    drop(down);

    // The verdict the page offered for download verifies offline with the command-line tool.
    let verdict = artifacts.join("verdict.jwt");
    let verified = Command::new(BIN)
        .arg("verify")
        .arg(&verdict)
        .args(["--jwks", &format!("{base}/.well-known/jwks.json")])
        .output()
        .expect("bonafide verify runs");
    assert!(
        verified.status.success(),
        "the downloaded verdict does not verify:\n{}{}",
        String::from_utf8_lossy(&verified.stdout),
        String::from_utf8_lossy(&verified.stderr)
    );
    for shot in [
        "news-page",
        "notice-tampered",
        "contact-fraud_risk",
        "agreement-fraud",
        "message-fraud",
        "hostile-host",
        "service-down",
    ] {
        assert!(
            artifacts.join(format!("{shot}.png")).exists(),
            "no screenshot {shot}.png"
        );
    }
}
