//! The trust chain over HTTP: operator, root keys, staff keys, roles, thresholds, expiry and
//! revocation.

use bonafide::crypto::SigningKey;
use serde_json::json;

use crate::helpers::{TestApp, error_of, statement, warning};

#[tokio::test]
async fn the_demo_register_is_accepted_through_the_whole_chain() {
    let app = TestApp::with_demo().await;

    assert_eq!(app.log_size().await, 29);
    let keys = app.get_json("/v1/orgs/iucg/keys").await;
    let keys = keys["keys"].as_array().expect("keys");
    assert_eq!(keys.len(), 3, "one root and two staff keys: {keys:?}");
    let alice = keys
        .iter()
        .find(|k| k["kid"] == app.keys.alice.id().as_str())
        .expect("alice listed");
    assert_eq!(alice["kind"], "staff");
    assert_eq!(alice["roles"], json!(["admin"]));
    assert_eq!(alice["status"], "active");
    assert_eq!(alice["holder"], "Alice Chen, Compliance Office");
    let signatory = app
        .get_json("/v1/orgs/iucg/statements?type=signatory")
        .await;
    let first = &signatory["statements"][0];
    assert_eq!(first["signed_by"].as_array().map(Vec::len), Some(2));
    assert_eq!(first["status"], "active");
}

#[tokio::test]
async fn resubmitting_the_identical_statement_is_idempotent() {
    let app = TestApp::with_demo().await;
    let body = crate::helpers::sign(&warning("w-1", app.now()), &[&app.keys.bob]);

    let first = app.submit(&body).await;
    assert_eq!(first.status(), 201);
    let first: serde_json::Value = first.json().await.expect("json");
    let again = app.submit(&body).await;

    assert_eq!(again.status(), 200);
    let again: serde_json::Value = again.json().await.expect("json");
    assert_eq!(again["result"], "duplicate");
    assert_eq!(again["receipt"], first["receipt"]);
    assert_eq!(app.log_size().await, 30);
}

#[tokio::test]
async fn a_different_statement_reusing_an_id_is_a_conflict() {
    let app = TestApp::with_demo().await;
    let mut other = warning("iucg-warning-phone-1", app.now());
    other["value"] = json!("+86 171 9999 9999");

    let (status, code, message) = error_of(app.submit_signed(&other, &[&app.keys.bob]).await).await;

    assert_eq!((status, code.as_str()), (409, "duplicate_id"));
    assert!(message.contains("iucg-warning-phone-1"), "{message}");
    assert_eq!(app.log_size().await, 29);
}

fn new_signatory(id: &str, now: bonafide::domain::Timestamp) -> serde_json::Value {
    statement(
        "signatory",
        id,
        now,
        json!({
            "person": {"names": {"en": "Zhao Lei", "zh": "赵磊"}},
            "entity": {"names": {"en": "IUCG Investment Co., Ltd."}},
            "role": "authorised_representative",
            "actions": ["sign_investment_agreement"],
            "phones": ["+86 137 0000 0001"],
        }),
    )
}

#[tokio::test]
async fn a_signatory_needs_two_distinct_staff_signatures() {
    let app = TestApp::with_demo().await;
    let draft = new_signatory("zhao-lei", app.now());

    let one = error_of(app.submit_signed(&draft, &[&app.keys.alice]).await).await;
    let twice = error_of(
        app.submit_signed(&draft, &[&app.keys.alice, &app.keys.alice])
            .await,
    )
    .await;

    assert_eq!((one.0, one.1.as_str()), (403, "threshold_not_met"));
    assert!(
        one.2.contains("need 2") && one.2.contains("has 1"),
        "{}",
        one.2
    );
    assert_eq!(
        (twice.0, twice.1.as_str()),
        (403, "threshold_not_met"),
        "{}",
        twice.2
    );
    assert_eq!(app.log_size().await, 29);
    let both = app
        .submit_signed(&draft, &[&app.keys.alice, &app.keys.bob])
        .await;
    assert_eq!(both.status(), 201);
}

#[tokio::test]
async fn a_staff_key_without_the_role_is_refused() {
    let app = TestApp::with_demo().await;
    let notice = statement(
        "notice",
        "n-2",
        app.now(),
        json!({"title": {"en": "T"}, "text": {"en": "Text"}}),
    );

    let (status, code, message) =
        error_of(app.submit_signed(&notice, &[&app.keys.bob]).await).await;

    assert_eq!((status, code.as_str()), (403, "missing_role"));
    assert!(
        message.contains("Bob Liu") && message.contains("notice"),
        "{message}"
    );
}

