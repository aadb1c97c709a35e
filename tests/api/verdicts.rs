//! Signed verdicts: verified by another JOSE implementation (`jsonwebtoken`) with the published
//! key set, bound to the request and the log, refused when any byte changes, and still
//! verifiable after a key rotation.

use bonafide::check::verdict::VerdictClaims;
use bonafide::crypto::VerifyingKey;
use bonafide::domain::{PublicJwk, Timestamp};
use bonafide::keyring;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{Value, json};
use sha2::Digest as _;

use crate::helpers::{START, TestApp};

const BASE64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The demo service with its clock moved to the real time (if later than the start), so that a
/// JOSE library checking `exp` against the system clock judges verdicts by the time they were
/// really made.
async fn app_at_real_time() -> TestApp {
    let app = TestApp::with_demo().await;
    let start = Timestamp::parse(START).expect("start").datetime();
    let real = time::OffsetDateTime::now_utc();
    if real > start {
        app.clock.advance(real - start);
    }
    app
}

/// A check's response body; fails the test unless it is a 200.
async fn check(app: &TestApp, request: &Value) -> Value {
    let response = app.check_contact(request).await;
    assert_eq!(response.status(), 200, "{request}");
    response.json().await.expect("JSON body")
}

/// The key set as a JOSE library reads it.
async fn jwk_set(app: &TestApp) -> JwkSet {
    let response = app.jwks().await;
    assert_eq!(response.status(), 200);
    response.json().await.expect("a JWK set")
}

/// The key set as bonafide's own verifier takes it.
async fn verifying_keys(app: &TestApp) -> Vec<VerifyingKey> {
    let jwks: Value = app.jwks().await.json().await.expect("JSON");
    jwks["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .map(|k| {
            let text = |m: &str| k[m].as_str().expect("a string member");
            let jwk = PublicJwk::parse(text("kty"), text("crv"), text("x")).expect("an OKP key");
            VerifyingKey::from_jwk(&jwk).expect("an Ed25519 key")
        })
        .collect()
}

/// Verifies `token` with `jsonwebtoken`: the key chosen by `kid` in the set, EdDSA only, `iss`
/// the service, `exp`, `iat` and `iss` required; verdicts carry no audience.
fn jose_verify(token: &str, keys: &JwkSet, issuer: &str) -> Result<Value, String> {
    let header = jsonwebtoken::decode_header(token).map_err(|e| format!("header: {e}"))?;
    let kid = header.kid.ok_or("no kid")?;
    let jwk = keys.find(&kid).ok_or_else(|| format!("no key {kid}"))?;
    let key = DecodingKey::from_jwk(jwk).map_err(|e| format!("key: {e}"))?;
    let mut validation = Validation::new(Algorithm::EdDSA);
    validation.set_issuer(&[issuer]);
    validation.set_required_spec_claims(&["exp", "iat", "iss"]);
    validation.validate_aud = false;
    jsonwebtoken::decode::<Value>(token, &key, &validation)
        .map(|data| data.claims)
        .map_err(|e| format!("{e:?}"))
}

