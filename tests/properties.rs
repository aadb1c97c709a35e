//! Property tests: JWS signatures verify and any one-character change breaks them, canonical JSON
//! is stable, the parsers of untrusted input never panic, and a USCC prefix has exactly one check
//! character.

use bonafide::crypto::{
    GeneralJws, PRIVATE_KEY_PREFIX, STATEMENT_TYP, SigningKey, VERDICT_TYP, canonicalize,
    is_canonical, parse_public_key_file, sign_compact, verify_compact,
};
use bonafide::domain::{Statement, Timestamp, Uscc};
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{Map, Value};

/// The USCC alphabet of GB 32100-2015.
const USCC_ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Characters a tampered token character may become: the base64url alphabet and characters that
/// have a meaning nearby (separators, padding, the other base64 alphabet, white space, JSON).
const REPLACEMENTS: &str =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ \"\\{}";

/// Few cases for properties that sign: Ed25519 in a debug build is slow enough.
fn crypto_config() -> ProptestConfig {
    ProptestConfig {
        cases: 64,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// More cases for cheap properties.
fn cheap_config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn payload() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..200)
}

fn replacement() -> impl Strategy<Value = char> {
    prop::sample::select(REPLACEMENTS.chars().collect::<Vec<_>>())
}

/// `text` with the character at `at` (a char boundary, as text here is ASCII) replaced by `with`.
fn replace_at(text: &str, at: usize, with: char) -> String {
    let mut out = String::with_capacity(text.len() + with.len_utf8());
    out.push_str(&text[..at]);
    out.push(with);
    out.push_str(&text[at + 1..]);
    out
}

/// Strings with control characters, non-ASCII and characters outside the BMP, so that escaping
/// and UTF-16 key order are exercised.
fn json_string() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(any::<char>(), 0..8).prop_map(String::from_iter),
        "[a-c\u{e9}\u{20ac}\u{fb33}\u{1f602}\u{0}-\u{1f}\"\\\\]{0,6}",
    ]
}

/// Integers JSON carries exactly: RFC 8785 numbers are IEEE 754 doubles.
const SAFE_INTEGER: i64 = 1 << 53;