#[tokio::test]
async fn an_unknown_key_is_refused() {
    let app = TestApp::with_demo().await;
    let stranger = SigningKey::from_seed([99; 32]);

    let (status, code, message) = error_of(
        app.submit_signed(&warning("w-x", app.now()), &[&stranger])
            .await,
    )
    .await;

    assert_eq!((status, code.as_str()), (403, "unknown_key"));
    assert!(message.contains(stranger.id().as_str()), "{message}");
}

#[tokio::test]
async fn a_key_of_another_organisation_is_refused() {
    let app = TestApp::with_demo().await;
    let acme_root = SigningKey::from_seed([20; 32]);
    let acme_staff = SigningKey::from_seed([21; 32]);
    let mut org = statement(
        "org",
        "acme-org",
        app.now(),
        json!({
            "names": {"en": "ACME"},
            "root_keys": [acme_root.public_jwk()],
            "thresholds": {"warning": 1},
        }),
    );
    org["org"] = json!("acme");
    let mut delegation = statement(
        "delegation",
        "acme-staff",
        app.now(),
        json!({"keys": [{"key": acme_staff.public_jwk(), "holder": "Eve", "roles": ["admin"],
                         "expires_at": "2027-06-01T00:00:00Z"}]}),
    );
    delegation["org"] = json!("acme");
    assert_eq!(
        app.submit_signed(&org, &[&app.keys.operator])
            .await
            .status(),
        201
    );
    assert_eq!(
        app.submit_signed(&delegation, &[&acme_root]).await.status(),
        201
    );

    let (status, code, message) = error_of(
        app.submit_signed(&warning("w-acme", app.now()), &[&acme_staff])
            .await,
    )
    .await;

    assert_eq!((status, code.as_str()), (403, "foreign_key"));
    assert!(message.contains("acme"), "{message}");
}

#[tokio::test]
async fn keys_sign_only_their_own_tier() {
    let app = TestApp::with_demo().await;
    let k = &app.keys;
    let delegation = statement(
        "delegation",
        "d-2",
        app.now(),
        json!({"keys": [{"key": SigningKey::from_seed([30; 32]).public_jwk(), "holder": "Carol",
                         "roles": ["notices"], "expires_at": "2027-06-01T00:00:00Z"}]}),
    );
    let cases = [
        ("a staff key on a delegation", delegation.clone(), &k.alice),
        (
            "a root key on content",
            warning("w-root", app.now()),
            &k.root,
        ),
        (
            "the operator key on content",
            warning("w-op", app.now()),
            &k.operator,
        ),
    ];
    for (case, body, key) in cases {
        let (status, code, _) = error_of(app.submit_signed(&body, &[key]).await).await;
        assert_eq!((status, code.as_str()), (403, "wrong_signer"), "{case}");
    }
    assert_eq!(
        app.submit_signed(&delegation, &[&k.root]).await.status(),
        201
    );
}

#[tokio::test]
async fn an_expired_delegation_key_is_refused() {
    let app = TestApp::with_demo().await;
    app.clock.advance(time::Duration::days(366));

    let (status, code, message) = error_of(
        app.submit_signed(&warning("w-late", app.now()), &[&app.keys.bob])
            .await,
    )
    .await;

    assert_eq!((status, code.as_str()), (403, "key_expired"));
    assert!(message.contains("expired"), "{message}");
    let keys = app.get_json("/v1/orgs/iucg/keys").await;
    assert!(
        keys["keys"]
            .as_array()
            .expect("keys")
            .iter()
            .any(|k| k["status"] == "expired"),
        "{keys}"
    );
}

#[tokio::test]
async fn a_revoked_delegation_stops_its_keys_but_keeps_history() {
    let app = TestApp::with_demo().await;
    let before = app.now();
    app.clock.advance(time::Duration::hours(1));
    let revocation = statement(
        "revocation",
        "revoke-staff-2026",
        app.now(),
        json!({"revokes": "iucg-staff-2026", "reason": "Keys rotated after a laptop was lost."}),
    );
    assert_eq!(
        app.submit_signed(&revocation, &[&app.keys.root])
            .await
            .status(),
        201
    );

    let (status, code, _) = error_of(
        app.submit_signed(&warning("w-after", app.now()), &[&app.keys.bob])
            .await,
    )
    .await;

    assert_eq!((status, code.as_str()), (403, "key_revoked"));
    assert_eq!(
        app.status_of("iucg", "iucg-staff-2026", None).await,
        "revoked"
    );
    let earlier = before.to_string();
    assert_eq!(
        app.status_of("iucg", "iucg-staff-2026", Some(&earlier))
            .await,
        "active"
    );
}

