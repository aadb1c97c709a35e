//! `POST /v1/checks/message` against the demo register: a pasted scam message and an honest one,
//! the signed verdict bound to the text, the 64 KiB limit (JSON escapes included), and the error
//! envelope for every bad request: never a 500.

use bonafide::check::MAX_MESSAGE_BYTES;
use bonafide::check::verdict::VerdictClaims;
use bonafide::crypto::VerifyingKey;
use bonafide::domain::{PublicJwk, Timestamp};
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{Value, json};
use sha2::Digest as _;

use crate::helpers::{START, TestApp, error_of};

/// A chat message of the kind the issue is about: a "manager" asks for an unfreezing fee to a
/// personal account before the investment is released.
const SCAM_ZH: &str = "您好，我是国际联合建设集团投资部王经理。您的投资款已通过审核，但账户目前处于冻结状态。\
请在今天下午5点前支付解冻费人民币28,000元至财务人员个人账户 6222 0000 1111 2222（户名：刘芳），\
否则首期投资款将被退回。";

/// A message that names only the organisation's official hotline.
const HOTLINE_EN: &str = "Dear investor, if you have any question about your agreement, call \
our official hotline +86 10 5555 0100 during office hours.";

/// The demo's official hotline, as a finding names it (E.164).
const HOTLINE_E164: &str = "+861055550100";

/// A text of exactly `bytes` bytes of UTF-8: a sentence with Chinese characters repeated, then
/// ASCII letters to make up the rest.
fn text_of(bytes: usize) -> String {
    const SENTENCE: &str = "项目进展顺利，请耐心等待通知。The project is on schedule. ";
    let mut text = String::with_capacity(bytes);
    while text.len() + SENTENCE.len() <= bytes {
        text.push_str(SENTENCE);
    }
    while text.len() < bytes {
        text.push('a');
    }
    assert_eq!(text.len(), bytes);
    text
}

fn sha256_hex(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The answer to a message check, which must be a 200 with a JSON body.
async fn verdict_of(app: &TestApp, text: &str) -> Value {
    let response = app
        .check_message(&json!({"org": "iucg", "text": text}))
        .await;
    let status = response.status();
    let body = response.text().await.expect("a body");
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).expect("JSON")
}