fn sha256_hex(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[tokio::test]
async fn a_verdict_verifies_with_the_published_keys_in_another_jose_library() {
    let app = app_at_real_time().await;
    let body = check(
        &app,
        &json!({"org": "iucg", "name": "Wang Jianguo", "phone": "+86 137 0000 0001"}),
    )
    .await;
    let token = body["verdict"].as_str().expect("verdict");
    let keys = jwk_set(&app).await;

    let claims = jose_verify(token, &keys, &app.address).expect("the verdict verifies");

    assert_eq!(
        claims, body["claims"],
        "the decoded claims are the response's"
    );
    assert_eq!(claims["outcome"], "fraud_risk");
    let header = jsonwebtoken::decode_header(token).expect("header");
    assert_eq!(header.alg, Algorithm::EdDSA);
    assert_eq!(header.typ.as_deref(), Some("bonafide-verdict+jwt"));
    assert_eq!(header.kid.as_deref(), keys.keys[0].common.key_id.as_deref());
    // bonafide's own verifier agrees.
    let own = VerdictClaims::verify(token, &verifying_keys(&app).await).expect("verifies");
    assert_eq!(serde_json::to_value(own).expect("JSON"), body["claims"]);
    // Another service's key set does not verify it, nor does the right key under another issuer.
    assert!(jose_verify(token, &keys, "https://bonafide.example").is_err());
}

#[tokio::test]
async fn a_verdict_binds_the_canonical_request_the_log_and_thirty_days() {
    let app = app_at_real_time().await;
    let now = app.now();
    let requests = [
        json!({"org": "iucg", "name": "王建国", "phone": "138 0013 8000"}),
        json!({"phone": "+86 170 0000 1234", "org": "iucg", "as_of": START, "action": "sign_investment_agreement"}),
        json!({"website": "https://iucg.example/", "bank_account": "6222-0210-0100-0012-345", "org": "iucg", "company": "IUCG Investment Co., Ltd.", "email": "Invest@IUCG.example"}),
    ];
    let log_size = app.log_size().await;
    let mut jtis = Vec::new();

    for request in &requests {
        let body = check(&app, request).await;
        let claims = &body["claims"];

        let canonical = serde_jcs::to_vec(request).expect("RFC 8785");
        assert_eq!(
            claims["subject_sha256"].as_str(),
            Some(sha256_hex(&canonical).as_str()),
            "subject of {request}"
        );
        assert_eq!(
            claims["subject_sha256"].as_str(),
            Some(
                bonafide::crypto::hex(&bonafide::crypto::sha256(
                    &bonafide::crypto::canonicalize(request).expect("canonical")
                ))
                .as_str()
            )
        );
        assert_eq!(claims["log"]["size"].as_u64(), Some(log_size));
        assert_eq!(
            claims["log"]["origin"],
            format!("{}/log", &app.address["http://".len()..])
        );
        let root = claims["log"]["root"].as_str().expect("root");
        assert_eq!(
            base64::Engine::decode(&base64::engine::general_purpose::STANDARD, root)
                .map(|r| r.len()),
            Ok(32),
            "{root}"
        );
        let iat = claims["iat"].as_i64().expect("iat");
        let exp = claims["exp"].as_i64().expect("exp");
        assert_eq!(iat, now.unix_seconds());
        assert_eq!(exp - iat, 30 * 24 * 60 * 60);
        assert_eq!(claims["iss"], app.address.as_str());
        assert_eq!(claims["org"], "iucg");
        assert_eq!(claims["check"], "contact");
        let as_of = request["as_of"]
            .as_str()
            .map_or_else(|| now.to_string(), str::to_owned);
        assert_eq!(claims["as_of"], as_of.as_str());
        jtis.push(claims["jti"].as_str().expect("jti").to_owned());
    }
    // Every verdict has its own id, even for the same request at the same instant.
    let again = check(&app, &requests[0]).await;
    jtis.push(again["claims"]["jti"].as_str().expect("jti").to_owned());
    let mut unique = jtis.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), jtis.len(), "{jtis:?}");

    // A statement more, and the next verdict names the bigger log.
    let warning = crate::helpers::warning("w-extra", app.now());
    assert_eq!(
        app.submit_signed(&warning, &[&app.keys.bob]).await.status(),
        201
    );
    let later = check(&app, &requests[0]).await;
    assert_eq!(later["claims"]["log"]["size"].as_u64(), Some(log_size + 1));
    assert_ne!(
        later["claims"]["log"]["root"],
        again["claims"]["log"]["root"]
    );
}

#[tokio::test]
async fn a_verdict_with_any_byte_changed_does_not_verify() {
    let app = app_at_real_time().await;
    let body = check(&app, &json!({"org": "iucg", "name": "Li Mei"})).await;
    let token = body["verdict"].as_str().expect("verdict").to_owned();
    let jwks = jwk_set(&app).await;
    let keys = verifying_keys(&app).await;
    jose_verify(&token, &jwks, &app.address).expect("the untouched verdict verifies");
    VerdictClaims::verify(&token, &keys).expect("the untouched verdict verifies");

    let mut accepted = Vec::new();
    let mut tried = 0;
    for (position, original) in token.bytes().enumerate() {
        // Two replacements per position: the lowest bit of the base64url digit flipped (for the
        // last digit of a segment that is a padding bit, which a lax decoder ignores) and the
        // highest; a dot becomes a digit.
        let replacements = match BASE64URL.iter().position(|&c| c == original) {
            Some(digit) => [BASE64URL[digit ^ 1], BASE64URL[digit ^ 32]],
            None => [b'A', b'x'],
        };
        for replacement in replacements {
            assert_ne!(replacement, original);
            let mut bytes = token.clone().into_bytes();
            bytes[position] = replacement;
            let changed = String::from_utf8(bytes).expect("ASCII");
            tried += 1;
            if jose_verify(&changed, &jwks, &app.address).is_ok() {
                accepted.push(format!(
                    "jsonwebtoken accepts {:?} at {position}",
                    char::from(replacement)
                ));
            }
            if VerdictClaims::verify(&changed, &keys).is_ok() {
                accepted.push(format!(
                    "VerdictClaims::verify accepts {:?} at {position}",
                    char::from(replacement)
                ));
            }
        }
    }

    assert_eq!(tried, 2 * token.len());
    assert!(
        accepted.is_empty(),
        "changed verdicts accepted ({} of {tried} changes, token of {} bytes):\n{}",
        accepted.len(),
        token.len(),
        accepted.join("\n")
    );
}

