//! Known-answer tests: RFC 8037 Appendix A (Ed25519 keys, JWK thumbprint, JWS signatures), the
//! RFC 9864 `Ed25519` algorithm name, the RFC 8785 author's canonicalisation test data, and the W3C
//! Subresource Integrity example.
//!
//! The vectors live in `tests/fixtures/`; nothing else is read.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use bonafide::crypto::{KeyId, SigningKey, VerifyingKey, canonicalize, hex, is_canonical, sha256};
use bonafide::domain::PublicJwk;
use serde_json::Value;

/// Reads and parses `tests/fixtures/<name>`.
fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("parse {path}: {e}"))
}

fn jws_vectors() -> Value {
    fixture("rfc8037_jws.json")
}

fn jcs_vectors() -> Value {
    fixture("rfc8785_jcs.json")
}

/// The string at `pointer` (RFC 6901) in `value`.
fn text<'a>(value: &'a Value, pointer: &str) -> &'a str {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("the fixture has no string at {pointer}"))
}

/// Decodes lower- or upper-case hex.
fn unhex(text: &str) -> Vec<u8> {
    assert!(text.len().is_multiple_of(2), "odd-length hex {text:?}");
    (0..text.len())
        .step_by(2)
        .map(|i| {
            u8::from_str_radix(&text[i..i + 2], 16)
                .unwrap_or_else(|e| panic!("bad hex {text:?}: {e}"))
        })
        .collect()
}

fn b64(text: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD
        .decode(text)
        .unwrap_or_else(|e| panic!("not unpadded base64url {text:?}: {e}"))
}

/// The RFC 8037 A.1 key.
fn rfc8037_key(vectors: &Value) -> SigningKey {
    let seed = <[u8; 32]>::try_from(unhex(text(vectors, "/A1_seed_hex")))
        .expect("the A.1 seed has 32 bytes");
    SigningKey::from_seed(seed)
}

/// Splits a compact JWS into its signing input and its signature part.
fn split_compact(token: &str) -> (&str, &str) {
    token
        .rsplit_once('.')
        .expect("a compact JWS has a signature part")
}

#[test]
fn the_rfc8037_seed_gives_the_a1_public_key_and_private_jwk() {
    let vectors = jws_vectors();
    let key = rfc8037_key(&vectors);
    let jwk = key.public_jwk();
    assert_eq!(
        hex(jwk.bytes()),
        text(&vectors, "/A1_public_key_hex"),
        "public key bytes"
    );
    assert_eq!(jwk.x_b64(), text(&vectors, "/A1_private_jwk/x"));
    assert_eq!(
        b64(text(&vectors, "/A1_private_jwk/d")),
        unhex(text(&vectors, "/A1_seed_hex")),
        "the private JWK's d is the seed"
    );
}

#[test]
fn the_rfc8037_public_jwk_is_the_a2_jwk() {
    let vectors = jws_vectors();
    let key = rfc8037_key(&vectors);
    let x = text(&vectors, "/A2_public_jwk/x");
    assert_eq!(key.public_jwk().x_b64(), x);
    let parsed = PublicJwk::parse(
        text(&vectors, "/A2_public_jwk/kty"),
        text(&vectors, "/A2_public_jwk/crv"),
        x,
    )
    .expect("the A.2 JWK parses");
    assert_eq!(parsed, key.public_jwk());
    let verifying = VerifyingKey::from_jwk(&parsed).expect("the A.2 key is a usable point");
    assert_eq!(verifying.jwk(), parsed);
}

