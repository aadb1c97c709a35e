//! The served OpenAPI description against the service itself: every route the service serves is
//! in it, with exactly the methods the route takes. (That it lists exactly the error codes the
//! API answers with is a unit test beside the codes, in `src/http/error.rs`.)

use std::collections::BTreeSet;

use serde_json::Value;

use crate::helpers::{TestApp, error_of};

/// The methods tried on every path.
const METHODS: [&str; 6] = ["get", "head", "post", "put", "patch", "delete"];

/// The routes that are pages for people, not API: the demo's news page around the widget.
const PAGES: [&str; 3] = ["/", "/news.css", "/favicon.svg"];

async fn spec(app: &TestApp) -> Value {
    let response = app.get("/openapi.json").await;
    assert_eq!(response.status(), 200);
    let kind = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(kind.starts_with("application/json"), "{kind}");
    let spec: Value = response.json().await.expect("the description is JSON");
    assert!(
        spec["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1.")),
        "OpenAPI 3.1: {}",
        spec["openapi"]
    );
    spec
}

#[tokio::test]
async fn every_route_in_the_code_is_described() {
    let app = TestApp::with_demo().await;
    let spec = spec(&app).await;
    let described: BTreeSet<&str> = spec["paths"]
        .as_object()
        .expect("paths")
        .keys()
        .map(String::as_str)
        .collect();
    // Every path the router is given, read from the router's source.
    let routes = include_str!("../../src/http/routes.rs");
    let served: BTreeSet<&str> = routes
        .split('"')
        .skip(1)
        .step_by(2)
        .filter(|s| s.starts_with('/') && !s.contains(' '))
        .filter(|s| !PAGES.contains(s))
        .collect();
    assert!(
        served.len() >= 20,
        "the router's paths were read: {served:?}"
    );
    let missing: Vec<_> = served.difference(&described).collect();
    assert!(missing.is_empty(), "served but not described: {missing:?}");
    let stale: Vec<_> = described.difference(&served).collect();
    assert!(stale.is_empty(), "described but not served: {stale:?}");
}

#[tokio::test]
async fn every_described_path_takes_exactly_the_described_methods() {
    let app = TestApp::with_demo().await;
    let spec = spec(&app).await;
    let release = app
        .get("/widget.js")
        .await
        .headers()
        .get("bonafide-widget-version")
        .and_then(|v| v.to_str().ok())
        .expect("the widget's release")
        .to_owned();
    for (path, operations) in spec["paths"].as_object().expect("paths") {
        let url = app.url(
            &path
                .replace("{org}", "iucg")
                .replace("{index}", "0")
                .replace("{release}", &release),
        );
        for method in METHODS {
            let response = app
                .client
                .request(method.to_uppercase().parse().expect("a method"), &url)
                .send()
                .await
                .expect("request sent");
            let status = response.status().as_u16();
            if operations.get(method).is_some() {
                assert_ne!(status, 405, "{method} {path} is described but refused");
                if status == 404 && method != "head" {
                    let (_, code, message) = error_of(response).await;
                    assert!(
                        !(code == "not_found" && message == "no such endpoint"),
                        "{method} {path} is described but not routed"
                    );
                }
            } else {
                assert_eq!(status, 405, "{method} {path} is not described but answered");
                // RFC 9110: a 405 lists what the path takes, which is what is described.
                let allow: BTreeSet<String> = response
                    .headers()
                    .get("allow")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .split(',')
                    .map(|m| m.trim().to_lowercase())
                    .filter(|m| !m.is_empty())
                    .collect();
                let described: BTreeSet<String> = operations
                    .as_object()
                    .expect("operations")
                    .keys()
                    .filter(|k| METHODS.contains(&k.as_str()))
                    .cloned()
                    .collect();
                assert_eq!(allow, described, "Allow on {method} {path}");
                if method != "head" {
                    let (_, code, _) = error_of(response).await;
                    assert_eq!(code, "method_not_allowed", "{method} {path}");
                }
            }
        }
    }
}
