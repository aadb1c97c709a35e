//! Reading the register: organisations, keys and statements, now and as of a past time.

use serde_json::json;

use crate::helpers::{TestApp, error_of, statement};

#[tokio::test]
async fn organisations_are_listed_with_their_profile() {
    let app = TestApp::with_demo().await;

    let list = app.get_json("/v1/orgs").await;
    let profile = app.get_json("/v1/orgs/iucg").await;

    assert_eq!(list["orgs"][0]["slug"], "iucg");
    assert_eq!(profile["names"]["zh"], "国际联合建设集团");
    assert_eq!(profile["thresholds"]["signatory"], 2);
    assert_eq!(profile["active_statements"]["official-channel"], 5);
    assert_eq!(profile["log_index"], 0);
}

#[tokio::test]
async fn statements_can_be_filtered_by_type() {
    let app = TestApp::with_demo().await;

    let warnings = app.get_json("/v1/orgs/iucg/statements?type=warning").await;

    let items = warnings["statements"].as_array().expect("statements");
    assert_eq!(items.len(), 4);
    for item in items {
        assert_eq!(item["type"], "warning");
        assert_eq!(item["statement"]["type"], "warning");
        assert!(item["envelope"]["signatures"].is_array(), "{item}");
        assert_eq!(item["leaf_hash"].as_str().map(str::len), Some(64));
    }
}

#[tokio::test]
async fn a_revocation_changes_the_status_from_its_time_on_and_deletes_nothing() {
    let app = TestApp::with_demo().await;
    let before = app.now().to_string();
    app.clock.advance(time::Duration::days(1));
    let revoke = statement(
        "revocation",
        "revoke-li-mei",
        app.now(),
        json!({"revokes": "iucg-signatory-li-mei", "reason": "Left the group."}),
    );
    let response = app
        .submit_signed(&revoke, &[&app.keys.alice, &app.keys.bob])
        .await;
    assert_eq!(response.status(), 201);

    assert_eq!(
        app.status_of("iucg", "iucg-signatory-li-mei", None).await,
        "revoked"
    );
    assert_eq!(
        app.status_of("iucg", "iucg-signatory-li-mei", Some(&before))
            .await,
        "active"
    );
    let profile = app.get_json("/v1/orgs/iucg").await;
    assert_eq!(profile["active_statements"]["signatory"], 1);
}

#[tokio::test]
async fn a_superseded_statement_is_marked_and_a_future_one_is_pending() {
    let app = TestApp::with_demo().await;
    let mut notice = statement(
        "notice",
        "notice-2",
        app.now(),
        json!({"title": {"en": "Updated notice"}, "text": {"en": "New text."}}),
    );
    notice["supersedes"] = json!(["iucg-notice-investment-agreements"]);
    let mut scheduled = statement(
        "notice",
        "notice-3",
        app.now(),
        json!({"title": {"en": "Holiday notice"}, "text": {"en": "Later."}}),
    );
    scheduled["effective_from"] = json!("2027-01-01T00:00:00Z");

    assert_eq!(
        app.submit_signed(&notice, &[&app.keys.alice])
            .await
            .status(),
        201
    );
    assert_eq!(
        app.submit_signed(&scheduled, &[&app.keys.alice])
            .await
            .status(),
        201
    );

    assert_eq!(
        app.status_of("iucg", "iucg-notice-investment-agreements", None)
            .await,
        "superseded"
    );
    assert_eq!(app.status_of("iucg", "notice-3", None).await, "pending");
    assert_eq!(
        app.status_of("iucg", "notice-3", Some("2027-01-02T00:00:00Z"))
            .await,
        "active"
    );
}

#[tokio::test]
async fn superseding_a_statement_of_another_type_or_a_missing_one_is_refused() {
    let app = TestApp::with_demo().await;
    let mut wrong = statement(
        "notice",
        "notice-x",
        app.now(),
        json!({"title": {"en": "T"}, "text": {"en": "X"}}),
    );
    wrong["supersedes"] = json!(["iucg-fee-policy"]);
    let mut missing = wrong.clone();
    missing["id"] = json!("notice-y");
    missing["supersedes"] = json!(["no-such-statement"]);

    let (status, code, _) = error_of(app.submit_signed(&wrong, &[&app.keys.alice]).await).await;
    assert_eq!((status, code.as_str()), (422, "invalid_target"));
    let (status, code, _) = error_of(app.submit_signed(&missing, &[&app.keys.alice]).await).await;
    assert_eq!((status, code.as_str()), (422, "unknown_target"));
}

#[tokio::test]
async fn bad_reads_answer_in_the_envelope() {
    let app = TestApp::with_demo().await;
    let cases = [
        ("/v1/orgs/acme", 404, "not_found"),
        ("/v1/orgs/NOT%20A%20SLUG", 404, "not_found"),
        ("/v1/orgs/acme/statements", 404, "not_found"),
        (
            "/v1/orgs/iucg/statements?as_of=yesterday",
            400,
            "invalid_query",
        ),
        ("/v1/orgs/iucg/statements?type=memo", 400, "invalid_query"),
        ("/v1/orgs/iucg/statements?colour=red", 400, "invalid_query"),
        (
            "/v1/orgs/iucg/keys?as_of=2026-13-01T00:00:00Z",
            400,
            "invalid_query",
        ),
    ];
    for (path, status, code) in cases {
        let (got_status, got_code, message) = error_of(app.get(path).await).await;
        assert_eq!(
            (got_status, got_code.as_str()),
            (status, code),
            "{path}: {message}"
        );
    }
}

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = TestApp::spawn().await;

    assert_eq!(app.get_json("/healthz").await["status"], "ok");
    assert_eq!(app.get_json("/readyz").await["log_size"], 0);
}