/// A finding in one line, for failure reports.
fn brief(findings: &Value) -> String {
    findings
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            format!(
                "{}/{}/{} {:?}",
                f["field"].as_str().unwrap_or("?"),
                f["result"].as_str().unwrap_or("?"),
                f["reason"].as_str().unwrap_or("?"),
                f["input"].as_str().unwrap_or_default()
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The head finding every message verdict starts with: the message itself, unverifiable.
fn assert_head_finding(claims: &Value) {
    let head = &claims["findings"][0];
    assert_eq!(head["field"], "message", "{}", brief(&claims["findings"]));
    assert_eq!(head["result"], "unknown");
    assert_eq!(head["reason"], "unverifiable");
    assert!(
        head["message"]["en"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
    assert!(
        head["message"]["zh"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
}

#[tokio::test]
async fn a_scam_message_asking_for_an_unfreezing_fee_is_a_fraud_risk_with_a_fee_finding() {
    let app = TestApp::with_demo().await;

    let body = verdict_of(&app, SCAM_ZH).await;

    let claims = &body["claims"];
    let findings = brief(&claims["findings"]);
    assert_eq!(claims["outcome"], "fraud_risk", "{findings}");
    assert_eq!(claims["check"], "message");
    assert_head_finding(claims);
    let fee = claims["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["field"] == "fee")
        .unwrap_or_else(|| panic!("no fee finding:\n{findings}"));
    assert_eq!(fee["result"], "fraud_risk", "{findings}");
    assert_eq!(fee["reason"], "fee_not_allowed", "{findings}");
    assert!(
        fee["excerpt"]
            .as_str()
            .is_some_and(|e| e.contains("解冻费")),
        "the finding quotes the fee: {fee}"
    );
    // The personal account is checked as a contact check would: not one of the organisation's.
    assert!(
        claims["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .any(|f| f["field"] == "bank_account" && f["result"] != "verified"),
        "{findings}"
    );
}

#[tokio::test]
async fn a_message_naming_the_official_hotline_is_never_verified() {
    let app = TestApp::with_demo().await;

    let body = verdict_of(&app, HOTLINE_EN).await;

    let claims = &body["claims"];
    let findings = brief(&claims["findings"]);
    assert_head_finding(claims);
    assert!(
        claims["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .any(|f| f["field"] == "phone"
                && f["input"] == HOTLINE_E164
                && f["result"] == "verified"),
        "the hotline itself is the organisation's:\n{findings}"
    );
    assert_eq!(claims["outcome"], "unknown", "{findings}");
}

#[tokio::test]
async fn the_verdict_verifies_with_the_service_key_and_names_the_message_and_its_hash() {
    let app = TestApp::with_demo().await;
    // jsonwebtoken checks `exp` against the system clock: move the service's clock to it.
    let start = Timestamp::parse(START).expect("start").datetime();
    let real = time::OffsetDateTime::now_utc();
    if real > start {
        app.clock.advance(real - start);
    }
    let jwks: Value = app.jwks().await.json().await.expect("a key set");

    let body = verdict_of(&app, SCAM_ZH).await;

    let token = body["verdict"].as_str().expect("a verdict");
    let header = jsonwebtoken::decode_header(token).expect("a JWS header");
    assert_eq!(header.typ.as_deref(), Some("bonafide-verdict+jwt"));
    let set: JwkSet = serde_json::from_value(jwks.clone()).expect("a JWK set");
    let jwk = set.find(&header.kid.expect("a kid")).expect("the key");
    let mut validation = Validation::new(Algorithm::EdDSA);
    validation.set_issuer(&[&app.address]);
    validation.set_required_spec_claims(&["exp", "iat", "iss"]);
    validation.validate_aud = false;
    let signed = jsonwebtoken::decode::<Value>(
        token,
        &DecodingKey::from_jwk(jwk).expect("a key"),
        &validation,
    )
    .expect("the verdict verifies in jsonwebtoken")
    .claims;
    let own: Vec<VerifyingKey> = jwks["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .map(|k| {
            let text = |m: &str| k[m].as_str().expect("a string member");
            let jwk = PublicJwk::parse(text("kty"), text("crv"), text("x")).expect("an OKP key");
            VerifyingKey::from_jwk(&jwk).expect("an Ed25519 key")
        })
        .collect();
    let verified = VerdictClaims::verify(token, &own).expect("the verdict verifies in bonafide");

    assert_eq!(
        signed, body["claims"],
        "the claims answered are the ones signed"
    );
    assert_eq!(signed["check"], "message");
    assert_eq!(verified.check, "message");
    assert_eq!(signed["org"], "iucg");
    assert_eq!(
        verified.subject_sha256,
        sha256_hex(SCAM_ZH.as_bytes()),
        "the subject is the SHA-256 of the text's UTF-8 bytes"
    );
    assert_eq!(signed["outcome"], "fraud_risk");
}

#[tokio::test]
async fn a_message_of_64_kib_is_checked_and_one_byte_more_is_a_413() {
    let app = TestApp::with_demo().await;
    let longest = text_of(MAX_MESSAGE_BYTES);
    let over = text_of(MAX_MESSAGE_BYTES + 1);

    let accepted = verdict_of(&app, &longest).await;
    let refused = app
        .check_message(&json!({"org": "iucg", "text": over}))
        .await;

    assert_eq!(
        accepted["claims"]["subject_sha256"],
        sha256_hex(longest.as_bytes())
    );
    let (status, code, message) = error_of(refused).await;
    assert_eq!(
        (status, code.as_str()),
        (413, "payload_too_large"),
        "{message}"
    );
    assert!(
        message.contains(&MAX_MESSAGE_BYTES.to_string()),
        "{message}"
    );
}

#[tokio::test]
async fn a_64_kib_message_written_with_json_escapes_is_not_refused_for_its_size() {
    let app = TestApp::with_demo().await;
    // Every byte of the text as a six-byte escape, and, in a second message, as a two-byte one:
    // the body is up to six times the text.
    let mut escaped = br#"{"org":"iucg","text":""#.to_vec();
    escaped.extend(b"\\u0041".repeat(MAX_MESSAGE_BYTES));
    escaped.extend_from_slice(br#""}"#);
    let quotes = json!({"org": "iucg", "text": "\"".repeat(MAX_MESSAGE_BYTES)});
    // Beyond what any 64 KiB message needs, the body itself is refused, in the envelope.
    let mut oversized = br#"{"org":"iucg","text":""#.to_vec();
    oversized.extend(b"\\u0041".repeat(MAX_MESSAGE_BYTES + 1024));
    oversized.extend_from_slice(br#""}"#);

    let six = app
        .check_message_raw(Some("application/json"), escaped)
        .await;
    let two = app.check_message(&quotes).await;
    let too_big = app
        .check_message_raw(Some("application/json"), oversized)
        .await;

    assert_eq!(six.status(), 200);
    let six: Value = six.json().await.expect("JSON");
    assert_eq!(
        six["claims"]["subject_sha256"],
        sha256_hex("A".repeat(MAX_MESSAGE_BYTES).as_bytes()),
        "the hash is of the text, not of its JSON"
    );
    assert_eq!(two.status(), 200);
    let (status, code, message) = error_of(too_big).await;
    assert_eq!(
        (status, code.as_str()),
        (413, "payload_too_large"),
        "{message}"
    );
}

/// A request sent as raw bytes, and the refusal it must get.
struct RawCase {
    what: &'static str,
    content_type: Option<&'static str>,
    body: &'static [u8],
    status: u16,
    code: &'static str,
}

#[tokio::test]
async fn bad_requests_get_a_4xx_envelope_never_a_500() {
    let app = TestApp::with_demo().await;
    let future = Timestamp::parse(START)
        .expect("start")
        .saturating_add(time::Duration::days(1))
        .to_string();
    let json_cases: Vec<(&str, Value, u16, &str)> = vec![
        (
            "empty text",
            json!({"org": "iucg", "text": ""}),
            400,
            "empty_message",
        ),
        (
            "white space only",
            json!({"org": "iucg", "text": " \n\t\u{3000} "}),
            400,
            "empty_message",
        ),
        (
            "an unknown field",
            json!({"org": "iucg", "text": "hello", "phone": "+86 170 0000 1234"}),
            400,
            "unknown_field",
        ),
        ("no text", json!({"org": "iucg"}), 400, "invalid_json"),
        (
            "text not a string",
            json!({"org": "iucg", "text": 7}),
            400,
            "invalid_json",
        ),
        (
            "an unknown organisation",
            json!({"org": "nobody", "text": SCAM_ZH}),
            404,
            "unknown_org",
        ),
        (
            "an as_of in the future",
            json!({"org": "iucg", "text": SCAM_ZH, "as_of": future}),
            400,
            "invalid_as_of",
        ),
        (
            "an as_of that does not parse",
            json!({"org": "iucg", "text": SCAM_ZH, "as_of": "yesterday"}),
            400,
            "invalid_json",
        ),
        (
            "an action that is not a token",
            json!({"org": "iucg", "text": SCAM_ZH, "action": "Sign It!"}),
            400,
            "invalid_action",
        ),
    ];
    let raw_cases = [
        RawCase {
            what: "malformed JSON",
            content_type: Some("application/json"),
            body: b"{\"org\": \"iucg\", \"text\": ",
            status: 400,
            code: "invalid_json",
        },
        RawCase {
            what: "an array",
            content_type: Some("application/json"),
            body: br#"["iucg", "hello"]"#,
            status: 400,
            code: "invalid_json",
        },
        RawCase {
            what: "text that is not UTF-8",
            content_type: Some("application/json"),
            body: b"{\"org\":\"iucg\",\"text\":\"\xff\xfe\"}",
            status: 400,
            code: "invalid_json",
        },
        RawCase {
            what: "a lone surrogate escaped",
            content_type: Some("application/json"),
            body: br#"{"org":"iucg","text":"\ud800 pay"}"#,
            status: 400,
            code: "invalid_json",
        },
        RawCase {
            what: "an empty body",
            content_type: Some("application/json"),
            body: b"",
            status: 400,
            code: "empty_body",
        },
        RawCase {
            what: "text/plain",
            content_type: Some("text/plain"),
            body: br#"{"org":"iucg","text":"hello"}"#,
            status: 415,
            code: "unsupported_media_type",
        },
        RawCase {
            what: "no Content-Type",
            content_type: None,
            body: br#"{"org":"iucg","text":"hello"}"#,
            status: 415,
            code: "unsupported_media_type",
        },
        RawCase {
            what: "a form",
            content_type: Some("application/x-www-form-urlencoded"),
            body: b"org=iucg&text=hello",
            status: 415,
            code: "unsupported_media_type",
        },
    ];

    let mut failures = Vec::new();
    for (what, body, status, code) in json_cases {
        let got = error_of(app.check_message(&body).await).await;
        if (got.0, got.1.as_str()) != (status, code) {
            failures.push(format!("{what}: expected {status} {code}, got {got:?}"));
        }
    }
    for case in raw_cases {
        let got = error_of(
            app.check_message_raw(case.content_type, case.body.to_vec())
                .await,
        )
        .await;
        if (got.0, got.1.as_str()) != (case.status, case.code) {
            failures.push(format!(
                "{}: expected {} {}, got {got:?}",
                case.what, case.status, case.code
            ));
        }
    }
    let get = app.get("/v1/checks/message").await;
    let got = error_of(get).await;
    if (got.0, got.1.as_str()) != (405, "method_not_allowed") {
        failures.push(format!("GET: expected 405, got {got:?}"));
    }

    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn pages_on_any_origin_may_check_a_message_and_read_its_refusals() {
    let app = TestApp::with_demo().await;
    const ORIGIN: &str = "https://news.example";

    let preflight = app
        .client
        .request(reqwest::Method::OPTIONS, app.url("/v1/checks/message"))
        .header("Origin", ORIGIN)
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type")
        .send()
        .await
        .expect("an answer");
    let refused = app
        .client
        .post(app.url("/v1/checks/message"))
        .header("Origin", ORIGIN)
        .json(&json!({"org": "iucg", "text": "  "}))
        .send()
        .await
        .expect("an answer");

    let header = |r: &reqwest::Response, name: &str| {
        r.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    assert!(preflight.status().is_success(), "{}", preflight.status());
    assert_eq!(
        header(&preflight, "access-control-allow-origin").as_deref(),
        Some("*")
    );
    assert!(header(&preflight, "access-control-allow-methods").is_some_and(|m| m.contains("POST")));
    assert_eq!(header(&preflight, "access-control-allow-credentials"), None);
    assert_eq!(
        header(&refused, "access-control-allow-origin").as_deref(),
        Some("*")
    );
    let (status, code, _) = error_of(refused).await;
    assert_eq!((status, code.as_str()), (400, "empty_message"));
}

#[tokio::test]
async fn odd_and_crowded_messages_are_answered_never_with_a_500() {
    let app = TestApp::with_demo().await;
    // More distinct numbers than a check reads: refused whole, never checked in part.
    let crowded: String = (0..1500)
        .map(|i| format!("请联系 +86 139 {i:08}。\n"))
        .collect();
    assert!(crowded.len() <= MAX_MESSAGE_BYTES);
    let cases = [
        (
            "control characters",
            "\u{0}\u{1}\u{7f} 请支付保证金 \u{202e}gnp.exe".to_owned(),
        ),
        (
            "only zero-width characters",
            "\u{200b}\u{200d}\u{feff}".to_owned(),
        ),
        ("only newlines", "\n".repeat(MAX_MESSAGE_BYTES)),
        ("crowded with numbers", crowded),
        ("emoji", "🙂".repeat(MAX_MESSAGE_BYTES / 4)),
        ("one long word", "费".repeat(MAX_MESSAGE_BYTES / 3)),
        ("digits", "6".repeat(MAX_MESSAGE_BYTES)),
    ];

    let mut failures = Vec::new();
    for (what, text) in cases {
        let response = app
            .check_message(&json!({"org": "iucg", "text": text}))
            .await;
        let status = response.status().as_u16();
        if status == 200 {
            let body: Value = response.json().await.expect("JSON");
            if body["claims"]["check"] != "message" || body["claims"]["outcome"] == "verified" {
                failures.push(format!("{what}: {}", body["claims"]));
            }
        } else {
            let (status, code, message) = error_of(response).await;
            if !(400..500).contains(&status) {
                failures.push(format!("{what}: {status} {code} {message}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