#[test]
fn the_key_id_is_the_a3_thumbprint() {
    let vectors = jws_vectors();
    let key = rfc8037_key(&vectors);
    let thumbprint = text(&vectors, "/A3_thumbprint/thumbprint_b64url");
    assert_eq!(thumbprint, "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
    assert_eq!(KeyId::of(&key.public_jwk()).as_str(), thumbprint);
    assert_eq!(key.id().as_str(), thumbprint);
    assert_eq!(key.verifying_key().id().as_str(), thumbprint);
    assert_eq!(
        hex(&sha256(
            text(&vectors, "/A3_thumbprint/canonical_input").as_bytes()
        )),
        text(&vectors, "/A3_thumbprint/sha256_hex"),
        "the thumbprint input hashes as the vector says"
    );
}

#[test]
fn the_example_jwks_key_is_accepted_as_a_public_key_file() {
    let vectors = jws_vectors();
    let key = rfc8037_key(&vectors);
    let entry = vectors
        .pointer("/example_jwks/jwks/keys/0")
        .expect("the example JWKS has a key");
    let file = serde_json::to_string(entry).expect("a JSON value serialises");
    let jwk = bonafide::crypto::parse_public_key_file(&file)
        .expect("a JWK with its thumbprint as kid, alg EdDSA and use sig is a public key file");
    assert_eq!(jwk, key.public_jwk());
}

#[test]
fn signing_the_a4_input_gives_the_a4_signature_which_verifies() {
    let vectors = jws_vectors();
    let key = rfc8037_key(&vectors);
    let input = text(&vectors, "/A4_signing/signing_input");
    let expected = unhex(text(&vectors, "/A4_signing/signature_hex"));
    assert_eq!(
        input,
        format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(text(&vectors, "/A4_signing/protected_header_json")),
            URL_SAFE_NO_PAD.encode(text(&vectors, "/A4_signing/payload_utf8"))
        ),
        "the signing input is base64url(header).base64url(payload)"
    );
    let signature = key.sign(input.as_bytes());
    assert_eq!(hex(&signature), hex(&expected), "A.4 signature");
    assert_eq!(
        URL_SAFE_NO_PAD.encode(signature),
        text(&vectors, "/A4_signing/signature_b64url")
    );
    assert_eq!(
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature)),
        text(&vectors, "/A4_signing/compact_jws")
    );
    let verifying = key.verifying_key();
    assert!(verifying.verify(input.as_bytes(), &expected));
    let (compact_input, compact_signature) =
        split_compact(text(&vectors, "/A4_signing/compact_jws"));
    assert!(verifying.verify(compact_input.as_bytes(), &b64(compact_signature)));
}

#[test]
fn the_rfc9864_ed25519_alg_variant_signs_and_verifies_as_the_vector_says() {
    let vectors = jws_vectors();
    let key = rfc8037_key(&vectors);
    let input = text(&vectors, "/computed_rfc9864_alg_ed25519/signing_input");
    let expected = unhex(text(
        &vectors,
        "/computed_rfc9864_alg_ed25519/signature_hex",
    ));
    let (header, _) = input.split_once('.').expect("the signing input has a dot");
    assert_eq!(
        b64(header),
        text(
            &vectors,
            "/computed_rfc9864_alg_ed25519/protected_header_json"
        )
        .as_bytes()
    );
    assert_eq!(hex(&key.sign(input.as_bytes())), hex(&expected));
    assert!(key.verifying_key().verify(input.as_bytes(), &expected));
    let (compact_input, compact_signature) =
        split_compact(text(&vectors, "/computed_rfc9864_alg_ed25519/compact_jws"));
    assert_eq!(compact_input, input);
    assert_eq!(b64(compact_signature), expected);
}

#[test]
fn the_verdict_object_canonicalises_to_the_signed_payload_and_its_signature_verifies() {
    let vectors = jws_vectors();
    let key = rfc8037_key(&vectors);
    let verdict = vectors
        .pointer("/computed_verdict_jws/verdict_object")
        .expect("the fixture has a verdict object");
    let canonical = canonicalize(verdict).expect("a JSON value canonicalises");
    let expected = text(&vectors, "/computed_verdict_jws/payload_jcs_utf8");
    assert_eq!(
        String::from_utf8_lossy(&canonical),
        expected,
        "canonical verdict (hex {})",
        hex(&canonical)
    );
    assert_eq!(canonical, expected.as_bytes());
    assert_eq!(
        hex(&canonical),
        text(&vectors, "/computed_verdict_jws/payload_hex")
    );
    assert!(is_canonical(&canonical));

    let token = text(&vectors, "/computed_verdict_jws/compact_jws");
    let (input, signature) = split_compact(token);
    assert_eq!(input, text(&vectors, "/computed_verdict_jws/signing_input"));
    let (header, payload) = input.split_once('.').expect("the signing input has a dot");
    assert_eq!(
        b64(header),
        text(&vectors, "/computed_verdict_jws/protected_header_json").as_bytes()
    );
    assert_eq!(b64(payload), canonical, "the JWS signs the canonical bytes");
    let signature = b64(signature);
    assert_eq!(
        hex(&signature),
        text(&vectors, "/computed_verdict_jws/signature_hex")
    );
    assert!(key.verifying_key().verify(input.as_bytes(), &signature));
    assert_eq!(key.sign(input.as_bytes()).as_slice(), signature.as_slice());
}

