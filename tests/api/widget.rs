//! What the widget relies on: the notice endpoint, the widget script's caching and integrity,
//! CORS for public endpoints only, and the demo news page.

use bonafide::crypto::{GeneralJws, STATEMENT_TYP, sri_sha384};
use bonafide::widget;
use serde_json::{Value, json};

use crate::helpers::{TestApp, error_of, statement};

const ORIGIN: &str = "https://news.example";

#[tokio::test]
async fn the_notice_in_force_is_served_with_its_signed_envelope() {
    let app = TestApp::with_demo().await;

    let response = app.get("/v1/orgs/iucg/notice").await;

    assert_eq!(response.status(), 200);
    let item: Value = response.json().await.expect("JSON");
    assert_eq!(item["id"], "iucg-notice-investment-agreements");
    assert_eq!(item["status"], "active");
    let envelope = serde_json::to_vec(&item["envelope"]).expect("envelope");
    let jws = GeneralJws::parse(&envelope, STATEMENT_TYP).expect("a statement JWS");
    assert!(jws.verify(0, &app.keys.alice.verifying_key()));
    let signed: Value = serde_json::from_slice(jws.payload()).expect("payload");
    assert_eq!(signed, item["statement"]);
    assert_eq!(signed["text"]["en"], bonafide::demo::NOTICE_EN);
}

#[tokio::test]
async fn the_latest_notice_in_force_is_served_and_a_time_before_any_has_none() {
    let app = TestApp::with_demo().await;
    let before = app.now();
    app.clock.advance(time::Duration::hours(1));
    let newer = statement(
        "notice",
        "iucg-notice-2",
        app.now(),
        json!({"title": {"en": "Second notice"}, "text": {"en": "We never ask for deposits."}}),
    );
    assert_eq!(
        app.submit_signed(&newer, &[&app.keys.alice]).await.status(),
        201
    );

    let now = app.get_json("/v1/orgs/iucg/notice").await;
    let earlier = app
        .get_json(&format!("/v1/orgs/iucg/notice?as_of={before}"))
        .await;
    let none = app
        .get("/v1/orgs/iucg/notice?as_of=2020-01-01T00:00:00Z")
        .await;

    assert_eq!(now["id"], "iucg-notice-2");
    assert_eq!(earlier["id"], "iucg-notice-investment-agreements");
    let (status, code, message) = error_of(none).await;
    assert_eq!((status, code.as_str()), (404, "not_found"));
    assert!(message.contains("no notice in force"), "{message}");
    let (status, _, _) = error_of(app.get("/v1/orgs/nobody/notice").await).await;
    assert_eq!(status, 404);
}

/// A CORS preflight for `method` on `path` from [`ORIGIN`].
async fn preflight(app: &TestApp, path: &str, method: &str) -> reqwest::Response {
    app.client
        .request(reqwest::Method::OPTIONS, app.url(path))
        .header("Origin", ORIGIN)
        .header("Access-Control-Request-Method", method)
        .header("Access-Control-Request-Headers", "content-type")
        .send()
        .await
        .expect("the service answers")
}

fn header<'a>(response: &'a reqwest::Response, name: &str) -> Option<&'a str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn public_endpoints_answer_cors_from_any_origin_without_credentials() {
    let app = TestApp::with_demo().await;

    for path in ["/v1/checks/contact", "/v1/checks/agreement"] {
        let response = preflight(&app, path, "POST").await;
        assert!(
            response.status().is_success(),
            "{path}: {}",
            response.status()
        );
        assert_eq!(header(&response, "access-control-allow-origin"), Some("*"));
        assert!(
            header(&response, "access-control-allow-methods").is_some_and(|m| m.contains("POST"))
        );
        assert_eq!(header(&response, "access-control-allow-credentials"), None);
    }
    for path in [
        "/v1/orgs/iucg",
        "/v1/orgs/iucg/keys",
        "/v1/orgs/iucg/notice",
        "/.well-known/jwks.json",
        "/v1/log/checkpoint",
        "/widget.js",
    ] {
        let response = app
            .client
            .get(app.url(path))
            .header("Origin", ORIGIN)
            .send()
            .await
            .expect("answer");
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(
            header(&response, "access-control-allow-origin"),
            Some("*"),
            "{path}"
        );
    }
    // An error is readable by the page too, so the widget can say what went wrong.
    let refused = app
        .client
        .post(app.url("/v1/checks/contact"))
        .header("Origin", ORIGIN)
        .json(&json!({"org": "iucg", "phone": "<b>"}))
        .send()
        .await
        .expect("answer");
    assert_eq!(refused.status(), 400);
    assert_eq!(header(&refused, "access-control-allow-origin"), Some("*"));
}