#[tokio::test]
async fn a_revocation_needs_what_its_target_needs() {
    let app = TestApp::with_demo().await;
    let revoke = statement(
        "revocation",
        "revoke-wang",
        app.now(),
        json!({"revokes": "iucg-signatory-wang-jianguo", "reason": "Left the company."}),
    );

    let (status, code, _) = error_of(app.submit_signed(&revoke, &[&app.keys.alice]).await).await;

    assert_eq!((status, code.as_str()), (403, "threshold_not_met"));
    let both = app
        .submit_signed(&revoke, &[&app.keys.alice, &app.keys.bob])
        .await;
    assert_eq!(both.status(), 201);
}

#[tokio::test]
async fn an_org_statement_needs_the_operator() {
    let app = TestApp::spawn().await;
    let root = SigningKey::from_seed([40; 32]);
    let org = statement(
        "org",
        "iucg-org",
        app.now(),
        json!({"names": {"en": "IUCG"}, "root_keys": [root.public_jwk()]}),
    );

    let (status, code, _) = error_of(app.submit_signed(&org, &[&root]).await).await;

    assert_eq!((status, code.as_str()), (403, "unknown_key"));
    assert_eq!(
        app.submit_signed(&org, &[&app.keys.operator])
            .await
            .status(),
        201
    );
    let again = statement(
        "org",
        "iucg-org-2",
        app.now(),
        json!({"names": {"en": "IUCG"}, "root_keys": [root.public_jwk()]}),
    );
    let (status, code, _) = error_of(app.submit_signed(&again, &[&app.keys.operator]).await).await;
    assert_eq!((status, code.as_str()), (409, "org_exists"));
}

#[tokio::test]
async fn a_backdated_statement_does_not_change_what_the_register_said_before() {
    let app = TestApp::with_demo().await;
    let registered = app.now().to_string();
    app.clock.advance(time::Duration::days(30));
    let mut revoke = statement(
        "revocation",
        "revoke-wang-backdated",
        app.now(),
        json!({"revokes": "iucg-signatory-wang-jianguo", "reason": "Backdated on purpose."}),
    );
    revoke["effective_from"] = json!(registered);
    let response = app
        .submit_signed(&revoke, &[&app.keys.alice, &app.keys.bob])
        .await;
    assert_eq!(response.status(), 201);

    let a_week_ago = app
        .now()
        .saturating_add(time::Duration::days(-7))
        .to_string();
    assert_eq!(
        app.status_of("iucg", "iucg-signatory-wang-jianguo", Some(&a_week_ago))
            .await,
        "active",
        "the log accepted the revocation today, so a week ago Wang Jianguo was still authorised"
    );
    assert_eq!(
        app.status_of("iucg", "iucg-signatory-wang-jianguo", None)
            .await,
        "revoked"
    );
}

#[tokio::test]
async fn an_organisation_cannot_claim_another_organisations_key() {
    let app = TestApp::with_demo().await;
    let mut org = statement(
        "org",
        "acme-org",
        app.now(),
        json!({"names": {"en": "ACME"}, "root_keys": [app.keys.root.public_jwk()]}),
    );
    org["org"] = json!("acme");

    let (status, code, message) =
        error_of(app.submit_signed(&org, &[&app.keys.operator]).await).await;

    assert_eq!((status, code.as_str()), (422, "invalid_key"));
    assert!(message.contains("iucg"), "{message}");
}

#[tokio::test]
async fn rotating_root_keys_retires_the_old_one() {
    let app = TestApp::with_demo().await;
    let new_root = SigningKey::from_seed([50; 32]);
    let mut org = statement(
        "org",
        "iucg-org-2",
        app.now(),
        json!({"names": {"en": "International Union Construction Group"},
               "root_keys": [new_root.public_jwk()], "thresholds": {"delegation": 1}}),
    );
    org["supersedes"] = json!(["iucg-org"]);
    assert_eq!(
        app.submit_signed(&org, &[&app.keys.operator])
            .await
            .status(),
        201
    );
    let delegation = |id: &str| {
        statement(
            "delegation",
            id,
            app.now(),
            json!({"keys": [{"key": SigningKey::from_seed([51; 32]).public_jwk(), "holder": "Dan",
                             "roles": ["notices"], "expires_at": "2027-06-01T00:00:00Z"}]}),
        )
    };

    let (status, code, _) = error_of(
        app.submit_signed(&delegation("d-old"), &[&app.keys.root])
            .await,
    )
    .await;

    assert_eq!((status, code.as_str()), (403, "key_not_in_force"));
    assert_eq!(
        app.submit_signed(&delegation("d-new"), &[&new_root])
            .await
            .status(),
        201
    );
}