#[test]
fn the_negative_vectors_fail_verification() {
    let vectors = jws_vectors();
    let verifying = rfc8037_key(&vectors).verifying_key();
    let negatives = vectors
        .pointer("/computed_negative")
        .and_then(Value::as_array)
        .expect("the fixture lists negative vectors");
    assert!(!negatives.is_empty());
    for negative in negatives {
        let description = text(negative, "/description");
        assert_eq!(
            negative.pointer("/expect_valid"),
            Some(&Value::Bool(false)),
            "{description}"
        );
        let (input, signature) = split_compact(text(negative, "/compact_jws"));
        // A signature part that is not strict base64url is as invalid as a wrong signature.
        let valid = URL_SAFE_NO_PAD
            .decode(signature)
            .is_ok_and(|signature| verifying.verify(input.as_bytes(), &signature));
        assert!(!valid, "must not verify: {description}");
    }
}

#[test]
fn every_rfc8785_case_canonicalises_to_the_expected_bytes() {
    let vectors = jcs_vectors();
    let cases = vectors
        .pointer("/cases")
        .and_then(Value::as_array)
        .expect("the fixture lists cases");
    assert_eq!(cases.len(), 6, "the RFC 8785 test data has six documents");
    let mut failures = Vec::new();
    for case in cases {
        let name = text(case, "/name");
        let input = text(case, "/input_utf8");
        let expected = unhex(text(case, "/expected_output_hex"));
        assert_eq!(
            text(case, "/expected_output_utf8").as_bytes(),
            expected.as_slice(),
            "{name}: the fixture's text and hex agree"
        );
        let value: Value = serde_json::from_str(input)
            .unwrap_or_else(|e| panic!("{name}: the input is JSON: {e}"));
        let actual = canonicalize(&value).unwrap_or_else(|e| panic!("{name}: {e}"));
        if actual != expected {
            failures.push(format!(
                "{name}:\n  expected {}\n  actual   {}\n  expected text {:?}\n  actual text   {:?}",
                hex(&expected),
                hex(&actual),
                String::from_utf8_lossy(&expected),
                String::from_utf8_lossy(&actual)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "RFC 8785 cases that differ:\n{}",
        failures.join("\n")
    );
}

#[test]
fn is_canonical_accepts_every_expected_output_and_refuses_every_differing_input() {
    let vectors = jcs_vectors();
    let cases = vectors
        .pointer("/cases")
        .and_then(Value::as_array)
        .expect("the fixture lists cases");
    for case in cases {
        let name = text(case, "/name");
        let input = text(case, "/input_utf8");
        let expected = unhex(text(case, "/expected_output_hex"));
        assert!(
            is_canonical(&expected),
            "{name}: the expected output is canonical"
        );
        if input.as_bytes() != expected.as_slice() {
            assert!(
                !is_canonical(input.as_bytes()),
                "{name}: the input is not canonical"
            );
        }
    }
}

#[test]
fn every_rfc8785_number_sample_canonicalises_to_its_ecmascript_form() {
    let vectors = jcs_vectors();
    let samples = vectors
        .pointer("/number_samples")
        .and_then(Value::as_array)
        .expect("the fixture lists number samples");
    assert!(!samples.is_empty());
    let mut failures = Vec::new();
    for sample in samples {
        let bits_hex = text(sample, "/ieee754_hex");
        let expected = text(sample, "/expected");
        let bits = u64::from_str_radix(bits_hex, 16)
            .unwrap_or_else(|e| panic!("bad IEEE 754 hex {bits_hex:?}: {e}"));
        let number = f64::from_bits(bits);
        let actual = canonicalize(&number).unwrap_or_else(|e| panic!("{bits_hex}: {e}"));
        if actual != expected.as_bytes() {
            failures.push(format!(
                "{bits_hex} ({number:e}): expected {expected:?}, got {:?}",
                String::from_utf8_lossy(&actual)
            ));
        }
        let in_array =
            canonicalize(&Value::Array(vec![Value::from(number)])).expect("an array canonicalises");
        if in_array != format!("[{expected}]").as_bytes() {
            failures.push(format!(
                "{bits_hex} in an array: expected [{expected}], got {:?}",
                String::from_utf8_lossy(&in_array)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "RFC 8785 number samples that differ:\n{}",
        failures.join("\n")
    );
}

/// W3C Subresource Integrity: the `integrity` value the widget's tag publishes.
#[test]
fn subresource_integrity_matches_the_w3c_example() {
    let vectors = fixture("sri.json");
    let list = vectors["vectors"].as_array().expect("vectors");
    assert!(!list.is_empty());
    for vector in list {
        assert_eq!(
            bonafide::crypto::sri_sha384(text(vector, "/input").as_bytes()),
            text(vector, "/sha384")
        );
    }
}
