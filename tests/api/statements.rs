//! Bad input to `POST /v1/statements`: each gets a 4xx in the error envelope with a message that
//! names the problem, and leaves the register exactly as it was.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::json;

use crate::helpers::{TestApp, error_of, sign, statement, warning};

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A JWS over a canonical warning whose one signature has the protected header `header`.
fn with_header(app: &TestApp, header: &str) -> Vec<u8> {
    let payload = bonafide::crypto::canonicalize(&warning("w-alg", app.now())).expect("canonical");
    let protected = b64(header.as_bytes());
    let input = format!("{protected}.{}", b64(&payload));
    let signature = app.keys.bob.sign(input.as_bytes());
    serde_json::to_vec(&json!({
        "payload": b64(&payload),
        "signatures": [{"protected": protected, "signature": b64(&signature)}],
    }))
    .expect("json")
}

#[tokio::test]
async fn bad_statements_are_refused_and_change_nothing() {
    let app = TestApp::with_demo().await;
    let before = app.get_json("/v1/orgs/iucg/statements").await;
    let now = app.now();
    let bob = &app.keys.bob;
    let kid = bob.id().to_string();

    let tampered = {
        let good: serde_json::Value =
            serde_json::from_slice(&sign(&warning("w-t", now), &[bob])).expect("json");
        let mut changed = warning("w-t", now);
        changed["value"] = json!("+86 171 1111 1111");
        let mut tampered = good;
        tampered["payload"] = json!(b64(
            &bonafide::crypto::canonicalize(&changed).expect("canonical")
        ));
        serde_json::to_vec(&tampered).expect("json")
    };
    let mut unknown_field = warning("w-u", now);
    unknown_field["colour"] = json!("red");
    let mut wrong_type = warning("w-w", now);
    wrong_type["value"] = json!(42);
    let bad_uscc = statement(
        "signatory",
        "s-uscc",
        now,
        json!({
            "person": {"names": {"en": "Zhao Lei"}},
            "entity": {"names": {"en": "X"}, "uscc": "91110000100017643A"},
            "role": "legal_representative",
            "actions": ["sign_investment_agreement"],
        }),
    );
    let not_canonical = {
        let payload = serde_json::to_vec_pretty(&warning("w-nc", now)).expect("json");
        let mut jws = bonafide::crypto::GeneralJws::new(&payload);
        jws.sign(bob, bonafide::crypto::STATEMENT_TYP);
        jws.to_canonical_bytes()
    };
    // Deep nesting where a parser would recurse: inside the payload (20,000 levels keep the
    // base64 under the body limit) and in the envelope itself.
    let nested_payload = {
        let mut jws = bonafide::crypto::GeneralJws::new(
            format!("{}{}", "[".repeat(20_000), "]".repeat(20_000)).as_bytes(),
        );
        jws.sign(bob, bonafide::crypto::STATEMENT_TYP);
        jws.to_canonical_bytes()
    };
    let nested_envelope = format!(
        "{{\"payload\":\"e30\",\"signatures\":[{}{}]}}",
        "[".repeat(30_000),
        "]".repeat(30_000)
    )
    .into_bytes();

    let cases: Vec<(&str, Vec<u8>, u16, &str, &str)> = vec![
        (
            "malformed JSON",
            b"{\"payload\": ".to_vec(),
            400,
            "malformed_jws",
            "JWS",
        ),
        (
            "not a JWS",
            b"{\"hello\": 1}".to_vec(),
            400,
            "malformed_jws",
            "hello",
        ),
        ("a tampered payload", tampered, 403, "bad_signature", &kid),
        (
            "alg none",
            with_header(
                &app,
                &format!(r#"{{"alg":"none","kid":"{kid}","typ":"bonafide-statement+json"}}"#),
            ),
            400,
            "unsupported_algorithm",
            "none",
        ),
        (
            "alg HS256",
            with_header(
                &app,
                &format!(r#"{{"alg":"HS256","kid":"{kid}","typ":"bonafide-statement+json"}}"#),
            ),
            400,
            "unsupported_algorithm",
            "HS256",
        ),
        (
            "a key in the header",
            with_header(
                &app,
                &format!(
                    r#"{{"alg":"EdDSA","kid":"{kid}","typ":"bonafide-statement+json","jwk":{{"kty":"OKP"}}}}"#
                ),
            ),
            400,
            "malformed_jws",
            "jwk",
        ),
        (
            "another typ",
            with_header(
                &app,
                &format!(r#"{{"alg":"EdDSA","kid":"{kid}","typ":"JWT"}}"#),
            ),
            400,
            "wrong_type",
            "bonafide-statement+json",
        ),
        (
            "an unknown field",
            sign(&unknown_field, &[bob]),
            400,
            "invalid_statement",
            "colour",
        ),
        (
            "a wrong type for a field",
            sign(&wrong_type, &[bob]),
            400,
            "invalid_statement",
            "invalid type",
        ),
        (
            "an invalid USCC",
            sign(&bad_uscc, &[bob]),
            400,
            "invalid_statement",
            "check character",
        ),
        (
            "a payload that is not canonical",
            not_canonical,
            400,
            "not_canonical",
            "RFC 8785",
        ),
        (
            "no signature",
            sign(&warning("w-ns", now), &[]),
            400,
            "no_signatures",
            "no signature",
        ),
        (
            "a payload nested 20,000 deep",
            nested_payload,
            400,
            "invalid_statement",
            "recursion",
        ),
        (
            "an envelope nested 30,000 deep",
            nested_envelope,
            400,
            "malformed_jws",
            "JWS",
        ),
        ("an empty body", Vec::new(), 400, "empty_body", "empty"),
        (
            "a body over the limit",
            vec![b' '; 65 * 1024],
            413,
            "payload_too_large",
            "larger",
        ),
    ];
    for (case, body, status, code, needle) in cases {
        let (got_status, got_code, message) = error_of(app.submit(&body).await).await;
        assert_eq!(
            (got_status, got_code.as_str()),
            (status, code),
            "{case}: {message}"
        );
        assert!(
            message.contains(needle),
            "{case}: {message:?} should mention {needle:?}"
        );
    }

    assert_eq!(app.log_size().await, 29);
    assert_eq!(
        app.get_json("/v1/orgs/iucg/statements").await["statements"],
        before["statements"]
    );
}

#[tokio::test]
async fn other_content_types_are_refused_with_415() {
    let app = TestApp::with_demo().await;
    let response = app
        .client
        .post(format!("{}/v1/statements", app.address))
        .header("Content-Type", "text/plain")
        .body(sign(&warning("w-ct", app.now()), &[&app.keys.bob]))
        .send()
        .await
        .expect("sent");

    let (status, code, message) = error_of(response).await;

    assert_eq!((status, code.as_str()), (415, "unsupported_media_type"));
    assert!(message.contains("application/jose+json"), "{message}");
}

#[tokio::test]
async fn unknown_paths_and_methods_answer_in_the_envelope() {
    let app = TestApp::spawn().await;

    let (status, code, _) = error_of(app.get("/v1/nothing").await).await;
    assert_eq!((status, code.as_str()), (404, "not_found"));
    let (status, code, _) = error_of(app.get("/v1/statements").await).await;
    assert_eq!((status, code.as_str()), (405, "method_not_allowed"));
}
