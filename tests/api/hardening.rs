//! Hardening (issue 14): uploads cannot take the service's memory or hold it forever (an
//! agreement for an unknown organisation is refused before its body is read, a body that
//! stalls is cut off with 408, no more uploads are received at once than are admitted: the
//! others get 503 with `Retry-After`, so that upload memory is bounded by `admitted ×
//! max_bytes`), a time past year 9999 is a 400, a burst of connections is not reset, and every
//! answer says `nosniff`. Raw TCP where the point is what the server does before a body has
//! arrived.

use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

use crate::helpers::TestApp;

/// The host and port of the app.
fn host(app: &TestApp) -> String {
    app.address.trim_start_matches("http://").to_owned()
}

/// Sends the head of a `POST path` announcing `length` bytes, then `body` (maybe less).
async fn start_upload(app: &TestApp, path: &str, length: usize, body: &[u8]) -> TcpStream {
    let mut stream = TcpStream::connect(host(app)).await.expect("connects");
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/octet-stream\r\n\
         Content-Length: {length}\r\n\r\n",
        host(app)
    );
    stream.write_all(head.as_bytes()).await.expect("head sent");
    stream.write_all(body).await.expect("body sent");
    stream
}

/// The status and JSON body of the answer on `stream`, which must come within `within`.
async fn answer(stream: &mut TcpStream, within: Duration) -> (u16, String, Value) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let read = async {
        loop {
            let n = stream.read(&mut chunk).await.expect("reads");
            if n == 0 {
                break;
            }
            buf.extend_from_slice(&chunk[..n]);
            let text = String::from_utf8_lossy(&buf);
            if let Some(at) = text.find("\r\n\r\n")
                && let Some(len) = text[..at]
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().to_owned())
                    })
                    .and_then(|v| v.parse::<usize>().ok())
                && buf.len() >= at + 4 + len
            {
                break;
            }
        }
    };
    tokio::time::timeout(within, read)
        .await
        .expect("an answer before the body was sent");
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let (head, body) = text.split_once("\r\n\r\n").expect("a head and a body");
    let json = serde_json::from_str(body).unwrap_or(Value::Null);
    (status, head.to_owned(), json)
}

#[tokio::test]
async fn an_upload_for_an_unknown_organisation_is_refused_before_its_body_is_read() {
    let app = TestApp::demo_with_documents(|_| {}).await;
    // Ten megabytes announced, none sent: the answer cannot wait for them.
    let mut stream = start_upload(
        &app,
        "/v1/checks/agreement?org=no-such-org",
        10 * 1024 * 1024,
        b"",
    )
    .await;
    let (status, _, body) = answer(&mut stream, Duration::from_secs(10)).await;
    assert_eq!(status, 404, "{body}");
    assert_eq!(body["error"]["code"], "unknown_org", "{body}");
}

