//! The Docker files, checked without a Docker engine (this machine has none): every `BONAFIDE_*`
//! variable that docker/Dockerfile, docker/compose.yaml and docker/nginx.conf name, and every
//! `bonafide` subcommand and `--flag` they run (in instructions and in the commands their
//! comments tell an operator to run), must exist in the built binary's `--help`. The Dockerfile
//! must build in one stage and run in another, as a non-root user, with a health check; compose
//! must run PostgreSQL, two bonafide replicas and a load balancer wired to each other. Then
//! `bonafide health` itself, against a one-answer HTTP server.

use std::collections::{BTreeSet, HashMap};
use std::io::{Read as _, Write as _};
use std::path::PathBuf;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_bonafide");

/// The image name docker/compose.yaml gives the build; `docker run IMAGE ARGS` runs bonafide.
const IMAGE: &str = "bonafide:local";

/// The files checked, relative to the repository root.
const FILES: [&str; 3] = [
    "docker/Dockerfile",
    "docker/compose.yaml",
    "docker/nginx.conf",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

/// `bonafide <path> --help`, run with no `BONAFIDE_*` variable set, so that the help shows the
/// flags' variables as the binary declares them.
struct Help {
    cache: HashMap<Vec<String>, String>,
}

impl Help {
    fn new() -> Self {
        Self {
            cache: HashMap::new(),
        }
    }

    fn raw(&mut self, path: &[String]) -> &str {
        self.cache.entry(path.to_vec()).or_insert_with(|| {
            let mut command = Command::new(BIN);
            command.args(path).arg("--help");
            for (name, _) in std::env::vars_os() {
                if name.to_string_lossy().starts_with("BONAFIDE_") {
                    command.env_remove(name);
                }
            }
            let output = command.output().expect("bonafide runs");
            assert!(
                output.status.success(),
                "`bonafide {} --help` failed: {}",
                path.join(" "),
                String::from_utf8_lossy(&output.stderr)
            );
            String::from_utf8(output.stdout).expect("the help is UTF-8")
        })
    }

    /// The help with every run of whitespace made one space, so that a wrapped line reads as
    /// one.
    fn flat(&mut self, path: &[String]) -> String {
        self.raw(path)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The subcommands the help lists under `Commands:` (without `help`).
    fn subcommands(&mut self, path: &[String]) -> BTreeSet<String> {
        self.raw(path)
            .lines()
            .skip_while(|l| l.trim() != "Commands:")
            .skip(1)
            .take_while(|l| !l.trim().is_empty())
            .filter(|l| l.starts_with("  "))
            .filter_map(|l| l.split_whitespace().next())
            .filter(|name| *name != "help")
            .map(str::to_owned)
            .collect()
    }

    /// Whether the help lists `flag` (`--name`) as a flag of its own, not as the start of a
    /// longer one.
    fn has_flag(&mut self, path: &[String], flag: &str) -> bool {
        let help = self.flat(path);
        help.match_indices(flag).any(|(at, _)| {
            let before = help[..at].chars().next_back();
            let after = help[at + flag.len()..].chars().next();
            !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-')
                && !after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
    }

    /// Whether the help shows `variable` as a flag's `[env: ...]`.
    fn has_variable(&mut self, path: &[String], variable: &str) -> bool {
        let help = self.flat(path);
        help.contains(&format!("[env: {variable}=")) || help.contains(&format!("[env: {variable}]"))
    }
}

/// One run of bonafide found in a file: the words after `bonafide` (or after the image name).
#[derive(Debug)]
struct Invocation {
    place: String,
    args: Vec<String>,
}

/// The files' lines with comment markers removed and `\` continuations joined, each with the
/// number of its first line.
fn logical_lines(text: &str) -> Vec<(usize, String)> {
    let mut lines = Vec::new();
    let mut pending: Option<(usize, String)> = None;
    for (i, line) in text.lines().enumerate() {
        let content = line.trim_start().trim_start_matches('#').trim();
        let (start, mut joined) = match pending.take() {
            Some((start, so_far)) => (start, so_far + " "),
            None => (i + 1, String::new()),
        };
        match content.strip_suffix('\\') {
            Some(head) => {
                joined.push_str(head.trim_end());
                pending = Some((start, joined));
            }
            None => {
                joined.push_str(content);
                lines.push((start, joined));
            }
        }
    }
    lines.extend(pending);
    lines
}

/// The strings of a JSON exec form such as `["bonafide", "health", "--url", "..."]`.
fn json_strings(list: &str) -> Vec<String> {
    list.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

const OPENERS: [char; 5] = ['`', '\'', '"', '(', '['];
const OPERATORS: [&str; 8] = ["&&", "||", ";", "|", "&", "$", "then", "do"];

/// Every run of bonafide in `text`: JSON exec forms holding `"bonafide"`, the Dockerfile's
/// `CMD` after `ENTRYPOINT ["bonafide"]`, and shell commands (in instructions or comments) where
/// `bonafide` starts a command (at the start of a line, after a quote, a backtick or a shell
/// operator) or the image name is followed by a subcommand (`docker run ... bonafide:local
/// keygen ...`). A shell command ends at an operator, at the quote or backtick that closes it,
/// or at the end of the line.
fn invocations(file: &str, text: &str) -> Vec<Invocation> {
    let mut found = Vec::new();
    let entrypoint_is_bonafide = text
        .lines()
        .any(|l| l.trim() == r#"ENTRYPOINT ["bonafide"]"#);
    for (number, line) in logical_lines(text) {
        let place = format!("{file}:{number}");
        // JSON exec forms.
        let mut rest = line.as_str();
        while let Some(open) = rest.find('[') {
            let Some(close) = rest[open..].find(']') else {
                break;
            };
            let strings = json_strings(&rest[open..open + close]);
            // `["bonafide", ...]`, or a compose health check's `["CMD", "bonafide", ...]`.
            let at = match strings.first().map(String::as_str) {
                Some("CMD") => 1,
                _ => 0,
            };
            if strings.get(at).is_some_and(|s| s == "bonafide") {
                found.push(Invocation {
                    place: place.clone(),
                    args: strings[at + 1..].to_vec(),
                });
            }
            rest = &rest[open + close..];
        }
        if entrypoint_is_bonafide && let Some(cmd) = line.strip_prefix("CMD ") {
            found.push(Invocation {
                place: place.clone(),
                args: json_strings(cmd),
            });
        }
        // Shell commands.
        let tokens: Vec<&str> = line.split_whitespace().collect();
        for (i, raw) in tokens.iter().enumerate() {
            let opened = raw.trim_start_matches(OPENERS);
            let word = opened.trim_end_matches(|c: char| "`'\",;)]".contains(c));
            let starts = if word == "bonafide" {
                i == 0 || opened.len() < raw.len() || OPERATORS.contains(&tokens[i - 1])
            } else {
                word == IMAGE
                    && tokens
                        .get(i + 1)
                        .is_some_and(|next| next.starts_with(|c: char| c.is_ascii_lowercase()))
            };
            if !starts || word.len() < opened.len() {
                continue;
            }
            let mut args = Vec::new();
            for token in &tokens[i + 1..] {
                if OPERATORS.contains(token) {
                    break;
                }
                // A quote or backtick closing the command, before any punctuation after it.
                let core = token.trim_end_matches([',', '.', ':', ')']);
                let closes = ['`', '\'', '"']
                    .iter()
                    .any(|q| core.ends_with(*q) && core.matches(*q).count() % 2 == 1);
                let ends = closes || token.ends_with(';') || token.ends_with('&');
                let arg = core.trim_end_matches(|c: char| "`'\";&".contains(c));
                if !arg.is_empty() {
                    args.push(arg.to_owned());
                }
                if ends {
                    break;
                }
            }
            found.push(Invocation {
                place: place.clone(),
                args,
            });
        }
    }
    found.retain(|invocation| !invocation.args.is_empty());
    found
}

/// Every `BONAFIDE_*` name in `text`.
fn variables(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut rest = text;
    while let Some(at) = rest.find("BONAFIDE_") {
        let tail = &rest[at..];
        let end = tail
            .find(|c: char| !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
            .unwrap_or(tail.len());
        let name = tail[..end].trim_end_matches('_');
        // `BONAFIDE_*` in prose names them all, not one.
        if name != "BONAFIDE" {
            names.insert(name.to_owned());
        }
        rest = &tail[end..];
    }
    names
}

#[test]
fn every_subcommand_and_flag_the_docker_files_run_exists() {
    let mut help = Help::new();
    let mut used = BTreeSet::new();
    let mut problems = Vec::new();
    let mut count = 0;
    for file in FILES {
        for invocation in invocations(file, &read(file)) {
            count += 1;
            let mut path: Vec<String> = Vec::new();
            let mut args = invocation.args.iter().peekable();
            while let Some(word) = args.next_if(|a| !a.starts_with('-')) {
                let known = help.subcommands(&path);
                if known.is_empty() {
                    break; // a positional argument, such as keygen's key name
                }
                if !known.contains(word) {
                    problems.push(format!(
                        "{}: `bonafide {}`: no such subcommand (known: {known:?}); if this is \
                         prose, not a command, do not start a line with `bonafide WORD`",
                        invocation.place,
                        path.iter()
                            .chain([word])
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(" ")
                    ));
                    break;
                }
                path.push(word.clone());
            }
            if path.is_empty() {
                problems.push(format!(
                    "{}: `bonafide {}` names no subcommand",
                    invocation.place,
                    invocation.args.join(" ")
                ));
                continue;
            }
            for arg in args.filter(|a| a.starts_with('-')) {
                let flag = arg.split('=').next().unwrap_or(arg);
                if !flag.starts_with("--") {
                    problems.push(format!(
                        "{}: write `{flag}` as its long flag, which this test can check",
                        invocation.place
                    ));
                } else if !help.has_flag(&path, flag) {
                    problems.push(format!(
                        "{}: `bonafide {}` has no flag {flag}",
                        invocation.place,
                        path.join(" ")
                    ));
                }
            }
            used.insert(path.join(" "));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    for needed in ["serve", "health"] {
        assert!(
            used.contains(needed),
            "the Docker files never run `bonafide {needed}` (found: {used:?})"
        );
    }
    // The commands the comments give for the secrets are checked too.
    for needed in ["keys rotate", "keygen", "ping"] {
        assert!(
            used.contains(needed),
            "`bonafide {needed}` is no longer found in the Docker files (found {count} runs: {used:?}); \
             did the parser miss it?"
        );
    }
}

#[test]
fn every_variable_the_docker_files_name_exists() {
    let mut help = Help::new();
    let serve = vec!["serve".to_owned()];
    let health = vec!["health".to_owned()];
    let main = read("src/main.rs");
    let mut problems = Vec::new();
    let mut all = BTreeSet::new();
    for file in FILES {
        for variable in variables(&read(file)) {
            // BONAFIDE_LOG is the log filter, read by main rather than by a flag.
            let exists = if variable == "BONAFIDE_LOG" {
                main.contains("\"BONAFIDE_LOG\"")
            } else {
                help.has_variable(&serve, &variable) || help.has_variable(&health, &variable)
            };
            if !exists {
                problems.push(format!(
                    "{file}: {variable} is in neither `bonafide serve --help` nor `bonafide \
                     health --help`"
                ));
            }
            all.insert(variable);
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    for needed in [
        "BONAFIDE_BIND",
        "BONAFIDE_DATA",
        "BONAFIDE_DATABASE_URL",
        "BONAFIDE_KEYRING",
        "BONAFIDE_LOG_KEY",
        "BONAFIDE_OPERATOR_KEYS",
        "BONAFIDE_PUBLIC_URL",
        "BONAFIDE_CHECKPOINT_LOCK",
    ] {
        assert!(all.contains(needed), "the Docker files never set {needed}");
    }
}

/// The Dockerfile's instructions: (keyword in capitals, the rest), continuations joined.
fn instructions(dockerfile: &str) -> Vec<(String, String)> {
    logical_lines(
        &dockerfile
            .lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .collect::<Vec<_>>()
            .join("\n"),
    )
    .into_iter()
    .filter(|(_, line)| !line.is_empty())
    .map(|(_, line)| {
        let (keyword, rest) = line.split_once(' ').unwrap_or((&line, ""));
        (keyword.to_ascii_uppercase(), rest.trim().to_owned())
    })
    .collect()
}

/// "1.95" as (1, 95).
fn version(text: &str) -> (u32, u32) {
    let mut parts = text.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    (parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}

#[test]
fn the_dockerfile_builds_apart_and_runs_unprivileged_with_a_health_check() {
    let all = instructions(&read("docker/Dockerfile"));
    let froms: Vec<usize> = (0..all.len()).filter(|&i| all[i].0 == "FROM").collect();
    assert!(froms.len() > 1, "one FROM: not a multi-stage build");
    // The build stage uses a Rust at least as new as the crate's rust-version.
    let build_image = all[froms[0]].1.split_whitespace().next().unwrap_or("");
    let rust = build_image
        .strip_prefix("rust:")
        .unwrap_or_else(|| panic!("the build stage is {build_image}, not an official Rust image"));
    let manifest = read("Cargo.toml");
    let wanted = manifest
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = "))
        .map(|v| v.trim_matches('"'))
        .expect("Cargo.toml has a rust-version");
    assert!(
        version(rust.split('-').next().unwrap_or("")) >= version(wanted),
        "the build image {build_image} is older than rust-version {wanted}"
    );
    let build = &all[froms[0]..froms[froms.len() - 1]];
    assert!(
        build.iter().any(|(k, rest)| k == "RUN"
            && rest.contains("cargo build --release --locked")
            && rest.contains("--bin bonafide")),
        "the build stage does not run `cargo build --release --locked --bin bonafide`"
    );
    // What the build stage copies exists, and holds the crate's targets.
    let mut copied = Vec::new();
    for (keyword, rest) in build.iter().filter(|(k, _)| k == "COPY" || k == "ADD") {
        let words: Vec<&str> = rest.split_whitespace().collect();
        assert!(
            !words.iter().any(|w| w.starts_with("--from")),
            "{keyword} {rest}: the build stage copies from another stage"
        );
        for source in &words[..words.len() - 1] {
            assert!(
                root().join(source).exists(),
                "{keyword} {rest}: {source} does not exist"
            );
            copied.push(source.trim_end_matches('/').to_owned());
        }
    }
    for needed in ["Cargo.toml", "Cargo.lock", "src/main.rs", "src/lib.rs"] {
        assert!(
            copied
                .iter()
                .any(|c| needed == c || needed.starts_with(&format!("{c}/"))),
            "the build stage does not copy {needed} (it copies {copied:?})"
        );
    }

    let runtime = &all[froms[froms.len() - 1]..];
    let runtime_image = runtime[0].1.split_whitespace().next().unwrap_or("");
    assert!(
        runtime_image.ends_with("-slim") || runtime_image.contains("distroless"),
        "the runtime stage is {runtime_image}, not a small image"
    );
    let user = runtime
        .iter()
        .rev()
        .find(|(k, _)| k == "USER")
        .map(|(_, user)| user.as_str())
        .expect("the runtime stage sets no USER: it would run as root");
    let name = user.split(':').next().unwrap_or(user);
    assert!(
        !["root", "0", ""].contains(&name),
        "the image runs as {user}"
    );
    let health = runtime
        .iter()
        .find(|(k, _)| k == "HEALTHCHECK")
        .map(|(_, rest)| rest.as_str())
        .expect("no HEALTHCHECK");
    assert!(
        health.contains(r#"CMD ["bonafide", "health""#),
        "the HEALTHCHECK does not run `bonafide health`: {health}"
    );
    let has = |keyword: &str, value: &str| runtime.iter().any(|(k, v)| k == keyword && v == value);
    assert!(has("EXPOSE", "8080"), "no EXPOSE 8080");
    assert!(
        has("ENTRYPOINT", r#"["bonafide"]"#),
        "the entrypoint is not bonafide"
    );
    assert!(has("CMD", r#"["serve"]"#), "the command is not serve");
    let env: String = runtime
        .iter()
        .filter(|(k, _)| k == "ENV")
        .map(|(_, v)| format!("{v} "))
        .collect();
    for setting in ["BONAFIDE_BIND=0.0.0.0:8080", "BONAFIDE_DATA=/data"] {
        assert!(env.contains(setting), "no ENV {setting}");
    }
    assert!(
        runtime
            .iter()
            .any(|(k, v)| k == "VOLUME" && v.contains("\"/data\"")),
        "/data is no VOLUME"
    );
}

/// The top-level blocks of a compose file, or the services under `services:`: name → its text.
fn blocks(text: &str, indent: usize) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let depth = line.len() - line.trim_start().len();
        if depth < indent {
            if !found.is_empty() {
                break;
            }
            continue;
        }
        if depth == indent {
            let name = line.trim().split(':').next().unwrap_or("").to_owned();
            found.push((name, String::new()));
        } else if let Some((_, body)) = found.last_mut() {
            body.push_str(line.trim());
            body.push('\n');
        }
    }
    found
}

#[test]
fn compose_runs_postgres_two_replicas_and_a_load_balancer() {
    let compose = read("docker/compose.yaml");
    let top = blocks(&compose, 0);
    let block = |name: &str| {
        top.iter()
            .find(|(n, _)| n == name)
            .map(|(_, body)| body.clone())
            .unwrap_or_else(|| panic!("compose.yaml has no top-level {name}"))
    };
    let services_start = compose.find("\nservices:\n").expect("a services: block") + 1;
    let services = blocks(&compose[services_start + "services:\n".len()..], 2);
    let anchor = block("x-bonafide");
    let service = |name: &str| {
        let body = services
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, body)| body.clone())
            .unwrap_or_else(|| panic!("compose.yaml has no service {name}"));
        // Replicas take the shared settings from the x-bonafide anchor.
        if body.contains("<<: *bonafide") {
            format!("{anchor}{body}")
        } else {
            body
        }
    };

    let postgres = service("postgres");
    assert!(postgres.contains("image: postgres:15"), "{postgres}");
    assert!(
        postgres.contains("pg_isready"),
        "postgres has no pg_isready health check"
    );
    assert!(
        postgres.contains(":/var/lib/postgresql/data"),
        "postgres keeps no volume"
    );

    let replicas: Vec<&String> = services
        .iter()
        .map(|(name, _)| name)
        .filter(|name| service(name).contains("dockerfile: docker/Dockerfile"))
        .collect();
    assert_eq!(
        replicas,
        ["bonafide-a", "bonafide-b"],
        "the bonafide services"
    );
    assert!(
        anchor.contains("context: ..") && root().join("docker/Dockerfile").is_file(),
        "the build context is not the repository root"
    );
    let mut volumes = BTreeSet::new();
    for name in &replicas {
        let body = service(name);
        let setting = |variable: &str| {
            body.lines()
                .find_map(|l| l.strip_prefix(&format!("{variable}: ")))
                .map(|v| v.trim_matches('"').to_owned())
                .unwrap_or_else(|| panic!("{name} does not set {variable}"))
        };
        assert!(
            setting("BONAFIDE_DATABASE_URL").starts_with("postgres://bonafide:")
                && setting("BONAFIDE_DATABASE_URL").ends_with("@postgres:5432/bonafide"),
            "{name} is not on the postgres service"
        );
        assert!(
            body.contains("postgres:\ncondition: service_healthy"),
            "{name} does not wait for postgres to be healthy"
        );
        assert!(
            body.contains("- ./secrets:/run/secrets/bonafide:ro"),
            "{name} does not mount the secrets read-only"
        );
        for variable in [
            "BONAFIDE_KEYRING",
            "BONAFIDE_LOG_KEY",
            "BONAFIDE_OPERATOR_KEYS",
        ] {
            assert!(
                setting(variable).starts_with("/run/secrets/bonafide/"),
                "{name}: {variable} is not in the shared secrets"
            );
        }
        assert!(setting("BONAFIDE_PUBLIC_URL").contains("http"), "{name}");
        assert_eq!(setting("BONAFIDE_DATA"), "/data", "{name}");
        assert!(
            setting("BONAFIDE_CHECKPOINT_LOCK").starts_with("/checkpoint/"),
            "{name}: the checkpoint lock is not on its own volume"
        );
        for mount in ["/data", "/checkpoint"] {
            let volume = body
                .lines()
                .find_map(|l| l.strip_prefix("- ")?.strip_suffix(&format!(":{mount}")))
                .unwrap_or_else(|| panic!("{name} mounts no volume at {mount}"))
                .to_owned();
            assert!(
                volumes.insert(volume.clone()),
                "{name} shares the volume {volume} with another replica"
            );
            assert!(
                block("volumes").contains(&format!("{volume}:")),
                "{volume} is not declared"
            );
        }
    }

    let balancers: Vec<(String, String)> = services
        .iter()
        .map(|(name, _)| (name.clone(), service(name)))
        .filter(|(_, body)| body.contains("image: nginx:"))
        .collect();
    assert_eq!(balancers.len(), 1, "one nginx load balancer");
    let (_, balancer) = &balancers[0];
    assert!(
        balancer.contains("- \"8080:8080\""),
        "the balancer does not publish 8080"
    );
    assert!(
        balancer.contains("- ./nginx.conf:/etc/nginx/conf.d/default.conf:ro"),
        "the balancer does not use docker/nginx.conf"
    );
    let nginx = read("docker/nginx.conf");
    for replica in &replicas {
        assert!(
            nginx.contains(&format!("server {replica}:8080;")),
            "nginx does not send to {replica}"
        );
    }
    // TLS with HSTS for the public; metrics never passed.
    for line in [
        "listen 8443 ssl;",
        "ssl_certificate /etc/nginx/tls/fullchain.pem;",
        "add_header Strict-Transport-Security \"max-age=63072000; includeSubDomains\" always;",
        "return 308 https://",
    ] {
        assert!(nginx.contains(line), "nginx.conf lacks {line:?}");
    }
    let metrics = nginx
        .split("location = /metrics {")
        .nth(1)
        .expect("nginx names /metrics");
    assert!(
        metrics.trim_start().starts_with("return 404;"),
        "nginx passes /metrics"
    );
    assert!(
        balancer.contains("- ./tls:/etc/nginx/tls:ro"),
        "the balancer has no certificate"
    );
    for header in [
        "proxy_set_header Host $http_host;",
        "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "proxy_set_header X-Forwarded-Proto $scheme;",
    ] {
        assert!(nginx.contains(header), "nginx does not pass {header}");
    }
}

/// A server on a free loopback port answering one request with `status`; its base URL.
fn answer_once(status: &'static str) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let address = listener.local_addr().expect("its address");
    std::thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let mut request = [0_u8; 4096];
            let _ = stream.read(&mut request);
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            );
        }
    });
    format!("http://{address}")
}

fn health(url: &str) -> (Option<i32>, String) {
    let output = Command::new(BIN)
        .args(["health", "--url", url, "--timeout-seconds", "5"])
        .output()
        .expect("bonafide runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code(), text)
}

#[test]
fn health_exits_0_on_2xx_and_1_otherwise_printing_one_line() {
    let url = format!("{}/readyz", answer_once("200 OK"));
    let (code, text) = health(&url);
    assert_eq!(code, Some(0), "{text}");
    assert_eq!(text, format!("healthy: {url} answered 200 OK\n"));

    let url = format!("{}/readyz", answer_once("503 Service Unavailable"));
    let (code, text) = health(&url);
    assert_eq!(code, Some(1), "{text}");
    assert_eq!(
        text,
        format!("error: unhealthy: {url} answered 503 Service Unavailable\n")
    );

    // Nothing listening.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let url = format!("http://127.0.0.1:{port}/readyz");
    let (code, text) = health(&url);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.starts_with(&format!("error: unhealthy: cannot reach {url}"))
            && text.lines().count() == 1,
        "{text}"
    );
}