#[tokio::test]
async fn a_verdict_signed_by_another_key_does_not_verify() {
    let app = app_at_real_time().await;
    let body = check(&app, &json!({"org": "iucg", "name": "Wang Jianguo"})).await;
    let claims: VerdictClaims = serde_json::from_value(body["claims"].clone()).expect("claims");
    let stranger = bonafide::crypto::SigningKey::from_seed([77; 32]);
    let forged = claims.sign(&stranger).expect("signed");
    let keys = verifying_keys(&app).await;

    assert!(VerdictClaims::verify(&forged, &keys).is_err());
    assert!(jose_verify(&forged, &jwk_set(&app).await, &app.address).is_err());
    // The stranger's key does verify it, so the refusal above is about the key.
    assert!(VerdictClaims::verify(&forged, &[stranger.verifying_key()]).is_ok());
}

#[tokio::test]
async fn the_key_set_publishes_the_current_key_under_its_thumbprint() {
    let app = TestApp::with_demo().await;

    let response = app.jwks().await;

    assert_eq!(response.status(), 200);
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    let jwks: Value = response.json().await.expect("JSON");
    let keys = jwks["keys"].as_array().expect("keys");
    assert_eq!(keys.len(), 1, "{jwks}");
    let key = &keys[0];
    assert_eq!(
        (&key["kty"], &key["crv"], &key["alg"], &key["use"]),
        (
            &json!("OKP"),
            &json!("Ed25519"),
            &json!("EdDSA"),
            &json!("sig")
        )
    );
    assert!(key.get("d").is_none(), "no private part: {key}");
    // RFC 7638: the kid is the SHA-256 of the required members in lexicographic order.
    let x = key["x"].as_str().expect("x");
    let thumbprint_input = format!(r#"{{"crv":"Ed25519","kty":"OKP","x":"{x}"}}"#);
    let thumbprint = base64::Engine::encode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        sha2::Sha256::digest(thumbprint_input.as_bytes()),
    );
    assert_eq!(key["kid"], thumbprint.as_str());
    // It is the key the service generated into its data directory, readable by the owner only.
    let ring_path = keyring::default_path(&app.data_dir());
    let ring = keyring::read(&ring_path).expect("the key ring reads");
    assert_eq!(ring.current().id().as_str(), thumbprint);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&ring_path)
            .expect("metadata")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // And the key that signs verdicts.
    let body = check(&app, &json!({"org": "iucg", "name": "Wang Jianguo"})).await;
    let header =
        jsonwebtoken::decode_header(body["verdict"].as_str().expect("verdict")).expect("header");
    assert_eq!(header.kid.as_deref(), Some(thumbprint.as_str()));
}

#[tokio::test]
async fn after_a_key_rotation_and_a_restart_old_verdicts_still_verify() {
    let app = app_at_real_time().await;
    let old = check(&app, &json!({"org": "iucg", "name": "Wang Jianguo"})).await;
    let old_token = old["verdict"].as_str().expect("verdict").to_owned();
    let old_issuer = app.address.clone();
    let old_kid = jwk_set(&app).await.keys[0]
        .common
        .key_id
        .clone()
        .expect("kid");
    let ring_path = keyring::default_path(&app.data_dir());

    let new_kid = keyring::rotate(&ring_path, &mut rand::rng()).expect("rotated");
    let app = app.restart().await;

    assert_ne!(new_kid.as_str(), old_kid);
    let ids: Vec<String> = keyring::read(&ring_path)
        .expect("the ring reads")
        .ids()
        .iter()
        .map(|k| k.as_str().to_owned())
        .collect();
    assert_eq!(ids, [old_kid.clone(), new_kid.as_str().to_owned()]);
    let jwks = jwk_set(&app).await;
    let published: Vec<Option<String>> =
        jwks.keys.iter().map(|k| k.common.key_id.clone()).collect();
    assert_eq!(
        published,
        [Some(new_kid.as_str().to_owned()), Some(old_kid.clone())],
        "the current key first, the retired one still published"
    );
    // The register came back from the store.
    assert_eq!(app.log_size().await, 29);
    // The old verdict verifies with the new key set, in both implementations.
    let claims = jose_verify(&old_token, &jwks, &old_issuer).expect("the old verdict verifies");
    assert_eq!(claims, old["claims"]);
    VerdictClaims::verify(&old_token, &verifying_keys(&app).await)
        .expect("the old verdict verifies");
    // New verdicts are signed with the new key.
    let new = check(&app, &json!({"org": "iucg", "name": "Wang Jianguo"})).await;
    let new_token = new["verdict"].as_str().expect("verdict");
    let header = jsonwebtoken::decode_header(new_token).expect("header");
    assert_eq!(header.kid.as_deref(), Some(new_kid.as_str()));
    jose_verify(new_token, &jwks, &app.address).expect("the new verdict verifies");
    // Without the retired key, the old verdict would not verify: the rotation kept it on purpose.
    let only_new = JwkSet {
        keys: jwks
            .keys
            .iter()
            .filter(|k| k.common.key_id.as_deref() == Some(new_kid.as_str()))
            .cloned()
            .collect(),
    };
    assert!(jose_verify(&old_token, &only_new, &old_issuer).is_err());
}