#[tokio::test]
async fn a_stalled_body_is_cut_off_with_408_in_the_envelope() {
    let app = TestApp::demo_with_documents(|d| d.body_deadline = Duration::from_secs(1)).await;
    let mut stream = start_upload(
        &app,
        "/v1/checks/agreement?org=iucg",
        1024 * 1024,
        b"%PDF-1.7\n",
    )
    .await;
    let (status, head, body) = answer(&mut stream, Duration::from_secs(10)).await;
    assert_eq!(status, 408, "{body}");
    assert_eq!(body["error"]["code"], "request_timeout", "{body}");
    assert!(
        head.to_ascii_lowercase().contains("connection: close"),
        "{head}"
    );
    // The same for JSON bodies: a contact check that never finishes arriving.
    let mut stream = TcpStream::connect(host(&app)).await.expect("connects");
    let head = format!(
        "POST /v1/checks/contact HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
         Content-Length: 100\r\n\r\n{{\"org\":",
        host(&app)
    );
    stream.write_all(head.as_bytes()).await.expect("sent");
    let (status, _, body) = answer(&mut stream, Duration::from_secs(10)).await;
    assert_eq!(status, 408, "{body}");
}

#[tokio::test]
async fn uploads_beyond_those_admitted_wait_then_get_503_with_retry_after() {
    let app = TestApp::demo_with_documents(|d| {
        d.admitted = 1;
        d.parallel = 1;
        d.deadline = Duration::from_secs(1);
        d.body_deadline = Duration::from_secs(30);
    })
    .await;
    // The one admitted upload stalls, holding its place.
    let _held = start_upload(&app, "/v1/checks/agreement?org=iucg", 1024 * 1024, b"%PDF").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let text = b"Party A: IUCG Investment Co., Ltd.\n";
    let mut stream = start_upload(&app, "/v1/checks/agreement?org=iucg", text.len(), text).await;
    let (status, head, body) = answer(&mut stream, Duration::from_secs(10)).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["error"]["code"], "busy", "{body}");
    assert!(
        head.to_ascii_lowercase().contains("retry-after: 1"),
        "{head}"
    );
    // Once the stalled one is gone, uploads are admitted again.
    drop(_held);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut stream = start_upload(&app, "/v1/checks/agreement?org=iucg", text.len(), text).await;
    let (status, _, body) = answer(&mut stream, Duration::from_secs(20)).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn a_time_past_year_9999_is_a_400_never_a_dropped_connection() {
    let app = TestApp::demo_with_documents(|_| {}).await;
    for path in [
        "/v1/orgs/iucg/keys?as_of=9999-12-31T23%3A59%3A59-23%3A59",
        "/v1/orgs/iucg/statements?as_of=9999-12-31T23%3A59%3A59-23%3A59",
    ] {
        let response = app
            .client
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .expect("an answer");
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        assert_eq!(status, 400, "{path}: {body}");
        assert!(body["error"]["code"].is_string(), "{path}: {body}");
    }
    let response = app
        .client
        .post(format!("{}/v1/checks/contact", app.address))
        .json(
            &serde_json::json!({"org": "iucg", "phone": "+86 138 0013 8000",
            "as_of": "9999-12-31T23:59:59-23:59"}),
        )
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 400);
}

#[tokio::test]
async fn a_burst_of_a_thousand_connections_is_answered_not_reset() {
    let app = TestApp::demo_with_documents(|_| {}).await;
    // All connect before any is served: a backlog of 128 reset about a quarter of them.
    let mut streams = Vec::with_capacity(1000);
    for _ in 0..1000 {
        streams.push(tokio::spawn(TcpStream::connect(host(&app))));
    }
    let mut connected = Vec::with_capacity(1000);
    for s in streams {
        connected.push(s.await.expect("joined").expect("connected, not refused"));
    }
    let tasks: Vec<_> = connected
        .into_iter()
        .map(|mut stream| {
            let head = format!(
                "GET /healthz HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
                host(&app)
            );
            tokio::spawn(async move {
                stream.write_all(head.as_bytes()).await?;
                let mut answer = Vec::new();
                stream.read_to_end(&mut answer).await?;
                std::io::Result::Ok(String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 200"))
            })
        })
        .collect();
    let mut answered = 0;
    for t in tasks {
        if t.await.expect("joined").unwrap_or(false) {
            answered += 1;
        }
    }
    assert_eq!(answered, 1000, "connections answered");
}

#[tokio::test]
async fn every_answer_says_nosniff_errors_and_the_widget_included() {
    let app = TestApp::demo_with_documents(|_| {}).await;
    for (method, path) in [
        ("GET", "/healthz"),
        ("GET", "/v1/orgs/iucg"),
        ("GET", "/v1/orgs/no-such-org"),
        ("POST", "/v1/checks/contact"),
        ("GET", "/widget.js"),
        ("GET", "/no/such/path"),
    ] {
        let request = match method {
            "POST" => app.client.post(format!("{}{path}", app.address)).body("{"),
            _ => app.client.get(format!("{}{path}", app.address)),
        };
        let response = request.send().await.expect("an answer");
        assert_eq!(
            response
                .headers()
                .get("x-content-type-options")
                .and_then(|v| v.to_str().ok()),
            Some("nosniff"),
            "{method} {path}: {}",
            response.status()
        );
    }
}

/// `GET /v1/orgs/iucg/statements` with `query`: the answer's Link header and JSON.
async fn page(app: &TestApp, query: &str) -> (Option<String>, Value) {
    let response = app.get(&format!("/v1/orgs/iucg/statements?{query}")).await;
    assert_eq!(response.status(), 200, "{query}");
    let link = response
        .headers()
        .get("link")
        .map(|v| v.to_str().expect("ascii").to_owned());
    (link, response.json().await.expect("json"))
}

fn indices(list: &Value) -> Vec<u64> {
    list["statements"]
        .as_array()
        .expect("statements")
        .iter()
        .map(|s| s["log_index"].as_u64().expect("index"))
        .collect()
}

#[tokio::test]
async fn the_statements_listing_comes_in_pages_that_a_cursor_walks_without_gaps() {
    let app = TestApp::with_demo().await;
    let now = app.now();
    for i in 0..5 {
        let signed = crate::helpers::sign(
            &crate::helpers::warning(&format!("w-page-{i}"), now),
            &[&app.keys.bob],
        );
        assert_eq!(app.submit(&signed).await.status(), 201);
    }
    let (link, all) = page(&app, "limit=1000").await;
    assert_eq!(link, None, "one page holds them all");
    assert_eq!(all["next_after"], Value::Null);
    let all = indices(&all);
    assert!(all.len() > 7, "the demo and five warnings: {all:?}");
    let as_of = serde_json::json!(now.to_string());

    // Walk the pages three at a time, as a client would, following next_after.
    let mut walked: Vec<u64> = Vec::new();
    let mut query = format!("limit=3&as_of={}", now.to_string().replace('+', "%2B"));
    let mut pages = 0;
    loop {
        pages += 1;
        assert!(pages < 100, "the cursor does not advance");
        let (link, list) = page(&app, &query).await;
        assert_eq!(list["as_of"], as_of);
        let got = indices(&list);
        assert!(got.len() <= 3, "{got:?}");
        walked.extend(&got);
        match list["next_after"].as_u64() {
            Some(next) => {
                assert_eq!(
                    Some(&next),
                    got.last(),
                    "the cursor is the page's last index"
                );
                let link = link.expect("a Link to the next page");
                assert!(
                    link.contains(&format!("after={next}")) && link.ends_with("rel=\"next\""),
                    "{link}"
                );
                // A statement appended while a client pages is never met twice nor skips one.
                if pages == 1 {
                    let signed = crate::helpers::sign(
                        &crate::helpers::warning("w-page-late", now),
                        &[&app.keys.bob],
                    );
                    assert_eq!(app.submit(&signed).await.status(), 201);
                }
                let path = link
                    .trim_start_matches('<')
                    .split('>')
                    .next()
                    .expect("a URL");
                query = path.split_once('?').expect("a query").1.to_owned();
            }
            None => {
                assert_eq!(link, None, "no Link on the last page");
                break;
            }
        }
    }
    assert_eq!(
        &walked[..all.len()],
        &all[..],
        "every statement once, in log order"
    );
    assert_eq!(
        walked.len(),
        all.len() + 1,
        "and the one appended meanwhile, last"
    );

    // The default page holds 100; past the end is an empty last page.
    let (_, last) = page(&app, &format!("after={}", walked.last().expect("one"))).await;
    assert_eq!(indices(&last), Vec::<u64>::new());
    assert_eq!(last["next_after"], Value::Null);

    for bad in ["limit=0", "limit=1001", "limit=-1", "after=x", "after=-3"] {
        let response = app.get(&format!("/v1/orgs/iucg/statements?{bad}")).await;
        let (status, code, message) = crate::helpers::error_of(response).await;
        assert_eq!(
            (status, code.as_str()),
            (400, "invalid_query"),
            "{bad}: {message}"
        );
    }
}

#[tokio::test]
async fn a_client_over_its_rate_gets_429_in_the_envelope_with_retry_after_before_its_body_is_read()
{
    let app = TestApp::demo_with(|settings| {
        settings.rate_limits = bonafide::http::RateLimits {
            checks: bonafide::http::Rate::new(1, 3),
            uploads: bonafide::http::Rate::new(1, 1),
            trusted_proxies: Vec::new(),
        };
    })
    .await;
    let body = serde_json::json!({"org": "iucg", "phone": "+86 170 0000 1234"});
    for _ in 0..3 {
        assert_eq!(app.check_contact(&body).await.status(), 200);
    }
    let refused = app
        .client
        .post(app.url("/v1/checks/contact"))
        .header("origin", "https://news.example")
        .json(&body)
        .send()
        .await
        .expect("answers");
    let retry: u64 = refused
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After in seconds");
    assert!((1..=60).contains(&retry), "{retry}");
    assert!(
        refused
            .headers()
            .contains_key("access-control-allow-origin"),
        "a page can read the refusal"
    );
    let (status, code, message) = crate::helpers::error_of(refused).await;
    assert_eq!((status, code.as_str()), (429, "rate_limited"), "{message}");
    // Messages share the checks' bucket; uploads have their own, refused before the body.
    let message = app
        .check_message(&serde_json::json!({"org": "iucg", "text": "hello"}))
        .await;
    assert_eq!(message.status(), 429);
    let mut first = start_upload(&app, "/v1/checks/agreement?org=iucg", 5, b"hello").await;
    let (status, _, _) = answer(&mut first, Duration::from_secs(10)).await;
    assert_ne!(status, 429);
    let mut second = start_upload(&app, "/v1/checks/agreement?org=iucg", 10_000_000, b"").await;
    let (status, _, body) = answer(&mut second, Duration::from_secs(5)).await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(body["error"]["code"], "rate_limited");
}