#[tokio::test]
async fn the_staff_endpoint_answers_no_cors_request() {
    let app = TestApp::with_demo().await;

    let response = preflight(&app, "/v1/statements", "POST").await;
    let submitted = app
        .client
        .post(app.url("/v1/statements"))
        .header("Origin", ORIGIN)
        .header("Content-Type", "application/jose+json")
        .body("{}")
        .send()
        .await
        .expect("answer");

    assert!(!response.status().is_success(), "{}", response.status());
    assert_eq!(header(&response, "access-control-allow-origin"), None);
    assert_eq!(header(&submitted, "access-control-allow-origin"), None);
}

#[tokio::test]
async fn the_widget_script_is_versioned_cacheable_and_pinned_by_its_integrity() {
    let app = TestApp::spawn().await;

    let latest = app.get("/widget.js").await;
    assert_eq!(latest.status(), 200);
    assert_eq!(
        header(&latest, "content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert_eq!(
        header(&latest, "cache-control"),
        Some("public, max-age=300")
    );
    assert_eq!(header(&latest, "x-content-type-options"), Some("nosniff"));
    let etag = header(&latest, "etag").expect("an ETag").to_owned();
    let integrity = header(&latest, "bonafide-widget-integrity")
        .expect("the integrity header")
        .to_owned();
    let body = latest.bytes().await.expect("body");
    assert_eq!(sri_sha384(&body), integrity);
    assert_eq!(integrity, widget::integrity());

    let again = app
        .client
        .get(app.url("/widget.js"))
        .header("If-None-Match", &etag)
        .send()
        .await
        .expect("answer");
    assert_eq!(again.status(), 304);
    assert!(again.bytes().await.expect("body").is_empty());

    let compressed = app
        .client
        .get(app.url("/widget.js"))
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .expect("answer");
    assert_eq!(header(&compressed, "content-encoding"), Some("gzip"));
    let gzipped = compressed.bytes().await.expect("body");
    assert!(
        gzipped.len() * 2 < body.len(),
        "{} of {}",
        gzipped.len(),
        body.len()
    );

    let pinned = app
        .get(&format!("/widget/{}/widget.js", widget::release()))
        .await;
    assert_eq!(pinned.status(), 200);
    assert_eq!(
        header(&pinned, "cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    assert_eq!(pinned.bytes().await.expect("body"), body);
    let (status, code, _) = error_of(app.get("/widget/0.0.0-old/widget.js").await).await;
    assert_eq!((status, code.as_str()), (404, "not_found"));
    let head = app
        .client
        .head(app.url("/widget.js"))
        .send()
        .await
        .expect("answer");
    assert_eq!(head.status(), 200);
    assert_eq!(
        header(&head, "bonafide-widget-integrity"),
        Some(integrity.as_str())
    );
}

#[test]
fn the_readme_publishes_the_served_tag() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let expected = widget::script_tag("https://HOST", "iucg");
    assert!(
        readme.lines().any(|line| line.trim() == expected),
        "the README must show the widget's tag as the service serves it; put this line in it:\n{expected}"
    );
}

#[tokio::test]
async fn the_news_page_is_served_by_the_demo_only_under_a_strict_csp() {
    let plain = TestApp::with_demo().await;
    let (status, _, _) = error_of(plain.get("/").await).await;
    assert_eq!(status, 404);

    let app = TestApp::with_news_page().await;
    let page = app.get("/").await;
    let css = app.get("/news.css").await;

    assert_eq!(page.status(), 200);
    let csp = header(&page, "content-security-policy")
        .expect("a CSP")
        .to_owned();
    assert!(csp.contains("script-src 'self'") && csp.contains("default-src 'none'"));
    assert!(!csp.contains("unsafe"), "{csp}");
    let html = page.text().await.expect("HTML");
    assert!(html.contains(&widget::script_tag(&app.address, "iucg")));
    assert!(html.contains("Notice on investment agreements and fees"));
    assert_eq!(css.status(), 200);
    assert_eq!(
        header(&css, "content-type"),
        Some("text/css; charset=utf-8")
    );
}