/// JSON values without floats, nested at most four deep, with integers from `integer`.
fn nested_json(integer: BoxedStrategy<Value>) -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        integer,
        json_string().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((json_string(), inner), 0..6)
                .prop_map(|members| Value::Object(members.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// JSON values with any 64-bit integer, including those a double cannot hold.
fn json_value() -> impl Strategy<Value = Value> {
    nested_json(
        prop_oneof![
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            (-SAFE_INTEGER..=SAFE_INTEGER).prop_map(Value::from),
        ]
        .boxed(),
    )
}

/// JSON values whose integers a double holds exactly.
fn exact_json_value() -> impl Strategy<Value = Value> {
    nested_json(
        prop_oneof![
            (-SAFE_INTEGER..=SAFE_INTEGER).prop_map(Value::from),
            (-1000i64..1000).prop_map(Value::from),
        ]
        .boxed(),
    )
}

proptest! {
    #![proptest_config(crypto_config())]

    #[test]
    fn a_signed_compact_jws_verifies_and_returns_its_payload(
        seed in any::<[u8; 32]>(),
        payload in payload(),
    ) {
        let key = SigningKey::from_seed(seed);
        let token = sign_compact(&key, VERDICT_TYP, &payload);
        let (header, verified) = verify_compact(&token, VERDICT_TYP, |kid| {
            (kid == key.id()).then(|| key.verifying_key())
        })
        .expect("a fresh signature verifies");
        prop_assert_eq!(&header.kid, key.id());
        prop_assert_eq!(header.typ.as_str(), VERDICT_TYP);
        prop_assert_eq!(verified, payload);
    }

    #[test]
    fn a_signed_compact_jws_does_not_verify_as_a_statement(
        seed in any::<[u8; 32]>(),
        payload in payload(),
    ) {
        let key = SigningKey::from_seed(seed);
        let token = sign_compact(&key, VERDICT_TYP, &payload);
        prop_assert!(verify_compact(&token, STATEMENT_TYP, |_| Some(key.verifying_key())).is_err());
    }

    #[test]
    fn a_general_jws_signed_in_turn_verifies_every_signature_after_a_round_trip(
        seeds in prop::collection::vec(any::<[u8; 32]>(), 1..4),
        payload in payload(),
    ) {
        let keys: Vec<SigningKey> = seeds.into_iter().map(SigningKey::from_seed).collect();
        let mut jws = GeneralJws::new(&payload);
        for key in &keys {
            // Sign, write, read back: the way several staff sign one statement.
            jws.sign(key, STATEMENT_TYP);
            jws = GeneralJws::parse(&jws.to_canonical_bytes(), STATEMENT_TYP)
                .expect("a signed JWS parses");
        }
        prop_assert!(is_canonical(&jws.to_canonical_bytes()));
        prop_assert_eq!(jws.payload(), payload.as_slice());
        prop_assert_eq!(jws.headers().len(), keys.len());
        for (index, key) in keys.iter().enumerate() {
            prop_assert!(jws.verify(index, &key.verifying_key()), "signature {}", index);
            prop_assert_eq!(&jws.headers()[index].kid, key.id());
        }
        prop_assert!(!jws.verify(keys.len(), &keys[0].verifying_key()));
        let stranger = SigningKey::from_seed([0xA5; 32]);
        if keys.iter().all(|key| key.id() != stranger.id()) {
            prop_assert!(!jws.verify(0, &stranger.verifying_key()));
        }
    }

    #[test]
    fn changing_one_character_of_a_compact_jws_makes_it_fail_to_verify(
        seed in any::<[u8; 32]>(),
        payload in payload(),
        part in 0usize..3,
        position in any::<Index>(),
        with in replacement(),
    ) {
        let key = SigningKey::from_seed(seed);
        let token = sign_compact(&key, VERDICT_TYP, &payload);
        let parts: Vec<&str> = token.split('.').collect();
        prop_assert_eq!(parts.len(), 3);
        // An empty payload has an empty part: change the separator after it instead.
        let start: usize = parts[..part].iter().map(|p| p.len() + 1).sum();
        let at = if parts[part].is_empty() {
            start
        } else {
            start + position.index(parts[part].len())
        };
        let original = char::from(token.as_bytes()[at]);
        prop_assume!(with != original);
        let tampered = replace_at(&token, at, with);
        prop_assert_ne!(&tampered, &token);
        // The resolver hands out the key whatever the kid says: only the signature may decide.
        let result = verify_compact(&tampered, VERDICT_TYP, |_| Some(key.verifying_key()));
        prop_assert!(result.is_err(), "{:?} verified", tampered);
    }

    #[test]
    fn changing_one_character_of_a_general_jws_makes_it_fail_to_parse_or_verify(
        seeds in prop::collection::vec(any::<[u8; 32]>(), 1..3),
        payload in payload(),
        field in prop::sample::select(vec!["payload", "protected", "signature"]),
        which in any::<Index>(),
        position in any::<Index>(),
        with in replacement(),
    ) {
        let keys: Vec<SigningKey> = seeds.into_iter().map(SigningKey::from_seed).collect();
        let mut jws = GeneralJws::new(&payload);
        for key in &keys {
            jws.sign(key, STATEMENT_TYP);
        }
        let mut value: Value =
            serde_json::from_slice(&jws.to_canonical_bytes()).expect("canonical bytes are JSON");
        let index = which.index(keys.len());
        let slot = if field == "payload" {
            value.pointer_mut("/payload")
        } else {
            value.pointer_mut(&format!("/signatures/{index}/{field}"))
        }
        .expect("the field exists");
        let text = slot.as_str().expect("the field is a string").to_owned();
        let tampered = if text.is_empty() {
            // Only an empty payload is empty: give it a character.
            with.to_string()
        } else {
            let at = position.index(text.len());
            prop_assume!(char::from(text.as_bytes()[at]) != with);
            replace_at(&text, at, with)
        };
        prop_assert_ne!(&tampered, &text);
        *slot = Value::String(tampered);
        let bytes = serde_json::to_vec(&value).expect("a JSON value serialises");
        if let Ok(parsed) = GeneralJws::parse(&bytes, STATEMENT_TYP) {
            // Changing the payload breaks every signature; changing one signature's header or
            // signature breaks that one.
            let broken: Vec<usize> = if field == "payload" {
                (0..keys.len()).collect()
            } else {
                vec![index]
            };
            for i in broken {
                prop_assert!(
                    !parsed.verify(i, &keys[i].verifying_key()),
                    "signature {} still verifies after changing {}", i, field
                );
            }
        }
    }
}

proptest! {
    #![proptest_config(cheap_config())]

    #[test]
    fn canonical_json_is_a_fixed_point_and_is_recognised_as_canonical(value in json_value()) {
        let canonical = canonicalize(&value).expect("a JSON value without floats canonicalises");
        let reparsed: Value =
            serde_json::from_slice(&canonical).expect("canonical bytes are JSON");
        let again = canonicalize(&reparsed).expect("canonicalises again");
        prop_assert_eq!(
            &again,
            &canonical,
            "{} then {}",
            String::from_utf8_lossy(&canonical),
            String::from_utf8_lossy(&again)
        );
        prop_assert!(is_canonical(&canonical), "{}", String::from_utf8_lossy(&canonical));
    }

    #[test]
    fn canonicalising_keeps_a_value_whose_integers_a_double_holds(value in exact_json_value()) {
        let canonical = canonicalize(&value).expect("a JSON value without floats canonicalises");
        let reparsed: Value =
            serde_json::from_slice(&canonical).expect("canonical bytes are JSON");
        prop_assert_eq!(&reparsed, &value, "{}", String::from_utf8_lossy(&canonical));
    }

    #[test]
    fn canonicalising_rounds_an_integer_beyond_two_to_the_53_like_a_double(
        magnitude in (SAFE_INTEGER + 1)..i64::MAX,
        negative in any::<bool>(),
    ) {
        let integer = if negative { -magnitude } else { magnitude };
        let canonical = canonicalize(&integer).expect("an integer canonicalises");
        #[allow(clippy::cast_precision_loss, reason = "the rounding is what is checked")]
        let expected = canonicalize(&(integer as f64)).expect("a double canonicalises");
        prop_assert_eq!(canonical, expected);
    }

    #[test]
    fn pretty_json_is_canonical_only_when_it_equals_the_canonical_form(value in json_value()) {
        let pretty = serde_json::to_vec_pretty(&value).expect("a JSON value serialises");
        let canonical = canonicalize(&value).expect("canonicalises");
        prop_assert_eq!(is_canonical(&pretty), pretty == canonical);
    }

    #[test]
    fn parsing_a_general_jws_from_arbitrary_bytes_never_panics(
        bytes in prop::collection::vec(any::<u8>(), 0..400),
    ) {
        let _ = GeneralJws::parse(&bytes, STATEMENT_TYP);
    }

    #[test]
    fn parsing_a_general_jws_from_arbitrary_json_never_panics(
        value in json_value(),
        payload in "[A-Za-z0-9_=-]{0,40}",
        protected in "[A-Za-z0-9_=-]{0,60}",
        signature in "[A-Za-z0-9_=-]{0,90}",
    ) {
        let _ = GeneralJws::parse(value.to_string().as_bytes(), STATEMENT_TYP);
        let shaped = serde_json::json!({
            "payload": payload,
            "signatures": [{ "protected": protected, "signature": signature }],
        });
        let _ = GeneralJws::parse(shaped.to_string().as_bytes(), STATEMENT_TYP);
    }

    #[test]
    fn verifying_an_arbitrary_compact_token_never_panics(token in "[A-Za-z0-9_.=-]{0,200}") {
        let key = SigningKey::from_seed([9; 32]);
        let _ = verify_compact(&token, VERDICT_TYP, |_| Some(key.verifying_key()));
    }

    #[test]
    fn parsing_a_statement_from_arbitrary_text_never_panics(text in any::<String>()) {
        let _ = Statement::from_json(&text);
    }

    #[test]
    fn parsing_a_statement_from_arbitrary_json_never_panics(
        value in json_value(),
        kind in prop::sample::select(vec![
            "org", "delegation", "signing-policy", "fee-policy", "signatory", "channel-policy",
            "official-channel", "warning", "notice", "genuine-document", "revocation", "entity",
            "practice", "project", "staff", "other",
        ]),
    ) {
        let _ = Statement::from_json(&value.to_string());
        let mut object = match value {
            Value::Object(members) => members,
            other => Map::from_iter([("body".to_owned(), other)]),
        };
        object.insert("type".into(), Value::from(kind));
        object.insert("id".into(), Value::from("s-1"));
        object.insert("org".into(), Value::from("acme"));
        object.insert("issued_at".into(), Value::from("2026-01-01T00:00:00Z"));
        object.insert("effective_from".into(), Value::from("2026-01-01T00:00:00Z"));
        let _ = Statement::from_json(&Value::Object(object).to_string());
    }

    #[test]
    fn parsing_a_uscc_from_arbitrary_text_never_panics(
        text in any::<String>(),
        near in "[0-9A-Za-z \u{e9}\u{4e2d}]{16,20}",
    ) {
        let _ = Uscc::parse(&text);
        let _ = Uscc::parse(&near);
    }

    #[test]
    fn parsing_a_timestamp_from_arbitrary_text_never_panics(
        text in any::<String>(),
        near in "[0-9]{1,6}-[0-9]{1,3}-[0-9]{1,3}[Tt ][0-9]{1,3}:[0-9]{1,3}:[0-9]{1,3}(\\.[0-9]{0,12})?([Zz]|[+-][0-9]{2}:[0-9]{2})",
    ) {
        let _ = Timestamp::parse(&text);
        let _ = Timestamp::parse(&near);
    }

    #[test]
    fn parsing_a_private_key_from_arbitrary_text_never_panics(
        text in any::<String>(),
        rest in "[A-Za-z0-9_+=/-]{0,100}\n?",
    ) {
        let _ = SigningKey::from_private_text(&text);
        let _ = SigningKey::from_private_text(&format!("{PRIVATE_KEY_PREFIX}{rest}"));
    }

    #[test]
    fn parsing_a_public_key_file_from_arbitrary_text_never_panics(
        text in any::<String>(),
        x in "[A-Za-z0-9_=-]{0,50}",
        kid in prop::option::of("[A-Za-z0-9_-]{0,45}"),
        alg in prop::option::of(prop::sample::select(vec!["EdDSA", "Ed25519", "none"])),
    ) {
        let _ = parse_public_key_file(&text);
        let mut jwk = serde_json::json!({ "kty": "OKP", "crv": "Ed25519", "x": x });
        if let Some(kid) = kid {
            jwk["kid"] = Value::from(kid);
        }
        if let Some(alg) = alg {
            jwk["alg"] = Value::from(alg);
        }
        let _ = parse_public_key_file(&jwk.to_string());
    }

    #[test]
    fn exactly_one_check_character_completes_a_uscc_prefix(
        prefix in prop::collection::vec(
            prop::sample::select(USCC_ALPHABET.chars().collect::<Vec<_>>()),
            17,
        ),
    ) {
        let prefix = String::from_iter(prefix);
        let valid: Vec<char> = USCC_ALPHABET
            .chars()
            .filter(|&check| Uscc::parse(&format!("{prefix}{check}")).is_ok())
            .collect();
        prop_assert_eq!(valid.len(), 1, "{} completes with {:?}", prefix, valid);
    }
}

/// Verdict claims from arbitrary strings: any text a request or a statement can carry.
fn arbitrary_claims() -> impl Strategy<Value = bonafide::check::verdict::VerdictClaims> {
    use bonafide::check::verdict::{LogState, VerdictClaims};
    use bonafide::check::{Field, Finding, Message, Outcome, Reason, StatementRef};
    let text = || any::<String>();
    (
        text(),
        text(),
        text(),
        proptest::collection::vec((text(), text(), text(), proptest::option::of(text())), 0..4),
        // I-JSON (RFC 7493), which RFC 8785 builds on, keeps integers within 2^53: times in
        // seconds and log sizes always are.
        -(1i64 << 53)..(1i64 << 53),
        0u64..(1u64 << 53),
    )
        .prop_map(|(iss, org, input0, findings, iat, size)| VerdictClaims {
            as_of: Timestamp::parse("2026-11-28T09:00:00.123456789Z").expect("a time"),
            check: "contact".into(),
            exp: iat / 2,
            findings: findings
                .into_iter()
                .map(|(input, en, zh, official)| Finding {
                    excerpt: official.clone(),
                    field: Field::Name,
                    input: format!("{input0}{input}"),
                    location: Some(bonafide::document::Location {
                        page: Some(2),
                        paragraph: Some(7),
                    }),
                    message: Message { en, zh },
                    official,
                    reason: Reason::NoRecord,
                    result: Outcome::Unknown,
                    statement: Some(StatementRef {
                        id: "s-1".into(),
                        log_index: size,
                        leaf_hash: "00".into(),
                    }),
                })
                .collect(),
            iat,
            iss,
            jti: "0".into(),
            log: LogState {
                origin: org.clone(),
                root: "AA==".into(),
                size,
            },
            org,
            outcome: Outcome::FraudRisk,
            subject_sha256: "ab".into(),
        })
}

proptest! {
    /// Verdict claims are signed as serde_json writes them (fields declared in sorted order):
    /// that must be exactly RFC 8785, for every string they can hold.
    #[test]
    fn verdict_claims_serialise_canonically(claims in arbitrary_claims()) {
        let plain = bonafide::crypto::canonicalize_sorted(&claims).expect("serialises");
        let jcs = canonicalize(&claims).expect("canonicalises");
        prop_assert_eq!(plain, jcs);
    }
}

proptest! {
    /// A contact check request is hashed as serde_json writes it (fields declared sorted): that
    /// must be exactly RFC 8785, for every string a request can hold.
    #[test]
    fn contact_queries_serialise_canonically(
        fields in proptest::collection::vec(proptest::option::of(any::<String>()), 9),
        org in any::<String>(),
    ) {
        let query = bonafide::check::ContactQuery {
            action: fields[0].clone(),
            as_of: None,
            bank_account: fields[1].clone(),
            company: fields[2].clone(),
            department: fields[7].clone(),
            email: fields[3].clone(),
            name: fields[4].clone(),
            org,
            phone: fields[5].clone(),
            project: fields[8].clone(),
            website: fields[6].clone(),
        };
        let plain = bonafide::crypto::canonicalize_sorted(&query).expect("serialises");
        prop_assert_eq!(plain, canonicalize(&query).expect("canonicalises"));
    }
}
