//! Operations over HTTP: request ids and Prometheus metrics.

use serde_json::json;

use crate::helpers::TestApp;

fn request_id(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .expect("an X-Request-Id")
        .to_owned()
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_a_plain_one_is_kept() {
    let app = TestApp::spawn().await;

    let fresh = app.get("/healthz").await;
    let other = app.get("/no/such/path").await;
    let given = app
        .client
        .get(app.url("/healthz"))
        .header("X-Request-Id", "lb-7f3a.42")
        .send()
        .await
        .expect("answer");
    let hostile = app
        .client
        .get(app.url("/healthz"))
        .header("X-Request-Id", "<script>alert(1)</script>")
        .send()
        .await
        .expect("answer");

    let (a, b) = (request_id(&fresh), request_id(&other));
    assert_eq!(a.len(), 24);
    assert!(a.bytes().all(|c| c.is_ascii_hexdigit()), "{a}");
    assert_ne!(a, b);
    assert_eq!(other.status(), 404);
    assert_eq!(request_id(&given), "lb-7f3a.42");
    let replaced = request_id(&hostile);
    assert_eq!(replaced.len(), 24, "{replaced}");
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_status_checks_by_outcome_and_the_log_size() {
    let app = TestApp::with_demo().await;
    for _ in 0..2 {
        let answer = app
            .check_contact(&json!({"org": "iucg", "phone": "+86 170 0000 1234"}))
            .await;
        assert_eq!(answer.status(), 200);
    }
    let refused = app.check_contact(&json!({"org": "iucg"})).await;
    assert_eq!(refused.status(), 400);
    assert_eq!(app.get("/v1/orgs/nobody").await.status(), 404);

    // Not on the public listener: only on the operator's.
    let (status, code, _) = crate::helpers::error_of(app.get("/metrics").await).await;
    assert_eq!((status, code.as_str()), (404, "not_found"));
    let metrics = app.metrics.clone().expect("a metrics listener");
    let response = app
        .client
        .get(format!("{metrics}/metrics"))
        .send()
        .await
        .expect("metrics answer");
    assert_eq!(response.status(), 200);
    assert!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/plain; version=0.0.4"))
    );
    let text = response.text().await.expect("text");

    for line in [
        r#"bonafide_checks_total{check="contact",outcome="fraud_risk"} 2"#,
        r#"bonafide_http_requests_total{method="POST",route="/v1/checks/contact",status="200"} 2"#,
        r#"bonafide_http_requests_total{method="POST",route="/v1/checks/contact",status="400"} 1"#,
        r#"bonafide_http_requests_total{method="GET",route="/v1/orgs/{org}",status="404"} 1"#,
        r#"bonafide_http_request_duration_seconds_count{route="/v1/checks/contact"} 3"#,
        "bonafide_log_size 29",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "no line {line:?} in\n{text}"
        );
    }
    // What was checked never becomes a label.
    assert!(!text.contains("1234"), "{text}");

    // The metrics listener serves the probes too, and nothing of the API.
    let get = |path: &str| app.client.get(format!("{metrics}{path}")).send();
    assert_eq!(get("/healthz").await.expect("answers").status(), 200);
    assert_eq!(get("/readyz").await.expect("answers").status(), 200);
    for path in ["/v1/orgs", "/v1/orgs/iucg/statements", "/widget.js"] {
        let (status, code, _) = crate::helpers::error_of(get(path).await.expect("answers")).await;
        assert_eq!((status, code.as_str()), (404, "not_found"), "{path}");
    }
}
